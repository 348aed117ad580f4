"""Lineups from the catalogs, the flagship on the edition date, lifecycle, list vs hosted prices,
zero prices and disputed prices: exact values on the tiny fixture tests/data/lineup/
(its README says what each record is for; the expected values are worked out by hand below).

The warehouse of these tests holds the fixture's curated facts, loaded and staged as a run does,
and its catalogs written where the transform would have put them (marts.price_history and the
staging views the lineup reads); then the lineup SQL and the metrics functions run on it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import duckdb
import polars as pl
import pytest
import yaml
from flows.config import Profile
from flows.errors import InputError
from flows.metrics import flagships, lineup, prices
from flows.settings import SQL_DIR
from flows.sources import facts, genai_aliases
from flows.warehouse import store
from flows.warehouse.build import run_step, statement
from genai_prices.types import ClauseEquals, ClauseOr

FIXTURE = Path(__file__).parent / "data" / "lineup"
AS_OF = date(2026, 11, 29)
TOLERANCE = 0.05
CHAT = Profile(input=3, output=1, description="chat")
STAGING = ("staging/stg_facts__platforms.sql", "staging/stg_facts__models.sql", "staging/stg_facts__model_catalog_refs.sql",
           "staging/stg_facts__vendors.sql", "staging/stg_facts__model_list_prices.sql",
           "staging/stg_genai_prices__match_clauses.sql")
LINEUP = ("marts/vendor_platforms.sql", "macros/price_periods_on.sql", "marts/prices_current.sql", "marts/lineup_entries.sql",
          "marts/catalog_lineup.sql", "marts/models.sql", "marts/price_reconciliation.sql")
COLUMNS = ("source", "provider_id", "model_id", "model_name", "vendor_id", "valid_from", "valid_to",
           "input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok", "is_deprecated", "mode")


def _catalog_tables(con: duckdb.DuckDBPyConnection, cat: dict) -> None:
    """The fixture's catalogs where the transform would have put them."""
    snaps = cat["litellm_snapshots"]
    by_day = {v: k for k, v in snaps.items()}
    rows = []
    for values in cat["periods"]:
        r = dict(zip(COLUMNS, values, strict=True))
        r["snapshot"] = "genai==1" if r["source"] == "genai-prices" else by_day[r["valid_from"]]
        rows.append(r)
    frame = pl.DataFrame(rows, schema_overrides={"valid_from": pl.Date, "valid_to": pl.Date, "model_name": pl.String,
                                                 "vendor_id": pl.String, "mode": pl.String,
                                                 "input_usd_per_mtok": pl.Float64, "output_usd_per_mtok": pl.Float64,
                                                 "cache_read_usd_per_mtok": pl.Float64})
    con.register("_periods", frame)
    con.execute("""create table marts.price_history as
        select source, snapshot, provider_id, model_id, model_name, vendor_id, valid_from, valid_to,
               input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok,
               cast(null as double) as cache_write_usd_per_mtok, false as is_tiered, false as has_time_of_day_prices,
               false as is_retired, is_deprecated, cast(null as bigint) as context_window_tokens, mode
        from _periods""")
    con.execute("create table staging.stg_litellm__snapshots as select * from (values "
                + ", ".join(f"('{k}', date '{v}')" for k, v in snaps.items()) + ") t(snapshot_id, snapshot_on)")
    con.execute(f"create table staging.stg_genai_prices__snapshots as select 'genai==1' as snapshot, "
                f"date '{cat['genai_snapshot_on']}' as snapshot_on")
    deprecations = cat["litellm_deprecations"]
    con.execute("""create table staging.stg_litellm__prices as
        select p.model_id, p.snapshot, cast(null as date) as deprecated_on from marts.price_history p
        where p.source = 'litellm'""")
    for key, day in deprecations.items():
        con.execute("update staging.stg_litellm__prices set deprecated_on = ? where model_id = ?", [day, key])
    providers = [SimpleNamespace(id=pid, models=[SimpleNamespace(id=mid, match=ClauseOr(or_=[ClauseEquals(equals=a) for a in ids]))
                                                 for mid, ids in models.items()])
                 for pid, models in cat["genai_matches"].items()]
    store.insert_rows(con, "raw.genai_prices__match_clauses", genai_aliases.clause_rows(providers, snapshot="genai==1"))


