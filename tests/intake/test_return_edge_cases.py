"""Regression tests for the intake defects of issue 8 (years, counts, example rows, invisible
characters, .xls/.ods, year folders, merged headers, pipes, unmatched units): each failed on
the code before the fix."""

from __future__ import annotations

import csv
import io
import os
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import CORPUS, expected, unit_row

from analysis.build import validate
from analysis.catalogue import load_instrument
from analysis.findings import Finding, ReturnsError
from analysis.intake.cells import answer_vocabulary, header_key, parse_answer, parse_count, unit_key
from analysis.intake.clean import sheet_records
from analysis.intake.read import RawSheet, list_return_files, read_return_file
from analysis.paths import Paths
from analysis.pipeline import YearResult, discover_years, process_years, year_folder, year_folders

INSTRUMENT = load_instrument()
VOCABULARY = answer_vocabulary(INSTRUMENT)
SUFFIXES = INSTRUMENT.count_suffixes
MAXIMUM = INSTRUMENT.field("cadres_accountable_bureau").max
QUESTIONS = INSTRUMENT.names("yes_no")
COUNTS = INSTRUMENT.names("count")
ZH = {spec.name: spec.label_zh for spec in INSTRUMENT.fields}
HEADER = ["unit_name", "unit_type", *QUESTIONS, *COUNTS]


def csv_return(
    folder: Path, rows: list[dict[str, str]], name: str = "returns.csv", header: list[str] | None = None
) -> Path:
    """A UTF-8 CSV return with the given header (English field names by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or HEADER)
    writer.writerows([[row[f] for f in HEADER] for row in rows])
    (folder / name).write_text(out.getvalue(), encoding="utf-8")
    return folder / name


def workbook_return(path: Path, rows: list[dict[str, str]]) -> Path:
    """A workbook return (.xlsx or .xlsm) with English field names as its header row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append([row[f] for f in HEADER])
    wb.save(path)
    return path


def units(result: YearResult) -> list[str]:
    return sorted(result.returns["unit_name"])


def of_kind(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


# --- 2. --year Y with two or more earlier years -------------------------------------------------


def test_one_year_of_three_is_validated_and_compared_with_the_year_before(write_year, tmp_path: Path):
    write_year(2001, [unit_row("甲部"), unit_row("乙部")])
    write_year(2002, [unit_row("甲部", {"decomposition_plan"}), unit_row("乙部")])
    raw = write_year(
        2003, [unit_row("甲部", {"decomposition_plan"}), unit_row("乙部", {"decomposition_plan"})]
    )
    results = validate(Paths(raw, tmp_path / "p", tmp_path / "r"), [2003])
    assert list(results) == [2003]
    result = results[2003]
    assert result.previous_year == 2002
    plan = result.comparison.set_index(["indicator", "population"]).loc[("decomposition_plan", "all")]
    assert (plan["numerator"], plan["previous_numerator"], plan["change_numerator"]) == (2, 1, 1)
    # the year before compares with its own year before when asked for too
    both = process_years(raw, [2002, 2003])
    assert (both[2002].previous_year, both[2003].previous_year) == (2001, 2002)


# --- 4. huge, implausible or oddly written numbers --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "100000000000000000000",
        str(2**63),
        "5000000000000000000",
        str(MAXIMUM + 1),
        "1e3",
        "1E3",
        "1_000",
        "3³",
        "³",
        "₃",
        "①",
        "-0",
        "+3",
        "inf",
        "nan",
        "0x10",
        "٣",
        "3.5",
        "1" * 5000,
    ],
)
def test_counts_that_are_not_plain_digits_or_are_too_large_are_refused(text: str):
    with pytest.raises(ValueError):
        parse_count(text, SUFFIXES, MAXIMUM)


@pytest.mark.parametrize(
    ("text", "number"),
    [("3.0", 3), ("3", 3), ("３", 3), ("3人", 3), (str(MAXIMUM), MAXIMUM), ("0", 0), ("007", 7)],
)
def test_plain_counts_up_to_the_maximum_are_read(text: str, number: int):
    assert parse_count(text, SUFFIXES, MAXIMUM) == number


