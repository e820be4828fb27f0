"""The report's charts: every chart titled, every label from the catalogues, Chinese drawn in a real font.

Titles, axis labels, legends and alternative text are the wording catalogue's; indicator and
question labels, and what each count counts, the indicator catalogue's and the instrument's.

Figures are built with the object-oriented API (no pyplot state, nothing shown by the
inline backend on its own) and rendered here, inside the notebook cell that asks for them.
That way a failure while drawing, such as a glyph missing from the fonts, fails that cell
and the build, instead of becoming a traceback printed by the display machinery while the
cell succeeds.

SVG written into the page, its text kept as text (`svg.fonttype = "none"`), rather than PNG:
- a reviewer can select, copy and search the labels and figures (Ctrl-F finds a unit in the
  chart, pdftotext finds it in the printout), and print and zoom keep them sharp;
- the page's own fonts draw the text: Chinese from the "Report CJK" subset that `fonts`
  embeds, cut from every character of the page, the charts' included (the face the layout was
  measured with); Latin from DejaVu Sans where installed, else the reader's sans serif, which
  is no wider, so nothing the layout placed can collide;
- the same bytes every build: ids are salted per chart (`svg.hashsalt`, unique on the page),
  no date or creator is written, and nothing else in the SVG depends on the run;
- smaller and quicker: the 2004 page's four charts are 79 kB of markup where their PNGs were
  160 kB of base64, and drawing them takes about 40% less time (no rasterising, no quantising).
Measured on the 2004 pages: 168 kB in English, 212 kB in Chinese (457 kB before; JupyterLab's
stylesheet, 250 kB of it, went too).

Legible on a phone: a chart is drawn narrow (WIDTH) with type as large as the page's and shown
at its own size, never larger; on a narrow screen it shrinks, but never below the width at
which its smallest text is MIN_TEXT_PX pixels (`min_width_px`): under that its box scrolls
sideways. The link charts set each group's label above its bars, across the chart, so the
bars keep the width; the units chart turns its question labels upright, so a column is no
wider than a cell. At 390 px the sample's charts all fit; a unit name of 16 characters
would make the units chart scroll a little in its box.
"""

from __future__ import annotations

import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from functools import cache
from io import StringIO
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from markupsafe import Markup
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import text_to_path

from analysis.catalogue import Indicator
from analysis.publish import fonts
from analysis.publish.load import ReportData, Row
from analysis.publish.pages import render
from analysis.publish.shapes import field_links, lists_in_full, not_asked, shown_units, small_base
from analysis.publish.text import no_base
from analysis.publish.wording import say

if TYPE_CHECKING:  # the trends page's data: only read here, as the year pages' is
    from analysis.publish.trends_page import TrendsData

# Colours: text at least 4.5:1 on white, bars and cells at least 3:1 against what they touch.
INK = "#1a1a1a"  # text: 17:1 on white
THIS_YEAR, LAST_YEAR = "#1f5a96", "#7393bf"  # bars: 7.0:1 and 3.2:1 on white, far apart in lightness
ANSWER_COLOURS = {"yes": "#2166ac", "no": "#f4a582", "no answer": "#d0d0d0"}
MARK_COLOURS = {"yes": "#ffffff", "no": INK, "no answer": INK}  # each mark 4.5:1 or more on its cell
WIDTH = 5.5  # inches: the link charts' width, and the least any chart takes
TITLE_SIZE, LABEL_SIZE, NOTE_SIZE = 12.0, 10.5, 10.0  # points
LINE = 1.3  # a line of text, in its font size
NAME_COLUMNS = 32  # a unit name in a chart: at most 16 Chinese characters wide (two columns each)
MIN_PLOT = 3.0  # inches the plotting area keeps across, however wide the labels beside it
MIN_TEXT_PX = 9.0  # the smallest text a chart shows on screen, in CSS pixels
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


# --- the figure as markup ------------------------------------------------------------------


def figure_html(fig: Figure, alt: str, salt: str = "chart") -> str:
    """The figure drawn now, as SVG inside the page, with `alt` as its text alternative.

    `salt` makes the SVG's ids (clip paths) unique on the page: give each chart of a page its own.
    """
    svg = ET.fromstring(svg_text(fig, salt))
    view_box = _rounded(svg.get("viewBox"))
    width = float(view_box.split()[2])
    return render(
        "sections/figure.html.j2",
        alt=" ".join(alt.split()),
        view_box=view_box,
        width=_number(width * PX_PER_POINT),
        height=_number(float(view_box.split()[3]) * PX_PER_POINT),
        min_width=_number(min_width_px(fig, width)),
        body=Markup(svg_body(svg)),
    )


def svg_text(fig: Figure, salt: str) -> str:
    """The figure as an SVG document, the same bytes for the same figure and salt."""
    out = StringIO()
    with mpl.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
FONT_FAMILY = re.compile(r"\s*font-family:[^;]*;?")
REFERENCE = re.compile(r"url\(#([^)]+)\)")
DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def svg_body(svg: ET.Element) -> str:
    """What goes inside the page's <svg>: the drawing without its metadata, style sheet or spare ids.

    In an HTML page the SVG shares the page's ids and fonts: matplotlib's group ids (figure_1,
    axes_1, the same in every chart) are dropped unless something refers to them, the
    font-family of each text is left to the page's stylesheet (which names the embedded
    Chinese face first), and no namespace address is written (HTML needs none).
    """
    _plain_names(svg)
    drawing = [child for child in svg if child.tag != "metadata" and (child.tag != "defs" or _has_definitions(child))]
    for defs in (child for child in drawing if child.tag == "defs"):
        for style in defs.findall("style"):
            defs.remove(style)  # `* { stroke-linejoin: round }` would reach the whole page: report.css says it for charts
    referred = {name for child in drawing for element in child.iter() for name in _references(element)}
    for element in (element for child in drawing for element in child.iter()):
        _tidy(element, referred)
    return "".join(ET.tostring(child, encoding="unicode", short_empty_elements=True) for child in drawing).strip()


