"""The report server: the published briefings over HTTP on 127.0.0.1, so that the links of the
Prefect UI's artifacts open them (a browser refuses `file:` links from an http page).

Read-only and narrow: GET and HEAD only; only `.pdf` and `.html` files under the reports folder
(`--out`), plus a generated index of the folders; no hidden names (`.staging-*`, `.*.tmp`), no
`..`, no symbolic link leading outside the folder. Everything else answers 403, 404 or 405.

Artifacts link to the immutable edition path `editions/<as-of>/<name>.pdf`: a later run replaces
`latest/` but never an edition's file, so an old run's link opens the edition of that run.
"""

from __future__ import annotations

import html
import os
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

HOST = "127.0.0.1"
DEFAULT_PORT = 4280
# Set by `vendorbrief serve` for the flow runs it starts: the server's base URL and its folder.
URL_ENV, ROOT_ENV = "VENDORBRIEF_REPORTS_URL", "VENDORBRIEF_REPORTS_ROOT"
TYPES = {".pdf": "application/pdf", ".html": "text/html; charset=utf-8"}
# A briefing's HTML is our own template output, but fact text is printed in it: no scripts, no
# requests to anywhere but this server.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox"


def base_url(port: int = DEFAULT_PORT) -> str:
    """The server's address on this machine."""
    return f"http://{HOST}:{port}"


def edition_file(out_dir: Path, as_of: str, name: str, fmt: str = "pdf") -> Path | None:
    """The published file of briefing `name` for the edition `as_of`: editions/<as_of>/<name>.<fmt>,
    or, for a briefing kept unchanged from an earlier edition (`changed_only`), the newest edition
    not after `as_of` that holds it; None when no edition holds it."""
    folder = out_dir / "editions"
    exact = folder / as_of / f"{name}.{fmt}"
    if exact.is_file():
        return exact
    older = sorted((p for p in folder.glob(f"*/{name}.{fmt}") if p.parent.name <= as_of), key=lambda p: p.parent.name)
    return older[-1] if older else None


def file_url(path: Path, out_dir: Path) -> str | None:
    """The URL of a published file `path` of the reports folder `out_dir`, on the report server that
    serves it: the one `vendorbrief serve` started (its folder must hold `path`), else one serving
    `out_dir` on the default port (`vendorbrief reports --out <out_dir>`). None when the running
    server serves another folder."""
    root = Path(os.environ.get(ROOT_ENV) or out_dir).resolve()
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        return None
    return f"{os.environ.get(URL_ENV) or base_url()}/{quote(relative.as_posix())}"


class _Refused(Exception):
    def __init__(self, status: HTTPStatus, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def resolve(root: Path, url_path: str) -> Path:
    """The file or folder of `root` that `url_path` names; raises _Refused (403/404) for anything
    outside the folder, hidden, or of another type than PDF or HTML."""
    path = unquote(urlsplit(url_path).path)
    if "\0" in path or "\\" in path:
        raise _Refused(HTTPStatus.FORBIDDEN, "refused: unusual characters in the path")
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or p.startswith(".") for p in parts):
        raise _Refused(HTTPStatus.FORBIDDEN, "refused: relative or hidden path")
    target = root.joinpath(*parts)
    real = Path(os.path.realpath(target))
    if real != root and not real.is_relative_to(root):
        raise _Refused(HTTPStatus.FORBIDDEN, "refused: outside the reports folder")
    if real.is_dir():
        return real
    if real.suffix.lower() not in TYPES:
        raise _Refused(HTTPStatus.FORBIDDEN, "refused: only PDF and HTML files are served")
    if not real.is_file():
        raise _Refused(HTTPStatus.NOT_FOUND, "no such file")
    return real


def listing(root: Path, folder: Path) -> str:
    """An index page of `folder`: its subfolders (newest edition first) and its PDF and HTML files."""
    rel = folder.relative_to(root).as_posix()
    prefix = "" if rel == "." else rel + "/"
    entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: p.name,
                     reverse=folder.name == "editions")
    items = []
    if prefix:
        parent = str(Path(prefix).parent.as_posix())
        items.append(f'<li><a href="/{"" if parent == "." else quote(parent) + "/"}">..</a></li>')
    for p in entries:
        if p.is_dir():
            items.append(f'<li><a href="/{quote(prefix + p.name)}/">{html.escape(p.name)}/</a></li>')
        elif p.suffix.lower() in TYPES and p.is_file():
            items.append(f'<li><a href="/{quote(prefix + p.name)}">{html.escape(p.name)}</a></li>')
    title = html.escape(f"vendorbrief reports: /{prefix}")
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head>"
            f"<body><h1>{title}</h1><ul>{''.join(items)}</ul></body></html>")


class ReportHandler(BaseHTTPRequestHandler):
    """GET and HEAD of the reports folder `root` (set by `make_server`)."""

    root: Path
    server_version = "vendorbrief-reports"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def _read_only(self) -> None:
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, "read-only: GET and HEAD only")

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _read_only  # noqa: N815

    def _answer(self, body: bool) -> None:
        try:
            target = resolve(self.root, self.path)
        except _Refused as exc:
            self.send_error(exc.status, exc.reason)
            return
        if target.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", urlsplit(self.path).path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = listing(self.root, target).encode()
            kind, cache, name = TYPES[".html"], "no-cache", None
        else:
            data = target.read_bytes()
            kind, name = TYPES[target.suffix.lower()], target.name
            # An edition's file never changes; latest/ does.
            cache = "max-age=86400, immutable" if "editions" in target.relative_to(self.root).parts else "no-cache"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        if kind.startswith("text/html"):
            self.send_header("Content-Security-Policy", HTML_POLICY)
        if name:
            self.send_header("Content-Disposition", f'inline; filename="{name}"')
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # quiet: the Prefect server and the runs log what matters


def make_server(out_dir: Path, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """A report server for `out_dir` bound to 127.0.0.1:`port` (0: any free port), not started."""
    out_dir.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (ReportHandler,), {"root": Path(os.path.realpath(out_dir))})
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    return server


def start_in_thread(out_dir: Path, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """The report server, answering in a daemon thread; sets the environment the flow runs of this
    process read (URL_ENV, ROOT_ENV) so their artifacts link to it."""
    server = make_server(out_dir, port)
    threading.Thread(target=server.serve_forever, name="report-server", daemon=True).start()
    os.environ[URL_ENV] = base_url(server.server_port)
    os.environ[ROOT_ENV] = str(out_dir.resolve())
    return server
