"""Which units a year's form goes to (the roster), and which of them have sent it back.

The roster of a year is `roster.csv` beside the year folders (`unit_name,unit_type`, or the
Chinese headers 单位名称,单位类别) when the office keeps one and the year is the one being run
(no later year has a folder); otherwise the units surveyed the latest earlier year, under their
canonical names (`unit_aliases.csv`). A closed year keeps the units of the year before it as
its roster, so a list written for next year's survey never rewrites what an old report says.

What came back is read as the build reads it (`year_returns.read_year`), but a return with
errors still counts as received: the office chases the units that sent nothing, and fixes
the others with `make validate`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.catalogue import Instrument, load_instrument
from analysis.findings import Finding, errors
from analysis.intake.cells import clean_text, header_key
from analysis.intake.read import RawSheet, read_csv
from analysis.intake.unit_names import canonical_name, read_aliases
from analysis.intake.year_returns import read_year
from analysis.intake.years import YEAR_FOLDER, year_before, year_folders
from analysis.paths import ALIASES, ROSTER


@dataclass(frozen=True)
class Roster:
    """The units a year's form is sent to, in order, with their kind (may be ''), and where the
    list comes from: roster.csv (`from_year` None) or the units surveyed in `from_year`."""

    year: int
    units: tuple[tuple[str, str], ...]
    from_year: int | None

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.units]


@dataclass(frozen=True)
class Returned:
    """One unit's row in a return: its canonical name and where it was read."""

    unit: str
    file: str
    row: int | None = None


