"""Briefings: the Mistral PDF carries the article's figures, every vendor gets one, injected
markup is never fetched. (The same inputs give the same bytes, serial or parallel:
test_warehouse.py, which compares a second run from scratch with the session run.)"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flows import formatting as fmt
from flows.errors import VendorbriefError
from flows.report import typeset as pdf
from flows.report.stage import safe_name
from flows.settings import ROOT
from pypdf import PdfReader

from .conftest import BUNDLED, rows, run_pipeline

INJECTIONS = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<div style="background: url(file:///etc/hostname)">x</div>',
    '<img src="http://127.0.0.1:9/tracker.png">',
    '<script>alert(1)</script>',
    '<svg><image href="file:///etc/passwd"/></svg>',
]


def text_of(path: Path) -> str:
    reader = PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def attachments_of(path: Path) -> dict:
    return PdfReader(str(path)).attachments


@BUNDLED
def test_mistral_briefing_carries_the_articles_figures(bundled_run):
    text = " ".join(text_of(bundled_run["out"] / "latest" / "mistral.pdf").split())
    # Series A and B in the USD figures AFP and Reuters state ($414M, $643.7M), not the article's
    for figure in ("$113M", "$414M", "$644M", "$2.00B", "$13.80B", "$0.40", "$2.00", "$3.05B"):
        assert figure in text, figure
    # the two claims, and which price each is true of
    assert "1/5 the cost of GPT-4o" in text and "true of the output price only" in text
    assert "1/6 of GPT-4o" in text and "0.160 (1/6.25)" in text
    assert "IMPRECISE" in text and "CONFIRMED" in text
    # sections of the reference article
    for heading in ("What problem they solve", "Product and model matrix", "Technical differentiation", "Pricing",
                    "Fundraising and valuation", "Competitive landscape", "Claim audit",
                    "What changed since the last edition", "Verdict", "Appendix A", "Appendix B"):
        assert heading in text, heading


@BUNDLED
def test_every_vendor_gets_a_briefing(bundled_run):
    from flows.settings import ROOT
    from flows.sources.facts import load_facts

    vendors = {v.vendor.id for v in load_facts(ROOT / "data" / "sources").vendors}
    latest = bundled_run["out"] / "latest"
    for vid in vendors | {"landscape"}:
        assert (latest / f"{vid}.pdf").stat().st_size > 10_000
        assert (latest / f"{vid}.html").exists()
        assert (bundled_run["out"] / "editions" / "2026-11-29" / f"{vid}.pdf").exists()
    assert (latest / "data-quality.html").exists()
    landscape = text_of(latest / "landscape.pdf")
    assert "Funding league table" in landscape and "Biggest list-price moves" in landscape


@BUNDLED
def test_pdfs_have_page_numbers_and_an_outline(bundled_run):
    reader = PdfReader(str(bundled_run["out"] / "latest" / "mistral.pdf"))
    assert "Page 1 of" in reader.pages[0].extract_text() or "Page 2 of" in reader.pages[1].extract_text()
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Mistral AI" in titles and any(t.startswith("Claim audit") for t in titles)


@pytest.mark.slow
def test_injected_fact_text_is_shown_not_fetched(tmp_path, sources_copy):
    facts = sources_copy / "vendors" / "mistral.yaml"
    payload = " ".join(INJECTIONS).replace('"', "'")
    facts.write_text(facts.read_text().replace('positioning: "Fixture vendor in the EU."', f'positioning: "{payload}"'))
    run_pipeline(tmp_path, sources=sources_copy, formats=("pdf", "html"), vendors=["mistral"])
    path = tmp_path / "out" / "latest" / "mistral.pdf"
    text = text_of(path)
    assert "root:x:0:0" not in text and not attachments_of(path)
    assert "<img src='file:///etc/passwd'>" in text and "<script>alert(1)</script>" in text
    html = (tmp_path / "out" / "latest" / "mistral.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("markup", INJECTIONS)
def test_the_fetcher_blocks_everything_but_own_assets(markup):
    """Even raw markup (as if escaping failed) fetches nothing outside reports/assets."""
    html = f"<html><body><p>start</p>{markup}<p>end</p></body></html>"
    body, blocked = pdf.render_pdf(html, "2026-11-29", "0" * 32)
    reader = PdfReader(io.BytesIO(body))
    assert not reader.attachments
    assert b"root:x:0:0" not in body
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "root:" not in text
    if "file:///etc" in markup or "http://" in markup:
        assert blocked, markup


def test_the_fetcher_serves_own_fonts_and_refuses_escapes():
    html = ('<html><head><link rel="stylesheet" href="fonts.css"><link rel="stylesheet" href="../../../etc/passwd">'
            '</head><body style="font-family: \'VB Sans\'">x</body></html>')
    body, blocked = pdf.render_pdf(html, "2026-11-29", "0" * 32)
    assert any("etc/passwd" in b for b in blocked)
    assert b"VB" in body or b"DejaVu" in body


def test_letter_and_archival_options(tmp_path, fixture_run):
    shutil.copyfile(fixture_run["warehouse"], tmp_path / "warehouse.duckdb")
    run_pipeline(tmp_path, formats=("pdf",), page_size="Letter", archival=True, vendors=["openai"])
    reader = PdfReader(str(tmp_path / "out" / "latest" / "openai.pdf"))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root and "/Metadata" in root  # PDF/A-3b: colour profile and XMP metadata
    assert "pdfaid" in root["/Metadata"].get_object().get_data().decode("utf-8", "replace")


def test_render_workers_load_only_the_typesetter():
    """What a worker imports before its first briefing is paid on every run: the typesetting
    module must not pull in the warehouse or chart libraries."""
    probe = ("import sys, flows.report.typeset; "
             "print(sorted(m for m in ('duckdb', 'polars', 'altair', 'vl_convert') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b", "..", "", "x" * 200, "UPPER"])
def test_output_names_are_never_paths(name):
    with pytest.raises(VendorbriefError):
        safe_name(name)


def test_figures_round_half_up_as_the_charts_do():
    assert [fmt.usd(v) for v in (8312.5, 7812.5, -118e6, 13.8e9, 3.168e9)] == ["$8,313", "$7,813", "-$118M", "$13.80B", "$3.17B"]
    assert [fmt.price(v) for v in (0.125, 8.125, 0.2288, 0.4, 2, 0.015, 0)] == [
        "$0.125", "$8.125", "$0.23", "$0.40", "$2.00", "$0.015", "$0.00"]
    assert [fmt.fdate("2024-05-29", p) for p in ("day", "month", "year")] == ["2024-05-29", "2024-05", "2024"]
    assert fmt.fdate(None, "day") == "–"


def test_changed_only_keeps_a_briefing_whose_data_did_not_change(tmp_path):
    import json

    from flows.report.stage import Planner

    options = {"formats": ["pdf"], "page_size": "A4", "archival": False, "published_dir": str(tmp_path)}
    monday = {"as_of": "2026-11-23", "models": [{"model_id": "m", "input": 1.0, "price_ref": "catalog@2026-11-23"}],
              "sources": {"catalog@2026-11-23": {"as_of": "2026-11-23"}}}
    first = Planner(options)
    assert first.job("v", monday) is not None
    (tmp_path / "v.pdf").write_bytes(b"%PDF")
    (tmp_path / "manifest.json").write_text(json.dumps(first.manifest()))
    tuesday = {"as_of": "2026-11-24", "models": [{"model_id": "m", "input": 1.0, "price_ref": "catalog@2026-11-24"}],
               "sources": {"catalog@2026-11-24": {"as_of": "2026-11-24"}}}
    assert Planner(options).job("v", tuesday) is not None  # a new edition date re-renders by default
    assert Planner({**options, "changed_only": True}).job("v", tuesday) is None
    repriced = {**tuesday, "models": [{"model_id": "m", "input": 2.0, "price_ref": "catalog@2026-11-24"}]}
    assert Planner({**options, "changed_only": True}).job("v", repriced) is not None


def test_an_edition_folder_only_receives_briefings_of_its_date(tmp_path):
    from datetime import date

    from flows.report.publish import publish_reports

    out = tmp_path / "out"
    (out / "latest").mkdir(parents=True)
    (out / "latest" / "openai.pdf").write_bytes(b"older edition")
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "mistral.pdf").write_bytes(b"new")
    (staging / "manifest.json").write_text("{}")
    publish_reports(staging, out, date(2026, 11, 1))
    assert sorted(p.name for p in (out / "editions" / "2026-11-01").iterdir()) == ["mistral.pdf"]
    assert sorted(p.name for p in (out / "latest").iterdir()) == ["manifest.json", "mistral.pdf", "openai.pdf"]


def test_what_changed_lists_the_own_platform_and_counts_the_rest():
    """sql/report/vendor_changes.sql and changes_elsewhere.sql, read by context.changes."""
    import duckdb
    from flows.report.context import changes
    from flows.settings import SQL_DIR
    from flows.warehouse.build import statement

    rows_in = [
        ("price_change", "mistral mistral-large (genai-prices)", "mistral", "mistral-large"),
        ("price_change", "bedrock bedrock/mistral.large (litellm)", "bedrock", "bedrock/mistral.large"),
        ("new_model", "mistral mistral/ministral-3b (litellm)", "mistral", "mistral/ministral-3b"),
        ("new_model", "mistral ministral-3b (genai-prices)", "mistral", "ministral-3b"),
        ("new_model", "bedrock bedrock/mistral.small (litellm)", "bedrock", "bedrock/mistral.small"),
        ("new_model", "azure_ai azure_ai/mistral-large (litellm)", "azure_ai", "azure_ai/mistral-large"),
        ("retired_model", "mistral mistral/open-mistral-7b (litellm)", "mistral", "mistral/open-mistral-7b"),
        ("new_funding_round", "mistral-series-d (2026-10-01)", None, None),
    ]
    with duckdb.connect() as con:
        con.execute("create schema marts; create schema report")
        con.execute("""create table marts.edition_changes (vendor_id varchar, kind varchar, subject varchar,
                       before_value varchar, after_value varchar, change double, platform varchar,
                       catalog_model_id varchar, unit varchar, before_numbers double[], after_numbers double[])""")
        con.executemany("insert into marts.edition_changes values ('mistral', ?, ?, null, null, null, ?, ?, null, null, null)",
                        rows_in)
        # Mistral's own platform is `mistral` in both catalogs (data/sources/vendor_map.yaml `platforms:`)
        con.execute("""create table marts.vendor_platforms as select * from (values
                       ('mistral', 'genai-prices', 'mistral'), ('mistral', 'litellm', 'mistral'))
                       as t(vendor_id, source, provider_id)""")
        for name in ("vendor_changes", "changes_elsewhere"):
            con.execute(statement(SQL_DIR / "report" / f"{name}.sql"))
        own = rows(con, "select * from report.vendor_changes")
        elsewhere = rows(con, "select * from report.changes_elsewhere")
    grouped = changes(own, elsewhere)
    assert grouped.count == 8
    assert sorted(c.subject for c in grouped.detail) == ["mistral mistral-large (genai-prices)", "mistral-series-d (2026-10-01)"]
    assert grouped.new_models == ["ministral-3b", "mistral/ministral-3b"]
    assert grouped.retired_models == ["mistral/open-mistral-7b"]
    assert [(e.kind, e.total, [(p.platform, p.changes) for p in e.platforms]) for e in grouped.elsewhere] == [
        ("new_model", 2, [("azure_ai", 1), ("bedrock", 1)]), ("price_change", 1, [("bedrock", 1)])]
