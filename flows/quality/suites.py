"""Data-quality suites (Great Expectations 1.x) over frames taken from the warehouse.

Each file in expectations/ is a GX suite, kept as plain JSON without generated ids. Its `meta`
says which relation it validates (or a query adding derived columns), the key naming failing
rows, and the suite's policy: `block` (error failures stop publication) or `quarantine` (rows
failing an error expectation are moved to dq_quarantine and the run goes on). Every expectation
carries `meta.severity`: `error` or `warning`.

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
from flows.settings import EXPECTATIONS_DIR
from flows.warehouse.store import insert_rows

SEVERITIES = ("error", "warning")
POLICIES = ("block", "quarantine")


@dataclass
class Suite:
    name: str
    relation: str
    query: str | None
    key: list[str]
    policy: str
    policy_note: str
    parameters: dict[str, str]
    body: dict[str, Any]
    phase: str = "data"  # "metrics": the suite checks a mart the metrics stage writes

    def select(self, thresholds: dict[str, Any]) -> str:
        """The suite's query; `{{name}}` placeholders take numeric thresholds from quality.yaml."""
        query = self.query or f"select * from {self.relation}"
        for name, value in thresholds.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                query = query.replace("{{" + name + "}}", repr(value))
        return query


@dataclass
class Outcome:
    results: list[dict] = field(default_factory=list)
    quarantined: list[dict] = field(default_factory=list)

    @property
    def errors(self) -> list[dict]:
        return [r for r in self.results if not r["success"] and r["severity"] == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [r for r in self.results if not r["success"] and r["severity"] == "warning"]

    def summary(self) -> dict[str, Any]:
        return {"suites": len({r["suite"] for r in self.results}), "expectations": len(self.results),
                "errors": len(self.errors), "warnings": len(self.warnings),
                "quarantined_rows": len(self.quarantined)}


def load_suites(directory: Path = EXPECTATIONS_DIR) -> list[Suite]:
    suites = []
    for path in sorted(directory.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        meta = body.get("meta", {})
        name = body.get("name")
        if name != path.stem:
            raise VendorbriefError(f"{path}: suite name {name!r} must match the file name")
        policy = meta.get("policy", "block")
        if policy not in POLICIES:
            raise VendorbriefError(f"{path}: policy must be one of {POLICIES}, got {policy!r}")
        for i, exp in enumerate(body.get("expectations", [])):
            if exp.get("meta", {}).get("severity") not in SEVERITIES:
                raise VendorbriefError(f"{path}: expectations[{i}] ({exp.get('type')}): meta.severity must be error or warning")
        suites.append(Suite(
            name=name, relation=meta["relation"], query=meta.get("query"), key=list(meta.get("key", [])),
            policy=policy, policy_note=meta.get("policy_note", ""), parameters=dict(meta.get("parameters", {})),
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
    for suite in suites:
        for name, query in suite.parameters.items():
            params[name] = [row[0] for row in con.execute(query).fetchall()]
    return params


def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("warehouse").add_dataframe_asset("frames")
    return gx, context, asset.add_batch_definition_whole_dataframe("whole")


class Validator:
    """One ephemeral GX context that validates pandas frames against suites."""

    def __init__(self) -> None:
        self.gx, self.context, self.batch_definition = _context()

    def run(self, suite: Suite, frame: Any, params: dict[str, Any], run_id: str, outcome: Outcome) -> None:
        body = {k: v for k, v in suite.body.items() if k != "meta"}
        name = body["name"]
        if any(s.name == name for s in self.context.suites.all()):
            self.context.suites.delete(name)
        gx_suite = self.context.suites.add(self.gx.ExpectationSuite(**body))
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
        if not success and severity == "error" and suite.policy == "quarantine" and key and unexpected:
            for bad in unexpected:
                outcome.quarantined.append({
                    "run_id": run_id, "source_table": suite.name,
                    "record_key": "|".join("" if bad.get(k) is None else str(_jsonable(bad.get(k))) for k in key),
                    "field": row["column_name"], "reason": row["expectation"], "policy": suite.policy_note or "quarantine",
                })
            # The rows are isolated rather than published: recorded, not blocking.
            row["severity"] = "warning"
            row["description"] = f"{row['description'] or ''} {len(unexpected)} row(s) quarantined.".strip()
        return row


def frame_for(con: duckdb.DuckDBPyConnection, suite: Suite, params: dict[str, Any]) -> Any:
    """The suite's frame in a fixed row order, so that samples of failing rows are reproducible."""
    try:
        return con.sql(f"select * from ({suite.select(params)}) order by all").df()
    except duckdb.Error as exc:
        raise VendorbriefError(f"expectations/{suite.name}.json: its query failed: {exc}") from exc


def parameters(con: duckdb.DuckDBPyConnection, suites: list[Suite], as_of: date, config: Config | None = None) -> dict[str, Any]:
    return _parameters(con, suites, config or load_config(), as_of)


def validate(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, suites: list[Suite] | None = None,
             config: Config | None = None, phase: str | None = None) -> Outcome:
    """Run the suites (of one phase, or all) on the warehouse behind `con`; results are returned,
    not yet stored."""
    suites = load_suites() if suites is None else suites
    suites = [s for s in suites if phase is None or s.phase == phase]
    params = _parameters(con, suites, config or load_config(), as_of)
    validator = Validator()
    outcome = Outcome()
    for suite in suites:
        validator.run(suite, frame_for(con, suite, params), params, run_id, outcome)
    return outcome


def record(con: duckdb.DuckDBPyConnection, outcome: Outcome) -> None:
    insert_rows(con, "history.dq_results", outcome.results)
    insert_rows(con, "history.dq_quarantine", outcome.quarantined)


def validate_build(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, phase: str = "data") -> dict[str, Any]:
    """The validate stage on a build: run, record, then gate. Quarantined rows leave the marts,
    which are rebuilt without them before the gate. Phase "data" checks what ingest built,
    phase "metrics" the marts the metrics stage wrote."""
    from flows.warehouse.build import run_step

    outcome = validate(con, run_id, as_of, phase=phase)
    record(con, outcome)
    if outcome.quarantined:
        run_step(con, "transform")
    gate(outcome)
    return outcome.summary()


def gate(outcome: Outcome) -> None:
    """Raise when an error-severity expectation failed: nothing may be published."""
    errors = outcome.errors
    if not errors:
        return
    lines = [f"{len(errors)} error-severity expectation(s) failed; nothing was published:"]
    for e in errors[:20]:
        lines.append(f"  - suite {e['suite']}: {e['expectation']}: {e['unexpected_count'] or 0} row(s)"
                     + (f", e.g. {e['unexpected_sample']}" if e["unexpected_sample"] else "")
                     + (f" (observed {e['observed_value']})" if e["observed_value"] else ""))
    raise QualityGateError("\n".join(lines), errors)
