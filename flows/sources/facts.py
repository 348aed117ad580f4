"""Curated vendor facts: the schema of the YAML files in data/sources/ and their loader.

Every record names its source (an id listed in sources.yaml, or an http(s) URL) and the date the
source states it (`as_of`). The loader refuses the whole fact base on the first bad record, with a
message naming the file, the record and the field, so that nothing half-checked is published.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from flows.errors import InputError

# ISO 4217 codes a source may plausibly report an amount in; anything else is a typo.
CURRENCIES = frozenset(
    "USD EUR GBP CHF JPY CNY HKD SGD CAD AUD INR KRW SEK NOK DKK AED SAR ILS BRL".split()
)
ROUND_NAMES = (
    "pre_seed", "seed", "series_a", "series_b", "series_c", "series_d", "series_e", "series_f",
    "series_g", "series_h", "strategic", "corporate", "debt", "secondary", "grant", "other",
)
SLUG = r"^[a-z0-9][a-z0-9._-]{0,63}$"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EU_MEMBERS = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())

# Odd inputs (data/README.md, "Odd inputs: what happens"). Fact files are small text files.
MAX_FILE_BYTES = 5 * 2**20
# Deepest nesting a YAML or JSON source may have: fact files need 6 levels, LiteLLM entries 6.
MAX_DEPTH = 32
# Characters refused in every text value of every source (and anywhere in a fact file, comments
# included): control characters (Unicode category Cc) except tab, line feed and carriage return;
# format characters (Cf: bidi embeddings, overrides, isolates and marks, zero-width spaces and
# joiners, word joiner, soft hyphen, byte-order mark, invisible operators, tag characters); the
# line and paragraph separators (Zl, Zp). The class is Cc + Cf + Zl + Zp of Unicode 14 (Python 3.11).
FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd"
    "\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]")
_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))


def describe_char(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE (bidi control)' for a refused character."""
    cp = ord(char)
    kind = ("bidi control" if cp in _BIDI or cp in (0x200E, 0x200F, 0x061C)
            else "control character" if unicodedata.category(char) == "Cc"
            else "line separator" if cp in (0x2028, 0x2029) else "invisible character")
    name = unicodedata.name(char, "NULL" if cp == 0 else "")
    return f"U+{cp:04X}{' ' + name if name else ''} ({kind})"


def forbidden_char(text: str) -> tuple[int, str] | None:
    """(index, description) of the first refused character in `text`, or None."""
    m = FORBIDDEN_CHARS.search(text)
    return None if m is None else (m.start(), describe_char(m.group()))


CHAR_RULE = "control, bidi and invisible characters are not allowed (data/README.md, Odd inputs)"


class InvalidValue:
    """A scalar YAML reads but Python cannot hold as written (an impossible date, a number too
    large or too small for a float, a YAML 1.1 octal or sexagesimal number). The field's
    validation refuses it, naming the file, the record and the field."""

    def __init__(self, text: str, problem: str):
        self.text, self.problem = text, problem

    def __repr__(self) -> str:
        return repr(self.text if len(self.text) <= 40 else self.text[:40] + "...")


def _iso_date(value: Any) -> Any:
    """Accept a YAML date or a 'YYYY-MM-DD' string; refuse numbers, timestamps and other layouts."""
    if isinstance(value, InvalidValue):
        raise ValueError(f"{value.problem}: {value!r}")
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not a valid calendar date: {value!r}") from exc
    raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Slug = Annotated[str, Field(pattern=SLUG)]
NonEmpty = Annotated[str, Field(min_length=1, max_length=2000)]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False, lt=1e14)]
Billions = Annotated[float, Field(gt=0, allow_inf_nan=False, lt=1e5)]
Precision = Literal["day", "month", "year"]


class Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Cited(Record):
    source: NonEmpty
    as_of: IsoDate
    # Precision of the record's own date (founded_on, announced_on, released_on; else as_of):
    # a source that says "June 2023" is recorded as 2023-06-01 with precision "month".
    date_precision: Precision = "day"


class Source(Record):
    id: Slug
    title: NonEmpty
    publisher: NonEmpty | None = None
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)] | None = None
    published_on: IsoDate | None = None
    kind: Literal["article", "document", "dataset", "official", "filing"] = "article"
    # How far the source can be trusted for a company fact: official (a filing or the company's
    # own statement), press (a reputable news organisation) or aggregator (blogs, digests, wikis,
    # rewrites). Left out: official for kind official/filing, else unrated (ranked below aggregator).
    tier: Literal["official", "press", "aggregator"] | None = None
    note: NonEmpty | None = None


