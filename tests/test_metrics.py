"""Metrics: exact values on the fixtures (computed by hand in the comments), and invariants."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from flows.config import Profile
from flows.metrics import prices
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import rows


def one(con, query, params=None) -> dict:
    [r] = rows(con, query, params)
    return r


def test_price_ratios_and_workload_costs(con_fixture):
    # Fixture Medium = genai-prices mistral-medium-latest on 2026-11-29: $1.50 in / $7.50 out (since 2026-06-16);
    # GPT-4o: $2.50 / $10. chat (3:1): (3 x 1.5 + 7.5) / 4 = 3.0 vs (3 x 2.5 + 10) / 4 = 4.375.
    r = one(con_fixture, """select * from price_comparisons where curated_model_id = 'fx-medium'
                            and reference_model_id = 'gpt-4o' and profile = 'chat'""")
    assert r["input_ratio"] == pytest.approx(0.6)
    assert r["output_ratio"] == pytest.approx(0.75)
    assert r["blended_usd_per_mtok"] == pytest.approx(3.0)
    assert r["reference_blended_usd_per_mtok"] == pytest.approx(4.375)
    assert r["blended_ratio"] == pytest.approx(3.0 / 4.375)
    assert r["monthly_cost_usd"] == pytest.approx(3000.0)  # 1e9 tokens a month = 1,000 Mtok
    assert r["switch_saving"] == pytest.approx(1 - 3.0 / 4.375)
    # cached-chat: half the input at the cache-read price $0.15: (3 x (0.75 + 0.075) + 7.5) / 4 = 2.49375
    c = one(con_fixture, """select * from price_comparisons where curated_model_id = 'fx-medium'
                            and reference_model_id = 'gpt-4o' and profile = 'cached-chat'""")
    assert c["blended_usd_per_mtok"] == pytest.approx(2.49375)


def test_price_changes_and_class_rank(con_fixture):
    # mistral-medium-latest was $0.40 on 2025-11-29 and $1.50 since 2026-06-16: +275%, one increase.
    m = one(con_fixture, "select * from model_metrics where model_id = 'fx-medium'")
    assert m["input_change_365d"] == pytest.approx(1.5 / 0.4 - 1)
    assert m["output_change_365d"] == pytest.approx(7.5 / 2.0 - 1)
    assert (m["price_cuts_365d"], m["price_increases_365d"]) == (0, 1)
    assert m["input_change_90d"] == pytest.approx(0.0)
    # two priced flagships: Fixture Medium (3.0) is cheaper than GPT-4o (4.375)
    assert (m["class_rank"], m["class_size"], m["class_percentile"]) == (1, 2, 0.0)
    assert m["active_param_share"] == pytest.approx(0.2)


def test_funding_metrics(con_fixture):
    # seed EUR 100M at the ECB rate of its own date, 2024-01-10: 1.0946 -> $109.46M, post EUR 500M = $547.3M;
    # series A $300M at $2B. Total $409.46M against a reported $400M (2025-01-15): -$9.46M, -2.31%.
    f = one(con_fixture, "select * from vendor_funding where vendor_id = 'mistral'")
    assert f["total_raised_usd"] == pytest.approx(409.46e6)
    assert f["reported_total_usd"] == pytest.approx(400e6)
    assert f["difference_usd"] == pytest.approx(-9.46e6)
    assert f["relative_difference"] == pytest.approx(-9.46 / 409.46)
    assert f["days_to_unicorn"] == (date(2024, 6, 10) - date(2023, 4, 1)).days
    assert f["raised_per_employee_usd"] == pytest.approx(409.46e6 / 200)
    assert (f["revenue_multiple_low"], f["revenue_multiple_high"]) == (pytest.approx(100.0), pytest.approx(200.0))
    seed = one(con_fixture, "select * from funding_rounds where round_id = 'fx-seed'")
    assert (seed["amount_usd"], seed["amount_usd_basis"], seed["fx_usd_per_unit"]) == (pytest.approx(109.46e6), "converted", 1.0946)
    step = one(con_fixture, "select * from marts.valuation_steps where round_id = 'fx-series-a'")
    assert step["step_up_multiple"] == pytest.approx(2e9 / 547.3e6)


def test_lineup_metrics(con_fixture):
    lineup = one(con_fixture, "select * from vendor_lineup where vendor_id = 'mistral'")
    # fx-small has no catalog reference: no catalog lists it on the date, so it leaves the current lineup
    assert (lineup["model_count"], lineup["open_weights_share"], lineup["moe_share"]) == (1, 0.0, 1.0)
    assert lineup["mean_active_param_share"] == pytest.approx(0.2)
    assert lineup["largest_context_window"] == 128000
    assert lineup["licences"] == ["proprietary"]


def test_claim_audit(con_fixture):
    audit = {r["claim_id"]: r for r in rows(con_fixture, "select * from claim_audit")}
    total = audit["fx-total"]  # $400M stated against $409.46M summed: -2.31%, beyond 1%, within 5%
    assert (total["status"], total["computed_value"]) == ("imprecise", pytest.approx(409.46e6))
    assert total["relative_error"] == pytest.approx(-9.46 / 409.46)
    ratio = audit["fx-ratio"]  # on 2026-01-15: 0.40 / 2.50 = 0.16 against 1/6: +4.2% -> confirmed
    assert (ratio["status"], ratio["computed_value"]) == ("confirmed", pytest.approx(0.16))
    assert ratio["current_status"] == "contradicted" and ratio["current_value"] == pytest.approx(0.6)


@pytest.mark.slow
def test_edition_changes_list_price_moves_against_the_previous_run(tmp_path, fixture_run):
    """A second edition after the 2026-06-16 price rise lists it."""
    import duckdb

    from .conftest import run_pipeline
    # the June edition renders Mistral's briefing; the July run computes its changes (no need to render)
    run_pipeline(tmp_path, as_of=date(2026, 6, 1), formats=("pdf",), vendors=["mistral"])
    run_pipeline(tmp_path, as_of=date(2026, 7, 1), render=False)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        changes = rows(con, "select * from edition_changes where vendor_id = 'mistral' and kind = 'price_change'")
    moved = [c for c in changes if c["subject"] == "mistral mistral-medium-latest (genai-prices)"]
    assert moved and moved[0]["before_value"] == "$0.40/$2.00" and moved[0]["after_value"] == "$1.50/$7.50"


prices_st = st.floats(min_value=0.001, max_value=500, allow_nan=False)
weights_st = st.floats(min_value=0.01, max_value=100, allow_nan=False)


@given(prices_st, prices_st, weights_st, weights_st)
def test_blended_price_lies_between_input_and_output(inp, out, wi, wo):
    frame = pl.DataFrame({"input_usd_per_mtok": [inp], "output_usd_per_mtok": [out], "cache_read_usd_per_mtok": [None]},
                         schema={"input_usd_per_mtok": pl.Float64, "output_usd_per_mtok": pl.Float64,
                                 "cache_read_usd_per_mtok": pl.Float64})
    value = frame.select(prices.blended(Profile(input=wi, output=wo, description="p"))).item()
    assert min(inp, out) - 1e-9 <= value <= max(inp, out) + 1e-9


@given(prices_st, prices_st, prices_st, prices_st)
def test_ratio_a_b_times_ratio_b_a_is_one(ia, oa, ib, ob):
    frame = pl.DataFrame({"model_id": ["a", "b"], "input_usd_per_mtok": [ia, ib], "output_usd_per_mtok": [oa, ob],
                          "cache_read_usd_per_mtok": [None, None]},
                         schema_overrides={"cache_read_usd_per_mtok": pl.Float64})
    out = prices.comparisons(frame, ["a", "b"], {"chat": Profile(input=3, output=1, description="c")}, 1_000_000)
    get = lambda m, r, c: out.filter((pl.col("model_id") == m) & (pl.col("reference_model_id") == r))[c].item()  # noqa: E731
    for col in ("input_ratio", "output_ratio", "blended_ratio"):
        assert get("a", "b", col) * get("b", "a", col) == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2024, 1, 2), max_value=date(2027, 1, 1)), prices_st, prices_st)
def test_as_of_before_a_change_gives_the_old_price(change_on, old, new):
    """sql/macros/price_periods_on.sql, the one definition of the price on a date."""
    import duckdb
    from flows.settings import SQL_DIR

    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute("create table marts.price_history (valid_from date, valid_to date, input_usd_per_mtok double)")
        con.execute("insert into marts.price_history values (null, $1, $2), ($1, null, $3)", [change_on, old, new])
        con.execute((SQL_DIR / "macros" / "price_periods_on.sql").read_text())
        on = "select input_usd_per_mtok from marts.price_periods_on($1)"
        assert [r[0] for r in con.execute(on, [change_on - timedelta(days=1)]).fetchall()] == [old]
        assert [r[0] for r in con.execute(on, [change_on]).fetchall()] == [new]


def test_revenue_multiple_pairs_the_valuation_known_on_the_estimate_date():
    from flows.metrics import funding

    rounds = pl.DataFrame({
        "vendor_id": ["v", "v"], "round_id": ["r-2023", "r-2024"],
        "announced_on": [date(2023, 6, 1), date(2024, 1, 1)], "announced_on_precision": ["day", "year"],
        "post_money_valuation_usd": [2.2e9, 5.5e9]})
    revenue = pl.DataFrame({"vendor_id": ["v", "v"], "revenue_low_usd": [35e6, 50e6], "revenue_high_usd": [35e6, 100e6],
                            "source_as_of": [date(2024, 3, 31), date(2025, 1, 15)]})
    out = funding.revenue_multiples(rounds, revenue).sort("source_as_of").to_dicts()
    # A round known only "in 2024" is not known on 2024-03-31: the 2023 valuation applies.
    assert out[0]["valuation_round_id"] == "r-2023"
    assert out[0]["multiple_high"] == pytest.approx(2.2e9 / 35e6)
    assert out[1]["valuation_round_id"] == "r-2024"
    assert (out[1]["multiple_low"], out[1]["multiple_high"]) == (pytest.approx(55.0), pytest.approx(110.0))


def test_alias_ids_are_told_apart_from_model_ids():
    ids = ["mistral-medium-latest", "chatgpt-4o-latest", "latest", "gpt-4o", "codestral-2405", "latestmodel"]
    flags = pl.DataFrame({"model_id": ids}).select(prices.is_alias())["model_id"].to_list()
    assert flags == [True, True, True, False, False, False]


def test_a_price_change_reports_the_larger_of_the_input_and_output_moves():
    from flows.metrics import changes

    keys = {"source": ["s", "s"], "provider_id": ["p", "p"], "model_id": ["in-only", "both"]}
    current = pl.DataFrame({**keys, "vendor_id": ["v", "v"], "input_usd_per_mtok": [0.9, 1.0],
                            "output_usd_per_mtok": [2.0, 3.0]})
    before = pl.DataFrame({**keys, "input_usd_per_mtok": [0.4, 1.0], "output_usd_per_mtok": [2.0, 2.0]})
    out = dict(changes.price_changes(current, before).select("subject", "change").iter_rows())
    assert out == {"p in-only (s)": pytest.approx(1.25), "p both (s)": pytest.approx(0.5)}


def test_a_claim_against_a_free_or_unpriced_model_is_unverifiable():
    from flows.config import load_config
    from flows.metrics.claims import evaluate

    frame = pl.DataFrame({"model_id": ["paid", "free", "half"], "input_usd_per_mtok": [1.0, 0.0, None],
                          "output_usd_per_mtok": [2.0, 0.0, 1.0], "cache_read_usd_per_mtok": [None, None, None]},
                         schema_overrides={"cache_read_usd_per_mtok": pl.Float64})
    claim = {"metric": "price_ratio", "stated_value": 0.5, "comparison": None, "tolerance": None, "price_component": None}
    for subject, reference in [("paid", "free"), ("half", "paid"), ("paid", "half")]:
        out = evaluate({**claim, "subject": subject, "reference": reference}, date(2026, 1, 1), lambda _: frame,
                       pl.DataFrame(), load_config())
        assert (out["status"], out["computed_value"]) == ("unverifiable", None), (subject, reference)


def test_each_vendor_compares_with_the_last_earlier_edition_that_rendered_it():
    import duckdb
    from flows.metrics.stage import edition_baselines

    con = duckdb.connect()
    con.execute("create schema history")
    con.execute("create table history.pipeline_runs (run_id varchar, as_of date, status varchar, message varchar)")
    con.execute("create table history.edition_prices (run_id varchar)")
    runs = [("r1", "2026-11-16", "success", '{"rendered": ["mistral", "openai"]}'),
            ("r2", "2026-11-23", "success", '{"rendered": ["mistral"]}'),      # openai kept as published
            ("r3", "2026-11-24", "failed", '{"rendered": ["openai"]}'),
            ("r4", "2026-11-25", "success", '{"rendered": []}'),                # a catalog-only ingest
            ("r5", "2026-11-30", "success", '{"rendered": ["mistral", "openai"]}')]  # a later date
    con.executemany("insert into history.pipeline_runs values (?, ?, ?, ?)", runs)
    con.executemany("insert into history.edition_prices values (?)", [[r[0]] for r in runs])
    out = edition_baselines(con, "now", date(2026, 11, 29), ["mistral", "openai", "cohere"])
    found = {r["vendor_id"]: (r["previous_run_id"], r["previous_as_of"]) for r in out.to_dicts()}
    assert found == {"mistral": ("r2", date(2026, 11, 23)), "openai": ("r1", date(2026, 11, 16)), "cohere": (None, None)}


def test_a_usd_amount_from_a_later_source_is_not_used_before_that_source(tmp_path):
    """funding_rounds is SQL over the raw facts and the run's as-of date: an ingest into a build
    file shows it, without validation, metrics or a published run."""
    import shutil

    from flows.warehouse import load as ingest
    from flows.warehouse import store as warehouse

    from .conftest import FIXTURE_SOURCES

    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    facts = sources / "vendors" / "mistral.yaml"
    text = facts.read_text()
    assert "    amount_usd: 300000000\n" in text
    facts.write_text(text.replace("    amount_usd: 300000000\n",
                                  "    amount_usd: 310000000\n    amount_usd_source: doc-b\n    amount_usd_as_of: 2024-09-01\n"))
    seen = {}
    for as_of in (date(2024, 7, 1), date(2024, 9, 1)):
        build = warehouse.start_build(tmp_path / as_of.isoformat() / "warehouse.duckdb", "test-run", as_of, [])
        try:
            ingest.ingest(build.con, [], sources)
            seen[as_of] = one(build.con, """select amount_usd, amount_usd_basis, stated_amount_usd_source_id
                                            from funding_rounds where round_id = 'fx-series-a'""")
        finally:
            warehouse.abandon(build)
    # Before the source that states $310M, the round's own USD amount converts at 1.0.
    assert seen[date(2024, 7, 1)] == {"amount_usd": 300e6, "amount_usd_basis": "converted", "stated_amount_usd_source_id": None}
    assert seen[date(2024, 9, 1)] == {"amount_usd": 310e6, "amount_usd_basis": "stated", "stated_amount_usd_source_id": "doc-b"}
