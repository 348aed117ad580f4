"""Benchmarks: where the time goes, how cost grows with the data, how close each stage is to its floor.

    python -m flows.bench [--scales 1,10,100] [--dask-scales 10] [--render-sample 80] [--scale-only]
                          [--out bench/results] [--work bench/work]            (make bench)

The scale section runs first: at each scale, synthetic sources (flows/bench/synthetic.py),
a previous edition, then ingest, validate, metrics and render, each in its own process, with row
counts of each stage's main tables (a zero is flagged), seconds, peak memory of the process tree,
and the fitted exponent k of time ~ scale^k. `--scale-only` stops there.

Every figure comes from this one run on this machine: compare the ratios, not the absolute times
of different runs. Each measured step runs in a fresh process (spawn), so its peak memory (max RSS)
is its own and import costs are counted where they are paid.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from flows.settings import ROOT, SOURCES_DIR

AS_OF = date(2026, 11, 29)
RENDER_PAIRS = 3  # parallel and serial renders, alternated; the speed-up reported is the median pair's


# ---- steps, each run in its own process -------------------------------------------------------

def _build_from(work: str, previous: str | None, run_id: str = "bench", name: str = "build.duckdb") -> Any:
    from flows.warehouse import store as warehouse

    target = Path(work) / "warehouse.duckdb"
    if previous:  # the stages after ingest continue on the same build file
        return warehouse.connect_new(Path(previous))
    b = warehouse.start_build(target, run_id, AS_OF, [])
    b.con.close()
    os.replace(b.path, Path(work) / name)
    return warehouse.connect_new(Path(work) / name)


def step_ingest(work: str, sources: str) -> dict:
    """Measured step: the ingest stage on a new build; price history rows and snapshots loaded."""
    from flows.warehouse import load as ingest

    with _build_from(work, None) as con:
        counts = ingest.ingest(con, [], Path(sources))
        return {"price_history_rows": con.table("marts.price_history").count("*").fetchall()[0][0],
                "litellm_entries": counts.get("litellm_snapshots", 0)}


def step_validate(work: str, phase: str = "data") -> dict:
    """Measured step: the validate stage (one phase) on a copy of the built warehouse."""
    from flows.quality import suites as quality

    with _build_from(work, str(Path(work) / "build.duckdb")) as con:
        return quality.validate_build(con, "bench", AS_OF, phase)


def step_metrics(work: str) -> dict:
    """Measured step: the metrics stage on a copy of the built warehouse."""
    from flows.metrics import stage

    with _build_from(work, str(Path(work) / "build.duckdb")) as con:
        counts = stage.run(con, "bench", AS_OF)
        return {"price_comparisons": counts["price_comparisons"]}


def step_render(work: str, workers: int) -> dict:
    """Measured step: every briefing rendered with `workers` processes; briefings and pages."""
    from flows.report import stage as render

    out = Path(work) / f"render-{workers}"
    shutil.rmtree(out, ignore_errors=True)
    params = {"vendors": None, "peers": None, "profile": None, "formats": ["pdf"], "page_size": "A4", "archival": False,
              "published_dir": str(out / "none"), "full": True}
    with _build_from(work, str(Path(work) / "build.duckdb")) as con:
        result = render.render(con, out, AS_OF, params, workers)
    from pypdf import PdfReader
    pages = sum(len(PdfReader(p).pages) for p in out.glob("*.pdf"))
    return {"briefings": len(result["rendered"]), "pages": pages}


# Each stage's main tables: the rows counted after the stage at every scale (none may be empty).
INGEST_TABLES = ("staging.stg_litellm__prices", "marts.vendors", "marts.models", "marts.funding_rounds", "marts.catalog_vendor_map",
                 "marts.price_history", "marts.price_moves", "marts.price_tiers", "marts.price_time_of_day")
METRIC_TABLES = ("marts.price_comparisons", "marts.vendor_flagships", "marts.claim_audit", "marts.vendor_funding",
                 "marts.edition_changes", "marts.vendor_metrics")


def _rows(con: Any, tables: tuple[str, ...]) -> dict[str, int]:
    """Rows of each table (-1 where the table is missing)."""
    out = {}
    for t in tables:
        try:
            out[t.split(".")[-1]] = con.table(t).count("*").fetchall()[0][0]
        except Exception:  # noqa: BLE001 - reported as missing, flagged by the caller
            out[t.split(".")[-1]] = -1
    return out


def scale_ingest(work: str, sources: str) -> dict:
    """Measured step: the ingest stage (load and SQL layers) on a new build; rows of its main tables."""
    from flows.warehouse import load as ingest

    with _build_from(work, None) as con:
        ingest.ingest(con, [], Path(sources))
        return _rows(con, INGEST_TABLES)


# The edition before the measured one: price moves and "what changed" compare with it.
PREVIOUS_AS_OF = date(2026, 6, 15)


def scale_previous_edition(work: str, sources: str) -> dict:
    """Set-up step (not a stage figure): the edition of PREVIOUS_AS_OF (ingest, metrics; no
    validation, no render), published as the warehouse whose history the measured edition carries
    over. Rows of history.edition_prices."""
    from flows.metrics import stage
    from flows.warehouse import load as ingest
    from flows.warehouse import store as warehouse

    b = warehouse.start_build(Path(work) / "warehouse.duckdb", "bench-previous", PREVIOUS_AS_OF, [])
    ingest.ingest(b.con, [], Path(sources))
    stage.run(b.con, "bench-previous", PREVIOUS_AS_OF)
    vendors = [p.stem for p in (Path(sources) / "vendors").glob("*.yaml")]  # as if every briefing was rendered
    warehouse.record_run(b, "success", ["ingest", "metrics"], ["validate", "render"], {},
                         json.dumps({"rendered": sorted(vendors)}))
    rows = b.con.table("history.edition_prices").count("*").fetchall()[0][0]
    warehouse.publish(b)
    return {"edition_prices": rows}


def scale_validate(work: str) -> dict:
    """Measured step: the validate stage's data suites (phase "data") on the build; expectations
    run, errors, warnings, rows quarantined. A quality gate that refuses is reported (gate_failed),
    not raised: the suites ran and were recorded before it."""
    from flows.errors import VendorbriefError
    from flows.quality import suites as quality

    with _build_from(work, str(Path(work) / "build.duckdb")) as con:
        try:
            summary = quality.validate_build(con, "bench", AS_OF, "data")
        except VendorbriefError as exc:  # the suites ran and were recorded before the gate refused
            recorded = con.sql("select count(*) from history.dq_results where run_id = 'bench'").fetchall()[0][0]
            return {"expectations": recorded, "errors": len(getattr(exc, "failures", [])), "gate_failed": str(exc)[:300]}
        return {"expectations": summary.get("expectations", 0), "errors": summary.get("errors", 0),
                "warnings": summary.get("warnings", 0), "quarantined_rows": summary.get("quarantined_rows", 0)}


def scale_metrics(work: str) -> dict:
    """Measured step: the metrics stage; rows of its main marts."""
    from flows.metrics import stage

    with _build_from(work, str(Path(work) / "build.duckdb")) as con:
        counts = stage.run(con, "bench", AS_OF)
        return {"price_changes": counts.get("price_changes", 0), **_rows(con, METRIC_TABLES)}


def _pages(folder: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(p).pages) for p in folder.glob("*.pdf"))


def scale_render(work: str, engine: str, vendors: list[str] | None) -> dict:
    """Measured step: the render stage on the local process pool of 2 workers, called as a plain
    function (engine "pool", as `vendorbrief run --plain` does), or as the product's render flow
    under Prefect, on the local pool (engine "flow-pool") or on a throw-away local Dask cluster
    (engine "dask", the `--dask local` path), each with one worker process per core (2 here). `vendors` None renders
    every briefing and the landscape. Briefings, pages, pages/s, the slowest briefing's seconds
    and, under Prefect, the embedded server's start (measured apart, before the render)."""
    times = Path(work) / f"times-{engine}"
    shutil.rmtree(times, ignore_errors=True)
    times.mkdir()
    os.environ["VENDORBRIEF_BENCH_TIMES"] = str(times)
    from flows.bench import timing

    timing.install()
    out = Path(work) / f"render-{engine}"
    shutil.rmtree(out, ignore_errors=True)
    params = {"vendors": vendors, "peers": None, "profile": None, "formats": ["pdf"], "page_size": "A4",
              "archival": False, "published_dir": str(out / "none"), "full": True, "as_of": AS_OF.isoformat(),
              "changed_only": False, "currency": "USD"}
    extra: dict[str, Any] = {}
    if engine == "pool":
        from flows.report import stage as render

        t0 = time.perf_counter()
        with _build_from(work, str(Path(work) / "build.duckdb")) as con:
            result = render.render(con, out, AS_OF, params, 2)
        seconds = time.perf_counter() - t0
    else:
        os.environ["DASK_DISTRIBUTED__WORKER__PRELOAD"] = '["flows.bench.timing"]'
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        os.environ.setdefault("PREFECT_HOME", str(Path(work) / "prefect-home"))
        os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
        from prefect import flow

        from flows.orchestration.pipeline import PrefectRunner

        @flow
        def warm_up() -> None:
            """Starts the embedded server: a one-off cost, reported apart."""
            return None

        t0 = time.perf_counter()
        warm_up()
        extra["server_start_s"] = round(time.perf_counter() - t0, 2)
        build = Path(work) / f"render-build-{engine}.duckdb"
        shutil.copyfile(Path(work) / "build.duckdb", build)
        try:
            t0 = time.perf_counter()
            result = PrefectRunner("local" if engine == "dask" else None).render(str(build), str(out), "bench", params)
            seconds = time.perf_counter() - t0
        finally:
            build.unlink()
    pages = _pages(out)
    slowest, timed = timing.slowest(times)
    return {"briefings": len(result["rendered"]), "pages": pages, "render_s": round(seconds, 2),
            "pages_per_s": round(pages / seconds, 2), "slowest_briefing_s": slowest, "timed_briefings": timed, **extra}


