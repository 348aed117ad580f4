"""The price catalogs' history. Time-of-day prices show the price of most of
the day; LiteLLM tiered_pricing lists load priced and every entry is counted by outcome; a
quarantined entry is not a retirement; the earliest observation of a snapshot's content dates it;
genai-prices data files load as dated snapshots beside the installed package's data."""

from __future__ import annotations

import json
import random
import shutil
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from flows.cli import app
from flows.errors import VendorbriefError
from flows.sources import genai_catalog, litellm_catalog
from flows.warehouse import load as ingest
from flows.warehouse import store as warehouse
from genai_prices import Usage
from genai_prices import data as gp_data
from genai_prices.types import ConditionalPrice, ModelInfo, ModelPrice, TimeOfDateConstraint
from typer.testing import CliRunner

from .conftest import DATA, FIXTURE_SOURCES, rows

# With pytest-xdist all on one worker: the module's build is made once.
pytestmark = pytest.mark.xdist_group("catalog-history-build")

CASE_01 = Path("/work/shared/cases/01-litellm-tiered-pricing/snapshot.json")
GENAI_FILE = DATA / "genai-prices-data.json"
S1 = FIXTURE_SOURCES / "litellm" / "litellm-s1.json"  # the fixture sources' bundled map, as of 2025-01-01
PACKAGE_ON = genai_catalog.package_release_date()


def _write(path: Path, body) -> Path:
    path.write_text(json.dumps(body))
    return path


