"""The one number and date format of the product: money, list prices, shares, ratios, dates.

Every figure a briefing, a log line or a data-quality message prints goes through these
functions, so that "$2.00B" reads the same everywhere. Missing values (None, NaN, infinite)
print as an en dash. The policy:
- money: $8,313 under $1M, $113M, $2.00B (two decimals under $100B), $852B, $1.20T; the unit is
  chosen after rounding, so 999.5M reads $1.00B, never $1,000M;
- list prices: two decimals ($0.40), three where set to a tenth of a cent ($0.125), three for a
  non-zero price under half a cent ($0.004), "<$0.001" below that: a price never reads as free;
- ratios: 0.20 (1/5) under 1, 1.85x from 1;
- never scientific notation; rounding is half away from zero, as the charts' number format.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def _exact(value: float) -> Decimal:
    """The value as a Decimal: an int exactly, a float as its shortest repr (0.1 -> 0.1)."""
    return Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))


def half_up(value: float, digits: int) -> Decimal:
    # Half away from zero, as the charts' number format rounds: $8,312.50 reads $8,313 everywhere.
    rounded = _exact(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded  # never "-0"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _decimal_text(value: Decimal) -> str:
    """A Decimal with thousands separators, never in scientific notation: 1,234.50."""
    return f"{value:,f}"


# (suffix, scale) from the largest; an amount is shown in the largest unit it reaches once rounded.
_UNITS = (("T", Decimal(10) ** 12), ("B", Decimal(10) ** 9), ("M", Decimal(10) ** 6), ("", Decimal(1)))


def usd(value: float | None, digits: int = 2) -> str:
    """A USD amount, half up: $8,313, $118M, $13.80B (`digits` decimals under $100B), $852B
    (`digits` - 2 decimals from $100B), $1.20T (`digits` decimals); the unit is chosen after
    rounding ($999.5M reads $1.00B); amounts under $1 in cents ($0.42, "<$0.01"); "–" when missing."""
    if _missing(value):
        return "–"
    exact = abs(_exact(value))
    sign = "-" if value < 0 else ""
    if exact < 1:
        cents = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if cents == 0:
            return f"{sign}<$0.01" if exact > 0 else "$0"
        if cents < 1:
            return f"{sign}${cents}"
    for i, (suffix, scale) in enumerate(_UNITS):
        if exact < scale and suffix:
            continue
        places = digits if suffix in ("T", "B") else 0
        if suffix == "B" and exact >= 100 * scale:
            places = max(digits - 2, 0)
        shown = (exact / scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if i > 0 and shown * scale >= _UNITS[i - 1][1]:  # rounds up into the next unit: $1,000M reads $1.00B
            suffix, scale = _UNITS[i - 1]
            places = digits if suffix in ("T", "B") else 0
            shown = (exact / scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        elif suffix == "B" and shown >= 100 and places == digits:  # $99.996B reads $100B
            shown = (exact / scale).quantize(Decimal(1).scaleb(-max(digits - 2, 0)), rounding=ROUND_HALF_UP)
        return f"{sign}${_decimal_text(shown)}{suffix}"
    raise AssertionError("unreachable")


def price(value: float | None) -> str:
    """A list price (USD per million tokens): two decimals, three for a price set to a tenth of a
    cent ($0.125 stays $0.125, $0.2288 reads $0.23); a non-zero price that two decimals would show
    as $0.00 gets three ($0.004), or reads "<$0.001": never free, never scientific notation."""
    if _missing(value):
        return "–"
    if value < 0:
        return "-" + price(-value)
    mills = value * 1000
    exact_mills = abs(mills - round(mills)) < 1e-6 and round(mills) % 10 != 0
    shown = half_up(value, 3 if exact_mills else 2)
    if shown == 0 and value > 0:
        shown = half_up(value, 3)
        if shown == 0:
            return "<$0.001"
    return f"${_decimal_text(shown)}"


# Editions in another currency (`--currency`): amounts take the English form of their currency,
# as Babel writes it (€13.80B, £2.15B, CHF 118M, CN¥7.40B), with the digits of `usd` and `price`.
LOCALE = "en"


def currency_symbol(currency: str) -> str:
    """The sign of an ISO 4217 currency in LOCALE (Babel): $, €, £, CHF; a sign made of letters
    is set apart from the digits by a no-break space."""
    from babel.numbers import get_currency_symbol

    symbol = get_currency_symbol(currency, locale=LOCALE)
    return symbol + ("\u00a0" if symbol[-1:].isalpha() else "")


def money(value: float | None, currency: str = "USD", digits: int = 2) -> str:
    """An amount of `currency` (ISO 4217) written as `usd` writes dollars: €13.80B, £118M, CHF 8,313."""
    return usd(value, digits).replace("$", currency_symbol(currency))


def unit_price(value: float | None, currency: str = "USD") -> str:
    """A list price in `currency` written as `price` writes dollars: €0.40, €0.125, "<€0.001"."""
    return price(value).replace("$", currency_symbol(currency))


def age(days: int | None) -> str:
    """How old a fact is, in words (Babel): "8 months", "1 year"; "–" when unknown."""
    from datetime import timedelta

    from babel.dates import format_timedelta

    return "–" if days is None else format_timedelta(timedelta(days=days), threshold=1, locale=LOCALE)


def pct(value: float | None, digits: int = 0) -> str:
    """A share or change given as a fraction, half up: 0.2 -> 20%, 12.5 -> 1,250%."""
    return "–" if _missing(value) else f"{_decimal_text(half_up(_exact(value) * 100, digits))}%"


def num(value: float | None, digits: int = 0) -> str:
    """A number with thousands separators, half up: 1,048,576; 2.5 with digits=1."""
    return "–" if _missing(value) else _decimal_text(half_up(value, digits))


def fdate(value: str | None, precision: str | None = "day") -> str:
    """An ISO date cut to what is known of it: 2021 for a year, 2024-05 for a month."""
    if not value:
        return "–"
    return value[:4] if precision == "year" else value[:7] if precision == "month" else value


def ratio(value: float | None) -> str:
    """A price ratio: 0.20 (1/5) and 0.16 (1/6.25) under 1 (two decimals, more for a tiny ratio;
    the reciprocal in its shortest form, at most two decimals), else 1.85x; 0.00 for zero."""
    if _missing(value):
        return "–"
    if 0 < value < 1:
        places = 2
        while half_up(value, places) == 0:
            places += 1
        reciprocal = half_up(1 / value, 2)
        reciprocal = reciprocal.quantize(Decimal(1)) if reciprocal == reciprocal.to_integral() else reciprocal.normalize()
        return f"{_decimal_text(half_up(value, places))} (1/{_decimal_text(reciprocal)})"
    return f"{_decimal_text(half_up(value, 2))}x" if value >= 1 else _decimal_text(half_up(value, 2))


def times(value: float | None, digits: int = 1) -> str:
    """A multiple: 2.5x, 1,250.0x."""
    return "–" if _missing(value) else f"{num(value, digits)}x"


def multiple_range(low: float | None, high: float | None) -> str:
    """A range of whole multiples: 25x–40x, 30x when both ends print the same, "up to 40x" with
    only the high end."""
    if low and high:
        return f"{num(high)}x" if num(low) == num(high) else f"{num(low)}x–{num(high)}x"
    return f"up to {num(high)}x" if high else "–"


def scaled(value: float | None, unit: str = "M", digits: int = 0) -> str:
    """An amount in millions (unit "M") or billions ("B"), without a currency: 600M, 11.70B."""
    if _missing(value):
        return "–"
    return f"{num(value / {'M': 1e6, 'B': 1e9}[unit], digits)}{unit}"


def _shortest(value: float) -> str:
    """A number with all its significant digits and no exponent: 1.0465, 0.0000001, 123."""
    text = format(_exact(value).normalize(), "f")
    return "0" if text == "-0" else text


def rate(value: float | None) -> str:
    """An exchange rate as the source gives it, all its digits: 1.0465 (USD per unit)."""
    return "–" if _missing(value) else _shortest(value)


def points(value: float | None, signed: bool = False) -> str:
    """Arena Score points, whole (half up), with thousands separators: 1,431; with `signed`, a
    difference: +130, -12, 0."""
    if value is None or not math.isfinite(value):
        return "–"
    whole = half_up(value, 0)
    sign = "+" if signed and whole > 0 else ""
    return f"{sign}{whole:,}"


def rank_range(best: float | None, worst: float | None = None) -> str:
    """A rank that the 95 % bounds leave open: 2 when both ends agree, else 2–4; "–" when missing."""
    if best is None:
        return "–"
    return f"{int(best)}" if worst is None or int(worst) == int(best) else f"{int(best)}–{int(worst)}"


def ordinal(value: int | None) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd; "–" when missing."""
    if value is None:
        return "–"
    n = int(value)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def model_with_vendor(model: str, vendor: str) -> str:
    """A model's name with its vendor's where the model's does not already say it: "Claude Opus 4.5
    (Anthropic)", "Qwen3-Max (Alibaba)" (the vendor name's own parenthesis dropped), "Mistral Large 3"."""
    import re

    short = re.sub(r"\s*\(.*?\)", "", vendor).strip() or vendor
    first = short.split()[0].lower()
    return model if first in model.lower() else f"{model} ({short})"


