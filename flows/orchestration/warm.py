"""Flow runs of `vendorbrief serve` that start warm: a single-vendor run in seconds.

Prefect's runner starts every flow run in a new *spawned* Python process, which imports Prefect,
DuckDB, Polars, WeasyPrint and Altair again before the run begins: 5-15 s on a 2-core machine
(more when the installed packages have no compiled bytecode), most of a single-vendor run's time
from trigger to Completed. `serve_warm` serves the deployments with their flow object at hand
(Prefect's `Runner.add_flow` path: no `python -m prefect.engine`, no loading of the flow from its
file again), and `use_warm_processes` makes those runs fork from a multiprocessing fork server
started once, beside `serve`, that has already imported the pipeline and its heavy libraries: a
run starts in about a second and finds WeasyPrint, Altair and the stages loaded.

Each run is still its own process (Prefect cancels, kills and reports it as before); the fork
server holds imports only (no thread, no connection, no open file of a run). Code changed on disk
is seen after `serve` restarts, as for any long-running service.
"""

from __future__ import annotations

import multiprocessing
from types import ModuleType
from typing import Any

# Imported once by the fork server; every flow run forks with it loaded (see its docstring).
PRELOAD = ["flows.orchestration.preload"]


class _RunContexts(ModuleType):
    """Stands for the `multiprocessing` module in prefect.flow_engine: its "spawn" context is the
    warm fork server's; everything else is multiprocessing's own."""

    def __init__(self, context: Any):
        super().__init__("multiprocessing")
        self._context = context

    def get_context(self, method: str | None = None) -> Any:
        return self._context if method == "spawn" else multiprocessing.get_context(method)

    def __getattr__(self, name: str) -> Any:
        return getattr(multiprocessing, name)


def _ready() -> None:
    """Runs in a process forked from the fork server: returns once the preload is done."""


def use_warm_processes(preload: list[str] | None = None) -> bool:
    """Start the fork server now (it imports `preload`), wait until it can fork, and make
    Prefect's runner start each flow run from it. False (Prefect's spawn kept) where the platform
    has no fork server."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    import prefect.flow_engine as engine

    if not hasattr(engine, "multiprocessing") or not hasattr(engine, "run_flow_in_subprocess"):
        return False  # another Prefect than the locked one: keep its own start
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD if preload is None else preload)
    probe = context.Process(target=_ready)  # the first fork waits for the preload to finish
    probe.start()
    probe.join()
    engine.multiprocessing = _RunContexts(context)
    return True


def serve_warm(deployments: list, flow: Any, poll_seconds: float, spawn_runs: bool = False) -> None:
    """`prefect.serve(*deployments)`, except that each deployment's runs start from `flow` itself
    (as `Runner.add_flow` registers it) in a warm process (`use_warm_processes`); until SIGTERM or
    Ctrl-C, which pause the deployments' schedules. spawn_runs: keep Prefect's own start (a new
    process that imports everything, per run)."""
    import asyncio

    from prefect.exceptions import TerminationSignal
    from prefect.runner import Runner

    runner = Runner(pause_on_shutdown=True, query_seconds=poll_seconds)
    warm = not spawn_runs and use_warm_processes()
    for deployment in deployments:
        deployment_id = runner.add_deployment(deployment)
        # What Runner.add_flow does after add_deployment: the run starts from this flow object.
        runner._deployment_registry.register_flow(deployment_id, flow)  # noqa: SLF001
    names = ", ".join(f"{flow.name}/{d.name}" for d in deployments)
    print(f"Serving {names}: runs start within {poll_seconds:g} s of their trigger"
          + (" in a process forked from a warm fork server" if warm else ""), flush=True)
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        print("serve: stopped; the deployments' schedules are paused", flush=True)
