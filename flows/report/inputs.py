"""The read step of the briefings: every report view (sql/report/, schema `report`) and the few
marts the briefings show as they are, each read with one query for all vendors and split by
vendor here. No other module of the report reads the warehouse.

The views are created by `create_views` at the start of the render stage (build step `report`
of sql/build.yml); they read this run's marts, staging views and history (the run is the one in
raw.run_context), so the briefings never read raw, staging or history tables themselves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from flows.errors import VendorbriefError
from flows.warehouse.build import is_read_only, run_step

Row = dict[str, Any]

# Everything the report reads, and nothing else: names are ours, never taken from data.
RELATIONS = (
    "marts.vendors", "marts.vendor_funding", "marts.vendor_lineup", "marts.vendor_metrics",
    "marts.vendor_flagships", "marts.edition_baseline",
    "report.run", "report.sources", "report.vendor_models", "report.vendor_workloads", "report.vendor_rounds",
    "report.vendor_revenue_multiples", "report.vendor_plans", "report.vendor_claims", "report.vendor_changes",
    "report.changes_elsewhere", "report.peer_columns", "report.run_quality", "report.run_quarantine",
    "report.vendor_quality_warnings", "report.vendor_reconciliation", "report.freshness",
    "report.company_facts", "report.landscape_price_moves", "report.claim_status_counts",
    "report.capability_models", "report.vendor_products", "report.vendor_customers", "report.vendor_market_estimates",
)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the report views, build step `report` of sql/build.yml. Idempotent.
    On a read-only connection nothing is created: the views of the file are used as they are.
    Raises VendorbriefError naming the SQL file DuckDB refuses."""
    if not is_read_only(con):
        run_step(con, "report")


def read(con: duckdb.DuckDBPyConnection, relation: str) -> list[Row]:
    """Every row of one relation of RELATIONS, in the view's own order, as dicts of column name
    to value; NaN reads as None. Raises ValueError for a relation the report does not read, and
    VendorbriefError when the warehouse lacks it (no report views: a file no render stage ran on)."""
    if relation not in RELATIONS:
        raise ValueError(f"the report does not read {relation!r}")
    try:
        cur = con.execute(f"select * from {relation}")  # noqa: S608 - a name of RELATIONS
    except duckdb.CatalogException as exc:
        raise VendorbriefError(f"{relation} is missing from the warehouse: the render stage creates the report "
                               f"views (open the file read-write, or run `vendorbrief run`): {exc}") from exc
    names = [d[0] for d in cur.description]
    return [{n: None if isinstance(v, float) and math.isnan(v) else v for n, v in zip(names, row, strict=True)}
            for row in cur.fetchall()]