def params_b(value: float) -> str:
    """A parameter count given in billions, in its shortest form: 7B, 0.5B, 123B."""
    return f"{_shortest(value)}B"


# Figures as the warehouse records them in text (edition changes, claim details): fixed formats
# kept byte for byte from the records of earlier editions, so that a change is never a format change.

def fraction(value: float) -> str:
    """A ratio with its reciprocal, three decimals: 0.160 (1/6.25); three decimals alone when not
    positive. Unlike `ratio`, ratios of 1 or more keep this form: 1.250 (1/0.80)."""
    return f"{value:.3f} (1/{1 / value:.2f})" if value > 0 else f"{value:.3f}"


def billions(value: float, digits: int = 3) -> str:
    """An amount in billions without a currency sign: 16.624B."""
    return f"{value / 1e9:.{digits}f}B"


def plain(value: float | None, digits: int) -> str | None:
    """A number rounded to `digits` decimals in its shortest form (0.4, 2.0, 16624000000.0), as a
    data record stores it, never with an exponent (1e+16 reads 10000000000000000.0); None stays None."""
    if value is None:
        return None
    text = repr(round(value, digits))
    if "e" in text:
        text = format(Decimal(text), "f")
        text += "" if "." in text else ".0"
    return text


def usd_record(value: float | None) -> str | None:
    """A USD amount as an edition change records it: $2.150B, $350.0M; under $1M as `usd` ($12,500;
    earlier records read 1.25e+04, a scientific notation the product no longer prints). None stays None."""
    if value is None:
        return None
    if abs(value) >= 1e9:
        return f"${value / 1e9:,.3f}B"
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.1f}M"
    return usd(value)
