"""The report's charts: every chart titled, every label from the catalogues, Chinese drawn in a real font.

Titles, axis labels, legends and alternative text are the wording catalogue's; indicator and
question labels, and what each count counts, the indicator catalogue's and the instrument's.

Figures are built with the object-oriented API (no pyplot state, nothing shown by the
inline backend on its own) and rendered here to PNG with `figure_html`, inside the
notebook cell that asks for them. That way a failure while drawing, such as a glyph
missing from the fonts, fails that cell and the build, instead of becoming a traceback
printed by the display machinery while the cell succeeds. PNG rather than SVG: its bytes
are the same on every build.
"""

from __future__ import annotations

import base64
import io
import unicodedata

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from PIL import Image

from analysis.catalogue import Indicator
from analysis.publish import fonts
from analysis.publish.load import ReportData, Row
from analysis.publish.pages import render
from analysis.publish.shapes import ANSWER_CODES, field_links, unit_matrix
from analysis.publish.text import no_base
from analysis.publish.wording import say

DPI = 100
THIS_YEAR, LAST_YEAR = "#1f5a96", "#a9c4de"
ANSWER_COLOURS = {"yes": "#2166ac", "no": "#f4a582", "no answer": "#c8c8c8"}
WIDTH = 10.0  # inches; at DPI 100 the PNG is 1000 px wide, the width of the report's column
LABEL_SIZE = 9.5  # points, for the category labels
NAME_COLUMNS = 32  # a unit name in a chart: at most 16 Chinese characters wide (two columns each)
MIN_PLOT = 3.0  # inches the plotting area keeps across, however wide the labels beside it


def setup() -> None:
    """The house style, then the CJK font (after set_theme, which resets the font list)."""
    sns.set_theme(style="whitegrid", context="notebook")
    fonts.use_cjk_font()
    # Unit names are data: "$...$" in a name must print as written, not as mathematics.
    mpl.rcParams["text.parse_math"] = False
    # Unhinted glyphs: the same pixels whatever FreeType's hinting version, and faster to draw.
    mpl.rcParams["text.hinting"] = "no_hinting"
    # The CJK face has no bold weight: bold Chinese would log a font warning and fall back anyway.
    mpl.rcParams["axes.titleweight"] = "normal"


def figure_html(fig: Figure, alt: str) -> str:
    """Draw the figure now with Agg, as an embedded PNG with its title as alternative text."""
    return render("sections/figure.html.j2", alt=alt, png=png_base64(fig))


def png_base64(fig: Figure) -> str:
    """The figure as a 256-colour PNG: flat colours and anti-aliased text need no more, and the
    file is about a quarter of a full-colour one (the report stays small and quick to export).
    The same figure gives the same bytes: drawing, quantising and compressing are deterministic.
    """
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3]
    image = Image.fromarray(pixels).quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    # The octree lands the white background on 254: put it back, or a faint box shows on the page.
    image.putpalette([255 if all(v >= 250 for v in rgb) else v for rgb in _triples(image.getpalette()) for v in rgb])
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=6)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _triples(palette: list[int]) -> list[tuple[int, ...]]:
    return [tuple(palette[i : i + 3]) for i in range(0, len(palette), 3)]


def text_width(text: str, size: float) -> float:
    """Inches a line of text takes: wide (CJK) characters one em, others about 0.6 em.

    Margins are set from this estimate instead of by a layout engine, which would draw
    every chart twice (most of the time a report spends on its charts).
    """
    lines = text.splitlines() or [""]
    ems = max(sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in line) for line in lines)
    return ems * size / 72


def text_columns(text: str) -> int:
    """Width in terminal columns: a wide (CJK) character is two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


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


def _place(fig: Figure, left: float, bottom: float, top: float, right: float = 0.25) -> None:
    """Margins in inches, converted to the figure's fractions.

    The left margin never takes more than the plotting area needs to keep MIN_PLOT inches:
    a label too wide is cut at the figure's edge, instead of matplotlib refusing the layout.
    """
    width, height = fig.get_size_inches()
    left = min(left, width - right - MIN_PLOT)
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)


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


def _axis_words(data: ReportData, panel: list[Row]) -> tuple[str, str]:
    """A panel's axis label and title: shares of units, or counts of what its indicators count."""
    if panel[0]["kind"] == "share":
        return say("chart.share_axis"), say("chart.share_title")
    counted: Indicator = data.catalogue.get(panel[0]["indicator"])
    return say("chart.count_axis", count_zh=counted.count_zh, unit=counted.unit_en), say("chart.count_title", count_zh=counted.count_zh)