@pytest.fixture(scope="module")
def con():
    """The fixture warehouse on 2026-11-29, with the lineup marts built."""
    c = duckdb.connect()
    run_step(c, "tables")
    store.load_facts(c, facts.load_facts(FIXTURE / "sources"))
    c.execute("insert into raw.run_context values ('test', ?, [])", [AS_OF])
    _catalog_tables(c, yaml.safe_load((FIXTURE / "catalogs.yaml").read_text()))
    for rel in (*STAGING, *LINEUP):
        c.execute(statement(SQL_DIR / rel))
    yield c
    c.close()


@pytest.fixture(scope="module")
def frame(con) -> pl.DataFrame:
    """marts.catalog_lineup with the metrics' price decisions and ranks (as the metrics stage joins them)."""
    lineup_models = con.table("marts.catalog_lineup").pl()
    decisions = prices.price_decisions(lineup_models, TOLERANCE)
    joined = (lineup_models.join(decisions, on=["vendor_id", "model_id"])
              .join(prices.alternative_prices(lineup_models, decisions), on="model_id"))
    return joined.join(prices.class_ranks(joined, CHAT), on="model_id", how="left")


def model(frame: pl.DataFrame, model_id: str) -> dict:
    [row] = frame.filter(pl.col("model_id") == model_id).to_dicts()
    return row


# --- 1. lineups from the catalogs ----------------------------------------------------------------

def test_aliases_and_dated_versions_group_into_one_model(con):
    grouped = dict(con.execute("select model_id, lineup_model_id || ' by ' || matched_by from marts.lineup_entries "
                               "where vendor_id = 'acme' and source = 'litellm'").fetchall())
    assert grouped["acme/acme-large-2512"] == "acme-large-3 by curated"  # a curated ref
    assert grouped["acme/acme-large-latest"] == "acme-large-3 by latest"  # priced like Large 3, not Large 4
    assert grouped["acme/acme-large-4-0"] == "acme-large-4 by genai match"  # genai-prices' match clause
    assert grouped["acme/open-acme-nemo"] == "acme-nemo by genai match"
    assert grouped["acme/acme-tiny-20251101"] == "acme-tiny by dated suffix"  # priced like acme-tiny
    assert grouped["acme/acme-tiny"] == "acme-tiny by own"
    assert "acme/glm-5" not in grouped  # another maker's model resold on acme's platform
    names = dict(con.execute("select model_id, aliases from marts.catalog_lineup where vendor_id = 'acme'").fetchall())
    assert names["acme-large-3"] == ["acme-large-2512", "acme-large-latest"]
    assert names["acme-large-4"] == ["acme-large-4", "acme-large-4-0"]
    assert names["acme-tiny"] == ["acme-tiny", "acme-tiny-20251101"]
    assert "acme-embed" not in names  # embedding mode: not a text-generation model


def test_catalog_only_models_carry_what_the_catalogs_know(frame):
    large4 = model(frame, "acme-large-4")
    assert (large4["is_curated"], large4["model_name"], large4["status"]) == (False, "Acme Large 4", "current")
    # listed by genai-prices in a period that ended 2026-10-20 (so on 2026-10-19 at the latest)
    assert large4["first_seen_on"] == date(2026, 10, 19)
    assert (large4["input_usd_per_mtok"], large4["output_usd_per_mtok"]) == (0.70, 2.10)
    assert (large4["price_source"], large4["price_model_id"], large4["price_basis"]) == ("genai-prices", "acme-large-4", "list")


