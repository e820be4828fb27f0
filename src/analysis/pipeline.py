"""The flow for every year: read -> clean/validate -> units -> indicators -> compare.

`process_years` reads all years before anything is written, so that every problem of a
run is reported together and a bad return leaves no half-built outputs behind.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.catalogue import Catalogue, Instrument, load_catalogue, load_instrument
from analysis.figures.compare import compare_years
from analysis.figures.consistency import rule_breaches
from analysis.figures.indicators import blank_units, compute_indicators, no_answer_counts
from analysis.figures.result import YearResult
from analysis.findings import Finding, errors, raise_if_errors, warnings
from analysis.fingerprint import file_sha256
from analysis.intake import columns as col
from analysis.intake.issuer import read_issuer
from analysis.intake.read import COMMENTARY
from analysis.intake.roster import roster_input
from analysis.intake.schema import returns_schema
from analysis.intake.unit_names import merge_table, read_aliases, returns_frame
from analysis.intake.year_returns import read_year
from analysis.intake.years import discover_years, year_before, year_folder, year_folders, years_read
from analysis.paths import ALIASES, ISSUER

# Named here too: what the pipeline gives and the years it reads are asked of it by name.
__all__ = [
    "YearResult",
    "discover_years",
    "process_years",
    "read_year",
    "year_before",
    "year_folder",
    "year_folders",
    "years_read",
]

ALIASES_FILE = ALIASES  # the name is owned by paths
# How close two unit names must be (difflib's ratio) to suggest one is the other renamed.
RENAME_CUTOFF = 0.6
# Each suggestion compares a name with every name on the other side: above this many pairs
# (joined x left) none is suggested, so that 20,000 units joining and leaving cost nothing.
RENAME_PAIRS = 10_000
# The units a no-answer warning names before "and N more"; findings.csv has one row per unit.
NAMED_UNITS = 10


def file_inputs(paths: list[Path], raw_dir: Path) -> pd.DataFrame:
    """The files a result was made from, with sha256, so a report can be traced to its inputs."""
    rows = [(p.relative_to(raw_dir).as_posix(), file_sha256(p), p.stat().st_size) for p in paths]
    return pd.DataFrame(rows, columns=["file", "sha256", "bytes"])


def input_files(files: list[Path], raw_dir: Path) -> list[Path]:
    """A year's return files, its commentary and report.yaml (the office's own words and name), and,
    when there is one, the aliases file and (for the latest year) roster.csv: what its results and
    its report are made from, each listed with its SHA-256 in the provenance."""
    aliases = raw_dir / ALIASES_FILE
    folder = files[0].parent if files else None
    own = [p for p in folder.iterdir() if COMMENTARY.match(p.name) or p.name == ISSUER] if folder else []
    words = sorted(p for p in own if p.is_file())
    roster = roster_input(raw_dir, folder) if folder else None  # the latest year's list of units, if any
    return [*files, *words, *([aliases] if aliases.is_file() else []), *([roster] if roster else [])]


def process_year(
    raw_dir: Path,
    year: int,
    aliases: dict[str, str],
    instrument: Instrument,
    catalogue: Catalogue,
    folder: Path | None = None,
) -> tuple[YearResult | None, list[Finding]]:
    """One year's results from its folder (`raw_dir/<year>` unless named otherwise), with all findings."""
    folder = folder or raw_dir / str(year)
    label = folder.name  # files are named as the person finds them: "2005年/returns.csv"
    form = instrument.for_year(year)  # the questions this year's form asked
    table, files, findings = read_year(folder, label, form)
    findings += read_issuer(folder, label, year)[1]
    units, unit_findings = merge_table(table, aliases, form)
    findings += unit_findings
    if errors(findings):
        return None, findings
    # Every year's table has every column, so years line up; a question not asked is blank.
    returns = returns_schema(instrument).validate(returns_frame(units, instrument))
    breaches = rule_breaches(returns, form)
    findings += _breach_findings(returns, breaches)
    no_answers = no_answer_counts(returns, catalogue, form.questions())
    findings += _no_answer_findings(returns=returns, no_answers=no_answers, instrument=form, label=label)
    inputs = file_inputs(input_files(files, raw_dir), raw_dir)
    result = YearResult(
        year=year,
        returns=returns,
        indicators=compute_indicators(returns, catalogue, asked=form.names()),
        breaches=breaches,
        no_answers=no_answers,
        inputs=inputs,
        findings=findings,
    )
    return result, findings


