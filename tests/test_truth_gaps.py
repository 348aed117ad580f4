"""True on its date: daily-prices fetches the genai-prices data file too; a model only
genai-prices lists follows genai-prices' newer data (dropped, flagged) as known on the edition
date; the freshness note names the genai-prices snapshot in force on that date; "own platform" is
one table built from data (marts.vendor_platforms).

Catalog tests run on the lineup fixture's curated facts (tests/data/lineup/sources, acme's own
genai-prices platform is `acme`) with two genai-prices data files made from
tests/data/genai-prices-data.json: 2026-11-12 lists acme-1 and acme-night; 2026-11-20 lists only
acme-1, now flagged deprecated. The installed package (2026-11-10) lists no acme model.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from flows.errors import VendorbriefError
from flows.metrics.stage import own_platform
from flows.run import PlainRunner, RunParams, execute
from flows.settings import SQL_DIR
from flows.sources import genai_catalog
from flows.warehouse import load as ingest
from flows.warehouse import store as warehouse
from flows.warehouse.build import statement
from genai_prices.update_prices import DEFAULT_UPDATE_URL

from .conftest import DATA, FIXTURE_SOURCES, rows

# With pytest-xdist all on one worker: the module's build is made once.
pytestmark = pytest.mark.xdist_group("truth-gaps-build")

LINEUP_SOURCES = DATA / "lineup" / "sources"
PACKAGE_ON = date(2026, 11, 10)
F1_ON, F2_ON = date(2026, 11, 12), date(2026, 11, 20)


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory):
    """A build on the lineup fixture's facts holding the two genai-prices data files; read-only."""
    tmp = tmp_path_factory.mktemp("truth-gaps")
    sources = tmp / "sources"
    shutil.copytree(LINEUP_SOURCES, sources)
    shutil.copytree(FIXTURE_SOURCES / "litellm", sources / "litellm")  # a LiteLLM map with no acme model
    data = json.loads((DATA / "genai-prices-data.json").read_text())
    (tmp / "f1.json").write_text(json.dumps(data))
    acme = next(p for p in data if p["id"] == "acme")
    acme["models"] = [{**acme["models"][0], "deprecated": True}]  # acme-night dropped, acme-1 flagged
    (tmp / "f2.json").write_text(json.dumps(data))
    build = warehouse.start_build(tmp / "w.duckdb", "truth-gaps", date(2026, 11, 29), [])
    ingest.ingest(build.con, [], sources, [genai_catalog.load_path(tmp / "f1.json", F1_ON),
                                            genai_catalog.load_path(tmp / "f2.json", F2_ON)])
    yield build.con
    warehouse.abandon(build)


def _on(con: duckdb.DuckDBPyConnection, day: date) -> None:
    """The build's transform again, as of `day`."""
    con.execute("update raw.run_context set as_of = ?", [day])
    ingest.build_models(con)


# --- a. daily-prices fetches both catalogs -------------------------------------------------------

def test_daily_prices_fetches_the_genai_prices_data_file_by_default():
    from flows.orchestration.deploy import deployments, descriptions

    weekly, daily = deployments(Path("/w.duckdb"), Path("/out"), "/mirror/litellm.json")
    assert daily.parameters["genai_prices_source"] == DEFAULT_UPDATE_URL
    assert daily.parameters["litellm_source"] == "/mirror/litellm.json"
    assert daily.parameters["litellm_as_of_today"] is True  # both catalogs dated by the edition date
    assert "genai_prices_source" not in weekly.parameters
    _, daily = deployments(Path("/w.duckdb"), Path("/out"), "/m/l.json", "/mirror/genai-prices-data.json")
    assert daily.parameters["genai_prices_source"] == "/mirror/genai-prices-data.json"
    text = descriptions("/m/l.json", "/mirror/genai-prices-data.json")["daily-prices"]
    assert "`/mirror/genai-prices-data.json`" in text and "--genai-prices-url" in text and "genai_prices_source" in text


def test_daily_prices_dates_the_genai_prices_file_by_the_edition_date():
    import inspect

    from flows.orchestration.pipeline import _run_params, vendor_briefings

    takes = inspect.signature(_run_params).parameters  # refresh_ecb_rates is a step before the run
    given = {name: p.default for name, p in inspect.signature(vendor_briefings.fn).parameters.items() if name in takes}
    p = _run_params(**{**given, "as_of": "2026-11-29", "genai_prices_source": " /m/g.json ", "litellm_as_of_today": True})
    assert (p.genai_prices_source, p.genai_prices_as_of) == ("/m/g.json", date(2026, 11, 29))


def test_daily_prices_offline_fails_with_one_message_naming_genai_prices(tmp_path):
    params = RunParams(as_of=date(2026, 11, 29), warehouse=tmp_path / "w.duckdb", out_dir=tmp_path / "out",
                       sources_dir=FIXTURE_SOURCES, genai_prices_source="http://127.0.0.1:9/data.json",
                       genai_prices_as_of=date(2026, 11, 29))
    with pytest.raises(VendorbriefError) as err:
        execute(params, PlainRunner())
    assert str(err.value) == ("http://127.0.0.1:9/data.json: cannot fetch the genai-prices data file (ConnectError: "
                              "[Errno 111] Connection refused); the warehouse keeps its previous snapshots")
    assert not (tmp_path / "w.duckdb").exists() and not (tmp_path / "out").exists()


