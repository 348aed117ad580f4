"""Synthetic sources shaped like the bundled ones, for the scale benchmark.

`generate(folder, scale)` writes a data/sources-shaped folder holding `8 * scale` vendors and
`scale` times the bundled LiteLLM catalog:

- 1x is eight bundled vendors unchanged (`BASE`: the reference models' and default peers' makers,
  plus vendors with EUR, CNY and HKD funding rounds and claims), the bundled LiteLLM snapshots,
  LMArena leaderboards, sources and FX file: what the product sees on its own data.
- Each further "generation" g (1 .. scale - 1) clones eight bundled vendors (round robin over all
  of them) under new ids (`<id>-g<NNN>`: vendor, models, rounds, claims, ...; references to the
  vendor's own ids follow), and copies every LiteLLM entry of every snapshot under a new key
  (`<key>-g<NNN>` for the entries a clone's models reference, `synthetic-g<NNN>/e<n>` for the
  others, so that no maker's name rule claims them). A cloned vendor's models keep their LiteLLM
  references (renamed, so they resolve to the copied entries) and drop their genai-prices
  references (that catalog is the installed package's: it does not scale); one `vendor_map` rule
  and platform per clone (LiteLLM provider `synthetic-<clone id>`) maps its copies to it. Every third clone reports its USD
  rounds in GBP, converted at the ECB rate of the round's date (currencyconverter, as the product).
- Prices of a copy are the original's times a per-generation factor, and in every snapshot after
  the first about `MOVE_SHARE` of the copied entries change price (x0.5, x0.8 or x1.25), so that
  price history, price moves and "what changed" grow with the scale. Tiered entries
  (`*_above_*_tokens`, `tiered_pricing`) are copied with their tiers.

Deterministic: the same `scale` and `seed` give byte-identical files.
"""

from __future__ import annotations

import copy
import gzip
import json
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from flows.settings import SOURCES_DIR

BASE = ("openai", "anthropic", "meta", "mistral", "google", "deepseek", "zhipuai", "minimax")
PER_GENERATION = len(BASE)
MOVE_SHARE = 0.05
_FACTORS = (0.5, 0.8, 1.25)
_SUFFIX_FIELDS = ("id",)


def _suffix(g: int) -> str:
    return f"-g{g:03d}"


def _is_price(field: str) -> bool:
    return "cost_per" in field


def _scaled(entry: Any, factor: float) -> Any:
    """An entry with every price field (`*cost_per*`, at any depth) times `factor`."""
    if isinstance(entry, dict):
        return {k: (v * factor if _is_price(k) and isinstance(v, int | float) and not isinstance(v, bool)
                    else _scaled(v, factor)) for k, v in entry.items()}
    if isinstance(entry, list):
        return [_scaled(v, factor) for v in entry]
    return entry


def _slim(entry: dict[str, Any]) -> dict[str, Any]:
    """A copied entry's priced part: prices and tiers, provider, mode and token limits (the
    support flags and notes of the original stay with it). Keeps a 100x snapshot under the
    loader's 200 MiB limit per file."""
    return {k: v for k, v in entry.items()
            if "cost" in k or k in ("tiered_pricing", "litellm_provider", "mode") or k.startswith("max_")}


def _rename(value: Any, ids: dict[str, str]) -> Any:
    """`value` with every string equal to one of `ids` replaced (a vendor's own ids)."""
    if isinstance(value, dict):
        return {k: _rename(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, ids) for v in value]
    if isinstance(value, str):
        return ids.get(value, value)
    return value


def _own_ids(doc: dict[str, Any], g: int) -> dict[str, str]:
    """Old id -> new id of every `id` field in a vendor file (vendor, models, rounds, claims, ...)."""
    ids: dict[str, str] = {}

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if k in _SUFFIX_FIELDS and isinstance(x, str):
                    ids[x] = x + _suffix(g)
                else:
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(doc)
    return ids


