"""reports/tables.xlsx: every year's tables for teams, read back with readers that are not its writer.

The sample is built once (no reports), the workbook written from its processed folder and
read with openpyxl (and python-calamine where a second opinion helps). Every figure is
compared with the CSV the build wrote, so the workbook cannot drift from the pages.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE_RAW, unit_row
from python_calamine import CalamineWorkbook

from analysis import store
from analysis.build import build
from analysis.catalogue import load_catalogue, load_instrument
from analysis.figures.trends import turned_no
from analysis.paths import Paths
from analysis.publish import workbook as wb
from analysis.publish.render import RenderedYear
from analysis.publish.workbook import display_width, indicators_long, read_years, write_workbook

YEARS = [2001, 2002, 2003, 2004]
LONG, WIDE, COMPARISON = "指标 Indicators (long)", "指标对比 Indicators (wide)", "比上年 Comparison"
ANSWERS, FOLLOW_UP, COUNTED, QUALITY, ABOUT = (
    "各单位填报 Answers",
    "跟踪名单 Follow-up",
    "计数单位 Counted units",
    "数据质量 Data quality",
    "说明 About",
)
FORMULA_NAMES = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, sample_tables: tuple[Paths, object]) -> dict:
    """The workbook of the shipped sample's processed tables (built once per run, conftest's
    sample_tables, only read here), written to a folder of this module's."""
    paths = sample_tables[0]
    target = tmp_path_factory.mktemp("workbook") / "tables.xlsx"
    write_workbook(paths.processed, YEARS, target)
    return {"paths": paths, "target": target, "book": openpyxl.load_workbook(target)}


def records(sheet) -> list[dict]:
    """The first table of a sheet as dicts keyed by its English header (row 2); data from row 3."""
    header = [c.value for c in sheet[2]]
    return [
        dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=3, max_col=len(header))
        if any(c.value is not None for c in row)
    ]


def values(sheet) -> list[dict]:
    return [{k: c.value for k, c in row.items()} for row in records(sheet)]


# --- every figure, as a number -------------------------------------------------------------


def test_every_figure_of_indicators_csv_reads_back_as_a_number(sample):
    long = {
        (r["year"].value, r["indicator id"].value, r["base id"].value): r
        for r in records(sample["book"][LONG])
    }
    expected_rows = 0
    for year in YEARS:
        table = store.read_table(sample["paths"].processed, year, "indicators.csv")
        for row in table.to_dict("records"):
            expected_rows += 1
            cells = long[(year, row["indicator"], row["population"])]
            for column, header in (("numerator", "count (k)"), ("denominator", "base (n)")):
                cell = cells[header]
                if pd.isna(row[column]):
                    assert cell.value is None  # empty, never 0
                else:
                    assert cell.data_type == "n" and isinstance(cell.value, int) and cell.value == row[column]
            cell = cells["percent"]
            if pd.isna(row["percent"]):
                assert cell.value is None
            else:
                assert cell.data_type == "n" and "%" in cell.number_format
                assert cell.value == pytest.approx(row["percent"] / 100, abs=1e-12)
                assert f"{cell.value * 100:.1f}" == f"{row['percent']:.1f}"  # what Excel shows: 60.5%
    assert len(long) == expected_rows


def test_the_wide_sheet_puts_the_same_figures_side_by_side(sample):
    wide = {(r["indicator id"], r["base id"]): r for r in values(sample["book"][WIDE])}
    table = store.read_table(sample["paths"].processed, 2004, "indicators.csv")
    layered = table[table["indicator"].eq("decomposition_layered")].iloc[0]
    row = wide[("decomposition_layered", "all")]
    assert (
        (row["2004 count (k)"], row["2004 base (n)"])
        == (layered["numerator"], layered["denominator"])
        == (23, 38)
    )
    assert row["2004 percent"] == pytest.approx(0.605)
    assert row["2003 count (k)"] == 18 and row["2001 base (n)"] == 35


def test_the_comparison_sheet_holds_comparison_csv(sample):
    sheet = {(r["year"], r["indicator id"], r["base id"]): r for r in values(sample["book"][COMPARISON])}
    for year in YEARS:
        table = store.read_table(sample["paths"].processed, year, "comparison.csv")
        for row in table.to_dict("records"):
            got = sheet[(year, row["indicator"], row["population"])]
            for column, header in (
                ("change_numerator", "change in count"),
                ("previous_numerator", "previous count"),
            ):
                assert got[header] == (None if pd.isna(row[column]) else row[column])
            assert got["change (percentage points)"] == (
                None if pd.isna(row["change_pp"]) else pytest.approx(row["change_pp"])
            )
    first = sheet[(2001, "decomposition_plan", "all")]
    assert first["previous year"] is None and first["note"] == "无上年 no previous year"
    plan = sheet[(2004, "decomposition_plan", "all")]
    assert (plan["previous year"], plan["previous percent"], plan["change (percentage points)"]) == (
        2003,
        pytest.approx(0.553),
        pytest.approx(13.1),
    )


