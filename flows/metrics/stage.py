"""The metrics stage: read the validated marts as Polars frames, compute every metric family as
of the run's date, write the results back as marts and record this edition's baselines."""

from __future__ import annotations

from datetime import date
from functools import cache

import duckdb
import polars as pl

from flows.config import Config, load_config
from flows.metrics import changes, claims, funding, lineup, prices
from flows.warehouse.build import run_step
from flows.warehouse.store import first_row


def _frame(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> pl.DataFrame:
    return con.sql(query, params=params).pl()


def write_table(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> int:
    """Replace marts.<name> with the frame (names are ours, never taken from data)."""
    con.register("_frame", frame)
    try:
        con.execute(f"create or replace table marts.{name} as select * from _frame")
    finally:
        con.unregister("_frame")
    return frame.height


def _flagships(models: pl.DataFrame) -> pl.DataFrame:
    """Each vendor's flagship: its latest-released priced flagship-class model (else the latest flagship)."""
    flag = models.filter(pl.col("model_class") == "flagship").with_columns(
        pl.col("input_usd_per_mtok").is_not_null().alias("is_priced"))
    return (flag.sort("vendor_id", "is_priced", "released_on", "model_id", descending=[False, True, True, False], nulls_last=True)
            .group_by("vendor_id", maintain_order=True).first()
            .select("vendor_id", pl.col("model_id").alias("flagship_model_id")))


def compute(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, config: Config | None = None) -> dict[str, int]:
    config = config or load_config()
    brief = config.briefing
    profile = config.profiles[config.default_profile]

    history = _frame(con, "select * from marts.price_history").lazy()
    refs = _frame(con, """select model_id, ref_order, source, provider_id, catalog_model_id
                          from staging.stg_facts__model_catalog_refs""").lazy()
    models = _frame(con, "select * from marts.models")
    vendors = _frame(con, "select * from marts.vendors")
    rounds = _frame(con, "select * from marts.funding_rounds")
    revenue = _frame(con, """select vendor_id, revenue_low_usd, revenue_high_usd, basis, source_id, source_as_of
                             from staging.stg_facts__revenue_estimates""")
    claim_rows = _frame(con, "select * from staging.stg_facts__claims")

    @cache
    def prices_on(day: date) -> pl.DataFrame:
        return prices.model_prices(refs, history, day).collect()

    # Prices of curated models on the as-of date, with their class and vendor.
    curated = models.select("model_id", "vendor_id", "model_name", "model_class", "released_on", "is_open_weights",
                            "architecture", "total_params_b", "active_params_b", "context_window_tokens", "licence")
    priced = curated.join(prices_on(as_of), on="model_id", how="left")
    ranks = prices.class_ranks(priced, profile)
    moves = prices.price_changes(history, as_of).collect()
    model_metrics = (priced.join(ranks, on="model_id", how="left")
                     .join(lineup.model_architecture(curated), on="model_id", how="left")
                     .join(moves.rename({"model_id": "price_model_id", "provider_id": "price_provider_id",
                                         "source": "price_source"})
                           .drop("input_usd_per_mtok", "output_usd_per_mtok"),
                           on=["price_source", "price_provider_id", "price_model_id"], how="left")
                     .with_columns(pl.lit(as_of).alias("as_of")))

    references = [m for m in brief.reference_models if m in set(models["model_id"])]
    comparisons = prices.comparisons(
        priced.filter(pl.col("input_usd_per_mtok").is_not_null()), references, config.profiles, config.monthly_tokens,
    ).with_columns(pl.lit(as_of).alias("as_of"))

    funding_rows = funding.vendor_funding(vendors, rounds, revenue_latest(vendors)).with_columns(pl.lit(as_of).alias("as_of"))
    steps = funding.valuation_steps(rounds)
    multiples = funding.revenue_multiples(rounds, revenue.filter(pl.col("source_as_of") <= as_of))
    lineup_rows = lineup.vendor_lineup(curated).with_columns(pl.lit(as_of).alias("as_of"))
    complete = set(vendors.filter(pl.col("funding_rounds_complete"))["vendor_id"])
    audit = claims.audit(claim_rows, as_of, prices_on, rounds, config, complete)

    vendor_metrics = _vendor_metrics(vendors, models, comparisons, funding_rows, lineup_rows, moves, brief, config)
    baseline = edition_baselines(con, run_id, as_of, vendors["vendor_id"].to_list())
    current_prices = _frame(con, "select * from marts.prices_current")
    frames = []
    for previous_run_id, group in baseline.filter(pl.col("previous_run_id").is_not_null()).group_by("previous_run_id"):
        ids = group["vendor_id"].to_list()
        base_prices = _frame(con, "select * from history.edition_prices where run_id = ?", [previous_run_id[0]])
        found = [
            changes.price_changes(current_prices, base_prices),
            changes.model_changes(current_prices, base_prices),
            changes.round_changes(rounds, _frame(con, "select * from history.edition_funding_rounds where run_id = ?", [previous_run_id[0]])),
            changes.metric_moves(vendor_metrics, _frame(con, "select * from history.edition_metrics where run_id = ?", [previous_run_id[0]]),
                                 brief.metric_move_threshold),
        ]
        frames += [f.filter(pl.col("vendor_id").is_in(ids)).with_columns(pl.lit(previous_run_id[0]).alias("previous_run_id"))
                   for f in found]
    edition = changes.edition_changes(run_id, frames)

    counts = {
        "model_metrics": write_table(con, "model_metrics", model_metrics),
        "price_comparisons": write_table(con, "price_comparisons", comparisons),
        "vendor_funding": write_table(con, "vendor_funding", funding_rows),
        "valuation_steps": write_table(con, "valuation_steps", steps),
        "revenue_multiples": write_table(con, "revenue_multiples", multiples),
        "vendor_lineup": write_table(con, "vendor_lineup", lineup_rows),
        "claim_audit": write_table(con, "claim_audit", audit),
        "vendor_metrics": write_table(con, "vendor_metrics", vendor_metrics.with_columns(pl.lit(as_of).alias("as_of"))),
        "edition_changes": write_table(con, "edition_changes", edition),
        "edition_baseline": write_table(con, "edition_baseline", baseline),
        "catalog_price_changes": write_table(con, "catalog_price_changes", _catalog_moves(moves, current_prices, as_of)),
    }
    _record_baselines(con, run_id, as_of)
    run_step(con, "metrics")
    counts["price_changes"] = edition.filter(pl.col("kind") == "price_change").height
    return counts


def edition_baselines(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, vendor_ids: list[str]) -> pl.DataFrame:
    """Per vendor, the edition its "what changed" compares with: the last successful run of an
    earlier date that rendered that vendor's briefing. A re-run on the same date replaces that
    date's edition; a catalog-only ingest, or a run that kept the vendor's briefing, rendered none."""
    runs = con.execute("""
        select run_id, as_of, coalesce(json_extract_string(message, '$.rendered[*]'), []) as rendered
        from history.pipeline_runs
        where status = 'success' and as_of < ? and run_id in (select distinct run_id from history.edition_prices)
        order by as_of desc, run_id desc""", [as_of]).fetchall()
    rows = []
    for vid in vendor_ids:
        found = next(((r, on) for r, on, rendered in runs if vid in rendered), (None, None))
        rows.append({"run_id": run_id, "as_of": as_of, "vendor_id": vid, "previous_run_id": found[0], "previous_as_of": found[1]})
    return pl.DataFrame(rows, schema={"run_id": pl.String, "as_of": pl.Date, "vendor_id": pl.String,
                                      "previous_run_id": pl.String, "previous_as_of": pl.Date})


def _catalog_moves(moves: pl.DataFrame, current: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Price moves over 90 and 365 days of every catalog model a curated vendor makes and sells on
    its own platform (genai-prices), aliases left out, for the landscape's biggest moves."""
    own = current.filter((pl.col("source") == "genai-prices") & (pl.col("provider_id") == pl.col("vendor_id"))
                         & ~prices.is_alias())
    return (moves.join(own.select("source", "provider_id", "model_id", "vendor_id", "model_name"),
                       on=["source", "provider_id", "model_id"], how="inner")
            .filter(pl.any_horizontal(pl.col("^(input|output)_change_(90|365)d$").fill_null(0) != 0))
            .with_columns(pl.lit(as_of).alias("as_of")))


def revenue_latest(vendors: pl.DataFrame) -> pl.DataFrame:
    return vendors.select("vendor_id", "revenue_low_usd", "revenue_high_usd", "revenue_on", "revenue_source_id")


def _vendor_metrics(vendors: pl.DataFrame, models: pl.DataFrame, comparisons: pl.DataFrame, funding_rows: pl.DataFrame,
                    lineup_rows: pl.DataFrame, moves: pl.DataFrame, brief, config: Config) -> pl.DataFrame:
    """One long table of per-vendor numbers (metric, value): the verdict rules and the
    edition-change thresholds read it."""
    flag = _flagships(models)
    # The flagship is compared with the first reference model made by another vendor.
    owner = dict(zip(models["model_id"], models["vendor_id"], strict=True))
    rows = []
    for vid, flagship in zip(flag["vendor_id"], flag["flagship_model_id"], strict=True):
        reference = next((m for m in brief.reference_models if owner.get(m) not in (None, vid)), None)
        sel = comparisons.clear() if reference is None else comparisons.filter((pl.col("model_id") == flagship) & (pl.col("reference_model_id") == reference)
                                 & (pl.col("profile") == config.default_profile))
        if not sel.is_empty():
            r = sel.row(0, named=True)
            rows += [(vid, "flagship_blended_ratio", r["blended_ratio"]), (vid, "flagship_input_ratio", r["input_ratio"]),
                     (vid, "flagship_output_ratio", r["output_ratio"]),
                     (vid, "flagship_blended_usd_per_mtok", r["blended_usd_per_mtok"])]
        m = models.filter(pl.col("model_id") == flagship).row(0, named=True)
        rows += [(vid, "flagship_input_usd_per_mtok", m["input_usd_per_mtok"]),
                 (vid, "flagship_output_usd_per_mtok", m["output_usd_per_mtok"])]
    for r in vendors.iter_rows(named=True):
        rows += [(r["vendor_id"], "is_eu", 1.0 if r["is_eu"] else 0.0), (r["vendor_id"], "headcount", r["headcount"])]
    for r in lineup_rows.iter_rows(named=True):
        for k in ("model_count", "open_weights_share", "moe_share", "largest_context_window"):
            rows.append((r["vendor_id"], k, r[k]))
    for r in funding_rows.iter_rows(named=True):
        for k in ("total_raised_usd", "latest_post_money_usd", "days_to_unicorn", "revenue_multiple_low",
                  "revenue_multiple_high", "raised_per_employee_usd"):
            rows.append((r["vendor_id"], k, r[k]))
    # List-price moves on the vendor's own platform in genai-prices (one catalog, no double count).
    own = moves.filter((pl.col("source") == "genai-prices") & pl.col("provider_id").is_in(vendors["vendor_id"].to_list())
                       & ~prices.is_alias())
    window = max(prices.WINDOWS)
    for vid in vendors["vendor_id"]:
        sel = own.filter(pl.col("provider_id") == vid)
        rows += [(vid, f"price_cuts_{window}d", float(sel[f"price_cuts_{window}d"].sum()) if not sel.is_empty() else 0.0),
                 (vid, f"price_increases_{window}d", float(sel[f"price_increases_{window}d"].sum()) if not sel.is_empty() else 0.0)]
    frame = pl.DataFrame(rows, schema={"vendor_id": pl.String, "metric": pl.String, "value": pl.Float64}, orient="row")
    return frame.sort("vendor_id", "metric")


def _record_baselines(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date) -> None:
    """This edition's state, the baseline the next edition's changes and drift guards compare with."""
    con.execute("""insert into history.edition_prices
        select ?, ?, source, provider_id, model_id, vendor_id, input_usd_per_mtok, output_usd_per_mtok,
               cache_read_usd_per_mtok, cache_write_usd_per_mtok
        from marts.prices_current""", [run_id, as_of])
    con.execute("""insert into history.edition_funding_rounds
        select ?, ?, round_id, vendor_id, round_name, announced_on, amount_usd, post_money_valuation_usd
        from marts.funding_rounds""", [run_id, as_of])
    con.execute("""insert into history.edition_metrics
        select ?, ?, vendor_id, metric, value from marts.vendor_metrics""", [run_id, as_of])
    con.execute("""insert into history.catalog_counts
        select ?, ?, source, provider_id, count(distinct model_id) from marts.prices_current group by all""",
                [run_id, as_of])
