"""The typed contents of a briefing: every field a template may show, with its type.

flows/report/context.py builds a `VendorContext` per vendor and one `LandscapeContext` from the
report views (sql/report/) and the marts. Templates, chart drawing, the render workers and the
change detection receive `model_dump(mode="json")` of it: plain JSON (dates as ISO strings), the
same for the same data, so that its digest is stable between runs.

Units, unless a field says otherwise: prices in USD per million tokens (`*_usd_per_mtok`,
`flagship_input`, `flagship_output`), amounts in USD (`*_usd`), shares, ratios and changes as plain
fractions (0.25 = 25 %), dates as dates of the edition's calendar. Fields named `ref`, `*_ref` or
`ref2` are citation keys into the context's `sources`; the template numbers them in reading order.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Part(BaseModel):
    """A piece of a context: declared fields only, immutable once built."""
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Part):
    """One entry of the sources appendix: a curated source, a URL or a price-catalog snapshot,
    as of a date (ISO string, empty when unknown)."""
    title: str
    publisher: str | None
    url: str | None
    as_of: str
    note: str | None


# --- vendor briefing -------------------------------------------------------------------------

class VendorProfile(Part):
    """The curated vendor (marts.vendors)."""
    vendor_id: str
    vendor_name: str
    hq_country: str | None
    jurisdiction: str | None
    is_eu: bool | None
    founded_on: date | None
    founded_on_precision: str | None
    founders: list[str] | None
    parent_company: str | None
    positioning: str | None
    problem: str | None
    target_customers: list[str] | None
    funding_rounds_complete: bool | None
    headcount: int | None
    headcount_on: date | None
    ref: str | None
    profile_ref: str | None


class KeyFigure(Part):
    """A figure of the cover. `kind` picks its format: usd (amount), int (count), pct (share),
    price_pair (value = [input, output] price)."""
    label: str
    kind: Literal["usd", "int", "pct", "price_pair"]
    value: int | float | list[float | None] | None
    note: str | None = None
    prefix: str = ""
    ref: str | None = None
    ref2: str | None = None


class PriceChange(Part):
    """A model's list price in the vendor's previous edition, when it differs from today's."""
    direction: Literal["up", "down"]
    previous_input_usd_per_mtok: float | None
    previous_output_usd_per_mtok: float | None


class ModelRow(Part):
    """A curated model with its list price on the as-of date (report.vendor_models)."""
    model_id: str
    model_name: str
    model_class: str | None
    released_on: date | None
    released_on_precision: str | None
    is_open_weights: bool | None
    licence: str | None
    architecture: str | None
    total_params_b: float | None
    active_params_b: float | None
    context_window_tokens: int | None
    input_usd_per_mtok: float | None
    output_usd_per_mtok: float | None
    cache_read_usd_per_mtok: float | None
    price_source: str | None
    price_model_id: str | None
    class_rank: int | None
    class_size: int | None
    is_flagship: bool
    is_priced: bool
    price_disputed: bool  # the other catalog's price is beyond the reconciliation tolerance
    price_change: PriceChange | None  # None: unchanged, not priced then, or first edition
    ref: str | None
    price_ref: str | None


class ProfileNote(Part):
    """A workload profile (data/config/profiles.yaml), in the configured order."""
    name: str
    description: str


class Workload(Part):
    """The flagship against one reference model on one workload profile (report.vendor_workloads).
    Ratios are flagship / reference; monthly costs for the configured monthly tokens."""
    profile: str
    reference_model_id: str
    reference_name: str
    input_ratio: float | None
    output_ratio: float | None
    blended_usd_per_mtok: float | None
    reference_blended_usd_per_mtok: float | None
    monthly_cost_usd: float | None
    reference_monthly_cost_usd: float | None
    switch_saving: float | None  # 1 - blended ratio
    cost_multiple: float | None  # 1 - switch_saving, when switching would cost more (saving < 0)