def test_a_question_not_asked_is_empty_and_says_so(sample):
    long = {(r["year"], r["indicator id"], r["base id"]): r for r in values(sample["book"][LONG])}
    before = long[(2003, "reported_at_life_meeting", "all")]
    assert (before["count (k)"], before["base (n)"], before["percent"], before["note"]) == (
        None,
        None,
        None,
        "未调查 not asked",
    )
    assert long[(2004, "reported_at_life_meeting", "all")]["note"] is None  # asked: no note
    answers = values(sample["book"][ANSWERS])
    assert {r["Covered at life meeting and debriefings"] for r in answers if r["year"] == 2003} == {"未调查"}
    assert {r["Covered at life meeting and debriefings"] for r in answers if r["year"] == 2004} <= {
        "是",
        "否",
        None,
    }
    wide = {(r["indicator id"], r["base id"]): r for r in values(sample["book"][WIDE])}
    assert wide[("reported_at_life_meeting", "all")]["note"] == "未调查 not asked: 2001, 2002, 2003"


def test_a_table_written_before_the_asked_column_is_read_as_asked(sample):
    results = read_years(sample["paths"].processed, [2004])
    results[2004].indicators = results[2004].indicators.drop(columns=["asked"])
    table = indicators_long(results, load_catalogue()).frame
    assert table["status"].eq("").all() and table["numerator"].notna().all()


# --- inert: no formula anywhere, formula-like text stays text ------------------------------


def test_no_cell_holds_a_formula(sample):
    for sheet in sample["book"].worksheets:
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row), sheet.title
    with zipfile.ZipFile(sample["target"]) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert parts and not any(
            "<f>" in archive.read(n).decode() or "<f " in archive.read(n).decode() for n in parts
        )
        assert "xl/calcChain.xml" not in archive.namelist()


def test_a_unit_named_like_a_formula_is_text(write_year, tmp_path: Path):
    write_year(2011, [unit_row(name, yes={"decomposition_plan"}) for name in FORMULA_NAMES])
    raw = write_year(2012, [unit_row(name) for name in FORMULA_NAMES])  # each turned no on the plan
    paths = Paths(raw, tmp_path / "p", tmp_path / "r")
    build(paths, reports=False, progress=lambda message: None)
    target = tmp_path / "r" / "tables.xlsx"
    write_workbook(paths.processed, [2011, 2012], target)
    book = openpyxl.load_workbook(target)
    names = [r["unit"] for r in records(book[ANSWERS])]
    cell = next(c for c in names if c.value == "=1+1")
    assert cell.data_type == "s" and cell.quotePrefix  # a string, kept as text even when edited in Excel
    # real names, no apostrophe
    assert {c.value for c in names} == {"=1+1", "+cmd|' /C calc'!A0", "@SUM（A1）", "-2+3"}
    assert all(c.data_type == "s" for c in names)
    follow_up = values(book[FOLLOW_UP])
    assert sorted(r["unit"] for r in follow_up if r["question id"] == "decomposition_plan") == sorted(
        {c.value for c in names}
    )
    counted = next(
        r for r in values(book[COUNTED]) if r["year"] == 2011 and r["indicator id"] == "decomposition_plan"
    )
    assert "=1+1" in counted["units counted (yes)"].split("、")
    calamine = CalamineWorkbook.from_path(str(target)).get_sheet_by_name(ANSWERS).to_python()
    assert "=1+1" in [row[1] for row in calamine]  # a second reader sees the same text
    assert all(c.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for c in row)


# --- the same bytes ------------------------------------------------------------------------


