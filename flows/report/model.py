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
    """A figure of the cover. `kind` picks its format: usd (amount, in USD; printed in the
    edition's currency), usd_range (value = [low, high] amounts: sources disagree), int (count), int_range (value = [low, high]: sources disagree), pct
    (share), price_pair (value = [input, output] price). `stale`: older than its configured age
    limit (the note then says how old); `refs`: further sources (all those of a range)."""
    label: str
    kind: Literal["usd", "usd_range", "int", "int_range", "pct", "price_pair"]
    value: int | float | list[float | None] | None
    note: str | None = None
    prefix: str = ""
    ref: str | None = None
    ref2: str | None = None
    refs: list[str] = []
    stale: bool = False


class PriceChange(Part):
    """A model's list price in the vendor's previous edition, when it differs from today's."""
    direction: Literal["up", "down"]
    previous_input_usd_per_mtok: float | None
    previous_output_usd_per_mtok: float | None


class ModelRow(Part):
    """A model of the vendor's lineup on the as-of date (report.vendor_models): curated (with its
    facts) or catalog-only (what the catalogs know), with the price shown for it and its marks."""
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
    price_disputed: bool  # the catalogs dispute its input or output price (input/output_disputed say which)
    price_change: PriceChange | None  # None: unchanged, not priced then, or first edition
    ref: str | None
    price_ref: str | None
    # The lineup (sql/marts/catalog_lineup.sql): curated or catalog-only, the catalog ids grouped into
    # it, the first date a catalog listed it, its status (current, deprecated, retired) and why.
    is_curated: bool = True
    aliases: list[str] = []
    first_seen_on: date | None = None
    status: Literal["current", "deprecated", "retired"] = "current"
    status_note: str | None = None  # "retires on 2027-01-14 (LiteLLM)", "unlisted since 2026-06-02", ...
    # Price marks: basis (list: the vendor's own platform or pricing page; hosted: other hosts),
    # free tier (a 0/0 entry: never a list price), a zero cache price beside a paid input price,
    # the columns the catalogs dispute (both values in `dispute_note`), a dispute a curated list
    # price settles (`settled_note`), the host label of a hosted price (`price_label`).
    price_basis: Literal["list", "hosted"] | None = None
    price_label: str | None = None  # "hosted: median of 5 hosts, $0.20-0.35 / $0.60-1.15"
    is_free_tier: bool = False
    is_cache_read_zero: bool = False
    input_disputed: bool = False
    output_disputed: bool = False
    cache_read_disputed: bool = False
    dispute_note: str | None = None  # "input: genai-prices $0.2288, LiteLLM $0.28 (+22.4 %)"
    is_settled: bool = False
    settled_note: str | None = None
    # Ranks: only current, priced, non-free models of a curated class (is_ranked); a disputed price
    # is ranked at both catalogs' values (class_rank_low..class_rank_high).
    is_ranked: bool = True
    excluded_because: str | None = None  # retired, deprecated, free tier, no price
    class_rank_low: int | None = None
    class_rank_high: int | None = None


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
    reference_price_basis: str | None = None  # list or hosted (the reference's price)
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
    round's own currencies; amount_usd is NULL when no source discloses the amount (basis
    undisclosed). equity_usd, debt_usd, conditional_usd: how the money was raised (parts_ref cites
    the split). fx_*: the rate a converted amount used (USD per unit, its day); valuation_fx_*: the
    rate of a valuation in another currency."""
    round_id: str
    round_name: str
    announced_on: date | None
    announced_on_precision: str | None
    amount: float | None
    currency: str | None
    amount_usd: float | None
    amount_usd_basis: str | None  # stated, converted or undisclosed
    stated_amount_usd: float | None = None
    fx_usd_per_unit: float | None
    fx_rate_on: date | None = None
    equity_usd: float | None = None
    debt_usd: float | None = None
    conditional_usd: float | None = None
    post_money_valuation: float | None
    valuation_currency: str | None
    post_money_valuation_usd: float | None
    valuation_fx_usd_per_unit: float | None = None
    valuation_fx_rate_on: date | None = None
    amount_is_lower_bound: bool = False  # the source gives a minimum: printed "more than"
    valuation_is_lower_bound: bool = False
    step_up_multiple: float | None
    lead_investors: list[str] | None
    ref: str | None
    amount_usd_ref: str | None
    fx_ref: str | None
    valuation_fx_ref: str | None = None
    parts_ref: str | None = None


class ReportedTotal(Part):
    """A funding total as a source reports it (report.company_facts), beside the headline one."""
    amount_usd: float | None
    covers: str | None  # all, equity_and_debt, equity
    as_of: date | None
    tier: str
    age: str | None  # "8 months" when older than its age limit
    ref: str | None
    is_lower_bound: bool = False  # the source gives a minimum ("more than €2.8 billion")


class Funding(Part):
    """Funding totals (marts.vendor_funding); all None for a vendor without rounds. Totals are
    lower bounds when total_is_lower_bound (an incomplete round list, or undisclosed amounts)."""
    total_raised_usd: float | None = None
    equity_raised_usd: float | None = None
    debt_raised_usd: float | None = None
    conditional_raised_usd: float | None = None
    total_is_lower_bound: bool = True
    undisclosed_round_count: int = 0
    rounds_total_at_report_is_lower_bound: bool | None = None
    reported_total_covers: str | None = None
    reported_total_tier: str | None = None
    reported_total_age: str | None = None  # "1 year" when older than its age limit
    reported_total_is_lower_bound: bool = False  # the source gives a minimum: printed "more than"
    other_reported_totals: list[ReportedTotal] = []
    headcount_age: str | None = None
    reported_total_usd: float | None = None
    reported_total_on: date | None = None
    rounds_total_at_report_usd: float | None = None
    difference_usd: float | None = None
    relative_difference: float | None = None
    latest_post_money_usd: float | None = None
    latest_valuation_on: date | None = None
    latest_valuation_is_lower_bound: bool | None = None  # a minimum a source gives: "more than"
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
    age: str | None = None  # "1 year" when the estimate is older than its age limit


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
    flagship_input_disputed: bool = False
    flagship_output_disputed: bool = False
    flagship_price_basis: str | None = None  # list or hosted
    flagship_price_note: str | None = None  # the other catalog's values when disputed, or the hosted rule
    catalog_only_count: int | None = None  # listed models without curated facts
    total_raised_usd: float | None
    rounds_complete: bool | None  # complete list, every amount disclosed: the total is not a lower bound
    latest_post_money_usd: float | None
    latest_valuation_is_lower_bound: bool | None = None  # "more than"
    latest_valuation_on: date | None = None
    jurisdiction: str | None
    hq_country: str | None
    is_eu: bool | None
    region: str | None  # United States, China, Europe, Rest of the world (report.peer_columns)
    parent_company: str | None
    ref: str | None
    # Capability on the latest LMArena leaderboard (report.capability_models): whether the flagship
    # is rated (flagship_rating_status: rated, newer_than_leaderboard, not_on_leaderboard,
    # no_leaderboard; None without a current flagship), and the vendor's headline model
    # (its flagship when rated, else its best-rated current model): name, overall Arena Score with
    # its 95 % bounds, rank range among the vendors' headline models (of capability_rank_field).
    flagship_rating_status: str | None = None
    leaderboard_on: date | None = None
    capability_model: str | None = None
    capability_is_flagship: bool = False
    capability_score: float | None = None
    capability_score_low: float | None = None
    capability_score_high: float | None = None
    capability_rank_best: int | None = None
    capability_rank_worst: int | None = None
    capability_rank_field: int | None = None
    capability_ref: str | None = None


class CapabilityRow(Part):
    """A current lineup model (curated or catalog-only) on the latest LMArena text leaderboard
    (report.capability_models):
    overall Arena Score and 95 % bounds (None when not rated: rating_status says why), blended
    price for the run's profile, rank range against the other vendors' headline models (a vendor's
    flagship when rated, else its best-rated current model), and the price-performance frontiers it
    lies on (None: not rated or not priced)."""
    model_id: str
    vendor_id: str
    vendor_name: str
    model_name: str
    model_class: str | None
    is_flagship: bool
    is_headline: bool
    leaderboard_on: date | None
    score: float | None
    score_low: float | None
    score_high: float | None
    rating_status: str
    blended_usd_per_mtok: float | None
    rank_best: int | None
    rank_worst: int | None
    rank_field: int | None
    level_with: list[str]  # other vendors' headline models whose intervals overlap ("Claude Opus 4.5 (Anthropic)")
    above: list[str]  # other vendors' headline models certainly above (beyond the bounds)
    on_vendor_frontier: bool | None
    on_market_frontier: bool | None
    on_headline_frontier: bool | None


class Capability(Part):
    """A briefing's capability section: the vendor's current models on the latest leaderboard (rated
    first), the share with a score, and every other vendor's rated, priced models for the chart."""
    leaderboard_on: date | None
    profile: str
    rated_share: float | None  # models with a score / current lineup models (curated or catalog-only)
    models: list[CapabilityRow]
    others: list[CapabilityRow]
    ref: str | None  # the leaderboard's citation


