"""The shipped sample reproduces every figure the published 2004 report states, exactly."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from conftest import GOLDEN, REPO

from analysis.paths import Paths

SHARED = REPO.parent / "shared" / "spec" / "published-2004.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_golden_copy_matches_the_published_spec():
    if not SHARED.exists():
        pytest.skip("../shared/spec is not beside this checkout")
    assert GOLDEN.read_bytes() == SHARED.read_bytes()


@pytest.fixture(scope="module")
def built(sample_tables: tuple[Paths, subprocess.CompletedProcess[str]]) -> Path:
    """The command line run exactly as the issue asks, building into a scratch folder
    (`python -m analysis build --raw data/raw --processed ... --reports ... --no-reports`, once
    per run: conftest's sample_tables)."""
    return sample_tables[0].processed


def test_every_published_figure_is_reproduced(built: Path):
    published = _rows(GOLDEN)
    assert len(published) == 18
    ours = _rows(built / "2004" / "indicators.csv")
    assert list(ours[0]) == ["indicator", "population", "numerator", "denominator", "percent", "asked"]
    assert {r["asked"] for r in ours} == {"True"}  # the 2004 form asked every question
    ours_by_key = {(r["indicator"], r["population"]): r for r in ours}
    for row in published:
        key = (row["indicator"], row["population"])
        assert key in ours_by_key, f"{key} missing from indicators.csv"
        got = ours_by_key[key]
        assert (got["numerator"], got["denominator"], got["percent"]) == (
            row["numerator"],
            row["denominator"],
            row["percent"],
        ), key
    assert len(ours) == len(published)


def test_the_text_about_named_units_holds(built: Path):
    """What the report says of the units it names: Xinhua has accountability rules, four units enforced."""
    import pandas as pd

    returns = pd.read_parquet(built / "2004" / "returns.parquet").set_index("unit_name")
    assert len(returns) == 38
    assert bool(returns.at["新华通讯社", "accountability_rules"]) is True
    enforced = returns[returns["accountability_enforced"].fillna(False)]
    assert len(enforced) == 4
    assert int(enforced["cadres_accountable_bureau"].sum()) == 11
    assert int(enforced["cadres_accountable_division"].sum()) == 1
    assert "新华通讯社" in enforced.index
