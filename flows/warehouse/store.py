"""The DuckDB warehouse: built beside the published file, published by an atomic rename.

A run never writes the published file. It builds `.<name>.build-<run_id>` in the same folder,
copies the history it must keep (LiteLLM snapshots, past runs, data-quality results, edition
baselines) from the published file opened read-only, and replaces the published file with
`os.replace` only when every stage succeeded. Readers holding the old file keep reading it; a
failed or killed run leaves the published file as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from flows.sources import facts as f
from flows.errors import RunLockedError, VendorbriefError
from flows.sources.litellm_catalog import Snapshot
from flows.settings import STORAGE_COMPATIBILITY
from flows.warehouse.build import run_step

# Tables whose rows outlive a run: copied from the published warehouse into every new build.
CARRIED_TABLES = (
    "raw.litellm__snapshots", "raw.litellm__entries", "raw.litellm__tiers", "raw.litellm__quarantine",
    "history.pipeline_runs", "history.dq_results", "history.dq_quarantine", "history.edition_prices",
    "history.edition_funding_rounds", "history.edition_metrics", "history.catalog_counts",
)


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def first_row(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> tuple | None:
    """The first row of a query, or None. fetchall() rather than fetchone(): DuckDB 2 keeps a
    result open after fetchone() and refuses further queries on the connection until it ends."""
    rows = con.execute(query, params or []).fetchall()
    return rows[0] if rows else None


def connect_new(path: Path) -> duckdb.DuckDBPyConnection:
    """A new warehouse file that both Python duckdb 2.x and the 1.5 CLI can read."""
    return duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise VendorbriefError(f"{path}: no warehouse yet; run `vendorbrief run` first")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise VendorbriefError(f"{path}: cannot open the warehouse ({exc})") from None


def journal_path(target: Path) -> Path:
    return target.with_name(target.name + ".runs.jsonl")


@contextmanager
def run_lock(target: Path, wait_seconds: float = 0) -> Iterator[None]:
    """One run at a time per warehouse: a second run waits up to `wait_seconds`, then refuses.
    The kernel drops the lock when its holder dies, so a killed run leaves no stale lock."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.with_name(f".{target.name}.lock")
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise RunLockedError(
                        f"{target}: another vendorbrief run is writing this warehouse ({holder}); "
                        "wait for it to finish and try again") from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class Build:
    run_id: str
    as_of: date
    target: Path
    path: Path
    con: duckdb.DuckDBPyConnection
    started_at: datetime
    vendors: list[str] = field(default_factory=list)
    carried_from: Path | None = None


def _remove_build_leftovers(target: Path) -> None:
    # Only called under the run lock: any build file here belongs to a run that died.
    for leftover in target.parent.glob(f".{target.name}.build-*"):
        leftover.unlink(missing_ok=True)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> int:
    """Append dict rows to an existing table, matching columns by name."""
    if not rows:
        return 0
    frame = pl.DataFrame(rows, infer_schema_length=None)
    con.register("_rows", frame)
    try:
        con.execute(f"insert into {table} by name select * from _rows")  # table names are ours, not data
    finally:
        con.unregister("_rows")
    return len(rows)


def _carry_over(con: duckdb.DuckDBPyConnection, previous: Path) -> None:
    con.execute("attach ? as previous (read_only)", [str(previous)])
    try:
        existing = {
            f"{schema}.{name}" for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'previous'").fetchall()
        }
        for table in CARRIED_TABLES:
            if table in existing:
                con.execute(f"insert into {table} by name select * from previous.{table}")
    finally:
        con.execute("detach previous")


