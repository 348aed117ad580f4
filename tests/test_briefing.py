"""The briefing a reader wants: the page-1 summary generated from the
warehouse, capability beside price (ranks that never split overlapping intervals, frontiers,
"not rated" models, capability claims), the verdict with a bottom line, and the products,
customers and market sections."""

from __future__ import annotations

import itertools
import random
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml
from flows.config import BottomLine, Briefing, Profile, VerdictRule, load_config
from flows.metrics import capability
from flows.metrics.claims import capability_gap
from flows.report import verdict as verdicts

from .conftest import BUNDLED, FIXTURE_AS_OF, FIXTURE_SOURCES, run_pipeline

# With pytest-xdist the tests of the module's run all on one worker: the run is built once.
BRIEFED = pytest.mark.xdist_group("briefed-run")

LB = Path(__file__).parent / "data" / "lmarena"
BOARD = date(2025, 3, 10)  # the latest fixture leaderboard

# Pairs of statements a reader would take as contradicting each other: each must be declared
# exclusive in data/config/briefing.yaml.
CONTRADICTORY = [("cheap-flagship", "dear-flagship"), ("top-capability", "not-the-best"),
                 ("self-hosting", "closed-weights"), ("falling-prices", "rising-prices")]


# --- capability ranks and frontiers (flows/metrics/capability.py) ------------------------------

def _current() -> pl.DataFrame:
    """Four vendors' models on one leaderboard: a1, b1, c1, d1 are the flagships; a2 is a's cheap
    small model; a3 is newer than the leaderboard; d2 is older but not on it."""
    board = date(2025, 11, 6)
    data = [  # model_id, vendor_id, class, released_on, score, low, high
        ("a1", "a", "flagship", date(2025, 1, 1), 1400.0, 1390.0, 1410.0),
        ("a2", "a", "small", date(2025, 1, 1), 1395.0, 1391.0, 1399.0),
        ("a3", "a", "small", date(2026, 1, 1), None, None, None),
        ("b1", "b", "flagship", date(2025, 1, 1), 1405.0, 1398.0, 1412.0),
        ("c1", "c", "flagship", date(2025, 1, 1), 1380.0, 1375.0, 1385.0),
        ("d1", "d", "flagship", date(2025, 1, 1), 1300.0, 1290.0, 1310.0),
        ("d2", "d", "small", date(2024, 1, 1), None, None, None),
    ]
    return pl.DataFrame([{"model_id": m, "vendor_id": v, "model_name": m.upper(), "model_class": k, "released_on": r,
                          "leaderboard_on": board, "leaderboard_origin": "https://example.org/lb",
                          "arena_model": None if s is None else m, "score": s, "score_low": lo, "score_high": hi}
                         for m, v, k, r, s, lo, hi in data])


def _models() -> pl.DataFrame:
    prices = {"a1": (2.0, 4.0), "a2": (0.5, 0.5), "a3": (1.0, 1.0), "b1": (4.0, 8.0), "c1": (1.0, 1.0),
              "d1": (None, None), "d2": (None, None)}
    return pl.DataFrame([{"model_id": m, "input_usd_per_mtok": i, "output_usd_per_mtok": o, "cache_read_usd_per_mtok": None}
                         for m, (i, o) in prices.items()],
                        schema={"model_id": pl.String, "input_usd_per_mtok": pl.Float64, "output_usd_per_mtok": pl.Float64,
                                "cache_read_usd_per_mtok": pl.Float64})


def _ranks() -> pl.DataFrame:
    flagships = pl.DataFrame({"vendor_id": ["a", "b", "c", "d"], "flagship_model_id": ["a1", "b1", "c1", "d1"],
                              "reference_model_id": [None] * 4}, schema={"vendor_id": pl.String,
                              "flagship_model_id": pl.String, "reference_model_id": pl.String})
    # blended = (input + output) / 2
    return capability.capability_ranks(_current(), _models(), flagships, "even", Profile(input=1, output=1, description="x"))


