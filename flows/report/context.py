"""Plain data for the briefings, read from the warehouse marts. Templates never see SQL.

Every figure a briefing prints comes with a footnote number: `Notes.ref` registers the source
(a curated source id, or a price catalog snapshot) and the as-of date, and returns the number
the sources appendix lists it under.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from flows.config import Config, load_config
from flows.warehouse.store import first_row

CATALOG_TITLES = {
    "genai-prices": ("genai-prices price catalog", "Pydantic (genai-prices package)", "https://pypi.org/project/genai-prices/"),
    "litellm": ("LiteLLM model cost map", "BerriAI (litellm package)", "https://pypi.org/project/litellm/"),
}


def _rows(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> list[dict[str, Any]]:
    cur = con.execute(query, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _plain(value: Any) -> Any:
    """JSON-safe values (dates as ISO strings), so a context can be hashed and sent to a worker."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value


@dataclass
class Notes:
    """Citations: one key per (source, as-of date). The template numbers them in the order the
    reader meets them (see pdf.Citer) and lists them in the sources appendix."""
    sources: dict[str, dict[str, Any]]
    items: dict[str, dict[str, Any]] = field(default_factory=dict)

    def ref(self, source_id: str | None, as_of: Any, what: str = "") -> str | None:
        if not source_id:
            return None
        key = f"{source_id}@{as_of or ''}"
        if key not in self.items:
            self.items[key] = self._describe(source_id, str(as_of) if as_of else "", what)
        return key

    def catalog(self, source: str | None, snapshot: str | None, as_of: Any) -> int | None:
        if not source:
            return None
        return self.ref(f"catalog:{snapshot or source}", as_of, source)

    def _describe(self, source_id: str, as_of: str, what: str) -> dict[str, Any]:
        if source_id.startswith("catalog:"):
            catalog = what or source_id.split(":", 1)[1].split("=")[0].split("@")[0]
            title, publisher, url = CATALOG_TITLES.get(catalog, (catalog, None, None))
            return {"title": f"{title}, snapshot {source_id.split(':', 1)[1]}", "publisher": publisher, "url": url,
                    "as_of": as_of, "note": "price in force on the as-of date"}
        if source_id.startswith(("http://", "https://")):
            return {"title": source_id, "publisher": None, "url": source_id, "as_of": as_of, "note": None}
        s = self.sources.get(source_id, {})
        return {"title": s.get("title", source_id), "publisher": s.get("publisher"), "url": s.get("url"),
                "as_of": as_of, "note": s.get("note")}


def _vendor_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("select vendor_id, vendor_name from marts.vendors").fetchall())


def _flagship(models: list[dict]) -> dict | None:
    flag = [m for m in models if m["model_class"] == "flagship"]
    priced = [m for m in flag if m["input_usd_per_mtok"] is not None]
    pool = priced or flag
    # Latest release first, then the smaller model id, as the metrics stage picks it.
    return max(sorted(pool, key=lambda m: m["model_id"]), key=lambda m: m["released_on"] or date.min) if pool else None


def _metrics(con: duckdb.DuckDBPyConnection, vendor_id: str) -> dict[str, float | None]:
    return dict(con.execute("select metric, value from marts.vendor_metrics where vendor_id = ?", [vendor_id]).fetchall())


def _verdict(config: Config, metrics: dict[str, float | None], vendor: dict, reference_name: str | None,
             profile: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"good_fit": [], "skip_if": []}
    for rule in config.briefing.verdict_rules:
        value = metrics.get(rule.metric)
        if not rule.holds(value):
            continue
        out[rule.verdict].append(rule.text.format(
            value=value, value_pct=f"{value:.0%}", value_x=f"{value:.1f}x", value_int=f"{value:,.0f}",
            reference_name=reference_name or "the reference model", profile=profile,
            jurisdiction=vendor["jurisdiction"], hq_country=vendor["hq_country"]))
    return out