class Build:
    """A build on the fixture sources holding extra catalog snapshots (ingest and transform only)."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.build = warehouse.start_build(tmp / "w.duckdb", "test-run", date(2026, 11, 29), [])
        self.con = self.build.con

    def load(self, litellm: list[tuple[Path, date]] = (), genai: list[tuple[Path, date]] = ()) -> dict:
        counts = ingest.ingest(self.con, [litellm_catalog.load_path(p, d) for p, d in litellm], FIXTURE_SOURCES,
                               [genai_catalog.load_path(p, d) for p, d in genai])
        return counts

    def history(self, source: str, model_id: str) -> list[tuple]:
        """(valid_from, valid_to, input, output, is_retired) of a model; genai-prices: "provider/model"."""
        provider, _, model = model_id.rpartition("/") if source == "genai-prices" else (None, None, model_id)
        return [(r["valid_from"], r["valid_to"], r["input_usd_per_mtok"], r["output_usd_per_mtok"], r["is_retired"])
                for r in rows(self.con, "select * from price_history where source = ? and model_id = ? "
                                        "and provider_id is not distinct from coalesce(?, provider_id) "
                                        "order by valid_from nulls first", [source, model, provider])]

    def close(self):
        warehouse.abandon(self.build)


@pytest.fixture
def build(tmp_path):
    b = Build(tmp_path)
    yield b
    b.close()


@pytest.fixture(scope="module")
def package_build(tmp_path_factory):
    """The fixture sources with the installed genai-prices package only: read-only for the tests."""
    b = Build(tmp_path_factory.mktemp("package"))
    b.load()
    yield b
    b.close()


# ---- 7. time-of-day prices ----------------------------------------------------------------------

def test_standard_price_is_the_price_in_force_most_of_the_day(package_build):
    assert package_build.history("genai-prices", "deepseek/deepseek-chat") == [(None, None, 0.27, 1.1, False)]
    assert package_build.history("genai-prices", "deepseek/deepseek-v4-flash") == [
        (None, date(2026, 8, 17), 0.14, 0.28, False),
        (date(2026, 8, 17), date(2026, 9, 10), 0.22, 0.66, False),
        (date(2026, 9, 10), None, 0.15, 0.6, False),
    ]
    windows = rows(package_build.con, """
        select model_id, time_from, time_to, is_standard, time_of_day_kind, input_usd_per_mtok, output_usd_per_mtok
        from price_time_of_day where provider_id = 'deepseek' and model_id in ('deepseek-chat', 'deepseek-v4-flash')
          and (valid_from is null and model_id = 'deepseek-chat' or valid_from = date '2026-09-10')
        order by model_id, time_from""")
    assert [tuple(w.values()) for w in windows] == [
        ("deepseek-chat", time(0, 30), time(16, 30), True, "standard", 0.27, 1.1),
        ("deepseek-chat", time(16, 30), time(0, 30), False, "off-peak", 0.135, 0.55),
        ("deepseek-v4-flash", time(1), time(4), False, "peak", 0.3, 1.2),
        ("deepseek-v4-flash", time(4), time(6), True, "standard", 0.15, 0.6),
        ("deepseek-v4-flash", time(6), time(10), False, "peak", 0.3, 1.2),
        ("deepseek-v4-flash", time(10), time(1), True, "standard", 0.15, 0.6),
    ]


def test_the_standard_price_sums_its_windows_and_a_tie_goes_to_the_dearer():
    """Off-peak 18-02 is the longest single window (8 h), but the standard price is in force
    02-09 and 12-18 (13 h); a 12 h / 12 h split takes the dearer price."""
    def model(*windows):
        prices = [ConditionalPrice(prices=ModelPrice(input_mtok=Decimal(2), output_mtok=Decimal(8)))]
        prices += [ConditionalPrice(constraint=TimeOfDateConstraint(start_time=time(a, tzinfo=UTC), end_time=time(b, tzinfo=UTC)),
                                    prices=ModelPrice(input_mtok=Decimal(p), output_mtok=Decimal(4 * p))) for a, b, p in windows]
        return ModelInfo(id="m", match=None, prices=prices)

    segments = genai_catalog._segments(model((18, 2, 1), (9, 12, 3)), date(2026, 1, 1))
    main, kinds = genai_catalog._classify(segments)
    assert [(s[0].hour, s[1].hour, float(s[2].input_mtok)) for s in segments] == [
        (18, 2, 1.0), (2, 9, 2.0), (9, 12, 3.0), (12, 18, 2.0)]
    assert (main, kinds) == (1, ["off-peak", "standard", "peak", "standard"])
    segments = genai_catalog._segments(model((0, 12, 1)), date(2026, 1, 1))
    assert genai_catalog._classify(segments)[1] == ["off-peak", "standard"]


def _calc(model, provider, when: datetime, usage: Usage) -> Decimal:
    return model.calc_price(usage, provider, genai_request_timestamp=when).total_price


def test_price_history_agrees_with_calc_price_at_noon_on_sampled_dates_for_every_model(package_build):
    """Every genai-prices model with a token price: on the first and last day of each period
    and one random day inside it, at 12:00 UTC, calc_price equals the period's prices."""
    models = {(p.id, m.id): (p, m) for p in gp_data.providers for m in p.models}
    per_request = {(r["provider_id"], r["model_id"], r["valid_from"]): r["price_usd"] for r in rows(package_build.con, """
        select * from staging.stg_genai_prices__components where price_key = 'requests_kcount'""")}
    history = rows(package_build.con, """select * from price_history where source = 'genai-prices'
                                         and (input_usd_per_mtok is not null or output_usd_per_mtok is not null)""")
    priced = {(r["provider_id"], r["model_id"]) for r in history}
    assert len(priced) == 2125 and len(history) == 2420
    rng = random.Random(13)
    mismatches, checked = [], 0
    for r in history:
        start = r["valid_from"] or date(2024, 1, 1)
        end = r["valid_to"] - timedelta(days=1) if r["valid_to"] else max(start, date(2027, 6, 30))
        provider, model = models[(r["provider_id"], r["model_id"])]
        extra = Decimal(str(per_request.get((r["provider_id"], r["model_id"], r["valid_from"])) or 0)) / 1000
        for day in {start, end, start + timedelta(days=rng.randrange(max((end - start).days, 1)))}:
            noon = datetime.combine(day, time(12), UTC)
            for inp, out, cached in ((1000, 500, 0), (4000, 0, 1500)):
                want = extra + (Decimal(inp - (cached if r["cache_read_usd_per_mtok"] is not None else 0))
                                * Decimal(str(r["input_usd_per_mtok"] or 0))
                                + out * Decimal(str(r["output_usd_per_mtok"] or 0))
                                + cached * Decimal(str(r["cache_read_usd_per_mtok"] or 0))) / 1_000_000
                got = _calc(model, provider, noon, Usage(input_tokens=inp, output_tokens=out, cache_read_tokens=cached))
                checked += 1
                if abs(got - want) > Decimal("1e-12"):
                    mismatches.append((r["provider_id"], r["model_id"], day, got, want))
    assert mismatches == [] and checked > 10_000


