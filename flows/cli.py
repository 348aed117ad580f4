"""The `vendorbrief` command."""

from __future__ import annotations

import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from flows.settings import DEFAULT_OUT_DIR, DEFAULT_WAREHOUSE, PREFECT_HOME, SOURCES_DIR

# Prefect keeps its state (embedded database, settings) under the project unless told otherwise,
# and sends no telemetry: vendorbrief runs offline.
os.environ.setdefault("PREFECT_HOME", str(PREFECT_HOME))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The embedded server migrates its database on first start: slow machines need more than 20 s.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Trustworthy, sourced PDF briefings on AI/LLM vendors from a validated DuckDB warehouse.")
ingest_app = typer.Typer(no_args_is_help=True, help="Load more source data into the warehouse.")
app.add_typer(ingest_app, name="ingest")
console = Console(stderr=False)
err = Console(stderr=True)

EXIT_INPUT, EXIT_BUSY = 1, 3


def _split(values: list[str] | None) -> list[str] | None:
    """Accept `--vendors a,b` as well as `--vendors a --vendors b`."""
    if not values:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date YYYY-MM-DD, got {value[:40]!r}", param_hint=option) from None


class _NoTraceback(logging.Filter):
    """Expected failures are explained in one line; their tracebacks only help with --debug."""

    def filter(self, record: logging.LogRecord) -> bool:
        from flows.errors import VendorbriefError

        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, VendorbriefError):
            record.exc_info, record.exc_text = None, None
        return True


def _quiet_expected_errors() -> None:
    import prefect  # noqa: F401 - configures Prefect's logging

    for logger in [logging.getLogger(), *[logging.getLogger(n) for n in list(logging.root.manager.loggerDict)]]:
        for handler in getattr(logger, "handlers", []):
            handler.addFilter(_NoTraceback())


def _fail(exc: BaseException, debug: bool) -> None:
    from flows.errors import RunLockedError, VendorbriefError

    if debug or not isinstance(exc, VendorbriefError):
        raise exc
    err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(EXIT_BUSY if isinstance(exc, RunLockedError) else EXIT_INPUT)


def _print_summary(summary: dict) -> None:
    q = summary.get("quality") or {}
    console.print(f"[bold]run {summary['run_id']}[/]: {summary['status']} · edition {summary['as_of']}")
    console.print(f"stages run: {', '.join(summary['stages_run']) or 'none'} · skipped (inputs unchanged): "
              f"{', '.join(summary['stages_skipped']) or 'none'}")
    console.print(f"data quality: {q.get('expectations', 0)} expectations, {q.get('errors', 0)} errors, "
              f"{q.get('warnings', 0)} warnings, {q.get('quarantined_rows', 0)} rows quarantined")
    console.print(f"warehouse: {summary['warehouse']}")
    pdfs = [f for f in summary.get("files", []) if f.endswith(".pdf")]
    if pdfs:
        console.print(f"briefings: {Path(pdfs[0]).parent}/ ({', '.join(Path(p).name for p in pdfs)})")
    if summary.get("render_skipped"):
        console.print(f"unchanged briefings kept: {', '.join(summary['render_skipped'])}")


def _run(params, plain: bool, dask_address: str | None) -> dict:
    from flows import run as runlib

    if plain:
        return runlib.execute(params, runlib.PlainRunner()).as_dict()
    _quiet_expected_errors()
    from flows.orchestration.pipeline import vendor_briefings

    return vendor_briefings(
        as_of=params.as_of, vendors=params.vendors, peers=params.peers, profile=params.profile,
        formats=list(params.formats), warehouse=str(params.warehouse), out_dir=str(params.out_dir), full=params.full,
        changed_only=params.changed_only, page_size=params.page_size, archival=params.archival, render=params.render,
        litellm_source=params.litellm_source, litellm_as_of=params.litellm_as_of, dask_address=dask_address,
        sources_dir=str(params.sources_dir))


