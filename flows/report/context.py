"""Briefing contexts: the typed contents (flows/report/model.py) of each vendor briefing and of
the landscape, computed from the report's inputs (flows/report/inputs.py). No SQL and no I/O here.

A briefing is built in three steps: read (`inputs.read_inputs`, every report view once for all
vendors), compute (the decisions: which price is disputed, whether a headcount is, which profile
the verdict speaks of, which verdict rules hold, how the edition changes group) and present
(typed parts with citation keys and sentences, figures formatted by flows/formatting.py).

Every figure a briefing prints comes with a footnote: `Notes.ref` registers the source (a curated
source id, a URL or a price-catalog snapshot) and its as-of date, and returns the key the sources
appendix lists it under.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flows import formatting as fmt
from flows.config import Config, load_config
from flows.quality.suites import Outcome
from flows.report.inputs import ReportInputs, Row
from flows.report.model import (
    Change, Changes, ChangesElsewhere, Citation, Claim, ClaimCount, Freshness, Funding, KeyFigure, LandscapeContext,
    ModelRow, PeerColumn, Plan, PlatformCount, PreviousEdition, PriceChange, PriceMove, ProfileNote, QualityNote,
    QualityWarning, ReconciliationRow, RevenueMultiple, Round, Verdict, VendorContext, VendorProfile, Workload,
)

CATALOG_TITLES = {
    "genai-prices": ("genai-prices price catalog", "Pydantic (genai-prices package)", "https://pypi.org/project/genai-prices/"),
    "litellm": ("LiteLLM model cost map", "BerriAI (litellm package)", "https://pypi.org/project/litellm/"),
}
CATALOG_KINDS = ("new_model", "retired_model", "price_change")
CHANGE_LABELS = {"new_model": "new models", "retired_model": "retired models", "price_change": "price changes"}


@dataclass
class Notes:
    """Citations of one briefing: one key per (source, as-of date), registered as the context is
    built. `sources` are the curated sources by id (report.sources)."""
    sources: dict[str, Row]
    items: dict[str, Citation] = field(default_factory=dict)

    def ref(self, source_id: str | None, as_of: Any, what: str = "") -> str | None:
        """The citation key of a source as of a date (None without a source)."""
        if not source_id:
            return None
        key = f"{source_id}@{as_of or ''}"
        if key not in self.items:
            self.items[key] = self._describe(source_id, str(as_of) if as_of else "", what)
        return key

    def catalog(self, source: str | None, snapshot: str | None, as_of: Any) -> str | None:
        """The citation key of a price catalog's snapshot (`source` genai-prices or litellm)."""
        if not source:
            return None
        return self.ref(f"catalog:{snapshot or source}", as_of, source)

    def _describe(self, source_id: str, as_of: str, what: str) -> Citation:
        if source_id.startswith("catalog:"):
            catalog = what or source_id.split(":", 1)[1].split("=")[0].split("@")[0]
            title, publisher, url = CATALOG_TITLES.get(catalog, (catalog, None, None))
            return Citation(title=f"{title}, snapshot {source_id.split(':', 1)[1]}", publisher=publisher, url=url,
                            as_of=as_of, note="price in force on the as-of date")
        if source_id.startswith(("http://", "https://")):
            return Citation(title=source_id, publisher=None, url=source_id, as_of=as_of, note=None)
        s = self.sources.get(source_id, {})
        return Citation(title=s.get("title", source_id), publisher=s.get("publisher"), url=s.get("url"),
                        as_of=as_of, note=s.get("note"))


# --- compute: the decisions, on rows ---------------------------------------------------------

def is_disputed(max_relative_difference: float | None, tolerance: float) -> bool:
    """Whether the two price catalogs disagree on a price beyond the reconciliation tolerance
    (quality.reconciliation_tolerance): max_relative_difference is |litellm - genai| / genai."""
    return max_relative_difference is not None and max_relative_difference > tolerance


