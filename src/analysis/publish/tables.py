"""The tables a year page shows, as DataFrames of text: figures with their bases, data quality, provenance.

Column headers and fixed cells are the wording catalogue's; a column's header is its name in
the frame, so `header("change")` finds it again.
"""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis.figures.indicators import blank_units
from analysis.findings import Finding, sort_key, warnings
from analysis.publish.load import ReportData
from analysis.publish.shapes import breaches_per_rule
from analysis.publish.text import (
    base_text,
    change_text,
    count_base_text,
    figure_text,
    row_label,
    shown_path,
    units_list,
)
from analysis.publish.wording import say

SHOWN_ELSEWHERE = {"consistency", "no_answer"}  # finding kinds with their own data-quality tables
# Columns of Chinese text (unit names above all), marked so browsers pick a Chinese font.
ZH_COLUMNS = ("indicator_zh", "link_zh", "question_zh", "units", "unit")
SOFTWARE = ("pandas", "matplotlib", "seaborn", "mplfonts")


def header(key: str) -> str:
    """A column's header, as the page shows it and as the frame names the column."""
    return say(f"column.{key}")


def units_of(k: int, n: int) -> str:
    return say("figure.units_of", k=k, n=n)


def link_table(data: ReportData, link: str) -> pd.DataFrame:
    """This year as 'k of n (p%)', the previous year and the change, for one link."""
    rows = data.rows_where(link=link)
    table = pd.DataFrame(
        {
            header("indicator"): [row_label(data, r) for r in rows],
            header("indicator_zh"): [row_label(data, r, "zh") for r in rows],
            header("base"): [base_text(data, r["population"]) if r["kind"] == "share" else count_base_text(data, r) for r in rows],
            str(data.year): [figure_text(r) for r in rows],
            header("no_answer"): [str(r["no_answer"]) if r["kind"] == "share" else "" for r in rows],
        }
    )
    return _with_previous_year(data, table, rows)


def glance_table(data: ReportData) -> pd.DataFrame:
    """The three links at a glance: the published report's opening figures, with the change."""
    headline = data.catalogue.headline()
    rows = [r for r in data.rows_where(population="all") if r["indicator"] in headline]
    table = pd.DataFrame(
        {
            header("link"): [data.catalogue.links[r["link"]].label_en for r in rows],
            header("link_zh"): [data.catalogue.links[r["link"]].label_zh for r in rows],
            header("headline"): [r["label_en"] for r in rows],
            str(data.year): [figure_text(r) for r in rows],
        }
    )
    return _with_previous_year(data, table, rows)


def _with_previous_year(data: ReportData, table: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """The previous year's figures and the change beside this year's, when there is a previous year."""
    if data.previous_year is not None:
        table[str(data.previous_year)] = [figure_text(r, "previous_") for r in rows]
        table[header("change")] = [change_text(r) for r in rows]
    return table


def figure_columns(data: ReportData) -> tuple[str, ...]:
    """The columns of figures, set right-aligned."""
    years = [str(data.year)] + ([str(data.previous_year)] if data.previous_year is not None else [])
    return (*years, header("no_answer"), header("change"))


def no_answer_table(data: ReportData) -> pd.DataFrame:
    """Per question: how many gave no answer, and who."""
    returns = data.result.returns
    rows = []
    for name in data.instrument.questions():
        spec = data.instrument.field(name)
        blank = blank_units(returns, name)
        rows.append((spec.label_en, spec.label_zh, units_of(len(blank), len(returns)), units_list(blank)))
    return pd.DataFrame(rows, columns=[header("question"), header("question_zh"), header("no_answer"), header("units")])


def rule_table(data: ReportData) -> pd.DataFrame:
    """Each consistency rule and how many units break it."""
    counts, units = breaches_per_rule(data), len(data.result.returns)
    rows = [(r.text_en, units_of(counts[r.id], units)) for r in data.instrument.consistency_rules]
    return pd.DataFrame(rows, columns=[header("rule"), header("units_breaking")])


def breach_table(data: ReportData) -> pd.DataFrame:
    breaches = data.result.breaches
    return pd.DataFrame(
        {header("unit"): list(breaches["unit_name"]), header("rule"): list(breaches["text_en"]), header("answers"): list(breaches["detail"])}
    )


def other_warnings_table(data: ReportData) -> pd.DataFrame:
    """Warnings not shown in the tables above: skipped rows and files, duplicates, unknown columns."""
    shown = sorted((f for f in warnings(data.result.findings) if f.kind not in SHOWN_ELSEWHERE), key=sort_key)
    rows = [(f.where(), _finding_text(f)) for f in shown]
    return pd.DataFrame(rows, columns=[header("where"), header("what")])


def _finding_text(finding: Finding) -> str:
    if finding.value is None:
        return finding.expected
    return say("finding.with_value", value=finding.value, expected=finding.expected)


def inputs_table(data: ReportData) -> pd.DataFrame:
    inputs = data.result.inputs
    return pd.DataFrame(
        {header("file"): list(inputs["file"]), header("bytes"): [str(b) for b in inputs["bytes"]], header("sha256"): list(inputs["sha256"])}
    )


def parameters_table(data: ReportData) -> pd.DataFrame:
    given = data.parameters
    rows = [
        ("year", str(given["year"]), say("parameter.year")),
        ("raw_dir", _given(given["raw_dir"], data.raw_dir), say("parameter.raw_dir")),
        ("processed_dir", _given(given["processed_dir"], data.processed_dir), say("parameter.processed_dir")),
    ]
    return pd.DataFrame(rows, columns=[header("parameter"), header("value"), header("meaning")])


def _given(value: object, resolved: Path) -> str:
    return say("parameter.default", path=shown_path(resolved)) if value is None else shown_path(resolved)


def software_table() -> pd.DataFrame:
    from analysis import __version__

    rows = [(say("software.this_package"), __version__), ("Python", platform.python_version())]
    rows += [(name, metadata.version(name)) for name in SOFTWARE]
    return pd.DataFrame(rows, columns=[header("software"), header("version")])
