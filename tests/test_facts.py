"""Curated fact files: the schema accepts the bundled facts and refuses bad records clearly.
(That a refused file stops a whole run and keeps the published output: test_bad_inputs.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from flows.errors import InputError
from flows.settings import ROOT
from flows.sources.facts import load_facts

from .conftest import FIXTURE_SOURCES


def test_bundled_facts_load_and_cover_the_vendors():
    base = load_facts(ROOT / "data" / "sources")
    ids = {v.vendor.id for v in base.vendors}
    assert {"mistral", "meta", "openai", "anthropic"} <= ids
    assert len(ids) >= 8
    # every record carries a source and an as-of date
    for vf in base.vendors:
        assert vf.vendor.source and vf.vendor.as_of
        for records in vf.records.values():
            for r in records:
                assert r.source and r.as_of


def test_mistral_rounds_carry_the_curated_figures():
    # Series A and B take the USD figures AFP and Reuters state, not the reference article's
    # $415M/$640M; the Series B records its EUR 132M debt part (FT).
    base = load_facts(ROOT / "data" / "sources")
    rounds = {r.id: r for vid, r in base.section("funding_rounds") if vid == "mistral"}
    assert [rounds[k].amount_usd for k in ("mistral-seed", "mistral-series-a", "mistral-series-b", "mistral-series-c")] == [
        113e6, 414e6, 643.7e6, 2e9]
    assert (rounds["mistral-series-b"].equity_amount, rounds["mistral-series-b"].debt_amount) == (468e6, 132e6)
    assert rounds["mistral-series-c"].amount == 1.7e9 and rounds["mistral-series-c"].currency == "EUR"
    assert rounds["mistral-series-d"].amount_usd is None  # converted at the ECB rate of its date


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# (what to change in vendors/mistral.yaml, expected message pieces: file, record, field, problem)
BAD_CASES = {
    "yaml syntax": ("  name: Mistral AI\n", "  name: [Mistral AI\n", ["mistral.yaml", "YAML syntax error", "line"]),
    "unknown field": ("  hq_country: FR\n", "  hq_country: FR\n  ceo: Someone\n", ["mistral.yaml", "record vendor", "field 'ceo'", "unknown field"]),
    "wrong type": ("    total_params_b: 100\n", "    total_params_b: lots\n", ["mistral.yaml", "models[0] (id fx-medium)", "field 'total_params_b'", "lots"]),
    "negative amount": ("    amount: 100000000\n", "    amount: -5\n", ["mistral.yaml", "funding_rounds[0] (id fx-seed)", "field 'amount'", "greater than or equal to 0"]),
    "unknown currency": ("    currency: EUR\n", "    currency: EUX\n", ["mistral.yaml", "funding_rounds[0] (id fx-seed)", "field 'currency'", "unknown currency 'EUX'"]),
    "duplicate id": ("  - id: fx-series-a\n", "  - id: fx-seed\n", ["mistral.yaml", "funding_rounds[1] (id fx-seed)", "field 'id'", "duplicate id"]),
    "date format": ("    announced_on: 2024-01-10\n", "    announced_on: 10/01/2024\n", ["mistral.yaml", "funding_rounds[0] (id fx-seed)", "field 'announced_on'", "YYYY-MM-DD"]),
    "duplicate key": ("  name: Mistral AI\n", "  name: Mistral AI\n  name: Other\n", ["mistral.yaml", "duplicate key 'name'", "line"]),
    "missing source": ("  source: doc-a\n  as_of: 2025-01-01\n", "  as_of: 2025-01-01\n", ["mistral.yaml", "record vendor", "field 'source'", "required"]),
    "unknown source": ("  source: doc-a\n  as_of: 2025-01-01\n", "  source: nowhere\n  as_of: 2025-01-01\n", ["mistral.yaml", "record vendor", "field 'source'", "unknown source 'nowhere'"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_fact_file_is_refused_with_file_record_and_field(case, sources_copy):
    old, new, expected = BAD_CASES[case]
    _replace(sources_copy / "vendors" / "mistral.yaml", old, new)
    with pytest.raises(InputError) as info:
        load_facts(sources_copy)
    message = str(info.value)
    for piece in expected:
        assert piece in message, (piece, message)


def test_fixture_sources_load():
    base = load_facts(FIXTURE_SOURCES)
    assert [v.vendor.id for v in base.vendors] == ["mistral", "openai"]