class Vendor(Cited):
    id: Slug
    name: NonEmpty
    hq_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    jurisdiction: NonEmpty
    is_eu: bool
    founded_on: IsoDate
    founders: list[NonEmpty] = []
    open_weights_stance: Literal["core", "partial", "minimal", "none"]
    positioning: NonEmpty
    problem: NonEmpty | None = None
    target_customers: list[NonEmpty] = []
    # Where positioning, problem and target customers come from, when not from `source`.
    profile_source: NonEmpty | None = None
    profile_as_of: IsoDate | None = None
    parent_company: NonEmpty | None = None
    # True only when funding_rounds lists every round the vendor raised: totals summed from an
    # incomplete list are lower bounds, and claims about them cannot be contradicted.
    funding_rounds_complete: bool = False
    # The model families whose newest current model on the vendor's own platform is the edition's
    # flagship (an editorial setting, no source: data/README.md "Flagship families"). A family is
    # a model-name pattern: "Mistral Large", "Gemini * Pro" (`*` stands for a version).
    flagship_families: list[NonEmpty] = []

    @model_validator(mode="after")
    def _profile_cited(self) -> Vendor:
        if (self.profile_source is None) != (self.profile_as_of is None):
            missing = "profile_as_of" if self.profile_as_of is None else "profile_source"
            raise ValueError(f"{missing}: profile_source and profile_as_of go together")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Vendor:
        if self.founded_on > self.as_of:
            raise ValueError(f"founded_on: {self.founded_on} is after as_of ({self.as_of}), the date its "
                             "source states the fact")
        if self.is_eu != (self.hq_country in EU_MEMBERS):
            raise ValueError(f"is_eu: {str(self.is_eu).lower()} contradicts hq_country {self.hq_country!r} "
                             f"({'an' if self.hq_country in EU_MEMBERS else 'not an'} EU member state)")
        return self


class Headcount(Cited):
    employees: Annotated[int, Field(gt=0, lt=10_000_000)]
    # true when the source gives a minimum ("more than 350 people"): printed "more than 350"
    lower_bound: bool = False


class ReportedTotal(Cited):
    amount_usd: Money
    # true when the source gives a minimum ("more than €2.8 billion", "$40B+"): printed "more than"
    lower_bound: bool = False
    # What the total counts, so that the audit compares like with like: all (equity, debt and
    # conditional money, as rounds announce it), equity_and_debt (no conditional money) or equity.
    covers: Literal["all", "equity_and_debt", "equity"] = "all"


class ReportedValuation(Cited):
    """A post-money valuation a source reports for a recorded round (`round`, its id) that differs
    from the round's own: when sources disagree, a briefing shows both with their sources."""
    round: Slug
    post_money_valuation: Money
    valuation_currency: str = "USD"


class FundingRound(Cited):
    id: Slug
    round: Literal[ROUND_NAMES]  # type: ignore[valid-type]
    announced_on: IsoDate
    amount: Money | None = None  # None: no new money (a merger) or not disclosed
    currency: str
    amount_usd: Money | None = None
    # Where amount_usd comes from, when not from `source` (which then backs the rest of the round).
    amount_usd_source: NonEmpty | None = None
    amount_usd_as_of: IsoDate | None = None
    post_money_valuation: Money | None = None
    valuation_currency: str | None = None
    # true when the source gives a minimum ("exceeding $250 million", "more than €21 billion"):
    # printed "more than"; a sum over such an amount is a lower bound
    amount_lower_bound: bool = False
    valuation_lower_bound: bool = False
    is_down_round: bool = False
    lead_investors: list[NonEmpty] = []
    investors: list[NonEmpty] = []
    # How the money was raised: parts of `amount`, in `currency`. Conditional money is promised on
    # conditions (a tranche paid on a milestone), counted apart from equity and debt. A part left
    # out is 0, except the round's main kind (debt for a debt round, else equity), which takes what
    # the given parts leave of the amount.
    equity_amount: Money | None = None
    debt_amount: Money | None = None
    conditional_amount: Money | None = None
    # Where the split comes from, when not from `source`.
    parts_source: NonEmpty | None = None
    parts_as_of: IsoDate | None = None

    @model_validator(mode="after")
    def _parts(self) -> FundingRound:
        parts = {name: getattr(self, f"{name}_amount") for name in ("equity", "debt", "conditional")}
        given = {name: value for name, value in parts.items() if value is not None}
        if (self.parts_source is None) != (self.parts_as_of is None):
            missing = "parts_as_of" if self.parts_as_of is None else "parts_source"
            raise ValueError(f"{missing}: parts_source and parts_as_of go together")
        if self.parts_source is not None and not given:
            raise ValueError("parts_source: given without equity_amount, debt_amount or conditional_amount")
        if not given:
            return self
        first = f"{next(iter(given))}_amount"
        if self.amount is None:
            raise ValueError(f"{first}: a part of the round given without its amount (the round's total)")
        total = sum(given.values())
        main = "debt" if self.round == "debt" else "equity"
        left = self.amount - total
        if left < -1e-6 * max(self.amount, 1):
            raise ValueError(f"{first}: the parts sum to {total:.0f}, more than amount ({self.amount:.0f})")
        if main in given and abs(left) > 1e-6 * max(self.amount, 1):
            missing = [f"{n}_amount" for n in parts if n not in given]
            raise ValueError(f"{first}: the parts sum to {total:.0f}, not amount ({self.amount:.0f}); "
                             f"{main}_amount takes the remainder only when left out"
                             + (f" (or give {', '.join(missing)})" if missing else ""))
        return self

    @model_validator(mode="after")
    def _amount_usd_cited(self) -> FundingRound:
        if (self.amount_usd_source is None) != (self.amount_usd_as_of is None):
            missing = "amount_usd_as_of" if self.amount_usd_as_of is None else "amount_usd_source"
            raise ValueError(f"{missing}: amount_usd_source and amount_usd_as_of go together")
        if self.amount_usd_source is not None and self.amount_usd is None:
            raise ValueError("amount_usd_source: given without amount_usd")
        return self

    @model_validator(mode="after")
    def _currencies(self) -> FundingRound:
        for name in ("currency", "valuation_currency"):
            value = getattr(self, name)
            if value is not None and value not in CURRENCIES:
                raise ValueError(f"{name}: unknown currency {value!r} (expected one of {', '.join(sorted(CURRENCIES))})")
        if self.post_money_valuation is not None and self.valuation_currency is None:
            raise ValueError("valuation_currency: required when post_money_valuation is given")
        return self

    @model_validator(mode="after")
    def _usd_consistent(self) -> FundingRound:
        # One source cannot state two USD figures for a USD round; a later source that revises it
        # names itself in amount_usd_source (and applies from amount_usd_as_of).
        if self.currency == "USD" and self.amount is not None and self.amount_usd is not None \
                and self.amount_usd != self.amount and self.amount_usd_source is None:
            raise ValueError(f"amount_usd: {self.amount_usd:.0f} differs from amount ({self.amount:.0f}) in a "
                             "round whose currency is USD (when another source states it, name it in "
                             "amount_usd_source)")
        return self