def _gbp(doc: dict[str, Any]) -> None:
    """Rounds (and their valuations) reported in USD restated in GBP at the ECB rate of their date:
    the amount and its parts (equity, debt, conditional) with one factor, so that they still add up."""
    from currency_converter import CurrencyConverter

    fx = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    for r in doc.get("funding_rounds") or []:
        rate = fx.convert(1.0, "USD", "GBP", date=r.get("announced_on"))
        if r.get("currency") == "USD":
            for k in ("amount", "equity_amount", "debt_amount", "conditional_amount"):
                if isinstance(r.get(k), int | float):
                    r[k] = r[k] * rate
            r["currency"] = "GBP"
        if r.get("valuation_currency") == "USD" and isinstance(r.get("post_money_valuation"), int | float):
            r["post_money_valuation"] = r["post_money_valuation"] * rate
            r["valuation_currency"] = "GBP"


def clone_vendor(doc: dict[str, Any], g: int, keys: dict[str, str], gbp: bool = False) -> dict[str, Any]:
    """A bundled vendor file as generation `g`'s clone: own ids suffixed, names marked, LiteLLM
    references renamed through `keys` (old key -> copied key), genai-prices references dropped.
    Funding restated in GBP when `gbp` (its reported totals and valuations, in USD, are dropped then)."""
    out = _rename(copy.deepcopy(doc), _own_ids(doc, g))
    out["vendor"]["name"] = f"{doc['vendor']['name']} G{g}"
    for m in out.get("models") or []:
        m["name"] = f"{m['name']} g{g}"
        refs = [dict(r, model_key=keys.get(r["model_key"], r["model_key"] + _suffix(g)))
                for r in m.get("catalog_refs") or [] if r.get("source") == "litellm"]
        m["catalog_refs"] = refs
    if gbp and any(r.get("currency") == "USD" for r in out.get("funding_rounds") or []):
        _gbp(out)
        for k in [k for k in out if k.startswith("reported_")]:  # totals, valuations: reported in USD
            out[k] = []
        out["claims"] = [c for c in out.get("claims") or [] if "funding" not in json.dumps(c, default=str)
                         and "valuation" not in json.dumps(c, default=str)]
    return out


def _snapshot(path: Path) -> dict[str, Any]:
    return json.loads(gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes())


