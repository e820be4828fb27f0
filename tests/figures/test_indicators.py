"""Indicators: half-up rounding, populations, and no answer kept in the base but never yes."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from conftest import returns_frame, unit_row

from analysis.catalogue import Catalogue
from analysis.figures.indicators import compute_indicators, percent_half_up
from analysis.pipeline import process_years


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 16, "6.3"),
        (3, 16, "18.8"),
        (5, 16, "31.3"),
        (7, 16, "43.8"),
        (1, 8, "12.5"),
        (23, 38, "60.5"),
        (21, 22, "95.5"),
        (17, 22, "77.3"),
        (0, 38, "0.0"),
        (38, 38, "100.0"),
    ],
)
def test_percent_rounds_half_up(numerator: int, denominator: int, expected: str):
    assert percent_half_up(numerator, denominator) == Decimal(expected)


def test_python_round_would_get_these_wrong():
    """Guards the reason for Decimal: round() gives 6.2 and 18.8 by banker's rule and binary floats."""
    assert round(1 / 16 * 100, 1) == 6.2
    assert percent_half_up(1, 16) == Decimal("6.3")


def test_zero_of_zero_has_no_percent():
    assert percent_half_up(0, 0) is None


def _get(table: pd.DataFrame, indicator: str, population: str = "all") -> tuple:
    row = table[(table["indicator"] == indicator) & (table["population"] == population)].iloc[0]
    return (
        row["numerator"],
        None if pd.isna(row["denominator"]) else row["denominator"],
        None if pd.isna(row["percent"]) else float(row["percent"]),
    )


def test_assessed_population_is_the_units_that_carried_out_an_assessment(instrument, catalogue):
    rows = [
        unit_row("A", {"assessment_conducted", "assessment_feedback", "assessment_results_applied"}),
        unit_row("B", {"assessment_conducted", "assessment_feedback"}),
        unit_row("C", {"assessment_conducted"}),
        unit_row("D", set()),
        unit_row("E", {"assessment_feedback"}, blank={"assessment_conducted"}),
    ]
    table = compute_indicators(returns_frame(rows, instrument), catalogue)
    assert _get(table, "assessment_feedback", "all") == (3, 5, 60.0)
    assert _get(table, "assessment_feedback", "assessed") == (2, 3, 66.7)
    assert _get(table, "assessment_results_applied", "assessed") == (1, 3, 33.3)


def test_no_answer_stays_in_the_denominator_and_is_not_yes(instrument, catalogue):
    rows = [unit_row("A", {"decomposition_plan"}), unit_row("B", blank={"decomposition_plan"}), unit_row("C")]
    table = compute_indicators(returns_frame(rows, instrument), catalogue)
    assert _get(table, "decomposition_plan") == (1, 3, 33.3)


def test_assessed_population_of_nobody_has_no_percent(instrument, catalogue):
    table = compute_indicators(returns_frame([unit_row("A"), unit_row("B")], instrument), catalogue)
    assert _get(table, "assessment_feedback", "assessed") == (0, 0, None)


def test_cadre_sums_and_blank_counts(instrument, catalogue):
    rows = [
        unit_row(
            "A", {"accountability_enforced"}, cadres_accountable_bureau=3, cadres_accountable_division=2
        ),
        unit_row("B", {"accountability_enforced"}, cadres_accountable_bureau=1),
        unit_row("C"),
    ]
    rows[2]["cadres_accountable_bureau"] = ""
    table = compute_indicators(returns_frame(rows, instrument), catalogue)
    assert _get(table, "cadres_accountable_bureau") == (4, None, None)
    assert _get(table, "cadres_accountable_division") == (2, None, None)
    assert _get(table, "cadres_accountable_total") == (6, None, None)
    assert _get(table, "units_surveyed") == (3, None, None)


def test_half_up_on_a_year_of_sixteen_units(write_year, tmp_path):
    """End to end from a CSV return: 1 of 16 is 6.3 and 3 of 16 is 18.8 in indicators.csv."""
    rows = [unit_row(f"单位{i:02d}", {"decomposition_plan"} if i < 1 else set()) for i in range(16)]
    for i in range(3):
        rows[i]["assessment_plan"] = "yes"
    raw = write_year(2010, rows)
    result = process_years(raw)[2010]
    assert _get(result.indicators, "decomposition_plan") == (1, 16, 6.3)
    assert _get(result.indicators, "assessment_plan") == (3, 16, 18.8)

    from analysis.build import write_year as write_outputs

    write_outputs(result, tmp_path / "processed")
    text = (tmp_path / "processed" / "2010" / "indicators.csv").read_text(encoding="utf-8")
    assert "decomposition_plan,all,1,16,6.3,True\n" in text
    assert "assessment_plan,all,3,16,18.8,True\n" in text
    assert "units_surveyed,all,16,,,True\n" in text


def test_adding_an_indicator_is_one_entry(instrument, catalogue):
    data = catalogue.model_dump()
    data["indicators"] = [
        *data["indicators"],
        {
            "id": "assessment_group_and_plan_any",
            "kind": "share",
            "link": "assessment",
            "fields": ["assessment_plan"],
            "populations": ["all", "assessed"],
            "label_en": "x",
            "label_zh": "x",
            "statement_en": "x",
            "gap_en": "x",
        },
    ]
    extended = Catalogue.model_validate(data)
    extended.check_against(instrument)
    rows = [
        unit_row("A", {"assessment_plan", "assessment_conducted"}),
        unit_row("B", {"assessment_plan"}),
        unit_row("C"),
    ]
    table = compute_indicators(returns_frame(rows, instrument), extended)
    assert _get(table, "assessment_group_and_plan_any", "all") == (2, 3, 66.7)
    assert _get(table, "assessment_group_and_plan_any", "assessed") == (1, 1, 100.0)
