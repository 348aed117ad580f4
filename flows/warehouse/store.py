"""The DuckDB warehouse: built beside the published file, published by an atomic rename.

A run never writes the published file. It builds `.<name>.build-<run_id>` in the same folder,
copies the history it must keep (LiteLLM snapshots, past runs, data-quality results, edition
baselines) from the published file opened read-only, and replaces the published file with
`os.replace` only when every stage succeeded. Readers holding the old file keep reading it; a
failed or killed run leaves the published file as it was.
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from flows.errors import RunLockedError, VendorbriefError
from flows.settings import SQL_DIR, STORAGE_COMPATIBILITY
from flows.sources import facts as f
from flows.sources.litellm_catalog import Snapshot
from flows.warehouse.build import run_step

# Tables whose rows outlive a run: copied from the published warehouse into every new build.
# The catalogs' snapshots (LiteLLM maps, genai-prices data files and package versions) with the
# bytes they were parsed from, then the run history.
CARRIED_TABLES = (
    "raw.litellm__snapshots", "raw.litellm__entries", "raw.litellm__tiers", "raw.litellm__quarantine",
    "raw.litellm__files",
    "raw.genai_prices__snapshots", "raw.genai_prices__providers", "raw.genai_prices__models",
    "raw.genai_prices__prices", "raw.genai_prices__components", "raw.genai_prices__tiers",
    "raw.genai_prices__variants", "raw.genai_prices__quarantine", "raw.genai_prices__files",
    "history.pipeline_runs", "history.dq_results", "history.dq_quarantine", "history.edition_prices",
    "history.edition_funding_rounds", "history.edition_metrics", "history.catalog_counts",
)


def new_run_id(now: datetime | None = None) -> str:
    """A new run id: the UTC time to the second and 6 random hex digits, e.g. 20261129T061929Z-f4ff27."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def first_row(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> tuple | None:
    """The first row of a query, or None. fetchall() rather than fetchone(): DuckDB 2 keeps a
    result open after fetchone() and refuses further queries on the connection until it ends."""
    rows = con.execute(query, params or []).fetchall()
    return rows[0] if rows else None


_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")


@cache
def sql_file(rel: str) -> tuple[str, frozenset[str]]:
    """The one statement of sql/<rel> (final semicolon removed) and the names of the DuckDB named
    parameters ($name) it uses; `--` comments are not searched for parameters."""
    text = (SQL_DIR / rel).read_text(encoding="utf-8").strip().rstrip(";")
    code = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
    return text, frozenset(_PARAMETER.findall(code))


def _run_file(con: duckdb.DuckDBPyConnection, rel: str, params: Mapping[str, Any] | None,
              frames: Mapping[str, Any] | None, fetch: Callable[[str, dict[str, Any]], Any]) -> Any:
    text, names = sql_file(rel)
    params = params or {}
    missing = sorted(names - set(params))
    if missing:
        raise VendorbriefError(f"sql/{rel}: no value for parameter(s) {', '.join(missing)}")
    for name, frame in (frames or {}).items():
        con.register(name, frame)
    try:
        return fetch(text, {k: params[k] for k in names})
    except duckdb.Error as exc:
        raise VendorbriefError(f"sql/{rel}: {exc}") from exc
    finally:
        for name in frames or {}:
            con.unregister(name)


def run_file(con: duckdb.DuckDBPyConnection, rel: str, params: Mapping[str, Any] | None = None,
             frames: Mapping[str, Any] | None = None) -> list[tuple]:
    """Run the one statement of sql/<rel> and return its rows (a write returns its row count).

    params: the DuckDB named parameters ($name) by name; those the file does not use are not
    passed, a missing one raises VendorbriefError. frames: Polars or pandas frames registered as
    relations under their names while the statement runs (a file that reads one names it).
    A failing statement raises VendorbriefError naming the file."""
    return _run_file(con, rel, params, frames, lambda text, values: con.execute(text, values).fetchall())


