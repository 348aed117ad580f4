"""Render stage: one PDF (and HTML) briefing per vendor and the market landscape.

Briefings render in parallel: by default in a local process pool (both cores); given a Dask
scheduler address, each briefing is a Prefect task sent to that cluster through prefect-dask.
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
def prepare_briefings(build_path: str, as_of: date, params: dict[str, Any]) -> tuple[list, list[str], dict[str, str]]:
    """The briefings to render (jobs), those kept as published, and the manifest of the render stage."""
    with connect_new(Path(build_path)) as con:
        return lib.prepare(con, as_of, params)


@task(cache_policy=NO_CACHE, persist_result=False)
def render_briefing(name: str, context: dict[str, Any], charts: dict[str, str | None],
                    options: dict[str, Any]) -> dict[str, bytes]:
    """One briefing's files (format -> bytes) from its context and charts, on any worker."""
    return pdf.render_briefing(context, charts, options)


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
def render(build_path: str, staging: str, as_of: date, params: dict[str, Any], use_dask: bool = False) -> dict[str, Any]:
    """The render stage as a flow: in a local process pool, or on Dask with one task per briefing.
    Returns rendered and skipped vendor ids (and, on Dask, the URLs refused)."""
    if not use_dask:
        return render_briefings(build_path, staging, as_of, params, default_workers())
    jobs, skipped, manifest = prepare_briefings(build_path, as_of, params)
    futures = [render_briefing.submit(*job) for job in jobs]
    results = {job[0]: f.result() for job, f in zip(jobs, futures, strict=True)}
    blocked = write_briefings(build_path, staging, as_of, results, manifest)
    return {"rendered": sorted(results), "skipped": sorted(skipped), "blocked_urls": blocked}