def headcount_dispute(jump: Row | None, config: Config) -> Row | None:
    """The report.headcount_jumps row of a vendor when its headcount is disputed: the observation
    before the latest lies within quality.headcount_window_days and differs by more than
    quality.headcount_max_factor (the stg_facts__headcount suite warns on the same jump)."""
    if jump is None or jump["days_apart"] > config.quality.headcount_window_days:
        return None
    return jump if jump["jump_factor"] > config.quality.headcount_max_factor else None


def price_direction(row: Row) -> str:
    """"up" when the input or output list price rose since the previous edition, else "down"."""
    rose = ((row["output_usd_per_mtok"] or 0) > (row["previous_output_usd_per_mtok"] or 0)
            or (row["input_usd_per_mtok"] or 0) > (row["previous_input_usd_per_mtok"] or 0))
    return "up" if rose else "down"


def sort_workloads(rows: list[Row], config: Config) -> list[Row]:
    """Workload rows in the configured order of profiles, then of reference models."""
    profiles = {name: i for i, name in enumerate(config.profiles)}
    references = {m: i for i, m in enumerate(config.briefing.reference_models)}
    return sorted(rows, key=lambda w: (profiles.get(w["profile"], 99), references.get(w["reference_model_id"], 99)))


def verdict_metrics(metrics: dict[str, float | None], workloads: list[Row], reference_id: str | None,
                    profile: str) -> dict[str, float | None]:
    """The vendor's metrics (marts.vendor_metrics) with flagship_blended_ratio taken on `profile`,
    the workload profile the briefing was asked for (the mart holds the default profile's)."""
    chosen = next((w for w in workloads if w["profile"] == profile and w["reference_model_id"] == reference_id), None)
    return {**metrics, "flagship_blended_ratio": chosen["blended_ratio"]} if chosen else metrics


def verdict(config: Config, metrics: dict[str, float | None], vendor: Row, reference_name: str | None,
            profile: str) -> Verdict:
    """The statements of the verdict rules (data/config/briefing.yaml) that hold on the metrics."""
    out: dict[str, list[str]] = {"good_fit": [], "skip_if": []}
    for rule in config.briefing.verdict_rules:
        value = metrics.get(rule.metric)
        if not rule.holds(value):
            continue
        out[rule.verdict].append(rule.text.format(
            value=value, value_pct=fmt.pct(value), value_x=fmt.times(value, 1), value_int=fmt.num(value),
            reference_name=reference_name or "the reference model", profile=profile,
            jurisdiction=vendor["jurisdiction"], hq_country=vendor["hq_country"]))
    return Verdict(**out)


# --- present: typed parts --------------------------------------------------------------------

def _pick(model: type, row: Row, **extra: Any) -> Any:
    """A part from the row's columns of the same names, plus `extra` fields."""
    return model.model_validate({k: row[k] for k in model.model_fields if k not in extra} | extra)


def _vendor_profile(row: Row, notes: Notes) -> VendorProfile:
    return _pick(VendorProfile, row, ref=notes.ref(row["source_id"], row["source_as_of"]),
                 profile_ref=notes.ref(row["profile_source_id"], row["profile_source_as_of"]))


def _model_row(row: Row, notes: Notes, as_of: date, tolerance: float) -> ModelRow:
    moved = row["has_previous_price"] and (
        row["previous_input_usd_per_mtok"] != row["input_usd_per_mtok"]
        or row["previous_output_usd_per_mtok"] != row["output_usd_per_mtok"])
    change = PriceChange(direction=price_direction(row), previous_input_usd_per_mtok=row["previous_input_usd_per_mtok"],
                         previous_output_usd_per_mtok=row["previous_output_usd_per_mtok"]) if moved else None
    return _pick(ModelRow, row, is_priced=row["input_usd_per_mtok"] is not None,
                 price_disputed=is_disputed(row["price_max_relative_difference"], tolerance), price_change=change,
                 ref=notes.ref(row["source_id"], row["source_as_of"]),
                 price_ref=notes.catalog(row["price_source"], row["price_snapshot"], as_of))


def _workload(row: Row) -> Workload:
    saving = row["switch_saving"]
    return _pick(Workload, row, cost_multiple=1 - saving if saving is not None and saving < 0 else None)


