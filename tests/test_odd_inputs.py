"""Odd and hostile inputs at the readers, one decided outcome per kind (data/README.md,
"Odd inputs: what happens"). Parser level: the loaders on a copy of the fixture sources; two runs
through the command line check the exit code and that nothing is published."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from flows.errors import InputError
from flows.sources import facts, genai_catalog, litellm_catalog
from genai_prices.types import ModelInfo, ModelPrice, PriceVariant, Provider

from .harness import apply_case

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "sources"
BAD = DATA / "bad"
ROOT = Path(__file__).parent.parent

# Corpus cases of odd inputs, by kind (tests/data/bad/facts/<name>.yaml unless noted).
KINDS = {
    "encodings": ["utf16-bom-sources", "utf16-no-bom-fx-rates", "utf32-bom-vendor-map", "bom-inside-name",
                  "accepted:bom-vendor-file", "accepted:bom-fx-rates", "accepted:bom-sources", "accepted:bom-vendor-map",
                  "litellm:bom.json", "litellm:bom.json.gz", "litellm:utf16.json", "litellm:utf16-no-bom.json"],
    "nesting and size": ["yaml-nested-100k", "yaml-nested-map-40", "yaml-alias", "yaml-alias-bomb",
                         "litellm:nested-entry-100k.json.gz", "litellm:nested-entry-40.json",
                         "litellm:nested-unclosed-100k.json.gz", "litellm:provider-too-long.json"],
    "control characters": ["nul-escaped-in-name", "nul-raw-in-investor", "rlo-in-investor", "isolate-in-comment",
                           "zero-width-space-jurisdiction", "zero-width-joiner-catalog-ref", "soft-hyphen-fx-source",
                           "tag-characters-map-note", "litellm:key-nul.json", "litellm:provider-rlo.json",
                           "litellm:key-zero-width.json", "litellm:mode-bidi-isolate.json"],
    "impossible values": ["date-feb-29-unquoted", "date-month-13-unquoted", "timestamp-hour-25", "yaml-octal-employees",
                          "yaml-base60-employees", "yaml-country-no", "csv-date-feb-29",
                          "litellm:deprecation-feb-30.json", "litellm:deprecation-month-13.json",
                          "litellm:deprecation-day-0.json"],
    "contradictions": ["founded-after-source", "usd-round-amounts-differ", "claim-negative-ratio",
                       "claim-reference-is-subject", "claim-saving-above-one", "claim-funding-with-reference",
                       "is-eu-contradicts-country", "free-plan-with-price"],
    "skipped files": ["vendor-file-yml", "vendor-file-upper-suffix", "vendors-readme", "vendors-swap-file",
                      "sources-yml-beside-yaml"],
    "numeric extremes": ["amount-400-digits", "amount-5000-digits", "tolerance-underflow", "valuation-overflow",
                         "litellm:price-1e-300.json", "litellm:price-underflow.json", "litellm:price-400-digits.json",
                         "litellm:context-5000-digits.json", "litellm:tier-threshold-huge.json",
                         "litellm:tier-price-tiny.json"],
    "paths": ["paths:0", "paths:1", "paths:2", "paths:3"],
}
FACT_CASES = [n for names in KINDS.values() for n in names if ":" not in n]
ACCEPTED_CASES = [n.split(":", 1)[1] for names in KINDS.values() for n in names if n.startswith("accepted:")]
LITELLM_CASES = {c["file"]: c for c in yaml.safe_load((BAD / "litellm" / "odd-cases.yaml").read_text())}
PATH_CASES = yaml.safe_load((BAD / "sources-paths.yaml").read_text())


def _spec(folder: str, name: str) -> dict:
    return yaml.safe_load((BAD / folder / f"{name}.yaml").read_text())


@pytest.fixture
def sources(tmp_path) -> Path:
    dst = tmp_path / "sources"
    shutil.copytree(FIXTURE, dst)
    return dst


def _refused(sources: Path) -> InputError:
    with pytest.raises(InputError) as info:
        facts.load_facts(sources)
    return info.value


def _one_line(exc: InputError) -> str:
    text = str(exc)
    assert "\n" not in text and len(text) < 600, text
    return text


def test_every_kind_has_at_least_three_new_cases():
    for kind, names in KINDS.items():
        assert len(names) >= 3, kind
    for name in FACT_CASES:
        assert (BAD / "facts" / f"{name}.yaml").is_file(), name
    for name in ACCEPTED_CASES:
        assert (BAD / "facts-accepted" / f"{name}.yaml").is_file(), name
    listed = {n.split(":", 1)[1] for names in KINDS.values() for n in names if n.startswith("litellm:")}
    assert listed == set(LITELLM_CASES)
    for name in listed:
        assert (BAD / "litellm" / name).is_file(), name
    assert len(PATH_CASES) == 4


@pytest.mark.parametrize("name", FACT_CASES)
def test_refused_fact_cases(name, sources):
    """One line naming the file (and the record and field where there is one), exit 1 via the CLI."""
    spec = _spec("facts", name)
    apply_case(spec, sources)
    exc = _refused(sources)
    text = " ".join(_one_line(exc).split())
    for piece in spec["expect"]:
        assert piece in text, (piece, text)
    assert Path(spec["file"]).name in exc.file
    assert "Traceback" not in text


@pytest.mark.parametrize("name", ACCEPTED_CASES)
def test_byte_order_marks_are_removed(name, sources):
    spec = _spec("facts-accepted", name)
    assert spec["outcome"] == "normalized"
    apply_case(spec, sources)
    assert (sources / spec["file"]).read_bytes().startswith(b"\xef\xbb\xbf")
    got, clean = facts.load_facts(sources), facts.load_facts(FIXTURE)
    assert got.sources == clean.sources
    assert got.fx_rates == clean.fx_rates
    assert got.map_rules == clean.map_rules
    assert [(v.vendor, v.records) for v in got.vendors] == [(v.vendor, v.records) for v in clean.vendors]


@pytest.mark.parametrize("name", sorted(LITELLM_CASES))
def test_litellm_cases(name):
    case = LITELLM_CASES[name]
    path = BAD / "litellm" / name
    if case["outcome"] == "error":
        with pytest.raises(InputError) as info:
            litellm_catalog.load_path(path, date(2026, 11, 28))
        text = _one_line(info.value)
        for piece in case["expect"]:
            assert piece in text, (piece, text)
        return
    snap = litellm_catalog.load_path(path, date(2026, 11, 28))
    loaded = {e["model_key"]: e for e in snap.entries}
    assert loaded["gpt-4o"]["input_usd_per_token"] == 2.5e-06
    if case["outcome"] == "accepted":
        assert snap.quarantine == [] and set(loaded) == {"gpt-4o"}
        return
    assert [(q["model_key"], q["field"]) for q in snap.quarantine] == [(case["key"], case["field"])]
    assert case["reason"] in snap.quarantine[0]["reason"]
    assert case["key"] not in loaded and len(loaded) == 1
    for q in snap.quarantine:  # what is published shows no refused character
        assert facts.forbidden_char(q["model_key"] + q["field"] + q["reason"]) is None


@pytest.mark.parametrize("case", PATH_CASES, ids=lambda c: c["args"][2])
def test_sources_paths(case, tmp_path, sources):
    exc = _refused(Path(case["args"][2].replace("{tmp}", str(tmp_path))))
    text = _one_line(exc)
    for piece in case["expect"]:
        assert piece in text, (piece, text)


# ---- the exact places named --------------------------------------------------------------------

def _refuse_edit(sources: Path, old: str, new: str, file: str = "vendors/mistral.yaml") -> InputError:
    target = sources / file
    assert old in target.read_text()
    target.write_text(target.read_text().replace(old, new, 1))
    return _refused(sources)


def test_an_unquoted_impossible_date_names_file_record_and_field(sources):
    exc = _refuse_edit(sources, "    announced_on: 2024-01-10\n", "    announced_on: 2025-02-29\n")
    assert exc.file.endswith("vendors/mistral.yaml")
    assert (exc.record, exc.field) == ("funding_rounds[0] (id fx-seed)", "announced_on")
    assert exc.problem == "not a valid calendar date: '2025-02-29'"


def test_100000_levels_of_nesting_are_one_line_not_a_recursion_error(sources):
    exc = _refuse_edit(sources, '  positioning: "Fixture vendor in the EU."\n',
                       "  positioning: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert (exc.record, exc.field) == ("vendor", "positioning[0][0][0]...")
    assert exc.problem.startswith("nested deeper than 32 levels (line 12")


@pytest.mark.parametrize(("old", "new", "record", "field", "problem"), [
    ("    lead_investors: [Fund One]\n", "    lead_investors: [Fund \u202eenO]\n", "funding_rounds[0] (id fx-seed)",
     "lead_investors[0]", "U+202E RIGHT-TO-LEFT OVERRIDE (bidi control) at line 29, column 27"),
    ("  name: Mistral AI\n", '  name: "Mistral\\0 AI"\n', "vendor", "name", "U+0000 NULL (control character) at character 8"),
    ("  name: Mistral AI\n", "  name: Mistral\u2069 AI\n", "vendor", "name", "U+2069 POP DIRECTIONAL ISOLATE"),
    ("    family: Medium\n", '    family: "Med\\u00adium"\n', "models[0] (id fx-medium)", "family", "U+00AD SOFT HYPHEN"),
    ("  founders: [A. Founder]\n", '  founders: ["A.\\u2060Founder"]\n', "vendor", "founders[0]", "U+2060 WORD JOINER"),
])
def test_characters_are_refused_in_every_text_field(sources, old, new, record, field, problem):
    exc = _refuse_edit(sources, old, new)
    assert (exc.record, exc.field) == (record, field)
    assert exc.problem.startswith(problem), exc.problem


@pytest.mark.parametrize(("old", "new", "field", "both"), [
    ("  founded_on: 2023-04-01\n", "  founded_on: 2025-06-01\n", "founded_on", "as_of"),
    ("    amount_usd: 300000000\n", "    amount_usd: 310000000\n", "amount_usd", "amount ("),
    ("    stated_value: 0.166666667\n", "    stated_value: -0.2\n", "stated_value", "metric price_ratio"),
    ("    reference: gpt-4o\n", "    reference: fx-medium\n", "reference", "subject"),
    ("  is_eu: true\n", "  is_eu: false\n", "is_eu", "hq_country"),
])
def test_contradictions_name_both_fields(sources, old, new, field, both):
    exc = _refuse_edit(sources, old, new)
    assert exc.field == field and both in exc.problem, str(exc)


def test_a_revised_usd_amount_from_another_source_is_no_contradiction(sources):
    target = sources / "vendors" / "mistral.yaml"
    target.write_text(target.read_text().replace(
        "    amount_usd: 300000000\n",
        "    amount_usd: 310000000\n    amount_usd_source: doc-b\n    amount_usd_as_of: 2024-09-01\n"))
    rounds = [r for _, r in facts.load_facts(sources).section("funding_rounds")]
    assert [(r.id, r.amount, r.amount_usd) for r in rounds][1] == ("fx-series-a", 300e6, 310e6)


def test_a_fact_file_above_the_size_limit_is_refused(sources):
    target = sources / "vendors" / "mistral.yaml"
    target.write_text(target.read_text() + "# " + "x" * facts.MAX_FILE_BYTES + "\n")
    exc = _refused(sources)
    assert exc.file.endswith("mistral.yaml") and "larger than 5 MiB" in exc.problem


def test_every_yaml_reader_has_the_same_rules(tmp_path):
    """read_yaml also reads litellm/snapshots.yaml and data/config/: aliases and depth refused there too."""
    listing = tmp_path / "snapshots.yaml"
    listing.write_text("- &s {file: a.json, version: '1', as_of: 2025-01-01}\n- *s\n")
    with pytest.raises(InputError, match=r"snapshots.yaml: record snapshots\[1\]: YAML alias \*s is not allowed"):
        facts.read_yaml(listing)
    listing.write_text("- {file: a.json, version: '1', as_of: 2025-02-29}\n")
    assert repr(facts.read_yaml(listing)[0]["as_of"]) == "'2025-02-29'"  # refused by the field that reads it


def test_the_refused_characters_are_unicode_cc_cf_zl_zp():
    expected = {chr(cp) for cp in range(0x110000)
                if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp")} - {"\t", "\n", "\r"}
    refused = {chr(cp) for cp in range(0x110000) if facts.FORBIDDEN_CHARS.match(chr(cp))}
    assert refused == expected


def test_litellm_prices_are_stored_exactly_above_the_floor():
    body = (b'{"gpt-4o": {"litellm_provider": "openai", "input_cost_per_token": 2.5e-06},'
            b' "cheap": {"litellm_provider": "x", "input_cost_per_token": 1.3e-10, "output_cost_per_token": 1e-12},'
            b' "free": {"litellm_provider": "x", "input_cost_per_token": 0, "output_cost_per_token": 0.0}}')
    snap = litellm_catalog.parse(body, date(2026, 1, 1), "t.json")
    rows = {e["model_key"]: e for e in snap.entries}
    assert (rows["cheap"]["input_usd_per_token"], rows["cheap"]["output_usd_per_token"]) == (1.3e-10, 1e-12)
    assert (rows["free"]["input_usd_per_token"], rows["free"]["output_usd_per_token"]) == (0.0, 0.0)
    assert snap.quarantine == []


def _provider(model: ModelInfo) -> Provider:
    return Provider(id="acme", name="Acme", api_pattern="acme", models=[model])


@pytest.mark.parametrize(("model", "field", "problem"), [
    (ModelInfo(id="m", match=None, name="M\u202eX", prices=ModelPrice(input_mtok=Decimal(1))), "model_name", "U+202E"),
    (ModelInfo(id="m", match=None, name="M", price_comments="a\x00b", prices=ModelPrice(input_mtok=Decimal(1))),
     "price_comments", "U+0000"),
    (ModelInfo(id="m", match=None, name="M", prices=ModelPrice(input_mtok=Decimal("1e-400"))), "input_mtok",
     "implausibly small price"),
    (ModelInfo(id="m", match=None, name="M", prices=ModelPrice(output_mtok=Decimal("1e400"))), "output_mtok",
     "implausible price"),
    (ModelInfo(id="m", match=None, name="M", prices=ModelPrice(input_mtok=Decimal("NaN"))), "input_mtok",
     "not a finite number"),
    (ModelInfo(id="m", match=None, name="M", prices=ModelPrice(input_mtok=Decimal(1)),
               price_variants=[PriceVariant(when={"tier": "x\u200by"}, prices=ModelPrice(input_mtok=Decimal(1)))]),
     "price_variants.when", "U+200B"),
])
def test_genai_prices_models_with_odd_values_block_the_catalog(model, field, problem):
    with pytest.raises(InputError) as info:
        genai_catalog.flatten([_provider(model)])
    assert info.value.record == "acme/m" and info.value.field == field and problem in info.value.problem
    assert info.value.file.startswith("genai-prices==")


def test_the_bundled_data_loads_under_these_rules():
    base = facts.load_facts(ROOT / "data" / "sources")
    assert len(base.vendors) >= 8
    assert genai_catalog.flatten()["prices"]
    new_reasons = ("implausibly small", "nested deeper", "U+", "number too", "calendar date", "longer than")
    listing = facts.read_yaml(ROOT / "data" / "sources" / "litellm" / "snapshots.yaml")
    for item in listing:
        snap = litellm_catalog.load_path(ROOT / "data" / "sources" / "litellm" / item["file"], item["as_of"])
        assert not [q for q in snap.quarantine if any(r in q["reason"] for r in new_reasons)], item["file"]


# ---- through the command line (two runs) --------------------------------------------------------

def _cli(args: list[str]):
    from flows.cli import app
    from typer.testing import CliRunner

    return CliRunner().invoke(app, args)


def _published(tmp_path: Path) -> list[str]:
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()
                  and not p.is_relative_to(tmp_path / "sources"))


def test_cli_a_vendor_file_named_yml_exits_1_and_publishes_nothing(tmp_path, sources):
    shutil.copyfile(sources / "vendors" / "mistral.yaml", sources / "vendors" / "acme.yml")
    result = _cli(["run", "--plain", "--as-of", "2026-11-29", "--sources", str(sources),
                   "--warehouse", str(tmp_path / "wh" / "warehouse.duckdb"), "--out", str(tmp_path / "out")])
    text = " ".join(result.output.split())
    assert result.exit_code == 1, text
    assert "error:" in text and "acme.yml: vendor files end in .yaml" in text and "Traceback" not in text
    assert not (tmp_path / "wh" / "warehouse.duckdb").exists()
    assert not [p for p in _published(tmp_path) if p.startswith("out") or p.endswith(".duckdb")]


def test_cli_sources_pointing_at_a_file_names_the_path(tmp_path, sources):
    result = _cli(["run", "--plain", "--as-of", "2026-11-29", "--sources", str(sources / "fx_rates.csv"),
                   "--warehouse", str(tmp_path / "wh" / "warehouse.duckdb"), "--out", str(tmp_path / "out")])
    text = " ".join(result.output.split())
    assert result.exit_code == 1, text
    assert f"{sources / 'fx_rates.csv'}: no vendor files: this is a file, not a folder" in text
    assert not (tmp_path / "wh" / "warehouse.duckdb").exists()


def test_a_field_named_like_the_parsers_own_marks_is_only_a_field():
    """Keys given twice are kept beside the parsed object, never inside it: an entry with a field
    "\\u0000duplicates" (found by the loader fuzz test) is priced, and a real duplicate is still
    quarantined naming its field."""
    body = (b'{"gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "litellm_provider": "openai",'
            b' "mode": "chat", "\\u0000duplicates": ["mode"]}, "a": {"mode": "chat", "mode": "chat"}}')
    snap = litellm_catalog.parse(body, date(2026, 1, 1), "x.json")
    assert [(e["model_key"], e["input_usd_per_token"]) for e in snap.entries] == [("gpt-4o", 2.5e-06)]
    assert [(q["model_key"], q["field"], q["reason"]) for q in snap.quarantine] == [
        ("a", "mode", "field given twice in the same entry")]
