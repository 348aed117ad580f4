"""LMArena leaderboards: the loader, dated history, bounds, name mapping, quarantine, load order."""

from __future__ import annotations

import gzip
import http.server
import math
import shutil
import threading
from datetime import date
from functools import partial

import duckdb
import pytest
from flows.errors import InputError, VendorbriefError
from flows.settings import ROOT, SQL_DIR
from flows.sources import lmarena
from flows.warehouse import store as warehouse
from flows.warehouse.build import run_step, statement
from flows.warehouse.load import ingest

from .conftest import DATA, FIXTURE_SOURCES, rows

# With pytest-xdist all on one worker: the module's build is made once.
pytestmark = pytest.mark.xdist_group("lmarena-build")

LB = DATA / "lmarena"
V1, V2, V3 = LB / "lb-2025-01-10.json", LB / "lb-2025-02-10.json.gz", LB / "lb-2025-03-10.json"
D1, D2, D3 = date(2025, 1, 10), date(2025, 2, 10), date(2025, 3, 10)
RAW = ("raw/lmarena__leaderboards.sql", "raw/lmarena__scores.sql", "raw/lmarena__quarantine.sql")


# --- the loader -------------------------------------------------------------------------------

def test_parse_keeps_scores_with_bounds_and_quarantines_bad_entries():
    board = lmarena.load(V1, D1)
    assert (board.as_of, board.source_uri) == (D1, str(V1))
    assert len(board.sha256) == 64
    assert {(r["category"], r["arena_model"]): (r["rating_q025"], r["rating"], r["rating_q975"]) for r in board.rows} == {
        ("coding", "gpt-4o-2024-05-13"): (1300.0, 1310.0, 1320.0),
        ("coding", "mistral-medium-latest"): (1250.0, 1260.0, 1270.0),
        ("full", "gpt-4o-2024-05-13"): (1290.0, 1300.0, 1310.0),
        ("full", "gpt-4o-high"): (1310.0, 1320.0, 1330.0),
        ("full", "mistral-medium-latest"): (1240.0, 1250.0, 1260.0),
        ("full", "other-model"): (1190.0, 1200.0, 1210.0),
    }
    assert [(q["category"], q["arena_model"], q["field"]) for q in board.quarantine] == [("full", "bad-bounds", "rating_q025")]
    assert "q025 1120.0 <= rating 1100.0" in board.quarantine[0]["reason"]


def test_non_finite_score_is_quarantined_from_a_gzipped_file():
    board = lmarena.load(V2, D2)
    assert [(q["arena_model"], q["field"]) for q in board.quarantine] == [("nan-model", "rating")]
    assert "finite" in board.quarantine[0]["reason"]
    assert all(math.isfinite(r["rating"]) for r in board.rows) and len(board.rows) == 4


@pytest.mark.parametrize("entry, field, problem", [
    ('{"rating": 1200, "rating_q025": 1190}', "rating_q975", "missing"),
    ('{"rating": "1200", "rating_q025": 1190, "rating_q975": 1210}', "rating", "expected a number"),
    ('{"rating": Infinity, "rating_q025": 1190, "rating_q975": 1210}', "rating", "finite"),
    ('{"rating": 1200, "rating_q025": 1190, "rating_q975": 1195}', "rating_q975", "bounds inconsistent"),
    ('{"rating": 1e9, "rating_q025": 1190, "rating_q975": 2e9}', "rating", "implausible"),
    ('[1200, 1190, 1210]', "(entry)", "expected an object"),
])
def test_bad_entries_are_quarantined_with_a_reason(entry, field, problem):
    raw = ('{"full": {"ok": {"rating": 1200, "rating_q025": 1190, "rating_q975": 1210}, "bad": %s}}' % entry).encode()
    board = lmarena.parse(raw, D1, "lb.json")
    assert [r["arena_model"] for r in board.rows] == ["ok"]
    assert [(q["arena_model"], q["field"]) for q in board.quarantine] == [("bad", field)]
    assert problem in board.quarantine[0]["reason"]