def link_chart(data: ReportData, link: str) -> Figure:
    """Shares of the link's indicators, this year beside the previous one; counts in a panel for each thing counted."""
    shares = data.rows_where(link=link, kind="share")
    panels = [p for p in (shares, *count_panels(data, link)) if p]
    years = [(data.previous_year, "previous_", LAST_YEAR)] if data.previous_year is not None else []
    years.append((data.year, "", THIS_YEAR))
    bar_inches = 0.3 * len(years) + 0.3
    heights = [len(p) * bar_inches + 0.2 for p in panels]
    gap, top, bottom = 0.9, 1.0, 0.55
    fig = Figure(figsize=(WIDTH, sum(heights) + gap * (len(panels) - 1) + top + bottom), dpi=DPI, facecolor="white")
    labels = [[_bar_label(data, r) for r in p] for p in panels]
    left = max(text_width(t, LABEL_SIZE) for group in labels for t in group) + 0.25
    _place(fig, left=left, bottom=bottom, top=top)
    axes = fig.subplots(nrows=len(panels), ncols=1, height_ratios=heights, squeeze=False, gridspec_kw={"hspace": gap / (sum(heights) / len(heights))})[:, 0]
    for ax, panel, names in zip(axes, panels, labels, strict=True):
        percent = panel is shares
        if percent:
            xmax = 112.0
        else:
            xmax = max([1] + [int(r[k]) for r in panel for k in ("numerator", "previous_numerator") if not pd.isna(r[k])]) * 1.2 + 1
        axis, title = _axis_words(data, panel)
        ax.set_xlabel(axis, fontsize=10)
        ax.set_title(title, loc="left", fontsize=11)
        _bars(ax, rows=panel, years=years, names=names, percent=percent, xmax=xmax)
        ax.set_xlim(0, xmax)
    handles = [Patch(color=colour, label=str(year)) for year, _, colour in reversed(years)]
    fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(1 - 0.25 / WIDTH, 1 - 0.45 / fig.get_size_inches()[1]), ncols=len(handles), frameon=False, fontsize=10)
    fig.suptitle(link_title(data, link), fontsize=15, x=0.1 / WIDTH, y=1 - 0.15 / fig.get_size_inches()[1], ha="left", va="top")
    return fig


def _bars(ax, rows: list[Row], years: list[tuple[int, str, str]], names: list[str], percent: bool, xmax: float) -> None:
    positions = np.arange(len(rows))
    height = 0.8 / len(years)
    for slot, (_, prefix, colour) in enumerate(years):
        offset = (len(years) - 1 - slot) * height - 0.4 + height / 2
        values, notes = [], []
        for row in rows:
            numerator = row[f"{prefix}numerator"]
            if pd.isna(numerator):
                values.append(0.0)
                notes.append(say("figure.none"))
            elif percent and pd.isna(row[f"{prefix}percent"]):  # an empty base: 0 of 0
                values.append(0.0)
                notes.append(no_base())
            elif percent:
                values.append(float(row[f"{prefix}percent"]))
                share = float(row[f"{prefix}percent"])
                notes.append(say("chart.share_note", k=int(numerator), n=int(row[f"{prefix}denominator"]), percent=f"{share:.1f}"))
            else:
                values.append(float(numerator))
                notes.append(str(int(numerator)))
        ax.barh(y=positions + offset, width=values, height=height * 0.92, color=colour)
        for y, value, note in zip(positions + offset, values, notes, strict=True):
            ax.text(x=value + xmax * 0.008, y=y, s=note, va="center", fontsize=8.5, color="#333333")
    ax.set_yticks(positions, names, fontsize=LABEL_SIZE)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)