class Phrase(Part):
    """A piece of a summary sentence: plain text (kind "text"), or a figure the template formats by
    its kind (usd and price in the edition's currency; rank: value to value2, e.g. 2–4; ordinal:
    3rd) with its citation key. A figure names the warehouse figure it shows (`figure`:
    "vendor_metrics.<metric>" or "<relation>.<column>"; `subject`: the model id of a model's figure)."""
    kind: Literal["text", "usd", "price", "pct", "ratio", "times", "points", "num", "rank", "ordinal"] = "text"
    text: str = ""
    value: float | None = None
    value2: float | None = None
    figure: str | None = None
    subject: str | None = None
    ref: str | None = None
    mark: bool = True  # print the footnote marker here (only the last phrase of a sentence citing `ref` does)


class Sentence(Part):
    """One sentence of the page-1 summary, generated from the warehouse."""
    topic: Literal["identity", "price", "capability", "funding", "changes", "caveats"]
    phrases: list[Phrase]


class Product(Part):
    """A product or platform (report.vendor_products)."""
    product_name: str
    product_kind: str
    description: str
    launched_on: date | None
    launched_on_precision: str | None
    ref: str | None


class Customer(Part):
    """A notable customer, customer segment or channel (report.vendor_customers)."""
    customer_name: str
    customer_kind: str
    description: str | None
    ref: str | None