@pytest.mark.parametrize("text", ["1e0", "-0", "+1", "1_0", "¹", "inf", "nan", "1e-0", "-1.0"])
def test_numeric_lookalikes_are_not_yes_or_no(text: str):
    with pytest.raises(ValueError):
        parse_answer(text, VOCABULARY)


@pytest.mark.parametrize(
    ("text", "value"), [("1", True), ("0", False), ("1.0", True), ("0.0", False), ("１", True)]
)
def test_excel_numbers_still_answer_yes_or_no(text: str, value: bool):
    assert parse_answer(text, VOCABULARY) is value


def test_every_count_field_declares_a_maximum_in_the_instrument():
    assert {INSTRUMENT.field(f).max for f in COUNTS} == {10000}


def test_huge_counts_are_listed_with_file_row_column_value_and_the_maximum(tmp_path: Path):
    rows = [unit_row("甲部"), unit_row("乙部"), unit_row("丙部")]
    rows[0]["cadres_accountable_bureau"] = "5000000000000000000"
    rows[1]["cadres_accountable_bureau"] = "5000000000000000000"
    rows[2]["cadres_accountable_division"] = "100000000000000000000"
    csv_return(tmp_path / "raw" / "2005", rows)
    with pytest.raises(ReturnsError) as caught:
        process_years(tmp_path / "raw")
    found = [(f.file, f.row, f.column, f.value) for f in caught.value.findings]
    assert found == [
        ("2005/returns.csv", 2, "cadres_accountable_bureau", "5000000000000000000"),
        ("2005/returns.csv", 3, "cadres_accountable_bureau", "5000000000000000000"),
        ("2005/returns.csv", 4, "cadres_accountable_division", "100000000000000000000"),
    ]
    assert all(f"at most {MAXIMUM}" in f.expected for f in caught.value.findings)


