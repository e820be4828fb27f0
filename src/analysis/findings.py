"""What a run found wrong with the returns: errors that stop it and warnings that do not.

Each finding carries where a person would look (file, sheet, row as numbered in the
spreadsheet or text editor, column header as written), the value and what was expected,
so the message can be acted on without reading code. Runs collect every finding before
raising, so an analyst fixes all problems in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pandas takes half a second: `python -m analysis --help` does without it
    import pandas as pd

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True, kw_only=True)
class Finding:
    severity: Severity
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str = ""
    sheet: str | None = None
    unit: str | None = None
    kind: str = ""

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = "" if self.value is None else f": {self.value!r}"
        return f"{self.where()}{value} - {self.expected}"


class AnalysisError(Exception):
    """Base of every error the package raises for a person to act on."""


class UsageError(AnalysisError):
    """The command was asked for something it cannot do (a folder that is a file, a year with
    no folder); nothing has been written. The command line exits with status 2 for these."""


class ReturnsError(AnalysisError):
    """The returns cannot be read as they are; `findings` lists every problem of the run."""

    def __init__(self, findings: list[Finding]):
        self.findings = sorted(findings, key=sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{counted(len(self.findings), 'problem')} in the returns; nothing was written:"]
        lines += [f"  - {f}" for f in self.findings]
        return "\n".join(lines)


def counted(n: int, noun: str) -> str:
    """ "1 warning", "5 warnings": the build's English lines (the pages' words are in the catalogue)."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


def sort_key(f: Finding) -> tuple:
    """The order findings are listed in: by file, sheet, row, column."""
    return (f.file, f.sheet or "", f.row if f.row is not None else -1, f.column or "", f.expected)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]


def raise_if_errors(findings: list[Finding]) -> None:
    found = errors(findings)
    if found:
        raise ReturnsError(found)


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a table for the report's data-quality section and the processed folder."""
    columns = list(Finding.__dataclass_fields__)
    rows = [tuple(getattr(f, c) for c in columns) for f in sorted(findings, key=sort_key)]
    import pandas as pd

    return pd.DataFrame(rows, columns=columns).astype({"row": "Int64"})
