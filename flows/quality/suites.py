"""Data-quality suites (Great Expectations 1.x) over frames taken from the warehouse.

Each file in expectations/ is a GX suite, kept as plain JSON without generated ids. Its `meta`
says which relation it validates (`relation`), or which select of sql/checks/ adds the derived
columns its expectations read (`check`: `checks/<suite>.sql`, thresholds of data/config/quality.yaml
passed as DuckDB named parameters `$name`); the value sets its expectations name as
`{"$PARAMETER": name}` (`value_sets`: selects in sql/checks/values/<name>.sql); the key naming
failing rows; and the suite's policy: `block` or `quarantine`. Every expectation carries
`meta.severity`: `error` or `warning`.

The validate stage (`validate_build`), step by step:

1. read: the suites' parameters (thresholds, the run's date, the value sets) and each suite's
   frame, in a fixed row order (`parameters`, `frame_for`);
2. check: GX runs each suite on its frame, one result per expectation with its declared severity
   (`Validator`);
3. policy: in a `quarantine` suite, a failed error expectation whose failing rows have keys does
   not block; the rows are quarantined (one dq_quarantine row each) and the result is recorded as
   a warning "N row(s) quarantined" (`apply_policy`); in a `block` suite nothing changes;
4. write: results and quarantined rows into history.dq_results and history.dq_quarantine
   (`record`, sql/history/record/);
5. quarantine: when rows were quarantined, the transform step is built again
   (`rebuild_without_quarantined`): marts.price_history leaves out the rows history.dq_quarantine
   lists for this run, and every mart built after it in sql/build.yml is rebuilt without them;
   the suites are not run again;
6. gate: an error-severity failure left raises QualityGateError: nothing is published (`gate`).

GX's SQL datasource over DuckDB is broken upstream, so suites run on pandas frames read from
DuckDB. GX is imported only here, and only when suites run: its import costs seconds.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from flows.config import Config, load_config
from flows.errors import QualityGateError, VendorbriefError
from flows.settings import EXPECTATIONS_DIR, SQL_DIR
from flows.warehouse.store import relation_file, run_file

SEVERITIES = ("error", "warning")
POLICIES = ("block", "quarantine")


@dataclass
class Suite:
    """One suite of expectations/: what it validates and what a failure does."""
    name: str
    relation: str
    check: str | None  # a select under sql/ adding derived columns, e.g. "checks/<name>.sql"
    key: list[str]
    policy: str
    policy_note: str
    value_sets: list[str]  # names of sql/checks/values/<name>.sql
    body: dict[str, Any]
    phase: str = "data"  # "metrics": the suite checks a mart the metrics stage writes


@dataclass
class Outcome:
    """The results of a validation (one dq_results row per expectation) and the rows it quarantined."""
    results: list[dict] = field(default_factory=list)
    quarantined: list[dict] = field(default_factory=list)

    @property
    def errors(self) -> list[dict]:
        """Failed error-severity results: any blocks publication."""
        return [r for r in self.results if not r["success"] and r["severity"] == "error"]

    @property
    def warnings(self) -> list[dict]:
        """Failed warning-severity results (quarantines included)."""
        return [r for r in self.results if not r["success"] and r["severity"] == "warning"]

    def summary(self) -> dict[str, Any]:
        """Counts for the run summary: suites, expectations, errors, warnings, quarantined_rows."""
        return {"suites": len({r["suite"] for r in self.results}), "expectations": len(self.results),
                "errors": len(self.errors), "warnings": len(self.warnings),
                "quarantined_rows": len(self.quarantined)}


def load_suites(directory: Path = EXPECTATIONS_DIR) -> list[Suite]:
    """Every suite of `directory`, sorted by name. Raises VendorbriefError naming the file when a
    suite is not named after its file, names an unknown policy, severity, check file or value set,
    or still carries SQL in its JSON (`meta.query`, a `meta.parameters` query)."""
    suites = []
    for path in sorted(directory.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        meta = body.get("meta", {})
        name = body.get("name")
        if name != path.stem:
            raise VendorbriefError(f"{path}: suite name {name!r} must match the file name")
        if "query" in meta or "parameters" in meta:
            raise VendorbriefError(f"{path}: SQL lives in sql/, not in the suite: move meta.query to "
                                   f"sql/checks/{name}.sql (named in meta.check) and meta.parameters to "
                                   "sql/checks/values/<name>.sql (named in meta.value_sets)")
        policy = meta.get("policy", "block")
        if policy not in POLICIES:
            raise VendorbriefError(f"{path}: policy must be one of {POLICIES}, got {policy!r}")
        for i, exp in enumerate(body.get("expectations", [])):
            if exp.get("meta", {}).get("severity") not in SEVERITIES:
                raise VendorbriefError(f"{path}: expectations[{i}] ({exp.get('type')}): meta.severity must be error or warning")
        check, value_sets = meta.get("check"), list(meta.get("value_sets", []))
        for rel in ([check] if check else []) + [f"checks/values/{v}.sql" for v in value_sets]:
            if not (SQL_DIR / rel).is_file():
                raise VendorbriefError(f"{path}: sql/{rel} does not exist")
        suites.append(Suite(
            name=name, relation=meta["relation"], check=check, key=list(meta.get("key", [])),
            policy=policy, policy_note=meta.get("policy_note", ""), value_sets=value_sets,
            body=body, phase=meta.get("phase", "data"),
        ))
    return suites


def label(exp_type: str, kwargs: dict[str, Any]) -> str:
    """A short readable name: the expectation and the columns it looks at."""
    columns = [str(kwargs[k]) for k in ("column", "column_A", "column_B") if k in kwargs]
    if "column_list" in kwargs:
        columns.append("+".join(kwargs["column_list"]))
    short = exp_type.removeprefix("expect_")
    return f"{short}({', '.join(columns)})" if columns else short


def _jsonable(value: Any) -> Any:
    try:
        import numpy as np
        import pandas as pd
    except ImportError:  # pragma: no cover - both come with great-expectations
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (pd.Timestamp, date)):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return value


def _parameters(con: duckdb.DuckDBPyConnection, suites: list[Suite], config: Config, as_of: date) -> dict[str, Any]:
    params: dict[str, Any] = dict(config.quality.model_dump(exclude={"claim_tolerance"}))
    params["run_as_of"] = as_of.isoformat()
    params["profile_names"] = list(config.profiles)
    for name in sorted({v for suite in suites for v in suite.value_sets}):
        params[name] = [row[0] for row in run_file(con, f"checks/values/{name}.sql")]
    return params


def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    # In memory only: without a Data Docs site, GX makes no temporary folder (a run writes
    # only inside its own folders) and logs no line about one.
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False))
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("warehouse").add_dataframe_asset("frames")
    return gx, context, asset.add_batch_definition_whole_dataframe("whole")


class Validator:
    """One ephemeral GX context that validates pandas frames against suites."""

    def __init__(self) -> None:
        self.gx, self.context, self.batch_definition = _context()
        self.added: set[str] = set()  # listing the context's suites costs ~50 ms a call

    def run(self, suite: Suite, frame: Any, params: dict[str, Any], run_id: str, outcome: Outcome) -> None:
        """Steps 2-3 for one suite: validate `frame` (pandas) with GX, apply the suite's policy, and append the
        results and quarantined rows to `outcome`. `params` resolves the expectations' $PARAMETER values."""
        body = {k: v for k, v in suite.body.items() if k != "meta"}
        name = body["name"]
        if name in self.added:
            self.context.suites.delete(name)
        gx_suite = self.context.suites.add(self.gx.ExpectationSuite(**body))
        self.added.add(name)
        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
        key = [k for k in suite.key if k in frame.columns]
        fmt = {"result_format": "COMPLETE", "unexpected_index_column_names": key} if key else {"result_format": "SUMMARY"}
        result = batch.validate(gx_suite, expectation_parameters=params, result_format=fmt)
        for r in result.results:
            outcome.results.append(self._row(suite, r, key, run_id, outcome))

    @staticmethod
    def _row(suite: Suite, r: Any, key: list[str], run_id: str, outcome: Outcome) -> dict[str, Any]:
        cfg = r.expectation_config
        severity = cfg.meta.get("severity", "error")
        res = r.result or {}
        unexpected = res.get("unexpected_index_list") or []
        sample = [{k: row.get(k) for k in key} for row in unexpected[:5]] if key else res.get("partial_unexpected_list", [])[:5]
        success = bool(r.success)
        if r.exception_info and r.exception_info.get("raised_exception"):
            success, sample = False, [str(r.exception_info.get("exception_message"))[:300]]
        row = {
            "run_id": run_id, "suite": suite.name, "expectation": label(cfg.type, cfg.kwargs),
            "severity": severity, "success": success,
            "observed_value": None if res.get("observed_value") is None else json.dumps(_jsonable(res["observed_value"]), default=str)[:500],
            "unexpected_count": res.get("unexpected_count"),
            "unexpected_sample": json.dumps(_jsonable(sample), default=str)[:1000] if sample else None,
            "column_name": cfg.kwargs.get("column") or cfg.kwargs.get("column_A"),
            "description": cfg.meta.get("description"),
        }
        row, quarantined = apply_policy(suite, row, [{k: bad.get(k) for k in key} for bad in unexpected] if key else [])
        outcome.quarantined += quarantined
        return row