def _round(row: Row, notes: Notes) -> Round:
    return _pick(Round, row, ref=notes.ref(row["source_id"], row["source_as_of"]),
                 amount_usd_ref=notes.ref(row["stated_amount_usd_source_id"], row["stated_amount_usd_source_as_of"]),
                 fx_ref=notes.ref(row["fx_source_id"], row["fx_rate_on"]))


def _funding(row: Row | None, vendor: Row, notes: Notes) -> Funding:
    reported_ref = notes.ref(vendor["reported_total_source_id"], vendor["reported_total_on"])
    if row is None:
        return Funding(reported_ref=reported_ref)
    return _pick(Funding, row, reported_ref=reported_ref)


def peer_column(row: Row, notes: Notes, as_of: date, tolerance: float) -> PeerColumn:
    """One vendor's column of a landscape table, from its report.peer_columns row."""
    has_flagship = row["flagship_model_id"] is not None
    return PeerColumn(
        vendor_id=row["vendor_id"], name=row["vendor_name"], stance=row["open_weights_stance"],
        open_weights_share=row["open_weights_share"], model_count=row["model_count"], moe_count=row["moe_count"],
        largest_context_window=row["largest_context_window"], flagship=row["flagship_name"],
        flagship_input=row["flagship_input_usd_per_mtok"], flagship_output=row["flagship_output_usd_per_mtok"],
        flagship_disputed=has_flagship and is_disputed(row["flagship_price_max_relative_difference"], tolerance),
        flagship_ref=notes.catalog(row["flagship_price_source"], row["flagship_price_snapshot"], as_of),
        total_raised_usd=row["total_raised_usd"], rounds_complete=row["funding_rounds_complete"],
        latest_post_money_usd=row["latest_post_money_usd"], jurisdiction=row["jurisdiction"],
        hq_country=row["hq_country"], is_eu=row["is_eu"], parent_company=row["parent_company"],
        ref=notes.ref(row["source_id"], row["source_as_of"]))


def key_figures(vendor: Row, funding: Row | None, lineup: Row | None, rounds: list[Row], flagship: ModelRow | None,
                dispute: Row | None, notes: Notes) -> list[KeyFigure]:
    """The cover's figures: latest valuation, total raised, headcount (with a disputed earlier
    count), flagship price and open-weights share, each when known."""
    funding, lineup = funding or {}, lineup or {}
    figures = []
    if funding.get("latest_post_money_usd"):
        source = next((r for r in rounds if r["round_id"] == funding["latest_valuation_round_id"]), None)
        figures.append(KeyFigure(label="Latest valuation (post-money)", kind="usd",
                                 value=funding["latest_post_money_usd"], note=str(funding["latest_valuation_on"]),
                                 ref=notes.ref(source["source_id"], source["source_as_of"]) if source else None))
    if funding.get("total_raised_usd"):
        complete = vendor["funding_rounds_complete"]
        figures.append(KeyFigure(label="Total raised (recorded rounds)", kind="usd",
                                 value=funding["total_raised_usd"], note=None if complete else "lower bound: round list incomplete",
                                 prefix="" if complete else "≥ "))
    if vendor.get("headcount"):
        disputed = f"; disputed: {fmt.num(dispute['previous_headcount'])} on {dispute['previous_on']}" if dispute else ""
        figures.append(KeyFigure(label="Headcount", kind="int", value=vendor["headcount"],
                                 note=f"{vendor['headcount_on']}{disputed}",
                                 ref=notes.ref(vendor["headcount_source_id"], vendor["headcount_on"]),
                                 ref2=notes.ref(dispute["previous_source_id"], dispute["previous_on"]) if dispute else None))
    if flagship and flagship.input_usd_per_mtok is not None:
        figures.append(KeyFigure(label=f"Flagship price ({flagship.model_name})", kind="price_pair",
                                 value=[flagship.input_usd_per_mtok, flagship.output_usd_per_mtok],
                                 note="USD per million input / output tokens", ref=flagship.price_ref))
    if lineup.get("model_count"):
        listed = f"{fmt.num(lineup['open_weights_count'])} of {fmt.num(lineup['model_count'])} listed models"
        figures.append(KeyFigure(label="Open-weights share", kind="pct", value=lineup["open_weights_share"], note=listed))
    return figures