def _plain_names(svg: ET.Element) -> None:
    """Tags without the SVG namespace, xlink:href as plain href: what an HTML page writes."""
    for element in svg.iter():
        element.tag = element.tag.removeprefix(SVG_NAMESPACE)
        if XLINK_HREF in element.attrib:
            element.set("href", element.attrib.pop(XLINK_HREF))


def _tidy(element: ET.Element, referred: set[str]) -> None:
    """One element as the page holds it: no unused id, no font-family, coordinates rounded, no indentation."""
    if element.get("id") is not None and element.get("id") not in referred:
        del element.attrib["id"]
    if element.tag == "text" and "style" in element.attrib:
        element.set("style", FONT_FAMILY.sub("", element.get("style")).strip())
    for name in ("d", "x", "y", "transform"):
        if name in element.attrib:
            element.set(name, _rounded(element.get(name)))
    if element.tag != "text" and element.text is not None and not element.text.strip():
        element.text = None
    if element.tail is not None and not element.tail.strip():
        element.tail = None


def _rounded(value: str) -> str:
    """Coordinates to a hundredth of a point, on one line: a third of the bytes, the same drawing."""
    return " ".join(DECIMAL.sub(lambda m: f"{float(m.group()):.2f}".rstrip("0").rstrip("."), value).split())


def _has_definitions(defs: ET.Element) -> bool:
    return any(child.tag != "style" for child in defs)


def _references(element: ET.Element) -> list[str]:
    found = [m for value in element.attrib.values() for m in REFERENCE.findall(value)]
    href = element.get("href", "")
    return [*found, href[1:]] if href.startswith("#") else found


def min_width_px(fig: Figure, width_points: float) -> float:
    """The narrowest the chart may be shown: its smallest text MIN_TEXT_PX pixels high, no less."""
    smallest = min((t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()), default=LABEL_SIZE)
    return math.ceil(width_points * MIN_TEXT_PX / smallest)  # shown `w` px wide, a point of the chart is w / width_points px


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


# --- text and its room --------------------------------------------------------------------


def text_width(text: str, size: float) -> float:
    """Inches the widest line of `text` takes at `size` points, measured with the chart's fonts.

    Margins and wrapping are set from these widths instead of by a layout engine, which would
    draw every chart twice; measuring a line is a lookup of its glyphs' advances.
    """
    return max(_line_width(line, size, tuple(mpl.rcParams["font.family"])) for line in text.splitlines() or [""])


@cache
def _line_width(line: str, size: float, family: tuple[str, ...]) -> float:
    if not line:
        return 0.0
    width, _, _ = text_to_path.get_text_width_height_descent(line, FontProperties(family=list(family), size=size), ismath=False)
    return width / 72


def text_columns(text: str) -> int:
    """Width in terminal columns: a wide (CJK) character is two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def line_inches(size: float) -> float:
    return LINE * size / 72


def wrap(text: str, size: float, width: float) -> str:
    """Lines no wider than `width` inches where the words allow: a Chinese character is a word of its own.

    Lines the text already has are kept; a single word wider than `width` stays whole.
    """
    return "\n".join(_wrap_line(line, size, width) for line in text.splitlines())


def _wrap_line(line: str, size: float, width: float) -> str:
    lines: list[str] = []
    current = ""
    for word in _words(line):
        if current.strip() and text_width((current + word).strip(), size) > width:
            lines.append(current.strip())
            current = word.lstrip()
        else:
            current += word
    return "\n".join([*lines, current.strip()])


# A word with the space before it, if any: a Latin word, or one wide (CJK) character; opening
# brackets stay with what follows them and closing punctuation with what precedes it.
WORD = re.compile(r"\s*[（「《]*(?:[^\s\u2e80-\uffef]+|[\u2e80-\uffef])[，。、；：）」》]*")


def _words(line: str) -> list[str]:
    """The words of `line`, each with its leading space: joined again, they give the line back."""
    return WORD.findall(line)


def short_name(name: str, limit: int = NAME_COLUMNS) -> str:
    """A unit name for a chart label: whole when it fits, else its start and end around '…'.

    Real names run to dozens of characters and a label as wide as the figure leaves no room
    for the chart. The end is kept as well as the start because that is where the names of
    one family differ ("中央单位（十一）", "…局" and "…司"); the tables give every name in full.
    """
    if text_columns(name) <= limit:
        return name
    room = limit - 1  # the ellipsis takes one column
    head = _fit(name, room - room // 3)
    tail = _fit(name[len(head) :][::-1], room - text_columns(head))[::-1]
    return f"{head.rstrip()}…{tail.lstrip()}"


def _fit(text: str, limit: int) -> str:
    """The longest start of `text` no wider than `limit` columns."""
    width = 0
    for i, char in enumerate(text):
        width += text_columns(char)
        if width > limit:
            return text[:i]
    return text


def _place(fig: Figure, left: float, bottom: float, top: float, right: float = 0.2) -> None:
    """Margins in inches, converted to the figure's fractions.

    The left margin never takes more than the plotting area needs to keep MIN_PLOT inches:
    a label too wide is cut at the figure's edge, instead of matplotlib refusing the layout.
    """
    width, height = fig.get_size_inches()
    left = min(left, width - right - MIN_PLOT)
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)


def _title(fig: Figure, title: str, top: float) -> None:
    """The chart's title at the top left, already wrapped to the figure's width."""
    fig.suptitle(title, fontsize=TITLE_SIZE, x=0.1 / fig.get_size_inches()[0], y=1 - top / fig.get_size_inches()[1], ha="left", va="top")


# --- the link charts -----------------------------------------------------------------------


def _bar_label(data: ReportData, row: Row) -> str:
    """Chinese, then English, from the instrument's short labels; the population on a line of its own."""
    indicator = data.catalogue.get(row["indicator"])
    spec = data.instrument.field(indicator.field) if indicator.kind == "share" else None
    zh = spec.short_zh if spec and spec.short_zh else indicator.label_zh
    en = spec.short_en if spec and spec.short_en else indicator.label_en
    if row["population"] == "all":
        return say("chart.bar_label", zh=zh, en=en)
    population = data.catalogue.populations[row["population"]]
    return say("chart.bar_label_of_population", zh=zh, en=en, population_zh=population.label_zh, population_en=population.label_en)


