"""Publication of rendered briefings: each file appears under latest/ by an atomic rename, and
the edition folder of the as-of date receives a copy of the files rendered for that date."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path


def _atomic_copy(src: Path, dst: Path) -> None:
    tmp = dst.with_name(f".{dst.name}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def publish_reports(staging: Path, out_dir: Path, as_of: date) -> list[str]:
    """Move staged files into out_dir/latest and copy them to out_dir/editions/<as_of>.

    latest/ may hold briefings of other dates (a run for some vendors only, or one that found a
    briefing unchanged); an edition folder only ever holds briefings of its own date.

    Readers never see a partial file: every file is written under a temporary name first. The
    staging folder is removed at the end.
    """
    latest = out_dir / "latest"
    edition = out_dir / "editions" / as_of.isoformat()
    latest.mkdir(parents=True, exist_ok=True)
    edition.mkdir(parents=True, exist_ok=True)
    # The manifest goes last: it vouches for the files before it.
    staged = sorted(staging.iterdir(), key=lambda p: (p.name == "manifest.json", p.name))
    for path in staged:
        os.replace(path, latest / path.name)
    for path in staged:
        if path.name != "manifest.json":  # the manifest describes latest/, not an edition
            _atomic_copy(latest / path.name, edition / path.name)
    shutil.rmtree(staging, ignore_errors=True)
    return [str(latest / p.name) for p in staged]
