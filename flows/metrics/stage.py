"""The metrics stage, in three steps:

1. `read`: the validated marts and the previous editions' baselines, as Polars frames
   (`MetricInputs`); prices in force on other dates than the as-of date come from the SQL macros
   of sql/macros/ through sql/reads/.
2. `compute`: pure, frames in and frames out (`MetricMarts`, one frame per metric mart) for one
   workload profile: the run's (`--profile`) or config's default.
3. `write`: every metric mart created empty from its DDL (sql/marts/<name>.sql, build step
   `metric_marts`) and filled by column name; this edition's baselines recorded in history.*
   (sql/history/record/); the public views of build step `metrics` created.

`run` chains the three; it is what the metrics flow and the plain runner call.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from flows.config import Config, load_config
from flows.errors import VendorbriefError
from flows.metrics import capability, changes, claims, flagships, funding, lineup, prices, standing
from flows.warehouse.build import run_step
from flows.warehouse.store import read_file, run_file

# Curated model columns the price metrics carry along.
MODEL_COLUMNS = ("model_id", "vendor_id", "model_name", "model_class", "released_on", "is_open_weights",
                 "architecture", "total_params_b", "active_params_b", "context_window_tokens", "licence")
MODEL_PRICE_COLUMNS = ("price_source", "price_provider_id", "price_model_id", "price_valid_from",
                       *prices.PRICE_COLUMNS)
REVENUE_COLUMNS = ("vendor_id", "revenue_low_usd", "revenue_high_usd", "basis", "source_id", "source_as_of")
RECORDED = ("edition_prices", "edition_funding_rounds", "edition_metrics", "catalog_counts")


@dataclass(frozen=True)
class PreviousEdition:
    """What an earlier edition recorded (history.edition_*, rows of one run_id)."""
    prices: pl.DataFrame
    funding_rounds: pl.DataFrame
    metrics: pl.DataFrame


@dataclass(frozen=True)
class MetricInputs:
    """Everything `compute` reads, taken from the warehouse by `read`.

    models: marts.models (curated models released by as_of, with their price that day);
    vendors: marts.vendors; rounds: marts.funding_rounds (amounts in USD);
    revenue: staging.stg_facts__revenue_estimates (REVENUE_COLUMNS); claims: staging.stg_facts__claims;
    price_history: marts.price_history; current_prices: marts.prices_current;
    catalog_prices: catalog price periods in force on as_of and on as_of minus each price-change window;
    model_prices: curated model prices on as_of and on every claim's date (marts.model_prices_on);
    baseline: per vendor, the previous edition it compares with (see choose_baselines);
    previous: those editions' records, by run_id;
    platforms: marts.vendor_platforms (each vendor's own platforms: source, provider_id, vendor_id);
    capability: marts.capability_current (each curated model's Arena Score on as_of);
    capability_on: curated models' Arena Scores on as_of and on every claim's date (marts.capability_on).
    """
    run_id: str
    as_of: date
    models: pl.DataFrame
    vendors: pl.DataFrame
    rounds: pl.DataFrame
    revenue: pl.DataFrame
    claims: pl.DataFrame
    price_history: pl.DataFrame
    current_prices: pl.DataFrame
    catalog_prices: dict[date, pl.DataFrame]
    model_prices: dict[date, pl.DataFrame]
    baseline: pl.DataFrame
    previous: dict[str, PreviousEdition]
    platforms: pl.DataFrame
    capability: pl.DataFrame | None = None
    capability_on: dict[date, pl.DataFrame] | None = None
    # marts.catalog_lineup: every lineup model of the edition date (curated or not, with its status
    # and both catalogs' prices); None: the curated models of `models`, all current (lineup_from_models)
    lineup: pl.DataFrame | None = None


@dataclass(frozen=True)
class MetricMarts:
    """The metric marts, one frame each, named after their table (columns as sql/marts/<name>.sql)."""
    capability_ranks: pl.DataFrame
    model_metrics: pl.DataFrame
    lineup_prices: pl.DataFrame
    price_comparisons: pl.DataFrame
    vendor_funding: pl.DataFrame
    valuation_steps: pl.DataFrame
    revenue_multiples: pl.DataFrame
    vendor_lineup: pl.DataFrame
    claim_audit: pl.DataFrame
    vendor_metrics: pl.DataFrame
    vendor_flagships: pl.DataFrame
    edition_changes: pl.DataFrame
    edition_baseline: pl.DataFrame
    catalog_price_changes: pl.DataFrame

    def frames(self) -> dict[str, pl.DataFrame]:
        """The marts by name, as write_marts takes them."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- 1. read -------------------------------------------------------------------------------------

def _table(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return con.table(name).pl()  # a relation by name: no SQL text


def read(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date) -> MetricInputs:
    """The metrics' inputs from a warehouse whose transform and data validation ran.

    Raises VendorbriefError (naming the sql/ file) when a read fails.
    """
    claim_rows = _table(con, "staging.stg_facts__claims")
    vendors = _table(con, "marts.vendors")
    claim_dates = set(claim_rows.filter(pl.col("source_as_of") <= as_of)["source_as_of"].to_list())
    baseline = edition_baselines(con, run_id, as_of, vendors["vendor_id"].to_list())
    previous_ids = sorted(set(baseline["previous_run_id"].drop_nulls().to_list()))
    return MetricInputs(
        run_id=run_id, as_of=as_of,
        models=_table(con, "marts.models"),
        vendors=vendors,
        rounds=_table(con, "marts.funding_rounds"),
        revenue=_table(con, "staging.stg_facts__revenue_estimates").select(REVENUE_COLUMNS),
        claims=claim_rows,
        price_history=_table(con, "marts.price_history"),
        current_prices=_table(con, "marts.prices_current"),
        catalog_prices={day: read_file(con, "reads/catalog_prices_on.sql", {"day": day})
                        for day in prices.window_dates(as_of)},
        model_prices={day: read_file(con, "reads/model_prices_on.sql", {"day": day})
                      for day in sorted(claim_dates | {as_of})},
        baseline=baseline,
        previous=_previous_editions(con, previous_ids),
        platforms=_table(con, "marts.vendor_platforms"),
        capability=_table(con, "marts.capability_current"),
        capability_on={day: read_file(con, "reads/capability_on.sql", {"day": day})
                       for day in sorted(claim_dates | {as_of})},
        lineup=_table(con, "marts.catalog_lineup"),
    )


def _previous_editions(con: duckdb.DuckDBPyConnection, run_ids: list[str]) -> dict[str, PreviousEdition]:
    if not run_ids:
        return {}
    recorded = {name: read_file(con, f"reads/{name}.sql", {"run_ids": run_ids})
                for name in ("edition_prices", "edition_funding_rounds", "edition_metrics")}

    def of(name: str, run_id: str) -> pl.DataFrame:
        return recorded[name].filter(pl.col("run_id") == run_id)

    return {r: PreviousEdition(of("edition_prices", r), of("edition_funding_rounds", r), of("edition_metrics", r))
            for r in run_ids}


def edition_baselines(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, vendor_ids: list[str]) -> pl.DataFrame:
    """Per vendor, the edition its "what changed" compares with (see choose_baselines), read from
    history.pipeline_runs (sql/reads/previous_editions.sql)."""
    runs = run_file(con, "reads/previous_editions.sql", {"as_of": as_of})
    return choose_baselines(runs, run_id, as_of, vendor_ids)


def choose_baselines(runs: list[tuple[str, date, list[str]]], run_id: str, as_of: date,
                     vendor_ids: list[str]) -> pl.DataFrame:
    """Per vendor, the last successful run of an earlier date that rendered that vendor's briefing.

    runs: (run_id, as_of, rendered vendor ids) of earlier successful runs that recorded an edition,
    latest first. A re-run on the same date replaces that date's edition; a catalog-only ingest, or
    a run that kept the vendor's briefing, rendered none. Returns run_id, as_of, vendor_id,
    previous_run_id, previous_as_of (NULL when the vendor has no earlier edition).
    """
    rows = []
    for vid in vendor_ids:
        found = next(((r, on) for r, on, rendered in runs if vid in rendered), (None, None))
        rows.append({"run_id": run_id, "as_of": as_of, "vendor_id": vid, "previous_run_id": found[0], "previous_as_of": found[1]})
    return pl.DataFrame(rows, schema={"run_id": pl.String, "as_of": pl.Date, "vendor_id": pl.String,
                                      "previous_run_id": pl.String, "previous_as_of": pl.Date})


# --- 2. compute (pure) ---------------------------------------------------------------------------

def compute(inputs: MetricInputs, config: Config, profile: str | None = None) -> MetricMarts:
    """Every metric family as of inputs.as_of, for the workload profile `profile` (default:
    config.default_profile): class ranks, the flagship's ratios in vendor_metrics and the claim
    audit's blended prices use it; price_comparisons covers every profile.

    Pure: reads only `inputs` and `config`. Raises KeyError for a profile config does not know
    (the run checks it first).
    """
    as_of = inputs.as_of
    profile = profile or config.default_profile
    brief = config.briefing
    models = inputs.models

    # The lineup of the edition date (marts.catalog_lineup) and what may be done with each price
    # (flows/metrics/prices.py price_decisions): only current, priced, non-free models are ranked,
    # compared, costed, used in claim re-checks and verdicts; a disputed column is also ranked at
    # the other catalog's price (the rank range).
    lineup_models = inputs.lineup if inputs.lineup is not None else lineup_from_models(models)
    decisions = prices.price_decisions(lineup_models, config.quality.reconciliation_tolerance)
    lineup_frame = (lineup_models.join(decisions, on=["vendor_id", "model_id"], how="left")
                    .join(prices.alternative_prices(lineup_models, decisions), on="model_id", how="left"))
    ranks = prices.class_ranks(lineup_frame, config.profiles[profile])
    comparable = lineup_frame.filter(pl.col("is_ranked"))
    lineup_prices = (decisions.join(lineup_frame.select("model_id", "alt_input_usd_per_mtok", "alt_output_usd_per_mtok",
                                                        "alt_cache_read_usd_per_mtok"), on="model_id", how="left")
                     .join(ranks.drop("rank_blended_usd_per_mtok", "class_percentile"), on="model_id", how="left"))

    # Curated models with their price on the as-of date (marts.models: the lineup's curated rows).
    priced = models.select(*MODEL_COLUMNS, *MODEL_PRICE_COLUMNS)
    moves = prices.price_changes(inputs.price_history, inputs.catalog_prices, as_of)
    model_metrics = (priced.join(ranks, on="model_id", how="left")
                     .join(lineup.model_architecture(priced), on="model_id", how="left")
                     .join(moves.rename({"model_id": "price_model_id", "provider_id": "price_provider_id",
                                         "source": "price_source"})
                           .drop("input_usd_per_mtok", "output_usd_per_mtok"),
                           on=["price_source", "price_provider_id", "price_model_id"], how="left"))

    comparable_ids = set(comparable["model_id"])
    references = [m for m in brief.reference_models if m in comparable_ids]
    comparisons = prices.comparisons(comparable.select(*MODEL_COLUMNS, *MODEL_PRICE_COLUMNS), references,
                                     config.profiles, config.monthly_tokens)

    vendors = inputs.vendors
    funding_rows = funding.vendor_funding(vendors, inputs.rounds, revenue_latest(vendors))
    lineup_rows = lineup.vendor_lineup(lineup_models)
    complete = set(vendors.filter(pl.col("funding_rounds_complete"))["vendor_id"])
    # Claims are re-checked on the edition date with the prices that may be compared (none for a
    # retired, deprecated or free-tier model); on their own date with the prices of that date.
    on_edition = lineup.current_prices(lineup_models, decisions)

    def prices_on(day: date) -> pl.DataFrame:
        return on_edition if day == as_of else inputs.model_prices[day]

    retired = {r["model_id"]: r for r in lineup_models.filter(pl.col("status").is_in(["retired", "deprecated"]))
               .select("model_id", "status", "status_note").to_dicts()}
    audit = claims.audit(inputs.claims, as_of, prices_on, inputs.rounds, config, complete, profile,
                         (inputs.capability_on or {}).get, retired)

    flagship_rows = flagships.vendor_flagships(sorted(vendors["vendor_id"]), lineup_models, brief.reference_models,
                                               comparable_ids)
    # Catalog models on their maker's own platforms (marts.vendor_platforms) and their price moves.
    own_current = own_platform(inputs.current_prices, inputs.platforms)
    own_moves = moves.join(own_current.select("source", "provider_id", "model_id", "vendor_id"),
                           on=["source", "provider_id", "model_id"], how="inner")
    vendor_metrics = _vendor_metrics(vendors, lineup_models, flagship_rows, comparisons, funding_rows, lineup_rows,
                                     own_moves, profile)
    # Capability ranks and the figures of the summary and the verdict (flows/metrics/capability.py,
    # standing.py): appended to vendor_metrics.
    vendor_ids = sorted(vendors["vendor_id"])
    capability_rows = capability.capability_ranks(
        inputs.capability if inputs.capability is not None else _no_capability(lineup_models), lineup_models,
        flagship_rows,
        profile, config.profiles[profile])
    vendor_metrics = pl.concat([
        vendor_metrics, capability.vendor_metrics(capability_rows, flagship_rows, vendor_ids),
        standing.flagship_price_ranks(vendor_metrics), standing.lineup_price_moves(model_metrics, vendor_ids),
        standing.audit_counts(audit, vendor_ids),
    ]).sort("vendor_id", "metric")
    edition = changes.edition_changes(inputs.run_id, _changes(inputs, vendor_metrics, brief.metric_move_threshold))

    return MetricMarts(
        capability_ranks=_dated(capability_rows, as_of),
        model_metrics=_dated(model_metrics, as_of),
        lineup_prices=_dated(lineup_prices, as_of),
        price_comparisons=_dated(comparisons, as_of),
        vendor_funding=_dated(funding_rows, as_of),
        valuation_steps=funding.valuation_steps(inputs.rounds),
        revenue_multiples=funding.revenue_multiples(inputs.rounds, inputs.revenue.filter(pl.col("source_as_of") <= as_of)),
        vendor_lineup=_dated(lineup_rows, as_of),
        claim_audit=audit,
        vendor_metrics=_dated(vendor_metrics, as_of),
        vendor_flagships=flagship_rows,
        edition_changes=edition,
        edition_baseline=inputs.baseline,
        catalog_price_changes=_catalog_moves(moves, own_current, as_of),
    )


def lineup_from_models(models: pl.DataFrame) -> pl.DataFrame:
    """marts.catalog_lineup's shape from curated models alone (marts.models columns): each model
    listed at its price on its vendor's platform (current unless `models` says otherwise), no
    catalog disagreement, its family its flagship family when its class is flagship. For inputs
    read without a lineup."""
    defaults = {"status": pl.lit("current"), "is_free_tier": pl.lit(False), "price_basis": pl.lit("list"),
                "first_seen_on": pl.lit(None, pl.Date),
                "flagship_family": pl.when(pl.col("model_class") == "flagship").then(pl.col("family"))}
    return models.with_columns(
        pl.lit(True).alias("is_curated"),
        *[expr.alias(name) for name, expr in defaults.items() if name not in models.columns],
        *[pl.lit(None, pl.Float64).alias(f"{c}_relative_difference") for c in prices.COMPONENTS],
        *[pl.lit(None, pl.Float64).alias(f"{cat}_{c}_usd_per_mtok") for cat in ("genai", "litellm")
          for c in prices.COMPONENTS])


def _no_capability(models: pl.DataFrame) -> pl.DataFrame:
    """marts.capability_current's shape without any leaderboard: every model unrated."""
    return models.select("model_id", "vendor_id", "model_name", "model_class", "released_on").with_columns(
        pl.lit(None, pl.Date).alias("leaderboard_on"), pl.lit(None, pl.String).alias("leaderboard_origin"),
        pl.lit(None, pl.String).alias("arena_model"),
        *[pl.lit(None, pl.Float64).alias(c) for c in ("score", "score_low", "score_high")])


def _dated(frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
    return frame.with_columns(pl.lit(as_of).alias("as_of"))


def _changes(inputs: MetricInputs, vendor_metrics: pl.DataFrame, threshold: float) -> list[pl.DataFrame]:
    """Each vendor's changes against its own previous edition (vendors share one when they can)."""
    frames = []
    for (previous_run_id,), group in inputs.baseline.filter(pl.col("previous_run_id").is_not_null()).group_by("previous_run_id"):
        ids = group["vendor_id"].to_list()
        before = inputs.previous[previous_run_id]
        found = [
            changes.price_changes(inputs.current_prices, before.prices),
            changes.model_changes(inputs.current_prices, before.prices),
            changes.round_changes(inputs.rounds, before.funding_rounds),
            changes.metric_moves(vendor_metrics, before.metrics, threshold),
        ]
        frames += [f.filter(pl.col("vendor_id").is_in(ids)).with_columns(pl.lit(previous_run_id).alias("previous_run_id"))
                   for f in found]
    return frames


def own_platform(frame: pl.DataFrame, platforms: pl.DataFrame) -> pl.DataFrame:
    """The rows of `frame` (source, provider_id, vendor_id, ...) on their vendor's own platform
    (marts.vendor_platforms; provider ids compared lower-cased)."""
    keys = platforms.select("source", "provider_id", "vendor_id").unique()
    return (frame.with_columns(pl.col("provider_id").str.to_lowercase().alias("_provider"))
            .join(keys.rename({"provider_id": "_provider"}), on=["source", "_provider", "vendor_id"], how="semi")
            .drop("_provider"))


def _catalog_moves(moves: pl.DataFrame, own_current: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Price moves over 90 and 365 days of every catalog model a curated vendor makes and sells on
    its own platform (`own_current`: marts.prices_current rows on it; genai-prices), aliases left
    out, for the landscape's biggest moves."""
    own = own_current.filter((pl.col("source") == "genai-prices") & ~prices.is_alias())
    return (moves.join(own.select("source", "provider_id", "model_id", "vendor_id", "model_name"),
                       on=["source", "provider_id", "model_id"], how="inner")
            .filter(pl.any_horizontal(pl.col("^(input|output)_change_(90|365)d$").fill_null(0) != 0))
            .with_columns(pl.lit(as_of).alias("as_of")))


def revenue_latest(vendors: pl.DataFrame) -> pl.DataFrame:
    """Each vendor's latest revenue estimate (USD, low and high), as marts.vendors carries it."""
    return vendors.select("vendor_id", "revenue_low_usd", "revenue_high_usd", "revenue_on", "revenue_source_id")


def _vendor_metrics(vendors: pl.DataFrame, models: pl.DataFrame, flagship_rows: pl.DataFrame, comparisons: pl.DataFrame,
                    funding_rows: pl.DataFrame, lineup_rows: pl.DataFrame, own_moves: pl.DataFrame, profile: str) -> pl.DataFrame:
    """One long table of per-vendor numbers (metric, value): the verdict rules and the
    edition-change thresholds read it. The flagship's ratios are those of `profile`."""
    rows = []
    # The flagship is compared with the first reference model made by another vendor.
    for f in flagship_rows.filter(pl.col("flagship_model_id").is_not_null()).iter_rows(named=True):
        vid, flagship, reference = f["vendor_id"], f["flagship_model_id"], f["reference_model_id"]
        sel = comparisons.clear() if reference is None else comparisons.filter((pl.col("model_id") == flagship) & (pl.col("reference_model_id") == reference)
                                 & (pl.col("profile") == profile))
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
    # List-price moves on the vendor's own platforms in genai-prices (one catalog, no double count);
    # own_moves: the price moves of the models on their maker's own platforms, with vendor_id.
    own = own_moves.filter((pl.col("source") == "genai-prices") & ~prices.is_alias())
    window = max(prices.WINDOWS)
    for vid in vendors["vendor_id"]:
        sel = own.filter(pl.col("vendor_id") == vid)
        rows += [(vid, f"price_cuts_{window}d", float(sel[f"price_cuts_{window}d"].sum()) if not sel.is_empty() else 0.0),
                 (vid, f"price_increases_{window}d", float(sel[f"price_increases_{window}d"].sum()) if not sel.is_empty() else 0.0)]
    frame = pl.DataFrame(rows, schema={"vendor_id": pl.String, "metric": pl.String, "value": pl.Float64}, orient="row")
    return frame.sort("vendor_id", "metric")


# --- 3. write ------------------------------------------------------------------------------------

def write(con: duckdb.DuckDBPyConnection, marts: MetricMarts, run_id: str, as_of: date) -> dict[str, int]:
    """Write the metric marts, record this edition's baselines in history.* and create the public
    views over the marts; returns rows written per mart."""
    counts = write_marts(con, marts.frames())
    record_baselines(con, run_id, as_of)
    run_step(con, "metrics")
    return counts


def write_marts(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame]) -> dict[str, int]:
    """Create every metric mart empty from its DDL (sql/marts/<name>.sql, build step
    `metric_marts`), then insert its frame by column name; returns rows written per mart.
    Raises VendorbriefError when the frames and the DDL files do not name the same marts and columns."""
    created = {Path(rel).stem for rel in run_step(con, "metric_marts")}
    if set(frames) != created:
        raise VendorbriefError(f"metric marts: frames {sorted(set(frames) - created)} have no DDL, "
                               f"DDL {sorted(created - set(frames))} no frame")
    for name, frame in frames.items():
        declared = con.table(f"marts.{name}").columns
        if sorted(declared) != sorted(frame.columns):
            raise VendorbriefError(f"sql/marts/{name}.sql declares {declared}, the metrics computed {frame.columns}")
        con.register("_frame", frame)
        try:
            con.execute(f"insert into marts.{name} by name select * from _frame")  # names are ours, never data
        finally:
            con.unregister("_frame")
    return {name: frame.height for name, frame in frames.items()}


def record_baselines(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date) -> None:
    """This edition's state, the baseline the next edition's changes and drift guards compare
    with: one insert per history table (sql/history/record/<table>.sql)."""
    for table in RECORDED:
        run_file(con, f"history/record/{table}.sql", {"run_id": run_id, "as_of": as_of})


# --- the stage -----------------------------------------------------------------------------------

def run(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, config: Config | None = None,
        profile: str | None = None) -> dict[str, int]:
    """The metrics stage on a build: read, compute for `profile` (default: the configured default
    profile), write. Returns rows written per mart and `price_changes`, the edition's count of
    catalog price changes."""
    inputs = read(con, run_id, as_of)
    marts = compute(inputs, config or load_config(), profile)
    counts = write(con, marts, run_id, as_of)
    counts["price_changes"] = marts.edition_changes.filter(pl.col("kind") == "price_change").height
    return counts