def _import_journal(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Failed runs never publish a warehouse; their records wait in a journal beside it."""
    path = journal_path(target)
    if not path.exists():
        return
    known = {r[0] for r in con.execute("select run_id from history.pipeline_runs").fetchall()}
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a crash; the runs before it are intact
        if record.get("run_id") in known:
            continue
        record["as_of"] = date.fromisoformat(record["as_of"])
        for key in ("started_at", "finished_at"):
            record[key] = datetime.fromisoformat(record[key])
        record["input_hashes"] = None
        rows.append(record)
    if rows:
        con.register("_journal", pl.DataFrame(rows, infer_schema_length=None).drop("input_hashes"))
        con.execute("insert into history.pipeline_runs by name select * from _journal")
        con.unregister("_journal")


def start_build(target: Path, run_id: str, as_of: date, vendors: list[str]) -> Build:
    """Create the build file with every table definition and the carried-over history."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_build_leftovers(target)
    path = target.with_name(f".{target.name}.build-{run_id}")
    con = connect_new(path)
    build = Build(run_id=run_id, as_of=as_of, target=target, path=path, con=con,
                  started_at=datetime.now(UTC), vendors=vendors)
    try:
        run_step(con, "tables")
        if target.exists():
            try:
                _carry_over(con, target)
            except duckdb.Error as exc:
                raise VendorbriefError(
                    f"{target}: cannot read the published warehouse to carry its history over ({exc})") from exc
            build.carried_from = target
        _import_journal(con, target)
        con.execute("insert into raw.run_context values (?, ?, ?)", [run_id, as_of, vendors])
    except BaseException:
        abandon(build)
        raise
    return build


def start_from_copy(target: Path, run_id: str, as_of: date, vendors: list[str]) -> Build:
    """A build that starts as a copy of the published warehouse (its inputs did not change)."""
    _remove_build_leftovers(target)
    path = target.with_name(f".{target.name}.build-{run_id}")
    shutil.copyfile(target, path)
    con = connect_new(path)
    build = Build(run_id=run_id, as_of=as_of, target=target, path=path, con=con,
                  started_at=datetime.now(UTC), vendors=vendors, carried_from=target)
    try:
        _import_journal(con, target)
        con.execute("delete from raw.run_context")
        con.execute("insert into raw.run_context values (?, ?, ?)", [run_id, as_of, vendors])
    except BaseException:
        abandon(build)
        raise
    return build


def load_facts(con: duckdb.DuckDBPyConnection, base: f.FactBase) -> dict[str, int]:
    """Write the curated facts into the raw.facts__* tables; returns rows per table."""
    counts: dict[str, int] = {}

    def put(table: str, rows: list[dict]) -> None:
        con.execute(f"delete from raw.{table}")
        counts[table] = insert_rows(con, f"raw.{table}", rows)

    put("facts__sources", [
        {"source_id": s.id, **s.model_dump(exclude={"id"})} for s in base.sources])
    put("facts__vendors", [
        {"vendor_id": v.vendor.id, "file": v.path, **v.vendor.model_dump(exclude={"id"})} for v in base.vendors])
    put("facts__headcount", [{"vendor_id": vid, **r.model_dump()} for vid, r in base.section("headcount")])
    put("facts__reported_funding_totals",
        [{"vendor_id": vid, **r.model_dump()} for vid, r in base.section("reported_funding_totals")])
    put("facts__funding_rounds", [
        {"round_id": r.id, "vendor_id": vid, **r.model_dump(exclude={"id"})}
        for vid, r in base.section("funding_rounds")])
    put("facts__revenue_estimates",
        [{"vendor_id": vid, **r.model_dump()} for vid, r in base.section("revenue_estimates")])
    put("facts__plans", [
        {"plan_id": r.id, "vendor_id": vid, **r.model_dump(exclude={"id"})} for vid, r in base.section("plans")])
    put("facts__models", [
        {"model_id": r.id, "vendor_id": vid, **r.model_dump(exclude={"id", "catalog_refs"})}
        for vid, r in base.section("models")])
    put("facts__model_catalog_refs", [
        {"model_id": r.id, "ref_order": i, "catalog": ref.source, "provider_id": ref.provider_id,
         "catalog_model_id": ref.model_id if ref.source == "genai-prices" else ref.model_key}
        for _, r in base.section("models") for i, ref in enumerate(r.catalog_refs)])
    put("facts__claims", [
        {"claim_id": r.id, "vendor_id": vid, **r.model_dump(exclude={"id"})} for vid, r in base.section("claims")])
    put("facts__fx_rates", [r.model_dump() for r in base.fx_rates])
    put("facts__vendor_map_rules", [
        {"rule_order": i, "catalog": r.source, "provider_glob": r.provider, "model_glob": r.model,
         "vendor_id": r.vendor_id, "note": r.note} for i, r in enumerate(base.map_rules)])
    return counts


def load_genai(con: duckdb.DuckDBPyConnection, flat: dict[str, list[dict]]) -> dict[str, int]:
    counts = {}
    for name, rows in flat.items():
        table = f"raw.genai_prices__{name}"
        con.execute(f"delete from {table}")
        counts[f"genai_prices__{name}"] = insert_rows(con, table, rows)
    return counts


def add_litellm_snapshot(con: duckdb.DuckDBPyConnection, snap: Snapshot) -> bool:
    """Add a snapshot unless the same content is already loaded; returns whether it was new.

    A different file claiming the same snapshot id or as-of date is refused: history must not be
    silently rewritten.
    """
    same = first_row(con, "select snapshot_id, as_of from raw.litellm__snapshots where sha256 = ?",
                       [snap.sha256])
    if same:
        return False
    clash = first_row(
        con,
        "select snapshot_id, as_of from raw.litellm__snapshots where snapshot_id = ? or as_of = ?",
        [snap.snapshot_id, snap.as_of])
    if clash:
        raise VendorbriefError(
            f"{snap.source_uri}: a different LiteLLM snapshot is already loaded as {clash[0]} "
            f"(as of {clash[1]}); give this one another --as-of date")
    insert_rows(con, "raw.litellm__snapshots", [snap.row()])
    insert_rows(con, "raw.litellm__entries", snap.entries)
    insert_rows(con, "raw.litellm__tiers", snap.tiers)
    insert_rows(con, "raw.litellm__quarantine", snap.quarantine)
    return True


def record_run(build: Build, status: str, stages_run: list[str], stages_skipped: list[str],
               input_hashes: dict[str, str], message: str | None = None) -> None:
    build.con.execute("delete from history.pipeline_runs where run_id = ?", [build.run_id])
    build.con.execute(
        "insert into history.pipeline_runs values (?, ?, ?, ?, ?, ?, ?, ?, map(?, ?), ?)",
        [build.run_id, build.as_of, build.started_at, datetime.now(UTC), status, build.vendors,
         stages_run, stages_skipped, list(input_hashes), list(input_hashes.values()), message])


def publish(build: Build) -> Path:
    """Close the build and move it onto the published path in one rename."""
    build.con.execute("checkpoint")
    build.con.close()
    wal = build.path.with_name(build.path.name + ".wal")
    if wal.exists():
        raise VendorbriefError(f"{build.path}: write-ahead log left after checkpoint; not publishing")
    stale = build.target.with_name(build.target.name + ".wal")
    if stale.exists():
        # A WAL beside the target belongs to a writer that died: it would make the new file
        # refuse to open. Keep it aside rather than delete it.
        os.replace(stale, stale.with_name(f"{stale.name}.stale-{build.run_id}"))
    os.replace(build.path, build.target)
    _fsync_dir(build.target.parent)
    return build.target


def abandon(build: Build) -> None:
    try:
        build.con.close()
    except duckdb.Error:
        pass
    for p in (build.path, build.path.with_name(build.path.name + ".wal")):
        p.unlink(missing_ok=True)


def journal_failure(target: Path, run_id: str, as_of: date, started_at: datetime, vendors: list[str],
                    message: str) -> None:
    record = {"run_id": run_id, "as_of": as_of.isoformat(), "started_at": started_at.isoformat(),
              "finished_at": datetime.now(UTC).isoformat(), "status": "failed", "vendors": vendors,
              "stages_run": [], "stages_skipped": [], "message": message[:2000]}
    target.parent.mkdir(parents=True, exist_ok=True)
    with journal_path(target).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
