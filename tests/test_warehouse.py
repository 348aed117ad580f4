"""The warehouse file: reproducible contents, atomic publication, readable by the DuckDB CLI.

Two whole runs only: one from scratch (reproducibility) and one full rerun under open readers."""

from __future__ import annotations

import hashlib
import select
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from .conftest import run_pipeline

# Run bookkeeping differs between runs by nature; everything else must not.
RUN_LOGS = {"history", "raw.run_context", "main.pipeline_runs", "main.dq_results", "main.dq_quarantine",
            "marts.edition_changes", "main.edition_changes", "marts.edition_baseline"}


def contents(path: Path) -> dict[str, str]:
    """A digest of every table and view's sorted rows."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        names = [f"{s}.{t}" for s, t in con.execute("""
            select schema_name, table_name from duckdb_tables() where database_name = current_database()
            union all select schema_name, view_name from duckdb_views()
            where not internal and database_name = current_database()""").fetchall()]
        for name in sorted(names):
            if name in RUN_LOGS or name.split(".")[0] in RUN_LOGS:
                continue
            cols = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where schema_name || '.' || table_name = ?", [name]).fetchall()
                if c not in ("run_id", "previous_run_id")]
            body = con.execute(f"select {', '.join(cols)} from {name}").fetchall()  # names come from the catalog
            out[name] = hashlib.sha256(repr(sorted(map(repr, body))).encode()).hexdigest()
    return out


@pytest.mark.slow
def test_same_inputs_give_identical_contents_and_byte_identical_pdfs_serial_or_parallel(tmp_path, fixture_run):
    """A second run from scratch, rendering in one process where the session run used two."""
    again = run_pipeline(tmp_path, formats=("pdf",), workers=1)
    assert again["status"] == "success"
    a, b = contents(fixture_run["warehouse"]), contents(tmp_path / "warehouse.duckdb")
    assert a.keys() == b.keys() and len(a) > 60
    assert {k for k in a if a[k] != b[k]} == set()
    for name in ("mistral", "openai", "landscape"):
        mine, theirs = tmp_path / "out" / "latest" / f"{name}.pdf", fixture_run["out"] / "latest" / f"{name}.pdf"
        assert mine.read_bytes() == theirs.read_bytes(), (name, _text_diff(theirs, mine))


def _text_diff(a: Path, b: Path) -> str:
    """Where two PDFs' texts differ (to tell a content change from a byte-level one)."""
    import difflib

    from pypdf import PdfReader

    def lines(path: Path) -> list[str]:
        return [line for page in PdfReader(str(path)).pages for line in page.extract_text().splitlines()]

    return "\n".join(list(difflib.unified_diff(lines(a), lines(b), lineterm="", n=1))[:30]) or "same text"


# A reader that holds the file open and checks, until told to stop, that it keeps seeing one
# consistent state; it prints "ready" once it has the file open.
READER = r"""
import os, sys, time, duckdb
path, stop = sys.argv[1], sys.argv[2]
con = duckdb.connect(path, read_only=True)
first = con.execute("select run_id from raw.run_context").fetchall()[0][0]
print("ready", flush=True)
counts, checks = set(), 0
while not os.path.exists(stop) or checks < 3:
    run = con.execute("select run_id from raw.run_context").fetchall()[0][0]
    n = con.execute("select count(*) from price_history").fetchall()[0][0]
    m = con.execute("select count(*) from marts.price_history").fetchall()[0][0]
    assert run == first and n == m, (run, first, n, m)
    counts.add(n)
    checks += 1
    time.sleep(0.05)
print(first, len(counts), checks)
"""


@pytest.mark.slow
def test_full_rerun_under_open_readers_changes_no_data_and_blocks_no_one(tmp_path, fixture_run):
    """A full rerun on the published warehouse while a Python reader and a DuckDB CLI session
    hold it open: the run is not blocked, the readers keep their consistent state, the new state
    is the old data, and the DuckDB CLI (1.5) reads the file."""
    cli = Path(sys.executable).with_name("duckdb")
    wh = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_run["warehouse"], wh)
    before = contents(wh)
    with duckdb.connect(str(wh), read_only=True) as con:
        old_run = con.execute("select run_id from raw.run_context").fetchall()[0][0]

    version = subprocess.run([str(cli), "-version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1.5")
    result = subprocess.run([str(cli), "-readonly", "-csv", str(wh), "-c",
                             "select count(*) > 1000 from price_history; select vendor_id from vendors order by 1"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "true" in result.stdout and "mistral" in result.stdout

    stop = tmp_path / "stop-reading"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(wh), str(stop)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    holder = subprocess.Popen([str(cli), "-readonly", "-csv", str(wh)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert select.select([reader.stdout], [], [], 60)[0], "the reader did not start"
        assert reader.stdout.readline().strip() == "ready"
        holder.stdin.write("select count(*) from vendors;\n")
        holder.stdin.flush()
        assert select.select([holder.stdout], [], [], 60)[0], "the DuckDB CLI did not answer"  # it has the file open
        summary = run_pipeline(tmp_path, formats=("pdf",), full=True)
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=120)
        held, _ = holder.communicate("select count(*) from vendors;\n.quit\n", timeout=60)
    assert reader.returncode == 0, err
    assert out.split()[0] == old_run and out.split()[1] == "1"  # the reader saw one consistent state
    assert summary["status"] == "success" and "2" in held
    assert summary["stages_run"] == ["ingest", "transform", "validate", "metrics", "render"]
    assert summary["stages_skipped"] == []
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute("select run_id from raw.run_context").fetchall()[0][0] == summary["run_id"]
    assert not list(tmp_path.glob(".warehouse.duckdb.build-*")) and not Path(f"{wh}.wal").exists()
    after = contents(wh)
    # drift guards compare with the previous run, which now exists
    relative = {"marts.catalog_drift", "marts.price_moves"}
    assert {k for k in before if before[k] != after.get(k)} - relative == set()


def test_changed_suites_also_run_the_metrics_they_check(tmp_path):
    from datetime import date

    from flows.run import STAGE_INPUTS, RunParams, plan

    hashes = {k: "same" for inputs in STAGE_INPUTS.values() for k in inputs}
    previous = {"run_id": "r", "as_of": date(2026, 11, 29), "hashes": dict(hashes)}
    params = RunParams(as_of=date(2026, 11, 29), warehouse=tmp_path / "w.duckdb", out_dir=tmp_path)
    assert plan(hashes, previous, params) == ["render"]
    assert plan({**hashes, "expectations": "edited"}, previous, params) == ["validate", "metrics", "render"]
    assert plan({**hashes, "facts": "edited"}, previous, params) == ["ingest", "transform", "validate", "metrics", "render"]
    assert plan({**hashes, "as_of": "2026-11-30"}, previous, params) == ["transform", "validate", "metrics", "render"]
