"""The key changes chart: a dumbbell per share asked in both years, largest rise first, its dots at
the percentages, its changes written as the page's language writes them, its figures in words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SAMPLE_RAW, unit_row
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from analysis.publish import chart_changes, charts, load, shapes
from analysis.publish.wording import language

TITLES = {
    "zh": "图1 各项比例与上年比较（2004年与2003年）",
    "en": "Figure 1 Shares compared with the year before (2004 and 2003)",
}


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty processed folder: the figures are computed from the shipped returns."""
    return tmp_path_factory.mktemp("processed")


@pytest.fixture(scope="module")
def y2004(processed: Path) -> load.ReportData:
    charts.setup()
    return load.load_year(2004, raw_dir=SAMPLE_RAW, processed_dir=processed, lang="en")


@pytest.fixture(scope="module")
def y2004_zh(processed: Path) -> load.ReportData:
    charts.setup()
    return load.load_year(2004, raw_dir=SAMPLE_RAW, processed_dir=processed, lang="zh")


def dots(fig: Figure, year: int) -> PathCollection:
    """The dots of one year: the scatter labelled with it."""
    return next(
        c for c in fig.axes[0].collections if isinstance(c, PathCollection) and c.get_label() == f"_{year}"
    )


def change_texts(fig: Figure) -> list[str]:
    """The changes written at the rows' right, top to bottom."""
    ax = fig.axes[0]
    return [t.get_text() for t in ax.texts]


def test_one_row_per_share_asked_in_both_years_largest_rise_first(y2004):
    rows = chart_changes.changes_rows(y2004)
    assert len(rows) == 13  # 14 shares in 2004, one of them new this year
    changes = [float(r["change_pp"]) for r in rows]
    assert changes == sorted(changes, reverse=True)
    assert changes[0] == pytest.approx(15.8) and changes[1] == pytest.approx(15.8)
    catalogue = [i.id for i in y2004.catalogue.indicators]
    first, second = rows[0]["indicator"], rows[1]["indicator"]
    assert catalogue.index(first) < catalogue.index(second)  # a tie in catalogue order
    assert (first, second) == ("assessment_democratic_appraisal", "assessment_feedback")
    with language("en"):
        fig = charts.changes_chart(y2004, TITLES["en"])
    assert change_texts(fig)[0] == "+15.8 pp" and len(change_texts(fig)) == 13
    ys = list(dots(fig, 2004).get_offsets()[:, 1])
    assert ys == sorted(ys)  # the first row on top: the y axis runs down the chart


def test_each_dot_stands_at_its_percent_and_the_line_joins_them(y2004):
    with language("en"):
        fig = charts.changes_chart(y2004, TITLES["en"])
    rows = chart_changes.changes_rows(y2004)
    now, before = dots(fig, 2004).get_offsets(), dots(fig, 2003).get_offsets()
    assert list(now[:, 0]) == pytest.approx([float(r["percent"]) for r in rows])
    assert list(before[:, 0]) == pytest.approx([float(r["previous_percent"]) for r in rows])
    assert list(now[:, 1]) == pytest.approx(list(before[:, 1]))  # a row's two dots on one line
    joins = [line for line in fig.axes[0].get_lines() if isinstance(line, Line2D)]
    assert len(joins) == 13
    for join, row, y in zip(joins, rows, now[:, 1], strict=True):
        assert list(join.get_xdata()) == pytest.approx(
            [float(row["previous_percent"]), float(row["percent"])]
        )
        assert list(join.get_ydata()) == pytest.approx([y, y])
    assert fig.axes[0].get_xlim() == (0, 100)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["2003", "2004"]


def test_the_text_alternative_holds_every_rows_figures(y2004):
    with language("en"):
        alt = charts.changes_alt(y2004, TITLES["en"])
    assert alt.startswith(f"Chart: {TITLES['en']}. ")
    assert "逐级分解责任 Layered decomposition: 2003 47.4%, 2004 60.5%, +13.1 pp" in alt
    for row in chart_changes.changes_rows(y2004):
        figures = (
            f"2003 {row['previous_percent']:.1f}%, 2004 {row['percent']:.1f}%, +{row['change_pp']:.1f} pp"
        )
        assert figures in alt, row["indicator"]
    assert alt.count("; ") == 12


