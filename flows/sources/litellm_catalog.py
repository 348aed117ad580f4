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

PRICE_FIELDS = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write",
}
TIER_FIELD = re.compile(r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|"
                        r"cache_creation_input_token_cost)_above_(\d+)k_tokens$")
INT_FIELDS = ("max_input_tokens", "max_output_tokens")
FLAG_FIELDS = ("supports_vision", "supports_function_calling", "supports_reasoning", "supports_prompt_caching")
# Anything dearer than $10,000 per million tokens is a unit error, not a price.
MAX_USD_PER_TOKEN = 0.01
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


def _bad_number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, got {type(value).__name__} {str(value)[:40]!r}"
    if not math.isfinite(value):
        return f"expected a finite number, got {value}"
    if value < 0:
        return f"negative price {value}"
    if value > MAX_USD_PER_TOKEN:
        return f"implausible price {value} USD per token (above {MAX_USD_PER_TOKEN})"
    return None


def _check_entry(key: str, entry: Any) -> tuple[dict | None, list[dict], str | None, str | None]:
    """(entry row, tier rows, bad field, reason); a reason means the entry goes to quarantine."""
    if not isinstance(entry, dict):
        return None, [], None, f"expected an object, got {type(entry).__name__}"
    if "\x00duplicates" in entry:
        return None, [], entry["\x00duplicates"][0], "field given twice in the same entry"
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
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return None, [], name, f"expected a whole number of tokens, got {str(value)[:40]!r}"
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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(source_uri, None, None, f"not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise InputError(source_uri, None, None,
                         f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
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
    for rows in (snap.entries, snap.tiers, snap.quarantine):
        for r in rows:
            r["snapshot_id"] = snap.snapshot_id
    return snap


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