def test_capability_ranks_are_ranges_that_never_split_overlapping_intervals():
    out = {r["model_id"]: r for r in _ranks().to_dicts()}
    got = {m: (r["rank_best"], r["rank_worst"], r["rank_field"]) for m, r in out.items()}
    assert got == {"a1": (1, 2, 4), "b1": (1, 2, 4), "c1": (3, 3, 4), "d1": (4, 4, 4),
                   "a2": (1, 2, 4),  # a's small model against the other vendors' flagships
                   "a3": (None, None, None), "d2": (None, None, None)}
    assert (out["a1"]["level_with"], out["c1"]["above"], out["c1"]["level_with"]) == (["b1"], ["b1", "a1"], [])
    # every pair of rated flagships whose 95 % intervals overlap shares a rank
    flagships = [r for r in out.values() if r["is_flagship"] and r["score"] is not None]
    for x, y in itertools.combinations(flagships, 2):
        if x["score_low"] <= y["score_high"] and y["score_low"] <= x["score_high"]:
            assert max(x["rank_best"], y["rank_best"]) <= min(x["rank_worst"], y["rank_worst"]), (x["model_id"], y["model_id"])
        else:
            assert (x["rank_worst"] < y["rank_best"]) or (y["rank_worst"] < x["rank_best"])


def test_newer_models_read_not_rated_and_absent_ones_not_on_the_leaderboard():
    out = {r["model_id"]: r["rating_status"] for r in _ranks().to_dicts()}
    assert out == {"a1": "rated", "a2": "rated", "a3": "newer_than_leaderboard", "b1": "rated", "c1": "rated",
                   "d1": "rated", "d2": "not_on_leaderboard"}
    assert capability.rating_status(None, None, date(2025, 1, 1)) == "no_leaderboard"


def test_blended_prices_and_price_performance_frontiers():
    out = {r["model_id"]: r for r in _ranks().to_dicts()}
    assert {m: r["blended_usd_per_mtok"] for m, r in out.items()} == {
        "a1": 3.0, "a2": 0.5, "a3": 1.0, "b1": 6.0, "c1": 1.0, "d1": None, "d2": None}
    frontier = {m: (r["on_vendor_frontier"], r["on_market_frontier"], r["on_headline_frontier"]) for m, r in out.items()}
    assert frontier == {"a1": (True, True, True), "a2": (True, True, None), "a3": (None, None, None),
                        "b1": (True, True, True), "c1": (True, False, True), "d1": (None, None, None),
                        "d2": (None, None, None)}


def _flagships(**over: str | None) -> pl.DataFrame:
    ids = {"a": "a1", "b": "b1", "c": "c1", "d": "d1"} | over
    return pl.DataFrame({"vendor_id": list(ids), "flagship_model_id": list(ids.values())},
                        schema={"vendor_id": pl.String, "flagship_model_id": pl.String})


def test_vendor_capability_metrics():
    out = {(r["vendor_id"], r["metric"]): r["value"]
           for r in capability.vendor_metrics(_ranks(), _flagships(), ["a", "d"]).to_dicts()}
    assert out == {
        ("a", "flagship_is_rated"): 1.0, ("a", "rated_model_share"): pytest.approx(2 / 3),
        ("a", "headline_is_flagship"): 1.0, ("a", "capability_score"): 1400.0, ("a", "capability_rank_best"): 1.0,
        ("a", "capability_rank_worst"): 2.0, ("a", "capability_field"): 4.0,
        ("d", "flagship_is_rated"): 1.0, ("d", "rated_model_share"): 0.5, ("d", "headline_is_flagship"): 1.0,
        ("d", "capability_score"): 1300.0, ("d", "capability_rank_best"): 4.0, ("d", "capability_rank_worst"): 4.0,
        ("d", "capability_field"): 4.0}


