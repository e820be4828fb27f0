"""Yearly survey of the responsibility system for party conduct and clean government.

Data flows one way, each layer importing only the layers before it:

    intake (returns -> checked table) -> figures (indicators, comparison) -> store (the
    processed folder) -> publish (words, charts, pages, workbook) ; build/plan/outputs run it

`paths` owns every folder and file name; `outputs` declares every output a build makes.
The public names below are loaded when first used, so `import analysis` (and
`python -m analysis --help`) costs nothing of pandas, matplotlib or Jupyter.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# name -> the module that defines it
_PUBLIC = {
    "AnalysisError": "analysis.findings",
    "Finding": "analysis.findings",
    "ReturnsError": "analysis.findings",
    "Paths": "analysis.paths",
    "YearResult": "analysis.figures.result",
    "build": "analysis.build",
    "validate": "analysis.build",
    "compare_years": "analysis.figures.compare",
    "compute_indicators": "analysis.figures.indicators",
    "percent_half_up": "analysis.figures.indicators",
    "load_catalogue": "analysis.catalogue",
    "load_instrument": "analysis.catalogue",
    "process_years": "analysis.pipeline",
}

__all__ = [
    "AnalysisError",
    "Finding",
    "Paths",
    "ReturnsError",
    "YearResult",
    "__version__",
    "build",
    "compare_years",
    "compute_indicators",
    "load_catalogue",
    "load_instrument",
    "percent_half_up",
    "process_years",
    "validate",
]

if TYPE_CHECKING:
    from analysis.build import build, validate
    from analysis.catalogue import load_catalogue, load_instrument
    from analysis.figures.compare import compare_years
    from analysis.figures.indicators import compute_indicators, percent_half_up
    from analysis.figures.result import YearResult
    from analysis.findings import AnalysisError, Finding, ReturnsError
    from analysis.paths import Paths
    from analysis.pipeline import process_years


def __getattr__(name: str) -> object:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
