"""The parent flow `vendor-briefings`: ingest, validate, metrics and render, in order, as
subflows; publishes the warehouse and the briefings only when every stage succeeded."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from prefect import flow, get_run_logger
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run

from flows.orchestration import ingest as ingest_flow
from flows.orchestration import metrics as metrics_flow
from flows.orchestration import render as render_flow
from flows.orchestration import validate as validate_flow
from flows import run as runlib
from flows.settings import DEFAULT_OUT_DIR, DEFAULT_WAREHOUSE, SOURCES_DIR
from flows.warehouse.store import run_file


class PrefectRunner:
    """Runs each stage as its Prefect flow (see flows/run.py for the plain runner)."""

    def __init__(self, dask_address: str | None = None):
        self.dask_address = dask_address

    def fetch_snapshot(self, source: str) -> bytes:
        """See StageRunner (flows/run.py): here as Prefect flows, with retries where a network is involved."""
        return ingest_flow.fetch_snapshot(source)

    def ingest(self, build_path: str, extra_snapshot: str | None, extra_as_of: date | None, sources_dir: str,
               extra_source: str | None) -> dict:
        """See StageRunner."""
        return ingest_flow.ingest(build_path, extra_snapshot, extra_as_of, sources_dir, extra_source)

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
        if not self.dask_address:
            return render_flow.render(build_path, out_dir, as_of, params)
        from prefect_dask import DaskTaskRunner

        # "local" starts a throw-away local cluster; anything else is an existing scheduler's address.
        runner = DaskTaskRunner() if self.dask_address == "local" else DaskTaskRunner(address=self.dask_address)
        return render_flow.render.with_options(task_runner=runner)(build_path, out_dir, as_of, params, use_dask=True)


def _run_name() -> str:
    p = flow_run.parameters
    vendors = ",".join(p.get("vendors") or []) or "all-vendors"
    return f"briefings {p.get('as_of') or date.today().isoformat()} {vendors[:60]}"


@flow(name="vendor-briefings", flow_run_name=_run_name, log_prints=True)
def vendor_briefings(
    as_of: date | None = None,
    vendors: list[str] | None = None,
    peers: list[str] | None = None,
    profile: str | None = None,
    formats: list[Literal["pdf", "html"]] = ["pdf", "html"],  # noqa: B006 - Prefect needs a literal default
    warehouse: str = str(DEFAULT_WAREHOUSE),
    out_dir: str = str(DEFAULT_OUT_DIR),
    full: bool = False,
    changed_only: bool = False,
    page_size: Literal["A4", "Letter"] = "A4",
    archival: bool = False,
    render: bool = True,
    litellm_source: str | None = None,
    litellm_as_of: date | None = None,
    litellm_as_of_today: bool = False,
    dask_address: str | None = None,
    lock_wait_seconds: float = 0,
    sources_dir: str = str(SOURCES_DIR),
) -> dict:
    """Build, validate and publish the warehouse, then the briefings of `vendors` (all by default).

    as_of: the edition date (default: today); vendors / peers: vendor ids; profile: the workload
    profile of the comparisons; formats: pdf and/or html; full: rerun every stage even when its
    inputs did not change; changed_only: re-render only the briefings whose data changed, keeping
    the others as published even under an earlier edition date; litellm_source: a LiteLLM cost map (path or URL) to add, dated
    litellm_as_of (or the run's date with litellm_as_of_today); dask_address: render on this
    Dask scheduler ("local" starts a local cluster); lock_wait_seconds: how long to wait for
    another run writing the same warehouse before giving up; sources_dir: the curated facts.
    """
    params = runlib.RunParams(
        as_of=as_of or date.today(), warehouse=Path(warehouse), out_dir=Path(out_dir), vendors=vendors, peers=peers,
        profile=profile, formats=tuple(formats), page_size=page_size, archival=archival, full=full, changed_only=changed_only, render=render,
        litellm_source=litellm_source,
        litellm_as_of=(as_of or date.today()) if litellm_as_of_today and not litellm_as_of else litellm_as_of,
        lock_wait_seconds=lock_wait_seconds, sources_dir=Path(sources_dir))
    summary = runlib.execute(params, PrefectRunner(dask_address))
    publish_artifacts(summary)
    get_run_logger().info("run %s: %s; warehouse %s; %d briefing(s) rendered, %d unchanged",
                          summary.run_id, summary.status, summary.warehouse, len(summary.rendered),
                          len(summary.render_skipped))
    return summary.as_dict()


def publish_artifacts(summary: runlib.RunSummary) -> None:
    """A markdown summary, the data-quality results and links to the briefings, for the UI."""
    import duckdb

    q = summary.quality
    lines = [
        f"# vendor-briefings run {summary.run_id}",
        f"Edition **{summary.as_of}** · status **{summary.status}** · warehouse `{summary.warehouse}`",
        "",
        f"- Stages run: {', '.join(summary.stages_run) or 'none'}; skipped (inputs unchanged): "
        f"{', '.join(summary.stages_skipped) or 'none'}",
        f"- Briefings rendered: {', '.join(summary.rendered) or 'none'}; unchanged: {', '.join(summary.render_skipped) or 'none'}",
        f"- Data quality: {q.get('expectations', 0)} expectations, {q.get('errors', 0)} errors, "
        f"{q.get('warnings', 0)} warnings, {q.get('quarantined_rows', 0)} rows quarantined",
        f"- Price changes since the last edition: {summary.price_changes}",
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
    for path in summary.files:
        if path.endswith(".pdf"):
            name = Path(path).stem
            create_link_artifact(Path(path).resolve().as_uri(), link_text=f"{name}.pdf",
                                 key=f"briefing-{name}".replace("_", "-").replace(".", "-"),
                                 description=f"Briefing {name}, edition {summary.as_of}")
