"""Runs from the Prefect UI that a person can use, and the run parameters refused before any
work.

Fast: the refused parameters through the command (tests/data/bad/params-ui.yaml), the parameters'
descriptions, the one-line log filter. Slow (a real server and `vendorbrief serve`, started once for
the module): runs triggered through the API as the UI does, their artifacts' PDF links, refused
runs ending Failed with one log line, daily-prices offline, the single-vendor bench figure,
overlapping runs waiting for each other, and the server listening on loopback only.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
import yaml
from flows.errors import InputError

from .conftest import DATA, FIXTURE_SOURCES, tree
from .harness import assert_nothing_lost, assert_refused, failing_server, invoke, run_logs, vendorbrief

# With pytest-xdist all on one worker: the module's served Prefect server starts once.
pytestmark = pytest.mark.xdist_group("ui-served")

PARAM_CASES = yaml.safe_load((DATA / "bad" / "params-ui.yaml").read_text())
AS_OF = date(2026, 11, 29)


# ---- parameters refused before any work ------------------------------------------------------


@pytest.mark.parametrize("case", PARAM_CASES, ids=[" ".join(c["args"])[:60] for c in PARAM_CASES])
def test_refused_parameters(case, published):
    args = [a.replace("{tmp}", str(published)) for a in case["args"]]
    before = tree(published)
    assert_refused(invoke(published, args), case["exit"], case["expect"])
    assert_nothing_lost(published, before)


def test_a_vendor_file_named_yml_is_named_not_unknown(published):
    shutil.copyfile(published / "sources" / "vendors" / "mistral.yaml", published / "sources" / "vendors" / "acme.yml")
    before = tree(published / "out")
    assert_refused(invoke(published, ["run", "--vendors", "acme"]), 1, ["acme.yml", "vendor files end in .yaml"])
    assert tree(published / "out") == before


def test_any_new_file_in_the_sources_changes_the_facts_fingerprint(tmp_path):
    from flows.sources.fingerprints import fingerprints

    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    before = fingerprints(sources)["facts"]
    (sources / "vendors" / "README.md").write_text("notes")
    after = fingerprints(sources)["facts"]
    assert after != before
    (sources / "vendors" / "README.md").unlink()
    assert fingerprints(sources)["facts"] == before


@pytest.mark.slow
def test_a_folder_among_the_litellm_snapshots_is_no_traceback(published):
    from flows.run import _bundled_litellm_hash

    before = _bundled_litellm_hash(published / "sources")
    (published / "sources" / "litellm" / "old").mkdir()
    assert _bundled_litellm_hash(published / "sources") == before  # files only
    result = invoke(published, ["run", "--formats", "pdf", "--as-of", AS_OF.isoformat()])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output


def test_a_read_only_output_folder_is_refused_in_one_line(published, monkeypatch):
    before = tree(published)
    real = os.access
    # root ignores chmod: answer as a read-only mount does, for writes only
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False if mode & os.W_OK else real(path, mode, *a, **k))
    assert_refused(invoke(published, ["run"]), 1, ["warehouse", "(read-only)"])
    assert_nothing_lost(published, before)


@pytest.mark.slow
def test_a_write_refused_by_the_disk_is_one_line_and_keeps_the_warehouse(published, monkeypatch):
    before = (published / "warehouse.duckdb").read_bytes()
    real = os.replace

    def refuse(src, dst, *a, **k):
        if str(dst).endswith("warehouse.duckdb"):
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", refuse)
    result = invoke(published, ["run", "--formats", "pdf", "--as-of", AS_OF.isoformat()])
    assert_refused(result, 1, [f"{published / 'warehouse.duckdb'}: cannot write: Permission denied"])
    assert (published / "warehouse.duckdb").read_bytes() == before
    assert not list(published.glob(".warehouse.duckdb.build-*"))


def test_currency_reaches_the_render_parameters():
    from flows.run import RunParams, _render_params

    p = RunParams(as_of=AS_OF, warehouse=Path("w.duckdb"), out_dir=Path("out"), currency="EUR")
    assert _render_params(p)["currency"] == "EUR"
    assert RunParams(as_of=AS_OF, warehouse=Path("w"), out_dir=Path("o")).currency == "USD"


# ---- the flow's parameters as the UI shows them ----------------------------------------------


def test_every_flow_parameter_is_described():
    from flows.orchestration.pipeline import vendor_briefings
    from prefect.utilities.callables import parameter_schema

    props = parameter_schema(vendor_briefings.fn).model_dump()["properties"]
    assert not [name for name, p in props.items() if not p.get("description")]
    # no "Property is type None" switch: empty values are plain empty fields
    assert not [name for name, p in props.items() if "anyOf" in p]
    assert "Empty: today" in props["as_of"]["description"]
    assert "Empty list: every vendor" in props["vendors"]["description"]
    assert props["as_of"]["pattern"] and props["currency"]["default"] == "USD"


def test_deployment_descriptions_state_the_schedule_and_its_timezone():
    from flows.orchestration.deploy import descriptions

    text = descriptions("/mirror/prices.json")
    assert "every Monday at 06:00 Europe/Paris" in text["weekly-briefings"]
    assert "every day at 05:00 Europe/Paris" in text["daily-prices"]
    assert "--litellm-url" in text["daily-prices"] and "/mirror/prices.json" in text["daily-prices"]


def test_flow_dates_are_text_checked_by_the_run():
    from flows.orchestration.pipeline import _run_params, vendor_briefings
    from prefect.exceptions import ParameterTypeError

    # the shape is checked by Prefect (and by the UI, from the schema's pattern) ...
    with pytest.raises(ParameterTypeError):
        vendor_briefings.validate_parameters({"as_of": "the day after tomorrow"})
    assert vendor_briefings.validate_parameters({"as_of": AS_OF})["as_of"] == "2026-11-29"
    # ... a date of the right shape that does not exist reaches the run, which refuses it in one line
    given = vendor_briefings.validate_parameters({"as_of": "2026-13-01"})
    given.pop("refresh_ecb_rates", None)  # a step before the run (the flow takes it out first)
    with pytest.raises(InputError, match=r"field 'as_of': '2026-13-01' is not a date YYYY-MM-DD"):
        _run_params(**{**_defaults(vendor_briefings), **given})
    p = _run_params(**{**_defaults(vendor_briefings), "vendors": [], "currency": " eur "})
    assert (p.vendors, p.currency, p.profile, p.litellm_source) == (None, "EUR", None, None)


def _defaults(flow) -> dict:
    """The flow's parameter defaults that make up its run's parameters (refresh_ecb_rates is a step
    before the run, not one of them)."""
    import inspect

    from flows.orchestration.pipeline import _run_params

    takes = inspect.signature(_run_params).parameters
    return {name: p.default for name, p in inspect.signature(flow.fn).parameters.items() if name in takes}


# ---- one line per expected error -------------------------------------------------------------


def _record(message: str, exc: BaseException | None = None, level: int = logging.ERROR, name: str = "prefect.flow_runs",
            **extra) -> logging.LogRecord:
    record = logging.LogRecord(name, level, __file__, 1, message, None, (type(exc), exc, None) if exc else None)
    record.__dict__.update(extra)
    return record


def test_the_log_filter_keeps_one_line_per_expected_error(monkeypatch):
    from flows.orchestration import logs

    monkeypatch.delenv(logs.DEBUG_ENV, raising=False)
    monkeypatch.delenv(logs.QUIET_CONSOLE_ENV, raising=False)
    monkeypatch.setattr(logs.ExpectedErrors, "seen", set())
    console, api = logs.ExpectedErrors(console=True), logs.ExpectedErrors(console=False)
    exc = InputError("x.json", None, None, "expected a JSON object, got list")
    engine = _record(f"Task run failed with exception: {exc!r}", exc)
    assert not console.filter(engine) and not api.filter(engine)
    state = _record(f"Finished in state Failed('Task run encountered an exception InputError: {exc}')", level=logging.INFO)
    assert not console.filter(state)
    ours = _record(str(exc), **{logs.MARK: True})
    assert console.filter(ours) and api.filter(ours)
    monkeypatch.setenv(logs.QUIET_CONSOLE_ENV, "1")  # the command line prints the error itself
    assert not console.filter(ours) and api.filter(ours)
    retry = _record("Task run failed with exception: ConnectError('no route') - Retry 1/3 will start 2 second(s) from now",
                    httpx.ConnectError("no route"), level=logging.INFO)
    assert console.filter(retry) and retry.exc_info is None
    unexpected = _record("Task run failed with exception: KeyError('x')", KeyError("x"))
    assert console.filter(unexpected) and unexpected.exc_info is not None
    monkeypatch.setenv(logs.DEBUG_ENV, "1")
    assert console.filter(_record(f"Task run failed with exception: {exc!r}", exc))


@pytest.mark.slow
def test_an_input_error_in_prefect_mode_is_one_line(published):
    """A refused LiteLLM snapshot in Prefect mode: one line, exit 1, no traceback."""
    env = {**os.environ, "PREFECT_HOME": str(published / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    bad = DATA / "bad" / "litellm" / "array.json"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "vendorbrief"), "ingest", "litellm", str(bad), "--as-of", "2026-11-28",
         "--warehouse", str(published / "warehouse.duckdb"), "--out", str(published / "out"),
         "--sources", str(published / "sources")],
        env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    message = "expected a JSON object of model entries, got list"
    assert sum(message in line for line in output.splitlines()) == 1, output
    assert [line for line in output.splitlines() if message in line][0].startswith("error:")


# ---- a real server and `vendorbrief serve` ----------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory, fixture_run):
    from flows.bench.trigger import served as start

    tmp = tmp_path_factory.mktemp("ui")
    shutil.copyfile(fixture_run["warehouse"], tmp / "warehouse.duckdb")
    shutil.copytree(fixture_run["out"], tmp / "out")
    # a run held back by the deployment's concurrency limit tries again after 1 s, not Prefect's 30;
    # the server stops at once after the last test (whose run may then show as Cancelled)
    with start(tmp / "work", tmp / "warehouse.duckdb", tmp / "out",
               settings={"PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS": "1"}, settle_seconds=0) as s:
        yield {**s, "tmp": tmp, "out": tmp / "out"}


def _trigger(served, parameters: dict, deployment: str = "weekly-briefings") -> dict:
    from flows.bench import trigger

    old = trigger.DEPLOYMENT
    trigger.DEPLOYMENT = f"vendor-briefings/{deployment}"
    try:
        return asyncio.run(trigger.trigger(served["api"], parameters))
    finally:
        trigger.DEPLOYMENT = old


async def _logs_and_artifacts(api: str, flow_run_id: str, wait_for: str | None = None):
    """The logs of a run and of its subflows (and their tasks), and the run's artifacts."""
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async with PrefectClient(api) as client:
        logs = await run_logs(client, flow_run_id, wait_for)
        artifacts = await client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
        return logs, artifacts


