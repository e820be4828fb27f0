"""The teams' workbook: every year's tables in one Excel file, `reports/tables.xlsx`.

Reviewers read the HTML; teams filter, sort and copy figures, and for that a spreadsheet
is the tool. The workbook is made from the processed folder only (`store.read_year`),
never from the returns, so it holds exactly the figures of `indicators.csv` and the pages.

Shaping and writing are kept apart: each sheet is a `Table` (a DataFrame with bilingual
column headers and a kind per column) made by a pure function; `write_workbook` only lays
them out. What the writer promises, and why:

- numbers are numbers: percentages are the fraction (0.605) shown with a percent format,
  so a team can compute with them; a figure with no value (not asked, no units in the
  base) is an empty cell, never 0, with the reason in a status column;
- no formula anywhere: every text is written as a string cell, and text a spreadsheet
  would read as a formula (`= + - @`, tab, CR) also carries Excel's quote prefix, so even
  editing the cell keeps it text. The name stays as returned (no apostrophe is added);
- the same inputs give the same bytes: the creation time is fixed (SOURCE_DATE_EPOCH, or
  a constant) and no path of the machine is written.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Literal

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from analysis import store
from analysis.catalogue import Catalogue, Instrument, load_catalogue, load_instrument
from analysis.figures.indicators import population_mask
from analysis.figures.trends import turned_no
from analysis.findings import sort_key
from analysis.pipeline import YearResult

WORKBOOK = "tables.xlsx"
# When SOURCE_DATE_EPOCH is not set: the workbook's creation time must not be the clock's.
FIXED_CREATED = datetime(2005, 1, 1, tzinfo=UTC)
MAX_WIDTH = 60  # characters (a Chinese character counts 2); longer text wraps
# Excel holds at most this many characters in a cell (XlsxWriter silently cuts a longer string):
# a list of names longer than that continues on the rows below its figures.
CELL_LIMIT = 32_767
# Above this many cells the workbook is written row by row (XlsxWriter's constant_memory mode).
CELLS_IN_MEMORY = 200_000
MIN_WIDTH = 6
SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
LIST_SEPARATOR = "、"

YES, NO, NOT_ASKED_ANSWER = "是", "否", "未调查"
NOT_ASKED = "未调查 not asked"
NO_BASE = "基数为0 no units in the base"
NO_PREVIOUS = "无上年 no previous year"
NEW_THIS_YEAR = "今年新增 new this year"
PREVIOUS_NOT_ASKED = "上年未调查 not asked the previous year"
NOT_COMPARABLE = "不可比 no units in one year's base"

Kind = Literal["text", "integer", "change", "percent", "points"]


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key in the frame, its headers in Chinese and English, its kind."""

    key: str
    zh: str
    en: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """A block of a sheet: two header rows (Chinese, then English) over the frame's rows."""

    columns: tuple[Column, ...]
    frame: pd.DataFrame


@dataclass(frozen=True)
class Sheet:
    """A worksheet and what the About sheet says it holds."""

    name: str
    holds_zh: str
    holds_en: str
    tables: tuple[Table, ...] = field(default=())


# --- reading ------------------------------------------------------------------------------


def read_years(processed: Path, years: list[int]) -> dict[int, YearResult]:
    """Every year as the build wrote it; each compared with the latest earlier year in `years`."""
    ordered = sorted(set(years))
    return {y: store.read_year(processed, y, ordered[i - 1] if i else None) for i, y in enumerate(ordered)}


# --- shaping: one pure function per sheet ---------------------------------------------------

YEAR = Column("year", "年份", "year", "integer")
PREVIOUS_YEAR = Column("previous_year", "上年", "previous year", "integer")
FIGURE_COLUMNS = (
    Column("numerator", "计数", "count (k)", "integer"),
    Column("denominator", "基数", "base (n)", "integer"),
    Column("percent", "比例", "percent", "percent"),
)
LABEL_COLUMNS = (
    Column("link_zh", "环节", "link (Chinese)"),
    Column("link_en", "环节（英文）", "link"),
    Column("indicator", "指标代码", "indicator id"),
    Column("indicator_zh", "指标", "indicator (Chinese)"),
    Column("indicator_en", "指标（英文）", "indicator"),
    Column("population", "基数代码", "base id"),
    Column("population_zh", "基数", "base (Chinese)"),
    Column("population_en", "基数（英文）", "base"),
)
STATUS = Column("status", "说明", "note")