def _breach_findings(returns: pd.DataFrame, breaches: pd.DataFrame) -> list[Finding]:
    """A warning per breach, at the file and row the unit was read from."""
    if breaches.empty:
        return []
    # Only the units with a breach are looked up: an index of a million names costs seconds.
    names = col.text_column(returns["unit_name"])
    involved = np.flatnonzero(
        pc.is_in(names, value_set=col.text_column(breaches["unit_name"])).to_numpy(zero_copy_only=False)
    )
    at = involved[
        pd.Index(names.take(pa.array(involved)).to_pylist()).get_indexer(breaches["unit_name"].tolist())
    ]
    files = returns["source_file"].to_numpy(dtype=object)[at]
    rows = returns["source_row"].to_numpy(dtype="int64")[at]
    return [
        Finding(
            severity="warning",
            file=file,
            row=int(row),
            expected=f"consistency: {text} ({detail})",
            unit=unit,
            kind="consistency",
        )
        for file, row, unit, text, detail in zip(
            files,
            rows,
            *(breaches[c].to_numpy(dtype=object) for c in ("unit_name", "text_en", "detail")),
            strict=True,
        )
    ]


def _no_answer_findings(
    returns: pd.DataFrame, no_answers: pd.DataFrame, instrument: Instrument, label: str
) -> list[Finding]:
    """One warning per question some units left blank, naming them (the first NAMED_UNITS).

    A line naming a thousand units helps nobody; the count says how big the gap is and the
    first names where to start. Every unit's answers, blanks included, are in the year's
    returns.parquet (and the report's data-quality section).
    """
    found = []
    every_unit = no_answers[no_answers["population"].eq("all") & no_answers["no_answer"].gt(0)]
    for row in every_unit.itertuples():
        header = instrument.field(row.field).label_zh
        expected = (
            f"no answer from {row.no_answer} of {row.units} units: "
            f"{named_units(blank_units(returns, row.field, NAMED_UNITS), row.no_answer)}"
        )
        found.append(
            Finding(severity="warning", file=label, column=header, expected=expected, kind="no_answer")
        )
    return found


def named_units(units: list[str], count: int) -> str:
    """The first names of `count` units, joined by commas; the ones not named are counted."""
    more = count - len(units)
    return ", ".join(units) + (f" and {more} more" if more > 0 else "")


def process_years(
    raw_dir: Path,
    years: list[int] | None = None,
    instrument: Instrument | None = None,
    catalogue: Catalogue | None = None,
    on_read: Callable[[int], None] | None = None,
) -> dict[int, YearResult]:
    """Read and check every year, raise one ReturnsError listing all errors, then compare years.

    `on_read` is told each year once it is read (the build's progress bar)."""
    instrument = instrument or load_instrument()
    catalogue = catalogue or load_catalogue()
    folders, folder_findings = year_folders(raw_dir)
    all_years = sorted(folders)
    if not all_years:
        skipped = ", ".join(f.file for f in folder_findings)
        raise FileNotFoundError(
            f"no year folder under {raw_dir}"
            + (f" (skipped: {skipped}; name year folders with four digits, e.g. 2005)" if skipped else "")
        )
    wanted = all_years if years is None else years
    missing = sorted(set(wanted) - set(all_years))
    if missing:
        raise FileNotFoundError(f"no year folder for {', '.join(map(str, missing))} under {raw_dir}")
    # The previous year is read too, so a single year's report can still compare.
    needed = years_read(wanted, all_years)
    aliases, findings = read_aliases(raw_dir / ALIASES_FILE)
    findings += errors(folder_findings)
    results: dict[int, YearResult] = {}
    for year in needed:
        result, year_findings = process_year(
            raw_dir=raw_dir,
            year=year,
            aliases=aliases,
            instrument=instrument,
            catalogue=catalogue,
            folder=folders[year],
        )
        findings += year_findings
        if result is not None:
            results[year] = result
        if on_read is not None:
            on_read(year)
    raise_if_errors(findings)
    # Only the years asked for are compared: a year read just to be compared with has its
    # own previous year unread, and needs no comparison of its own.
    for year in wanted:
        previous = year_before(year, all_years)
        earlier = results[previous] if previous is not None else None
        results[year].comparison = compare_years(
            results[year].indicators, earlier.indicators if earlier else None, previous
        )
        results[year].previous_year = previous
        if earlier is not None:
            results[year].findings += unmatched_units(results[year], earlier)
    _attach_folder_notes(warnings(folder_findings), results, wanted)
    return {y: results[y] for y in wanted}


