"""Settings kept as data: workload profiles, briefing comparisons, verdict rules, quality thresholds."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.settings import ROOT
from flows.sources.facts import read_yaml, validate_record

CONFIG_DIR = ROOT / "data" / "config"
Share = Annotated[float, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Profile(_Strict):
    input: Annotated[float, Field(ge=0)]
    output: Annotated[float, Field(ge=0)]
    cache_hit_share: Share = 0.0
    description: str

    @model_validator(mode="after")
    def _some_tokens(self) -> Profile:
        if self.input + self.output <= 0:
            raise ValueError("input: a profile needs input or output tokens")
        return self


# The names a verdict statement or bottom line may use in braces ({flagship}); the briefing fills
# them from the vendor's figures (flows/report/verdict.py, `text_fields`).
VERDICT_FIELDS = frozenset({
    "vendor", "flagship", "reference", "profile", "jurisdiction", "ratio", "ratio_pct", "ratio_x",
    "price_rank", "price_field", "capability_model", "score", "score_bounds", "rank", "rank_field",
    "leaderboard_on", "leaders", "leader_score", "open_weights_pct", "context_tokens",
    "price_cuts", "price_increases", "revenue_multiple", "price_position", "capability_position",
})
# Fields that exist only when a figure does: a rule (or bottom line) may use one only when one of
# its conditions reads that figure (so that it never prints a placeholder). The other fields
# always have a value (a name, or a phrase that says what is missing).
FIELD_METRICS = {
    "ratio": "flagship_blended_ratio", "ratio_pct": "flagship_blended_ratio", "ratio_x": "flagship_blended_ratio",
    "price_rank": "flagship_price_rank", "price_field": "flagship_price_rank",
    "capability_model": "capability_rank_best", "score": "capability_rank_best",
    "score_bounds": "capability_rank_best", "rank": "capability_rank_best", "rank_field": "capability_rank_best",
    "leaders": "capability_rank_best", "leader_score": "capability_rank_best", "open_weights_pct": "open_weights_share",
    "context_tokens": "largest_context_window", "price_cuts": "lineup_price_cuts_365d",
    "price_increases": "lineup_price_increases_365d", "revenue_multiple": "revenue_multiple_high",
}
# Wording a rule text must not carry: file paths and configuration names mean nothing to a reader.
_PATHLIKE = re.compile(r"(\.ya?ml\b|\.py\b|\.sql\b|data/|config/|flows/|\w+_\w+)")


class Condition(_Strict):
    """`metric op value` on the vendor's figures (marts.vendor_metrics); false when the metric is
    missing."""
    metric: str
    op: Literal["<", "<=", "==", ">=", ">"]
    value: float

    def holds(self, value: float | None) -> bool:
        if value is None:
            return False
        return {"<": value < self.value, "<=": value <= self.value, "==": value == self.value,
                ">=": value >= self.value, ">": value > self.value}[self.op]


def _check_text(text: str, metrics: set[str] | None = None) -> str:
    """A verdict text: known fields only, each figure field backed by a condition on its figure
    (`metrics`: the figures the conditions read; None for the neutral lines, which may use only
    the fields that always have a value), and nothing that reads like a file or setting name."""
    import string

    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None and name not in VERDICT_FIELDS:
            raise ValueError(f"text: unknown field {{{name}}} (known: {', '.join(sorted(VERDICT_FIELDS))})")
        if name in FIELD_METRICS and FIELD_METRICS[name] not in (metrics or set()):
            raise ValueError(f"text: field {{{name}}} needs a condition on {FIELD_METRICS[name]} "
                             "(else it may print without a value)")
    if found := _PATHLIKE.search(re.sub(r"\{\w*\}", "", text)):
        raise ValueError(f"text: {found.group()!r} reads like a file or configuration name, not a statement")
    return text


class VerdictRule(_Strict):
    """A statement of the verdict: it fires for a vendor when every condition of `when` holds,
    unless a rule listed earlier that it excludes (or that excludes it) fired already."""
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,40}$")]
    verdict: Literal["good_fit", "skip_if"]
    when: Annotated[list[Condition], Field(min_length=1)]
    text: str
    excludes: list[str] = []

    @model_validator(mode="after")
    def _text(self) -> VerdictRule:
        _check_text(self.text, {c.metric for c in self.when})
        if self.id in self.excludes:
            raise ValueError(f"excludes: rule {self.id} cannot exclude itself")
        return self

    def holds(self, metrics: dict[str, float | None]) -> bool:
        return all(c.holds(metrics.get(c.metric)) for c in self.when)


class BottomLine(_Strict):
    """A candidate bottom line: the first whose conditions all hold is the briefing's."""
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,40}$")]
    when: Annotated[list[Condition], Field(min_length=1)]
    text: str

    @model_validator(mode="after")
    def _text(self) -> BottomLine:
        _check_text(self.text, {c.metric for c in self.when})
        return self

    def holds(self, metrics: dict[str, float | None]) -> bool:
        return all(c.holds(metrics.get(c.metric)) for c in self.when)


