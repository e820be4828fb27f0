"""Build the outputs of every year: processed tables first, then the reports.

Nothing is written until every year has been read and checked (see `process_years`), and
each file is written beside its target and renamed, so a failed run leaves the previous
outputs as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analysis.findings import findings_frame, warnings
from analysis.paths import Paths
from analysis.pipeline import YearResult, process_years
from analysis.store import write_csv, write_parquet

Progress = Callable[[str], None]


def write_year(result: YearResult, processed_dir: Path) -> list[Path]:
    """The year's data products under <processed>/<year>/."""
    folder = processed_dir / str(result.year)
    outputs = {
        "returns.parquet": lambda p: write_parquet(p, result.returns),
        "indicators.csv": lambda p: write_csv(p, result.indicators),
        "comparison.csv": lambda p: write_csv(p, result.comparison),
        "findings.csv": lambda p: write_csv(p, findings_frame(result.findings)),
        "inputs.csv": lambda p: write_csv(p, result.inputs),
    }
    for name, write in outputs.items():
        write(folder / name)
    return [folder / name for name in outputs]


def build(paths: Paths, years: list[int] | None = None, reports: bool = True, progress: Progress = print) -> dict[int, YearResult]:
    """Process every year (or the ones asked for), write the data products, render the reports."""
    results = process_years(paths.raw, years)
    for year, result in results.items():
        write_year(result, paths.processed)
        n = len(warnings(result.findings))
        progress(f"{year}: {len(result.returns)} units, {n} warning{'s' if n != 1 else ''} -> {paths.processed / str(year)}")
    if reports:
        from analysis.render import render_reports  # imported late: papermill is slow to import

        render_reports(results, paths, progress)
    return results


def validate(paths: Paths, years: list[int] | None = None) -> dict[int, YearResult]:
    """Read and check the returns; writes nothing."""
    return process_years(paths.raw, years)
