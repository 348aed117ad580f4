"""Creates the warehouse's tables and views from the files under sql/, in the order of sql/build.yml.

The folder of a file decides what it becomes: raw/ and history/ files are table definitions run
as they are; a staging/ file becomes a view in schema `staging`, a marts/ file a table in schema
`marts`, a public/ file a view in the default schema, a report/ file a view in schema `report`
(the inputs of the briefings, created by the render stage).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import yaml

from flows.errors import VendorbriefError
from flows.settings import SQL_DIR

SCHEMAS = ("raw", "staging", "marts", "history", "report")
_TEMPLATES = {
    "staging": "create or replace view staging.{name} as\n{body}",
    "marts": "create or replace table marts.{name} as\n{body}",
    "public": "create or replace view main.{name} as\n{body}",
    "report": "create or replace view report.{name} as\n{body}",
}


@cache
def manifest(sql_dir: Path = SQL_DIR) -> dict[str, tuple[str, ...]]:
    """The build steps of sql/build.yml: step name -> files under sql/, in creation order."""
    steps = yaml.safe_load((sql_dir / "build.yml").read_text())
    return {step: tuple(files or ()) for step, files in steps.items()}


def statement(path: Path) -> str:
    """The DDL of one file: its body as is, or wrapped by its folder's template (view or table)."""
    body = path.read_text(encoding="utf-8").strip().rstrip(";")
    template = _TEMPLATES.get(path.parent.name)
    return template.format(name=path.stem, body=body) if template else body


def run_step(con: duckdb.DuckDBPyConnection, step: str, sql_dir: Path = SQL_DIR) -> list[str]:
    """Create every table and view of one build step, in the order of sql/build.yml; returns the
    files run (paths relative to sql/). Raises VendorbriefError naming the file when DuckDB refuses
    one (an unknown step raises KeyError)."""
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    files = manifest(sql_dir)[step]
    for rel in files:
        try:
            con.execute(statement(sql_dir / rel))
        except duckdb.Error as exc:
            raise VendorbriefError(f"sql/{rel}: {exc}") from exc
    return list(files)


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` has its database open read-only (nothing can be created through it)."""
    row = con.execute("select readonly from duckdb_databases() where database_name = current_database()").fetchone()
    return bool(row and row[0])