# ---- 8. LiteLLM entry formats -------------------------------------------------------------------

def test_case_01_tiered_pricing_loads_as_base_price_and_tiers(build):
    build.load(litellm=[(CASE_01, date(2026, 11, 28))])
    got = rows(build.con, """select model_id, input_usd_per_mtok, output_usd_per_mtok, is_tiered from price_history
                              where model_id like '%-test' order by model_id""")
    assert [tuple(r.values()) for r in got] == [
        ("dashscope/qwen-flash-tiered-test", 0.05, 0.4, True),
        ("gemini/control-tier200k-test", 1.25, 10.0, True),
    ]
    tiers = rows(build.con, """select model_id, price_key, tier_start_tokens, tier_usd_per_mtok from price_tiers
                               where model_id like '%-test' order by model_id, price_key""")
    assert [tuple(r.values()) for r in tiers] == [
        ("dashscope/qwen-flash-tiered-test", "input", 256000, 0.25),
        ("dashscope/qwen-flash-tiered-test", "output", 256000, 2.0),
        ("gemini/control-tier200k-test", "input", 200000, 2.5),
        ("gemini/control-tier200k-test", "output", 200000, 15.0),
    ]
    assert rows(build.con, "select * from dq_quarantine where record_key like '%-test'") == []


ODD_FORMS = {
    "per-token": {"litellm_provider": "openai", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
    "tiered": {"litellm_provider": "volcengine", "tiered_pricing": [
        {"input_cost_per_token": 2e-07, "output_cost_per_token": 8e-07, "cache_read_input_token_cost": 4e-08, "range": [0, 32000]},
        {"input_cost_per_token": 4e-07, "output_cost_per_token": 1.6e-06, "range": [32000, 128000]}]},
    "tiered-and-flat": {"litellm_provider": "opencode_go", "input_cost_per_token": 2e-06, "output_cost_per_token": 6e-06,
                        "tiered_pricing": [{"range": [0, 200000], "input_cost_per_token": 2e-06, "output_cost_per_token": 6e-06},
                                           {"range": [200000, 500000], "input_cost_per_token": 4e-06, "output_cost_per_token": 1.2e-05}]},
    "priority-only": {"litellm_provider": "fireworks_ai", "input_cost_per_token_priority": 1e-06,
                      "output_cost_per_token_priority": 4e-06},
    "tiers-from-1000": {"litellm_provider": "dashscope", "tiered_pricing": [
        {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "range": [1000, 32000]}]},
    "tiers-overlap": {"litellm_provider": "dashscope", "tiered_pricing": [
        {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "range": [0, 32000]},
        {"input_cost_per_token": 2e-06, "output_cost_per_token": 4e-06, "range": [16000, 64000]}]},
    "tier-price-text": {"litellm_provider": "dashscope", "tiered_pricing": [
        {"input_cost_per_token": "1e-06", "output_cost_per_token": 2e-06, "range": [0, 32000]}]},
    "flat-disagrees": {"litellm_provider": "opencode_go", "input_cost_per_token": 3e-06, "tiered_pricing": [
        {"input_cost_per_token": 2e-06, "output_cost_per_token": 6e-06, "range": [0, 200000]}]},
    "search-per-query": {"litellm_provider": "exa_ai", "mode": "search", "tiered_pricing": [
        {"input_cost_per_query": 0.005, "max_results_range": [0, 25]}]},
    "image": {"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04},
    "speech": {"litellm_provider": "openai", "mode": "audio_speech", "input_cost_per_character": 1.5e-05},
    "nothing": {"litellm_provider": "dashscope", "mode": "chat"},
    "latest": {"alias_of": "per-token"},
}


def test_every_entry_is_priced_quarantined_or_counted_without_token_price(tmp_path):
    snap = litellm_catalog.parse(json.dumps(ODD_FORMS).encode(), date(2026, 11, 28), "odd.json")
    forms = {e["model_key"]: e["price_form"] for e in snap.entries}
    assert forms == {"per-token": "per_token", "tiered": "tiered_pricing", "tiered-and-flat": "tiered_pricing",
                     "search-per-query": "none", "image": "none", "speech": "none", "nothing": "none", "latest": "alias"}
    assert {q["model_key"]: (q["field"], q["reason"]) for q in snap.quarantine} == {
        "priority-only": ("input_cost_per_token_priority", "token prices only as input_cost_per_token_priority, "
                          "output_cost_per_token_priority: no standard input_cost_per_token, output_cost_per_token "
                          "or tiered_pricing"),
        "tiers-from-1000": ("tiered_pricing", "no tier starts at 0 tokens (the first starts at 1000): no base price"),
        "tiers-overlap": ("tiered_pricing", "tiers overlap: one ends at 32000 tokens, the next starts at 16000"),
        "tier-price-text": ("tiered_pricing[1].input_cost_per_token", "expected a number, got str '1e-06'"),
        "flat-disagrees": ("input_cost_per_token", "3e-06 disagrees with the tier of tiered_pricing starting at 0 tokens (2e-06)"),
    }
    assert snap.row() | {"sha256": None} == {
        "snapshot_id": snap.snapshot_id, "as_of": date(2026, 11, 28), "sha256": None, "source_uri": "odd.json",
        "version": None, "entry_count": 8, "priced_count": 3, "quarantined_count": 5, "no_token_price_count": 4,
        "alias_count": 1, "parser_version": litellm_catalog.PARSER_VERSION}
    tiered = next(e for e in snap.entries if e["model_key"] == "tiered")
    assert (tiered["input_usd_per_token"], tiered["output_usd_per_token"], tiered["cache_read_usd_per_token"]) == (
        2e-07, 8e-07, 4e-08)
    assert sorted((t["model_key"], t["price_key"], t["tier_start_tokens"], t["tier_usd_per_token"]) for t in snap.tiers) == [
        ("tiered", "input", 32000, 4e-07), ("tiered", "output", 32000, 1.6e-06),
        ("tiered-and-flat", "input", 200000, 4e-06), ("tiered-and-flat", "output", 200000, 1.2e-05)]


def test_bundled_maps_counted_by_outcome():
    """The three bundled LiteLLM maps: entries by outcome, and the tiered_pricing entries now priced."""
    folder = Path(__file__).parent.parent / "data" / "sources" / "litellm"
    got = {}
    for version, name in (("1.79.1", "1.79.1"), ("1.85.3", "1.85.3"), ("1.110.2", "1.110.2")):
        snap = litellm_catalog.load_path(folder / f"model_prices_and_context_window-{name}.json.gz", date(2026, 1, 1), version)
        got[version] = (snap.counts(), sum(e["price_form"] == "tiered_pricing" for e in snap.entries))
    assert got == {
        "1.79.1": ({"priced_count": 1454, "quarantined_count": 14, "no_token_price_count": 236, "alias_count": 0}, 10),
        "1.85.3": ({"priced_count": 2261, "quarantined_count": 15, "no_token_price_count": 434, "alias_count": 0}, 18),
        "1.110.2": ({"priced_count": 3994, "quarantined_count": 2, "no_token_price_count": 783, "alias_count": 98}, 54),
    }


# ---- 9. quarantine is not retirement ------------------------------------------------------------

def test_a_quarantined_entry_keeps_the_last_good_period_open(build, tmp_path):
    body = json.loads(S1.read_text())
    body["gpt-4o"]["input_cost_per_token"] = "2.5e-06"  # quarantined: a price as text
    quarantined = _write(tmp_path / "q.json", body)
    gone = _write(tmp_path / "gone.json", {k: v for k, v in body.items() if k != "gpt-4o"})
    build.load(litellm=[(quarantined, date(2025, 6, 1))])
    assert build.history("litellm", "gpt-4o") == [(date(2025, 1, 1), None, 2.5, 10.0, False)]
    # the next snapshot that leaves the model out retires it on its own date
    build.load(litellm=[(gone, date(2025, 9, 1))])
    assert build.history("litellm", "gpt-4o") == [(date(2025, 1, 1), date(2025, 9, 1), 2.5, 10.0, True)]


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.slow
def test_ingest_litellm_prints_counts_and_a_quarantine_reports_no_retired_model(tmp_path, fixture_run):
    """`vendorbrief ingest litellm` on a copy of the published fixture warehouse: the next day's map
    quarantines gpt-4o (NaN price); the command prints each snapshot's entries by outcome, gpt-4o
    keeps its price and the run's edition_changes has no retired_model."""
    wh = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_run["warehouse"], wh)
    body = json.loads(S1.read_text())
    body["gpt-4o"]["output_cost_per_token"] = float("nan")
    path = tmp_path / "q.json"
    path.write_text(json.dumps(body))  # NaN: quarantined
    result = _cli("ingest", "litellm", str(path), "--as-of", "2026-11-30", "--plain", "--warehouse", str(wh),
                  "--out", str(tmp_path / "out"), "--sources", str(FIXTURE_SOURCES))
    text = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "LiteLLM snapshots in the warehouse: 2 (1 new)" in text
    assert ("litellm==fixture-1 (as of 2025-01-01): 3 priced, 0 quarantined, 0 without a token price, "
            "0 aliases") in text
    assert "(as of 2026-11-30): 2 priced, 1 quarantined, 0 without a token price, 0 aliases" in text
    with duckdb.connect(str(wh), read_only=True) as con:
        assert rows(con, "select kind, subject from edition_changes where kind = 'retired_model'") == []
        current = rows(con, "select valid_from, is_retired from prices_current where source = 'litellm' and model_id = 'gpt-4o'")
        quarantine = rows(con, "select record_key, field from dq_quarantine where source_table = 'litellm snapshot'")
        as_of = con.execute("select as_of from raw.run_context").fetchall()
    assert as_of == [(date(2026, 11, 30),)]
    assert current == [{"valid_from": date(2025, 1, 1), "is_retired": False}]
    assert {"record_key": "gpt-4o", "field": "output_cost_per_token"} in quarantine


@pytest.mark.slow
def test_ingest_commands_on_known_content_and_a_tiny_genai_prices_file(tmp_path, fixture_run):
    """`vendorbrief ingest litellm` with the fixture map's content observed earlier: its periods
    move and the command says so. `vendorbrief ingest genai-prices` with the tiny fixture file:
    as a whole catalog it would retire every other model on its date, so the prices_current suite
    refuses it and the published warehouse stays as it was."""
    wh = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_run["warehouse"], wh)
    common = ["--plain", "--warehouse", str(wh), "--out", str(tmp_path / "out"), "--sources", str(FIXTURE_SOURCES)]
    result = _cli("ingest", "litellm", str(S1), "--as-of", "2024-12-01", *common)
    text = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "LiteLLM snapshots in the warehouse: 1 (0 new)" in text
    assert "observed on 2024-12-01, its periods now start 2024-12-01 (the earliest observation wins)" in text
    assert "litellm==fixture-1 (as of 2024-12-01): 3 priced, 0 quarantined" in text
    before = wh.read_bytes()
    result = _cli("ingest", "genai-prices", str(GENAI_FILE), "--as-of", "2026-11-30", *common)
    text = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert "suite prices_current: table_row_count_to_be_between" in text and "nothing was published" in text
    assert wh.read_bytes() == before


