"""Yearly survey of the responsibility system for party conduct and clean government.

The public API: process returns into indicators, compare years, build the outputs.
"""

from analysis.build import build, validate
from analysis.catalogue import load_catalogue, load_instrument
from analysis.figures.compare import compare_years
from analysis.figures.indicators import compute_indicators, percent_half_up
from analysis.findings import AnalysisError, Finding, ReturnsError
from analysis.paths import Paths
from analysis.pipeline import YearResult, process_years

__version__ = "0.1.0"

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
