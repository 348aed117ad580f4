"""Data-quality suites: every expectation of every suite catches a violation, with its severity;
errors stop publication; warnings reach dq_results."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest
from flows.errors import QualityGateError
from flows.quality import suites as quality

from .conftest import BUNDLED, FIXTURE_AS_OF, rows, run_pipeline

SUITES = quality.load_suites()


def _resolve(value, params):
    return params[value["$PARAMETER"]] if isinstance(value, dict) and "$PARAMETER" in value else value


def _one_row(frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame):
        return frame.head(1).copy()
    return pd.DataFrame([{c: None for c in frame.columns}]).astype(object)


def _bad_value(frame: pd.DataFrame, column: str, good) -> object:
    """A value of the column's kind that `good` (a set) does not contain."""
    sample = frame[column].dropna()
    if any(isinstance(g, bool) for g in good):
        return not good[0]
    if any(isinstance(g, (int, float)) for g in good):
        return max(good) + 1
    if len(sample) and isinstance(sample.iloc[0], bool):
        return not sample.iloc[0]
    return "__not-an-accepted-value__"


def violate(frame: pd.DataFrame, exp: dict, params: dict) -> pd.DataFrame:
    """The frame changed so that exactly this expectation must fail."""
    kind, kw = exp["type"], exp["kwargs"]
    row = _one_row(frame).astype(object)
    if kind == "expect_column_values_to_not_be_null":
        row[kw["column"]] = None
        return pd.concat([frame.astype(object), row], ignore_index=True)
    if kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        for c in kw.get("column_list", [kw.get("column")]):
            row[c] = frame[c].dropna().iloc[0] if frame[c].notna().any() else "dup"
        return pd.concat([frame.astype(object), row, row], ignore_index=True)
    if kind == "expect_column_values_to_be_in_set":
        row[kw["column"]] = _bad_value(frame, kw["column"], list(_resolve(kw["value_set"], params)))
        return pd.concat([frame.astype(object), row], ignore_index=True)
    if kind == "expect_column_values_to_be_between":
        low, high = _resolve(kw.get("min_value"), params), _resolve(kw.get("max_value"), params)
        sample = frame[kw["column"]].dropna()
        if high is not None:
            row[kw["column"]] = high + 1
        else:
            row[kw["column"]] = low - 1
        if len(sample) and isinstance(sample.iloc[0], (date, pd.Timestamp)):
            row[kw["column"]] = pd.Timestamp("1900-01-01")
        return pd.concat([frame.astype(object), row], ignore_index=True)
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        sample = frame[kw["column_B"]].dropna()
        if len(sample) and isinstance(sample.iloc[0], (date, pd.Timestamp)):
            row[kw["column_B"]], row[kw["column_A"]] = pd.Timestamp("2001-01-02"), pd.Timestamp("2000-01-01")
        else:
            row[kw["column_B"]], row[kw["column_A"]] = 2.0, 1.0
        return pd.concat([frame.astype(object), row], ignore_index=True)
    if kind == "expect_table_row_count_to_be_between":
        if kw.get("min_value", 0) > 0:
            return frame.head(0)
        return pd.concat([frame.astype(object), row, row], ignore_index=True)
    if kind == "expect_column_values_to_match_regex":
        row[kw["column"]] = "NOT a match \u2205"  # upper case, spaces and a symbol: no pattern here takes it
        return pd.concat([frame.astype(object), row], ignore_index=True)
    raise AssertionError(f"no violation written for {kind}")


@pytest.fixture(scope="module")
def validator():
    return quality.Validator()


@pytest.mark.parametrize("suite", SUITES, ids=[s.name for s in SUITES])
def test_each_expectation_catches_a_violation_with_its_severity(suite, con_fixture, validator):
    params = quality.parameters(con_fixture, SUITES, FIXTURE_AS_OF)
    frame = quality.frame_for(con_fixture, suite, params)
    for exp in suite.body["expectations"]:
        single = quality.Suite(**{**suite.__dict__, "body": {**suite.body, "expectations": [exp]}})
        outcome = quality.Outcome()
        validator.run(single, violate(frame, exp, params), params, "test", outcome)
        [result] = outcome.results
        expected = exp["meta"]["severity"]
        if suite.policy == "quarantine" and expected == "error" and result["unexpected_count"]:
            expected = "warning"  # rows isolated instead of blocking
            assert outcome.quarantined
        assert not result["success"], (suite.name, result["expectation"])
        assert result["severity"] == expected, (suite.name, result["expectation"])


