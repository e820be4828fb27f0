"""The command line explains itself, builds into any folders and fails with an actionable list."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import SAMPLE_RAW, run_cli, unit_row

from analysis.paths import Paths
from analysis.store import YEAR_FILES


def test_help_explains_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "build" in result.stdout and "validate" in result.stdout
    build_help = run_cli("build", "--help").stdout
    for option in ("--raw", "--processed", "--reports", "--year"):
        assert option in build_help


def test_validate_writes_nothing_and_reports_each_year(tmp_path: Path):
    result = run_cli("validate", "--raw", str(SAMPLE_RAW))
    assert result.returncode == 0, result.stderr
    assert "2003: 38 units read, no errors" in result.stdout
    assert "2004: 38 units read, no errors" in result.stdout
    assert not (tmp_path / "data").exists()


def test_build_processes_every_year_into_the_given_folders(
    sample_tables: tuple[Paths, subprocess.CompletedProcess[str]],
):
    """`build --raw data/raw --processed <p> --reports <r> --no-reports`, run once per run (conftest)."""
    paths, result = sample_tables
    assert result.returncode == 0, result.stderr
    for year in (2003, 2004):
        names = sorted(p.name for p in (paths.processed / str(year)).iterdir())
        assert names == sorted(YEAR_FILES)
    assert "2004: 38 units" in result.stdout


def test_returns_parquet_has_canonical_types(sample_tables: tuple[Paths, object]):
    """Read from the sample's tables as `build --no-reports` writes them (once per run, conftest)."""
    import pandas as pd

    returns = pd.read_parquet(sample_tables[0].processed / "2004" / "returns.parquet")
    assert str(returns["decomposition_plan"].dtype) == "boolean"
    assert str(returns["cadres_accountable_bureau"].dtype) == "Int64"
    assert returns["decomposition_layered"].isna().sum() == 1
    assert returns["unit_name"].is_unique


def test_a_bad_value_exits_non_zero_with_file_row_column_value(write_year, tmp_path: Path):
    rows = [unit_row("A"), unit_row("B")]
    rows[1]["decomposition_plan"] = "maybe"
    raw = write_year(2011, rows)
    result = run_cli("build", "--raw", str(raw), "--processed", str(tmp_path / "p"), "--no-reports")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2011/returns.csv, row 3, column 'decomposition_plan': 'maybe'" in result.stderr
    assert not (tmp_path / "p").exists()


def test_comparison_has_the_previous_year(sample_tables: tuple[Paths, object]):
    """Read from the sample's tables as `build --no-reports` writes them (once per run, conftest)."""
    import csv

    processed = sample_tables[0].processed
    with (processed / "2004" / "comparison.csv").open(encoding="utf-8") as handle:
        rows = {(r["indicator"], r["population"]): r for r in csv.DictReader(handle)}
    plan = rows[("decomposition_plan", "all")]
    assert (plan["numerator"], plan["previous_numerator"], plan["previous_percent"], plan["change_pp"]) == (
        "26",
        "21",
        "55.3",
        "13.1",
    )
    with (processed / "2001" / "comparison.csv").open(encoding="utf-8") as handle:
        first = list(csv.DictReader(handle))  # the first year of the shipped sample
    assert all(r["previous_year"] == "" and r["change_pp"] == "" for r in first)
