"""The genai-prices catalog flattened into dated price periods, per snapshot of the catalog.

genai-prices resolves a model's price at a timestamp by trying its conditional prices last to
first and taking the first active one (falling back to the first entry). We evaluate that rule
once per date interval between consecutive `StartDateConstraint` dates and, inside a day, once per
time-of-day segment between `TimeOfDateConstraint` bounds. Equal consecutive intervals merge, so
each period is one row whose price agrees with `genai_prices.calc_price` on every day it covers.
Inside a day, the standard price is the one in force for the largest share of the day; the other
windows are peak or off-peak against it (`_classify`).

A snapshot is either the installed package's data (`package_snapshot`, the offline default,
dated the day its wheel was uploaded to PyPI) or a data file genai-prices publishes between
releases (`parse`: the JSON list of providers at `genai_prices.update_prices.DEFAULT_UPDATE_URL`,
the format its `UpdatePrices` reads), dated by whoever loads it. The installed package is
trusted as shipped: a bad value refuses it (policy block). In a fetched file, a model that does
not validate or breaks the same rules is quarantined with its field and reason, and the rest loads.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

from genai_prices import data as gp_data
from genai_prices.types import ModelInfo, ModelPrice, StartDateConstraint, TieredPrices, TimeOfDateConstraint

from flows.errors import InputError
from flows.settings import ROOT
from flows.sources.facts import FORBIDDEN_CHARS, decode_text, forbidden_char

MAIN_KEYS = ("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok")
_EPOCH = date(1970, 1, 1)
# The same bounds as for LiteLLM prices (litellm_catalog.MIN/MAX_USD_PER_TOKEN), per million tokens.
MIN_USD_PER_MTOK = 1e-6
MAX_USD_PER_MTOK = 10_000.0
MAX_TEXT = 2000
# Bumped whenever flattening yields different rows for the same data: fetched snapshots parsed by
# an older version are parsed again from their stored bytes (raw.genai_prices__files).
PARSER_VERSION = 2
TABLES = ("providers", "models", "prices", "components", "tiers", "variants", "quarantine")


def snapshot_id() -> str:
    """The installed genai-prices version identifies the catalog snapshot."""
    return f"genai-prices=={version('genai-prices')}"


def package_release_date(lock: Path = ROOT / "uv.lock") -> date:
    """The day the installed genai-prices version was uploaded to PyPI (its `upload-time` in
    uv.lock, which pins it); 1970-01-01 (before any fetched snapshot) when the lock does not say."""
    installed = version("genai-prices")
    try:
        packages = tomllib.loads(lock.read_text(encoding="utf-8")).get("package", [])
    except (OSError, tomllib.TOMLDecodeError):
        return _EPOCH
    for package in packages:
        if package.get("name") == "genai-prices" and package.get("version") == installed:
            times = [f["upload-time"] for f in [*package.get("wheels", []), package.get("sdist") or {}]
                     if isinstance(f.get("upload-time"), str)]
            if times:
                return date.fromisoformat(min(times)[:10])
    return _EPOCH


@dataclass
class Snapshot:
    """One snapshot of the catalog: its rows for the raw.genai_prices__* tables (TABLES)."""
    snapshot: str
    as_of: date
    sha256: str
    source_uri: str
    version: str | None
    tables: dict[str, list[dict]]
    content: bytes | None = field(default=None, repr=False)  # a fetched file's bytes, kept to parse it again

    def counts(self) -> dict[str, int]:
        """Models priced per token (an input or output price in some period), quarantined, and
        without a token price (priced per image, request or second only)."""
        priced = {(r["provider_id"], r["model_id"]) for r in self.tables["prices"]
                  if r["input_mtok"] is not None or r["output_mtok"] is not None}
        models = {(r["provider_id"], r["model_id"]) for r in self.tables["models"]}
        return {"provider_count": len(self.tables["providers"]), "model_count": len(models),
                "priced_count": len(priced), "quarantined_count": len(self.tables["quarantine"]),
                "no_token_price_count": len(models - priced)}

    def row(self) -> dict:
        return {"snapshot": self.snapshot, "as_of": self.as_of, "sha256": self.sha256, "source_uri": self.source_uri,
                "version": self.version, **self.counts(), "parser_version": PARSER_VERSION}


def package_snapshot() -> Snapshot:
    """The installed package's data, dated its release day (refused whole if a value is bad)."""
    data_file = Path(gp_data.__file__)
    sha = hashlib.sha256(data_file.read_bytes()).hexdigest()
    snap = snapshot_id()
    return Snapshot(snapshot=snap, as_of=package_release_date(), sha256=sha,
                    source_uri=f"{snap} (installed package)", version=version("genai-prices"),
                    tables=flatten(gp_data.providers, snap))


