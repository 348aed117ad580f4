"""The page-1 summary of a vendor briefing: six sentences generated from the warehouse's figures
(data-to-text), in a fixed order: who the vendor is, its flagship's price position, its capability
position, its funding, what changed since the previous edition, and the caveats.

Sentences are lists of phrases (flows/report/model.py Phrase): plain text, or a figure that the
template formats (money in the edition's currency) and footnotes. Each figure names the warehouse
figure it shows, so that a test can check it against the warehouse. No SQL and no I/O here; the
caller (flows/report/context.py) passes typed parts and a `cite` object with `ref`, `catalog`,
`leaderboard` and `edition` methods (context.Notes).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flows import formatting as fmt
from flows.report.model import (
    CapabilityRow,
    Changes,
    Claim,
    Funding,
    KeyFigure,
    ModelRow,
    Phrase,
    PreviousEdition,
    QualityNote,
    RevenueMultiple,
    Sentence,
    VendorProfile,
)

MAX_NAMES = 3  # models named in "level with ..." before "and N others"


def T(text: str) -> Phrase:
    return Phrase(text=text)


def F(kind: str, value: float | None, figure: str, ref: str | None = None, subject: str | None = None,
      value2: float | None = None) -> Phrase:
    return Phrase(kind=kind, value=value, value2=value2, figure=figure, ref=ref, subject=subject)


def _sentence(topic: str, phrases: list[Phrase]) -> Sentence:
    """A sentence whose footnote markers are printed once per source: after the last phrase citing it."""
    last = {p.ref: i for i, p in enumerate(phrases) if p.ref}
    return Sentence(topic=topic, phrases=[p if not p.ref or last[p.ref] == i else p.model_copy(update={"mark": False})
                                          for i, p in enumerate(phrases)])


def _plural(n: int | float, word: str, plural: str | None = None) -> str:
    return word if n == 1 else (plural or word + "s")


def _listing(names: list[str]) -> str:
    if len(names) > MAX_NAMES:
        names = [*names[:MAX_NAMES], f"{len(names) - MAX_NAMES} other{'s' if len(names) - MAX_NAMES > 1 else ''}"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def identity(vendor: VendorProfile, lineup: dict[str, Any] | None) -> Sentence:
    """"Mistral AI, founded 2023-04 in France, lists 14 current models, 12 of them with open weights."""
    from babel import Locale

    country = Locale("en").territories.get(vendor.hq_country or "", vendor.hq_country or "an unknown country")
    if country.startswith("United ") or country in ("Netherlands", "Philippines", "Czechia", "Bahamas"):
        country = "the " + country
    parts = [T(f"{vendor.vendor_name}, founded {fmt.fdate(str(vendor.founded_on) if vendor.founded_on else None, vendor.founded_on_precision)} in {country}")]
    if vendor.parent_company:
        parts.append(T(f" and part of {vendor.parent_company}"))
    lineup = lineup or {}
    if lineup.get("model_count"):
        parts += [T(", lists "), F("num", lineup["model_count"], "vendor_lineup.model_count"),
                  T(f" current {_plural(lineup['model_count'], 'model')} with curated facts, "),
                  F("num", lineup["open_weights_count"], "vendor_lineup.open_weights_count"),
                  T(" of them with open weights")]
        extra = lineup.get("catalog_only_count") or 0
        if extra:
            parts += [T(", and "), F("num", extra, "vendor_lineup.catalog_only_count"),
                      T(f" more {_plural(extra, 'model')} the price catalogs list without curated facts")]
        parts.append(T("."))
    else:
        parts.append(T(", lists no current model."))
    return _sentence("identity", phrases=parts)


def price(flagship: ModelRow | None, workload: dict[str, Any] | None, metrics: dict[str, float | None],
          profile: str, as_of: date) -> Sentence:
    """The flagship's list price, its blended price against the reference model's on the
    briefing's profile (ratio; workload: its report.vendor_workloads row against the reference
    model) and its rank among the vendors' flagships (1 = cheapest)."""
    if flagship is None:
        return _sentence("price", phrases=[T("It has no flagship-class model in its current lineup.")])
    subject = flagship.model_id
    if not flagship.is_priced:
        return _sentence("price", phrases=[T(f"Its flagship, {flagship.model_name}, has no catalog price on {as_of}.")])
    parts = [T(f"Its flagship, {flagship.model_name}, lists at "),
             F("price", flagship.input_usd_per_mtok, "models.input_usd_per_mtok", flagship.price_ref, subject),
             T(" / "), F("price", flagship.output_usd_per_mtok, "models.output_usd_per_mtok", flagship.price_ref, subject),
             T(" per million input / output tokens")]
    if workload is not None and workload["blended_ratio"] is not None:
        parts += [T(": "), F("ratio", workload["blended_ratio"], "vendor_metrics.flagship_blended_ratio", flagship.price_ref),
                  T(f"{' of' if workload['blended_ratio'] < 1 else ''} {workload['reference_name']}'s price on the "
                    f"{profile} workload (blended "),
                  F("price", workload["blended_usd_per_mtok"], "vendor_metrics.flagship_blended_usd_per_mtok", flagship.price_ref),
                  T(" against "), F("price", workload["reference_blended_usd_per_mtok"],
                                    "price_comparisons.reference_blended_usd_per_mtok", flagship.price_ref, subject),
                  T(")")]
    rank, field = metrics.get("flagship_price_rank"), metrics.get("flagship_price_field")
    if rank is not None and field and field >= 2:
        parts += [T(", the "), F("ordinal", rank, "vendor_metrics.flagship_price_rank", flagship.price_ref),
                  T(" cheapest of "), F("num", field, "vendor_metrics.flagship_price_field"),
                  T(" vendors' flagships")]
    parts.append(T("."))
    return _sentence("price", phrases=parts)


