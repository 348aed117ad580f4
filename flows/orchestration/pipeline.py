"""The parent flow `vendor-briefings`: ingest, validate, metrics and render, in order, as
subflows; publishes the warehouse and the briefings only when every stage succeeded."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, get_type_hints

from prefect import flow, get_run_logger
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run
from pydantic import BeforeValidator, Field

from flows import run as runlib
from flows.errors import InputError
from flows.orchestration import ingest as ingest_flow
from flows.orchestration import logs
from flows.orchestration import metrics as metrics_flow
from flows.orchestration import render as render_flow
from flows.orchestration import validate as validate_flow
from flows.settings import DEFAULT_OUT_DIR, DEFAULT_WAREHOUSE, SOURCES_DIR
from flows.warehouse.store import run_file

logs.install()  # one line per expected error, here and in the runs `vendorbrief serve` starts


class PrefectRunner:
    """Runs each stage as its Prefect flow (see flows/run.py for the plain runner)."""

    def __init__(self, dask_address: str | None = None):
        self.dask_address = dask_address

    def fetch_snapshot(self, source: str) -> bytes:
        """See StageRunner (flows/run.py): here as Prefect flows, with retries where a network is involved."""
        return ingest_flow.fetch_snapshot(source)

    def ingest(self, build_path: str, extra_snapshot: str | None, extra_as_of: date | None, sources_dir: str,
               extra_source: str | None, genai_snapshot: str | None = None, genai_as_of: date | None = None,
               genai_source: str | None = None) -> dict:
        """See StageRunner."""
        return ingest_flow.ingest(build_path, extra_snapshot, extra_as_of, sources_dir, extra_source,
                                  genai_snapshot, genai_as_of, genai_source)

    def transform(self, build_path: str) -> dict:
        """See StageRunner."""
        return ingest_flow.transform(build_path)

    def validate(self, build_path: str, run_id: str, as_of: date, phase: str) -> dict:
        """See StageRunner."""
        return validate_flow.validate(build_path, run_id, as_of, phase)

    def metrics(self, build_path: str, run_id: str, as_of: date, profile: str | None = None) -> dict:
        """See StageRunner."""
        return metrics_flow.metrics(build_path, run_id, as_of, profile)

    def render(self, build_path: str, out_dir: str, run_id: str, params: dict) -> dict:
        """See StageRunner; with a Dask address, briefings render on that cluster."""
        as_of = date.fromisoformat(params["as_of"])
        # "local" starts a throw-away local cluster; anything else is an existing scheduler's address.
        return render_flow.render(build_path, out_dir, as_of, params, self.dask_address)


def _iso_date(value: Any) -> Any:
    """A date given as a date object (Python callers) as its ISO text; None as empty."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else value


def _none_as(empty: Any) -> BeforeValidator:
    """Python callers may pass None for "empty"; the UI shows a plain field (no None switch)."""
    return BeforeValidator(lambda v: empty if v is None else v)


# Parameters as the UI edits them: dates as text YYYY-MM-DD (a date picker drops a date it cannot
# parse and the run would go ahead with today's; text reaches the run, which refuses it in one line).
DateText = Annotated[str, Field(pattern=r"^\s*(\d{4}-\d{2}-\d{2})?\s*$"), BeforeValidator(_iso_date)]
Text = Annotated[str, _none_as("")]
VendorIds = Annotated[list[str], _none_as([])]