class RevenueEstimate(Cited):
    low_usd: Money
    high_usd: Money | None = None  # None: the source gives a lower bound only ("more than $100M")
    basis: Literal["annualized", "fiscal_year", "run_rate", "contracted", "projected"]

    @model_validator(mode="after")
    def _ordered(self) -> RevenueEstimate:
        if self.high_usd is not None and self.low_usd > self.high_usd:
            raise ValueError(f"high_usd: must be >= low_usd ({self.high_usd} < {self.low_usd})")
        return self


class Plan(Cited):
    id: Slug
    name: NonEmpty
    kind: Literal["consumer_subscription", "team", "enterprise", "free", "api"]
    price_per_month: Money | None = None
    currency: str = "USD"

    @model_validator(mode="after")
    def _currency(self) -> Plan:
        if self.currency not in CURRENCIES:
            raise ValueError(f"currency: unknown currency {self.currency!r}")
        if self.kind == "free" and self.price_per_month:
            raise ValueError(f"price_per_month: {self.price_per_month} for a plan whose kind is free")
        return self


class Product(Cited):
    """A product or platform the vendor offers (Le Chat, La Plateforme): what a briefing lists under
    "Products and plans"."""
    id: Slug
    name: NonEmpty
    kind: Literal["consumer_app", "api_platform", "enterprise_platform", "developer_tool", "open_weights", "other"]
    description: NonEmpty
    launched_on: IsoDate | None = None


class Customer(Cited):
    """A notable customer, a customer segment (when the source names kinds of customers rather
    than customers) or a channel customers reach the vendor through (a cloud marketplace)."""
    id: Slug
    name: NonEmpty
    kind: Literal["customer", "segment", "channel"]
    description: NonEmpty | None = None


class MarketEstimate(Cited):
    """A market-size estimate for a market the vendor sells into: USD for one year, as a range
    (low_usd alone for a point estimate), with who made it."""
    id: Slug
    market: NonEmpty
    year: Annotated[int, Field(ge=2000, le=2100)]
    low_usd: Money
    high_usd: Money | None = None
    estimator: NonEmpty
    note: NonEmpty | None = None

    @model_validator(mode="after")
    def _ordered(self) -> MarketEstimate:
        if self.high_usd is not None and self.low_usd > self.high_usd:
            raise ValueError(f"high_usd: must be >= low_usd ({self.high_usd} < {self.low_usd})")
        return self


class CatalogRef(Record):
    source: Literal["genai-prices", "litellm"]
    provider_id: NonEmpty | None = None
    model_id: NonEmpty | None = None
    model_key: NonEmpty | None = None

    @model_validator(mode="after")
    def _complete(self) -> CatalogRef:
        if self.source == "genai-prices" and not (self.provider_id and self.model_id):
            raise ValueError("genai-prices refs need provider_id and model_id")
        if self.source == "litellm" and not self.model_key:
            raise ValueError("litellm refs need model_key")
        return self


class ListPrice(Record):
    """A model's list price as the vendor's own pricing page states it (USD per million tokens),
    cited and dated: it settles a disagreement between the price catalogs."""
    input_usd_per_mtok: Annotated[float, Field(ge=0, lt=10_000, allow_inf_nan=False)]
    output_usd_per_mtok: Annotated[float, Field(ge=0, lt=10_000, allow_inf_nan=False)]
    source: NonEmpty
    as_of: IsoDate


class Model(Cited):
    id: Slug
    name: NonEmpty
    family: NonEmpty
    model_class: Literal["flagship", "small", "code", "reasoning", "embedding", "other"] = Field(alias="class")
    released_on: IsoDate | None = None
    architecture: Literal["dense", "moe", "unknown"] = "unknown"
    total_params_b: Billions | None = None
    active_params_b: Billions | None = None
    open_weights: bool
    licence: NonEmpty
    context_window_tokens: Annotated[int, Field(gt=0, lt=100_000_000)] | None = None
    catalog_refs: list[CatalogRef] = []
    # The list price from the vendor's pricing page, when the catalogs disagree (optional).
    list_price: ListPrice | None = None

    @model_validator(mode="after")
    def _params(self) -> Model:
        if self.total_params_b and self.active_params_b and self.active_params_b > self.total_params_b:
            raise ValueError("active_params_b: cannot exceed total_params_b")
        if self.architecture == "dense" and self.total_params_b and self.active_params_b \
                and self.active_params_b != self.total_params_b:
            raise ValueError("active_params_b: a dense model activates all its parameters")
        return self


# Claim metrics that compare a subject model with a reference model.
MODEL_CLAIMS = ("price_ratio", "switch_saving", "capability_gap")