def _asked(frame: pd.DataFrame, column: str = "asked") -> list[bool]:
    """The `asked` flags of a table; a table written before the flag existed was all asked."""
    if column not in frame.columns:
        return [True] * len(frame)
    return [True if pd.isna(v) else bool(v) for v in frame[column]]


def _number(value: object) -> object:
    return None if value is None or pd.isna(value) else value


def fraction(percent: object) -> float | None:
    """60.5 (as indicators.csv states it) -> 0.605, the number a percent format shows as 60.5%.

    Through Decimal, so the stored number is the double nearest 0.605, not 60.5/100's.
    """
    if percent is None or pd.isna(percent):
        return None
    return float(Decimal(str(percent)) / 100)


def labels(catalogue: Catalogue, indicator_id: str, population: str) -> dict[str, str]:
    """The Chinese and English words of an indicator, its link and its base, from the catalogue."""
    found = next((i for i in catalogue.indicators if i.id == indicator_id), None)
    link = catalogue.links.get(found.link) if found else None
    base = catalogue.populations.get(population)
    return {
        "link_zh": link.label_zh if link else "",
        "link_en": link.label_en if link else "",
        "indicator": indicator_id,
        "indicator_zh": found.label_zh if found else indicator_id,
        "indicator_en": found.label_en if found else indicator_id,
        "population": population,
        "population_zh": base.label_zh if base else population,
        "population_en": base.label_en if base else population,
    }


def indicators_long(results: dict[int, YearResult], catalogue: Catalogue) -> Table:
    """Every indicator of every year, one row each: indicators.csv of all years, labelled."""
    rows = []
    for year, result in sorted(results.items()):
        frame = result.indicators
        for record, asked in zip(frame.to_dict("records"), _asked(frame), strict=True):
            status = NOT_ASKED if not asked else NO_BASE if _number(record["denominator"]) == 0 else ""
            rows.append({
                "year": year,
                **labels(catalogue, record["indicator"], record["population"]),
                "numerator": _number(record["numerator"]) if asked else None,
                "denominator": _number(record["denominator"]) if asked else None,
                "percent": fraction(record["percent"]) if asked else None,
                "status": status,
            })
    columns = (YEAR, *LABEL_COLUMNS, *FIGURE_COLUMNS, STATUS)
    return Table(columns, pd.DataFrame(rows, columns=[c.key for c in columns]))


def indicators_wide(long: Table, years: list[int]) -> Table:
    """One row per indicator and base, each year's count, base and percent side by side."""
    frame = long.frame
    keys = ["indicator", "population"]
    label_keys = [c.key for c in LABEL_COLUMNS]
    order = frame.drop_duplicates(keys)[label_keys]
    rows = []
    for record in order.to_dict("records"):
        row = dict(record)
        not_asked = []
        for year in years:
            hit = frame[frame["year"].eq(year) & frame["indicator"].eq(record["indicator"]) & frame["population"].eq(record["population"])]
            figures = hit.iloc[0].to_dict() if len(hit) else {}
            for column in FIGURE_COLUMNS:
                row[f"{column.key}_{year}"] = _number(figures.get(column.key))
            if figures.get("status") == NOT_ASKED:
                not_asked.append(str(year))
        row["status"] = f"{NOT_ASKED}: {', '.join(not_asked)}" if not_asked else ""
        rows.append(row)
    per_year = tuple(Column(f"{c.key}_{y}", f"{y}年 {c.zh}", f"{y} {c.en}", c.kind) for y in years for c in FIGURE_COLUMNS)
    columns = (*LABEL_COLUMNS, *per_year, STATUS)
    return Table(columns, pd.DataFrame(rows, columns=[c.key for c in columns]))


