"""One row per unit: canonical names across files and years, and duplicate returns collapsed.

Units write their names differently from year to year (full-width brackets, spaces) and
are sometimes renamed; `unit_aliases.csv` maps former or variant names to one canonical
name so that a unit is the same unit in every year's comparison.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from analysis.catalogue import Instrument
from analysis.findings import Finding
from analysis.intake.cells import unit_key
from analysis.intake.clean import Record
from analysis.intake.read import read_csv
from analysis.intake.schema import DTYPES

ALIAS_COLUMNS = ("alias", "unit_name")


def read_aliases(path: Path, label: str = "unit_aliases.csv") -> tuple[dict[str, str], list[Finding]]:
    """alias key -> canonical name; a missing file means no aliases.

    Only a regular file is opened: a pipe or device under that name would block the run.
    """
    if not path.exists():
        return {}, []
    if not path.is_file():
        return {}, [Finding(severity="error", file=label, expected="a regular file of aliases (alias,unit_name); this is a folder, pipe or device", kind="aliases")]
    try:
        sheet = read_csv(path.read_bytes(), label)
    except UnicodeDecodeError:
        return {}, [Finding(severity="error", file=label, expected="a CSV file in UTF-8 or GB18030", kind="encoding")]
    rows = [(n, cells) for n, cells in sheet.rows if any(c.strip() for c in cells)]
    if not rows or tuple(c.strip().casefold() for c in rows[0][1][:2]) != ALIAS_COLUMNS:
        found = ",".join(rows[0][1]) if rows else ""
        return {}, [Finding(severity="error", file=label, row=rows[0][0] if rows else 1, value=found, expected="a header row 'alias,unit_name'", kind="aliases")]
    mapping: dict[str, str] = {}
    findings = []
    for number, cells in rows[1:]:
        alias, name = [*cells, "", ""][:2]
        if not alias.strip() or not name.strip():
            findings.append(Finding(severity="error", file=label, row=number, value=",".join(cells), expected="both an alias and the unit_name it stands for", kind="aliases"))
            continue
        key, canonical = unit_key(alias), unit_key(name)
        if mapping.get(key, canonical) != canonical:
            findings.append(Finding(severity="error", file=label, row=number, column="alias", value=alias, expected=f"one canonical name per alias; it already maps to {mapping[key]!r}", kind="aliases"))
        mapping[key] = canonical
    return _resolve_chains(mapping, label, findings)


def _resolve_chains(mapping: dict[str, str], label: str, findings: list[Finding]) -> tuple[dict[str, str], list[Finding]]:
    """A unit renamed twice (A -> B -> C) maps A straight to C; a cycle is an error."""
    resolved = {}
    for alias in mapping:
        seen, name = {alias}, mapping[alias]
        while name in mapping and mapping[name] != name:
            if name in seen:
                findings.append(Finding(severity="error", file=label, column="alias", value=alias, expected="aliases without a cycle", kind="aliases"))
                break
            seen.add(name)
            name = mapping[name]
        resolved[alias] = name
    return resolved, findings


def canonical_name(name: str, aliases: dict[str, str]) -> str:
    key = unit_key(name)
    return aliases.get(key, key)


def merge_units(records: list[Record], aliases: dict[str, str], instrument: Instrument) -> tuple[list[Record], list[Finding]]:
    """Rename to canonical names; the same unit twice is one unit if the answers agree, else an error."""
    answer_fields = [f.name for f in instrument.fields if f.name != "unit_name"]
    kept: dict[str, Record] = {}
    spelled: dict[str, str] = {}  # canonical name -> the first spelling, as written in its file
    findings = []
    for record in records:
        written = " ".join(str(record.values["unit_name"]).split())
        name = canonical_name(written, aliases)
        record = dataclasses.replace(record, values={**record.values, "unit_name": name})
        first = kept.get(name)
        if first is None:
            kept[name], spelled[name] = record, written
            continue
        # Where unit_aliases.csv made two names one unit, say so: the person sees two names.
        unit = name if unit_key(written) == name else f"{name}, written {written!r} here"
        there = first.place() if unit_key(spelled[name]) == name else f"{first.place()} ({spelled[name]!r})"
        same = all(_same(first.values.get(f), record.values.get(f)) for f in answer_fields)
        if same:
            findings.append(Finding(severity="warning", file=record.file, row=record.row, value=name, expected=f"a unit returned once; the same answers for {unit} are also at {there}, counted once", sheet=record.sheet, unit=name, kind="duplicate_unit"))
        else:
            differ = [f for f in answer_fields if not _same(first.values.get(f), record.values.get(f))]
            findings.append(Finding(severity="error", file=record.file, row=record.row, value=name, expected=f"one return per unit; {there} has different answers for the same unit {unit} ({', '.join(differ)})", sheet=record.sheet, unit=name, kind="conflicting_unit"))
    return list(kept.values()), findings


def _same(a: object, b: object) -> bool:
    return (a is None and b is None) or a == b


def records_frame(records: list[Record], instrument: Instrument) -> pd.DataFrame:
    """The canonical returns table: typed columns, nullable booleans and integers."""
    data = {
        spec.name: pd.array([r.values.get(spec.name) for r in records], dtype=DTYPES[spec.kind])
        for spec in instrument.fields
    }
    data["source_file"] = pd.array([r.file for r in records], dtype="string")
    data["source_row"] = pd.array([r.row for r in records], dtype="Int64")
    return pd.DataFrame(data)
