"""Render stage: one PDF (and HTML) briefing per vendor and the market landscape.

Briefings render in parallel: by default in a local process pool (both cores); given a Dask
scheduler address, each briefing is sent to that cluster as a Dask future as soon as its context
is built. Workers receive plain data, draw the charts and return bytes, so they need neither the
warehouse nor a shared disk.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.report import stage as lib
from flows.report.charts import render_with_charts
from flows.warehouse.store import connect_new


@task(cache_policy=NO_CACHE, persist_result=False)
def render_briefings(build_path: str, staging: str, as_of: date, params: dict[str, Any], workers: int) -> dict[str, Any]:
    """All briefings in a local process pool (contexts built while workers render)."""
    with connect_new(Path(build_path)) as con:
        return lib.render(con, Path(staging), as_of, params, workers)


@task(cache_policy=NO_CACHE, persist_result=False)
def write_briefings(build_path: str, staging: str, as_of: date, results: dict, manifest: dict[str, str]) -> list[str]:
    """Write the rendered files under `staging`; returns the URLs the fetcher refused."""
    with connect_new(Path(build_path)) as con:
        return lib.write(con, Path(staging), as_of, results, manifest)


def default_workers() -> int:
    """Worker processes for the local render: the cores, 1 to 8."""
    return max(1, min(os.cpu_count() or 1, 8))


def connect_dask(address: str, local_directory: Path) -> tuple[Any, Any]:
    """(client, cluster) for a scheduler's address, or for "local": a new cluster of one worker
    process per core on 127.0.0.1 (cluster None otherwise), whose workers keep their files under
    `local_directory` and preload the typesetting modules, and whatever
    `distributed.worker.preload` lists. Raises OSError when the scheduler cannot be reached."""
    import dask
    from distributed import Client, LocalCluster

    if address != "local":
        return Client(address), None
    preload = [*dask.config.get("distributed.worker.preload", []), "flows.report.charts", "flows.report.typeset", "weasyprint"]
    # Without the workers' statistical profiler (sampling WeasyPrint's deep stacks every 10 ms takes
    # the GIL from the render it samples), and with every briefing queued on a worker at once: the
    # scheduler shares this process's GIL with the driver, and a worker should not wait for it
    # between two briefings.
    with dask.config.set({"distributed.worker.profile.enabled": False, "distributed.scheduler.worker-saturation": "inf",
                          "temporary-directory": str(local_directory)}):
        cluster = LocalCluster(n_workers=default_workers(), threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, preload=preload, local_directory=str(local_directory))
    try:
        return Client(cluster), cluster
    except BaseException:
        cluster.close()
        raise


def close_dask(connecting: Future) -> None:
    """Close the client and the local cluster that `connecting` made (or is still making)."""
    try:
        client, cluster = connecting.result()
    except Exception:  # noqa: BLE001 - the failure to connect is raised by the caller's own result()
        return
    try:
        client.close()
    finally:
        if cluster is not None:
            cluster.close()


def _submit(client: Any, waiting: list[tuple[str, dict, dict]], futures: dict[str, Any]) -> None:
    """Send the waiting briefings to the cluster, each with its context's size as Dask priority:
    among the briefings waiting on a worker, the largest starts first (a long briefing started
    last would keep one worker busy after the others)."""
    for name, context, options in waiting:
        futures[name] = client.submit(render_with_charts, context, options, key=f"briefing-{name}",
                                      pure=False, priority=lib.job_size(context))
    waiting.clear()


@flow(name="render", flow_run_name="render {as_of}")
def render(build_path: str, staging: str, as_of: date, params: dict[str, Any], dask_address: str | None = None
           ) -> dict[str, Any]:
    """The render stage as a flow: in a local process pool, or on a Dask cluster (`dask_address`: a
    scheduler's tcp:// address, or "local" for a throw-away cluster of one worker process per core
    on 127.0.0.1, at most 8) with one future per briefing. Returns rendered and skipped vendor ids
    and the URLs the fetcher refused."""
    if not dask_address:
        # One vendor selected: one briefing at most, rendered in this process (a pool's start costs more).
        workers = 1 if len(params.get("vendors") or []) == 1 else default_workers()
        return render_briefings(build_path, staging, as_of, params, workers)
    # Each briefing goes to the cluster as soon as its context is built here, and the workers draw
    # its charts and render it while the next contexts are built; as plain Dask futures: a Prefect
    # task per briefing cost more than the render itself. The cluster starts in the background
    # meanwhile, its workers importing the render modules before the first briefing arrives.
    planner, skipped, futures, waiting = lib.Planner(params), [], {}, []
    # a local cluster's scratch files stay in the render's own temporary folder, removed before writing
    tmp = Path(staging) / lib.TMP
    with ThreadPoolExecutor(1) as starter:
        connecting = starter.submit(connect_dask, dask_address, tmp)
        try:
            with connect_new(Path(build_path)) as con:
                for job in lib.iter_jobs(con, as_of, params, planner, skipped):
                    waiting.append(job)
                    if connecting.done():
                        _submit(connecting.result()[0], waiting, futures)
            client, _ = connecting.result()
            _submit(client, waiting, futures)
            results = {name: f.result() for name, f in futures.items()}
        finally:
            close_dask(connecting)
            shutil.rmtree(tmp, ignore_errors=True)
    blocked = write_briefings(build_path, staging, as_of, results, planner.manifest())
    return {"rendered": sorted(results), "skipped": sorted(skipped), "blocked_urls": blocked}