def test_a_huge_number_cell_in_a_workbook_is_an_error_not_a_traceback(tmp_path: Path):
    folder = tmp_path / "raw" / "2005"
    folder.mkdir(parents=True)
    rows = [unit_row("甲部"), unit_row("乙部")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append([row[f] for f in HEADER])
    ws.cell(2, HEADER.index("cadres_accountable_bureau") + 1, 2**63)
    ws.cell(3, HEADER.index("cadres_accountable_division") + 1, 1e20)
    wb.save(folder / "returns.xlsx")
    with pytest.raises(ReturnsError) as caught:
        process_years(tmp_path / "raw")
    assert [(f.row, f.column, f.value) for f in caught.value.findings] == [
        (2, "cadres_accountable_bureau", "9223372036854775808"),
        (3, "cadres_accountable_division", "100000000000000000000"),
    ]


def test_the_maximum_is_data(tmp_path: Path):
    """Lowering `max` in the instrument is all it takes to refuse smaller numbers."""
    data = INSTRUMENT.model_dump()
    data["fields"] = [{**f, "max": 5} if f["kind"] == "count" else f for f in data["fields"]]
    strict = type(INSTRUMENT).model_validate(data)
    row = unit_row("甲部", cadres_accountable_bureau=6)
    sheet = RawSheet("2005/r.csv", None, ((1, tuple(HEADER)), (2, tuple(row[f] for f in HEADER))))
    assert sheet_records(sheet, INSTRUMENT)[0][0].values["cadres_accountable_bureau"] == 6
    records, findings = sheet_records(sheet, strict)
    assert records == [] and [(f.value, "at most 5" in f.expected) for f in findings] == [("6", True)]


# --- 7. an example row on an instructions sheet -------------------------------------------------


def _workbook_with_instructions(path: Path, names: list[str], example_sheet: str = "填表说明") -> None:
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = example_sheet
    guide.append(["填表说明：各单位按下表格式填写，示例如下。"])
    guide.append([ZH[f] for f in HEADER])
    example = unit_row("中央××部", {"decomposition_plan"})
    guide.append([example[f] for f in HEADER])
    table = wb.create_sheet("一览表")
    table.append(["中央单位党风廉政建设责任制落实情况一览表"])
    table.append([ZH[f] for f in HEADER])
    for name in names:
        row = unit_row(name, {"decomposition_plan"})
        table.append([row[f] for f in HEADER])
    wb.save(path)


@pytest.mark.parametrize("sheet", ["填表说明", "示例", "填报示例", "Example"])
def test_the_example_row_of_an_instructions_sheet_is_not_a_unit(tmp_path: Path, sheet: str):
    names = [f"中央单位（{n}）" for n in "一二三"]
    folder = tmp_path / "raw" / "2005"
    folder.mkdir(parents=True)
    _workbook_with_instructions(folder / "一览表.xlsx", names, sheet)
    result = process_years(tmp_path / "raw")[2005]
    assert units(result) == sorted(names)
    indicators = result.indicators.set_index(["indicator", "population"])
    assert indicators.at[("units_surveyed", "all"), "numerator"] == 3
    [note] = of_kind(result.findings, "skipped_sheet")
    assert (note.file, note.sheet, note.severity) == ("2005/一览表.xlsx", sheet, "warning")
    assert "example rows on an instructions sheet" in note.expected


def test_rows_marked_as_examples_are_skipped_but_names_with_例_are_units(tmp_path: Path):
    rows = [
        unit_row("示例：中央××部", {"decomposition_plan"}),
        unit_row("例：中央××局"),
        unit_row("（示例）中央××委"),
        unit_row("例如 中央××办"),
        unit_row("中国法律条例研究会"),
        unit_row("案例研究中心"),
        unit_row("例会办公室"),
    ]
    csv_return(tmp_path / "raw" / "2005", rows)
    result = process_years(tmp_path / "raw")[2005]
    assert units(result) == sorted(["中国法律条例研究会", "案例研究中心", "例会办公室"])
    skipped = of_kind(result.findings, "skipped_row")
    assert [(f.row, "an example row" in f.expected) for f in skipped] == [
        (2, True),
        (3, True),
        (4, True),
        (5, True),
    ]


def test_example_markers_are_data_in_the_instrument():
    assert "填表说明" in INSTRUMENT.example_sheet_markers
    assert {"示例", "例：", "例如"} <= set(INSTRUMENT.example_row_prefixes)


# --- 9. invisible characters -----------------------------------------------------------------


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u200d"])
def test_invisible_characters_do_not_make_another_unit_or_header(invisible: str):
    assert unit_key(f"中央{invisible}单位（一）") == unit_key("中央单位（一）") == "中央单位（一）"
    assert unit_key(f"{invisible}新华通讯社{invisible}") == "新华通讯社"
    assert header_key(f"制定{invisible}责任分解方案") == header_key("制定责任分解方案")
    assert parse_answer(f"是{invisible}", VOCABULARY) is True


def test_a_unit_written_with_a_zero_width_space_is_the_same_unit(tmp_path: Path):
    folder = tmp_path / "raw" / "2005"
    row = unit_row("中央单位（一）", {"decomposition_plan"})
    csv_return(folder, [row, unit_row("新华通讯社")])
    csv_return(folder, [{**row, "unit_name": "中央\u200b单位（一）"}], name="补报.csv")
    header = [*HEADER]
    header[HEADER.index("decomposition_plan")] = "制定\u200b责任\ufeff分解方案"
    csv_return(folder, [unit_row("新华\u2060社")], name="新华社.csv", header=header)
    (tmp_path / "raw" / "unit_aliases.csv").write_text(
        "alias,unit_name\n新华\u2060社,新华通讯社\n", encoding="utf-8"
    )
    result = process_years(tmp_path / "raw")[2005]
    assert units(result) == ["中央单位（一）", "新华通讯社"]
    assert not any("\u200b" in name or "\u2060" in name for name in result.returns["unit_name"])
    duplicates = of_kind(result.findings, "duplicate_unit")
    assert sorted((f.file, f.unit) for f in duplicates) == [
        ("2005/新华社.csv", "新华通讯社"),
        ("2005/补报.csv", "中央单位（一）"),
    ]
    assert bool(result.returns.set_index("unit_name").at["中央单位（一）", "decomposition_plan"]) is True


# --- 10. .xls, .xlsm and .ods ---------------------------------------------------------------------

XLS_CASE = CORPUS / "xls_return" / "raw" / "2005"


def test_an_old_excel_xls_is_read_with_rows_as_excel_numbers_them():
    [sheet], findings = read_return_file(next(XLS_CASE.glob("*.xls")), "2005")
    assert findings == [] and sheet.sheet == "一览表"
    rows = dict(sheet.rows)
    assert rows[4][1] == "中央单位（一）" and rows[8][1] == "中国作家协会" and rows[9][1] == "合计"
    assert rows[3][1] == "单位名称"  # merged down over both header rows
    result = process_years(XLS_CASE.parent)[2005]
    returns = result.returns.set_index("unit_name")
    assert returns.at["新华通讯社", "source_row"] == 7
    assert (
        returns.at["新华通讯社", "cadres_accountable_bureau"],
        returns.at["新华通讯社", "cadres_accountable_division"],
    ) == (4, 2)
    want = expected("xls_return")["years"]["2005"]
    assert units(result) == want["units"] and len(want["units"]) == 7


def test_an_ods_is_read():
    [sheet], findings = read_return_file(XLS_CASE / "补报.ods", "2005")
    assert findings == []
    assert dict(sheet.rows)[3][0] == "中央单位（八）"
    returns = process_years(XLS_CASE.parent)[2005].returns.set_index("unit_name")
    assert returns.at["共青团中央", "cadres_accountable_bureau"] == 5
    assert returns.at["共青团中央", "source_file"] == "2005/补报.ods"


def test_an_xlsm_is_read_and_none_of_the_four_formats_is_skipped(tmp_path: Path):
    folder = tmp_path / "raw" / "2005"
    workbook_return(
        folder / "returns.xlsm", [unit_row("甲部", {"decomposition_plan"}, cadres_accountable_bureau=2)]
    )
    (folder / "other.xls").write_bytes(next(XLS_CASE.glob("*.xls")).read_bytes())
    (folder / "other.ods").write_bytes((XLS_CASE / "补报.ods").read_bytes())
    files, notes = list_return_files(folder, "2005")
    assert [p.suffix for p in files] == [".ods", ".xls", ".xlsm"] and notes == []
    result = process_years(tmp_path / "raw")[2005]
    assert len(result.returns) == 8
    assert result.returns.set_index("unit_name").at["甲部", "cadres_accountable_bureau"] == 2


def test_a_file_that_cannot_be_read_is_an_error_naming_it(tmp_path: Path):
    folder = tmp_path / "raw" / "2005"
    csv_return(folder, [unit_row("甲部")])
    (folder / "旧表.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56)
    (folder / "表.ods").write_bytes(b"not a zip")
    with pytest.raises(ReturnsError) as caught:
        process_years(tmp_path / "raw")
    assert [(f.file, f.kind) for f in caught.value.findings] == [
        ("2005/旧表.xls", "unreadable"),
        ("2005/表.ods", "unreadable"),
    ]
    assert "a readable .xls file" in caught.value.findings[0].expected


def _with_error_cell(path: Path, ref: str, error: str) -> None:
    """Rewrite a cell of sheet1 as an error value, as Excel saves #N/A."""
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    start = xml.index(f'<c r="{ref}"')
    end = xml.index("</c>", start) + len("</c>")
    parts["xl/worksheets/sheet1.xml"] = (
        xml[:start] + f'<c r="{ref}" t="e"><v>{error}</v></c>' + xml[end:]
    ).encode()
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def test_an_error_value_in_a_workbook_is_refused_not_read_as_no_answer(tmp_path: Path):
    folder = tmp_path / "raw" / "2005"
    workbook_return(folder / "returns.xlsx", [unit_row(name) for name in ("甲部", "乙部")])
    column = openpyxl.utils.get_column_letter(HEADER.index("decomposition_plan") + 1)
    _with_error_cell(folder / "returns.xlsx", f"{column}3", "#N/A")
    with pytest.raises(ReturnsError) as caught:
        process_years(tmp_path / "raw")
    assert [(f.row, f.column, f.value, f.kind) for f in caught.value.findings] == [
        (3, "decomposition_plan", "#N/A", "bad_value")
    ]


# --- 11. year folders named otherwise ----------------------------------------------------------


def test_a_misnamed_year_folder_is_named_in_a_warning(write_year, tmp_path: Path):
    raw = write_year(2004, [unit_row("甲部")])
    for name in ("2005-final", "2005 returns", "returns"):
        csv_return(raw / name, [unit_row("乙部")])
    (raw / ".git").mkdir()
    (raw / "README.md").write_text("notes", encoding="utf-8")
    results = process_years(raw)
    assert list(results) == [2004]
    notes = of_kind(results[2004].findings, "skipped_folder")
    assert sorted(f.file for f in notes) == ["2005 returns", "2005-final", "returns"]
    assert all(f.severity == "warning" and "named with four digits, e.g. 2005" in f.expected for f in notes)
    assert discover_years(raw) == [2004]


def test_a_folder_named_with_年_is_read_as_that_year(write_year, tmp_path: Path):
    raw = write_year(2004, [unit_row("甲部")])
    csv_return(raw / "2005年", [unit_row("甲部", {"decomposition_plan"}), unit_row("乙部")])
    results = process_years(raw)
    assert sorted(results) == [2004, 2005]
    assert results[2005].previous_year == 2004
    assert set(results[2005].returns["source_file"]) == {"2005年/returns.csv"}
    assert results[2005].inputs["file"].tolist()[0] == "2005年/returns.csv"


def test_two_folders_for_one_year_are_an_error_naming_both(write_year, tmp_path: Path):
    raw = write_year(2005, [unit_row("甲部")])
    csv_return(raw / "2005年", [unit_row("乙部")])
    _, findings = year_folders(raw)
    assert [(f.severity, f.kind) for f in findings] == [("error", "duplicate_year")]
    with pytest.raises(ReturnsError) as caught:
        process_years(raw)
    [error] = caught.value.findings
    assert "2005 and 2005年" in error.expected


def test_only_misnamed_folders_is_an_error_that_names_them(tmp_path: Path):
    csv_return(tmp_path / "raw" / "2005-final", [unit_row("甲部")])
    with pytest.raises(FileNotFoundError, match="2005-final"):
        process_years(tmp_path / "raw")


def test_the_folder_of_a_year_is_found_however_it_is_named(write_year, tmp_path: Path):
    raw = write_year(2004, [unit_row("甲部")])
    csv_return(raw / "2005年", [unit_row("甲部")])
    assert (year_folder(raw, 2004).name, year_folder(raw, 2005).name) == ("2004", "2005年")
    with pytest.raises(FileNotFoundError, match="2006"):
        year_folder(raw, 2006)


# --- 12. a header over two rows, merged --------------------------------------------------------

LINKS = [("责任分解", 3), ("责任考核", 7), ("责任追究", 4)]


def _two_row_header_workbook(path: Path, rows: list[dict[str, str]], merged: bool) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一览表"
    width = len(HEADER) + 1
    ws.cell(1, 1, "中央单位党风廉政建设责任制落实情况一览表")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width + 1)
    for column, text in ((1, "序号"), (2, ZH["unit_name"]), (3, ZH["unit_type"]), (width + 1, "备注")):
        ws.cell(2, column, text)
        if merged:
            ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    column = 4
    for link, span in LINKS:
        ws.cell(2, column, link)
        ws.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + span - 1)
        column += span
    for i, name in enumerate(QUESTIONS + COUNTS):
        ws.cell(3, 4 + i, ZH[name])
    for i, row in enumerate(rows):
        ws.append([i + 1, *(row[f] for f in HEADER)])
    wb.save(path)