@app.command()
def run(
    as_of: Annotated[Optional[str], typer.Option(help="Edition date YYYY-MM-DD: facts and prices as known that day. Default: today.")] = None,
    vendors: Annotated[Optional[list[str]], typer.Option(help="Vendor ids to brief (comma-separated or repeated). Default: all.")] = None,
    peers: Annotated[Optional[list[str]], typer.Option(help="Vendor ids for the competitive landscape. Default: data/config/briefing.yaml.")] = None,
    profile: Annotated[Optional[str], typer.Option(help="Workload profile of the comparisons (data/config/profiles.yaml).")] = None,
    formats: Annotated[str, typer.Option(help="pdf, html or pdf,html.")] = "pdf,html",
    warehouse: Annotated[Path, typer.Option(help="Warehouse file.")] = DEFAULT_WAREHOUSE,
    out: Annotated[Path, typer.Option("--out", help="Output folder: latest/ and editions/<as-of>/ go inside.")] = DEFAULT_OUT_DIR,
    full: Annotated[bool, typer.Option(help="Run every stage even when its inputs did not change.")] = False,
    changed_only: Annotated[bool, typer.Option(help="Re-render only briefings whose data changed; keep the others even under an earlier date.")] = False,
    page_size: Annotated[str, typer.Option(help="A4 or Letter.")] = "A4",
    archival: Annotated[bool, typer.Option(help="Write PDF/A-3b files.")] = False,
    dask: Annotated[Optional[str], typer.Option(help="Render on this Dask scheduler (tcp://host:8786), or 'local'.")] = None,
    sources: Annotated[Path, typer.Option(help="Folder of curated facts (data/sources layout).")] = SOURCES_DIR,
    plain: Annotated[bool, typer.Option(help="Call the stages as plain functions, without Prefect.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Run the whole pipeline: ingest, validate, metrics, render; publish only if all succeed."""
    from flows.run import RunParams

    try:
        params = RunParams(
            as_of=_date(as_of, "--as-of") or date.today(), warehouse=warehouse.absolute(), out_dir=out.absolute(),
            vendors=_split(vendors), peers=_split(peers), profile=profile,
            formats=tuple(f.strip() for f in formats.split(",") if f.strip()), page_size=page_size,
            archival=archival, full=full, changed_only=changed_only, sources_dir=sources.absolute())
        summary = _run(params, plain, dask)
    except typer.BadParameter:
        raise
    except BaseException as exc:  # noqa: BLE001 - _fail re-raises what is not ours
        _fail(exc, debug)
    _print_summary(summary)


@ingest_app.command("litellm")
def ingest_litellm(
    source: Annotated[str, typer.Argument(help="Path or http(s) URL of a LiteLLM model_prices_and_context_window JSON (.json or .json.gz).")],
    as_of: Annotated[str, typer.Option(help="Date the snapshot describes, YYYY-MM-DD.")],
    warehouse: Annotated[Path, typer.Option(help="Warehouse file.")] = DEFAULT_WAREHOUSE,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = DEFAULT_OUT_DIR,
    sources: Annotated[Path, typer.Option(help="Folder of curated facts (data/sources layout).")] = SOURCES_DIR,
    plain: Annotated[bool, typer.Option(help="Call the stages as plain functions, without Prefect.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Add a LiteLLM cost-map snapshot to the price history (validated; briefings on the next run)."""
    from flows.run import RunParams

    snapshot_as_of = _date(as_of, "--as-of")
    try:
        params = RunParams(as_of=max(snapshot_as_of, date.today()), warehouse=warehouse.absolute(), out_dir=out.absolute(),
                           render=False, litellm_source=source, litellm_as_of=snapshot_as_of,
                           sources_dir=sources.absolute())
        summary = _run(params, plain, None)
    except BaseException as exc:  # noqa: BLE001
        _fail(exc, debug)
    _print_summary(summary)
    ingested = summary.get("counts", {})
    console.print(f"LiteLLM snapshots in the warehouse: {ingested.get('litellm_snapshots', '?')} "
              f"({ingested.get('litellm_snapshots_added', 0)} new)")


@app.command()
def validate(
    warehouse: Annotated[Path, typer.Option(help="Warehouse file.")] = DEFAULT_WAREHOUSE,
    out: Annotated[Path, typer.Option("--out", help="Folder for the data-quality report (data-quality-check.html).")] = DEFAULT_OUT_DIR,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Run the data-quality suites on the published warehouse (read-only) and report."""
    import duckdb

    from flows.quality import suites as quality
    from flows.errors import VendorbriefError
    from flows.warehouse.store import connect_read_only
    from flows.warehouse.store import first_row as warehouse_first_row

    try:
        with connect_read_only(warehouse.absolute()) as con:
            try:
                context = warehouse_first_row(con, "select run_id, as_of from raw.run_context")
            except duckdb.Error:
                context = None
            if context is None:
                raise VendorbriefError(f"{warehouse}: not a vendorbrief warehouse (no run context); run `vendorbrief run`")
            run_id, as_of = context
            outcome = quality.validate(con, run_id, as_of)
            report = _quality_report(con, outcome, as_of, out.absolute())
    except BaseException as exc:  # noqa: BLE001
        _fail(exc, debug)
    table = Table("severity", "suite", "expectation", "rows", title=f"Failed expectations (warehouse as of {as_of})")
    for r in outcome.errors + outcome.warnings:
        table.add_row(r["severity"], r["suite"], r["expectation"], str(r["unexpected_count"] or "–"))
    console.print(table)
    s = outcome.summary()
    console.print(f"{s['suites']} suites, {s['expectations']} expectations: {s['errors']} errors, {s['warnings']} warnings, "
              f"{s['quarantined_rows']} rows that would be quarantined. Report: {report}")
    if outcome.errors:
        raise typer.Exit(EXIT_INPUT)


def _quality_report(con, outcome, as_of: date, out_dir: Path) -> Path:
    from flows.report.stage import quality_page_html

    html = quality_page_html("check", as_of, outcome.results, outcome.quarantined)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "data-quality-check.html"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path


@app.command()
def serve(
    warehouse: Annotated[Path, typer.Option(help="Warehouse file.")] = DEFAULT_WAREHOUSE,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = DEFAULT_OUT_DIR,
    litellm_url: Annotated[str, typer.Option(help="Where daily-prices fetches the LiteLLM cost map.")] =
        "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
) -> None:
    """Serve the deployments weekly-briefings and daily-prices (needs `vendorbrief server`)."""
    from flows.orchestration.deploy import serve_deployments

    serve_deployments(warehouse.absolute(), out.absolute(), litellm_url)


@app.command()
def server(
    port: Annotated[int, typer.Option(help="Port of the Prefect server and UI.")] = 4200,
) -> None:
    """Start a local Prefect server and UI on 127.0.0.1 (state under .prefect/)."""
    from flows.orchestration.deploy import start_server

    sys.exit(start_server(port))


if __name__ == "__main__":
    app()
