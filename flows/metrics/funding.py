"""Funding metrics. Amounts in USD; multiples are plain ratios; durations in days.

A round's USD amount is the figure a source states, else its amount converted at the exchange
rate of the announcement date (marts.funding_rounds), split into equity, debt and conditional
parts (equity_usd, debt_usd, conditional_usd). Secondary sales move shares between holders and
raise nothing for the company: they count for valuation, not for the total. A round whose amount
no source discloses counts in round_count but in no sum: every sum that misses one is a lower
bound (total_is_lower_bound, rounds_total_at_report_is_lower_bound), as is every sum over an
incomplete round list.
"""

from __future__ import annotations

import polars as pl

RAISING = pl.col("round_name") != "secondary"
UNDISCLOSED = pl.col("amount_usd").is_null()
# What a reported total counts (its `covers`), as the parts of the rounds that add up to it.
COVERS = {"all": ("equity_usd", "debt_usd", "conditional_usd"), "equity_and_debt": ("equity_usd", "debt_usd"),
          "equity": ("equity_usd",)}


def covered_usd(covers: str | None) -> pl.Expr:
    """A round's USD money of the kinds a reported total covers (all when it does not say)."""
    return pl.sum_horizontal(*(pl.col(c) for c in COVERS[covers or "all"]))


def known_on() -> pl.Expr:
    """The date by which a round is surely public: the announcement date, or the end of its month
    or year when only that much of the date is known (a round "in 2024" is not known in March 2024)."""
    day = pl.col("announced_on")
    return (pl.when(pl.col("announced_on_precision") == "year").then(day.dt.offset_by("1y").dt.offset_by("-1d"))
            .when(pl.col("announced_on_precision") == "month").then(day.dt.month_end())
            .otherwise(day))


def valuation_steps(rounds: pl.DataFrame) -> pl.DataFrame:
    """step_up_multiple = post-money valuation / the previous known post-money valuation.

    rounds: marts.funding_rounds (valuations in USD). Returns one row per valued round with the
    columns of sql/marts/valuation_steps.sql."""
    valued = rounds.filter(pl.col("post_money_valuation_usd").is_not_null()).sort("vendor_id", "announced_on", "round_id")
    return valued.with_columns(
        pl.col("post_money_valuation_usd").shift(1).over("vendor_id").alias("previous_post_money_usd"),
        pl.col("round_id").shift(1).over("vendor_id").alias("previous_round_id"),
    ).with_columns(
        (pl.col("post_money_valuation_usd") / pl.col("previous_post_money_usd")).alias("step_up_multiple")
    ).select("vendor_id", "round_id", "round_name", "announced_on", "post_money_valuation_usd",
             "previous_round_id", "previous_post_money_usd", "step_up_multiple", "is_down_round")


def raised_totals(rounds: pl.DataFrame) -> pl.DataFrame:
    """Per vendor, over the given rounds (secondary sales excluded): total_raised_usd (the disclosed
    amounts), its equity, debt and conditional parts, round_count, undisclosed_round_count and
    converted_part_usd. The one sum of the product: vendor_funding and the claim audit use it."""
    return rounds.group_by("vendor_id").agg(
        pl.col("amount_usd").filter(RAISING).sum().alias("total_raised_usd"),
        pl.col("equity_usd").filter(RAISING).sum().alias("equity_raised_usd"),
        pl.col("debt_usd").filter(RAISING).sum().alias("debt_raised_usd"),
        pl.col("conditional_usd").filter(RAISING).sum().alias("conditional_raised_usd"),
        pl.col("round_id").filter(RAISING).len().alias("round_count"),
        pl.col("round_id").filter(RAISING & UNDISCLOSED).len().alias("undisclosed_round_count"),
        pl.col("amount_usd").filter(RAISING & (pl.col("amount_usd_basis") == "converted")).sum().alias("converted_part_usd"),
        (RAISING & _minimum(rounds, "amount_is_lower_bound")).any().alias("has_minimum_amount"),
    )


def _minimum(rounds: pl.DataFrame, column: str) -> pl.Expr:
    """Whether a round's amount or valuation is a minimum a source gives ("more than"); false when
    the frame does not say."""
    return pl.col(column).fill_null(False) if column in rounds.columns else pl.lit(False)


def latest_valuations(rounds: pl.DataFrame) -> pl.DataFrame:
    """Per vendor, the latest post-money valuation among the given rounds: latest by announcement
    date, a same-day tie going to the greatest round id (latest_post_money_usd, latest_valuation_on,
    latest_valuation_round_id). The one choice of the product: vendor_funding and the claim audit use it."""
    return (rounds.filter(pl.col("post_money_valuation_usd").is_not_null())
            .sort("vendor_id", "announced_on", "round_id").group_by("vendor_id", maintain_order=True).last()
            .select("vendor_id", pl.col("post_money_valuation_usd").alias("latest_post_money_usd"),
                    pl.col("announced_on").alias("latest_valuation_on"),
                    pl.col("round_id").alias("latest_valuation_round_id"),
                    _minimum(rounds, "valuation_is_lower_bound").alias("latest_valuation_is_lower_bound")))


