"""Pages of a year with more units than the catalogue's `unit_lists_up_to`: counts, cut lists and a
pointer to the workbook, instead of lists that grow with every unit.

Built once for the module from generated returns (`benchmarks/synthetic.py`: 2,000 units, two
years, six kinds of unit), with the shipped catalogue (threshold 200). Every expected value is
computed here from the processed `returns.parquet`, not by the code under test.
"""

from __future__ import annotations

import importlib.util
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from pagetext import latin_words, visible_text

from analysis.build import build
from analysis.catalogue import load_catalogue, load_instrument
from analysis.paths import Paths
from analysis.publish.wording import language, say

UNITS = 2000
YEARS = (2003, 2004)
YEAR = 2004
PAGES = {"en": "2004.html", "zh": "zh/2004.html"}
UNIT_NAME = re.compile(r"单位\d{7}")  # the generated returns' unit names


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    root = tmp_path_factory.mktemp("scale")
    _synthetic().write_years(root / "raw", list(YEARS), UNITS)
    paths = Paths(root / "raw", root / "p", root / "r")
    build(paths, progress=lambda message: None)
    return paths


@pytest.fixture(scope="module")
def returns(site: Paths) -> pd.DataFrame:
    return pd.read_parquet(site.processed / str(YEAR) / "returns.parquet")


