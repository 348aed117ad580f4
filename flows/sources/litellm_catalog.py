"""LiteLLM cost-map snapshots: parsing, checking and fetching.

A snapshot is LiteLLM's `model_prices_and_context_window` JSON: one object per model key, prices
per token. A file that cannot be read as such a map is refused whole; an entry with a bad price
(a string, NaN, a negative or absurd number, no provider) is quarantined with its reason and the
rest of the snapshot loads.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import math
import re
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flows.errors import InputError
from flows.sources.facts import FORBIDDEN_CHARS, MAX_DEPTH, decode_text, forbidden_char

PRICE_FIELDS = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write",
}
TIER_FIELD = re.compile(r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|"
                        r"cache_creation_input_token_cost)_above_(\d+)k_tokens$")
TEXT_FIELDS = {"litellm_provider": 300, "mode": 300, "alias_of": 300, "source": 2000, "deprecation_date": 300}
INT_FIELDS = ("max_input_tokens", "max_output_tokens")
FLAG_FIELDS = ("supports_vision", "supports_function_calling", "supports_reasoning", "supports_prompt_caching")
# Anything dearer than $10,000 per million tokens is a unit error, not a price.
MAX_USD_PER_TOKEN = 0.01
# A nonzero price below $0.000001 per million tokens is a unit error too, and would read as free
# (prices are kept to 1e-9 $/Mtok); the cheapest real one in the bundled snapshots is 1.3e-10 per token.
MIN_USD_PER_TOKEN = 1e-12
# Context sizes and tier thresholds above ten billion tokens are not limits but typos.
MAX_TOKENS = 10**10
MAX_BYTES = 200 * 1024 * 1024
# LiteLLM documents its own fields under this key; it is not a model.
DOC_KEYS = frozenset({"sample_spec"})


@dataclass
class Snapshot:
    snapshot_id: str
    as_of: date
    sha256: str
    source_uri: str
    version: str | None
    entries: list[dict] = field(default_factory=list)
    tiers: list[dict] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)

    def row(self) -> dict:
        return {"snapshot_id": self.snapshot_id, "as_of": self.as_of, "sha256": self.sha256,
                "source_uri": self.source_uri, "version": self.version,
                "entry_count": len(self.entries), "quarantined_count": len(self.quarantine)}


class _Duplicate(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    dupes = []
    for k, v in pairs:
        if k in out:
            dupes.append(k)
        out[k] = v
    if dupes:
        out["\x00duplicates"] = dupes
    return out


class _OddNumber:
    """A JSON number Python cannot hold as written: a float that overflows to infinity or
    underflows to zero, or an integer of more than 30 digits."""

    def __init__(self, text: str, problem: str):
        self.text, self.problem = text, problem


def _parse_int(text: str) -> Any:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= 30 else _OddNumber(text, f"number too large ({digits} digits)")


def _parse_float(text: str) -> Any:
    value = float(text)
    if value != 0.0 and value - value == 0.0:  # finite and nonzero: the common case
        return value
    if math.isinf(value):
        return _OddNumber(text, "number too large for a 64-bit float")
    if value == 0.0 and re.search(r"[1-9]", text.lower().split("e")[0]):
        return _OddNumber(text, "number too small: it would be stored as 0")
    return value


def _shown(value: Any) -> str:
    return repr(value[:40] if isinstance(value, str) else value if isinstance(value, (int, float, bool))
                else type(value).__name__)


def _bad_number(value: Any) -> str | None:
    if isinstance(value, _OddNumber):
        return f"{value.problem}: {value.text[:40]}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, got {type(value).__name__} {_shown(value)}"
    if not math.isfinite(value):
        return f"expected a finite number, got {value}"
    if value < 0:
        return f"negative price {value}"
    if value > MAX_USD_PER_TOKEN:
        return f"implausible price {value} USD per token (above {MAX_USD_PER_TOKEN})"
    if 0 < value < MIN_USD_PER_TOKEN:
        return f"implausibly small price {value} USD per token (below {MIN_USD_PER_TOKEN}: it would read as free)"
    return None


def _visible(text: str) -> str:
    """`text` with every refused character written as an escape (\\u202e)."""
    return FORBIDDEN_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000
                               else f"\\U{ord(m.group()):08x}", text)


def _depth(value: Any, limit: int) -> bool:
    """Whether `value` nests deeper than `limit` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        node, level = stack.pop()
        for child in (node.values() if isinstance(node, dict) else node):
            if isinstance(child, (dict, list)):
                if level >= limit:
                    return True
                stack.append((child, level + 1))
    return False