def link_title(data: ReportData, link: str) -> str:
    label = data.catalogue.links[link]
    if data.previous_year is None:
        years = say("chart.one_year", year=data.year)
    else:
        years = say("chart.two_years", year=data.year, previous=data.previous_year)
    return say("chart.link_title", zh=label.label_zh, en=label.label_en, years=years)


def count_panels(data: ReportData, link: str) -> list[list[Row]]:
    """The link's counts, one panel for each thing counted: an axis says what its bars count."""
    panels: dict[tuple[str, str], list[Row]] = {}
    for row in data.rows_where(link=link, kind="sum"):
        indicator = data.catalogue.get(row["indicator"])
        panels.setdefault((indicator.unit_en, indicator.count_zh), []).append(row)
    return list(panels.values())


def link_panels(data: ReportData, link: str) -> list[list[Row]]:
    """The shares of the link, then a panel for each thing its counts count; none empty."""
    return [p for p in (data.rows_where(link=link, kind="share"), *count_panels(data, link)) if p]


def _axis_words(data: ReportData, panel: list[Row]) -> tuple[str, str]:
    """A panel's axis label and title: shares of units, or counts of what its indicators count."""
    if panel[0]["kind"] == "share":
        return say("chart.share_axis"), say("chart.share_title")
    counted: Indicator = data.catalogue.get(panel[0]["indicator"])
    return say("chart.count_axis", count_zh=counted.count_zh, unit=counted.unit_en), say("chart.count_title", count_zh=counted.count_zh)


def chart_years(data: ReportData) -> list[tuple[int, str, str]]:
    """(year, column prefix, colour) of each bar of a group, the previous year first."""
    years = [(data.previous_year, "previous_", LAST_YEAR)] if data.previous_year is not None else []
    return [*years, (data.year, "", THIS_YEAR)]


def bar_value(row: Row, prefix: str, small: int | None = None) -> tuple[float, str]:
    """A bar's length and the words written at its end: "26/38  68.4%", a count, or why there is none;
    a share over fewer than `small` units is marked ("2/3  66.7%†"), as in the table beside it."""
    numerator = row[f"{prefix}numerator"]
    if not_asked(row, prefix):
        return 0.0, say("figure.not_asked")  # no bar, and the words say why: never a 0
    if pd.isna(numerator):
        return 0.0, say("figure.none")
    if row["kind"] != "share":
        return float(numerator), str(int(numerator))
    if pd.isna(row[f"{prefix}percent"]):  # an empty base: 0 of 0
        return 0.0, no_base()
    share = float(row[f"{prefix}percent"])
    note = say("chart.share_note", k=int(numerator), n=int(row[f"{prefix}denominator"]), percent=f"{share:.1f}")
    if small is not None and small_base(row, small, prefix):
        note = say("small_base.chart", note=note, mark=say("small_base.mark"))
    return share, note


BAR = 0.2  # inches a bar takes down the chart
GROUP_GAP = 0.16  # inches between one group of bars and the next label


def _group_heights(labels: list[str], bars: int) -> list[float]:
    """Inches each bar group takes: its label's lines above, then its bars."""
    return [len(label.splitlines()) * line_inches(LABEL_SIZE) + 0.04 + bars * BAR + GROUP_GAP for label in labels]


