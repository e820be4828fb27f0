"""How the data stage and the report scale with the number of units: seconds and peak memory.

    python benchmarks/scale.py                      # 10,000, 100,000 and 1,000,000 units, then the report
    python benchmarks/scale.py --units 100000       # one size (repeatable)
    python benchmarks/scale.py --skip-report        # the data stage only

For each size, two years (2003 and 2004) of generated returns (benchmarks/synthetic.py, CSV
with a UTF-8 BOM) are written to a temporary folder. What is timed, each in a fresh Python
process so that its peak resident memory is its own:

- data stage: `process_years(raw, [2004])` (which reads, checks and merges 2004 *and* 2003,
  the year it is compared with: two years of reading) plus `store.write_year` for 2004. The
  imports are not timed; the peak memory is the whole process's (ru_maxrss), imports included.
- pyarrow: `pyarrow.csv.read_csv` of the same two files (2003 and 2004), the floor of
  reading them; the ratio is data stage seconds over this.
- the same data stage from .xlsx (python-calamine; openpyxl only for a workbook whose XML
  holds a formula or an error value, and these hold none) and from .parquet, at
  --xlsx-units (default 100,000) and the largest size.
- the report, at --report-units (default 20,000): `python -m analysis build --year 2004`
  (2003 present, so 2004 is compared with it), seconds, peak memory summed over the process
  tree (the build starts Jupyter kernels; the tree is sampled with psutil every 50 ms) and
  the size of 2004's HTML pages.

Targets are printed beside the figures; nothing is asserted. The machine is whatever runs
this: on a loaded machine the seconds are longer, not the memory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
SIZES = (10_000, 100_000, 1_000_000)
YEARS = (2003, 2004)
TARGET_SECONDS, TARGET_MB, TARGET_UNITS = 20, 2048, 1_000_000

# Run in a fresh process: prints "seconds peak_mb".
DATA_STAGE = """
import resource, sys, tempfile, time
from pathlib import Path
from analysis.pipeline import process_years
from analysis.store import write_year
raw, year = Path(sys.argv[1]), int(sys.argv[2])
start = time.perf_counter()
results = process_years(raw, [year])
with tempfile.TemporaryDirectory() as out:
    write_year(results[year], Path(out))
seconds = time.perf_counter() - start
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
PYARROW_READ = """
import resource, sys, time
import pyarrow.csv
start = time.perf_counter()
for path in sys.argv[1:]:
    pyarrow.csv.read_csv(path)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def generate(folder: Path, units: int, fmt: str) -> Path:
    """Two years of returns under folder/<fmt>-<units>/, made by synthetic.py in its own process."""
    raw = folder / f"{fmt}-{units}"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "synthetic.py"),
            str(raw),
            "--units",
            str(units),
            "--years",
            *map(str, YEARS),
            "--format",
            fmt,
        ],
        check=True,
        capture_output=True,
    )
    return raw


def measure(code: str, *args: str) -> tuple[float, float]:
    """(seconds, peak MB) as the fresh process reports them."""
    run = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    seconds, peak = run.stdout.split()[-2:]
    return float(seconds), float(peak)


def data_stage(folder: Path, units: int, fmt: str) -> tuple[float, float]:
    raw = generate(folder, units, fmt)
    return measure(DATA_STAGE, str(raw), str(YEARS[-1]))


def csv_rows(folder: Path, units: list[int]) -> None:
    print(
        f"data stage from CSV: process_years + write_year of {YEARS[-1]}"
        f" ({YEARS[0]} read too, for the comparison)"
    )
    print(f"target at {TARGET_UNITS:,} units: <= {TARGET_SECONDS} s and <= {TARGET_MB} MB peak")
    print(
        f"{'units':>10} {'seconds':>8} {'peak MB':>8} {'pyarrow s':>10} {'ratio':>7}"
        "   (per year: both figures cover the two years read)"
    )
    for n in units:
        seconds, peak = data_stage(folder, n, "csv")
        floor, _ = measure(
            PYARROW_READ, *(str(folder / f"csv-{n}" / str(y) / f"returns-{y}.csv") for y in YEARS)
        )
        print(f"{n:>10,} {seconds:>8.1f} {peak:>8.0f} {floor:>10.2f} {seconds / floor:>6.0f}x", flush=True)


def other_formats(folder: Path, units: list[int]) -> None:
    print("\ndata stage from other formats (no target; .xlsx is read by python-calamine)")
    print(f"{'format':>8} {'units':>10} {'seconds':>8} {'peak MB':>8}")
    for fmt, n in units:
        seconds, peak = data_stage(folder, n, fmt)
        print(f"{fmt:>8} {n:>10,} {seconds:>8.1f} {peak:>8.0f}", flush=True)


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes (gone ones count 0)."""
    total = 0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def report(folder: Path, units: int) -> None:
    raw = generate(folder, units, "csv")
    processed, reports = folder / "processed", folder / "reports"
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
        "--year",
        str(YEARS[-1]),
    ]
    environment = {**os.environ, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1104537600"}
    start, peak = time.perf_counter(), 0
    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment
    ) as build:
        watched = psutil.Process(build.pid)
        while build.poll() is None:
            peak = max(peak, tree_rss(watched))
            time.sleep(0.05)
        error = build.stderr.read().decode(errors="replace") if build.stderr else ""
    seconds = time.perf_counter() - start
    pages = sorted(reports.rglob(f"{YEARS[-1]}.html"))
    print(f"\nreport: python -m analysis build --year {YEARS[-1]} at {units:,} units ({YEARS[0]} present)")
    if build.returncode != 0:
        print(f"  the build failed (exit {build.returncode}):\n{error[-2000:]}")
        return
    print(f"  {seconds:.1f} s, peak {peak / 2**20:.0f} MB summed over the process tree (sampled every 50 ms)")
    for page in pages:
        print(f"  {page.relative_to(reports)}: {page.stat().st_size / 2**20:.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--units",
        type=int,
        action="append",
        help=f"units per year (repeatable; default {', '.join(f'{n:,}' for n in SIZES)})",
    )
    parser.add_argument("--skip-report", action="store_true", help="do not time the report")
    parser.add_argument("--report-units", type=int, default=20_000)
    parser.add_argument("--xlsx-units", type=int, default=100_000)
    parser.add_argument("--skip-formats", action="store_true", help="do not time .xlsx and .parquet")
    args = parser.parse_args(argv)
    units = args.units or list(SIZES)
    with tempfile.TemporaryDirectory(prefix="scale-") as scratch:
        folder = Path(scratch)
        csv_rows(folder, units)
        if not args.skip_formats:
            sizes = sorted({args.xlsx_units, max(units)})
            other_formats(folder, [(fmt, n) for fmt in ("xlsx", "parquet") for n in sizes])
        if not args.skip_report:
            report(folder, args.report_units)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
