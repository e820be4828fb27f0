"""The processed folder's one owner: its file names and column types, and every write and read.

The build writes each year's tables here (`write_year`) and the report reads them back
(`read_year`); nothing else in the package spells a file name of `<processed>/<year>/`.
Files are written so that a reader never sees half a file: beside the target, then
renamed. Byte-stable formats are chosen on purpose: CSV with fixed line endings and
one-decimal percentages, so the same inputs give the same bytes on every build. Every CSV
is inert in a spreadsheet program: text that Excel or WPS would run as a formula is written
with a leading apostrophe (the OWASP rule), and read back without it.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.figures.result import YearResult
from analysis.findings import Finding, findings_frame, warnings
from analysis.intake.years import discover_years
from analysis.paths import (
    BREACHES,
    COMPARISON,
    FINDINGS,
    INDICATORS,
    INPUTS,
    NO_ANSWERS,
    RETURNS,
    WARNINGS,
)

# Text starting with one of these is a formula (or DDE call) to Excel, WPS and LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
INERT_PREFIX = "'"
# Temporary files carry the writing process's id, so a later build can tell a leftover of a
# killed run (its process is gone) from a file another build is writing right now.
TEMP_MARKER = re.compile(r"^\..+\.(?P<pid>\d+)\.[^.]+\.(?:tmp|running\.ipynb)$")
# Left by builds from before the process id was part of the name; never written now.
LEGACY_RUNNING = re.compile(r"^\.\d{4}\.[^.]+\.running\.ipynb$")


def temporary_beside(target: Path, suffix: str = ".tmp") -> Path:
    """An empty, new, private file in the target's folder, named so a later build can clean it up."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    return Path(name)