def _score(row: CapabilityRow, ref: str | None) -> list[Phrase]:
    return [F("points", row.score, "capability_ranks.score", ref, row.model_id), T(" points (95 % bounds "),
            F("points", row.score_low, "capability_ranks.score_low", ref, row.model_id), T("–"),
            F("points", row.score_high, "capability_ranks.score_high", ref, row.model_id), T(")")]


def _rank(row: CapabilityRow, ref: str | None) -> list[Phrase]:
    return [T("rank "), F("rank", row.rank_best, "capability_ranks.rank_best", ref, row.model_id, value2=row.rank_worst),
            T(" of "), F("num", row.rank_field, "capability_ranks.rank_field", None, row.model_id), T(" vendors")]


def capability(flagship: ModelRow | None, rated: CapabilityRow | None, headline: CapabilityRow | None,
               leaderboard_on: date | None, ref: str | None, as_of: date) -> Sentence:
    """The headline model's Arena Score with its bounds and its rank range among the vendors'
    headline models (each vendor's flagship when rated, else its best-rated current model); when
    the flagship is not rated, why, and its best-rated current model instead. rated: the flagship's
    capability row (None for a flagship without curated facts)."""
    if leaderboard_on is None:
        return _sentence("capability", [T(f"No LMArena text leaderboard is dated on or before {as_of}.")])
    board = f"the LMArena text leaderboard of {leaderboard_on}"
    if headline is None:
        included = f", {flagship.model_name} included," if flagship is not None else ""
        return _sentence("capability", [T(f"None of its current models{included} is rated on {board}"),
                                        Phrase(text="", ref=ref), T(".")])
    if headline.is_flagship:
        parts = [T(f"On {board}, {headline.model_name} scores "), *_score(headline, ref), T(": "), *_rank(headline, ref)]
    else:
        if flagship is None:
            parts = [T(f"On {board}, its best-rated current model, {headline.model_name}, scores ")]
        else:
            why = ("is newer than" if rated is not None and rated.rating_status == "newer_than_leaderboard"
                   else "is not on")
            parts = [T(f"{flagship.model_name} {why} {board}; its best-rated current model, {headline.model_name}, scores ")]
        parts += [*_score(headline, ref), T(", "), *_rank(headline, ref)]
    if headline.level_with:
        parts.append(T(f", level within the bounds with {_listing(headline.level_with)}"))
    parts.append(T("."))
    return _sentence("capability", parts)


def funding(vendor: VendorProfile, money: Funding, rounds: list[Any], multiples: list[RevenueMultiple],
            metrics: dict[str, float | None]) -> Sentence:
    """Total raised (a lower bound when rounds are missing), latest post-money valuation and the
    revenue multiple it implies. rounds: the briefing's Round parts (for citations)."""
    if not money.total_raised_usd:
        if vendor.parent_company:
            return _sentence("funding", phrases=[T(f"It raises no money of its own: it is part of {vendor.parent_company}.")])
        return _sentence("funding", phrases=[T("No funding round of its own is recorded.")])
    latest_ref = next((r.ref for r in reversed(rounds) if r.ref), None)
    parts = [T("It has raised " + ("at least " if money.total_is_lower_bound else "")),
             F("usd", money.total_raised_usd, "vendor_funding.total_raised_usd", latest_ref),
             T(f" in {len(rounds)} recorded {_plural(len(rounds), 'round')}")]
    if money.latest_post_money_usd:
        valued = next((r for r in reversed(rounds) if r.post_money_valuation_usd), None)
        parts += [T("; its latest post-money valuation is " + ("more than " if money.latest_valuation_is_lower_bound else "")),
                  F("usd", money.latest_post_money_usd, "vendor_funding.latest_post_money_usd", valued.ref if valued else None),
                  T(f" ({money.latest_valuation_on})")]
        high, low = metrics.get("revenue_multiple_high"), metrics.get("revenue_multiple_low")
        estimate = max(multiples, key=lambda m: m.source_as_of or date.min, default=None)
        if high:
            parts.append(T(", "))
            if low and fmt.num(low) != fmt.num(high):
                parts += [F("times", low, "vendor_metrics.revenue_multiple_low", estimate.ref if estimate else None), T("–")]
            else:
                parts.append(T("up to " if not low else ""))
            parts += [F("times", high, "vendor_metrics.revenue_multiple_high", estimate.ref if estimate else None),
                      T(" its revenue estimate" + (f" of {estimate.source_as_of}" if estimate and estimate.source_as_of else ""))]
    parts.append(T("."))
    return _sentence("funding", phrases=parts)