def test_a_vendor_whose_flagship_is_not_rated_is_compared_through_its_best_rated_model():
    # a's flagship a3 is newer than the leaderboard: its best-rated current model, a1, stands in;
    # b's flagship b9 has no curated facts (a catalog-only model), so it cannot be rated: b1 stands in
    flagships = _flagships(a="a3", b="b9")
    ranks = capability.capability_ranks(_current(), _models(), flagships, "even", Profile(input=1, output=1, description="x"))
    heads = {r["vendor_id"]: r["model_id"] for r in ranks.filter(pl.col("is_headline")).to_dicts()}
    assert heads == {"a": "a1", "b": "b1", "c": "c1", "d": "d1"}
    out = {(r["vendor_id"], r["metric"]): r["value"] for r in capability.vendor_metrics(ranks, flagships, ["a", "b"]).to_dicts()}
    assert (out["a", "flagship_is_rated"], out["a", "headline_is_flagship"], out["a", "capability_score"]) == (0.0, 0.0, 1400.0)
    assert (out["b", "flagship_is_rated"], out["b", "headline_is_flagship"], out["b", "capability_score"]) == (0.0, 0.0, 1405.0)


def test_flagship_price_ranks_over_every_priced_flagship():
    from flows.metrics import standing

    metrics = pl.DataFrame({"vendor_id": ["a", "b", "c", "d"], "metric": ["flagship_blended_usd_per_mtok"] * 4,
                            "value": [3.0, 6.0, 3.0, None]})
    out = {(r["vendor_id"], r["metric"]): r["value"] for r in standing.flagship_price_ranks(metrics).to_dicts()}
    assert out == {("a", "flagship_price_rank"): 1.0, ("a", "flagship_price_field"): 3.0,
                   ("b", "flagship_price_rank"): 3.0, ("b", "flagship_price_field"): 3.0,
                   ("c", "flagship_price_rank"): 1.0, ("c", "flagship_price_field"): 3.0}


# --- capability claims (flows/metrics/claims.py) -----------------------------------------------

def _scores(_day: date) -> pl.DataFrame:
    return pl.DataFrame({"model_id": ["s", "r"], "leaderboard_on": [date(2025, 11, 6)] * 2,
                         "arena_model": ["s-arena", "r-arena"], "score": [1431.0, 1301.0],
                         "score_low": [1427.0, 1298.0], "score_high": [1436.0, 1304.0]})


@pytest.mark.parametrize("stated, comparison, status", [
    (0.0, "equal", "contradicted"),    # "near": 123 points below the gap's lower bound
    (125.0, "equal", "confirmed"),     # inside the bounds
    (150.0, "at_least", "confirmed"),  # 12 points above the upper bound: within 20
    (50.0, "at_most", "imprecise"),    # 73 points under the lower bound: within 5 x 20
])
def test_a_capability_claim_is_judged_on_the_bounds_of_the_gap(stated, comparison, status):
    claim = {"metric": "capability_gap", "subject": "s", "reference": "r", "stated_value": stated,
             "comparison": comparison, "tolerance": None}
    out = capability_gap(claim, date(2025, 11, 24), _scores, load_config())
    assert (out["status"], out["computed_value"], out["relative_error"]) == (status, 130.0, None)
    assert (out["operands"]["gap_low"], out["operands"]["gap_high"]) == (123.0, 138.0)


def test_a_capability_claim_reads_as_a_sentence_and_is_unverifiable_without_a_score():
    claim = {"metric": "capability_gap", "subject": "s", "reference": "r", "stated_value": 0.0, "comparison": None,
             "tolerance": None}
    out = capability_gap(claim, date(2025, 11, 24), _scores, load_config())
    assert out["detail"] == ("s scores 1,431 (1,427–1,436) and r 1,301 (1,298–1,304) on the LMArena text leaderboard "
                             "of 2025-11-06: a gap of +130 points (95 % bounds +123 to +138), stated 0")
    missing = capability_gap({**claim, "reference": "x"}, date(2025, 11, 24), _scores, load_config())
    assert (missing["status"], missing["detail"]) == ("unverifiable", "x is not rated on the LMArena leaderboard of 2025-11-06")


