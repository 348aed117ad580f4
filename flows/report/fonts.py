"""The fonts the PDFs are set in, and the check that every character of a briefing can be drawn.

reports/assets/fonts/ holds subsets of DejaVu Sans (regular, bold, oblique) and DejaVu Sans
Condensed (regular, bold) for Latin, Greek, Cyrillic and symbols, and one subset of Noto Sans CJK SC
(renamed "VB CJK", SIL Open Font License 1.1) for CJK text: the 3,755 hanzi of GB 2312 level 1
(the common characters), the 2,350 Hangul syllables of KS X 1001 (the Korean standard's set) and
the Hangul compatibility jamo, kana, CJK punctuation and full-width forms, plus every other
character that occurs in data/sources and the CJK font has. reports/assets/fonts.css declares them; the
stylesheets list "VB CJK" after the Latin faces, so Pango falls back to it per character.
Nothing depends on system fonts: a PDF renders the same with `FONTCONFIG_FILE` pointing at an
empty configuration.

A character no bundled font has would print as nothing (WeasyPrint draws no glyph and says
nothing): `check_context` refuses the briefing instead, naming the field and the characters.
Rebuild the subsets (after adding facts in a new script) with Debian's fonts-dejavu-core,
fonts-dejavu-extra and fonts-noto-cjk:
    python -m flows.report.fonts /usr/share/fonts/truetype/dejavu /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from flows.errors import VendorbriefError
from flows.settings import REPORTS_DIR

FONTS_DIR = REPORTS_DIR / "assets" / "fonts"
DEJAVU = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSansCondensed.ttf",
          "DejaVuSansCondensed-Bold.ttf"]
CJK = "VBCJK-Regular.otf"
CJK_FAMILY = "VB CJK"
# Unicode ranges kept from DejaVu: Latin (with IPA, spacing modifiers, combining marks, Latin
# Extended Additional for Vietnamese), Greek, Cyrillic, punctuation, super- and subscripts (the
# footnote markers), currency, letterlike, number forms, arrows, mathematical operators,
# geometric shapes and check marks.
DEJAVU_RANGES = [(0x20, 0x7E), (0xA0, 0x36F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF), (0x2000, 0x20CF),
                 (0x2100, 0x218F), (0x2190, 0x22FF), (0x25A0, 0x25FF), (0x2713, 0x2717), (0xFB00, 0xFB06),
                 (0xFFFD, 0xFFFD)]
# Kana, CJK symbols and punctuation, Hangul compatibility jamo, katakana extensions, half- and
# full-width forms; and ASCII, Latin-1 and general punctuation, which Pango sets in the CJK face when they follow CJK text (a
# space after "示例" would otherwise print as a missing glyph).
CJK_RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x30FF), (0x3131, 0x318E), (0x31F0, 0x31FF),
              (0xFF00, 0xFFEF)]
# Never drawn, never missing: line breaks and tabs (the refused control characters are printed
# escaped, flows/report/typeset.py).
NOT_DRAWN = frozenset("\n\r\t")


def common_hangul() -> set[str]:
    """The 2,350 precomposed Hangul syllables of KS X 1001 (EUC-KR rows 16-40)."""
    out = set()
    for row in range(0xB0, 0xC9):
        for cell in range(0xA1, 0xFF):
            try:
                out.add(bytes([row, cell]).decode("euc_kr"))
            except UnicodeDecodeError:
                pass
    return out


def common_hanzi() -> set[str]:
    """The 3,755 hanzi of GB 2312 level 1 (rows 16-55), the standard's set of common characters."""
    out = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                out.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # row 55 ends at cell 0xF9
    return out


