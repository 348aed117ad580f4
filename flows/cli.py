"""The `vendorbrief` command."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

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
REPORTS_PORT = 4280  # flows.report.server.DEFAULT_PORT (not imported here: the command line starts fast)


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


def _debug(debug: bool) -> None:
    """--debug: tracebacks everywhere, the Prefect log's included (flows/orchestration/logs.py)."""
    from flows.orchestration.logs import DEBUG_ENV

    if debug:
        os.environ[DEBUG_ENV] = "1"


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
    # Refused parameters are refused at once, before the embedded Prefect server starts (the flow checks again).
    runlib.check_params(params)
    from flows.orchestration import logs

    # This command prints an expected error itself: the flow's line goes to the Prefect log only.
    os.environ[logs.QUIET_CONSOLE_ENV] = "1"
    from flows.orchestration.pipeline import vendor_briefings

    return vendor_briefings(
        as_of=params.as_of.isoformat(), vendors=params.vendors, peers=params.peers, profile=params.profile,
        currency=params.currency, formats=list(params.formats), warehouse=str(params.warehouse),
        out_dir=str(params.out_dir), full=params.full, changed_only=params.changed_only, page_size=params.page_size,
        archival=params.archival, render=params.render, litellm_source=params.litellm_source,
        litellm_as_of=params.litellm_as_of, genai_prices_source=params.genai_prices_source,
        genai_prices_as_of=params.genai_prices_as_of, dask_address=dask_address,
        lock_wait_seconds=params.lock_wait_seconds, sources_dir=str(params.sources_dir))


