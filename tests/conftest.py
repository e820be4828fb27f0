"""Shared fixtures: every test writes under tmp_path, never into the repo's data or reports."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from analysis.catalogue import load_catalogue, load_instrument
from analysis.findings import Finding
from analysis.intake.clean import Record
from analysis.intake.unit_names import records_frame

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RAW = REPO / "data" / "raw"
CORPUS = REPO / "tests" / "corpus"
GOLDEN = REPO / "tests" / "golden" / "published-2004.csv"


def copy_years(raw: Path, years: tuple[int, ...]) -> Path:
    """Some of the shipped years (with the aliases file) in a raw folder of their own."""
    import shutil

    for year in years:
        shutil.copytree(SAMPLE_RAW / str(year), raw / str(year))
    shutil.copy2(SAMPLE_RAW / "unit_aliases.csv", raw / "unit_aliases.csv")
    return raw


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory):
    """The shipped sample built once per run, as `make report` builds it (every year, page,
    language, the trends and the workbook): for tests that read what a reviewer gets. Read it,
    never write into it."""
    from analysis.build import build
    from analysis.paths import Paths

    root = tmp_path_factory.mktemp("shipped")
    paths = Paths(SAMPLE_RAW, root / "p", root / "r")
    build(paths, progress=lambda message: None)
    return paths


@pytest.fixture(scope="session")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped 2003 and 2004 alone: a first year and a pair of years, built in half the time."""
    return copy_years(tmp_path_factory.mktemp("two_years") / "raw", (2003, 2004))


def tree_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under root, so a test can prove it left the folder byte-identical."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def raw_folders_untouched() -> Iterator[None]:
    """data/raw and every corpus raw folder are byte-identical after each test."""
    before = {root: tree_hashes(root) for root in (SAMPLE_RAW, CORPUS)}
    yield
    assert {root: tree_hashes(root) for root in before} == before


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m analysis ...` as a person runs it, from the repository root."""
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=False, cwd=REPO)


def expected(case: str) -> dict:
    """A corpus case's expectations, written by the corpus script from its own ground truth."""
    name = "expected.json" if (CORPUS / case / "expected.json").exists() else "expected_errors.json"
    return json.loads((CORPUS / case / name).read_text(encoding="utf-8"))


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

def unmatched(findings: list[Finding], wanted: list[dict]) -> tuple[list[dict], list[Finding]]:
    """Pair each expected finding with one actual finding that has every listed field.

    'expected_has' is a fragment of the finding's expected text; other keys are fields of
    Finding. Returns what was expected but not found, and what was found but not expected.
    """
    left = list(findings)
    missing = []
    for want in wanted:
        fields = {k: v for k, v in want.items() if k != "expected_has"}
        hit = next(
            (f for f in left if all(getattr(f, k) == v for k, v in fields.items()) and want.get("expected_has", "") in f.expected),
            None,
        )
        if hit is None:
            missing.append(want)
        else:
            left.remove(hit)
    return missing, left

def returns_frame(rows: list[dict[str, str]], instrument) -> pd.DataFrame:
    """The canonical returns table from unit_row() dicts, as cleaning would give it."""
    records = []
    for n, row in enumerate(rows, start=2):
        values: dict[str, object] = {"unit_name": row["unit_name"], "unit_type": None}
        for field in instrument.names("yes_no"):
            values[field] = {"yes": True, "no": False, "": None}[row[field]]
        for field in instrument.names("count"):
            values[field] = int(row[field]) if row[field] else None
        records.append(Record(values, "t.csv", None, n))
    return records_frame(records, instrument)
