"""LiteLLM snapshots loaded over time build dated price history, in any load order."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from flows.cli import app
from flows.errors import InputError, VendorbriefError
from flows.sources import litellm_catalog
from flows.warehouse import load as ingest
from flows.warehouse import store as warehouse
from typer.testing import CliRunner

from .conftest import DATA, FIXTURE_SOURCES, rows

S2, S3 = DATA / "litellm-s2.json", DATA / "litellm-s3.json"
D1, D2, D3 = date(2025, 1, 1), date(2025, 6, 1), date(2026, 1, 1)


def _periods(con) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for r in rows(con, "select * from price_history where source = 'litellm' order by model_id, valid_from"):
        out.setdefault(r["model_id"], []).append(
            (r["valid_from"], r["valid_to"], r["input_usd_per_mtok"], r["output_usd_per_mtok"], r["is_retired"], r["is_tiered"]))
    return out


def _build(tmp: Path, extra: list[tuple[Path, date]], bundled: bool = True) -> dict:
    """A warehouse holding the fixture snapshot (unless bundled=False) and `extra`, loaded in that order."""
    sources = tmp / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    if not bundled:
        (sources / "litellm" / "snapshots.yaml").write_text("[]\n")
        (sources / "litellm" / "litellm-s1.json").unlink()  # an unlisted snapshot file is refused
    b = warehouse.start_build(tmp / "w.duckdb", "test-run", date(2026, 11, 29), [])
    try:
        ingest.ingest(b.con, [litellm_catalog.load_path(p, d) for p, d in extra], sources)
        return _periods(b.con)
    finally:
        warehouse.abandon(b)


EXPECTED = {
    "mistral/mistral-medium-latest": [(D1, D3, 0.4, 2.0, False, False), (D3, None, 1.5, 7.5, False, False)],
    "gpt-4o": [(D1, D3, 2.5, 10.0, False, False), (D3, None, 2.5, 10.0, False, True)],
    "old-model": [(D1, D2, 1.0, 2.0, True, False)],
}


def test_snapshots_in_date_order_build_periods(tmp_path):
    periods = _build(tmp_path, [(S2, D2), (S3, D3)])
    assert {k: periods[k] for k in EXPECTED} == EXPECTED
    assert "bad-price" not in periods  # quarantined at load


@pytest.mark.parametrize("order", [[(S3, D3), (S2, D2)], [(S2, D2), (S3, D3)]])
def test_load_order_does_not_change_history(tmp_path, order):
    assert {k: v for k, v in _build(tmp_path, order).items() if k in EXPECTED} == EXPECTED


def test_older_snapshot_after_newer_keeps_newer_periods(tmp_path):
    """Loading s1 last (after s3) gives the same history as loading it first."""
    s1 = FIXTURE_SOURCES / "litellm" / "litellm-s1.json"
    late = _build(tmp_path / "late", [(S3, D3), (S2, D2), (s1, D1)], bundled=False)
    assert {k: late[k] for k in EXPECTED} == EXPECTED


def test_same_snapshot_twice_is_not_duplicated(tmp_path):
    once = _build(tmp_path / "a", [(S2, D2)])
    twice = _build(tmp_path / "b", [(S2, D2), (S2, D2)])
    assert once == twice


def test_different_snapshot_with_same_date_is_refused(tmp_path):
    with pytest.raises(VendorbriefError, match="already loaded"):
        _build(tmp_path, [(S2, D2), (S3, D2)])


def test_quarantine_keeps_refused_entries_with_reason():
    snap = litellm_catalog.load_path(S2, D2)
    assert [(q["model_key"], q["field"]) for q in snap.quarantine] == [("bad-price", "input_cost_per_token")]
    assert "expected a number, got str" in snap.quarantine[0]["reason"]


@pytest.mark.parametrize("body, problem", [
    (b"{", "not valid JSON"),
    (b"[]", "expected a JSON object"),
    (b"{}", "no usable model entries"),
    (b'{"a": {"litellm_provider": "x", "input_cost_per_token": NaN}}', "no usable model entries"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_unreadable_snapshots_are_refused(body, problem):
    with pytest.raises(InputError, match=problem):
        litellm_catalog.parse(body, D1, "snap.json")


@pytest.mark.slow
def test_ingest_command_adds_history(tmp_path, fixture_run):
    wh = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_run["warehouse"], wh)
    result = CliRunner().invoke(app, ["ingest", "litellm", str(S3), "--as-of", "2026-01-01", "--plain",
                                      "--warehouse", str(wh), "--out", str(tmp_path / "out"),
                                      "--sources", str(FIXTURE_SOURCES)])
    assert result.exit_code == 0, result.output
    import duckdb
    with duckdb.connect(str(wh), read_only=True) as con:
        snaps = [r[0] for r in con.execute("select snapshot_on from staging.stg_litellm__snapshots order by 1").fetchall()]
        medium = _periods(con)["mistral/mistral-medium-latest"]
    assert snaps == [D1, D3]
    assert medium == [(D1, D3, 0.4, 2.0, False, False), (D3, None, 1.5, 7.5, False, False)]
    assert json.loads(json.dumps(result.output)) and "1 new" in result.output