def test_mistrals_near_gpt_4o_claim_is_recorded_and_cited():
    data = yaml.safe_load((Path(__file__).parents[1] / "data/sources/vendors/mistral.yaml").read_text())
    claim = next(c for c in data["claims"] if c["metric"] == "capability_gap")
    assert (claim["text"], claim["subject"], claim["reference"], claim["stated_value"], claim["source"]) == (
        "Flagship capability: near GPT-4o", "mistral-medium-3", "gpt-4o", 0, "ref-mistral-deep-dive")


# --- verdict rules (data/config/briefing.yaml, flows/report/verdict.py) ------------------------

def _witness(conditions: list) -> dict[str, float] | None:
    """Figures under which every condition holds, or None when they cannot all hold."""
    out: dict[str, float] = {}
    for metric in {c.metric for c in conditions}:
        mine = [c for c in conditions if c.metric == metric]
        candidates = sorted({c.value + d for c in mine for d in (-1, -0.5, 0, 0.5, 1)} | {0.0})
        value = next((v for v in candidates if all(c.holds(v) for c in mine)), None)
        if value is None:
            return None
        out[metric] = value
    return out


def test_contradictory_statements_are_declared_exclusive():
    briefing = load_config().briefing
    for a, b in CONTRADICTORY:
        assert briefing.exclusive(a, b), (a, b)


def test_no_two_exclusive_rules_fire_together_when_both_hold():
    briefing = load_config().briefing
    rules = {r.id: r for r in briefing.verdict_rules}
    for a, b in itertools.combinations(rules, 2):
        figures = _witness([*rules[a].when, *rules[b].when])
        if figures is None:
            continue  # the two cannot hold at once
        fired = verdicts.fired_rules(briefing, figures)
        assert a in fired or b in fired
        if briefing.exclusive(a, b):
            assert not (a in fired and b in fired), (a, b)
        else:
            assert a in fired and b in fired, (a, b)


def test_of_two_exclusive_rules_that_both_hold_the_earlier_fires():
    config = load_config().briefing.model_dump()
    config["verdict_rules"] = [
        {"id": "cuts", "verdict": "good_fit", "when": [{"metric": "lineup_price_cuts_365d", "op": ">", "value": 0}],
         "text": "Prices fell.", "excludes": ["rises"]},
        {"id": "rises", "verdict": "skip_if", "when": [{"metric": "lineup_price_increases_365d", "op": ">", "value": 0}],
         "text": "Prices rose."},
        {"id": "eu", "verdict": "good_fit", "when": [{"metric": "is_eu", "op": "==", "value": 1}], "text": "In the EU."}]
    briefing = Briefing.model_validate(config)
    both = {"lineup_price_cuts_365d": 1.0, "lineup_price_increases_365d": 2.0, "is_eu": 1.0}
    assert verdicts.fired_rules(briefing, both) == ["cuts", "eu"]
    assert verdicts.fired_rules(briefing, {**both, "lineup_price_cuts_365d": 0.0}) == ["rises", "eu"]


def _metric_values(briefing: Briefing) -> dict[str, list[float | None]]:
    values: dict[str, set] = {}
    for rule in [*briefing.verdict_rules, *briefing.bottom_lines]:
        for c in rule.when:
            values.setdefault(c.metric, set()).update({c.value - 1, c.value, c.value + 1, 0.0})
    return {m: [None, *sorted(v)] for m, v in values.items()}


def test_every_rule_pair_on_many_synthetic_vendors():
    briefing = load_config().briefing
    values = _metric_values(briefing)
    rng = random.Random(15)
    for _ in range(3000):
        figures = {m: rng.choice(v) for m, v in values.items()}
        fired = verdicts.fired_rules(briefing, figures)
        for a, b in itertools.combinations(fired, 2):
            assert not briefing.exclusive(a, b), (a, b, figures)


