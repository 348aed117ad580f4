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
import re
import shutil
import tempfile
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup, escape

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


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# A model name's words of up to NOBREAK_MAX characters never break inside (at a hyphen:
# "gpt-oss-120b"); any printed word longer than LONG_WORD characters may break anywhere, so that no
# string pushes a table off the page (field limits allow 2,000 characters).
NOBREAK_MAX = 20
LONG_WORD = 40
KEEP_ROWS = 12  # tables up to this many rows are kept on one page; longer ones split, header repeated


def superscript(n: int | None) -> str:
    """A footnote number in superscript digits (17 -> "¹⁷"): the text layer then reads "783¹",
    never "7831"."""
    return "" if n is None else str(n).translate(SUPERSCRIPT)


def nobreak(text: str | None) -> Markup:
    """A name that wraps only at its spaces: each word of up to NOBREAK_MAX characters is kept whole
    (HTML-escaped, in a `span.nobr`); longer words break as usual (at hyphens), words longer than
    LONG_WORD characters anywhere (`span.lw`, style.css)."""
    if text is None:
        return Markup("")
    text = _escape_forbidden(str(text))
    return Markup(" ").join(Markup('<span class="nobr">%s</span>') % w if 0 < len(w) <= NOBREAK_MAX else _long_words(w)
                            for w in text.split(" "))


def keep(rows: Any) -> str:
    """The class of a table of `rows` (a list or a row count): "keep" (never split) when short,
    "split" when longer than KEEP_ROWS rows, which starts under its heading and continues on the
    next pages with its header repeated."""
    n = rows if isinstance(rows, int) else len(rows)
    return "keep" if n <= KEEP_ROWS else "split"


def _escape_forbidden(value: Any) -> Any:
    """Control, bidi and invisible characters (the set the fact loaders refuse) as visible escapes
    ("\\u202e")."""
    from flows.sources.facts import FORBIDDEN_CHARS

    if isinstance(value, str) and not isinstance(value, Markup):
        return FORBIDDEN_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    return value


LONG_WORDS = re.compile(r"\S{%d,}" % (LONG_WORD + 1))
# Longer than any real name, URL or identifier in the facts: broken into chunks of this size.
HUGE_WORD, HUGE_WORD_CHUNK = 400, 50


def _long_words(text: str) -> Markup:
    """`text` HTML-escaped, each word longer than LONG_WORD characters in a `span.lw`, which may
    break anywhere, after a `<wbr>` (WeasyPrint finds no break between a "(" before an inline box
    and the box; single quotes: harmless should it ever land in a double-quoted attribute)."""
    out, end = [], 0
    for m in LONG_WORDS.finditer(text):
        word = m.group()
        if len(word) > HUGE_WORD:
            # Breaking "anywhere" costs WeasyPrint time that grows with the square of a word's length
            # (minutes for the 2,000-character field limit): a very long word gets a break
            # opportunity every HUGE_WORD_CHUNK characters (U+200B in the text layer there).
            word = Markup("<wbr>").join(escape(word[i:i + HUGE_WORD_CHUNK])
                                        for i in range(0, len(word), HUGE_WORD_CHUNK))
        out += [escape(text[end:m.start()]), Markup("<wbr><span class='lw'>%s</span>") % word]
        end = m.end()
    return Markup("").join([*out, escape(text[end:])])


def finalize(value: Any) -> Any:
    """Jinja `finalize`, applied to every printed value whatever road a text took to the template:
    refused characters shown escaped ("\\u202e", never a reordered line), and words longer than
    LONG_WORD characters breakable anywhere, so that no text pushes a table off the page."""
    value = _escape_forbidden(value)
    if isinstance(value, str) and not isinstance(value, Markup) and LONG_WORDS.search(value):
        return _long_words(value)
    return value


def _edition(ctx: Any) -> tuple[str, float]:
    """The edition's currency code and units of it per USD, from the template's `currency`
    (flows/report/model.py EditionCurrency); USD at 1 when the page has none."""
    currency = ctx.get("currency") or {}
    return currency.get("code", "USD"), currency.get("per_usd", 1.0)


@jinja2.pass_context
def _edition_money(ctx: Any, value: float | None, digits: int = 2) -> str:
    """A USD amount in the edition's currency, at its cited rate: $13.80B, or €12.35B."""
    code, per_usd = _edition(ctx)
    return fmt.money(None if value is None else value * per_usd, code, digits)