def vendor_context(con: duckdb.DuckDBPyConnection, vendor_id: str, as_of: date, peers: list[str] | None = None,
                   profile: str | None = None, config: Config | None = None) -> dict[str, Any]:
    """Everything one vendor briefing shows, as plain data."""
    config = config or load_config()
    profile = profile or config.default_profile
    sources = {r["source_id"]: r for r in _rows(con, "select * from staging.stg_facts__sources")}
    notes = Notes(sources)
    names = _vendor_names(con)
    vendor = _rows(con, "select * from marts.vendors where vendor_id = ?", [vendor_id])[0]
    vendor["ref"] = notes.ref(vendor["source_id"], vendor["source_as_of"])
    vendor["profile_ref"] = notes.ref(vendor["profile_source_id"], vendor["profile_source_as_of"])
    funding = (_rows(con, "select * from marts.vendor_funding where vendor_id = ?", [vendor_id]) or [{}])[0]
    funding["reported_ref"] = notes.ref(vendor["reported_total_source_id"], vendor["reported_total_on"])
    lineup = (_rows(con, "select * from marts.vendor_lineup where vendor_id = ?", [vendor_id]) or [{}])[0]
    metrics = _metrics(con, vendor_id)

    models = _rows(con, """
        select m.*, mm.class_rank, mm.class_size, mm.class_percentile, mm.active_param_share,
               mm.input_change_365d, mm.output_change_365d, ph.snapshot as price_snapshot
        from marts.models m
        left join marts.model_metrics mm using (model_id)
        left join marts.prices_current ph
            on ph.source = m.price_source and ph.provider_id = m.price_provider_id and ph.model_id = m.price_model_id
        where m.vendor_id = ?
        order by m.released_on nulls last, m.model_id""", [vendor_id])
    previous = _rows(con, """
        select distinct e.source, e.provider_id, e.model_id, e.input_usd_per_mtok, e.output_usd_per_mtok, e.as_of
        from history.edition_prices e
        where e.run_id = (select previous_run_id from marts.edition_baseline where vendor_id = ?)""", [vendor_id])
    before = {(p["source"], p["provider_id"], p["model_id"]): p for p in previous}
    disputed = _disputed_prices(con, config)
    for m in models:
        m["ref"] = notes.ref(m["source_id"], m["source_as_of"])
        m["price_ref"] = notes.catalog(m["price_source"], m["price_snapshot"], as_of)
        prev = before.get((m["price_source"], m["price_provider_id"], m["price_model_id"]))
        m["previous_input"] = prev["input_usd_per_mtok"] if prev else None
        m["previous_output"] = prev["output_usd_per_mtok"] if prev else None
        m["price_disputed"] = _is_disputed(m, disputed)
        m["price_moved"] = bool(prev) and (prev["input_usd_per_mtok"] != m["input_usd_per_mtok"]
                                           or prev["output_usd_per_mtok"] != m["output_usd_per_mtok"])
    flagship = _flagship(models)

    # The flagship against the reference models, on every workload profile.
    workloads = []
    if flagship and flagship["input_usd_per_mtok"] is not None:
        workloads = _rows(con, """
            select c.*, r.model_name as reference_name, r.vendor_id as reference_vendor_id
            from marts.price_comparisons c join marts.models r on r.model_id = c.reference_model_id
            where c.model_id = ? and r.vendor_id <> ? order by c.profile, c.reference_model_id""",
                          [flagship["model_id"], vendor_id])
    order = {name: i for i, name in enumerate(config.profiles)}
    refs_order = {m: i for i, m in enumerate(config.briefing.reference_models)}
    workloads.sort(key=lambda w: (order.get(w["profile"], 99), refs_order.get(w["reference_model_id"], 99)))
    reference_id = next((m for m in config.briefing.reference_models
                         if any(w["reference_model_id"] == m and w["reference_vendor_id"] != vendor_id for w in workloads)), None)
    reference_name = next((w["reference_name"] for w in workloads if w["reference_model_id"] == reference_id), None)
    chosen = [w for w in workloads if w["profile"] == profile and w["reference_model_id"] == reference_id]
    if chosen:  # the verdict speaks of the profile this briefing was asked for
        metrics = {**metrics, "flagship_blended_ratio": chosen[0]["blended_ratio"]}

    rounds = _rows(con, """
        select r.*, s.step_up_multiple, s.previous_round_id
        from marts.funding_rounds r left join marts.valuation_steps s using (round_id)
        where r.vendor_id = ? order by r.announced_on, r.round_id""", [vendor_id])
    for r in rounds:
        r["ref"] = notes.ref(r["source_id"], r["source_as_of"])
        r["fx_ref"] = None
        r["amount_usd_ref"] = notes.ref(r["stated_amount_usd_source_id"], r["stated_amount_usd_source_as_of"])
        if r["amount_usd_basis"] == "converted" or r["fx_rate_on"]:
            fx = _rows(con, "select source_id from staging.stg_facts__fx_rates where currency = ? and rate_on = ?",
                       [r["currency"], r["fx_rate_on"]])
            r["fx_ref"] = notes.ref(fx[0]["source_id"], r["fx_rate_on"]) if fx else None
    multiples = _rows(con, "select * from marts.revenue_multiples where vendor_id = ? order by source_as_of, basis, revenue_low_usd, source_id", [vendor_id])
    for m in multiples:
        m["ref"] = notes.ref(m["source_id"], m["source_as_of"])

    claims = _rows(con, "select * from marts.claim_audit where vendor_id = ? order by evaluated_on, claim_id", [vendor_id])
    for c in claims:
        c["ref"] = notes.ref(c["source_id"], c["evaluated_on"])
        c["operands"] = json.loads(c["operands"] or "{}")

    changes = _rows(con, """select kind, subject, before_value, after_value, change from marts.edition_changes
                            where vendor_id = ? order by kind, subject""", [vendor_id])
    previous_edition = first_row(con, "select previous_run_id, previous_as_of from marts.edition_baseline where vendor_id = ?",
                                 [vendor_id]) or (None, None)

    peers = [p for p in (peers or config.briefing.default_peers) if p != vendor_id and p in names]
    competition = [_peer_column(con, v, notes, as_of, disputed) for v in [vendor_id, *peers]]

    quality = _quality(con, vendor_id, [m["model_id"] for m in models], config.quality.reconciliation_tolerance)
    plans = _rows(con, "select * from staging.stg_facts__plans where vendor_id = ? and source_as_of <= ? order by plan_id",
                  [vendor_id, as_of])
    for p in plans:
        p["ref"] = notes.ref(p["source_id"], p["source_as_of"])

    key_figures = _key_figures(vendor, funding, lineup, flagship, notes, con, vendor_id, as_of, config)
    freshness = _freshness(con, vendor_id, as_of)
    context = {
        "kind": "vendor", "as_of": as_of, "profile": profile, "profile_description": config.profiles[profile].description,
        "monthly_tokens": config.monthly_tokens, "vendor": vendor, "funding": funding, "lineup": lineup, "metrics": metrics,
        "models": models, "flagship": flagship, "plans": plans, "workloads": workloads, "reference_id": reference_id,
        "reference_name": reference_name, "rounds": rounds, "revenue_multiples": multiples, "claims": claims,
        "changes": _group_changes(changes, vendor_id),
        "previous_edition": {"exists": previous_edition[0] is not None, "as_of": previous_edition[1]},
        "competition": competition, "verdict": _verdict(config, metrics, vendor, reference_name, profile), "quality": quality,
        "key_figures": key_figures, "freshness": freshness, "differentiation": _differentiation(models, lineup),
        "profiles": {k: v.model_dump() for k, v in config.profiles.items()},
    }
    context["sources"] = notes.items
    return _plain(context)


