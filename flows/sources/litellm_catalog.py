"""LiteLLM cost-map snapshots: parsing, checking and fetching.

A snapshot is LiteLLM's `model_prices_and_context_window` JSON: one object per model key, prices
per token. A file that cannot be read as such a map is refused whole; an entry with a bad price
(a string, NaN, a negative or absurd number, no provider) is quarantined with its reason and the
rest of the snapshot loads.

Every entry ends in one of four ways (`price_form` of its row, counted per snapshot):
- priced: a standard token price, given as `input_cost_per_token` / `output_cost_per_token` (with
  cache prices and `*_above_<N>k_tokens` tiers) or as a `tiered_pricing` list, whose tier starting
  at 0 tokens is the base price and whose other tiers are token-count tiers (the whole request
  pays the tier its input size falls in);
- quarantined, with the field and the reason: a bad value, or token prices in a form that gives
  no standard price (only service-tier prices such as `*_priority` or `*_batches`, tiers without
  a base, a `tiered_pricing` list that is not a ladder of token ranges from 0);
- no token price: priced by other units (images, audio seconds, characters, queries) or not at all;
- alias: `alias_of` another key, no prices of its own.
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
# Any field holding a per-token price of text: the standard fields and their variants (service
# tiers `_priority`, `_flex`, `_batches`, ..., token-count tiers `_above_<N>k_tokens`, cache
# durations `_above_1hr`). An entry with one of these but no standard price is quarantined.
TOKEN_PRICE_FIELD = re.compile(r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|"
                               r"cache_creation_input_token_cost)(_\w+)?$")
# Bumped whenever parsing yields different rows for the same file: snapshots parsed by an older
# version are parsed again from their stored bytes (raw.litellm__files) on the next ingest.
PARSER_VERSION = 2


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
    content: bytes | None = field(default=None, repr=False)  # the file's bytes, kept to parse it again

    def counts(self) -> dict[str, int]:
        """Entries by outcome: priced (per token or tiered_pricing), quarantined, no token price, alias."""
        forms = [e["price_form"] for e in self.entries]
        return {"priced_count": forms.count("per_token") + forms.count("tiered_pricing"),
                "quarantined_count": len(self.quarantine), "no_token_price_count": forms.count("none"),
                "alias_count": forms.count("alias")}

    def row(self) -> dict:
        return {"snapshot_id": self.snapshot_id, "as_of": self.as_of, "sha256": self.sha256,
                "source_uri": self.source_uri, "version": self.version,
                "entry_count": len(self.entries), **self.counts(), "parser_version": PARSER_VERSION}


class _Duplicate(Exception):
    pass


class JsonObject(dict):
    """A parsed JSON object that remembers the keys it was given more than once (`duplicates`, in
    order): beside the data, never inside it, so that no key of the input can pass for it."""

    duplicates: tuple[str, ...] = ()


def duplicates(value: Any) -> tuple[str, ...]:
    """The keys a parsed JSON object was given more than once (none for anything else)."""
    return getattr(value, "duplicates", ())


def _pairs(pairs: list[tuple[str, Any]]) -> JsonObject:
    out = JsonObject()
    dupes = []
    for k, v in pairs:
        if k in out:
            dupes.append(k)
        out[k] = v
    out.duplicates = tuple(dupes)
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
    if duplicates(entry):
        return None, [], duplicates(entry)[0], "field given twice in the same entry"
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
        return {"model_key": key, "alias_of": alias, "litellm_provider": None, "price_form": "alias"}, [], None, None
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
    form = None
    if entry.get("tiered_pricing") is not None:
        base, ladder, bad_field, reason = _tiered_pricing(key, entry["tiered_pricing"])
        if reason:
            return None, [], bad_field, reason
        if base is not None:
            for name, short in PRICE_FIELDS.items():
                given, value = row[f"{short}_usd_per_token"], base.get(short)
                if value is None:
                    continue
                if given is not None and given != value:
                    return None, [], name, (f"{given} disagrees with the tier of tiered_pricing starting at "
                                            f"0 tokens ({value})")
                row[f"{short}_usd_per_token"] = value
            known = {(t["price_key"], t["tier_start_tokens"]): t["tier_usd_per_token"] for t in tiers}
            for rung in ladder:
                at = (rung["price_key"], rung["tier_start_tokens"])
                if at in known and known[at] != rung["tier_usd_per_token"]:
                    return None, [], "tiered_pricing", (f"the {at[0]} price from {at[1]} tokens disagrees with the "
                                                        f"_above_ field ({known[at]} vs {rung['tier_usd_per_token']})")
                if at not in known:
                    tiers.append(rung)
            form = "tiered_pricing"
    if form is None and (row["input_usd_per_token"] is not None or row["output_usd_per_token"] is not None):
        form = "per_token"
    if form is None:
        other = sorted(n for n, v in entry.items() if v is not None and TOKEN_PRICE_FIELD.match(n))
        if other:
            shown = ", ".join(other[:3]) + (f" and {len(other) - 3} more" if len(other) > 3 else "")
            return None, [], other[0], (f"token prices only as {shown}: no standard input_cost_per_token, "
                                        "output_cost_per_token or tiered_pricing")
        form = "none"
    row["price_form"] = form
    return row, tiers, None, None


def _tiered_pricing(key: str, value: Any) -> tuple[dict | None, list[dict], str | None, str | None]:
    """A `tiered_pricing` list as (base prices per token by short name, tier rows, bad field, reason).

    Each tier is an object with a `range` [start, end] of input tokens and its prices; the tier
    starting at 0 is the base price. A list whose tiers carry no token price (e.g. prices per
    query by `max_results_range`) gives (None, [], None, None): no token price."""
    name = "tiered_pricing"
    if not isinstance(value, list) or not value:
        return None, [], name, f"expected a list of tiers, got {_shown(value)}"
    if not all(isinstance(t, dict) for t in value):
        return None, [], name, "expected every tier to be an object"
    with_tokens = [t for t in value if any(k in PRICE_FIELDS for k in t)]
    if not with_tokens:
        return None, [], None, None
    if len(with_tokens) != len(value):
        return None, [], name, "some tiers have token prices and others not"
    rungs: list[tuple[int, float, dict[str, float]]] = []
    for i, tier in enumerate(value, start=1):
        if twice := duplicates(tier):
            return None, [], name, f"tier {i}: field {twice[0][:40]!r} given twice"
        bounds = tier.get("range")
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(
                isinstance(b, (int, float)) and not isinstance(b, bool) and math.isfinite(b) for b in bounds)):
            return None, [], name, f"tier {i}: expected a range [start, end] of tokens, got {_shown(bounds)}"
        start, end = bounds
        if start < 0 or end <= start or not float(start).is_integer():
            return None, [], name, f"tier {i}: range [{start}, {end}] is not a range of tokens"
        if end > MAX_TOKENS:
            return None, [], name, f"tier {i}: implausible token count {end} (above {MAX_TOKENS})"
        prices = {}
        for field_name, short in PRICE_FIELDS.items():
            price = tier.get(field_name)
            if price is None:
                continue
            if reason := _bad_number(price):
                return None, [], f"{name}[{i}].{field_name}", reason
            prices[short] = float(price)
        rungs.append((int(start), float(end), prices))
    rungs.sort(key=lambda r: r[0])
    if rungs[0][0] != 0:
        return None, [], name, f"no tier starts at 0 tokens (the first starts at {rungs[0][0]}): no base price"
    if "input" not in rungs[0][2] and "output" not in rungs[0][2]:
        return None, [], name, "the tier starting at 0 tokens has no input or output price"
    for (start, end, _), (next_start, _, _) in zip(rungs, rungs[1:]):
        if next_start == start:
            return None, [], name, f"two tiers start at {start} tokens"
        if next_start < end:
            return None, [], name, f"tiers overlap: one ends at {end:.0f} tokens, the next starts at {next_start}"
        if next_start > end + 1:
            return None, [], name, f"tiers leave a gap: one ends at {end:.0f} tokens, the next starts at {next_start}"
    ladder = [{"model_key": key, "price_key": short, "tier_start_tokens": start, "tier_usd_per_token": price}
              for start, _, prices in rungs[1:] for short, price in prices.items()]
    return rungs[0][2], ladder, None, None


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


def parse(raw: bytes, as_of: date, source_uri: str, version: str | None = None,
          snapshot_id: str | None = None) -> Snapshot:
    """Check a snapshot's bytes and turn them into rows; refuse files that are not a cost map.
    snapshot_id: the id it was loaded under (when parsed again); by default from version or date."""
    sha = hashlib.sha256(raw).hexdigest()
    text = decode_text(raw, source_uri)
    data = _load_json(text, source_uri)
    if not isinstance(data, dict):
        raise InputError(source_uri, None, None, f"expected a JSON object of model entries, got {type(data).__name__}")
    twice = set(duplicates(data))
    snap_id = f"litellm=={version}" if version else f"litellm@{as_of.isoformat()}#{sha[:12]}"
    snap = Snapshot(snapshot_id=snapshot_id or snap_id, as_of=as_of, sha256=sha, source_uri=source_uri,
                    version=version, content=raw)
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
        if key in twice:
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
