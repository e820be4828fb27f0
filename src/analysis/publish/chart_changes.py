"""The key changes chart: each share asked in both years, a dumbbell from last year's percent to this year's.

One row a share, in the order the headline lists its changes (`shapes.share_changes`: largest
rise first, falls last, catalogue order on ties), so the chart and the sentence beside it
cannot disagree. A hollow dot is the year compared with, a filled dot this year, joined by a
line; the change is written at the row's right as the page's language writes it, marked (†)
when either year's base is small, as the link charts mark their figures. Each row's label
stands above its dumbbell across the chart, as a link chart's group label does, so the rows
keep the chart's width on a phone. A first year, or one with no share in both years, has no
chart: nothing to compare.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from analysis.publish.chart_links import _bar_label
from analysis.publish.chart_style import (
    INK,
    LABEL_SIZE,
    LAST_YEAR,
    NOTE_SIZE,
    THIS_YEAR,
    TITLE_SIZE,
    WIDTH,
    _place,
    _title,
    _year_legend,
)
from analysis.publish.chart_svg import figure_html
from analysis.publish.chart_text import line_inches, text_width, wrap
from analysis.publish.figure_words import percent_text
from analysis.publish.load import ReportData, Row
from analysis.publish.shapes import share_changes, small_base
from analysis.publish.wording import say

DOT_ROW = 0.24  # inches a dumbbell takes down the chart, below its label
ROW_GAP = 0.14  # inches between one dumbbell and the next row's label
DOT = 7.0  # points across this year's (filled) dot
RING = 10.0  # points across last year's (hollow) dot: larger, so an unchanged share shows both
RING_LINE = 1.6  # points: the hollow dot's outline
JOIN = "#6f6f6f"  # the line from one year's dot to the other's: 5.1:1 on white
TRACK = "#d9d9d9"  # each row's 0-100% track, behind its dumbbell: a scale to read it against
QUARTER = 0.05  # inches the track's marks at 25, 50 and 75% reach above and below it
EDGE = 0.2  # inches of white at the chart's left and right edges
CHANGE_GAP = 0.2  # inches between the plot's right edge and the widest change written beside it
PAPER_WIDTH = 6.1  # inches: the documents' text block (156 mm), where the paper chart prints at its size
PAPER_PLOT = 1.8  # inches the paper chart's 0-100% tracks keep across, beside the labels
AXIS = 0.55  # inches under the plot: the percentages under the axis, and what they are
PAPER_ROW, PAPER_GAP = 0.17, 0.06  # inches: a paper row's dumbbell (or label) and the gap under it


def changes_rows(data: ReportData) -> list[Row]:
    """The shares the chart draws, in its order; none for a first year (nothing to compare with)."""
    if data.previous_year is None:
        return []
    return share_changes(data)


def change_words(row: Row, small: int | None = None) -> str:
    """A row's change as the page's language writes it ('+13.1 pp', '提高13.1个百分点', '持平'),
    marked (†) when either year's base is under `small` units: the link charts' rule."""
    points = round(float(row["change_pp"]), 1)
    if points > 0:
        words = say("chart.changes_up", pp=f"{points:.1f}")
    elif points < 0:
        words = say("chart.changes_down", pp=f"{-points:.1f}")
    else:
        words = say("chart.changes_same")
    if small is not None and (small_base(row, small) or small_base(row, small, "previous_")):
        words = say("small_base.chart", note=words, mark=say("small_base.mark"))
    return words


def _row_heights(labels: list[str]) -> list[float]:
    """Inches each row takes: its label's lines, then its dumbbell."""
    return [len(label.splitlines()) * line_inches(LABEL_SIZE) + 0.04 + DOT_ROW + ROW_GAP for label in labels]