def units_title(data: ReportData) -> str:
    return say("chart.units_title", year=data.year)


def units_chart(data: ReportData) -> Figure:
    """Units x yes/no questions: yes, no and no answer in three colours, grouped by link."""
    matrix = unit_matrix(data)
    codes = matrix.replace(ANSWER_CODES).astype(int).to_numpy()
    answers = sorted(ANSWER_CODES, key=ANSWER_CODES.get)  # -1 no answer, 0 no, 1 yes
    colours = ListedColormap([ANSWER_COLOURS[a] for a in answers])
    columns = [say("chart.question", zh=data.instrument.field(f).short_zh, en=data.instrument.field(f).short_en) for f in matrix.columns]
    row_inches, top, angle = 0.26, 1.15, np.radians(55)
    widths = [text_width(c, 9) for c in columns]
    bottom = max(widths) * np.sin(angle) + 0.75  # the column labels, turned, then the legend
    names = [short_name(u) for u in matrix.index]
    left = max(text_width(u, 9) for u in names) + 0.25
    for _ in range(2):  # the turned column labels reach left of their column: make room for them
        column = (WIDTH - left - 0.25) / len(columns)
        left = max(left, *(w * np.cos(angle) - (i + 0.5) * column + 0.15 for i, w in enumerate(widths)))
    fig = Figure(figsize=(WIDTH, row_inches * len(matrix) + top + bottom), dpi=DPI, facecolor="white")
    _place(fig, left=left, bottom=bottom, top=top)
    ax = fig.add_subplot()
    ax.imshow(codes, cmap=colours, vmin=min(ANSWER_CODES.values()) - 0.5, vmax=max(ANSWER_CODES.values()) + 0.5, aspect="auto", interpolation="nearest")
    ax.set_xticks(ticks=np.arange(len(columns)), labels=columns, rotation=55, ha="right", rotation_mode="anchor", fontsize=9)
    ax.set_yticks(np.arange(len(matrix)), names, fontsize=9)
    ax.hlines(y=np.arange(len(matrix) + 1) - 0.5, xmin=-0.5, xmax=len(columns) - 0.5, color="white", linewidth=0.8)
    ax.vlines(x=np.arange(len(columns) + 1) - 0.5, ymin=-0.5, ymax=len(matrix) - 0.5, color="white", linewidth=0.8)
    ax.grid(visible=False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    _link_spans(ax, data, list(matrix.columns))
    answers = (("yes", say("chart.yes")), ("no", say("chart.no")), ("no answer", say("chart.no_answer")))
    handles = [Patch(facecolor=ANSWER_COLOURS[a], label=label) for a, label in answers]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.1 / fig.get_size_inches()[1]), ncols=3, frameon=False, fontsize=10)
    fig.suptitle(units_title(data), fontsize=15, x=0.1 / WIDTH, y=1 - 0.15 / fig.get_size_inches()[1], ha="left", va="top")
    return fig


def _link_spans(ax, data: ReportData, fields: list[str]) -> None:
    """Name the link above each run of its questions, with a wider white rule between links."""
    owners = field_links(data)
    start = 0
    for i in range(1, len(fields) + 1):
        if i == len(fields) or owners.get(fields[i]) != owners.get(fields[start]):
            link = owners.get(fields[start])
            if link is not None:
                label = data.catalogue.links[link]
                ax.text(x=(start + i - 1) / 2, y=-0.7, s=say("chart.link_span", zh=label.label_zh, en=label.label_en), ha="center", va="bottom", fontsize=10)
            if i < len(fields):
                ax.axvline(i - 0.5, color="white", linewidth=4)
            start = i


def chart_alt(title: str) -> str:
    return say("chart.alt", title=title)


def link_figure_html(data: ReportData, link: str) -> str:
    """The link's chart, drawn and embedded."""
    return figure_html(link_chart(data, link), chart_alt(link_title(data, link)))


def units_figure_html(data: ReportData) -> str:
    return figure_html(units_chart(data), chart_alt(units_title(data)))
