"""Price metrics: workload blends, ratios, ranks and price changes. Pure functions: frames in,
frames out.

Which price is in force on a date is decided once, in SQL (sql/macros/price_periods_on.sql for
catalog models, sql/macros/model_prices_on.sql for curated models): the metrics stage reads those
prices and passes them here.

Units: prices in USD per million tokens (USD/Mtok); monthly costs in USD; ratios and shares
are plain numbers (0.16 = 16%).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import polars as pl

from flows.config import Profile

PRICE_COLUMNS = ("input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok")
# Windows of the price-change metrics, in days.
WINDOWS = (90, 365)


def blended(profile: Profile, input_col: str = "input_usd_per_mtok", output_col: str = "output_usd_per_mtok",
            cache_col: str = "cache_read_usd_per_mtok") -> pl.Expr:
    """Blended USD/Mtok of traffic for a profile:
    (input_share x ((1 - hit) x input + hit x cache_read) + output_share x output) / (input_share + output_share),
    cache hits paying the input price when there is no cache-read price.
    """
    hit = profile.cache_hit_share
    input_effective = (1 - hit) * pl.col(input_col) + hit * pl.coalesce(pl.col(cache_col), pl.col(input_col))
    return (profile.input * input_effective + profile.output * pl.col(output_col)) / (profile.input + profile.output)


def monthly_cost(blended_usd_per_mtok: pl.Expr, monthly_tokens: int) -> pl.Expr:
    """USD a month for `monthly_tokens` tokens of traffic at a blended price."""
    return blended_usd_per_mtok * (monthly_tokens / 1_000_000)


# Which catalog's values a disputed column is also ranked on: the other one than the shown price's.
OTHER_CATALOG = {"genai-prices": "litellm", "litellm": "genai"}
COMPONENTS = ("input", "output", "cache_read")


def price_decisions(lineup: pl.DataFrame, tolerance: float) -> pl.DataFrame:
    """What the briefings may do with each lineup model's price (marts.catalog_lineup rows).

    <c>_disputed (c = input, output, cache_read): the two catalogs' own-platform prices of the
    column differ by more than `tolerance` (quality.reconciliation_tolerance), relative to
    genai-prices' (|litellm - genai| / genai), and no curated list price settles it (a curated
    list price settles input and output: is_settled when the catalogs disagreed on either).
    is_ranked: the model may be ranked, compared, costed and used in claims and verdicts: current
    (neither deprecated nor retired), not a free tier, with an input and an output price.
    excluded_because: why it is not (retired, deprecated, free tier, no price), else None.
    Returns model_id, vendor_id and those columns."""
    settled = pl.col("price_source") == "curated"
    beyond = {c: (pl.col(f"{c}_relative_difference") > tolerance).fill_null(False) for c in COMPONENTS}
    priced = pl.col("input_usd_per_mtok").is_not_null() & pl.col("output_usd_per_mtok").is_not_null()
    return lineup.select(
        "model_id", "vendor_id",
        (beyond["input"] & ~settled).alias("input_disputed"),
        (beyond["output"] & ~settled).alias("output_disputed"),
        beyond["cache_read"].alias("cache_read_disputed"),
        (settled & (beyond["input"] | beyond["output"])).alias("is_settled"),
        ((pl.col("status") == "current") & ~pl.col("is_free_tier") & priced).alias("is_ranked"),
        pl.when(pl.col("status") != "current").then(pl.col("status"))
        .when(pl.col("is_free_tier")).then(pl.lit("free tier"))
        .when(~priced).then(pl.lit("no price"))
        .otherwise(None).alias("excluded_because"),
    )


def alternative_prices(lineup: pl.DataFrame, decisions: pl.DataFrame) -> pl.DataFrame:
    """Each model's prices with every disputed column taken from the other catalog (the one its
    shown price does not come from); undisputed columns keep the shown price. Returns model_id,
    alt_input_usd_per_mtok, alt_output_usd_per_mtok, alt_cache_read_usd_per_mtok."""
    frame = lineup.join(decisions.select("model_id", *[f"{c}_disputed" for c in COMPONENTS]), on="model_id")
    out = []
    for c in COMPONENTS:
        other = (pl.when(pl.col("price_source") == "genai-prices").then(pl.col(f"litellm_{c}_usd_per_mtok"))
                 .when(pl.col("price_source") == "litellm").then(pl.col(f"genai_{c}_usd_per_mtok")))
        out.append(pl.when(pl.col(f"{c}_disputed")).then(pl.coalesce(other, pl.col(f"{c}_usd_per_mtok")))
                   .otherwise(pl.col(f"{c}_usd_per_mtok")).alias(f"alt_{c}_usd_per_mtok"))
    return frame.select("model_id", *out)


def comparisons(prices: pl.DataFrame, references: list[str], profiles: dict[str, Profile],
                monthly_tokens: int) -> pl.DataFrame:
    """Every priced model against every reference model, for every workload profile.

    prices: the models that may be compared (is_ranked lineup models: current, not a free tier,
    priced), with the columns of marts.models; references: model ids (only those in `prices` are
    used); monthly_tokens: tokens of traffic a month. Returns the rows of marts.price_comparisons but as_of.

    input_ratio = model input / reference input (same for output, blended);
    switch_saving = 1 - blended_ratio: the share of cost saved by moving from the reference.
    """
    priced = prices.filter(pl.col("input_usd_per_mtok").is_not_null() & pl.col("output_usd_per_mtok").is_not_null())
    ref = priced.filter(pl.col("model_id").is_in(references)).select(
        pl.col("model_id").alias("reference_model_id"),
        *[pl.col(c).alias(f"reference_{c}") for c in PRICE_COLUMNS])
    frames = []
    for name, profile in profiles.items():
        frames.append(
            priced.join(ref, how="cross").with_columns(
                pl.lit(name).alias("profile"),
                blended(profile).alias("blended_usd_per_mtok"),
                blended(profile, "reference_input_usd_per_mtok", "reference_output_usd_per_mtok",
                        "reference_cache_read_usd_per_mtok").alias("reference_blended_usd_per_mtok"),
            )
        )
    out = pl.concat(frames) if frames else priced.clear()
    return out.with_columns(
        (pl.col("input_usd_per_mtok") / pl.col("reference_input_usd_per_mtok")).alias("input_ratio"),
        (pl.col("output_usd_per_mtok") / pl.col("reference_output_usd_per_mtok")).alias("output_ratio"),
        (pl.col("blended_usd_per_mtok") / pl.col("reference_blended_usd_per_mtok")).alias("blended_ratio"),
        monthly_cost(pl.col("blended_usd_per_mtok"), monthly_tokens).alias("monthly_cost_usd"),
        monthly_cost(pl.col("reference_blended_usd_per_mtok"), monthly_tokens).alias("reference_monthly_cost_usd"),
    ).with_columns((1 - pl.col("blended_ratio")).alias("switch_saving"))


def class_ranks(prices: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """Rank (1 = cheapest) and percentile (0 = cheapest, 1 = dearest) of each model's blended
    price for `profile` among the models of the same class.

    prices: models (model_id, model_class, input/output/cache_read USD/Mtok); those without a
    class or without both an input and an output price are left out, and so are those whose
    `is_ranked` column (when given) is false: retired, deprecated, free-tier. When the frame
    carries alt_<c>_usd_per_mtok (alternative_prices: a disputed column at the other catalog's
    price), each model is also ranked at that alternative blend against the others' shown blends:
    class_rank_low / class_rank_high are the better and worse of its two ranks (equal when
    nothing is disputed). Returns model_id, rank_blended_usd_per_mtok, class_rank, class_size,
    class_percentile, class_rank_low, class_rank_high."""
    keep = pl.col("input_usd_per_mtok").is_not_null() & pl.col("output_usd_per_mtok").is_not_null() \
        & pl.col("model_class").is_not_null()
    if "is_ranked" in prices.columns:
        keep = keep & pl.col("is_ranked").fill_null(False)
    ranked = prices.filter(keep).with_columns(blended(profile).alias("rank_blended_usd_per_mtok"))
    if "alt_input_usd_per_mtok" in ranked.columns:
        ranked = ranked.with_columns(blended(profile, "alt_input_usd_per_mtok", "alt_output_usd_per_mtok",
                                             "alt_cache_read_usd_per_mtok").alias("_alt"))
    else:
        ranked = ranked.with_columns(pl.col("rank_blended_usd_per_mtok").alias("_alt"))
    ranked = ranked.with_columns(
        pl.col("rank_blended_usd_per_mtok").rank("min").over("model_class").cast(pl.Int64).alias("class_rank"),
        pl.len().over("model_class").cast(pl.Int64).alias("class_size"),
    ).with_columns(
        pl.when(pl.col("class_size") > 1)
        .then((pl.col("class_rank") - 1) / (pl.col("class_size") - 1))
        .otherwise(0.0).alias("class_percentile")
    )
    # rank of the alternative blend: 1 + the other models of the class priced strictly below it
    pairs = ranked.select("model_id", "model_class", "_alt").join(
        ranked.select(pl.col("model_id").alias("_other"), "model_class",
                      pl.col("rank_blended_usd_per_mtok").alias("_other_blend")), on="model_class")
    alt_rank = (pairs.filter((pl.col("_other") != pl.col("model_id")) & (pl.col("_other_blend") < pl.col("_alt")))
                .group_by("model_id").agg(pl.len().cast(pl.Int64).alias("_below")))
    ranked = ranked.join(alt_rank, on="model_id", how="left").with_columns(
        (pl.col("_below").fill_null(0) + 1).alias("_alt_rank"))
    return ranked.select(
        "model_id", "rank_blended_usd_per_mtok", "class_rank", "class_size", "class_percentile",
        pl.min_horizontal("class_rank", "_alt_rank").alias("class_rank_low"),
        pl.max_horizontal("class_rank", "_alt_rank").alias("class_rank_high"))


def is_alias() -> pl.Expr:
    """Catalog ids such as `mistral-medium-latest` name whichever model is current: a new price
    there usually means the alias moved to another model, not that a list price changed."""
    return pl.col("model_id").str.contains(r"(?i)(^|[-_./:])latest($|[-_./:])")


def price_changes(history: pl.DataFrame, in_force: Mapping[date, pl.DataFrame], on: date,
                  windows: tuple[int, ...] = WINDOWS) -> pl.DataFrame:
    """Per catalog model in force on `on`: relative change of input and output price over each
    window (price on `on` / price `days` earlier - 1, NULL without a positive earlier price), and
    the number of list-price cuts and increases (a period starting in (on - days, on] whose input or
    output price is lower / higher than the period before it).

    history: marts.price_history (source, provider_id, model_id, valid_from, valid_to, prices);
    in_force: the price periods in force on `on` and on `on - days` for every window (rows of
    marts.price_periods_on(day)). Raises KeyError when a date is missing from in_force.
    Returns source, provider_id, model_id, input/output_usd_per_mtok and, per window,
    price_cuts_<days>d, price_increases_<days>d, input_change_<days>d, output_change_<days>d.
    """
    keys = ["source", "provider_id", "model_id"]
    now = in_force[on].select(*keys, "input_usd_per_mtok", "output_usd_per_mtok")
    ordered = history.sort(*keys, "valid_from", nulls_last=False).with_columns(
        pl.col("input_usd_per_mtok").shift(1).over(keys).alias("previous_input"),
        pl.col("output_usd_per_mtok").shift(1).over(keys).alias("previous_output"),
        pl.col("valid_to").shift(1).over(keys).alias("previous_valid_to"),
    ).filter(pl.col("previous_valid_to") == pl.col("valid_from"))
    out = now
    for days in windows:
        start = on - timedelta(days=days)
        then = in_force[start].select(
            *keys, pl.col("input_usd_per_mtok").alias("input_then"), pl.col("output_usd_per_mtok").alias("output_then"))
        moves = ordered.filter((pl.col("valid_from") > start) & (pl.col("valid_from") <= on))
        cuts = (pl.col("input_usd_per_mtok") < pl.col("previous_input")) | (pl.col("output_usd_per_mtok") < pl.col("previous_output"))
        rises = (pl.col("input_usd_per_mtok") > pl.col("previous_input")) | (pl.col("output_usd_per_mtok") > pl.col("previous_output"))
        counts = moves.group_by(keys).agg(
            cuts.sum().cast(pl.Int64).alias(f"price_cuts_{days}d"),
            rises.sum().cast(pl.Int64).alias(f"price_increases_{days}d"))
        out = (out.join(then, on=keys, how="left").join(counts, on=keys, how="left")
               .with_columns(
                   pl.when(pl.col("input_then") > 0).then(pl.col("input_usd_per_mtok") / pl.col("input_then") - 1)
                   .alias(f"input_change_{days}d"),
                   pl.when(pl.col("output_then") > 0).then(pl.col("output_usd_per_mtok") / pl.col("output_then") - 1)
                   .alias(f"output_change_{days}d"),
                   pl.col(f"price_cuts_{days}d").fill_null(0), pl.col(f"price_increases_{days}d").fill_null(0))
               .drop("input_then", "output_then"))
    return out


def window_dates(on: date, windows: tuple[int, ...] = WINDOWS) -> list[date]:
    """The dates price_changes needs prices in force on: `on` and `on - days` for every window."""
    return [on, *(on - timedelta(days=days) for days in windows)]
