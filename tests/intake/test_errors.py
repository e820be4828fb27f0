"""Bad returns fail with a complete, precise list: every problem of the run, and nothing written.

The bad_returns corpus case holds each kind of unreadable input, in two years and several
files (workbook, GBK and UTF-8 CSVs, an undecodable file, a broken workbook, a bad alias
file). Its expected_errors.json, written by scripts/make_messy_corpus.py from the layout
it wrote, gives each error's file, sheet, row, column header as written and value.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, expected, run_cli, tree_hashes, unmatched

from analysis.findings import Finding, ReturnsError
from analysis.pipeline import process_years

BAD = CORPUS / "bad_returns" / "raw"
WANTED = expected("bad_returns")["errors"]


@pytest.fixture(scope="module")
def run_errors() -> list[Finding]:
    with pytest.raises(ReturnsError) as caught:
        process_years(BAD)
    return caught.value.findings


def test_one_run_lists_every_error_of_every_file_and_year(run_errors: list[Finding]):
    missing, extra = unmatched(run_errors, WANTED)
    assert missing == [] and extra == []
    assert {f.file.split("/")[0] for f in run_errors} == {"2004", "2005", "unit_aliases.csv"}


def test_every_kind_of_bad_input_is_in_the_corpus():
    kinds = {w["kind"] for w in WANTED}
    assert kinds == {
        "bad_value",
        "missing_unit",
        "missing_column",
        "conflicting_unit",
        "encoding",
        "unreadable",
        "no_header",
        "aliases",
    }
    values = {w.get("value") for w in WANTED if w["kind"] == "bad_value"}
    assert {
        "部分",
        "maybe",
        "-1",
        "-2",
        "2.5",
        "3.5人",
    } <= values  # unknown answers, negative and fractional counts


def _id(want: dict) -> str:
    return f"{want['kind']}:{want['file']}:{want.get('row')}"


@pytest.mark.parametrize("want", WANTED, ids=[_id(w) for w in WANTED])
def test_each_error_message_says_where_what_and_what_was_expected(want: dict, run_errors: list[Finding]):
    """The printed line names the file, sheet, row, column as written, the value and the fix."""
    [finding] = [f for f in run_errors if not unmatched([f], [want])[0]][:1]
    line = str(finding)
    assert line.startswith(want["file"])
    assert want["expected_has"] in line
    if "sheet" in want:
        assert f"sheet {want['sheet']!r}" in line
    if "row" in want:
        assert f"row {want['row']}" in line
    if "column" in want:
        assert f"column {want['column']!r}" in line
    if "value" in want:
        assert repr(want["value"]) in line


def test_a_missing_column_is_named(run_errors: list[Finding]):
    missing = sorted(f.expected.split(" (")[0] for f in run_errors if f.kind == "missing_column")
    assert missing == ["a column 单位名称", "a column 反馈考核结果", "a column 开展责任考核"]


def test_the_same_unit_with_different_answers_names_the_unit_and_both_places(run_errors: list[Finding]):
    conflicts = {(f.unit, f.file, f.row): f.expected for f in run_errors if f.kind == "conflicting_unit"}
    assert "2004/一览表.xlsx, sheet '一览表', row 10" in conflicts[("中央单位（五）", "2004/一览表.xlsx", 12)]
    assert "2005/returns.csv, row 4" in conflicts[("中央单位（七）", "2005/中央单位（七）.csv", 3)]


def test_errors_are_sorted_by_file_then_row(run_errors: list[Finding]):
    places = [(f.file, f.sheet or "", -1 if f.row is None else f.row) for f in run_errors]
    assert places == sorted(places)


def test_finding_line_format():
    finding = Finding(
        severity="error",
        file="2005/a.csv",
        row=3,
        column="2、制定责任\n分解方案",
        value="maybe",
        expected="a yes/no answer",
        kind="bad_value",
    )
    assert str(finding) == "2005/a.csv, row 3, column '2、制定责任\\n分解方案': 'maybe' - a yes/no answer"
    report = ReturnsError(
        [finding, Finding(severity="error", file="2004/b.xlsx", expected="a readable file")]
    ).report()
    assert report.splitlines() == [
        "2 problems in the returns; nothing was written:",
        "  - 2004/b.xlsx - a readable file",
        "  - 2005/a.csv, row 3, column '2、制定责任\\n分解方案': 'maybe' - a yes/no answer",
    ]


# ----------------------------------------------------------------- the command line


def test_validate_prints_every_error_and_exits_non_zero_without_traceback(run_errors: list[Finding]):
    result = run_cli("validate", "--raw", str(BAD))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"{len(WANTED)} problems in the returns; nothing was written:"
    assert lines[1:] == [f"  - {f}" for f in run_errors]
    assert "units read" not in result.stdout


def test_build_with_errors_writes_nothing_and_keeps_earlier_outputs(tmp_path: Path):
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    earlier = processed / "2004" / "indicators.csv"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("indicator,population,numerator\nunits_surveyed,all,38\n", encoding="utf-8")
    before = tree_hashes(processed)
    result = run_cli(
        "build", "--raw", str(BAD), "--processed", str(processed), "--reports", str(reports), "--no-reports"
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{len(WANTED)} problems in the returns; nothing was written:")
    assert tree_hashes(processed) == before
    assert not reports.exists()
