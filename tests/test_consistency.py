"""The project stays consistent with itself: every SQL file is built, every table has a suite,
every public view and command is documented, the build runs every suite on the fixtures."""

from __future__ import annotations

import re

import yaml
from flows.cli import app
from flows.quality import suites as quality
from flows.settings import ROOT, SQL_DIR

README = (ROOT / "README.md").read_text()


def _sql_files() -> set[str]:
    return {str(p.relative_to(SQL_DIR)) for p in SQL_DIR.rglob("*.sql")}


def test_build_order_lists_every_sql_file_once():
    steps = yaml.safe_load((SQL_DIR / "build.yml").read_text())
    listed = [f for files in steps.values() for f in files]
    assert sorted(listed) == sorted(_sql_files())
    assert len(listed) == len(set(listed))


def test_sql_files_are_one_select_with_final():
    for rel in _sql_files():
        if rel.startswith(("staging/", "marts/")):
            body = (SQL_DIR / rel).read_text()
            assert "select * from final" in body.strip().splitlines()[-1], rel


def test_every_table_and_view_has_a_suite_named_after_it():
    suites = {s.name for s in quality.load_suites()}
    names = {p.split("/")[1].removesuffix(".sql") for p in _sql_files() if p.startswith(("staging/", "marts/", "public/"))}
    # metric marts are written by Polars; their public views carry their names
    assert names - suites == set()


def test_every_public_view_is_documented_in_the_readme():
    views = {p.split("/")[1].removesuffix(".sql") for p in _sql_files() if p.startswith("public/")}
    documented = set(re.findall(r"^\| `(\w+)` \|", README, flags=re.M))
    assert views - documented == set() and documented - views == set()


def test_every_public_view_column_is_documented(con_fixture):
    section = README.split("### Public views", 1)[1].split("\n## ", 1)[0]
    for view in {p.split("/")[1].removesuffix(".sql") for p in _sql_files() if p.startswith("public/")}:
        line = next(l for l in section.splitlines() if l.startswith(f"| `{view}` |"))
        documented = set(re.findall(r"\w+", line.split(" | ")[2]))
        columns = [c for (c,) in con_fixture.execute(
            "select column_name from duckdb_columns() where schema_name = 'main' and table_name = ?", [view]).fetchall()]
        assert set(columns) - documented == set(), view


def test_every_command_is_documented_in_the_readme():
    import typer.main

    group = typer.main.get_command(app)
    names = set(group.commands)
    for name in names:
        assert f"vendorbrief {name}" in README, name
    assert "vendorbrief ingest litellm" in README


def test_readme_shows_the_two_commands():
    assert "make run" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and ci.count("make ") == 1


def test_every_mart_and_view_in_the_warehouse_has_a_suite(con_fixture):
    suites = {s.name for s in quality.load_suites()}
    relations = {name for (name,) in con_fixture.execute("""
        select table_name from duckdb_tables() where schema_name = 'marts'
        union select view_name from duckdb_views() where schema_name in ('main', 'staging') and not internal""").fetchall()}
    assert relations - suites == set()


def test_every_suite_ran_on_the_fixtures(fixture_run, con_fixture):
    ran = {r for (r,) in con_fixture.execute("select distinct suite from dq_results where run_id = ?",
                                               [fixture_run["summary"]["run_id"]]).fetchall()}
    assert ran == {s.name for s in quality.load_suites()}
