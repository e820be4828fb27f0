"""The link charts: each indicator's share, this year beside the previous one, and the counts.

Also their text alternative (every figure drawn, in words) and the chart as markup for the page.
"""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.catalogue import Indicator
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
from analysis.publish.load import ReportData, Row
from analysis.publish.numbering import figure_caption, source_line
from analysis.publish.shapes import not_asked, small_base
from analysis.publish.text import no_base
from analysis.publish.wording import say


def _bar_label(data: ReportData, row: Row) -> str:
    """Chinese, then English, from the instrument's short labels; the population on a line of its own."""
    indicator = data.catalogue.get(row["indicator"])
    spec = data.instrument.field(indicator.field) if indicator.kind == "share" else None
    zh = spec.short_zh if spec and spec.short_zh else indicator.label_zh
    en = spec.short_en if spec and spec.short_en else indicator.label_en
    if row["population"] == "all":
        return say("chart.bar_label", zh=zh, en=en)
    population = data.catalogue.populations[row["population"]]
    return say(
        "chart.bar_label_of_population",
        zh=zh,
        en=en,
        population_zh=population.label_zh,
        population_en=population.label_en,
    )


def link_title(data: ReportData, link: str) -> str:
    """The figure's number, the link's name and the years its bars compare, as the chart and its
    text alternative say them."""
    return figure_caption(data, f"link:{link}", link_words(data, link))


def link_words(data: ReportData, link: str) -> str:
    """The link's name and the years compared: the title its chart and its table share."""
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
    axis = say("chart.count_axis", count_zh=counted.count_zh, unit=counted.unit_en)
    return axis, say("chart.count_title", count_zh=counted.count_zh)


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
    note = say(
        "chart.share_note", k=int(numerator), n=int(row[f"{prefix}denominator"]), percent=f"{share:.1f}"
    )
    if small is not None and small_base(row, small, prefix):
        note = say("small_base.chart", note=note, mark=say("small_base.mark"))
    return share, note


BAR = 0.2  # inches a bar takes down the chart
GROUP_GAP = 0.16  # inches between one group of bars and the next label


def _group_heights(labels: list[str], bars: int) -> list[float]:
    """Inches each bar group takes: its label's lines above, then its bars."""
    return [
        len(label.splitlines()) * line_inches(LABEL_SIZE) + 0.04 + bars * BAR + GROUP_GAP for label in labels
    ]


def link_chart(data: ReportData, link: str) -> Figure:
    """Shares of the link's indicators, this year beside the previous one; counts in a panel for
    each thing counted.

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
    fig = Figure(
        figsize=(WIDTH, top + sum(heights) + len(panels) * (panel_top + panel_bottom)),
        dpi=100,
        facecolor="white",
    )
    _place(fig, left=0.2, bottom=panel_bottom, top=top + panel_top, right=0.25)
    axes = fig.subplots(
        nrows=len(panels),
        ncols=1,
        height_ratios=heights,
        squeeze=False,
        gridspec_kw={"hspace": (panel_top + panel_bottom) / (sum(heights) / len(heights))},
    )[:, 0]
    for ax, panel, names, height in zip(axes, panels, labels, heights, strict=True):
        axis, panel_title = _axis_words(data, panel)
        ax.set_xlabel(axis, fontsize=NOTE_SIZE)
        ax.set_title(panel_title, loc="left", fontsize=LABEL_SIZE)
        _bars(ax, rows=panel, years=years, names=names, plot=plot, small=data.catalogue.small_base)
        ax.set_ylim(height, 0)
    handles = [
        Patch(color=colour, label=say("chart.legend_year", year=year)) for year, _, colour in reversed(years)
    ]
    _year_legend(fig, handles, top=legend_top)
    _title(fig, title, top=0.15)
    return fig


def _bars(
    ax,
    rows: list[Row],
    years: list[tuple[int, str, str]],
    names: list[str],
    plot: float,
    small: int | None = None,
) -> None:
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
        # this year's bar first, as in the legend
        for slot, (_, prefix, colour) in enumerate(reversed(years)):
            value, note = values[prefix][len(label_tops) - 1]
            ax.barh(y=first_bar + slot * BAR, width=value, height=BAR * 0.86, color=colour)
            ax.text(
                x=value + xmax * 0.01,
                y=first_bar + slot * BAR,
                s=note,
                va="center",
                fontsize=NOTE_SIZE,
                color=INK,
            )
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


def link_alt(data: ReportData, link: str) -> str:
    """Every figure the link chart draws, in words: its title, then each bar group with each year's figure."""
    groups = []
    for panel in link_panels(data, link):
        for row in panel:
            years = [
                say("chart.alt_year", year=year, note=bar_value(row, prefix, data.catalogue.small_base)[1])
                for year, prefix, _ in reversed(chart_years(data))
            ]
            groups.append(
                say(
                    "chart.alt_bar",
                    label=" ".join(_bar_label(data, row).split()),
                    years=say("list.comma").join(years),
                )
            )
    return say("chart.alt_link", title=link_title(data, link), figures=say("list.items").join(groups))


def link_figure_html(data: ReportData, link: str) -> str:
    """The link's chart, drawn and written into the page with its figures in words."""
    return figure_html(
        link_chart(data, link),
        link_alt(data, link),
        salt=f"{data.year}-{data.lang}-{link}",
        source=source_line(data),
    )
