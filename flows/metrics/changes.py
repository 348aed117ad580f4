"""Edition changes: what moved since the previous edition (the last run whose metrics were
recorded in history.edition_*). Prices in USD/Mtok, amounts in USD; `change` is after / before - 1
(for a price change, of whichever of the input and output prices moved more).

Every function here is pure: frames in, frames out. Changes about a catalog model (kinds
price_change, new_model, retired_model) carry the catalog's provider id in `platform` and its model
id in `catalog_model_id`; `subject` is the readable form "<platform> <catalog_model_id> (<catalog>)".
Values are recorded as text (before_value, after_value) in USD with the formats of
flows/formatting.py, and as numbers (before_numbers, after_numbers: a list, [input, output] for a
price pair) with their `unit`, so that a briefing prints them in its edition's currency
(`display`). A metric's unit follows from its name (`metric_unit`).
"""

from __future__ import annotations

import polars as pl

from flows import formatting

SCHEMA = {"kind": pl.String, "vendor_id": pl.String, "subject": pl.String, "before_value": pl.String,
          "after_value": pl.String, "change": pl.Float64, "platform": pl.String, "catalog_model_id": pl.String,
          "unit": pl.String, "before_numbers": pl.List(pl.Float64), "after_numbers": pl.List(pl.Float64)}
# Units of recorded values: usd (an amount), usd_per_mtok_pair (input/output list prices),
# usd_per_mtok (one price), ratio, share, multiple, days, count (a plain number).
UNITS = ("usd", "usd_per_mtok_pair", "usd_per_mtok", "ratio", "share", "multiple", "days", "count")


def metric_unit(metric: str) -> str:
    """The unit of a vendor metric (marts.vendor_metrics), from its name: *_usd_per_mtok a price,
    *_usd an amount, *_ratio a price ratio, *_share a share, revenue_multiple_* a multiple, days_*
    days; anything else (headcount, counts, ranks, flags) a plain number."""
    if metric.endswith("_usd_per_mtok"):
        return "usd_per_mtok"
    if metric.endswith("_usd"):
        return "usd"
    if metric.endswith("_ratio"):
        return "ratio"
    if metric.endswith("_share"):
        return "share"
    if metric.startswith("revenue_multiple"):
        return "multiple"
    if metric.startswith("days_"):
        return "days"
    return "count"


def format_value(unit: str | None, numbers: list[float | None] | None, currency: str = "USD",
                 per_usd: float = 1.0) -> str | None:
    """A recorded value in words, money in `currency` at `per_usd` units per USD (flows/formatting.py):
    $2.15B / €1.92B, $0.40/$2.00, 1.85x, 20%, 12.5x, 840 days, 1,048,576; None without numbers."""
    if not numbers or unit is None or all(n is None for n in numbers):
        return None
    def conv(v: float | None) -> float | None:
        return None if v is None else v * per_usd
    first = numbers[0]
    if unit == "usd_per_mtok_pair":
        return "/".join(formatting.unit_price(conv(v), currency) for v in numbers)
    if unit == "usd_per_mtok":
        return formatting.unit_price(conv(first), currency)
    if unit == "usd":
        return formatting.money(conv(first), currency)
    if unit == "ratio":
        return formatting.ratio(first)
    if unit == "share":
        return formatting.pct(first, 1)
    if unit == "multiple":
        return formatting.times(first)
    if unit == "days":
        return f"{formatting.num(first)} days"
    return formatting.num(first, 0 if float(first).is_integer() else 2)


def display(row: dict, currency: str = "USD", per_usd: float = 1.0) -> tuple[str | None, str | None]:
    """(before, after) of a recorded change (a row of marts.edition_changes) as an edition prints
    them: money in its currency at its rate; the recorded USD text when the row has no numbers."""
    unit = row.get("unit")
    if unit is None:
        return row.get("before_value"), row.get("after_value")
    return (format_value(unit, row.get("before_numbers"), currency, per_usd),
            format_value(unit, row.get("after_numbers"), currency, per_usd))
