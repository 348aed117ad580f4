"""The render stage: the report views (sql/report/) first, then a typed context per briefing
(flows/report/context.py), then HTML and PDF per vendor and for the landscape, in parallel
processes. A briefing whose context, templates and options are unchanged since the published one
is not rendered again. Contexts travel as `model_dump(mode="json")`: plain JSON, hashed to decide."""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from flows.config import load_config
from flows.errors import VendorbriefError
from flows.report import context as ctx
from flows.report import fonts
from flows.report import typeset as pdf
from flows.report.charts import chart_svgs
from flows.report.inputs import create_views, read, read_edition_rate, read_inputs
from flows.report.model import LandscapeContext, QualityPage, QualityResult, QualitySummary, QuarantinedRow, SuiteLine, VendorContext
from flows.settings import REPORTS_DIR
from flows.sources.facts import SLUG
from flows.sources.fingerprints import hash_tree

MANIFEST = "manifest.json"
LANDSCAPE = "landscape"
QUALITY_PAGE = "data-quality.html"
TMP = ".tmp"  # the render's temporary folder inside the staging folder, removed before writing
# Parts of a context that follow the edition date rather than the data: a run with `changed_only`
# keeps a published briefing when nothing else in its context moved.
DATE_BOUND = {"as_of", "freshness", "quality", "previous_edition", "changes", "sources", "price_change"}
REF_KEY = re.compile(r"(^|_)ref\d*$")


def data_view(value: Any) -> Any:
    """The context without its date-bound parts and citation keys (which embed as-of dates)."""
    if isinstance(value, dict):
        return {k: data_view(v) for k, v in value.items() if k not in DATE_BOUND and not REF_KEY.search(k)}
    if isinstance(value, list):
        return [data_view(v) for v in value]
    return value


def safe_name(name: str) -> str:
    """The name itself when it is a plain identifier (file names come from vendor ids: only slugs,
    never a path); raises VendorbriefError otherwise."""
    if not re.fullmatch(SLUG, name) or name in (".", ".."):
        raise VendorbriefError(f"refusing to write a briefing named {name[:80]!r}: not a plain identifier")
    return name


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


def job_size(context: dict[str, Any]) -> int:
    """A briefing's size for ordering renders, longest first: the characters of its context as
    JSON (pages grow with the models, rounds and notes it holds)."""
    return len(json.dumps(context, default=str))


def templates_hash() -> str:
    """What a briefing's look depends on besides its context: templates, assets, and the code
    that formats figures and draws charts."""
    return hash_tree(REPORTS_DIR / "templates", REPORTS_DIR / "assets", Path(__file__).parent)


def briefing_contexts(con: duckdb.DuckDBPyConnection, as_of: date, vendors: list[str] | None, peers: list[str] | None,
                      profile: str | None, currency: str | None = None
                      ) -> Iterator[tuple[str, VendorContext | LandscapeContext]]:
    """(file name, typed context) of each briefing to consider: every vendor of marts.vendors in id
    order (only `vendors` when given), then the landscape (only when all vendors are). Creates the report views first (build
    step `report`), reads them once, then builds one context at a time (rendering starts meanwhile).
    as_of is the run's edition date; peers and profile as in `context.vendor_context`; currency the
    ISO code the money is printed in (default USD), at its rate of the edition date or the latest
    one before it (sql/reads/edition_rate.sql)."""
    create_views(con)
    data = read_inputs(con)
    config = load_config()
    code = currency or "USD"
    edition = ctx.edition_currency(code, None if code == "USD" else read_edition_rate(con, code, as_of), as_of, config)
    for v in data.vendor_ids:
        if not vendors or v in vendors:
            yield safe_name(v), ctx.vendor_context(data, v, as_of, peers, profile, config, edition)
    if not vendors:  # a run for some vendors renders only theirs: a single-vendor run in seconds
        yield LANDSCAPE, ctx.landscape_context(data, as_of, config, edition)


