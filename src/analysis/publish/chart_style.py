"""The charts' house style: colours, sizes and margins every chart shares, and matplotlib set to them.

Colours: text at least 4.5:1 on white, bars and cells at least 3:1 against what they touch.
Sizes are in points and inches, chosen so a chart shown at its own width on a phone keeps its
smallest text at MIN_TEXT_PX pixels (`chart_svg.min_width_px`).
"""

from __future__ import annotations

import matplotlib as mpl
import seaborn as sns
from matplotlib.figure import Figure

from analysis.publish import fonts

INK = "#1a1a1a"  # text: 17:1 on white
THIS_YEAR, LAST_YEAR = "#1f5a96", "#7393bf"  # bars: 7.0:1 and 3.2:1 on white, far apart in lightness
ANSWER_COLOURS = {"yes": "#2166ac", "no": "#f4a582", "no answer": "#d0d0d0"}
MARK_COLOURS = {"yes": "#ffffff", "no": INK, "no answer": INK}  # each mark 4.5:1 or more on its cell
# inches: the link charts' width, and the least any chart takes; a phone's 366 px column shows
# it at 81%, its smallest text (10 pt) at 11 px
WIDTH = 4.5
TITLE_SIZE, LABEL_SIZE, NOTE_SIZE = 12.0, 10.5, 10.0  # points
LINE = 1.3  # a line of text, in its font size
NAME_COLUMNS = 32  # a unit name in a chart: at most 16 Chinese characters wide (two columns each)
MIN_PLOT = 3.0  # inches the plotting area keeps across, however wide the labels beside it
MIN_TEXT_PX = 11.0  # the smallest text a chart shows on screen, in CSS pixels
PX_PER_POINT = 4 / 3  # CSS: 96 px to 72 pt


def setup() -> None:
    """The house style, then the CJK font (after set_theme, which resets the font list)."""
    sns.set_theme(style="whitegrid", context="notebook")
    fonts.use_cjk_font()
    # Unit names are data: "$...$" in a name must print as written, not as mathematics.
    mpl.rcParams["text.parse_math"] = False
    # Unhinted glyphs: the layout's text sizes do not depend on FreeType's hinting version.
    mpl.rcParams["text.hinting"] = "no_hinting"
    # The CJK face has no bold weight: bold Chinese would log a font warning and fall back anyway.
    mpl.rcParams["axes.titleweight"] = "normal"
    mpl.rcParams["svg.fonttype"] = "none"  # text stays text: selectable, searchable, sharp in print
    mpl.rcParams["text.color"] = INK
    mpl.rcParams["xtick.color"] = mpl.rcParams["ytick.color"] = mpl.rcParams["axes.labelcolor"] = INK


def _place(
    fig: Figure, left: float, bottom: float, top: float, right: float = 0.2, plot: float = MIN_PLOT
) -> None:
    """Margins in inches, converted to the figure's fractions.

    The left margin never takes more than the plotting area needs to keep `plot` inches: a label
    beside the plot too wide is cut at the figure's edge, instead of matplotlib refusing the
    layout. A chart whose labels stand inside its plot asks for no such room (`plot=0`).
    """
    width, height = fig.get_size_inches()
    left = min(left, width - right - plot)
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )


def _title(fig: Figure, title: str, top: float) -> None:
    """The chart's title at the top left, already wrapped to the figure's width."""
    fig.suptitle(
        title,
        fontsize=TITLE_SIZE,
        x=0.1 / fig.get_size_inches()[0],
        y=1 - top / fig.get_size_inches()[1],
        ha="left",
        va="top",
    )


def _year_legend(fig: Figure, handles: list, top: float) -> None:
    """The years' legend in one row under the title, at `top` inches, from the chart's left edge."""
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.1 / WIDTH, 1 - top / fig.get_size_inches()[1]),
        ncols=len(handles),
        frameon=False,
        fontsize=NOTE_SIZE,
        borderaxespad=0,
        borderpad=0,
    )