def apply_policy(suite: Suite, result: dict[str, Any], failing_keys: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Step 3 of the stage: what a result means under the suite's policy.

    result: one expectation's dq_results row; failing_keys: the key columns of each failing row.
    Returns the result to record and the dq_quarantine rows. In a `quarantine` suite, a failed
    error expectation with keyed failing rows is turned into a warning and its rows quarantined:
    they are isolated rather than published, and do not block. Anything else is returned as it is.
    """
    if result["success"] or result["severity"] != "error" or suite.policy != "quarantine" or not failing_keys:
        return result, []
    quarantined = [{
        "run_id": result["run_id"], "source_table": suite.name,
        "record_key": "|".join("" if bad.get(k) is None else str(_jsonable(bad.get(k))) for k in bad),
        "field": result["column_name"], "reason": result["expectation"], "policy": suite.policy_note or "quarantine",
    } for bad in failing_keys]
    described = f"{result['description'] or ''} {len(failing_keys)} row(s) quarantined.".strip()
    return {**result, "severity": "warning", "description": described}, quarantined


def frame_for(con: duckdb.DuckDBPyConnection, suite: Suite, params: dict[str, Any]) -> Any:
    """The suite's frame (pandas): its check select run with the parameters it names, or its
    relation, in a fixed row order, so that samples of failing rows are reproducible.
    Raises VendorbriefError naming the check file (or suite) when the read fails."""
    try:
        relation = con.table(suite.relation) if suite.check is None else relation_file(con, suite.check, params)
        return relation.order("all").df()
    except duckdb.Error as exc:
        raise VendorbriefError(f"expectations/{suite.name}.json: reading {suite.check or suite.relation} failed: {exc}") from exc


def parameters(con: duckdb.DuckDBPyConnection, suites: list[Suite], as_of: date, config: Config | None = None) -> dict[str, Any]:
    """Step 1 (read): the values the suites' checks and expectations name: every threshold of
    data/config/quality.yaml but claim_tolerance, run_as_of (ISO date), profile_names, and each value
    set of the suites (a list, from sql/checks/values/<name>.sql)."""
    return _parameters(con, suites, config or load_config(), as_of)


def validate(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, suites: list[Suite] | None = None,
             config: Config | None = None, phase: str | None = None) -> Outcome:
    """Steps 1-3: read, check and apply the policies for the suites (of one phase, or all) on the
    warehouse behind `con`. Results are returned, not yet stored. Raises VendorbriefError when a
    suite's frame cannot be read."""
    suites = load_suites() if suites is None else suites
    suites = [s for s in suites if phase is None or s.phase == phase]
    params = _parameters(con, suites, config or load_config(), as_of)
    validator = Validator()
    outcome = Outcome()
    for suite in suites:  # one frame in memory at a time: catalog suites can be large
        validator.run(suite, frame_for(con, suite, params), params, run_id, outcome)
    return outcome


def record(con: duckdb.DuckDBPyConnection, outcome: Outcome) -> None:
    """Step 4 (write): the results and quarantined rows into history.dq_results and dq_quarantine."""
    for table, rows in (("dq_results", outcome.results), ("dq_quarantine", outcome.quarantined)):
        if rows:
            run_file(con, f"history/record/{table}.sql", frames={f"{table}_rows": _frame(rows)})


def _frame(rows: list[dict[str, Any]]) -> Any:
    import polars as pl

    return pl.DataFrame(rows, infer_schema_length=None)


def rebuild_without_quarantined(con: duckdb.DuckDBPyConnection, outcome: Outcome) -> bool:
    """Step 5: when rows were quarantined, build the transform step again so that the marts leave
    them out (marts.price_history reads history.dq_quarantine); returns whether it rebuilt."""
    from flows.warehouse.build import run_step

    if not outcome.quarantined:
        return False
    run_step(con, "transform")
    return True


def validate_build(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, phase: str = "data") -> dict[str, Any]:
    """The validate stage on a build (steps 1-6 of the module docstring): check, record, rebuild the
    marts without quarantined rows, then gate. Phase "data" checks what ingest built, phase
    "metrics" the marts the metrics stage wrote. Returns the outcome's summary (suites,
    expectations, errors, warnings, quarantined_rows); raises QualityGateError on an error."""
    outcome = validate(con, run_id, as_of, phase=phase)
    record(con, outcome)
    rebuild_without_quarantined(con, outcome)
    gate(outcome)
    return outcome.summary()


def gate(outcome: Outcome) -> None:
    """Step 6: raise QualityGateError when an error-severity expectation failed: nothing may be published."""
    errors = outcome.errors
    if not errors:
        return
    lines = [f"{len(errors)} error-severity expectation(s) failed; nothing was published:"]
    for e in errors[:20]:
        lines.append(f"  - suite {e['suite']}: {e['expectation']}: {e['unexpected_count'] or 0} row(s)"
                     + (f", e.g. {e['unexpected_sample']}" if e["unexpected_sample"] else "")
                     + (f" (observed {e['observed_value']})" if e["observed_value"] else ""))
    raise QualityGateError("\n".join(lines), errors)
