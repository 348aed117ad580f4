"""The one number and date format of the product: money, list prices, shares, ratios, dates.

Every figure a briefing, a log line or a data-quality message prints goes through these
functions, so that "$2.00B" reads the same everywhere. Missing values print as an en dash.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def half_up(value: float, digits: int) -> Decimal:
    # Half away from zero, as the charts' number format rounds: $8,312.50 reads $8,313 everywhere.
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def usd(value: float | None, digits: int = 2) -> str:
    """A USD amount: $13.80B (`digits` decimals), $118M, $8,313 (half up); "–" when missing."""
    if value is None or not math.isfinite(value):
        return "–"
    v = abs(value)
    sign = "-" if value < 0 else ""
    if v >= 1e9:
        return f"{sign}${half_up(v / 1e9, digits):,}B"
    if v >= 1e6:
        return f"{sign}${half_up(v / 1e6, 0):,}M"
    return f"{sign}${half_up(v, 0):,}"


def price(value: float | None) -> str:
    """Two decimals, or three for a price set to a tenth of a cent ($0.125 stays $0.125, $0.2288
    reads $0.23); four significant digits under $0.10."""
    if value is None or not math.isfinite(value):
        return "–"
    if value >= 0.1 or value == 0:
        mills = value * 1000
        exact_mills = abs(mills - round(mills)) < 1e-6 and round(mills) % 10 != 0
        return f"${half_up(value, 3 if exact_mills else 2):,}"
    return f"${value:,.4g}"


def pct(value: float | None, digits: int = 0) -> str:
    """A share or change given as a fraction: 0.2 -> 20%."""
    return "–" if value is None else f"{value:.{digits}%}"


def num(value: float | None, digits: int = 0) -> str:
    """A number with thousands separators: 1,048,576; 2.5 with digits=1."""
    return "–" if value is None else f"{value:,.{digits}f}"


def fdate(value: str | None, precision: str | None = "day") -> str:
    """An ISO date cut to what is known of it: 2021 for a year, 2024-05 for a month."""
    if not value:
        return "–"
    return value[:4] if precision == "year" else value[:7] if precision == "month" else value


def ratio(value: float | None) -> str:
    """A price ratio: 0.160 (1/6.25) under 1, else 2.50x."""
    if value is None:
        return "–"
    return f"{value:.3f} (1/{1 / value:.2f})" if 0 < value < 1 else f"{value:.2f}x"


def times(value: float | None, digits: int = 1) -> str:
    """A multiple: 2.5x, 1,250.0x."""
    return "–" if value is None else f"{num(value, digits)}x"


def multiple_range(low: float | None, high: float | None) -> str:
    """A range of whole multiples: 25x–40x, 30x when both ends print the same, "up to 40x" with
    only the high end."""
    if low and high:
        return f"{num(high)}x" if num(low) == num(high) else f"{num(low)}x–{num(high)}x"
    return f"up to {num(high)}x" if high else "–"


def scaled(value: float | None, unit: str = "M", digits: int = 0) -> str:
    """An amount in millions (unit "M") or billions ("B"), without a currency: 600M, 11.70B."""
    if value is None:
        return "–"
    return f"{num(value / {'M': 1e6, 'B': 1e9}[unit], digits)}{unit}"


def rate(value: float | None) -> str:
    """An exchange rate as the source gives it, all its digits: 1.0465 (USD per unit)."""
    return "–" if value is None else repr(value)


def params_b(value: float) -> str:
    """A parameter count given in billions, in its shortest form: 7B, 0.5B, 123B."""
    return f"{value:g}B"


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
    data record stores it; None stays None."""
    return None if value is None else repr(round(value, digits))


def usd_record(value: float | None) -> str | None:
    """A USD amount as an edition change records it: $2.150B, $350.0M; under $1M four significant
    digits without a sign (12,500 reads 1.25e+04). None stays None."""
    if value is None:
        return None
    if abs(value) >= 1e9:
        return f"${value / 1e9:,.3f}B"
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.1f}M"
    return f"{value:,.4g}"