def test_lineup_sizes_and_the_warning_on_current_models_without_curated_facts(con):
    counts = lineup.vendor_lineup(con.table("marts.catalog_lineup").pl()).filter(pl.col("vendor_id") == "acme").row(0, named=True)
    # listed curated: nemo, medium, large-3; catalog-only listed: large-4, tiny, next (deprecated), free
    assert (counts["model_count"], counts["catalog_only_count"]) == (3, 4)
    # retired: 7b, code-2405, legacy, flagged, old-chat
    assert (counts["deprecated_count"], counts["retired_count"]) == (1, 5)
    check = (SQL_DIR / "checks" / "catalog_lineup.sql").read_text().replace("main.catalog_lineup", "marts.catalog_lineup")
    missing = sorted(r[0] for r in con.execute(f"select model_id from ({check}) where not current_has_curated_facts").fetchall())
    assert missing == ["acme-free", "acme-large-4", "acme-tiny"]


def test_a_curated_model_no_catalog_lists_leaves_the_current_tables(frame):
    code = model(frame, "acme-code-2405")
    assert (code["status"], code["status_note"], code["unlisted_since"]) == ("retired", "unlisted since 2026-06-02",
                                                                           date(2026, 6, 2))
    legacy = model(frame, "acme-legacy")  # no catalog reference at all
    assert (legacy["status"], legacy["status_note"]) == ("retired", "no catalog lists it")


# --- 2. flagship on the date ---------------------------------------------------------------------

def test_the_flagship_is_the_newest_current_model_of_the_family(con):
    lineup_models = con.table("marts.catalog_lineup").pl()
    rows = {r["vendor_id"]: r for r in flagships.vendor_flagships(["acme", "gem", "opencorp"], lineup_models, []).to_dicts()}
    # Acme Large 4 (first seen 2026-10-19) is newer than Acme Large 3 (released 2025-12-02)
    assert (rows["acme"]["flagship_model_id"], rows["acme"]["flagship_since"]) == ("acme-large-4", date(2026, 10, 19))
    assert rows["acme"]["flagship_family"] == "Acme Large"
    # gem names no families: its curated flagship-class models' family ("Gem Pro")
    assert rows["gem"]["flagship_model_id"] == "gem-pro"
    assert rows["opencorp"]["flagship_model_id"] == "open-4"


def test_ties_on_the_first_seen_date_go_by_version():
    frame = pl.DataFrame({"vendor_id": ["x"] * 3, "model_id": ["grok-4.6", "grok-4.7", "grok-4.20-old"],
                          "model_name": ["Grok 4.6", "Grok 4.7", "Grok 4.20"], "status": ["current"] * 3,
                          "flagship_family": ["Grok"] * 3, "released_on": [None, None, None],
                          "first_seen_on": [date(2026, 11, 20), date(2026, 11, 20), date(2026, 4, 29)]},
                         schema_overrides={"released_on": pl.Date})
    assert flagships.flagship_models(frame)["flagship_model_id"].to_list() == ["grok-4.7"]


def test_no_flagship_older_than_a_current_model_of_its_family_passes_the_check(con):
    lineup_models = con.table("marts.catalog_lineup").pl()
    good = flagships.vendor_flagships(["acme"], lineup_models, [])
    stale = good.with_columns(pl.lit("acme-large-3").alias("flagship_model_id"), pl.lit(date(2025, 12, 2)).alias("flagship_since"))
    check = (SQL_DIR / "checks" / "vendor_flagships.sql").read_text()
    for frame, expected in ((good, True), (stale, False)):
        con.register("_flags", frame)
        con.execute("create or replace table marts.vendor_flagships as select * from _flags")
        assert con.execute(f"select flagship_is_newest_of_family from ({check})").fetchall() == [(expected,)]


# --- 3. lifecycle --------------------------------------------------------------------------------

@pytest.mark.parametrize(("model_id", "status", "note"), [
    ("acme-7b", "retired", "dropped by LiteLLM on 2026-11-20"),  # LiteLLM (2026-11-20) is newer than genai-prices (2026-11-10)
    ("acme-flagged", "retired", "flagged deprecated by genai-prices"),
    ("acme-old-chat", "retired", "deprecation date 2026-09-30 passed (LiteLLM)"),
    ("acme-next", "deprecated", "retires on 2027-04-30 (LiteLLM)"),
    ("acme-large-3", "current", None),
])
def test_lifecycle(frame, model_id, status, note):
    m = model(frame, model_id)
    assert (m["status"], m["status_note"]) == (status, note)


