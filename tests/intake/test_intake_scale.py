"""The column-wise intake reads a large messy year exactly as the row-by-row intake did.

`reference_records` is the row-by-row loop that `sheet_records` was before it worked on
columns, with its per-row decisions (`row_kind`, `parse_row`); every test
here compares the column-wise path with it, or with values counted by hand, on a generated
5,000-unit year with problems put at known rows. No timing is asserted.
"""

from __future__ import annotations

import csv
import importlib.util
import io
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO

from analysis.catalogue import load_instrument
from analysis.findings import Finding, ReturnsError, errors
from analysis.intake.cells import (
    answer_vocabulary,
    clean_text,
    expected_answers,
    expected_count,
    fold,
    header_key,
    parse_answer,
    parse_count,
)
from analysis.intake.clean import Record, header_index, locate_table, sheet_records
from analysis.intake.raw_sheet import sheet_finding as _at
from analysis.intake.read import HEAD_ROWS, RawSheet, read_csv, read_return_file
from analysis.intake.rows import _quiet_kind, _RowMarkers
from analysis.pipeline import process_years

INSTRUMENT = load_instrument().for_year(2004)
UNITS = 5_000
_spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)

PLAN, BUREAU = (
    INSTRUMENT.field("decomposition_plan").label_zh,
    INSTRUMENT.field("cadres_accountable_bureau").label_zh,
)
LAYERED = INSTRUMENT.field("decomposition_layered").label_zh


def reference_records(sheet: RawSheet, instrument=INSTRUMENT) -> tuple[list[Record], list[Finding]]:
    """The row-by-row intake as it was: one row at a time, one cell at a time."""
    index = header_index(instrument)
    table, findings = locate_table(sheet, instrument, index)
    header_ok = not errors(findings)
    vocabulary = answer_vocabulary(instrument)
    kinds = {spec.name: spec.kind for spec in instrument.fields}
    unit_pos = next(p for p, n in table.columns.items() if n == "unit_name")
    markers = _RowMarkers.of(instrument)
    records = []
    for number, cells in sheet.rows:
        if number <= table.header_row:
            continue
        cells = cells + ("",) * (max(table.columns) + 1 - len(cells))
        unit = clean_text(cells[unit_pos])
        answers = [cells[p] for p, n in table.columns.items() if kinds[n] != "text"]
        others = [c for p, c in enumerate(cells) if p not in table.columns]
        kind = row_kind(unit=unit, answers=answers, others=others, markers=markers)
        if kind in ("blank", "note"):
            continue
        if kind in ("total", "heading", "example"):
            what = {"total": "a totals row", "heading": "a section heading", "example": "an example row"}[
                kind
            ]
            findings.append(
                _at(
                    sheet,
                    row=number,
                    value=unit or None,
                    severity="warning",
                    expected=f"skipped: {what}, not a unit",
                    kind="skipped_row",
                )
            )
            continue
        if not unit:
            findings.append(
                _at(
                    sheet,
                    row=number,
                    column=table.written["unit_name"],
                    value="",
                    severity="error",
                    expected="the unit's name (the row has answers but no unit)",
                    kind="missing_unit",
                )
            )
            continue
        values, problems = parse_row(
            cells=cells, table=table, kinds=kinds, vocabulary=vocabulary, instrument=instrument
        )
        findings += [
            _at(
                sheet,
                row=number,
                column=c,
                value=v,
                severity="error",
                expected=e,
                kind="bad_value",
                unit=unit,
            )
            for c, v, e in problems
        ]
        if not any(a.strip() for a in answers):
            findings.append(
                _at(
                    sheet,
                    row=number,
                    column=table.written["unit_name"],
                    value=unit,
                    severity="warning",
                    expected=(
                        "answers; this unit answered no question and is counted as surveyed with no answers"
                    ),
                    kind="unit_without_answers",
                    unit=unit,
                )
            )
        if header_ok and not problems:
            records.append(Record(values=values, file=sheet.file, sheet=sheet.sheet, row=number))
    return records, findings