def differentiation(models: list[ModelRow], largest_context_window: int | None) -> list[str]:
    """Statements derived from the model facts: mixture-of-experts use, parameter counts, context."""
    out = []
    moe = [m for m in models if m.architecture == "moe"]
    if moe:
        out.append(f"{len(moe)} of {len(models)} listed models use a mixture-of-experts architecture.")
        for m in sorted(moe, key=lambda m: m.released_on or date.min):
            if m.active_params_b and m.total_params_b:
                out.append(f"{m.model_name} activates {fmt.params_b(m.active_params_b)} of its "
                           f"{fmt.params_b(m.total_params_b)} parameters per token "
                           f"({fmt.pct(m.active_params_b / m.total_params_b)}).")
    dense = [m for m in models if m.architecture == "dense" and m.total_params_b]
    if dense:
        small = min(dense, key=lambda m: m.total_params_b)
        large = max(dense, key=lambda m: m.total_params_b)
        if small is not large:
            out.append(f"Dense models range from {small.model_name} ({fmt.params_b(small.total_params_b)} parameters) "
                       f"to {large.model_name} ({fmt.params_b(large.total_params_b)}).")
    if largest_context_window:
        out.append(f"The largest context window is {fmt.num(largest_context_window)} tokens.")
    return out


def changes(rows: list[Row], elsewhere: list[Row]) -> Changes:
    """Edition changes for reading (rows of report.vendor_changes and report.changes_elsewhere of
    one vendor): changes on the vendor's own platform and non-catalog changes in full, except
    catalog models that came and went, listed by catalog model id; other platforms counted."""
    own = [r for r in rows if r["on_own_platform"]]
    return Changes(
        count=len(rows),
        detail=[_pick(Change, r) for r in own if r["kind"] not in ("new_model", "retired_model")],
        new_models=sorted({r["catalog_model_id"] for r in own if r["kind"] == "new_model"}),
        retired_models=sorted({r["catalog_model_id"] for r in own if r["kind"] == "retired_model"}),
        elsewhere=[ChangesElsewhere(kind=e["kind"], label=CHANGE_LABELS.get(e["kind"], e["kind"].replace("_", " ")),
                                    total=e["total"], platforms=[PlatformCount(**p) for p in e["platforms"]])
                   for e in elsewhere])


def quality_note(run_quality: list[Row], warnings: list[Row], reconciliation: list[Row], tolerance: float) -> QualityNote:
    """Appendix A: this run's counts (report.run_quality), the failed expectations that concern the
    vendor (report.vendor_quality_warnings) and its catalog reconciliation."""
    summary = Outcome(results=run_quality).summary()
    return QualityNote(
        expectation_count=summary["expectations"], error_count=summary["errors"], warning_count=summary["warnings"],
        warnings=[_pick(QualityWarning, w, example=(w["unexpected_sample"] or "")[:300]) for w in warnings],
        reconciliation=[_pick(ReconciliationRow, r, disputed=is_disputed(r["max_relative_difference"], tolerance))
                        for r in reconciliation],
        tolerance=tolerance)


# --- the contexts ----------------------------------------------------------------------------