def floor_read_json(work: str, sources: str) -> dict:
    """DuckDB's own bulk read of the same LiteLLM snapshot files."""
    import duckdb

    files = sorted(str(p) for p in (Path(sources) / "litellm").glob("*.json*"))
    with duckdb.connect() as con:
        rows = sum(con.execute("select count(*) from (select unnest(json_keys(json)) from read_json_objects(?) as t(json))",
                               [f]).fetchall()[0][0] for f in files)
    return {"entries": rows}


def floor_litellm_parse(work: str, sources: str) -> dict:
    """Our reading of the same snapshots (parse, check, load into raw tables), without the rest of ingest."""
    from flows.warehouse import load as ingest

    with _build_from(work, None, "floor", "floor.duckdb") as con:
        snaps = ingest.bundled_snapshots(Path(sources))
        ingest.load_litellm_snapshots(con, snaps)
        return {"entries": sum(len(s.entries) for s in snaps)}


def floor_weasyprint(work: str) -> dict:
    """WeasyPrint alone on the HTML our render stage produced (no contexts, charts or pool)."""
    from flows.report import typeset as pdf

    documents = sorted((Path(work) / "html").glob("*.html"))
    for html in documents:
        pdf.render_pdf(html.read_text(), AS_OF.isoformat(), "0" * 32)
    return {"documents": len(documents)}


