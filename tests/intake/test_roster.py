"""The roster of a year (roster.csv, or the units surveyed the year before) and who has returned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_years

from analysis.catalogue import load_instrument
from analysis.intake.roster import read_roster_file, roster_applies, year_roster, year_status


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    return copy_years(tmp_path / "raw", (2003, 2004))


def test_the_sample_2004_is_37_of_the_38_units_of_2003(raw: Path):
    status, problems = year_status(raw, 2004)
    assert problems == [] and status.roster.from_year == 2003
    assert (len(status.received), len(status.roster.units)) == (37, 38)
    assert status.missing == ("中央单位（二十九）",)
    assert [r.unit for r in status.not_on_roster] == ["中央单位（二十八）"]
    assert "经济日报社" in status.roster.names  # 2003's 经济日报, under its canonical name


def test_a_year_not_yet_begun_has_received_nothing(raw: Path):
    status, _ = year_status(raw, 2005)
    assert (len(status.received), len(status.missing), status.roster.from_year) == (0, 38, 2004)


def test_the_first_year_has_no_roster(raw: Path):
    assert year_roster(raw, 2003) == (None, [])


def test_roster_csv_is_the_roster_of_the_year_being_run_only(raw: Path):
    (raw / "roster.csv").write_text("unit_name,unit_type\n新华社,新闻单位\n中央党校,\n", encoding="utf-8")
    assert roster_applies(raw, 2004) and roster_applies(raw, 2005) and not roster_applies(raw, 2003)
    roster, _ = year_roster(raw, 2005)
    assert roster.units == (("新华通讯社", "新闻单位"), ("中央党校", "")) and roster.from_year is None
    assert year_roster(raw, 2003)[0] is None  # closed: still no roster, whatever roster.csv says


def test_roster_csv_problems_name_file_row_column_and_value(tmp_path: Path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "单位名称,单位类别\n新华社,新闻单位\n,党委机关\n新华通讯社,新闻单位\n", encoding="gb18030"
    )
    units, findings = read_roster_file(path, {"新华社": "新华通讯社"}, load_instrument())
    assert units == [("新华通讯社", "新闻单位")]
    assert [(f.row, f.column, f.value) for f in findings] == [
        (3, "单位名称", ",党委机关"),
        (4, "单位名称", "新华通讯社"),
    ]
    path.write_text("name\nX\n", encoding="utf-8")
    assert "header row" in read_roster_file(path, {}, load_instrument())[1][0].expected
    path.write_text("unit_name,unit_type\n", encoding="utf-8")
    assert "at least one unit" in read_roster_file(path, {}, load_instrument())[1][0].expected


def test_a_return_with_errors_counts_as_received_and_duplicates_are_listed(raw: Path, tmp_path: Path):
    (raw / "2005").mkdir()
    form = load_instrument().for_year(2005)
    header = ",".join(f.label_zh for f in form.fields)
    answers = ["是"] * len(form.names("yes_no")) + ["0"] * len(form.names("count"))
    rows = [["新华社", "新闻单位", "也许", *answers[1:]], ["中央党校", "事业单位", *answers]]
    text = "\n".join([header, *(",".join(r) for r in rows)]) + "\n"
    (raw / "2005" / "a.csv").write_text(text, encoding="utf-8")
    shutil.copy(raw / "2005" / "a.csv", raw / "2005" / "b.csv")
    status, _ = year_status(raw, 2005)
    assert set(status.received) == {"新华通讯社", "中央党校"}
    assert sorted(u for u, _ in status.duplicates) == ["中央党校", "新华通讯社"]
    assert [(r.file, r.row) for r in dict(status.duplicates)["中央党校"]] == [
        ("2005/a.csv", 3),
        ("2005/b.csv", 3),
    ]
    assert len(status.problems) > 0
