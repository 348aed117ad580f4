"""LMArena text leaderboards: parsing, checking, fetching and loading as a dated source.

A leaderboard is lmarena/arena-catalog's `data/leaderboard-text.json`: category (`full` is the
overall board) -> arena model name -> {rating, rating_q025, rating_q975}, the Arena Score and its
95 % bounds. A file that is not such a board is refused whole (one InputError naming the file); an
entry with a missing, non-finite or inconsistent number (q025 <= rating <= q975 must hold) is
quarantined with its reason and the rest of the board loads.

Boards are dated by the caller (`as_of`) and identified by content (sha256 of the JSON text):
loading the same content again under the same or a later date changes nothing; under an earlier
date it moves the board to that date. A different board under a date already taken is refused.

The name mapping (data/sources/lmarena/model_map.yaml) is data: its rules and pairs are loaded into
raw tables and applied in SQL (sql/marts/capability_model_map.sql).
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from flows.errors import InputError, VendorbriefError
from flows.sources import facts
from flows.sources import litellm_catalog as catalog_json
from flows.warehouse.store import insert_rows, run_file

FOLDER = "lmarena"
LISTING = "leaderboards.yaml"
MODEL_MAP = "model_map.yaml"
OVERALL = "full"
SCORE_FIELDS = ("rating", "rating_q025", "rating_q975")
MAX_NAME = 200
# An Arena Score is an Elo-like rating around 1000-1500; far outside this range is a unit error.
MIN_SCORE, MAX_SCORE = 0.0, 5000.0


@dataclass
class Leaderboard:
    as_of: date
    sha256: str
    source_uri: str
    rows: list[dict] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)
    origin: str | None = None
    commit: str | None = None

    @property
    def leaderboard_id(self) -> str:
        return f"lmarena-text#{self.sha256[:16]}"

    def row(self) -> dict:
        return {"leaderboard_id": self.leaderboard_id, "as_of": self.as_of, "sha256": self.sha256,
                "source_uri": self.source_uri, "origin": self.origin, "commit": self.commit,
                "category_count": len({r["category"] for r in self.rows}), "score_count": len(self.rows),
                "quarantined_count": len(self.quarantine)}


# --- reading and checking -------------------------------------------------------------------

def _check_entry(entry: Any) -> tuple[dict | None, str | None, str | None]:
    """(scores, bad field, reason); a reason sends the entry to quarantine."""
    if not isinstance(entry, dict):
        return None, None, f"expected an object with {', '.join(SCORE_FIELDS)}, got {type(entry).__name__}"
    if catalog_json.duplicates(entry):
        return None, catalog_json.duplicates(entry)[0], "field given twice in the same entry"
    values = {}
    for name in SCORE_FIELDS:
        value = entry.get(name)
        if value is None:
            return None, name, "missing" if name not in entry else "null instead of a number"
        if isinstance(value, catalog_json._OddNumber):
            return None, name, f"{value.problem}: {value.text[:40]}"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, name, f"expected a number, got {type(value).__name__} {str(value)[:40]!r}"
        if not math.isfinite(value):
            return None, name, f"expected a finite number, got {value}"
        if not MIN_SCORE <= value <= MAX_SCORE:
            return None, name, f"implausible Arena Score {value} (outside {MIN_SCORE:g}-{MAX_SCORE:g})"
        values[name] = float(value)
    low, mid, high = values["rating_q025"], values["rating"], values["rating_q975"]
    if not low <= mid <= high:
        bad = "rating_q025" if low > mid else "rating_q975"
        return None, bad, f"bounds inconsistent: q025 {low} <= rating {mid} <= q975 {high} does not hold"
    return values, None, None


def parse(raw: bytes, as_of: date, source_uri: str, origin: str | None = None,
          commit: str | None = None) -> Leaderboard:
    """Check a leaderboard's bytes (gunzipped) and turn them into rows; refuse what is not one."""
    if not isinstance(as_of, date):
        raise InputError(source_uri, None, "as_of", f"expected a date, got {as_of!r}")
    sha = hashlib.sha256(raw).hexdigest()
    try:
        data = catalog_json._load_json(facts.decode_text(raw, source_uri), source_uri)
    except InputError as exc:
        raise InputError(source_uri, None, None, f"not a leaderboard: {exc.problem}") from None
    if not isinstance(data, dict):
        raise InputError(source_uri, None, None,
                         f"not a leaderboard: expected an object of categories, got {type(data).__name__}")
    if catalog_json.duplicates(data):
        raise InputError(source_uri, str(catalog_json.duplicates(data)[0])[:80], None, "not a leaderboard: category given twice")
    if OVERALL not in data:
        raise InputError(source_uri, None, None,
                         f"not a leaderboard: no '{OVERALL}' (overall) category among {sorted(data)[:5]!r}")
    board = Leaderboard(as_of=as_of, sha256=sha, source_uri=source_uri, origin=origin, commit=commit)
    for category in sorted(data):
        models = data[category]
        if not isinstance(models, dict):
            raise InputError(source_uri, category[:80], None,
                             f"not a leaderboard: category is {type(models).__name__}, expected an object of models")
        if not category.strip() or len(category) > MAX_NAME:
            raise InputError(source_uri, category[:80], None, "not a leaderboard: category name empty or too long")
        dupes = set(catalog_json.duplicates(models))
        for name in sorted(models):
            where = {"category": category, "arena_model": name[:MAX_NAME]}
            if not name.strip() or len(name) > MAX_NAME:
                board.quarantine.append(where | {"field": "(name)", "reason": f"model name empty or longer than {MAX_NAME} characters"})
                continue
            if name in dupes:
                board.quarantine.append(where | {"field": "(name)", "reason": "model given twice in the category"})
                continue
            values, bad_field, reason = _check_entry(models[name])
            if reason:
                board.quarantine.append(where | {"field": bad_field or "(entry)", "reason": reason})
                continue
            assert values is not None
            board.rows.append(where | values)
    if not any(r["category"] == OVERALL for r in board.rows):
        raise InputError(source_uri, OVERALL, None, "not a leaderboard: no usable entry in the overall category")
    return board


