"""The trends page: every year's figures as its indicators.csv has them, gaps where a question was
not asked, the units that turned from yes to no, in both languages, linked from the indexes."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from pagetext import latin_words, visible_text

from analysis import store
from analysis.catalogue import load_catalogue, load_instrument
from analysis.figures import trends
from analysis.paths import Paths
from analysis.publish import charts
from analysis.publish.render import render_trends
from analysis.publish.trends_page import TrendsData, row_label
from analysis.publish.wording import language


@pytest.fixture(scope="module")
def built(shipped: Paths) -> Paths:
    """The shipped sample as `make report` builds it: every page in both languages."""
    return shipped


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts, the header row first."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def page_tables(page: Path) -> list[list[list[str]]]:
    parser = Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


def expected_cell(row: dict) -> str:
    """A figure as the English page writes it, spelled out here rather than by the page's code."""
    if row["asked"] is False or (not pd.isna(row["asked"]) and not row["asked"]):
        return "not asked"
    if pd.isna(row["denominator"]):
        return str(int(row["numerator"]))
    return f"{int(row['numerator'])} of {int(row['denominator'])} ({float(row['percent']):.1f}%)"


def test_both_pages_and_their_notebook_are_written(built: Paths):
    assert (built.reports / "trends.html").is_file()
    assert (built.reports / "zh" / "trends.html").is_file()
    assert (built.reports / "trends.ipynb").is_file()
    english = (built.reports / "trends.html").read_text(encoding="utf-8")
    chinese = (built.reports / "zh" / "trends.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and '<html lang="zh-Hans"' in chinese
    # a titled chart per link; at the phone's width (charts 4.5 in wide, issue 23) the nine charts of
    # the second link come in three parts and the third link's in two, a printed page each
    charts_en = [label.split(".")[0] for label in re.findall(r'aria-label="Chart: ([^"]*)"', english)]
    charts_zh = [label.split("。")[0] for label in re.findall(r'aria-label="图：([^"]*)"', chinese)]
    assert [label.endswith("(continued)") for label in charts_en] == [False, False, True, True, False, True]
    assert [label.endswith("（续）") for label in charts_zh] == [False, False, True, True, False, True]
    assert charts_en[2] == f"{charts_en[1]} (continued)" and charts_zh[2] == f"{charts_zh[1]}（续）"
    for page in (english, chinese):
        assert "def " not in visible_text(page) and "import " not in visible_text(page)  # no code shown
        assert "http://" not in visible_text(page) and "https://" not in visible_text(page)


def test_the_trends_table_has_every_figure_of_every_years_indicators_csv(built: Paths):
    """Figure by figure: each year's indicators.csv, as the build wrote it, is in the page's tables."""
    years = sorted(int(p.name) for p in built.processed.iterdir() if p.name.isdigit())
    assert years == [2001, 2002, 2003, 2004]
    tables = page_tables(built.reports / "trends.html")
    catalogue = load_catalogue()
    with language("en"):
        by_label = {row[0]: (table[0], row) for table in tables for row in table[1:]}
        checked = 0
        for year in years:
            frame = store.read_table(built.processed, year, "indicators.csv")
            for record in frame.to_dict("records"):
                if record["indicator"] == "units_surveyed":
                    membership = next(t for t in tables if t[0][:2] == ["Year", "Units surveyed"])
                    assert [r[1] for r in membership if r[0] == str(year)] == [str(int(record["numerator"]))]
                    continue
                label = row_label(_data(catalogue), catalogue.get(record["indicator"]), record["population"])
                head, row = by_label[label]
                assert row[head.index(str(year))] == expected_cell(record), (year, label)
                checked += 1
    assert checked == 4 * 17


def _data(catalogue):
    class Data:  # row_label reads only the catalogue
        pass

    data = Data()
    data.catalogue = catalogue
    return data


def test_a_year_that_did_not_ask_a_question_is_a_gap_not_a_zero(built: Paths):
    tables = page_tables(built.reports / "trends.html")
    row = next(r for t in tables for r in t if r and r[0].startswith("Covered at democratic life meeting"))
    head = next(t[0] for t in tables if row in t)
    assert [row[head.index(str(y))] for y in (2001, 2002, 2003)] == ["not asked"] * 3
    zh = page_tables(built.reports / "zh" / "trends.html")
    zh_row = next(r for t in zh for r in t if r and r[0] == "纳入民主生活会和述职述廉")
    assert zh_row.count("未调查") == 3 and not any(cell.startswith("0/") for cell in zh_row)


def test_not_asked_is_empty_in_the_long_table_and_breaks_the_line():
    """Synthetic: a question asked only from the second year has no figure, no 0, and no change,
    in the first."""
    first = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "population": ["all", "all"],
            "numerator": [3, pd.NA],
            "denominator": [10, pd.NA],
            "percent": [30.0, pd.NA],
            "asked": [True, False],
        }
    )
    second = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "population": ["all", "all"],
            "numerator": [5, 4],
            "denominator": [10, 10],
            "percent": [50.0, 40.0],
            "asked": [True, True],
        }
    )
    third = second.drop(columns="asked")  # a table from before the column: asked
    long = trends.indicator_trends({2001: first, 2002: second, 2003: third})
    gap = long[(long["indicator"] == "b") & (long["year"] == 2001)].iloc[0]
    assert not gap["asked"] and pd.isna(gap["numerator"]) and pd.isna(gap["percent"])
    assert long["asked"].tolist() == [True, False, True, True, True, True]
    changes = trends.trend_changes(long).set_index("indicator")
    assert changes.loc["b", "first_year"] == 2002 and changes.loc["b", "change_pp"] == 0.0
    assert changes.loc["a", "change_pp"] == 20.0 and changes.loc["a", "change_numerator"] == 2
    assert (changes.loc["a", "move_from"], changes.loc["a", "move_to"], changes.loc["a", "move_pp"]) == (
        2001,
        2002,
        20.0,
    )
    rows = long[long["indicator"] == "b"].to_dict("records")
    assert math.isnan(charts._trend_value(rows[0])) and charts._trend_value(rows[1]) == 40.0
    with language("en"):
        assert charts._trend_tick(rows[0]) == "2001\nnot\nasked"