def changes_chart(data: ReportData, title: str) -> Figure | None:
    """Each share asked in both years as a dumbbell, largest rise first; None when nothing is compared.

    Laid out from measured text, as the link charts are: the widest change sets the right
    margin, the labels wrap to the chart's width, and the chart grows down by rows.
    """
    rows = changes_rows(data)
    if not rows:
        return None
    changes, right = _changes(data, rows)
    labels = [wrap(_bar_label(data, row), LABEL_SIZE, WIDTH - 2 * EDGE) for row in rows]
    heights = _row_heights(labels)
    heading, top = _heading(title, WIDTH)
    fig = Figure(figsize=(WIDTH, top + sum(heights) + AXIS), dpi=100, facecolor="white")
    _place(fig, left=EDGE, bottom=AXIS, top=top, right=right, plot=0)  # the labels: above the rows
    ax = fig.subplots()
    ys = _dumbbells(ax, data, rows, labels, heights)
    return _finish(fig, ax, data, changes, ys, sum(heights), heading)


def changes_chart_paper(data: ReportData) -> Figure | None:
    """The chart for the office's documents: as wide as the printed text (PAPER_WIDTH) and drawn at
    the size it prints, each label beside its dumbbell, so that 14 rows take less than half a page
    and its words print at their own size; no title drawn, as the caption under the picture says
    its number and title; None when nothing is compared."""
    rows = changes_rows(data)
    if not rows:
        return None
    changes, right = _changes(data, rows)
    said = [_bar_label(data, row).replace("\n", " ") for row in rows]  # the form's words and ours on a line
    column = min(
        max(text_width(label, LABEL_SIZE) for label in said), PAPER_WIDTH - right - PAPER_PLOT - EDGE
    )
    labels = [wrap(label, LABEL_SIZE, column) for label in said]
    heights = [
        max(len(label.splitlines()) * line_inches(LABEL_SIZE), PAPER_ROW) + PAPER_GAP for label in labels
    ]
    heading, top = _heading("", PAPER_WIDTH)
    fig = Figure(figsize=(PAPER_WIDTH, top + sum(heights) + AXIS), dpi=100, facecolor="white")
    _place(fig, left=EDGE + column + 0.1, bottom=AXIS, top=top, right=right, plot=0)
    ax = fig.subplots()
    ys = [sum(heights[:i]) + heights[i] / 2 for i in range(len(heights))]
    _draw(ax, data, rows, ys)
    ax.set_yticks(ys, labels, fontsize=LABEL_SIZE, ha="right", va="center", linespacing=1.15)
    ax.tick_params(axis="y", length=0, pad=6)
    return _finish(fig, ax, data, changes, ys, sum(heights), heading)


def _changes(data: ReportData, rows: list[Row]) -> tuple[list[str], float]:
    """Each row's change in words, and the inches the widest takes at the chart's right."""
    changes = [change_words(row, data.catalogue.small_base) for row in rows]
    return changes, EDGE + CHANGE_GAP + max(text_width(words, NOTE_SIZE) for words in changes)


def _heading(title: str, width: float) -> tuple[tuple[str, float], float]:
    """The title wrapped to the chart's width and where the legend's row goes under it; and the
    inches both take above the plot."""
    wrapped = wrap(title, TITLE_SIZE, width - 0.2)
    legend_top = 0.15 + len(wrapped.splitlines()) * line_inches(TITLE_SIZE) + 0.08
    return (wrapped, legend_top), legend_top + line_inches(NOTE_SIZE) + 0.2


def _finish(
    fig: Figure, ax: Axes, data: ReportData, changes: list[str], ys: list[float], rows: float, heading: tuple
) -> Figure:
    """What both layouts share: each change at the chart's right, the 0-100% axis, the legend, the title."""
    # the change at each row's right, right-aligned at the chart's edge: the figures line up
    width = fig.get_size_inches()[0]
    beside = blended_transform_factory(fig.transFigure, ax.transData)
    for y, words in zip(ys, changes, strict=True):
        ax.text(1 - EDGE / width, y, words, transform=beside, ha="right", va="center", fontsize=NOTE_SIZE)
    ax.set_ylim(rows, 0)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(say("chart.share_axis"), fontsize=NOTE_SIZE)
    ax.tick_params(axis="x", labelsize=NOTE_SIZE)
    ax.grid(visible=False)
    for side, spine in ax.spines.items():
        spine.set_visible(side == "bottom")
    ax.spines["bottom"].set_color(INK)
    wrapped, legend_top = heading
    _year_legend(fig, _legend_handles(data), top=legend_top)
    if wrapped:
        _title(fig, wrapped, top=0.15)
    return fig


