"""Claim audit: each curated claim restated as a metric with operands, recomputed from the facts.

relative_error = (stated - computed) / computed. A claim is `confirmed` when its error is
within the tolerance (per claim, else per metric in quality.yaml), `imprecise` within
claim_imprecise_factor times the tolerance, `contradicted` beyond, and `unverifiable` when an
operand is missing; a price claim naming a retired or deprecated model is `not re-checked` on the
edition date. `at_least` / `at_most` claims only count the error in the wrong direction.
A price claim that names no price component ("1/5 the cost") is checked against both input and
output prices; when it holds for one only, it is `imprecise` and the detail says which.
The audit is computed on the date the claim was made and again on the run's as-of date, with the
blended prices of the run's workload profile (the default profile unless the run names one).
Numbers in the detail sentences are formatted by flows/formatting.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import polars as pl

from flows import formatting
from flows.config import Config
from flows.metrics import funding
from flows.metrics.prices import blended

STATUS_ORDER = ("confirmed", "imprecise", "contradicted", "unverifiable")


def judge(stated: float | None, computed: float | None, comparison: str, tolerance: float, factor: float) -> tuple[str, float | None]:
    """(status, relative_error) of a stated value against the computed one; relative_error is
    (stated - computed) / computed, None (and status unverifiable) without both values."""
    if stated is None or computed is None or computed == 0:
        return "unverifiable", None
    error = (stated - computed) / computed
    if comparison == "at_least":  # "over 80%": true when the real value is at least the stated one
        distance = max(0.0, error)
    elif comparison == "at_most":
        distance = max(0.0, -error)
    else:
        distance = abs(error)
    status = "confirmed" if distance <= tolerance else "imprecise" if distance <= tolerance * factor else "contradicted"
    return status, error


def _price(prices: pl.DataFrame, model_id: str) -> dict | None:
    rows = prices.filter(pl.col("model_id") == model_id).to_dicts()
    return rows[0] if rows else None


def _known(rounds: pl.DataFrame, vendor_id: str, on: date) -> pl.DataFrame:
    return rounds.filter((pl.col("vendor_id") == vendor_id) & (pl.col("announced_on") <= on))


def _funding_total(rounds: pl.DataFrame, vendor_id: str, on: date) -> tuple[float | None, int]:
    """The sum of the disclosed amounts of the vendor's rounds announced by `on` (funding.raised_totals:
    secondary sales excluded; None without any) and how many rounds it misses for want of an amount."""
    totals = funding.raised_totals(_known(rounds, vendor_id, on)).to_dicts()
    if not totals:
        return None, 0
    t = totals[0]
    disclosed = t["round_count"] - t["undisclosed_round_count"]
    return (float(t["total_raised_usd"]) if disclosed else None), t["undisclosed_round_count"]


def _valuation(rounds: pl.DataFrame, vendor_id: str, on: date) -> float | None:
    """The vendor's latest post-money valuation announced by `on` (funding.latest_valuations)."""
    latest = funding.latest_valuations(_known(rounds, vendor_id, on))
    return None if latest.is_empty() else float(latest["latest_post_money_usd"][0])


def _minimums(rounds: pl.DataFrame, vendor_id: str, on: date) -> tuple[bool, bool]:
    """Whether the vendor's funding sum and latest valuation by `on` rest on a minimum a source
    gives ("more than"): (some amount is, the latest valuation is)."""
    known = _known(rounds, vendor_id, on)
    totals, latest = funding.raised_totals(known), funding.latest_valuations(known)
    return (bool(totals["has_minimum_amount"][0]) if not totals.is_empty() else False,
            bool(latest["latest_valuation_is_lower_bound"][0]) if not latest.is_empty() else False)


