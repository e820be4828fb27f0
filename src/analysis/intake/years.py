"""The survey years under a raw folder, and which years a year is read and compared with.

The first thing a run knows: pure functions of folder names and year lists, used by every
later stage (the pipeline reads the years, the store and the plan list them).
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.findings import Finding

# "2005", or "2005年" as a Chinese file manager or a colleague may name it.
YEAR_FOLDER = re.compile(r"([0-9]{4})年?")


def discover_years(raw_dir: Path) -> list[int]:
    """The survey years that have a folder under `raw_dir`, oldest first."""
    return sorted(year_folders(raw_dir)[0])


def year_folder(raw_dir: Path, year: int) -> Path:
    """The folder holding a year's returns: `<year>` or `<year>年` (see `year_folders`)."""
    folders, _ = year_folders(raw_dir)
    if year not in folders:
        raise FileNotFoundError(f"no year folder for {year} under {raw_dir}")
    return folders[year]


def year_folders(raw_dir: Path) -> tuple[dict[int, Path], list[Finding]]:
    """Year -> its folder, and a finding for every folder that is not read as a year.

    A folder named otherwise ("2005-final", "2005 returns") would leave a year out without
    a word, so each gets a warning that names it. "2005年" is read as 2005; with "2005"
    beside it, which one holds the year is unclear, and that is an error naming both.
    Hidden folders and the files beside the year folders (unit_aliases.csv, README.md) are
    not mentioned.
    """
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"no raw data folder at {raw_dir}")
    found: dict[int, list[Path]] = {}
    findings = []
    for path in sorted(raw_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or not path.is_dir():
            continue
        match = YEAR_FOLDER.fullmatch(path.name)
        if match is None:
            findings.append(
                Finding(
                    severity="warning",
                    file=path.name,
                    expected=(
                        "skipped: year folders are named with four digits, e.g. 2005 (or 2005年); rename "
                        "the folder to include its returns"
                    ),
                    kind="skipped_folder",
                )
            )
        else:
            found.setdefault(int(match[1]), []).append(path)
    for year, paths in found.items():
        if len(paths) > 1:
            names = " and ".join(p.name for p in paths)
            findings.append(
                Finding(
                    severity="error",
                    file=paths[-1].name,
                    expected=(
                        f"one folder per year: {names} are both year {year}; move the returns into "
                        f"{year} and remove the other"
                    ),
                    kind="duplicate_year",
                )
            )
    return {year: paths[0] for year, paths in found.items()}, findings


def years_read(wanted: list[int], all_years: list[int]) -> list[int]:
    """The years `process_years` reads for `wanted`: each with the year before it, to compare with."""
    return sorted({*wanted, *(year_before(y, all_years) for y in wanted)} - {None})


def year_before(year: int, years: list[int]) -> int | None:
    """The latest of `years` before `year`: the year it is compared with."""
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else None