@pytest.mark.parametrize("merged", [True, False])
def test_a_header_over_two_rows_gives_the_same_indicators_as_a_plain_one(tmp_path: Path, merged: bool):
    rows = [
        unit_row(
            "中央单位（一）",
            {"decomposition_plan", "assessment_conducted", "accountability_enforced"},
            cadres_accountable_bureau=2,
        ),
        unit_row("中央单位（二）", {"decomposition_plan", "decomposition_layered"}),
        unit_row("中央单位（三）", blank={"assessment_plan"}),
    ]
    csv_return(tmp_path / "plain" / "2005", rows)
    (tmp_path / "two" / "2005").mkdir(parents=True)
    _two_row_header_workbook(tmp_path / "two" / "2005" / "一览表.xlsx", rows, merged)
    plain, two = process_years(tmp_path / "plain")[2005], process_years(tmp_path / "two")[2005]
    assert units(two) == units(plain)
    assert two.indicators.equals(plain.indicators)
    assert two.returns.set_index("unit_name").at["中央单位（一）", "source_row"] == 4
    assert not of_kind(two.findings, "unknown_column")


def test_a_csv_header_split_over_two_lines_is_read_as_one(tmp_path: Path):
    folder = tmp_path / "raw" / "2005"
    folder.mkdir(parents=True)
    first = [
        ZH["unit_name"],
        ZH["unit_type"],
        "责任分解",
        "",
        "",
        "责任考核",
        *[""] * 6,
        "责任追究",
        "",
        "",
        "",
    ]
    second = ["", "", *(ZH[f] for f in QUESTIONS + COUNTS)]
    body = [[unit_row("甲部", {"decomposition_plan"})[f] for f in HEADER]]
    lines = "\n".join(",".join(cells) for cells in [first, second, *body]) + "\n"
    (folder / "returns.csv").write_text(lines, encoding="utf-8")
    result = process_years(tmp_path / "raw")[2005]
    assert units(result) == ["甲部"]
    assert int(result.returns.at[0, "source_row"]) == 3