def test_retired_and_deprecated_models_are_never_current_prices_nor_ranked(frame):
    seven = model(frame, "acme-7b")  # genai-prices still lists it at $0.25: not shown as current
    assert (seven["input_usd_per_mtok"], seven["price_basis"], seven["is_ranked"]) == (None, None, False)
    nxt = model(frame, "acme-next")
    assert (nxt["input_usd_per_mtok"], nxt["is_ranked"], nxt["excluded_because"]) == (3.0, False, "deprecated")
    assert model(frame, "acme-old-chat")["excluded_because"] == "retired"


def test_claims_are_re_checked_only_on_current_priced_models(con, frame):
    lineup_models = con.table("marts.catalog_lineup").pl()
    current = lineup.current_prices(lineup_models, prices.price_decisions(lineup_models, TOLERANCE))
    assert sorted(current["model_id"]) == ["acme-large-3", "acme-large-4", "acme-medium", "acme-nemo", "acme-tiny",
                                           "gem-mini", "gem-nano", "gem-pro", "open-4"]


# --- 4. list price vs hosted price ---------------------------------------------------------------

def test_a_vendor_without_a_priced_platform_shows_the_hosts_median_with_the_range(frame):
    m = model(frame, "open-4")  # its own API lists it unpriced; together 0.27/0.85, groq 0.20/0.60, deepinfra 0.20/0.80
    assert (m["price_basis"], m["price_source"], m["hosted_count"]) == ("hosted", "hosted", 3)
    assert (m["input_usd_per_mtok"], m["output_usd_per_mtok"]) == (0.20, 0.80)  # medians
    assert (m["hosted_input_min"], m["hosted_input_max"], m["hosted_output_min"], m["hosted_output_max"]) == (0.20, 0.27, 0.60, 0.85)
    assert m["hosted_providers"] == ["deepinfra", "groq", "together"]


def test_a_list_price_comes_only_from_the_vendors_own_platform(con):
    # open-4's hosts are not platforms of opencorp: no list price, only the hosted one
    assert con.execute("select count(*) from marts.lineup_entries where vendor_id = 'opencorp' and provider_id <> 'opencorp_api'"
                       ).fetchall() == [(0,)]


# --- 5. zero prices (case 02) --------------------------------------------------------------------

def test_case_02_a_zero_price_is_a_free_tier_never_ranked_costed_or_saved(frame):
    gem3 = model(frame, "gem-3-27b")  # LiteLLM gemapi/gem-3-27b-it 0/0; genai-prices gem/gem-3 unpriced
    assert (gem3["is_free_tier"], gem3["input_usd_per_mtok"], gem3["output_usd_per_mtok"]) == (True, None, None)
    assert (gem3["is_ranked"], gem3["excluded_because"], gem3["class_rank"]) == (False, "free tier", None)
    # chat blends (3:1): gem-nano 0.0875, acme-nemo 0.15 (0.30 at LiteLLM's disputed price), gem-mini 0.175;
    # acme-7b is retired: three small models are ranked
    small = {m: (model(frame, m)["class_rank"], model(frame, m)["class_size"]) for m in ("gem-nano", "acme-nemo", "gem-mini")}
    assert small == {"gem-nano": (1, 3), "acme-nemo": (2, 3), "gem-mini": (3, 3)}
    ranked = frame.filter(pl.col("is_ranked"))
    compared = prices.comparisons(ranked, ["acme-large-3", "gem-3-27b"], {"chat": CHAT}, 1_000_000_000)
    assert "gem-3-27b" not in set(compared["model_id"]) | set(compared["reference_model_id"])
    assert set(compared["reference_model_id"]) == {"acme-large-3"}


def test_a_zero_cache_price_beside_a_paid_input_is_no_cache_price(frame):
    for model_id in ("gem-mini", "acme-tiny"):
        m = model(frame, model_id)
        assert (m["cache_read_usd_per_mtok"], m["is_cache_read_zero"]) == (None, True)
    # cached-chat, half of the input from cache: the hits pay the input price, (3 x 0.10 + 0.40) / 4
    cached = Profile(input=3, output=1, cache_hit_share=0.5, description="cached")
    blend = model(frame.with_columns(prices.blended(cached).alias("b")), "gem-mini")["b"]
    assert blend == pytest.approx(0.175)