def read_source(source: str | Path, name: str | None = None) -> bytes:
    """A leaderboard's bytes from an http(s) URL or a local file (.json or .json.gz), gunzipped
    (the LiteLLM snapshot reader); `name` is how messages about a local file call it."""
    if isinstance(source, Path) or "://" not in str(source):
        return catalog_json.read_bytes(Path(source), name)
    return catalog_json.read_source(str(source))


def load(source: str | Path, as_of: date, source_uri: str | None = None, origin: str | None = None,
         commit: str | None = None) -> Leaderboard:
    """Read and check a leaderboard from a file or a URL; `source_uri` is how it is recorded."""
    uri = source_uri or str(source)
    return parse(read_source(source, uri), as_of, uri, origin, commit)


# --- bundled data ---------------------------------------------------------------------------

_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_LISTING_FIELDS = {"file", "as_of", "origin", "commit"}


def bundled_leaderboards(sources_dir: Path) -> list[Leaderboard]:
    """The leaderboards listed in <sources>/lmarena/leaderboards.yaml (none without the folder)."""
    folder = sources_dir / FOLDER
    listing_path = folder / LISTING
    if not listing_path.exists():
        return []
    name = str(listing_path)
    listing = facts.read_yaml(listing_path) or []
    if not isinstance(listing, list):
        raise InputError(name, None, None, "expected a list of {file, as_of, origin, commit}")
    boards = []
    for i, item in enumerate(listing):
        label = f"[{i}]"
        if not isinstance(item, dict):
            raise InputError(name, label, None, "expected {file, as_of, origin, commit}")
        for key in item:
            if key not in _LISTING_FIELDS:
                raise InputError(name, label, str(key), "unknown field")
        for key in ("file", "as_of"):
            if key not in item:
                raise InputError(name, label, key, "required field is missing")
        file, as_of, origin, commit = item["file"], item["as_of"], item.get("origin"), item.get("commit")
        if not isinstance(file, str) or Path(file).name != file or not file.endswith((".json", ".json.gz")):
            raise InputError(name, label, "file", "must be a .json or .json.gz file name in this folder")
        if not isinstance(as_of, date):
            raise InputError(name, label, "as_of", f"expected a date YYYY-MM-DD, got {as_of!r}")
        if origin is not None and not (isinstance(origin, str) and re.match(r"^https?://\S+$", origin)):
            raise InputError(name, label, "origin", "expected an http(s) URL")
        if commit is not None and not (isinstance(commit, str) and _SHA1.match(commit)):
            raise InputError(name, label, "commit", "expected a 40-digit hex commit id")
        boards.append(load(folder / file, as_of, source_uri=f"data/sources/{FOLDER}/{file}",
                           origin=origin, commit=commit))
    return boards


@dataclass
class ModelMap:
    rules: list[dict] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)


_MAP_SECTIONS = {"variants": "variant", "drop_suffixes": "drop"}
_RULE_FIELDS = {"pattern", "note"}
_PAIR_FIELDS = {"arena", "model_id", "catalog_model_id", "note"}
# RE2 (DuckDB's regex engine) has no look-around or back-references; anchors are added in SQL.
_UNSUPPORTED = re.compile(r"\(\?[=!<]|\\[1-9]|\$|(?:^|[|(])\^")