def row_kind(unit: str, answers: list[str], others: list[str], markers: _RowMarkers) -> str:
    """'unit', or why the row is not a unit: blank, a totals row, an example, a note or a section heading."""
    if header_key(unit) in markers.totals or any(
        header_key(c) in markers.totals for c in others if c.strip()
    ):
        return "total"
    if "".join(fold(unit).split()).startswith(markers.examples):
        return "example"
    if any(a.strip() for a in answers):
        return "unit"
    if not unit:
        return "note" if any(c.strip() for c in others) else "blank"
    return _quiet_kind(unit, markers)


def parse_row(
    cells, table, kinds, vocabulary, instrument
) -> tuple[dict[str, object], list[tuple[str, str, str]]]:
    """One row's values, and each value that cannot be read (column as written, value, what was expected)."""
    values: dict[str, object] = {}
    problems = []
    for position, name in table.columns.items():
        text = cells[position]
        try:
            if kinds[name] == "yes_no":
                values[name] = parse_answer(text, vocabulary)
            elif kinds[name] == "count":
                values[name] = parse_count(text, instrument.count_suffixes, instrument.field(name).max)
            else:
                values[name] = clean_text(text) or None
        except ValueError:
            if kinds[name] == "yes_no":
                expected = expected_answers(instrument)
            else:
                expected = expected_count(instrument.count_suffixes, instrument.field(name).max)
            problems.append((table.written[name], text, expected))
    return values, problems


def messy_year() -> tuple[str, dict[str, int]]:
    """A 5,000-unit year as CSV text with problems at known lines; returns (text, line of each problem)."""
    frame = synthetic.year_frame(2004, UNITS).astype(object).where(lambda f: f.notna(), "")
    rows = [[str(v) for v in row] for row in frame.itertuples(index=False)]
    columns = list(frame.columns)
    at = {c: columns.index(c) for c in (PLAN, BUREAU, LAYERED)}
    # line = index + 2 (the header is line 1) until the blank line inserted below
    rows[100][at[PLAN]] = "也许"  # line 102: not an answer
    rows[501][at[BUREAU]] = "-1"  # line 503: not a count
    rows[502][at[BUREAU]] = "３人"  # line 504: full-width digits and a unit word
    for i in range(1000, 1040):
        rows[i][at[LAYERED]] = "ｙｅｓ" if i % 2 else " 否 "  # full width, spaces
    rows[2000][1] = " 单位 (甲)\u200b "  # stray spaces, half-width brackets, an invisible character
    rows[3000][1] = ""  # line 3002: answers but no unit
    lines = [columns, *rows[:4000], [], *rows[4000:]]  # line 4002 is blank: later rows move down one
    lines.append(rows[4500])  # a duplicate with the same answers, at line UNITS + 3
    lines.append(["", "合计", *[""] * (len(columns) - 2)])
    lines.append(["注：本表由各单位填报。", *[""] * (len(columns) - 1)])  # padded, as Excel saves a CSV
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in lines:
        writer.writerow(line)
    return out.getvalue(), {
        "bad_answer": 102,
        "bad_count": 503,
        "fullwidth_count": 504,
        "no_unit": 3002,
        "blank": 4002,
        "duplicate": UNITS + 3,
        "total": UNITS + 4,
        "note": UNITS + 5,
    }


@pytest.fixture(scope="module")
def messy() -> tuple[str, dict[str, int]]:
    return messy_year()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_large_csv_is_read_column_wise_with_the_same_cells(messy, encoding: str):
    text, _ = messy
    sheet = read_csv(text.encode(encoding), "2004/returns.csv")
    assert sheet.tail is not None and len(sheet.rows) == HEAD_ROWS
    reference = [(n, cells) for n, cells in _csv_module_rows(text) if cells]
    cells = [tuple(c[i].as_py() for c in sheet.tail.columns) for i in range(len(sheet.tail.numbers))]
    tail = list(zip(sheet.tail.numbers.tolist(), cells, strict=True))
    assert [r for r in sheet.rows if r[1]] + tail == reference  # blank lines are left out of the tail only