@pytest.mark.slow
def test_deployments_describe_parameters_and_schedules(served):
    async def read():
        from prefect.client.orchestration import PrefectClient

        async with PrefectClient(served["api"]) as client:
            return [await client.read_deployment_by_name(f"vendor-briefings/{n}") for n in ("weekly-briefings", "daily-prices")]

    from flows.orchestration.deploy import DAILY_CRON, WEEKLY_CRON

    weekly, daily = asyncio.run(read())
    assert weekly.schedules[0].schedule.cron == WEEKLY_CRON and daily.schedules[0].schedule.cron == DAILY_CRON
    for deployment in (weekly, daily):
        props = deployment.parameter_openapi_schema["properties"]
        assert not [n for n, p in props.items() if not p.get("description")], deployment.name
        assert "Europe/Paris" in deployment.description
        assert deployment.schedules[0].schedule.timezone == "Europe/Paris"


@pytest.mark.slow
def test_a_single_vendor_run_links_its_pdf(served):
    run = _trigger(served, {"vendors": ["mistral"], "as_of": AS_OF.isoformat(), "formats": ["pdf"],
                            "sources_dir": str(FIXTURE_SOURCES)})
    assert run["state"] == "COMPLETED", run
    assert run["name"] == "weekly-briefings 2026-11-29 mistral"
    logs, artifacts = asyncio.run(_logs_and_artifacts(served["api"], run["id"]))
    by_key = {a.key: a for a in artifacts}
    link = by_key["briefing-mistral"].data
    url = re.search(r"\((http://127\.0\.0\.1:\d+/[^)]+)\)", link).group(1)
    assert url == f"{served['reports']}/editions/2026-11-29/mistral.pdf"
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response.content == (served["out"] / "editions" / "2026-11-29" / "mistral.pdf").read_bytes()
    assert {"run-summary", "data-quality"} <= set(by_key)
    assert url in by_key["run-summary"].data  # the summary's table links the same file
    assert "landscape" not in by_key["run-summary"].data.split("| briefing |")[1]  # only the selected vendor


