"""Creates the warehouse's tables and views from the files under sql/, in the order of sql/build.yml.

The folder of a file decides what it becomes: raw/ and history/ files are table definitions run
as they are; a staging/ file becomes a view in schema `staging`, a marts/ file a table in schema
`marts`, a public/ file a view in the default schema.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import yaml

from flows.errors import VendorbriefError
from flows.settings import SQL_DIR

SCHEMAS = ("raw", "staging", "marts", "history")
_TEMPLATES = {
    "staging": "create or replace view staging.{name} as\n{body}",
    "marts": "create or replace table marts.{name} as\n{body}",
    "public": "create or replace view main.{name} as\n{body}",
}


@cache
def manifest(sql_dir: Path = SQL_DIR) -> dict[str, tuple[str, ...]]:
    steps = yaml.safe_load((sql_dir / "build.yml").read_text())
    return {step: tuple(files or ()) for step, files in steps.items()}


def statement(path: Path) -> str:
    body = path.read_text(encoding="utf-8").strip().rstrip(";")
    template = _TEMPLATES.get(path.parent.name)
    return template.format(name=path.stem, body=body) if template else body


def run_step(con: duckdb.DuckDBPyConnection, step: str, sql_dir: Path = SQL_DIR) -> list[str]:
    """Create every table and view of one build step; returns the files run."""
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    files = manifest(sql_dir)[step]
    for rel in files:
        try:
            con.execute(statement(sql_dir / rel))
        except duckdb.Error as exc:
            raise VendorbriefError(f"sql/{rel}: {exc}") from exc
    return list(files)
