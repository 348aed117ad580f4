"""Per-vendor figures of the vendor's own lineup and audit that the summary and the verdict rules
read, beside vendor_metrics' others: list-price moves of the models its briefing lists (never the
catalog's other entries on its platform) and its claim audit's outcome on the as-of date. Pure
functions: frames in, frames out (vendor_id, metric, value)."""

from __future__ import annotations

import polars as pl

from flows.metrics.prices import WINDOWS, is_alias

SCHEMA = {"vendor_id": pl.String, "metric": pl.String, "value": pl.Float64}


def lineup_price_moves(model_metrics: pl.DataFrame, vendor_ids: list[str]) -> pl.DataFrame:
    """lineup_price_cuts_<days>d and lineup_price_increases_<days>d for the longest window: list-price
    cuts and increases of the catalog entries that price the vendor's curated models, each entry
    counted once, `-latest` aliases left out (a new price there is an alias moving to another
    model). model_metrics: the model_metrics frame (vendor_id, price_source, price_provider_id,
    price_model_id, price_cuts_<days>d, price_increases_<days>d). 0 for a vendor without moves."""
    days = max(WINDOWS)
    cuts, rises = f"price_cuts_{days}d", f"price_increases_{days}d"
    entries = (model_metrics.select("vendor_id", "price_source", "price_provider_id", pl.col("price_model_id").alias("model_id"),
                                    cuts, rises)
               .filter(pl.col("model_id").is_not_null() & ~is_alias())
               .unique(subset=["vendor_id", "price_source", "price_provider_id", "model_id"]))
    rows = []
    for vid in vendor_ids:
        sel = entries.filter(pl.col("vendor_id") == vid)
        rows += [(vid, f"lineup_{cuts}", float(sel[cuts].fill_null(0).sum()) if not sel.is_empty() else 0.0),
                 (vid, f"lineup_{rises}", float(sel[rises].fill_null(0).sum()) if not sel.is_empty() else 0.0)]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def audit_counts(audit: pl.DataFrame, vendor_ids: list[str]) -> pl.DataFrame:
    """claims_audited, claims_contradicted and claims_imprecise: the vendor's curated claims and how
    many of them the audit finds contradicted or imprecise on the as-of date (current_status).
    audit: the claim_audit frame (vendor_id, current_status)."""
    rows = []
    for vid in vendor_ids:
        sel = audit.filter(pl.col("vendor_id") == vid)
        rows += [(vid, "claims_audited", float(sel.height)),
                 (vid, "claims_contradicted", float((sel["current_status"] == "contradicted").sum())),
                 (vid, "claims_imprecise", float((sel["current_status"] == "imprecise").sum()))]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def flagship_price_ranks(vendor_metrics: pl.DataFrame) -> pl.DataFrame:
    """flagship_price_rank (1 = cheapest; equal prices share a rank) and flagship_price_field: each
    priced flagship's blended price (flagship_blended_usd_per_mtok of vendor_metrics) among every
    vendor's priced flagship."""
    priced = vendor_metrics.filter((pl.col("metric") == "flagship_blended_usd_per_mtok") & pl.col("value").is_not_null())
    rows = []
    for vid, value in priced.select("vendor_id", "value").iter_rows():
        rows += [(vid, "flagship_price_rank", float(1 + (priced["value"] < value).sum())),
                 (vid, "flagship_price_field", float(priced.height))]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")