@cache
def drawable() -> frozenset[int]:
    """Every code point some bundled font maps to a glyph."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for name in [*DEJAVU, CJK]:
        with TTFont(FONTS_DIR / name, lazy=True) as font:
            points |= set(font.getBestCmap())
    return frozenset(points)


def undrawable(text: str) -> list[str]:
    """The distinct characters of `text` that no bundled font can draw, in order of appearance."""
    from flows.sources.facts import FORBIDDEN_CHARS

    have = drawable()
    seen: dict[str, None] = {}
    for ch in text:
        if ord(ch) not in have and ch not in NOT_DRAWN and not FORBIDDEN_CHARS.match(ch):
            seen.setdefault(ch, None)
    return list(seen)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def describe(chars: list[str]) -> str:
    """'示' (U+793A CJK UNIFIED IDEOGRAPH-793A), ..."""
    return ", ".join(f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in chars)


def check_context(name: str, context: dict[str, Any], limit: int = 5) -> None:
    """Raise VendorbriefError when a text of the briefing `name` (a context in its JSON form) has
    characters no bundled font can draw: one line naming the fields and the characters."""
    problems = [(path, chars) for path, text in _strings(context, "") if (chars := undrawable(text))]
    if problems:
        shown = "; ".join(f"{path}: {describe(chars)}" for path, chars in problems[:limit])
        more = f"; and {len(problems) - limit} more field(s)" if len(problems) > limit else ""
        raise VendorbriefError(f"briefing {name}: no bundled font can draw {shown}{more} "
                               f"(fonts in reports/assets/fonts; see flows/report/fonts.py to extend them)")


# --- building the subsets (run by hand, not by the pipeline) ----------------------------------

def data_characters(sources: Path) -> set[str]:
    """Every character outside ASCII in the text files of a sources folder."""
    chars: set[str] = set()
    for path in sources.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".csv", ".json"):
            chars |= {c for c in path.read_text(encoding="utf-8", errors="ignore") if ord(c) > 0x7F}
    return chars


def _subset(font, unicodes: set[int]) -> None:
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)


def _rename(font, family: str, postscript: str) -> None:
    """Give a subset its own name (the OFL asks modified versions not to use the original's)."""
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (1, 4, 16):
            table.setName(family, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 3:
            table.setName(f"{postscript};subset", 3, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            table.setName(postscript, 6, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 7:
            table.removeNames(nameID=7)
    if "CFF " in font:
        cff = font["CFF "].cff
        top = cff[cff.fontNames[0]]
        cff.fontNames = [postscript]
        top.FullName, top.FamilyName = family, family
        cff.topDictIndex[0].FullName = family


def build(dejavu_dir: Path, noto_cjk_ttc: Path, sources: Path, out: Path = FONTS_DIR) -> dict[str, int]:
    """Write the subsets into `out`; returns each file's size in bytes."""
    from fontTools.ttLib import TTFont

    data = data_characters(sources)
    latin = _latin()
    sizes = {}
    for name in DEJAVU:
        font = TTFont(dejavu_dir / name, recalcTimestamp=False)
        _subset(font, latin | ({ord(c) for c in data} & set(font.getBestCmap())))
        font.save(out / name)
        sizes[name] = (out / name).stat().st_size
    return sizes | build_cjk(noto_cjk_ttc, sources, out)


def _latin() -> set[int]:
    return {c for lo, hi in DEJAVU_RANGES for c in range(lo, hi + 1)}


def build_cjk(noto_cjk_ttc: Path, sources: Path, out: Path = FONTS_DIR) -> dict[str, int]:
    """Write the CJK subset (hanzi, Hangul, kana: see the module) into `out`; returns its size."""
    from fontTools.ttLib import TTCollection

    data = data_characters(sources)
    collection = TTCollection(noto_cjk_ttc, recalcTimestamp=False)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    have = set(font.getBestCmap())
    wanted = {ord(c) for c in common_hanzi() | common_hangul()} | {c for lo, hi in CJK_RANGES for c in range(lo, hi + 1)}
    wanted |= {ord(c) for c in data if ord(c) not in _latin()}
    _subset(font, wanted & have)
    _rename(font, CJK_FAMILY, "VBCJK-Regular")
    font.save(out / CJK)
    return {CJK: (out / CJK).stat().st_size}


if __name__ == "__main__":
    from flows.settings import ROOT

    print(build(Path(sys.argv[1]), Path(sys.argv[2]), ROOT / "data" / "sources"))
