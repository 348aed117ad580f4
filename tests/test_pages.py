"""Clean pages and rendering under odd inputs (temporary folders, long
unbroken text, control characters): the number format, footnote markers in the text layer, fonts
that draw every character without system fonts, long tables under their headings."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from flows import formatting as fmt
from flows.errors import VendorbriefError
from flows.report import charts, fonts, stage
from flows.report import typeset as pdf
from flows.settings import ROOT
from pypdf import PdfReader

from .conftest import FIXTURE_AS_OF, FIXTURE_SOURCES
from .harness import assert_refused, invoke

PAGES = Path(__file__).parent / "data" / "pages"
NAN, INF = float("nan"), float("inf")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


# --- one number format --------------------------------------------------------------------------

def test_money_follows_one_policy_on_edge_values():
    values = [0, -0.0, 1e-7, 0.42, 8312.5, 999_999.5, 113e6, 999.4e6, 999.5e6, 1e9, 2e9, 13.8e9, 99.994e9,
              99.996e9, 852e9, 999.6e9, 1.2e12, -118e6, -999.5e6, None, NAN, INF, -INF]
    assert [fmt.usd(v) for v in values] == [
        "$0", "$0", "<$0.01", "$0.42", "$8,313", "$1M", "$113M", "$999M", "$1.00B", "$1.00B", "$2.00B", "$13.80B",
        "$99.99B", "$100B", "$852B", "$1.00T", "$1.20T", "-$118M", "-$1.00B", "–", "–", "–", "–"]
    assert [fmt.usd(v, 3) for v in (3.168e9, 852e9)] == ["$3.168B", "$852.0B"]
    assert not any("e-" in fmt.usd(v) or "e+" in fmt.usd(v) or ",000M" in fmt.usd(v) for v in values)


def test_prices_ratios_and_shares_follow_one_policy_on_edge_values():
    assert [fmt.price(v) for v in (0.125, 8.125, 0.2288, 0.4, 2, 0.015, 0, 0.0375, 0.004, 0.0004, 1e-7, -0.4,
                                   1234.5, None, NAN, INF)] == [
        "$0.125", "$8.125", "$0.23", "$0.40", "$2.00", "$0.015", "$0.00", "$0.04", "$0.004", "<$0.001", "<$0.001",
        "-$0.40", "$1,234.50", "–", "–", "–"]
    assert [fmt.ratio(v) for v in (0.2, 0.16, 1 / 6, 1 / 3, 0.004, 1e-7, 0, 1, 1.85, 1250, -0.5, None, NAN, INF)] == [
        "0.20 (1/5)", "0.16 (1/6.25)", "0.17 (1/6)", "0.33 (1/3)", "0.004 (1/250)", "0.0000001 (1/10,000,000)",
        "0.00", "1.00x", "1.85x", "1,250.00x", "-0.50", "–", "–", "–"]
    assert [fmt.pct(v) for v in (0.2, -1e-9, 12.5, None, NAN)] == ["20%", "0%", "1,250%", "–", "–"]
    assert [fmt.num(v) for v in (1_048_576, 2.5, -0.4, 1e-7, 1e20, None, NAN)] == [
        "1,048,576", "3", "0", "0", "100,000,000,000,000,000,000", "–", "–"]
    assert [fmt.rate(v) for v in (1.0465, 1e-7, None)] == ["1.0465", "0.0000001", "–"]
    assert [fmt.params_b(v) for v in (7, 0.5, 123.0, 1e-7)] == ["7B", "0.5B", "123B", "0.0000001B"]
    assert [fmt.times(v) for v in (2.5, None, NAN)] == ["2.5x", "–", "–"]
    assert fmt.usd_record(12_500) == "$12,500" and fmt.plain(1e16, 6) == "10000000000000000.0"


# --- what templates print -----------------------------------------------------------------------

def test_refused_characters_print_as_visible_escapes():
    env = pdf.environment()
    html = env.from_string("<p>{{ investor }}</p><p>{{ model | nobreak }}</p><p>{{ names | join(', ') }}</p>").render(
        investor="Fund \u202eenO", model="\u2067abc", names=["a\u200bb", "nul\x00"])
    assert html == "<p>Fund \\u202eenO</p><p><span class=\"nobr\">\\u2067abc</span></p><p>a\\u200bb, nul\\u0000</p>"
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b\x00]", html)


def test_model_names_keep_their_words_and_long_words_break_anywhere():
    assert str(pdf.nobreak("gpt-oss-120b <b>")) == '<span class="nobr">gpt-oss-120b</span> <span class="nobr">&lt;b&gt;</span>'
    long = "x" * 45
    assert str(pdf.finalize(f"see {long}.")) == f"see <wbr><span class='lw'>{long}.</span>"
    assert pdf.finalize("short words only") == "short words only"
    assert [pdf.keep(12), pdf.keep(list(range(13)))] == ["keep", "split"]


def test_footnote_markers_stay_apart_from_figures_in_the_text_layer(tmp_path):
    """"783¹" copies as "783¹", never "7831": markers are superscript digits, not raised digits."""
    env = pdf.environment()
    body = env.from_string('{% from "macros.html" import fn with context %}<p>Headcount 783{{ fn("a") }} and '
                           '$13.80B{{ fn("b") }}</p>').render(
        cite=pdf.Citer({"a": {"title": "A"}, "b": {"title": "B"}}))
    style = (pdf.ASSETS_DIR / "style.css").read_text()
    html = f'<html><head><link rel="stylesheet" href="fonts.css"><style>{style}</style></head><body>{body}</body></html>'
    path = tmp_path / "fn.pdf"
    path.write_bytes(pdf.render_pdf(html, "2026-11-29", "0" * 32)[0])
    for text in (PdfReader(str(path)).pages[0].extract_text(), _pdftotext(path)):
        assert "783¹" in text and "$13.80B²" in text
        assert "7831" not in text and "13.80B2" not in text


# --- temporary folders --------------------------------------------------------------------------

def test_render_pdf_leaves_no_weasyprint_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    html = '<html><head><link rel="stylesheet" href="fonts.css"></head><body style="font-family: \'VB Sans\'">x 示例</body></html>'
    pdf.render_pdf(html, "2026-11-29", "0" * 32)
    assert list(tmp_path.iterdir()) == []


# --- layout under long unbroken text -------------------------------------------------

@pytest.fixture(scope="module")
def fixture_contexts(fixture_run, tmp_path_factory) -> dict:
    """The fixture briefings' contexts (JSON form), from a copy of the session warehouse."""
    path = tmp_path_factory.mktemp("pages") / "warehouse.duckdb"
    shutil.copyfile(fixture_run["warehouse"], path)
    with duckdb.connect(str(path)) as con:
        return stage.contexts(con, FIXTURE_AS_OF, None, None, None)