# ---- 10. snapshot dates -------------------------------------------------------------------------

def test_content_seen_earlier_moves_its_periods_and_later_is_a_no_op(build):
    assert build.load()["litellm_snapshots_added"] == 1  # the fixture sources' map, as of 2025-01-01
    counts = build.load(litellm=[(S1, date(2024, 12, 1))])
    assert counts["litellm_snapshots_added"] == 0
    assert counts["litellm_messages"] == [
        "LiteLLM snapshot litellm==fixture-1 (" + str(S1) + "): the same content was recorded as of 2025-01-01; "
        "observed on 2024-12-01, its periods now start 2024-12-01 (the earliest observation wins)"]
    assert build.history("litellm", "gpt-4o") == [(date(2024, 12, 1), None, 2.5, 10.0, False)]
    counts = build.load(litellm=[(S1, date(2025, 3, 1))])
    assert counts["litellm_messages"] == [
        "LiteLLM snapshot litellm==fixture-1 (" + str(S1) + "): the same content is already loaded as of "
        "2024-12-01, earlier than 2025-03-01; nothing changed"]
    assert build.history("litellm", "gpt-4o") == [(date(2024, 12, 1), None, 2.5, 10.0, False)]


def test_moving_onto_the_date_of_another_snapshot_is_refused(build):
    build.load(litellm=[(DATA / "litellm-s2.json", date(2025, 6, 1))])
    with pytest.raises(VendorbriefError, match="cannot move LiteLLM snapshot .* a different snapshot is already loaded"):
        build.load(litellm=[(DATA / "litellm-s3.json", date(2025, 9, 1)), (DATA / "litellm-s3.json", date(2025, 6, 1))])


