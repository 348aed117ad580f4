"""Fault campaign: runs killed with SIGKILL at random points, then the published state checked.

    python -m tests.faults --trials 60        (make faults)

Each trial starts `vendorbrief run` on one of two fact sets (A and B, which differ in one
headcount) and kills the whole process group after a random delay spread over a full run's
duration, so that every stage gets hit. After each kill it checks that the published warehouse
opens, holds exactly the contents of A or of B (never a mix), that every published PDF and HTML
file is complete, and that no lock, WAL or build file blocks the next run. Every fifth trial runs
to the end instead and must succeed. Prints the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "sources"
BIN = Path(sys.executable).parent
# Run bookkeeping and the marts that compare with the previous run differ by nature.
VARIABLE = {"history", "raw.run_context", "main.pipeline_runs", "main.dq_results", "main.dq_quarantine",
            "marts.edition_changes", "main.edition_changes", "marts.edition_baseline", "marts.catalog_drift",
            "marts.price_moves"}


def digest(path: Path) -> str:
    """One hash of every table and view outside the run logs; opening the file is the first check.
    Each table counts as the multiset of its rows (DuckDB's row hashes, summed), so row order and
    run ids do not matter."""
    h = hashlib.sha256()
    with duckdb.connect(str(path), read_only=True) as con:
        names = [f"{s}.{t}" for s, t in con.execute("""
            select schema_name, table_name from duckdb_tables() where database_name = current_database()
            union all select schema_name, view_name from duckdb_views()
            where not internal and database_name = current_database() order by 1, 2""").fetchall()]
        for name in names:
            if name in VARIABLE or name.split(".")[0] in VARIABLE:
                continue
            cols = [f'"{c}"' for (c,) in con.execute(
                "select column_name from duckdb_columns() where schema_name || '.' || table_name = ? order by column_index",
                [name]).fetchall() if c not in ("run_id", "previous_run_id")]
            # names from the catalog, quoted
            count, total = con.execute(f"select count(*), sum(hash({', '.join(cols)})::hugeint) from {name}").fetchone()
            h.update(f"{name}\0{count}\0{total}\0".encode())
    return h.hexdigest()


def outputs_complete(out: Path) -> list[str]:
    """Problems with published files: every PDF parses to the end, every HTML file is whole."""
    problems = []
    for path in sorted((out / "latest").glob("*")) if (out / "latest").exists() else []:
        if path.name.startswith("."):
            problems.append(f"temporary file published: {path.name}")
        elif path.suffix == ".pdf":
            try:
                body = path.read_bytes()
                if not body.rstrip().endswith(b"%%EOF") or len(PdfReader(path).pages) < 1:
                    problems.append(f"incomplete PDF {path.name}")
            except Exception as exc:  # noqa: BLE001 - any parse failure is the finding
                problems.append(f"unreadable PDF {path.name}: {exc}")
        elif path.suffix == ".html" and not path.read_text(errors="replace").rstrip().endswith("</html>"):
            problems.append(f"incomplete HTML {path.name}")
        elif path.suffix == ".json":
            json.loads(path.read_text())
    return problems


def command(work: Path, sources: Path) -> list[str]:
    return [str(BIN / "vendorbrief"), "run", "--plain", "--full", "--as-of", "2026-11-29", "--formats", "pdf,html",
            "--sources", str(sources), "--warehouse", str(work / "warehouse.duckdb"), "--out", str(work / "out")]


def prepare(work: Path, start: Path | None = None) -> dict:
    """Fact sets A and B, and the digests of a complete run of each. `start`: a warehouse already
    built from fact set A (tests/data/sources) on 2026-11-29, published as the first state instead
    of running A again."""
    sources = fact_sets(work)
    digests, seconds = {}, []
    for name in ("B", "A"):
        folder = work / "prepare-b" if start is not None else work
        if name == "A" and start is not None:
            shutil.copyfile(start, work / "warehouse.duckdb")
            digests[name] = digest(work / "warehouse.duckdb")
            continue
        t0 = time.monotonic()
        subprocess.run(command(folder, sources[name]), check=True, capture_output=True)
        seconds.append(time.monotonic() - t0)
        digests[name] = digest(folder / "warehouse.duckdb")
    assert digests["A"] != digests["B"]
    # the quickest run: on a busy machine a run can take longer than usual, and kill times
    # spread over too long a span would let the last trials finish instead of being killed
    return {"sources": sources, "digests": digests, "full_run_seconds": min(seconds)}


def fact_sets(work: Path) -> dict[str, Path]:
    """Fact sets A and B: A is tests/data/sources itself (which runs only read, and which the
    session warehouse of the tests is built from), B a copy in `work` with one headcount changed."""
    work.mkdir(parents=True, exist_ok=True)
    b = work / "sources-b"
    shutil.rmtree(b, ignore_errors=True)
    shutil.copytree(FIXTURES, b)
    facts = b / "vendors" / "mistral.yaml"
    facts.write_text(facts.read_text().replace("employees: 200", "employees: 250"))
    return {"A": FIXTURES, "B": b}


def trial(work: Path, ctx: dict, sources_name: str, kill_after: float | None) -> dict:
    """One run of `sources_name`, killed after `kill_after` seconds (None: let it finish)."""
    before = digest(work / "warehouse.duckdb")
    proc = subprocess.Popen(command(work, ctx["sources"][sources_name]), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    killed = False
    t0 = time.monotonic()
    if kill_after is not None:
        try:
            proc.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
    out, _ = proc.communicate()
    seconds = time.monotonic() - t0
    problems = []
    if not killed and proc.returncode != 0:
        problems.append(f"run exited {proc.returncode}: {out.decode(errors='replace')[-500:]}")
    try:
        after = digest(work / "warehouse.duckdb")
    except Exception as exc:  # noqa: BLE001 - the file must open
        problems.append(f"published warehouse does not open: {exc}")
        after = None
    allowed = {before, ctx["digests"][sources_name]}
    if after is not None and after not in allowed:
        problems.append("published warehouse is neither the previous state nor the new one")
    if killed is False and after != ctx["digests"][sources_name]:
        problems.append("a completed run did not publish its state")
    problems += outputs_complete(work / "out")
    if Path(f"{work / 'warehouse.duckdb'}.wal").exists():
        problems.append("WAL left beside the published warehouse")
    return {"killed": killed, "kill_after": kill_after, "sources": sources_name, "changed": after != before,
            "seconds": seconds, "problems": problems}


def campaign(work: Path, trials: int, seed: int = 7, start: Path | None = None) -> dict:
    """`trials` killed or completed runs on `work` (prepared here, from `start`: see `prepare`).
    Every fifth trial runs to the end, and so does a last one after a kill."""
    ctx = prepare(work, start)
    rng = random.Random(seed)
    span = ctx["full_run_seconds"]
    results = []
    current = "A"
    kills = max(trials - trials // 5, 1)
    k = 0
    for i in range(trials):
        target = "B" if current == "A" else "A"
        finish = (i + 1) % 5 == 0
        # stratified kill times: the kills spread over the whole run, from interpreter start to
        # publication, whatever the number of trials
        kill_after = None if finish else span * (k % kills + rng.random()) / kills
        k += not finish
        r = trial(work, ctx, target, kill_after)
        results.append(r)
        if not r["killed"] and not r["problems"]:
            span = min(span, r["seconds"])  # a run that finished tells how long a run takes now
        if r["changed"]:
            current = target
        print(f"trial {i + 1:3d}: {'finish' if finish else f'kill at {kill_after:5.1f}s'} -> "
              f"{'published' if r['changed'] else 'previous state kept'}; "
              f"{'OK' if not r['problems'] else 'PROBLEMS: ' + '; '.join(r['problems'])}", flush=True)
    if results[-1]["killed"]:  # the next run after the last kill must complete and publish
        results.append(trial(work, ctx, "B" if current == "A" else "A", None))
    killed = [r for r in results if r["killed"]]
    return {
        "full_run_seconds": round(span, 1),
        "faults_injected": len(killed),
        "faults_survived": sum(not r["problems"] for r in killed),
        "killed_runs_that_published": sum(r["changed"] for r in killed),
        "completed_runs": sum(not r["killed"] for r in results),
        "completed_runs_ok": sum(not r["killed"] and not r["problems"] for r in results),
        "problems": [p for r in results for p in r["problems"]],
    }


CHECK = """
import sys, duckdb
with duckdb.connect(sys.argv[1], read_only=True) as con:
    [(run_id,)] = con.execute("select run_id from raw.run_context").fetchall()
    status = con.execute("select status from pipeline_runs where run_id = ?", [run_id]).fetchall()
    a = con.execute("select count(*) from price_history").fetchall()[0][0]
    b = con.execute("select count(*) from marts.price_history").fetchall()[0][0]
    models = con.execute("select count(*) from models").fetchall()[0][0]
assert status == [("success",)] and a == b > 1000 and models >= 3, (status, a, b, models)
print(run_id)
"""


def new_reader(path: Path) -> str:
    """A new process opens the published file, as a new reader would, and checks it is whole.
    (A second connection in one process shares the instance of the file it first opened.)"""
    done = subprocess.run([sys.executable, "-c", CHECK, str(path)], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(done.stderr[-500:])
    return done.stdout.strip()


def readers_during_runs(work: Path, runs: int, ctx: dict | None = None, pause: float = 0.1) -> dict:
    """`runs` consecutive runs while a Python reader keeps the file open, new readers keep
    opening it (a new process `pause` seconds after the previous one is done), and a DuckDB CLI
    session holds it: every run must succeed, every reader must see whole states."""
    import threading

    ctx = ctx or prepare(work)
    wh = work / "warehouse.duckdb"
    stop, seen, errors = threading.Event(), set(), []
    held = duckdb.connect(str(wh), read_only=True)
    held_run = held.execute("select run_id from raw.run_context").fetchall()[0][0]
    checks = [0]

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.add(new_reader(wh))
                if held.execute("select run_id from raw.run_context").fetchall()[0][0] != held_run:
                    raise AssertionError("the open reader's view changed under it")
                checks[0] += 1
            except Exception as exc:  # noqa: BLE001 - collected and reported
                errors.append(repr(exc))
            time.sleep(pause)

    cli = subprocess.Popen([str(BIN / "duckdb"), "-readonly", str(wh)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    thread = threading.Thread(target=reader)
    thread.start()
    codes = []
    try:
        for i in range(runs):
            done = subprocess.run(command(work, ctx["sources"]["BA"[i % 2]]), capture_output=True, text=True)
            codes.append(done.returncode)
        seen.add(new_reader(wh))  # a new reader after the last run sees its state
    finally:
        stop.set()
        thread.join()
        out, _ = cli.communicate("select count(*) > 0 from vendors;\n.quit\n", timeout=60)
        held.close()
    return {"runs_with_readers": runs, "run_failures": sum(c != 0 for c in codes), "reader_checks": checks[0],
            "reader_errors": errors, "states_seen": len(seen), "cli_reader_ok": "true" in out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--readers", type=int, default=10, help="consecutive runs with concurrent readers")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "faults-work")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    report = campaign(args.work, args.trials)
    print(json.dumps(report, indent=2), flush=True)
    readers = readers_during_runs(args.work / "readers", args.readers)
    print(json.dumps(readers, indent=2))
    ok = not report["problems"] and not readers["run_failures"] and not readers["reader_errors"] and readers["cli_reader_ok"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
