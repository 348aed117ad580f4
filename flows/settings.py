"""Locations of the bundled inputs and the default outputs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES_DIR = ROOT / "data" / "sources"
SQL_DIR = ROOT / "sql"
EXPECTATIONS_DIR = ROOT / "expectations"
REPORTS_DIR = ROOT / "reports"
DEFAULT_WAREHOUSE = ROOT / "data" / "warehouse.duckdb"
DEFAULT_OUT_DIR = ROOT / "reports" / "out"
PREFECT_HOME = ROOT / ".prefect"

# The DuckDB CLI on PyPI (duckdb-cli 1.5.x) cannot read the 2.0 storage format that Python
# duckdb 2.0 writes by default; files created with this setting are readable by both.
STORAGE_COMPATIBILITY = "v1.5.0"
