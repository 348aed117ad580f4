"""Lineup metrics over each vendor's lineup on the edition date (marts.catalog_lineup). Shares are
0-1; parameter counts in billions; context windows in tokens.

A vendor's listed models are those its own platform lists on the edition date and that are not
retired: current ones and deprecated ones (still sold, retirement announced, marked as such);
retired ones are its lineup history. Curated facts (weights, architecture,
licence) are known only for curated models: the shares are over the curated models of the
current lineup.
"""

from __future__ import annotations

import polars as pl

LISTED = ("current", "deprecated")


def vendor_lineup(lineup: pl.DataFrame) -> pl.DataFrame:
    """Per vendor: model_count (curated models listed on the edition date: current or
    deprecated), open_weights_count, open_weights_share = open-weight / model_count, moe_count,
    moe_share = MoE / model_count, mean_active_param_share = mean of active / total parameters over
    MoE models with both counts, largest_context_window (over every listed model, curated or not),
    licences (distinct, sorted), largest_total_params_b, catalog_only_count (listed models without
    curated facts), deprecated_count and retired_count (models of the lineup history: retired or
    unlisted by the edition date, curated or not).

    lineup: marts.catalog_lineup. Returns one row per vendor, sorted by vendor_id."""
    listed = lineup.filter(pl.col("status").is_in(LISTED))
    curated = listed.filter(pl.col("is_curated"))
    moe = pl.col("architecture") == "moe"
    share = (pl.col("active_params_b") / pl.col("total_params_b"))
    facts = curated.group_by("vendor_id").agg(
        pl.len().cast(pl.Int64).alias("model_count"),
        pl.col("is_open_weights").sum().cast(pl.Int64).alias("open_weights_count"),
        pl.col("is_open_weights").mean().alias("open_weights_share"),
        moe.sum().cast(pl.Int64).alias("moe_count"),
        moe.mean().alias("moe_share"),
        share.filter(moe).mean().alias("mean_active_param_share"),
        pl.col("licence").drop_nulls().unique().sort().alias("licences"),
        pl.col("total_params_b").max().alias("largest_total_params_b"),
    )
    counts = lineup.group_by("vendor_id").agg(
        (pl.col("status").is_in(LISTED) & ~pl.col("is_curated")).sum().cast(pl.Int64).alias("catalog_only_count"),
        (pl.col("status") == "deprecated").sum().cast(pl.Int64).alias("deprecated_count"),
        (pl.col("status") == "retired").sum().cast(pl.Int64).alias("retired_count"),
        pl.col("context_window_tokens").filter(pl.col("status").is_in(LISTED)).max().alias("largest_context_window"),
    )
    out = counts.join(facts, on="vendor_id", how="left").with_columns(
        pl.col("model_count").fill_null(0), pl.col("open_weights_count").fill_null(0), pl.col("moe_count").fill_null(0))
    return out.select(
        "vendor_id", "model_count", "open_weights_count", "open_weights_share", "moe_count", "moe_share",
        "mean_active_param_share", "largest_context_window", "licences", "largest_total_params_b",
        "catalog_only_count", "deprecated_count", "retired_count").sort("vendor_id")


def model_architecture(models: pl.DataFrame) -> pl.DataFrame:
    """active_param_share = active / total parameters (1.0 for dense models with counts; NULL
    without both counts). Returns model_id, active_param_share."""
    return models.select("model_id", (pl.col("active_params_b") / pl.col("total_params_b")).alias("active_param_share"))


def current_prices(lineup: pl.DataFrame, decisions: pl.DataFrame) -> pl.DataFrame:
    """The prices the claim audit re-checks claims with on the edition date: the models that may be
    compared (decisions.is_ranked: current, not a free tier, priced), at their shown price. A claim
    about a retired, deprecated or free-tier model finds no price: it is not re-checked.
    Returns model_id, input/output/cache_read_usd_per_mtok (as marts.model_prices_on)."""
    ranked = decisions.filter(pl.col("is_ranked")).select("model_id")
    return lineup.join(ranked, on="model_id").select(
        "model_id", "input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok")