def generate(folder: Path, scale: int, seed: int = 1, sources: Path = SOURCES_DIR) -> dict[str, int]:
    """Write a sources folder at `scale` (an integer >= 1) under `folder` (replaced); returns what
    it holds: vendors, models, claims, funding_rounds, round_currencies, snapshots, snapshot_entries,
    moved_entries (copied entries whose price changed since the previous snapshot) and tiered_entries.
    Raises ValueError for a scale below 1."""
    if scale < 1:
        raise ValueError(f"scale must be >= 1, got {scale}")
    rng = random.Random(seed)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for item in sources.iterdir():
        if item.name in ("vendors", "litellm", "vendor_map.yaml"):
            continue
        (shutil.copytree if item.is_dir() else shutil.copyfile)(item, folder / item.name)
    (folder / "vendors").mkdir()
    (folder / "litellm").mkdir()
    bundled = sorted(p.stem for p in (sources / "vendors").glob("*.yaml"))
    docs = {v: yaml.safe_load((sources / "vendors" / f"{v}.yaml").read_text(encoding="utf-8")) for v in bundled}
    for v in BASE:
        shutil.copyfile(sources / "vendors" / f"{v}.yaml", folder / "vendors" / f"{v}.yaml")
    listing = yaml.safe_load((sources / "litellm" / "snapshots.yaml").read_text(encoding="utf-8"))
    snaps = [_snapshot(sources / "litellm" / s["file"]) for s in listing]

    vendor_map = yaml.safe_load((sources / "vendor_map.yaml").read_text(encoding="utf-8"))
    clone_rules: list[dict[str, Any]] = []
    # Which generation copies which entry to which clone: key -> (clone id, provider) per generation.
    owner: list[dict[str, str]] = [{} for _ in range(scale)]
    shape = {"vendors": len(BASE), "models": 0, "claims": 0, "funding_rounds": 0}
    currencies: set[str] = set()
    for v in BASE:
        shape["models"] += len(docs[v].get("models") or [])
        shape["claims"] += len(docs[v].get("claims") or [])
        shape["funding_rounds"] += len(docs[v].get("funding_rounds") or [])
        currencies |= {r.get("currency") for r in docs[v].get("funding_rounds") or []}
    n = 0
    for g in range(1, scale):
        for i in range(PER_GENERATION):
            base = bundled[((g - 1) * PER_GENERATION + i) % len(bundled)]
            vid = base + _suffix(g)
            refs = {r["model_key"] for m in docs[base].get("models") or [] for r in m.get("catalog_refs") or []
                    if r.get("source") == "litellm"}
            keys = {k: k + _suffix(g) for k in refs}
            for k in refs:
                owner[g][k] = vid
            doc = clone_vendor(docs[base], g, keys, gbp=n % 3 == 2)
            n += 1
            (folder / "vendors" / f"{vid}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True),
                                                            encoding="utf-8")
            clone_rules.append({"source": "litellm", "provider": f"synthetic-{vid}", "vendor_id": vid,
                                "note": f"synthetic clone of {base}"})
            shape["vendors"] += 1
            shape["models"] += len(doc.get("models") or [])
            shape["claims"] += len(doc.get("claims") or [])
            shape["funding_rounds"] += len(doc.get("funding_rounds") or [])
            currencies |= {r.get("currency") for r in doc.get("funding_rounds") or []}
    present = set(BASE) | {r["vendor_id"] for r in clone_rules}
    models = {m["id"] for v in BASE for m in docs[v].get("models") or []}
    arena_map = yaml.safe_load((sources / "lmarena" / "model_map.yaml").read_text(encoding="utf-8"))
    arena_map["pairs"] = [p for p in arena_map.get("pairs") or [] if p.get("model_id") in (None, *models)]
    (folder / "lmarena" / "model_map.yaml").write_text(yaml.safe_dump(arena_map, sort_keys=False, allow_unicode=True),
                                                      encoding="utf-8")
    for section in ("rules", "platforms"):  # makers left out of this folder: "a maker we do not cover"
        for r in vendor_map.get(section) or []:
            if r.get("vendor_id") not in present:
                r["vendor_id"] = None
    vendor_map["rules"] = clone_rules + vendor_map["rules"]
    vendor_map["platforms"] = [{k: r[k] for k in ("source", "provider", "vendor_id", "note")}
                               for r in clone_rules] + (vendor_map.get("platforms") or [])
    (folder / "vendor_map.yaml").write_text(yaml.safe_dump(vendor_map, sort_keys=False, allow_unicode=True),
                                            encoding="utf-8")

    factors = [1.0] + [rng.choice((0.6, 0.8, 0.9, 1.1, 1.25, 1.5)) for _ in range(1, scale)]
    moved = tiered = entries = 0
    current: dict[tuple[int, str], float] = {}  # (generation, key) -> its factor now
    index = {k: i for i, k in enumerate(sorted({k for snap in snaps for k in snap}))}
    for s, (meta, snap) in enumerate(zip(listing, snaps, strict=True)):
        out: dict[str, Any] = {}
        for key, entry in snap.items():
            out[key] = entry
            if not isinstance(entry, dict):
                continue
            is_tiered = any("_above_" in f or f == "tiered_pricing" for f in entry)
            for g in range(1, scale):
                factor = current.get((g, key), factors[g])
                if s > 0 and rng.random() < MOVE_SHARE:
                    factor *= rng.choice(_FACTORS)
                    moved += 1
                current[(g, key)] = factor
                copied = _scaled(_slim(entry), factor)
                vid = owner[g].get(key)
                if vid is not None:
                    copied["litellm_provider"] = f"synthetic-{vid}"
                    out[key + _suffix(g)] = copied
                else:  # no maker's name in the key: its copy maps to no vendor (as a host's own model)
                    copied["litellm_provider"] = f"synthetic{_suffix(g)}"
                    out[f"synthetic{_suffix(g)}/e{index[key]:05d}"] = copied
                tiered += is_tiered
        entries += len(out)
        name = Path(meta["file"]).name
        if not name.endswith(".gz"):
            name += ".gz"
        (folder / "litellm" / name).write_bytes(gzip.compress(json.dumps(out).encode(), mtime=0))
        meta["file"] = name
    (folder / "litellm" / "snapshots.yaml").write_text(yaml.safe_dump(listing, sort_keys=False), encoding="utf-8")
    for extra in (sources / "litellm").glob("LICENSE*"):
        shutil.copyfile(extra, folder / "litellm" / extra.name)
    return {**shape, "round_currencies": len(currencies - {None}), "snapshots": len(snaps),
            "snapshot_entries": entries, "moved_entries": moved, "tiered_entries": tiered}