@pytest.mark.parametrize("body, problem", [
    (b"{", "not valid JSON"),
    (b"[]", "expected an object of categories"),
    (b'{"coding": {}}', "no 'full'"),
    (b'{"full": []}', "expected an object of models"),
    (b'{"full": {"a": {"rating": NaN, "rating_q025": 1, "rating_q975": 2}}}', "no usable entry"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_a_file_that_is_not_a_leaderboard_is_refused_naming_it(body, problem):
    with pytest.raises(InputError, match=problem) as info:
        lmarena.parse(body, D1, "some/leaderboard.json")
    assert info.value.file == "some/leaderboard.json" and "not a leaderboard" in str(info.value)


def test_gzipped_and_plain_json_are_the_same_content(tmp_path):
    plain = tmp_path / "v2.json"
    plain.write_bytes(gzip.decompress(V2.read_bytes()))
    assert lmarena.load(plain, D2).sha256 == lmarena.load(V2, D2).sha256


def test_reads_a_url():
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(LB))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        board = lmarena.load(f"{url}/{V1.name}", D1)
        assert board.sha256 == lmarena.load(V1, D1).sha256 and board.source_uri == f"{url}/{V1.name}"
        assert len(lmarena.load(f"{url}/{V2.name}", D2).rows) == 4
        with pytest.raises(Exception):
            lmarena.load(f"{url}/missing.json", D1)
    finally:
        server.shutdown()
        server.server_close()


# --- dated history in raw tables ------------------------------------------------------------

@pytest.fixture
def raw_con():
    con = duckdb.connect()
    con.execute("create schema raw")
    for rel in RAW:
        con.execute(statement(SQL_DIR / rel))
    yield con
    con.close()


def _raw_state(con) -> dict:
    return {
        "boards": con.execute("select leaderboard_id, as_of, sha256, score_count, quarantined_count "
                              "from raw.lmarena__leaderboards order by as_of").fetchall(),
        "scores": con.execute("select b.as_of, s.category, s.arena_model, s.rating, s.rating_q025, s.rating_q975 "
                              "from raw.lmarena__scores s join raw.lmarena__leaderboards b using (leaderboard_id) "
                              "order by all").fetchall(),
        "quarantine": con.execute("select b.as_of, q.arena_model, q.field from raw.lmarena__quarantine q "
                                  "join raw.lmarena__leaderboards b using (leaderboard_id) order by all").fetchall(),
    }


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_load_order_does_not_change_history(raw_con, order):
    boards = [lmarena.load(V1, D1), lmarena.load(V2, D2), lmarena.load(V3, D3)]
    assert [lmarena.add_leaderboard(raw_con, boards[i]) for i in order] == ["added"] * 3
    state = _raw_state(raw_con)
    assert [b[1] for b in state["boards"]] == [D1, D2, D3]
    assert [(b[3], b[4]) for b in state["boards"]] == [(6, 1), (4, 1), (3, 0)]
    assert state["quarantine"] == [(D1, "bad-bounds", "rating_q025"), (D2, "nan-model", "rating")]
    con = duckdb.connect()
    con.execute("create schema raw")
    for rel in RAW:
        con.execute(statement(SQL_DIR / rel))
    for board in boards:
        lmarena.add_leaderboard(con, board)
    assert _raw_state(con) == state


def test_same_content_same_or_later_date_is_a_no_op(raw_con):
    assert lmarena.add_leaderboard(raw_con, lmarena.load(V2, D2)) == "added"
    before = _raw_state(raw_con)
    assert lmarena.add_leaderboard(raw_con, lmarena.load(V2, D2)) == "unchanged"
    assert lmarena.add_leaderboard(raw_con, lmarena.load(V2, date(2025, 6, 1))) == "unchanged"
    assert _raw_state(raw_con) == before


def test_same_content_under_an_earlier_date_moves_it_earlier(raw_con, tmp_path):
    lmarena.add_leaderboard(raw_con, lmarena.load(V2, D2))
    copy = tmp_path / "copy.json"
    copy.write_bytes(gzip.decompress(V2.read_bytes()))
    assert lmarena.add_leaderboard(raw_con, lmarena.load(copy, date(2025, 2, 1))) == "moved"
    state = _raw_state(raw_con)
    assert [(b[1], b[3]) for b in state["boards"]] == [(date(2025, 2, 1), 4)]
    assert {s[0] for s in state["scores"]} == {date(2025, 2, 1)} and len(state["scores"]) == 4
    assert raw_con.execute("select source_uri from raw.lmarena__leaderboards").fetchall() == [(str(copy),)]


def test_different_content_under_a_taken_date_is_refused(raw_con):
    lmarena.add_leaderboard(raw_con, lmarena.load(V1, D1))
    with pytest.raises(VendorbriefError, match="already loaded as of 2025-01-10"):
        lmarena.add_leaderboard(raw_con, lmarena.load(V3, D1))


# --- mapping rules ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, field, problem", [
    ("variants: [{pattern: 'high', weight: 2}]", "weight", "unknown field"),
    ("variants: [{pattern: '(unclosed'}]", "pattern", "not a regular expression"),
    ("drop_suffixes: [{pattern: '\\d{8}$'}]", "pattern", "no anchors"),
    ("drop_suffixes: [{pattern: '(?!x)\\d+'}]", "pattern", "look-around"),
    ("pairs: [{arena: a, model_id: b}, {arena: a, model_id: c}]", "arena", "paired twice"),
    ("pairs: [{arena: a}]", "model_id", "names a model_id"),
    ("rules: []", "rules", "unknown field"),
])
def test_model_map_refuses_bad_rules(tmp_path, text, field, problem):
    path = tmp_path / "model_map.yaml"
    path.write_text(text + "\n")
    with pytest.raises(InputError, match=problem) as info:
        lmarena.load_model_map(path)
    assert info.value.field == field


