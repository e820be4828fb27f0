"""The units at a glance: units by yes/no questions, each answer a coloured cell with its mark.

Also the links' names set over their questions' columns, the answers' legend, the chart's
text alternative and the chart as markup for the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

from analysis.publish.chart_style import (
    ANSWER_COLOURS,
    INK,
    LABEL_SIZE,
    MARK_COLOURS,
    TITLE_SIZE,
    WIDTH,
    _place,
    _title,
)
from analysis.publish.chart_svg import figure_html
from analysis.publish.chart_text import line_inches, short_name, text_width, wrap
from analysis.publish.load import ReportData
from analysis.publish.numbering import figure_caption, source_line
from analysis.publish.shapes import field_links, lists_in_full, shown_units
from analysis.publish.wording import say

ROW, COLUMN = 0.26, 0.34  # inches a unit's row and a question's column take (two characters a line)
CELL_GAP = 0.06  # of a cell's height, white on each side: the cells read as a grid
# The marks drawn in each cell, so yes, no and no answer differ by more than colour:
# a tick, a cross and a dash (x right, y up, within -0.5..0.5).
MARKS = {
    "yes": Path([(-0.42, 0.02), (-0.12, -0.3), (0.42, 0.34)], [Path.MOVETO, Path.LINETO, Path.LINETO]),
    "no": Path(
        [(-0.3, -0.3), (0.3, 0.3), (-0.3, 0.3), (0.3, -0.3)],
        [Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO],
    ),
    "no answer": Path([(-0.3, 0.0), (0.3, 0.0)], [Path.MOVETO, Path.LINETO]),
}
MARK_INCHES = 0.16  # how wide a mark is drawn
HEAD_LINE = COLUMN - 0.03  # inches: a question's label is wrapped to this width, upright


def units_title(data: ReportData) -> str:
    """The chart's number and title."""
    return figure_caption(data, "units", units_words(data))


def units_words(data: ReportData) -> str:
    """The title the units chart and table share; it says when only the units with most gaps are
    shown, and how many."""
    if not lists_in_full(data):
        return say("chart.units_title_most_gaps", year=data.year, count=len(shown_units(data)))
    return say("chart.units_title", year=data.year)


def answer_words() -> list[tuple[str, str]]:
    """Each answer with its legend words, in the legend's order."""
    return [("yes", say("chart.yes")), ("no", say("chart.no")), ("no answer", say("chart.no_answer"))]


def question_labels(data: ReportData, fields: list[str]) -> list[str]:
    """Each column's label upright over its column: the form's own short words, wrapped to the
    column's width (two Chinese characters a line), so no reader turns the page or their head.

    The form's words in either language: they are what the units table heads its columns with,
    and a column as narrow as a cell holds no English word; the English is in the text alternative.
    """
    return [wrap(data.instrument.field(f).short_zh, LABEL_SIZE, HEAD_LINE) for f in fields]


