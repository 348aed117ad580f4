"""Lineup metrics over the curated models released by the as-of date. Shares are 0-1;
parameter counts in billions; context windows in tokens."""

from __future__ import annotations

import polars as pl


def vendor_lineup(models: pl.DataFrame) -> pl.DataFrame:
    """model_count; open_weights_share = open-weight models / models; moe_share = MoE models /
    models; mean_active_param_share = mean of active / total parameters over MoE models with both
    counts; largest_context_window; licences (distinct, sorted).

    models: curated models (vendor_id, architecture, is_open_weights, active/total_params_b,
    context_window_tokens, licence). Returns one row per vendor, sorted by vendor_id."""
    moe = pl.col("architecture") == "moe"
    share = (pl.col("active_params_b") / pl.col("total_params_b"))
    return models.group_by("vendor_id").agg(
        pl.len().cast(pl.Int64).alias("model_count"),
        pl.col("is_open_weights").sum().cast(pl.Int64).alias("open_weights_count"),
        pl.col("is_open_weights").mean().alias("open_weights_share"),
        moe.sum().cast(pl.Int64).alias("moe_count"),
        moe.mean().alias("moe_share"),
        share.filter(moe).mean().alias("mean_active_param_share"),
        pl.col("context_window_tokens").max().alias("largest_context_window"),
        pl.col("licence").unique().sort().alias("licences"),
        pl.col("total_params_b").max().alias("largest_total_params_b"),
    ).sort("vendor_id")


def model_architecture(models: pl.DataFrame) -> pl.DataFrame:
    """active_param_share = active / total parameters (1.0 for dense models with counts; NULL
    without both counts). Returns model_id, active_param_share."""
    return models.select("model_id", (pl.col("active_params_b") / pl.col("total_params_b")).alias("active_param_share"))
