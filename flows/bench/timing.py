"""Per-briefing render times for the scale benchmark, on the local pool and on Dask workers alike.

Imported with VENDORBRIEF_BENCH_TIMES set to a folder, this module replaces
`flows.report.typeset.render_briefing` by `timed_render_briefing`, which calls the original and
writes its wall seconds to `<folder>/<digest>.s`. The local pool pickles the function by name, so
its workers import this module; Dask workers import it as a preload module (`dask_setup`).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from flows.report import typeset

ENV = "VENDORBRIEF_BENCH_TIMES"
_original = getattr(typeset, "_untimed_render_briefing", typeset.render_briefing)


def timed_render_briefing(context: dict[str, Any], charts: dict[str, str | None], options: dict[str, Any]) -> dict:
    """`typeset.render_briefing`, its wall seconds recorded under $VENDORBRIEF_BENCH_TIMES."""
    t0 = time.perf_counter()
    files = _original(context, charts, options)
    folder = os.environ.get(ENV)
    if folder:
        name = str(options.get("digest") or id(context))
        Path(folder, f"{name}.s").write_text(f"{time.perf_counter() - t0:.3f}")
    return files


def install() -> None:
    """Route this process's (and its workers') briefing renders through `timed_render_briefing`."""
    typeset._untimed_render_briefing = _original
    typeset.render_briefing = timed_render_briefing


def dask_setup(worker: Any = None) -> None:
    """Dask preload hook."""
    install()


def slowest(folder: Path) -> tuple[float | None, int]:
    """(seconds of the slowest briefing recorded in `folder`, briefings recorded)."""
    times = [float(p.read_text()) for p in folder.glob("*.s")]
    return (max(times) if times else None), len(times)


if os.environ.get(ENV):
    install()