def test_the_same_inputs_give_the_same_bytes_wherever_they_are(
    sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    elsewhere = tmp_path / "copy" / "processed"
    shutil.copytree(sample["paths"].processed, elsewhere)
    again = tmp_path / "again.xlsx"
    write_workbook(elsewhere, YEARS, again)
    assert again.read_bytes() == sample["target"].read_bytes()
    with zipfile.ZipFile(again) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert "2005-01-01T00:00:00Z" in core  # not the clock's time
        assert str(tmp_path) not in "".join(
            archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
        )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1104537600")  # 2005-01-01 00:00 UTC given the usual way
    epoch = tmp_path / "epoch.xlsx"
    write_workbook(elsewhere, YEARS, epoch)
    assert epoch.read_bytes() == again.read_bytes()


def test_a_failed_write_keeps_the_previous_workbook(sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "tables.xlsx"
    target.write_bytes(b"the previous workbook")

    def boom(sheets, path):
        path.write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(wb, "write_xlsx", boom)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(sample["paths"].processed, YEARS, target)
    assert target.read_bytes() == b"the previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables.xlsx"]  # no temporary file left


# --- layout: sheets, headers, widths -------------------------------------------------------


def test_sheets_are_named_in_chinese_with_english_and_frozen_below_the_header(sample):
    book = sample["book"]
    assert book.sheetnames == [ABOUT, LONG, WIDE, COMPARISON, ANSWERS, FOLLOW_UP, COUNTED, QUALITY]
    for sheet in book.worksheets:
        assert len(sheet.title) <= 31
        assert sheet.freeze_panes == "A3", sheet.title  # two header rows: Chinese, then English
        assert all(
            isinstance(c.value, str) and c.value
            for c in sheet[1]
            if c.column <= sheet.max_column and c.value is not None
        )
    long = book[LONG]
    assert [c.value for c in long[1]][:5] == ["年份", "环节", "环节（英文）", "指标代码", "指标"]
    assert long.auto_filter.ref == f"A2:{long.cell(2, long.max_column).column_letter}{long.max_row}"


def test_percent_cells_have_a_percent_format_and_counts_are_whole_numbers(sample):
    for name in (LONG, WIDE, COMPARISON, COUNTED):
        for row in records(sample["book"][name]):
            for header, cell in row.items():
                if cell.value is None or not isinstance(header, str):
                    continue
                if header.endswith("percent"):
                    assert (
                        isinstance(cell.value, float)
                        and cell.number_format == "0.0%"
                        and 0 <= cell.value <= 1
                    )
                if header.endswith(("count (k)", "base (n)")):
                    assert isinstance(cell.value, int) and cell.number_format == "0"


def test_columns_are_wide_enough_for_chinese_text(sample):
    sheet = sample["book"][ANSWERS]
    longest = max(display_width(r["unit"]) for r in values(sheet))
    # wide characters count twice
    assert longest > len(max((r["unit"] for r in values(sheet)), key=display_width))
    assert sheet.column_dimensions["B"].width >= longest
    counted = sample["book"][COUNTED]
    wrapped = next(c for c in counted["M"][2:] if c.value)
    # long lists wrap
    assert counted.column_dimensions["M"].width <= wb.MAX_WIDTH + 1 and wrapped.alignment.wrap_text


# --- traceable: the units behind every share, the follow-up list ----------------------------


def test_the_counted_units_add_up_to_every_share(sample):
    processed = sample["paths"].processed
    rows = values(sample["book"][COUNTED])
    catalogue = load_catalogue()
    shares = {i.id for i in catalogue.indicators if i.kind == "share"}
    for year in YEARS:
        table = store.read_table(processed, year, "indicators.csv")
        asked = table[table["indicator"].isin(shares) & table["asked"]]
        mine = [r for r in rows if r["year"] == year]
        assert len(mine) == len(asked)
        units = set(pd.read_parquet(processed / str(year) / "returns.parquet")["unit_name"])
        for row in mine:
            counted = row["units counted (yes)"].split("、") if row["units counted (yes)"] else []
            said_no = row["units that answered no"].split("、") if row["units that answered no"] else []
            blank = row["units that gave no answer"].split("、") if row["units that gave no answer"] else []
            assert (
                len(counted) == row["count (k)"]
                and len(counted) + len(said_no) + len(blank) == row["base (n)"]
            )
            assert not set(counted) & set(said_no) and not set(blank) & (set(said_no) | set(counted))
            assert set(counted) | set(said_no) | set(blank) <= units
    layered = next(r for r in rows if (r["year"], r["indicator id"]) == (2004, "decomposition_layered"))
    # the page's gap sentence: 还有14个单位没有对责任内容进行逐级分解, and 中央单位（九） gave no answer
    assert layered["count (k)"] == 23 and len(layered["units that answered no"].split("、")) == 14
    assert layered["units that gave no answer"] == "中央单位（九）"


def test_a_list_that_contradicts_its_figure_is_refused(sample):
    results = read_years(sample["paths"].processed, [2004])
    frame = results[2004].indicators
    frame.loc[frame["indicator"].eq("decomposition_plan"), "numerator"] = 25  # indicators.csv says 26
    with pytest.raises(ValueError, match="decomposition_plan"):
        wb.counted_units_table(results, load_catalogue())


def test_turned_no_lists_yes_then_no_and_not_blank():
    def frame(answers: dict[str, object]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "unit_name": list(answers),
                "decomposition_plan": pd.array(list(answers.values()), dtype="boolean"),
            }
        )

    years = {
        2010: frame({"甲": True, "乙": True, "丙": False, "丁": True}),
        # 乙 blank, 丙 no twice, 丁 left, 戊 new
        2011: frame({"甲": False, "乙": None, "丙": False, "戊": False}),
        # 乙 no after blank: not yes the year before
        2012: frame({"甲": True, "乙": False, "丙": True, "戊": False}),
    }
    turned = turned_no(years, ["decomposition_plan"])
    assert turned.to_dict("records") == [
        {"year": 2011, "previous_year": 2010, "unit_name": "甲", "field": "decomposition_plan"}
    ]
    assert list(turned.columns) == ["year", "previous_year", "unit_name", "field"]
    assert turned_no({2011: years[2011]}, ["decomposition_plan"]).empty