def _dumbbells(
    ax: Axes, data: ReportData, rows: list[Row], labels: list[str], heights: list[float]
) -> list[float]:
    """A row per share: its label on the left above a 0-100% track, its two dots joined on the track.

    The axis runs in inches down the chart, as the link charts' does, so a label's lines and
    the dumbbells keep their size whatever the number of rows. Returns each dumbbell's height.
    """
    label_tops, ys, y = [], [], 0.0
    for label, height in zip(labels, heights, strict=True):
        lines = len(label.splitlines()) * line_inches(LABEL_SIZE)
        label_tops.append(y + lines)
        ys.append(y + lines + 0.04 + DOT_ROW / 2)
        y += height
    _draw(ax, data, rows, ys)
    ax.set_yticks(label_tops, labels, fontsize=LABEL_SIZE, ha="left", va="bottom", linespacing=1.15)
    ax.tick_params(axis="y", length=0, pad=0)
    for tick in ax.get_yticklabels():
        tick.set_x(0.0)  # the label starts at the plot's left edge, over its dumbbell
        tick.set_transform(ax.get_yaxis_transform())
    return ys


def _draw(ax: Axes, data: ReportData, rows: list[Row], ys: list[float]) -> None:
    """Each share's 0-100% track and its two dots joined, at the heights `ys`."""
    before = [float(row["previous_percent"]) for row in rows]
    now = [float(row["percent"]) for row in rows]
    ax.hlines(ys, 0, 100, colors=TRACK, linewidth=1.0, zorder=1)
    for quarter in (25, 50, 75):  # the axis is far below the top rows: each track carries its scale
        ax.vlines(
            [quarter] * len(ys), [y - QUARTER for y in ys], [y + QUARTER for y in ys], colors=TRACK, zorder=1
        )
    for y, start, end in zip(ys, before, now, strict=True):
        ax.plot([start, end], [y, y], color=JOIN, linewidth=2.0, solid_capstyle="butt", zorder=2)
    # last year's ring under this year's dot: where a share did not change, the ring shows round it
    ax.scatter(
        before,
        ys,
        s=RING**2,
        facecolors="white",
        edgecolors=LAST_YEAR,
        linewidths=RING_LINE,
        zorder=3,
        clip_on=False,
        label=f"_{data.previous_year}",
    )
    ax.scatter(now, ys, s=DOT**2, color=THIS_YEAR, zorder=4, clip_on=False, label=f"_{data.year}")


def _legend_handles(data: ReportData) -> list[Line2D]:
    """Which dot is which year: the hollow one the year compared with, the filled one this year."""
    ring = Line2D(
        [],
        [],
        linestyle="none",
        marker="o",
        markersize=RING,
        markerfacecolor="white",
        markeredgecolor=LAST_YEAR,
        markeredgewidth=RING_LINE,
        label=say("chart.legend_year", year=data.previous_year),
    )
    dot = Line2D(
        [],
        [],
        linestyle="none",
        marker="o",
        markersize=DOT,
        color=THIS_YEAR,
        label=say("chart.legend_year", year=data.year),
    )
    return [ring, dot]


def changes_alt(data: ReportData, title: str) -> str:
    """Every figure the chart draws, in words: the title, then each row's two percentages and its
    change, as written at its right; "" when there is no chart."""
    rows = changes_rows(data)
    if not rows:
        return ""
    items = []
    for row in rows:
        years = [
            say("chart.alt_year", year=year, note=percent_text(row[f"{prefix}percent"]))
            for year, prefix in ((data.previous_year, "previous_"), (data.year, ""))
        ]
        items.append(
            say(
                "chart.changes_alt_row",
                label=" ".join(_bar_label(data, row).split()),
                years=say("list.comma").join(years),
                change=change_words(row, data.catalogue.small_base),
            )
        )
    return say("chart.changes_alt", title=title, figures=say("list.items").join(items))


def changes_figure_html(data: ReportData, title: str, source: str = "") -> str:
    """The chart, drawn and written into the page with its figures in words and its `source`
    under it; "" when there is none."""
    fig = changes_chart(data, title)
    if fig is None:
        return ""
    return figure_html(fig, changes_alt(data, title), salt=f"{data.year}-{data.lang}-changes", source=source)