def iter_contexts(con: duckdb.DuckDBPyConnection, as_of: date, vendors: list[str] | None, peers: list[str] | None,
                  profile: str | None, currency: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """`briefing_contexts` in transport form: each context as `model_dump(mode="json")`."""
    for name, context in briefing_contexts(con, as_of, vendors, peers, profile, currency):
        yield name, context.model_dump(mode="json")


def contexts(con: duckdb.DuckDBPyConnection, as_of: date, vendors: list[str] | None, peers: list[str] | None,
             profile: str | None, currency: str | None = None) -> dict[str, dict[str, Any]]:
    """Every briefing's context in transport form, by file name (see `iter_contexts`)."""
    return dict(iter_contexts(con, as_of, vendors, peers, profile, currency))


def quality_page_context(run_id: str, as_of: date, results: list[dict[str, Any]],
                         quarantined: list[dict[str, Any]]) -> QualityPage:
    """The data-quality page of a set of results: `results` are expectation results (rows of
    history.dq_results: suite, expectation, severity, success, observed_value, unexpected_count,
    unexpected_sample, description), `quarantined` rows of history.dq_quarantine; both as the
    validation produced them (flows/quality/suites.py) or as the warehouse stored them."""
    from flows.quality import suites as quality

    def failing(severity: str) -> list[QualityResult]:
        return [QualityResult(suite=r["suite"], expectation=r["expectation"], description=r["description"],
                              unexpected_count=r["unexpected_count"],
                              example=(r["unexpected_sample"] or r["observed_value"] or "")[:400])
                for r in results if r["severity"] == severity and not r["success"]]

    suites = []
    for s in quality.load_suites():
        mine = [r for r in results if r["suite"] == s.name]
        suites.append(SuiteLine(name=s.name, policy_note=s.policy_note, count=len(mine),
                                failed=sum(not r["success"] for r in mine)))
    return QualityPage(
        run_id=run_id, as_of=as_of, summary=QualitySummary(**quality.Outcome(results=results, quarantined=quarantined).summary()),
        errors=failing("error"), warnings=failing("warning"),
        quarantined=[QuarantinedRow(source_table=q["source_table"], record_key=q["record_key"], field=q["field"],
                                    reason=q["reason"]) for q in quarantined],
        suites=suites)


def quality_page_html(run_id: str, as_of: date, results: list[dict[str, Any]], quarantined: list[dict[str, Any]]) -> str:
    """The readable data-quality report (standalone HTML; GX Data Docs need CDNs): the page of the
    render stage and of `vendorbrief validate`. Arguments as in `quality_page_context`."""
    page = quality_page_context(run_id, as_of, results, quarantined)
    style = (REPORTS_DIR / "assets" / "style.css").read_text(encoding="utf-8")
    return pdf.render_html("data_quality.html", {**page.model_dump(mode="json"), "style": style, "for_pdf": False}, "A4")


def quality_page(con: duckdb.DuckDBPyConnection, as_of: date) -> str:
    """This run's data-quality page, from report.run_quality and report.run_quarantine."""
    create_views(con)
    run_id = read(con, "report.run")[0]["run_id"]
    return quality_page_html(run_id, as_of, read(con, "report.run_quality"), read(con, "report.run_quarantine"))


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
        """The published manifest updated with this run's digests (briefing name -> digest)."""
        return {**self.previous, **self.digests}


def iter_jobs(con: duckdb.DuckDBPyConnection, as_of: date, params: dict[str, Any], planner: Planner,
              skipped: list[str]) -> Iterator[tuple[str, dict, dict]]:
    """The render jobs (name, context, options), each as soon as its context is built, so that a
    caller can send it to a worker while the next is built; the names of the briefings left as
    published are appended to `skipped`. Raises VendorbriefError when a context holds a character
    no bundled font draws."""
    for name, c in iter_contexts(con, as_of, params.get("vendors"), params.get("peers"), params.get("profile"),
                                 params.get("currency")):
        job = planner.job(name, c)
        if job is None:
            skipped.append(name)
            continue
        fonts.check_context(name, c)  # a character no bundled font has would print as nothing
        yield name, c, job[2]


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
    server starts with the second briefing that needs rendering (a lone briefing renders in this
    process) and imports WeasyPrint while the contexts and charts are built; each briefing goes
    to a worker once its charts are drawn."""
    planner = Planner(params)
    pool: ProcessPoolExecutor | None = None
    jobs: list[tuple[str, dict, dict]] = []
    skipped: list[str] = []
    results: dict[str, dict[str, bytes]] = {}
    # The render's own temporary folder, inside the run's output folder: WeasyPrint's font copies
    # and any other temporary file of the workers go there, never to the system's temp directory.
    tmp = staging / TMP
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        for job in iter_jobs(con, as_of, params, planner, skipped):
            jobs.append(job)
            if workers > 1 and pool is None and len(jobs) > 1:  # a single briefing renders here
                pool = start_pool(workers)
        # Largest context first: the last briefings to finish are then short ones, and neither
        # worker idles long while the other finishes a long one.
        jobs.sort(key=lambda j: (-job_size(j[1]), j[0]))
        futures = {}
        for name, c, options in jobs:
            options = {**options, "tmp_dir": str(tmp)}
            if pool is None:
                results[name] = pdf.render_briefing(c, chart_svgs(c), options)
            else:
                futures[name] = pool.submit(pdf.render_briefing, c, chart_svgs(c), options)
        results |= {name: f.result() for name, f in futures.items()}
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        shutil.rmtree(tmp, ignore_errors=True)
    blocked = write(con, staging, as_of, results, planner.manifest())
    return {"rendered": sorted(results), "skipped": sorted(skipped), "blocked_urls": blocked}
