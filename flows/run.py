"""One pipeline run: lock, plan, build, stages, publish. Orchestration-neutral.

`execute` takes a `StageRunner`: the Prefect flows in flows/orchestration/pipeline.py pass one that runs each
stage as a flow; `PlainRunner` calls the same stage functions directly (tests, benchmarks).
Stages whose inputs did not change since the last successful run are skipped: the build then
starts from a copy of the published warehouse, which already holds their results.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb

from flows.warehouse import store as warehouse
from flows.errors import InputError, VendorbriefError
from flows.sources.fingerprints import fingerprints
from flows.settings import SOURCES_DIR

STAGES = ("ingest", "transform", "validate", "metrics", "render")
# Which fingerprints each stage reads (a stage also reruns when any earlier stage ran).
STAGE_INPUTS = {
    "ingest": ("code", "facts", "genai_prices", "sql", "litellm"),
    "transform": ("as_of",),
    "validate": ("expectations", "config"),
    "metrics": ("config",),
    "render": ("templates", "config", "vendors", "formats", "peers", "profile", "page"),
}


@dataclass
class RunParams:
    as_of: date
    warehouse: Path
    out_dir: Path
    vendors: list[str] | None = None
    peers: list[str] | None = None
    profile: str | None = None
    formats: tuple[str, ...] = ("pdf",)
    page_size: str = "A4"
    archival: bool = False
    full: bool = False
    # Keep a published briefing whose data did not change, even if the edition date did.
    changed_only: bool = False
    render: bool = True
    litellm_source: str | None = None
    litellm_as_of: date | None = None
    lock_wait_seconds: float = 0
    sources_dir: Path = SOURCES_DIR


@dataclass
class RunSummary:
    run_id: str
    as_of: date
    warehouse: Path
    status: str = "running"
    stages_run: list[str] = field(default_factory=list)
    stages_skipped: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    quality: dict[str, Any] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    render_skipped: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    price_changes: int = 0

    def as_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self), default=str))


class StageRunner(Protocol):
    def fetch_snapshot(self, source: str) -> bytes: ...
    def ingest(self, build_path: str, extra_snapshot: str | None, extra_as_of: date | None, sources_dir: str,
               extra_source: str | None) -> dict: ...
    def transform(self, build_path: str) -> dict: ...
    def validate(self, build_path: str, run_id: str, as_of: date, phase: str) -> dict: ...
    def metrics(self, build_path: str, run_id: str, as_of: date) -> dict: ...
    def render(self, build_path: str, out_dir: str, run_id: str, params: dict) -> dict: ...


def known_vendor_ids(sources_dir: Path = SOURCES_DIR) -> list[str]:
    return sorted(p.stem for p in (sources_dir / "vendors").glob("*.yaml"))


def check_params(p: RunParams) -> None:
    """Refuse parameters that name things that do not exist, before any work starts."""
    known = known_vendor_ids(p.sources_dir)
    for name, ids in (("vendors", p.vendors), ("peers", p.peers)):
        for vid in ids or []:
            if vid not in known:
                raise InputError("parameters", name, name, f"unknown vendor {vid[:80]!r} (known: {', '.join(known)})")
    bad = [f for f in p.formats if f not in ("pdf", "html")]
    if bad or not p.formats:
        raise InputError("parameters", "formats", "formats", f"expected pdf and/or html, got {list(p.formats)!r}")
    if p.page_size not in ("A4", "Letter"):
        raise InputError("parameters", "page_size", "page_size", f"expected A4 or Letter, got {p.page_size!r}")
    if p.profile is not None:
        from flows.config import load_config
        profiles = load_config().profiles
        if p.profile not in profiles:
            raise InputError("parameters", "profile", "profile",
                             f"unknown workload profile {p.profile[:80]!r} (known: {', '.join(profiles)})")
    if p.warehouse.is_dir():
        raise InputError("parameters", "warehouse", "warehouse", f"{p.warehouse} is a directory, not a warehouse file")
    if p.out_dir.exists() and not p.out_dir.is_dir():
        raise InputError("parameters", "out_dir", "out_dir", f"{p.out_dir} is a file, not a folder")
    if p.litellm_source and not p.litellm_as_of:
        raise InputError("parameters", "litellm_as_of", "litellm_as_of", "a LiteLLM snapshot needs its as-of date")


def _previous_run(target: Path) -> dict[str, Any] | None:
    """The last successful run recorded in the published warehouse."""
    if not target.exists():
        return None
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error as exc:
        raise VendorbriefError(f"{target}: cannot open the published warehouse ({exc})") from exc
    try:
        row = warehouse.first_row(con, """
            select run_id, as_of, input_hashes from history.pipeline_runs
            where status = 'success' order by finished_at desc limit 1""")
    except duckdb.Error:
        return None
    finally:
        con.close()
    return None if row is None else {"run_id": row[0], "as_of": row[1], "hashes": dict(row[2] or {})}


def plan(hashes: dict[str, str], previous: dict[str, Any] | None, p: RunParams) -> list[str]:
    """The stages to run: those whose inputs changed, and validate and metrics after new data.

    A fresh ingest always rebuilds the transform; validation brings the metrics (their suites
    are part of it); render always runs and decides per vendor whether its briefing changed.
    """
    if p.full or previous is None:
        todo = ["ingest", "transform", "validate", "metrics"]
    else:
        before = previous["hashes"]
        changed = {s for s in STAGES if any(hashes.get(k) != before.get(k) for k in STAGE_INPUTS[s])}
        todo = ["ingest", "transform"] if "ingest" in changed else ["transform"] if "transform" in changed else []
        todo += [s for s in ("validate", "metrics") if todo or s in changed]
        if "validate" in todo and "metrics" not in todo:
            todo.append("metrics")  # changed suites include the metric suites, which check the metrics
    return todo + (["render"] if p.render else [])


def execute(p: RunParams, runner: StageRunner) -> RunSummary:
    check_params(p)
    run_id = warehouse.new_run_id()
    summary = RunSummary(run_id=run_id, as_of=p.as_of, warehouse=p.warehouse)
    t_start = time.perf_counter()
    with warehouse.run_lock(p.warehouse, p.lock_wait_seconds):
        build: warehouse.Build | None = None
        staging_out: Path | None = None
        extra_path: Path | None = None
        started_at = datetime.now(UTC)
        _remove_leftovers(p)
        try:
            hashes = fingerprints(p.sources_dir)
            hashes["litellm"] = _bundled_litellm_hash(p.sources_dir)
            if p.litellm_source:
                t0 = time.perf_counter()
                raw = _fetch(runner, p.litellm_source)
                summary.timings["fetch"] = round(time.perf_counter() - t0, 3)
                extra_path = p.warehouse.with_name(f".{p.warehouse.name}.snapshot-{run_id}")
                extra_path.write_bytes(raw)
                hashes["litellm"] = hashlib.sha256((hashes["litellm"] + hashlib.sha256(raw).hexdigest()).encode()).hexdigest()[:16]
            hashes |= {"as_of": p.as_of.isoformat(), "vendors": ",".join(p.vendors or []),
                       "formats": ",".join(p.formats), "peers": ",".join(p.peers or []), "profile": p.profile or "",
                       "page": f"{p.page_size}/{p.archival}"}
            previous = _previous_run(p.warehouse)
            todo = plan(hashes, previous, p)
            summary.stages_run = list(todo)
            summary.stages_skipped = [s for s in STAGES if s not in todo]
            build = _start(p, run_id, todo)
            if "ingest" in todo:
                t0 = time.perf_counter()
                summary.counts = runner.ingest(str(build.path), str(extra_path) if extra_path else None, p.litellm_as_of,
                                               str(p.sources_dir), p.litellm_source)
                summary.timings["ingest"] = round(time.perf_counter() - t0, 3)
            elif "transform" in todo:
                t0 = time.perf_counter()
                summary.counts = runner.transform(str(build.path))
                summary.timings["transform"] = round(time.perf_counter() - t0, 3)
            if "validate" in todo:
                t0 = time.perf_counter()
                summary.quality = runner.validate(str(build.path), run_id, p.as_of, "data")
                summary.timings["validate"] = round(time.perf_counter() - t0, 3)
            else:
                summary.quality = _carry_quality(build, previous, data_only="metrics" in todo)
            if "metrics" in todo:
                t0 = time.perf_counter()
                m = runner.metrics(str(build.path), run_id, p.as_of)
                summary.price_changes = m.get("price_changes", 0)
                summary.timings["metrics"] = round(time.perf_counter() - t0, 3)
                t0 = time.perf_counter()
                checked = runner.validate(str(build.path), run_id, p.as_of, "metrics")
                summary.quality = {k: summary.quality.get(k, 0) + v for k, v in checked.items()}
                summary.timings["validate"] = round(summary.timings.get("validate", 0) + time.perf_counter() - t0, 3)
            if "render" in todo:
                t0 = time.perf_counter()
                staging_out = p.out_dir / f".staging-{run_id}"
                r = runner.render(str(build.path), str(staging_out), run_id, _render_params(p))
                summary.rendered, summary.render_skipped = r["rendered"], r["skipped"]
                summary.timings["render"] = round(time.perf_counter() - t0, 3)
            summary.status = "success"
            summary.timings["total"] = round(time.perf_counter() - t_start, 3)
            warehouse.record_run(build, "success", todo, summary.stages_skipped, hashes,
                                 json.dumps({"timings": summary.timings, "rendered": summary.rendered}))
            warehouse.publish(build)
            if staging_out is not None:
                from flows.report.publish import publish_reports
                summary.files = publish_reports(staging_out, p.out_dir, p.as_of)
            return summary
        except BaseException as exc:
            if build is not None:
                warehouse.abandon(build)
            if staging_out is not None:
                shutil.rmtree(staging_out, ignore_errors=True)
            warehouse.journal_failure(p.warehouse, run_id, p.as_of, started_at, p.vendors or [],
                                      f"{type(exc).__name__}: {exc}")
            raise
        finally:
            if extra_path is not None:
                extra_path.unlink(missing_ok=True)


def _remove_leftovers(p: RunParams) -> None:
    """Files a killed run left half-done. Only called under the run lock, so none is in use."""
    for stale in p.out_dir.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in [*p.out_dir.glob("latest/.*.tmp"), *p.out_dir.glob("editions/*/.*.tmp"),
                  *p.warehouse.parent.glob(f".{p.warehouse.name}.snapshot-*")]:
        stale.unlink(missing_ok=True)


def _fetch(runner: StageRunner, source: str) -> bytes:
    """The snapshot's bytes; a source that cannot be read (after the runner's retries) is our error."""
    try:
        return runner.fetch_snapshot(source)
    except VendorbriefError:
        raise
    except Exception as exc:  # noqa: BLE001 - network and file errors of every kind
        raise VendorbriefError(
            f"{source[:200]}: cannot fetch the LiteLLM snapshot ({type(exc).__name__}: {exc}); "
            "the warehouse keeps its previous snapshots") from exc


def _bundled_litellm_hash(sources_dir: Path) -> str:
    folder = sources_dir / "litellm"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _start(p: RunParams, run_id: str, todo: list[str]) -> warehouse.Build:
    if "ingest" in todo or not p.warehouse.exists():
        return warehouse.start_build(p.warehouse, run_id, p.as_of, p.vendors or [])
    return warehouse.start_from_copy(p.warehouse, run_id, p.as_of, p.vendors or [])


def _carry_quality(build: warehouse.Build, previous: dict[str, Any] | None, data_only: bool) -> dict:
    """Unchanged inputs give unchanged results: the last validation's findings stand for this run
    (only those of the data suites when the metrics, and their suites, run again)."""
    if previous is None:
        return {}
    from flows.quality.suites import load_suites

    skip = [s.name for s in load_suites() if data_only and s.phase == "metrics"]
    build.con.execute("""
        insert into history.dq_results
        select ? as run_id, * exclude (run_id) from history.dq_results
        where run_id = ? and not list_contains(?, suite)""", [build.run_id, previous["run_id"], skip])
    build.con.execute("""
        insert into history.dq_quarantine
        select ? as run_id, * exclude (run_id) from history.dq_quarantine where run_id = ?""",
                      [build.run_id, previous["run_id"]])
    quarantined = warehouse.first_row(build.con, "select count(*) from history.dq_quarantine where run_id = ?",
                                      [build.run_id])[0]
    row = warehouse.first_row(build.con, """
        select count(*) filter (where not success and severity = 'error'),
               count(*) filter (where not success and severity = 'warning'), count(*)
        from history.dq_results where run_id = ?""", [build.run_id])
    return {"errors": row[0], "warnings": row[1], "expectations": row[2], "quarantined_rows": quarantined,
            "carried_from": previous["run_id"]}


def _render_params(p: RunParams) -> dict:
    return {"vendors": p.vendors, "peers": p.peers, "profile": p.profile, "formats": list(p.formats),
            "page_size": p.page_size, "archival": p.archival, "as_of": p.as_of.isoformat(),
            "published_dir": str(p.out_dir / "latest"), "full": p.full, "changed_only": p.changed_only}


class PlainRunner:
    """Calls the stages as plain functions: no Prefect, same work (tests and benchmarks)."""

    def __init__(self, workers: int = 2):
        self.workers = workers

    def fetch_snapshot(self, source: str) -> bytes:
        from flows.sources import litellm_catalog

        return litellm_catalog.read_source(source)

    def ingest(self, build_path: str, extra_snapshot: str | None, extra_as_of: date | None, sources_dir: str,
               extra_source: str | None) -> dict:
        from flows.warehouse import load as ingest
        from flows.sources import litellm_catalog

        extra = [litellm_catalog.load_path(Path(extra_snapshot), extra_as_of, source_uri=extra_source)] if extra_snapshot else []
        with warehouse.connect_new(Path(build_path)) as con:
            counts = ingest.ingest(con, extra, Path(sources_dir))
            return counts | ingest.table_counts(con)

    def transform(self, build_path: str) -> dict:
        from flows.warehouse import load as ingest

        with warehouse.connect_new(Path(build_path)) as con:
            ingest.build_models(con)
            return ingest.table_counts(con)

    def validate(self, build_path: str, run_id: str, as_of: date, phase: str) -> dict:
        from flows.quality import suites as quality

        with warehouse.connect_new(Path(build_path)) as con:
            return quality.validate_build(con, run_id, as_of, phase)

    def metrics(self, build_path: str, run_id: str, as_of: date) -> dict:
        from flows.metrics import stage

        with warehouse.connect_new(Path(build_path)) as con:
            return stage.compute(con, run_id, as_of)

    def render(self, build_path: str, out_dir: str, run_id: str, params: dict) -> dict:
        from flows.report import stage as render

        with warehouse.connect_new(Path(build_path)) as con:
            return render.render(con, Path(out_dir), date.fromisoformat(params["as_of"]), params, self.workers)
