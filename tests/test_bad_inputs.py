"""The bad-input corpus of tests/data/bad/: every case gets one clear message naming the place
(or a documented quarantine), exit code 1 or 2, no traceback, nothing written outside the output
folder, and the last good warehouse and briefings untouched.

Each fact and LiteLLM case is checked at its parser (flows/sources/facts.py,
flows/sources/litellm_catalog.py) and through the command's error printer; a few cases run the
whole command end to end to prove that a refused input stops the run and leaves the published
warehouse and briefings byte-identical.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
import typer
import yaml
from flows import cli
from flows.errors import InputError
from flows.sources import litellm_catalog
from flows.sources.facts import load_facts
from flows.warehouse.load import bundled_snapshots

from .conftest import DATA, tree
from .harness import apply_case, assert_nothing_lost, assert_refused, flat, invoke

BAD = DATA / "bad"
FACT_CASES = sorted(BAD.glob("facts/*.yaml"))
LITELLM_CASES = yaml.safe_load((BAD / "litellm" / "cases.yaml").read_text())
PARAM_CASES = yaml.safe_load((BAD / "params.yaml").read_text())
LITELLM_ERRORS = [c for c in LITELLM_CASES if c["outcome"] == "error"]
LITELLM_QUARANTINED = [c for c in LITELLM_CASES if c["outcome"] == "quarantine"]
# The cases that also run the whole command: a file-level and a cross-record error in two files.
END_TO_END_FACTS = ["yaml-syntax", "round-before-founding"]


def test_the_corpus_has_at_least_forty_cases():
    assert len(FACT_CASES) + len(LITELLM_CASES) + len(PARAM_CASES) >= 40
    assert set(END_TO_END_FACTS) <= {p.stem for p in FACT_CASES}


def _break(sources: Path, case: Path) -> dict:
    """Apply one corpus case to a writable copy of the sources; returns the case's spec."""
    return apply_case(yaml.safe_load(case.read_text()), sources)


def _assert_message(exc: InputError, pieces: list[str]) -> None:
    """The parser's message names every piece, and the command prints it as one error line with
    exit code 1 and no traceback (what `vendorbrief run` and `ingest` do with it)."""
    message = flat(str(exc))
    for piece in pieces:
        assert piece in message, (piece, message)
    with cli.err.capture() as printed, pytest.raises(typer.Exit) as exit_info:
        cli._fail(exc, debug=False)
    assert exit_info.value.exit_code == 1
    text = flat(printed.get())
    assert text.startswith("error:") and "Traceback" not in text
    for piece in pieces:
        assert piece in text, (piece, text)


# ---- curated facts --------------------------------------------------------------------------


def _read_sources(sources: Path) -> None:
    """What the ingest stage reads from a sources folder before it writes anything: the curated
    facts and the bundled LiteLLM snapshots (flows/warehouse/load.py)."""
    load_facts(sources)
    bundled_snapshots(sources)


@pytest.mark.parametrize("case", FACT_CASES, ids=[p.stem for p in FACT_CASES])
def test_bad_fact_files(case, sources_copy):
    spec = _break(sources_copy, case)
    with pytest.raises(InputError) as info:
        _read_sources(sources_copy)
    _assert_message(info.value, spec["expect"])


@pytest.mark.parametrize("name", END_TO_END_FACTS)
def test_a_bad_fact_file_stops_the_run_and_keeps_what_was_published(name, published):
    spec = _break(published / "sources", BAD / "facts" / f"{name}.yaml")
    before = tree(published)
    result = invoke(published, ["run", "--as-of", "2026-11-29"])
    assert_refused(result, 1, ["error:", *spec["expect"]])
    assert_nothing_lost(published, before)
    journal = (published / "warehouse.duckdb.runs.jsonl").read_text()
    assert '"status": "failed"' in journal and "InputError" in journal


# ---- LiteLLM snapshots ----------------------------------------------------------------------


def _parse(case: dict) -> litellm_catalog.Snapshot:
    """What `vendorbrief ingest litellm PATH` does with the file before loading it."""
    source = str(BAD / "litellm" / case["file"])
    return litellm_catalog.parse(litellm_catalog.read_source(source), date(2026, 11, 28), source)


@pytest.mark.parametrize("case", LITELLM_ERRORS, ids=[c["file"] for c in LITELLM_ERRORS])
def test_bad_litellm_snapshots_are_refused(case):
    with pytest.raises(InputError) as info:
        _parse(case)
    _assert_message(info.value, case["expect"])


@pytest.mark.parametrize("case", LITELLM_QUARANTINED, ids=[c["file"] for c in LITELLM_QUARANTINED])
def test_bad_litellm_entries_are_quarantined(case):
    snap = _parse(case)
    assert [(q["model_key"], q["field"]) for q in snap.quarantine] == [(case["key"], case["field"])]
    assert case["reason"] in snap.quarantine[0]["reason"]
    loaded = {e["model_key"] for e in snap.entries}
    assert "gpt-4o" in loaded and case["key"] not in loaded


def test_a_refused_snapshot_stops_the_ingest_and_keeps_what_was_published(published):
    [case] = [c for c in LITELLM_ERRORS if c["file"] == "truncated.json"]
    before = tree(published)
    result = invoke(published, ["ingest", "litellm", str(BAD / "litellm" / case["file"]), "--as-of", "2026-11-28"])
    assert_refused(result, 1, ["error:", *case["expect"]])
    assert_nothing_lost(published, before)


@pytest.mark.slow
def test_a_quarantined_entry_reaches_dq_quarantine_and_the_rest_loads(published):
    [case] = [c for c in LITELLM_QUARANTINED if c["file"] == "price-as-string.json"]
    result = invoke(published, ["ingest", "litellm", str(BAD / "litellm" / case["file"]), "--as-of", "2026-11-28"])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(published / "warehouse.duckdb"), read_only=True) as con:
        quarantined = con.execute("""select record_key, field, reason from dq_quarantine
                                     where source_table = 'litellm snapshot' and snapshot like 'litellm@2026-11-28%'""").fetchall()
        loaded = {r[0] for r in con.execute("""select model_id from staging.stg_litellm__prices
                                               where snapshot like 'litellm@2026-11-28%'""").fetchall()}
    assert [(k, f) for k, f, _ in quarantined] == [(case["key"], case["field"])]
    assert case["reason"] in quarantined[0][2]
    assert "gpt-4o" in loaded and case["key"] not in loaded


# ---- command-line parameters ----------------------------------------------------------------


@pytest.mark.parametrize("case", PARAM_CASES, ids=[" ".join(c["args"])[:60] for c in PARAM_CASES])
def test_bad_parameters(case, published):
    args = [a.replace("{tmp}", str(published)) for a in case["args"]]
    before = tree(published)
    result = invoke(published, args)
    assert_refused(result, case["exit"], case["expect"])
    assert_nothing_lost(published, before)
