"""Shared fixtures: warehouses built once per session on the tiny fixtures and on the bundled data.

The session warehouse (`fixture_run`) is shared read-only by every test of a session (built once
for all pytest-xdist workers, see `_built_once`): a test that must write copies it first
(`published`, or shutil.copyfile into its tmp_path). Its teardown checks that nobody wrote to it.
Whole pipeline runs belong only in the tests that are about a whole run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import settings

# Property tests check values, not speed: on a shared 2-core machine (and with two xdist workers)
# one example can take longer than Hypothesis's default 200 ms deadline without anything wrong.
settings.register_profile("vendorbrief", deadline=None)
settings.load_profile("vendorbrief")

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

from flows.run import PlainRunner, RunParams, execute  # noqa: E402
from flows.settings import ROOT  # noqa: E402

DATA = Path(__file__).parent / "data"
FIXTURE_SOURCES = DATA / "sources"
BUNDLED_AS_OF = date(2026, 11, 29)
FIXTURE_AS_OF = date(2026, 11, 29)


def BUNDLED(test):  # noqa: N802 - used as a mark
    """Mark of the tests on the bundled data's whole run: slow (a run on the real data), and with
    pytest-xdist all on one worker, so that the other never waits for that run to be built."""
    return pytest.mark.slow(pytest.mark.xdist_group("bundled-run")(test))


def pytest_collection_modifyitems(config, items):
    """The slow tests first (stable order otherwise): with pytest-xdist the longest tests then
    start at once, and the short ones fill in the gaps instead of waiting at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def run_pipeline(tmp: Path, sources: Path = FIXTURE_SOURCES, as_of: date = FIXTURE_AS_OF, workers: int = 2, **kw) -> dict:
    params = RunParams(as_of=as_of, warehouse=tmp / "warehouse.duckdb", out_dir=tmp / "out", sources_dir=sources, **kw)
    return execute(params, PlainRunner(workers=workers)).as_dict()


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for name, body in tree(root).items():
        h.update(name.encode() + b"\0" + hashlib.sha256(body).digest())
    return h.hexdigest()


def _built_once(tmp_path_factory, worker_id: str, name: str, build) -> tuple[Path, dict]:
    """A whole run built once per test session, whatever the number of pytest-xdist workers: the
    first worker that needs it builds it under a lock in the session's shared temporary folder
    (`build(folder)` returns the run's summary), the others wait and read its summary."""
    import fcntl
    import json

    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    tmp = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / f"{name}.json"
        if not done.exists():
            done.write_text(json.dumps(build(tmp), default=str))
        return tmp, json.loads(done.read_text())


@pytest.fixture(scope="session")
def fixture_run(tmp_path_factory, worker_id):
    """The whole pipeline, as plain functions, on tests/data/sources: the session warehouse, built
    once per session. Read-only for the tests; the teardown fails if any test changed a byte of it."""
    def build(tmp: Path) -> dict:
        summary = run_pipeline(tmp, formats=("pdf",))
        assert summary["status"] == "success"
        return summary

    tmp, summary = _built_once(tmp_path_factory, worker_id, "fixture-run", build)
    before = _digest(tmp)
    yield {"dir": tmp, "warehouse": tmp / "warehouse.duckdb", "out": tmp / "out", "summary": summary}
    assert _digest(tmp) == before, "a test wrote into the shared session warehouse or its briefings"


@pytest.fixture(scope="session")
def bundled_run(tmp_path_factory, worker_id) -> dict:
    """The whole pipeline on the bundled data, as `make run` does it (without Prefect), built once
    per session. Read-only for the tests."""
    def build(tmp: Path) -> dict:
        return run_pipeline(tmp, sources=ROOT / "data" / "sources", as_of=BUNDLED_AS_OF, formats=("pdf", "html"))

    tmp, summary = _built_once(tmp_path_factory, worker_id, "bundled-run", build)
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


@pytest.fixture
def published(tmp_path, fixture_run) -> Path:
    """A writable folder with the last good warehouse and briefings (copies of the session
    warehouse's) and the fixture sources, as a deployment would have them."""
    shutil.copyfile(fixture_run["warehouse"], tmp_path / "warehouse.duckdb")
    shutil.copytree(fixture_run["out"], tmp_path / "out")
    shutil.copytree(FIXTURE_SOURCES, tmp_path / "sources")
    return tmp_path


def rows(con, query: str, params: list | None = None) -> list[dict]:
    cur = con.execute(query, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
