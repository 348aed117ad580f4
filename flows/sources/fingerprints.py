"""Fingerprints of a run's inputs, recorded in pipeline_runs and used to skip unchanged stages."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

from flows.settings import EXPECTATIONS_DIR, REPORTS_DIR, ROOT, SOURCES_DIR, SQL_DIR

CONFIG_DIR = ROOT / "data" / "config"


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
        "code": hash_tree(ROOT / "flows", suffixes=(".py",)),
        "facts": hash_tree(sources_dir, suffixes=(".yaml", ".csv", ".gz", ".json")),
        "genai_prices": version("genai-prices"),
        "sql": hash_tree(SQL_DIR),
        "expectations": hash_tree(EXPECTATIONS_DIR),
        "config": hash_tree(CONFIG_DIR),
        "templates": hash_tree(REPORTS_DIR / "templates", REPORTS_DIR / "assets"),
    }