def _fields(**over) -> dict[str, str]:
    vendor = {"vendor_name": "Acme AI", "jurisdiction": "France"}
    fields = verdicts.text_fields(vendor, {}, None, None, None, None, "chat", date(2025, 12, 11), FIXTURE_AS_OF)
    return fields | over


def test_a_vendor_no_rule_fits_gets_informative_neutral_lines():
    briefing = load_config().briefing
    fields = _fields(flagship="Acme One", price_position="costs 100% of GPT-4o's price on the chat workload")
    quiet = verdicts.verdict(briefing, {"is_eu": 0.0, "open_weights_share": 0.3, "flagship_blended_ratio": 1.0}, fields, True)
    assert (quiet.good_fit, quiet.skip_if) == ([], [])
    assert quiet.no_good_fit.startswith("No buyer profile stands out: Acme AI's flagship is neither")
    assert quiet.no_skip_if.startswith("Nothing argues against Acme AI:")
    assert quiet.bottom_line == ("Acme AI stands out neither on price nor on capability: its flagship Acme One costs 100% "
                                 "of GPT-4o's price on the chat workload, and none of its current models is rated on "
                                 "LMArena (leaderboard of 2025-12-11).")
    none = verdicts.verdict(briefing, {}, _fields(), False)
    assert none.bottom_line == "Acme AI has no flagship-class model in its current lineup: compare its models in the matrix below."


def test_verdict_texts_carry_no_paths_ids_or_unfilled_fields():
    briefing = load_config().briefing
    ids = [r.id for r in briefing.verdict_rules] + [b.id for b in briefing.bottom_lines]
    values = _metric_values(briefing)
    rng = random.Random(7)
    for _ in range(300):
        figures = {m: rng.choice(v) for m, v in values.items()}
        v = verdicts.verdict(briefing, figures, _fields(), True)
        for text in [*v.good_fit, *v.skip_if, v.bottom_line, v.no_good_fit or "", v.no_skip_if or ""]:
            assert not re.search(r"\.ya?ml|data/|config|[{}]|\w+_\w+", text), text
            assert not any(re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text) for i in ids), text


def test_rules_that_would_print_a_path_an_id_or_a_missing_figure_are_refused():
    from pydantic import ValidationError

    when = [{"metric": "flagship_blended_ratio", "op": "<=", "value": 0.5}]
    with pytest.raises(ValidationError, match="configuration name"):
        VerdictRule(id="x", verdict="good_fit", when=when, text="See data/config/briefing.yaml.")
    with pytest.raises(ValidationError, match="needs a condition on flagship_price_rank"):
        VerdictRule(id="x", verdict="good_fit", when=when, text="The {price_rank} cheapest.")
    with pytest.raises(ValidationError, match="unknown field"):
        BottomLine(id="x", when=when, text="{nonsense}")
    config = load_config().briefing.model_dump()
    config["verdict_rules"][0]["text"] = "Teams sensitive to API costs (rule dear-flagship)."
    with pytest.raises(ValidationError, match="appears in the text"):
        Briefing.model_validate(config)
    config = load_config().briefing.model_dump()
    config["verdict_rules"][0]["excludes"] = ["no-such-rule"]
    with pytest.raises(ValidationError, match="excludes unknown rule"):
        Briefing.model_validate(config)


# --- on a warehouse: fixture vendors with a leaderboard, a newer model and product facts --------

PRODUCTS = """
products:
  - {id: fx-chat, name: Fixture Chat, kind: consumer_app, description: "A chat assistant.", source: doc-a, as_of: 2024-03-01}
customers:
  - {id: fx-bank, name: A bank, kind: customer, description: "Uses the chat.", source: doc-b, as_of: 2025-01-15}
  - {id: fx-eu, name: European enterprises, kind: segment, source: doc-b, as_of: 2025-01-15}
market_estimates:
  - {id: fx-llm-2026, market: LLM APIs, year: 2026, low_usd: 30000000000, high_usd: 50000000000, estimator: An analyst, source: doc-b, as_of: 2025-01-15}
"""
NEWER_MODEL = """
  - id: fx-next
    name: Fixture Next
    family: Next
    class: small
    released_on: 2026-06-01
    open_weights: true
    licence: Apache-2.0
    catalog_refs:
      - {source: genai-prices, provider_id: mistral, model_id: mistral-small-latest}
    source: doc-a
    as_of: 2026-06-01
"""


