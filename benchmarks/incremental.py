"""What a rebuild costs when nothing, or one year's return, changed: on 20 generated years.

Three builds of the same folders, each run as an analyst runs it (`python -m analysis
build`, a new process, its output read back):

1. the full build of every year, into empty folders;
2. the same command again with nothing changed: target at most 5% of the full build's
   time, and no kernel started;
3. the same command after one year's return changed (a unit's answer corrected): target at
   most 3 year reports run (that year's, and the next year's, which compares with it).

A kernel runs for each year report and for the trends page, and each prints one line
("2004: report -> ...", "trends -> ..."); those lines are counted. Nothing is asserted: the
tests (tests/build/test_incremental.py) check which outputs each case redoes.

    python benchmarks/incremental.py                 # 20 years of 40 units, as .xlsx
    python benchmarks/incremental.py --units 200 --years 10
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_years

FIRST_YEAR = 2001
NOOP_TARGET = 0.05
CHANGED_TARGET = 3
ENVIRONMENT = {"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1104537600"}


def run_build(raw: Path, processed: Path, reports: Path) -> tuple[float, list[str]]:
    """Seconds of one `python -m analysis build`, and the lines it printed."""
    command = [
        sys.executable,
        "-m",
        "analysis",
        "build",
        "--raw",
        str(raw),
        "--processed",
        str(processed),
        "--reports",
        str(reports),
    ]
    started = time.perf_counter()
    run = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **ENVIRONMENT}, check=False
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"the build failed:\n{run.stdout}\n{run.stderr}")
    return seconds, run.stdout.splitlines()


def kernels(lines: list[str]) -> tuple[int, int]:
    """Year reports run, and kernels started (year reports and the trends page)."""
    years = sum(1 for line in lines if line[:4].isdigit() and ": report -> " in line)
    trends = sum(1 for line in lines if line.startswith("trends -> "))
    return years, years + trends


def correct_one_answer(path: Path) -> str:
    """Flip the first yes/no answer of the first unit, as a late correction does."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=3):
        for cell in row[3:]:
            if cell.value in ("是", "否"):
                before = cell.value
                cell.value = "否" if before == "是" else "是"
                book.save(path)
                return f"{path.parent.name}/{path.name}, cell {cell.coordinate}: {before} -> {cell.value}"
    raise SystemExit(f"no yes/no answer found in {path}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--years", type=int, default=20, help="how many years (default: %(default)s)")
    parser.add_argument(
        "--units", type=int, default=40, help="units per year (default: %(default)s, about the central units)"
    )
    args = parser.parse_args()
    years = list(range(FIRST_YEAR, FIRST_YEAR + args.years))
    changed_year = years[len(years) // 2]
    with tempfile.TemporaryDirectory(prefix="incremental-") as scratch:
        root = Path(scratch)
        raw, processed, reports = root / "raw", root / "processed", root / "reports"
        write_years(raw, years, args.units, fmt="xlsx")
        print(
            f"{len(years)} generated years ({years[0]}-{years[-1]}) of {args.units} units, as .xlsx,"
            f" on {os.cpu_count()} cores"
        )

        full, lines = run_build(raw, processed, reports)
        full_years, full_kernels = kernels(lines)
        print(f"full build:            {full:7.1f} s  {full_years} year reports, {full_kernels} kernels")

        noop, lines = run_build(raw, processed, reports)
        _, noop_kernels = kernels(lines)
        verdict = "met" if noop <= NOOP_TARGET * full and noop_kernels == 0 else "NOT met"
        print(
            f"nothing changed:       {noop:7.1f} s  {noop / full:6.1%} of the full build,"
            f" {noop_kernels} kernels"
            f"  (target: at most {NOOP_TARGET:.0%} and no kernel: {verdict})"
        )

        what = correct_one_answer(next((raw / str(changed_year)).iterdir()))
        changed, lines = run_build(raw, processed, reports)
        changed_years, changed_kernels = kernels(lines)
        redone = [line.split(":")[0] for line in lines if ": report -> " in line]
        verdict = "met" if changed_years <= CHANGED_TARGET else "NOT met"
        print(
            f"one return changed:    {changed:7.1f} s  {changed / full:6.1%} of the full build,"
            f" {changed_years} year reports ({', '.join(redone)})"
            f" and {changed_kernels - changed_years} trends page"
            f"  (target: at most {CHANGED_TARGET} year reports: {verdict})"
        )
        print(f"  the change: {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
