"""Capability metrics: where each vendor's current models stand on the LMArena text leaderboard
against the other vendors, the price-performance frontiers, and the per-vendor capability figures
the summary and the verdict rules read. Pure functions: frames in, frames out.

Scores are Arena Score points of the overall category with their 95 % bounds (score_low,
score_high), from marts.capability_current (the latest leaderboard on or before the as-of date).

The models are the vendor's whole lineup on the as-of date (marts.catalog_lineup: curated and
catalog-only models its own platforms list), retired ones left out; a catalog-only model is rated
when the arena-name mapping reaches it (marts.capability_current).

A vendor is compared through its headline model: its flagship (marts.vendor_flagships) when the
flagship is rated, else its best-rated current model (a flagship newer than the latest leaderboard
has no score yet). Every rated model is ranked against the other vendors' headline models. Two
models whose intervals overlap are never ranked apart: a rank is a range,
rank_best = 1 + the models certainly above (their lower bound above this model's upper bound),
rank_worst = 1 + the models that may be above or level (their upper bound at or above this
model's lower bound). The ranges of two overlapping models always share a rank.

Prices are blended USD per million tokens of traffic for the run's workload profile.
"""

from __future__ import annotations

import polars as pl

from flows.config import Profile
from flows.metrics.prices import blended

# rating_status of a lineup model on the latest leaderboard.
RATED = "rated"
NEWER = "newer_than_leaderboard"  # released (else first listed by a catalog) after the leaderboard's date
ABSENT = "not_on_leaderboard"  # released or listed by then (or undated) but not on it
NO_BOARD = "no_leaderboard"  # no leaderboard on or before the as-of date

SCHEMA = {
    "model_id": pl.String, "vendor_id": pl.String, "model_name": pl.String, "model_class": pl.String,
    "released_on": pl.Date, "is_flagship": pl.Boolean, "is_headline": pl.Boolean, "leaderboard_on": pl.Date,
    "leaderboard_origin": pl.String, "arena_model": pl.String, "score": pl.Float64, "score_low": pl.Float64,
    "score_high": pl.Float64, "rating_status": pl.String, "profile": pl.String, "blended_usd_per_mtok": pl.Float64,
    "rank_best": pl.Int64, "rank_worst": pl.Int64, "rank_field": pl.Int64,
    "level_with": pl.List(pl.String), "above": pl.List(pl.String),
    "on_vendor_frontier": pl.Boolean, "on_market_frontier": pl.Boolean, "on_headline_frontier": pl.Boolean,
}
METRIC_SCHEMA = {"vendor_id": pl.String, "metric": pl.String, "value": pl.Float64}


def rating_status(score: float | None, leaderboard_on, released_on, first_listed_on=None) -> str:
    """rated, newer_than_leaderboard, not_on_leaderboard or no_leaderboard (see the constants).
    The model's age: its release date (curated facts), else the day a catalog first listed it on
    its vendor's platform (catalog-only models; the catalog history's start bounds it)."""
    if leaderboard_on is None:
        return NO_BOARD
    if score is not None:
        return RATED
    since = released_on if released_on is not None else first_listed_on
    if since is not None and since > leaderboard_on:
        return NEWER
    return ABSENT


def rank_range(low: float, high: float, others: list[tuple[float, float]]) -> tuple[int, int]:
    """(rank_best, rank_worst) of a score interval [low, high] among `others` (their (low, high)):
    best = 1 + others certainly above (low > high), worst = 1 + others that may be above or level
    (high >= low)."""
    return (1 + sum(1 for o_low, _ in others if o_low > high),
            1 + sum(1 for _, o_high in others if o_high >= low))


def frontier(points: list[tuple[str, float, float]]) -> set[str]:
    """Ids on the price-performance frontier of (id, price, score) points: no other point is as
    cheap or cheaper and as capable or more, and strictly better on one of the two. Identical
    points are both on it."""
    out = set()
    for key, price, score in points:
        dominated = any(p <= price and s >= score and (p < price or s > score) for _, p, s in points)
        if not dominated:
            out.add(key)
    return out


def headlines(rows: list[dict], flagship_ids: set[str]) -> dict[str, str]:
    """Each vendor's headline model id (see the module): its rated flagship, else its rated model
    with the highest score (the smaller id on a tie); vendors without a rated model have none."""
    out: dict[str, str] = {}
    for r in sorted((r for r in rows if r["score"] is not None),
                    key=lambda r: (r["model_id"] not in flagship_ids, -r["score"], r["model_id"])):
        out.setdefault(r["vendor_id"], r["model_id"])
    return out