def test_turned_no_counts_yes_to_no_and_not_yes_to_blank():
    before = pd.DataFrame(
        {"unit_name": ["A", "B", "C", "E"], "q": pd.array([True, True, False, True], dtype="boolean")}
    )
    now = pd.DataFrame(
        {"unit_name": ["A", "B", "C", "D"], "q": pd.array([False, pd.NA, False, False], dtype="boolean")}
    )
    turned = trends.turned_no({2003: before, 2004: now}, ["q"])
    assert turned.to_dict("records") == [
        {"year": 2004, "previous_year": 2003, "unit_name": "A", "field": "q"}
    ]
    bases = trends.yes_bases({2003: before, 2004: now}, ["q"])
    assert bases["units"].tolist() == [2]  # A and B said yes and returned again; E left
    members = trends.membership({2003: before, 2004: now})
    assert members[["unit_name", "change"]].values.tolist() == [["D", "joined"], ["E", "left"]]
    counts = trends.yes_counts({2003: before, 2004: now}, ["q"])
    assert counts.loc["A", 2003] == 1 and counts.loc["A", 2004] == 0
    assert pd.isna(counts.loc["E", 2004]) and pd.isna(counts.loc["D", 2003])


def test_the_page_names_the_units_that_turned_no(built: Paths):
    returns = {y: pd.read_parquet(built.processed / str(y) / "returns.parquet") for y in (2003, 2004)}
    turned = trends.turned_no(returns, ["accountability_enforced"])
    page = visible_text((built.reports / "zh" / "trends.html").read_text(encoding="utf-8"))
    assert len(turned) == 1
    assert (
        f"有1个单位2004年回答“否”： {turned['unit_name'].iloc[0]}" in page
        or turned["unit_name"].iloc[0] in page
    )


def test_the_chinese_page_has_no_latin_words(built: Paths):
    page = (built.reports / "zh" / "trends.html").read_text(encoding="utf-8")
    assert latin_words(visible_text(page)) == []


def test_the_indexes_and_year_pages_link_to_the_trends_page_of_their_language(built: Paths):
    for folder, back in ((built.reports, "index.html"), (built.reports / "zh", "index.html")):
        index = (folder / "index.html").read_text(encoding="utf-8")
        assert '<a href="trends.html">' in index
        assert '<a href="trends.html">' in (folder / "2004.html").read_text(encoding="utf-8")
        assert f'<a href="{back}">' in (folder / "trends.html").read_text(encoding="utf-8")
    assert 'href="zh/trends.html"' in (built.reports / "trends.html").read_text(encoding="utf-8")
    assert 'href="../trends.html"' in (built.reports / "zh" / "trends.html").read_text(encoding="utf-8")