def _attach_folder_notes(notes: list[Finding], results: dict[int, YearResult], wanted: list[int]) -> None:
    """Each skipped folder is reported once, with the year its name starts with, else the latest year.

    The command line and the report show a year's findings; a folder belongs to no year, so
    it goes where it is most likely meant ("2005-final" with 2005) or is seen soonest.
    """
    for note in notes:
        year = int(note.file[:4]) if note.file[:4].isdigit() and int(note.file[:4]) in wanted else max(wanted)
        results[year].findings.append(note)


def unmatched_units(result: YearResult, earlier: YearResult) -> list[Finding]:
    """Units of a year that its previous year lacks, and the reverse, when there are both.

    A unit renamed without a line in unit_aliases.csv looks like one unit leaving and a new
    one joining, and its figures are compared with nothing; each such unit is named, with
    the closest name on the other side as a ready-made alias line (`alias,unit_name`: the
    former name, the name it is now reported under). Finding the closest name compares it
    with every name on the other side, so when more than RENAME_PAIRS pairs would be
    compared (a survey of thousands of units, not the forty of the form) no rename is
    suggested, and each warning says so.
    """
    names, before = (
        col.text_column(result.returns["unit_name"]),
        col.text_column(earlier.returns["unit_name"]),
    )
    joined, left = sorted(_not_in(names, before)), sorted(_not_in(before, names))
    if not joined or not left:
        return []
    label, previous = str(result.year), earlier.year
    suggest = len(joined) * len(left) <= RENAME_PAIRS
    unsaid = (
        ""
        if suggest
        else f" (renames are not suggested when {len(joined)} units join and {len(left)} leave; "
        f"add any to {ALIASES_FILE})"
    )
    found = []
    for name in joined:
        match = difflib.get_close_matches(name, left, n=1, cutoff=RENAME_CUTOFF) if suggest else []
        hint = (
            f"; if it is {match[0]} renamed, add the line {alias_line(match[0], name)} to {ALIASES_FILE}"
            if match
            else unsaid
        )
        found.append(
            Finding(
                severity="warning",
                file=label,
                value=name,
                expected=f"a unit that was not surveyed in {previous}{hint}",
                unit=name,
                kind="unmatched_unit",
            )
        )
    for name in left:
        match = difflib.get_close_matches(name, joined, n=1, cutoff=RENAME_CUTOFF) if suggest else []
        hint = (
            f"; if it is now {match[0]}, add the line {alias_line(name, match[0])} to {ALIASES_FILE}"
            if match
            else unsaid
        )
        found.append(
            Finding(
                severity="warning",
                file=label,
                value=name,
                expected=f"a unit surveyed in {previous} that is missing this year{hint}",
                unit=name,
                kind="unmatched_unit",
            )
        )
    return found


def _not_in(names: pa.Array, others: pa.Array) -> list[str]:
    """The names that are not among the others (as a hash lookup: pandas' isin on text is a loop)."""
    return names.filter(pc.invert(pc.is_in(names, value_set=others))).to_pylist()


def alias_line(alias: str, unit_name: str) -> str:
    """A line of unit_aliases.csv, quoted as CSV needs it, ready to paste."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([alias, unit_name])
    return out.getvalue()
