"""Faults survived, concurrent readers never blocked, simultaneous runs refused cleanly, loaders
fuzzed. The long campaign is `make faults`; this is its quick variant."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from flows.errors import InputError
from flows.sources import facts, litellm_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import faults
from .conftest import FIXTURE_SOURCES

BIN = Path(sys.executable).parent


@pytest.mark.slow
def test_killed_runs_never_corrupt_what_is_published(tmp_path, fixture_run):
    # 3 kills, one at a random time in each third of a run, then a run to the end; fact set A's
    # first state is the session warehouse (the same inputs and as-of date). `make faults` runs 60
    # trials (48 kills).
    report = faults.campaign(tmp_path / "faults", trials=3, seed=11, start=fixture_run["warehouse"])
    print(json.dumps(report, indent=1))
    assert report["problems"] == []
    # a kill timed near the end of a run can come after it finished
    assert report["faults_injected"] >= 2 and report["faults_survived"] == report["faults_injected"]
    assert report["completed_runs"] == report["completed_runs_ok"] >= 1


def _consistent(path: Path) -> str:
    return faults.new_reader(path)


@pytest.mark.slow
def test_readers_during_a_run(tmp_path, fixture_run):
    """A run (of fact set B) on a copy of the session warehouse (fact set A), with readers
    (`make faults` runs ten in a row)."""
    import shutil

    shutil.copyfile(fixture_run["warehouse"], tmp_path / "warehouse.duckdb")
    # a new reader 0.5 s after the previous one is done (about one a second): each is a Python
    # process, and the run needs the cores; `make faults` samples densely (pause 0.1 s)
    report = faults.readers_during_runs(tmp_path, runs=1, ctx={"sources": faults.fact_sets(tmp_path)}, pause=0.5)
    assert report["run_failures"] == 0 and report["reader_errors"] == []
    assert report["states_seen"] >= 2 and report["reader_checks"] > 5  # several whole states, never a partial one
    assert report["cli_reader_ok"]


@pytest.mark.slow
def test_two_runs_at_once_one_waits_or_refuses(tmp_path, fixture_run):
    import shutil
    shutil.copyfile(fixture_run["warehouse"], tmp_path / "warehouse.duckdb")
    cmd = [str(BIN / "vendorbrief"), "run", "--plain", "--full", "--sources", str(FIXTURE_SOURCES), "--formats", "pdf",
           "--warehouse", str(tmp_path / "warehouse.duckdb"), "--out", str(tmp_path / "out")]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lock = tmp_path / ".warehouse.duckdb.lock"
    deadline = time.monotonic() + 120
    while f"pid {first.pid}," not in (lock.read_text() if lock.exists() else ""):  # the first run holds the lock
        assert first.poll() is None and time.monotonic() < deadline, "the first run never took the lock"
        time.sleep(0.1)
    second = subprocess.run(cmd, capture_output=True, text=True)
    out_first, _ = first.communicate(timeout=600)
    assert first.returncode == 0, out_first
    assert second.returncode == 3
    assert "another vendorbrief run is writing this warehouse" in " ".join(second.stdout.split() + second.stderr.split())
    assert "Traceback" not in second.stdout + second.stderr
    _consistent(tmp_path / "warehouse.duckdb")


# ---- fuzzing -----------------------------------------------------------------------------------

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40) | st.dates().map(str),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12)
BASE = facts.read_yaml(FIXTURE_SOURCES / "vendors" / "mistral.yaml")


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(BASE) if p]


def _set(node, path, value):
    import copy
    node = copy.deepcopy(node)
    target = node
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return node


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PATHS), VALUES)
def test_fact_loader_fuzz(tmp_path_factory, path, value):
    """Any value anywhere in a vendor file: a valid load or a clear InputError, nothing else."""
    import yaml
    folder = tmp_path_factory.mktemp("fuzz") / "vendors"
    folder.mkdir()
    doc = _set(BASE, path, value)
    target = folder / "mistral.yaml"
    try:
        target.write_text(yaml.safe_dump(doc, allow_unicode=True))
    except yaml.YAMLError:
        return
    try:
        facts.load_vendor_file(target)
    except InputError as exc:
        assert "mistral.yaml" in str(exc)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.dictionaries(st.text(max_size=20), VALUES, max_size=6).map(
    lambda d: json.dumps(d, default=str).encode()))
def test_litellm_loader_fuzz(body):
    """Any bytes: a snapshot (with bad entries quarantined) or a clear InputError, nothing else."""
    try:
        snap = litellm_catalog.parse(body, date(2026, 1, 1), "fuzz.json")
    except InputError as exc:
        assert str(exc).startswith("fuzz.json")
        return
    assert snap.entries
    for row in snap.entries:
        for key in ("input_usd_per_token", "output_usd_per_token"):
            v = row.get(key)
            assert v is None or (0 <= v <= litellm_catalog.MAX_USD_PER_TOKEN)