@pytest.fixture(scope="module")
def briefed(tmp_path_factory):
    """A whole run on the fixture sources plus the fixture leaderboards, a model newer than the
    latest leaderboard and Mistral's product, customer and market facts (HTML only)."""
    tmp = tmp_path_factory.mktemp("briefing")
    sources = tmp / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    shutil.copytree(LB, sources / "lmarena")
    path = sources / "vendors" / "mistral.yaml"
    path.write_text(_add_model(path.read_text()) + PRODUCTS)
    summary = run_pipeline(tmp, sources=sources, formats=("html",), workers=1)
    assert summary["status"] == "success", summary
    with duckdb.connect(str(tmp / "warehouse.duckdb"), read_only=True) as con:
        from flows.report.stage import briefing_contexts

        contexts = {name: c for name, c in briefing_contexts(con, FIXTURE_AS_OF, None, None, None)}
        yield {"dir": tmp, "con": con, "contexts": contexts,
               "html": {n: (tmp / "out" / "latest" / f"{n}.html").read_text() for n in ("mistral", "openai", "landscape")}}


def _add_model(text: str) -> str:
    """The fixture's Mistral file with fx-next appended to its models section, and fx-small listed
    by a catalog (else it is retired, not a current model)."""
    small = "    licence: Apache-2.0\n    source: doc-a\n"
    assert text.count(small) == 1
    text = text.replace(small, "    licence: Apache-2.0\n    catalog_refs:\n      - {source: genai-prices, provider_id: mistral, "
                                "model_id: ministral-8b}\n    source: doc-a\n")
    head, tail = text.split("\nclaims:\n", 1)
    return head.rstrip("\n") + "\n" + NEWER_MODEL.strip("\n") + "\n\nclaims:\n" + tail


def _warehouse_value(con, vendor_id: str, figure: str, subject: str | None):
    relation, column = figure.split(".", 1)
    if relation == "vendor_metrics":
        got = con.execute("select value from vendor_metrics where vendor_id = ? and metric = ?", [vendor_id, column]).fetchall()
    elif relation in ("vendor_lineup", "vendor_funding"):
        got = con.execute(f"select {column} from {relation} where vendor_id = ?", [vendor_id]).fetchall()  # noqa: S608
    elif relation in ("capability_ranks", "models"):
        table = "marts.capability_ranks" if relation == "capability_ranks" else "models"
        got = con.execute(f"select {column} from {table} where model_id = ?", [subject]).fetchall()  # noqa: S608
    elif figure == "edition_changes.count":
        got = con.execute("select count(*) from edition_changes where vendor_id = ?", [vendor_id]).fetchall()
    elif figure == "claim_audit.count":
        got = con.execute("select count(*) from claim_audit where vendor_id = ?", [vendor_id]).fetchall()
    elif relation == "claim_audit":
        got = con.execute("select count(*) from claim_audit where vendor_id = ? and current_status = ?",
                          [vendor_id, column]).fetchall()
    elif figure == "price_comparisons.reference_blended_usd_per_mtok":
        got = con.execute("""select c.reference_blended_usd_per_mtok from price_comparisons c
                             join marts.vendor_flagships f on f.flagship_model_id = coalesce(c.curated_model_id, c.model_id)
                              and f.reference_model_id = c.reference_model_id
                             where f.flagship_model_id = ? and c.profile = ?""", [subject, load_config().default_profile]).fetchall()
    else:
        return "unchecked"
    return got[0][0] if got else None


