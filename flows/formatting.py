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
    return "–" if value is None else f"{value:.{digits}%}"


def num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def fdate(value: str | None, precision: str | None = "day") -> str:
    """An ISO date cut to what is known of it: 2021 for a year, 2024-05 for a month."""
    if not value:
        return "–"
    return value[:4] if precision == "year" else value[:7] if precision == "month" else value


def ratio(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f} (1/{1 / value:.2f})" if 0 < value < 1 else f"{value:.2f}x"
