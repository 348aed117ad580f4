"""Vector charts (Altair, rendered to SVG by vl-convert, offline). Grayscale-safe: series are
told apart by shape, dash and direct labels, never by colour alone."""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

import altair as alt

from flows import formatting as fmt
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


def _money_axis(currency: dict | None) -> tuple[str, float, str]:
    """(ISO code, units per USD, sign) of an edition's currency (a context's `currency`); USD by default."""
    code = (currency or {}).get("code", "USD")
    return code, (currency or {}).get("per_usd", 1.0), fmt.currency_symbol(code)


def _js(text: str) -> str:
    """A Vega expression string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _tick_labels(ticks: list[float], label) -> str:
    """A Vega labelExpr that prints each of `ticks` (the axis' explicit values) as `label(tick)`
    writes it (a flows/formatting.py function): the charts follow the product's number format,
    never a d3 format of their own."""
    expr = "''"
    for t in reversed(ticks):
        expr = f"abs(datum.value - {t!r}) <= {abs(t) * 1e-9!r} ? {_js(label(t))} : {expr}"
    return expr


def _nice_ticks(high: float, count: int = 4) -> list[float]:
    """Zero and round steps (1, 2, 2.5 or 5 times a power of ten) up to at least `high`, about `count` of them."""
    if not high or high <= 0:
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(math.ceil(high / step - 1e-9)) + 1)]


def workload_costs(rows: list[dict], vendor_model: str, profile_order: list[str], currency: dict | None = None) -> str | None:
    """Monthly cost per workload profile (USD, or the edition's `currency` at its cited rate): the
    vendor's flagship against each reference model, from the JSON form of a briefing's workloads;
    None without workloads."""
    if not rows:
        return None
    code, per_usd, sign = _money_axis(currency)
    data = []
    seen = set()
    for r in rows:
        data.append({"profile": r["profile"], "model": r["reference_name"],
                     "cost": None if r["reference_monthly_cost_usd"] is None else r["reference_monthly_cost_usd"] * per_usd})
        if r["profile"] not in seen:
            data.append({"profile": r["profile"], "model": vendor_model,
                         "cost": None if r["monthly_cost_usd"] is None else r["monthly_cost_usd"] * per_usd})
            seen.add(r["profile"])
    models = [vendor_model] + sorted({d["model"] for d in data} - {vendor_model})
    for d in data:
        d["label"] = fmt.money(d["cost"], code)
    ticks = _nice_ticks(max((d["cost"] or 0) for d in data))
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("model:N", sort=models, title=None, axis=alt.Axis(labelLimit=160)),
        x=alt.X("cost:Q", title=f"{code} per month", scale=alt.Scale(domain=[ticks[0], ticks[-1]]),
                axis=alt.Axis(values=ticks, labelExpr=_tick_labels(ticks, lambda v: fmt.money(v, code)))),
    )
    bars = base.mark_bar(stroke=INK, strokeWidth=0.6).encode(
        fill=alt.condition(alt.datum.model == vendor_model, alt.value(INK), alt.value(LIGHT)))
    labels = base.mark_text(align="left", dx=3, fontSize=8, color=INK).encode(text="label:N")
    chart = alt.layer(bars, labels).properties(width=360, height=70).facet(
        row=alt.Row("profile:N", sort=profile_order, title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=9)))
    return to_svg(chart.configure(font=FONT, background="white").configure_view(stroke=None)
                  .configure_axis(labelFontSize=8, titleFontSize=9, gridColor="#e5e5e5"))


def valuation_over_time(rounds: list[dict], currency: dict | None = None) -> str | None:
    """Post-money valuation (USD, or the edition's `currency` at its cited rate; log scale) at each
    round that has one, from the JSON form of a briefing's rounds; None with fewer than two valued rounds."""
    code, per_usd, sign = _money_axis(currency)
    points = [{"date": r["announced_on"], "valuation": r["post_money_valuation_usd"] * per_usd,
               "round": r["round_name"].replace("_", " ")}
              for r in rounds if r.get("post_money_valuation_usd")]
    if len(points) < 2:
        return None
    low, high = min(p["valuation"] for p in points), max(p["valuation"] for p in points)
    ticks = [v for v in (1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13) if low / 10 < v < high * 10]
    base = alt.Chart(alt.Data(values=points)).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m", tickCount=5)),
        y=alt.Y("valuation:Q", title=f"Post-money valuation ({code}, log scale)", scale=alt.Scale(type="log"),
                axis=alt.Axis(values=ticks, labelExpr=_tick_labels(ticks, lambda v: fmt.money(v, code, 0)))),
    )
    line = base.mark_line(color=INK, strokeWidth=1.5)
    dots = base.mark_point(color=INK, filled=True, size=40, shape="circle")
    text = base.mark_text(dy=-9, fontSize=8, color=INK).encode(text="round:N")
    return to_svg(_theme(alt.layer(line, dots, text), 420, 170))


def _log_ticks(values: list[float]) -> list[float]:
    steps = [m * 10.0 ** e for e in range(-3, 5) for m in (1, 2, 5)]
    low, high = min(values), max(values)
    return [t for t in steps if low / 2.5 <= t <= high * 2.5]


def _text_width(text: str, size: float) -> float:
    """Width in pixels of `text` set in the bundled DejaVu Sans at `size` px."""
    return _font(size).getlength(text)


@cache
def _font(size: float):
    from PIL import ImageFont

    return ImageFont.truetype(str(REPORTS_DIR / "assets" / "fonts" / "DejaVuSans.ttf"), size=size)


# Where a point's label may go, tried in this order: (dx, dy) of the text anchor from the point and
# the text's alignment; the label's box is computed from them.
_SPOTS = [(6, 0, "left"), (-6, 0, "right"), (0, -10, "center"), (0, 10, "center"),
          (5, -8, "left"), (5, 8, "left"), (-5, -8, "right"), (-5, 8, "right")]
# Farther places, for a number only (a name that far would read as another point's).
_FAR_SPOTS = [(12, 0, "left"), (-12, 0, "right"), (0, -18, "center"), (0, 18, "center"),
              (10, -14, "left"), (10, 14, "left"), (-10, -14, "right"), (-10, 14, "right")]
REGIONS = ["United States", "China", "Europe", "Rest of the world"]
REGION_SHAPES = ["circle", "square", "triangle-up", "diamond"]


def _place_labels(points: list[dict], width: float, height: float, size: float = 8) -> list[dict]:
    """Puts each point's label where it overlaps no other label, no point and stays in the plot;
    a point whose name fits nowhere gets a number instead (`key`), explained in the chart's key;
    where not even a number fits, the point shares the number of the nearest numbered point
    (its text is then empty). Points carry their pixel position (`px`, `py`); sets `text`, `dx`,
    `dy`, `align` and, for numbered points, `key`."""
    boxes = [(p["px"] - 4, p["py"] - 4, p["px"] + 4, p["py"] + 4) for p in points]

    def box(p: dict, text: str, spot: tuple) -> tuple[float, float, float, float]:
        dx, dy, align = spot
        w = _text_width(text, size)
        x0 = p["px"] + dx - (w if align == "right" else w / 2 if align == "center" else 0)
        y_mid = p["py"] + dy
        return (x0 - 1, y_mid - size * 0.5, x0 + w + 1, y_mid + size * 0.5)

    def free(b: tuple) -> bool:
        inside = b[0] >= 0 and b[2] <= width and b[1] >= 0 and b[3] <= height
        return inside and not any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3] for o in boxes)

    number = 0
    # The most crowded points first: they have the fewest free places.
    def neighbours(p: dict) -> int:
        return sum(1 for q in points if q is not p and abs(q["px"] - p["px"]) < 60 and abs(q["py"] - p["py"]) < 20)

    for p in sorted(points, key=lambda p: (-neighbours(p), p["px"], p["py"])):
        spot = next((s for s in _SPOTS if free(box(p, p["label"], s))), None)
        if spot is None:
            spot = next((s for s in _SPOTS + _FAR_SPOTS if free(box(p, str(number + 1), s))), None)
            numbered = [q for q in points if q.get("key")]
            if spot is None and numbered:
                nearest = min(numbered, key=lambda q: (q["px"] - p["px"]) ** 2 + (q["py"] - p["py"]) ** 2)
                p.update(key=nearest["key"], text="", dx=0, dy=0, align="left")
                continue
            number += 1
            p["key"] = number
            spot = spot or _SPOTS[0]
            text = str(number)
        else:
            text = p["label"]
        p.update(text=text, dx=spot[0], dy=spot[1], align=spot[2])
        boxes.append(box(p, text, spot))
    return points