def comparison_table(results: dict[int, YearResult], catalogue: Catalogue) -> Table:
    """comparison.csv of every year: each figure beside the previous year's and the change."""
    rows = []
    for year, result in sorted(results.items()):
        frame = result.comparison if result.comparison is not None else pd.DataFrame()
        asked, previous_asked = _asked(frame), _asked(frame, "previous_asked")
        for record, now, before in zip(frame.to_dict("records"), asked, previous_asked, strict=True):
            has_previous = _number(record["previous_year"]) is not None
            if not now:
                status = NOT_ASKED
            elif not has_previous:
                status = NO_PREVIOUS
            elif not before:
                status = NEW_THIS_YEAR
            elif 0 in (_number(record["denominator"]), _number(record["previous_denominator"])):
                status = NOT_COMPARABLE
            else:
                status = ""
            rows.append({
                "year": year,
                **labels(catalogue, record["indicator"], record["population"]),
                "numerator": _number(record["numerator"]) if now else None,
                "denominator": _number(record["denominator"]) if now else None,
                "percent": fraction(record["percent"]) if now else None,
                "previous_year": _number(record["previous_year"]),
                "previous_numerator": _number(record["previous_numerator"]) if before else None,
                "previous_denominator": _number(record["previous_denominator"]) if before else None,
                "previous_percent": fraction(record["previous_percent"]) if before else None,
                "change_numerator": _number(record["change_numerator"]) if now and before else None,
                "change_pp": _number(record["change_pp"]) if now and before else None,
                "status": status,
            })
    columns = (
        YEAR, *LABEL_COLUMNS, *FIGURE_COLUMNS, PREVIOUS_YEAR,
        Column("previous_numerator", "上年计数", "previous count", "integer"),
        Column("previous_denominator", "上年基数", "previous base", "integer"),
        Column("previous_percent", "上年比例", "previous percent", "percent"),
        Column("change_numerator", "计数变化", "change in count", "change"),
        Column("change_pp", "比例变化（百分点）", "change (percentage points)", "points"),
        STATUS,
    )
    return Table(columns, pd.DataFrame(rows, columns=[c.key for c in columns]))


def _answer(value: object, asked: bool) -> str:
    if not asked:
        return NOT_ASKED_ANSWER
    return "" if value is None or pd.isna(value) else (YES if value else NO)


def answers_table(results: dict[int, YearResult], instrument: Instrument) -> Table:
    """Every unit's answers, year by year: 是 / 否 / blank (no answer) / 未调查 (not asked)."""
    questions = [instrument.field(n) for n in instrument.names("yes_no")]
    counts = [instrument.field(n) for n in instrument.names("count")]
    rows = []
    for year, result in sorted(results.items()):
        for unit in result.returns.to_dict("records"):
            row: dict[str, object] = {"year": year, "unit_name": unit["unit_name"], "unit_type": _number(unit.get("unit_type"))}
            for spec in questions:
                row[spec.name] = _answer(unit.get(spec.name), spec.asked_in(year))
            for spec in counts:
                row[spec.name] = _number(unit.get(spec.name)) if spec.asked_in(year) else None
            row["source_file"] = _number(unit.get("source_file"))
            row["source_row"] = _number(unit.get("source_row"))
            rows.append(row)
    columns = (
        YEAR,
        Column("unit_name", "单位名称", "unit"),
        Column("unit_type", "单位类别", "kind of unit"),
        *(Column(s.name, s.short_zh or s.label_zh, s.short_en or s.label_en) for s in questions),
        *(Column(s.name, s.short_zh or s.label_zh, s.short_en or s.label_en, "integer") for s in counts),
        Column("source_file", "来源文件", "file returned"),
        Column("source_row", "来源行号", "row in that file", "integer"),
    )
    return Table(columns, pd.DataFrame(rows, columns=[c.key for c in columns]))


