"""Imported once by the fork server of `vendorbrief serve` (flows/orchestration/warm.py): what every
flow run would otherwise load again. Imports and in-memory compilation only: no thread, no
connection, no open file survives this module, so that forking from it is safe."""

from __future__ import annotations

import importlib

from flows.settings import REPORTS_DIR

MODULES = [
    "flows.cli",  # the `vendorbrief` script, which a run's process loads as its __mp_main__
    "flows.orchestration.pipeline",  # Prefect, DuckDB, Polars, the stages' flows
    "flows.metrics.stage",
    "flows.report.stage",
    "flows.report.charts",  # Altair
    "weasyprint",
    "flows.quality.suites",
    "great_expectations",  # 5-6 s on its own; shared copy-on-write by the runs that validate
]


def warm() -> None:
    """Import MODULES and compile the briefing templates (Jinja2 keeps them, and reloads a
    template whose file changed)."""
    for name in MODULES:
        importlib.import_module(name)
    from flows.report import typeset

    env = typeset.environment()
    for template in sorted((REPORTS_DIR / "templates").glob("*.html")):
        env.get_template(template.name)


warm()
