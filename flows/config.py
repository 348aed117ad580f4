"""Settings kept as data: workload profiles, briefing comparisons, verdict rules, quality thresholds."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.sources.facts import read_yaml, validate_record
from flows.settings import ROOT

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


class VerdictRule(_Strict):
    metric: str
    op: Literal["<", "<=", "==", ">=", ">"]
    value: float
    verdict: Literal["good_fit", "skip_if"]
    text: str

    def holds(self, value: float | None) -> bool:
        if value is None:
            return False
        return {"<": value < self.value, "<=": value <= self.value, "==": value == self.value,
                ">=": value >= self.value, ">": value > self.value}[self.op]


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


class Briefing(_Strict):
    reference_models: list[str]
    switch_from: str
    default_peers: list[str]
    metric_move_threshold: Share
    verdict_rules: list[VerdictRule]


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
