"""Benchmark: a single-vendor run triggered on a running Prefect server, from the trigger to the
PDF (the aim: at most 20 s on a 2-core machine, with unchanged inputs).

`bench_single_vendor` starts `vendorbrief server` and `vendorbrief serve` (own PREFECT_HOME, free
ports, 127.0.0.1) on a published warehouse, then `trigger_to_pdf` removes the vendor's published
PDF (so that the run must render it), triggers `weekly-briefings` for that vendor through the API
and waits for the run to complete and the PDF to be back, three times; the figure is the median.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

DEPLOYMENT = "vendor-briefings/weekly-briefings"


def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextmanager
def served(work: Path, warehouse: Path, out: Path, timeout: float = 240,
           settings: dict[str, str] | None = None, settle_seconds: float = 5) -> Iterator[dict[str, Any]]:
    """A Prefect server and `vendorbrief serve` on free ports, state under `work`, with Prefect
    `settings` (PREFECT_* names and values) for both; yields the API URL, the report server's base
    URL and the processes' environment. Both stop on exit, `settle_seconds` after the caller is done."""
    import httpx

    bin_dir = Path(sys.executable).parent
    port, reports_port = free_port(), free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(work / "prefect-home"), "PREFECT_API_URL": api,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **(settings or {})}
    work.mkdir(parents=True, exist_ok=True)
    server = serve = None
    try:
        server = subprocess.Popen([str(bin_dir / "vendorbrief"), "server", "--port", str(port)], env=env,
                                  stdout=open(work / "server.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("Prefect server did not start: " + (work / "server.log").read_text()[-2000:])
            time.sleep(0.5)
        serve = subprocess.Popen([str(bin_dir / "vendorbrief"), "serve", "--warehouse", str(warehouse), "--out", str(out),
                                  "--reports-port", str(reports_port), "--litellm-url", "http://127.0.0.1:9/none.json"],
                                 env=env, stdout=open(work / "serve.log", "w"), stderr=subprocess.STDOUT,
                                 start_new_session=True)
        asyncio.run(_wait_for_deployment(api, deadline))
        yield {"api": api, "reports": f"http://127.0.0.1:{reports_port}", "env": env, "work": work}
        # A run's process sends its last logs for a few seconds after Completed; stopping `serve`
        # meanwhile would mark that finished run Cancelled ("Runner is shutting down").
        time.sleep(settle_seconds)
    finally:
        _stop(serve)
        _stop(server)


async def _wait_for_deployment(api: str, deadline: float) -> None:
    from prefect.client.orchestration import PrefectClient

    async with PrefectClient(api) as client:
        while True:
            try:  # serve registers its deployments one after the other: wait for both
                for name in (DEPLOYMENT, "vendor-briefings/daily-prices"):
                    await client.read_deployment_by_name(name)
                return
            except Exception:  # noqa: BLE001 - not registered yet
                if time.time() > deadline:
                    raise
                await asyncio.sleep(0.5)


async def trigger(api: str, parameters: dict[str, Any], timeout: float = 600) -> dict[str, Any]:
    """Trigger weekly-briefings with `parameters` and wait for a final state: the run's id, name,
    state, state message, seconds from the trigger to the start (runner pick-up) and to the end,
    and where those seconds went (`components`)."""
    from prefect.client.orchestration import PrefectClient

    async with PrefectClient(api) as client:
        deployment = await client.read_deployment_by_name(DEPLOYMENT)
        t0 = time.time()
        run = await client.create_flow_run_from_deployment(deployment.id, parameters=parameters)
        submitted = time.time()
        started = None
        while True:
            run = await client.read_flow_run(run.id)
            if started is None and run.state and (run.state.is_running() or run.state.is_final()):
                started = time.time()
            if run.state and run.state.is_final():
                break
            if time.time() - t0 > timeout:
                raise TimeoutError(f"run {run.name} not finished after {timeout} s ({run.state})")
            await asyncio.sleep(0.2)
        ended = time.time()
        components = {"submit": round(submitted - t0, 2), **await components_of(client, run)}
        return {"id": str(run.id), "name": run.name, "state": run.state.type.value, "message": run.state.message,
                "pickup_s": round(started - t0, 2), "total_s": round(ended - t0, 2), "components": components}


async def components_of(client: Any, run: Any) -> dict[str, float]:
    """Seconds of a finished run, from the server's timestamps: `pickup` (Scheduled to Pending: the
    runner's poll), `start` (Pending to Running: the run's process), `before_stages` (Running to
    the first stage), each stage (its subflow, start to end), `after_stages` (the last stage to
    Completed: publish, artifacts) and `server_total` (Scheduled to the final state)."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    states = sorted(await client.read_flow_run_states(run.id), key=lambda s: s.timestamp)
    first = {}
    for state in states:
        first.setdefault(state.type.value, state.timestamp)
    created, final = states[0].timestamp, states[-1].timestamp
    pending, running = first.get("PENDING", created), first.get("RUNNING", final)
    out = {"pickup": (pending - created).total_seconds(), "start": (running - pending).total_seconds()}
    subflows = await client.read_flow_runs(flow_run_filter=FlowRunFilter(
        parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[run.id])))
    subflows = sorted((f for f in subflows if f.start_time and f.end_time), key=lambda f: f.start_time)
    if subflows:
        out["before_stages"] = (subflows[0].start_time - running).total_seconds()
        for f in subflows:
            stage = f.name.split(" ")[0] if not f.name.startswith("validate") else " ".join(f.name.split(" ")[:2])
            out[stage] = out.get(stage, 0) + (f.end_time - f.start_time).total_seconds()
        out["after_stages"] = (final - subflows[-1].end_time).total_seconds()
    out["server_total"] = (final - created).total_seconds()
    return {k: round(v, 2) for k, v in out.items()}


def trigger_to_pdf(api: str, out: Path, sources: Path, as_of: date, vendor: str = "mistral", runs: int = 3) -> dict:
    """`runs` single-vendor runs, each after removing the vendor's published PDF: seconds from the
    trigger to Completed with the PDF back in latest/ and in the edition folder (first, second,
    median), with each run's components (see `components_of`) and the load average."""
    measured = []
    for _ in range(runs):
        (out / "latest" / f"{vendor}.pdf").unlink(missing_ok=True)
        result = asyncio.run(trigger(api, {"vendors": [vendor], "as_of": as_of.isoformat(), "formats": ["pdf"],
                                           "sources_dir": str(sources)}))
        if result["state"] != "COMPLETED":
            raise RuntimeError(f"single-vendor run {result['name']}: {result['state']} {result['message']}")
        for pdf in (out / "latest" / f"{vendor}.pdf", out / "editions" / as_of.isoformat() / f"{vendor}.pdf"):
            if not pdf.is_file():
                raise RuntimeError(f"single-vendor run {result['name']} completed without {pdf}")
        result["load_average"] = round(os.getloadavg()[0], 1)
        measured.append(result)
        parts = ", ".join(f"{k} {v:.2f}" for k, v in result["components"].items())
        print(f"  single-vendor trigger to PDF ({vendor}): {result['total_s']:6.2f} s "
              f"(load {result['load_average']}; {parts})", flush=True)
    totals = [r["total_s"] for r in measured]
    return {"vendor": vendor, "runs": measured, "first_s": totals[0], "second_s": totals[1] if len(totals) > 1 else None,
            "median_s": statistics.median(totals), "pickup_median_s": statistics.median(r["pickup_s"] for r in measured)}


def bench_single_vendor(work: Path, warehouse: Path, out: Path, sources: Path, as_of: date,
                        vendor: str = "mistral", runs: int = 3) -> dict:
    """The figure of `make bench`: on the published `warehouse` and `out` (a run on `sources` as of
    `as_of`, unchanged since), a server and `serve` started here, `runs` single-vendor runs."""
    with served(work, warehouse, out) as s:
        return trigger_to_pdf(s["api"], out, sources, as_of, vendor, runs)
