"""price_history agrees with genai-prices' own calculator, on every start-date boundary."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from flows.sources.genai_catalog import flatten, snapshot_id
from genai_prices import Usage
from genai_prices import data as gp_data

from .conftest import rows


def _models():
    return {(p.id, m.id): (p, m) for p in gp_data.providers for m in p.models}


def _standard_time(tod: dict, key: tuple, valid_from) -> time:
    windows = tod.get((key, valid_from))
    return windows if windows else time(12, 0)


def _expected(row: dict, inp: int, out: int, cached: int, per_request: float | None) -> Decimal:
    """Tokens at the period's prices, plus the per-request price some models charge (one request)."""
    price = lambda v: Decimal(str(v or 0))  # noqa: E731
    cache = row["cache_read_usd_per_mtok"]
    fresh = inp - (cached if cache is not None else 0)
    total = fresh * price(row["input_usd_per_mtok"]) + out * price(row["output_usd_per_mtok"])
    if cache is not None:
        total += cached * price(cache)
    return total / Decimal(1_000_000) + price(per_request) / 1000


def test_price_history_matches_calc_price_on_sampled_triples(con_fixture):
    history = rows(con_fixture, """
        select * from price_history where source = 'genai-prices'
        and (input_usd_per_mtok is not null or output_usd_per_mtok is not null)""")
    tod = {((r["provider_id"], r["model_id"]), r["valid_from"]): r["time_from"]
           for r in rows(con_fixture, "select * from price_time_of_day where is_standard")}
    by_model: dict[tuple, list[dict]] = {}
    for r in history:
        by_model.setdefault((r["provider_id"], r["model_id"]), []).append(r)
    models = _models()
    per_request = {(r["provider_id"], r["model_id"], r["valid_from"]): r["price_usd"] for r in rows(con_fixture, """
        select * from staging.stg_genai_prices__components where price_key = 'requests_kcount'""")}

    triples = []  # (row, day)
    for periods in by_model.values():
        for r in periods:
            if r["valid_from"] is not None:  # both sides of every start-date boundary
                triples.append((r, r["valid_from"]))
                before = [p for p in periods if p["valid_to"] == r["valid_from"]]
                triples += [(p, r["valid_from"] - timedelta(days=1)) for p in before]
    boundaries = len(triples)
    rng = random.Random(20261129)
    singles = [p for periods in by_model.values() for p in periods]
    for r in rng.sample(singles, 220):
        start = r["valid_from"] or datetime(2024, 1, 1).date()
        end = r["valid_to"] or datetime(2027, 1, 1).date()
        triples.append((r, start + timedelta(days=rng.randrange(max((end - start).days, 1)))))
    assert boundaries >= 250 and len(triples) >= 450

    mismatches = []
    for r, day in triples:
        provider, model = models[(r["provider_id"], r["model_id"])]
        at = datetime.combine(day, _standard_time(tod, (r["provider_id"], r["model_id"]), r["valid_from"]), UTC)
        for inp, out, cached in ((1000, 500, 0), (4000, 0, 1500)):
            usage = Usage(input_tokens=inp, output_tokens=out, cache_read_tokens=cached)
            got = model.calc_price(usage, provider, genai_request_timestamp=at).total_price
            want = _expected(r, inp, out, cached, per_request.get((r["provider_id"], r["model_id"], r["valid_from"])))
            if abs(got - want) > Decimal("1e-12"):
                mismatches.append((r["provider_id"], r["model_id"], day, got, want))
    assert mismatches == []


def test_time_of_day_windows_match_calc_price(con_fixture):
    """Every time-of-day window (e.g. DeepSeek off-peak) is the price calc_price charges then."""
    windows = rows(con_fixture, "select * from price_time_of_day")
    assert windows, "genai-prices ships time-of-day prices (DeepSeek)"
    models = _models()
    for w in windows:
        provider, model = models[(w["provider_id"], w["model_id"])]
        day = w["valid_from"] or datetime(2025, 1, 1).date()
        at = datetime.combine(day, w["time_from"], UTC) + timedelta(minutes=1)
        got = model.calc_price(Usage(input_tokens=1000, output_tokens=0), provider, genai_request_timestamp=at)
        assert got.total_price == Decimal(str(w["input_usd_per_mtok"])) / 1000, (w["model_id"], w["time_from"])


def test_deepseek_standard_price_is_the_peak_price(con_fixture):
    chat = rows(con_fixture, """select * from price_history where source = 'genai-prices'
                                and provider_id = 'deepseek' and model_id = 'deepseek-chat'""")
    windows = rows(con_fixture, """select * from price_time_of_day where provider_id = 'deepseek'
                                   and model_id = 'deepseek-chat' order by input_usd_per_mtok""")
    assert len(chat) == 1 and chat[0]["has_time_of_day_prices"]
    assert chat[0]["input_usd_per_mtok"] == max(w["input_usd_per_mtok"] for w in windows)
    assert [w["is_standard"] for w in windows] == [False, True]


def test_every_provider_and_model_is_flattened():
    out = flatten()
    assert {p["provider_id"] for p in out["providers"]} == {p.id for p in gp_data.providers}
    assert len(out["models"]) == sum(len(p.models) for p in gp_data.providers)
    assert all(r["snapshot"] == snapshot_id() for r in out["prices"])
    # tiers and variants are kept
    assert out["tiers"] and out["variants"]


def test_tiers_table_keeps_tier_prices(con_fixture):
    models = _models()
    tiers = rows(con_fixture, """
        select t.*, h.valid_to from price_tiers t
        join price_history h on h.source = t.source and h.provider_id = t.provider_id and h.model_id = t.model_id
            and h.valid_from is not distinct from t.valid_from
        where t.source = 'genai-prices' and t.price_key = 'input'
        order by t.provider_id, t.model_id, t.valid_from nulls first limit 40""")
    assert tiers
    for t in tiers:
        provider, model = models[(t["provider_id"], t["model_id"])]
        tokens = t["tier_start_tokens"] + 1
        day = t["valid_from"] or (t["valid_to"] - timedelta(days=1) if t["valid_to"] else datetime(2026, 11, 1).date())
        at = datetime.combine(day, time(12), UTC)
        got = model.calc_price(Usage(input_tokens=tokens, output_tokens=0), provider, genai_request_timestamp=at)
        # above a tier threshold the whole request pays at least the tier's input price
        assert got.input_price >= Decimal(str(t["tier_usd_per_mtok"])) * tokens / 1_000_000 - Decimal("1e-12")