def _text_problem(name: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if len(value) > TEXT_FIELDS[name]:
        return f"text longer than {TEXT_FIELDS[name]} characters"
    if found := forbidden_char(value):
        return f"{found[1]} at character {found[0] + 1}: control, bidi and invisible characters are not allowed"
    return None


def _check_entry(key: str, entry: Any) -> tuple[dict | None, list[dict], str | None, str | None]:
    """(entry row, tier rows, bad field, reason); a reason means the entry goes to quarantine."""
    if not isinstance(entry, dict):
        return None, [], None, f"expected an object, got {type(entry).__name__}"
    if "\x00duplicates" in entry:
        return None, [], entry["\x00duplicates"][0], "field given twice in the same entry"
    # The entry is level 2 of the document (the map is level 1).
    if _depth(entry, MAX_DEPTH - 1):
        return None, [], None, f"nested deeper than {MAX_DEPTH} levels"
    for name in TEXT_FIELDS:
        if reason := _text_problem(name, entry.get(name)):
            return None, [], name, reason
    dep = entry.get("deprecation_date")
    if isinstance(dep, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", dep):
        try:
            date.fromisoformat(dep)
        except ValueError:
            return None, [], "deprecation_date", f"not a valid calendar date: {dep!r}"
    alias = entry.get("alias_of")
    if isinstance(alias, str) and alias.strip() and "litellm_provider" not in entry:
        # An alias names another entry and carries no prices of its own.
        return {"model_key": key, "alias_of": alias, "litellm_provider": None}, [], None, None
    provider = entry.get("litellm_provider")
    if not isinstance(provider, str) or not provider.strip():
        return None, [], "litellm_provider", "missing provider" if provider is None else f"provider is not text: {provider!r}"
    row: dict[str, Any] = {"model_key": key, "litellm_provider": provider, "alias_of": None}
    for name, short in PRICE_FIELDS.items():
        value = entry.get(name)
        if value is not None and (reason := _bad_number(value)):
            return None, [], name, reason
        row[f"{short}_usd_per_token"] = None if value is None else float(value)
    for name in INT_FIELDS:
        value = entry.get(name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, _OddNumber):
            return None, [], name, f"{value.problem}: {value.text[:40]}"
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return None, [], name, f"expected a whole number of tokens, got {_shown(value)}"
        if value is not None and value > MAX_TOKENS:
            return None, [], name, f"implausible token count {value} (above {MAX_TOKENS})"
        if value == 0:
            value = None  # LiteLLM writes 0 where the limit is unknown
        row[name] = value
    for name in FLAG_FIELDS:
        value = entry.get(name)
        row[name] = value if isinstance(value, bool) else None
    mode, src, dep = entry.get("mode"), entry.get("source"), entry.get("deprecation_date")
    row["mode"] = mode if isinstance(mode, str) else None
    row["source_url"] = src if isinstance(src, str) and src.startswith(("http://", "https://")) else None
    row["deprecation_date"] = dep if isinstance(dep, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", dep) else None
    tiers = []
    for name, value in entry.items():
        match = TIER_FIELD.match(name)
        if not match:
            continue
        if reason := _bad_number(value):
            return None, [], name, reason
        if int(match.group(2)) * 1000 > MAX_TOKENS:
            return None, [], name, f"implausible tier threshold {match.group(2)[:40]}k tokens (above {MAX_TOKENS})"
        tiers.append({"model_key": key, "price_key": PRICE_FIELDS[match.group(1)],
                      "tier_start_tokens": int(match.group(2)) * 1000, "tier_usd_per_token": float(value)})
    return row, tiers, None, None


def read_bytes(path: Path, name: str | None = None) -> bytes:
    """A snapshot file's bytes, gunzipped; `name` is how messages call it (default: its path)."""
    name = name or str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(name, None, None, f"file larger than {MAX_BYTES // 2**20} MiB")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read file: {exc.strerror or exc}") from None
    return _gunzip(raw, name)


def _gunzip(raw: bytes, name: str) -> bytes:
    """The bytes, decompressed if gzipped, refusing more than MAX_BYTES of output (a small
    compressed file can expand without bound)."""
    if raw[:2] != b"\x1f\x8b":
        return raw
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as f:
            while chunk := f.read(2**20):
                out += chunk
                if len(out) > MAX_BYTES:
                    raise InputError(name, None, None, f"decompresses to more than {MAX_BYTES // 2**20} MiB")
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(name, None, None, f"damaged gzip file: {exc}") from None
    return bytes(out)


def parse(raw: bytes, as_of: date, source_uri: str, version: str | None = None) -> Snapshot:
    """Check a snapshot's bytes and turn them into rows; refuse files that are not a cost map."""
    sha = hashlib.sha256(raw).hexdigest()
    text = decode_text(raw, source_uri)
    data = _load_json(text, source_uri)
    if not isinstance(data, dict):
        raise InputError(source_uri, None, None, f"expected a JSON object of model entries, got {type(data).__name__}")
    duplicates = set(data.pop("\x00duplicates", []))
    snap_id = f"litellm=={version}" if version else f"litellm@{as_of.isoformat()}#{sha[:12]}"
    snap = Snapshot(snapshot_id=snap_id, as_of=as_of, sha256=sha, source_uri=source_uri, version=version)
    for key in sorted(data):
        if key in DOC_KEYS:
            continue
        if len(key) > 300 or not key.strip():
            snap.quarantine.append({"model_key": key[:300], "field": "(key)", "reason": "model key empty or longer than 300 characters"})
            continue
        if found := forbidden_char(key):
            snap.quarantine.append({"model_key": key, "field": "(key)", "reason": f"{found[1]} at character "
                                    f"{found[0] + 1}: control, bidi and invisible characters are not allowed"})
            continue
        if data[key] == _TOO_DEEP:
            snap.quarantine.append({"model_key": key, "field": "(entry)", "reason": f"nested deeper than {MAX_DEPTH} levels"})
            continue
        if key in duplicates:
            snap.quarantine.append({"model_key": key, "field": "(key)", "reason": "model key given twice in the snapshot"})
            continue
        row, tiers, bad_field, reason = _check_entry(key, data[key])
        if reason:
            snap.quarantine.append({"model_key": key, "field": bad_field or "(entry)", "reason": reason})
            continue
        assert row is not None
        snap.entries.append(row)
        snap.tiers.extend(tiers)
    if not snap.entries:
        raise InputError(source_uri, None, None, "the snapshot holds no usable model entries")
    for q in snap.quarantine:  # a quarantined key or field is published: never with the character itself
        q["model_key"], q["field"] = _visible(q["model_key"]), _visible(str(q["field"]))
    for rows in (snap.entries, snap.tiers, snap.quarantine):
        for r in rows:
            r["snapshot_id"] = snap.snapshot_id
    return snap


_TOO_DEEP = "\x00nested too deep\x00"
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _load_json(text: str, name: str) -> Any:
    """The parsed map; an entry nested too deep for Python's parser becomes _TOO_DEEP (and is
    quarantined), a document nested too deep outside any entry is refused."""
    try:
        try:
            return json.loads(text, object_pairs_hook=_pairs, parse_int=_parse_int, parse_float=_parse_float)
        except RecursionError:
            return json.loads(_cut_deep_entries(text, name), object_pairs_hook=_pairs, parse_int=_parse_int,
                              parse_float=_parse_float)
    except json.JSONDecodeError as exc:
        raise InputError(name, None, None,
                         f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def _cut_deep_entries(text: str, name: str) -> str:
    """`text` with every top-level value that nests deeper than MAX_DEPTH levels replaced by a
    marker string; refuses the file if the nesting is not inside such a value."""
    depth, start, deep_at, cuts, first_deep = 0, 0, None, [], None
    for m in _JSON_TOKEN.finditer(text):
        char = m.group()
        if char[0] == '"':
            continue
        if char in "[{":
            depth += 1
            if depth == 2:
                start, deep_at = m.start(), None
            if depth > MAX_DEPTH and deep_at is None:
                deep_at = m.start()
                first_deep = m.start() if first_deep is None else first_deep
        else:
            if depth == 2 and deep_at is not None:
                cuts.append((start, m.end()))
            depth -= 1
    if not cuts:
        pos = first_deep or 0
        line = text.count("\n", 0, pos) + 1
        raise InputError(name, None, None, f"nested deeper than {MAX_DEPTH} levels at line {line}, column "
                                           f"{pos - text.rfind(chr(10), 0, pos)} (outside any model entry, or never closed)")
    parts, last = [], 0
    for a, b in cuts:
        parts += [text[last:a], json.dumps(_TOO_DEEP)]
        last = b
    return "".join(parts + [text[last:]])


def load_path(path: Path, as_of: date, version: str | None = None, source_uri: str | None = None) -> Snapshot:
    return parse(read_bytes(path, source_uri), as_of, source_uri or str(path), version)


def read_source(source: str) -> bytes:
    """A snapshot from an http(s) URL or a local file (.json or .json.gz)."""
    if source.startswith(("http://", "https://")):
        return fetch_url(source)
    if "://" in source:
        raise InputError(source, None, None, "only http(s) URLs and local files can be read")
    return read_bytes(Path(source))


def fetch_url(url: str, timeout: float = 30.0) -> bytes:
    """Download a snapshot; raises on HTTP errors so that the caller's retry policy applies."""
    import httpx

    if not url.startswith(("https://", "http://")):
        raise InputError(url, None, None, "only http(s) URLs can be fetched")
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        with client.stream("GET", url) as response:
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise InputError(url, None, None, f"download larger than {MAX_BYTES // 2**20} MiB")
                chunks.append(chunk)
    raw = b"".join(chunks)
    return _gunzip(raw, url)