def follow_up_table(results: dict[int, YearResult], instrument: Instrument) -> Table:
    """Units that answered yes the previous year and no this year: whom to ask what changed."""
    fields = instrument.names("yes_no")
    turned = turned_no({y: r.returns for y, r in results.items()}, fields)
    rows = []
    for record in turned.to_dict("records"):
        spec = instrument.field(record["field"])
        rows.append({**record, "question_zh": spec.label_zh, "question_en": spec.label_en})
    columns = (
        YEAR, PREVIOUS_YEAR,
        Column("unit_name", "单位名称", "unit"),
        Column("field", "问题代码", "question id"),
        Column("question_zh", "问题", "question (Chinese)"),
        Column("question_en", "问题（英文）", "question"),
    )
    return Table(columns, pd.DataFrame(rows, columns=[c.key for c in columns]))


def counted_units(returns: pd.DataFrame, catalogue: Catalogue, indicator_id: str, population: str) -> tuple[list[str], list[str], list[str]]:
    """The units a share counts as yes, those that answered no, and those that gave no answer.

    The same rule as the figure (`population_mask`, blank is not yes), in return order; the
    three lists do not overlap, as the pages list them (a gap counts the no answers only).
    """
    field_name = catalogue.get(indicator_id).field
    units = returns[population_mask(returns, catalogue, population)]
    yes = units[field_name].fillna(False).astype(bool)
    blank = units[field_name].isna()
    return list(units.loc[yes, "unit_name"]), list(units.loc[~yes & ~blank, "unit_name"]), list(units.loc[blank, "unit_name"])


def counted_units_table(results: dict[int, YearResult], catalogue: Catalogue) -> Table:
    """Per year, share and base: the units behind the count, named, so every figure can be traced.

    Raises ValueError if a list does not add up to the figure in indicators.csv: a workbook
    whose names contradict its numbers must not be written.
    """
    shares = {i.id for i in catalogue.indicators if i.kind == "share"}
    rows = []
    for year, result in sorted(results.items()):
        frame = result.indicators
        for record, asked in zip(frame.to_dict("records"), _asked(frame), strict=True):
            if record["indicator"] not in shares or not asked:
                continue
            yes, said_no, blank = counted_units(result.returns, catalogue, record["indicator"], record["population"])
            if (len(yes), len(yes) + len(said_no) + len(blank)) != (record["numerator"], record["denominator"]):
                raise ValueError(
                    f"{year} {record['indicator']} ({record['population']}): "
                    f"{len(yes)} of {len(yes) + len(said_no) + len(blank)} units named, "
                    f"but indicators.csv says {record['numerator']} of {record['denominator']}"
                )
            named = labels(catalogue, record["indicator"], record["population"])
            parts = [cell_parts(names) for names in (yes, said_no, blank)]
            for n in range(max(map(len, parts))):
                first = n == 0  # the figures once, on the list's first row: a continuation row adds nothing to sum
                rows.append({
                    "year": year,
                    **named,
                    "numerator": record["numerator"] if first else None,
                    "denominator": record["denominator"] if first else None,
                    "percent": fraction(record["percent"]) if first else None,
                    **{key: part[n] if n < len(part) else "" for key, part in zip(("counted", "said_no", "no_answer"), parts, strict=True)},
                })
    columns = (
        YEAR, *LABEL_COLUMNS, *FIGURE_COLUMNS,
        Column("counted", "计为“是”的单位", "units counted (yes)"),
        Column("said_no", "回答“否”的单位", "units that answered no"),
        Column("no_answer", "未填报的单位", "units that gave no answer"),
    )
    return Table(columns, pd.DataFrame(rows, columns=[c.key for c in columns]))


def cell_parts(names: list[str], limit: int = CELL_LIMIT) -> list[str]:
    """Names joined by 、 into as few cells as hold them all, each within Excel's `limit`, in order.

    One cell for any list of a few hundred names (so the sample's sheet is as it always was);
    a year of 20,000 units needs several, and a cut cell would silently lose names.
    """
    parts, current, size = [], [], 0
    for name in names:
        grown = size + len(name) + (len(LIST_SEPARATOR) if current else 0)
        if current and grown > limit:
            parts.append(LIST_SEPARATOR.join(current))
            current, grown = [], len(name)
        current.append(name)
        size = grown
    return [*parts, LIST_SEPARATOR.join(current)]


SEVERITY = {"warning": "警告 warning", "error": "错误 error"}


