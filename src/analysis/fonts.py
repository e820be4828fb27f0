"""Chinese text in charts, with a font installed from the package registry, never a system font.

Unit names and question labels are Chinese. Matplotlib's default fonts have no CJK glyphs
and draw empty boxes with only a warning, so the report would be published with boxes.
Here the Noto Sans CJK SC face shipped by the `mplfonts` wheel is registered directly
(`addfont` sidesteps a font cache built before the wheel was installed), DejaVu Sans stays
first for Latin text with per-glyph fallback to the CJK face, and the "Glyph ... missing"
warning becomes an error, so a glyph neither font has fails the build instead.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

CJK_FONT_PACKAGE = "mplfonts"
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FAMILY = "Noto Sans CJK SC"
# Latin glyphs from DejaVu Sans, everything else from the CJK face (fallback is per glyph).
FONT_FAMILY = ["DejaVu Sans", CJK_FAMILY]
MISSING_GLYPH = r"Glyph \d+ .* missing from font"


class FontError(RuntimeError):
    """The CJK font the charts need is not installed where the set-up puts it."""


def cjk_font_path() -> Path:
    """The font file inside the installed `mplfonts` package (found without importing it)."""
    spec = importlib.util.find_spec(CJK_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FontError(f"the {CJK_FONT_PACKAGE} package is not installed; run `make venv` (it is in requirements.txt)")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FontError(f"{CJK_FONT_FILE} is missing from the {CJK_FONT_PACKAGE} package at {path.parent}")
    return path


def use_cjk_font() -> Path:
    """Register the CJK face, put it after DejaVu Sans, and make a missing glyph an error.

    Call it after `seaborn.set_theme()`, which resets the font list.
    """
    path = cjk_font_path()
    if not any(Path(f.fname) == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    found = font_manager.findfont(font_manager.FontProperties(family=CJK_FAMILY), fallback_to_default=False)
    if Path(found) != path:
        raise FontError(f"matplotlib resolves {CJK_FAMILY!r} to {found}, not to {path}")
    mpl.rcParams["font.family"] = FONT_FAMILY
    fail_on_missing_glyph()
    return path


def fail_on_missing_glyph() -> None:
    """A glyph missing from every font in the list raises instead of drawing an empty box."""
    warnings.filterwarnings("error", message=MISSING_GLYPH, category=UserWarning)
