"""Render stage: one PDF (and HTML) briefing per vendor and the market landscape.

Briefings render in parallel: by default in a local process pool (both cores); given a Dask
scheduler address, each briefing is sent to that cluster through the flow's prefect-dask task runner.
Workers receive plain data and return bytes, so they need neither the warehouse nor a shared
disk.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.report import stage as lib
from flows.report import typeset as pdf
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


@flow(name="render", flow_run_name="render {as_of}")
def render(build_path: str, staging: str, as_of: date, params: dict[str, Any], dask_address: str | None = None
           ) -> dict[str, Any]:
    """The render stage as a flow: in a local process pool, or on a Dask cluster (`dask_address`: a
    scheduler's tcp:// address, or "local" for a throw-away cluster of one worker process per core
    on 127.0.0.1) with one future per briefing. Returns rendered and skipped vendor ids (and, on
    Dask, the URLs refused)."""
    if not dask_address:
        # One vendor selected: one briefing at most, rendered in this process (a pool's start costs more).
        workers = 1 if len(params.get("vendors") or []) == 1 else default_workers()
        return render_briefings(build_path, staging, as_of, params, workers)
    from distributed import Client, LocalCluster

    # Each briefing goes to the cluster as soon as its context and charts are built here, so the
    # workers render while the next contexts are built (as the local pool does); as plain Dask
    # futures: a Prefect task per briefing cost more than the render itself.
    cluster = None
    try:
        planner, skipped, futures = lib.Planner(params), [], {}
        if dask_address == "local":
            cluster = LocalCluster(n_workers=default_workers(), threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None)
        with connect_new(Path(build_path)) as con, Client(cluster or dask_address) as client:
            for name, context, charts, options in lib.iter_jobs(con, as_of, params, planner, skipped):
                futures[name] = client.submit(pdf.render_briefing, context, charts, options, key=f"briefing-{name}",
                                              pure=False)
            results = {name: f.result() for name, f in futures.items()}
    finally:
        if cluster is not None:
            cluster.close()
    blocked = write_briefings(build_path, staging, as_of, results, planner.manifest())
    return {"rendered": sorted(results), "skipped": sorted(skipped), "blocked_urls": blocked}