def changes(found: Changes, previous: PreviousEdition, ref: str | None) -> Sentence:
    """What changed since the previous edition, counted by kind."""
    if not previous.exists:
        return _sentence("changes", phrases=[T("This is its first edition: there is no earlier edition to compare with.")])
    if not found.count:
        return _sentence("changes", phrases=[T(f"Nothing changed since the edition of {previous.as_of}"),
                                                  Phrase(text="", ref=ref), T(".")])
    kinds = [("price_change", "list-price change"), ("new_funding_round", "new funding round"), ("metric_move", "metric move")]
    items = [(sum(1 for c in found.detail if c.kind == k), label) for k, label in kinds]
    items[1:1] = [(len(found.new_models), "new catalog model"), (len(found.retired_models), "retired catalog model")]
    elsewhere = sum(e.total for e in found.elsewhere)
    parts = [T(f"Since the edition of {previous.as_of}, "), F("num", found.count, "edition_changes.count", ref),
             T(f" {_plural(found.count, 'change')} concern it")]
    listed = [(n, label) for n, label in items if n]
    if listed:
        parts.append(T(": "))
        for i, (n, label) in enumerate(listed):
            parts += [F("num", n, f"edition_changes.{label.replace(' ', '_')}"), T(f" {_plural(n, label)}")]
            parts.append(T(", " if i < len(listed) - 2 else " and " if i == len(listed) - 2 else ""))
        parts.append(T(" on its own platform" if any(label != "metric move" for _, label in listed) else ""))
    if elsewhere:
        parts.append(T(f", besides {elsewhere} on other platforms"))
    parts.append(T("."))
    return _sentence("changes", phrases=parts)


def caveats(key_figures: list[KeyFigure], models: list[ModelRow], claims: list[Claim], quality: QualityNote) -> Sentence:
    """What to read with care: disputed or stale page-1 figures, disputed catalog prices, claims the
    audit does not confirm today, and the data-quality warnings that concern the vendor."""
    items: list[list[Phrase]] = []
    for f in key_figures:
        label = f.label.split(" (")[0].lower()
        if f.kind == "int_range" and isinstance(f.value, list):
            items.append([T(f"sources disagree on its {label} ("), F("num", f.value[0], f"key_figures.{label}", f.ref),
                          T("–"), F("num", f.value[1], f"key_figures.{label}", f.refs[0] if f.refs else f.ref2), T(")")])
        elif f.stale:
            items.append([T(f"its {label} is not recent ({f.note})")])
    disputed = [m for m in models if m.price_disputed]
    if disputed:
        items.append([T("the two price catalogs disagree on the price of "), F("num", len(disputed), "models.price_disputed"),
                      T(f" of its {_plural(len(disputed), 'model')} (†)")])
    counts = {s: sum(1 for c in claims if c.current_status == s) for s in ("contradicted", "imprecise", "unverifiable")}
    findings = [(n, s) for s, n in counts.items() if n]
    if findings:
        parts = [T("of its "), F("num", len(claims), "claim_audit.count"), T(f" audited {_plural(len(claims), 'claim')}, ")]
        for i, (n, status) in enumerate(findings):
            parts += [F("num", n, f"claim_audit.{status}"), T(f" {'is' if n == 1 else 'are'} {status}" if i == 0 else f" {status}")]
            parts.append(T(", " if i < len(findings) - 2 else " and " if i == len(findings) - 2 else ""))
        parts.append(T(" today"))
        items.append(parts)
    if quality.warnings:
        n = len(quality.warnings)
        items.append([F("num", n, "vendor_quality_warnings.count"),
                      T(f" data-quality {_plural(n, 'warning')} concern{'s' if n == 1 else ''} it (appendix A)")])
    if not items:
        return _sentence("caveats", phrases=[T("No caveat: no disputed or stale headline figure, disputed price, "
                                                    "unconfirmed claim or data-quality warning concerns it.")])
    parts = [T("Caveats: ")]
    for i, item in enumerate(items):
        parts += item
        parts.append(T("; " if i < len(items) - 1 else "."))
    return _sentence("caveats", phrases=parts)
