"""The verdict of a briefing: "Good fit", "Skip if" and a bottom line, from the rules of
data/config/briefing.yaml (flows/config.py VerdictRule, BottomLine, NeutralLines) applied to the
vendor's figures (marts.vendor_metrics). No SQL and no I/O here.

Rules are tried in the configured order; a rule whose conditions hold does not fire when a rule it
excludes (or that excludes it) fired before it, so two contradictory statements never both
appear. Where no rule of a list fires, the list shows its configured neutral line; the bottom line
is the first configured one whose conditions hold, else the neutral one. Texts are filled from
`text_fields`: figures formatted by flows/formatting.py, names, never ids or file names.
"""

from __future__ import annotations

from datetime import date

from flows import formatting as fmt
from flows.config import Briefing
from flows.report.model import CapabilityRow, ModelRow, Verdict

Row = dict


def fired_rules(briefing: Briefing, metrics: dict[str, float | None]) -> list[str]:
    """Ids of the verdict rules that fire on `metrics`, in the configured order (see the module)."""
    fired: list[str] = []
    for rule in briefing.verdict_rules:
        if rule.holds(metrics) and not any(briefing.exclusive(rule.id, f) for f in fired):
            fired.append(rule.id)
    return fired


def bottom_line_rule(briefing: Briefing, metrics: dict[str, float | None]) -> str | None:
    """Id of the first bottom line whose conditions hold on `metrics`, None when none does."""
    return next((b.id for b in briefing.bottom_lines if b.holds(metrics)), None)


def _names(listed: list[str], most: int = 3) -> str:
    """"A", "A and B", "A, B and C", "A, B, C and 4 others"."""
    if len(listed) > most:
        rest = len(listed) - most
        listed = [*listed[:most], f"{rest} other{'s' if rest > 1 else ''}"]
    if len(listed) <= 2:
        return " and ".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def text_fields(vendor: Row, metrics: dict[str, float | None], flagship: ModelRow | None,
                headline: CapabilityRow | None, leader: CapabilityRow | None, reference_name: str | None,
                profile: str, leaderboard_on: date | None, as_of: date) -> dict[str, str]:
    """Every field a verdict text may use (flows/config.py VERDICT_FIELDS), as printed.

    vendor: its marts.vendors row; metrics: its figures (vendor_metrics, flagship_blended_ratio on
    `profile`); flagship: its flagship's model row; headline: its headline model's capability row
    (its flagship when rated, else its best-rated current model); leader: the highest-scoring of
    the other vendors' headline models certainly above it (headline.above); leaderboard_on: the
    date of the latest leaderboard (None when there is none)."""
    m = metrics
    ratio = m.get("flagship_blended_ratio")
    reference = reference_name or "the reference model"
    if ratio is not None:
        price_position = f"costs {fmt.pct(ratio)} of {reference}'s price on the {profile} workload"
    elif flagship is not None and flagship.is_priced:
        price_position = "has no reference model to compare its price with"
    elif flagship is not None:
        price_position = f"has no catalog price on {as_of}"
    else:
        price_position = "is not known"
    board = f"leaderboard of {leaderboard_on}" if leaderboard_on else "no leaderboard"
    if headline is not None and headline.score is not None:
        who = "it" if headline.is_flagship else f"its best-rated current model, {headline.model_name},"
        capability_position = (f"{who} ranks {fmt.rank_range(headline.rank_best, headline.rank_worst)} of "
                               f"{headline.rank_field} vendors on the LMArena text leaderboard of {leaderboard_on}")
    else:
        capability_position = f"none of its current models is rated on LMArena ({board})"
    rated = headline is not None and headline.score is not None
    return {
        "vendor": vendor["vendor_name"],
        "flagship": flagship.model_name if flagship else "its flagship",
        "reference": reference,
        "profile": profile,
        "jurisdiction": vendor.get("jurisdiction") or "–",
        "ratio": fmt.ratio(ratio),
        "ratio_pct": fmt.pct(ratio),
        "ratio_x": fmt.times(ratio, 2),
        "price_rank": fmt.ordinal(m.get("flagship_price_rank")),
        "price_field": fmt.num(m.get("flagship_price_field")),
        "capability_model": headline.model_name if rated else "its best-rated model",
        "score": fmt.points(headline.score) if rated else "–",
        "score_bounds": f"{fmt.points(headline.score_low)}–{fmt.points(headline.score_high)}" if rated else "–",
        "rank": fmt.rank_range(headline.rank_best, headline.rank_worst) if rated else "–",
        "rank_field": fmt.num(headline.rank_field) if rated else "–",
        "leaderboard_on": str(leaderboard_on) if leaderboard_on else "–",
        "leaders": _names(headline.above) if rated and headline.above else "–",
        "leader_score": fmt.points(leader.score) if leader else "–",
        "open_weights_pct": fmt.pct(m.get("open_weights_share")),
        "context_tokens": fmt.num(m.get("largest_context_window")),
        "price_cuts": fmt.num(m.get("lineup_price_cuts_365d")),
        "price_increases": fmt.num(m.get("lineup_price_increases_365d")),
        "revenue_multiple": fmt.times(m.get("revenue_multiple_high"), 0),
        "price_position": price_position,
        "capability_position": capability_position,
    }


def verdict(briefing: Briefing, metrics: dict[str, float | None], fields: dict[str, str], has_flagship: bool) -> Verdict:
    """The verdict of one vendor: the statements of the rules that fire (fired_rules), the neutral
    line of an empty list, and the bottom line."""
    rules = {r.id: r for r in briefing.verdict_rules}
    out: dict[str, list[str]] = {"good_fit": [], "skip_if": []}
    for rule_id in fired_rules(briefing, metrics):
        rule = rules[rule_id]
        out[rule.verdict].append(rule.text.format(**fields))
    neutral = briefing.verdict_neutral
    if not has_flagship:
        bottom = neutral.no_flagship
    else:
        line = bottom_line_rule(briefing, metrics)
        bottom = next(b.text for b in briefing.bottom_lines if b.id == line) if line else neutral.bottom_line
    return Verdict(good_fit=out["good_fit"], skip_if=out["skip_if"], bottom_line=bottom.format(**fields),
                   no_good_fit=None if out["good_fit"] else neutral.good_fit.format(**fields),
                   no_skip_if=None if out["skip_if"] else neutral.skip_if.format(**fields))
