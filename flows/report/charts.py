"""Vector charts (Altair, rendered to SVG by vl-convert, offline). Grayscale-safe: series are
told apart by shape, dash and direct labels, never by colour alone."""

from __future__ import annotations

import math
import re
from functools import cache

import altair as alt

from flows.settings import REPORTS_DIR

FONT = "DejaVu Sans"
INK, MID, LIGHT = "#111111", "#666666", "#bbbbbb"


@cache
def _converter():
    import vl_convert as vlc

    vlc.register_font_directory(str(REPORTS_DIR / "assets" / "fonts"))
    return vlc


def _theme(chart: alt.TopLevelMixin, width: int, height: int) -> alt.TopLevelMixin:
    return chart.properties(width=width, height=height).configure(font=FONT, background="white").configure_view(
        stroke=None).configure_axis(labelFontSize=9, titleFontSize=9, gridColor="#e5e5e5", domainColor=MID,
                                    tickColor=MID, labelColor=INK, titleColor=INK)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as inline SVG markup (no XML prolog), text in the bundled font."""
    svg = _converter().vegalite_to_svg(chart.to_dict())
    # Inline SVG: no XML prolog. Its text uses the bundled (reduced) font the PDF already embeds.
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return svg.replace('font-family="DejaVu Sans"', 'font-family="VB Sans, DejaVu Sans, sans-serif"')


def workload_costs(rows: list[dict], vendor_model: str, profile_order: list[str]) -> str | None:
    """Monthly cost (USD) per workload profile: the vendor's flagship against each reference model,
    from the JSON form of a briefing's workloads; None without workloads."""
    if not rows:
        return None
    data = []
    seen = set()
    for r in rows:
        data.append({"profile": r["profile"], "model": r["reference_name"], "cost": r["reference_monthly_cost_usd"]})
        if r["profile"] not in seen:
            data.append({"profile": r["profile"], "model": vendor_model, "cost": r["monthly_cost_usd"]})
            seen.add(r["profile"])
    models = [vendor_model] + sorted({d["model"] for d in data} - {vendor_model})
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("model:N", sort=models, title=None, axis=alt.Axis(labelLimit=160)),
        x=alt.X("cost:Q", title="USD per month", axis=alt.Axis(format="$,.0f", tickCount=4)),
    )
    bars = base.mark_bar(stroke=INK, strokeWidth=0.6).encode(
        fill=alt.condition(alt.datum.model == vendor_model, alt.value(INK), alt.value(LIGHT)))
    labels = base.mark_text(align="left", dx=3, fontSize=8, color=INK).encode(text=alt.Text("cost:Q", format="$,.0f"))
    chart = alt.layer(bars, labels).properties(width=360, height=70).facet(
        row=alt.Row("profile:N", sort=profile_order, title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=9)))
    return to_svg(chart.configure(font=FONT, background="white").configure_view(stroke=None)
                  .configure_axis(labelFontSize=8, titleFontSize=9, gridColor="#e5e5e5"))


def valuation_over_time(rounds: list[dict]) -> str | None:
    """Post-money valuation (USD, log scale) at each round that has one, from the JSON form of a
    briefing's rounds; None with fewer than two valued rounds."""
    points = [{"date": r["announced_on"], "valuation": r["post_money_valuation_usd"], "round": r["round_name"].replace("_", " ")}
              for r in rounds if r.get("post_money_valuation_usd")]
    if len(points) < 2:
        return None
    low, high = min(p["valuation"] for p in points), max(p["valuation"] for p in points)
    ticks = [v for v in (1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13) if low / 10 < v < high * 10]
    base = alt.Chart(alt.Data(values=points)).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m", tickCount=5)),
        y=alt.Y("valuation:Q", title="Post-money valuation (USD, log scale)", scale=alt.Scale(type="log"),
                axis=alt.Axis(values=ticks, labelExpr="datum.value >= 1e9 ? '$' + format(datum.value / 1e9, ',.0f') + 'B' : '$' + format(datum.value / 1e6, ',.0f') + 'M'")),
    )
    line = base.mark_line(color=INK, strokeWidth=1.5)
    dots = base.mark_point(color=INK, filled=True, size=40, shape="circle")
    text = base.mark_text(dy=-9, fontSize=8, color=INK).encode(text="round:N")
    return to_svg(_theme(alt.layer(line, dots, text), 420, 170))


def _log_ticks(values: list[float]) -> list[float]:
    steps = [m * 10.0 ** e for e in range(-3, 5) for m in (1, 2, 5)]
    low, high = min(values), max(values)
    return [t for t in steps if low / 2.5 <= t <= high * 2.5]


def flagship_prices(vendors: list[dict]) -> str | None:
    """Flagship input price against output price (USD per million tokens), log-log, one labelled
    point per price pair, from the JSON form of the landscape's vendor columns; None when no
    flagship is priced.

    Vendors at the same prices share one point and one label; a label goes to the left of its
    point when another point sits close on its right, so labels do not run into each other."""
    groups: dict[tuple[float, float], list[str]] = {}
    for v in vendors:
        if v.get("flagship_input") and v.get("flagship_output"):
            groups.setdefault((v["flagship_input"], v["flagship_output"]), []).append(v["name"])
    if not groups:
        return None
    points = []
    for (inp, out), names in sorted(groups.items()):
        crowded = any(0 < math.log10(i / inp) < 0.6 and abs(math.log10(o / out)) < 0.15 for i, o in groups)
        points.append({"vendor": " / ".join(names), "input": inp, "output": out, "side": "left" if crowded else "right"})
    base = alt.Chart(alt.Data(values=points)).encode(
        x=alt.X("input:Q", title="Input, USD per million tokens (log)", scale=alt.Scale(type="log"),
                axis=alt.Axis(format="$.2~f", values=_log_ticks([p["input"] for p in points]))),
        y=alt.Y("output:Q", title="Output, USD per million tokens (log)", scale=alt.Scale(type="log"),
                axis=alt.Axis(format="$.2~f", values=_log_ticks([p["output"] for p in points]))),
    )
    dots = base.mark_point(color=INK, filled=True, size=45)
    right = base.transform_filter(alt.datum.side == "right").mark_text(
        align="left", dx=6, dy=-4, fontSize=8, color=INK).encode(text="vendor:N")
    left = base.transform_filter(alt.datum.side == "left").mark_text(
        align="right", dx=-6, dy=-4, fontSize=8, color=INK).encode(text="vendor:N")
    return to_svg(_theme(alt.layer(dots, right, left), 420, 260))
