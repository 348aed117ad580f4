"""Single-vendor runs rendered in the flow's process, nothing left in the
system's temporary directory, unlisted LiteLLM snapshots refused. (Warm runs of `vendorbrief
serve` and `--debug` in Prefect mode are tested against the served Prefect server of test_ui.)"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from flows.errors import InputError
from flows.warehouse.load import bundled_snapshots

from .conftest import FIXTURE_SOURCES
from .harness import vendorbrief

AS_OF = "2026-11-29"


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **extra}


# ---- fast -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["extra.json", "model_prices-1.111.0.json.gz"])
def test_an_unlisted_litellm_snapshot_is_refused_naming_it(tmp_path, name):
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    shutil.copyfile(sources / "litellm" / "litellm-s1.json", sources / "litellm" / name)
    with pytest.raises(InputError) as info:
        bundled_snapshots(sources)
    assert str(info.value) == (f"{sources / 'litellm' / name}: LiteLLM snapshot not listed in snapshots.yaml: "
                               "list it (file, version, as_of) or remove it")


def test_other_files_beside_the_snapshots_are_not_snapshots(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    (sources / "litellm" / "LICENSE-litellm.txt").write_text("MIT\n")
    assert [s.version for s in bundled_snapshots(sources)] == ["fixture-1"]


def test_great_expectations_makes_no_temporary_folder(tmp_path, monkeypatch):
    import tempfile

    import pandas as pd
    from flows.quality import suites as quality

    systmp = tmp_path / "systmp"
    systmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(systmp))
    validator = quality.Validator()
    assert validator.context.get_config().data_docs_sites == {}
    suite = quality.Suite(name="t", relation="t", check=None, key=[], policy="block", policy_note="", value_sets=[],
                          body={"name": "t", "expectations": [{"type": "expect_column_values_to_not_be_null",
                                                               "kwargs": {"column": "a"}, "meta": {"severity": "error"}}]})
    outcome = quality.Outcome()
    validator.run(suite, pd.DataFrame({"a": [1, None]}), {}, "r", outcome)
    assert [r["success"] for r in outcome.results] == [False]
    assert list(systmp.iterdir()) == []


def test_runs_start_from_the_flow_object_with_resolved_annotations():
    """serve_warm hands Prefect the flow object; the pickle carries its function by value, whose
    annotations must not be names of the module (pydantic could not resolve them in the run)."""
    import pickle

    import cloudpickle
    from flows.orchestration.pipeline import vendor_briefings

    flow = pickle.loads(cloudpickle.dumps(vendor_briefings))
    assert flow.validate_parameters({"vendors": ["mistral"], "as_of": AS_OF})["as_of"] == AS_OF


def test_a_single_vendor_renders_in_the_flow_process(tmp_path, monkeypatch):
    from flows.orchestration import render

    seen = {}
    monkeypatch.setattr(render, "render_briefings", lambda *args: seen.setdefault("workers", args[-1]))
    render.render.fn("b", "s", date(2026, 11, 29), {"vendors": ["mistral"]})
    assert seen["workers"] == 1


# ---- slow: whole runs and a real server -----------------------------------------------------


@pytest.mark.slow
def test_a_failed_run_leaves_nothing_in_the_system_temporary_directory(tmp_path, request):
    """A run stopped by its quality gate, with TMPDIR an empty folder: it stays empty (a run that
    succeeds, on the local pool: tests/test_pages.py)."""
    # a short path: the fork server's socket lives in the temporary directory (AF_UNIX paths are short)
    systmp = Path(tempfile.mkdtemp(prefix="vb-"))
    request.addfinalizer(lambda: shutil.rmtree(systmp, ignore_errors=True))
    env = _env(TMPDIR=str(systmp))
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    facts = sources / "vendors" / "mistral.yaml"
    facts.write_text(facts.read_text().replace("    post_money_valuation: 2000000000\n",
                                               "    post_money_valuation: 100000000\n"))
    failed = vendorbrief(["run", "--warehouse", str(tmp_path / "w.duckdb"), "--out", str(tmp_path / "out"), "--sources",
                   str(sources), "--as-of", AS_OF, "--formats", "pdf", "--plain"], env)
    assert failed.returncode == 1 and "error-severity expectation" in failed.stdout + failed.stderr
    assert list(systmp.iterdir()) == []
