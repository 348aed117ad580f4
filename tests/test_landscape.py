"""The landscape at 16+ vendors: vendors in reading order (region, then flagship price),
and a flagship chart whose labels never overprint (crowded points are numbered and named in a key)."""

from __future__ import annotations

import itertools
import re

from flows.report import charts

from tests.conftest import rows


def _boxes(points: list[dict], size: float = 8) -> list[tuple[float, float, float, float]]:
    out = []
    for p in points:
        if not p["text"]:
            continue
        w = charts._text_width(p["text"], size)
        x0 = p["px"] + p["dx"] - (w if p["align"] == "right" else w / 2 if p["align"] == "center" else 0)
        out.append((x0, p["py"] + p["dy"] - size / 2, x0 + w, p["py"] + p["dy"] + size / 2))
    return out


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_spread_points_are_labelled_by_name():
    points = [{"label": "Alpha Labs", "px": 100, "py": 100}, {"label": "Far Away", "px": 400, "py": 250}]
    charts._place_labels(points, 520, 300)
    assert [(p["text"], p["dx"], p["dy"], p["align"], p.get("key")) for p in points] == [
        ("Alpha Labs", 6, 0, "left", None), ("Far Away", 6, 0, "left", None)]


def test_crowded_points_get_numbers_and_no_label_overprints():
    points = [{"label": f"Vendor {c} Holdings", "px": 100 + 2 * i, "py": 100 + (i % 2) * 3}
              for i, c in enumerate("ABCDEFGHIJ")]
    charts._place_labels(points, 520, 300)
    named = [p["label"] for p in points if p["text"] == p["label"]]
    numbered = {p["label"]: p["key"] for p in points if p.get("key")}
    assert named == ["Vendor A Holdings", "Vendor B Holdings", "Vendor C Holdings"]
    # F and J find no free place even for a number: each shares its nearest numbered neighbour's
    assert numbered == {"Vendor D Holdings": 1, "Vendor E Holdings": 2, "Vendor F Holdings": 2,
                        "Vendor G Holdings": 3, "Vendor H Holdings": 4, "Vendor I Holdings": 5,
                        "Vendor J Holdings": 5}
    assert [p["text"] for p in points if p.get("key")] == ["1", "2", "", "3", "4", "5", ""]
    boxes = _boxes(points)
    assert not any(_overlap(a, b) for a, b in itertools.combinations(boxes, 2))
    dots = [(p["px"] - 4, p["py"] - 4, p["px"] + 4, p["py"] + 4) for p in points]
    assert not any(_overlap(a, d) for a in boxes for d in dots)


def test_flagship_chart_keys_crowded_points_and_shapes_regions():
    vendors = [{"name": f"Vendor {c} Holdings", "flagship": f"Model {c}", "flagship_input": 1.0 + 0.01 * i,
                "flagship_output": 5.0 + 0.02 * i, "region": "China" if i % 2 else "United States"}
               for i, c in enumerate("ABCDEF")]
    vendors.append({"name": "Solo", "flagship": "Solo 1", "flagship_input": 0.2, "flagship_output": 0.6, "region": "Europe"})
    texts = re.findall(r"<text[^>]*>(.*?)</text>", charts.flagship_prices(vendors))
    assert "Key" in texts and "Solo" in texts
    keyed = [t for t in texts if re.match(r"^\d+  Vendor", t)]
    assert keyed and all(re.fullmatch(r"\d+  Vendor [A-F] Holdings: Model [A-F]  \(\$\d\.\d\d / \$\d\.\d\d\)", t)
                         for t in keyed)
    assert ["United States", "China", "Europe"] == [t for t in texts if t in charts.REGIONS]


def test_peer_columns_in_reading_order(con_fixture):
    """report.peer_columns: United States first, then Europe (the fixture's two vendors)."""
    assert [(r["vendor_id"], r["region"]) for r in rows(con_fixture, "select vendor_id, region from report.peer_columns")] \
        == [("openai", "United States"), ("mistral", "Europe")]
