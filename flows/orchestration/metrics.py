"""Metrics stage: the Polars metric families, written back as marts (flows/metrics/stage.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.metrics import stage
from flows.warehouse.store import connect_new


@task(cache_policy=NO_CACHE, persist_result=False)
def compute_metrics(build_path: str, run_id: str, as_of: date, profile: str | None = None) -> dict[str, int]:
    """The metrics stage on the build at `build_path` (flows/metrics/stage.run)."""
    with connect_new(Path(build_path)) as con:
        return stage.run(con, run_id, as_of, profile=profile)


@flow(name="metrics", flow_run_name="metrics {as_of}")
def metrics(build_path: str, run_id: str, as_of: date, profile: str | None = None) -> dict[str, int]:
    """The metric marts of the build at `build_path` as of `as_of`, for the workload profile
    `profile` (None: the configured default); returns rows written per mart."""
    return compute_metrics(build_path, run_id, as_of, profile)
