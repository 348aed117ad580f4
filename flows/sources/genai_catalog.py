"""The genai-prices catalog flattened into dated price periods.

genai-prices resolves a model's price at a timestamp by trying its conditional prices last to
first and taking the first active one (falling back to the first entry). We evaluate that rule
once per date interval between consecutive `StartDateConstraint` dates and, inside a day, once per
time-of-day segment between `TimeOfDateConstraint` bounds. Equal consecutive intervals merge, so
each period is one row whose price agrees with `genai_prices.calc_price` on every day it covers.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib.metadata import version

from genai_prices import data as gp_data
from genai_prices.types import ModelInfo, ModelPrice, StartDateConstraint, TieredPrices, TimeOfDateConstraint

from flows.errors import InputError
from flows.sources.facts import forbidden_char

MAIN_KEYS = ("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok")
_EPOCH = date(1970, 1, 1)
# The same bounds as for LiteLLM prices (litellm_catalog.MIN/MAX_USD_PER_TOKEN), per million tokens.
MIN_USD_PER_MTOK = 1e-6
MAX_USD_PER_MTOK = 10_000.0
MAX_TEXT = 2000


def snapshot_id() -> str:
    """The installed genai-prices version identifies the catalog snapshot."""
    return f"genai-prices=={version('genai-prices')}"


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


def _main_segment(segments: list[tuple[time | None, time | None, ModelPrice]]) -> int:
    """The standard (peak) segment: the highest input price, then output price, then the longest."""
    def length(s: tuple) -> float:
        if s[0] is None:
            return 24.0
        start = s[0].hour + s[0].minute / 60
        end = s[1].hour + s[1].minute / 60
        return (end - start) % 24 or 24.0

    def key(i: int) -> tuple:
        p = segments[i][2]
        return (_num(p.input_mtok) or 0.0, _num(p.output_mtok) or 0.0, length(segments[i]))

    return max(range(len(segments)), key=key)


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


def flatten(providers: list | None = None) -> dict[str, list[dict]]:
    """Rows for the raw genai-prices tables, keyed by table name."""
    providers = gp_data.providers if providers is None else providers
    snap = snapshot_id()
    for provider in providers:
        for model in provider.models:
            check_model(snap, provider, model)
    out: dict[str, list[dict]] = {k: [] for k in ("providers", "models", "prices", "components", "tiers", "variants")}
    for provider in providers:
        out["providers"].append({
            "snapshot": snap, "provider_id": provider.id, "provider_name": provider.name,
            "pricing_url": (provider.pricing_urls or [None])[0],
        })
        for model in provider.models:
            out["models"].append({
                "snapshot": snap, "provider_id": provider.id, "model_id": model.id, "model_name": model.name,
                "context_window": model.context_window, "is_deprecated": bool(model.deprecated),
                "price_comments": model.price_comments,
            })
            for valid_from, valid_to, segments in _periods(model):
                main = _main_segment(segments)
                for i, (start, end, price) in enumerate(segments):
                    items = _price_items(price)
                    out["prices"].append({
                        "snapshot": snap, "provider_id": provider.id, "model_id": model.id,
                        "valid_from": valid_from, "valid_to": valid_to,
                        "time_from": start, "time_to": end, "is_main": i == main,
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
