"""Shared fixtures: every test writes under tmp_path, never into the repo's data or reports."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis.catalogue import load_catalogue, load_instrument

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RAW = REPO / "data" / "raw"


@pytest.fixture(autouse=True)
def _outputs_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything that falls back to default paths lands in tmp_path, not the checkout."""
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))


@pytest.fixture
def instrument():
    return load_instrument()


@pytest.fixture
def catalogue():
    return load_catalogue()


def unit_row(name: str, yes: set[str] = frozenset(), blank: set[str] = frozenset(), **counts: int) -> dict[str, str]:
    """One unit's answers in English field names: 'yes' for fields in `yes`, blank for `blank`, else 'no'."""
    instrument = load_instrument()
    row: dict[str, str] = {"unit_name": name, "unit_type": ""}
    for field in instrument.names("yes_no"):
        row[field] = "" if field in blank else ("yes" if field in yes else "no")
    for field in instrument.names("count"):
        row[field] = str(counts.get(field, 0))
    return row


@pytest.fixture
def write_year(tmp_path: Path) -> Callable[..., Path]:
    """Write a consolidated CSV return for a year under tmp_path/raw and return the raw folder."""

    def write(year: int, rows: list[dict[str, str]], name: str = "returns.csv") -> Path:
        folder = tmp_path / "raw" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return tmp_path / "raw"

    return write