def flagship_prices(vendors: list[dict], currency: dict | None = None) -> str | None:
    """Flagship input price against output price (USD per million tokens, or the edition's
    `currency` at its cited rate), log-log, one point per price pair shaped by the vendors' region,
    from the JSON form of the landscape's vendor columns; None when no flagship is priced.

    Vendors at the same prices share one point and one label. Each label goes where it overlaps
    no other label or point; a point without such a place is numbered, and the key under the plot
    names its vendors and flagships."""
    code, per_usd, _ = _money_axis(currency)
    groups: dict[tuple[float, float], list[dict]] = {}
    for v in vendors:
        if v.get("flagship_input") and v.get("flagship_output"):
            groups.setdefault((v["flagship_input"] * per_usd, v["flagship_output"] * per_usd), []).append(v)
    if not groups:
        return None
    width, height = 520, 300
    x_ticks = _log_ticks([i for i, _ in groups])
    y_ticks = _log_ticks([o for _, o in groups])
    x_dom, y_dom = (x_ticks[0], x_ticks[-1]), (y_ticks[0], y_ticks[-1])

    def scale(value: float, dom: tuple[float, float], size: float) -> float:
        return size * (math.log10(value) - math.log10(dom[0])) / (math.log10(dom[1]) - math.log10(dom[0]))

    points = []
    for (inp, out), members in sorted(groups.items()):
        regions = [m.get("region") for m in members]
        points.append({
            "input": inp, "output": out, "label": " / ".join(m["name"] for m in members),
            "region": regions[0] if len(set(regions)) == 1 else "several regions",
            "flagships": "; ".join(f"{m['name']}: {m.get('flagship') or '–'}" for m in members),
            "px": scale(inp, x_dom, width), "py": height - scale(out, y_dom, height),
        })
    _place_labels(points, width, height)
    data = [{k: p[k] for k in ("input", "output", "text", "dx", "dy", "align", "region")} for p in points]
    shown = [r for r in REGIONS if any(p["region"] == r for p in points)]
    extra = sorted({p["region"] for p in points} - set(REGIONS))
    shape = alt.Shape("region:N", title=None, sort=shown + extra,
                      scale=alt.Scale(domain=shown + extra,
                                      range=[REGION_SHAPES[REGIONS.index(r)] for r in shown] + ["cross"] * len(extra)),
                      legend=alt.Legend(orient="top", direction="horizontal", symbolSize=40, labelFontSize=8))
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("input:Q", title=f"Input, {code} per million tokens (log)", scale=alt.Scale(type="log", domain=list(x_dom)),
                axis=alt.Axis(values=x_ticks, labelExpr=_tick_labels(x_ticks, lambda v: fmt.unit_price(v, code)))),
        y=alt.Y("output:Q", title=f"Output, {code} per million tokens (log)", scale=alt.Scale(type="log", domain=list(y_dom)),
                axis=alt.Axis(values=y_ticks, labelExpr=_tick_labels(y_ticks, lambda v: fmt.unit_price(v, code)))),
    )
    layers = [base.mark_point(color=INK, filled=True, size=40).encode(shape=shape)]
    for (dx, dy, align) in sorted({(p["dx"], p["dy"], p["align"]) for p in points}):
        layers.append(base.transform_filter((alt.datum.dx == dx) & (alt.datum.dy == dy) & (alt.datum.align == align))
                      .mark_text(align=align, baseline="middle", dx=dx, dy=dy, fontSize=8, color=INK).encode(text="text:N"))
    chart = alt.layer(*layers).properties(width=width, height=height)
    keyed = sorted((p for p in points if p.get("key")), key=lambda p: (p["key"], p["px"]))
    if keyed:
        lines = [{"line": i, "text": f"{p['key']}  {p['flagships']}  ({fmt.unit_price(p['input'], code)} / {fmt.unit_price(p['output'], code)})"}
                 for i, p in enumerate(keyed)]
        key = alt.Chart(alt.Data(values=lines)).mark_text(align="left", baseline="middle", fontSize=8, color=INK).encode(
            x=alt.value(0), y=alt.Y("line:O", axis=None), text="text:N").properties(width=width, height=12 * len(lines),
                                                                    title=alt.TitleParams("Key", fontSize=8, anchor="start"))
        chart = alt.vconcat(chart, key, spacing=6)
    return to_svg(chart.configure(font=FONT, background="white").configure_view(stroke=None).configure_axis(
        labelFontSize=9, titleFontSize=9, gridColor="#e5e5e5", domainColor=MID, tickColor=MID, labelColor=INK,
        titleColor=INK))