def test_a_snapshot_parsed_by_an_older_loader_is_parsed_again(build):
    """A warehouse from before tiered_pricing was read: its rows are replaced from the stored bytes."""
    build.load(litellm=[(CASE_01, date(2026, 11, 28))])
    con = build.con
    con.execute("update raw.litellm__entries set input_usd_per_token = null, price_form = null "
                "where model_key = 'dashscope/qwen-flash-tiered-test'")
    con.execute("delete from raw.litellm__tiers where model_key = 'dashscope/qwen-flash-tiered-test'")
    con.execute("update raw.litellm__snapshots set parser_version = null, priced_count = null")
    build.load()
    assert rows(con, """select input_usd_per_token, price_form from raw.litellm__entries
                        where model_key = 'dashscope/qwen-flash-tiered-test'""") == [
        {"input_usd_per_token": 5e-08, "price_form": "tiered_pricing"}]
    assert sorted(r["priced_count"] for r in rows(con, "select priced_count from raw.litellm__snapshots")) == [2, 3]


# ---- 11. genai-prices data files ----------------------------------------------------------------

def test_a_genai_prices_data_file_loads_as_a_dated_snapshot(build):
    counts = build.load(genai=[(GENAI_FILE, date(2026, 11, 30))])
    assert (counts["genai_prices_snapshots_added"], counts["genai_prices_snapshots"]) == (1, 2)
    snaps = rows(build.con, """select snapshot, snapshot_on, priced_count, quarantined_count, no_token_price_count
                               from staging.stg_genai_prices__snapshots order by snapshot_on""")
    assert snaps == [
        {"snapshot": genai_catalog.snapshot_id(), "snapshot_on": PACKAGE_ON, "priced_count": 2125,
         "quarantined_count": 0, "no_token_price_count": 205},
        {"snapshot": "genai-prices@2026-11-30#" + genai_catalog.parse(GENAI_FILE.read_bytes(), date(2026, 11, 30), "f").sha256[:12],
         "snapshot_on": date(2026, 11, 30), "priced_count": 4, "quarantined_count": 0, "no_token_price_count": 0},
    ]
    # unchanged prices continue; a changed one opens a period on the file's date; a new model starts then
    assert build.history("genai-prices", "deepseek/deepseek-chat") == [(None, None, 0.27, 1.1, False)]
    assert build.history("genai-prices", "deepseek/deepseek-reasoner") == [
        (None, date(2026, 11, 30), 0.55, 2.19, False), (date(2026, 11, 30), None, 0.28, 0.42, False)]
    assert build.history("genai-prices", "acme/acme-1") == [(date(2026, 11, 30), None, 1.0, 4.0, False)]
    assert build.history("genai-prices", "acme/acme-night") == [(date(2026, 11, 30), None, 2.0, 8.0, False)]
    # a model the file no longer lists is retired on its date
    assert build.history("genai-prices", "deepseek/deepseek-v4-flash")[-1] == (date(2026, 9, 10), date(2026, 11, 30), 0.15, 0.6, True)
    tiers = rows(build.con, "select model_id, valid_from, price_key, tier_start_tokens, tier_usd_per_mtok from price_tiers "
                            "where provider_id = 'acme'")
    assert tiers == [{"model_id": "acme-1", "valid_from": date(2026, 11, 30), "price_key": "input",
                      "tier_start_tokens": 200000, "tier_usd_per_mtok": 2.0}]
    night = rows(build.con, "select time_from, time_to, time_of_day_kind from price_time_of_day where model_id = 'acme-night' "
                            "order by time_from")
    assert [tuple(r.values()) for r in night] == [(time(2), time(9), "standard"), (time(9), time(12), "peak"),
                                                  (time(12), time(18), "standard"), (time(18), time(2), "off-peak")]


