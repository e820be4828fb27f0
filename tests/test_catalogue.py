"""The instrument and catalogue files load, fit each other and reject what they do not know."""

from __future__ import annotations

import csv

import pytest
from conftest import GOLDEN
from pydantic import ValidationError

from analysis.catalogue import Catalogue, Instrument


def test_every_published_indicator_is_declared(catalogue):
    with GOLDEN.open(encoding="utf-8") as handle:
        published = {(r["indicator"], r["population"]) for r in csv.DictReader(handle)}
    declared = {(i.id, p) for i in catalogue.indicators for p in i.populations}
    assert declared == published


def test_every_indicator_belongs_to_a_link_and_shares_say_their_gap(catalogue):
    assert {i.link for i in catalogue.indicators} == {
        "overview",
        "decomposition",
        "assessment",
        "accountability",
    }
    for indicator in catalogue.indicators:
        if indicator.kind == "share":
            assert indicator.gap_en and indicator.label_zh


def test_instrument_has_the_sixteen_fields_with_their_chinese_headers(instrument):
    assert len(instrument.fields) == 16
    assert instrument.field("decomposition_plan").label_zh == "制定责任分解方案"
    assert instrument.names("count") == ["cadres_accountable_bureau", "cadres_accountable_division"]


def test_unknown_keys_are_rejected(catalogue, instrument):
    data = catalogue.model_dump()
    data["indicators"] = [
        data["indicators"][0],
        {**data["indicators"][1], "labl_en": "typo"},
        *data["indicators"][2:],
    ]
    with pytest.raises(ValidationError, match="labl_en"):
        Catalogue.model_validate(data)
    fields = instrument.model_dump()
    fields["fields"] = [{**fields["fields"][0], "kind": "date"}, *fields["fields"][1:]]
    with pytest.raises(ValidationError):
        Instrument.model_validate(fields)


def test_an_indicator_on_an_unknown_field_is_refused(catalogue, instrument):
    data = catalogue.model_dump()
    data["indicators"] = [
        *data["indicators"],
        {
            "id": "nope",
            "kind": "share",
            "link": "assessment",
            "label_en": "x",
            "label_zh": "x",
            "statement_en": "x",
            "gap_en": "x",
        },
    ]
    with pytest.raises(ValueError, match="indicator nope needs a yes_no field, got nope"):
        Catalogue.model_validate(data).check_against(instrument)


def test_the_headline_is_declared_in_the_catalogue(catalogue):
    assert catalogue.headline() == [
        "decomposition_layered",
        "assessment_conducted",
        "accountability_enforced",
        "cadres_accountable_total",
    ]
