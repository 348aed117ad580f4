"""genai-prices' own match clauses, as rows the warehouse can match catalog ids against.

A genai-prices model names the ids it answers to in its `match` clause (`equals`, `starts_with`,
`ends_with`, `contains`, `regex`, combined with `or` and `and`): `mistral-large-4` matches
`mistral-large-4` and `mistral-large-4-0`. The lineup (sql/marts/lineup_entries.sql) uses these
clauses to group another catalog's ids (LiteLLM's `mistral/mistral-large-4-0`) with the
genai-prices model they belong to, and to name a model's aliases.

Each clause is written in disjunctive normal form: one row per (branch, condition); a model
matches an id when every condition of one of its branches holds. Patterns are lower-cased as
genai-prices compares them (it lower-cases the id, and compares `equals`, `starts_with`,
`ends_with` and `contains` case-insensitively); a regex is kept as written. A regex the
warehouse's engine (RE2) cannot run (look-around, back-references) is kept with
`is_portable = false` and never matches there.
"""

from __future__ import annotations

import re
from itertools import product

from genai_prices import data as gp_data
from genai_prices.types import (
    ClauseAnd,
    ClauseContains,
    ClauseEndsWith,
    ClauseEquals,
    ClauseOr,
    ClauseRegex,
    ClauseStartsWith,
)

from flows.sources.genai_catalog import snapshot_id

KINDS = {ClauseEquals: ("equals", "equals"), ClauseStartsWith: ("starts_with", "starts_with"),
         ClauseEndsWith: ("ends_with", "ends_with"), ClauseContains: ("contains", "contains"),
         ClauseRegex: ("regex", "regex")}
# Python regex syntax RE2 refuses: look-ahead and look-behind, back-references, atomic groups.
_NOT_RE2 = re.compile(r"\(\?[=!<>]|\(\?<[=!]|\\[1-9]")
# A branch with more conditions than this (a deep `and` of `or`s) is not expanded.
MAX_BRANCHES = 64


def branches(clause) -> list[list[tuple[str, str]]]:
    """The clause in disjunctive normal form: a list of branches, each a list of (kind, pattern)
    conditions that must all hold."""
    if isinstance(clause, ClauseOr):
        return [b for child in clause.or_ for b in branches(child)]
    if isinstance(clause, ClauseAnd):
        parts = [branches(child) for child in clause.and_]
        combos = list(product(*parts))
        if len(combos) > MAX_BRANCHES:
            raise ValueError(f"match clause too large to expand ({len(combos)} branches)")
        return [[cond for part in combo for cond in part] for combo in combos]
    kind, attr = KINDS[type(clause)]
    value = getattr(clause, attr)
    return [[(kind, value if kind == "regex" else value.lower())]]


def is_portable(kind: str, pattern: str) -> bool:
    """Whether the warehouse can evaluate the condition (RE2 regex syntax)."""
    return kind != "regex" or not _NOT_RE2.search(pattern)


def clause_rows(providers: list | None = None, snapshot: str | None = None) -> list[dict]:
    """Rows of raw.genai_prices__match_clauses: snapshot, provider_id, model_id, model_order (the
    model's place in its provider: genai-prices tries models in this order and takes the first
    match), branch, kind, pattern, is_portable."""
    providers = gp_data.providers if providers is None else providers
    snap = snapshot or snapshot_id()
    rows = []
    for provider in providers:
        for order, model in enumerate(provider.models):
            for b, conditions in enumerate(branches(model.match)):
                for kind, pattern in conditions:
                    rows.append({"snapshot": snap, "provider_id": provider.id, "model_id": model.id,
                                 "model_order": order, "branch": b, "kind": kind, "pattern": pattern,
                                 "is_portable": is_portable(kind, pattern)})
    return rows