def test_the_same_inputs_give_the_same_bytes(built: Paths, tmp_path: Path):
    again = Paths(built.raw, built.processed, tmp_path / "r")
    render_trends(again, progress=lambda message: None)
    for name in ("trends.html", "zh/trends.html"):
        assert (built.reports / name).read_bytes() == (again.reports / name).read_bytes(), name


def trends_over(built: Paths, years: list[int], lang: str) -> TrendsData:
    """The sample's 2004 figures, as if every one of `years` had them (only the figures are read)."""
    indicators = store.read_table(built.processed, 2004, "indicators.csv")
    results = {year: SimpleNamespace(indicators=indicators) for year in years}
    return TrendsData(
        results=results,
        catalogue=load_catalogue(),
        instrument=load_instrument(),
        raw_dir=built.raw,
        processed_dir=built.processed,
        lang=lang,
    )


def tick_boxes(fig) -> list[list[tuple[float, float, str]]]:
    """Each panel's year labels as drawn (left and right edge in pixels, text), measured by the renderer."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    panels = []
    for ax in fig.axes:
        labels = [t for t in ax.get_xticklabels() if t.get_text()]
        panels.append(
            [(box.x0, box.x1, t.get_text()) for t in labels for box in [t.get_window_extent(renderer)]]
        )
    return panels


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("count", [4, 5, 8, 20])
def test_the_words_under_the_years_never_run_into_each_other(built: Paths, lang: str, count: int):
    """Found by eye with a fifth year added to the sample: "2001年2002年…" and "65.7%63.9%…" ran
    together under the small charts. Now the layout is chosen by what fits, as drawn."""
    years = list(range(2001, 2001 + count))
    charts.setup()  # the pages' fonts, as the notebooks set them
    with language(lang):
        data = trends_over(built, years, lang)
        link = next(i.link for i in data.catalogue.indicators if i.kind == "share")  # several panels
        panels = [data.rows(i, p) for i, p in data.keys(link)]
        parts = charts.trend_parts(data, link, panels, "…")
        boxes = [labels for fig, _ in parts for labels in tick_boxes(fig)]
    for fig, _ in parts:
        width = fig.get_figwidth() * fig.dpi
        for labels in tick_boxes(fig):
            assert labels and labels[0][0] >= 0 and labels[-1][1] <= width
            for (_, right, left_text), (left, _, right_text) in pairwise(labels):
                # at least 2 px apart
                assert left - right >= 2, (lang, count, left_text, right_text, right, left)
    columns = {
        len({round(ax.get_position().x0, 3) for ax in fig.axes}) for fig, _ in parts if len(fig.axes) > 1
    }
    figures_shown = all("\n" in text for labels in boxes for _, _, text in labels)
    named = [text for _, _, text in boxes[0]]
    if count == 4:  # the sample's four years: a panel a row, each year's figure under it
        assert columns == {1} and figures_shown
    elif count <= 8:  # a panel a row; the first year named, then every year or every other
        assert columns == {1} and named[0].startswith("2001") and len(named) >= count // 2
    else:  # twenty years: the years alone, the first named and then every k-th
        assert (
            columns == {1} and not figures_shown and named[0].startswith("2001") and 2 <= len(named) < count
        )


@pytest.mark.parametrize("count", [4, 5, 20])
def test_a_trend_chart_comes_in_parts_no_taller_than_a_printed_page(built: Paths, count: int):
    """On paper a chart taller than the page is shrunk to it, its words with it: seen printing a
    five-year trends page, whose nine small charts a column came out at half size."""
    charts.setup()
    with language("zh"):
        data = trends_over(built, list(range(2001, 2001 + count)), "zh")
        link = max(data.catalogue.links, key=lambda name: len(data.keys(name)))  # the most small charts: nine
        panels = [data.rows(i, p) for i, p in data.keys(link)]
        parts = charts.trend_parts(data, link, panels, "2001年至2020年")
        whole, continued = (charts.trend_title(data, link, "2001年至2020年", more) for more in (False, True))
    assert len(panels) == 9
    assert all(fig.get_figheight() <= charts.TREND_PART_HEIGHT for fig, _ in parts)
    assert sum(len(fig.axes) for fig, _ in parts) == len(panels)  # every figure drawn, once
    assert continued == whole + "（续）"
    assert [" ".join(fig.texts[-1].get_text().split()) for fig, _ in parts] == [
        whole,
        *[continued] * (len(parts) - 1),
    ]
    assert all(whole in alt and (k == 0) != ("（续）" in alt) for k, (_, alt) in enumerate(parts))
    assert len(parts) > 1  # nine charts do not fit one page, two a row (four years) or one a row