def evaluate(claim: dict, on: date, prices_on: Callable[[date], pl.DataFrame], rounds: pl.DataFrame,
             config: Config, complete: bool = True, profile: str | None = None,
             capability_on: Callable[[date], pl.DataFrame] | None = None) -> dict:
    """Recompute one claim on date `on`.

    claim: a row of staging.stg_facts__claims (metric, subject, reference, stated_value, comparison,
    price_component, tolerance); prices_on(day): curated model prices on that day (model_id,
    input/output/cache_read USD/Mtok, as marts.model_prices_on gives them); rounds: marts.funding_rounds
    (amounts in USD); complete: whether the subject's round list is complete; profile: the workload
    profile of blended prices (default: config.default_profile); capability_on(day): curated models'
    Arena Scores on that day (marts.capability_on), for capability_gap claims (see capability_gap).
    Returns {computed_value, relative_error, status, operands (dict), detail (a sentence)}.
    Raises ValueError for a metric the fact schema does not know.
    """
    tol = claim["tolerance"] or config.quality.claim_tolerance.get(claim["metric"], 0.05)
    factor = config.quality.claim_imprecise_factor
    metric, stated, comparison = claim["metric"], claim["stated_value"], claim["comparison"] or "equal"
    profile_name = profile or config.default_profile
    profile = config.profiles[profile_name]
    operands: dict = {}
    if metric == "capability_gap":
        return capability_gap(claim, on, capability_on, config)
    if metric in ("price_ratio", "switch_saving"):
        prices = prices_on(on)
        subject, reference = _price(prices, claim["subject"]), _price(prices, claim["reference"])
        keys = ("input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok")
        operands = {"subject": claim["subject"], "reference": claim["reference"],
                    **{f"subject_{k}": (subject or {}).get(k) for k in keys[:2]},
                    **{f"reference_{k}": (reference or {}).get(k) for k in keys[:2]}}
        if not subject or not reference:
            return {"computed_value": None, "relative_error": None, "status": "unverifiable", "operands": operands,
                    "detail": f"no catalog price on {on} for {claim['subject'] if not subject else claim['reference']}"}
        unpriced = [m for m, p in ((claim["subject"], subject), (claim["reference"], reference))
                    if p["input_usd_per_mtok"] is None or p["output_usd_per_mtok"] is None]
        if unpriced or not (reference["input_usd_per_mtok"] > 0 and reference["output_usd_per_mtok"] > 0):
            return {"computed_value": None, "relative_error": None, "status": "unverifiable", "operands": operands,
                    "detail": f"no positive input and output price on {on} for {unpriced[0] if unpriced else claim['reference']}"}
        pair = pl.DataFrame([{**{k: subject[k] for k in keys}, **{f"r_{k}": reference[k] for k in keys}}],
                            schema={k: pl.Float64 for k in (*keys, *(f"r_{k}" for k in keys))})
        ratios = {
            "input": subject["input_usd_per_mtok"] / reference["input_usd_per_mtok"],
            "output": subject["output_usd_per_mtok"] / reference["output_usd_per_mtok"],
            "blended": pair.select(blended(profile) / blended(profile, "r_input_usd_per_mtok", "r_output_usd_per_mtok",
                                                                      "r_cache_read_usd_per_mtok")).item(),
        }
        operands |= {f"{k}_ratio": v for k, v in ratios.items()} | {"profile": profile_name}
        if metric == "switch_saving":
            computed = 1 - ratios["blended"]
            status, error = judge(stated, computed, comparison, tol, factor)
            return {"computed_value": computed, "relative_error": error, "status": status, "operands": operands,
                    "detail": f"moving from {claim['reference']} to {claim['subject']} saves {formatting.pct(computed, 1)} "
                              f"on the {profile_name} workload (stated {'at least ' if comparison == 'at_least' else ''}"
                              f"{formatting.pct(stated)})"}
        if claim["price_component"]:
            component = claim["price_component"]
            computed = ratios[component]
            status, error = judge(stated, computed, comparison, tol, factor)
            return {"computed_value": computed, "relative_error": error, "status": status, "operands": operands,
                    "detail": f"{component} price ratio {formatting.fraction(computed)} against stated {formatting.fraction(stated)}"}
        verdicts = {c: judge(stated, ratios[c], comparison, tol, factor) for c in ("input", "output")}
        best = min(verdicts, key=lambda c: (STATUS_ORDER.index(verdicts[c][0]), abs(verdicts[c][1] or 0)))
        holds = [c for c, (s, _) in verdicts.items() if s == "confirmed"]
        status = "confirmed" if len(holds) == 2 else "imprecise" if holds else verdicts[best][0]
        text = ", ".join(f"{c} {formatting.fraction(ratios[c])}" for c in ("input", "output"))
        which = (f"true of the {holds[0]} price only" if len(holds) == 1 else
                 "true of both prices" if len(holds) == 2 else "true of neither price")
        return {"computed_value": ratios[best], "relative_error": verdicts[best][1], "status": status,
                "operands": operands, "detail": f"the claim names no price: {text}; {which}"}
    if metric == "total_funding_usd":
        computed, undisclosed = _funding_total(rounds, claim["subject"], on)
        minimum = _minimums(rounds, claim["subject"], on)[0]
        operands = {"rounds_total_usd": computed, "on": on.isoformat(), "rounds_complete": complete,
                    "undisclosed_rounds": undisclosed, "minimum_amounts": minimum}
        if (not complete or undisclosed or minimum) and computed is not None and not (comparison == "at_least" and computed >= stated):
            # A sum over a partial list of rounds, or one that misses an undisclosed amount, is a
            # lower bound: it can confirm an "at least" claim, never contradict a claim.
            return {"computed_value": computed, "relative_error": None, "status": "unverifiable", "operands": operands,
                    "detail": money_detail(metric, computed, stated, comparison, operands, "unverifiable")}
    elif metric == "post_money_valuation_usd":
        computed = _valuation(rounds, claim["subject"], on)
        minimum = _minimums(rounds, claim["subject"], on)[1]
        operands = {"latest_post_money_usd": computed, "on": on.isoformat(), "valuation_is_minimum": minimum}
        if minimum and computed is not None and not (comparison == "at_least" and computed >= stated):
            # "more than €21 billion": it can confirm an "at least" claim, never contradict one
            return {"computed_value": computed, "relative_error": None, "status": "unverifiable", "operands": operands,
                    "detail": money_detail(metric, computed, stated, comparison, operands, "unverifiable")}
    else:  # pragma: no cover - the schema admits no other metric
        raise ValueError(metric)
    status, error = judge(stated, computed, comparison, tol, factor)
    return {"computed_value": computed, "relative_error": error, "status": status, "operands": operands,
            "detail": money_detail(metric, computed, stated, comparison, operands, status)}