class Claim(Cited):
    id: Slug
    text: NonEmpty
    # capability_gap: subject's Arena Score minus the reference's, in points (negative: behind).
    metric: Literal["price_ratio", "switch_saving", "capability_gap", "total_funding_usd", "post_money_valuation_usd"]
    # Which price a price claim compares; None when the claim does not say ("1/5 the cost").
    price_component: Literal["input", "output", "blended"] | None = None
    comparison: Literal["equal", "at_least", "at_most"] = "equal"
    subject: Slug
    reference: Slug | None = None
    stated_value: Annotated[float, Field(allow_inf_nan=False)]
    tolerance: Annotated[float, Field(gt=0, le=1)] | None = None

    @model_validator(mode="after")
    def _reference(self) -> Claim:
        if self.metric in MODEL_CLAIMS and not self.reference:
            raise ValueError(f"reference: a {self.metric} claim names the reference model")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Claim:
        if self.stated_value < 0 and self.metric != "capability_gap":
            raise ValueError(f"stated_value: {self.stated_value} is negative; metric {self.metric} "
                             "cannot be below 0")
        if self.metric == "switch_saving" and self.stated_value > 1:
            raise ValueError(f"stated_value: {self.stated_value} is above 1; metric switch_saving is the "
                             "share of the price saved (0 to 1)")
        if self.metric in MODEL_CLAIMS and self.reference == self.subject:
            raise ValueError(f"reference: {self.reference!r} is also the subject; a {self.metric} claim "
                             "compares two different models")
        if self.metric not in MODEL_CLAIMS:
            for name in ("reference", "price_component"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name}: given for metric {self.metric}, which compares no models")
        if self.metric == "capability_gap" and self.price_component is not None:
            raise ValueError("price_component: given for metric capability_gap, which compares no prices")
        return self


class VendorFile(Record):
    vendor: dict
    headcount: list[dict] = []
    reported_funding_totals: list[dict] = []
    funding_rounds: list[dict] = []
    reported_valuations: list[dict] = []
    revenue_estimates: list[dict] = []
    plans: list[dict] = []
    models: list[dict] = []
    claims: list[dict] = []
    products: list[dict] = []
    customers: list[dict] = []
    market_estimates: list[dict] = []


SECTIONS: dict[str, type[Record]] = {
    "headcount": Headcount,
    "reported_funding_totals": ReportedTotal,
    "funding_rounds": FundingRound,
    "reported_valuations": ReportedValuation,
    "revenue_estimates": RevenueEstimate,
    "plans": Plan,
    "models": Model,
    "claims": Claim,
    "products": Product,
    "customers": Customer,
    "market_estimates": MarketEstimate,
}


class FxRate(Record):
    rate_on: IsoDate
    currency: str
    usd_per_unit: Annotated[float, Field(gt=0, lt=1000, allow_inf_nan=False)]
    source: NonEmpty


class MapRule(Record):
    source: Literal["genai-prices", "litellm", "*"] = "*"
    provider: NonEmpty = "*"
    model: NonEmpty = "*"
    vendor_id: Slug | None
    note: NonEmpty | None = None


class Platform(Record):
    """A maker's own platform in a price catalog: the catalog provider whose prices are the
    maker's list prices (vendor_id null: a maker the briefings do not cover)."""
    source: Literal["genai-prices", "litellm"]
    provider: NonEmpty
    vendor_id: Slug | None
    note: NonEmpty | None = None


class Host(Record):
    """A catalog provider that is no maker's own platform: a host or reseller of other makers'
    models (vendor_map.yaml `hosts:`). Its prices are hosted prices, never a maker's list prices."""
    source: Literal["genai-prices", "litellm"]
    provider: NonEmpty
    note: NonEmpty | None = None


@dataclass
class VendorFacts:
    path: str
    vendor: Vendor
    records: dict[str, list[Record]] = field(default_factory=dict)


@dataclass
class FactBase:
    sources: list[Source]
    vendors: list[VendorFacts]
    fx_rates: list[FxRate]
    map_rules: list[MapRule]
    files: list[Path]
    # vendor_map.yaml `platforms:` (each maker's own platforms in the catalogs)
    platforms: list[Platform] = field(default_factory=list)
    # vendor_map.yaml `hosts:` (catalog providers that are no maker's own platform)
    hosts: list[Host] = field(default_factory=list)

    def section(self, name: str) -> list[tuple[str, Record]]:
        """(vendor_id, record) pairs of one section across all vendors, in file order."""
        return [(v.vendor.id, r) for v in self.vendors for r in v.records.get(name, [])]


class _Refused(yaml.YAMLError):
    """A YAML document this loader will not build, at a known place."""

    def __init__(self, path: list, problem: str, mark: Any):
        super().__init__(problem)
        self.path, self.problem, self.mark = path, problem, mark


# Scalars PyYAML resolves as numbers in YAML 1.1 ways a reader does not expect: 0100 is octal 64,
# 1:30 is sexagesimal 90, 0x10 and 0b10 are hex and binary.
_SURPRISING_INT = re.compile(r"^[-+]?(0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$")
_SURPRISING_FLOAT = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$")