def _num(value: Decimal | TieredPrices | None) -> float | None:
    if value is None:
        return None
    return float(value.base if isinstance(value, TieredPrices) else value)


def _utc_time(t: time) -> time:
    if t.tzinfo is None:
        return t
    return datetime.combine(_EPOCH, t).astimezone(UTC).time()


def _resolve(model: ModelInfo, when: datetime) -> ModelPrice:
    """The package's own resolution rule (ModelInfo.get_prices without request context)."""
    return model.get_prices(when)


def _price_items(price: ModelPrice) -> dict[str, Decimal | TieredPrices]:
    return {k: v for k, v in price.__dict__.items() if v is not None and not k.startswith("_")}


def _segments(model: ModelInfo, day: date) -> list[tuple[time | None, time | None, ModelPrice]]:
    """Time-of-day segments of one day: (start, end, prices); a single (None, None, p) if none."""
    conditions = model.prices if isinstance(model.prices, list) else []
    bounds = sorted({
        _utc_time(t)
        for c in conditions if isinstance(c.constraint, TimeOfDateConstraint)
        for t in (c.constraint.start_time, c.constraint.end_time)
    })
    if not bounds:
        return [(None, None, _resolve(model, datetime.combine(day, time(12), UTC)))]
    if bounds[0] != time(0):
        bounds.insert(0, time(0))
    segments = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else time(0)
        price = _resolve(model, datetime.combine(day, start, UTC))
        if segments and _price_items(segments[-1][2]) == _price_items(price):
            segments[-1] = (segments[-1][0], end, price)
        else:
            segments.append((start, end, price))
    # A segment that runs to midnight and one from midnight with the same price are one window.
    if len(segments) > 1 and _price_items(segments[0][2]) == _price_items(segments[-1][2]):
        segments[0] = (segments[-1][0], segments[0][1], segments[0][2])
        segments.pop()
    return segments


def _hours(segment: tuple) -> float:
    """How many hours of the day a segment covers (it may wrap past midnight)."""
    if segment[0] is None:
        return 24.0
    start = segment[0].hour + segment[0].minute / 60 + segment[0].second / 3600
    end = segment[1].hour + segment[1].minute / 60 + segment[1].second / 3600
    return (end - start) % 24 or 24.0


def _price_key(price: ModelPrice) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in _price_items(price).items()))


def _rank(price: ModelPrice) -> tuple[float, float]:
    return (_num(price.input_mtok) or 0.0, _num(price.output_mtok) or 0.0)


def _classify(segments: list[tuple[time | None, time | None, ModelPrice]]) -> tuple[int, list[str | None]]:
    """(index of the main segment, time-of-day kind of each segment).

    The standard price is the one in force for the largest share of the day (summed over its
    windows; on a tie, the dearer); the main segment is its longest window, the one price_history
    shows. The other windows are `peak` when dearer than the standard price (input price, then
    output price), `off-peak` otherwise. A price without time-of-day windows has kind None."""
    if len(segments) == 1 and segments[0][0] is None:
        return 0, [None]
    share: dict[tuple, float] = {}
    for seg in segments:
        share[_price_key(seg[2])] = share.get(_price_key(seg[2]), 0.0) + _hours(seg)
    standard = max(segments, key=lambda seg: (share[_price_key(seg[2])], _rank(seg[2])))[2]
    main = max((i for i, seg in enumerate(segments) if _price_key(seg[2]) == _price_key(standard)),
               key=lambda i: (_hours(segments[i]), -i))
    kinds = ["standard" if _price_key(seg[2]) == _price_key(standard)
             else "peak" if _rank(seg[2]) > _rank(standard) else "off-peak" for seg in segments]
    return main, kinds