def by_vendor(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """Rows grouped by their vendor_id, each group in the rows' order."""
    out: dict[str, list[Row]] = {}
    for r in rows:
        out.setdefault(r["vendor_id"], []).append(r)
    return out


def one_per_vendor(rows: Iterable[Row]) -> dict[str, Row]:
    """Rows keyed by vendor_id, for relations with one row per vendor."""
    return {r["vendor_id"]: r for r in rows}


@dataclass(frozen=True)
class ReportInputs:
    """The inputs of every briefing of a run. Per-vendor parts are keyed by vendor_id (a vendor
    without rows has no key); lists keep the order of their view (see each file in sql/report/)."""
    sources: dict[str, Row]                    # report.sources by source_id
    vendors: dict[str, Row]                    # marts.vendors
    funding: dict[str, Row]                    # marts.vendor_funding
    lineup: dict[str, Row]                     # marts.vendor_lineup
    metrics: dict[str, dict[str, float | None]]  # marts.vendor_metrics: metric -> value
    flagships: dict[str, Row]                  # marts.vendor_flagships: flagship and reference model
    baselines: dict[str, Row]                  # marts.edition_baseline: the previous edition
    models: dict[str, list[Row]]               # report.vendor_models
    workloads: dict[str, list[Row]]            # report.vendor_workloads
    rounds: dict[str, list[Row]]               # report.vendor_rounds
    revenue_multiples: dict[str, list[Row]]    # report.vendor_revenue_multiples
    plans: dict[str, list[Row]]                # report.vendor_plans
    claims: dict[str, list[Row]]               # report.vendor_claims
    changes: dict[str, list[Row]]              # report.vendor_changes
    changes_elsewhere: dict[str, list[Row]]    # report.changes_elsewhere
    quality_warnings: dict[str, list[Row]]     # report.vendor_quality_warnings
    reconciliation: dict[str, list[Row]]       # report.vendor_reconciliation
    peer_columns: dict[str, Row]               # report.peer_columns
    freshness: dict[str, Row]                  # report.freshness
    company_facts: dict[str, list[Row]]        # report.company_facts
    run_quality: list[Row]                     # report.run_quality: every expectation of the run
    price_moves: list[Row]                     # report.landscape_price_moves
    claim_counts: list[Row]                    # report.claim_status_counts
    capability: dict[str, list[Row]] = field(default_factory=dict)        # report.capability_models
    products: dict[str, list[Row]] = field(default_factory=dict)          # report.vendor_products
    customers: dict[str, list[Row]] = field(default_factory=dict)         # report.vendor_customers
    market_estimates: dict[str, list[Row]] = field(default_factory=dict)  # report.vendor_market_estimates

    @property
    def vendor_ids(self) -> list[str]:
        """Every curated vendor, in id order."""
        return sorted(self.vendors)


def read_edition_rate(con: duckdb.DuckDBPyConnection, currency: str, as_of: date) -> Row | None:
    """The rate an edition in `currency` converts at (sql/reads/edition_rate.sql: the latest rate
    on or before `as_of`, its day and source); None when the warehouse has none."""
    from flows.warehouse.store import read_file

    rows = read_file(con, "reads/edition_rate.sql", {"currency": currency, "as_of": as_of}).to_dicts()
    return rows[0] if rows else None


def read_inputs(con: duckdb.DuckDBPyConnection) -> ReportInputs:
    """Read every input of the run's briefings (one query per relation). The report views must
    exist (`create_views`); raises VendorbriefError otherwise."""
    metrics: dict[str, dict[str, float | None]] = {}
    for r in read(con, "marts.vendor_metrics"):
        metrics.setdefault(r["vendor_id"], {})[r["metric"]] = r["value"]
    return ReportInputs(
        sources={r["source_id"]: r for r in read(con, "report.sources")},
        vendors=one_per_vendor(read(con, "marts.vendors")),
        funding=one_per_vendor(read(con, "marts.vendor_funding")),
        lineup=one_per_vendor(read(con, "marts.vendor_lineup")),
        metrics=metrics,
        flagships=one_per_vendor(read(con, "marts.vendor_flagships")),
        baselines=one_per_vendor(read(con, "marts.edition_baseline")),
        models=by_vendor(read(con, "report.vendor_models")),
        workloads=by_vendor(read(con, "report.vendor_workloads")),
        rounds=by_vendor(read(con, "report.vendor_rounds")),
        revenue_multiples=by_vendor(read(con, "report.vendor_revenue_multiples")),
        plans=by_vendor(read(con, "report.vendor_plans")),
        claims=by_vendor(read(con, "report.vendor_claims")),
        changes=by_vendor(read(con, "report.vendor_changes")),
        changes_elsewhere=by_vendor(read(con, "report.changes_elsewhere")),
        quality_warnings=by_vendor(read(con, "report.vendor_quality_warnings")),
        reconciliation=by_vendor(read(con, "report.vendor_reconciliation")),
        peer_columns=one_per_vendor(read(con, "report.peer_columns")),
        freshness=one_per_vendor(read(con, "report.freshness")),
        company_facts=by_vendor(read(con, "report.company_facts")),
        run_quality=read(con, "report.run_quality"),
        price_moves=read(con, "report.landscape_price_moves"),
        claim_counts=read(con, "report.claim_status_counts"),
        capability=by_vendor(read(con, "report.capability_models")),
        products=by_vendor(read(con, "report.vendor_products")),
        customers=by_vendor(read(con, "report.vendor_customers")),
        market_estimates=by_vendor(read(con, "report.vendor_market_estimates")),
    )