def floor_gx(work: str) -> dict:
    """Great Expectations alone on the same frames (taken from DuckDB beforehand)."""
    import pickle

    from flows.quality import suites as quality

    frames = pickle.loads((Path(work) / "frames.pkl").read_bytes())
    t0 = time.perf_counter()
    validator = quality.Validator()
    import_and_context = time.perf_counter() - t0
    outcome = quality.Outcome()
    suites = {s.name: s for s in quality.load_suites()}
    t1 = time.perf_counter()
    for name, (frame, params) in frames.items():
        validator.run(suites[name], frame, params, "floor", outcome)
    return {"expectations": len(outcome.results), "gx_context_s": round(import_and_context, 2),
            "gx_validate_only_s": round(time.perf_counter() - t1, 2)}


def pipeline(work: str, sources: str, prefect: bool, full: bool, out: str) -> dict:
    """A whole run, as plain functions or as Prefect flows (embedded server), into `out` and the
    warehouse beside it."""
    from flows.run import PlainRunner, RunParams, execute

    params = RunParams(as_of=AS_OF, warehouse=Path(out) / "warehouse.duckdb", out_dir=Path(out), sources_dir=Path(sources),
                       formats=("pdf",), full=full)
    if not prefect:
        return {"timings": execute(params, PlainRunner()).timings}
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_HOME", str(Path(work) / "prefect-home"))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    from prefect import flow

    from flows.orchestration.pipeline import vendor_briefings

    t0 = time.perf_counter()

    @flow
    def warm_up() -> None:  # starts the embedded server: a one-off cost, reported apart
        """A first run whose imports and caches the measured runs then find warm."""
        return None

    warm_up()
    server_start = time.perf_counter() - t0
    t1 = time.perf_counter()
    summary = vendor_briefings(as_of=AS_OF, warehouse=str(params.warehouse), out_dir=out, sources_dir=sources,
                               formats=["pdf"], full=full)
    return {"server_start_s": round(server_start, 2), "flow_s": round(time.perf_counter() - t1, 2),
            "timings": summary["timings"]}