MONEY_METRICS = ("total_funding_usd", "post_money_valuation_usd")


def money_detail(metric: str, computed: float | None, stated: float | None, comparison: str | None, operands: dict,
                 status: str, currency: str = "USD", per_usd: float = 1.0) -> str:
    """How a funding or valuation claim was checked, its amounts in `currency` at `per_usd` units
    per USD (the record: USD; a briefing: its edition's currency at its cited rate), three decimals
    in billions: "sum of the recorded rounds (secondary sales excluded): $16.624B against stated
    $16.000B"; for a sum that is only a lower bound, why."""
    def money(v: float | None) -> str:
        return formatting.money(None if v is None else v * per_usd, currency, 3)
    if metric == "total_funding_usd":
        detail = "sum of the recorded rounds (secondary sales excluded)"
        undisclosed = operands.get("undisclosed_rounds") or 0
        if status == "unverifiable" and computed is not None:
            why = ("the round list is incomplete" if not operands.get("rounds_complete") else
                   f"{undisclosed} round{'s' if undisclosed > 1 else ''} without a disclosed amount" if undisclosed
                   else "an amount is only a minimum a source gives")
            return f"{detail}: {money(computed)}, but {why}"
    else:
        detail = ("latest recorded post-money valuation, in USD at the cited rate" if currency == "USD" else
                  f"latest recorded post-money valuation, in {currency} at the edition's cited rate")
        if status == "unverifiable" and computed is not None and operands.get("valuation_is_minimum"):
            return f"{detail}: more than {money(computed)}, a minimum a source gives"
    if computed is None:
        return detail
    return f"{detail}: {money(computed)} against stated {'at least ' if comparison == 'at_least' else ''}{money(stated)}"


