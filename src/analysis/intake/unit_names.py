"""One row per unit: canonical names across files and years, and duplicate returns collapsed.

Units write their names differently from year to year (full-width brackets, spaces) and
are sometimes renamed; `unit_aliases.csv` maps former or variant names to one canonical
name so that a unit is the same unit in every year's comparison.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pyarrow as pa

from analysis.catalogue import Instrument
from analysis.findings import Finding
from analysis.intake import columns as col
from analysis.intake.cells import unit_key
from analysis.intake.clean import SOURCE_COLUMNS, Record
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
        return {}, [
            Finding(
                severity="error",
                file=label,
                expected="a regular file of aliases (alias,unit_name); this is a folder, pipe or device",
                kind="aliases",
            )
        ]
    try:
        sheet = read_csv(path.read_bytes(), label)
    except UnicodeDecodeError:
        return {}, [
            Finding(severity="error", file=label, expected="a CSV file in UTF-8 or GB18030", kind="encoding")
        ]
    rows = [(n, cells) for n, cells in sheet.rows if any(c.strip() for c in cells)]
    if not rows or tuple(c.strip().casefold() for c in rows[0][1][:2]) != ALIAS_COLUMNS:
        found = ",".join(rows[0][1]) if rows else ""
        return {}, [
            Finding(
                severity="error",
                file=label,
                row=rows[0][0] if rows else 1,
                value=found,
                expected="a header row 'alias,unit_name'",
                kind="aliases",
            )
        ]
    mapping: dict[str, str] = {}
    findings = []
    for number, cells in rows[1:]:
        alias, name = [*cells, "", ""][:2]
        if not alias.strip() or not name.strip():
            findings.append(
                Finding(
                    severity="error",
                    file=label,
                    row=number,
                    value=",".join(cells),
                    expected="both an alias and the unit_name it stands for",
                    kind="aliases",
                )
            )
            continue
        key, canonical = unit_key(alias), unit_key(name)
        if mapping.get(key, canonical) != canonical:
            findings.append(
                Finding(
                    severity="error",
                    file=label,
                    row=number,
                    column="alias",
                    value=alias,
                    expected=f"one canonical name per alias; it already maps to {mapping[key]!r}",
                    kind="aliases",
                )
            )
        mapping[key] = canonical
    return _resolve_chains(mapping, label, findings)


def _resolve_chains(
    mapping: dict[str, str], label: str, findings: list[Finding]
) -> tuple[dict[str, str], list[Finding]]:
    """A unit renamed twice (A -> B -> C) maps A straight to C; a cycle is an error."""
    resolved = {}
    for alias in mapping:
        seen, name = {alias}, mapping[alias]
        while name in mapping and mapping[name] != name:
            if name in seen:
                findings.append(
                    Finding(
                        severity="error",
                        file=label,
                        column="alias",
                        value=alias,
                        expected="aliases without a cycle",
                        kind="aliases",
                    )
                )
                break
            seen.add(name)
            name = mapping[name]
        resolved[alias] = name
    return resolved, findings


def canonical_name(name: str, aliases: dict[str, str]) -> str:
    key = unit_key(name)
    return aliases.get(key, key)


def merge_units(
    records: list[Record], aliases: dict[str, str], instrument: Instrument
) -> tuple[list[Record], list[Finding]]:
    """Rename to canonical names; the same unit twice is one unit if the answers agree, else an error.

    The row view of `merge_table`, for records made one by one.
    """
    merged, findings = merge_table(records_table(records, instrument), aliases, instrument)
    kept = [
        dataclasses.replace(records[i], values={**records[i].values, "unit_name": name})
        for i, name in zip(merged.index, merged["unit_name"], strict=True)
    ]
    return kept, findings


def merge_table(
    table: pd.DataFrame, aliases: dict[str, str], instrument: Instrument
) -> tuple[pd.DataFrame, list[Finding]]:
    """Rename to canonical names; the same unit twice is one unit if the answers agree, else an error.

    `table` holds a year's unit rows in the order read (fields, then SOURCE_COLUMNS); the rows
    kept are the first of each unit, under its canonical name, with their index.
    """
    written = _written(table["unit_name"])
    keys = col.mapped(written, unit_key, same=col.plain(written))  # a plain name is its own key
    keys = pd.Series(keys.to_pylist(), index=table.index, dtype=object)
    names = keys.map(aliases).fillna(keys) if aliases else keys
    repeated = names.duplicated(keep="first")
    findings = (
        _duplicate_findings(table, names, written.to_pylist(), repeated, instrument) if repeated.any() else []
    )
    kept = table.loc[~repeated].copy()
    kept["unit_name"] = pd.array(names[~repeated].tolist(), dtype="string")
    return kept, findings


def _written(names: pd.Series) -> pa.Array:
    """Each name as written, white space collapsed (a plain name is as it is)."""
    column = col.text_column(names)
    return col.mapped(column, lambda t: " ".join(str(t).split()), same=col.plain(column))


def _duplicate_findings(
    table: pd.DataFrame, names: pd.Series, written: list[str], repeated: pd.Series, instrument: Instrument
) -> list[Finding]:
    """A warning per unit returned again with the same answers, an error when they differ."""
    answer_fields = [f.name for f in instrument.fields if f.name != "unit_name"]
    position = {label: i for i, label in enumerate(table.index)}
    first_of = {}
    for label, name in names[names.duplicated(keep=False)].items():
        first_of.setdefault(name, label)
    findings = []
    for label in repeated[repeated].index:
        name, first = names[label], first_of[names[label]]
        spelled, here = written[position[first]], written[position[label]]
        record, earlier = _row(table, label, answer_fields), _row(table, first, answer_fields)
        # Where unit_aliases.csv made two names one unit, say so: the person sees two names.
        unit = name if unit_key(here) == name else f"{name}, written {here!r} here"
        there = earlier.place() if unit_key(spelled) == name else f"{earlier.place()} ({spelled!r})"
        differ = [f for f in answer_fields if not _same(earlier.values.get(f), record.values.get(f))]
        if not differ:
            findings.append(
                Finding(
                    severity="warning",
                    file=record.file,
                    row=record.row,
                    value=name,
                    expected=(
                        f"a unit returned once; the same answers for {unit} are also at {there}, counted once"
                    ),
                    sheet=record.sheet,
                    unit=name,
                    kind="duplicate_unit",
                )
            )
        else:
            findings.append(
                Finding(
                    severity="error",
                    file=record.file,
                    row=record.row,
                    value=name,
                    expected=(
                        f"one return per unit; {there} has different answers for the same unit {unit} "
                        f"({', '.join(differ)})"
                    ),
                    sheet=record.sheet,
                    unit=name,
                    kind="conflicting_unit",
                )
            )
    return findings


def _row(table: pd.DataFrame, label: object, fields: list[str]) -> Record:
    """One row of a unit table as a record: missing values are None."""
    values = {f: (None if pd.isna(v := table.at[label, f]) else v) for f in fields if f in table.columns}
    row = table.at[label, "source_row"]
    sheet = table.at[label, "source_sheet"]
    return Record(
        values=values,
        file=table.at[label, "source_file"],
        sheet=None if pd.isna(sheet) else sheet,
        row=None if pd.isna(row) else int(row),
    )


def _same(a: object, b: object) -> bool:
    return (a is None and b is None) or a == b


def records_table(records: list[Record], instrument: Instrument) -> pd.DataFrame:
    """Records as a unit table (every field of the instrument, then SOURCE_COLUMNS), index 0..n-1."""
    data = {
        spec.name: pd.array([r.values.get(spec.name) for r in records], dtype=DTYPES[spec.kind])
        for spec in instrument.fields
    }
    data["source_file"] = pd.array([r.file for r in records], dtype="string")
    data["source_sheet"] = pd.array([r.sheet for r in records], dtype="string")
    data["source_row"] = pd.array([r.row for r in records], dtype="Int64")
    return pd.DataFrame(data)


def concat_tables(tables: list[pd.DataFrame], instrument: Instrument) -> pd.DataFrame:
    """The unit tables of a year's sheets as one, in the order read, with every field of the
    instrument (a field no sheet has a column for is blank throughout)."""
    columns = [*(spec.name for spec in instrument.fields), *SOURCE_COLUMNS]
    types = {
        **{spec.name: DTYPES[spec.kind] for spec in instrument.fields},
        "source_file": "string",
        "source_sheet": "string",
        "source_row": "Int64",
    }
    whole = [t.reindex(columns=columns).astype(types) for t in tables if len(t)]
    if not whole:
        return pd.DataFrame({c: pd.array([], dtype=types[c]) for c in columns})
    return pd.concat(whole, ignore_index=True) if len(whole) > 1 else whole[0].reset_index(drop=True)


def returns_frame(table: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """The canonical returns table: typed columns, nullable booleans and integers, then where
    each unit was read (file and row)."""
    data = {spec.name: _typed(table, spec.name, DTYPES[spec.kind]) for spec in instrument.fields}
    data["source_file"] = _typed(table, "source_file", "string")
    data["source_row"] = _typed(table, "source_row", "Int64")
    return pd.DataFrame(data).reset_index(drop=True)


def _typed(table: pd.DataFrame, name: str, dtype: str) -> pd.api.extensions.ExtensionArray:
    if name not in table.columns:
        return pd.array([None] * len(table), dtype=dtype)
    column = table[name]
    return column.array if column.dtype == dtype else pd.array(column, dtype=dtype)


def records_frame(records: list[Record], instrument: Instrument) -> pd.DataFrame:
    """The canonical returns table: typed columns, nullable booleans and integers."""
    return returns_frame(records_table(records, instrument), instrument)