# ---- harness ---------------------------------------------------------------------------------

def _child(queue, fn_name: str, args: tuple) -> None:
    t0 = time.perf_counter()
    try:
        result = globals()[fn_name](*args)
        error = None
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        result, error = {}, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    queue.put({"seconds": round(seconds, 3), "peak_mb": round(peak_mb, 1), "children_max_mb": round(children_mb, 1),
               "result": result, "error": error})


def _tree_rss(proc: Any) -> int:
    """Resident bytes of a process and all its descendants now (0 when it is gone)."""
    import psutil

    total = 0
    try:
        for p in [proc, *proc.children(recursive=True)]:
            try:
                if any("uvicorn" in part or part == "server" for part in p.cmdline()[1:4]):
                    continue  # the embedded Prefect server of a Dask render: not the product's work
                total += p.memory_info().rss
            except psutil.Error:
                pass
    except psutil.Error:
        return 0
    return total


def measure(fn_name: str, *args: Any, sample_s: float = 0.1) -> dict:
    """Run one step in a fresh process; its seconds, peak memory and result. `peak_mb` is the
    step process's own max RSS; `tree_peak_mb` the largest sum of RSS over the process and all its
    descendants (pool and Dask workers, fork server), sampled every `sample_s` seconds."""
    import queue as queues

    import psutil

    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    # By its module's name: spawn does not re-import a `__main__` run with -m (python -m flows.bench).
    import importlib

    child = importlib.import_module("flows.bench.__main__")._child
    proc = ctx.Process(target=child, args=(q, fn_name, args))
    proc.start()
    ps = psutil.Process(proc.pid)
    tree_peak = 0
    while True:
        tree_peak = max(tree_peak, _tree_rss(ps))
        try:
            out = q.get(timeout=sample_s)
            break
        except queues.Empty:
            if not proc.is_alive():
                raise RuntimeError(f"{fn_name}: the step process died (exit code {proc.exitcode})") from None
    proc.join()
    out["tree_peak_mb"] = round(max(tree_peak / 2**20, out["peak_mb"]), 1)
    if out["error"]:
        raise RuntimeError(f"{fn_name}: {out['error']}")
    print(f"  {fn_name:<22} {out['seconds']:8.2f} s  {out['peak_mb']:8.1f} MB (tree {out['tree_peak_mb']:.0f} MB)  "
          f"{json.dumps(out['result'], default=str)[:400]}", flush=True)
    return out


