"""Every folder and file name of a run: the one owner (in the spirit of OWID's PathFinder).

Default locations are relative to the project root: the folder holding this checkout (found
from the package's location when it is installed in editable mode), or ANALYSIS_ROOT when set,
so tests and scratch builds can point elsewhere without touching the real folders. Every file
a run reads from `raw`, writes to `processed` or publishes to `reports` is named below, and
other modules ask for it here (`Paths.table`, `Paths.page`, ...) instead of spelling it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def checkout_root() -> Path:
    """The folder of this checkout (pyproject.toml, notebooks/), found from the package's location:
    where the code and the notebooks are, whatever ANALYSIS_ROOT says about the data."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "notebooks").is_dir():
            return parent
    return Path.cwd()


def project_root() -> Path:
    """The folder whose data/ and reports/ are the defaults: ANALYSIS_ROOT when set, else the checkout."""
    env = os.environ.get("ANALYSIS_ROOT")
    if env:
        return Path(env).resolve()
    return checkout_root()


def shown_path(path: Path) -> str:
    """How a page names a file or folder: the same words wherever the checkout lives.

    Inside the project root, the path relative to it ("data/raw"). Outside it, only "…/" and
    the last component ("…/processed"): the absolute path would name the analyst's machine
    (home folder, user name) and make the same inputs give different bytes in another
    checkout; the final name is kept so a reader can still tell which folder was used.
    """
    resolved = path.resolve()
    try:
        return resolved.relative_to(project_root()).as_posix()
    except ValueError:
        return f"…/{resolved.name}"


NOTEBOOKS = checkout_root() / "notebooks"
YEAR_NOTEBOOK = NOTEBOOKS / "year_report.ipynb"  # run once per year (and per compare page)
TRENDS_NOTEBOOK = NOTEBOOKS / "trends.ipynb"  # run once per build, every year

# --- raw: what the office drops in ---------------------------------------------------------
ALIASES = "unit_aliases.csv"  # beside the year folders: former name -> the name reported
ISSUER = "report.yaml"  # in a year folder: the office that issues the report and the date (optional)
ROSTER = "roster.csv"  # beside the year folders: the units sent a form (unit_name,unit_type; optional)

# --- processed: a year's tables, written by `store` only -------------------------------------
RETURNS = "returns.parquet"
INDICATORS = "indicators.csv"
COMPARISON = "comparison.csv"
BREACHES = "breaches.csv"
NO_ANSWERS = "no_answers.csv"
INPUTS = "inputs.csv"
FINDINGS = "findings.csv"
WARNINGS = "warnings.csv"
RECORDS = "records"  # beside the years: what each output was made from (`records`)

# --- reports: what reviewers open --------------------------------------------------------------
INDEX = "index"  # reports/[<lang>/]index.html
TRENDS = "trends"  # reports/[<lang>/]trends.html and reports/trends.ipynb
WORKBOOK = "tables.xlsx"  # one workbook for every language, at the top of reports/
DOCUMENT_SUFFIX = ".docx"  # the year report as a Word document, beside the year's page
UNITS = "units"  # reports/zh/units/<year>/<unit>.docx: the letter to each unit (Chinese only)
LETTER_LANG = "zh"  # the letters' one language: the units' own
LETTER_NAMES = "文件名对照.csv"  # beside the letters, when a unit's name had to change to be a file name
FORMS = "forms"  # reports/forms/<year>/<unit>.xlsx: the form each unit is sent (`python -m analysis forms`)
FORM_SUFFIX = ".xlsx"
FORM_LIST = "发放清单.csv"  # beside the forms: each unit, its kind and its form's file, to send and tick off
# The languages every page is published in, English first (its pages stay where they were).
LANGUAGES = ("en", "zh")
# Where each language's pages go, under the reports folder: English at the top (as before the
# pages had a second language), every other language in a folder of its own.
PAGE_FOLDERS = {"en": ".", "zh": "zh"}
# The <html lang> of each page: nbconvert's language_code knows "zh", not "zh-Hans".
PAGE_LANG = {"en": "en", "zh": "zh-Hans"}