def test_genai_prices_data_file_agrees_with_calc_price_at_noon(build):
    from genai_prices.data_snapshot import DataSnapshot
    from genai_prices.types import _providers_from_raw

    build.load(genai=[(GENAI_FILE, date(2026, 11, 30))])
    fetched = DataSnapshot(_providers_from_raw(json.loads(GENAI_FILE.read_text())), from_auto_update=False)
    for r in rows(build.con, "select * from price_history where snapshot like 'genai-prices@%'"):
        for day in (date(2026, 11, 30), date(2027, 3, 1)):
            got = fetched.calc(Usage(input_tokens=1000, output_tokens=100), r["model_id"], r["provider_id"], None,
                               datetime.combine(day, time(12), UTC)).total_price
            assert got == (Decimal(1000) * Decimal(str(r["input_usd_per_mtok"]))
                           + 100 * Decimal(str(r["output_usd_per_mtok"]))) / 1_000_000, r["model_id"]


def test_genai_prices_bad_models_are_quarantined_and_keep_their_period(build, tmp_path):
    body = json.loads(GENAI_FILE.read_text())
    body[0]["models"][1]["prices"]["input_mtok"] = "cheap"
    body[1]["models"].append({"id": "acme-2", "match": {"equals": "acme-2"}, "prices": {"input_mtok": -1}})
    body[1]["models"] = [m for m in body[1]["models"] if m["id"] != "acme-night"]
    later = _write(tmp_path / "later.json", body)
    counts = build.load(genai=[(GENAI_FILE, date(2026, 11, 30)), (later, date(2026, 12, 7))])
    assert counts["genai_prices_snapshots_added"] == 2
    assert rows(build.con, """select record_key, field, reason from dq_quarantine where source_table = 'genai-prices snapshot'
                              order by record_key""") == [
        {"record_key": "acme/acme-2", "field": "input_mtok", "reason": "negative price -1"},
        {"record_key": "deepseek/deepseek-reasoner", "field": "input_mtok.decimal",
         "reason": "Input should be a valid decimal: 'cheap'"},
    ]
    assert build.history("genai-prices", "deepseek/deepseek-reasoner")[-1] == (date(2026, 11, 30), None, 0.28, 0.42, False)
    assert build.history("genai-prices", "acme/acme-night") == [(date(2026, 11, 30), date(2026, 12, 7), 2.0, 8.0, True)]


def test_genai_prices_files_that_are_not_data_files_are_refused():
    from flows.errors import InputError

    for body, problem in ((b"{}", "expected a JSON list of providers"), (b"[", "not valid JSON"),
                          (b"[{\"id\": \"x\"}]", "holds no usable model")):
        with pytest.raises(InputError, match=problem):
            genai_catalog.parse(body, date(2026, 11, 30), "f.json")