class NeutralLines(_Strict):
    """What the verdict says where no rule fits: no good-fit rule, no skip-if rule, no bottom line,
    and the bottom line of a vendor without a flagship."""
    good_fit: str
    skip_if: str
    bottom_line: str
    no_flagship: str

    @model_validator(mode="after")
    def _texts(self) -> NeutralLines:
        for text in (self.good_fit, self.skip_if, self.bottom_line, self.no_flagship):
            _check_text(text)
        return self


class Quality(_Strict):
    stale_after_days: Annotated[int, Field(gt=0)]
    drift_max_lost_share: Share
    price_move_max_factor: Annotated[float, Field(gt=1)]
    reconciliation_tolerance: Share
    price_ceiling_usd_per_mtok: Annotated[float, Field(gt=0)]
    funding_total_tolerance: Share
    headcount_window_days: Annotated[int, Field(gt=0)]
    headcount_max_factor: Annotated[float, Field(gt=1)]
    claim_tolerance: dict[str, Annotated[float, Field(gt=0, le=1)]]
    claim_imprecise_factor: Annotated[float, Field(gt=1)]
    # Capability claims (metric capability_gap): Arena Score points a stated gap may lie outside
    # the 95 % bounds of the measured gap and still be confirmed.
    capability_tolerance_points: Annotated[float, Field(gt=0)] = 20.0
    # Company facts older than this many days on the edition date carry their age wherever a
    # briefing shows them (founding dates and funding rounds are events: they never go stale).
    fact_age_headcount_days: Annotated[int, Field(gt=0)] = 180
    fact_age_revenue_days: Annotated[int, Field(gt=0)] = 180
    fact_age_reported_total_days: Annotated[int, Field(gt=0)] = 365
    fact_age_valuation_days: Annotated[int, Field(gt=0)] = 365
    # The edition's exchange rate (`--currency`) more than this many days older than the edition
    # date gets a data-quality warning.
    edition_rate_max_age_days: Annotated[int, Field(gt=0)] = 7

    def fact_age_limit(self, fact: str) -> int | None:
        """The age in days past which a company fact of kind `fact` (headcount, revenue,
        reported_total, valuation, round, founding) is shown with its age; None: never."""
        return getattr(self, f"fact_age_{fact}_days", None)


class Briefing(_Strict):
    reference_models: list[str]
    switch_from: str
    default_peers: list[str]
    metric_move_threshold: Share
    verdict_rules: list[VerdictRule]
    bottom_lines: list[BottomLine]
    verdict_neutral: NeutralLines

    @model_validator(mode="after")
    def _rule_ids(self) -> Briefing:
        ids = [r.id for r in self.verdict_rules]
        for rule in self.verdict_rules:
            if ids.count(rule.id) > 1:
                raise ValueError(f"verdict_rules: duplicate rule id {rule.id!r}")
            for other in rule.excludes:
                if other not in ids:
                    raise ValueError(f"verdict_rules: rule {rule.id!r} excludes unknown rule {other!r}")
        lines = [b.id for b in self.bottom_lines]
        if len(set(lines)) != len(lines):
            raise ValueError("bottom_lines: duplicate id")
        texts = [r.text for r in self.verdict_rules] + [b.text for b in self.bottom_lines]
        texts += [self.verdict_neutral.good_fit, self.verdict_neutral.skip_if, self.verdict_neutral.bottom_line,
                  self.verdict_neutral.no_flagship]
        for ident in ids + lines:
            for text in texts:
                if re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", re.sub(r"\{\w*\}", "", text)):
                    raise ValueError(f"verdict_rules: the id {ident!r} appears in the text {text[:60]!r}: "
                                     "ids are for the configuration, never for the reader")
        return self

    def exclusive(self, a: str, b: str) -> bool:
        """Whether rules `a` and `b` may not both fire (either excludes the other)."""
        rules = {r.id: r for r in self.verdict_rules}
        return b in rules[a].excludes or a in rules[b].excludes


class Config(_Strict):
    default_profile: str
    monthly_tokens: Annotated[int, Field(gt=0)]
    profiles: dict[str, Profile]
    briefing: Briefing
    quality: Quality


def _load(model: type[BaseModel], path: Path, data: object) -> BaseModel:
    return validate_record(model, data, str(path.relative_to(ROOT)), path.stem)  # type: ignore[arg-type]


@cache
def load_config(config_dir: Path = CONFIG_DIR) -> Config:
    profiles_file = config_dir / "profiles.yaml"
    raw = read_yaml(profiles_file) or {}
    profiles = {name: _load(Profile, profiles_file, item) for name, item in (raw.get("profiles") or {}).items()}
    config = Config(
        default_profile=raw.get("default", "chat"),
        monthly_tokens=raw.get("monthly_tokens", 1_000_000_000),
        profiles=profiles,
        briefing=_load(Briefing, config_dir / "briefing.yaml", read_yaml(config_dir / "briefing.yaml")),
        quality=_load(Quality, config_dir / "quality.yaml", read_yaml(config_dir / "quality.yaml")),
    )
    if config.default_profile not in profiles:
        from flows.errors import InputError
        raise InputError(str(profiles_file.relative_to(ROOT)), None, "default", f"unknown profile {config.default_profile!r}")
    return config