def link_chart(data: ReportData, link: str) -> Figure:
    """Shares of the link's indicators, this year beside the previous one; counts in a panel for each thing counted.

    Each group's label stands above its bars, across the chart's width, so the bars keep the
    width too: the chart stays narrow enough for a phone without its labels shrinking.
    """
    panels = link_panels(data, link)
    years = chart_years(data)
    plot = WIDTH - 0.2 - 0.25
    labels = [[wrap(_bar_label(data, r), LABEL_SIZE, plot - 0.1) for r in p] for p in panels]
    heights = [sum(_group_heights(group, len(years))) for group in labels]
    title = wrap(link_title(data, link), TITLE_SIZE, WIDTH - 0.2)
    legend_top = 0.15 + len(title.splitlines()) * line_inches(TITLE_SIZE) + 0.08
    top = legend_top + line_inches(NOTE_SIZE) + 0.1  # the title, then the legend's row
    panel_top, panel_bottom = 0.3, 0.55  # each panel's own title above it; its axis label below
    fig = Figure(figsize=(WIDTH, top + sum(heights) + len(panels) * (panel_top + panel_bottom)), dpi=100, facecolor="white")
    _place(fig, left=0.2, bottom=panel_bottom, top=top + panel_top, right=0.25)
    axes = fig.subplots(
        nrows=len(panels), ncols=1, height_ratios=heights, squeeze=False, gridspec_kw={"hspace": (panel_top + panel_bottom) / (sum(heights) / len(heights))}
    )[:, 0]
    for ax, panel, names, height in zip(axes, panels, labels, heights, strict=True):
        axis, panel_title = _axis_words(data, panel)
        ax.set_xlabel(axis, fontsize=NOTE_SIZE)
        ax.set_title(panel_title, loc="left", fontsize=LABEL_SIZE)
        _bars(ax, rows=panel, years=years, names=names, plot=plot, small=data.catalogue.small_base)
        ax.set_ylim(height, 0)
    handles = [Patch(color=colour, label=say("chart.legend_year", year=year)) for year, _, colour in reversed(years)]
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.1 / WIDTH, 1 - legend_top / fig.get_size_inches()[1]),
        ncols=len(handles),
        frameon=False,
        fontsize=NOTE_SIZE,
        borderaxespad=0,
        borderpad=0,
    )
    _title(fig, title, top=0.15)
    return fig


def _bars(ax, rows: list[Row], years: list[tuple[int, str, str]], names: list[str], plot: float, small: int | None = None) -> None:
    """A group per row: its label on the left above it, then a bar per year with its figure at the end.

    The axis runs in inches down the chart, so a label's lines and the bars keep their size
    whatever the number of groups. The labels are the y tick labels, set inside the axes.
    """
    values = {prefix: [bar_value(row, prefix, small) for row in rows] for _, prefix, _ in years}
    notes = [note for pairs in values.values() for _, note in pairs]
    longest = max(text_width(note, NOTE_SIZE) for note in notes) + 0.1
    percent = rows[0]["kind"] == "share"
    most = 100.0 if percent else max([1.0] + [value for pairs in values.values() for value, _ in pairs])
    xmax = most * plot / max(plot - longest, 0.5)  # the longest bar leaves room for its figure
    label_tops, y = [], 0.0
    for name, height in zip(names, _group_heights(names, len(years)), strict=True):
        lines = len(name.splitlines())
        label_tops.append(y + lines * line_inches(LABEL_SIZE))
        first_bar = y + lines * line_inches(LABEL_SIZE) + 0.04 + BAR / 2
        for slot, (_, prefix, colour) in enumerate(reversed(years)):  # this year's bar first, as in the legend
            value, note = values[prefix][len(label_tops) - 1]
            ax.barh(y=first_bar + slot * BAR, width=value, height=BAR * 0.86, color=colour)
            ax.text(x=value + xmax * 0.01, y=first_bar + slot * BAR, s=note, va="center", fontsize=NOTE_SIZE, color=INK)
        y += height
    ax.set_yticks(label_tops, names, fontsize=LABEL_SIZE, ha="left", va="bottom", linespacing=1.15)
    ax.tick_params(axis="y", length=0, pad=0)
    for label in ax.get_yticklabels():
        label.set_x(0.0)  # the label starts at the plot's left edge, over its bars
        label.set_transform(ax.get_yaxis_transform())
    ax.set_xlim(0, xmax)
    if percent:
        ax.set_xticks([0, 25, 50, 75, 100])
    else:
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=4, integer=True))
    ax.tick_params(axis="x", labelsize=NOTE_SIZE)
    ax.grid(visible=False)
    for side, spine in ax.spines.items():
        spine.set_visible(side == "bottom")
    ax.spines["bottom"].set_color(INK)


# --- the units at a glance -----------------------------------------------------------------


ROW, COLUMN = 0.26, 0.34  # inches a unit's row and a question's column take (two lines of upright text)
CELL_GAP = 0.06  # of a cell's height, white on each side: the cells read as a grid
# The marks drawn in each cell, so yes, no and no answer differ by more than colour:
# a tick, a cross and a dash (x right, y up, within -0.5..0.5).
MARKS = {
    "yes": Path([(-0.42, 0.02), (-0.12, -0.3), (0.42, 0.34)], [Path.MOVETO, Path.LINETO, Path.LINETO]),
    "no": Path([(-0.3, -0.3), (0.3, 0.3), (-0.3, 0.3), (0.3, -0.3)], [Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO]),
    "no answer": Path([(-0.3, 0.0), (0.3, 0.0)], [Path.MOVETO, Path.LINETO]),
}
MARK_INCHES = 0.16  # how wide a mark is drawn
HEAD_LINE = 1.8  # inches: a question's label longer than this is set on two lines


def units_title(data: ReportData) -> str:
    if not lists_in_full(data):
        return say("chart.units_title_most_gaps", year=data.year, count=len(shown_units(data)))
    return say("chart.units_title", year=data.year)


def answer_words() -> list[tuple[str, str]]:
    """Each answer with its legend words, in the legend's order."""
    return [("yes", say("chart.yes")), ("no", say("chart.no")), ("no answer", say("chart.no_answer"))]


def question_labels(data: ReportData, fields: list[str]) -> list[str]:
    """Each column's label, Chinese and English, in two lines as even as the words allow.

    Turned upright, a line of text takes a column's width: two lines are what a column holds.
    A label short enough (HEAD_LINE) stays on one line, which reads more easily turned.
    """
    labels = [say("chart.question", zh=data.instrument.field(f).short_zh, en=data.instrument.field(f).short_en) for f in fields]
    return [label if text_width(label, LABEL_SIZE) <= HEAD_LINE else balanced(label, LABEL_SIZE, lines=2) for label in labels]