def quality_table(results: dict[int, YearResult]) -> Table:
    """Each year's findings (findings.csv): what to check with the units, never silently fixed."""
    rows = []
    for year, result in sorted(results.items()):
        for finding in sorted(result.findings, key=sort_key):
            rows.append({
                "year": year,
                "severity": SEVERITY.get(finding.severity, finding.severity),
                "kind": finding.kind,
                "unit": finding.unit,
                "file": finding.file,
                "sheet": finding.sheet,
                "row": finding.row,
                "column": finding.column,
                "value": finding.value,
                "expected": finding.expected,
            })
    columns = (
        YEAR,
        Column("severity", "级别", "severity"),
        Column("kind", "类别", "kind"),
        Column("unit", "单位", "unit"),
        Column("file", "文件", "file"),
        Column("sheet", "工作表", "sheet"),
        Column("row", "行号", "row", "integer"),
        Column("column", "列", "column"),
        Column("value", "填报值", "value"),
        Column("expected", "说明（英文）", "what was found or expected"),
    )
    return Table(columns, pd.DataFrame(rows, columns=[c.key for c in columns]))


def about_tables(results: dict[int, YearResult], sheets: list[Sheet]) -> tuple[Table, ...]:
    """What the workbook is, what each sheet holds and the files every figure comes from (SHA-256)."""
    from analysis import __version__

    years = sorted(results)
    facts = [
        ("调查年份", "survey years", ", ".join(map(str, years))),
        ("数据来源", "made from", "data/processed/<年份 year>/: indicators.csv, comparison.csv, returns.parquet, findings.csv, inputs.csv"),
        ("比例", "percentages", "以数值保存，按百分比显示（0.605显示为60.5%） stored as numbers, shown as percent (0.605 shows as 60.5%)"),
        ("空白单元格", "empty cells", "未调查、基数为0或未填报，不计为0 not asked, no units in the base, or no answer; never 0"),
        ("未填报", "no answer", "计入基数，不计为“是” stays in the base and is not counted as yes"),
        ("软件", "made by", f"analysis {__version__}, XlsxWriter {metadata.version('xlsxwriter')}"),
    ]
    fact_table = Table(
        (Column("item_zh", "项目", "item (Chinese)"), Column("item_en", "项目（英文）", "item"), Column("value", "内容", "value")),
        pd.DataFrame(facts, columns=["item_zh", "item_en", "value"]),
    )
    sheet_table = Table(
        (Column("sheet", "工作表", "sheet"), Column("holds_zh", "内容", "contents (Chinese)"), Column("holds_en", "内容（英文）", "contents")),
        pd.DataFrame([(s.name, s.holds_zh, s.holds_en) for s in sheets], columns=["sheet", "holds_zh", "holds_en"]),
    )
    inputs = [
        {"year": y, "file": f, "sha256": h, "bytes": b}
        for y in years
        for f, h, b in zip(results[y].inputs["file"], results[y].inputs["sha256"], results[y].inputs["bytes"], strict=True)
    ]
    input_table = Table(
        (YEAR, Column("file", "原始文件", "file returned"), Column("sha256", "SHA-256", "SHA-256"), Column("bytes", "字节数", "bytes", "integer")),
        pd.DataFrame(inputs, columns=["year", "file", "sha256", "bytes"]),
    )
    return fact_table, sheet_table, input_table