@jinja2.pass_context
def _edition_price(ctx: Any, value: float | None) -> str:
    """A USD list price (per million tokens) in the edition's currency, at its cited rate."""
    code, per_usd = _edition(ctx)
    return fmt.unit_price(None if value is None else value * per_usd, code)


@cache  # compiled templates are kept; the loader still reloads a template whose file changed
def environment() -> jinja2.Environment:
    """The Jinja2 environment of reports/templates: autoescaping everywhere, undefined names
    raise, formatting filters from flows/formatting.py, refused characters shown escaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # everything, whatever the template's extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
        finalize=finalize,
    )
    # Formatting filters only: every figure is formatted by flows/formatting.py. `usd` and `price`
    # print a USD figure in the edition's currency (the context's `currency`: code and cited rate);
    # `usd_stated` prints it in USD whatever the edition (a source's own USD figure).
    env.filters.update(usd=_edition_money, price=_edition_price, usd_stated=fmt.usd, age=fmt.age,
                       symbol=fmt.currency_symbol, pct=fmt.pct, num=fmt.num, ratio=fmt.ratio, fdate=fmt.fdate,
                       times=fmt.times, scaled=fmt.scaled, multiple_range=fmt.multiple_range, rate=fmt.rate,
                       superscript=superscript, nobreak=nobreak)
    env.filters.update(points=fmt.points, rank_range=fmt.rank_range, ordinal=fmt.ordinal)
    env.globals.update(keep=keep)
    return env


def render_html(template: str, context: dict[str, Any], page_size: str = "A4") -> str:
    """Standalone HTML: the stylesheet and fonts are referenced from reports/assets."""
    env = environment()
    return env.get_template(template).render(**context, page_size=page_size, assets=ASSETS_DIR.as_uri())


def context_digest(context: dict[str, Any]) -> str:
    """SHA-256 (hex) of a JSON-form context: the same for the same data, whatever the key order."""
    return hashlib.sha256(json.dumps(context, sort_keys=True, default=str).encode()).hexdigest()


def render_pdf(html: str, as_of: str, digest: str, archival: bool = False) -> tuple[bytes, list[str]]:
    """PDF bytes, byte-identical for the same HTML and as-of date; returns the URLs it refused.

    WeasyPrint copies each @font-face font into a `weasyprint-*` folder of the temporary directory
    and removes it only when its font configuration is garbage-collected (often never, in a worker
    or at exit): the configuration is made here and its folder removed before returning."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    # fontTools stamps the current time into font subsets unless SOURCE_DATE_EPOCH is set.
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(date.fromisoformat(as_of), datetime.min.time(), UTC).timestamp()))
    fetcher = _fetcher_class()()
    font_config = FontConfiguration()
    try:
        document = weasyprint.HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=fetcher)
        pdf = document.write_pdf(
            pdf_identifier=digest[:32].encode(),
            pdf_variant="pdf/a-3b" if archival else None,
            uncompressed_pdf=False,
            font_config=font_config,
        )
    finally:
        folder = getattr(font_config, "_folder", None)  # WeasyPrint 70's (private) font folder
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            font_config._folder = None
    return pdf, fetcher.blocked


def briefing_html(context: dict[str, Any], charts: dict[str, str | None], for_pdf: bool, page_size: str = "A4") -> str:
    """One briefing's HTML: the screen version, or the one WeasyPrint lays out (`for_pdf`)."""
    template = "vendor.html" if context["kind"] == "vendor" else "landscape.html"
    return render_html(template, {**context, "charts": charts, "style": (ASSETS_DIR / "style.css").read_text(encoding="utf-8"),
                                  "for_pdf": for_pdf, "cite": Citer(context["sources"])}, page_size)


def render_briefing(context: dict[str, Any], charts: dict[str, str | None], options: dict[str, Any]) -> dict[str, bytes]:
    """HTML and PDF for one briefing from plain data: what a render worker runs. This module
    imports neither DuckDB nor Polars, so workers start quickly. With `options["tmp_dir"]` (a folder
    of the run's own), every temporary file of this process goes there."""
    previous = tempfile.tempdir
    if options.get("tmp_dir"):
        tempfile.tempdir = options["tmp_dir"]
    try:
        out: dict[str, bytes] = {}
        if "html" in options["formats"]:
            out["html"] = briefing_html(context, charts, False, options["page_size"]).encode()
        if "pdf" in options["formats"]:
            html = briefing_html(context, charts, True, options["page_size"])
            out["pdf"], blocked = render_pdf(html, context["as_of"], options["digest"], options["archival"])
            out["blocked"] = json.dumps(blocked).encode()
        return out
    finally:
        tempfile.tempdir = previous