def _place_labels_among(points: list[dict], obstacles: list[tuple[float, float, float, float]], width: float,
                        height: float, size: float = 8) -> list[dict]:
    """As _place_labels, but labels also keep clear of `obstacles` (pixel boxes: unlabelled points,
    lines); a label that fits nowhere is left out (its point stays), rather than numbered."""
    boxes = [(p["px"] - 4, p["py"] - 4, p["px"] + 4, p["py"] + 4) for p in points] + list(obstacles)

    def box(p: dict, spot: tuple) -> tuple[float, float, float, float]:
        dx, dy, align = spot
        w = _text_width(p["label"], size)
        x0 = p["px"] + dx - (w if align == "right" else w / 2 if align == "center" else 0)
        return (x0 - 1, p["py"] + dy - size * 0.5, x0 + w + 1, p["py"] + dy + size * 0.5)

    def free(b: tuple) -> bool:
        inside = b[0] >= 0 and b[2] <= width and b[1] >= 0 and b[3] <= height
        return inside and not any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3] for o in boxes)

    far = [(dx * 2, dy * 2 if dy else 0, align) for dx, dy, align in _SPOTS] + [(0, -18, "center"), (0, 18, "center")]
    for p in sorted(points, key=lambda p: (p.get("style") != "own", p["px"], p["py"])):
        spot = next((s for s in [*_SPOTS, *far] if free(box(p, s))), None)
        if spot is None and p.get("style") == "own":
            # the vendor's own model keeps its label: crossing a line is better than losing it
            lines = boxes[len(points):len(points) + len(obstacles)]
            kept = [b for b in boxes if b not in lines]
            spot = next((s for s in [*_SPOTS, *far] if box(p, s)[0] >= 0 and box(p, s)[2] <= width
                         and not any(box(p, s)[0] < o[2] and o[0] < box(p, s)[2] and box(p, s)[1] < o[3]
                                     and o[1] < box(p, s)[3] for o in kept)), None)
        if spot is None:
            p.update(text=None, dx=0, dy=0, align="left")
            continue
        p.update(text=p["label"], dx=spot[0], dy=spot[1], align=spot[2])
        boxes.append(box(p, spot))
    return points


