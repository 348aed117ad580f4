"""Synthetic inputs shaped like the real ones, for the scale benchmark: curated vendor files and
LiteLLM snapshots with dated price changes, `scale` times the bundled volume."""

from __future__ import annotations

import gzip
import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

# The bundled data: 8 vendors, ~7 models each; 3 LiteLLM snapshots of ~3,000 entries.
BASE_VENDORS, MODELS_PER_VENDOR, BASE_KEYS, SNAPSHOTS = 8, 7, 3_400, 3


def generate(folder: Path, scale: int, seed: int = 1) -> dict[str, int]:
    """Write a sources folder at `scale`; returns what it holds. At scale 100 the snapshots hold
    about a million priced entries."""
    rng = random.Random(seed)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "vendors").mkdir(parents=True)
    (folder / "litellm").mkdir()
    (folder / "fx_rates.csv").write_text("rate_on,currency,usd_per_unit,source\n2020-01-02,EUR,1.12,synthetic\n")
    (folder / "sources.yaml").write_text(yaml.safe_dump([{"id": "synthetic", "title": "Synthetic data", "kind": "dataset"}],
                                                        sort_keys=False))
    vendors = BASE_VENDORS * scale
    keys = BASE_KEYS * scale
    snapshots = SNAPSHOTS * max(1, scale // 10) if scale >= 10 else SNAPSHOTS
    keys_per_snapshot = max(1, keys * SNAPSHOTS // snapshots)
    rules = []
    for v in range(vendors):
        vid = f"v{v:04d}"
        rules.append({"provider": f"p{vid}", "vendor_id": vid})
        models = []
        for m in range(MODELS_PER_VENDOR):
            total = rng.choice([7, 24, 70, 123, 400])
            moe = rng.random() < 0.3
            models.append({
                "id": f"{vid}-m{m}", "name": f"Model {vid}-{m}", "family": f"F{m % 3}",
                "class": ["flagship", "small", "code", "reasoning", "other", "small", "flagship"][m],
                "released_on": date(2023, 1, 1) + timedelta(days=rng.randrange(1000)),
                "architecture": "moe" if moe else "dense", "total_params_b": total,
                "active_params_b": round(total / 5, 1) if moe else total, "open_weights": rng.random() < 0.5,
                "licence": "Apache-2.0", "context_window_tokens": rng.choice([32768, 131072, 1048576]),
                "catalog_refs": [{"source": "litellm", "model_key": f"p{vid}/{vid}-m{m}"}],
                "source": "synthetic", "as_of": date(2026, 1, 1)})
        founded = date(2018, 1, 1) + timedelta(days=rng.randrange(1500))
        rounds, valuation = [], 50e6
        for r, name in enumerate(["seed", "series_a", "series_b"]):
            valuation *= rng.uniform(2, 5)
            rounds.append({"id": f"{vid}-{name}", "round": name, "announced_on": founded + timedelta(days=200 * (r + 1)),
                           "amount": round(valuation / 8), "currency": "USD", "post_money_valuation": round(valuation),
                           "valuation_currency": "USD", "source": "synthetic", "as_of": founded + timedelta(days=200 * (r + 1))})
        doc = {
            "vendor": {"id": vid, "name": f"Vendor {v}", "hq_country": rng.choice(["US", "FR", "DE", "CN"]),
                       "jurisdiction": "Synthetic", "is_eu": False, "founded_on": founded, "open_weights_stance": "partial",
                       "positioning": "Synthetic vendor.", "source": "synthetic", "as_of": date(2026, 1, 1)},
            "headcount": [{"employees": rng.randrange(10, 5000), "source": "synthetic", "as_of": date(2026, 1, 1)}],
            "funding_rounds": rounds, "models": models,
        }
        (folder / "vendors" / f"{vid}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    for doc in (folder / "vendors").glob("*.yaml"):  # hq_country drives is_eu consistency
        text = doc.read_text()
        if "hq_country: FR" in text or "hq_country: DE" in text:
            doc.write_text(text.replace("is_eu: false", "is_eu: true"))
    (folder / "vendor_map.yaml").write_text(yaml.safe_dump({"rules": rules}, sort_keys=False))
    # Snapshots: the curated models' keys plus anonymous ones; ~3% of prices change per snapshot.
    names = [f"pv{v:04d}/v{v:04d}-m{m}" for v in range(vendors) for m in range(MODELS_PER_VENDOR)]
    names += [f"host{k % 40}/model-{k}" for k in range(max(0, keys_per_snapshot - len(names)))]
    prices = {k: (rng.choice([0.1, 0.25, 0.5, 1, 2.5, 5]) * 1e-6, rng.choice([0.4, 1, 2, 10, 15]) * 1e-6) for k in names}
    listing, entries = [], 0
    for s in range(snapshots):
        snap = {}
        for key, (inp, out) in prices.items():
            if rng.random() < 0.03:
                inp, out = inp * rng.choice([0.5, 0.8, 1.25]), out * rng.choice([0.5, 0.8, 1.25])
                prices[key] = (inp, out)
            snap[key] = {"litellm_provider": key.split("/")[0], "input_cost_per_token": inp, "output_cost_per_token": out,
                         "mode": "chat", "max_input_tokens": 131072}
        as_of = date(2025, 1, 1) + timedelta(days=30 * s)
        name = f"snapshot-{s:03d}.json.gz"
        (folder / "litellm" / name).write_bytes(gzip.compress(json.dumps(snap).encode(), mtime=0))
        listing.append({"file": name, "version": f"synthetic-{s}", "as_of": as_of})
        entries += len(snap)
    (folder / "litellm" / "snapshots.yaml").write_text(yaml.safe_dump(listing, sort_keys=False))
    return {"vendors": vendors, "models": vendors * MODELS_PER_VENDOR, "snapshots": snapshots, "snapshot_entries": entries}