@pytest.mark.slow
@pytest.mark.parametrize("parameters, message", [
    ({"as_of": "2999-12-31"}, "field 'as_of': 2999-12-31 is after today"),
    ({"as_of": "2026-13-01"}, "field 'as_of': '2026-13-01' is not a date YYYY-MM-DD"),
    ({"currency": "XYZ"}, "field 'currency': unknown currency 'XYZ'"),
    ({"vendors": ["acme"]}, "field 'vendors': unknown vendor 'acme'"),
    ({"formats": []}, "field 'formats': expected pdf and/or html"),
])
def test_a_refused_parameter_fails_the_run_with_one_log_line(served, parameters, message):
    before = tree(served["out"])
    run = _trigger(served, {"sources_dir": str(FIXTURE_SOURCES), **parameters})
    assert run["state"] == "FAILED" and message in run["message"], run
    logs, _ = asyncio.run(_logs_and_artifacts(served["api"], run["id"], wait_for=message))
    errors = [l.message for l in logs if l.level >= logging.ERROR]
    assert len(errors) == 1 and message in errors[0], errors
    assert not [l for l in logs if "Traceback" in l.message]
    assert tree(served["out"]) == before


@pytest.mark.slow
def test_a_shape_that_is_not_a_date_is_refused_before_the_run(served):
    with pytest.raises(Exception, match="422|pattern|does not match"):
        _trigger(served, {"as_of": "next monday"})