def _dump_html_and_frames(work: Path) -> None:
    """Inputs of the WeasyPrint and GX floors, prepared outside the measured processes."""
    import pickle

    import duckdb

    from flows.quality import suites as quality
    from flows.report import charts
    from flows.report import stage as render
    from flows.report import typeset as pdf

    (work / "html").mkdir(exist_ok=True)
    with duckdb.connect(str(work / "build.duckdb"), read_only=True) as con:
        suites = [s for s in quality.load_suites() if s.phase == "data"]
        params = quality.parameters(con, suites, AS_OF)
        frames = {s.name: (quality.frame_for(con, s, params), params) for s in suites}
        found = render.contexts(con, AS_OF, None, None, None)
    (work / "frames.pkl").write_bytes(pickle.dumps(frames))
    for name, c in found.items():
        (work / "html" / f"{name}.html").write_text(pdf.briefing_html(c, charts.chart_svgs(c), for_pdf=True))


def stages(work: Path, sources: Path, render: bool) -> dict:
    """Each stage measured in its own process on the bundled data."""
    out = {"ingest": measure("step_ingest", str(work), str(sources))}
    out["validate"] = measure("step_validate", str(work))
    out["metrics"] = measure("step_metrics", str(work))
    out["validate_metrics"] = measure("step_validate", str(work), "metrics")
    if render:
        measure("step_render", str(work), 2)  # warm-up: the first render reads fonts and caches from disk
        # Alternating pairs: a neighbour's load on a shared machine hits both halves of a pair.
        pairs = [(measure("step_render", str(work), 2), measure("step_render", str(work), 1)) for _ in range(RENDER_PAIRS)]
        out["render_parallel"] = _median_by_time([p for p, _ in pairs])
        out["render_serial"] = _median_by_time([s for _, s in pairs])
        out["render_pairs"] = [{"parallel_s": p["seconds"], "serial_s": s["seconds"],
                                "speedup": round(s["seconds"] / p["seconds"], 2)} for p, s in pairs]
    return out


