"""Default locations, relative to the project root; nothing else in the package reads them.

The root is the folder holding this checkout (found from the package's location when it is
installed in editable mode), or ANALYSIS_ROOT when set, so tests and scratch builds can
point elsewhere without touching the real folders.
"""

from __future__ import annotations

import os
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


NOTEBOOKS = checkout_root() / "notebooks"
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

    def resolved(self) -> Paths:
        """Absolute folders, fixed once before a build starts.

        A relative path means "from where the command was typed"; papermill and kernels
        must never get the chance to reinterpret it from another working directory.
        """
        return Paths(*(Path(os.path.abspath(p)) for p in (self.raw, self.processed, self.reports)))
