"""Edition changes: what moved since the previous edition (the last run whose metrics were
recorded in history.edition_*). Prices in USD/Mtok, amounts in USD; `change` is after / before - 1
(for a price change, of whichever of the input and output prices moved more)."""

from __future__ import annotations

import polars as pl

SCHEMA = {"kind": pl.String, "vendor_id": pl.String, "subject": pl.String, "before_value": pl.String,
          "after_value": pl.String, "change": pl.Float64}
KEYS = ["source", "provider_id", "model_id"]


def _fmt(value: float | None, unit: str = "") -> str | None:
    if value is None:
        return None
    if unit == "usd" and abs(value) >= 1e6:
        return f"${value / 1e9:,.3f}B" if abs(value) >= 1e9 else f"${value / 1e6:,.1f}M"
    return f"{value:,.4g}{unit if unit != 'usd' else ''}"


def _move(side: str) -> pl.Expr:
    before = pl.col(f"before_{side}")
    return pl.when(before > 0).then(pl.col(f"{side}_usd_per_mtok") / before - 1)


def price_changes(current: pl.DataFrame, baseline: pl.DataFrame) -> pl.DataFrame:
    """Models of curated vendors whose input or output price differs from the baseline's."""
    joined = current.filter(pl.col("vendor_id").is_not_null()).join(
        baseline.select(*KEYS, pl.col("input_usd_per_mtok").alias("before_input"),
                        pl.col("output_usd_per_mtok").alias("before_output")), on=KEYS, how="inner")
    moved = joined.filter(pl.col("input_usd_per_mtok").ne_missing(pl.col("before_input"))
                          | pl.col("output_usd_per_mtok").ne_missing(pl.col("before_output")))
    return moved.select(
        pl.lit("price_change").alias("kind"), "vendor_id",
        pl.format("{} {} ({})", "provider_id", "model_id", "source").alias("subject"),
        pl.format("${}/${}", pl.col("before_input").round(4), pl.col("before_output").round(4)).alias("before_value"),
        pl.format("${}/${}", pl.col("input_usd_per_mtok").round(4), pl.col("output_usd_per_mtok").round(4)).alias("after_value"),
        # the larger of the input and output moves, so an input-only change is not reported as 0
        # (a move from a zero price has no finite ratio: null)
        pl.when(_move("input").abs() >= _move("output").abs().fill_null(0)).then(_move("input"))
        .otherwise(_move("output")).alias("change"),
    )


def model_changes(current: pl.DataFrame, baseline: pl.DataFrame) -> pl.DataFrame:
    """Catalog models of curated vendors that appeared (new_model) or disappeared (retired_model)."""
    cur = current.filter(pl.col("vendor_id").is_not_null()).select(*KEYS, "vendor_id")
    base = baseline.filter(pl.col("vendor_id").is_not_null()).select(*KEYS, "vendor_id")
    new = cur.join(base, on=KEYS, how="anti").with_columns(pl.lit("new_model").alias("kind"))
    gone = base.join(cur, on=KEYS, how="anti").with_columns(pl.lit("retired_model").alias("kind"))
    return pl.concat([new, gone]).select(
        "kind", "vendor_id", pl.format("{} {} ({})", "provider_id", "model_id", "source").alias("subject"),
        pl.lit(None, pl.String).alias("before_value"), pl.lit(None, pl.String).alias("after_value"),
        pl.lit(None, pl.Float64).alias("change"))


def round_changes(rounds: pl.DataFrame, baseline: pl.DataFrame) -> pl.DataFrame:
    new = rounds.join(baseline.select("round_id"), on="round_id", how="anti")
    return new.select(
        pl.lit("new_funding_round").alias("kind"), "vendor_id",
        pl.format("{} ({})", "round_id", "announced_on").alias("subject"), pl.lit(None, pl.String).alias("before_value"),
        pl.col("amount_usd").map_elements(lambda v: _fmt(v, "usd"), return_dtype=pl.String).alias("after_value"),
        pl.lit(None, pl.Float64).alias("change"))


def metric_moves(current: pl.DataFrame, baseline: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Vendor metrics whose value moved by more than `threshold` (relative) since the baseline."""
    joined = current.join(baseline.select("vendor_id", "metric", pl.col("value").alias("before")),
                          on=["vendor_id", "metric"], how="inner")
    change = pl.col("value") / pl.col("before") - 1
    moved = joined.filter(pl.col("before").is_not_null() & pl.col("value").is_not_null()
                          & (pl.col("before") != 0) & (change.abs() > threshold))
    return moved.select(
        pl.lit("metric_move").alias("kind"), "vendor_id", pl.col("metric").alias("subject"),
        pl.col("before").round(6).cast(pl.String).alias("before_value"),
        pl.col("value").round(6).cast(pl.String).alias("after_value"), change.alias("change"))


def edition_changes(run_id: str, frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The changes of every vendor; each frame carries the previous_run_id it was compared with."""
    schema = {"previous_run_id": pl.String, **SCHEMA}
    body = pl.concat([f.select(list(schema)).cast(schema) for f in frames]) if frames else pl.DataFrame(schema=schema)
    return body.sort("vendor_id", "kind", "subject", nulls_last=True).select(
        pl.lit(run_id).alias("run_id"), "previous_run_id", *SCHEMA)