def _periods(model: ModelInfo) -> list[tuple[date | None, date | None, list]]:
    """Date periods (valid_from inclusive or None, valid_to exclusive or None, segments)."""
    conditions = model.prices if isinstance(model.prices, list) else []
    starts = sorted({c.constraint.start_date for c in conditions if isinstance(c.constraint, StartDateConstraint)})
    # The interval before the first start date is evaluated one day before it.
    probes: list[tuple[date | None, date]] = [(None, (starts[0] - timedelta(days=1)) if starts else date(2000, 1, 1))]
    probes += [(d, d) for d in starts]
    periods: list[tuple[date | None, date | None, list]] = []
    for valid_from, probe in probes:
        segments = _segments(model, probe)
        if periods and _signature(periods[-1][2]) == _signature(segments):
            continue
        if periods:
            periods[-1] = (periods[-1][0], valid_from, periods[-1][2])
        periods.append((valid_from, None, segments))
    return periods


def _signature(segments: list) -> list:
    return [(s, e, _price_items(p)) for s, e, p in segments]


def _price_problem(key: str, value: Decimal) -> str | None:
    if not isinstance(value, Decimal) or not value.is_finite():
        return f"not a finite number: {value!r}"
    if value < 0:
        return f"negative price {value}"
    as_float = float(value)
    if key.endswith("_mtok") and value != 0 and abs(as_float) < MIN_USD_PER_MTOK:
        return f"implausibly small price {value} USD per million tokens (below {MIN_USD_PER_MTOK}: it would read as free)"
    if math.isinf(as_float) or (key.endswith("_mtok") and as_float > MAX_USD_PER_MTOK):
        return f"implausible price {value} USD per million tokens (above {MAX_USD_PER_MTOK:.0f})"
    return None


def check_model(snap: str, provider, model: ModelInfo) -> None:
    """Refuse (the catalog's policy is block: it ships inside a pinned package) a model whose text
    holds control, bidi or invisible characters, or whose prices are not finite, negative, or
    outside the bounds applied to LiteLLM prices."""
    record = f"{provider.id}/{model.id}"[:200]
    texts = [("provider_id", provider.id), ("provider_name", provider.name),
             ("pricing_url", (provider.pricing_urls or [None])[0]), ("model_id", model.id),
             ("model_name", model.name), ("price_comments", model.price_comments)]
    for variant in model.price_variants or []:
        texts += [("price_variants.when", f"{k}={v}") for k, v in variant.when.items()]
    for name, text in texts:
        if text is None:
            continue
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise InputError(snap, record, name, f"expected text of at most {MAX_TEXT} characters")
        if found := forbidden_char(text):
            raise InputError(snap, record, name, f"{found[1]} at character {found[0] + 1}: control, bidi and "
                                                 "invisible characters are not allowed")
    conditions = model.prices if isinstance(model.prices, list) else [model]
    prices = [c.prices for c in conditions] + [v.prices for v in model.price_variants or []]
    for price in prices:
        for key, value in _price_items(price).items():
            values = [value.base, *(t.price for t in value.tiers)] if isinstance(value, TieredPrices) else [value]
            for v in values:
                if problem := _price_problem(key, v):
                    raise InputError(snap, record, key, problem)
            if isinstance(value, TieredPrices):
                for tier in value.tiers:
                    if not isinstance(tier.start, int) or not 0 < tier.start <= 10**10:
                        raise InputError(snap, record, key, f"implausible tier threshold {tier.start!r} tokens")