KEYS = ["source", "provider_id", "model_id"]
CATALOG_KINDS = ("price_change", "new_model", "retired_model")


def _text(expr: pl.Expr, fmt) -> pl.Expr:
    return expr.map_elements(fmt, return_dtype=pl.String, skip_nulls=True)


def _price_pair(input_col: str, output_col: str) -> pl.Expr:
    """"$<input>/$<output>" as list prices print ($0.40/$2.00, formatting.price); NULL when either
    price is unknown."""
    def pair(r: dict) -> str | None:
        if r[input_col] is None or r[output_col] is None:
            return None
        return f"{formatting.price(r[input_col])}/{formatting.price(r[output_col])}"
    return pl.struct(input_col, output_col).map_elements(pair, return_dtype=pl.String)


def _numbers(*cols: str) -> pl.Expr:
    """The values of `cols` as a list (NULL when the first is NULL)."""
    return pl.when(pl.col(cols[0]).is_not_null()).then(pl.concat_list(*(pl.col(c).cast(pl.Float64) for c in cols)))


def _catalog_subject() -> list[pl.Expr]:
    return [pl.format("{} {} ({})", "provider_id", "model_id", "source").alias("subject")]


def _catalog_ids() -> list[pl.Expr]:
    return [pl.col("provider_id").alias("platform"), pl.col("model_id").alias("catalog_model_id")]


def _no_numbers() -> list[pl.Expr]:
    return [pl.lit(None, pl.String).alias("unit"), pl.lit(None, pl.List(pl.Float64)).alias("before_numbers"),
            pl.lit(None, pl.List(pl.Float64)).alias("after_numbers")]


def _not_catalog() -> list[pl.Expr]:
    """platform and catalog_model_id of a change that is not about a catalog model."""
    return [pl.lit(None, pl.String).alias("platform"), pl.lit(None, pl.String).alias("catalog_model_id")]


def _move(side: str) -> pl.Expr:
    before = pl.col(f"before_{side}")
    return pl.when(before > 0).then(pl.col(f"{side}_usd_per_mtok") / before - 1)


def price_changes(current: pl.DataFrame, baseline: pl.DataFrame) -> pl.DataFrame:
    """Catalog models of curated vendors whose input or output price differs from the baseline's.

    current: marts.prices_current (source, provider_id, model_id, vendor_id, input/output USD/Mtok);
    baseline: history.edition_prices of the previous edition (same keys and prices).
    Returns SCHEMA rows of kind price_change; before/after values read "$0.40/$2.00".
    """
    joined = current.filter(pl.col("vendor_id").is_not_null()).join(
        baseline.select(*KEYS, pl.col("input_usd_per_mtok").alias("before_input"),
                        pl.col("output_usd_per_mtok").alias("before_output")), on=KEYS, how="inner")
    moved = joined.filter(pl.col("input_usd_per_mtok").ne_missing(pl.col("before_input"))
                          | pl.col("output_usd_per_mtok").ne_missing(pl.col("before_output")))
    return moved.select(
        pl.lit("price_change").alias("kind"), "vendor_id", *_catalog_subject(),
        _price_pair("before_input", "before_output").alias("before_value"),
        _price_pair("input_usd_per_mtok", "output_usd_per_mtok").alias("after_value"),
        # the larger of the input and output moves, so an input-only change is not reported as 0
        # (a move from a zero price has no finite ratio: null)
        pl.when(_move("input").abs() >= _move("output").abs().fill_null(0)).then(_move("input"))
        .otherwise(_move("output")).alias("change"),
        *_catalog_ids(), pl.lit("usd_per_mtok_pair").alias("unit"),
        _numbers("before_input", "before_output").alias("before_numbers"),
        _numbers("input_usd_per_mtok", "output_usd_per_mtok").alias("after_numbers"),
    )


