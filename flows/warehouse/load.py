"""The ingest stage as plain functions: sources into raw tables, then the SQL layers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from flows.sources import facts

from flows.sources import genai_catalog

from flows.sources import litellm_catalog
from flows.sources import lmarena

from flows.warehouse import store as warehouse
from flows.errors import InputError
from flows.settings import SOURCES_DIR
from flows.warehouse.build import run_step


def load_fact_base(con: duckdb.DuckDBPyConnection, sources_dir: Path = SOURCES_DIR) -> dict[str, int]:
    """Read and check the curated facts of `sources_dir` and write them into raw.facts__*; returns rows per table.
    Raises InputError naming file, record and field for a bad fact."""
    return warehouse.load_facts(con, facts.load_facts(sources_dir))


def load_genai_prices(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Write the bundled genai-prices catalog into raw.genai_prices__*; returns rows per table."""
    return warehouse.load_genai(con, genai_catalog.flatten())


def bundled_snapshots(sources_dir: Path = SOURCES_DIR) -> list[litellm_catalog.Snapshot]:
    """The LiteLLM snapshots listed in <sources_dir>/litellm/snapshots.yaml, read and checked.
    Raises InputError for an entry without file, version or as-of date, or naming a file outside the folder."""
    folder = sources_dir / "litellm"
    listing = facts.read_yaml(folder / "snapshots.yaml") or []
    snaps = []
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
        snaps.append(litellm_catalog.load_path(path, as_of, ver, source_uri=f"data/sources/litellm/{item['file']}"))
    return snaps


def load_litellm_snapshots(con: duckdb.DuckDBPyConnection, snapshots: list[litellm_catalog.Snapshot]) -> dict[str, int]:
    """Add the snapshots not loaded yet (same content is skipped); returns litellm_snapshots_added and the total."""
    added = sum(warehouse.add_litellm_snapshot(con, s) for s in snapshots)
    total = con.table("raw.litellm__snapshots").shape[0]
    return {"litellm_snapshots_added": added, "litellm_snapshots": total}


def build_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Build the staging views, marts and public views (build step `transform`); returns the files run."""
    return run_step(con, "transform")


def ingest(con: duckdb.DuckDBPyConnection, extra_snapshots: list[litellm_catalog.Snapshot] = (),
           sources_dir: Path = SOURCES_DIR) -> dict[str, int]:
    """The whole stage in one call (what the ingest flow runs as tasks)."""
    counts = load_fact_base(con, sources_dir)
    counts |= load_genai_prices(con)
    counts |= load_litellm_snapshots(con, [*bundled_snapshots(sources_dir), *extra_snapshots])
    counts |= lmarena.load_bundled(con, sources_dir)
    build_models(con)
    return counts


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table and view of the raw, staging, marts and public layers."""
    names = [name for (name,) in warehouse.run_file(con, "reads/relations.sql")]
    return {name: con.table(name).shape[0] for name in names}  # names come from the catalog
