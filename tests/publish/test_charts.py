"""The charts as SVG in the page: the same bytes every time, text kept as text, ids unique on the
page, figures stated in words, yes / no / no answer told apart by more than colour, colours
with enough contrast, and type that stays legible on a phone.

The stylesheet's colours are checked here too: every text colour of report.css against the
backgrounds it is set on.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import SAMPLE_RAW

from analysis.publish import charts, load, shapes
from analysis.publish.wording import language

STYLESHEET = Path(charts.__file__).resolve().parent / "templates" / "report" / "report.css"
FIGURE = re.compile(r"\d+/\d+|\d+\.\d%")


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def y2004() -> load.ReportData:
    charts.setup()
    return load.load_year(2004, raw_dir=SAMPLE_RAW, processed_dir="/nonexistent")


@pytest.fixture(scope="module")
def page_charts(y2004) -> list[str]:
    """Every chart of the 2004 page, as the notebook displays them."""
    return [charts.link_figure_html(y2004, link) for link in shapes.links(y2004)] + [
        charts.units_figure_html(y2004)
    ]


def test_a_chart_is_the_same_bytes_every_time(y2004, page_charts):
    assert charts.link_figure_html(y2004, "decomposition") == page_charts[0]
    assert charts.units_figure_html(y2004) == page_charts[-1]


def test_charts_are_svg_with_text_as_text_and_nothing_from_outside(page_charts):
    for chart in page_charts:
        assert chart.startswith('<figure class="chart"><svg role="img" aria-label="') and chart.endswith(
            "</figure>"
        )
        assert "<text" in chart and "<image" not in chart
        assert not re.search(r"https?:|xmlns|<metadata|<style|font-family|<!DOCTYPE|<\?xml", chart)
    assert "中央单位（十三）" in page_charts[-1]  # a unit name, searchable in the page


def test_ids_are_unique_on_the_page_and_every_reference_resolves(page_charts):
    page = "".join(page_charts)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    references = set(re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', page))
    assert {r for pair in references for r in pair if r} <= set(ids)


def test_every_chart_states_its_figures_in_words(y2004, page_charts):
    for link, chart in zip(shapes.links(y2004), page_charts, strict=False):
        alt = re.search(r'aria-label="([^"]*)"', chart).group(1)
        for row in y2004.rows_where(link=link, kind="share"):
            assert (
                f"{int(row['numerator'])}/{int(row['denominator'])}" in alt
                and f"{row['percent']:.1f}%" in alt
            ), (link, row["indicator"])
        for row in y2004.rows_where(link=link, kind="sum"):
            assert str(int(row["numerator"])) in alt
    units = re.search(r'aria-label="([^"]*)"', page_charts[-1]).group(1)
    assert "26/38 yes" in units and FIGURE.search(units)  # 26 units have a decomposition plan


def test_the_units_chart_marks_each_answer_with_its_own_shape(y2004):
    """A tick in every yes cell, a cross in every no, a dash in every no answer: not colour alone."""
    fig = charts.units_chart(y2004)
    strokes = [p for p in fig.axes[0].patches if p.get_facecolor()[3] == 0]  # marks are drawn, not filled
    matrix = shapes.unit_matrix(y2004)
    assert len({tuple(path.codes) for path in charts.MARKS.values()}) == 3
    for (answer, _), stroke in zip(charts.answer_words(), strokes, strict=True):
        cells = int(matrix.eq(answer).to_numpy().sum())
        assert list(stroke.get_path().codes) == list(charts.MARKS[answer].codes) * cells, answer
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["是 yes", "否 no", "未答 no answer"]


def test_chart_colours_keep_their_contrast():
    assert contrast(charts.INK, "#ffffff") >= 4.5
    for answer, cell in charts.ANSWER_COLOURS.items():
        assert contrast(charts.MARK_COLOURS[answer], cell) >= 4.5, answer  # the mark on its cell
    for bar in (charts.THIS_YEAR, charts.LAST_YEAR):
        assert contrast(bar, "#ffffff") >= 3  # a bar against the page
    assert contrast(charts.THIS_YEAR, charts.LAST_YEAR) >= 2  # and the two years apart


def _hex(colour: str) -> str:
    return colour if len(colour) == 7 else "#" + "".join(2 * c for c in colour[1:])


def test_every_text_colour_of_the_stylesheet_keeps_4_5_to_1():
    """Each `color:` of report.css, named or through a variable, against white and the header grey."""
    css = STYLESHEET.read_text(encoding="utf-8")
    variables = {name: _hex(value) for name, value in re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{3,6})\b", css)}
    said = re.findall(r"(?<![-\w])color:\s*(?:var\(--([a-z]+)\)|(#[0-9a-fA-F]{3,6})\b)", css)
    colours = {variables[name] if name else _hex(value) for name, value in said}
    backgrounds = ["#ffffff", variables["head"]]
    assert len(colours) >= 3
    low = {c: round(contrast(c, b), 2) for c in colours for b in backgrounds if contrast(c, b) < 4.5}
    assert low == {}


def test_charts_are_never_shown_so_small_their_text_is_under_9_px(y2004):
    for fig in [charts.link_chart(y2004, link) for link in shapes.links(y2004)] + [charts.units_chart(y2004)]:
        width_points = fig.get_size_inches()[0] * 72
        shown = charts.min_width_px(fig, width_points)
        smallest = min(
            t.get_fontsize() for t in fig.findobj(charts.Text) if t.get_visible() and t.get_text().strip()
        )
        # font size in points, scaled to px shown
        assert smallest * shown / width_points >= charts.MIN_TEXT_PX - 0.01
    # a phone's column: no scrolling
    assert charts.min_width_px(charts.link_chart(y2004, "assessment"), charts.WIDTH * 72) <= 360


def test_labels_wrap_to_their_room_and_chinese_breaks_between_characters():
    charts.setup()
    wrapped = charts.wrap("结果用于奖惩任用 Results used for reward and appointment", 10.5, 1.6)
    assert all(charts.text_width(line, 10.5) <= 1.6 for line in wrapped.splitlines())
    assert wrapped.replace("\n", "").replace(" ", "") == "结果用于奖惩任用Resultsusedforrewardandappointment"
    assert charts.wrap("Accountability", 10.5, 0.2) == "Accountability"  # a word too wide stays whole
    title = "责任分解（Responsibility decomposition）：2003年与2004年"
    assert charts.wrap(title, 12, 20) == title  # no space is added between Chinese and Latin or digits
    assert all(
        not line.startswith(("）", "：")) and not line.endswith("（")
        for line in charts.wrap(title, 12, 1.2).splitlines()
    )


def test_link_names_over_the_units_chart_never_overlap_nor_leave_it(y2004):
    fields = list(shapes.unit_matrix(y2004).columns)
    places = charts.span_places(charts.link_spans(y2004, fields), len(fields))
    assert len(places) == 3
    for a, b in pairwise(places):
        assert a.level != b.level or a.right + charts.SPAN_GAP <= b.left + 1e-9
    assert all(p.left >= -0.5 and p.right <= len(fields) - 0.5 for p in places)


def test_a_chart_speaks_the_page_language(y2004):
    with language("en"):
        alt = charts.link_alt(y2004, "decomposition")
    assert (
        alt.startswith("Chart: Figure 2. 责任分解 Responsibility decomposition: 2003 and 2004.")
        and "26/38  68.4%" in alt
    )