def vendor_context(data: ReportInputs, vendor_id: str, as_of: date, peers: list[str] | None = None,
                   profile: str | None = None, config: Config | None = None) -> VendorContext:
    """Everything one vendor briefing shows, typed.

    data: the run's report inputs (`inputs.read_inputs`); as_of: the edition date (the run's);
    peers: vendor ids for the competitive landscape (default briefing.default_peers; unknown ids
    and the vendor itself are left out); profile: the workload profile the verdict speaks of
    (default: the configured default). Raises KeyError for a vendor not in marts.vendors.
    """
    config = config or load_config()
    profile = profile or config.default_profile
    tolerance = config.quality.reconciliation_tolerance
    notes = Notes(data.sources)
    vendor = data.vendors[vendor_id]
    lineup = data.lineup.get(vendor_id)
    freshness = data.freshness.get(vendor_id)

    # compute: the decisions (see the functions above)
    models = [_model_row(m, notes, as_of, tolerance) for m in data.models.get(vendor_id, [])]
    flagship = next((m for m in models if m.is_flagship), None)
    workload_rows = sort_workloads(data.workloads.get(vendor_id, []), config)
    reference_id = (data.flagships.get(vendor_id) or {}).get("reference_model_id")
    reference_name = next((w["reference_name"] for w in workload_rows if w["reference_model_id"] == reference_id), None)
    metrics = verdict_metrics(data.metrics.get(vendor_id, {}), workload_rows, reference_id, profile)
    rounds = data.rounds.get(vendor_id, [])
    dispute = headcount_dispute(data.headcount_jumps.get(vendor_id), config) if vendor.get("headcount") else None
    baseline = data.baselines.get(vendor_id) or {}
    peers = [p for p in (peers or config.briefing.default_peers) if p != vendor_id and p in data.vendors]

    # present: typed parts, citations registered in reading order of the data
    return VendorContext(
        as_of=as_of, profile=profile, monthly_tokens=config.monthly_tokens,
        profiles=[ProfileNote(name=k, description=v.description) for k, v in config.profiles.items()],
        vendor=_vendor_profile(vendor, notes),
        key_figures=key_figures(vendor, data.funding.get(vendor_id), lineup, rounds, flagship, dispute, notes),
        freshness=_pick(Freshness, freshness) if freshness else Freshness(),
        quality=quality_note(data.run_quality, data.quality_warnings.get(vendor_id, []),
                             data.reconciliation.get(vendor_id, []), tolerance),
        models=models, flagship=flagship,
        differentiation=differentiation(models, (lineup or {}).get("largest_context_window")),
        plans=[_pick(Plan, p, ref=notes.ref(p["source_id"], p["source_as_of"])) for p in data.plans.get(vendor_id, [])],
        workloads=[_workload(w) for w in workload_rows],
        rounds=[_round(r, notes) for r in rounds],
        funding=_funding(data.funding.get(vendor_id), vendor, notes),
        revenue_multiples=[_pick(RevenueMultiple, m, ref=notes.ref(m["source_id"], m["source_as_of"]))
                           for m in data.revenue_multiples.get(vendor_id, [])],
        competition=[peer_column(data.peer_columns[v], notes, as_of, tolerance) for v in [vendor_id, *peers]],
        claims=[_pick(Claim, c, ref=notes.ref(c["source_id"], c["evaluated_on"])) for c in data.claims.get(vendor_id, [])],
        previous_edition=PreviousEdition(exists=baseline.get("previous_run_id") is not None,
                                         as_of=baseline.get("previous_as_of")),
        changes=changes(data.changes.get(vendor_id, []), data.changes_elsewhere.get(vendor_id, [])),
        verdict=verdict(config, metrics, vendor, reference_name, profile),
        sources=notes.items,
    )


def landscape_context(data: ReportInputs, as_of: date, config: Config | None = None) -> LandscapeContext:
    """All vendors side by side: their columns, the funding league table (vendors with recorded
    funding, most raised first), the biggest list-price moves and the claim audit's counts."""
    config = config or load_config()
    notes = Notes(data.sources)
    tolerance = config.quality.reconciliation_tolerance
    columns = [peer_column(data.peer_columns[v], notes, as_of, tolerance) for v in data.vendor_ids]
    first = data.freshness.get(data.vendor_ids[0]) if data.vendor_ids else None
    return LandscapeContext(
        as_of=as_of, profile=config.default_profile, vendors=columns,
        league=sorted([c for c in columns if c.total_raised_usd], key=lambda c: -c.total_raised_usd),
        moves=[_pick(PriceMove, m) for m in data.price_moves],
        claims=[_pick(ClaimCount, c) for c in data.claim_counts],
        freshness=_pick(Freshness, first) if first else Freshness(),
        sources=notes.items,
    )