@dataclass(frozen=True)
class Paths:
    raw: Path
    processed: Path
    reports: Path

    @classmethod
    def default(cls, root: Path | None = None) -> Paths:
        root = root or project_root()
        return cls(root / "data" / "raw", root / "data" / "processed", root / "reports")

    def year_folder(self, year: int) -> Path:
        """A year's processed tables."""
        return self.processed / str(year)

    def table(self, year: int, name: str) -> Path:
        """One processed table of a year (`name` one of the names above, e.g. INDICATORS)."""
        return self.processed / str(year) / name

    def record(self, output: str) -> Path:
        return self.processed / RECORDS / f"{output}.json"

    def page(self, name: str | int, lang: str) -> Path:
        """A page in a language's folder: a year (2004), INDEX, TRENDS or a compare page's name."""
        return page_folder(self.reports, lang) / page_file(name)

    def notebook(self, name: str | int) -> Path:
        """The executed notebook kept beside the English pages."""
        return self.reports / notebook_file(name)

    @property
    def workbook(self) -> Path:
        return self.reports / WORKBOOK

    def document(self, year: int, lang: str) -> Path:
        """A year's report as a Word document, in its language's folder beside the page."""
        return page_folder(self.reports, lang) / f"{year}{DOCUMENT_SUFFIX}"

    def letters(self, year: int) -> Path:
        """The folder of a year's letters to the units."""
        return page_folder(self.reports, LETTER_LANG) / UNITS / str(year)

    def letter(self, year: int, stem: str) -> Path:
        """One unit's letter, `stem` its name made safe for a file system (`document_names`)."""
        return self.letters(year) / f"{stem}{DOCUMENT_SUFFIX}"

    def forms(self, year: int) -> Path:
        """The default folder of a year's forms (a command's output, not a build's)."""
        return self.reports / FORMS / str(year)

    def letter_names(self, year: int) -> Path:
        """Which unit each letter is for, when a name had to change to become a file name."""
        return self.letters(year) / LETTER_NAMES

    def resolved(self) -> Paths:
        """Absolute folders, fixed once before a build starts.

        A relative path means "from where the command was typed"; papermill and kernels
        must never get the chance to reinterpret it from another working directory.
        """
        return Paths(*(Path(os.path.abspath(p)) for p in (self.raw, self.processed, self.reports)))


# --- a unit's name as a file's name (letters, forms) -------------------------------------------
FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')  # not in a file name on Windows, or anywhere
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10))}
MAX_BYTES = 150  # a name in UTF-8: 255 bytes is every file system's limit, a path has more in it


def file_stem(name: str) -> str:
    """A unit's name as a file's name: each forbidden character as '_', no dot or space at the end,
    no reserved Windows name, no leading dot (a hidden file), at most MAX_BYTES bytes."""
    stem = FORBIDDEN.sub("_", unicodedata.normalize("NFC", name)).strip()
    while len(stem.encode("utf-8")) > MAX_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(". ")
    if stem.startswith("."):
        stem = "_" + stem[1:]
    if not stem or stem.split(".")[0].upper() in RESERVED:
        stem = "_" + stem
    return stem


def file_stems(names: Iterable[str]) -> dict[str, str]:
    """Each name's file stem, made unique (two names may differ only where a file system does not:
    '/' and '_', upper and lower case): the later one gets '-2', '-3'."""
    taken: set[str] = set()
    stems = {}
    for name in names:
        stem = candidate = file_stem(name)
        number = 2
        while candidate.casefold() in taken:
            suffix = f"-{number}"
            while len((stem + suffix).encode("utf-8")) > MAX_BYTES:
                stem = stem[:-1]
            candidate, number = stem + suffix, number + 1
        taken.add(candidate.casefold())
        stems[name] = candidate
    return stems


def page_file(name: str | int) -> str:
    return f"{name}.html"


def notebook_file(name: str | int) -> str:
    return f"{name}.ipynb"


def failed_notebook_file(name: str | int) -> str:
    """A notebook that failed, kept beside the reports for the analyst to open."""
    return f"{name}.failed.ipynb"


RUNNING_NOTEBOOK = ".running.ipynb"  # the suffix of a notebook while it runs (removed after)
YEAR_PAGES = "[0-9][0-9][0-9][0-9].html"  # a glob of the year pages in a language's folder
YEAR_NOTEBOOKS = "[0-9][0-9][0-9][0-9].ipynb"  # a glob of the kept year notebooks


def record_name(name: str | int) -> str:
    """The technical record of a page (provenance, data quality), a page of its own beside it."""
    return f"{name}-record"


COMPARE_PAGES = "compare-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9].html"  # a glob of the compare pages


def compared_pairs(reports: Path) -> list[tuple[int, int]]:
    """The compare pages in the reports folder (English folder), as (earlier, later)."""
    return [
        (int(page.stem.split("-")[1]), int(page.stem.split("-")[2]))
        for page in sorted(page_folder(reports, "en").glob(COMPARE_PAGES))
    ]


def compared_years(reports: Path, year: int) -> list[int]:
    """The other years `year` has a compare page with in the reports folder."""
    pairs = compared_pairs(reports)
    return sorted(
        {later if year == earlier else earlier for earlier, later in pairs if year in (earlier, later)}
    )


def compare_name(earlier: int, later: int) -> str:
    """The compare page of two years, earlier first, as its file is named (without .html)."""
    return f"compare-{earlier}-{later}"


def page_folder(reports: Path, lang: str) -> Path:
    return reports / PAGE_FOLDERS[lang] if PAGE_FOLDERS[lang] != "." else reports


def year_of_page(name: str) -> int | None:
    """The year a year page's file name gives ("2004.html" -> 2004), else None."""
    stem = name.removesuffix(".html")
    return int(stem) if name.endswith(".html") and len(stem) == 4 and stem.isdigit() else None