class Round(Part):
    """A funding round (report.vendor_rounds). `amount` and `post_money_valuation` are in the
    round's own currencies."""
    round_id: str
    round_name: str
    announced_on: date | None
    announced_on_precision: str | None
    amount: float | None
    currency: str | None
    amount_usd: float | None
    amount_usd_basis: str | None  # stated or converted
    fx_usd_per_unit: float | None
    post_money_valuation: float | None
    valuation_currency: str | None
    post_money_valuation_usd: float | None
    step_up_multiple: float | None
    lead_investors: list[str] | None
    ref: str | None
    amount_usd_ref: str | None
    fx_ref: str | None


class Funding(Part):
    """Funding totals (marts.vendor_funding); all None for a vendor without rounds."""
    total_raised_usd: float | None = None
    debt_raised_usd: float | None = None
    reported_total_usd: float | None = None
    reported_total_on: date | None = None
    rounds_total_at_report_usd: float | None = None
    difference_usd: float | None = None
    relative_difference: float | None = None
    latest_post_money_usd: float | None = None
    latest_valuation_on: date | None = None
    unicorn_on: date | None = None
    unicorn_on_precision: str | None = None
    days_to_unicorn: int | None = None
    raised_per_employee_usd: float | None = None
    reported_ref: str | None = None


class RevenueMultiple(Part):
    """Valuation over a revenue estimate (report.vendor_revenue_multiples)."""
    basis: str | None
    source_as_of: date | None
    revenue_low_usd: float | None
    revenue_high_usd: float | None
    post_money_valuation_usd: float | None
    multiple_low: float | None
    multiple_high: float | None
    ref: str | None


class Plan(Part):
    """A subscription or enterprise plan (report.vendor_plans), price in its own currency."""
    plan_id: str
    plan_name: str
    plan_kind: str | None
    price_per_month: float | None
    currency: str | None
    ref: str | None


class PeerColumn(Part):
    """One vendor's column of a competitive-landscape table (report.peer_columns)."""
    vendor_id: str
    name: str
    stance: str | None
    open_weights_share: float | None
    model_count: int | None
    moe_count: int | None
    largest_context_window: int | None
    flagship: str | None  # model name
    flagship_input: float | None
    flagship_output: float | None
    flagship_disputed: bool
    flagship_ref: str | None
    total_raised_usd: float | None
    rounds_complete: bool | None
    latest_post_money_usd: float | None
    jurisdiction: str | None
    hq_country: str | None
    is_eu: bool | None
    parent_company: str | None
    ref: str | None


class Claim(Part):
    """An audited claim (report.vendor_claims). Values are ratios, shares or USD by `metric`."""
    claim_id: str
    claim_text: str
    metric: str
    stated_value: float | None
    computed_value: float | None
    relative_error: float | None
    status: str
    detail: str | None
    current_status: str | None
    evaluated_on: date | None
    ref: str | None


class PreviousEdition(Part):
    exists: bool
    as_of: date | None


class Change(Part):
    """A change since the previous edition (report.vendor_changes); values as recorded, in text."""
    kind: str
    subject: str
    before_value: str | None
    after_value: str | None
    change: float | None


class PlatformCount(Part):
    platform: str
    changes: int


class ChangesElsewhere(Part):
    """Catalog changes of one kind on other vendors' platforms (report.changes_elsewhere)."""
    kind: str
    label: str  # "new models", "retired models", "price changes"
    total: int
    platforms: list[PlatformCount]  # most changes first


class Changes(Part):
    """What changed since the previous edition, for reading: funding, metric moves and price
    changes on the vendor's own platform in full, its catalog models that came and went by id,
    changes on other platforms counted."""
    count: int
    detail: list[Change]
    new_models: list[str]
    retired_models: list[str]
    elsewhere: list[ChangesElsewhere]


class Verdict(Part):
    good_fit: list[str]
    skip_if: list[str]