def units_chart(data: ReportData) -> Figure:
    """Units x yes/no questions: yes, no and no answer as a coloured cell with a tick, a cross or a dash.

    The question labels stand upright above their columns, wrapped to them, and the links'
    names above those, so a column is no wider than a cell: the chart is as narrow as the questions allow.
    """
    matrix = shown_units(data)
    fields = list(matrix.columns)
    columns = question_labels(data, fields)
    names = [short_name(u) for u in matrix.index]
    left = max(text_width(u, LABEL_SIZE) for u in names) + 0.2
    spans = link_spans(data, fields)
    width = max(WIDTH, left + len(fields) * COLUMN + 0.1)
    title = wrap(units_title(data), TITLE_SIZE, width - 0.2)
    heads = max(len(c.splitlines()) for c in columns) * line_inches(LABEL_SIZE) * 1.1 + 0.12
    top = (
        0.15
        + len(title.splitlines()) * line_inches(TITLE_SIZE)
        + 0.4
        + _span_height(spans, len(fields))
        + 0.15
        + heads
    )
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
        ax.add_patch(
            PathPatch(
                _marks(cells, MARKS[answer]),
                facecolor="none",
                edgecolor=MARK_COLOURS[answer],
                linewidth=1.6,
                capstyle="round",
                joinstyle="round",
            )
        )
    ax.set_xlim(-0.5, len(fields) - 0.5)
    ax.set_ylim(len(matrix) - 0.5, -0.5)
    ax.xaxis.tick_top()
    ax.set_xticks(
        np.arange(len(fields)),
        columns,
        fontsize=LABEL_SIZE,
        ha="center",
        va="bottom",
        multialignment="center",
        linespacing=1.1,
    )
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
    """(first column, last column, label) of each run of one link's questions, its label wrapped
    to the run."""
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
    """A link's name over its columns: its extent in columns (0 is the first column's centre) and
    its level."""

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
    lefts = [
        min(max((first + last) / 2 - w / 2, low), high - w)
        for (first, last, _), w in zip(spans, widths, strict=True)
    ]
    for i in range(1, len(lefts)):
        lefts[i] = max(lefts[i], lefts[i - 1] + widths[i - 1] + SPAN_GAP)
    for i in reversed(range(len(lefts))):
        limit = high if i == len(lefts) - 1 else lefts[i + 1] - SPAN_GAP
        lefts[i] = min(lefts[i], limit - widths[i])
    side_by_side = not lefts or lefts[0] >= low
    if not side_by_side:
        lefts = [
            min(max((first + last) / 2 - w / 2, low), high - w)
            for (first, last, _), w in zip(spans, widths, strict=True)
        ]
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
        ax.plot(
            [place.first - 0.45, place.last + 0.45],
            [y, y],
            color=INK,
            linewidth=1.0,
            clip_on=False,
            solid_capstyle="butt",
        )
        ax.text(
            x=place.left,
            y=y - 0.15 - place.level * level_rows,
            s=place.label,
            ha="left",
            va="bottom",
            fontsize=LABEL_SIZE,
            linespacing=1.15,
            clip_on=False,
        )
    for (_, last, _), (first, _, _) in pairwise(spans):
        ax.axvline((last + first) / 2, color="white", linewidth=5)


def _answer_legend(fig: Figure, top: float, left: float) -> None:
    """The three answers, each as its cell colour with its mark on it."""
    handles = [
        (
            Patch(facecolor=ANSWER_COLOURS[answer], edgecolor="none"),
            Line2D(
                [],
                [],
                linestyle="none",
                marker=MARKS[answer],
                markersize=9,
                markeredgewidth=1.6,
                markeredgecolor=MARK_COLOURS[answer],
                markerfacecolor="none",
            ),
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


def units_alt(data: ReportData) -> str:
    """The units chart in words: for each question how many units answered yes, no or nothing."""
    matrix = shown_units(data)
    questions = [
        say(
            "chart.alt_question",
            label=" ".join(
                say(
                    "chart.question",
                    zh=data.instrument.field(f).short_zh,
                    en=data.instrument.field(f).short_en,
                ).split()
            ),
            yes=int(matrix[f].eq("yes").sum()),
            no=int(matrix[f].eq("no").sum()),
            no_answer=int(matrix[f].eq("no answer").sum()),
            units=len(matrix),
        )
        for f in matrix.columns
    ]
    if not lists_in_full(data):
        return say(
            "chart.alt_units_most_gaps",
            title=units_title(data),
            count=len(matrix),
            figures=say("list.items").join(questions),
        )
    return say(
        "chart.alt_units",
        title=units_title(data),
        units=len(matrix),
        figures=say("list.items").join(questions),
    )


def units_figure_html(data: ReportData) -> str:
    """The units chart, drawn and written into the page with its figures in words."""
    return figure_html(
        units_chart(data), units_alt(data), salt=f"{data.year}-{data.lang}-units", source=source_line(data)
    )