def _parse_date(name: str, text: str) -> date | None:
    """The date of a DateText parameter (None when empty); InputError naming the parameter otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError("parameters", name, name, f"{text[:40]!r} is not a date YYYY-MM-DD ({exc})") from None


def _run_name() -> str:
    """`<deployment> <edition date> <vendors>` (daily-prices: `daily-prices <date>`); `briefings ...` outside
    a deployment."""
    from prefect.runtime import deployment

    p = flow_run.parameters
    day = str(p.get("as_of") or "").strip()[:40] or date.today().isoformat()
    name = deployment.name or "briefings"
    if name == "daily-prices":
        return f"{name} {day}"
    vendors = ",".join(p.get("vendors") or []) or "all-vendors"
    return f"{name} {day} {vendors[:60]}"


@flow(name="vendor-briefings", flow_run_name=_run_name, log_prints=True)
def vendor_briefings(
    as_of: DateText = "",
    vendors: VendorIds = [],  # noqa: B006 - Prefect needs a literal default
    peers: VendorIds = [],  # noqa: B006
    profile: Text = "",
    currency: str = "USD",
    formats: list[Literal["pdf", "html"]] = ["pdf", "html"],  # noqa: B006
    warehouse: str = str(DEFAULT_WAREHOUSE),
    out_dir: str = str(DEFAULT_OUT_DIR),
    full: bool = False,
    changed_only: bool = False,
    page_size: Literal["A4", "Letter"] = "A4",
    archival: bool = False,
    render: bool = True,
    litellm_source: Text = "",
    litellm_as_of: DateText = "",
    litellm_as_of_today: bool = False,
    genai_prices_source: Text = "",
    genai_prices_as_of: DateText = "",
    dask_address: Text = "",
    lock_wait_seconds: float = 0,
    sources_dir: str = str(SOURCES_DIR),
    refresh_ecb_rates: bool = False,
) -> dict:
    """Build, validate and publish the warehouse, then the briefings (PDF links under Artifacts).

    Args:
        as_of: Edition date, YYYY-MM-DD (e.g. 2026-11-29): the briefings show the facts and prices
            known that day. Empty: today. A date after today, or one that does not exist, is refused.
        vendors: Vendor ids to brief, e.g. mistral (one file each in data/sources/vendors/); only
            their briefings are rendered. Empty list: every vendor and the landscape (the run's log
            says so).
        peers: Vendor ids each briefing compares its vendor with. Empty list: default_peers of
            data/config/briefing.yaml.
        profile: Workload profile of the cost comparisons, a name in data/config/profiles.yaml
            (chat, rag, generation, cached-chat). Empty: the file's default (chat).
        currency: Currency of the amounts, an ISO 4217 code the ECB quotes (USD, EUR, GBP, JPY,
            CHF, ...), converted at the ECB reference rate of the edition date. Default USD.
        formats: Files per briefing: pdf and/or html. An empty list is refused.
        warehouse: Path of the DuckDB warehouse file the run reads and publishes, on the machine
            running `vendorbrief serve`.
        out_dir: Folder of the briefings (latest/ and editions/YYYY-MM-DD/ inside), on that machine;
            the report server of `vendorbrief serve` serves it.
        full: Run every stage even when its inputs did not change (minutes instead of seconds).
            Off: stages whose inputs are unchanged are skipped.
        changed_only: Keep a published briefing whose data did not change, even under an earlier
            edition date (daily-prices runs this way). Off: every selected briefing gets this date.
        page_size: Paper size of the PDFs: A4 or Letter.
        archival: Write PDF/A-3b (archival) files.
        render: Render the briefings. Off: only build, validate and publish the warehouse.
        litellm_source: A LiteLLM cost map to add first: an http(s) URL, or a path on the serving
            machine (.json or .json.gz), e.g. a local copy or a mirror. Empty: the bundled snapshots only.
        litellm_as_of: Date the LiteLLM cost map describes, YYYY-MM-DD; needed with litellm_source
            unless litellm_as_of_today. Empty: none.
        litellm_as_of_today: Give the catalogs this run fetches (litellm_source,
            genai_prices_source) the edition date as their as-of date, as daily-prices does.
        genai_prices_source: A genai-prices data file to add first (the format genai-prices
            publishes between releases): an http(s) URL or a path on the serving machine, e.g. a local
            copy or a mirror. daily-prices: genai_prices.update_prices.DEFAULT_UPDATE_URL. Empty: the
            installed genai-prices package only.
        genai_prices_as_of: Date the genai-prices data file describes, YYYY-MM-DD; needed with
            genai_prices_source unless litellm_as_of_today. Empty: none.
        dask_address: Render on this Dask scheduler (tcp://host:8786), or "local" for a throw-away
            local cluster. Empty: a process pool on this machine.
        lock_wait_seconds: Seconds to wait for another run writing the same warehouse before
            failing. 0: fail at once.
        sources_dir: Folder of the curated facts (data/sources layout), on the serving machine.
        refresh_ecb_rates: First download the ECB's reference rates (currencyconverter's ECB_URL)
            into <sources_dir>/ecb/, as `vendorbrief ingest ecb` does (weekly-briefings does). Offline or a bad
            file: a warning, and the rates in use stay.
    """
    given = dict(locals())  # the parameters, before any other local variable
    logger = get_run_logger()
    if given.pop("refresh_ecb_rates"):
        _refresh_ecb_rates(logger, Path(sources_dir) if sources_dir else SOURCES_DIR)
    try:
        params = _run_params(**given)
        runlib.check_params(params)  # refused before anything else is said (execute checks again)
        if params.vendors is None and params.render:
            known = runlib.known_vendor_ids(params.sources_dir)
            # Scheduled runs and daily-prices (changed_only) brief everyone by design; a person who
            # left the list empty should hear it.
            by_design = "auto-scheduled" in (flow_run.tags or []) or params.changed_only
            level = logging.INFO if by_design else logging.WARNING
            logger.log(level, "vendors is empty: briefing every vendor (%d: %s) and the landscape; name vendor "
                              "ids to brief fewer", len(known), ", ".join(known))
        summary = runlib.execute(params, PrefectRunner(dask_address or None))
    except Exception as exc:
        if logs.is_expected(exc):
            logs.report(logger, exc)
        raise
    publish_artifacts(summary, Path(out_dir))
    logger.info("run %s: %s; warehouse %s; %d briefing(s) rendered, %d unchanged",
                summary.run_id, summary.status, summary.warehouse, len(summary.rendered), len(summary.render_skipped))
    return summary.as_dict()


def _refresh_ecb_rates(logger: Any, sources_dir: Path) -> None:
    """The optional first step: fresher ECB reference rates when online (flows/sources/ecb.py refresh)."""
    from flows.errors import InputError
    from flows.sources import ecb

    try:
        _, message = ecb.refresh(sources_dir=sources_dir)
    except (InputError, OSError) as exc:  # a refused file, or a sources folder that cannot be written
        logger.warning("ECB reference rates not refreshed: %s", str(exc).splitlines()[0])
        return
    (logger.warning if message.startswith("warning") else logger.info)(message)


# `vendorbrief serve` starts runs from this flow object (flows/orchestration/warm.py); the pickle
# carries its function by value, without this module's names: its annotations must be objects.
vendor_briefings.fn.__annotations__ = get_type_hints(vendor_briefings.fn, include_extras=True)


def _run_params(as_of: str, vendors: list[str], peers: list[str], profile: str, currency: str, formats: list[str],
                warehouse: str, out_dir: str, full: bool, changed_only: bool, page_size: str, archival: bool,
                render: bool, litellm_source: str, litellm_as_of: str, litellm_as_of_today: bool,
                genai_prices_source: str, genai_prices_as_of: str, dask_address: str, lock_wait_seconds: float,
                sources_dir: str) -> runlib.RunParams:
    """The run's parameters from the flow's: empty texts and lists as None, dates parsed (InputError
    naming the parameter when one does not parse)."""
    edition = _parse_date("as_of", as_of) or date.today()
    today_if = edition if litellm_as_of_today else None
    return runlib.RunParams(
        as_of=edition, warehouse=Path(warehouse), out_dir=Path(out_dir), vendors=list(vendors) or None,
        peers=list(peers) or None, profile=profile.strip() or None, currency=currency.strip().upper(),
        formats=tuple(formats), page_size=page_size, archival=archival, full=full, changed_only=changed_only,
        render=render, litellm_source=litellm_source.strip() or None,
        litellm_as_of=_parse_date("litellm_as_of", litellm_as_of) or (today_if if litellm_source.strip() else None),
        genai_prices_source=genai_prices_source.strip() or None,
        genai_prices_as_of=(_parse_date("genai_prices_as_of", genai_prices_as_of)
                            or (today_if if genai_prices_source.strip() else None)),
        lock_wait_seconds=lock_wait_seconds, sources_dir=Path(sources_dir))


def briefing_links(summary: runlib.RunSummary, out_dir: Path) -> list[dict[str, Any]]:
    """Each briefing of the run (rendered or kept unchanged) with its immutable edition files and
    their report-server URLs (None where no edition holds the file or the server serves another folder)."""
    from flows.report.server import edition_file, file_url

    links = []
    for name in sorted({*summary.rendered, *summary.render_skipped}):
        row: dict[str, Any] = {"name": name, "rendered": name in summary.rendered}
        for fmt in ("pdf", "html"):
            path = edition_file(out_dir, summary.as_of.isoformat(), name, fmt)
            row[fmt] = path
            row[f"{fmt}_url"] = file_url(path, out_dir) if path else None
        row["edition"] = row["pdf"].parent.name if row["pdf"] else (row["html"].parent.name if row["html"] else None)
        links.append(row)
    return links


def publish_artifacts(summary: runlib.RunSummary, out_dir: Path | None = None) -> None:
    """For the UI: a markdown summary with a table of the briefings linked to their edition files,
    the data-quality results, and one link artifact per PDF (report server URLs; see
    flows/report/server.py)."""
    import duckdb

    from flows.report.server import file_url

    if out_dir is None:  # the folder of latest/
        out_dir = Path(summary.files[0]).parent.parent if summary.files else Path(".")
    q = summary.quality
    links = briefing_links(summary, out_dir)

    def cell(url: str | None, text: str) -> str:
        return f"[{text}]({url})" if url else "–"

    quality_page = out_dir / "editions" / summary.as_of.isoformat() / "data-quality.html"
    quality_url = file_url(quality_page, out_dir) if quality_page.is_file() else None
    unserved = any(r["pdf"] and not r["pdf_url"] for r in links)
    lines = [
        f"# vendor-briefings run {summary.run_id}",
        f"Edition **{summary.as_of}** · status **{summary.status}** · warehouse `{summary.warehouse}`",
        "",
        f"- Stages run: {', '.join(summary.stages_run) or 'none'}; skipped (inputs unchanged): "
        f"{', '.join(summary.stages_skipped) or 'none'}",
        f"- Briefings rendered: {', '.join(summary.rendered) or 'none'}; unchanged: {', '.join(summary.render_skipped) or 'none'}",
        f"- Data quality: {q.get('expectations', 0)} expectations, {q.get('errors', 0)} errors, "
        f"{q.get('warnings', 0)} warnings, {q.get('quarantined_rows', 0)} rows quarantined"
        + (f" ({cell(quality_url, 'report')})" if quality_url else ""),
        f"- Price changes since the last edition: {summary.price_changes}",
        "",
        "| briefing | edition | PDF | HTML | this run |", "|---|---|---|---|---|",
        *[f"| {r['name']} | {r['edition'] or '–'} | {cell(r['pdf_url'], 'PDF')} | {cell(r['html_url'], 'HTML')} | "
          f"{'rendered' if r['rendered'] else 'unchanged, kept'} |" for r in links],
        "",
        "Links open the edition's own files (`editions/<as-of>/`), which later runs never replace, through the "
        "report server on 127.0.0.1 (started by `vendorbrief serve`, or `vendorbrief reports --out "
        f"{out_dir}`)." + (f" The running report server serves another folder than `{out_dir}`: open the files "
                           "there." if unserved else ""),
        "",
        "| stage | seconds |", "|---|---|",
        *[f"| {k} | {v:.2f} |" for k, v in summary.timings.items()],
    ]
    create_markdown_artifact("\n".join(lines), key="run-summary", description="Run summary")
    with duckdb.connect(str(summary.warehouse), read_only=True) as con:
        rows = run_file(con, "reads/failed_expectations.sql", {"run_id": summary.run_id})
    create_table_artifact(
        [{"suite": r[0], "expectation": r[1], "severity": r[2], "success": r[3], "rows": r[4],
          "examples": (r[5] or "")[:200]} for r in rows],
        key="data-quality", description="Failed expectations of this run (warnings; errors stop the run)")
    for r in links:
        if r["pdf_url"]:
            create_link_artifact(r["pdf_url"], link_text=f"{r['name']}.pdf (edition {r['edition']})",
                                 key=f"briefing-{r['name']}".lower().replace("_", "-").replace(".", "-"),
                                 description=f"Briefing {r['name']}, edition {r['edition']}"
                                             + ("" if r["rendered"] else " (unchanged, kept)"))
