"""The Prefect flows, under one test harness for the module (about 15 s to start: slow)."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

import pytest
from flows.errors import InputError
from flows.orchestration.pipeline import vendor_briefings
from prefect.client.orchestration import get_client
from prefect.testing.utilities import prefect_test_harness

from .conftest import FIXTURE_SOURCES
from .harness import failing_server, run_logs

# Starts a Prefect server; with pytest-xdist the whole module goes to one worker (one harness).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("prefect-harness")]


@pytest.fixture
def no_backoff(monkeypatch):
    """The snapshot fetch with its retries but without waiting between them (the delays
    themselves are checked in test_the_fetch_retries_three_times_with_exponential_backoff)."""
    from flows.orchestration import ingest as ingest_flow

    fast = ingest_flow.fetch_snapshot.with_options(retry_delay_seconds=0, retry_jitter_factor=None)
    monkeypatch.setattr(ingest_flow, "fetch_snapshot", fast)
    return fast


@pytest.fixture(scope="module")
def harness():
    with prefect_test_harness(server_startup_timeout=180):
        yield


def _params(tmp_path, **kw):
    return {"warehouse": str(tmp_path / "warehouse.duckdb"), "out_dir": str(tmp_path / "out"),
            "sources_dir": str(FIXTURE_SOURCES), "as_of": date(2026, 11, 29), **kw}


async def _runs_and_artifacts(flow_run_id):
    async with get_client() as client:
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, FlowRunFilter, FlowRunFilterParentFlowRunId
        children = await client.read_flow_runs(flow_run_filter=FlowRunFilter(
            parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[flow_run_id])))
        task_runs = await client.read_task_runs()
        subflow_ids = {t.state.state_details.child_flow_run_id for t in task_runs if t.flow_run_id == flow_run_id}
        artifacts = await client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
        return children, subflow_ids, artifacts


SECRET = "sk-test-7f3c9e1d5b"


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter().format(record))


@pytest.fixture(scope="module")
def mistral_run(harness, tmp_path_factory):
    """One run of the parent flow (mistral's briefing) with API keys in the environment: its
    folder, final state, artifacts, and every log line it emitted (with tracebacks)."""
    tmp = tmp_path_factory.mktemp("flow")
    lines = _Lines()
    logging.getLogger().addHandler(lines)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("OPENAI_API_KEY", SECRET)
            mp.setenv("PREFECT_API_KEY", SECRET)
            state = vendor_briefings(**_params(tmp, vendors=["mistral"], formats=["pdf"]), return_state=True)
    finally:
        logging.getLogger().removeHandler(lines)
    _, _, artifacts = asyncio.run(_runs_and_artifacts(state.state_details.flow_run_id))
    return {"dir": tmp, "state": state, "artifacts": artifacts, "log": lines.lines}


async def _logs(flow_run_id, wait_for: str) -> list:
    async with get_client() as client:
        return await run_logs(client, flow_run_id, wait_for)


def test_parent_flow_runs_the_stages_and_publishes_artifacts(mistral_run):
    state = mistral_run["state"]
    assert state.is_completed()
    summary = state.result()
    assert summary["status"] == "success"
    assert (mistral_run["dir"] / "out" / "latest" / "mistral.pdf").exists()
    assert summary["rendered"] == ["mistral"]  # a run for some vendors renders only their briefings
    artifacts = mistral_run["artifacts"]
    kinds = {a.type for a in artifacts}
    keys = {a.key for a in artifacts}
    assert {"markdown", "table"} <= kinds  # Prefect stores link artifacts as markdown
    assert {"run-summary", "data-quality", "briefing-mistral"} <= keys


def test_a_catalog_file_that_cannot_be_read_fails_at_once_in_one_log_line(harness, tmp_path):
    """A local LiteLLM file that does not exist: no retry, one ERROR line naming it, no traceback."""
    missing = tmp_path / "no-such-map.json"
    state = vendor_briefings(**_params(tmp_path, litellm_source=str(missing), litellm_as_of=date(2026, 11, 28)),
                             return_state=True)
    assert state.is_failed()
    logs = asyncio.run(_logs(state.state_details.flow_run_id, wait_for=str(missing)))
    errors = [l.message for l in logs if l.level >= logging.ERROR]
    assert len(errors) == 1 and str(missing) in errors[0], errors
    assert not [l for l in logs if "Traceback" in l.message or "Retry" in l.message]


def test_no_secret_reaches_logs_or_artifacts(mistral_run):
    assert len(mistral_run["log"]) > 10 and any("Finished in state Completed" in line for line in mistral_run["log"])
    assert not [line for line in mistral_run["log"] if SECRET in line]
    assert mistral_run["artifacts"] and all(SECRET not in str(a.data) for a in mistral_run["artifacts"])


def test_second_run_with_nothing_changed_skips_the_stages(harness, published):
    """The published warehouse and briefings of a run on the same inputs (the session's):
    the flow skips every stage and re-renders no briefing."""
    again = vendor_briefings(**_params(published, formats=["pdf"]))
    assert again["stages_skipped"] == ["ingest", "transform", "validate", "metrics"]
    assert again["rendered"] == [] and set(again["render_skipped"]) == {"mistral", "openai", "landscape"}


def test_a_bad_parameter_fails_before_any_stage(harness, tmp_path):
    state = vendor_briefings(**_params(tmp_path, vendors=["not-a-vendor"]), return_state=True)
    assert state.is_failed()
    with pytest.raises(InputError, match="unknown vendor 'not-a-vendor'"):
        state.result()
    assert not (tmp_path / "warehouse.duckdb").exists()
    assert not list(tmp_path.glob(".warehouse.duckdb.build-*"))


def test_a_parameter_of_the_wrong_type_is_refused_by_prefect(harness, tmp_path):
    from prefect.exceptions import ParameterTypeError

    with pytest.raises(ParameterTypeError):
        vendor_briefings(**{**_params(tmp_path), "as_of": "the day after tomorrow"})
    with pytest.raises(ParameterTypeError):
        vendor_briefings(**{**_params(tmp_path), "formats": ["docx"]})


def test_render_fans_out_to_a_local_dask_cluster(harness, tmp_path, fixture_run):
    """On a copy of the session warehouse with no briefing published yet: the render stage runs
    on the Dask cluster and renders every briefing (the other stages are skipped: same inputs)."""
    import shutil

    shutil.copyfile(fixture_run["warehouse"], tmp_path / "warehouse.duckdb")
    summary = vendor_briefings(**_params(tmp_path, formats=["pdf"], dask_address="local"))
    assert summary["rendered"] == ["landscape", "mistral", "openai"]
    for name in summary["rendered"]:
        assert (tmp_path / "out" / "latest" / f"{name}.pdf").stat().st_size > 10_000
    # the cluster's scratch folder was inside the render's own temporary folder, which is gone
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name in (".tmp", "dask-scratch-space")]


def test_the_fetch_retries_three_times_with_exponential_backoff():
    """The policy of the task that fetches a LiteLLM snapshot: 3 retries, 2, 4 then 8 s apart
    (with 20 % jitter), only for failures a retry can mend."""
    from flows.orchestration import ingest as ingest_flow

    task = ingest_flow.fetch_snapshot
    assert task.retries == 3
    assert task.retry_delay_seconds == [2, 4, 8]
    assert task.retry_jitter_factor == 0.2
    assert task.retry_condition_fn is ingest_flow._network_failure


def test_litellm_fetch_retries_then_fails_keeping_the_previous_snapshot(harness, tmp_path, fixture_run, no_backoff):
    import shutil

    shutil.copyfile(fixture_run["warehouse"], tmp_path / "warehouse.duckdb")  # the last good warehouse
    before = (tmp_path / "warehouse.duckdb").read_bytes()
    state = vendor_briefings(**_params(tmp_path, litellm_source="http://127.0.0.1:9/prices.json",
                                       litellm_as_of=date(2026, 11, 28)), return_state=True)
    assert state.is_failed()
    assert (tmp_path / "warehouse.duckdb").read_bytes() == before
    journal = (tmp_path / "warehouse.duckdb.runs.jsonl").read_text()
    assert "ConnectError" in journal or "Connection refused" in journal


@pytest.mark.parametrize(("status", "requests"), [(500, 4), (404, 1)], ids=["500-retried", "404-not-retried"])
def test_a_failing_catalog_url_is_retried_only_when_a_retry_can_mend_it(harness, tmp_path, no_backoff, status, requests):
    """A 500 is tried once and retried three times; a 404 is not a failure a retry can mend: one
    request. Either way the run fails cleanly, writes no warehouse, and its log holds one ERROR
    line (the flow's) and no traceback; the retries are INFO lines."""
    server, hits = failing_server(status)
    try:
        state = vendor_briefings(**_params(tmp_path, litellm_source=f"http://127.0.0.1:{server.server_port}/prices.json",
                                           litellm_as_of=date(2026, 11, 28)), return_state=True)
    finally:
        server.shutdown()
    assert state.is_failed()
    assert len(hits) == requests
    assert not (tmp_path / "warehouse.duckdb").exists()
    logs = asyncio.run(_logs(state.state_details.flow_run_id, wait_for="cannot fetch the LiteLLM snapshot"))
    errors = [l.message for l in logs if l.level >= logging.ERROR]
    assert len(errors) == 1 and "cannot fetch the LiteLLM snapshot" in errors[0] and f"{status} " in errors[0], errors
    assert not [l for l in logs if "Traceback" in l.message]
    assert sum("Retry" in l.message for l in logs) == requests - 1
