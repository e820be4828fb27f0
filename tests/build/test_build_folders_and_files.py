"""Regression tests for the build and command-line defects of issue 8 (folders, exits, CSVs,
leftovers, warnings): each failed on the code before the fix."""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import REPO, SAMPLE_RAW, TWO_YEAR_REPORTS, TWO_YEAR_ZH_REPORTS, run_cli, unit_row

from analysis.build import build, check_output_folders
from analysis.findings import UsageError
from analysis.paths import Paths
from analysis.publish.load import ReportError
from analysis.publish.render import NOTEBOOK, render_year
from analysis.store import csv_text, read_csv, remove_leftovers

FORMULA_NAMES = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\tTab unit", "'quoted unit"]


def cli_in(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m analysis ...` typed in another folder than the checkout."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=False, cwd=cwd
    )


# --- 1. relative output folders land where asked ----------------------------------------


def test_relative_output_folders_from_another_folder_with_two_years(tmp_path: Path, two_years: Path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    before = sorted(p.name for p in (REPO / "notebooks").iterdir())
    result = cli_in(work, "build", "--raw", str(two_years), "--processed", "out/p", "--reports", "out/r")
    assert result.returncode == 0, result.stderr
    # nothing landed beside the notebook
    assert sorted(p.name for p in (REPO / "notebooks").iterdir()) == before
    reports = work / "out" / "r"
    assert sorted(p.name for p in reports.iterdir()) == TWO_YEAR_REPORTS
    assert sorted(p.name for p in (reports / "zh").iterdir()) == TWO_YEAR_ZH_REPORTS
    assert (work / "out" / "p" / "2004" / "indicators.csv").is_file()
    assert f"index -> {reports / 'index.html'}" in result.stdout


def test_a_report_run_never_changes_the_working_directory_of_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_tables: tuple[Paths, object]
):
    """Years run side by side in threads: a chdir in one moves every other thread's relative paths."""
    paths = Paths(SAMPLE_RAW, tmp_path / "p", tmp_path / "r")
    shutil.copytree(sample_tables[0].processed, paths.processed)  # the sample's tables, built once per run
    moves: list[str] = []
    real_chdir = os.chdir
    monkeypatch.setattr(os, "chdir", lambda path: (moves.append(str(path)), real_chdir(path)))
    here = os.getcwd()
    rendered = render_year(2004, paths)
    # papermill's file handler "moves" to where it is
    assert {os.path.realpath(m) for m in moves} <= {os.path.realpath(here)}
    assert rendered.html == tmp_path / "r" / "2004.html" and rendered.html.is_file()


def test_paths_are_resolved_once_against_the_folder_the_command_was_typed_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    paths = Paths(Path("raw"), Path("p"), Path("../r")).resolved()
    assert paths == Paths(tmp_path / "raw", tmp_path / "p", tmp_path.parent / "r")


# --- 5. every CSV is inert in a spreadsheet -------------------------------------------------


def test_formula_like_unit_names_are_inert_in_every_csv_and_real_in_parquet(write_year, tmp_path: Path):
    # each breaks a rule: a finding names it
    rows = [unit_row(name, yes={"decomposition_layered"}) for name in FORMULA_NAMES] + [
        unit_row("Plain unit")
    ]
    raw = write_year(2012, rows)
    paths = Paths(raw, tmp_path / "p", tmp_path / "r")
    build(paths, progress=lambda message: None)
    folder = paths.processed / "2012"
    page = (paths.reports / "2012.html").read_text(encoding="utf-8")
    # the report reads the real names back
    assert "=1+1" in page and "&#x27;=1+1" not in page and "'=1+1" not in page
    for table in sorted(folder.glob("*.csv")):
        for line in csv.reader(io.StringIO(table.read_text(encoding="utf-8"))):
            for cell in line:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or _is_number(cell), (
                    table.name,
                    cell,
                )
    findings = (folder / "findings.csv").read_text(encoding="utf-8")
    assert "'=1+1" in findings and "'@SUM（A1）" in findings and "'-2+3" in findings and "'+cmd|" in findings
    returns = pd.read_parquet(folder / "returns.parquet")  # unit names take full-width brackets
    assert {"=1+1", "+cmd|' /C calc'!A0", "@SUM（A1）", "-2+3", "Tab unit", "'quoted unit"} <= set(
        returns["unit_name"]
    )


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_inert_csv_keeps_numbers_and_reads_back_to_the_real_text(tmp_path: Path):
    frame = pd.DataFrame(
        {
            "unit": pd.array([*FORMULA_NAMES, None], dtype="string"),
            "change": pd.array([-3.5, 2.0, None, -0.25, 1.0, 0.0, -7.0], dtype="Float64"),
            "k": pd.array([-1, 2, 3, 4, 5, 6, None], dtype="Int64"),
        }
    )
    text = csv_text(frame)
    lines = text.splitlines()
    assert lines[1] == "'=1+1,-3.5,-1"  # text made inert, numbers left numbers
    assert lines[6] == "''quoted unit,0.0,6"
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    back = read_csv(tmp_path / "t.csv", dtype={"unit": "string", "change": "Float64", "k": "Int64"})
    assert back["unit"].tolist()[:6] == FORMULA_NAMES
    assert back["unit"].isna().tolist() == [False] * 6 + [True]
    assert back["change"].tolist()[:2] == [-3.5, 2.0]


# --- 8. output folders checked before anything is written -----------------------------------


@pytest.mark.parametrize("option", ["--processed", "--reports"])
def test_an_output_folder_that_is_a_file_is_a_usage_error(tmp_path: Path, option: str):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    folders = {"--processed": str(tmp_path / "p"), "--reports": str(tmp_path / "r"), option: str(blocker)}
    result = run_cli("build", "--raw", str(SAMPLE_RAW), *[x for kv in folders.items() for x in kv])
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"error: {option} {blocker} is a file, not a folder" in result.stderr
    assert not (tmp_path / "p").exists() and not (tmp_path / "r").exists()


def test_an_output_folder_inside_raw_is_refused_and_raw_is_untouched(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "2004").mkdir()
    (raw / "2004" / "returns.xlsx").write_bytes(
        (SAMPLE_RAW / "2004" / next(p.name for p in (SAMPLE_RAW / "2004").iterdir())).read_bytes()
    )
    result = run_cli(
        "build", "--raw", str(raw), "--processed", str(raw / "processed"), "--reports", str(tmp_path / "r")
    )
    assert result.returncode == 2
    assert f"--processed {raw / 'processed'} is inside the raw folder" in result.stderr
    assert sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*")) == ["2004", "2004/returns.xlsx"]
    assert not (tmp_path / "r").exists()


def test_an_output_folder_that_cannot_be_written_is_a_usage_error(tmp_path: Path):
    if os.geteuid() == 0:  # root writes anywhere permissions allow nothing; /sys refuses even root
        target = Path("/sys/analysis-reports")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        target = locked / "reports"
    with pytest.raises(UsageError, match="cannot be written"):
        check_output_folders(Paths(SAMPLE_RAW, tmp_path / "p", target))
    result = run_cli(
        "build", "--raw", str(SAMPLE_RAW), "--processed", str(tmp_path / "p"), "--reports", str(target)
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "p").exists()


# --- 14. smaller ones -----------------------------------------------------------------------


def test_a_year_without_a_folder_is_a_usage_error_exit_2():
    result = run_cli("build", "--raw", str(SAMPLE_RAW), "--year", "1999", "--no-reports")
    assert result.returncode == 2
    assert "no year folder for 1999" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("validate", "--raw", str(SAMPLE_RAW), "--year", "1999").returncode == 2


def test_leftovers_of_a_killed_build_are_cleaned_and_live_ones_kept(tmp_path: Path):
    folder = tmp_path / "reports"
    folder.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    dead_pid = int(dead.stdout)
    stale = [
        folder / f".2004.{dead_pid}.abc123.running.ipynb",
        folder / f".2004.html.{dead_pid}.x1y2.tmp",
        folder / ".2003.k9_z.running.ipynb",
    ]
    live = folder / f".2004.{os.getpid()}.q1w2.running.ipynb"
    for path in [*stale, live]:
        path.write_bytes(b"")
    (folder / "2004.html").write_text("a report", encoding="utf-8")
    removed = remove_leftovers(folder)
    assert sorted(removed) == sorted(stale)
    assert sorted(p.name for p in folder.iterdir()) == sorted([live.name, "2004.html"])


def test_the_kept_failed_notebook_is_readable_like_the_other_outputs(
    tmp_path: Path, sample_tables: tuple[Paths, object]
):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(
        c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    )
    cell.source = 'raise RuntimeError("boom")'
    notebook = tmp_path / "notebooks" / "year_report.ipynb"
    notebook.parent.mkdir()
    nbformat.write(nb, notebook)
    paths = Paths(SAMPLE_RAW, tmp_path / "p", tmp_path / "reports")
    shutil.copytree(sample_tables[0].processed, paths.processed)  # the sample's tables, built once per run
    old = os.umask(0o022)
    try:
        with pytest.raises(ReportError, match="boom"):
            render_year(2004, paths, notebook=notebook)
    finally:
        os.umask(old)
    failed = paths.reports / "2004.failed.ipynb"
    assert stat.S_IMODE(failed.stat().st_mode) == 0o644
    assert sorted(p.name for p in paths.reports.iterdir()) == ["2004.failed.ipynb"]


def test_make_sample_keeps_a_users_aliases_and_readme(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    mine = "alias,unit_name\n我的旧名,我的新名\n"
    (raw / "unit_aliases.csv").write_text(mine, encoding="utf-8")
    (raw / "README.md").write_text("my notes", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sample_data.py"), str(raw)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert (
        f"kept {raw / 'unit_aliases.csv'}" in result.stderr and f"kept {raw / 'README.md'}" in result.stderr
    )
    assert (raw / "unit_aliases.csv").read_text(encoding="utf-8") == mine
    assert (raw / "README.md").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in (raw / "2004").iterdir()) == sorted(
        p.name for p in (SAMPLE_RAW / "2004").iterdir()
    )
    again = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sample_data.py"), str(raw), "--force"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0
    assert (raw / "README.md").read_bytes() == (SAMPLE_RAW / "README.md").read_bytes()


def test_the_readmes_papermill_example_writes_outside_the_checkout():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith("papermill notebooks/"))
    output = command.split()[2]
    assert Path(output).is_absolute() and REPO not in Path(output).parents


# --- 16. warnings grouped in the terminal, listed in full in warnings.csv ----------------------


def test_many_warnings_are_grouped_in_the_terminal_and_all_kept_in_warnings_csv(write_year, tmp_path: Path):
    # layered without a plan
    rows = [unit_row(f"单位{n:03d}", yes={"decomposition_layered"}) for n in range(60)]
    raw = write_year(2013, rows)
    result = run_cli("build", "--raw", str(raw), "--processed", str(tmp_path / "p"), "--no-reports")
    assert result.returncode == 0, result.stderr
    consistency = [
        line
        for line in result.stderr.splitlines()
        if line.startswith("warning: 2013/returns.csv") and "consistency" in line
    ]
    assert len(consistency) == 3
    assert "... and 57 more consistency warnings for 2013" in result.stderr
    assert len(result.stderr.splitlines()) < 10
    listed = pd.read_csv(tmp_path / "p" / "2013" / "warnings.csv", dtype=str)
    assert (listed["kind"] == "consistency").sum() == 60
    assert set(listed["severity"]) == {"warning"}
    every = run_cli("validate", "--raw", str(raw), "--all-warnings")
    assert sum("consistency" in line for line in every.stderr.splitlines()) == 60


# --- 13. the executed notebook names no folder of the analyst's machine -------------------------


def test_the_executed_notebook_is_the_same_bytes_wherever_the_checkout_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    kept = {}
    for name in ("first", "second-checkout"):
        root = tmp_path / name
        shutil.copytree(SAMPLE_RAW, root / "data" / "raw")
        monkeypatch.setenv("ANALYSIS_ROOT", str(root))
        paths = Paths(root / "data" / "raw", root / "data" / "processed", root / "reports")
        build(paths, years=[2003], progress=lambda message: None)
        kept[name] = (paths.reports / "2003.ipynb").read_text(encoding="utf-8")
    assert kept["first"] == kept["second-checkout"]
    assert str(tmp_path) not in kept["first"]
    injected = next(
        c for c in nbformat.reads(kept["first"], as_version=4).cells if c.get("id") == "injected-parameters"
    )
    assert (
        injected.source == '# Parameters\nyear = 2003\nraw_dir = "data/raw"\n'
        'processed_dir = "data/processed"\nlang = "en zh"\ncompared = ""\n'
    )