def _frontier_path(points: list[dict]) -> list[dict]:
    """The points of a price-performance frontier, cheapest first, for a step line."""
    return sorted(points, key=lambda p: (p["price"], p["score"]))


def _capability_chart(points: list[dict], frontiers: list[tuple[str, list[dict], str]], code: str, sign: str,
                      width: int = 440, height: int = 260) -> alt.TopLevelMixin:
    """Arena Score (with its 95 % bounds) against blended price (log), points styled by `style`
    (own: filled black; other: hollow grey), each frontier a step line (name, points, dash style),
    labels placed where they overlap nothing (flows/report/charts.py _place_labels)."""
    x_ticks = _log_ticks([p["price"] for p in points])
    x_dom = (x_ticks[0], x_ticks[-1])
    low = math.floor(min(p["low"] for p in points) / 25) * 25
    high = math.ceil(max(p["high"] for p in points) / 25) * 25
    y_dom = (low, high)

    def px(value: float) -> float:
        return width * (math.log10(value) - math.log10(x_dom[0])) / (math.log10(x_dom[1]) - math.log10(x_dom[0]))

    def py(score: float) -> float:
        return height - height * (score - low) / (high - low)

    for p in points:
        p["px"], p["py"] = px(p["price"]), py(p["score"])
    # Obstacles: every point, and the frontier lines (step-after: across, then up), one box per
    # few pixels along them.
    obstacles = [(p["px"] - 4, p["py"] - 4, p["px"] + 4, p["py"] + 4) for p in points if not p.get("label")]
    for _, members, _ in frontiers:
        path = _frontier_path(members)
        for a, b in zip(path, path[1:]):
            x0, x1, y0, y1 = px(a["price"]), px(b["price"]), py(a["score"]), py(b["score"])
            steps = max(1, int(abs(x1 - x0) // 4))
            obstacles += [(x0 + (x1 - x0) * i / steps - 1, y0 - 1, x0 + (x1 - x0) * i / steps + 1, y0 + 1)
                          for i in range(steps + 1)]
            steps = max(1, int(abs(y1 - y0) // 4))
            obstacles += [(x1 - 1, y0 + (y1 - y0) * i / steps - 1, x1 + 1, y0 + (y1 - y0) * i / steps + 1)
                          for i in range(steps + 1)]
    labelled = [p for p in points if p.get("label")]
    _place_labels_among(labelled, obstacles, width, height, size=7.5)
    x = alt.X("price:Q", title=f"Blended price, {code} per million tokens (log)", scale=alt.Scale(type="log", domain=list(x_dom)),
              axis=alt.Axis(values=x_ticks, labelExpr=_tick_labels(x_ticks, lambda v: fmt.unit_price(v, code))))
    y = alt.Y("score:Q", title="LMArena Arena Score", scale=alt.Scale(domain=list(y_dom), zero=False))
    data = [{k: p.get(k) for k in ("price", "score", "low", "high", "style", "text", "dx", "dy", "align", "shape")}
            for p in points]
    base = alt.Chart(alt.Data(values=data)).encode(x=x, y=y)
    layers = [
        base.transform_filter(alt.datum.style == "other").mark_rule(color=LIGHT, strokeWidth=0.8).encode(y="low:Q", y2="high:Q"),
        base.transform_filter(alt.datum.style == "other").mark_point(color=MID, filled=False, size=22, strokeWidth=0.8),
    ]
    for name, members, dash in frontiers:
        if len(members) > 1:
            path = [{"price": p["price"], "score": p["score"]} for p in _frontier_path(members)]
            layers.append(alt.Chart(alt.Data(values=path)).mark_line(
                interpolate="step-after", color=INK if dash == "solid" else MID, strokeWidth=1.1,
                strokeDash=[] if dash == "solid" else [4, 3]).encode(x=x, y=y))
    layers += [
        base.transform_filter(alt.datum.style != "other").mark_rule(color=INK, strokeWidth=1).encode(y="low:Q", y2="high:Q"),
        base.transform_filter(alt.datum.style == "own").mark_point(color=INK, filled=True, size=38).encode(
            shape=alt.Shape("shape:N", scale=alt.Scale(domain=["flagship", "model"], range=["diamond", "circle"]),
                            legend=None)),
        base.transform_filter(alt.datum.style == "standin").mark_point(color=INK, filled=False, size=38, strokeWidth=1.2),
    ]
    for (dx, dy, align) in sorted({(p["dx"], p["dy"], p["align"]) for p in labelled}):
        for style, color in (("own", INK), ("standin", INK), ("other", MID)):
            layers.append(base.transform_filter((alt.datum.dx == dx) & (alt.datum.dy == dy) & (alt.datum.align == align)
                                                & (alt.datum.style == style) & alt.datum.text)
                          .mark_text(align=align, baseline="middle", dx=dx, dy=dy, fontSize=7.5, color=color)
                          .encode(text="text:N"))
    chart = alt.layer(*layers).properties(width=width, height=height)
    return chart.configure(font=FONT, background="white").configure_view(stroke=None).configure_axis(
        labelFontSize=8.5, titleFontSize=9, gridColor="#e5e5e5", domainColor=MID, tickColor=MID, labelColor=INK,
        titleColor=INK)


def _point(row: dict, per_usd: float, style: str, label: str | None) -> dict:
    return {"price": row["blended_usd_per_mtok"] * per_usd, "score": row["score"], "low": row["score_low"],
            "high": row["score_high"], "style": style, "label": label,
            "shape": "flagship" if row.get("is_flagship") else "model"}


def capability_vs_price(capability: dict | None, currency: dict | None = None) -> str | None:
    """A vendor's rated, priced models (filled; the flagship a diamond) against every other vendor's
    (hollow), Arena Score with its 95 % bounds against blended price (log): the vendor's own
    price-performance frontier (solid step line) and the market's (dashed), from the JSON form of a
    briefing's `capability`; None when the vendor has no rated, priced model."""
    if not capability:
        return None
    code, per_usd, sign = _money_axis(currency)
    own = [_point(r, per_usd, "own", r["model_name"]) for r in capability["models"]
           if r["score"] is not None and r["blended_usd_per_mtok"]]
    if not own:
        return None
    own_rows = [r for r in capability["models"] if r["score"] is not None and r["blended_usd_per_mtok"]]
    others = [_point(r, per_usd, "other", r["model_name"] if r["on_market_frontier"] else None)
              for r in capability["others"] if r["blended_usd_per_mtok"]]
    other_rows = [r for r in capability["others"] if r["blended_usd_per_mtok"]]
    points = own + others
    rows = own_rows + other_rows
    own_frontier = [p for p, r in zip(own, own_rows, strict=True) if r["on_vendor_frontier"]]
    market = [p for p, r in zip(points, rows, strict=True) if r["on_market_frontier"]]
    return to_svg(_capability_chart(points, [("market", market, "dashed"), ("own", own_frontier, "solid")], code, sign))


def headlines_capability_vs_price(headlines: list[dict], currency: dict | None = None) -> str | None:
    """Every vendor's headline model (its flagship when rated, else its best-rated current model:
    hollow), Arena Score with its 95 % bounds against blended price (log), labelled with its vendor,
    and the headline models' price-performance frontier (step line), from the JSON form of the
    landscape's `headlines`; None with fewer than two rated, priced headline models."""
    code, per_usd, sign = _money_axis(currency)
    rows = [r for r in headlines if r["score"] is not None and r["blended_usd_per_mtok"]]
    if len(rows) < 2:
        return None
    points = [_point(r, per_usd, "own" if r["is_flagship"] else "standin", fmt.model_with_vendor(r["model_name"], r["vendor_name"]))
              for r in rows]
    frontier = [p for p, r in zip(points, rows, strict=True) if r["on_headline_frontier"]]
    return to_svg(_capability_chart(points, [("headlines", frontier, "solid")], code, sign))


def chart_svgs(context: dict[str, Any]) -> dict[str, str | None]:
    """The briefing's charts as inline SVG (None where a chart has too little data), from the JSON
    form of its context: {"workloads", "valuation", "capability"} for a vendor, {"prices",
    "capability"} for the landscape. The local pool draws them where the contexts are built (its
    workers then import neither Altair nor the chart converter); Dask workers draw their own
    (`render_with_charts`)."""
    if context["kind"] == "vendor":
        flagship = context.get("flagship") or {}
        currency = context.get("currency")
        return {"workloads": workload_costs(context["workloads"], flagship.get("model_name", ""),
                                            [p["name"] for p in context["profiles"]], currency),
                "valuation": valuation_over_time(context["rounds"], currency),
                "capability": capability_vs_price(context.get("capability"), currency)}
    return {"prices": flagship_prices(context["vendors"], context.get("currency")),
            "capability": headlines_capability_vs_price(context.get("headlines") or [], context.get("currency"))}


def render_with_charts(context: dict[str, Any], options: dict[str, Any]) -> dict[str, bytes]:
    """A briefing's charts (`chart_svgs`), then its HTML and PDF (`typeset.render_briefing`): what a
    Dask worker runs, so that the cluster draws the charts too and the driver only builds contexts."""
    from flows.report import typeset

    return typeset.render_briefing(context, chart_svgs(context), options)