def _overflowing_boxes(html: str) -> tuple[int, list]:
    """(pages, boxes whose right margin edge lies beyond the page's content box, + 0.5 pt)."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=pdf.ASSETS_DIR.as_uri() + "/",
                               url_fetcher=pdf._fetcher_class()()).render()
    out = []
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        right = box.content_box_x() + box.width
        for child in box.children[0].descendants():  # the root element's boxes (not the margin boxes)
            if getattr(child, "position_x", None) is not None and child.position_x + child.margin_width() > right + 0.5:
                element = getattr(child, "element", None)
                out.append((number, getattr(element, "tag", None), round(child.position_x + child.margin_width() - right, 1)))
    return len(document.pages), out


def test_long_unbroken_text_keeps_every_table_on_the_page(fixture_contexts):
    limit = 2000  # the fact files' field limit
    # the flagship's name everywhere it is printed (tables, sentences, notes), its licence, the
    # investors and the positioning, each 2,000 characters without a space
    text = json.dumps(fixture_contexts["mistral"]).replace("Fixture Medium", "X" * limit)
    context = json.loads(text.replace('"proprietary"', json.dumps("L" * limit)))
    for r in context["rounds"]:
        r["lead_investors"] = ["I" * limit]
    context["vendor"]["positioning"] = "P" * limit
    html = pdf.briefing_html(context, charts.chart_svgs(context), True)
    pages, overflowing = _overflowing_boxes(html)
    assert pages > 1 and overflowing == []


def test_fixture_briefings_fit_their_pages(fixture_contexts):
    for name, context in fixture_contexts.items():
        pages, overflowing = _overflowing_boxes(pdf.briefing_html(context, charts.chart_svgs(context), True))
        assert overflowing == [], name


# --- fonts: every character is drawn, or the run says which cannot be -----------------------------

def test_bundled_fonts_cover_latin_greek_cyrillic_and_common_cjk():
    for text in ("Ωmega Łabs", "Đặng Thị Mẫu", "Иван Образцов", "Ελληνικά", "示例智能 王", "ひらがな カタカナ", "€ – — “” † ▲ ▼ ≥ ÷",
                 SUPERSCRIPTS):
        assert fonts.undrawable(text) == [], text
    assert len(fonts.common_hanzi()) == 3755 and not fonts.undrawable("".join(fonts.common_hanzi()))
    assert (ROOT / "reports" / "assets" / "fonts" / "LICENSE-VBCJK-OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1


def test_every_character_of_the_bundled_facts_is_drawable():
    chars = fonts.data_characters(ROOT / "data" / "sources")
    assert fonts.undrawable("".join(sorted(chars))) == []


def test_a_character_no_font_has_stops_the_briefing_naming_field_and_character():
    # 김한 is drawn (the 2,350 common syllables are bundled); 똠 is outside that set, and so is 🙂
    context = {"vendor": {"vendor_name": "Acme", "founders": ["Ann", "김한 똠"]}, "models": [{"licence": "ok🙂"}]}
    with pytest.raises(VendorbriefError) as err:
        fonts.check_context("acme", context)
    assert str(err.value).startswith(
        "briefing acme: no bundled font can draw vendor.founders[1]: '똠' (U+B620 HANGUL SYLLABLE DDOM)")
    assert "models[0].licence: '🙂'" in str(err.value)
    fonts.check_context("acme", {"vendor": {"vendor_name": "Ωmega 示例", "note": "tab\tand\nline"}})


# --- whole runs on the handed cases (each a pipeline run) ------------------------------------------

def _pdftotext(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _sources_with(tmp: Path, *vendor_files: Path) -> Path:
    """The fixture sources plus `vendor_files`; LiteLLM prices for every catalog key they name."""
    sources = tmp / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    snapshot = sources / "litellm" / "litellm-s1.json"
    entries = json.loads(snapshot.read_text())
    for vendor_file in vendor_files:
        text = vendor_file.read_text(encoding="utf-8")
        (sources / "vendors" / vendor_file.name).write_text(text, encoding="utf-8")
        for i, key in enumerate(re.findall(r'model_key: "([^"]+)"', text)):
            entries[key] = {"litellm_provider": key.split("/")[0], "input_cost_per_token": (i + 1) * 1e-8,
                            "output_cost_per_token": (i + 1) * 4e-8, "mode": "chat"}
    snapshot.write_text(json.dumps(entries, indent=1))
    return sources


@pytest.fixture(scope="module")
def added_vendors_run(tmp_path_factory) -> dict:
    """One `vendorbrief run --plain` in a fresh process (its own fork server, fontconfig and temp
    directory) on the fixture sources plus case 04 (omega-labs: 50 models, 50 funding rounds) and
    case 05 (glyph-test: facts in non-Latin scripts); every briefing rendered on the local pool, on
    a machine without fonts (FONTCONFIG_FILE with no font folder) and with TMPDIR an empty folder.
    Its folder, the finished process, and what it left in TMPDIR."""
    tmp = tmp_path_factory.mktemp("added-vendors")
    sources = _sources_with(tmp, PAGES / "omega-labs.yaml", PAGES / "glyph-test.yaml")
    # a short path: the fork server puts its socket in the temporary directory (AF_UNIX paths are short)
    systmp = Path(tempfile.mkdtemp(prefix="vb-"))
    try:
        cmd = [sys.executable, "-m", "flows.cli", "run", "--plain", "--sources", str(sources), "--warehouse",
               str(tmp / "wh" / "warehouse.duckdb"), "--out", str(tmp / "out"), "--as-of", FIXTURE_AS_OF.isoformat(),
               "--formats", "pdf"]
        env = {**os.environ, "FONTCONFIG_FILE": str(PAGES / "fonts-none.conf"), "TMPDIR": str(systmp)}
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=1800)
        left = sorted(p.name for p in systmp.iterdir())
    finally:
        shutil.rmtree(systmp, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return {"dir": tmp, "done": done, "left_in_tmpdir": left}


@pytest.mark.slow
@pytest.mark.xdist_group("added-vendors")
def test_long_tables_start_under_their_heading_and_no_page_is_only_a_heading(added_vendors_run):
    """Case 04: 50 models and 50 funding rounds; every page but the last carries text."""
    path = added_vendors_run["dir"] / "out" / "latest" / "omega-labs.pdf"
    pages = len(PdfReader(str(path)).pages)
    lines = [sum(1 for line in _pdftotext(path, p).splitlines() if re.search(r"[^\W_]", line)) for p in range(1, pages + 1)]
    assert pages >= 6 and min(lines[:-1]) >= 8, lines
    text = _pdftotext(path)
    # the long tables continue with their header repeated
    assert text.count("Lead investors") >= 2 and text.count("Architecture") >= 2


@pytest.mark.slow
@pytest.mark.xdist_group("added-vendors")
def test_non_latin_facts_are_drawn_without_system_fonts(added_vendors_run):
    """Case 05 on a machine without fonts: every glyph is drawn from the bundled fonts (WeasyPrint
    gives a font with a missing glyph its own encoding, else Identity-H)."""
    path = added_vendors_run["dir"] / "out" / "latest" / "glyph-test.pdf"
    reader = PdfReader(str(path))
    encodings = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            encodings[str(font["/BaseFont"])] = str(font["/Encoding"])
    assert encodings and set(encodings.values()) == {"/Identity-H"}, encodings
    assert any("VB-CJK" in name for name in encodings)
    assert all(re.search(r"VB-(Sans|CJK)", name) for name in encodings), encodings  # no system font
    text = re.sub(r"\s+", " ", _pdftotext(path))
    for words in ("Ωmega Łabs 示例智能", "Đặng Thị Mẫu", "Иван Образцов", "王示例", "Ελληνικά"):
        assert words in text, words


@pytest.mark.slow
@pytest.mark.xdist_group("added-vendors")
def test_a_run_on_the_local_pool_leaves_nothing_in_the_system_temporary_directory(added_vendors_run):
    """Five briefings on the pool (its fork server, its workers, WeasyPrint's font copies): the
    run's temporary files all lived in the output folder's own temporary folder, now gone. (A lone
    briefing renders in the run's process through the same typeset.render_briefing and folder.)"""
    out = added_vendors_run["dir"] / "out"
    assert sorted(p.stem for p in (out / "latest").glob("*.pdf")) == ["glyph-test", "landscape", "mistral", "omega-labs", "openai"]
    assert added_vendors_run["left_in_tmpdir"] == []
    assert not list(out.rglob(".tmp")) and not list(out.rglob(".staging-*"))


RENDER_DIR = Path(__file__).parent / "data" / "bad" / "render"


def _render_case(name: str) -> dict:
    import yaml

    return yaml.safe_load((RENDER_DIR / name).read_text(encoding="utf-8"))


RENDER_CASES = sorted(p.name for p in RENDER_DIR.glob("*.yaml"))
REFUSED_CASES = [n for n in RENDER_CASES if _render_case(n)["exit"]]
DRAWN_CASES = [n for n in RENDER_CASES if not _render_case(n)["exit"]]


def _apply_render_case(spec: dict, sources: Path) -> None:
    target = sources / spec["file"]
    old, new = spec["replace"]
    assert old in target.read_text(encoding="utf-8"), old
    target.write_text(target.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def _run_mistral(folder: Path):
    return invoke(folder, ["run", "--as-of", FIXTURE_AS_OF.isoformat(), "--formats", "pdf", "--vendors", "mistral"])


@pytest.mark.slow
@pytest.mark.parametrize("name", REFUSED_CASES)
def test_render_corpus_case_refused(name, tmp_path):
    """tests/data/bad/render: an undrawable character stops the run in one line naming the briefing,
    the field and the character, publishing nothing."""
    spec = _render_case(name)
    shutil.copytree(FIXTURE_SOURCES, tmp_path / "sources")
    _apply_render_case(spec, tmp_path / "sources")
    assert_refused(_run_mistral(tmp_path), spec["exit"], spec["expect"])
    assert not (tmp_path / "out" / "latest").exists()


@pytest.fixture(scope="module")
def drawn_corpus_run(tmp_path_factory) -> str:
    """One run with every case that must render applied at once (each changes its own field of
    mistral.yaml): the text of the briefing, without white space."""
    folder = tmp_path_factory.mktemp("drawn-corpus")
    shutil.copytree(FIXTURE_SOURCES, folder / "sources")
    specs = [_render_case(name) for name in DRAWN_CASES]
    # sharing one run holds only while each case changes its own text and expects text that only
    # its change brings in
    edits = [(spec["file"], spec["replace"][0]) for spec in specs]
    assert len(set(edits)) == len(edits), edits
    original = "".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURE_SOURCES.rglob("*.yaml")))
    assert not [piece for spec in specs for piece in spec["expect"] if piece in original]
    for spec in specs:
        _apply_render_case(spec, folder / "sources")
    result = _run_mistral(folder)
    assert result.exit_code == 0, result.output[-2000:]
    # in drawing order (pypdf), not in layout order: side by side, two long cells interleave
    pages = PdfReader(str(folder / "out" / "latest" / "mistral.pdf")).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


@pytest.mark.slow
@pytest.mark.xdist_group("drawn-corpus")
@pytest.mark.parametrize("name", DRAWN_CASES)
def test_render_corpus_case_drawn(name, drawn_corpus_run):
    """tests/data/bad/render: what must render does (2,000 characters without a space in a name, a
    licence, a positioning; a founder's name in Hangul), and the briefing carries it."""
    for piece in _render_case(name)["expect"]:
        assert piece in drawn_corpus_run, piece
