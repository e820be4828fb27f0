"""The trends page's charts: each figure of a link over the years, a small panel for each.

A link's panels are cut into parts no taller than a printed page; each part is drawn, put in
words, and written into the page as markup.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from analysis.publish.chart_links import _bar_label
from analysis.publish.chart_style import INK, LABEL_SIZE, NOTE_SIZE, THIS_YEAR, TITLE_SIZE, WIDTH, _title
from analysis.publish.chart_svg import figure_html
from analysis.publish.chart_text import line_inches, text_width, wrap
from analysis.publish.load import Row
from analysis.publish.text import no_base
from analysis.publish.wording import say

if TYPE_CHECKING:  # the trends page's data: only read here, as the year pages' is
    from analysis.publish.trends_page import TrendsData


TREND_PLOT = 1.1  # inches a trend panel's plotting area is high
TREND_GAP = 0.2  # inches between two panels side by side
# inches: the most a part of a trend chart takes, within a printed page (report.css: 235 mm)
TREND_PART_HEIGHT = 9.0
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
    return say(
        "chart.share_note",
        k=int(row["numerator"]),
        n=int(row["denominator"]),
        percent=f"{float(row['percent']):.1f}",
    )


def _trend_tick(row: Row) -> str:
    """The words under a year: the year, then its figure with its base ('23/38', '60.5%'), or why
    there is none."""
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
        figure = say(
            "trends.chart.point",
            k=int(row["numerator"]),
            n=int(row["denominator"]),
            percent=f"{float(row['percent']):.1f}",
        )
    return f"{year}\n{figure}"


def _trend_value(row: Row) -> float:
    """The point drawn: NaN (a gap in the line, no point) when not asked or no figure, never 0."""
    if not bool(row["asked"]) or pd.isna(row["numerator"]):
        return math.nan
    if pd.isna(row["denominator"]):
        return float(row["numerator"])
    return math.nan if pd.isna(row["percent"]) else float(row["percent"])


def trend_title(data: TrendsData, link: str, years: str, continued: bool = False) -> str:
    """'责任分解 Responsibility decomposition, 2001–2004' / '责任分解各项指标（2001年至2004年）',
    and '… (continued)' / '…（续）'."""
    names = data.catalogue.links[link]
    label = " ".join(say("chart.link_span", zh=names.label_zh, en=names.label_en).split())
    return (
        say("trends.chart.title_continued", label=label, years=years)
        if continued
        else say("trends.chart.title", label=label, years=years)
    )


def trend_parts(data: TrendsData, link: str, panels: list[list[Row]], years: str) -> list[tuple[Figure, str]]:
    """The link's small charts over the years, each part a figure and its figures in words, in
    as many parts as it takes for none to be taller than a printed page (TREND_PART_HEIGHT):
    on paper a taller chart is shrunk to the page, and its words with it.

    `panels` holds, for each figure, one row per year (as `trends.indicator_trends` gives
    them). The words under the years decide the layout (`_trend_layout`), the same in every part.
    """
    columns, ticks = _trend_layout(panels)
    labels = [wrap(_bar_label(data, rows[0]), LABEL_SIZE, _trend_panel_width(columns)) for rows in panels]
    titles = [
        wrap(trend_title(data, link, years, continued), TITLE_SIZE, WIDTH - 0.2)
        for continued in (False, True)
    ]
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
        fig = trend_chart(
            [panels[i] for i in shown],
            [ticks[i] for i in shown],
            [labels[i] for i in shown],
            columns,
            titles[k > 0],
        )
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
    below = (
        max((len(t.splitlines()) for i in row for t in ticks[i]), default=1) * line_inches(NOTE_SIZE) + 0.15
    )
    return head + TREND_PLOT + below + 0.15


def trend_chart(
    panels: list[list[Row]], ticks: list[list[str]], labels: list[str], columns: int, title: str
) -> Figure:
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
            ax = fig.add_axes(
                (left / WIDTH, 1 - (y + head + TREND_PLOT) / height, width / WIDTH, TREND_PLOT / height)
            )
            _trend_panel(ax, panels[i], ticks[i])
            fig.text(
                (left - 0.35) / WIDTH,
                1 - y / height,
                labels[i],
                fontsize=LABEL_SIZE,
                ha="left",
                va="top",
                linespacing=1.15,
            )
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
        placed = [
            [(y, text_width(t, NOTE_SIZE)) for y, t in zip(years, rows, strict=True) if t] for rows in ticks
        ]
        return all(
            (b[0] - a[0]) * unit >= (a[1] + b[1]) / 2 + TREND_TICK_GAP
            for row in placed
            for a, b in pairwise(row)
        )

    figures = [[_trend_tick(r) for r in rows] for rows in panels]
    for columns in (2, 1) if len(panels) > 1 else (1,):
        if fits(figures, columns):
            return columns, figures
    named = [say("trends.year_item", year=y) for y in years]
    for every in range(1, span + 1):  # a single year always fits: the loop ends with `shown` set
        shown = [
            name if (year - years[0]) % every == 0 else "" for year, name in zip(years, named, strict=True)
        ]
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


def trend_alt(
    data: TrendsData, link: str, panels: list[list[Row]], years: str, continued: bool = False
) -> str:
    """Every figure the trend chart draws, in words: its title, then each figure year by year."""
    groups = [
        say(
            "chart.alt_bar",
            label=" ".join(_bar_label(data, rows[0]).split()),
            years=say("list.comma").join(
                say("chart.alt_year", year=int(r["year"]), note=_trend_note(r)) for r in rows
            ),
        )
        for rows in panels
    ]
    return say(
        "chart.alt_link",
        title=trend_title(data, link, years, continued),
        figures=say("list.items").join(groups),
    )


def trend_figure_html(data: TrendsData, link: str, panels: list[list[Row]], years: str) -> str:
    """The link's trend chart, drawn and written into the page with its figures in words, a figure a part."""
    parts = trend_parts(data, link, panels, years)
    salts = [f"trends-{data.lang}-{link}" + (f"-{k}" if k else "") for k in range(len(parts))]
    return "".join(figure_html(fig, alt, salt=salt) for (fig, alt), salt in zip(parts, salts, strict=True))
