"""Benchmarks: where the time goes, how cost grows with the data, how close each stage is to its floor.

    python -m flows.bench [--scales 1,10,100] [--out bench/results]      (make bench)

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
    queue.put({"seconds": round(seconds, 3), "peak_mb": round(peak_mb, 1), "result": result, "error": error})


def measure(fn_name: str, *args: Any) -> dict:
    """Run one step in a fresh process; its seconds, peak memory and result."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue, fn_name, args))
    proc.start()
    out = queue.get()
    proc.join()
    if out["error"]:
        raise RuntimeError(f"{fn_name}: {out['error']}")
    print(f"  {fn_name:<22} {out['seconds']:8.2f} s  {out['peak_mb']:8.1f} MB  {json.dumps(out['result'], default=str)[:120]}",
          flush=True)
    return out


def _dump_html_and_frames(work: Path) -> None:
    """Inputs of the WeasyPrint and GX floors, prepared outside the measured processes."""
    import pickle

    import duckdb

    from flows.quality import suites as quality
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
        (work / "html" / f"{name}.html").write_text(pdf.briefing_html(c, render.chart_svgs(c), for_pdf=True))


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
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
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
    print("== scale", flush=True)
    from flows.bench import synthetic
    scale_report = {}
    for scale in [int(s) for s in args.scales.split(",")]:
        folder = args.work / f"scale-{scale}"
        folder.mkdir()
        shape = synthetic.generate(folder / "sources", scale)
        print(f" scale {scale}x: {shape}", flush=True)
        scale_report[scale] = {"shape": shape, **stages(folder, folder / "sources", render=False)}
        shutil.rmtree(folder / "sources", ignore_errors=True)
    report["scale"] = scale_report
    report["summary"] = summarize(report)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print_table(report["summary"])
    print(f"written: {path}")


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
    scales = r["scale"]
    if 1 in scales:
        steps = ("ingest", "validate", "metrics", "validate_metrics")
        base = sum(scales[1][k]["seconds"] for k in steps)
        out["scale"] = {}
        for scale, v in scales.items():
            total = sum(v[k]["seconds"] for k in steps)
            out["scale"][scale] = {"entries": v["shape"]["snapshot_entries"], "ingest_validate_metrics_s": round(total, 2),
                                   "growth_vs_1x": round(total / base, 2),
                                   "per_step_s": {k: v[k]["seconds"] for k in steps},
                                   "peak_mb": max(v[k]["peak_mb"] for k in steps)}
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
    for scale, v in s.get("scale", {}).items():
        print(f"| {scale}x data ({v['entries']:,} entries): ingest+validate+metrics | {v['ingest_validate_metrics_s']} s, "
              f"{v['growth_vs_1x']}x the 1x time, peak {v['peak_mb']:.0f} MB | 100x: < 20x, < 2 GB |")


if __name__ == "__main__":
    main()