class _UniqueKeyLoader(yaml.SafeLoader):
    """The YAML loader of every source and configuration file.

    Refuses duplicate keys (instead of silently keeping the last one), YAML aliases (an alias
    can multiply a small file into a huge document) and nesting deeper than MAX_DEPTH (a
    100,000-level value would otherwise end in RecursionError). Values YAML reads but Python
    cannot hold as written become InvalidValue, which the field's validation refuses.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self.path: list = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        if isinstance(parent, yaml.SequenceNode):
            step: Any = len(parent.value)
        elif isinstance(parent, yaml.MappingNode):
            step = index.value if isinstance(index, yaml.ScalarNode) else "(key)"
        else:
            step = None
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused([*self.path, step], f"YAML alias *{event.anchor} is not allowed: write the value out",
                           event.start_mark)
        if len(self.path) >= MAX_DEPTH:
            raise _Refused([*self.path, step], f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        self.path.append(step)
        try:
            return super().compose_node(parent, index)
        finally:
            self.path.pop()


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key: construct_mapping names it
            break
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


def _construct_timestamp(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        date_only = bool(_DATE_RE.match(node.value))
        return InvalidValue(node.value, "not a valid calendar date" if date_only else "not a valid date and time")


def _construct_int(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> Any:
    text = node.value
    if _SURPRISING_INT.match(text):
        return InvalidValue(text, "ambiguous number (YAML 1.1 reads it as octal, hexadecimal, binary or "
                                  "base 60): write it in decimal, or quote it if it is text")
    digits = len(text.lstrip("+-").replace("_", ""))
    if digits > 30:
        return InvalidValue(text, f"number too large ({digits} digits)")
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


def _construct_float(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> Any:
    text = node.value
    if _SURPRISING_FLOAT.match(text):
        return InvalidValue(text, "ambiguous number (YAML 1.1 reads it in base 60): write it in decimal")
    value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    if isinstance(value, float):
        literal = text.lower().lstrip("+-")
        if math.isinf(value) and literal not in (".inf",):
            return InvalidValue(text, "number too large for a 64-bit float")
        if value == 0.0 and re.search(r"[1-9]", literal.split("e")[0]):
            return InvalidValue(text, "number too small: it would be stored as 0")
    return value


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def decode_text(raw: bytes, name: str) -> str:
    """Bytes of a source as text: UTF-8, one leading byte-order mark removed; anything else refused."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                          (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom):
            raise InputError(name, None, None, f"not UTF-8 text: {encoding} text (byte-order mark "
                                               f"{bom.hex(' ').upper()}): save it as UTF-8")
    head = raw[:512]
    if len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4):
        raise InputError(name, None, None, "not UTF-8 text: looks like UTF-16 text (every other byte is NUL): "
                                           "save it as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A source file's text, or one clear error naming it."""
    name = _display(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(name, None, None, f"file larger than {max_bytes // 2**20} MiB ({size} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read file: {exc.strerror or exc}") from None
    return decode_text(raw, name)


def _line_col(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def _where(stem: str, path: list, root: Any = None) -> tuple[str | None, str | None]:
    """(record, field) of a place in a YAML document: ('funding_rounds[0] (id x)', 'investors[1]')."""
    steps = [p for p in path if p is not None]
    if not steps:
        return None, None
    if isinstance(steps[0], int):
        record, rest, node = f"{stem}[{steps[0]}]", steps[1:], _child(root, steps[:1])
    elif len(steps) > 1 and isinstance(steps[1], int):
        record, rest, node = f"{steps[0]}[{steps[1]}]", steps[2:], _child(root, steps[:2])
    else:
        record, rest, node = str(steps[0]), steps[1:], None
    if isinstance(node, yaml.MappingNode):
        ident = next((v.value for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "id"
                      and isinstance(v, yaml.ScalarNode)), None)
        if ident and not FORBIDDEN_CHARS.search(ident):
            record += f" (id {ident[:64]})"
    return record, _field_path(rest)


def _field_path(steps: list) -> str | None:
    """'investors[1]', 'catalog_refs[0].model_id'; a deep path is cut after four steps."""
    shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in steps[:4]).lstrip(".")
    return (shown + ("..." if len(steps) > 4 else "")) or None


def _child(node: Any, steps: list) -> Any:
    for step in steps:
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        elif isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step), None)
        else:
            return None
    return node