@pytest.mark.slow
def test_an_input_error_inside_a_stage_is_one_log_line(served, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    (sources / "vendors" / "mistral.yaml").write_text((sources / "vendors" / "mistral.yaml").read_text() + "\n  bad: [unclosed\n")
    run = _trigger(served, {"vendors": ["mistral"], "as_of": AS_OF.isoformat(), "sources_dir": str(sources)})
    assert run["state"] == "FAILED" and "mistral.yaml" in run["message"], run
    logs, _ = asyncio.run(_logs_and_artifacts(served["api"], run["id"], wait_for="mistral.yaml"))
    errors = [l.message for l in logs if l.level >= logging.ERROR]
    assert len(errors) == 1 and "mistral.yaml" in errors[0], errors
    assert not [l for l in logs if "Traceback" in l.message]


@pytest.mark.slow
def test_daily_prices_with_a_catalog_it_cannot_fetch_fails_with_one_message(served):
    """The catalog answers 404: no retry (the fetch's retries and their back-off are checked in
    test_flows), one ERROR line in the run's log, no traceback."""
    server, hits = failing_server(404)
    try:
        run = _trigger(served, {"sources_dir": str(FIXTURE_SOURCES), "lock_wait_seconds": 0,
                                "litellm_source": f"http://127.0.0.1:{server.server_port}/prices.json"}, "daily-prices")
    finally:
        server.shutdown()
    assert run["state"] == "FAILED" and "cannot fetch the LiteLLM snapshot" in run["message"], run
    assert "404 Not Found" in run["message"] and len(hits) == 1
    assert run["name"] == f"daily-prices {date.today().isoformat()}"
    logs, _ = asyncio.run(_logs_and_artifacts(served["api"], run["id"], wait_for="cannot fetch"))
    errors = [l.message for l in logs if l.level >= logging.ERROR]
    assert len(errors) == 1 and "cannot fetch the LiteLLM snapshot" in errors[0], errors
    assert not [l for l in logs if "Traceback" in l.message]


@pytest.mark.slow
def test_a_served_single_vendor_run_starts_warm_and_renders_only_that_briefing(served):
    """Runs triggered through `vendorbrief serve` fork from its warm fork server and complete; the
    trigger-to-Completed figure (what `make bench` prints, flows/bench/trigger.py) and its
    components are printed (the aim: <= 20 s on a quiet 2-core machine; a loaded one is slower,
    so this test asserts the components only)."""
    from flows.bench.trigger import trigger_to_pdf

    assert "forked from a warm fork server" in (served["work"] / "serve.log").read_text()
    before = {p.name: p.read_bytes() for p in (served["out"] / "latest").glob("*.pdf")}
    figures = trigger_to_pdf(served["api"], served["out"], FIXTURE_SOURCES, AS_OF, "mistral", runs=2)
    print({k: v for k, v in figures.items() if k != "runs"}, [r["components"] for r in figures["runs"]])
    assert figures["vendor"] == "mistral" and figures["first_s"] > 0 and figures["median_s"] > 0
    for run in figures["runs"]:
        parts = run["components"]
        assert run["state"] == "COMPLETED"
        assert {"pickup", "start", "render", "server_total"} <= set(parts)
        assert "ingest" not in parts and "validate data" not in parts  # unchanged inputs: render only
    after = {p.name: p.read_bytes() for p in (served["out"] / "latest").glob("*.pdf")}
    # trigger_to_pdf removed mistral.pdf before each run and raised unless the run put it back
    assert after.keys() == before.keys() and after["mistral.pdf"].startswith(b"%PDF")
    assert after["openai.pdf"] == before["openai.pdf"] and after["landscape.pdf"] == before["landscape.pdf"]


def _flow_run_logs(api: str, since: float) -> list[str]:
    """The log lines of the flow runs (and their tasks) that started after `since` (epoch seconds):
    a late batch of an earlier test's run on the shared server is not among them."""
    from datetime import UTC, datetime

    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterStartTime, LogFilter, LogFilterFlowRunId

    async def read() -> list[str]:
        async with PrefectClient(api) as client:
            runs = await client.read_flow_runs(flow_run_filter=FlowRunFilter(
                start_time=FlowRunFilterStartTime(after_=datetime.fromtimestamp(since, UTC))))
            logs = await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[r.id for r in runs])), limit=200)
            return [log.message for log in logs]

    return asyncio.run(read())