def test_the_chart_is_the_same_bytes_every_time(y2004):
    with language("en"):
        first = charts.changes_figure_html(y2004, TITLES["en"])
        second = charts.changes_figure_html(y2004, TITLES["en"])
    assert first == second
    assert first.startswith('<figure class="chart"><svg role="img" aria-label="Chart: Figure 1 ')
    assert "+15.8 pp" in first and "<image" not in first


def test_the_smallest_text_stays_legible_on_a_phone(y2004):
    with language("en"):
        fig = charts.changes_chart(y2004, TITLES["en"])
    width_points = fig.get_size_inches()[0] * 72
    smallest = min(
        t.get_fontsize() for t in fig.findobj(charts.Text) if t.get_visible() and t.get_text().strip()
    )
    assert smallest * charts.min_width_px(fig, width_points) / width_points >= charts.MIN_TEXT_PX - 0.01
    assert charts.min_width_px(fig, width_points) <= 400


def test_on_paper_a_label_says_the_forms_words_and_ours_on_one_line_beside_its_row(y2004):
    """The Word file's chart, English: "结合民主评议 Combined with democratic appraisal" beside the
    dumbbell (two lines, not three, for a long label), so its rows keep to about half a page."""
    with language("en"):
        fig = charts.changes_chart_paper(y2004)
        rows = shapes.share_changes(y2004)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == len(rows) == 13  # 14 shares, one not asked in 2003
    first = labels[0].replace("\n", " ")
    assert re.fullmatch(r"[\u4e00-\u9fff]+ [A-Z][a-z ]+", first), first
    assert sum(label.count("\n") + 1 for label in labels) < 2 * len(labels), labels  # a line most


def test_a_first_year_has_no_chart(processed: Path):
    first = load.load_year(2001, raw_dir=SAMPLE_RAW, processed_dir=processed)
    assert first.previous_year is None
    assert charts.changes_chart(first, "title") is None
    assert charts.changes_figure_html(first, "title") == ""
    assert charts.changes_alt(first, "title") == ""


def test_in_chinese_the_labels_are_chinese_and_the_change_reads_as_the_genre_writes_it(y2004_zh):
    with language("zh"):
        fig = charts.changes_chart(y2004_zh, TITLES["zh"])
        alt = charts.changes_alt(y2004_zh, TITLES["zh"])
    assert change_texts(fig)[0] == "提高15.8个百分点"
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == "结合民主评议" and len(labels) == 13
    assert all(re.fullmatch(r"[\u4e00-\u9fff（）]+", label) for label in labels)  # no English beside them
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["2003年", "2004年"]
    assert fig.axes[0].get_xlabel() == "占单位比例（%）"
    assert alt.startswith(
        f"图：{TITLES['zh']}。结合民主评议：2003年为42.1%，2004年为57.9%，提高15.8个百分点；"
    )
    assert "逐级分解责任：2003年为47.4%，2004年为60.5%，提高13.1个百分点" in alt


def test_falls_come_last_an_unchanged_share_reads_so_and_a_small_base_is_marked(write_year, tmp_path: Path):
    charts.setup()
    write_year(
        2010,
        [
            unit_row("A", yes={"decomposition_plan", "assessment_plan"}),
            unit_row("B", yes={"assessment_plan"}),
        ],
    )
    raw = write_year(
        2011,
        [
            unit_row("A", yes={"assessment_plan", "accountability_rules"}),
            unit_row("B", yes={"assessment_plan"}),
        ],
    )
    data = load.load_year(2011, raw_dir=raw, processed_dir=tmp_path / "none")
    rows = chart_changes.changes_rows(data)
    assert float(rows[0]["change_pp"]) == 50.0 and float(rows[-1]["change_pp"]) == -50.0
    assert rows[-1]["indicator"] == "decomposition_plan"
    assert rows == shapes.share_changes(data)
    with language("en"):
        written = change_texts(charts.changes_chart(data, "t"))
    assert written[0] == "+50.0 pp†" and written[-1] == "-50.0 pp†" and "0.0 pp†" in written
    with language("zh"):
        written = change_texts(charts.changes_chart(data, "t"))
        alt = charts.changes_alt(data, "t")
    assert written[0] == "提高50.0个百分点†" and written[-1] == "下降50.0个百分点†" and "持平†" in written
    assert "责任分解方案：2010年为50.0%，2011年为0.0%，下降50.0个百分点†" in alt