def test_every_expectation_has_a_severity_and_every_suite_a_policy():
    for s in SUITES:
        assert s.policy in ("block", "quarantine") and s.policy_note
        assert all(e["meta"]["severity"] in ("error", "warning") for e in s.body["expectations"])


@BUNDLED
def test_bundled_data_passes_every_error_expectation(bundled_run, con_bundled):
    failed = rows(con_bundled, "select * from dq_results where run_id = ? and not success and severity = 'error'",
                  [bundled_run["summary"]["run_id"]])
    assert failed == []


def test_warnings_reach_dq_results(fixture_run, con_fixture):
    warnings = rows(con_fixture, """select suite, expectation from dq_results
                                    where run_id = ? and not success and severity = 'warning'""",
                    [fixture_run["summary"]["run_id"]])
    # the fixture's 2024 headcount is older than stale_after_days on the as-of date
    assert ("stg_facts__headcount", "column_values_to_be_between(age_days)") in {(w["suite"], w["expectation"]) for w in warnings}


@pytest.mark.slow
def test_an_error_stops_publication_and_keeps_the_last_good_output(tmp_path, fixture_run, sources_copy):
    """A valuation that falls without being marked a down round passes the loader but not the suite."""
    shutil.copyfile(fixture_run["warehouse"], tmp_path / "warehouse.duckdb")
    shutil.copytree(fixture_run["out"], tmp_path / "out")
    before_wh = (tmp_path / "warehouse.duckdb").read_bytes()
    before_pdf = (tmp_path / "out" / "latest" / "mistral.pdf").read_bytes()
    facts = sources_copy / "vendors" / "mistral.yaml"
    facts.write_text(facts.read_text().replace("    post_money_valuation: 2000000000\n", "    post_money_valuation: 100000000\n"))
    with pytest.raises(QualityGateError) as info:
        run_pipeline(tmp_path, sources=sources_copy, formats=("pdf",))
    message = str(info.value)
    assert "suite funding_rounds" in message and "valuation_step_ok" in message and "fx-series-a" in message
    assert (tmp_path / "warehouse.duckdb").read_bytes() == before_wh
    assert (tmp_path / "out" / "latest" / "mistral.pdf").read_bytes() == before_pdf
    assert not list((tmp_path / "out").glob(".staging-*"))
    journal = (tmp_path / "warehouse.duckdb.runs.jsonl").read_text()
    assert '"status": "failed"' in journal and "QualityGateError" in journal


def test_failed_runs_are_listed_in_pipeline_runs_after_the_next_success(tmp_path, fixture_run):
    shutil.copyfile(fixture_run["warehouse"], tmp_path / "warehouse.duckdb")
    (tmp_path / "warehouse.duckdb.runs.jsonl").write_text(
        '{"run_id": "19990101T000000Z-abcdef", "as_of": "2026-11-29", "started_at": "2026-11-29T00:00:00+00:00", '
        '"finished_at": "2026-11-29T00:00:01+00:00", "status": "failed", "vendors": [], "stages_run": [], '
        '"stages_skipped": [], "message": "QualityGateError: test"}\n')
    # the next success: a run on the same inputs, without rendering (the stages are skipped)
    summary = run_pipeline(tmp_path, formats=("pdf",), render=False)
    assert summary["status"] == "success"
    import duckdb
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        statuses = dict(con.execute("select run_id, status from pipeline_runs").fetchall())
    assert statuses["19990101T000000Z-abcdef"] == "failed"
    assert list(statuses.values()).count("success") >= 2


def test_stale_window_is_configurable(con_fixture):
    from flows.config import load_config

    [suite] = [s for s in SUITES if s.name == "stg_facts__headcount"]
    ages = sorted((FIXTURE_AS_OF - r["source_as_of"]).days for r in rows(con_fixture, "select source_as_of from staging.stg_facts__headcount"))
    config = load_config()
    for window in (ages[0] - 1, ages[-1] - 1, ages[-1] + 1):
        changed = config.model_copy(update={"quality": config.quality.model_copy(update={"stale_after_days": window})})
        outcome = quality.validate(con_fixture, "r", FIXTURE_AS_OF, [suite], changed)
        [stale] = [r for r in outcome.results if "stale" in (r.get("description") or "")]
        assert (stale["unexpected_count"] or 0) == sum(age > window for age in ages), window
