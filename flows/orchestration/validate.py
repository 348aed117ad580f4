"""Validate stage: the Great Expectations suites of expectations/ on the build; errors block."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.quality import suites as quality
from flows.warehouse.store import connect_new


@task(cache_policy=NO_CACHE, persist_result=False)
def run_suites(build_path: str, run_id: str, as_of: date, phase: str) -> dict:
    """The validate stage on the build at `build_path` (flows/quality/suites.validate_build)."""
    with connect_new(Path(build_path)) as con:
        return quality.validate_build(con, run_id, as_of, phase)


@flow(name="validate", flow_run_name="validate {phase} {as_of}")
def validate(build_path: str, run_id: str, as_of: date, phase: str = "data") -> dict:
    """phase "data" runs after ingest, phase "metrics" after the metrics stage."""
    return run_suites(build_path, run_id, as_of, phase)
