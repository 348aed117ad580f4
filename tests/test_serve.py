"""A real Prefect server and `vendorbrief serve`: a run triggered through the API produces the
briefing and its artifacts; an overlapping run waits for the first (concurrency limit 1)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import FIXTURE_SOURCES

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("prefect-server")]  # one server for the module
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("served")
    port = _free_port()
    # The runner of `serve` looks for new runs every PREFECT_RUNNER_POLL_FREQUENCY seconds (10 by
    # default): the tests need not wait that long for a triggered run to start.
    env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect-home"), "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
           "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    server = subprocess.Popen([str(BIN / "vendorbrief"), "server", "--port", str(port)], env=env,
                              stdout=open(tmp / "server.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    serve = None
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        else:
            raise AssertionError("server did not start: " + (tmp / "server.log").read_text()[-2000:])
        serve = subprocess.Popen([str(BIN / "vendorbrief"), "serve", "--warehouse", str(tmp / "warehouse.duckdb"),
                                  "--out", str(tmp / "out"), "--litellm-url", "http://127.0.0.1:9/none.json"],
                                 env=env, stdout=open(tmp / "serve.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
        yield {"port": port, "tmp": tmp, "env": env}
    finally:
        for proc in (serve, server):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


def test_server_listens_on_loopback_only(served):
    out = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout if shutil_which("ss") else ""
    lines = [line for line in out.splitlines() if f":{served['port']} " in line]
    assert all("127.0.0.1" in line for line in lines)
    with pytest.raises(OSError):
        socket.create_connection((_outside_address(), served["port"]), timeout=2)


def shutil_which(name: str) -> str | None:
    import shutil
    return shutil.which(name)


def _outside_address() -> str:
    """An address of this machine other than loopback (or a reserved one when there is none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            addr = s.getsockname()[0]
        except OSError:
            addr = "192.0.2.1"
    return addr if not addr.startswith("127.") else "192.0.2.1"


async def _trigger_and_wait(port: int, parameters: dict, count: int = 1) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{port}/api"}):
        return await _trigger(get_client, ArtifactFilter, ArtifactFilterFlowRunId, parameters, count)


async def _trigger(get_client, ArtifactFilter, ArtifactFilterFlowRunId, parameters: dict, count: int) -> list:  # noqa: N803
    async with get_client() as client:
        deadline = time.time() + 120
        while True:  # `serve` registers its deployments one after the other
            try:
                deployment = await client.read_deployment_by_name("vendor-briefings/weekly-briefings")
                daily = await client.read_deployment_by_name("vendor-briefings/daily-prices")
                break
            except Exception:
                if time.time() > deadline:
                    raise
                await asyncio.sleep(2)
        assert deployment.schedules and deployment.schedules[0].schedule.cron == "0 6 * * 1"
        assert deployment.schedules[0].schedule.timezone == "Europe/Paris"
        assert daily.schedules[0].schedule.cron == "0 5 * * *"
        runs = [await client.create_flow_run_from_deployment(deployment.id, parameters=parameters) for _ in range(count)]
        finished = []
        for run in runs:
            while True:
                run = await client.read_flow_run(run.id)
                if run.state.is_final():
                    break
                await asyncio.sleep(2)
            artifacts = await client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
            finished.append((run, artifacts))
        return finished


def test_triggered_run_produces_the_briefing_and_artifacts(served):
    params = {"vendors": ["mistral"], "sources_dir": str(FIXTURE_SOURCES), "formats": ["pdf"]}
    t0 = time.time()
    [(run, artifacts)] = asyncio.run(_trigger_and_wait(served["port"], params))
    elapsed = time.time() - t0
    assert run.state.is_completed(), run.state
    assert (served["tmp"] / "out" / "latest" / "mistral.pdf").stat().st_size > 10_000
    assert {"run-summary", "data-quality", "briefing-mistral"} <= {a.key for a in artifacts}
    print(f"trigger-to-PDF for one vendor with the server running: {elapsed:.1f} s")


def test_overlapping_runs_wait_for_each_other(served):
    # Two runs triggered at once, each long enough (a new process, Prefect, the render) to
    # overlap the other if the deployment let them.
    params = {"vendors": ["openai"], "sources_dir": str(FIXTURE_SOURCES), "formats": ["pdf"]}
    (first, _), (second, _) = asyncio.run(_trigger_and_wait(served["port"], params, count=2))
    assert first.state.is_completed() and second.state.is_completed()
    # concurrency limit 1: the second run started after the first ended
    assert second.start_time >= first.end_time or first.start_time >= second.end_time
