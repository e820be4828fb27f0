"""The charts draw with the faces the set-up installs, whatever fonts the machine has.

The build-level proof (decoy faces on the machine, an empty cache, the recorded bytes) is in
test_outputs.py and test_render.py; these check the same inside one process.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis.publish import charts, fonts

SERIF = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"


@pytest.fixture
def decoys_first():
    """Faces named as the published families put first in a font list already built (the cache
    of a machine where the system fonts came before the project): removed afterwards."""
    manager = font_manager.fontManager
    saved = list(manager.ttflist)
    serif = font_manager.ttfFontProperty(matplotlib.ft2font.FT2Font(str(SERIF)))
    decoys = [dataclasses.replace(serif, name=name) for name in ("Noto Sans CJK SC", "DejaVu Sans")]
    manager.ttflist[:0] = decoys
    manager._findfont_cached.cache_clear()
    yield decoys
    manager.ttflist[:] = saved
    manager._findfont_cached.cache_clear()


def chart_svg() -> str:
    fig = Figure(figsize=(4, 1))
    fig.text(0.05, 0.5, "中央单位（二十七） Responsibility 2004年 68.4%")
    return charts.svg_text(fig, "fonts")


def test_the_published_names_resolve_to_the_decoys_the_private_ones_to_the_shipped_faces(decoys_first):
    # the decoys win under their published names: without private names the charts would use them
    assert fonts.face_in_use("Noto Sans CJK SC").samefile(SERIF)
    assert fonts.face_in_use("DejaVu Sans").samefile(SERIF)
    charts.setup()
    # the same file, whatever path leads to it (a linked environment gives another path)
    assert fonts.face_in_use(fonts.CJK_FAMILY).samefile(fonts.cjk_font_path())
    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    assert fonts.face_in_use(fonts.LATIN_FAMILY).samefile(latin)
    assert matplotlib.rcParams["font.family"] == [fonts.LATIN_FAMILY, fonts.CJK_FAMILY]


def test_a_chart_has_the_same_bytes_with_and_without_the_decoys(decoys_first):
    charts.setup()
    with_decoys = chart_svg()
    widths = charts.text_width("中央单位 Responsibility", 10)
    font_manager.fontManager.ttflist[:] = [
        f for f in font_manager.fontManager.ttflist if f not in decoys_first
    ]
    font_manager.fontManager._findfont_cached.cache_clear()
    charts._line_width.cache_clear()
    charts.setup()
    assert chart_svg() == with_decoys
    assert charts.text_width("中央单位 Responsibility", 10) == widths
    # and the decoy would have changed them: DejaVu Serif is wider than DejaVu Sans
    with matplotlib.rc_context({"font.family": ["DejaVu Serif", fonts.CJK_FAMILY]}):
        charts._line_width.cache_clear()
        assert charts.text_width("Responsibility", 10) != charts._line_width(
            "Responsibility", 10, (fonts.LATIN_FAMILY,)
        )
    charts._line_width.cache_clear()


def test_registering_twice_adds_the_face_once():
    charts.setup()
    charts.setup()
    entries = [f for f in font_manager.fontManager.ttflist if f.name == fonts.CJK_FAMILY]
    assert len(entries) == 1 and Path(entries[0].fname).samefile(fonts.cjk_font_path())


def test_a_face_registered_under_the_private_name_by_someone_else_is_refused():
    charts.setup()
    manager = font_manager.fontManager
    saved = list(manager.ttflist)
    try:
        serif = font_manager.ttfFontProperty(matplotlib.ft2font.FT2Font(str(SERIF)))
        manager.ttflist[:] = [dataclasses.replace(serif, name=fonts.CJK_FAMILY)] + [
            f for f in saved if f.name != fonts.CJK_FAMILY
        ]
        manager._findfont_cached.cache_clear()
        with pytest.raises(fonts.FontError, match="not from"):
            fonts.use_cjk_font()
    finally:
        manager.ttflist[:] = saved
        manager._findfont_cached.cache_clear()