def describe(row: dict, currency: str = "USD", per_usd: float = 1.0) -> str | None:
    """The detail of an audited claim (a row of report.vendor_claims, with its operands as JSON) as
    an edition prints it: the amounts of a funding or valuation claim in its currency at its rate;
    other claims as recorded."""
    if row["metric"] not in MONEY_METRICS or currency == "USD":
        return row["detail"]
    operands = json.loads(row.get("operands") or "{}")
    return money_detail(row["metric"], row["computed_value"], row["stated_value"], row.get("comparison"), operands,
                        row["status"], currency, per_usd)


def not_rechecked(claim: dict, retired: dict[str, dict]) -> dict | None:
    """The re-check on the edition date of a price claim that names a retired or deprecated model
    (`retired`: model_id -> {status, status_note} of marts.catalog_lineup): left out, saying why
    ("not re-checked: mistral-large-2402 retired (unlisted since 2025-06-30)"); None otherwise."""
    if claim["metric"] not in ("price_ratio", "switch_saving"):
        return None
    for model in (claim["subject"], claim["reference"]):
        if model in retired:
            r = retired[model]
            note = f" ({r['status_note']})" if r.get("status_note") else ""
            return {"computed_value": None, "relative_error": None, "status": "not re-checked", "operands": {},
                    "detail": f"not re-checked: {model} {r['status']}{note}"}
    return None


def capability_gap(claim: dict, on: date, capability_on: Callable[[date], pl.DataFrame] | None, config: Config) -> dict:
    """A capability claim ("near GPT-4o": stated_value 0) on date `on`: the subject's overall Arena
    Score minus the reference's on the latest LMArena leaderboard on or before `on`, in points, with
    the 95 % bounds of the gap (subject low - reference high, subject high - reference low).

    The distance of the stated value from the bounds decides: for `equal`, how far the stated gap
    lies outside them; for `at_least`, how far it lies above their upper end; for `at_most`, below
    their lower end. Within quality.capability_tolerance_points it is confirmed, within
    claim_imprecise_factor times that imprecise, beyond contradicted; unverifiable when either
    model has no score on that leaderboard. relative_error is None (a gap has no natural scale).
    capability_on(day): rows of marts.capability_on(day) (model_id, leaderboard_on, score,
    score_low, score_high, arena_model)."""
    stated, comparison = claim["stated_value"], claim["comparison"] or "equal"
    subject_id, reference_id = claim["subject"], claim["reference"]
    scores = capability_on(on) if capability_on is not None else pl.DataFrame()
    found = {r["model_id"]: r for r in scores.to_dicts()} if not scores.is_empty() else {}
    subject, reference = found.get(subject_id), found.get(reference_id)
    board = next(iter(found.values()), {}).get("leaderboard_on")
    operands: dict = {"subject": subject_id, "reference": reference_id, "leaderboard_on": board}
    if subject is None or reference is None:
        missing = subject_id if subject is None else reference_id
        where = f"the LMArena leaderboard of {board}" if board else f"any LMArena leaderboard on or before {on}"
        return {"computed_value": None, "relative_error": None, "status": "unverifiable", "operands": operands,
                "detail": f"{missing} is not rated on {where}"}
    gap = subject["score"] - reference["score"]
    low, high = subject["score_low"] - reference["score_high"], subject["score_high"] - reference["score_low"]
    tolerance, factor = config.quality.capability_tolerance_points, config.quality.claim_imprecise_factor
    distance = {"equal": max(0.0, low - stated, stated - high), "at_least": max(0.0, stated - high),
                "at_most": max(0.0, low - stated)}[comparison]
    status = "confirmed" if distance <= tolerance else "imprecise" if distance <= tolerance * factor else "contradicted"
    operands |= {f"{side}_{k}": row[k] for side, row in (("subject", subject), ("reference", reference))
                 for k in ("arena_model", "score", "score_low", "score_high")}
    operands |= {"gap": gap, "gap_low": low, "gap_high": high, "tolerance_points": tolerance}
    bound = {"equal": "", "at_least": "at least ", "at_most": "at most "}[comparison]
    detail = (f"{subject_id} scores {formatting.points(subject['score'])} ({formatting.points(subject['score_low'])}–"
              f"{formatting.points(subject['score_high'])}) and {reference_id} {formatting.points(reference['score'])} "
              f"({formatting.points(reference['score_low'])}–{formatting.points(reference['score_high'])}) on the "
              f"LMArena text leaderboard of {board}: a gap of {formatting.points(gap, signed=True)} points (95 % bounds "
              f"{formatting.points(low, signed=True)} to {formatting.points(high, signed=True)}), stated {bound}"
              f"{formatting.points(stated, signed=True)}")
    return {"computed_value": gap, "relative_error": None, "status": status, "operands": operands, "detail": detail}


