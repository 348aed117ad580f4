"""Catalog-only models (listed by the catalogs, no curated facts)
get their LMArena score through the same data-driven name mapping; one first listed after
the latest leaderboard stays unrated, with that leaderboard's date; the bundled fonts draw Hangul."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from flows.report import fonts
from flows.warehouse import store as warehouse
from flows.warehouse.load import ingest

from .conftest import rows
from .harness import LISTED_LATER, capability_sources, chat_entry

# With pytest-xdist all on one worker: the module's run is built once.
pytestmark = pytest.mark.xdist_group("capability-gaps-run")

D3 = date(2025, 3, 10)  # the latest fixture leaderboard (tests/data/lmarena)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture sources, with LiteLLM's mistral provider as Mistral's own platform, plus two
    catalog-only Mistral models: fx-large (in the first LiteLLM
    snapshot, on the 2025-03-10 leaderboard as fx-large-20250301) and fx-nova (first listed in a
    snapshot of 2025-06-01, after the latest leaderboard)."""
    tmp = tmp_path_factory.mktemp("capability_gaps")
    sources = capability_sources(tmp, {"mistral/fx-large": chat_entry("mistral", 2.0, 6.0)})
    build = warehouse.start_build(tmp / "w.duckdb", "test-run", date(2026, 11, 29), [])
    try:
        ingest(build.con, sources_dir=sources)
        yield build.con
    finally:
        warehouse.abandon(build)


def test_a_catalog_only_model_is_mapped_to_its_score(built):
    mapping = rows(built, "select * from marts.capability_model_map where arena_model = 'fx-large-20250301'")
    assert [(r["model_id"], r["lineup_model_id"], r["vendor_id"], r["matched_by"], r["lineup_key_match"])
            for r in mapping] == [(None, "fx-large", "mistral", "lineup", True)]
    current = rows(built, "select * from capability_current where model_id = 'fx-large'")
    assert [(r["vendor_id"], r["is_curated"], r["leaderboard_on"], r["arena_model"], r["score"], r["score_low"],
             r["score_high"], r["rank_in_category"], r["category_size"]) for r in current] == [
        ("mistral", False, D3, "fx-large-20250301", 1333.0, 1321.0, 1345.0, 1, 4)]


def test_a_model_newer_than_the_latest_leaderboard_reads_not_rated_with_its_date(built):
    current = rows(built, "select * from capability_current where model_id = 'fx-nova'")
    assert [(r["vendor_id"], r["is_curated"], r["first_listed_on"], r["leaderboard_on"], r["score"], r["arena_model"])
            for r in current] == [("mistral", False, LISTED_LATER, D3, None, None)]
    # "not rated (leaderboard of 2025-03-10)": newer than the board, so no score yet
    assert current[0]["first_listed_on"] > current[0]["leaderboard_on"]


def test_curated_models_keep_their_scores(built):
    got = {r["model_id"]: (r["is_curated"], r["arena_model"], r["score"])
           for r in rows(built, "select * from capability_current where is_curated")}
    assert got == {"gpt-4o": (True, "gpt-4o-2024-05-13", 1310.0), "fx-medium": (True, None, None),
                   "fx-small": (True, "mistral-medium-2505", 1290.0)}


def test_the_bundled_fonts_draw_the_korean_standard_syllables():
    assert len(fonts.common_hangul()) == 2350
    assert fonts.undrawable("김한 가힝 ㄱㅎ") == []
    assert fonts.undrawable("똠") == ["똠"]  # outside KS X 1001's 2,350: refused by name, not dropped


def test_hangul_is_drawn_in_the_pdf_text_layer(tmp_path):
    """A Korean name through the PDF typesetter with the bundled fonts only: pdftotext reads it back,
    and the same HTML gives the same bytes."""
    from flows.report.typeset import render_pdf

    html = ('<html><head><link rel="stylesheet" href="fonts.css"></head>'
            '<body style="font-family: \'VB Sans\', \'VB CJK\'"><p>Founders: A. Founder, 김한 (한국어)</p></body></html>')
    pdf, blocked = render_pdf(html, "2026-11-29", "0" * 32)
    assert blocked == [] and pdf == render_pdf(html, "2026-11-29", "0" * 32)[0]
    (tmp_path / "k.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "k.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "김한 (한국어)" in text
    fonts_used = subprocess.run(["pdffonts", str(tmp_path / "k.pdf")], capture_output=True, text=True, check=True).stdout
    assert "+VB-CJK " in fonts_used  # the bundled subset, embedded
