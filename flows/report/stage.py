"""The render stage: contexts from the warehouse, then HTML and PDF per vendor and for the
landscape, in parallel processes. A briefing whose context, templates and options are unchanged
since the published one is not rendered again."""

from __future__ import annotations

import json
import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from flows.config import load_config
from flows.errors import VendorbriefError
from flows.sources.facts import SLUG
from flows.sources.fingerprints import hash_tree
from flows.report import context as ctx
from flows.report import typeset as pdf
from flows.settings import REPORTS_DIR

MANIFEST = "manifest.json"
# Parts of a context that follow the edition date rather than the data: a run with `changed_only`
# keeps a published briefing when nothing else in its context moved.
DATE_BOUND = {"as_of", "freshness", "quality", "previous_edition", "changes", "sources",
              "price_moved", "previous_input", "previous_output", "current_detail"}
REF_KEY = re.compile(r"(^|_)ref\d*$")


def data_view(value: Any) -> Any:
    """The context without its date-bound parts and citation keys (which embed as-of dates)."""
    if isinstance(value, dict):
        return {k: data_view(v) for k, v in value.items() if k not in DATE_BOUND and not REF_KEY.search(k)}
    if isinstance(value, list):
        return [data_view(v) for v in value]
    return value
LANDSCAPE = "landscape"
QUALITY_PAGE = "data-quality.html"


def safe_name(name: str) -> str:
    """File names come from vendor ids: only slugs, never a path."""
    if not re.fullmatch(SLUG, name) or name in (".", ".."):
        raise VendorbriefError(f"refusing to write a briefing named {name[:80]!r}: not a plain identifier")
    return name


def chart_svgs(context: dict[str, Any]) -> dict[str, str | None]:
    """The briefing's charts as inline SVG. Drawn where the contexts are built, so render workers
    import neither Altair nor the chart converter."""
    from flows.report import charts

    if context["kind"] == "vendor":
        flagship = context.get("flagship") or {}
        return {"workloads": charts.workload_costs(context["workloads"], flagship.get("model_name", ""),
                                                   list(context["profiles"])),
                "valuation": charts.valuation_over_time(context["rounds"])}
    return {"prices": charts.flagship_prices(context["vendors"])}


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose fork server starts now and imports WeasyPrint while the caller draws
    the first charts; the workers fork from it on the first submissions."""
    from multiprocessing import forkserver

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    mp = multiprocessing.get_context("forkserver")
    mp.set_forkserver_preload(["flows.report.typeset", "weasyprint"])
    forkserver.ensure_running()
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp)


def templates_hash() -> str:
    """What a briefing's look depends on besides its context: templates, assets, and the code
    that formats figures and draws charts."""
    return hash_tree(REPORTS_DIR / "templates", REPORTS_DIR / "assets", Path(__file__).parent)


def iter_contexts(con: duckdb.DuckDBPyConnection, as_of: date, vendors: list[str] | None, peers: list[str] | None,
                  profile: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, context) of each briefing to consider, one at a time (rendering starts meanwhile)."""
    config = load_config()
    known = [r[0] for r in con.execute("select vendor_id from marts.vendors order by vendor_id").fetchall()]
    for v in known:
        if not vendors or v in vendors:
            yield safe_name(v), ctx.vendor_context(con, v, as_of, peers, profile, config)
    yield LANDSCAPE, ctx.landscape_context(con, as_of, config)


def contexts(con: duckdb.DuckDBPyConnection, as_of: date, vendors: list[str] | None, peers: list[str] | None,
             profile: str | None) -> dict[str, dict[str, Any]]:
    return dict(iter_contexts(con, as_of, vendors, peers, profile))


def quality_page(con: duckdb.DuckDBPyConnection, as_of: date) -> str:
    """The readable data-quality report of this run (own page: GX Data Docs need CDNs)."""
    from flows.quality import suites as quality

    run_id = con.execute("select run_id from raw.run_context").fetchall()[0][0]
    cur = con.execute("select * from history.dq_results where run_id = ? order by suite, expectation", [run_id])
    names = [d[0] for d in cur.description]
    results = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    cur = con.execute("select * from history.dq_quarantine where run_id = ? order by source_table, record_key", [run_id])
    names = [d[0] for d in cur.description]
    quarantined = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    suites = []
    for s in quality.load_suites():
        mine = [r for r in results if r["suite"] == s.name]
        suites.append({"name": s.name, "policy_note": s.policy_note, "count": len(mine),
                       "failed": sum(not r["success"] for r in mine)})
    outcome = quality.Outcome(results=results, quarantined=quarantined)
    style = (REPORTS_DIR / "assets" / "style.css").read_text(encoding="utf-8")
    return pdf.render_html("data_quality.html", {
        "run_id": run_id, "as_of": as_of.isoformat(), "summary": outcome.summary(), "results": results,
        "quarantined": quarantined, "suites": suites, "style": style, "for_pdf": False}, "A4")


