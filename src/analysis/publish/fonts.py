"""Chinese text in charts, with fonts installed from the package registry, never a system font.

Unit names and question labels are Chinese. Matplotlib's default fonts have no CJK glyphs
and draw empty boxes with only a warning, so the report would be published with boxes.
The charts draw with two faces the set-up installs: matplotlib's own DejaVu Sans for Latin
text and the Noto Sans CJK SC face of the `mplfonts` wheel for the rest (fallback per glyph).

Both are registered under family names of this project's own (`LATIN_FAMILY`, `CJK_FAMILY`),
not under their published names. A machine may have other faces called "Noto Sans CJK SC" or
"DejaVu Sans" (Debian's fonts-noto-cjk and fonts-dejavu-core, most Chinese desktops), and
which of two faces of one name matplotlib picks depends on the state of its font cache. A
private name has exactly one face, whatever fonts the machine has and whatever its cache
holds, so every machine measures and draws the same text the same way (same bytes). The
"Glyph ... missing" warning becomes an error, so a glyph neither face has fails the build.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import warnings
from pathlib import Path
from typing import BinaryIO

import matplotlib as mpl
from matplotlib import font_manager, ft2font

CJK_FONT_PACKAGE = "mplfonts"
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
# The project's own names for the two faces: no font on any machine is called so.
LATIN_FAMILY = "Report Latin (DejaVu Sans)"
CJK_FAMILY = "Report CJK (Noto Sans CJK SC)"
LATIN_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
# Latin glyphs from DejaVu Sans, everything else from the CJK face (fallback is per glyph).
FONT_FAMILY = [LATIN_FAMILY, CJK_FAMILY]
MISSING_GLYPH = r"Glyph \d+ .* missing from font"


class FontError(RuntimeError):
    """A face the charts need is not installed where the set-up puts it."""


def cjk_font_path() -> Path:
    """The font file inside the installed `mplfonts` package (found without importing it)."""
    spec = importlib.util.find_spec(CJK_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FontError(
            f"the {CJK_FONT_PACKAGE} package is not installed; run `make venv` (it is in requirements.txt)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FontError(f"{CJK_FONT_FILE} is missing from the {CJK_FONT_PACKAGE} package at {path.parent}")
    return path


def latin_font_paths() -> list[Path]:
    """Matplotlib's own DejaVu Sans files (inside the installed package, never the system's)."""
    folder = Path(mpl.get_data_path()) / "fonts" / "ttf"
    paths = [folder / name for name in LATIN_FONT_FILES]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise FontError(f"{', '.join(missing)} missing from matplotlib's fonts at {folder}")
    return paths


def register_face(path: Path, family: str) -> font_manager.FontEntry:
    """Make the face in `path` known to matplotlib under `family`, once per process."""
    known = [f for f in font_manager.fontManager.ttflist if f.name == family and Path(f.fname).samefile(path)]
    if known:
        return known[0]
    entry = dataclasses.replace(font_manager.ttfFontProperty(ft2font.FT2Font(str(path))), name=family)
    font_manager.fontManager.ttflist.append(entry)
    font_manager.fontManager._findfont_cached.cache_clear()  # what addfont does after adding
    return entry


def face_in_use(family: str) -> Path:
    """The file matplotlib draws `family` from, as it resolves it now."""
    prop = font_manager.FontProperties(family=family)
    return Path(font_manager.findfont(prop, fallback_to_default=False))


def use_cjk_font() -> Path:
    """Register both faces, name them as the font list, and make a missing glyph an error.

    Call it after `seaborn.set_theme()`, which resets the font list.
    """
    cjk, latin = cjk_font_path(), latin_font_paths()
    register_face(cjk, CJK_FAMILY)
    for path in latin:
        register_face(path, LATIN_FAMILY)
    for family, expected in ((CJK_FAMILY, cjk), (LATIN_FAMILY, latin[0])):
        found = face_in_use(family)
        if not found.samefile(expected):  # only if another module registered a face under our own name
            raise FontError(f"matplotlib draws {family!r} from {found}, not from {expected}")
    mpl.rcParams["font.family"] = FONT_FAMILY
    fail_on_missing_glyph()
    return cjk


def fail_on_missing_glyph() -> None:
    """A glyph missing from every font in the list raises instead of drawing an empty box."""
    warnings.filterwarnings("error", message=MISSING_GLYPH, category=UserWarning)


# --- the same face inside the HTML page ---------------------------------------------------

PAGE_FAMILY = "Report CJK"
_UNNEEDED_TABLES = ("GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx", "DSIG")
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
# What the page face serves: CJK punctuation, ideographs, full-width forms. Browsers skip it for
# anything else, so Latin text keeps its own font although this face comes first in the list.
_PAGE_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3134F))


def _is_ideograph(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in _CJK_RANGES)


def subset_font(text: str, path: Path | BinaryIO | None = None, flat: bool = False) -> bytes:
    """The CJK face cut down to the characters of `text`, with the same bytes for the same text.

    Reviewers open the page on machines that may have no Chinese font (this one has none),
    so the glyphs travel inside the page; only the few hundred a report uses, to keep it small.
    An ideograph the face lacks is an error, as it is in the charts. `flat`: `path` is already a
    cut of the face (its glyphs without shared subroutines), cut again for a page: the same
    bytes as cutting the whole face, in under half the time (`embed_page_fonts`).
    """
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    # The bounding boxes stay the whole face's, as fontTools' own subsetter leaves them: working
    # them out again for the glyphs kept took a quarter of the time, and no browser reads them.
    font = TTFont(path or cjk_font_path(), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    covered = font.getBestCmap()
    missing = sorted({c for c in text if _is_ideograph(c) and ord(c) not in covered})
    if missing:
        raise FontError(
            f"{CJK_FAMILY} has no glyph for {''.join(missing)!r}; the page would show empty boxes"
        )
    # No shaping or vertical metrics are needed for horizontal CJK text; deleting those tables
    # before the cut means they are never parsed, which is most of the time saved.
    for tag in _UNNEEDED_TABLES:
        if tag in font:
            del font[tag]
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    # no shared subroutines: skips their analysis, faster, a little larger; a flat cut has none left
    options.desubroutinize = not flat
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted({c for c in text if ord(c) in covered})))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


_PAGE_CHARACTERS = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _PAGE_RANGES) + "]")


def _page_text(page: str) -> str:
    return "".join(sorted(set(_PAGE_CHARACTERS.findall(page))))


def embed_page_font(page: str) -> str:
    """Add an @font-face with the page's own Chinese glyphs, as a data: URI, before </head>.

    The page's CSS must name this face first: Chrome paints text whose first font is
    already loaded before a later web font arrives, and leaves those glyphs as boxes.
    """
    return embed_page_fonts([page])[0]


def embed_page_fonts(pages: list[str]) -> list[str]:
    """`embed_page_font` for each page, the face cut once for all of them and each page's glyphs
    cut from that: the pages of a year (its languages, its record) share most of their characters,
    and cutting the whole face is what takes the time. Each page gets the bytes it gets alone."""
    import io

    for page in pages:
        if "</head>" not in page:
            raise ValueError("the page has no </head>")
    texts = [_page_text(page) for page in pages]
    every = "".join(sorted(set("".join(texts))))
    if not every:
        return list(pages)
    if len(pages) == 1:
        return [_with_font(pages[0], subset_font(every))]
    shared = subset_font(every)
    return [
        _with_font(page, subset_font(text, io.BytesIO(shared), flat=True)) if text else page
        for page, text in zip(pages, texts, strict=True)
    ]


def _with_font(page: str, font: bytes) -> str:
    """The page with its face as a data: URI in an @font-face before </head>."""
    import base64

    head, marker, body = page.partition("</head>")
    data = base64.b64encode(font).decode("ascii")
    ranges = ", ".join(f"U+{low:X}-{high:X}" for low, high in _PAGE_RANGES)
    style = (
        f'<style type="text/css">@font-face {{ font-family: "{PAGE_FAMILY}"; '
        f'src: url(data:font/otf;base64,{data}) format("opentype"); unicode-range: {ranges}; }}</style>\n'
    )
    return head + style + marker + body
