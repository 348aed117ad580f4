"""What the bad-input and UI tests share: applying a corpus case, running a command on a folder
as a deployment has it, and the two outcomes every refusal must show (one message, nothing lost)."""

from __future__ import annotations

import re
from pathlib import Path

from flows.cli import app
from typer.testing import CliRunner

from .conftest import tree

runner = CliRunner()


def flat(text: str) -> str:
    """The text without colour codes, every run of white space one space."""
    return re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;]*m", "", text))


def apply_case(spec: dict, sources: Path) -> dict:
    """Apply one corpus case (tests/data/bad) to a writable copy of the sources: write `content`
    or `content_hex`, `append` to the file, or `replace` [old, new] once. Returns the spec."""
    target = sources / spec["file"]
    if "content_hex" in spec:
        target.write_bytes(bytes.fromhex(spec["content_hex"]))
    elif "content" in spec:
        target.write_text(spec["content"])
    elif "append" in spec:
        target.write_text(target.read_text() + spec["append"])
    else:
        old, new = spec["replace"]
        assert old in target.read_text(), old
        target.write_text(target.read_text().replace(old, new, 1))
    return spec


def invoke(folder: Path, args: list[str], plain: bool | None = None):
    """The command with this folder's warehouse, output and (for run and ingest) sources unless
    the case sets them; `--plain` for run and ingest unless `plain` says otherwise."""
    takes_sources = args[0] in ("run", "ingest")
    defaults = {"--warehouse": str(folder / "warehouse.duckdb"), "--out": str(folder / "out")}
    if takes_sources:
        defaults["--sources"] = str(folder / "sources")
    extra = [x for option, value in defaults.items() if option not in args for x in (option, value)]
    plain = takes_sources if plain is None else plain
    return runner.invoke(app, [*args, *extra, *(["--plain"] if plain else [])])


def assert_refused(result, code: int, pieces: list[str]) -> None:
    """Exit `code`, no exception escaped, no traceback, and every piece in the printed message."""
    text = flat(result.output)
    assert result.exit_code == code, text
    # an unexpected exception would surface as result.exception (the runner catches it)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for piece in pieces:
        assert piece in text, (piece, text)


def assert_nothing_lost(folder: Path, before: dict[str, bytes]) -> None:
    """Every file of `before` unchanged; new files only the run journal and the lock beside the
    warehouse (no build file, no staging folder, no new briefing)."""
    after = tree(folder)
    for path, body in before.items():
        assert after.get(path) == body, f"{path} changed"
    assert set(after) - set(before) <= {"warehouse.duckdb.runs.jsonl", ".warehouse.duckdb.lock"}