def balanced(text: str, size: float, lines: int) -> str:
    """`text` wrapped to the narrowest width that takes no more than `lines` lines (one line if it has no spaces)."""
    flat = " ".join(text.split())
    words = _words(flat)
    widths = sorted({text_width("".join(words[:i]).strip(), size) for i in range(1, len(words) + 1)})  # a line ends after a word
    return next((wrap(flat, size, w) for w in widths if len(wrap(flat, size, w).splitlines()) <= lines), flat)


def units_chart(data: ReportData) -> Figure:
    """Units x yes/no questions: yes, no and no answer as a coloured cell with a tick, a cross or a dash.

    The question labels stand upright above their columns and the links' names above those,
    so a column is no wider than a cell: the chart is as narrow as the questions allow.
    """
    matrix = shown_units(data)
    fields = list(matrix.columns)
    columns = question_labels(data, fields)
    names = [short_name(u) for u in matrix.index]
    left = max(text_width(u, LABEL_SIZE) for u in names) + 0.2
    spans = link_spans(data, fields)
    width = max(WIDTH, left + len(fields) * COLUMN + 0.1)
    title = wrap(units_title(data), TITLE_SIZE, width - 0.2)
    heads = max(text_width(c, LABEL_SIZE) for c in columns) + 0.12
    top = 0.15 + len(title.splitlines()) * line_inches(TITLE_SIZE) + 0.4 + _span_height(spans, len(fields)) + 0.15 + heads
    fig = Figure(figsize=(width, ROW * len(matrix) + top + 0.15), dpi=100, facecolor="white")
    _place(fig, left=left, bottom=0.15, top=top, right=width - left - len(fields) * COLUMN)
    ax = fig.add_subplot()
    answers = matrix.to_numpy()
    for answer, _ in answer_words():
        ax.add_patch(PathPatch(_cells(answers, answer), facecolor=ANSWER_COLOURS[answer], edgecolor="none"))
    rule = 2 * CELL_GAP * ROW * 72  # points
    ax.hlines(np.arange(len(matrix) + 1) - 0.5, -0.5, len(fields) - 0.5, color="white", linewidth=rule)
    ax.vlines(np.arange(len(fields) + 1) - 0.5, -0.5, len(matrix) - 0.5, color="white", linewidth=rule)
    for answer, _ in answer_words():
        cells = list(zip(*np.nonzero(answers == answer), strict=True))
        ax.add_patch(PathPatch(_marks(cells, MARKS[answer]), facecolor="none", edgecolor=MARK_COLOURS[answer], linewidth=1.6, capstyle="round", joinstyle="round"))
    ax.set_xlim(-0.5, len(fields) - 0.5)
    ax.set_ylim(len(matrix) - 0.5, -0.5)
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(len(fields)), columns, rotation=90, fontsize=LABEL_SIZE, ha="center", va="bottom", multialignment="left", linespacing=1.1)
    ax.set_yticks(np.arange(len(matrix)), names, fontsize=LABEL_SIZE)
    ax.tick_params(length=0, pad=4)
    ax.grid(visible=False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    _draw_spans(ax, spans, len(fields), above=heads / ROW)
    _answer_legend(fig, top=0.15 + len(title.splitlines()) * line_inches(TITLE_SIZE) + 0.08, left=0.1)
    _title(fig, title, top=0.15)
    return fig


def _cells(answers: np.ndarray, answer: str) -> Path:
    """One path of the cells holding `answer`: a rectangle for each run of them along a row.

    Runs rather than cells: the white rules drawn over them part the cells, and the path is a
    few kilobytes instead of a rectangle for each of hundreds of cells.
    """
    vertices, codes = [], []
    for row, first, last in _runs(answers, answer):
        x0, x1, y0, y1 = first - 0.5, last + 0.5, row - 0.5, row + 0.5
        vertices += [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    return Path(vertices or [(0, 0)], codes or [Path.MOVETO])


def _runs(answers: np.ndarray, answer: str) -> list[tuple[int, int, int]]:
    """(row, first column, last column) of each run of `answer` along each row."""
    runs = []
    for row, values in enumerate(answers):
        first = None
        for column, value in enumerate([*values, None]):
            if value == answer and first is None:
                first = column
            elif value != answer and first is not None:
                runs.append((row, first, column - 1))
                first = None
    return runs


def _marks(cells: Iterable[tuple[int, int]], mark: Path) -> Path:
    """One path of the mark drawn in every cell given: as wide in inches whatever a cell's shape."""
    sx, sy = MARK_INCHES / COLUMN, MARK_INCHES / ROW
    vertices, codes = [], []
    for row, column in cells:
        vertices += [(column + x * sx, row - y * sy) for x, y in mark.vertices]  # rows run down the page
        codes += list(mark.codes)
    return Path(vertices or [(0, 0)], codes or [Path.MOVETO])


def link_spans(data: ReportData, fields: list[str]) -> list[tuple[int, int, str]]:
    """(first column, last column, label) of each run of one link's questions, its label wrapped to the run."""
    owners = field_links(data)
    spans, start = [], 0
    for i in range(1, len(fields) + 1):
        if i == len(fields) or owners.get(fields[i]) != owners.get(fields[start]):
            link = owners.get(fields[start])
            if link is not None:
                label = data.catalogue.links[link]
                text = say("chart.link_span", zh=label.label_zh, en=label.label_en)
                spans.append((start, i - 1, wrap(text, LABEL_SIZE, (i - start) * COLUMN - 0.06)))
            start = i
    return spans


class SpanPlace(NamedTuple):
    """A link's name over its columns: its extent in columns (0 is the first column's centre) and its level."""

    first: int
    last: int
    label: str
    left: float
    right: float
    level: int


SPAN_GAP = 0.2  # columns kept clear between two links' names (about 5 points)


def span_places(spans: list[tuple[int, int, str]], columns: int) -> list[SpanPlace]:
    """Where each link's name goes: centred over its columns, then moved aside as little as needed.

    A name may be wider than its columns (a long word over two questions): the names are
    pushed right where they touch, then back left where they would leave the chart. Only
    names that cannot stand side by side at all go on two levels, every other one up.
    """
    widths = [text_width(label, LABEL_SIZE) / COLUMN for _, _, label in spans]
    low, high = -0.5, columns - 0.5
    lefts = [min(max((first + last) / 2 - w / 2, low), high - w) for (first, last, _), w in zip(spans, widths, strict=True)]
    for i in range(1, len(lefts)):
        lefts[i] = max(lefts[i], lefts[i - 1] + widths[i - 1] + SPAN_GAP)
    for i in reversed(range(len(lefts))):
        limit = high if i == len(lefts) - 1 else lefts[i + 1] - SPAN_GAP
        lefts[i] = min(lefts[i], limit - widths[i])
    side_by_side = not lefts or lefts[0] >= low
    if not side_by_side:
        lefts = [min(max((first + last) / 2 - w / 2, low), high - w) for (first, last, _), w in zip(spans, widths, strict=True)]
    return [
        SpanPlace(first, last, label, left, left + width, 0 if side_by_side else k % 2)
        for k, ((first, last, label), left, width) in enumerate(zip(spans, lefts, widths, strict=True))
    ]


def _span_height(spans: list[tuple[int, int, str]], columns: int) -> float:
    """Inches the links' names take above their rules: a level for each row of names."""
    lines = max((len(label.splitlines()) for _, _, label in spans), default=0)
    levels = 1 + max((p.level for p in span_places(spans, columns)), default=-1)
    return levels * (lines * line_inches(LABEL_SIZE) + 0.05)


def _draw_spans(ax, spans: list[tuple[int, int, str]], columns: int, above: float) -> None:
    """A rule over each link's columns with its name above it, and a wider white rule between links."""
    lines = max((len(label.splitlines()) for _, _, label in spans), default=0)
    level_rows = (lines * line_inches(LABEL_SIZE) + 0.05) / ROW
    y = -0.5 - above - 0.1
    for place in span_places(spans, columns):
        ax.plot([place.first - 0.45, place.last + 0.45], [y, y], color=INK, linewidth=1.0, clip_on=False, solid_capstyle="butt")
        ax.text(x=place.left, y=y - 0.15 - place.level * level_rows, s=place.label, ha="left", va="bottom", fontsize=LABEL_SIZE, linespacing=1.15, clip_on=False)
    for (_, last, _), (first, _, _) in pairwise(spans):
        ax.axvline((last + first) / 2, color="white", linewidth=5)


def _answer_legend(fig: Figure, top: float, left: float) -> None:
    """The three answers, each as its cell colour with its mark on it."""
    handles = [
        (
            Patch(facecolor=ANSWER_COLOURS[answer], edgecolor="none"),
            Line2D([], [], linestyle="none", marker=MARKS[answer], markersize=9, markeredgewidth=1.6, markeredgecolor=MARK_COLOURS[answer], markerfacecolor="none"),
        )
        for answer, _ in answer_words()
    ]
    fig.legend(
        handles=handles,
        labels=[words for _, words in answer_words()],
        handler_map={tuple: HandlerTuple(ndivide=1)},  # the mark on its colour, not beside it
        loc="upper left",
        bbox_to_anchor=(left / fig.get_size_inches()[0], 1 - top / fig.get_size_inches()[1]),
        ncols=3,
        frameon=False,
        fontsize=LABEL_SIZE,
        borderaxespad=0,
        borderpad=0,
        handlelength=1.3,
        handleheight=1.3,
    )


# --- the text alternatives -----------------------------------------------------------------


def link_alt(data: ReportData, link: str) -> str:
    """Every figure the link chart draws, in words: its title, then each bar group with each year's figure."""
    groups = []
    for panel in link_panels(data, link):
        for row in panel:
            years = [say("chart.alt_year", year=year, note=bar_value(row, prefix, data.catalogue.small_base)[1]) for year, prefix, _ in reversed(chart_years(data))]
            groups.append(say("chart.alt_bar", label=" ".join(_bar_label(data, row).split()), years=say("list.comma").join(years)))
    return say("chart.alt_link", title=link_title(data, link), figures=say("list.items").join(groups))


def units_alt(data: ReportData) -> str:
    """The units chart in words: for each question how many units answered yes, no or nothing."""
    matrix = shown_units(data)
    questions = [
        say(
            "chart.alt_question",
            label=" ".join(say("chart.question", zh=data.instrument.field(f).short_zh, en=data.instrument.field(f).short_en).split()),
            yes=int(matrix[f].eq("yes").sum()),
            no=int(matrix[f].eq("no").sum()),
            no_answer=int(matrix[f].eq("no answer").sum()),
            units=len(matrix),
        )
        for f in matrix.columns
    ]
    if not lists_in_full(data):
        return say("chart.alt_units_most_gaps", title=units_title(data), count=len(matrix), figures=say("list.items").join(questions))
    return say("chart.alt_units", title=units_title(data), units=len(matrix), figures=say("list.items").join(questions))


def link_figure_html(data: ReportData, link: str) -> str:
    """The link's chart, drawn and written into the page with its figures in words."""
    return figure_html(link_chart(data, link), link_alt(data, link), salt=f"{data.year}-{data.lang}-{link}")


def units_figure_html(data: ReportData) -> str:
    return figure_html(units_chart(data), units_alt(data), salt=f"{data.year}-{data.lang}-units")


# --- the trends page: each figure over the years --------------------------------------------

TREND_PLOT = 1.1  # inches a trend panel's plotting area is high
TREND_GAP = 0.2  # inches between two panels side by side
TREND_PART_HEIGHT = 9.0  # inches: the most a part of a trend chart takes, within a printed page (report.css: 235 mm)
TREND_TICK_GAP = 0.05  # inches at least between the words under two neighbouring years


def _trend_note(row: Row) -> str:
    """A year's figure as the alternative text says it: the same words as the year pages' charts."""
    if not bool(row["asked"]):
        return say("trends.not_asked")
    if pd.isna(row["numerator"]):
        return say("figure.none")
    if pd.isna(row["denominator"]):
        return str(int(row["numerator"]))
    if pd.isna(row["percent"]):
        return no_base()
    return say("chart.share_note", k=int(row["numerator"]), n=int(row["denominator"]), percent=f"{float(row['percent']):.1f}")


def _trend_tick(row: Row) -> str:
    """The words under a year: the year, then its figure with its base ('23/38', '60.5%'), or why there is none."""
    year = say("trends.year_item", year=int(row["year"]))
    if not bool(row["asked"]):
        figure = say("trends.chart.point_not_asked")
    elif pd.isna(row["numerator"]):
        figure = say("figure.none")
    elif pd.isna(row["denominator"]):
        figure = str(int(row["numerator"]))
    elif pd.isna(row["percent"]):
        figure = say("trends.chart.point_no_base", k=int(row["numerator"]), n=int(row["denominator"]))
    else:
        figure = say("trends.chart.point", k=int(row["numerator"]), n=int(row["denominator"]), percent=f"{float(row['percent']):.1f}")
    return f"{year}\n{figure}"


def _trend_value(row: Row) -> float:
    """The point drawn: NaN (a gap in the line, no point) when not asked or no figure, never 0."""
    if not bool(row["asked"]) or pd.isna(row["numerator"]):
        return math.nan
    if pd.isna(row["denominator"]):
        return float(row["numerator"])
    return math.nan if pd.isna(row["percent"]) else float(row["percent"])


def trend_title(data: TrendsData, link: str, years: str, continued: bool = False) -> str:
    """'责任分解 Responsibility decomposition, 2001–2004' / '责任分解各项指标（2001年至2004年）', and '… (continued)' / '…（续）'."""
    names = data.catalogue.links[link]
    label = " ".join(say("chart.link_span", zh=names.label_zh, en=names.label_en).split())
    return say("trends.chart.title_continued", label=label, years=years) if continued else say("trends.chart.title", label=label, years=years)


def trend_parts(data: TrendsData, link: str, panels: list[list[Row]], years: str) -> list[tuple[Figure, str]]:
    """The link's small charts over the years, each part a figure and its figures in words, in
    as many parts as it takes for none to be taller than a printed page (TREND_PART_HEIGHT):
    on paper a taller chart is shrunk to the page, and its words with it.

    `panels` holds, for each figure, one row per year (as `trends.indicator_trends` gives
    them). The words under the years decide the layout (`_trend_layout`), the same in every part.
    """
    columns, ticks = _trend_layout(panels)
    labels = [wrap(_bar_label(data, rows[0]), LABEL_SIZE, _trend_panel_width(columns)) for rows in panels]
    titles = [wrap(trend_title(data, link, years, continued), TITLE_SIZE, WIDTH - 0.2) for continued in (False, True)]
    room = TREND_PART_HEIGHT - _trend_top(titles[1])  # the longer title: every part has room for it
    parts: list[list[list[int]]] = [[]]
    filled = 0.0
    for row in _trend_grid(len(panels), columns):
        height = _trend_row_height(row, labels, ticks)
        if parts[-1] and filled + height > room:
            parts.append([])
            filled = 0.0
        parts[-1].append(row)
        filled += height
    drawn = []
    for k, rows in enumerate(parts):
        shown = [i for row in rows for i in row]
        fig = trend_chart([panels[i] for i in shown], [ticks[i] for i in shown], [labels[i] for i in shown], columns, titles[k > 0])
        drawn.append((fig, trend_alt(data, link, [panels[i] for i in shown], years, continued=k > 0)))
    return drawn


def _trend_grid(count: int, columns: int) -> list[list[int]]:
    """The panels' indexes, `columns` a row."""
    return [list(range(i, min(i + columns, count))) for i in range(0, count, columns)]


def _trend_top(title: str) -> float:
    return 0.15 + len(title.splitlines()) * line_inches(TITLE_SIZE) + 0.15


def _trend_head(row: list[int], labels: list[str]) -> float:
    return max(len(labels[i].splitlines()) for i in row) * line_inches(LABEL_SIZE) + 0.08


def _trend_row_height(row: list[int], labels: list[str], ticks: list[list[str]]) -> float:
    """A row of panels: the longest label above, the plot, the most lines of words under a year."""
    head = _trend_head(row, labels)
    below = max((len(t.splitlines()) for i in row for t in ticks[i]), default=1) * line_inches(NOTE_SIZE) + 0.15
    return head + TREND_PLOT + below + 0.15


def trend_chart(panels: list[list[Row]], ticks: list[list[str]], labels: list[str], columns: int, title: str) -> Figure:
    """A small chart for each figure over the years, `columns` a row: a line with a gap where a
    year has no figure (not asked, no units in the base), never a drop to 0.

    Each year's figure with its base is written under the year (`ticks`) rather than beside its
    point, so no label meets a line or another label.
    """
    panel_width = _trend_panel_width(columns)
    top = _trend_top(title)
    grid = _trend_grid(len(panels), columns)
    heights = [_trend_row_height(row, labels, ticks) for row in grid]
    height = top + sum(heights)
    fig = Figure(figsize=(WIDTH, height), dpi=100, facecolor="white")
    y = top
    for row, row_height in zip(grid, heights, strict=True):
        head = _trend_head(row, labels)
        for slot, i in enumerate(row):
            left = 0.45 + slot * (panel_width + TREND_GAP)
            width = panel_width - 0.25
            ax = fig.add_axes((left / WIDTH, 1 - (y + head + TREND_PLOT) / height, width / WIDTH, TREND_PLOT / height))
            _trend_panel(ax, panels[i], ticks[i])
            fig.text((left - 0.35) / WIDTH, 1 - y / height, labels[i], fontsize=LABEL_SIZE, ha="left", va="top", linespacing=1.15)
        y += row_height
    _title(fig, title, top=0.15)
    return fig


def _trend_panel_width(columns: int) -> float:
    return (WIDTH - 0.2 - 0.25 - (columns - 1) * TREND_GAP) / columns


def _trend_layout(panels: list[list[Row]]) -> tuple[int, list[list[str]]]:
    """Panels a row, and the words under each year of each panel, the first that fits of:
    figures under the years two panels a row, then one a row; the years alone; every k-th year."""
    if not panels:
        return 1, []
    years = [int(r["year"]) for r in panels[0]]
    span = years[-1] - years[0] + 1  # the x axis runs a year a unit, gaps in the years included

    def fits(ticks: list[list[str]], columns: int) -> bool:
        """Each two neighbours, centred under their years, at least TREND_TICK_GAP apart."""
        unit = (_trend_panel_width(columns) - 0.25) / span
        placed = [[(y, text_width(t, NOTE_SIZE)) for y, t in zip(years, rows, strict=True) if t] for rows in ticks]
        return all((b[0] - a[0]) * unit >= (a[1] + b[1]) / 2 + TREND_TICK_GAP for row in placed for a, b in pairwise(row))

    figures = [[_trend_tick(r) for r in rows] for rows in panels]
    for columns in (2, 1) if len(panels) > 1 else (1,):
        if fits(figures, columns):
            return columns, figures
    named = [say("trends.year_item", year=y) for y in years]
    for every in range(1, span + 1):  # a single year always fits: the loop ends with `shown` set
        shown = [name if (year - years[0]) % every == 0 else "" for year, name in zip(years, named, strict=True)]
        if fits([shown], 1):
            break
    return 1, [shown for _ in panels]


def _trend_panel(ax, rows: list[Row], ticks: list[str]) -> None:
    """One figure over the years: shares on 0-100%, counts from 0; a gap wherever there is no figure."""
    years = [int(r["year"]) for r in rows]
    values = [_trend_value(r) for r in rows]
    share = any(not pd.isna(r["denominator"]) for r in rows)
    ax.plot(years, values, color=THIS_YEAR, linewidth=1.8, marker="o", markersize=5, clip_on=False)
    ax.set_xticks(years, ticks, fontsize=NOTE_SIZE, linespacing=1.1)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    if share:
        ax.set_ylim(0, 100)
        ax.set_yticks([0, 50, 100], ["0", "50", "100%"])
    else:
        most = max([1.0] + [v for v in values if not math.isnan(v)])
        ax.set_ylim(0, most * 1.1)
        ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=3, integer=True))
    ax.tick_params(axis="y", labelsize=NOTE_SIZE, length=0, pad=2)
    ax.tick_params(axis="x", length=3, pad=3)
    ax.grid(visible=True, axis="y", color="#d9d9d9", linewidth=0.8)
    ax.grid(visible=False, axis="x")
    for side, spine in ax.spines.items():
        spine.set_visible(side == "bottom")
    ax.spines["bottom"].set_color(INK)


def trend_alt(data: TrendsData, link: str, panels: list[list[Row]], years: str, continued: bool = False) -> str:
    """Every figure the trend chart draws, in words: its title, then each figure year by year."""
    groups = [
        say(
            "chart.alt_bar",
            label=" ".join(_bar_label(data, rows[0]).split()),
            years=say("list.comma").join(say("chart.alt_year", year=int(r["year"]), note=_trend_note(r)) for r in rows),
        )
        for rows in panels
    ]
    return say("chart.alt_link", title=trend_title(data, link, years, continued), figures=say("list.items").join(groups))


def trend_figure_html(data: TrendsData, link: str, panels: list[list[Row]], years: str) -> str:
    """The link's trend chart, drawn and written into the page with its figures in words, a figure a part."""
    parts = trend_parts(data, link, panels, years)
    salts = [f"trends-{data.lang}-{link}" + (f"-{k}" if k else "") for k in range(len(parts))]
    return "".join(figure_html(fig, alt, salt=salt) for (fig, alt), salt in zip(parts, salts, strict=True))
