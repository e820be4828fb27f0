"""The tables a year page shows, as DataFrames of text: figures with their bases, data quality, provenance."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis.findings import Finding, sort_key, warnings
from analysis.publish.load import ReportData
from analysis.publish.text import (
    UNITS_LIST_SEPARATOR,
    base_text,
    change_text,
    figure_text,
    row_label,
    shown_path,
)

# The figures the published report opens with, one per link (its "basic situation").
SHOWN_ELSEWHERE = {"consistency", "no_answer"}  # finding kinds with their own data-quality tables


def link_table(data: ReportData, link: str) -> pd.DataFrame:
    """This year as 'k of n (p%)', the previous year and the change, for one link."""
    rows = data.rows_where(link=link)
    table = pd.DataFrame(
        {
            "Indicator": [row_label(data, r) for r in rows],
            "指标": [row_label(data, r, "zh") for r in rows],
            "Base": [base_text(data, r["population"]) if r["kind"] == "share" else "count of cadres, all units surveyed" for r in rows],
            str(data.year): [figure_text(r) for r in rows],
            "No answer": [str(r["no_answer"]) if r["kind"] == "share" else "" for r in rows],
        }
    )
    if data.previous_year is not None:
        table[str(data.previous_year)] = [figure_text(r, "previous_") for r in rows]
        table["Change"] = [change_text(r) for r in rows]
    return table


def glance_table(data: ReportData) -> pd.DataFrame:
    """The three links at a glance: the published report's opening figures, with the change."""
    headline = data.catalogue.headline()
    rows = [r for r in data.rows_where(population="all") if r["indicator"] in headline]
    table = pd.DataFrame(
        {
            "Link": [data.catalogue.links[r["link"]].label_en for r in rows],
            "环节": [data.catalogue.links[r["link"]].label_zh for r in rows],
            "Headline figure": [r["label_en"] for r in rows],
            str(data.year): [figure_text(r) for r in rows],
        }
    )
    if data.previous_year is not None:
        table[str(data.previous_year)] = [figure_text(r, "previous_") for r in rows]
        table["Change"] = [change_text(r) for r in rows]
    return table


def no_answer_table(data: ReportData) -> pd.DataFrame:
    """Per question: how many gave no answer, and who."""
    returns = data.result.returns
    rows = []
    for name in data.instrument.questions():
        spec = data.instrument.field(name)
        blank = list(returns.loc[returns[name].isna(), "unit_name"])
        rows.append((spec.label_en, spec.label_zh, f"{len(blank)} of {len(returns)} units", UNITS_LIST_SEPARATOR.join(blank)))
    return pd.DataFrame(rows, columns=["Question", "问题", "No answer", "Units"])


def rule_table(data: ReportData) -> pd.DataFrame:
    """Each consistency rule and how many units break it."""
    breaches = data.result.breaches
    rows = [(r.text_en, f"{int(breaches['rule'].eq(r.id).sum())} of {len(data.result.returns)} units") for r in data.instrument.consistency_rules]
    return pd.DataFrame(rows, columns=["Rule", "Units breaking it"])


def breach_table(data: ReportData) -> pd.DataFrame:
    breaches = data.result.breaches
    return pd.DataFrame({"Unit": list(breaches["unit_name"]), "Rule": list(breaches["text_en"]), "Answers": list(breaches["detail"])})


def other_warnings_table(data: ReportData) -> pd.DataFrame:
    """Warnings not shown in the tables above: skipped rows and files, duplicates, unknown columns."""
    shown = sorted((f for f in warnings(data.result.findings) if f.kind not in SHOWN_ELSEWHERE), key=sort_key)
    rows = [(f.where(), _finding_text(f)) for f in shown]
    return pd.DataFrame(rows, columns=["Where", "What"])


def _finding_text(finding: Finding) -> str:
    value = "" if finding.value is None else f"{finding.value}: "
    return f"{value}{finding.expected}"


def inputs_table(data: ReportData) -> pd.DataFrame:
    inputs = data.result.inputs
    return pd.DataFrame({"File": list(inputs["file"]), "Bytes": [str(b) for b in inputs["bytes"]], "SHA-256": list(inputs["sha256"])})


def parameters_table(data: ReportData) -> pd.DataFrame:
    given = data.parameters
    rows = [
        ("year", str(given["year"]), "the survey year reported on"),
        ("raw_dir", _given(given["raw_dir"], data.raw_dir), "folder of year folders holding the returns"),
        ("processed_dir", _given(given["processed_dir"], data.processed_dir), "folder of the processed tables"),
    ]
    return pd.DataFrame(rows, columns=["Parameter", "Value", "Meaning"])


def _given(value: object, resolved: Path) -> str:
    return f"default ({shown_path(resolved)})" if value is None else shown_path(resolved)


def software_table() -> pd.DataFrame:
    from analysis import __version__

    rows = [("analysis (this package)", __version__), ("Python", platform.python_version())]
    rows += [(name, metadata.version(name)) for name in ("pandas", "matplotlib", "seaborn", "mplfonts")]
    return pd.DataFrame(rows, columns=["Software", "Version"])