@BRIEFED
def test_the_summarys_figures_equal_the_warehouses(briefed):
    con, checked = briefed["con"], 0
    for name, context in briefed["contexts"].items():
        if context.kind != "vendor":
            continue
        assert 5 <= len(context.summary) <= 7
        assert [s.topic for s in context.summary] == ["identity", "price", "capability", "funding", "changes", "caveats"]
        for sentence in context.summary:
            for p in sentence.phrases:
                if p.kind == "text":
                    continue
                expected = _warehouse_value(con, name, p.figure, p.subject)
                if expected == "unchecked":
                    continue
                assert p.value == pytest.approx(expected), (name, p.figure)
                if p.kind in ("usd", "price", "ratio", "points", "times", "rank"):
                    assert p.ref, (name, p.figure)  # every sourced figure carries a footnote
                checked += 1
    assert checked >= 15


@BRIEFED
def test_the_summary_says_where_the_vendor_stands(briefed):
    con = briefed["con"]
    count, open_count = con.execute("select model_count, open_weights_count from vendor_lineup where vendor_id = 'mistral'").fetchone()
    cover = briefed["html"]["mistral"].split('<div class="figures">')[0].split('<section class="cover">')[1]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cover)).replace("&#39;", "'")
    assert f"Mistral AI, founded 2023-04 in France, lists {count} current models with curated facts, {open_count} of them with open weights" in text
    assert ("Its flagship, Fixture Medium, lists at $1.50 / $7.50 per million input / output tokens: 0.69 (1/1.46) of "
            "GPT-4o's price on the chat workload (blended $3.00 against $4.375²).") in text  # one priced flagship: no rank
    assert ("Fixture Medium is not on the LMArena text leaderboard of 2025-03-10; its best-rated current model, "
            "Fixture Small, scores 1,290 points (95 % bounds 1,280–1,300), rank 1–2³ of 2 vendors, level within the "
            "bounds with GPT-4o (OpenAI).") in text
    assert "This is its first edition" in text and "Caveats: " in text and "Bottom line." in text
    openai = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", briefed["html"]["openai"].split('<div class="figures">')[0]))
    assert ("On the LMArena text leaderboard of 2025-03-10, GPT-4o scores 1,310 points (95 % bounds 1,300–1,320): "
            "rank 1–2") in openai and "of 2 vendors, level within the bounds with Fixture Small (Mistral AI)." in openai


