"""HTML and PDF rendering: Jinja2 with autoescaping, WeasyPrint with a fetcher that only
serves the report's own assets.

WeasyPrint's default fetcher reads any local file and any URL (an `<img src=file:///etc/passwd>`
in fact text would be embedded in the PDF). `AssetsOnlyFetcher` resolves every URL and refuses
anything that is not a file under reports/assets/ or a `data:` URL.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from flows import formatting as fmt
from flows.settings import REPORTS_DIR

ASSETS_DIR = (REPORTS_DIR / "assets").resolve()
TEMPLATES_DIR = REPORTS_DIR / "templates"


class BlockedURL(ValueError):
    """A URL outside the report's own assets."""


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetsOnlyFetcher(URLFetcher):
        def __init__(self, assets_dir: Path = ASSETS_DIR):
            super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
            self.assets_dir = assets_dir.resolve()
            self.blocked: list[str] = []

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(self.assets_dir) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})
            self.blocked.append(url[:200])
            raise BlockedURL(f"blocked: {url[:200]}")

    return AssetsOnlyFetcher


class Citer:
    """Numbers citation keys in the order a template first prints them."""

    def __init__(self, sources: dict[str, dict[str, Any]]):
        self.sources, self.order = sources, {}

    def __call__(self, key: str | None) -> int | None:
        if not key or key not in self.sources:
            return None
        return self.order.setdefault(key, len(self.order) + 1)

    def listed(self) -> list[dict[str, Any]]:
        return [self.sources[k] | {"n": n} for k, n in sorted(self.order.items(), key=lambda kv: kv[1])]


@cache  # compiled templates are kept; the loader still reloads a template whose file changed
def environment() -> jinja2.Environment:
    """The Jinja2 environment of reports/templates: autoescaping everywhere, undefined names
    raise, formatting filters from flows/formatting.py."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # everything, whatever the template's extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    # Formatting filters only: every figure is formatted by flows/formatting.py.
    env.filters.update(usd=fmt.usd, price=fmt.price, pct=fmt.pct, num=fmt.num, ratio=fmt.ratio, fdate=fmt.fdate,
                       times=fmt.times, scaled=fmt.scaled, multiple_range=fmt.multiple_range, rate=fmt.rate)
    return env


def render_html(template: str, context: dict[str, Any], page_size: str = "A4") -> str:
    """Standalone HTML: the stylesheet and fonts are referenced from reports/assets."""
    env = environment()
    return env.get_template(template).render(**context, page_size=page_size, assets=ASSETS_DIR.as_uri())


def context_digest(context: dict[str, Any]) -> str:
    """SHA-256 (hex) of a JSON-form context: the same for the same data, whatever the key order."""
    return hashlib.sha256(json.dumps(context, sort_keys=True, default=str).encode()).hexdigest()


def render_pdf(html: str, as_of: str, digest: str, archival: bool = False) -> tuple[bytes, list[str]]:
    """PDF bytes, byte-identical for the same HTML and as-of date; returns the URLs it refused."""
    import weasyprint

    # fontTools stamps the current time into font subsets unless SOURCE_DATE_EPOCH is set.
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(date.fromisoformat(as_of), datetime.min.time(), UTC).timestamp()))
    fetcher = _fetcher_class()()
    document = weasyprint.HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=fetcher)
    pdf = document.write_pdf(
        pdf_identifier=digest[:32].encode(),
        pdf_variant="pdf/a-3b" if archival else None,
        uncompressed_pdf=False,
    )
    return pdf, fetcher.blocked


def briefing_html(context: dict[str, Any], charts: dict[str, str | None], for_pdf: bool, page_size: str = "A4") -> str:
    """One briefing's HTML: the screen version, or the one WeasyPrint lays out (`for_pdf`)."""
    template = "vendor.html" if context["kind"] == "vendor" else "landscape.html"
    return render_html(template, {**context, "charts": charts, "style": (ASSETS_DIR / "style.css").read_text(encoding="utf-8"),
                                  "for_pdf": for_pdf, "cite": Citer(context["sources"])}, page_size)


def render_briefing(context: dict[str, Any], charts: dict[str, str | None], options: dict[str, Any]) -> dict[str, bytes]:
    """HTML and PDF for one briefing from plain data: what a render worker runs. This module
    imports neither DuckDB nor Polars, so workers start quickly."""
    out: dict[str, bytes] = {}
    if "html" in options["formats"]:
        out["html"] = briefing_html(context, charts, False, options["page_size"]).encode()
    if "pdf" in options["formats"]:
        html = briefing_html(context, charts, True, options["page_size"])
        out["pdf"], blocked = render_pdf(html, context["as_of"], options["digest"], options["archival"])
        out["blocked"] = json.dumps(blocked).encode()
    return out