def _group_changes(changes: list[dict[str, Any]], vendor_id: str) -> dict[str, Any]:
    """Edition changes for reading: funding, metric moves and price changes on the vendor's own
    platform in full; catalog models that came and went listed by id; what happened on other
    platforms (resellers, clouds) counted per platform."""
    def platform(c: dict) -> str:
        return c["subject"].split(" ", 1)[0]

    def model(c: dict) -> str:
        return c["subject"].split(" ", 1)[1].rsplit(" (", 1)[0]

    catalog = ("new_model", "retired_model", "price_change")
    own = [c for c in changes if c["kind"] not in catalog or platform(c) == vendor_id]
    elsewhere: dict[str, dict[str, int]] = {}
    for c in changes:
        if c["kind"] in catalog and platform(c) != vendor_id:
            counts = elsewhere.setdefault(c["kind"], {})
            counts[platform(c)] = counts.get(platform(c), 0) + 1
    return {
        "count": len(changes),
        "detail": [c for c in own if c["kind"] not in ("new_model", "retired_model")],
        "new_models": sorted({model(c) for c in own if c["kind"] == "new_model"}),
        "retired_models": sorted({model(c) for c in own if c["kind"] == "retired_model"}),
        "elsewhere": [{"kind": k, "total": sum(v.values()), "platforms": sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))}
                      for k, v in sorted(elsewhere.items())],
    }