def make_readable(path: Path) -> None:
    """mkstemp makes files private; outputs are for everyone the umask allows."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call write(tmp) on a temporary file in the target's folder, then rename it over target."""
    tmp = temporary_beside(target)
    try:
        write(tmp)
        make_readable(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files of builds that were killed (their process no longer runs)."""
    if not folder.is_dir():
        return []
    removed = []
    for path in sorted(folder.iterdir()):
        match = TEMP_MARKER.match(path.name)
        stale = (match is not None and not _running(int(match["pid"]))) or bool(
            LEGACY_RUNNING.match(path.name)
        )
        if stale and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def write_text_atomic(target: Path, text: str) -> None:
    write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def inert(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; so does text that
    already starts with one, so that `readable` can undo exactly what was done."""
    if isinstance(value, str) and value.startswith((*FORMULA_TRIGGERS, INERT_PREFIX)):
        return INERT_PREFIX + value
    return value


def readable(value: object) -> object:
    """The text as it was before `inert`."""
    if isinstance(value, str) and value.startswith(INERT_PREFIX):
        return value[len(INERT_PREFIX) :]
    return value


def _is_text(column: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)


def csv_text(frame: pd.DataFrame) -> str:
    """CSV with blank cells for nulls, percentages always shown with one decimal, text inert."""
    out = frame.copy()
    for column in out.columns:
        if str(out[column].dtype) in ("Float64", "float64"):
            out[column] = [None if pd.isna(v) else f"{v:.1f}" for v in out[column]]
        elif _is_text(out[column]):
            out[column] = _inert_column(out[column])
    return out.to_csv(index=False, lineterminator="\n")


def _inert_column(column: pd.Series) -> list[object]:
    """`inert` of every cell, nulls as None. Made inert once per distinct text: a findings
    table of a million units repeats its files, kinds and messages."""
    values = column.to_numpy(dtype=object)
    made = (
        {v: inert(v) for v in pd.unique(values[[isinstance(v, str) for v in values]])} if len(values) else {}
    )
    return [made[v] if isinstance(v, str) else (None if v is None or v is pd.NA else v) for v in values]


def write_csv(target: Path, frame: pd.DataFrame) -> None:
    write_text_atomic(target, csv_text(frame))


def read_csv(source: Path, dtype: object = None, keep_default_na: bool = True) -> pd.DataFrame:
    """A CSV written by `write_csv`, with its text as it was before it was made inert."""
    frame = pd.read_csv(source, dtype=dtype, keep_default_na=keep_default_na)
    for column in frame.columns:
        if _is_text(frame[column]):
            frame[column] = frame[column].map(readable, na_action="ignore").astype(frame[column].dtype)
    return frame


def write_parquet(target: Path, frame: pd.DataFrame) -> None:
    write_atomic(target, lambda tmp: frame.to_parquet(tmp, index=False, engine="pyarrow"))


# --- the processed folder ----------------------------------------------------------------

# Column types of the tables as written by the figures (indicators, compare, consistency,
# pipeline): a CSV keeps no types, so they are declared here once and given back on reading.
FIGURES = {"numerator": "Int64", "denominator": "Int64", "percent": "Float64"}
COMPARISON_TYPES = {
    **FIGURES,
    "previous_year": "Int64",
    "previous_numerator": "Int64",
    "previous_denominator": "Int64",
    "previous_percent": "Float64",
    "change_numerator": "Int64",
    "change_pp": "Float64",
}
TABLE_TYPES: dict[str, dict[str, str]] = {
    INDICATORS: {"indicator": "string", "population": "string", **FIGURES, "asked": "boolean"},
    COMPARISON: {
        "indicator": "string",
        "population": "string",
        **COMPARISON_TYPES,
        "asked": "boolean",
        "previous_asked": "boolean",
    },
    BREACHES: {"unit_name": "string", "rule": "string", "text_en": "string", "detail": "string"},
    NO_ANSWERS: {"field": "string", "population": "string", "no_answer": "int64", "units": "int64"},
    INPUTS: {"file": "string", "sha256": "string", "bytes": "int64"},
}
# Everything a year's report reads, written by every build.
YEAR_FILES = (RETURNS, *TABLE_TYPES, FINDINGS, WARNINGS)


def year_folder(processed: Path, year: int) -> Path:
    return processed / str(year)


def write_year(result: YearResult, processed: Path) -> list[Path]:
    """The year's data products under <processed>/<year>/, each written whole or not at all."""
    folder = year_folder(processed, result.year)
    remove_leftovers(folder)
    writers = {
        RETURNS: lambda p: write_parquet(p, result.returns),
        INDICATORS: lambda p: write_csv(p, result.indicators),
        COMPARISON: lambda p: write_csv(p, result.comparison),
        FINDINGS: lambda p: write_csv(p, findings_frame(result.findings)),
        WARNINGS: lambda p: write_csv(p, findings_frame(warnings(result.findings))),
        INPUTS: lambda p: write_csv(p, result.inputs),
        BREACHES: lambda p: write_csv(p, result.breaches),
        NO_ANSWERS: lambda p: write_csv(p, result.no_answers),
    }
    for name, write in writers.items():
        write(folder / name)
    return [folder / name for name in writers]


def has_year(processed: Path, year: int) -> bool:
    folder = year_folder(processed, year)
    return all((folder / name).is_file() for name in YEAR_FILES)


def processed_years(raw: Path, processed: Path) -> list[int]:
    """The survey years that have a folder of returns and a complete processed folder.

    A build of some years (`--year`) leaves the others' processed tables as they were; what
    covers every year (the trends page, the workbook) takes every year built, not just this run's.
    """
    return [y for y in discover_years(raw) if has_year(processed, y)]


def read_table(processed: Path, year: int, name: str) -> pd.DataFrame:
    """One CSV table of a year, with its declared column types."""
    return read_csv(year_folder(processed, year) / name, dtype=TABLE_TYPES[name])


def read_year(processed: Path, year: int, previous_year: int | None) -> YearResult:
    """A year's results exactly as the build wrote them: nothing is computed again."""
    folder = year_folder(processed, year)
    return YearResult(
        year=year,
        returns=pd.read_parquet(folder / RETURNS),
        indicators=read_table(processed, year, INDICATORS),
        breaches=read_table(processed, year, BREACHES),
        no_answers=read_table(processed, year, NO_ANSWERS),
        inputs=read_table(processed, year, INPUTS),
        findings=read_findings(folder / FINDINGS),
        comparison=read_table(processed, year, COMPARISON),
        previous_year=previous_year,
    )


def read_findings(path: Path) -> list[Finding]:
    """findings.csv back into findings: blank cells are None, rows are whole numbers."""
    frame = read_csv(path, dtype=str, keep_default_na=False)
    findings = []
    for record in frame.to_dict("records"):
        values = {k: (v if v != "" else None) for k, v in record.items()}
        values["row"] = int(values["row"]) if values["row"] is not None else None
        values["expected"] = values["expected"] or ""
        values["kind"] = values["kind"] or ""
        findings.append(Finding(**values))
    return findings


def holds(processed: Path, year: int, comparison: pd.DataFrame) -> bool:
    """Whether the comparison table on disk has exactly these figures (same bytes as a new write)."""
    path = year_folder(processed, year) / COMPARISON
    return path.is_file() and path.read_text(encoding="utf-8") == csv_text(comparison)