class MarketEstimate(Part):
    """A market-size estimate, USD for one year (report.vendor_market_estimates)."""
    market: str
    market_year: int
    market_low_usd: float
    market_high_usd: float | None
    estimator: str
    note: str | None
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
    current_detail: str | None = None  # why a claim is "not re-checked" on the edition date


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
    """Statements of the verdict rules (data/config/briefing.yaml) that hold for the vendor, or the
    configured neutral line of each list when none does, and the bottom line."""
    good_fit: list[str]
    skip_if: list[str]
    bottom_line: str = ""
    no_good_fit: str | None = None  # the neutral line shown when no good-fit rule fires
    no_skip_if: str | None = None  # the neutral line shown when no skip-if rule fires


class QualityWarning(Part):
    """A failed expectation of this run that names the vendor or one of its models."""
    suite: str
    expectation: str
    description: str | None
    unexpected_count: int | None
    example: str  # failing rows, cut to 300 characters
    findings: list[str] = []  # one sentence per failing row that names the vendor (appendix A)


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


class EditionCurrency(Part):
    """The currency an edition prints its money in (`--currency`, USD by default) and the cited
    reference rate it converts the warehouse's USD figures at: the rate of the edition date, or the
    latest one before it (rate_on; stale when more than quality.edition_rate_max_age_days older).
    Amounts in the contexts stay in USD; the formatting filters print them times per_usd."""
    code: str = "USD"
    usd_per_unit: float = 1.0  # as quoted: 1 EUR = 1.1172 USD
    per_usd: float = 1.0  # units of `code` per USD (1 / usd_per_unit)
    rate_on: date | None = None
    age_days: int | None = None
    stale: bool = False
    source_id: str | None = None  # the rate's source: ecb-euro-reference-rates, or a curated rate's
    ref: str | None = None


class CompanyFact(Part):
    """A company fact as the freshness appendix lists it (report.company_facts): `kind` headcount,
    revenue, reported_total or valuation; value (and value_high for a range) in USD or people."""
    vendor_id: str
    vendor_name: str
    kind: str
    label: str
    value: float | None
    value_high: float | None = None
    fact_on: date | None
    age_days: int | None
    age: str
    limit_days: int | None
    stale: bool
    tier: str
    is_lower_bound: bool = False  # the source gives a minimum: printed "more than"
    ref: str | None = None


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
    models: list[ModelRow]  # the current tables: listed models (current, deprecated), curated first
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
    currency: EditionCurrency = EditionCurrency()
    # Data-quality warnings on the company facts: an old edition rate, facts that rest only on
    # aggregator or unrated sources (appendix A).
    fact_warnings: list[str] = []
    oldest_facts: list[CompanyFact] = []  # the freshness appendix: headline facts, oldest first
    summary: list[Sentence] = []  # page 1: five to seven sentences, every figure cited
    capability: Capability | None = None
    products: list[Product] = []
    customers: list[Customer] = []
    market_estimates: list[MarketEstimate] = []
    # The lineup history: curated models retired or unlisted by the edition date, and catalog-only
    # models that left the catalogs in the last 365 days (each with status_note: "unlisted since D").
    lineup_history: list[ModelRow] = []
    # How the price table reads: the rules behind its marks, one sentence each (free tiers, hosted
    # prices, disputes and the dispute settled by a curated list price).
    price_notes: list[str] = []


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
    currency: EditionCurrency = EditionCurrency()
    fact_warnings: list[str] = []
    oldest_facts: list[CompanyFact] = []  # each vendor's oldest headline fact
    # Every vendor's headline model on the latest LMArena leaderboard (its flagship when rated,
    # else its best-rated current model), highest score first, for the capability chart and table;
    # capability_ref cites the leaderboard.
    headlines: list[CapabilityRow] = []
    capability_ref: str | None = None


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