def vendor_funding(vendors: pl.DataFrame, rounds: pl.DataFrame, revenue: pl.DataFrame) -> pl.DataFrame:
    """One row per vendor:
    total_raised_usd = sum of amount_usd over rounds other than secondary sales, = equity_raised_usd
    + debt_raised_usd + conditional_raised_usd (the parts of the rounds); a lower bound
    (total_is_lower_bound) unless funding_rounds_complete and every amount is disclosed and none
    is a minimum a source gives ("exceeding $250 million": amount_is_lower_bound);
    latest_valuation_is_lower_bound: the latest valuation is such a minimum ("more than €21 billion");
    undisclosed_round_count = rounds (not secondary) without an amount;
    rounds_total_at_report_usd = the money of the kinds the reported total covers (all, equity and
    debt, or equity) over rounds announced by the reported total's date;
    difference_usd = reported_total_usd - rounds_total_at_report_usd (relative_difference = / the latter);
    days_to_unicorn = first announcement with post-money >= $1B minus founded_on;
    raised_per_employee_usd = total_raised_usd / latest headcount;
    revenue_multiple_low/high = the post-money valuation known on the latest revenue estimate's
    date / that estimate's high / low end (as in revenue_multiples).
    """
    totals = raised_totals(rounds)
    latest = latest_valuations(rounds)
    unicorn = (rounds.filter(pl.col("post_money_valuation_usd") >= 1e9).sort("vendor_id", "announced_on")
               .group_by("vendor_id", maintain_order=True).first()
               .select("vendor_id", pl.col("announced_on").alias("unicorn_on"),
                       pl.col("announced_on_precision").alias("unicorn_on_precision"), pl.col("round_id").alias("unicorn_round_id")))
    reported = vendors.select("vendor_id", "reported_total_on", "reported_total_covers")
    at_report = pl.concat([
        rounds.join(reported.filter(pl.col("reported_total_covers").fill_null("all") == covers), on="vendor_id")
        .filter(RAISING & (pl.col("announced_on") <= pl.col("reported_total_on")))
        .group_by("vendor_id").agg(covered_usd(covers).sum().alias("rounds_total_at_report_usd"),
                                   (UNDISCLOSED | _minimum(rounds, "amount_is_lower_bound")).any()
                                   .alias("rounds_total_at_report_is_lower_bound"))
        for covers in COVERS])
    out = (vendors.select("vendor_id", "founded_on", "headcount", "funding_rounds_complete", "reported_total_usd",
                          "reported_total_covers", "reported_total_on", "reported_total_source_id")
           .join(totals, on="vendor_id", how="left").join(at_report, on="vendor_id", how="left").join(latest, on="vendor_id", how="left")
           .join(unicorn, on="vendor_id", how="left").join(revenue, on="vendor_id", how="left"))
    paired = revenue_multiples(rounds, revenue.filter(pl.col("revenue_on").is_not_null())
                               .rename({"revenue_on": "source_as_of"}))
    out = out.join(paired.select("vendor_id", pl.col("multiple_low").alias("revenue_multiple_low"),
                                 pl.col("multiple_high").alias("revenue_multiple_high")), on="vendor_id", how="left")
    return out.with_columns(
        pl.col("round_count").fill_null(0),
        pl.col("undisclosed_round_count").fill_null(0),
        (~pl.col("funding_rounds_complete").fill_null(False) | (pl.col("undisclosed_round_count").fill_null(0) > 0)
         | pl.col("has_minimum_amount").fill_null(False)).alias("total_is_lower_bound"),
        (pl.col("rounds_total_at_report_is_lower_bound").fill_null(False)
         | ~pl.col("funding_rounds_complete").fill_null(False)).alias("rounds_total_at_report_is_lower_bound"),
        (pl.col("reported_total_usd") - pl.col("rounds_total_at_report_usd")).alias("difference_usd"),
        ((pl.col("reported_total_usd") - pl.col("rounds_total_at_report_usd"))
         / pl.col("rounds_total_at_report_usd")).alias("relative_difference"),
        (pl.col("unicorn_on") - pl.col("founded_on")).dt.total_days().alias("days_to_unicorn"),
        (pl.col("total_raised_usd") / pl.col("headcount")).alias("raised_per_employee_usd"),
    ).drop("has_minimum_amount")


def revenue_multiples(valuations: pl.DataFrame, revenue: pl.DataFrame) -> pl.DataFrame:
    """Each revenue estimate against the latest post-money valuation known on the estimate's
    date: multiple_low = valuation / high end, multiple_high = valuation / low end.

    valuations: funding rounds (vendor_id, round_id, announced_on, announced_on_precision,
    post_money_valuation_usd); revenue: estimates (vendor_id, revenue_low_usd, revenue_high_usd,
    source_as_of, ...), USD a year. Returns the columns of sql/marts/revenue_multiples.sql."""
    val = (valuations.filter(pl.col("post_money_valuation_usd").is_not_null())
           .with_columns(known_on().alias("known_on")).sort("vendor_id", "known_on", "announced_on"))
    rev = revenue.sort("vendor_id", "source_as_of")
    joined = rev.join_asof(val.select("vendor_id", "known_on", "announced_on", "post_money_valuation_usd", "round_id"),
                           left_on="source_as_of", right_on="known_on", by="vendor_id", strategy="backward",
                           check_sortedness=False).drop("known_on")
    return joined.with_columns(
        (pl.col("post_money_valuation_usd") / pl.col("revenue_high_usd")).alias("multiple_low"),
        (pl.col("post_money_valuation_usd") / pl.col("revenue_low_usd")).alias("multiple_high"),
    ).rename({"round_id": "valuation_round_id", "announced_on": "valuation_on"})
