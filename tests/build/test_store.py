"""The processed folder has one owner, and a report is made from what the build wrote there."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_RAW

from analysis.paths import Paths
from analysis.pipeline import process_years
from analysis.publish.render import render_year
from analysis.store import TABLE_TYPES, read_year, write_year


@pytest.fixture(scope="module")
def built(sample_tables: tuple[Paths, object]) -> Paths:
    """The shipped sample's processed tables, built once per run (conftest). Only read here."""
    return sample_tables[0]


def test_the_figures_are_written_with_the_column_types_the_store_declares():
    """The figures modules make typed frames; the store declares the same types for reading back."""
    result = process_years(SAMPLE_RAW)[2004]
    frames = {
        "indicators.csv": result.indicators,
        "comparison.csv": result.comparison,
        "breaches.csv": result.breaches,
        "no_answers.csv": result.no_answers,
    }
    for name, frame in frames.items():
        declared = TABLE_TYPES[name]
        assert list(frame.columns) == list(declared), name
        for column, dtype in declared.items():
            if dtype != "string":  # text may be str or string in memory; both write the same CSV
                assert str(frame[column].dtype) == dtype, (name, column)


def test_a_year_read_back_is_the_year_written(built: Paths, tmp_path: Path):
    written = process_years(SAMPLE_RAW)[2004]
    back = read_year(built.processed, 2004, 2003)
    for name in ("indicators", "comparison", "no_answers", "inputs"):
        pd.testing.assert_frame_equal(
            getattr(back, name), getattr(written, name), check_dtype=False, obj=name
        )
    assert back.findings == sorted(
        written.findings,
        key=lambda f: (f.file, f.sheet or "", f.row if f.row is not None else -1, f.column or "", f.expected),
    )
    write_year(back, tmp_path)
    for path in sorted((tmp_path / "2004").iterdir()):  # written again from what was read: the same bytes
        assert path.read_bytes() == (built.processed / "2004" / path.name).read_bytes(), path.name


def test_the_report_reads_its_figures_and_tables_from_the_processed_folder(built: Paths, tmp_path: Path):
    """Tables edited after the build (the returns untouched) show in the page: nothing is recomputed.

    Each edited value is one the returns cannot give, in a comparison, a rule breach and a
    no-answer count: a report that recomputed any of them would show the true value instead.
    (A figure of the year itself cannot be edited so: the units listed behind each gap are
    checked against it, and the report stops when they disagree.)
    """
    processed = tmp_path / "p"
    folder = processed / "2004"
    folder.parent.mkdir()
    for year in (2003, 2004):
        (processed / str(year)).mkdir()
        for source in (built.processed / str(year)).iterdir():
            (processed / str(year) / source.name).write_bytes(source.read_bytes())
    comparison = (folder / "comparison.csv").read_text(encoding="utf-8")
    true_row = "decomposition_layered,all,23,38,60.5,2003,18,38,47.4,5,13.1,True,True"
    assert true_row in comparison
    (folder / "comparison.csv").write_text(
        comparison.replace(
            true_row, "decomposition_layered,all,23,38,60.5,2003,11,38,28.9,12,31.6,True,True"
        ),
        encoding="utf-8",
    )
    breaches = (folder / "breaches.csv").read_text(encoding="utf-8")
    (folder / "breaches.csv").write_text(
        breaches + "中央单位（一）,layered_needs_plan,A rule written by the test,planted by the test\n",
        encoding="utf-8",
    )
    no_answers = (folder / "no_answers.csv").read_text(encoding="utf-8")
    (folder / "no_answers.csv").write_text(
        no_answers.replace("decomposition_plan,all,0,38", "decomposition_plan,all,17,38"), encoding="utf-8"
    )
    paths = Paths(SAMPLE_RAW, processed, tmp_path / "r")
    page = render_year(2004, paths).html.read_text(encoding="utf-8")
    assert "11 of 38 (28.9%)" in page and "+31.6 pp" in page  # the previous year's figure, as written
    assert "18 of 38 (47.4%)" not in page
    record = (tmp_path / "r" / "2004-record.html").read_text(encoding="utf-8")  # data quality, provenance
    assert "planted by the test" in record
    assert '<td class="num more" data-label="No answer: ">17</td>' in page  # beside each figure
    assert "The figures were read from the processed tables" in record