def workbook_sheets(results: dict[int, YearResult], catalogue: Catalogue, instrument: Instrument) -> list[Sheet]:
    """Every sheet of the workbook, in order, the About sheet first."""
    years = sorted(results)
    long = indicators_long(results, catalogue)
    sheets = [
        Sheet("指标 Indicators (long)", "每年每项指标一行：计数、基数、比例（indicators.csv）",
              "one row per year and indicator: count, base, percent (indicators.csv)", (long,)),
        Sheet("指标对比 Indicators (wide)", "每项指标一行，各年并列", "one row per indicator, the years side by side",
              (indicators_wide(long, years),)),
        Sheet("比上年 Comparison", "每年与上一调查年度比较，变化以百分点表示（comparison.csv）",
              "each year beside the previous survey year, changes in percentage points (comparison.csv)",
              (comparison_table(results, catalogue),)),
        Sheet("各单位填报 Answers", "各单位每年的答案：是、否、空白（未填报）、未调查",
              "every unit's answers by year: yes, no, blank (no answer), not asked", (answers_table(results, instrument),)),
        Sheet("跟踪名单 Follow-up", "上年答“是”、今年答“否”的单位和问题（空白不算“否”）",
              "units that answered yes the previous year and no this year, by question (blank is not no)",
              (follow_up_table(results, instrument),)),
        Sheet("计数单位 Counted units", "每个比例计为“是”、回答“否”和未填报的单位名单；名单超出一个单元格（32767字）时接续在下方各行，计数、基数、比例只列在第一行",
              "for every share, the units it counts as yes, those that answered no and those that gave no answer; a list longer than a cell holds (32,767 characters) "
              "continues on the rows below, with the count, base and percent on its first row only", (counted_units_table(results, catalogue),)),
        Sheet("数据质量 Data quality", "每年的数据质量问题：未填报、前后矛盾、单位变化（findings.csv）",
              "each year's data-quality findings: no answers, contradictions, units joined or left (findings.csv)",
              (quality_table(results),)),
    ]
    about = Sheet("说明 About", "本工作簿的说明、各工作表内容和数据来源", "what this workbook holds and where the data came from")
    about = Sheet(about.name, about.holds_zh, about.holds_en, about_tables(results, [about, *sheets]))
    return [about, *sheets]


# --- writing ------------------------------------------------------------------------------

NUMBER_FORMATS = {"integer": "0", "change": "+0;-0;0", "percent": "0.0%", "points": "+0.0;-0.0;0.0"}
HEADER_FILL = "#DDEBF7"


def check_sheet_name(name: str) -> str:
    """Excel refuses sheet names over 31 characters or with []:*?/\\ in them."""
    if len(name) > 31 or SHEET_NAME_FORBIDDEN & set(name) or not name.strip():
        raise ValueError(f"not a valid Excel sheet name: {name!r}")
    return name


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese (wide) character takes two.

    Only widths up to MAX_WIDTH change a column, so a longer text is measured by its length
    (which it is at least): a list of 20,000 names is not read character by character.
    """
    if len(text) >= MAX_WIDTH:
        return len(text)
    return _width(text)


@cache
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def is_formula_like(text: str) -> bool:
    return text.startswith(store.FORMULA_TRIGGERS)


def shown(value: object, kind: Kind) -> str:
    """The cell's text as a spreadsheet shows it: what its column must be wide enough for."""
    if value is None or pd.isna(value):
        return ""
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind in ("change", "points"):
        return f"+{value}"
    return str(value)


def column_widths(tables: Iterable[Table]) -> list[tuple[float, bool]]:
    """Per column position: its width, and whether its text must wrap to stay within MAX_WIDTH."""
    widest: dict[int, int] = {}
    for table in tables:
        for i, column in enumerate(table.columns):
            cells = [display_width(line) for v in table.frame[column.key] for line in shown(v, column.kind).split("\n")]
            heads = [display_width(column.zh), display_width(column.en)]
            widest[i] = max(widest.get(i, 0), *heads, *cells)
    return [(min(max(w, MIN_WIDTH) + 2, MAX_WIDTH), w + 2 > MAX_WIDTH) for _, w in sorted(widest.items())]


def created_time() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds convention), else a constant."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), tz=UTC) if epoch.isdigit() else FIXED_CREATED
    return moment.replace(tzinfo=None)