def _key_figures(vendor: dict, funding: dict, lineup: dict, flagship: dict | None, notes: Notes,
                 con: duckdb.DuckDBPyConnection, vendor_id: str, as_of: date, config: Config) -> list[dict[str, Any]]:
    figures = []
    if funding.get("latest_post_money_usd"):
        rid = funding["latest_valuation_round_id"]
        src = first_row(con, "select source_id, source_as_of from marts.funding_rounds where round_id = ?", [rid])
        figures.append({"label": "Latest valuation (post-money)", "kind": "usd", "value": funding["latest_post_money_usd"],
                        "note": f"{funding['latest_valuation_on']}", "ref": notes.ref(*src)})
    if funding.get("total_raised_usd"):
        figures.append({"label": "Total raised (recorded rounds)", "kind": "usd", "value": funding["total_raised_usd"],
                        "note": None if vendor["funding_rounds_complete"] else "lower bound: round list incomplete",
                        "prefix": "" if vendor["funding_rounds_complete"] else "≥ ", "ref": None})
    if vendor.get("headcount"):
        dispute = _headcount_dispute(con, vendor, config)
        figures.append({"label": "Headcount", "kind": "int", "value": vendor["headcount"],
                        "note": f"{vendor['headcount_on']}" + (f"; disputed: {dispute[0]:,} on {dispute[1]}" if dispute else ""),
                        "ref": notes.ref(vendor["headcount_source_id"], vendor["headcount_on"]),
                        "ref2": notes.ref(dispute[2], dispute[1]) if dispute else None})
    if flagship and flagship.get("input_usd_per_mtok") is not None:
        figures.append({"label": f"Flagship price ({flagship['model_name']})", "kind": "price_pair",
                        "value": [flagship["input_usd_per_mtok"], flagship["output_usd_per_mtok"]],
                        "note": "USD per million input / output tokens",
                        "ref": notes.catalog(flagship["price_source"], flagship.get("price_snapshot"), as_of)})
    if lineup.get("model_count"):
        figures.append({"label": "Open-weights share", "kind": "pct", "value": lineup["open_weights_share"],
                        "note": f"{lineup['open_weights_count']} of {lineup['model_count']} listed models", "ref": None})
    return figures


def _headcount_dispute(con: duckdb.DuckDBPyConnection, vendor: dict, config: Config) -> tuple[int, Any, str] | None:
    """The previous headcount when it lies within the quality check's window and differs from the
    latest by more than its factor (the check warns; the briefing says so beside the figure)."""
    # the observation before the latest, in the order marts.vendors picks the latest
    row = first_row(con, """select employees, source_as_of, source_id from staging.stg_facts__headcount
                            where vendor_id = ? and source_as_of <= ?
                            order by source_as_of desc, employees desc limit 1 offset 1""",
                    [vendor["vendor_id"], vendor["headcount_on"]])
    if row is None or (vendor["headcount_on"] - row[1]).days > config.quality.headcount_window_days:
        return None
    factor = max(row[0], vendor["headcount"]) / min(row[0], vendor["headcount"])
    return (row[0], row[1], row[2]) if factor > config.quality.headcount_max_factor else None


