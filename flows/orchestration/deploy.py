"""Deployments of `vendor-briefings` and the local Prefect server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flows.settings import PREFECT_HOME, ROOT

DEFAULT_API_URL = "http://127.0.0.1:{port}/api"
# A scheduled run that finds another run writing the warehouse waits this long for it.
LOCK_WAIT_SECONDS = 1800


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
    return subprocess.call(cmd, env=server_env(port), cwd=ROOT)


def deployments(warehouse: Path, out_dir: Path, litellm_url: str) -> list:
    """The deployments weekly-briefings and daily-prices of the vendor-briefings flow."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron

    from flows.orchestration.pipeline import vendor_briefings

    # One run at a time per deployment; a run triggered while another runs waits its turn.
    limit = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)
    common = {"warehouse": str(warehouse), "out_dir": str(out_dir), "lock_wait_seconds": LOCK_WAIT_SECONDS}
    weekly = vendor_briefings.to_deployment(
        name="weekly-briefings",
        schedules=[Cron("0 6 * * 1", timezone="Europe/Paris")],
        concurrency_limit=limit,
        parameters=common,
        description="Every Monday 06:00 Europe/Paris: the whole pipeline and every vendor's briefing.",
        tags=["vendorbrief", "weekly"],
    )
    daily = vendor_briefings.to_deployment(
        name="daily-prices",
        schedules=[Cron("0 5 * * *", timezone="Europe/Paris")],
        concurrency_limit=limit,
        parameters={**common, "litellm_source": litellm_url, "litellm_as_of_today": True, "changed_only": True},
        description="Daily 05:00 Europe/Paris: fetch the LiteLLM cost map, validate, and re-render only the "
                    "briefings whose data changed.",
        tags=["vendorbrief", "daily"],
    )
    return [weekly, daily]


def serve_deployments(warehouse: Path, out_dir: Path, litellm_url: str) -> None:
    """Serve the deployments until SIGTERM (a run waits for the one before it)."""
    from prefect import serve

    serve(*deployments(warehouse, out_dir, litellm_url))
