"""The linters of `make lint`, as tests: ruff on the Python (rules in pyproject.toml), sqlfluff on
sql/ (rules in .sqlfluff). As tests they run beside the others instead of before them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flows.settings import ROOT

BIN = Path(sys.executable).parent


def _lint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_the_python_passes_ruff():
    done = _lint("ruff", "check", "flows", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_sql_passes_sqlfluff():
    done = _lint("sqlfluff", "lint", "sql")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Skipping" not in done.stdout + done.stderr  # every file linted, however large
