"""The scale benchmark: synthetic data that resolves like the real data, and a real run
of every stage on the smallest configuration with no empty table."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from flows.bench import __main__ as bench
from flows.bench import synthetic


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return h.hexdigest()


def test_fit_exponent_exact() -> None:
    assert bench.fit_exponent([1, 10, 100], [2.0, 20.0, 200.0]) == 1.0
    assert bench.fit_exponent([1, 10, 100], [3.0, 300.0, 30000.0]) == 2.0
    assert bench.fit_exponent([1, 10], [5.0, 5.0]) == 0.0
    assert bench.fit_exponent([10], [5.0]) is None


def test_render_sample_spreads_over_vendors(tmp_path: Path) -> None:
    (tmp_path / "vendors").mkdir()
    for i in range(10):
        (tmp_path / "vendors" / f"v{i}.yaml").write_text("")
    assert bench.render_vendors(tmp_path, 10) is None
    assert bench.render_vendors(tmp_path, 4) == ["v0", "v2", "v5", "v7"]


def test_generate_refuses_scale_zero(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale must be >= 1"):
        synthetic.generate(tmp_path / "s", 0)


def test_generate_is_deterministic_and_clones_resolve(tmp_path: Path) -> None:
    shape = synthetic.generate(tmp_path / "a", 2)
    synthetic.generate(tmp_path / "b", 2)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert shape["vendors"] == 16 and shape["snapshots"] == 3
    assert shape["moved_entries"] > 0 and shape["tiered_entries"] > 0
    vendors = sorted(p.stem for p in (tmp_path / "a" / "vendors").glob("*.yaml"))
    assert len([v for v in vendors if v.endswith("-g001")]) == 8
    # every clone's LiteLLM reference is a key of the copied snapshots, on the clone's own provider
    import gzip
    import json
    last = json.loads(gzip.decompress(sorted((tmp_path / "a" / "litellm").glob("*.gz"))[-1].read_bytes()))
    doc = yaml.safe_load((tmp_path / "a" / "vendors" / "deepseek-g001.yaml").read_text())
    refs = [r["model_key"] for m in doc["models"] for r in m["catalog_refs"]]
    assert refs and all(r.endswith("-g001") for r in refs)
    present = [r for r in refs if r in last]
    assert present and all(last[r]["litellm_provider"] == "synthetic-deepseek-g001" for r in present)


@pytest.mark.slow
def test_smallest_scale_every_stage_has_rows(tmp_path: Path) -> None:
    """A real run at 2x (16 vendors, clones included): previous edition, ingest, validate,
    metrics and a two-briefing render on the local pool, each with non-zero row counts."""
    synthetic.generate(tmp_path / "sources", 2)
    work, sources = str(tmp_path), str(tmp_path / "sources")
    assert bench.scale_previous_edition(work, sources)["edition_prices"] > 0
    ingest = bench.scale_ingest(work, sources)
    validate = bench.scale_validate(work)
    metrics = bench.scale_metrics(work)
    # in its own process, as the bench runs it: a pool's fork server started earlier by another
    # test of this process would lack the timing hook's environment
    render = bench.measure("scale_render", work, "pool", ["deepseek-g001", "mistral"])["result"]
    for name, result in (("ingest", ingest), ("validate", validate), ("metrics", metrics), ("render", render)):
        assert not bench._empty(result), (name, result)
    assert ingest["vendors"] == 16
    assert "gate_failed" not in validate
    assert render["briefings"] == 2 and render["timed_briefings"] == 2