@pytest.mark.slow
@pytest.mark.parametrize("debug", [False, True], ids=["one-line", "debug"])
def test_ingest_debug_shows_the_traceback_in_the_terminal_and_the_prefect_log(served, fixture_run, tmp_path, debug):
    shutil.copyfile(fixture_run["warehouse"], tmp_path / "w.duckdb")
    bad = Path(__file__).parent / "data" / "bad" / "litellm" / "truncated.json"
    since = time.time()
    result = vendorbrief(["ingest", "litellm", str(bad), "--as-of", "2026-11-20", "--warehouse", str(tmp_path / "w.duckdb"),
                   "--out", str(tmp_path / "out"), "--sources", str(FIXTURE_SOURCES), *(["--debug"] if debug else [])],
                  served["env"])
    terminal = result.stdout + result.stderr
    assert result.returncode == 1, terminal
    assert "truncated.json: not valid JSON" in terminal
    logs = "\n".join(_flow_run_logs(served["api"], since - 1))
    assert "truncated.json: not valid JSON" in logs
    if debug:
        assert "Traceback (most recent call last)" in terminal
        assert "Traceback (most recent call last)" in logs and "litellm_catalog.py" in logs
    else:
        assert "Traceback" not in terminal and "Traceback" not in logs
        assert [line for line in terminal.splitlines() if "truncated.json" in line][0].startswith("error:")


