"""What the data side gives for one year: the product every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.findings import Finding


@dataclass
class YearResult:
    """Everything the outputs and the report of one year are made from."""

    year: int
    returns: pd.DataFrame
    indicators: pd.DataFrame
    breaches: pd.DataFrame
    no_answers: pd.DataFrame
    inputs: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    comparison: pd.DataFrame | None = None
    previous_year: int | None = None