# --- b. lifecycle of models only genai-prices lists ---------------------------------------------

def _statuses(con) -> list[tuple]:
    return con.execute("select model_id, status, status_note, input_usd_per_mtok from marts.catalog_lineup "
                       "where vendor_id = 'acme' and not is_curated order by model_id").fetchall()


def test_genai_only_models_follow_the_newer_data_file(catalogs):
    _on(catalogs, date(2026, 11, 29))
    assert _statuses(catalogs) == [
        ("acme-1", "retired", "flagged deprecated by genai-prices", None),  # the 2026-11-20 file flags it
        ("acme-night", "retired", "unlisted since 2026-11-20", None),  # the 2026-11-20 file no longer lists it
    ]


def test_genai_prices_flags_count_from_the_snapshot_that_states_them(catalogs):
    """On 2026-11-15 the 2026-11-12 file is in force: neither model is flagged nor dropped yet
    (before, acme-1's merged period carried the later file's flag back to 2026-11-12)."""
    _on(catalogs, date(2026, 11, 15))
    assert _statuses(catalogs) == [("acme-1", "current", None, 1.0), ("acme-night", "current", None, 2.0)]
    _on(catalogs, date(2026, 11, 29))
    # the flag opens a period on the date of the file that states it (same price, not merged)
    assert catalogs.execute("""select model_id, valid_from, valid_to, input_usd_per_mtok, is_deprecated, is_retired
        from price_history where source = 'genai-prices' and provider_id = 'acme' order by model_id, valid_from""").fetchall() == [
        ("acme-1", F1_ON, F2_ON, 1.0, False, False), ("acme-1", F2_ON, None, 1.0, True, False),
        ("acme-night", F1_ON, F2_ON, 2.0, False, True)]


# --- c. the genai-prices snapshot in force ------------------------------------------------------

@pytest.mark.parametrize("day, snapshot", [
    (date(2026, 11, 29), "genai-prices@2026-11-20#"),
    (date(2026, 11, 15), "genai-prices@2026-11-12#"),
    (date(2026, 11, 10), "genai-prices==0.2.3"),
    (date(2026, 11, 1), "genai-prices==0.2.3"),  # before every snapshot: the earliest covers it
])
def test_freshness_names_the_genai_prices_snapshot_in_force(catalogs, day, snapshot):
    catalogs.execute("update raw.run_context set as_of = ?", [day])
    try:
        found = {r["genai_snapshot"] for r in rows(catalogs, (SQL_DIR / "report" / "freshness.sql").read_text())}
    finally:
        catalogs.execute("update raw.run_context set as_of = date '2026-11-29'")
    assert len(found) == 1 and next(iter(found)).startswith(snapshot)


# --- d. own platforms: one table from data -----------------------------------------------------

def test_vendor_platforms_come_from_vendor_map_only(catalogs):
    assert catalogs.execute("select vendor_id, source, provider_id from marts.vendor_platforms").fetchall() == [
        ("acme", "genai-prices", "acme"), ("acme", "litellm", "acme"),
        ("gem", "genai-prices", "gem"), ("gem", "litellm", "gemapi"),
        ("opencorp", "litellm", "opencorp_api"),
    ]  # zhipu (vendor_id null: a maker not covered) left out


def test_edition_changes_on_own_platform_read_vendor_platforms(catalogs):
    catalogs.execute(statement(SQL_DIR / "marts" / "edition_changes.sql").replace(
        "create table", "create or replace temp table", 1).replace("marts.edition_changes", "edition_changes"))
    catalogs.execute("""insert into edition_changes by name select * from (values
        ('price_change', 'gem', 'gemapi', 'gemapi/gem-3-27b-it'),
        ('price_change', 'gem', 'gem', 'gem-pro'),
        ('new_model', 'opencorp', 'deepinfra', 'deepinfra/open-4'),
        ('retired_model', 'acme', 'ACME', 'acme-7b'),
        ('round_added', 'acme', null, null)) t(kind, vendor_id, platform, catalog_model_id)""")
    body = (SQL_DIR / "report" / "vendor_changes.sql").read_text().replace("marts.edition_changes", "edition_changes")
    got = [(r["vendor_id"], r["platform"], r["on_own_platform"]) for r in rows(catalogs, body)]
    assert sorted(got, key=str) == sorted([
        ("gem", "gemapi", True),  # Gem's LiteLLM platform, not named like the vendor
        ("gem", "gem", True), ("opencorp", "deepinfra", False), ("acme", "ACME", True), ("acme", None, True),
    ], key=str)


def test_price_moves_count_on_every_own_platform_of_the_maker():
    platforms = pl.DataFrame({"vendor_id": ["google", "google"], "source": ["genai-prices", "litellm"],
                              "provider_id": ["google", "gemini"]})
    current = pl.DataFrame({"source": ["genai-prices", "genai-prices", "litellm", "genai-prices", "litellm"],
                            "provider_id": ["Google", "vertex", "gemini", "google", "gemini"],
                            "model_id": ["m1", "m2", "m3", "m4", "m5"],
                            "vendor_id": ["google", "google", "google", None, "x-ai"]})
    assert own_platform(current, platforms)["model_id"].to_list() == ["m1", "m3"]
