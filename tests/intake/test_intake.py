"""Returns as they really arrive give the right figures: the messy corpus against its expectations.

The corpus under tests/corpus/ is written by scripts/make_messy_corpus.py from ground truth
that the script holds itself; each case's expected.json is computed from that truth, not
from this package. Every test here also checks that no raw folder changed while it ran.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import openpyxl
import pandas as pd
import pytest
from conftest import CORPUS, REPO, SAMPLE_RAW, expected, run_cli, unmatched

from analysis.intake.read import decode_csv, read_return_file
from analysis.pipeline import YearResult, process_years

SCRIPT = REPO / "scripts" / "make_messy_corpus.py"
READABLE = sorted(p.parent.name for p in CORPUS.glob("*/expected.json"))


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_messy_corpus", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script loads
    if str(SCRIPT.parent) not in sys.path:
        sys.path.insert(0, str(SCRIPT.parent))  # as when run as a script: its helpers sit beside it
    spec.loader.exec_module(module)
    return module


@functools.cache
def results(case: str) -> dict[int, YearResult]:
    """One run per case for the whole module: the corpus is read-only and runs are pure."""
    return process_years(CORPUS / case / "raw")


# ----------------------------------------------------------------- the corpus itself


def test_corpus_is_what_the_script_writes():
    """The committed corpus is current: regenerate in memory and compare every byte."""
    built = load_script().build_corpus()
    on_disk = {p.relative_to(CORPUS).as_posix(): p.read_bytes() for p in CORPUS.rglob("*") if p.is_file()}
    assert sorted(built) == sorted(on_disk)
    assert [name for name in built if built[name] != on_disk[name]] == []


# ----------------------------------------------------------------- figures and warnings


@pytest.mark.parametrize("case", READABLE)
def test_each_readable_case_gives_the_expected_figures(case: str):
    years = expected(case)["years"]
    got = results(case)
    assert sorted(map(str, got)) == sorted(years)
    for year, want in years.items():
        returns = got[int(year)].returns
        assert sorted(returns["unit_name"]) == want["units"]
        assert {f: int((returns[f] == True).sum()) for f in want["yes"]} == want["yes"]  # noqa: E712
        assert {f: int((returns[f] == False).sum()) for f in want["no"]} == want["no"]  # noqa: E712
        assert {f: int(returns[f].isna().sum()) for f in want["no_answer"]} == want["no_answer"]
        assert {f: int(returns[f].fillna(0).sum()) for f in want["sums"]} == want["sums"]
        indicators = got[int(year)].indicators.set_index(["indicator", "population"])
        assert indicators.at[("units_surveyed", "all"), "numerator"] == len(want["units"])
        for field, yes in want["yes"].items():
            if (field, "all") in indicators.index:
                assert indicators.at[(field, "all"), "numerator"] == yes
                assert indicators.at[(field, "all"), "denominator"] == len(want["units"])


@pytest.mark.parametrize("case", READABLE)
def test_each_readable_case_gives_exactly_the_expected_warnings(case: str):
    """Warnings do not stop the run; each expected one is there and nothing else is."""
    findings = [f for r in results(case).values() for f in r.findings]
    assert all(f.severity == "warning" for f in findings)
    missing, extra = unmatched(findings, expected(case)["warnings"])
    assert missing == [] and extra == []


def test_messy_workbook_gives_exactly_the_clean_csv_figures():
    messy, clean = results("consolidated_xlsx")[2005], results("consolidated_clean_csv")[2005]

    def answers(frame: pd.DataFrame) -> pd.DataFrame:
        return (
            frame.drop(columns=["source_file", "source_row"]).sort_values("unit_name").reset_index(drop=True)
        )

    pd.testing.assert_frame_equal(answers(messy.returns), answers(clean.returns))
    pd.testing.assert_frame_equal(messy.indicators, clean.indicators)
    assert len(messy.returns) == 12


def test_workbook_header_is_found_below_titles_with_rows_numbered_as_excel_shows():
    """The unit written 中央单位 (三) on Excel row 8 comes out with its canonical name and its row."""
    returns = results("consolidated_xlsx")[2005].returns.set_index("unit_name")
    book = next((CORPUS / "consolidated_xlsx" / "raw" / "2005").glob("*.xlsx"))
    sheet = openpyxl.load_workbook(book, read_only=True)["汇总表"]
    rows = {r[2]: n for n, r in enumerate(sheet.iter_rows(values_only=True), start=1) if len(r) > 2 and r[2]}
    assert returns.at["中央单位（三）", "source_row"] == rows["中央单位 (三)"]
    assert returns.at["中央党校", "source_row"] == rows["中央党校"]


def test_formulas_are_read_as_saved_never_evaluated():
    """Both cells hold formulas that would now give 0 and 否; Excel saved 3 and 是."""
    book = next((CORPUS / "consolidated_xlsx" / "raw" / "2005").glob("*.xlsx"))
    formulas = openpyxl.load_workbook(book)["汇总表"]
    returns = results("consolidated_xlsx")[2005].returns.set_index("unit_name")
    row_four, row_xinhua = (int(returns.at[u, "source_row"]) for u in ("中央单位（四）", "新华通讯社"))
    assert formulas.cell(row_four, 17).value == "=SUM(Z1:Z3)"
    assert formulas.cell(row_xinhua, 6).value.startswith("=IF(")
    assert returns.at["中央单位（四）", "cadres_accountable_bureau"] == 3
    assert bool(returns.at["新华通讯社", "decomposition_plan"]) is True


def test_a_stale_dimension_tag_does_not_cut_the_table_short():
    book = CORPUS / "mixed_folder" / "raw" / "2005" / "汇总.xlsx"
    with zipfile.ZipFile(book) as archive:
        assert b'<dimension ref="A1:C3" />' in archive.read("xl/worksheets/sheet1.xml")
    returns = results("mixed_folder")[2005].returns
    assert set(returns.loc[returns["source_file"] == "2005/汇总.xlsx", "unit_name"]) == {
        f"中央单位（{n}）" for n in "一二三四"
    }


# ----------------------------------------------------------------- encodings


PER_UNIT = CORPUS / "per_unit_csv" / "raw" / "2005"


@pytest.mark.parametrize(
    ("file", "unit", "encoding"),
    [
        ("01-中央单位（甲）.csv", "中央单位（甲）", "gb18030"),
        ("02-中国䶮文化研究会.csv", "中国䶮文化研究会", "gb18030"),
        ("03-新华通讯社.csv", "新华通讯社", "utf-8-sig"),
        ("04-经济日报.csv", "经济日报", "utf-8-sig"),
    ],
)
def test_per_unit_csv_in_each_encoding_reads_the_right_unit(file: str, unit: str, encoding: str):
    sheets, findings = read_return_file(PER_UNIT / file, "2005")
    assert findings == [] and sheets[0].encoding == encoding
    returns = results("per_unit_csv")[2005].returns
    assert returns.loc[returns["source_file"] == f"2005/{file}", "unit_name"].tolist() == [unit]


def test_the_encoding_traps_are_real():
    """䶮 is not in GBK; the UTF-8 file decodes 'successfully' as GB18030 into other characters."""
    with pytest.raises(UnicodeDecodeError):
        (PER_UNIT / "02-中国䶮文化研究会.csv").read_bytes().decode("gbk")
    utf8 = (PER_UNIT / "04-经济日报.csv").read_bytes()
    assert "经济日报" not in utf8.decode("gb18030")
    assert "经济日报" in decode_csv(utf8)[0]


def test_rows_of_a_csv_are_its_editor_lines_even_with_a_two_line_header():
    returns = results("per_unit_csv")[2005].returns.set_index("unit_name")
    lines = (PER_UNIT / "01-中央单位（甲）.csv").read_bytes().decode("gbk").splitlines()
    assert lines[int(returns.at["中央单位（甲）", "source_row"]) - 1].startswith("中央单位（甲）,")


# ----------------------------------------------------------------- folders and units


def test_workbook_and_csv_in_one_folder_are_combined_and_other_files_noted():
    result = results("mixed_folder")[2005]
    assert sorted(result.returns["source_file"].unique()) == [
        "2005/汇总.xlsx",
        "2005/补报-中央单位（五）.csv",
    ]
    skipped = sorted(f.file for f in result.findings if f.kind == "skipped_file")
    assert skipped == ["2005/~$汇总.xlsx", "2005/旧表.xlsb", "2005/说明.txt"]
    assert "lock file" in next(f.expected for f in result.findings if f.file == "2005/~$汇总.xlsx")


def test_renamed_unit_in_aliases_and_bracket_variant_are_one_unit_across_years():
    got = results("units_across_years")
    names = {year: set(r.returns["unit_name"]) for year, r in got.items()}
    for name in ("经济日报社", "中国科学技术协会", "中央单位（三）", "中央单位（四）"):
        assert name in names[2004] and name in names[2005]
    assert "经济日报" not in names[2004] and "中央单位(三)" not in names[2005]
    # a rename that is not in unit_aliases.csv is two units, not silently merged
    assert ("中国作协" in names[2004]) and ("中国作协" not in names[2005])
    assert ("中国作家协会" in names[2005]) and ("中国作家协会" not in names[2004])
    assert got[2005].previous_year == 2004


# ----------------------------------------------------------------- the command line


def test_build_with_warnings_succeeds_and_lists_them_in_findings_csv_and_terminal(tmp_path: Path):
    raw = CORPUS / "warnings_only" / "raw"
    result = run_cli(
        "build",
        "--raw",
        str(raw),
        "--processed",
        str(tmp_path / "p"),
        "--reports",
        str(tmp_path / "r"),
        "--no-reports",
        "--all-warnings",
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    findings = pd.read_csv(tmp_path / "p" / "2005" / "findings.csv", dtype=str, keep_default_na=False)
    want = expected("warnings_only")["warnings"]
    assert len(findings) == len(want)
    kinds = findings["kind"].value_counts().to_dict()
    assert kinds == pd.Series([w["kind"] for w in want]).value_counts().to_dict()
    assert result.stderr.count("warning: ") == len(want)
    assert "2005/returns.csv, row 11: '中央单位（七）' - a unit returned once" in result.stderr
    assert not (tmp_path / "r").exists()


def test_skipped_files_reach_findings_csv(tmp_path: Path):
    result = run_cli(
        "build",
        "--raw",
        str(CORPUS / "mixed_folder" / "raw"),
        "--processed",
        str(tmp_path / "p"),
        "--no-reports",
    )
    assert result.returncode == 0, result.stderr
    findings = pd.read_csv(tmp_path / "p" / "2005" / "findings.csv", dtype=str, keep_default_na=False)
    assert sorted(findings.loc[findings["kind"] == "skipped_file", "file"]) == [
        "2005/~$汇总.xlsx",
        "2005/旧表.xlsb",
        "2005/说明.txt",
    ]


def test_building_the_sample_data_leaves_data_raw_byte_identical(tmp_path: Path):
    """The autouse fixture hashes data/raw before and after; this run must not change it."""
    result = run_cli("build", "--raw", str(SAMPLE_RAW), "--processed", str(tmp_path / "p"), "--no-reports")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p" / "2004" / "returns.parquet").exists()


# --- Parquet returns, for offices that export from a database ---------------------------------


def test_a_parquet_return_is_read_with_its_types_and_rows_numbered_as_a_csv(tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from conftest import unit_row

    from analysis.catalogue import load_instrument
    from analysis.pipeline import process_years

    rows = [
        unit_row(
            "甲单位", yes={"decomposition_plan", "accountability_enforced"}, cadres_accountable_bureau=2
        ),
        unit_row("乙单位", blank={"assessment_plan"}),
    ]
    columns = {name: [r[name] for r in rows] for name in rows[0]}
    yes_no = load_instrument().names("yes_no")
    typed = {  # as a database exports them: booleans, nullable integers, text
        name: pa.array([None if v == "" else v == "yes" for v in values], pa.bool_())
        if name in yes_no
        else pa.array([float(v) for v in values], pa.float64())
        if name.startswith("cadres_")
        else pa.array(values, pa.string())
        for name, values in columns.items()
    }
    folder = tmp_path / "raw" / "2010"
    folder.mkdir(parents=True)
    pq.write_table(pa.table(typed), folder / "returns.parquet")
    result = process_years(tmp_path / "raw")[2010]
    returns = result.returns.set_index("unit_name")
    assert bool(returns.at["甲单位", "decomposition_plan"]) and not bool(
        returns.at["乙单位", "decomposition_plan"]
    )
    assert returns.at["甲单位", "cadres_accountable_bureau"] == 2 and pd.isna(
        returns.at["乙单位", "assessment_plan"]
    )
    assert (returns.at["甲单位", "source_file"], int(returns.at["甲单位", "source_row"])) == (
        "2010/returns.parquet",
        2,
    )


def test_a_bad_value_in_a_parquet_return_names_file_row_column_and_value(tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from conftest import unit_row

    from analysis.findings import ReturnsError
    from analysis.pipeline import process_years

    rows = [unit_row("甲单位"), {**unit_row("乙单位"), "decomposition_plan": "maybe"}]
    folder = tmp_path / "raw" / "2010"
    folder.mkdir(parents=True)
    pq.write_table(pa.table({name: [r[name] for r in rows] for name in rows[0]}), folder / "returns.parquet")
    with pytest.raises(ReturnsError) as caught:
        process_years(tmp_path / "raw")
    bad = [f for f in caught.value.findings if f.severity == "error"]
    assert [(f.file, f.row, f.column, f.value) for f in bad] == [
        ("2010/returns.parquet", 3, "decomposition_plan", "maybe")
    ]