def test_bundled_listing_and_map_are_well_formed():
    listing = lmarena.facts.read_yaml(ROOT / "data/sources/lmarena/leaderboards.yaml")
    assert len(listing) == 13 and [e["as_of"] for e in listing] == sorted(e["as_of"] for e in listing)
    for entry in listing:
        assert (ROOT / "data/sources/lmarena" / entry["file"]).is_file()
        assert entry["origin"] == f"https://github.com/lmarena/arena-catalog/blob/{entry['commit']}/data/leaderboard-text.json"
    model_map = lmarena.load_model_map(ROOT / "data/sources/lmarena/model_map.yaml")
    assert {p["arena_model"] for p in model_map.pairs} >= {"mistral-medium-2505", "mistral-medium-2508"}


# --- in the warehouse (fixture vendors: gpt-4o, fx-medium, fx-small) ---------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lmarena")
    sources = tmp / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    shutil.copytree(LB, sources / "lmarena")
    build = warehouse.start_build(tmp / "w.duckdb", "test-run", date(2026, 11, 29), [])
    try:
        counts = ingest(build.con, sources_dir=sources)
        yield build.con, counts
    finally:
        warehouse.abandon(build)


def _as_of(con, day: date) -> None:
    con.execute("update raw.run_context set as_of = ?", [day])
    run_step(con, "transform")


def test_ingest_loads_the_listed_leaderboards(built):
    con, counts = built
    assert (counts["lmarena_leaderboards_added"], counts["lmarena_leaderboards"], counts["lmarena_quarantined"]) == (3, 3, 2)
    assert rows(con, "select leaderboard_on, origin, origin_commit from staging.stg_lmarena__leaderboards order by 1")[0] == {
        "leaderboard_on": D1, "origin_commit": "0" * 39 + "1",
        "origin": "https://github.com/lmarena/arena-catalog/blob/" + "0" * 39 + "1/data/leaderboard-text.json"}
    assert [(r["arena_model"], r["field"]) for r in rows(con, "select * from staging.stg_lmarena__quarantine order by arena_model")] == [
        ("bad-bounds", "rating_q025"), ("nan-model", "rating")]


