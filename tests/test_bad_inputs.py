"""The bad-input corpus of tests/data/bad/: every case gets one clear message naming the place
(or a documented quarantine), exit code 1 or 2, no traceback, nothing written outside the output
folder, and the last good warehouse and briefings untouched."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app

from .conftest import DATA, FIXTURE_SOURCES

BAD = DATA / "bad"
FACT_CASES = sorted(BAD.glob("facts/*.yaml"))
LITELLM_CASES = yaml.safe_load((BAD / "litellm" / "cases.yaml").read_text())
PARAM_CASES = yaml.safe_load((BAD / "params.yaml").read_text())
runner = CliRunner()


def test_the_corpus_has_at_least_forty_cases():
    assert len(FACT_CASES) + len(LITELLM_CASES) + len(PARAM_CASES) >= 40


@pytest.fixture
def published(tmp_path, fixture_run):
    """A folder with the last good warehouse and briefings, and a fingerprint of everything in it."""
    shutil.copyfile(fixture_run["warehouse"], tmp_path / "warehouse.duckdb")
    shutil.copytree(fixture_run["out"], tmp_path / "out")
    shutil.copytree(FIXTURE_SOURCES, tmp_path / "sources")
    return tmp_path


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _invoke(folder: Path, args: list[str]):
    """The command with this folder's warehouse, output and sources unless the case sets them."""
    defaults = {"--warehouse": str(folder / "warehouse.duckdb"), "--out": str(folder / "out")}
    if args[0] in ("run", "ingest"):
        defaults["--sources"] = str(folder / "sources")
    extra = [x for option, value in defaults.items() if option not in args for x in (option, value)]
    return runner.invoke(app, [*args, *extra, *(["--plain"] if args[0] in ("run", "ingest") else [])])


def _assert_refused(result, code: int, pieces: list[str]) -> None:
    text = re.sub(r"\s+", " ", result.output)
    assert result.exit_code == code, text
    # An unexpected exception would surface as result.exception (the runner catches it).
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for piece in pieces:
        assert piece in text, (piece, text)


def _assert_nothing_lost(folder: Path, before: dict[str, bytes]) -> None:
    after = _tree(folder)
    for path, body in before.items():
        assert after.get(path) == body, f"{path} changed"
    # new files may only be the run journal and the lock beside the warehouse
    assert set(after) - set(before) <= {"warehouse.duckdb.runs.jsonl", ".warehouse.duckdb.lock"}


@pytest.mark.parametrize("case", FACT_CASES, ids=[p.stem for p in FACT_CASES])
def test_bad_fact_files(case, published):
    spec = yaml.safe_load(case.read_text())
    target = published / "sources" / spec["file"]
    if "content_hex" in spec:
        target.write_bytes(bytes.fromhex(spec["content_hex"]))
    elif "content" in spec:
        target.write_text(spec["content"])
    elif "append" in spec:
        target.write_text(target.read_text() + spec["append"])
    else:
        old, new = spec["replace"]
        assert old in target.read_text(), old
        target.write_text(target.read_text().replace(old, new, 1))
    before = _tree(published)
    result = _invoke(published, ["run", "--as-of", "2026-11-29"])
    _assert_refused(result, 1, ["error:", *spec["expect"]])
    _assert_nothing_lost(published, before)


@pytest.mark.parametrize("case", LITELLM_CASES, ids=[c["file"] for c in LITELLM_CASES])
def test_bad_litellm_snapshots(case, published):
    path = BAD / "litellm" / case["file"]
    before = _tree(published)
    result = _invoke(published, ["ingest", "litellm", str(path), "--as-of", "2026-11-28"])
    if case["outcome"] == "error":
        _assert_refused(result, 1, ["error:", *case["expect"]])
        _assert_nothing_lost(published, before)
        return
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(published / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("""select record_key, field, reason from dq_quarantine
                              where source_table = 'litellm snapshot' and snapshot like 'litellm@2026-11-28%'""").fetchall()
        loaded = {r[0] for r in con.execute("""select model_id from staging.stg_litellm__prices
                                               where snapshot like 'litellm@2026-11-28%'""").fetchall()}
    assert [(k, f) for k, f, _ in rows] == [(case["key"], case["field"])]
    assert case["reason"] in rows[0][2]
    assert "gpt-4o" in loaded and case["key"] not in loaded


@pytest.mark.parametrize("case", PARAM_CASES, ids=[" ".join(c["args"])[:60] for c in PARAM_CASES])
def test_bad_parameters(case, published):
    args = [a.replace("{tmp}", str(published)) for a in case["args"]]
    before = _tree(published)
    result = _invoke(published, args)
    _assert_refused(result, case["exit"], case["expect"])
    _assert_nothing_lost(published, before)
