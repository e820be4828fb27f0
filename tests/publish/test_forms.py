"""The forms sent to the units: one per unit of the roster and a blank one, filled in as a person
fills them (only the cells left unlocked), read back by the intake with no warning."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_years

from analysis.catalogue import load_instrument
from analysis.findings import ReturnsError, UsageError, warnings
from analysis.pipeline import process_years
from analysis.publish.forms import write_forms

SHEET, INSTRUCTIONS = "填报表", "填表说明"
HEADER_ROW, UNIT_ROW = 3, 4


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped 2003 and 2004 (and the aliases): 2005's roster is 2004's 38 units."""
    return copy_years(tmp_path_factory.mktemp("forms") / "raw", (2003, 2004))


@pytest.fixture(scope="module")
def forms(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "forms"
    write_forms(2005, raw, out)
    return out


def answers_for(number: int) -> dict[str, object]:
    """Consistent answers (no rule broken), varied by unit: all yes with cadres, or all no without."""
    instrument = load_instrument().for_year(2005)
    yes = number % 2 == 0
    values: dict[str, object] = {name: "是" if yes else "否" for name in instrument.names("yes_no")}
    values.update({name: (number % 4 + 1 if yes else 0) for name in instrument.names("count")})
    return values


def fill(path: Path, values: dict[str, object], target: Path, unit: tuple[str, str] | None = None) -> None:
    """Fill the form as a user does: type into the unlocked cells only, then save it as `target`."""
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    labels = {f.label_zh: f.name for f in load_instrument().fields}
    for cell in sheet[UNIT_ROW]:
        header = sheet.cell(HEADER_ROW, cell.column).value or ""
        name = labels.get(header.removesuffix("（本年新增）"))
        if name is None:
            continue
        wanted = (
            unit[0 if name == "unit_name" else 1] if unit and name in ("unit_name", "unit_type") else None
        )
        wanted = values.get(name, wanted)
        if wanted is None:
            continue
        assert not cell.protection.locked, f"{cell.coordinate} ({header}) is locked"
        cell.value = wanted
    book.save(target)


def test_one_form_per_unit_of_the_roster_a_blank_one_and_the_list(forms: Path):
    names = sorted(p.name for p in forms.iterdir())
    assert len([n for n in names if n.endswith(".xlsx")]) == 38 + 1
    assert [n for n in names if "空白" in n] == ["空白表（名单以外单位用）.xlsx"]
    assert "发放清单.csv" in names and "文件名对照.csv" not in names  # every name is a file name
    listed = (forms / "发放清单.csv").read_text(encoding="utf-8-sig").splitlines()
    assert listed[0] == "单位名称,单位类别,报表文件名" and len(listed) == 39
    assert "新华通讯社,新闻单位,新华通讯社.xlsx" in listed


def test_a_form_is_protected_with_only_the_answers_unlocked_and_checked(forms: Path):
    book = openpyxl.load_workbook(forms / "新华通讯社.xlsx")
    assert book.sheetnames == [INSTRUCTIONS, SHEET]
    sheet = book[SHEET]
    assert sheet.protection.sheet and book[INSTRUCTIONS].protection.sheet
    row = {sheet.cell(HEADER_ROW, c.column).value: c for c in sheet[UNIT_ROW]}
    assert row["单位名称"].value == "新华通讯社" and row["单位名称"].protection.locked
    assert row["单位类别"].protection.locked
    assert all(c.protection.locked for c in sheet[HEADER_ROW])
    form = load_instrument().for_year(2005)
    answer_cells = {c.coordinate for h, c in row.items() if h != "单位名称" and h != "单位类别"}
    assert all(not row[h].protection.locked for h in row if h not in ("单位名称", "单位类别"))
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert set(checks) == answer_cells - {row["备注"].coordinate}
    for field in form.fields:
        if field.kind == "yes_no":
            check = checks[row[field.label_zh].coordinate]
            assert (check.type, check.formula1, check.showErrorMessage) == ("list", '"是,否"', True)
        elif field.kind == "count":
            check = checks[row[field.label_zh].coordinate]
            # "between" is the default operator, which the file leaves out
            assert (check.type, check.operator or "between", check.formula1) == ("whole", "between", "0")
            assert check.formula2 == str(field.max)
    words = " ".join(str(c.value) for r in book[INSTRUCTIONS].iter_rows() for c in r if c.value)
    assert "中央纪委研究室" in words  # who to contact, from 2004's report.yaml
    assert "回答“是”表示本单位制定了责任分解方案" in words  # what a question means, from the catalogue


def test_the_new_questions_are_marked(raw: Path, tmp_path: Path):
    """2004 first asked 纳入民主生活会和述职述廉: its forms (roster: 2003's units) mark it new."""
    write_forms(2004, raw, tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "新华通讯社.xlsx")[SHEET]
    marked = [c.value for c in sheet[HEADER_ROW] if "本年新增" in str(c.value)]
    assert marked == ["纳入民主生活会和述职述廉（本年新增）"]


def test_the_same_inputs_give_the_same_bytes(raw: Path, forms: Path, tmp_path: Path):
    write_forms(2005, raw, tmp_path)
    for path in forms.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_filled_forms_round_trip_with_no_warning(raw: Path, forms: Path, tmp_path: Path):
    year = tmp_path / "raw"
    shutil.copytree(raw, year)
    (year / "2005").mkdir()
    units = sorted(p for p in forms.glob("*.xlsx") if "空白" not in p.name)
    for number, form in enumerate(units):
        fill(form, answers_for(number), year / "2005" / form.name)
    blank = next(forms.glob("*空白*.xlsx"))
    fill(blank, answers_for(0), year / "2005" / "新单位.xlsx", unit=("中央新设单位", "事业单位"))
    result = process_years(year, [2005])[2005]
    assert warnings(result.findings) == []  # the new unit is not in 2004: none left, so none joined
    returns = result.returns.set_index("unit_name")
    assert len(returns) == 39 and returns.loc["中央新设单位", "unit_type"] == "事业单位"
    for number, form in enumerate(units):
        got = returns.loc[form.stem]
        for name, value in answers_for(number).items():
            assert got[name] == (value == "是" if isinstance(value, str) else value), (form.stem, name)


@pytest.mark.parametrize(
    ("field", "value"), [("decomposition_plan", "也许"), ("cadres_accountable_bureau", -1)]
)
def test_a_wrong_value_is_an_error_naming_file_row_column_and_value(
    raw: Path, forms: Path, tmp_path: Path, field: str, value: object
):
    year = tmp_path / "raw"
    shutil.copytree(raw, year)
    (year / "2005").mkdir()
    fill(forms / "新华通讯社.xlsx", {**answers_for(0), field: value}, year / "2005" / "新华通讯社.xlsx")
    with pytest.raises(ReturnsError) as caught:
        process_years(year, [2005])
    [finding] = caught.value.findings
    label = load_instrument().field(field).label_zh
    assert (finding.file, finding.row, finding.column, finding.value) == (
        "2005/新华通讯社.xlsx",
        UNIT_ROW,
        label,
        str(value),
    )


def test_a_folder_with_files_is_refused_without_force(raw: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match=r"not this year's forms: notes\.txt"):
        write_forms(2005, raw, out)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    write_forms(2005, raw, out, force=True)
    assert (out / "notes.txt").read_text() == "mine"
    with pytest.raises(UsageError, match="already holds 40 of the files"):
        write_forms(2005, raw, out)
    with pytest.raises(UsageError, match="inside the raw folder"):
        write_forms(2005, raw, raw / "2005")
    with pytest.raises(UsageError, match="four digits"):
        write_forms(205, raw, tmp_path / "x")
    with pytest.raises(UsageError, match="no roster for 2003"):
        write_forms(2003, copy_years(tmp_path / "only", (2003,)), tmp_path / "y")


def test_a_unit_name_that_is_no_file_name_is_listed(raw: Path, tmp_path: Path):
    (raw.parent / "r2").mkdir()
    custom = raw.parent / "r2" / "raw"
    shutil.copytree(raw, custom)
    (custom / "roster.csv").write_text(
        "单位名称,单位类别\n中央/单位:一,党委机关\n新华社,新闻单位\n", encoding="utf-8"
    )
    written = write_forms(2005, custom, tmp_path / "f")
    assert sorted(p.name for p in written) == sorted(
        [
            "中央_单位_一.xlsx",
            "新华通讯社.xlsx",
            "空白表（名单以外单位用）.xlsx",
            "发放清单.csv",
            "文件名对照.csv",
        ]
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_form_saved_again_by_libreoffice_reads_the_same(raw: Path, forms: Path, tmp_path: Path):
    """Filled in, opened and saved as .xlsx by LibreOffice headless: the same answers, no warning."""
    filled = tmp_path / "filled" / "新华通讯社.xlsx"
    filled.parent.mkdir()
    fill(forms / "新华通讯社.xlsx", answers_for(2), filled)
    year = tmp_path / "raw"
    shutil.copytree(raw, year)
    (year / "2005").mkdir()
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(year / "2005"),
            str(filled),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    saved = year / "2005" / "新华通讯社.xlsx"
    assert saved.read_bytes() != filled.read_bytes()  # LibreOffice wrote it anew
    book = openpyxl.load_workbook(saved)
    assert book[SHEET].protection.sheet  # still protected
    result = process_years(year, [2005])[2005]
    assert warnings(result.findings) == []
    got = result.returns.set_index("unit_name").loc["新华通讯社"]
    for name, value in answers_for(2).items():
        assert got[name] == (value == "是" if isinstance(value, str) else value), name
