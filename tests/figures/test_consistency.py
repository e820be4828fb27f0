"""The instrument's consistency rules flag contradictions without changing any answer."""

from __future__ import annotations

from conftest import returns_frame, unit_row

from analysis.figures.consistency import rule_breaches


def test_a_clean_unit_breaks_no_rule(instrument):
    rows = [
        unit_row(
            "A",
            {
                "decomposition_plan",
                "decomposition_layered",
                "assessment_conducted",
                "assessment_feedback",
                "accountability_enforced",
            },
            cadres_accountable_bureau=1,
        )
    ]
    assert rule_breaches(returns_frame(rows, instrument), instrument).empty


def test_each_rule_is_flagged_with_the_unit(instrument):
    rows = [
        unit_row("layered-no-plan", {"decomposition_layered"}),
        unit_row("layered-blank-plan", {"decomposition_layered"}, blank={"decomposition_plan"}),
        unit_row("feedback-no-assessment", {"assessment_feedback", "assessment_results_applied"}),
        unit_row("enforced-no-cadres", {"accountability_enforced"}),
        unit_row("cadres-not-enforced", cadres_accountable_division=2),
        unit_row("fine", {"decomposition_plan"}),
    ]
    frame = returns_frame(rows, instrument)
    breaches = rule_breaches(frame, instrument)
    found = sorted(zip(breaches["unit_name"], breaches["rule"], strict=True))
    assert found == [
        ("cadres-not-enforced", "enforced_iff_cadres"),
        ("enforced-no-cadres", "enforced_iff_cadres"),
        ("feedback-no-assessment", "appraisal_needs_assessment"),
        ("feedback-no-assessment", "appraisal_needs_assessment"),
        ("layered-blank-plan", "layered_needs_plan"),
        ("layered-no-plan", "layered_needs_plan"),
    ]
    detail = breaches.set_index("unit_name").loc["layered-blank-plan", "detail"]
    assert detail == "decomposition_layered = yes, but decomposition_plan = no answer"
    # flagged, not fixed
    assert bool(frame.set_index("unit_name").loc["layered-no-plan", "decomposition_layered"]) is True


def test_sample_2004_is_consistent_and_2003_has_its_documented_breach():
    from conftest import SAMPLE_RAW

    from analysis.pipeline import process_years

    results = process_years(SAMPLE_RAW)
    assert results[2004].breaches.empty
    assert results[2003].breaches["unit_name"].tolist() == ["中央单位（十八）"]