class QualityWarning(Part):
    """A failed expectation of this run that names the vendor or one of its models."""
    suite: str
    expectation: str
    description: str | None
    unexpected_count: int | None
    example: str  # failing rows, cut to 300 characters


class ReconciliationRow(Part):
    """A model priced by both catalogs on the vendor's platform (report.vendor_reconciliation)."""
    genai_provider_id: str
    genai_model_id: str
    litellm_model_id: str
    genai_input_usd_per_mtok: float | None
    litellm_input_usd_per_mtok: float | None
    genai_output_usd_per_mtok: float | None
    litellm_output_usd_per_mtok: float | None
    max_relative_difference: float | None
    disputed: bool  # beyond the reconciliation tolerance


class QualityNote(Part):
    """Appendix A: this run's data-quality counts, the warnings that concern the vendor, and the
    catalog reconciliation of its models."""
    expectation_count: int
    error_count: int
    warning_count: int
    warnings: list[QualityWarning]
    reconciliation: list[ReconciliationRow]
    tolerance: float


class Freshness(Part):
    """How recent the data is (report.freshness)."""
    latest_fact_on: date | None = None
    litellm_snapshot_on: date | None = None
    genai_snapshot: str | None = None


class VendorContext(Part):
    """Everything one vendor briefing shows (reports/templates/vendor.html)."""
    kind: Literal["vendor"] = "vendor"
    as_of: date
    profile: str  # the workload profile the verdict speaks of
    monthly_tokens: int
    profiles: list[ProfileNote]
    vendor: VendorProfile
    key_figures: list[KeyFigure]
    freshness: Freshness
    quality: QualityNote
    models: list[ModelRow]
    flagship: ModelRow | None
    differentiation: list[str]
    plans: list[Plan]
    workloads: list[Workload]
    rounds: list[Round]
    funding: Funding
    revenue_multiples: list[RevenueMultiple]
    competition: list[PeerColumn]  # the vendor first, then its peers
    claims: list[Claim]
    previous_edition: PreviousEdition
    changes: Changes
    verdict: Verdict
    sources: dict[str, Citation]


# --- landscape -------------------------------------------------------------------------------

class PriceMove(Part):
    """A list-price move over 365 days on a vendor's own platform (report.landscape_price_moves)."""
    model_name: str
    model_id: str
    vendor_id: str
    vendor_name: str
    input_usd_per_mtok: float | None
    output_usd_per_mtok: float | None
    input_change_365d: float | None
    output_change_365d: float | None


class ClaimCount(Part):
    status: str
    claims: int


class LandscapeContext(Part):
    """All vendors side by side (reports/templates/landscape.html)."""
    kind: Literal["landscape"] = "landscape"
    as_of: date
    profile: str
    vendors: list[PeerColumn]
    league: list[PeerColumn]  # vendors with recorded funding, most raised first
    moves: list[PriceMove]
    claims: list[ClaimCount]
    freshness: Freshness
    sources: dict[str, Citation]


# --- data-quality page -----------------------------------------------------------------------

class QualityResult(Part):
    """A failed expectation as the data-quality page lists it."""
    suite: str
    expectation: str
    description: str | None
    unexpected_count: int | None
    example: str  # failing rows or the observed value, cut to 400 characters


class QuarantinedRow(Part):
    source_table: str
    record_key: str
    field: str | None
    reason: str


class SuiteLine(Part):
    name: str
    policy_note: str
    count: int
    failed: int


class QualitySummary(Part):
    suites: int
    expectations: int
    errors: int
    warnings: int
    quarantined_rows: int


class QualityPage(Part):
    """The data-quality page of a run (reports/templates/data_quality.html)."""
    run_id: str
    as_of: date
    summary: QualitySummary
    errors: list[QualityResult]
    warnings: list[QualityResult]
    quarantined: list[QuarantinedRow]
    suites: list[SuiteLine]