# --- 6. disputed prices --------------------------------------------------------------------------

def test_every_disputed_column_is_marked_and_ranked_at_both_values(frame):
    nemo = model(frame, "acme-nemo")  # genai-prices 0.15 / 0.15, LiteLLM 0.30 / 0.30: 100 % apart
    assert (nemo["input_disputed"], nemo["output_disputed"], nemo["cache_read_disputed"]) == (True, True, False)
    assert (nemo["genai_input_usd_per_mtok"], nemo["litellm_input_usd_per_mtok"]) == (0.15, 0.30)
    assert (nemo["input_relative_difference"], nemo["output_relative_difference"]) == (1.0, 1.0)
    assert (nemo["alt_input_usd_per_mtok"], nemo["alt_output_usd_per_mtok"]) == (0.30, 0.30)
    # at 0.30 (blend 0.30) both gem-nano and gem-mini are cheaper: rank 2 to 3
    assert (nemo["class_rank_low"], nemo["class_rank_high"]) == (2, 3)
    large3 = model(frame, "acme-large-3")
    assert (large3["input_disputed"], large3["output_disputed"]) == (False, False)
    assert (large3["class_rank_low"], large3["class_rank_high"]) == (2, 2)


def test_a_curated_list_price_settles_the_dispute(frame):
    medium = model(frame, "acme-medium")  # genai-prices 0.40 / 2.00, LiteLLM 1.50 / 7.50; pricing page 0.40 / 2.00
    assert (medium["price_source"], medium["input_usd_per_mtok"], medium["output_usd_per_mtok"]) == ("curated", 0.4, 2.0)
    assert (medium["input_disputed"], medium["output_disputed"], medium["is_settled"]) == (False, False, True)
    assert (medium["list_price_source_id"], medium["list_price_as_of"]) == ("acme-pricing", date(2026, 11, 1))


def test_reconciliation_pairs_aliases_on_the_vendors_platform(con):
    pairs = con.execute("""select lineup_model_id, genai_model_id, litellm_model_id, matched_by, max_relative_difference
                           from marts.price_reconciliation order by all""").fetchall()
    assert pairs == [
        ("acme-large-3", "acme-large-2512", "acme/acme-large-2512", "same model id", 0.0),
        ("acme-large-3", "acme-large-2512", "acme/acme-large-latest", "same lineup model", 0.0),
        ("acme-large-4", "acme-large-4", "acme/acme-large-4-0", "same lineup model", 0.0),
        ("acme-medium", "acme-medium-3", "acme/acme-medium-3", "same model id", pytest.approx(2.75)),
        ("acme-nemo", "acme-nemo", "acme/open-acme-nemo", "same lineup model", 1.0),
    ]


# --- the data: platforms, flagship families, list prices ---------------------------------------

def test_a_platform_listed_twice_is_refused(tmp_path):
    path = tmp_path / "vendor_map.yaml"
    path.write_text("rules: []\nplatforms:\n  - {source: litellm, provider: acme, vendor_id: acme}\n"
                    "  - {source: litellm, provider: ACME, vendor_id: acme}\n")
    with pytest.raises(InputError, match=r"platforms\[1\].*already listed"):
        facts.load_platforms(path)


def test_genai_match_clauses_in_normal_form():
    from genai_prices.types import ClauseAnd, ClauseRegex, ClauseStartsWith
    clause = ClauseOr(or_=[ClauseEquals(equals="A-1"), ClauseAnd(and_=[ClauseStartsWith(starts_with="B"),
                                                                        ClauseRegex(regex="(?!tts)")])])
    assert genai_aliases.branches(clause) == [[("equals", "a-1")], [("starts_with", "b"), ("regex", "(?!tts)")]]
    assert genai_aliases.is_portable("regex", "(?!tts)") is False
    assert genai_aliases.is_portable("regex", r"^a-\d{8}$") is True
