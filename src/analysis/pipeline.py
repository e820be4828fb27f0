"""The flow for every year: read -> clean/validate -> units -> indicators -> compare.

`process_years` reads all years before anything is written, so that every problem of a
run is reported together and a bad return leaves no half-built outputs behind.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.catalogue import Catalogue, Instrument, load_catalogue, load_instrument
from analysis.clean import Record, sheet_records
from analysis.compare import compare_years
from analysis.consistency import rule_breaches
from analysis.findings import Finding, errors, raise_if_errors
from analysis.indicators import compute_indicators, no_answer_counts
from analysis.read import list_return_files, read_return_file
from analysis.schema import returns_schema
from analysis.units import merge_units, read_aliases, records_frame

YEAR_FOLDER = re.compile(r"^\d{4}$")
ALIASES_FILE = "unit_aliases.csv"


@dataclass
class YearResult:
    """Everything the outputs and the report of one year are made from."""

    year: int
    returns: pd.DataFrame
    indicators: pd.DataFrame
    breaches: pd.DataFrame
    no_answers: pd.DataFrame
    inputs: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    comparison: pd.DataFrame | None = None
    previous_year: int | None = None


def discover_years(raw_dir: Path) -> list[int]:
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"no raw data folder at {raw_dir}")
    return sorted(int(p.name) for p in raw_dir.iterdir() if p.is_dir() and YEAR_FOLDER.match(p.name))


def file_inputs(paths: list[Path], raw_dir: Path) -> pd.DataFrame:
    """The files a result was made from, with sha256, so a report can be traced to its inputs."""
    rows = [(p.relative_to(raw_dir).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size) for p in paths]
    return pd.DataFrame(rows, columns=["file", "sha256", "bytes"])


def input_files(files: list[Path], raw_dir: Path) -> list[Path]:
    """A year's return files and, when there is one, the aliases file: what its results are made from."""
    aliases = raw_dir / ALIASES_FILE
    return [*files, *([aliases] if aliases.is_file() else [])]


def read_year(year_dir: Path, label: str, instrument: Instrument) -> tuple[list[Record], list[Path], list[Finding]]:
    """Every unit row of every file in a year folder, with all findings."""
    files, findings = list_return_files(year_dir, label)
    records: list[Record] = []
    for path in files:
        sheets, file_findings = read_return_file(path, label)
        findings += file_findings
        results = [sheet_records(sheet, instrument) for sheet in sheets]
        with_table = [r for r in results if not any(f.kind == "no_header" for f in r[1])]
        for sheet_rows, sheet_findings in results:
            if with_table and any(f.kind == "no_header" for f in sheet_findings):
                findings += [Finding("warning", f.file, sheet=f.sheet, expected="skipped: no table of returns on this sheet", kind="skipped_sheet") for f in sheet_findings]
                continue
            records += sheet_rows
            findings += sheet_findings
    if not files:
        findings.append(Finding("error", label, expected="at least one .xlsx or .csv return in the year folder", kind="empty_year"))
    return records, files, findings


def process_year(raw_dir: Path, year: int, aliases: dict[str, str], instrument: Instrument, catalogue: Catalogue) -> tuple[YearResult | None, list[Finding]]:
    label = str(year)
    records, files, findings = read_year(raw_dir / label, label, instrument)
    units, unit_findings = merge_units(records, aliases, instrument)
    findings += unit_findings
    if errors(findings):
        return None, findings
    returns = returns_schema(instrument).validate(records_frame(units, instrument))
    breaches = rule_breaches(returns, instrument)
    findings += _breach_findings(returns, breaches)
    no_answers = no_answer_counts(returns, instrument.questions())
    findings += _no_answer_findings(returns, no_answers, instrument, label)
    inputs = file_inputs(input_files(files, raw_dir), raw_dir)
    result = YearResult(year, returns, compute_indicators(returns, catalogue), breaches, no_answers, inputs, findings)
    return result, findings


def _breach_findings(returns: pd.DataFrame, breaches: pd.DataFrame) -> list[Finding]:
    where = returns.set_index("unit_name")[["source_file", "source_row"]]
    return [
        Finding("warning", where.at[b.unit_name, "source_file"], int(where.at[b.unit_name, "source_row"]), None, None, f"consistency: {b.text_en} ({b.detail})", None, b.unit_name, "consistency")
        for b in breaches.itertuples()
    ]


def _no_answer_findings(returns: pd.DataFrame, no_answers: pd.DataFrame, instrument: Instrument, label: str) -> list[Finding]:
    found = []
    for row in no_answers[no_answers["no_answer"] > 0].itertuples():
        units = returns.loc[returns[row.field].isna(), "unit_name"].tolist()
        header = instrument.field(row.field).label_zh
        found.append(Finding("warning", label, None, header, None, f"no answer from {row.no_answer} of {row.units} units: {', '.join(units)}", kind="no_answer"))
    return found


def process_years(raw_dir: Path, years: list[int] | None = None, instrument: Instrument | None = None, catalogue: Catalogue | None = None) -> dict[int, YearResult]:
    """Read and check every year, raise one ReturnsError listing all errors, then compare years."""
    instrument = instrument or load_instrument()
    catalogue = catalogue or load_catalogue()
    all_years = discover_years(raw_dir)
    wanted = all_years if years is None else years
    missing = sorted(set(wanted) - set(all_years))
    if missing:
        raise FileNotFoundError(f"no year folder for {', '.join(map(str, missing))} under {raw_dir}")
    # The previous year is read too, so a single year's report can still compare.
    needed = sorted({*wanted, *(year_before(y, all_years) for y in wanted)} - {None})
    aliases, findings = read_aliases(raw_dir / ALIASES_FILE)
    results: dict[int, YearResult] = {}
    for year in needed:
        result, year_findings = process_year(raw_dir, year, aliases, instrument, catalogue)
        findings += year_findings
        if result is not None:
            results[year] = result
    raise_if_errors(findings)
    for year in needed:
        previous = year_before(year, all_years)
        earlier = results[previous].indicators if previous is not None else None
        results[year].comparison = compare_years(results[year].indicators, earlier, previous)
        results[year].previous_year = previous
    return {y: results[y] for y in wanted}


def year_before(year: int, years: list[int]) -> int | None:
    """The latest of `years` before `year`: the year it is compared with."""
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else None