class _Formats:
    """XlsxWriter formats, made once each (a workbook holds a table of them)."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.workbook = workbook
        self.made: dict[tuple[str, bool, bool], Format] = {}

    def get(self, kind: str, wrap: bool = False, quote: bool = False) -> Format:
        key = (kind, wrap, quote)
        if key not in self.made:
            spec: dict[str, object] = {"valign": "top"}
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            if kind in ("header_zh", "header_en"):
                spec.update({"bold": kind == "header_zh", "italic": kind == "header_en", "bg_color": HEADER_FILL, "text_wrap": True})
                spec["bottom" if kind == "header_en" else "top"] = 1
            if wrap:
                spec["text_wrap"] = True
            if quote:
                spec["quote_prefix"] = True
            self.made[key] = self.workbook.add_format(spec)
        return self.made[key]


def _write_text(sheet: Worksheet, row: int, col: int, text: str, formats: _Formats, kind: str, wrap: bool = False) -> None:
    """A string cell, always: text is data, never a formula, a link or a number."""
    sheet.write_string(row, col, text, formats.get(kind, wrap, quote=is_formula_like(text)))


def _write_headers(sheet: Worksheet, row: int, columns: tuple[Column, ...], formats: _Formats) -> None:
    """The two header rows. In constant-memory mode a row is written out when the next one is
    begun, so the Chinese row is written whole before the English; otherwise column by column,
    the order that fixes the shared strings' order (and so the bytes) of every workbook so far."""
    cells = [(row, col, column.zh, "header_zh") for col, column in enumerate(columns)]
    cells += [(row + 1, col, column.en, "header_en") for col, column in enumerate(columns)]
    if not sheet.constant_memory:
        cells = [cell for pair in zip(cells[: len(columns)], cells[len(columns) :], strict=True) for cell in pair]
    for at, col, text, kind in cells:
        _write_text(sheet, at, col, text, formats, kind)


def _write_sheet(workbook: xlsxwriter.Workbook, spec: Sheet, formats: _Formats) -> None:
    sheet = workbook.add_worksheet(check_sheet_name(spec.name))
    widths = column_widths(spec.tables)
    for col, (width, _) in enumerate(widths):
        sheet.set_column(col, col, width)
    row = 0
    for n, table in enumerate(spec.tables):
        _write_headers(sheet, row, table.columns, formats)
        first = row + 2
        for values in table.frame.itertuples(index=False):
            for col, (column, value) in enumerate(zip(table.columns, values, strict=True)):
                if value is None or pd.isna(value) or (isinstance(value, str) and not value):
                    continue  # an empty cell: no figure, no text (never 0, never "")
                if column.kind == "text":
                    _write_text(sheet, first, col, str(value), formats, "text", wrap=widths[col][1])
                else:
                    sheet.write_number(first, col, float(value) if column.kind in ("percent", "points") else int(value), formats.get(column.kind))
            first += 1
        if n == 0:
            sheet.freeze_panes(2, 0)
            if len(spec.tables) == 1:
                sheet.autofilter(1, 0, max(first - 1, 1), len(table.columns) - 1)
        row = first + 1  # a blank row between tables


def write_xlsx(sheets: list[Sheet], path: Path, constant_memory: bool | None = None) -> None:
    """Lay the sheets out in an .xlsx file at `path`; the same sheets give the same bytes.

    `constant_memory` (by default: when the sheets hold more than CELLS_IN_MEMORY cells) writes
    each row out as soon as the next begins (rows are written in order), instead of holding
    every cell until the end: about a million cells at 20,000 units over two years. Its strings
    are stored in their cells rather than in a shared table, so the file's bytes differ from
    the default mode's; it is used only where it is needed, and a small workbook is as it was.
    """
    if constant_memory is None:
        constant_memory = sum(len(t.frame) * len(t.columns) for sheet in sheets for t in sheet.tables) > CELLS_IN_MEMORY
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "nan_inf_to_errors": False}
    if constant_memory:
        options["constant_memory"] = True
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties({
        "title": "党风廉政建设责任制落实情况调查 数据表 Responsibility-system survey tables",
        "created": created_time(),
    })
    formats = _Formats(workbook)
    for spec in sheets:
        _write_sheet(workbook, spec, formats)
    workbook.close()


def write_workbook(processed: Path, years: list[int], target: Path) -> None:
    """`target` (tables.xlsx) from the processed tables of `years`, written whole or not at all."""
    if not years:
        raise ValueError("no processed year to put in the workbook")
    results = read_years(processed, years)
    catalogue = load_catalogue()
    sheets = workbook_sheets(results, catalogue, load_instrument())
    store.write_atomic(target, lambda tmp: write_xlsx(sheets, tmp))