def page(site: Paths, lang: str) -> str:
    return (site.reports / PAGES[lang]).read_text(encoding="utf-8")


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts, each with the heading (h3) it follows."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.heading, self.in_heading, self.cell = "", False, None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "h3":
            self.in_heading, self.heading = True, ""
        elif tag == "table":
            self.tables.append((self.heading, []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self.in_heading = False
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[-1][1][-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.in_heading:
            self.heading += data
        if self.cell is not None:
            self.cell += data


def tables(text: str) -> list[tuple[str, list[list[str]]]]:
    parser = Tables()
    parser.feed(text)
    return parser.tables


def test_the_year_is_above_the_threshold(returns: pd.DataFrame):
    assert len(returns) == UNITS > load_catalogue().unit_lists_up_to


@pytest.mark.parametrize("lang", PAGES)
def test_no_list_names_every_unit(site: Paths, returns: pd.DataFrame, lang: str):
    text = page(site, lang)
    named = set(UNIT_NAME.findall(text))
    assert len(named) < len(returns) / 4  # a list of every unit would name all 2,000
    cut = load_catalogue().units_named
    for span in re.findall(r'<span lang="zh">([^<]*)</span>', text):
        assert len(UNIT_NAME.findall(span)) <= cut, span[:200]


@pytest.mark.parametrize("lang", PAGES)
def test_counts_by_kind_of_unit_are_those_of_the_returns(site: Paths, returns: pd.DataFrame, lang: str):
    catalogue, form = load_catalogue(), load_instrument().for_year(YEAR)
    with language(lang):
        heading = say("many_units.types_heading")
        found = [rows for title, rows in tables(page(site, lang)) if title == heading]
        assert len(found) == 1
        head, *rows = found[0]
        shares = [i for i in catalogue.indicators if i.kind == "share" and i.field in form.names("yes_no")]
        expected_rows = sum(len(i.populations) for i in shares)
        assert len(rows) == expected_rows
        kinds = head[1:-1]
        assert sorted(kinds) == sorted(returns["unit_type"].dropna().unique())
        by_label = {row[0]: row[1:] for row in rows}
        for indicator in shares:
            if "all" not in indicator.populations:
                continue
            label = indicator.label_en if lang == "en" else indicator.label_zh
            answers = returns[indicator.field]
            for kind, cell in zip([*kinds, None], by_label[label], strict=True):
                mine = (
                    answers
                    if kind is None
                    else answers[returns["unit_type"].eq(kind).fillna(False).to_numpy()]
                )
                yes, blank = int(mine.fillna(False).astype(bool).sum()), int(mine.isna().sum())
                assert cell == say("many_units.types_cell", yes=yes, no=len(mine) - yes - blank, blank=blank)


def most_gaps(returns: pd.DataFrame, n: int) -> list[str]:
    """The n units with the most questions not answered yes (no or blank), ties in return order."""
    questions = load_instrument().for_year(YEAR).names("yes_no")
    answers = returns[questions].astype(object).where(returns[questions].notna(), None).to_dict("records")
    gaps = [sum(1 for q in questions if row[q] is None or not bool(row[q])) for row in answers]
    order = sorted(range(len(returns)), key=lambda i: (-gaps[i], i))
    return [returns["unit_name"].iloc[i] for i in order[:n]]


@pytest.mark.parametrize("lang", PAGES)
def test_the_units_table_is_the_units_with_the_most_gaps(site: Paths, returns: pd.DataFrame, lang: str):
    n = load_catalogue().units_named
    with language(lang):
        unit_header = say("units_table.unit")
    # not the breaches
    matrices = [
        rows
        for _, rows in tables(page(site, lang))
        if rows and rows[0][0] == unit_header and len(rows[0]) > 3
    ]
    assert len(matrices) == 1
    assert [row[0] for row in matrices[0][1:]] == most_gaps(returns, n)


@pytest.mark.parametrize("lang", PAGES)
def test_the_page_says_where_every_name_is(site: Paths, lang: str):
    catalogue = load_catalogue()
    with language(lang):
        pointer = say(
            "many_units.pointer",
            units=UNITS,
            year=YEAR,
            shown=catalogue.units_named,
            workbook="tables.xlsx",
            findings="…/p/2004/findings.csv",
        )
        details = say("many_units.details_pointer", workbook="tables.xlsx")
    shown = visible_text(page(site, lang))
    assert " ".join(pointer.split()) in shown
    assert details in shown
    assert (site.reports / "tables.xlsx").is_file()


def test_the_chinese_page_has_no_latin_words(site: Paths):
    assert latin_words(visible_text(page(site, "zh"))) == []
    assert latin_words(visible_text((site.reports / "zh" / "trends.html").read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("lang", PAGES)
def test_the_page_is_far_smaller_than_the_full_lists(site: Paths, returns: pd.DataFrame, lang: str):
    """The whole page against a lower bound of what its lists would hold in full: each share's
    base named once (the <details>), the units it misses named again (the gaps), and the units
    table's rows (a name and a mark per question)."""
    catalogue, form = load_catalogue(), load_instrument().for_year(YEAR)
    questions = form.names("yes_no")
    assessed = returns["assessment_conducted"].fillna(False).astype(bool).to_numpy()
    full = 0
    for indicator in (i for i in catalogue.indicators if i.kind == "share" and i.field in questions):
        for population in indicator.populations:
            base = returns if population == "all" else returns[assessed]
            missed = base[~base[indicator.field].fillna(False).astype(bool).to_numpy()]
            full += len("、".join(base["unit_name"]).encode()) + len("、".join(missed["unit_name"]).encode())
    row = len('<tr><td><span lang="zh"></span></td></tr>') + len(questions) * len(
        '<td class="mark">✓</td>'.encode()
    )
    full += sum(len(u.encode()) + row for u in returns["unit_name"])
    size = (site.reports / PAGES[lang]).stat().st_size
    assert size < full / 4, (size, full)


def test_the_trends_page_has_no_table_of_every_unit(site: Paths):
    cut = load_catalogue().units_named
    for lang, name in (("en", "trends.html"), ("zh", "zh/trends.html")):
        text = (site.reports / name).read_text(encoding="utf-8")
        assert len(set(UNIT_NAME.findall(text))) < UNITS / 4
        with language(lang):
            unit_header = say("column.unit")
        matrices = [rows for _, rows in tables(text) if rows and rows[0][0] == unit_header]
        screen, paper = matrices  # the second: printed, two units a row
        assert len(screen) - 1 == cut and len(paper) - 1 == -(-cut // 2)
        assert {row[0] for row in screen[1:]} == {name for row in paper[1:] for name in row[:: len(row) // 2]}


def test_the_workbook_names_every_unit(site: Paths, returns: pd.DataFrame):
    """The full lists are where the pages say: every unit behind a share, in the counted-units sheet."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(site.reports / "tables.xlsx"))
    sheet = book.get_sheet_by_name("计数单位 Counted units").to_python()
    header = sheet[0]
    year, indicator, population = header.index("年份"), header.index("指标代码"), header.index("基数代码")
    counted = header.index("计为“是”的单位")
    rows = [
        r
        for r in sheet[2:]
        if r[year] == YEAR and r[indicator] == "decomposition_plan" and r[population] == "all"
    ]
    named = [u for r in rows for u in str(r[counted]).split("、") if u]
    expected = list(
        returns.loc[returns["decomposition_plan"].fillna(False).astype(bool).to_numpy(), "unit_name"]
    )
    assert named == expected
    assert np.all([len(str(r[counted])) <= 32_767 for r in rows])
