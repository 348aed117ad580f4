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

from flows.lib.config import load_config
from flows.lib.errors import VendorbriefError
from flows.lib.facts import SLUG
from flows.lib.inputs import hash_tree
from flows.lib.report import context as ctx
from flows.lib.settings import REPORTS_DIR

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


def render_job(name: str, context: dict[str, Any], options: dict[str, Any]) -> dict[str, bytes]:
    """Charts, HTML and PDF for one briefing; runs in a worker process and touches no database."""
    from flows.lib.report import charts, pdf

    if context["kind"] == "vendor":
        flagship = context.get("flagship") or {}
        charts_svg = {
            "workloads": charts.workload_costs(
                [w for w in context["workloads"]], flagship.get("model_name", ""), list(context["profiles"])),
            "valuation": charts.valuation_over_time(context["rounds"]),
        }
        template = "vendor.html"
    else:
        charts_svg = {"prices": charts.flagship_prices(context["vendors"])}
        template = "landscape.html"
    style = (REPORTS_DIR / "assets" / "style.css").read_text(encoding="utf-8")
    out: dict[str, bytes] = {}
    html_common = {**context, "charts": charts_svg, "style": style}
    from flows.lib.report.context import Citer
    digest = options["digest"]
    if "html" in options["formats"]:
        out["html"] = pdf.render_html(template, {**html_common, "for_pdf": False, "cite": Citer(context["sources"])},
                                      options["page_size"]).encode()
    if "pdf" in options["formats"]:
        html = pdf.render_html(template, {**html_common, "for_pdf": True, "cite": Citer(context["sources"])},
                               options["page_size"])
        out["pdf"], blocked = pdf.render_pdf(html, context["as_of"], digest, options["archival"])
        out["blocked"] = json.dumps(blocked).encode()
    return out


def _pool_context():
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    mp = multiprocessing.get_context(method)
    if method == "forkserver":
        mp.set_forkserver_preload(["flows.lib.report.charts", "flows.lib.report.pdf", "weasyprint", "altair"])
    return mp


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers import the renderer while the first contexts are built."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context())
    for _ in range(workers):
        pool.submit(_warm)
    return pool


def _warm() -> None:
    from flows.lib.report import charts, pdf  # noqa: F401 - imports are the point
    import weasyprint  # noqa: F401

    charts._converter()


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
    from flows.lib import quality
    from flows.lib.report import pdf

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
        from flows.lib.report.pdf import context_digest

        self.digest_of = context_digest
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
            ) -> tuple[list[tuple[str, dict, dict]], list[str], dict[str, str]]:
    """The render jobs for briefings that changed, the names skipped, and the new manifest."""
    planner = Planner(params)
    jobs, skipped = [], []
    for name, c in iter_contexts(con, as_of, params.get("vendors"), params.get("peers"), params.get("profile")):
        job = planner.job(name, c)
        jobs.append(job) if job else skipped.append(name)
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
    """Render what changed into `staging` (published later by publish_reports). Each briefing goes
    to a worker as soon as its context is built, so building and rendering overlap; the workers
    start with the first briefing that needs them."""
    planner = Planner(params)
    pool: ProcessPoolExecutor | None = None
    results: dict[str, dict[str, bytes]] = {}
    futures, skipped = {}, []
    try:
        for name, c in iter_contexts(con, as_of, params.get("vendors"), params.get("peers"), params.get("profile")):
            job = planner.job(name, c)
            if job is None:
                skipped.append(name)
            elif workers <= 1:
                results[name] = render_job(*job)
            else:
                pool = pool or start_pool(workers)
                futures[name] = pool.submit(render_job, *job)
        results |= {name: f.result() for name, f in futures.items()}
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    blocked = write(con, staging, as_of, results, planner.manifest())
    return {"rendered": sorted(results), "skipped": sorted(skipped), "blocked_urls": blocked}