def flatten(providers: list | None = None, snapshot: str | None = None,
            quarantine: list[dict] | None = None) -> dict[str, list[dict]]:
    """Rows for the raw genai-prices tables, keyed by table name (TABLES).

    snapshot: the id the rows carry (default: the installed package's). quarantine: None refuses
    the whole catalog at a model that fails check_model (InputError); a list gets one row per such
    model (provider_id, model_id, field, reason), the model left out, the rest flattened."""
    providers = gp_data.providers if providers is None else providers
    snap = snapshot or snapshot_id()
    refused: list[dict] = []
    kept = []
    for provider in providers:
        good = []
        for model in provider.models:
            try:
                check_model(snap, provider, model)
            except InputError as exc:
                if quarantine is None:
                    raise
                refused.append({"provider_id": _visible(provider.id), "model_id": _visible(model.id),
                                "field": exc.field or "(model)", "reason": exc.problem})
                continue
            good.append(model)
        kept.append((provider, good))
    out: dict[str, list[dict]] = {k: [] for k in TABLES}
    out["quarantine"] = [{"snapshot": snap, **q} for q in [*(quarantine or []), *refused]]
    for provider, models in kept:
        out["providers"].append({
            "snapshot": snap, "provider_id": provider.id, "provider_name": provider.name,
            "pricing_url": (provider.pricing_urls or [None])[0],
        })
        for model in models:
            out["models"].append({
                "snapshot": snap, "provider_id": provider.id, "model_id": model.id, "model_name": model.name,
                "context_window": model.context_window, "is_deprecated": bool(model.deprecated),
                "price_comments": model.price_comments,
            })
            for valid_from, valid_to, segments in _periods(model):
                main, kinds = _classify(segments)
                for i, (start, end, price) in enumerate(segments):
                    items = _price_items(price)
                    out["prices"].append({
                        "snapshot": snap, "provider_id": provider.id, "model_id": model.id,
                        "valid_from": valid_from, "valid_to": valid_to,
                        "time_from": start, "time_to": end, "is_main": i == main, "time_of_day_kind": kinds[i],
                        **{k: _num(items.get(k)) for k in MAIN_KEYS},
                        "is_tiered": any(isinstance(v, TieredPrices) for v in items.values()),
                    })
                    for key, value in items.items():
                        if i == main:
                            out["components"].append({
                                "snapshot": snap, "provider_id": provider.id, "model_id": model.id,
                                "valid_from": valid_from, "price_key": key, "price": _num(value),
                                "is_tiered": isinstance(value, TieredPrices),
                            })
                        if isinstance(value, TieredPrices):
                            for tier in value.tiers:
                                out["tiers"].append({
                                    "snapshot": snap, "provider_id": provider.id, "model_id": model.id,
                                    "valid_from": valid_from, "time_from": start, "price_key": key,
                                    "base_price": float(value.base), "tier_start_tokens": tier.start,
                                    "tier_price": float(tier.price),
                                })
            for variant in model.price_variants or []:
                constraint = variant.constraint
                for key, value in _price_items(variant.prices).items():
                    out["variants"].append({
                        "snapshot": snap, "provider_id": provider.id, "model_id": model.id,
                        "condition": ",".join(f"{k}={v}" for k, v in sorted(variant.when.items())),
                        "starts_on": constraint.start_date if isinstance(constraint, StartDateConstraint) else None,
                        "price_key": key, "price": _num(value), "is_tiered": isinstance(value, TieredPrices),
                    })
    return out


def _visible(text: Any) -> str:
    """`text` with every refused character written as an escape (\\u202e), cut to 300 characters."""
    text = str(text)[:300]
    return FORBIDDEN_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000
                               else f"\\U{ord(m.group()):08x}", text)