@pytest.mark.slow
def test_overlapping_runs_wait_for_each_other(served, tmp_path):
    """Two runs triggered at once on a new warehouse (run parameters), each long enough to overlap
    the other if the deployment let them: with its concurrency limit of 1, the second starts after
    the first ends. The first builds the warehouse from nothing in a process forked by `serve`."""
    from flows.bench.trigger import components_of
    from prefect.client.orchestration import PrefectClient

    async def two_runs() -> tuple[list, dict]:
        async with PrefectClient(served["api"]) as client:
            deployment = await client.read_deployment_by_name("vendor-briefings/weekly-briefings")
            parameters = {"vendors": ["openai"], "as_of": AS_OF.isoformat(), "sources_dir": str(FIXTURE_SOURCES),
                          "formats": ["pdf"], "warehouse": str(tmp_path / "warehouse.duckdb"), "out_dir": str(tmp_path / "out")}
            runs = [await client.create_flow_run_from_deployment(deployment.id, parameters=parameters) for _ in range(2)]
            deadline = time.time() + 300
            while True:
                runs = [await client.read_flow_run(r.id) for r in runs]
                if all(r.state.is_final() for r in runs) or time.time() > deadline:
                    break
                await asyncio.sleep(0.5)
            first = min(runs, key=lambda r: r.start_time)
            return runs, await components_of(client, first)

    (one, two), first_parts = asyncio.run(two_runs())
    assert one.state.is_completed() and two.state.is_completed(), (one.state, two.state)
    assert two.start_time >= one.end_time or one.start_time >= two.end_time
    assert {"ingest", "validate data", "metrics", "render"} <= set(first_parts), first_parts
    assert (tmp_path / "out" / "latest" / "openai.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_the_prefect_server_listens_on_loopback_only(served):
    port = int(re.search(r":(\d+)/api", served["api"]).group(1))
    out = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout if shutil.which("ss") else ""
    lines = [line for line in out.splitlines() if f":{port} " in line]
    assert all("127.0.0.1" in line for line in lines)
    with pytest.raises(OSError):
        socket.create_connection((_outside_address(), port), timeout=2)


def _outside_address() -> str:
    """An address of this machine other than loopback (or a reserved one when there is none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            addr = s.getsockname()[0]
        except OSError:
            addr = "192.0.2.1"
    return addr if not addr.startswith("127.") else "192.0.2.1"


@pytest.mark.slow
def test_an_older_edition_leaves_latest_alone(published):
    """latest/ holds the newest edition: a run for an earlier date publishes editions/<date>/ only."""
    latest = tree(published / "out" / "latest")
    result = invoke(published, ["run", "--formats", "pdf", "--as-of", "2026-11-01", "--vendors", "mistral"])
    assert result.exit_code == 0, result.output
    assert tree(published / "out" / "latest") == latest
    assert (published / "out" / "editions" / "2026-11-01" / "mistral.pdf").stat().st_size > 10_000
