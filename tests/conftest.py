"""Shared fixtures: warehouses built once per session on the tiny fixtures and on the bundled data."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

from flows.run import PlainRunner, RunParams, execute  # noqa: E402
from flows.settings import ROOT  # noqa: E402

DATA = Path(__file__).parent / "data"
FIXTURE_SOURCES = DATA / "sources"
BUNDLED_AS_OF = date(2026, 11, 29)
FIXTURE_AS_OF = date(2026, 11, 29)


def run_pipeline(tmp: Path, sources: Path = FIXTURE_SOURCES, as_of: date = FIXTURE_AS_OF, workers: int = 2, **kw) -> dict:
    params = RunParams(as_of=as_of, warehouse=tmp / "warehouse.duckdb", out_dir=tmp / "out", sources_dir=sources, **kw)
    return execute(params, PlainRunner(workers=workers)).as_dict()


@pytest.fixture(scope="session")
def fixture_run(tmp_path_factory) -> dict:
    """The whole pipeline, as plain functions, on tests/data/sources."""
    tmp = tmp_path_factory.mktemp("fixture-run")
    summary = run_pipeline(tmp, formats=("pdf",))
    return {"dir": tmp, "warehouse": tmp / "warehouse.duckdb", "out": tmp / "out", "summary": summary}


@pytest.fixture(scope="session")
def bundled_run(tmp_path_factory) -> dict:
    """The whole pipeline on the bundled data, as `make run` does it (without Prefect)."""
    tmp = tmp_path_factory.mktemp("bundled-run")
    summary = run_pipeline(tmp, sources=ROOT / "data" / "sources", as_of=BUNDLED_AS_OF, formats=("pdf", "html"))
    return {"dir": tmp, "warehouse": tmp / "warehouse.duckdb", "out": tmp / "out", "summary": summary}


@pytest.fixture
def con_fixture(fixture_run):
    with duckdb.connect(str(fixture_run["warehouse"]), read_only=True) as con:
        yield con


@pytest.fixture
def con_bundled(bundled_run):
    with duckdb.connect(str(bundled_run["warehouse"]), read_only=True) as con:
        yield con


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    """A writable copy of the fixture sources, for tests that break them."""
    dst = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, dst)
    return dst


def rows(con, query: str, params: list | None = None) -> list[dict]:
    cur = con.execute(query, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
