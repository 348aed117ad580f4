"""Deployments of `vendor-briefings`, the local Prefect server, and the report server they link to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from flows.orchestration.ingest import GENAI_PRICES_URL
from flows.settings import PREFECT_HOME, ROOT

DEFAULT_API_URL = "http://127.0.0.1:{port}/api"
# A scheduled run that finds another run writing the warehouse waits this long for it.
LOCK_WAIT_SECONDS = 1800
# How often `serve` asks the server for runs to start (Prefect's default, 10 s, is most of a
# single-vendor run's time from the UI's Submit to Completed).
POLL_SECONDS = 1.0
TIMEZONE = "Europe/Paris"
WEEKLY_CRON, DAILY_CRON = "0 6 * * 1", "0 5 * * *"


def server_env(port: int = 4200) -> dict[str, str]:
    """The environment of a local Prefect server: its home under .prefect/, no telemetry."""
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(PREFECT_HOME))
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["PREFECT_SERVER_API_HOST"] = "127.0.0.1"
    env["PREFECT_SERVER_API_PORT"] = str(port)
    env["PREFECT_UI_API_URL"] = DEFAULT_API_URL.format(port=port)
    return env


def start_server(port: int = 4200) -> int:
    """`prefect server start` bound to 127.0.0.1, its state under .prefect/; returns its exit code."""
    prefect = Path(sys.executable).with_name("prefect")
    cmd = [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    print(f"Prefect server and UI: http://127.0.0.1:{port}  (state in {server_env(port)['PREFECT_HOME']}; Ctrl-C stops it)")
    proc = subprocess.Popen(cmd, env=server_env(port), cwd=ROOT)

    def stop(signum, frame):  # SIGTERM to this command stops the server too (no orphan left listening)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except (KeyboardInterrupt, SystemExit):
        proc.terminate()
        try:
            return proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


def descriptions(litellm_url: str, genai_prices_url: str = GENAI_PRICES_URL) -> dict[str, str]:
    """The deployments' descriptions (markdown, shown in the UI): schedule with its timezone, what
    a run does, and where to look."""
    common = ("\n\nTimes are Europe/Paris wall-clock time, summer and winter; the UI lists upcoming runs in your "
              "browser's timezone. A custom run (**Run ▸ Custom run**) describes each parameter; the PDFs open from "
              "the run's **Artifacts** (report server of `vendorbrief serve`, 127.0.0.1).")
    return {
        "weekly-briefings": (
            f"**Schedule: every Monday at 06:00 {TIMEZONE}** (cron `{WEEKLY_CRON}`, timezone {TIMEZONE}).\n\n"
            "The whole pipeline: ingest, validate, metrics, then every vendor's briefing and the landscape, "
            "published as edition `editions/<date>/` and in `latest/`. It first refreshes the ECB reference rates "
            "when online (offline: a warning, the bundled rates stay). Stages whose inputs did not change are "
            "skipped; a custom run for one vendor takes seconds." + common),
        "daily-prices": (
            f"**Schedule: every day at 05:00 {TIMEZONE}** (cron `{DAILY_CRON}`, timezone {TIMEZONE}).\n\n"
            f"Fetches both price catalogs, the LiteLLM cost map from `{litellm_url}` and the genai-prices data "
            f"file from `{genai_prices_url}` (three retries each), validates them, and re-renders only the "
            "briefings whose data changed. Offline, the run fails with one message naming the catalog it could "
            "not fetch and the warehouse keeps its previous snapshots; to use a local copy or a mirror, start "
            "`vendorbrief serve --litellm-url PATH_OR_URL --genai-prices-url PATH_OR_URL` or set `litellm_source` "
            "and `genai_prices_source` in a custom run." + common),
    }


def deployments(warehouse: Path, out_dir: Path, litellm_url: str, genai_prices_url: str = GENAI_PRICES_URL) -> list:
    """The deployments weekly-briefings and daily-prices of the vendor-briefings flow; daily-prices
    fetches both catalogs (`litellm_source`, `genai_prices_source`), dated by the edition date."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron

    from flows.orchestration.pipeline import vendor_briefings

    # One run at a time per deployment; a run triggered while another runs waits its turn.
    limit = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)
    common = {"warehouse": str(warehouse), "out_dir": str(out_dir), "lock_wait_seconds": LOCK_WAIT_SECONDS}
    text = descriptions(litellm_url, genai_prices_url)
    weekly = vendor_briefings.to_deployment(
        name="weekly-briefings",
        schedules=[Cron(WEEKLY_CRON, timezone=TIMEZONE, slug="mondays-0600-europe-paris")],
        concurrency_limit=limit,
        parameters={**common, "refresh_ecb_rates": True},
        description=text["weekly-briefings"],
        tags=["vendorbrief", "weekly"],
    )
    daily = vendor_briefings.to_deployment(
        name="daily-prices",
        schedules=[Cron(DAILY_CRON, timezone=TIMEZONE, slug="daily-0500-europe-paris")],
        concurrency_limit=limit,
        parameters={**common, "litellm_source": litellm_url, "genai_prices_source": genai_prices_url,
                    "litellm_as_of_today": True, "changed_only": True},
        description=text["daily-prices"],
        tags=["vendorbrief", "daily"],
    )
    return [weekly, daily]


def serve_deployments(warehouse: Path, out_dir: Path, litellm_url: str, reports_port: int | None = None,
                      poll_seconds: float = POLL_SECONDS, genai_prices_url: str = GENAI_PRICES_URL,
                      spawn_runs: bool = False) -> None:
    """Serve the deployments until SIGTERM (a run waits for the one before it), with the report
    server for `out_dir` on 127.0.0.1:`reports_port` (None: the default port) that the runs'
    artifacts link to. spawn_runs: start each run in a new process (Prefect's own start) instead
    of forking it from a warm process."""
    from flows.report import server

    port = server.DEFAULT_PORT if reports_port is None else reports_port
    try:
        httpd = server.start_in_thread(out_dir, port)
        print(f"Briefings: {server.base_url(httpd.server_port)}/  (report server: {out_dir}, read-only)")
    except OSError as exc:
        # Another process may serve the folder already (`vendorbrief reports`): links assume it does.
        os.environ[server.URL_ENV], os.environ[server.ROOT_ENV] = server.base_url(port), str(out_dir.resolve())
        print(f"report server not started on 127.0.0.1:{port} ({exc.strerror}): the runs' links expect "
              f"`vendorbrief reports --out {out_dir} --port {port}` there")
    from flows.orchestration.pipeline import vendor_briefings
    from flows.orchestration.warm import serve_warm

    # Each run forks from a process that imported the pipeline already: seconds, not a minute.
    serve_warm(deployments(warehouse, out_dir, litellm_url, genai_prices_url), vendor_briefings, poll_seconds,
               spawn_runs)