def model_changes(current: pl.DataFrame, baseline: pl.DataFrame) -> pl.DataFrame:
    """Catalog models of curated vendors that appeared (new_model) or disappeared (retired_model).

    current, baseline: as for price_changes. Returns SCHEMA rows without values.
    """
    cur = current.filter(pl.col("vendor_id").is_not_null()).select(*KEYS, "vendor_id")
    base = baseline.filter(pl.col("vendor_id").is_not_null()).select(*KEYS, "vendor_id")
    new = cur.join(base, on=KEYS, how="anti").with_columns(pl.lit("new_model").alias("kind"))
    gone = base.join(cur, on=KEYS, how="anti").with_columns(pl.lit("retired_model").alias("kind"))
    return pl.concat([new, gone]).select(
        "kind", "vendor_id", *_catalog_subject(),
        pl.lit(None, pl.String).alias("before_value"), pl.lit(None, pl.String).alias("after_value"),
        pl.lit(None, pl.Float64).alias("change"), *_catalog_ids(), *_no_numbers())


def round_changes(rounds: pl.DataFrame, baseline: pl.DataFrame) -> pl.DataFrame:
    """Funding rounds not in the baseline (new_funding_round), the amount as after_value.

    rounds: marts.funding_rounds; baseline: history.edition_funding_rounds of the previous edition.
    """
    new = rounds.join(baseline.select("round_id"), on="round_id", how="anti")
    return new.select(
        pl.lit("new_funding_round").alias("kind"), "vendor_id",
        pl.format("{} ({})", "round_id", "announced_on").alias("subject"), pl.lit(None, pl.String).alias("before_value"),
        _text(pl.col("amount_usd"), formatting.usd_record).alias("after_value"),
        pl.lit(None, pl.Float64).alias("change"), *_not_catalog(), pl.lit("usd").alias("unit"),
        pl.lit(None, pl.List(pl.Float64)).alias("before_numbers"), _numbers("amount_usd").alias("after_numbers"))


def metric_moves(current: pl.DataFrame, baseline: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Vendor metrics whose value moved by more than `threshold` (relative) since the baseline.

    current: vendor metrics (vendor_id, metric, value); baseline: history.edition_metrics of the
    previous edition. Values are recorded in the format of their unit (`metric_unit`, in USD:
    $16.62B, $0.40, 1.85x, 20.0%, 1,210), and as numbers for the edition's currency.
    """
    joined = current.join(baseline.select("vendor_id", "metric", pl.col("value").alias("before")),
                          on=["vendor_id", "metric"], how="inner")
    change = pl.col("value") / pl.col("before") - 1
    moved = joined.filter(pl.col("before").is_not_null() & pl.col("value").is_not_null()
                          & (pl.col("before") != 0) & (change.abs() > threshold))
    unit = pl.col("metric").map_elements(metric_unit, return_dtype=pl.String)

    def text(col: str) -> pl.Expr:
        return pl.struct("metric", col).map_elements(lambda r: format_value(metric_unit(r["metric"]), [r[col]]),
                                                     return_dtype=pl.String)
    return moved.select(
        pl.lit("metric_move").alias("kind"), "vendor_id", pl.col("metric").alias("subject"),
        text("before").alias("before_value"), text("value").alias("after_value"), change.alias("change"),
        *_not_catalog(), unit.alias("unit"), _numbers("before").alias("before_numbers"),
        _numbers("value").alias("after_numbers"))


def edition_changes(run_id: str, frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The changes of every vendor, sorted by vendor, kind and subject; each frame carries the
    previous_run_id it was compared with. Returns run_id, previous_run_id and the SCHEMA columns."""
    schema = {"previous_run_id": pl.String, **SCHEMA}
    body = pl.concat([f.select(list(schema)).cast(schema) for f in frames]) if frames else pl.DataFrame(schema=schema)
    return body.sort("vendor_id", "kind", "subject", nulls_last=True).select(
        pl.lit(run_id).alias("run_id"), "previous_run_id", *SCHEMA)
