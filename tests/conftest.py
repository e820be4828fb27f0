"""Shared fixtures: every test writes under tmp_path, never into the repo's data or reports."""

from __future__ import annotations

import os

# Before anything imports openpyxl: the xlsx files tests write have the bytes the scripts give
# (openpyxl's XML differs with and without lxml; see scripts/make_sample_data.py).
os.environ["OPENPYXL_LXML"] = "False"

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
from analysis.paths import Paths

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RAW = REPO / "data" / "raw"
CORPUS = REPO / "tests" / "corpus"
GOLDEN = REPO / "tests" / "golden" / "published-2004.csv"

# What a build of the shipped 2003 and 2004 writes in the reports folder, and in its zh/ folder.
TWO_YEAR_REPORTS = [
    "2003-record.html",
    "2003.docx",
    "2003.html",
    "2003.ipynb",
    "2004-record.html",
    "2004.docx",
    "2004.html",
    "2004.ipynb",
    "index.html",
    "tables.xlsx",
    "trends.html",
    "trends.ipynb",
    "zh",
]
TWO_YEAR_ZH_REPORTS = [
    "2003-record.html",
    "2003.docx",
    "2003.html",
    "2004-record.html",
    "2004.docx",
    "2004.html",
    "index.html",
    "trends.html",
    "units",
]


def folder_options(paths: Paths) -> list[str]:
    """The command line's folder options for `paths`: --raw, --processed, --reports."""
    return ["--raw", str(paths.raw), "--processed", str(paths.processed), "--reports", str(paths.reports)]


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

    root = tmp_path_factory.mktemp("shipped")
    paths = Paths(SAMPLE_RAW, root / "p", root / "r")
    build(paths, progress=lambda message: None)
    return paths


@pytest.fixture(scope="session")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, str]:
    """`python -m analysis compare <latest> <earliest>` (later year first) into a fresh folder,
    once per run: the compare pages as a person makes them. Read it, never write into it."""
    from analysis.pipeline import discover_years

    years = discover_years(SAMPLE_RAW)
    root = tmp_path_factory.mktemp("compare")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ANALYSIS_ROOT", str(root))
        # named on the page as out/p: a folder
        paths = Paths(SAMPLE_RAW, root / "out" / "p", root / "out" / "r")
        done = run_cli("compare", str(years[-1]), str(years[0]), *folder_options(paths))
    assert done.returncode == 0, done.stderr
    return paths, done.stdout


@pytest.fixture(scope="session")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped 2003 and 2004 alone: a first year and a pair of years, built in half the time."""
    return copy_years(tmp_path_factory.mktemp("two_years") / "raw", (2003, 2004))


@pytest.fixture(scope="session")
def two_years_built(tmp_path_factory: pytest.TempPathFactory, two_years: Path) -> tuple[Paths, list[str]]:
    """The shipped 2003 and 2004 built once per run, every page in both languages, with the project
    root at the build's folder (pages name the folders relative to it: p, r): the folders and what
    the build said. Read it, never write into it; copy it to build into it again."""
    from analysis.build import build

    root = tmp_path_factory.mktemp("two_years_built")
    messages: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ANALYSIS_ROOT", str(root))
        paths = Paths(two_years, root / "p", root / "r")
        build(paths, progress=messages.append)
    return paths, messages


@pytest.fixture(scope="session")
def sample_tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, subprocess.CompletedProcess[str]]:
    """`python -m analysis build --no-reports` of the shipped sample into a fresh folder, once per
    run: every year's processed tables as the command line writes them, and what it printed. Read
    it, never write into it (copy the tables to change them or to publish from them)."""
    root = tmp_path_factory.mktemp("sample_tables")
    paths = Paths(SAMPLE_RAW, root / "p", root / "r")
    done = run_cli("build", *folder_options(paths), "--no-reports")
    assert done.returncode == 0, done.stderr
    return paths, done


DECOY_SITE = """\
# Written by tests/conftest.py: the machine's own faces of the charts' family names come first
# in matplotlib's font list (as they do on some machines, depending on its cache and the order
# fontconfig lists them), in every process started under this environment, kernels included.
import dataclasses
from matplotlib import font_manager, ft2font
for path, family in {decoys!r}:
    entry = dataclasses.replace(font_manager.ttfFontProperty(ft2font.FT2Font(path)), name=family)
    font_manager.fontManager.ttflist.insert(0, entry)
font_manager.fontManager._findfont_cached.cache_clear()
"""


def decoy_fonts(folder: Path) -> dict[str, str]:
    """The environment of a machine whose own fonts share the names of the faces the charts use.

    Copies of DejaVu Serif renamed "Noto Sans CJK SC" and "DejaVu Sans" in the user's font
    folder ($XDG_DATA_HOME/fonts, which matplotlib and fontconfig read), put first in
    matplotlib's font list of every process (a `sitecustomize` on PYTHONPATH), and an empty
    matplotlib cache: what a Chinese desktop with fonts-noto-cjk and fonts-dejavu-core looks
    like to a build, made certain (the decoys have other glyphs and other widths, so drawing
    with one changes the bytes or fails). Returns the variables to run a process under.
    """
    import os

    import matplotlib
    from fontTools.ttLib import TTFont

    fonts = folder / "share" / "fonts"
    fonts.mkdir(parents=True)
    serif = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"
    decoys = []
    for family, name in (("Noto Sans CJK SC", "decoy-cjk.ttf"), ("DejaVu Sans", "decoy-latin.ttf")):
        font = TTFont(serif)
        for record in font["name"].names:
            if record.nameID in (1, 4, 16):
                record.string = family
        font.save(fonts / name)
        decoys.append((str(fonts / name), family))
    site = folder / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(DECOY_SITE.format(decoys=decoys), encoding="utf-8")
    for cache in ("mpl", "cache"):
        (folder / cache).mkdir()
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return {
        "XDG_DATA_HOME": str(folder / "share"),
        "MPLCONFIGDIR": str(folder / "mpl"),
        "XDG_CACHE_HOME": str(folder / "cache"),
        "PYTHONPATH": path,
    }


def resolves_to_decoy(environment: dict[str, str], family: str) -> bool:
    """Whether matplotlib in a fresh process under `environment` finds `family` in a decoy."""
    import os

    code = (
        "from matplotlib import font_manager as f; "
        f"print(f.findfont(f.FontProperties(family={family!r}), fallback_to_default=False))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return "decoy-" in run.stdout


def tree_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under root, so a test can prove it left the folder byte-identical."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def raw_folders_untouched() -> Iterator[None]:
    """data/raw and every corpus raw folder are byte-identical after each test."""
    before = {root: tree_hashes(root) for root in (SAMPLE_RAW, CORPUS)}
    yield
    assert {root: tree_hashes(root) for root in before} == before


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m analysis ...` as a person runs it, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=False, cwd=REPO
    )


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


def unit_row(
    name: str, yes: set[str] = frozenset(), blank: set[str] = frozenset(), **counts: int
) -> dict[str, str]:
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
            (
                f
                for f in left
                if all(getattr(f, k) == v for k, v in fields.items())
                and want.get("expected_has", "") in f.expected
            ),
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