class Planner:
    """Decides, briefing by briefing, whether the published file is still current."""

    def __init__(self, options: dict[str, Any]):
        self.digest_of = pdf.context_digest
        self.published = Path(options["published_dir"])
        manifest = self.published / MANIFEST
        self.previous = json.loads(manifest.read_text()) if manifest.exists() else {}
        self.fixed = {k: options[k] for k in ("formats", "page_size", "archival")}
        self.formats, self.full = options["formats"], options.get("full", False)
        self.changed_only = options.get("changed_only", False)
        self.templates = templates_hash()
        self.digests: dict[str, str] = {}

    def job(self, name: str, context: dict[str, Any]) -> tuple[str, dict, dict] | None:
        """The render job, or None when the published briefing already shows this context (or,
        with changed_only, the same data under an earlier edition date)."""
        digest = self.digest_of({"context": context, "options": self.fixed, "templates": self.templates})
        data = self.digest_of({"context": data_view(context), "options": self.fixed, "templates": self.templates})
        current = all((self.published / f"{name}.{fmt}").exists() for fmt in self.formats)
        if not self.full and current and self.previous.get(name) == digest:
            self.digests[f"{name}#data"] = data
            return None
        if not self.full and current and self.changed_only and self.previous.get(f"{name}#data") == data:
            return None
        self.digests |= {name: digest, f"{name}#data": data}
        return name, context, {**self.fixed, "digest": digest}

    def manifest(self) -> dict[str, str]:
        return {**self.previous, **self.digests}


def prepare(con: duckdb.DuckDBPyConnection, as_of: date, params: dict[str, Any]
            ) -> tuple[list[tuple[str, dict, dict, dict]], list[str], dict[str, str]]:
    """The render jobs (name, context, charts, options) for briefings that changed, the names
    skipped, and the new manifest."""
    planner = Planner(params)
    jobs, skipped = [], []
    for name, c in iter_contexts(con, as_of, params.get("vendors"), params.get("peers"), params.get("profile")):
        job = planner.job(name, c)
        if job is None:
            skipped.append(name)
        else:
            jobs.append((name, c, chart_svgs(c), job[2]))
    return jobs, skipped, planner.manifest()


def write(con: duckdb.DuckDBPyConnection, staging: Path, as_of: date, results: dict[str, dict[str, bytes]],
          manifest: dict[str, str]) -> list[str]:
    """Write rendered files, the data-quality page and the manifest into `staging`."""
    staging.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []
    for name, files in sorted(results.items()):
        for fmt, body in files.items():
            if fmt == "blocked":
                blocked += json.loads(body)
                continue
            (staging / f"{safe_name(name)}.{fmt}").write_bytes(body)
    (staging / QUALITY_PAGE).write_text(quality_page(con, as_of), encoding="utf-8")
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return blocked


def render(con: duckdb.DuckDBPyConnection, staging: Path, as_of: date, params: dict[str, Any],
           workers: int = 2) -> dict[str, Any]:
    """Render what changed into `staging` (published later by publish_reports). The pool's fork
    server starts with the first briefing that needs rendering and imports WeasyPrint while the
    contexts and charts are built; each briefing goes to a worker once its charts are drawn."""
    planner = Planner(params)
    pool: ProcessPoolExecutor | None = None
    jobs: list[tuple[str, dict, dict]] = []
    skipped: list[str] = []
    results: dict[str, dict[str, bytes]] = {}
    try:
        for name, c in iter_contexts(con, as_of, params.get("vendors"), params.get("peers"), params.get("profile")):
            job = planner.job(name, c)
            if job is None:
                skipped.append(name)
                continue
            jobs.append(job)
            if workers > 1 and pool is None:
                pool = start_pool(workers)
        # Largest context first: the last briefings to finish are then short ones, and neither
        # worker idles long while the other finishes a long one.
        jobs.sort(key=lambda j: (-len(json.dumps(j[1], default=str)), j[0]))
        futures = {}
        for name, c, options in jobs:
            if pool is None:
                results[name] = pdf.render_briefing(c, chart_svgs(c), options)
            else:
                futures[name] = pool.submit(pdf.render_briefing, c, chart_svgs(c), options)
        results |= {name: f.result() for name, f in futures.items()}
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    blocked = write(con, staging, as_of, results, planner.manifest())
    return {"rendered": sorted(results), "skipped": sorted(skipped), "blocked_urls": blocked}