def test_the_follow_up_sheet_names_every_unit_that_turned_no(sample):
    results = read_years(sample["paths"].processed, YEARS)
    instrument = load_instrument()
    expected = turned_no({y: r.returns for y, r in results.items()}, instrument.names("yes_no"))
    rows = values(sample["book"][FOLLOW_UP])
    assert len(rows) == len(expected) > 0
    assert [(r["year"], r["previous year"], r["unit"], r["question id"]) for r in rows] == [
        tuple(e.values()) for e in expected.to_dict("records")
    ]
    first = rows[0]
    assert first["question (Chinese)"] == instrument.field(first["question id"]).label_zh
    for row in rows:  # checked against the returns themselves
        now = results[row["year"]].returns.set_index("unit_name")
        before = results[row["previous year"]].returns.set_index("unit_name")
        assert (
            now.at[row["unit"], row["question id"]] == False  # noqa: E712
            and before.at[row["unit"], row["question id"]] == True  # noqa: E712
        )


def test_answers_and_data_quality_hold_every_unit_and_every_finding(sample):
    processed = sample["paths"].processed
    answers = values(sample["book"][ANSWERS])
    quality = values(sample["book"][QUALITY])
    for year in YEARS:
        returns = pd.read_parquet(processed / str(year) / "returns.parquet")
        mine = [r for r in answers if r["year"] == year]
        assert [r["unit"] for r in mine] == list(returns["unit_name"])
        first = returns.iloc[0]
        assert mine[0]["Decomposition plan"] == ("是" if first["decomposition_plan"] else "否")
        assert mine[0]["Bureau-level cadres held accountable"] == first["cadres_accountable_bureau"]
        findings = store.read_findings(processed / str(year) / "findings.csv")
        assert sorted(r["what was found or expected"] for r in quality if r["year"] == year) == sorted(
            f.expected for f in findings
        )


def test_the_about_sheet_says_what_each_sheet_holds_and_where_the_data_came_from(sample):
    rows = CalamineWorkbook.from_path(str(sample["target"])).get_sheet_by_name(ABOUT).to_python()
    cells = [c for row in rows for c in row]
    for name in sample["book"].sheetnames:
        assert name in cells
    for year in YEARS:
        inputs = store.read_table(sample["paths"].processed, year, "inputs.csv")
        assert set(inputs["sha256"]) <= set(cells) and set(inputs["file"]) <= set(cells)
    assert "2001, 2002, 2003, 2004" in cells


# --- the build writes it -------------------------------------------------------------------


def test_a_build_with_reports_writes_the_workbook_of_every_built_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import importlib

    raw = tmp_path / "raw"
    for year in (2003, 2004):
        shutil.copytree(SAMPLE_RAW / str(year), raw / str(year))
    paths = Paths(raw, tmp_path / "p", tmp_path / "r")
    # the pages are tested elsewhere: no kernel here
    built = importlib.import_module("analysis.publish.render")
    monkeypatch.setattr(built, "render_years", lambda *args, **kwargs: ([], []))
    monkeypatch.setattr(
        built,
        "render_trends",
        lambda *args, **kwargs: RenderedYear(
            year=0, html=paths.reports / "trends.html", notebook=paths.reports / "trends.ipynb", seconds=0.0
        ),
    )
    messages: list[str] = []
    build(paths, progress=messages.append)
    # one year rebuilt: the workbook keeps both
    build(paths, years=[2004], progress=messages.append, force=True)
    target = paths.reports / "tables.xlsx"
    assert f"workbook -> {target}" in messages
    long = values(openpyxl.load_workbook(target)[LONG])
    assert sorted({r["year"] for r in long}) == [2003, 2004]