def capability_ranks(current: pl.DataFrame, lineup: pl.DataFrame, flagship_rows: pl.DataFrame, profile_name: str,
                     profile: Profile) -> pl.DataFrame:
    """One row per model of the vendors' lineups, curated or catalog-only (retired ones, status
    `retired` in marts.catalog_lineup, are left out): its score and bounds (marts.capability_current), rating_status, blended price for
    `profile`, whether it is its vendor's flagship and headline model, its rank range against the
    other vendors' headline models (rank_field: they and itself), the other vendors' headline
    models whose intervals overlap its own (level_with) and those certainly above it (above), each
    by score, highest first; and whether it lies on its vendor's, the market's and (headline models
    only) the headline models' price-performance frontier.

    current: marts.capability_current (released_on, first_listed_on: the model's age);
    lineup: marts.catalog_lineup (model_id, prices, status; vendor_id when given, the join takes
    it: model ids are per vendor); flagship_rows:
    marts.vendor_flagships. Ranks and lists are NULL for an unrated model, frontier flags for a
    model without a score or a price. Sorted by vendor_id then model_id.
    """
    flagship_ids = set(flagship_rows["flagship_model_id"].drop_nulls().to_list())
    listed = lineup.filter(pl.col("status") != "retired") if "status" in lineup.columns else lineup
    keys = ["vendor_id", "model_id"] if "vendor_id" in listed.columns else ["model_id"]
    prices = listed.select(*keys, blended(profile).alias("blended_usd_per_mtok"))
    rows = current.join(prices, on=keys, how="inner").sort("vendor_id", "model_id").to_dicts()
    for r in rows:
        r["rating_status"] = rating_status(r["score"], r["leaderboard_on"], r["released_on"], r.get("first_listed_on"))
    heads = headlines(rows, flagship_ids)
    head_rows = sorted((r for r in rows if heads.get(r["vendor_id"]) == r["model_id"]),
                       key=lambda r: (-r["score"], r["model_id"]))
    priced_rated = [(r["model_id"], r["blended_usd_per_mtok"], r["score"]) for r in rows
                    if r["score"] is not None and r["blended_usd_per_mtok"] is not None]
    market = frontier(priced_rated)
    on_heads = frontier([p for p in priced_rated if p[0] in set(heads.values())])
    own = {vid: frontier([p for p in priced_rated if p[0] in {r["model_id"] for r in rows if r["vendor_id"] == vid}])
           for vid in {r["vendor_id"] for r in rows}}
    out = []
    for r in rows:
        others = [h for h in head_rows if h["vendor_id"] != r["vendor_id"]]
        is_rated, is_priced = r["score"] is not None, r["blended_usd_per_mtok"] is not None
        best = worst = None
        if is_rated:
            best, worst = rank_range(r["score_low"], r["score_high"], [(h["score_low"], h["score_high"]) for h in others])
        is_head = heads.get(r["vendor_id"]) == r["model_id"]
        out.append({
            **{k: r[k] for k in ("model_id", "vendor_id", "model_name", "model_class", "released_on", "leaderboard_on",
                                 "leaderboard_origin", "arena_model", "score", "score_low", "score_high",
                                 "rating_status", "blended_usd_per_mtok")},
            "is_flagship": r["model_id"] in flagship_ids, "is_headline": is_head, "profile": profile_name,
            "rank_best": best, "rank_worst": worst, "rank_field": 1 + len(others) if is_rated else None,
            "level_with": [h["model_id"] for h in others
                           if h["score_high"] >= r["score_low"] and h["score_low"] <= r["score_high"]] if is_rated else None,
            "above": [h["model_id"] for h in others if h["score_low"] > r["score_high"]] if is_rated else None,
            "on_vendor_frontier": r["model_id"] in own[r["vendor_id"]] if is_rated and is_priced else None,
            "on_market_frontier": r["model_id"] in market if is_rated and is_priced else None,
            "on_headline_frontier": r["model_id"] in on_heads if is_head and is_priced else None,
        })
    return pl.DataFrame(out, schema=SCHEMA, orient="row")


def vendor_metrics(ranks: pl.DataFrame, flagship_rows: pl.DataFrame, vendor_ids: list[str]) -> pl.DataFrame:
    """Per vendor (vendor_id, metric, value), from capability_ranks: rated_model_share (the share of
    its lineup's models, curated or catalog-only, retired ones left out, with a score),
    flagship_is_rated (1/0), headline_is_flagship (1/0), and its headline model's capability_score,
    capability_rank_best, capability_rank_worst and capability_field (rank range among the vendors'
    headline models). Vendors without a lineup model get none; without a rated model, only the
    first two or three."""
    flagships = dict(flagship_rows.select("vendor_id", "flagship_model_id").iter_rows())
    rows: list[tuple[str, str, float | None]] = []
    for vid in vendor_ids:
        mine = ranks.filter(pl.col("vendor_id") == vid)
        if flagships.get(vid):
            rated = mine.filter((pl.col("model_id") == flagships[vid]) & pl.col("score").is_not_null())
            rows.append((vid, "flagship_is_rated", 0.0 if rated.is_empty() else 1.0))
        if mine.is_empty():
            continue
        rows.append((vid, "rated_model_share", mine["score"].is_not_null().mean()))
        head = mine.filter(pl.col("is_headline"))
        if not head.is_empty():
            h = head.row(0, named=True)
            rows += [(vid, "headline_is_flagship", 1.0 if h["is_flagship"] else 0.0),
                     (vid, "capability_score", h["score"]), (vid, "capability_rank_best", float(h["rank_best"])),
                     (vid, "capability_rank_worst", float(h["rank_worst"])), (vid, "capability_field", float(h["rank_field"]))]
    return pl.DataFrame(rows, schema=METRIC_SCHEMA, orient="row")
