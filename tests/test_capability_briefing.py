"""The briefings' capability figures over the vendor's whole current lineup: catalog-only
models (listed by the vendor's own platform, no curated facts) carry their LMArena score into the
briefing, the share of current models with a score counts them, and an unrated model says why:
newer than the latest leaderboard ("not rated (leaderboard of D)") or older but absent from it
("not on the leaderboard of D")."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest
from flows.metrics import capability

from .conftest import FIXTURE_AS_OF, run_pipeline
from .harness import LISTED_LATER, capability_sources, chat_entry

BOARD = date(2025, 3, 10)  # the latest fixture leaderboard (tests/data/lmarena)


# The module's tests share one whole run (`briefed`): with pytest-xdist they go to one worker.
pytestmark = pytest.mark.xdist_group("capability-briefed-run")


@pytest.fixture(scope="module")
def briefed(tmp_path_factory):
    """A whole run (HTML) on the fixture sources and leaderboards, LiteLLM's mistral provider as
    Mistral's own platform, and three catalog-only Mistral models: fx-large (first LiteLLM
    snapshot, 2025-01-01; on the 2025-03-10 leaderboard as fx-large-20250301, 1,333 points),
    fx-old (same snapshot, on no leaderboard) and fx-nova (first listed 2025-06-01, after the
    latest leaderboard)."""
    tmp = tmp_path_factory.mktemp("capability_briefing")
    sources = capability_sources(tmp, {"mistral/fx-large": chat_entry("mistral", 2.0, 6.0),
                                       "mistral/fx-old": chat_entry("mistral", 0.5, 1.5)})
    summary = run_pipeline(tmp, sources=sources, formats=("html",), workers=1)
    assert summary["status"] == "success", summary
    with duckdb.connect(str(tmp / "warehouse.duckdb"), read_only=True) as con:
        from flows.report.stage import briefing_contexts

        contexts = {name: c for name, c in briefing_contexts(con, FIXTURE_AS_OF, None, None, None)}
        yield {"con": con, "contexts": contexts,
               "html": {n: (tmp / "out" / "latest" / f"{n}.html").read_text() for n in ("mistral", "landscape")}}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("&#39;", "'")


def test_a_catalog_only_models_score_reaches_the_briefing(briefed):
    ctx = briefed["contexts"]["mistral"]
    large = next(r for r in ctx.capability.models if r.model_id == "fx-large")
    assert (large.score, large.score_low, large.score_high, large.rating_status, large.is_headline, large.is_flagship,
            large.rank_best, large.rank_worst, large.rank_field, large.blended_usd_per_mtok, large.on_market_frontier) == (
        1333.0, 1321.0, 1345.0, "rated", True, False, 1, 1, 2, 3.0, True)
    # the competitive table: Mistral is compared through it (its curated flagship is not on the board)
    mistral = next(c for c in ctx.competition if c.vendor_id == "mistral")
    assert (mistral.capability_model, mistral.capability_is_flagship, mistral.flagship_rating_status,
            mistral.capability_score, mistral.capability_rank_best, mistral.capability_rank_worst) == (
        "fx-large", False, "not_on_leaderboard", 1333.0, 1, 1)
    openai = next(c for c in ctx.competition if c.vendor_id == "openai")
    assert (openai.capability_score, openai.capability_rank_best, openai.capability_rank_worst) == (1310.0, 2, 2)
    # the summary sentence, the other vendors' chart data and the landscape's headline models
    sentence = next(s for s in ctx.summary if s.topic == "capability")
    assert [(p.figure, p.subject, p.value) for p in sentence.phrases if p.kind != "text"] == [
        ("capability_ranks.score", "fx-large", 1333.0), ("capability_ranks.score_low", "fx-large", 1321.0),
        ("capability_ranks.score_high", "fx-large", 1345.0), ("capability_ranks.rank_best", "fx-large", 1.0),
        ("capability_ranks.rank_field", "fx-large", 2.0)]
    assert [(r.model_id, r.score) for r in briefed["contexts"]["openai"].capability.others] == [("fx-large", 1333.0)]
    assert [(h.model_id, h.is_flagship, h.score) for h in briefed["contexts"]["landscape"].headlines] == [
        ("fx-large", False, 1333.0), ("gpt-4o", True, 1310.0)]


def test_the_share_counts_catalog_only_models_and_leaves_retired_ones_out(briefed):
    # Mistral's lineup: fx-medium (curated), fx-large, fx-old, fx-nova (catalog-only) current;
    # fx-small (curated) retired, no catalog lists it: 1 of 4 rated
    ctx = briefed["contexts"]["mistral"]
    assert sorted(r.model_id for r in ctx.capability.models) == ["fx-large", "fx-medium", "fx-nova", "fx-old"]
    assert ctx.capability.rated_share == 0.25
    shares = dict(briefed["con"].execute(
        "select vendor_id, value from vendor_metrics where metric = 'rated_model_share'").fetchall())
    assert shares == {"mistral": 0.25, "openai": 1.0}
    section = _text(briefed["html"]["mistral"].split("<h2>Capability and price-performance</h2>")[1].split("<h2>")[0])
    assert "1 of 4 current models (25%) have a score" in section


def test_each_unrated_model_says_why(briefed):
    ctx = briefed["contexts"]["mistral"]
    assert {r.model_id: r.rating_status for r in ctx.capability.models} == {
        "fx-large": "rated", "fx-medium": "not_on_leaderboard",  # curated, released 2024-03-01
        "fx-old": "not_on_leaderboard",  # catalog-only, first listed 2025-01-01
        "fx-nova": "newer_than_leaderboard"}  # catalog-only, first listed 2025-06-01
    section = _text(briefed["html"]["mistral"].split("<h2>Capability and price-performance</h2>")[1].split("<h2>")[0])
    assert "fx-nova not rated (leaderboard of 2025-03-10)" in section
    assert "fx-old not on the leaderboard of 2025-03-10" in section
    assert "Fixture Medium not on the leaderboard of 2025-03-10" in section
    assert "Highlighted: the flagship." in section and "no curated facts" not in section
    table = briefed["html"]["mistral"].split("<h2>Competitive landscape</h2>")[1].split("</table>")[0]
    row = _text(table.split("Capability (LMArena")[1].split("</tr>")[0])
    assert "flagship not on the leaderboard of 2025-03-10; best rated: fx-large, 1,333 (1,321–1,345) · rank 1 of 2" in row


def test_a_models_age_is_its_release_date_else_its_first_listing():
    assert capability.rating_status(None, BOARD, None, LISTED_LATER) == "newer_than_leaderboard"
    assert capability.rating_status(None, BOARD, None, date(2025, 1, 1)) == "not_on_leaderboard"
    assert capability.rating_status(None, BOARD, None, None) == "not_on_leaderboard"
    assert capability.rating_status(None, BOARD, date(2024, 3, 1), LISTED_LATER) == "not_on_leaderboard"
    assert capability.rating_status(None, BOARD, LISTED_LATER, None) == "newer_than_leaderboard"
    assert capability.rating_status(1300.0, BOARD, None, LISTED_LATER) == "rated"