def _freshness(con: duckdb.DuckDBPyConnection, vendor_id: str, as_of: date) -> dict[str, Any]:
    latest_fact = con.execute("""
        select max(d) from (
            select source_as_of as d from staging.stg_facts__vendors where vendor_id = $1
            union all select source_as_of from staging.stg_facts__funding_rounds where vendor_id = $1
            union all select source_as_of from staging.stg_facts__headcount where vendor_id = $1
            union all select source_as_of from staging.stg_facts__models where vendor_id = $1
            union all select source_as_of from staging.stg_facts__revenue_estimates where vendor_id = $1
        ) where d <= $2""", [vendor_id, as_of]).fetchall()[0][0]
    litellm = con.execute("select max(snapshot_on) from staging.stg_litellm__snapshots where snapshot_on <= ?", [as_of]).fetchall()[0][0]
    genai = con.execute("select any_value(snapshot) from staging.stg_genai_prices__models").fetchall()[0][0]
    return {"latest_fact_on": latest_fact, "litellm_snapshot_on": litellm, "genai_snapshot": genai}


def _differentiation(models: list[dict], lineup: dict) -> list[str]:
    """Statements derived from the model facts: mixture-of-experts use and parameter counts."""
    out = []
    moe = [m for m in models if m["architecture"] == "moe"]
    if moe:
        out.append(f"{len(moe)} of {len(models)} listed models use a mixture-of-experts architecture.")
        for m in sorted(moe, key=lambda m: m["released_on"] or date.min):
            if m["active_params_b"] and m["total_params_b"]:
                out.append(f"{m['model_name']} activates {m['active_params_b']:g}B of its {m['total_params_b']:g}B parameters "
                           f"per token ({m['active_params_b'] / m['total_params_b']:.0%}).")
    dense = [m for m in models if m["architecture"] == "dense" and m["total_params_b"]]
    if dense:
        small = min(dense, key=lambda m: m["total_params_b"])
        large = max(dense, key=lambda m: m["total_params_b"])
        if small is not large:
            out.append(f"Dense models range from {small['model_name']} ({small['total_params_b']:g}B parameters) "
                       f"to {large['model_name']} ({large['total_params_b']:g}B).")
    if lineup.get("largest_context_window"):
        out.append(f"The largest context window is {lineup['largest_context_window']:,} tokens.")
    return out


def _disputed_prices(con: duckdb.DuckDBPyConnection, config: Config) -> set[tuple[str, str | None, str]]:
    """Catalog entries whose price the other catalog contradicts beyond the reconciliation
    tolerance: (source, provider_id or None for LiteLLM, model_id)."""
    rows = con.execute("""select genai_provider_id, genai_model_id, litellm_model_id from marts.price_reconciliation
                          where max_relative_difference > ?""", [config.quality.reconciliation_tolerance]).fetchall()
    return {("genai-prices", p, g) for p, g, _ in rows} | {("litellm", None, li) for _, _, li in rows}


def _is_disputed(model: dict, disputed: set[tuple[str, str | None, str]]) -> bool:
    source = model.get("price_source")
    provider = None if source == "litellm" else model.get("price_provider_id")
    return (source, provider, model.get("price_model_id")) in disputed


def _peer_column(con: duckdb.DuckDBPyConnection, vendor_id: str, notes: Notes, as_of: date,
                 disputed: set[tuple[str, str | None, str]]) -> dict[str, Any]:
    vendor = _rows(con, "select * from marts.vendors where vendor_id = ?", [vendor_id])[0]
    models = _rows(con, """select m.*, ph.snapshot as price_snapshot from marts.models m
        left join marts.prices_current ph
            on ph.source = m.price_source and ph.provider_id = m.price_provider_id and ph.model_id = m.price_model_id
        where m.vendor_id = ?""", [vendor_id])
    lineup = (_rows(con, "select * from marts.vendor_lineup where vendor_id = ?", [vendor_id]) or [{}])[0]
    funding = (_rows(con, "select * from marts.vendor_funding where vendor_id = ?", [vendor_id]) or [{}])[0]
    flagship = _flagship(models)
    return {
        "vendor_id": vendor_id, "name": vendor["vendor_name"], "stance": vendor["open_weights_stance"],
        "open_weights_share": lineup.get("open_weights_share"), "model_count": lineup.get("model_count"),
        "flagship": flagship["model_name"] if flagship else None,
        "flagship_input": flagship["input_usd_per_mtok"] if flagship else None,
        "flagship_output": flagship["output_usd_per_mtok"] if flagship else None,
        "flagship_disputed": bool(flagship) and _is_disputed(flagship, disputed),
        "flagship_ref": notes.catalog(flagship["price_source"], flagship["price_snapshot"], as_of) if flagship and flagship["price_source"] else None,
        "total_raised_usd": funding.get("total_raised_usd"), "rounds_complete": vendor["funding_rounds_complete"],
        "latest_post_money_usd": funding.get("latest_post_money_usd"),
        "jurisdiction": vendor["jurisdiction"], "hq_country": vendor["hq_country"], "is_eu": vendor["is_eu"],
        "moe_count": lineup.get("moe_count"), "parent_company": vendor["parent_company"],
        "largest_context_window": lineup.get("largest_context_window"),
        "ref": notes.ref(vendor["source_id"], vendor["source_as_of"]),
    }


