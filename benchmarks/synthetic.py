"""Generated returns for benchmarks: any number of units and years, the same bytes every time.

The returns look like real ones at scale (the form's Chinese headers, a serial number and
remarks column, 是/否 answers with some blanks, counts that agree with "accountability
enforced", a few units joining and leaving each year), so the data stage does the work it
does on real returns. Nothing here is sample data: `data/raw/` is never touched.

    python benchmarks/synthetic.py OUT --units 20000 --years 2001 2004 [--format csv|xlsx|parquet]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.catalogue import load_instrument

UNIT_TYPES = ("党委机关", "国家机关", "人民团体", "中央企业", "金融机构", "事业单位")
TITLE = "中央单位党风廉政建设责任制落实情况一览表"
# Each year, this share of units is new (and as many leave), so years do not match exactly.
TURNOVER = 0.02
BLANK = 0.01  # share of answers left blank
BREACH = 0.005  # share of units whose answers break a consistency rule


def year_frame(year: int, units: int, seed: int = 0) -> pd.DataFrame:
    """One year's returns as the form's columns (Chinese headers), deterministic in (year, units, seed)."""
    instrument = load_instrument().for_year(year)
    rng = np.random.default_rng([seed, year, units])
    shift = int((year - 2000) * TURNOVER * units)  # units shift along a fixed list of names
    ids = np.arange(shift, shift + units)
    frame: dict[str, object] = {
        "序号": np.arange(1, units + 1),
        instrument.field("unit_name").label_zh: [f"单位{i:07d}" for i in ids],
        instrument.field("unit_type").label_zh: np.array(UNIT_TYPES, dtype=object)[ids % len(UNIT_TYPES)],
    }
    level = 0.55 + 0.05 * (year - 2000)  # shares rise year by year
    yes_no = [f for f in instrument.fields if f.kind == "yes_no"]
    answers = {f.name: rng.random(units) < min(level + 0.02 * k, 0.97) for k, f in enumerate(yes_no)}
    # Consistent as real returns mostly are: a follow-up question is yes only when the question
    # it depends on is, except for a few slips (BREACH) that the consistency rules must find.
    slip = rng.random(units) < BREACH
    answers["decomposition_layered"] &= answers["decomposition_plan"] | slip
    for follow_up in ("assessment_democratic_appraisal", "assessment_feedback", "assessment_results_applied"):
        answers[follow_up] &= answers["assessment_conducted"] | slip
    enforced = answers["accountability_enforced"]
    bureau = np.where(enforced, rng.integers(0, 3, units), 0)
    division = np.where(enforced, rng.integers(1, 6, units), 0)
    for spec in yes_no:
        text = np.where(answers[spec.name], "是", "否").astype(object)
        text[rng.random(units) < BLANK] = None
        frame[spec.label_zh] = text
    frame[instrument.field("cadres_accountable_bureau").label_zh] = bureau
    frame[instrument.field("cadres_accountable_division").label_zh] = division
    frame["备注"] = None
    return pd.DataFrame(frame)


def write_year(folder: Path, year: int, units: int, fmt: str = "csv", seed: int = 0) -> Path:
    """<folder>/<year>/returns-<year>.<fmt>: a CSV with UTF-8 BOM (as Excel saves it), an .xlsx
    with the form's title row, or a Parquet table."""
    frame = year_frame(year, units, seed)
    target = folder / str(year) / f"returns-{year}.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    elif fmt == "parquet":
        text = frame.astype({c: "string" for c in frame.columns})
        text.to_parquet(target, index=False, engine="pyarrow")
    elif fmt == "xlsx":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
        sheet = book.add_worksheet("一览表")
        sheet.write_row(0, 0, [TITLE])
        sheet.write_row(1, 0, list(frame.columns))
        for i, row in enumerate(frame.itertuples(index=False), start=2):
            sheet.write_row(i, 0, ["" if pd.isna(v) else v for v in row])
        book.close()
    else:
        raise ValueError(f"unknown format {fmt!r}: csv, xlsx or parquet")
    return target


def write_years(folder: Path, years: list[int], units: int, fmt: str = "csv", seed: int = 0) -> list[Path]:
    return [write_year(folder, year, units, fmt, seed) for year in years]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="raw folder to write <year>/ folders into (not data/raw)")
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--years", type=int, nargs=2, default=(2001, 2004), metavar=("FIRST", "LAST"))
    parser.add_argument("--format", default="csv", choices=("csv", "xlsx", "parquet"))
    args = parser.parse_args()
    for path in write_years(args.out, list(range(args.years[0], args.years[1] + 1)), args.units, args.format):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
