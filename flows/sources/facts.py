"""Curated vendor facts: the schema of the YAML files in data/sources/ and their loader.

Every record names its source (an id listed in sources.yaml, or an http(s) URL) and the date the
source states it (`as_of`). The loader refuses the whole fact base on the first bad record, with a
message naming the file, the record and the field, so that nothing half-checked is published.
"""

from __future__ import annotations

import csv
import re
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


def _iso_date(value: Any) -> Any:
    """Accept a YAML date or a 'YYYY-MM-DD' string; refuse numbers, timestamps and other layouts."""
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

    @model_validator(mode="after")
    def _profile_cited(self) -> Vendor:
        if (self.profile_source is None) != (self.profile_as_of is None):
            missing = "profile_as_of" if self.profile_as_of is None else "profile_source"
            raise ValueError(f"{missing}: profile_source and profile_as_of go together")
        return self


class Headcount(Cited):
    employees: Annotated[int, Field(gt=0, lt=10_000_000)]


class ReportedTotal(Cited):
    amount_usd: Money


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
    is_down_round: bool = False
    lead_investors: list[NonEmpty] = []
    investors: list[NonEmpty] = []

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

    @model_validator(mode="after")
    def _params(self) -> Model:
        if self.total_params_b and self.active_params_b and self.active_params_b > self.total_params_b:
            raise ValueError("active_params_b: cannot exceed total_params_b")
        if self.architecture == "dense" and self.total_params_b and self.active_params_b \
                and self.active_params_b != self.total_params_b:
            raise ValueError("active_params_b: a dense model activates all its parameters")
        return self


class Claim(Cited):
    id: Slug
    text: NonEmpty
    metric: Literal["price_ratio", "switch_saving", "total_funding_usd", "post_money_valuation_usd"]
    # Which price a price claim compares; None when the claim does not say ("1/5 the cost").
    price_component: Literal["input", "output", "blended"] | None = None
    comparison: Literal["equal", "at_least", "at_most"] = "equal"
    subject: Slug
    reference: Slug | None = None
    stated_value: Annotated[float, Field(allow_inf_nan=False)]
    tolerance: Annotated[float, Field(gt=0, le=1)] | None = None

    @model_validator(mode="after")
    def _reference(self) -> Claim:
        if self.metric in ("price_ratio", "switch_saving") and not self.reference:
            raise ValueError(f"reference: a {self.metric} claim names the reference model")
        return self


class VendorFile(Record):
    vendor: dict
    headcount: list[dict] = []
    reported_funding_totals: list[dict] = []
    funding_rounds: list[dict] = []
    revenue_estimates: list[dict] = []
    plans: list[dict] = []
    models: list[dict] = []
    claims: list[dict] = []


SECTIONS: dict[str, type[Record]] = {
    "headcount": Headcount,
    "reported_funding_totals": ReportedTotal,
    "funding_rounds": FundingRound,
    "revenue_estimates": RevenueEstimate,
    "plans": Plan,
    "models": Model,
    "claims": Claim,
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

    def section(self, name: str) -> list[tuple[str, Record]]:
        """(vendor_id, record) pairs of one section across all vendors, in file order."""
        return [(v.vendor.id, r) for v in self.vendors for r in v.records.get(name, [])]


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML loader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path) -> str:
    """A source file's text, or one clear error naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(_display(path), None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(_display(path), None, None, f"cannot read file: {exc.strerror}") from None


def read_yaml(path: Path) -> Any:
    name = _display(path)
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(name, None, None, f"YAML syntax error: {where}{problem}") from None


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
    if error["type"] not in ("value_error",) and not isinstance(given, (dict, list)):
        message += f" (got {given!r})"
    return message


def validate_record(kind: type[Record], data: Any, file: str, label: str) -> Record:
    if not isinstance(data, dict):
        raise InputError(file, label, None, f"expected a mapping of fields, got {type(data).__name__}")
    try:
        return kind.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field_name = _field_of(error)
        problem = _problem_of(error)
        if problem.startswith(f"{field_name}: "):
            problem = problem[len(field_name) + 2:]
        raise InputError(file, label, field_name, problem) from None


def _label(section: str, index: int, data: Any) -> str:
    ident = data.get("id") if isinstance(data, dict) else None
    return f"{section}[{index}]" + (f" (id {ident})" if isinstance(ident, str) else "")


def load_vendor_file(path: Path) -> VendorFacts:
    name = _display(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(name, None, None, "expected a mapping with a 'vendor' section at the top level")
    unknown = sorted(set(data) - {"vendor", *SECTIONS})
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
    reader = csv.DictReader(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    expected = ["rate_on", "currency", "usd_per_unit", "source"]
    if reader.fieldnames != expected:
        raise InputError(name, "header", None, f"expected columns {','.join(expected)}, got {reader.fieldnames}")
    for i, row in enumerate(reader, start=1):
        label = f"row {i}"
        extra, missing = row.get(None), [k for k in expected if row.get(k) is None]
        if extra or missing:
            raise InputError(name, label, missing[0] if missing else None,
                             f"expected {len(expected)} columns ({','.join(expected)}), got "
                             f"{len(expected) + len(extra or []) - len(missing)}")
        try:
            value = float(row["usd_per_unit"])
        except (TypeError, ValueError):
            raise InputError(name, label, "usd_per_unit", f"not a number: {row['usd_per_unit']!r}") from None
        rate = validate_record(FxRate, {**row, "usd_per_unit": value}, name, label)
        assert isinstance(rate, FxRate)
        if rate.currency not in CURRENCIES:
            raise InputError(name, label, "currency", f"unknown currency {rate.currency!r}")
        rates.append(rate)
    return rates


def load_map_rules(path: Path) -> list[MapRule]:
    name = _display(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InputError(name, None, "rules", "expected a mapping with a 'rules' list")
    return [validate_record(MapRule, item, name, f"rules[{i}]") for i, item in enumerate(data["rules"])]


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
    model_ids = set(ids["models"])
    for vf in base.vendors:
        for i, claim in enumerate(vf.records.get("claims", [])):
            assert isinstance(claim, Claim)
            label = _label("claims", i, claim.model_dump())
            known = model_ids if claim.metric in ("price_ratio", "switch_saving") else vendor_ids
            if claim.subject not in known:
                raise InputError(vf.path, label, "subject", f"unknown {'model' if known is model_ids else 'vendor'} {claim.subject!r}")
            if claim.reference is not None and claim.reference not in model_ids:
                raise InputError(vf.path, label, "reference", f"unknown model {claim.reference!r}")
    for i, rule in enumerate(base.map_rules):
        if rule.vendor_id is not None and rule.vendor_id not in vendor_ids:
            raise InputError("data/sources/vendor_map.yaml", f"rules[{i}]", "vendor_id",
                             f"unknown vendor {rule.vendor_id!r}")


def load_facts(sources_dir: Path) -> FactBase:
    """Load and check every curated fact file under `sources_dir`."""
    vendor_dir = sources_dir / "vendors"
    files = sorted(vendor_dir.glob("*.yaml"))
    if not files:
        raise InputError(_display(vendor_dir), None, None, "no vendor files (*.yaml) found")
    base = FactBase(
        sources=load_sources(sources_dir / "sources.yaml"),
        vendors=[load_vendor_file(p) for p in files],
        fx_rates=load_fx_rates(sources_dir / "fx_rates.csv"),
        map_rules=load_map_rules(sources_dir / "vendor_map.yaml"),
        files=[sources_dir / "sources.yaml", *files, sources_dir / "fx_rates.csv", sources_dir / "vendor_map.yaml"],
    )
    _check_references(base)
    return base