@BRIEFED
def test_the_competitive_table_has_a_capability_row_with_bounds(briefed):
    ctx = briefed["contexts"]["mistral"]
    columns = {c.vendor_id: c for c in ctx.competition}
    openai, mistral = columns["openai"], columns["mistral"]
    assert (openai.capability_model, openai.capability_is_flagship, openai.flagship_rating_status) == ("GPT-4o", True, "rated")
    assert (openai.capability_score, openai.capability_score_low, openai.capability_score_high) == (1310.0, 1300.0, 1320.0)
    # the two intervals touch (1,300): the two vendors are not ranked apart
    assert (openai.capability_rank_best, openai.capability_rank_worst, openai.capability_rank_field) == (1, 2, 2)
    assert (mistral.capability_model, mistral.capability_is_flagship, mistral.flagship_rating_status) == (
        "Fixture Small", False, "not_on_leaderboard")
    assert (mistral.capability_rank_best, mistral.capability_rank_worst) == (1, 2)
    table = briefed["html"]["mistral"].split("<h2>Competitive landscape</h2>")[1].split("</table>")[0]
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", table.split("Capability (LMArena")[1].split("</tr>")[0]))
    assert "flagship not on the leaderboard of 2025-03-10; best rated: Fixture Small, 1,290 (1,280–1,300) · rank 1–2 of 2" in row
    assert "1,310 (1,300–1,320) · rank 1–2 of 2" in row


@BRIEFED
def test_models_newer_than_the_latest_leaderboard_read_not_rated(briefed):
    rated = {r.model_id: r.rating_status for r in briefed["contexts"]["mistral"].capability.models}
    assert rated == {"fx-small": "rated", "fx-next": "newer_than_leaderboard", "fx-medium": "not_on_leaderboard"}
    section = re.sub(r"<[^>]+>", "", briefed["html"]["mistral"].split("<h2>Capability and price-performance</h2>")[1]
                     .split("<h2>")[0])
    assert "Fixture Next" in section and "not rated (leaderboard of 2025-03-10)" in section
    assert "not on the leaderboard of 2025-03-10" in section
    assert "1 of 3 current models (33%) have a score" in section


@BRIEFED
def test_products_customers_and_market_sections(briefed):
    mistral = re.sub(r"<[^>]+>", "", briefed["html"]["mistral"])
    assert "Fixture Chat" in mistral and "consumer app" in mistral and "A chat assistant." in mistral
    assert "A bank (customer): Uses the chat." in mistral and "European enterprises (customer segment)" in mistral
    assert "$30.00B–$50.00B" in mistral and "An analyst" in mistral
    openai = re.sub(r"<[^>]+>", "", briefed["html"]["openai"])
    for note in ("No curated product or platform fact for OpenAI yet.", "No curated customer fact for OpenAI yet.",
                 "No curated market-size estimate for OpenAI yet.", "No curated consumer or enterprise plan for OpenAI yet."):
        assert note in openai


@BRIEFED
def test_the_verdict_prints_no_rule_ids_or_paths(briefed):
    for name in ("mistral", "openai"):
        verdict = briefed["html"][name].split("<h2>Verdict</h2>")[1].split("<section")[0]
        assert "briefing.yaml" not in verdict and "data/config" not in verdict and "No rule applies" not in verdict
        assert "Bottom line." in verdict


@BRIEFED
def test_every_rule_pair_on_every_fixture_vendor(briefed):
    briefing = load_config().briefing
    con = briefed["con"]
    for vendor_id in [v for (v,) in con.execute("select vendor_id from vendors").fetchall()]:
        figures = dict(con.execute("select metric, value from vendor_metrics where vendor_id = ?", [vendor_id]).fetchall())
        fired = verdicts.fired_rules(briefing, figures)
        for a, b in itertools.combinations(fired, 2):
            assert not briefing.exclusive(a, b), (vendor_id, a, b)


@BRIEFED
def test_every_metric_a_rule_reads_is_computed(briefed):
    metrics = {m for (m,) in briefed["con"].execute("select distinct metric from vendor_metrics").fetchall()}
    briefing = load_config().briefing
    read = {c.metric for r in [*briefing.verdict_rules, *briefing.bottom_lines] for c in r.when}
    assert read - metrics == set()


@BRIEFED
def test_the_landscape_draws_every_flagship_on_a_capability_chart(briefed):
    landscape = briefed["contexts"]["landscape"]
    assert [(f.model_id, f.is_flagship, f.score) for f in landscape.headlines] == [
        ("gpt-4o", True, 1310.0), ("fx-small", False, 1290.0)]
    section = re.sub(r"<[^>]+>", "", briefed["html"]["landscape"].split("<h2>Capability against price</h2>")[1]
                     .split("<h2>")[0])
    assert "1,310 (1,300–1,320)" in section and "Fixture Small (flagship not rated)" in section
    assert "<svg" in briefed["html"]["landscape"].split("<h2>Capability against price</h2>")[1].split("<h2>")[0]


@BUNDLED
def test_every_rule_pair_on_every_bundled_vendor(con_bundled):
    briefing = load_config().briefing
    for vendor_id in [v for (v,) in con_bundled.execute("select vendor_id from vendors").fetchall()]:
        figures = dict(con_bundled.execute("select metric, value from vendor_metrics where vendor_id = ?",
                                           [vendor_id]).fetchall())
        fired = verdicts.fired_rules(briefing, figures)
        for a, b in itertools.combinations(fired, 2):
            assert not briefing.exclusive(a, b), (vendor_id, a, b)