def test_history_of_scores_with_bounds_and_ranks(built):
    con, _ = built
    _as_of(con, date(2026, 11, 29))
    history = con.execute("""
        select leaderboard_on, category, score_low, score, score_high, rank_in_category from capability_scores
        where arena_model = 'gpt-4o-2024-05-13' order by leaderboard_on, category""").fetchall()
    assert history == [
        (D1, "coding", 1300.0, 1310.0, 1320.0, 1), (D1, "full", 1290.0, 1300.0, 1310.0, 2),
        (D2, "full", 1295.0, 1305.0, 1315.0, 1), (D3, "full", 1300.0, 1310.0, 1320.0, 1)]
    ranks = con.execute("select arena_model, rank_in_category from capability_scores "
                        "where leaderboard_on = ? and category = 'full' order by 2, 1", [D2]).fetchall()
    assert ranks == [("gpt-4o-2024-05-13", 1), ("other-model", 1), ("mistral-medium-2505", 3), ("mistral-medium-latest", 4)]
    bad = con.execute("select count(*) from capability_scores where not (score_low <= score and score <= score_high)").fetchall()
    assert bad == [(0,)]
    assert con.execute("select count(*) from capability_scores where arena_model in ('bad-bounds', 'nan-model')").fetchall() == [(0,)]
    columns = [c for (c,) in con.execute("select column_name from duckdb_columns() where table_name = 'capability_scores' "
                                         "and schema_name = 'main' order by column_index").fetchall()]
    assert columns == ["leaderboard_on", "category", "arena_model", "model_id", "vendor_id", "score", "score_low",
                       "score_high", "rank_in_category"]


def test_arena_names_map_to_curated_models(built):
    con, _ = built
    mapping = {r["arena_model"]: (r["model_id"], r["vendor_id"], r["variant"], r["matched_by"])
               for r in rows(con, "select * from marts.capability_model_map")}
    assert mapping == {
        "gpt-4o-2024-05-13": ("gpt-4o", "openai", None, "model_id"),      # dated suffix dropped
        "gpt-4o-high": ("gpt-4o", "openai", "high", "model_id"),          # effort suffix kept as the variant
        "mistral-medium-latest": ("fx-medium", "mistral", None, "catalog_ref"),  # a curated model's catalog reference
        "mistral-medium-2505": ("fx-small", "mistral", None, "pair"),     # explicit pair
        "other-model": (None, None, None, None),
    }


def test_current_capability_uses_the_latest_leaderboard_on_or_before_the_as_of_date(built):
    con, _ = built

    def current():
        return {r["model_id"]: (r["leaderboard_on"], r["arena_model"], r["score"], r["score_low"], r["score_high"])
                for r in rows(con, "select * from capability_current")}

    _as_of(con, date(2026, 11, 29))
    assert current() == {"gpt-4o": (D3, "gpt-4o-2024-05-13", 1310.0, 1300.0, 1320.0),
                         "fx-medium": (D3, None, None, None, None),  # not on the board: "not rated (leaderboard of D3)"
                         "fx-small": (D3, "mistral-medium-2505", 1290.0, 1280.0, 1300.0)}
    _as_of(con, date(2025, 1, 31))
    # the default variant wins over gpt-4o-high, though -high scores more
    assert current() == {"gpt-4o": (D1, "gpt-4o-2024-05-13", 1300.0, 1290.0, 1310.0),
                         "fx-medium": (D1, "mistral-medium-latest", 1250.0, 1240.0, 1260.0),
                         "fx-small": (D1, None, None, None, None)}
    _as_of(con, D2)
    assert current()["fx-small"] == (D2, "mistral-medium-2505", 1280.0, 1270.0, 1290.0)
    _as_of(con, date(2024, 12, 31))
    assert set(current().values()) == {(None, None, None, None, None)}
    _as_of(con, date(2026, 11, 29))