# --- 14. a pipe in a year folder ----------------------------------------------------------------


def _finishes(run: Callable[[], object], seconds: float = 60) -> list[object]:
    """Run in a thread; a run that blocks on a pipe never finishes, and the test fails instead of hanging."""
    out: list[object] = []
    thread = threading.Thread(target=lambda: out.append(_outcome(run)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert out, "the run blocked"
    return out


def _outcome(run: Callable[[], object]) -> object:
    try:
        return run()
    except Exception as exc:
        return exc


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_named_pipe_in_a_year_folder_is_skipped_with_a_note(tmp_path: Path):
    folder = tmp_path / "raw" / "2005"
    csv_return(folder, [unit_row("甲部")])
    os.mkfifo(folder / "returns2.csv")
    [results] = _finishes(lambda: process_years(tmp_path / "raw"))
    assert isinstance(results, dict), results
    [note] = of_kind(results[2005].findings, "skipped_file")
    assert note.file == "2005/returns2.csv" and "not a regular file" in note.expected
    assert units(results[2005]) == ["甲部"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_named_pipe_as_the_aliases_file_is_an_error_not_a_hang(tmp_path: Path):
    csv_return(tmp_path / "raw" / "2005", [unit_row("甲部")])
    os.mkfifo(tmp_path / "raw" / "unit_aliases.csv")
    [outcome] = _finishes(lambda: process_years(tmp_path / "raw"))
    assert isinstance(outcome, ReturnsError)
    assert [(f.file, f.kind) for f in outcome.findings] == [("unit_aliases.csv", "aliases")]


# --- 15. a unit renamed without an alias ---------------------------------------------------------


def test_units_without_a_counterpart_are_named_with_a_ready_alias_line(write_year, tmp_path: Path):
    write_year(2004, [unit_row("中央单位（一）"), unit_row("中国作协")])
    raw = write_year(2005, [unit_row("中央单位（一）"), unit_row("中国作家协会"), unit_row("全新单位XYZ")])
    result = process_years(raw, [2005])[2005]
    notes = {f.unit: f for f in of_kind(result.findings, "unmatched_unit")}
    assert sorted(notes) == ["中国作协", "中国作家协会", "全新单位XYZ"]
    assert all(f.severity == "warning" and f.file == "2005" for f in notes.values())
    assert "add the line 中国作协,中国作家协会 to unit_aliases.csv" in notes["中国作家协会"].expected
    assert "add the line 中国作协,中国作家协会 to unit_aliases.csv" in notes["中国作协"].expected
    assert (
        "add the line" not in notes["全新单位XYZ"].expected
        and "not surveyed in 2004" in notes["全新单位XYZ"].expected
    )
    # pasting the suggested line makes them one unit
    (raw / "unit_aliases.csv").write_text("alias,unit_name\n中国作协,中国作家协会\n", encoding="utf-8")
    again = process_years(raw, [2005])[2005]
    assert of_kind(again.findings, "unmatched_unit") == []


def test_a_unit_that_only_joined_gives_no_unmatched_warning(write_year):
    write_year(2004, [unit_row("中央单位（一）")])
    raw = write_year(2005, [unit_row("中央单位（一）"), unit_row("中央单位（二）")])
    assert of_kind(process_years(raw)[2005].findings, "unmatched_unit") == []