def load_model_map(path: Path) -> ModelMap:
    """Check model_map.yaml: {variants: [rule], drop_suffixes: [rule], pairs: [pair]}."""
    name = str(path)
    if not path.exists():
        return ModelMap()
    data = facts.read_yaml(path) or {}
    if not isinstance(data, dict):
        raise InputError(name, None, None, "expected a mapping with variants, drop_suffixes and pairs")
    for key in data:
        if key not in (*_MAP_SECTIONS, "pairs"):
            raise InputError(name, None, str(key), "unknown field")
    out = ModelMap()
    order = 0
    for section, kind in _MAP_SECTIONS.items():
        for i, rule in enumerate(data.get(section) or []):
            label = f"{section}[{i}]"
            if not isinstance(rule, dict) or "pattern" not in rule:
                raise InputError(name, label, "pattern", "each rule needs a pattern")
            for key in rule:
                if key not in _RULE_FIELDS:
                    raise InputError(name, label, str(key), "unknown field")
            pattern = rule["pattern"]
            if not isinstance(pattern, str) or not pattern.strip():
                raise InputError(name, label, "pattern", "expected a regular expression")
            if _UNSUPPORTED.search(pattern):
                raise InputError(name, label, "pattern",
                                 "no anchors, look-around or back-references (the suffix is anchored for you)")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InputError(name, label, "pattern", f"not a regular expression: {exc}") from None
            out.rules.append({"rule_order": order, "kind": kind, "pattern": pattern, "note": rule.get("note")})
            order += 1
    seen: set[str] = set()
    for i, pair in enumerate(data.get("pairs") or []):
        label = f"pairs[{i}]"
        if not isinstance(pair, dict) or not isinstance(pair.get("arena"), str) or not pair["arena"].strip():
            raise InputError(name, label, "arena", "each pair needs the arena model name")
        for key in pair:
            if key not in _PAIR_FIELDS:
                raise InputError(name, label, str(key), "unknown field")
        if "model_id" not in pair and "catalog_model_id" not in pair:
            raise InputError(name, label, "model_id", "a pair names a model_id (null: no curated model) and/or a catalog_model_id")
        for key in ("model_id", "catalog_model_id", "note"):
            if pair.get(key) is not None and (not isinstance(pair[key], str) or not pair[key].strip()):
                raise InputError(name, label, key, "expected text")
        if pair["arena"] in seen:
            raise InputError(name, label, "arena", f"{pair['arena']!r} is paired twice")
        seen.add(pair["arena"])
        out.pairs.append({"arena_model": pair["arena"], "has_model_id": "model_id" in pair,
                          "model_id": pair.get("model_id"), "catalog_model_id": pair.get("catalog_model_id"),
                          "note": pair.get("note")})
    return out


def bundled_hash(sources_dir: Path) -> str:
    """A fingerprint of the bundled leaderboards and mapping (for pipeline_runs.input_hashes)."""
    digest = hashlib.sha256()
    folder = sources_dir / FOLDER
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


# --- into the warehouse ---------------------------------------------------------------------

def add_leaderboard(con: duckdb.DuckDBPyConnection, board: Leaderboard) -> str:
    """Add a leaderboard to raw.lmarena__*; returns "added", "unchanged" or "moved".

    The same content already loaded under the same or an earlier date changes nothing; under a
    later date it moves to this (earlier) one. A different board under a date taken is refused.
    """
    matches = run_file(con, "reads/lmarena_leaderboard_matches.sql", {"sha256": board.sha256, "as_of": board.as_of})
    same = next(((as_of, uri) for as_of, uri, is_same in matches if is_same), None)
    if same and same[0] <= board.as_of:
        return "unchanged"
    clash = next(((as_of, uri) for as_of, uri, is_same in matches if not is_same and as_of == board.as_of), None)
    if clash:
        raise VendorbriefError(
            f"{board.source_uri}: a different LMArena leaderboard ({clash[1]}) is already loaded as of "
            f"{clash[0]}; give this one another as-of date")
    if same:
        run_file(con, "catalog/lmarena_leaderboard_moved.sql",
                 {"as_of": board.as_of, "source_uri": board.source_uri, "origin": board.origin,
                  "commit": board.commit, "sha256": board.sha256})
        return "moved"
    insert_rows(con, "raw.lmarena__leaderboards", [board.row()])
    insert_rows(con, "raw.lmarena__scores", [r | {"leaderboard_id": board.leaderboard_id} for r in board.rows])
    insert_rows(con, "raw.lmarena__quarantine", [r | {"leaderboard_id": board.leaderboard_id} for r in board.quarantine])
    return "added"


def load_model_map_rows(con: duckdb.DuckDBPyConnection, model_map: ModelMap) -> None:
    run_file(con, "catalog/lmarena_model_rules_cleared.sql")
    run_file(con, "catalog/lmarena_model_pairs_cleared.sql")
    insert_rows(con, "raw.lmarena__model_rules", model_map.rules)
    insert_rows(con, "raw.lmarena__model_pairs", model_map.pairs)


def load_bundled(con: duckdb.DuckDBPyConnection, sources_dir: Path,
                 extra: list[Leaderboard] = ()) -> dict[str, int]:
    """The ingest step: the bundled leaderboards (and `extra`) and the name mapping into raw tables."""
    model_map = load_model_map(sources_dir / FOLDER / MODEL_MAP)
    outcomes = [add_leaderboard(con, b) for b in [*bundled_leaderboards(sources_dir), *extra]]
    load_model_map_rows(con, model_map)
    total, quarantined = run_file(con, "reads/lmarena_counts.sql")[0]
    return {"lmarena_leaderboards_added": outcomes.count("added"), "lmarena_leaderboards": total,
            "lmarena_quarantined": quarantined}
