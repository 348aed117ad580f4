"""What the bad-input, UI and flow tests share: applying a corpus case, running a command on a
folder as a deployment has it (in this process, or as `vendorbrief` in a new one), the two
outcomes every refusal must show (one message, nothing lost), a failing HTTP server, and a
run's Prefect logs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from flows.cli import app
from typer.testing import CliRunner

from .conftest import DATA, FIXTURE_SOURCES, tree

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


# --- the capability fixture: catalog-only Mistral models beside the fixture leaderboards -------

LISTED_LATER = date(2025, 6, 1)  # a LiteLLM snapshot after the latest fixture leaderboard


def chat_entry(provider: str, per_mtok_in: float, per_mtok_out: float) -> dict:
    """A LiteLLM chat entry priced in USD per million tokens."""
    return {"litellm_provider": provider, "input_cost_per_token": per_mtok_in / 1e6,
            "output_cost_per_token": per_mtok_out / 1e6, "mode": "chat"}


def capability_sources(tmp: Path, first_snapshot: dict[str, dict]) -> Path:
    """The fixture sources and leaderboards in `tmp/sources`, with LiteLLM's mistral provider as
    Mistral's own platform (its lineup), `first_snapshot`'s entries added to the first LiteLLM
    snapshot, a second snapshot of LISTED_LATER adding mistral/fx-nova, and fx-large-20250301 on
    the 2025-03-10 leaderboard (1,333 points)."""
    sources = tmp / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    shutil.copytree(DATA / "lmarena", sources / "lmarena")
    with (sources / "vendor_map.yaml").open("a") as f:
        f.write("platforms:\n  - {source: litellm, provider: mistral, vendor_id: mistral}\n")
    folder = sources / "litellm"
    first = json.loads((folder / "litellm-s1.json").read_text()) | first_snapshot
    (folder / "litellm-s1.json").write_text(json.dumps(first, indent=1))
    (folder / "litellm-s2.json").write_text(json.dumps(first | {"mistral/fx-nova": chat_entry("mistral", 1.0, 3.0)}, indent=1))
    with (folder / "snapshots.yaml").open("a") as f:
        f.write(f"- file: litellm-s2.json\n  version: fixture-2\n  as_of: {LISTED_LATER}\n")
    board = sources / "lmarena" / "lb-2025-03-10.json"
    data = json.loads(board.read_text())
    data["full"]["fx-large-20250301"] = {"rating": 1333.0, "rating_q025": 1321.0, "rating_q975": 1345.0}
    board.write_text(json.dumps(data))
    return sources


def failing_server(status: int):
    """An HTTP server on 127.0.0.1 answering every GET with `status`; and the list of the times of its requests."""
    import http.server
    import threading

    hits = []

    class Failing(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(time.monotonic())
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits


async def run_logs(client, flow_run_id, wait_for: str | None = None) -> list:
    """The logs of a flow run, its subflows and their tasks, read with a Prefect `client`; with
    `wait_for`, waits (up to 20 s) for a line holding it, as logs reach the server in batches."""
    import asyncio

    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId, LogFilter, LogFilterFlowRunId

    children = await client.read_flow_runs(flow_run_filter=FlowRunFilter(
        parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[flow_run_id])))
    ids = [flow_run_id, *(c.id for c in children)]
    deadline = time.monotonic() + 20
    while True:
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=ids)), limit=200)
        if wait_for is None or any(wait_for in line.message for line in logs) or time.monotonic() > deadline:
            return logs
        await asyncio.sleep(0.5)


def vendorbrief(args: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    """`vendorbrief ARGS` in a new process with environment `env`, its output captured."""
    return subprocess.run([str(Path(sys.executable).parent / "vendorbrief"), *args], env=env, capture_output=True,
                          text=True, timeout=timeout)