@app.command()
def run(
    as_of: Annotated[str | None, typer.Option(help="Edition date YYYY-MM-DD: facts and prices as known that day. Default: today.")] = None,
    vendors: Annotated[list[str] | None, typer.Option(help="Vendor ids to brief (comma-separated or repeated). Default: all.")] = None,
    peers: Annotated[list[str] | None, typer.Option(help="Vendor ids for the competitive landscape. Default: data/config/briefing.yaml.")] = None,
    profile: Annotated[str | None, typer.Option(help="Workload profile of the comparisons (data/config/profiles.yaml).")] = None,
    formats: Annotated[str, typer.Option(help="pdf, html or pdf,html.")] = "pdf,html",
    warehouse: Annotated[Path, typer.Option(help="Warehouse file.")] = DEFAULT_WAREHOUSE,
    out: Annotated[Path, typer.Option("--out", help="Output folder: latest/ and editions/<as-of>/ go inside.")] = DEFAULT_OUT_DIR,
    full: Annotated[bool, typer.Option(help="Run every stage even when its inputs did not change.")] = False,
    changed_only: Annotated[bool, typer.Option(help="Re-render only briefings whose data changed; keep the others even under an earlier date.")] = False,
    page_size: Annotated[str, typer.Option(help="A4 or Letter.")] = "A4",
    archival: Annotated[bool, typer.Option(help="Write PDF/A-3b files.")] = False,
    currency: Annotated[str, typer.Option(help="Currency of the amounts: an ISO 4217 code the ECB quotes (USD, EUR, GBP, ...), at the ECB rate of the edition date.")] = "USD",
    dask: Annotated[str | None, typer.Option(help="Render on this Dask scheduler (tcp://host:8786), or 'local'.")] = None,
    sources: Annotated[Path, typer.Option(help="Folder of curated facts (data/sources layout).")] = SOURCES_DIR,
    plain: Annotated[bool, typer.Option(help="Call the stages as plain functions, without Prefect.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Run the whole pipeline: ingest, validate, metrics, render; publish only if all succeed."""
    from flows.run import RunParams

    _debug(debug)
    try:
        params = RunParams(
            as_of=_date(as_of, "--as-of") or date.today(), warehouse=warehouse.absolute(), out_dir=out.absolute(),
            vendors=_split(vendors), peers=_split(peers), profile=profile,
            formats=tuple(f.strip() for f in formats.split(",") if f.strip()), page_size=page_size,
            archival=archival, full=full, changed_only=changed_only, sources_dir=sources.absolute(),
            currency=currency.strip().upper())
        summary = _run(params, plain, dask)
    except typer.BadParameter:
        raise
    except BaseException as exc:  # noqa: BLE001 - _fail re-raises what is not ours
        _fail(exc, debug)
    _print_summary(summary)


@ingest_app.command("ecb")
def ingest_ecb(
    url: Annotated[str | None, typer.Argument(help="URL (or path) of the ECB's eurofxref-hist file; default: currencyconverter's ECB_URL.")] = None,
    sources: Annotated[Path, typer.Option(help="Folder of curated facts (data/sources layout); the rates go to its ecb/ folder.")] = SOURCES_DIR,
) -> None:
    """Refresh the ECB reference rates runs on these sources convert with (<sources>/ecb/eurofxref-hist.zip):
    a bad file is refused, offline the rates in use stay (a warning)."""
    from flows.errors import InputError
    from flows.sources import ecb

    try:
        _, message = ecb.refresh(url, sources)
    except InputError as exc:
        Console(stderr=True).print(f"refused: {str(exc).splitlines()[0]}", markup=False, highlight=False,
                                   soft_wrap=True)
        raise typer.Exit(1) from None
    Console(stderr=message.startswith("warning")).print(message, markup=False, highlight=False, soft_wrap=True)


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
    snapshot_as_of = _date(as_of, "--as-of")
    summary = _ingest_catalog(warehouse, out, sources, plain, debug, snapshot_as_of,
                              litellm_source=source, litellm_as_of=snapshot_as_of)
    _print_catalog_load(summary, warehouse, "LiteLLM", "litellm")


@ingest_app.command("genai-prices")
def ingest_genai_prices(
    source: Annotated[str, typer.Argument(help="Path or http(s) URL of a genai-prices data file (.json or .json.gz), "
                                               "the format of genai_prices.update_prices.DEFAULT_UPDATE_URL.")],
    as_of: Annotated[str, typer.Option(help="Date the data file describes, YYYY-MM-DD.")],
    warehouse: Annotated[Path, typer.Option(help="Warehouse file.")] = DEFAULT_WAREHOUSE,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = DEFAULT_OUT_DIR,
    sources: Annotated[Path, typer.Option(help="Folder of curated facts (data/sources layout).")] = SOURCES_DIR,
    plain: Annotated[bool, typer.Option(help="Call the stages as plain functions, without Prefect.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Add a genai-prices data file (published between package releases) to the price history."""
    snapshot_as_of = _date(as_of, "--as-of")
    summary = _ingest_catalog(warehouse, out, sources, plain, debug, snapshot_as_of,
                              genai_prices_source=source, genai_prices_as_of=snapshot_as_of)
    _print_catalog_load(summary, warehouse, "genai-prices", "genai_prices")


def _ingest_catalog(warehouse: Path, out: Path, sources: Path, plain: bool, debug: bool, snapshot_as_of: date,
                    **catalog) -> dict:
    """A run without briefings that adds one catalog snapshot (RunParams fields in `catalog`)."""
    from flows.run import RunParams

    _debug(debug)  # --debug: the tracebacks in the Prefect log too, not only in the terminal
    try:
        params = RunParams(as_of=max(snapshot_as_of, date.today()), warehouse=warehouse.absolute(), out_dir=out.absolute(),
                           render=False, sources_dir=sources.absolute(), **catalog)
        summary = _run(params, plain, None)
    except BaseException as exc:  # noqa: BLE001
        _fail(exc, debug)
    _print_summary(summary)
    return summary


def _print_catalog_load(summary: dict, warehouse: Path, label: str, prefix: str) -> None:
    """How many snapshots the catalog holds and how many are new, what happened to a snapshot
    already known (moved earlier, or nothing), and each snapshot's entries by outcome."""
    from flows.warehouse.store import connect_read_only, read_file

    ingested = summary.get("counts", {})
    if "ingest" in summary.get("stages_skipped", []):
        console.print(f"{label}: inputs unchanged since the last run (same file, same date): nothing new")
    else:
        console.print(f"{label} snapshots in the warehouse: {ingested.get(f'{prefix}_snapshots', '?')} "
                      f"({ingested.get(f'{prefix}_snapshots_added', 0)} new)")
    for message in ingested.get(f"{prefix}_messages", []):
        console.print(message, highlight=False, markup=False, soft_wrap=True)
    with connect_read_only(warehouse.absolute()) as con:
        rows = read_file(con, f"reads/{prefix}_snapshot_counts.sql").rows(named=True)
    console.print(f"{label} snapshots, entries by outcome:")
    for r in rows:
        counts = [f"{r['priced']} priced", f"{r['quarantined']} quarantined", f"{r['no_token_price']} without a token price"]
        if "aliases" in r:
            counts.append(f"{r['aliases']} aliases")
        line = ", ".join(c.replace("None", "?") for c in counts)
        console.print(f"  {r['snapshot']} (as of {r['as_of']}): {line}", highlight=False, markup=False, soft_wrap=True)


@app.command()
def validate(
    warehouse: Annotated[Path, typer.Option(help="Warehouse file.")] = DEFAULT_WAREHOUSE,
    out: Annotated[Path, typer.Option("--out", help="Folder for the data-quality report (data-quality-check.html).")] = DEFAULT_OUT_DIR,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Run the data-quality suites on the published warehouse (read-only) and report."""
    import duckdb

    from flows.errors import VendorbriefError
    from flows.quality import suites as quality
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
    out: Annotated[Path, typer.Option("--out", help="Output folder (also served by the report server).")] = DEFAULT_OUT_DIR,
    litellm_url: Annotated[str, typer.Option(help="Where daily-prices fetches the LiteLLM cost map: an http(s) URL (a mirror) or a local file (.json or .json.gz).")] =
        "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
    genai_prices_url: Annotated[str | None, typer.Option(help="Where daily-prices fetches the genai-prices data file: an http(s) URL (a mirror) or a local file (.json or .json.gz). Default: genai_prices.update_prices.DEFAULT_UPDATE_URL.")] = None,
    reports_port: Annotated[int, typer.Option(help="Port of the report server (127.0.0.1) the artifacts' PDF links open.")] = REPORTS_PORT,
    poll_seconds: Annotated[float, typer.Option(help="Seconds between two looks for runs to start (Prefect's default: 10).")] = 1.0,
    spawn_runs: Annotated[bool, typer.Option(help="Start each run in a new process that imports everything (Prefect's own start, slower) instead of forking it from a warm one; restart serve after changing the code either way.")] = False,
    debug: Annotated[bool, typer.Option(help="Keep the tracebacks of expected errors in the runs' logs.")] = False,
) -> None:
    """Serve the deployments weekly-briefings and daily-prices (needs `vendorbrief server`), and the
    briefings over HTTP on 127.0.0.1 for the artifacts' links."""
    from flows.orchestration.deploy import GENAI_PRICES_URL, serve_deployments

    _debug(debug)
    serve_deployments(warehouse.absolute(), out.absolute(), litellm_url, reports_port, poll_seconds,
                      genai_prices_url or GENAI_PRICES_URL, spawn_runs)


@app.command()
def reports(
    out: Annotated[Path, typer.Option("--out", help="Output folder to serve (latest/ and editions/ inside).")] = DEFAULT_OUT_DIR,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = REPORTS_PORT,
) -> None:
    """Serve the briefings over HTTP on 127.0.0.1, read-only (PDF and HTML files only): what the
    PDF links of the Prefect UI open. `vendorbrief serve` starts the same server itself."""
    from flows.report.server import base_url, make_server

    try:
        httpd = make_server(out.absolute(), port)
    except OSError as exc:
        err.print(f"[bold red]error:[/] 127.0.0.1:{port}: cannot serve the reports ({exc.strerror}); try --port",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None
    console.print(f"Briefings of {out.absolute()}: {base_url(httpd.server_port)}/  (read-only; Ctrl-C stops it)")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


@app.command()
def server(
    port: Annotated[int, typer.Option(help="Port of the Prefect server and UI.")] = 4200,
) -> None:
    """Start a local Prefect server and UI on 127.0.0.1 (state under .prefect/)."""
    from flows.orchestration.deploy import start_server

    sys.exit(start_server(port))


if __name__ == "__main__":
    app()