def _validation_problem(exc: Exception) -> tuple[str, str]:
    """(field, reason) of the first error pydantic (or genai-prices' normalization) reports."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        loc = [str(p) for p in first.get("loc", ()) if not isinstance(p, int)]
        shown = repr(first.get("input"))[:60] if "input" in first else ""
        return _visible(".".join(loc[-3:]) or "(model)"), _visible(f"{first.get('msg', 'invalid')}: {shown}".rstrip(": "))
    return "(model)", _visible(f"{type(exc).__name__}: {exc}")


def _validate(raw_providers: list) -> list:
    from genai_prices.types import _providers_from_raw  # the reader UpdatePrices.fetch uses

    return _providers_from_raw(raw_providers)


def parse(raw: bytes, as_of: date, source_uri: str, snapshot: str | None = None) -> Snapshot:
    """A genai-prices data file (a JSON list of providers, as published at DEFAULT_UPDATE_URL) as
    a dated snapshot. A file that is not such a list, or holds no usable model, is refused
    (InputError); a provider or model that does not validate, or fails check_model, is quarantined."""
    sha = hashlib.sha256(raw).hexdigest()
    text = decode_text(raw, source_uri)
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(source_uri, None, None, "nested too deep to be a genai-prices data file") from None
    except json.JSONDecodeError as exc:
        raise InputError(source_uri, None, None,
                         f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(data, list):
        raise InputError(source_uri, None, None, f"expected a JSON list of providers (the genai-prices data "
                                                 f"file format), got {type(data).__name__}")
    snap = snapshot or f"genai-prices@{as_of.isoformat()}#{sha[:12]}"
    try:
        providers = _validate(data)
        quarantine: list[dict] = []
    except Exception:  # noqa: BLE001 - some provider or model is bad: find which, one by one
        providers, quarantine = _validate_each(data)
    ids = [p.id for p in providers]
    unique = []
    for provider in providers:
        if ids.count(provider.id) > 1 and provider is not next(p for p in providers if p.id == provider.id):
            quarantine.append({"provider_id": _visible(provider.id), "model_id": None, "field": "id",
                               "reason": "provider id given twice in the file"})
            continue
        seen: set[str] = set()
        models = []
        for model in provider.models:
            if model.id in seen:
                quarantine.append({"provider_id": _visible(provider.id), "model_id": _visible(model.id), "field": "id",
                                   "reason": "model id given twice in the provider"})
                continue
            seen.add(model.id)
            models.append(model)
        provider.models = models
        unique.append(provider)
    tables = flatten(unique, snap, quarantine)
    if not tables["models"]:
        raise InputError(source_uri, None, None, "the file holds no usable model")
    return Snapshot(snapshot=snap, as_of=as_of, sha256=sha, source_uri=source_uri, version=None,
                    tables=tables, content=raw)


def load_path(path: Path, as_of: date, source_uri: str | None = None) -> Snapshot:
    """A genai-prices data file on disk (.json or .json.gz) as a snapshot dated `as_of`."""
    from flows.sources.litellm_catalog import read_bytes

    return parse(read_bytes(path, source_uri), as_of, source_uri or str(path))


def _validate_each(data: list) -> tuple[list, list[dict]]:
    """The providers and models of `data` that validate, and a quarantine row for each that does not."""
    providers, quarantine = [], []
    for i, item in enumerate(data, start=1):
        pid = item.get("id") if isinstance(item, dict) else None
        label = _visible(pid) if isinstance(pid, str) else f"#{i}"
        models = item.get("models") if isinstance(item, dict) else None
        try:
            if not isinstance(models, list):
                raise ValueError("expected a provider object with a list of models")
            shell = _validate([{**item, "models": []}])[0]
        except Exception as exc:  # noqa: BLE001 - pydantic's and genai-prices' own errors
            field_name, reason = _validation_problem(exc)
            quarantine.append({"provider_id": label, "model_id": None,
                               "field": "(provider)" if field_name == "(model)" else field_name,
                               "reason": f"provider does not validate: {reason}"})
            continue
        good = []
        for j, raw_model in enumerate(models, start=1):
            mid = raw_model.get("id") if isinstance(raw_model, dict) else None
            try:
                good.append(_validate([{**item, "models": [raw_model]}])[0].models[0])
            except Exception as exc:  # noqa: BLE001
                field_name, reason = _validation_problem(exc)
                quarantine.append({"provider_id": label, "model_id": _visible(mid) if isinstance(mid, str) else f"#{j}",
                                   "field": field_name, "reason": reason})
        shell.models = good
        providers.append(shell)
    return providers, quarantine