def _quality(con: duckdb.DuckDBPyConnection, vendor_id: str, model_ids: list[str], tolerance: float) -> dict[str, Any]:
    """This run's data-quality warnings that concern the vendor, and its catalog disagreements."""
    run_id = con.execute("select run_id from raw.run_context").fetchall()[0][0]
    results = _rows(con, """select * from history.dq_results where run_id = ? and not success
                            order by severity, suite, expectation""", [run_id])
    keys = {vendor_id, *model_ids}
    concerns = []
    for r in results:
        sample = json.loads(r["unexpected_sample"] or "[]")
        flat = json.dumps(sample)
        if any(f'"{k}"' in flat for k in keys):
            concerns.append({k: v for k, v in r.items() if k != "run_id"})
    totals = first_row(con, """select count(*) filter (where not success and severity = 'warning'),
                                   count(*) filter (where not success and severity = 'error'), count(*)
                            from history.dq_results where run_id = ?""", [run_id])
    reconciliation = _rows(con, """select * from marts.price_reconciliation where vendor_id = ?
                                   order by max_relative_difference desc, genai_model_id""", [vendor_id])
    return {"warnings": concerns, "warning_count": totals[0], "error_count": totals[1], "expectation_count": totals[2],
            "reconciliation": reconciliation, "tolerance": tolerance}


def landscape_context(con: duckdb.DuckDBPyConnection, as_of: date, config: Config | None = None) -> dict[str, Any]:
    """All vendors side by side, flagship prices, the funding league table, the biggest price moves."""
    config = config or load_config()
    sources = {r["source_id"]: r for r in _rows(con, "select * from staging.stg_facts__sources")}
    notes = Notes(sources)
    vendor_ids = [r[0] for r in con.execute("select vendor_id from marts.vendors order by vendor_id").fetchall()]
    disputed = _disputed_prices(con, config)
    columns = [_peer_column(con, v, notes, as_of, disputed) for v in vendor_ids]
    league = sorted([c for c in columns if c["total_raised_usd"]], key=lambda c: -c["total_raised_usd"])
    moves = _rows(con, """
        select coalesce(m.model_name, m.model_id) as model_name, m.model_id, m.vendor_id, v.vendor_name,
               m.input_usd_per_mtok, m.output_usd_per_mtok, m.input_change_365d, m.output_change_365d
        from marts.catalog_price_changes m join marts.vendors v using (vendor_id)
        where coalesce(m.input_change_365d, 0) <> 0 or coalesce(m.output_change_365d, 0) <> 0
        order by greatest(abs(coalesce(m.input_change_365d, 0)), abs(coalesce(m.output_change_365d, 0))) desc, m.model_id
        limit 12""")
    claims = _rows(con, "select status, count(*) as n from marts.claim_audit group by status order by status")
    return _plain({"kind": "landscape", "as_of": as_of, "vendors": columns, "league": league, "moves": moves,
                   "claims": claims, "profile": config.default_profile, "sources": notes.items,
                   "freshness": _freshness(con, vendor_ids[0], as_of) if vendor_ids else {}})