def audit(claims: pl.DataFrame, as_of: date, prices_on: Callable[[date], pl.DataFrame], rounds: pl.DataFrame,
          config: Config, complete_vendors: set[str] | frozenset[str] = frozenset(),
          profile: str | None = None, capability_on: Callable[[date], pl.DataFrame] | None = None,
          retired: dict[str, dict] | None = None) -> pl.DataFrame:
    """The claims made by `as_of`, each judged on its own date and on `as_of` (see evaluate; prices_on
    and capability_on must answer for every claim date and for as_of). Funding sums are only conclusive for vendors
    in `complete_vendors` (their round list is complete). A price claim naming a model in `retired`
    (model_id -> status, status_note: retired or deprecated on the edition date) is not re-checked on
    `as_of` (current_status "not re-checked", `not_rechecked`). Returns one row per claim with the
    columns of sql/marts/claim_audit.sql; operands as JSON text."""
    rows = []
    for claim in claims.filter(pl.col("source_as_of") <= as_of).sort("vendor_id", "claim_id").to_dicts():
        complete = claim["subject"] in complete_vendors
        then = evaluate(claim, claim["source_as_of"], prices_on, rounds, config, complete, profile, capability_on)
        now = (not_rechecked(claim, retired or {})
               or evaluate(claim, as_of, prices_on, rounds, config, complete, profile, capability_on))
        rows.append({
            "as_of": as_of, "claim_id": claim["claim_id"], "vendor_id": claim["vendor_id"], "claim_text": claim["claim_text"],
            "metric": claim["metric"], "price_component": claim["price_component"], "comparison": claim["comparison"],
            "subject": claim["subject"], "reference": claim["reference"], "stated_value": claim["stated_value"],
            "evaluated_on": claim["source_as_of"], "computed_value": then["computed_value"],
            "relative_error": then["relative_error"], "status": then["status"], "detail": then["detail"],
            "operands": json.dumps(then["operands"], default=str),
            "current_value": now["computed_value"], "current_status": now["status"], "current_detail": now["detail"],
            "source_id": claim["source_id"],
        })
    schema = {"as_of": pl.Date, "claim_id": pl.String, "vendor_id": pl.String, "claim_text": pl.String, "metric": pl.String,
              "price_component": pl.String, "comparison": pl.String, "subject": pl.String, "reference": pl.String,
              "stated_value": pl.Float64, "evaluated_on": pl.Date, "computed_value": pl.Float64,
              "relative_error": pl.Float64, "status": pl.String, "detail": pl.String, "operands": pl.String,
              "current_value": pl.Float64, "current_status": pl.String, "current_detail": pl.String, "source_id": pl.String}
    return pl.DataFrame(rows, schema=schema)