def _csv_module_rows(text: str) -> list[tuple[int, tuple[str, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, line = [], 1
    for record in reader:
        rows.append((line, tuple(record)))
        line = reader.line_num + 1
    return rows


def _full_sheet(text: str) -> RawSheet:
    return RawSheet("2004/returns.csv", None, tuple(_csv_module_rows(text)), encoding="utf-8-sig")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_column_wise_records_and_findings_equal_the_row_by_row_ones(messy, encoding: str):
    text, _ = messy
    records, findings = sheet_records(read_csv(text.encode(encoding), "2004/returns.csv"), INSTRUMENT)
    expected_records, expected_findings = reference_records(_full_sheet(text))
    assert findings == expected_findings
    assert [(r.row, r.values) for r in records] == [(r.row, r.values) for r in expected_records]


def test_the_problems_are_where_they_were_put(messy):
    text, line = messy
    _, findings = sheet_records(read_csv(text.encode("utf-8-sig"), "2004/returns.csv"), INSTRUMENT)
    found = {(f.kind, f.row, f.column, f.value) for f in findings}
    assert ("bad_value", line["bad_answer"], PLAN, "也许") in found
    assert ("bad_value", line["bad_count"], BUREAU, "-1") in found
    assert ("missing_unit", line["no_unit"], INSTRUMENT.field("unit_name").label_zh, "") in found
    assert ("skipped_row", line["total"], None, "合计") in found
    assert len(errors(findings)) == 3
    assert not [f for f in findings if f.row in (line["blank"], line["note"], line["fullwidth_count"])]


def test_a_year_at_scale_reads_the_values_counted_by_hand(tmp_path: Path, messy):
    text, line = messy
    folder = tmp_path / "raw" / "2004"
    folder.mkdir(parents=True)
    fixed = text.replace("也许", "是").replace(",-1,", ",0,")
    lines = fixed.split("\r\n")
    lines[line["no_unit"] - 1] = lines[line["no_unit"] - 1].replace(",,", ",单位（补）,", 1)
    (folder / "returns.csv").write_bytes("\r\n".join(lines).encode("gb18030"))
    result = process_years(tmp_path / "raw")[2004]
    returns = result.returns.set_index("source_row")
    # the duplicate counted once; the totals, blank and note rows are not units
    assert len(result.returns) == UNITS
    assert returns.at[line["fullwidth_count"], "cadres_accountable_bureau"] == 3
    assert returns.at[2002, "unit_name"] == "单位（甲）"
    assert [f.row for f in result.findings if f.kind == "duplicate_unit"] == [line["duplicate"]]
    layered = returns.loc[1002:1041, "decomposition_layered"].tolist()
    assert layered == [i % 2 == 1 for i in range(1000, 1040)]
    frame = synthetic.year_frame(2004, UNITS)
    yes = int(frame[INSTRUMENT.field("assessment_plan").label_zh].eq("是").sum())
    figures = result.indicators.set_index(["indicator", "population"])
    assert figures.at[("assessment_plan", "all"), "numerator"] == yes


def test_errors_at_scale_name_file_row_column_value_and_what_was_expected(tmp_path: Path, messy):
    text, line = messy
    folder = tmp_path / "raw" / "2004"
    folder.mkdir(parents=True)
    (folder / "returns.csv").write_bytes(text.encode("utf-8-sig"))
    with pytest.raises(ReturnsError) as caught:
        process_years(tmp_path / "raw")
    bad = {f.row: f for f in caught.value.findings}
    assert set(bad) == {line["bad_answer"], line["bad_count"], line["no_unit"]}
    answer = bad[line["bad_answer"]]
    assert (answer.file, answer.column, answer.value) == ("2004/returns.csv", PLAN, "也许")
    assert "yes/no answer" in answer.expected
    assert (
        f"2004/returns.csv, row {line['bad_count']}, column '{BUREAU}': '-1' - a whole number"
        in caught.value.report()
    )


def test_a_value_over_two_lines_falls_back_to_the_csv_module_and_keeps_line_numbers(messy):
    text, _ = messy
    lines = text.split("\r\n")
    cells = next(csv.reader([lines[200]]))
    cells[2] = f"{cells[2][:2]}\n{cells[2][2:]}"  # the unit type over two lines, in quotes
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[200] = out.getvalue()
    changed = "\r\n".join(lines)
    assert changed.count("\n") == text.count("\n") + 1
    sheet = read_csv(changed.encode("utf-8"), "2004/returns.csv")
    assert sheet.tail is None
    assert list(sheet.rows) == _csv_module_rows(changed)


def test_rows_of_different_lengths_fall_back_to_the_csv_module(messy):
    text, _ = messy
    changed = text + "注：单位盖章\r\n"
    sheet = read_csv(changed.encode("utf-8"), "2004/returns.csv")
    assert sheet.tail is None and list(sheet.rows) == _csv_module_rows(changed)
    assert sheet_records(sheet, INSTRUMENT) == reference_records(sheet)


def test_a_stray_quote_falls_back_to_the_csv_module(messy):
    text, _ = messy
    changed = text.replace("单位0004000", 'a"b', 1)
    sheet = read_csv(changed.encode("utf-8"), "2004/returns.csv")
    assert sheet.tail is None and list(sheet.rows) == _csv_module_rows(changed)


def test_parquet_is_read_column_wise_numbered_as_its_csv(tmp_path: Path):
    frame = synthetic.year_frame(2004, 300)
    path = tmp_path / "r.parquet"
    frame.astype({c: "string" for c in frame.columns}).to_parquet(path, index=False)
    [sheet], findings = read_return_file(path, "2004")
    assert findings == []
    records, _ = sheet_records(sheet, INSTRUMENT)
    assert [r.row for r in records] == list(range(2, 302))
    assert records[9].values["unit_name"] == frame.iloc[9, 1]


def test_no_answer_warning_names_ten_units_and_counts_the_rest(tmp_path: Path):
    frame = synthetic.year_frame(2004, 400)
    frame[PLAN] = None
    folder = tmp_path / "raw" / "2004"
    folder.mkdir(parents=True)
    frame.to_csv(folder / "r.csv", index=False, encoding="utf-8-sig")
    result = process_years(tmp_path / "raw")[2004]
    [warning] = [f for f in result.findings if f.kind == "no_answer" and f.column == PLAN]
    names = pd.read_csv(folder / "r.csv", dtype=str)[INSTRUMENT.field("unit_name").label_zh].tolist()
    assert warning.expected == f"no answer from 400 of 400 units: {', '.join(names[:10])} and 390 more"


def test_a_workbook_without_formulas_is_read_without_the_openpyxl_pass(tmp_path: Path, monkeypatch):
    path = synthetic.write_year(tmp_path, 2004, 300, fmt="xlsx")

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a workbook with no formula and no error value")

    monkeypatch.setattr("analysis.intake.spreadsheets.openpyxl.load_workbook", refuse)
    [sheet], findings = read_return_file(path, "2004")
    records, _ = sheet_records(sheet, INSTRUMENT)
    assert findings == [] and len(records) == 300 and records[0].row == 3


@pytest.mark.parametrize(
    ("xml", "special"),
    [
        (b'<c r="Q5"><f>SUM(Q2:Q4)</f><v>3</v></c>', True),
        (b'<x:c r="Q5"><x:f t="shared" si="0"/></x:c>', True),  # a namespace prefix, a shared formula
        (b'<c r="D3" t="e"><v>#N/A</v></c>', True),
        (b'<c r="D3" t="s"><v>7</v></c><font/><formula1>1</formula1>', False),
    ],
)
def test_the_byte_scan_finds_formulas_and_error_values(xml: bytes, special: bool):
    from analysis.intake.spreadsheets import _SPECIAL_HINTS, _SPECIAL_MARK

    assert bool(_SPECIAL_MARK.search(xml)) is special
    assert not special or any(hint in xml for hint in _SPECIAL_HINTS)  # the quick search never hides a match