def _scalars(root: Any):
    """(path, node) of every scalar in a composed document, keys included; iterative."""
    stack = [([], root)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            yield path, node
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(([*path, i], child) for i, child in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                step = key.value if isinstance(key, yaml.ScalarNode) else "(key)"
                stack.append(([*path, step], value))
                stack.append(([*path, step], key))


# What PyYAML's reader refuses before parsing (C0 and C1 controls, DEL, U+FFFE/U+FFFF): replaced
# by 'x' in the text that is parsed, so that the refusal can name the record and the field.
_YAML_UNREADABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


def read_yaml(path: Path) -> Any:
    name = _display(path)
    text = read_text(path)
    raw_bad = FORBIDDEN_CHARS.search(text)
    loader = _UniqueKeyLoader(_YAML_UNREADABLE.sub("x", text) if raw_bad else text)
    try:
        root = loader.get_single_node()
        if raw_bad:
            # A refused character written as such: name the value it is in (else its line).
            pos, record, field_name = raw_bad.start(), None, None
            for spath, node in _scalars(root):
                if node.start_mark.index <= pos < node.end_mark.index:
                    record, field_name = _where(path.stem, spath, root)
                    break
            raise InputError(name, record, field_name,
                             f"{describe_char(raw_bad.group())} at {_line_col(text, pos)}: {CHAR_RULE}")
        return None if root is None else loader.construct_document(root)
    except _Refused as exc:
        record, field_name = _where(path.stem, exc.path, None)
        raise InputError(name, record, field_name,
                         f"{exc.problem} ({_line_col(text, exc.mark.index)})") from None
    except yaml.YAMLError as exc:
        if raw_bad:
            raise InputError(name, None, None, f"{describe_char(raw_bad.group())} at "
                             f"{_line_col(text, raw_bad.start())}: {CHAR_RULE}") from None
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).replace("\n", " ")
        raise InputError(name, None, None, f"YAML syntax error: {where}{problem}") from None
    finally:
        loader.dispose()


def _field_of(error: dict) -> str:
    loc = [str(p) for p in error["loc"] if not str(p).startswith("function-")]
    message = error["msg"].removeprefix("Value error, ")
    if not loc and ":" in message:
        loc = [message.split(":", 1)[0]]
    return ".".join(loc) or "(record)"


def _problem_of(error: dict) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field is missing"
    given = error.get("input")
    if isinstance(given, InvalidValue):
        return f"{given.problem}: {given!r}"
    if error["type"] not in ("value_error",) and not isinstance(given, (dict, list)):
        shown = repr(given)
        message += f" (got {shown if len(shown) <= 80 else shown[:80] + '...'})"
        if isinstance(given, bool) and error["type"] == "string_type":
            message += "; YAML reads unquoted yes/no/on/off/true/false as booleans: quote the text"
    return message


def check_text(data: Any, file: str, label: str | None, prefix: tuple = ()) -> None:
    """Refuse a control, bidi or invisible character in any string (or key) of `data`, naming
    the record and the field. Iterative; data read by read_yaml is at most MAX_DEPTH deep."""
    stack = [(list(prefix), data)]
    while stack:
        steps, value = stack.pop()
        if isinstance(value, str):
            if found := forbidden_char(value):
                raise InputError(file, label, _field_path(steps) or "(record)",
                                 f"{found[1]} at character {found[0] + 1}: {CHAR_RULE}")
        elif isinstance(value, dict):
            for key, child in value.items():
                stack.append(([*steps, key], key if isinstance(key, str) else None))
                stack.append(([*steps, key], child))
        elif isinstance(value, list):
            stack.extend(([*steps, i], child) for i, child in enumerate(value))


def validate_record(kind: type[Record], data: Any, file: str, label: str) -> Record:
    if not isinstance(data, dict):
        raise InputError(file, label, None, f"expected a mapping of fields, got {type(data).__name__}")
    try:
        record = kind.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field_name = _field_of(error)
        problem = _problem_of(error)
        if problem.startswith(f"{field_name}: "):
            problem = problem[len(field_name) + 2:]
        raise InputError(file, label, field_name, problem) from None
    # After the field rules (an id with a bidi override is refused by its pattern first).
    check_text(data, file, label)
    return record


def _label(section: str, index: int, data: Any) -> str:
    ident = data.get("id") if isinstance(data, dict) else None
    return f"{section}[{index}]" + (f" (id {ident})" if isinstance(ident, str) else "")


def load_vendor_file(path: Path) -> VendorFacts:
    name = _display(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(name, None, None, "expected a mapping with a 'vendor' section at the top level")
    unknown = sorted(set(data) - {"vendor", *SECTIONS}, key=str)
    if unknown:
        raise InputError(name, None, str(unknown[0]), f"unknown section (expected vendor, {', '.join(SECTIONS)})")
    if "vendor" not in data:
        raise InputError(name, None, "vendor", "required section is missing")
    vendor = validate_record(Vendor, data["vendor"], name, "vendor")
    assert isinstance(vendor, Vendor)
    if path.stem != vendor.id:
        raise InputError(name, "vendor", "id", f"must match the file name ({path.stem!r}), got {vendor.id!r}")
    facts = VendorFacts(path=name, vendor=vendor)
    for section, kind in SECTIONS.items():
        items = data.get(section) or []
        if not isinstance(items, list):
            raise InputError(name, None, section, f"expected a list of records, got {type(items).__name__}")
        facts.records[section] = [
            validate_record(kind, item, name, _label(section, i, item)) for i, item in enumerate(items)
        ]
    return facts


def load_sources(path: Path) -> list[Source]:
    name = _display(path)
    data = read_yaml(path)
    if not isinstance(data, list):
        raise InputError(name, None, None, "expected a list of sources")
    return [validate_record(Source, item, name, _label("sources", i, item)) for i, item in enumerate(data)]


def load_fx_rates(path: Path) -> list[FxRate]:
    name = _display(path)
    rates = []
    text = read_text(path)
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines, start=1):
        if line.startswith("#") and (found := forbidden_char(line)):
            raise InputError(name, f"line {n} (a comment)", None, f"{found[1]} at column {found[0] + 1}: {CHAR_RULE}")
    reader = csv.DictReader(line for line in lines if not line.startswith("#"))
    expected = ["rate_on", "currency", "usd_per_unit", "source"]
    header_read = False
    try:
        if reader.fieldnames != expected:
            raise InputError(name, "header", None, f"expected columns {','.join(expected)}, got {reader.fieldnames}")
        header_read = True
        for i, row in enumerate(reader, start=1):
            label = f"row {i}"
            extra, missing = row.get(None), [k for k in expected if row.get(k) is None]
            if extra or missing:
                raise InputError(name, label, missing[0] if missing else None,
                                 f"expected {len(expected)} columns ({','.join(expected)}), got "
                                 f"{len(expected) + len(extra or []) - len(missing)}")
            for column in expected:
                if found := forbidden_char(row[column]):
                    raise InputError(name, label, column, f"{found[1]} at character {found[0] + 1}: {CHAR_RULE}")
            try:
                value = float(row["usd_per_unit"])
            except (TypeError, ValueError):
                raise InputError(name, label, "usd_per_unit", f"not a number: {row['usd_per_unit'][:40]!r}") from None
            rate = validate_record(FxRate, {**row, "usd_per_unit": value}, name, label)
            assert isinstance(rate, FxRate)
            if rate.currency not in CURRENCIES:
                raise InputError(name, label, "currency", f"unknown currency {rate.currency[:40]!r}")
            rates.append(rate)
    except csv.Error as exc:
        at = f"row {len(rates) + 1}" if header_read else "header"
        raise InputError(name, at, None, f"not valid CSV: {exc}") from None
    return rates


def load_map_rules(path: Path) -> list[MapRule]:
    name = _display(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InputError(name, None, "rules", "expected a mapping with a 'rules' list")
    return [validate_record(MapRule, item, name, f"rules[{i}]") for i, item in enumerate(data["rules"])]


def _provider_list(path: Path, section: str, model: type[Platform] | type[Host]) -> list:
    """The records of vendor_map.yaml's optional `section` (platforms or hosts), each checked with
    `model`; a catalog provider listed twice in the section is refused (InputError naming both)."""
    name = _display(path)
    data = read_yaml(path)
    items = data.get(section) if isinstance(data, dict) else None
    if items is None:
        return []
    if not isinstance(items, list):
        raise InputError(name, None, section, f"expected a list of {section}, got {type(items).__name__}")
    records, seen = [], {}
    for i, item in enumerate(items):
        record = validate_record(model, item, name, f"{section}[{i}]")
        key = (record.source, record.provider.lower())
        if key in seen:
            raise InputError(name, f"{section}[{i}]", "provider",
                             f"{record.source} provider {record.provider!r} is already listed ({section}[{seen[key]}])")
        seen[key] = i
        records.append(record)
    return records


def load_platforms(path: Path) -> list[Platform]:
    """vendor_map.yaml `platforms:` (optional): each maker's own platform in each catalog. A
    provider listed twice for the same catalog is refused."""
    return _provider_list(path, "platforms", Platform)


def load_hosts(path: Path) -> list[Host]:
    """vendor_map.yaml `hosts:` (optional): catalog providers that host or resell other makers'
    models and are no maker's own platform. A provider listed twice for a catalog is refused."""
    return _provider_list(path, "hosts", Host)


def _check_references(base: FactBase) -> None:
    """Cross-record rules: unique ids, known sources, known models in claims and catalog refs."""
    source_ids = {s.id for s in base.sources}
    seen_sources: set[str] = set()
    for s in base.sources:
        if s.id in seen_sources:
            raise InputError("data/sources/sources.yaml", f"id {s.id}", "id", "duplicate id")
        seen_sources.add(s.id)
    vendor_ids: set[str] = set()
    ids: dict[str, dict[str, str]] = {name: {} for name in SECTIONS}
    for vf in base.vendors:
        if vf.vendor.id in vendor_ids:
            raise InputError(vf.path, "vendor", "id", f"duplicate vendor id {vf.vendor.id!r}")
        vendor_ids.add(vf.vendor.id)
        for section, records in [("vendor", [vf.vendor]), *vf.records.items()]:
            for i, record in enumerate(records):
                label = section if section == "vendor" else _label(section, i, record.model_dump())
                assert isinstance(record, Cited)
                cited = [("source", record.source)]
                if isinstance(record, Vendor) and record.profile_source:
                    cited.append(("profile_source", record.profile_source))
                if isinstance(record, FundingRound) and record.amount_usd_source:
                    cited.append(("amount_usd_source", record.amount_usd_source))
                if isinstance(record, FundingRound) and record.parts_source:
                    cited.append(("parts_source", record.parts_source))
                for field_name, source in cited:
                    if source not in source_ids and not re.match(r"^https?://\S+$", source):
                        raise InputError(vf.path, label, field_name,
                                         f"unknown source {source!r}: list it in sources.yaml or give a URL")
                ident = getattr(record, "id", None)
                if section != "vendor" and ident is not None:
                    if ident in ids[section]:
                        raise InputError(vf.path, label, "id",
                                         f"duplicate id (also in {ids[section][ident]})")
                    ids[section][ident] = vf.path
                if isinstance(record, FundingRound) and record.announced_on < vf.vendor.founded_on \
                        and vf.vendor.date_precision == "day" and record.date_precision == "day":
                    raise InputError(vf.path, label, "announced_on",
                                     f"{record.announced_on} is before the vendor was founded ({vf.vendor.founded_on})")
                if isinstance(record, FundingRound) and record.announced_on > record.as_of:
                    raise InputError(vf.path, label, "announced_on",
                                     f"{record.announced_on} is after the date its source states it ({record.as_of})")
    for vf in base.vendors:
        rounds = {r.id: r for r in vf.records.get("funding_rounds", [])}
        for i, v in enumerate(vf.records.get("reported_valuations", [])):
            assert isinstance(v, ReportedValuation)
            known = rounds.get(v.round)
            if known is None or known.post_money_valuation is None:
                raise InputError(vf.path, _label("reported_valuations", i, v.model_dump()), "round",
                                 f"{v.round!r} is no round of this file with a post_money_valuation")
            if v.valuation_currency != (known.valuation_currency or known.currency):
                raise InputError(vf.path, _label("reported_valuations", i, v.model_dump()), "valuation_currency",
                                 f"{v.valuation_currency} differs from the round's valuation currency "
                                 f"({known.valuation_currency or known.currency})")
    model_ids = set(ids["models"])
    for vf in base.vendors:
        for i, claim in enumerate(vf.records.get("claims", [])):
            assert isinstance(claim, Claim)
            label = _label("claims", i, claim.model_dump())
            known = model_ids if claim.metric in MODEL_CLAIMS else vendor_ids
            if claim.subject not in known:
                raise InputError(vf.path, label, "subject", f"unknown {'model' if known is model_ids else 'vendor'} {claim.subject!r}")
            if claim.reference is not None and claim.reference not in model_ids:
                raise InputError(vf.path, label, "reference", f"unknown model {claim.reference!r}")
    for i, rule in enumerate(base.map_rules):
        if rule.vendor_id is not None and rule.vendor_id not in vendor_ids:
            raise InputError("data/sources/vendor_map.yaml", f"rules[{i}]", "vendor_id",
                             f"unknown vendor {rule.vendor_id!r}")
    for i, platform in enumerate(base.platforms):
        if platform.vendor_id is not None and platform.vendor_id not in vendor_ids:
            raise InputError("data/sources/vendor_map.yaml", f"platforms[{i}]", "vendor_id",
                             f"unknown vendor {platform.vendor_id!r}")
    own = {(p.source, p.provider.lower()): i for i, p in enumerate(base.platforms)}
    for i, host in enumerate(base.hosts):
        if (host.source, host.provider.lower()) in own:
            raise InputError("data/sources/vendor_map.yaml", f"hosts[{i}]", "provider",
                             f"{host.source} provider {host.provider!r} is also a maker's own platform "
                             f"(platforms[{own[(host.source, host.provider.lower())]}]): it is one or the other")
    for vf in base.vendors:
        for i, model in enumerate(vf.records.get("models", [])):
            assert isinstance(model, Model)
            if model.list_price is not None and model.list_price.source not in source_ids \
                    and not re.match(r"^https?://\S+$", model.list_price.source):
                raise InputError(vf.path, _label("models", i, model.model_dump()), "list_price.source",
                                 f"unknown source {model.list_price.source!r}: list it in sources.yaml or give a URL")


LAYOUT = ("a folder laid out like data/sources: vendors/<vendor_id>.yaml, sources.yaml, fx_rates.csv, "
          "vendor_map.yaml, litellm/")


def vendor_files(sources_dir: Path) -> list[Path]:
    """The vendor files of a sources folder, after checking its layout: every entry of vendors/
    is a `<vendor_id>.yaml` file (anything else is refused, never skipped)."""
    where = _display(sources_dir)
    if not sources_dir.exists():
        raise InputError(where, None, None, f"no vendor files: this folder does not exist (expected {LAYOUT})")
    if not sources_dir.is_dir():
        raise InputError(where, None, None, f"no vendor files: this is a file, not a folder (expected {LAYOUT})")
    vendor_dir = sources_dir / "vendors"
    if not vendor_dir.is_dir():
        raise InputError(where, None, None, f"no vendor files: no vendors/ folder in it (expected {LAYOUT})")
    files = []
    for entry in sorted(vendor_dir.iterdir()):
        name = _display(entry)
        if entry.suffix.lower() in (".yml", ".yaml") and entry.suffix != ".yaml":
            raise InputError(name, None, None, f"vendor files end in .yaml: rename it {entry.stem}.yaml "
                                               "(it would be skipped)")
        if entry.suffix != ".yaml":
            raise InputError(name, None, None, "not a vendor file: vendors/ holds only <vendor_id>.yaml files "
                                               "(move it elsewhere; it would be skipped)")
        if not entry.is_file():
            raise InputError(name, None, None, "not a regular file: vendors/ holds only <vendor_id>.yaml files")
        files.append(entry)
    if not files:
        raise InputError(_display(vendor_dir), None, None, "no vendor files (*.yaml) found")
    return files


def _check_stray_files(sources_dir: Path) -> None:
    """Files the loaders would skip: a .yml beside the .yaml files they read."""
    for folder in (sources_dir, sources_dir / "litellm"):
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.suffix.lower() in (".yml", ".yaml") and entry.suffix != ".yaml":
                raise InputError(_display(entry), None, None, f"YAML files here end in .yaml: rename it "
                                                              f"{entry.stem}.yaml or remove it (it would be skipped)")


def load_facts(sources_dir: Path) -> FactBase:
    """Load and check every curated fact file under `sources_dir`."""
    files = vendor_files(sources_dir)
    _check_stray_files(sources_dir)
    base = FactBase(
        sources=load_sources(sources_dir / "sources.yaml"),
        vendors=[load_vendor_file(p) for p in files],
        fx_rates=load_fx_rates(sources_dir / "fx_rates.csv"),
        map_rules=load_map_rules(sources_dir / "vendor_map.yaml"),
        platforms=load_platforms(sources_dir / "vendor_map.yaml"),
        hosts=load_hosts(sources_dir / "vendor_map.yaml"),
        files=[sources_dir / "sources.yaml", *files, sources_dir / "fx_rates.csv", sources_dir / "vendor_map.yaml"],
    )
    _check_references(base)
    return base
