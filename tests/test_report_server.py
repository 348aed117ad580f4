"""The report server (flows/report/server.py): PDFs and HTML of the reports folder over HTTP on
127.0.0.1, read-only, nothing outside the folder; and the edition links the artifacts carry."""

from __future__ import annotations

import http.client
import os
import threading
from datetime import date
from pathlib import Path

import pytest
from flows.report import server

PDF = b"%PDF-1.7\n% a briefing\n%%EOF\n"


@pytest.fixture
def reports(tmp_path):
    """A reports folder as runs leave it, plus things that must never be served; a running server."""
    out = tmp_path / "out"
    (out / "editions" / "2026-11-29").mkdir(parents=True)
    (out / "editions" / "2026-11-22").mkdir(parents=True)
    (out / "latest").mkdir()
    (out / "editions" / "2026-11-29" / "mistral.pdf").write_bytes(PDF)
    (out / "editions" / "2026-11-22" / "openai.pdf").write_bytes(PDF + b"old")
    (out / "editions" / "2026-11-29" / "data-quality.html").write_text("<html>quality</html>")
    (out / "latest" / "mistral.pdf").write_bytes(PDF)
    (out / "latest" / "manifest.json").write_text("{}")
    (out / ".staging-run1").mkdir()
    (out / ".staging-run1" / "mistral.pdf").write_bytes(PDF)
    (out / "latest" / ".mistral.pdf.tmp").write_bytes(PDF)
    (tmp_path / "secret.pdf").write_bytes(b"%PDF secret outside")
    os.symlink(tmp_path / "secret.pdf", out / "latest" / "escape.pdf")
    httpd = server.make_server(out, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {"out": out, "port": httpd.server_port, "tmp": tmp_path}
    httpd.shutdown()
    httpd.server_close()


def _request(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A raw request: the path goes out exactly as written (no client-side normalization of `..`)."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        con.putrequest(method, path, skip_accept_encoding=True)
        con.endheaders()
        response = con.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        con.close()


def test_serves_an_edition_pdf(reports):
    status, headers, body = _request(reports["port"], "/editions/2026-11-29/mistral.pdf")
    assert (status, headers["content-type"], body) == (200, "application/pdf", PDF)
    assert headers["content-disposition"] == 'inline; filename="mistral.pdf"'
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "max-age=86400, immutable"
    status, headers, body = _request(reports["port"], "/latest/mistral.pdf", "HEAD")
    assert (status, headers["content-length"], body, headers["cache-control"]) == (200, str(len(PDF)), b"", "no-cache")


def test_serves_html_with_a_policy_that_allows_no_script(reports):
    status, headers, body = _request(reports["port"], "/editions/2026-11-29/data-quality.html")
    assert (status, body) == (200, b"<html>quality</html>")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["content-security-policy"]


@pytest.mark.parametrize("path", [
    "/../secret.pdf",
    "/latest/../../secret.pdf",
    "/%2e%2e/secret.pdf",
    "/latest/%2e%2e/%2e%2e/secret.pdf",
    "/latest/..%2f..%2fsecret.pdf",
    "/latest/..%5c..%5csecret.pdf",
    "/latest/escape.pdf",                # a symbolic link leading outside the folder
    "/.staging-run1/mistral.pdf",        # a run's unpublished files
    "/latest/.mistral.pdf.tmp",
    "/latest/manifest.json",             # only PDF and HTML
    "/latest/mistral.pdf%00.html",
    "//etc/passwd",
])
def test_refuses_traversal_hidden_and_other_types(reports, path):
    status, _, body = _request(reports["port"], path)
    assert status in (403, 404), (path, status)
    assert b"secret" not in body and b"root:" not in body


def test_missing_files_are_404_and_writes_are_refused(reports):
    assert _request(reports["port"], "/editions/2026-11-29/openai.pdf")[0] == 404
    for method in ("POST", "PUT", "DELETE"):
        assert _request(reports["port"], "/latest/mistral.pdf", method)[0] == 405
    assert (reports["out"] / "latest" / "mistral.pdf").read_bytes() == PDF


def test_index_lists_editions_and_files_only(reports):
    status, _, body = _request(reports["port"], "/")
    assert status == 200
    text = body.decode()
    assert 'href="/editions/"' in text and 'href="/latest/"' in text and ".staging" not in text
    status, headers, _ = _request(reports["port"], "/editions")
    assert (status, headers["location"]) == (301, "/editions/")
    text = _request(reports["port"], "/editions/")[2].decode()
    assert text.index("2026-11-29") < text.index("2026-11-22")  # newest edition first
    text = _request(reports["port"], "/latest/")[2].decode()
    assert 'href="/latest/mistral.pdf"' in text and "manifest.json" not in text and ".mistral.pdf.tmp" not in text


def test_binds_loopback_only(tmp_path):
    httpd = server.make_server(tmp_path / "out", 0)
    try:
        assert httpd.server_address[0] == "127.0.0.1"
    finally:
        httpd.server_close()


def test_edition_file_prefers_the_run_date_then_the_newest_earlier_edition(reports):
    out = reports["out"]
    assert server.edition_file(out, "2026-11-29", "mistral") == out / "editions" / "2026-11-29" / "mistral.pdf"
    # kept unchanged from an earlier edition (changed_only): the edition that holds it
    assert server.edition_file(out, "2026-11-29", "openai") == out / "editions" / "2026-11-22" / "openai.pdf"
    assert server.edition_file(out, "2026-11-21", "openai") is None  # never a later edition
    assert server.edition_file(out, "2026-11-29", "anthropic") is None


def test_file_url_points_into_the_served_folder(reports, monkeypatch):
    out = reports["out"]
    pdf = out / "editions" / "2026-11-29" / "mistral.pdf"
    monkeypatch.delenv(server.URL_ENV, raising=False)
    monkeypatch.delenv(server.ROOT_ENV, raising=False)
    assert server.file_url(pdf, out) == "http://127.0.0.1:4280/editions/2026-11-29/mistral.pdf"
    monkeypatch.setenv(server.URL_ENV, "http://127.0.0.1:5001")
    monkeypatch.setenv(server.ROOT_ENV, str(out.parent))
    assert server.file_url(pdf, out) == "http://127.0.0.1:5001/out/editions/2026-11-29/mistral.pdf"
    monkeypatch.setenv(server.ROOT_ENV, str(reports["tmp"] / "elsewhere"))
    assert server.file_url(pdf, out) is None


def test_the_links_of_a_run_return_its_pdfs(reports, monkeypatch):
    """The links the run summary and the link artifacts carry (pipeline.briefing_links), followed."""
    from flows.orchestration.pipeline import briefing_links
    from flows.run import RunSummary

    monkeypatch.setenv(server.URL_ENV, f"http://127.0.0.1:{reports['port']}")
    monkeypatch.setenv(server.ROOT_ENV, str(reports["out"]))
    summary = RunSummary(run_id="r1", as_of=date(2026, 11, 29), warehouse=Path("w.duckdb"), rendered=["mistral"],
                         render_skipped=["openai"])
    links = briefing_links(summary, reports["out"])
    assert [(r["name"], r["edition"], r["rendered"], r["html_url"]) for r in links] == [
        ("mistral", "2026-11-29", True, None), ("openai", "2026-11-22", False, None)]
    for r, body in zip(links, (PDF, PDF + b"old"), strict=True):
        path = r["pdf_url"].removeprefix(f"http://127.0.0.1:{reports['port']}")
        assert path == f"/editions/{r['edition']}/{r['name']}.pdf"
        status, headers, got = _request(reports["port"], path)
        assert (status, headers["content-type"], got) == (200, "application/pdf", body)