@dataclass(frozen=True)
class ReturnsStatus:
    """Who of the roster has answered: received (roster order), missing, returns from units not on
    the roster, units returned more than once (every place), and the errors found in the returns."""

    year: int
    roster: Roster
    received: tuple[str, ...]
    missing: tuple[str, ...]
    not_on_roster: tuple[Returned, ...]
    duplicates: tuple[tuple[str, tuple[Returned, ...]], ...]
    problems: tuple[Finding, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """Plain data for `--json`: names as written, places as file and row."""

        def place(r: Returned) -> dict[str, object]:
            return {"unit": r.unit, "file": r.file, "row": r.row}

        return {
            "year": self.year,
            "roster": {
                "source": ROSTER if self.roster.from_year is None else self.roster.from_year,
                "units": len(self.roster.units),
            },
            "received": len(self.received),
            "received_units": list(self.received),
            "missing": list(self.missing),
            "not_on_roster": [place(r) for r in self.not_on_roster],
            "duplicates": [{"unit": u, "returns": [place(r) for r in rs]} for u, rs in self.duplicates],
            "problems": [str(f) for f in self.problems],
        }


def roster_applies(raw: Path, year: int) -> bool:
    """roster.csv is the roster of `year`: the file is there and no later year has a folder."""
    if not (raw / ROSTER).exists():
        return False
    later = [y for y in (year_folders(raw)[0] if raw.is_dir() else {}) if y > year]
    return not later


def roster_input(raw: Path, folder: Path) -> Path | None:
    """roster.csv when it is the roster of the year held in `folder` (an input of that year)."""
    match = YEAR_FOLDER.fullmatch(folder.name)
    if match is None or not roster_applies(raw, int(match[1])):
        return None
    path = raw / ROSTER
    return path if path.is_file() else None


def read_roster_file(
    path: Path, aliases: dict[str, str], instrument: Instrument, label: str = ROSTER
) -> tuple[list[tuple[str, str]], list[Finding]]:
    """The units of roster.csv, canonical names, in the file's order; every problem as an error."""

    def error(expected: str, row: int | None = None, column: str | None = None, value: str | None = None):
        return Finding(
            severity="error",
            file=label,
            row=row,
            column=column,
            value=value,
            expected=expected,
            kind="roster",
        )

    if not path.is_file():
        return [], [error("a regular file of units (unit_name,unit_type); this is a folder, pipe or device")]
    try:
        sheet = read_csv(path.read_bytes(), label)
    except UnicodeDecodeError:
        return [], [error("a CSV file in UTF-8 or GB18030 (save it again as CSV UTF-8)")]
    rows = [(n, cells) for n, cells in _all_rows(sheet) if any(c.strip() for c in cells)]
    if not rows:
        return [], [error("a header row 'unit_name,unit_type' and one row per unit; the file is empty")]
    wanted = {
        header_key(h): name
        for name in ("unit_name", "unit_type")
        for h in instrument.field(name).accepted_headers
    }
    number, head = rows[0]
    columns = {wanted[header_key(c)]: p for p, c in enumerate(head) if header_key(c) in wanted}
    if "unit_name" not in columns:
        expected = "a header row 'unit_name,unit_type' (or 单位名称,单位类别)"
        return [], [error(expected, number, value=",".join(head))]
    units: list[tuple[str, str]] = []
    first: dict[str, int] = {}
    findings = []
    for number, cells in rows[1:]:
        name = clean_text(_cell(cells, columns["unit_name"]))
        kind = clean_text(_cell(cells, columns["unit_type"])) if "unit_type" in columns else ""
        if not name:
            findings.append(error("the unit's name", number, head[columns["unit_name"]], ",".join(cells)))
            continue
        canonical = canonical_name(name, aliases)
        if canonical in first:
            why = f"each unit once; row {first[canonical]} is the same unit ({canonical})"
            findings.append(error(why, number, head[columns["unit_name"]], name))
            continue
        first[canonical] = number
        units.append((canonical, kind))
    if not units and not findings:
        findings.append(error("at least one unit below the header row"))
    return units, findings


def _all_rows(sheet: RawSheet) -> Iterator[tuple[int, tuple[str, ...]]]:
    """The rows of a CSV sheet, the column-wise tail of a long file included."""
    yield from sheet.rows
    if sheet.tail is not None:
        columns = [c.to_pylist() for c in sheet.tail.columns]
        for i, number in enumerate(sheet.tail.numbers):
            yield int(number), tuple(c[i] for c in columns)


def _cell(cells: tuple[str, ...], position: int) -> str:
    return cells[position] if position < len(cells) else ""


def year_roster(
    raw: Path,
    year: int,
    aliases: dict[str, str] | None = None,
    instrument: Instrument | None = None,
    earlier: pd.DataFrame | None = None,
) -> tuple[Roster | None, list[Finding]]:
    """The roster of `year` (see the module), or None when there is none: no roster.csv applies and
    no earlier year has a folder. `earlier`: the earlier year's returns when already read (a
    table with unit_name and unit_type), so they are not read again."""
    instrument = instrument or load_instrument()
    findings: list[Finding] = []
    if aliases is None:
        aliases, findings = read_aliases(raw / ALIASES)
    if roster_applies(raw, year):
        units, found = read_roster_file(raw / ROSTER, aliases, instrument)
        findings += found
        return (None if errors(findings) else Roster(year, tuple(units), None)), findings
    folders = year_folders(raw)[0] if raw.is_dir() else {}
    previous = year_before(year, sorted(folders))
    if previous is None:
        return None, findings
    if earlier is None:
        table, _, found = read_year(folders[previous], folders[previous].name, instrument.for_year(previous))
        findings += [f for f in found if f.severity == "error"]
        earlier = table
    units: dict[str, str] = {}
    for name, kind in zip(earlier["unit_name"], earlier["unit_type"], strict=True):
        units.setdefault(canonical_name(str(name), aliases), "" if pd.isna(kind) else str(kind))
    if not units:
        findings.append(
            Finding(
                severity="error",
                file=folders[previous].name,
                expected=f"the units surveyed in {previous}, the roster of {year}; none was read",
                kind="roster",
            )
        )
    return (None if errors(findings) else Roster(year, tuple(units.items()), previous)), findings


def returns_status(roster: Roster, returned: list[Returned], problems: list[Finding] = ()) -> ReturnsStatus:
    """Who of the roster answered, who did not, who answered without being asked, and who twice."""
    places: dict[str, list[Returned]] = {}
    for item in returned:
        places.setdefault(item.unit, []).append(item)
    listed = set(roster.names)
    return ReturnsStatus(
        year=roster.year,
        roster=roster,
        received=tuple(n for n in roster.names if n in places),
        missing=tuple(n for n in roster.names if n not in places),
        not_on_roster=tuple(places[u][0] for u in places if u not in listed),
        duplicates=tuple((u, tuple(rs)) for u, rs in places.items() if len(rs) > 1),
        problems=tuple(problems),
    )


def returned_units(table: pd.DataFrame, findings: list[Finding], aliases: dict[str, str]) -> list[Returned]:
    """Every unit row read, by canonical name, and the units of rows refused for a bad value (they
    were returned, with errors to fix); a duplicate warning's row counts as a return too."""
    seen = set()
    found = []
    for name, file, row in zip(table["unit_name"], table["source_file"], table["source_row"], strict=True):
        if pd.isna(name):
            continue
        item = Returned(canonical_name(str(name), aliases), str(file), None if pd.isna(row) else int(row))
        seen.add((item.file, item.row))
        found.append(item)
    for finding in findings:
        if finding.unit and (finding.file, finding.row) not in seen:
            seen.add((finding.file, finding.row))
            found.append(Returned(canonical_name(finding.unit, aliases), finding.file, finding.row))
    return found


def year_status(
    raw: Path, year: int, instrument: Instrument | None = None
) -> tuple[ReturnsStatus | None, list[Finding]]:
    """The status of `year` from the raw folder (its folder may not exist yet: nothing received),
    or None with the roster's problems (errors) when its roster cannot be read, or None and no
    finding when the year has no roster at all."""
    instrument = instrument or load_instrument()
    aliases, findings = read_aliases(raw / ALIASES)
    roster, found = year_roster(raw, year, aliases, instrument)
    findings += found
    if roster is None or errors(findings):
        return None, findings
    folders = year_folders(raw)[0]
    if year not in folders:
        return returns_status(roster, []), findings
    table, _, read = read_year(folders[year], folders[year].name, instrument.for_year(year))
    problems = errors(read)
    return returns_status(roster, returned_units(table, problems, aliases), problems), findings


def built_status(
    raw: Path,
    year: int,
    returns: pd.DataFrame,
    findings: list[Finding],
    earlier: pd.DataFrame | None = None,
) -> tuple[ReturnsStatus | None, list[Finding]]:
    """The status of a year already read (its returns table and findings, as a build keeps them):
    each unit once, plus the rows a duplicate warning counted once. `earlier`: the returns of the
    year before, when at hand. None with the roster's errors, or None alone for no roster."""
    aliases, problems = read_aliases(raw / ALIASES)
    roster, found = year_roster(raw, year, aliases, earlier=earlier)
    problems += found
    if roster is None or errors(problems):
        return None, problems
    doubles = [f for f in findings if f.kind == "duplicate_unit"]
    return returns_status(roster, returned_units(returns, doubles, aliases)), []