def read_file(con: duckdb.DuckDBPyConnection, rel: str, params: Mapping[str, Any] | None = None,
              frames: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """The result of the select in sql/<rel> as a Polars frame (parameters as for run_file)."""
    return _run_file(con, rel, params, frames, lambda text, values: con.sql(text, params=values).pl())


def relation_file(con: duckdb.DuckDBPyConnection, rel: str, params: Mapping[str, Any] | None = None) -> duckdb.DuckDBPyRelation:
    """The select of sql/<rel> as a DuckDB relation, to order or convert (`.df()`, `.pl()`);
    parameters as for run_file. Raises VendorbriefError when a parameter is missing."""
    return _run_file(con, rel, params, None, lambda text, values: con.sql(text, params=values))


def connect_new(path: Path) -> duckdb.DuckDBPyConnection:
    """A new warehouse file that both Python duckdb 2.x and the 1.5 CLI can read."""
    return duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a published warehouse (it never blocks a writer's next swap).
    Raises VendorbriefError when the file does not exist or cannot be opened."""
    if not path.exists():
        raise VendorbriefError(f"{path}: no warehouse yet; run `vendorbrief run` first")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise VendorbriefError(f"{path}: cannot open the warehouse ({exc})") from None


def journal_path(target: Path) -> Path:
    """The journal of failed runs beside the warehouse: <warehouse>.runs.jsonl."""
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
    """A warehouse being built: the file beside the published one, its read-write connection and the run it belongs to."""
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


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    """Append a frame's rows to an existing table, matching columns by name."""
    con.register("_frame_rows", frame)
    try:
        con.execute(f"insert into {table} by name select * from _frame_rows")  # table names are ours, not data
    finally:
        con.unregister("_frame_rows")
    return frame.height


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
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a crash; the runs before it are intact
        record["as_of"] = date.fromisoformat(record["as_of"])
        for key in ("started_at", "finished_at"):
            record[key] = datetime.fromisoformat(record[key])
        record.pop("input_hashes", None)
        rows.append(record)
    if rows:  # runs already recorded are left out by the statement
        run_file(con, "history/record/pipeline_runs_from_journal.sql",
                 frames={"journal_rows": pl.DataFrame(rows, infer_schema_length=None)})


def _set_run_context(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, vendors: list[str]) -> None:
    """raw.run_context: the one row the SQL layers read the run's id, date and vendors from."""
    con.execute("delete from raw.run_context")
    con.execute("insert into raw.run_context values (?, ?, ?)", [run_id, as_of, vendors])


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
        _set_run_context(con, run_id, as_of, vendors)
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
        _set_run_context(con, run_id, as_of, vendors)
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
    put("facts__reported_valuations",
        [{"vendor_id": vid, **r.model_dump()} for vid, r in base.section("reported_valuations")])
    put("facts__funding_rounds", [
        {"round_id": r.id, "vendor_id": vid, **r.model_dump(exclude={"id"})}
        for vid, r in base.section("funding_rounds")])
    put("facts__revenue_estimates",
        [{"vendor_id": vid, **r.model_dump()} for vid, r in base.section("revenue_estimates")])
    put("facts__plans", [
        {"plan_id": r.id, "vendor_id": vid, **r.model_dump(exclude={"id"})} for vid, r in base.section("plans")])
    put("facts__models", [
        {"model_id": r.id, "vendor_id": vid, **r.model_dump(exclude={"id", "catalog_refs", "list_price"})}
        for vid, r in base.section("models")])
    put("facts__model_list_prices", [
        {"model_id": r.id, **r.list_price.model_dump()} for _, r in base.section("models") if r.list_price])
    put("facts__platforms", [
        {"platform_order": i, "catalog": p.source, "provider_id": p.provider, "vendor_id": p.vendor_id, "note": p.note}
        for i, p in enumerate(base.platforms)])
    put("facts__model_catalog_refs", [
        {"model_id": r.id, "ref_order": i, "catalog": ref.source, "provider_id": ref.provider_id,
         "catalog_model_id": ref.model_id if ref.source == "genai-prices" else ref.model_key}
        for _, r in base.section("models") for i, ref in enumerate(r.catalog_refs)])
    put("facts__claims", [
        {"claim_id": r.id, "vendor_id": vid, **r.model_dump(exclude={"id"})} for vid, r in base.section("claims")])
    for section, key in (("products", "product_id"), ("customers", "customer_id"), ("market_estimates", "estimate_id")):
        put(f"facts__{section}", [{key: r.id, "vendor_id": vid, **r.model_dump(exclude={"id"})}
                                  for vid, r in base.section(section)])
    put("facts__fx_rates", [r.model_dump() for r in base.fx_rates])
    put("facts__vendor_map_rules", [
        {"rule_order": i, "catalog": r.source, "provider_glob": r.provider, "model_glob": r.model,
         "vendor_id": r.vendor_id, "note": r.note} for i, r in enumerate(base.map_rules)])
    return counts


@dataclass(frozen=True)
class Catalog:
    """Where one price catalog keeps its snapshots: the snapshot table and its key column, the
    tables of rows (table name -> the rows' name in a parsed snapshot), the stored bytes, and the
    statements that find, move and list snapshots (sql/reads/, sql/catalog/)."""
    name: str
    snapshots: str
    key: str
    tables: tuple[tuple[str, str], ...]
    files: str
    matches: str
    move: str
    to_parse: str


LITELLM = Catalog(
    name="LiteLLM", snapshots="raw.litellm__snapshots", key="snapshot_id",
    tables=(("raw.litellm__entries", "entries"), ("raw.litellm__tiers", "tiers"),
            ("raw.litellm__quarantine", "quarantine")),
    files="raw.litellm__files", matches="reads/litellm_snapshot_matches.sql",
    move="catalog/litellm_snapshot_moved.sql", to_parse="reads/litellm_snapshots_to_parse.sql")
GENAI_PRICES = Catalog(
    name="genai-prices", snapshots="raw.genai_prices__snapshots", key="snapshot",
    tables=tuple((f"raw.genai_prices__{t}", t) for t in
                 ("providers", "models", "prices", "components", "tiers", "variants", "quarantine")),
    files="raw.genai_prices__files", matches="reads/genai_prices_snapshot_matches.sql",
    move="catalog/genai_prices_snapshot_moved.sql", to_parse="reads/genai_prices_snapshots_to_parse.sql")


@dataclass
class SnapshotLoad:
    """What adding one snapshot did: `new` (loaded), `moved` (the same content was recorded at a
    later date: its date, and so its periods, moved earlier) or `known` (the same content is
    recorded at this date or an earlier one: nothing changed)."""
    catalog: str
    snapshot: str
    status: str
    as_of: date  # the date the snapshot is recorded under now
    observed_on: date  # the date this load observed it
    previous_as_of: date | None = None
    source_uri: str = ""

    def message(self) -> str | None:
        """One line for the user, or None for a new snapshot (counted instead)."""
        name = f"{self.catalog} snapshot {self.snapshot} ({self.source_uri[:200]})"
        if self.status == "moved":
            return (f"{name}: the same content was recorded as of {self.previous_as_of}; observed on "
                    f"{self.observed_on}, its periods now start {self.as_of} (the earliest observation wins)")
        if self.status == "known":
            earlier = "" if self.as_of == self.observed_on else f", earlier than {self.observed_on}"
            return f"{name}: the same content is already loaded as of {self.as_of}{earlier}; nothing changed"
        return None


def _snapshot_rows(catalog: Catalog, snap: Any) -> dict[str, list[dict]]:
    """The rows of a parsed snapshot (litellm_catalog.Snapshot or genai_catalog.Snapshot) by table."""
    if catalog is LITELLM:
        return {table: getattr(snap, part) for table, part in catalog.tables}
    return {table: snap.tables[part] for table, part in catalog.tables}


def _snapshot_key(catalog: Catalog, snap: Any) -> str:
    return snap.snapshot_id if catalog is LITELLM else snap.snapshot


def add_snapshot(con: duckdb.DuckDBPyConnection, catalog: Catalog, snap: Any) -> SnapshotLoad:
    """Add a parsed snapshot of `catalog` unless the same content is already loaded.

    The same content (sha256) observed at an earlier date than the one recorded moves the
    snapshot to that date (the earliest observation wins); observed at the same or a later date,
    nothing changes. A different file claiming the same snapshot id or as-of date is refused
    (VendorbriefError): history must not be silently rewritten."""
    key = _snapshot_key(catalog, snap)
    matches = run_file(con, catalog.matches, {"sha256": snap.sha256, "snapshot_id": key, "as_of": snap.as_of})
    same = [m for m in matches if m[2]]
    load = SnapshotLoad(catalog.name, key, "new", snap.as_of, snap.as_of, source_uri=snap.source_uri)
    if same:
        known_id, known_on = same[0][0], same[0][1]
        load.snapshot, load.previous_as_of = known_id, known_on
        if snap.as_of >= known_on:
            load.status, load.as_of = "known", known_on
            return load
        clash = [m for m in matches if not m[2] and m[1] == snap.as_of]
        if clash:
            raise VendorbriefError(
                f"{snap.source_uri}: cannot move {catalog.name} snapshot {known_id} to {snap.as_of}: a different "
                f"snapshot is already loaded as {clash[0][0]} (as of {clash[0][1]})")
        run_file(con, catalog.move, {"snapshot_id": known_id, "as_of": snap.as_of})
        load.status = "moved"
        return load
    if matches:
        clash = matches[0]
        raise VendorbriefError(
            f"{snap.source_uri}: a different {catalog.name} snapshot is already loaded as {clash[0]} "
            f"(as of {clash[1]}); give this one another --as-of date")
    _insert_snapshot(con, catalog, snap)
    return load


def _insert_snapshot(con: duckdb.DuckDBPyConnection, catalog: Catalog, snap: Any) -> None:
    insert_rows(con, catalog.snapshots, [snap.row()])
    for table, rows in _snapshot_rows(catalog, snap).items():
        insert_rows(con, table, rows)
    if snap.content is not None:
        insert_rows(con, catalog.files, [{catalog.key: _snapshot_key(catalog, snap), "sha256": snap.sha256,
                                          "content_gzip": gzip.compress(snap.content, mtime=0)}])


def replace_snapshot(con: duckdb.DuckDBPyConnection, catalog: Catalog, snap: Any) -> None:
    """Replace a loaded snapshot's rows with `snap`'s (parsed again, under the same key, date and
    bytes): what a newer loader makes of the same file."""
    key = _snapshot_key(catalog, snap)
    for table in (catalog.snapshots, *(t for t, _ in catalog.tables)):
        delete_rows(con, table, catalog.key, key)
    if snap.content is not None:
        delete_rows(con, catalog.files, catalog.key, key)
    _insert_snapshot(con, catalog, snap)


def snapshots_to_parse(con: duckdb.DuckDBPyConnection, catalog: Catalog, parser_version: int) -> list[dict]:
    """Loaded snapshots parsed by another loader version than `parser_version`: key, as_of,
    sha256, source_uri, version and their stored bytes (None when not stored), ungzipped."""
    rows = read_file(con, catalog.to_parse, {"parser_version": parser_version}).to_dicts()
    for r in rows:
        r["content"] = gzip.decompress(r.pop("content_gzip")) if r.get("content_gzip") is not None else None
    return rows


def snapshot_as_of(con: duckdb.DuckDBPyConnection, catalog: Catalog, key: str) -> date | None:
    """The date a loaded snapshot is recorded under, or None when it is not loaded."""
    rows = run_file(con, catalog.matches, {"sha256": "", "snapshot_id": key, "as_of": date.max})
    return next((as_of for snap, as_of, _ in rows if snap == key), None)


def delete_rows(con: duckdb.DuckDBPyConnection, table: str, column: str, value: Any) -> None:
    """Delete the rows of `table` whose `column` equals `value` (table and column names are ours)."""
    con.execute(f"delete from {table} where {column} = ?", [value])


def add_litellm_snapshot(con: duckdb.DuckDBPyConnection, snap: Snapshot) -> bool:
    """Add a LiteLLM snapshot (see add_snapshot); returns whether it was new."""
    return add_snapshot(con, LITELLM, snap).status == "new"


def record_run(build: Build, status: str, stages_run: list[str], stages_skipped: list[str],
               input_hashes: dict[str, str], message: str | None = None) -> None:
    """Record the run in its own build (history.pipeline_runs, sql/history/record/pipeline_runs.sql).
    Run ids are new for every run: the build holds no earlier record of this one."""
    run_file(build.con, "history/record/pipeline_runs.sql", {
        "run_id": build.run_id, "as_of": build.as_of, "started_at": build.started_at, "finished_at": datetime.now(UTC),
        "status": status, "vendors": build.vendors, "stages_run": stages_run, "stages_skipped": stages_skipped,
        "hash_names": list(input_hashes), "hash_values": list(input_hashes.values()), "message": message})


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
    """Close and delete a build and its WAL: nothing of a failed run reaches the published path."""
    try:
        build.con.close()
    except duckdb.Error:
        pass
    for p in (build.path, build.path.with_name(build.path.name + ".wal")):
        p.unlink(missing_ok=True)


def journal_failure(target: Path, run_id: str, as_of: date, started_at: datetime, vendors: list[str],
                    message: str) -> None:
    """Append a failed run's record (JSON line) to the journal beside the warehouse; the next successful run
    imports it into history.pipeline_runs."""
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