def _median_by_time(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def main() -> None:
    """The benchmark suite; writes its figures as JSON under bench/results/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--dask-scales", default="10", help="scales whose render also runs on Dask")
    parser.add_argument("--render-sample", type=int, default=RENDER_SAMPLE,
                        help="render at most this many vendor briefings per scale (a sample above)")
    parser.add_argument("--scale-only", action="store_true", help="only the scale benchmark (quick runs)")
    args = parser.parse_args()
    scales = [int(x) for x in args.scales.split(",") if x.strip()]
    dask_scales = [int(x) for x in args.dask_scales.split(",") if x.strip()]
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    if args.scale_only:
        scale = run_scales(args.work, scales, dask_scales, args.render_sample)
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"bench-scale-{time.strftime('%Y%m%dT%H%M%S')}.json"
        path.write_text(json.dumps({"scale": scale}, indent=2, default=str))
        print(f"written: {path}")
        return
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    # Scale first: its figures are written even when a later part fails.
    report["scale"] = run_scales(args.work, scales, dask_scales, args.render_sample)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"bench-scale-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(
        json.dumps({"scale": report["scale"]}, indent=2, default=str))
    print("== stages on the bundled data", flush=True)
    bundled = args.work / "bundled"
    bundled.mkdir()
    report["stages"] = stages(bundled, SOURCES_DIR, render=True)
    _dump_html_and_frames(bundled)
    print("== floors", flush=True)
    report["floors"] = {
        "duckdb_read_json": measure("floor_read_json", str(bundled), str(SOURCES_DIR)),
        "our_litellm_load": measure("floor_litellm_parse", str(bundled), str(SOURCES_DIR)),
        "weasyprint_alone": measure("floor_weasyprint", str(bundled)),
        "gx_alone": measure("floor_gx", str(bundled)),
    }
    print("== whole runs: plain functions, Prefect flows, incremental", flush=True)
    runs = {
        "plain_full": measure("pipeline", str(bundled), str(SOURCES_DIR), False, True, str(bundled / "out-plain")),
        "plain_no_change": measure("pipeline", str(bundled), str(SOURCES_DIR), False, False, str(bundled / "out-plain")),
        "prefect_full": measure("pipeline", str(bundled), str(SOURCES_DIR), True, True, str(bundled / "out-prefect")),
    }
    report["runs"] = runs
    print("== single-vendor run triggered on a running server: trigger to PDF, median of 3", flush=True)
    from flows.bench.trigger import bench_single_vendor
    report["trigger"] = bench_single_vendor(bundled / "trigger", bundled / "out-plain" / "warehouse.duckdb",
                                            bundled / "out-plain", SOURCES_DIR, AS_OF)
    report["summary"] = summarize(report)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print_table(report["summary"])
    print(f"written: {path}")


SCALE_STAGES = ("ingest", "validate", "metrics", "render")
RENDER_SAMPLE = 80


def render_vendors(sources: Path, sample: int) -> list[str] | None:
    """None (every briefing and the landscape) when the folder holds at most `sample` vendors;
    else `sample` vendor ids spread evenly over the sorted ids (no landscape)."""
    ids = sorted(p.stem for p in (sources / "vendors").glob("*.yaml"))
    if len(ids) <= sample:
        return None
    step = len(ids) / sample
    return [ids[int(i * step)] for i in range(sample)]


def _empty(result: dict) -> list[str]:
    """The row counts of a step's result that are zero (or missing: -1)."""
    skip = {"errors", "warnings", "quarantined_rows", "server_start_s", "slowest_briefing_s", "timed_briefings"}
    return [k for k, v in result.items() if k not in skip and isinstance(v, int) and not isinstance(v, bool) and v <= 0]


def run_scale(work: Path, scale: int, dask: bool, sample: int = RENDER_SAMPLE) -> dict:
    """One scale: synthetic sources (flows/bench/synthetic.py), then ingest, validate, metrics and
    render each in its own process; render on the local pool and, with `dask`, on Dask. Returns
    the shape, each step's measure and `empty`: the row counts found zero ("stage.table")."""
    from flows.bench import synthetic

    work.mkdir(parents=True, exist_ok=True)
    sources = work / "sources"
    shape = synthetic.generate(sources, scale)
    print(f" scale {scale}x: {json.dumps(shape)}", flush=True)
    out: dict[str, Any] = {"shape": shape}

    def attempt(fn_name: str, *args: Any) -> dict:
        try:
            return measure(fn_name, *args)
        except RuntimeError as exc:  # reported, and the other steps still measured
            print(f"  !!! FAILED {fn_name} at {scale}x: {exc}", flush=True)
            return {"seconds": float("nan"), "peak_mb": 0.0, "tree_peak_mb": 0.0, "result": {"failed": 0},
                    "error": str(exc)[:500]}

    out["previous_edition"] = attempt("scale_previous_edition", str(work), str(sources))
    out["ingest"] = attempt("scale_ingest", str(work), str(sources))
    out["validate"] = attempt("scale_validate", str(work))
    out["metrics"] = attempt("scale_metrics", str(work))
    vendors = render_vendors(sources, sample)
    if vendors is not None:
        print(f"  render: a sample of {len(vendors)} of {shape['vendors']} vendor briefings (no landscape)", flush=True)
    out["render_sampled"] = vendors is not None
    out["render"] = attempt("scale_render", str(work), "pool", vendors)
    if dask:  # the same render flow under Prefect, on the local pool and on Dask
        out["render_flow"] = attempt("scale_render", str(work), "flow-pool", vendors)
        out["render_dask"] = attempt("scale_render", str(work), "dask", vendors)
    out["empty"] = [f"{stage}.{k}" for stage in (*SCALE_STAGES, "render_flow", "render_dask") if stage in out
                    for k in _empty(out[stage]["result"])]
    if out["empty"]:
        print(f"  !!! EMPTY at {scale}x: {', '.join(out['empty'])}", flush=True)
    shutil.rmtree(sources, ignore_errors=True)
    return out


def fit_exponent(scales: list[int], seconds: list[float]) -> float | None:
    """k of seconds ~ c * scale^k, least squares on log-log; None with fewer than two scales."""
    import numpy as np

    if len(set(scales)) < 2:
        return None
    k, _ = np.polyfit(np.log(scales), np.log(seconds), 1)
    return round(float(k), 2)


def run_scales(work: Path, scales: list[int], dask_scales: list[int], sample: int = RENDER_SAMPLE) -> dict:
    """Every scale, then the exponents and the scale targets; prints the scale table."""
    print("== scale", flush=True)
    os.system("uptime")  # noqa: S605,S607 - the load of a shared machine, beside the figures
    per = {s: run_scale(work / f"scale-{s}", s, s in dask_scales, sample) for s in scales}
    full = [s for s in scales if not per[s]["render_sampled"]]
    k = {st: fit_exponent(scales, [per[s][st]["seconds"] for s in scales]) for st in SCALE_STAGES[:3]}
    # the render's own seconds (a step's seconds also count its process's start and imports)
    k["render"] = fit_exponent(full, [per[s]["render"]["result"].get("render_s", float("nan")) for s in full])
    targets = {}
    for st, v in k.items():
        targets[f"k {st} <= 1.0"] = None if v is None else v <= 1.0
    base = per[scales[0]]["render"]["result"].get("pages_per_s", float("nan"))
    for s in scales[1:]:
        r = per[s]["render"]["result"]
        targets[f"render {s}x pages/s >= 90% of {scales[0]}x"] = r.get("pages_per_s", 0) >= 0.9 * base
    for s in scales:
        if "render_dask" in per[s]:
            dask_s, pool_s = per[s]["render_dask"]["result"].get("render_s"), per[s]["render_flow"]["result"].get("render_s")
            targets[f"dask {s}x within 1.2x of pool"] = dask_s is not None and pool_s is not None and dask_s <= 1.2 * pool_s
    top = max(scales)
    for st in SCALE_STAGES[:3]:
        targets[f"{st} {top}x peak < 2 GB"] = per[top][st]["tree_peak_mb"] < 2048
    targets["no empty table"] = not any(per[s]["empty"] for s in scales)
    result = {"per_scale": per, "exponent": k, "targets": targets}
    print_scale_table(result)
    return result


def print_scale_table(r: dict) -> None:
    """The scale figures as markdown tables."""
    per, k = r["per_scale"], r["exponent"]
    print("\n| scale | vendors | entries | stage | rows | seconds | peak MB (tree) |\n|---|---|---|---|---|---|---|")
    for s, v in per.items():
        for st in (*SCALE_STAGES, "render_flow", "render_dask"):
            if st not in v:
                continue
            m = v[st]
            rows = ", ".join(f"{a}={b}" for a, b in m["result"].items() if a not in ("gate_failed",))
            print(f"| {s}x | {v['shape']['vendors']} | {v['shape']['snapshot_entries']:,} | {st} | {rows} | "
                  f"{m['seconds']:.2f} | {m['peak_mb']:.0f} ({m['tree_peak_mb']:.0f}) |")
    print("\n| stage | k (time ~ scale^k) |\n|---|---|")
    for st, v in k.items():
        print(f"| {st} | {v} |")
    print("\n| target | met |\n|---|---|")
    for t, ok in r["targets"].items():
        print(f"| {t} | {'yes' if ok else ('n/a' if ok is None else 'NO')} |")


def summarize(r: dict) -> dict:
    """The ratios the README reports, from the measured figures."""
    s = r["stages"]
    f = r["floors"]
    runs = r["runs"]
    plain = runs["plain_full"]["seconds"]
    prefect = runs["prefect_full"]["result"]["flow_s"]
    timed = {k: v for k, v in s.items() if k != "render_pairs"}
    speedups = sorted(p["speedup"] for p in s["render_pairs"])
    out = {
        "stage_seconds": {k: v["seconds"] for k, v in timed.items()},
        "stage_peak_mb": {k: v["peak_mb"] for k, v in timed.items()},
        "ingest_litellm_vs_duckdb_read_json": round(f["our_litellm_load"]["seconds"] / f["duckdb_read_json"]["seconds"], 2),
        "render_vs_weasyprint_alone": round(s["render_serial"]["seconds"] / f["weasyprint_alone"]["seconds"], 2),
        "validate_vs_gx_alone": round(s["validate"]["seconds"] / f["gx_alone"]["seconds"], 2),
        "gx_import_and_context_s": f["gx_alone"]["result"]["gx_context_s"],
        "orchestrated_vs_plain": round(prefect / plain, 2),
        "embedded_server_start_s": runs["prefect_full"]["result"]["server_start_s"],
        "plain_run_s": plain,
        "prefect_run_s": prefect,
        "no_change_run_s": runs["plain_no_change"]["seconds"],
        "no_change_vs_full": round(runs["plain_no_change"]["seconds"] / plain, 3),
        "render_parallel_speedup": speedups[len(speedups) // 2],
        "render_speedups_per_pair": [p["speedup"] for p in s["render_pairs"]],
        "pages_per_second_parallel": round(s["render_parallel"]["result"]["pages"] / s["render_parallel"]["seconds"], 2),
    }
    if "trigger" in r:
        t = r["trigger"]
        out["single_vendor_trigger_to_pdf_s"] = {"median": t["median_s"], "first": t["first_s"], "second": t["second_s"],
                                                 "runner_pickup_median": t["pickup_median_s"]}
    out["scale"] = {"exponent": r["scale"]["exponent"], "targets": r["scale"]["targets"]}
    return out


def print_table(s: dict) -> None:
    """The figures as a plain-text table."""
    print("\n| measure | value | target |\n|---|---|---|")
    for k, v in s["stage_seconds"].items():
        print(f"| {k} wall time | {v:.2f} s (peak {s['stage_peak_mb'][k]:.0f} MB) | |")
    print(f"| our LiteLLM load / DuckDB read_json | {s['ingest_litellm_vs_duckdb_read_json']}x | |")
    print(f"| render stage (serial) / WeasyPrint alone | {s['render_vs_weasyprint_alone']}x | |")
    print(f"| validate stage / GX alone | {s['validate_vs_gx_alone']}x (GX import + context {s['gx_import_and_context_s']} s) | |")
    print(f"| Prefect-orchestrated / plain run | {s['orchestrated_vs_plain']}x (embedded server start {s['embedded_server_start_s']} s, apart) | <= 1.5x |")
    print(f"| whole run, plain functions | {s['plain_run_s']:.1f} s | |")
    print(f"| no-change run / full run | {s['no_change_vs_full']} ({s['no_change_run_s']:.1f} s) | <= 0.25 |")
    pairs = ", ".join(f"{x}x" for x in s["render_speedups_per_pair"])
    print(f"| render speed-up, 2 processes (median of {len(s['render_speedups_per_pair'])} pairs: {pairs}) | "
          f"{s['render_parallel_speedup']}x ({s['pages_per_second_parallel']} pages/s) | >= 1.7x |")
    if "single_vendor_trigger_to_pdf_s" in s:
        t = s["single_vendor_trigger_to_pdf_s"]
        print(f"| single-vendor run from a running server, trigger to PDF (median of 3; first {t['first']} s, "
              f"second {t['second']} s; runner pick-up {t['runner_pickup_median']} s) | {t['median']:.1f} s | <= 20 s |")

if __name__ == "__main__":
    main()
