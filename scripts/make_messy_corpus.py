"""Write the intake test corpus under ``tests/corpus/``: returns as units really send them.

Each case is a folder ``tests/corpus/<case>/`` holding ``raw/<year>/...`` (and, where the
case needs it, ``raw/unit_aliases.csv``) plus what a correct intake must make of it:

- ``expected.json`` for readable cases: per year the canonical unit names, yes/no/blank
  counts per question, cadre sums and blanks, and every warning the run must give;
- ``expected_errors.json`` for the bad case: every error of the run, each with its file,
  sheet, row as seen in Excel or a text editor, column header as written and value.

The expectations are computed here from the ground truth the files are written from (the
``Unit`` tables below), never from the package, so the tests compare the package against
an independent answer. Row numbers follow from the layouts written here.

There is no randomness and workbooks are packed with fixed timestamps, so re-running gives
byte-identical files; ``tests/intake/test_intake.py`` checks that the committed corpus
is current.

Run from the repository root::

    python scripts/make_messy_corpus.py
"""

from __future__ import annotations

import os

# openpyxl writes its XML with lxml when lxml is installed (python-docx needs it) and with the
# standard library otherwise, and the two give different bytes: the sample and the corpus are
# always written the same way, so that their checksums hold on every machine.
os.environ["OPENPYXL_LXML"] = "False"

import codecs
import datetime as dt
import json
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from xlsx_form import COUNT_FIELDS, YES_NO_FIELDS
from xlsx_form import xlsx_bytes as packed_xlsx

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"

FORM = "中央单位党风廉政建设责任制落实情况一览表"
FIXED_TIME = dt.datetime(2006, 1, 31, 9, 0, 0)
ZIP_TIME = (2006, 1, 31, 9, 0, 0)

YES_NO, COUNTS = YES_NO_FIELDS, COUNT_FIELDS
ZH = dict(YES_NO + COUNTS) | {"unit_name": "单位名称", "unit_type": "单位类别"}
ENGLISH_HEADER = ["unit_name", "unit_type", *(f for f, _ in YES_NO), *(f for f, _ in COUNTS)]
CHINESE_HEADER = [ZH[f] for f in ENGLISH_HEADER]

PARTY, STATE, NEWS, MASS, INST = "党委机关", "国家机关", "新闻单位", "人民团体", "事业单位"

# Consistency rules of the instrument, restated: (field answered yes, field that must be yes).
NEEDS = [
    ("decomposition_layered", "decomposition_plan"),
    ("assessment_democratic_appraisal", "assessment_conducted"),
    ("assessment_feedback", "assessment_conducted"),
    ("assessment_results_applied", "assessment_conducted"),
]


@dataclass(frozen=True)
class Unit:
    """One unit's true return: 12 answer codes (Y yes, N no, . no answer) and cadre counts."""

    name: str
    kind: str
    answers: str
    bureau: int | None = 0
    division: int | None = 0

    def answer(self, field: str) -> bool | None:
        code = self.answers[[f for f, _ in YES_NO].index(field)]
        return {"Y": True, "N": False, ".": None}[code]

    def count(self, field: str) -> int | None:
        return self.bureau if field == "cadres_accountable_bureau" else self.division

    def same(self, name: str) -> Unit:
        """The same return under another spelling of the name."""
        return Unit(name, self.kind, self.answers, self.bureau, self.division)


def fullwidth(text: str) -> str:
    """ASCII as a Chinese input method types it in full-width mode."""
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# ---------------------------------------------------------------- expectations


@dataclass
class Expect:
    """What a correct intake makes of one case: figures per year and the findings."""

    what: str
    years: dict[str, dict[str, object]] = field(default_factory=dict)
    warnings: list[dict[str, object]] = field(default_factory=list)
    errors: list[dict[str, object]] = field(default_factory=list)

    def year(self, year: int, units: list[Unit]) -> None:
        """Figures of one year, from the true answers."""
        self.years[str(year)] = {
            "units": sorted(u.name for u in units),
            "yes": {f: sum(u.answer(f) is True for u in units) for f, _ in YES_NO},
            "no": {f: sum(u.answer(f) is False for u in units) for f, _ in YES_NO},
            "no_answer": {f: sum(u.answer(f) is None for u in units) for f, _ in YES_NO}
            | {f: sum(u.count(f) is None for u in units) for f, _ in COUNTS},
            "sums": {f: sum(u.count(f) or 0 for u in units) for f, _ in COUNTS},
        }
        for f, zh in YES_NO + COUNTS:
            blank = self.years[str(year)]["no_answer"][f]  # type: ignore[index]
            if blank:
                self.warn("no_answer", str(year), column=zh)

    def warn(self, kind: str, file: str, **where: object) -> None:
        self.warnings.append({"kind": kind, "file": file, **where})

    def error(self, kind: str, file: str, expected_has: str, **where: object) -> None:
        self.errors.append({"kind": kind, "file": file, **where, "expected_has": expected_has})

    def breaches(self, file: str, placed: list[tuple[Unit, int]]) -> None:
        """One warning per unit and rule broken, at the unit's row; a blank is never yes."""
        for unit, row in placed:
            for if_yes, needs in NEEDS:
                if unit.answer(if_yes) is True and unit.answer(needs) is not True:
                    self.warn("consistency", file, row=row, unit=unit.name)
            cadres = (unit.bureau or 0) + (unit.division or 0)
            if (unit.answer("accountability_enforced") is True) != (cadres > 0):
                self.warn("consistency", file, row=row, unit=unit.name)

    def files(self) -> dict[str, bytes]:
        body: dict[str, object] = {"what": self.what}
        if self.years:
            body |= {"years": self.years, "warnings": self.warnings}
        if self.errors:
            body["errors"] = self.errors
        name = "expected_errors.json" if self.errors else "expected.json"
        return {name: (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode()}


# ---------------------------------------------------------------- writing files


def csv_bytes(lines: list[list[str]], encoding: str, newline: str = "\n") -> bytes:
    """A CSV as Excel or WPS saves it; cells with commas, quotes or line breaks are quoted."""

    def cell(text: str) -> str:
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n') else text

    text = "".join(",".join(cell(c) for c in line) + newline for line in lines)
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return text.encode(encoding)


def lines_of(header: list[str], rows: list[list[str]], title: list[str]) -> tuple[list[list[str]], int]:
    """Title lines, the header and the rows; returns the lines and the header's line number."""
    return [[t] for t in title] + [header, *rows], len(title) + 1


@dataclass
class Sheet:
    """A worksheet to write: cell values by (row, column), merged ranges, saved formula results."""

    title: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    cached: dict[str, object] = field(default_factory=dict)  # "E7" -> saved result of the formula

    def row(self, number: int, values: list[object], first_column: int = 1) -> None:
        for offset, value in enumerate(values):
            if value is not None:
                self.cells[(number, first_column + offset)] = value

    def banner(self, number: int, text: str, width: int) -> None:
        """A title or note merged across the table, as forms have them."""
        self.cells[(number, 1)] = text
        self.merged.append(f"A{number}:{get_column_letter(width)}{number}")

    def formula(self, number: int, column: int, formula: str, saved: object) -> None:
        self.cells[(number, column)] = formula
        if saved is not None:
            self.cached[f"{get_column_letter(column)}{number}"] = saved


def xlsx_bytes(sheets: list[Sheet], stale_dimension: bool = False) -> bytes:
    """A workbook whose bytes depend only on its content.

    openpyxl cannot store a formula's result, so saved results are patched into the sheet
    XML, as Excel leaves them; ``stale_dimension`` writes the wrong ``<dimension>`` tag that
    some programs leave behind (it claims the sheet is smaller than it is).
    """
    wb = Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.title)
        for (r, c), value in sorted(spec.cells.items()):
            ws.cell(row=r, column=c, value=value)
        for merged in spec.merged:
            ws.merge_cells(merged)
    wb.properties.creator = wb.properties.lastModifiedBy = "scripts/make_messy_corpus.py"
    wb.properties.created = wb.properties.modified = FIXED_TIME

    def patch(name: str, data: bytes) -> bytes:
        match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
        return _patch_sheet(data, sheets[int(match.group(1)) - 1], stale_dimension) if match else data

    return packed_xlsx(wb, ZIP_TIME, patch)


def _patch_sheet(xml: bytes, spec: Sheet, stale_dimension: bool) -> bytes:
    text = xml.decode("utf-8")
    for ref, saved in spec.cached.items():
        kind = ' t="str"' if isinstance(saved, str) else ""
        pattern = rf'<c r="{ref}">(<f>.*?</f>)<v\s*/>'
        text, n = re.subn(
            pattern, lambda m, r=ref, k=kind, s=saved: f'<c r="{r}"{k}>{m.group(1)}<v>{s}</v>', text
        )
        if n != 1:
            raise RuntimeError(f"formula cell {ref} not found in sheet {spec.title}")
    if stale_dimension:
        text, n = re.subn(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:C3" />', text)
        if n != 1:
            raise RuntimeError("no <dimension> tag to make stale")
    return text.encode("utf-8")


# ---------------------------------------------------------------- ways of writing answers

# Every spelling of the vocabulary that returns use; xlsx cells may also be numbers or booleans.
YES_FORMS: list[object] = [
    "是",
    "√",
    "有",
    "Y",
    "yes",
    1,
    "已",
    "✓",
    "ＹＥＳ",
    True,
    "True",
    " 是 ",
    "１",
    1.0,
    "✔",
    "y",
]
NO_FORMS: list[object] = [
    "否",
    "×",
    "无",
    "N",
    "no",
    0,
    "未",
    "✗",
    "Ｎｏ",
    False,
    "FALSE",
    " 否",
    "０",
    0.0,
    "✘",
    "n",
]
BLANK_FORMS: list[object] = [None, " ", "\u3000"]


def messy_answer(value: bool | None, turn: int, text_only: bool = False) -> object:
    forms = YES_FORMS if value is True else NO_FORMS if value is False else BLANK_FORMS
    form = forms[turn % len(forms)]
    return ("" if form is None else str(form)) if text_only else form


def messy_count(value: int | None, turn: int, text_only: bool = False) -> object:
    """A count as a number, its text, full-width digits, "3人", "3.0" or 3.0."""
    if value is None:
        return "" if text_only else None
    forms: list[object] = [
        value,
        str(value),
        fullwidth(str(value)),
        f"{value}人",
        float(value),
        f"{value}.0",
        f" {value} 名",
    ]
    form = forms[turn % len(forms)]
    return str(form) if text_only else form


def clean_cells(unit: Unit) -> list[str]:
    """A unit as a clean CSV has it: English codes, digits, blank for no answer."""
    answers = ["" if unit.answer(f) is None else "yes" if unit.answer(f) else "no" for f, _ in YES_NO]
    counts = ["" if unit.count(f) is None else str(unit.count(f)) for f, _ in COUNTS]
    return [unit.name, unit.kind, *answers, *counts]


def canonical_cells(unit: Unit, name: str | None = None, yes: str = "是", no: str = "否") -> list[str]:
    """A unit as the office's own template has it: 是/否 and plain numbers."""
    answers = ["" if unit.answer(f) is None else yes if unit.answer(f) else no for f, _ in YES_NO]
    counts = ["" if unit.count(f) is None else str(unit.count(f)) for f, _ in COUNTS]
    return [name or unit.name, unit.kind, *answers, *counts]


# How forms number and break their question headers.
PREFIXES = ["1.", "2、", "（3）", "4. ", "５．", "六、", "⑦", "8 ", "9.", "10.", "11、", "(12)", "13.", "⑭"]


def messy_header(index: int, zh: str) -> str:
    """A question header with a numbered prefix, a line break and, for some, a hint in brackets."""
    middle = len(zh) // 2
    text = f"{PREFIXES[index]}{zh[:middle]}\n{zh[middle:]}" if index % 2 == 0 else f"{PREFIXES[index]}{zh}"
    if index in (8, 12):
        text += "（人）" if index == 12 else "（是/否）"
    if index == 3:
        text = text.replace("考核", "考核 ")  # a stray space inside
    return text


# ---------------------------------------------------------------- cases

CONSOLIDATED: list[Unit] = [
    Unit("中央单位（一）", PARTY, "YYYYYYYYYYYN"),
    Unit("中央单位（二）", PARTY, "YYNYYYYYNNYY", bureau=2, division=1),
    Unit("中央单位（三）", PARTY, "YN.NNNNYNNNN"),
    Unit("中央单位（四）", STATE, "YYYYYYYYYYYY", bureau=3),
    Unit("中央单位（五）", STATE, "NNNNNNNNNNNN"),
    Unit("中央单位（六）", STATE, "YYYY.YYYYYNN", division=None),
    Unit("中央单位（七）", STATE, "YNNNNNNYNNNY", division=3),
    Unit("新华通讯社", NEWS, "YYYYYYYYYYYY", bureau=4, division=2),
    Unit("光明日报社", NEWS, "YYYYYYYYYYNN"),
    Unit("中国作家协会", MASS, "YYYYYYNYNNYN"),
    Unit("共青团中央", MASS, "YYY.YYYYYNNY", bureau=5),
    Unit("中央党校", INST, "YYYYYYYYYYYY", bureau=1, division=2),
]
# How CONSOLIDATED[2] is written in the workbook: half-width brackets, a stray space.
HALF_WIDTH_THREE = "中央单位 (三)"
SECTIONS = {0: "一、党委机关", 3: "二、国家机关", 7: "三、新闻单位及其他"}


def case_consolidated_xlsx() -> dict[str, bytes]:
    """One workbook as the office consolidates it, with everything a real one has around the table."""
    year, name = 2005, f"{FORM}（2005年度）.xlsx"
    file = f"{year}/{name}"
    expect = Expect(
        "consolidated .xlsx: two title rows, Chinese headers with line breaks and numbered prefixes, "
        "serial-number, blank and remarks columns, section headings, a totals row and notes; "
        "answers in every spelling, counts as numbers/text/full-width/'3人', formulas with saved values"
    )
    width = 19  # A 序号, B blank column, C unit, D kind, E..P answers, Q..R counts, S 备注
    sheet = Sheet("汇总表")
    sheet.banner(1, FORM, width)
    sheet.banner(2, "填报单位：中央纪委驻各单位纪检组　　填报时间：2006年1月", width)
    header_row = 4  # row 3 is left blank
    headers = [messy_header(i, zh) for i, (_, zh) in enumerate(YES_NO + COUNTS)]
    sheet.row(header_row, ["序号", None, "单位\n名称", "单位类别", *headers, "备  注"])
    row, placed = header_row + 1, []
    for i, unit in enumerate(CONSOLIDATED):
        if i in SECTIONS:
            if i == 0:  # a heading merged across the table, written in the serial-number column
                sheet.banner(row, SECTIONS[i], width)
            else:  # a heading typed into the unit column
                sheet.row(row, [SECTIONS[i]], first_column=3)
                expect.warn("skipped_row", file, sheet="汇总表", row=row)
            row += 1
        if i == 7:
            row += 1  # a blank row inside the table
        shown = HALF_WIDTH_THREE if i == 2 else unit.name
        answers = [messy_answer(unit.answer(f), i * 5 + j) for j, (f, _) in enumerate(YES_NO)]
        counts = [messy_count(unit.count(f), i * 3 + j) for j, (f, _) in enumerate(COUNTS)]
        remark = "分层开展考核" if i % 4 == 1 else None
        sheet.row(row, [i + 1, None, shown, unit.kind, *answers, *counts, remark])
        placed.append((unit, row))
        row += 1
    # Formulas are never evaluated: had they been, these would read 否 and 0.
    four, xinhua = placed[3][1], placed[7][1]
    sheet.formula(four, 5 + len(YES_NO), "=SUM(Z1:Z3)", 3)
    sheet.formula(xinhua, 6, '=IF(Z1=1,"是","否")', "是")
    totals = [sum(u.answer(f) is True for u in CONSOLIDATED) for f, _ in YES_NO]
    sums = [sum(u.count(f) or 0 for u in CONSOLIDATED) for f, _ in COUNTS]
    sheet.row(row, ["合计", None, None, None, *totals, *sums])
    expect.warn("skipped_row", file, sheet="汇总表", row=row)
    sheet.banner(row + 2, "注：1.“是/否”按本年度实际情况填写；2.空白表示未填报；3.人数栏填写人数。", width)
    sheet.row(row + 3, ["填表人：张三　　审核人：李四　　联系电话：010-12345678"], first_column=3)
    guide = Sheet("填表说明")
    guide.row(1, ["填表说明"])
    guide.row(2, ["一、本表由各单位纪检组织填写。"])
    guide.row(3, ["二、“是/否”栏填写“是”或“否”。"])
    expect.warn("skipped_sheet", file, sheet="填表说明")
    expect.year(year, CONSOLIDATED)
    expect.breaches(file, placed)
    return {f"raw/{file}": xlsx_bytes([sheet, guide]), **expect.files()}


def case_consolidated_clean_csv() -> dict[str, bytes]:
    """The same returns as case_consolidated_xlsx, as a clean CSV: the figures must be the same."""
    year, file = 2005, "2005/returns.csv"
    expect = Expect("the data of consolidated_xlsx as a clean UTF-8 CSV with English field names")
    rows = [clean_cells(u) for u in CONSOLIDATED]
    lines, header_line = lines_of(ENGLISH_HEADER, rows, title=[])
    expect.year(year, CONSOLIDATED)
    expect.breaches(file, [(u, header_line + 1 + i) for i, u in enumerate(CONSOLIDATED)])
    return {f"raw/{file}": csv_bytes(lines, "utf-8"), **expect.files()}


PER_UNIT: list[tuple[str, Unit, str]] = [
    # file name, return, encoding
    ("01-中央单位（甲）.csv", Unit("中央单位（甲）", STATE, "YYYYYYYYYYYN"), "gbk"),
    ("02-中国䶮文化研究会.csv", Unit("中国䶮文化研究会", MASS, "YNNNYYYYNNNN"), "gb18030"),
    ("03-新华通讯社.csv", Unit("新华通讯社", NEWS, "YYYYYYYYYYYY", bureau=1), "utf-8-sig"),
    ("04-经济日报.csv", Unit("经济日报", NEWS, "YY.NNNNYNNNN", division=None), "utf-8"),
]


def case_per_unit_csv() -> dict[str, bytes]:
    """One CSV per unit, each with a title line, in GBK, GB18030, UTF-8 with BOM and plain UTF-8."""
    year = 2005
    expect = Expect(
        "one CSV per unit with title lines: GBK (CRLF, a quoted header with a line break), "
        "GB18030 with 䶮 (not in GBK), UTF-8 with BOM (numbered headers, √/×, '1人'), "
        "UTF-8 without BOM whose bytes also decode as GB18030 into other characters"
    )
    files: dict[str, bytes] = {}
    placed: dict[str, list[tuple[Unit, int]]] = {}
    for name, unit, encoding in PER_UNIT:
        if encoding == "gbk":
            header = [*CHINESE_HEADER]
            header[3] = "制定责任\n分解方案"  # quoted, so the header takes two lines
            lines, _ = lines_of(
                header, [canonical_cells(unit)], title=[f"填报单位：{unit.name}", "填报日期：2006年1月10日"]
            )
            data, row = csv_bytes(lines, "gbk", newline="\r\n"), 5
        elif encoding == "gb18030":
            lines, header_line = lines_of(CHINESE_HEADER, [canonical_cells(unit)], title=[FORM])
            data, row = csv_bytes(lines, "gb18030"), header_line + 1
        elif encoding == "utf-8-sig":
            header = [
                "序号",
                ZH["unit_name"],
                ZH["unit_type"],
                *[messy_header(i, zh) for i, (_, zh) in enumerate(YES_NO + COUNTS)],
            ]
            cells = canonical_cells(unit, yes="√", no="×")
            cells[-2] = f"{unit.bureau}人"
            lines, header_line = lines_of(header, [["1", *cells]], title=[f"{FORM}（2005年度）"])
            data, row = csv_bytes(lines, "utf-8-sig"), header_line + 1
        else:
            lines, header_line = lines_of(ENGLISH_HEADER, [clean_cells(unit)], title=[FORM[2:]])
            data, row = csv_bytes(lines, "utf-8"), header_line + 1
        _check_encoding_trap(name, unit, encoding, data)
        files[f"raw/{year}/{name}"] = data
        placed[f"{year}/{name}"] = [(unit, row)]
    units = [u for _, u, _ in PER_UNIT]
    expect.year(year, units)
    for file, where in placed.items():
        expect.breaches(file, where)
    return {**files, **expect.files()}


def _check_encoding_trap(name: str, unit: Unit, encoding: str, data: bytes) -> None:
    """Make sure each file tests what it claims to: a wrong decoder must fail or mislead."""
    if encoding == "gb18030":
        try:
            data.decode("gbk")
        except UnicodeDecodeError:
            pass
        else:
            raise RuntimeError(f"{name} must not be readable as GBK")
    if encoding == "utf-8":
        misread = data.decode("gb18030")  # must succeed, and silently give other characters
        if unit.name in misread:
            raise RuntimeError(f"{name} must read differently as GB18030")
    if encoding in ("gbk", "gb18030"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise RuntimeError(f"{name} must not be valid UTF-8")


MIXED_XLSX: list[Unit] = [
    Unit("中央单位（一）", PARTY, "YYYYYYYYYYYN"),
    Unit("中央单位（二）", PARTY, "YYNNYYNYNNNN"),
    Unit("中央单位（三）", STATE, "YNNNNNNYNNNN"),
    Unit("中央单位（四）", STATE, "YYYYYYYYYYYY", bureau=1),
]
MIXED_CSV = Unit("中央单位（五）", MASS, "NNNNNNNNNNNN")


def case_mixed_folder() -> dict[str, bytes]:
    """A workbook and per-unit CSVs in one year folder, with files that are not returns."""
    year = 2005
    book, late, again = (
        f"{year}/汇总.xlsx",
        f"{year}/补报-中央单位（五）.csv",
        f"{year}/补报-中央单位（二）.csv",
    )
    expect = Expect(
        "a workbook (with a stale <dimension> tag that claims A1:C3, and a second sheet of "
        "instructions) plus per-unit CSVs in one folder; a unit sent twice with the same answers; "
        "an Excel lock file, a .txt and an .xlsb that are skipped with a note"
    )
    width = len(CHINESE_HEADER) + 1
    sheet = Sheet("汇总")
    sheet.banner(1, FORM, width)
    sheet.row(2, ["序号", *CHINESE_HEADER])
    placed = []
    for i, unit in enumerate(MIXED_XLSX):
        sheet.row(3 + i, [i + 1, *canonical_cells(unit)])
        placed.append((unit, 3 + i))
    notes = Sheet("说明")
    notes.row(1, ["本表汇总各单位报送情况，补报单位另附。"])
    expect.warn("skipped_sheet", book, sheet="说明")
    files = {f"raw/{book}": xlsx_bytes([sheet, notes], stale_dimension=True)}
    lines, header_line = lines_of(CHINESE_HEADER, [canonical_cells(MIXED_CSV)], title=[f"{FORM}（补报）"])
    files[f"raw/{late}"] = csv_bytes(lines, "gbk", newline="\r\n")
    twin = MIXED_XLSX[1]
    lines, header_line = lines_of(
        CHINESE_HEADER, [canonical_cells(twin, name="中央单位(二)", yes="√", no="×")], title=[FORM]
    )
    files[f"raw/{again}"] = csv_bytes(lines, "utf-8-sig")
    expect.warn(
        "duplicate_unit",
        again,
        row=header_line + 1,
        unit=twin.name,
        expected_has=f"{book}, sheet '汇总', row 4",
    )
    # Excel's lock file: the owner's name, padded; not a workbook at all.
    files[f"raw/{year}/~$汇总.xlsx"] = (
        b"\x05Owner" + b"\x20" * 48 + b"\x05\x00O\x00w\x00n\x00e\x00r\x00" + b"\x20\x00" * 48
    )
    files[f"raw/{year}/说明.txt"] = "补报单位：中央单位（五）\n".encode()
    files[f"raw/{year}/旧表.xlsb"] = b"PK\x03\x04" + b"\x00" * 60  # an Excel binary workbook: not read
    expect.warn("skipped_file", f"{year}/~$汇总.xlsx", expected_has="lock file")
    expect.warn("skipped_file", f"{year}/说明.txt", expected_has="not a return file")
    expect.warn("skipped_file", f"{year}/旧表.xlsb", expected_has="save it as .xlsx")
    units = [*MIXED_XLSX, MIXED_CSV]
    expect.year(year, units)
    expect.breaches(book, placed)
    expect.breaches(late, [(MIXED_CSV, header_line + 1)])
    return {**files, **expect.files()}


# (spelling in 2004, spelling in 2005, canonical name, answers 2004, answers 2005)
ACROSS: list[tuple[str, str, str, str, str]] = [
    ("经济日报", "经济日报社", "经济日报社", "YYYYYYYYYYYN", "YYYYYYYYYYYN"),  # renamed; in unit_aliases.csv
    # short form; in aliases
    ("中国科协", "中国科学技术协会", "中国科学技术协会", "YNNNNNNYNNNN", "YYNNNNNYNNNN"),
    ("中央单位（三）", "中央单位(三)", "中央单位（三）", "YNNNNNNNNNNN", "YYNNNNNNNNNN"),  # brackets only
    ("中央单位（四）", "中央单位 （四）", "中央单位（四）", "YYYNNNNYNNNN", "YYYNNNNYNNNN"),  # a stray space
    ("光明日报社", "光明日报社", "光明日报社", "YYYYYYYYYYNN", "YYYYYYYYYYYN"),
]
# Renamed but not listed in unit_aliases.csv: two different units, as the office must be told.
UNLISTED = ("中国作协", "中国作家协会")


def case_units_across_years() -> dict[str, bytes]:
    """A unit renamed between years (listed in unit_aliases.csv) and one spelled two ways."""
    expect = Expect(
        "2004 in a workbook and 2005 in a CSV; renamed units listed in unit_aliases.csv, a name "
        "with full-width brackets in 2004 and half-width in 2005, one with a stray space; "
        "a rename that is NOT listed stays two units"
    )
    files = {
        "raw/unit_aliases.csv": "alias,unit_name\n经济日报,经济日报社\n中国科协,中国科学技术协会\n".encode()
    }
    for year, position in ((2004, 0), (2005, 1)):
        answers_at = 3 + position
        truth = [Unit(row[2], PARTY, row[answers_at]) for row in ACROSS]
        truth.append(Unit(UNLISTED[position], MASS, "YYYYYYYYYYYN"))
        written = [Unit(row[position], u.kind, u.answers) for row, u in zip(ACROSS, truth, strict=False)]
        written.append(truth[-1])
        if year == 2004:
            file = f"{year}/{year}年一览表.xlsx"
            sheet = Sheet("Sheet1")
            sheet.banner(1, FORM, len(CHINESE_HEADER))
            sheet.row(2, CHINESE_HEADER)
            for i, unit in enumerate(written):
                sheet.row(3 + i, canonical_cells(unit))
            files[f"raw/{file}"] = xlsx_bytes([sheet])
            first = 3
        else:
            file = f"{year}/{year}年一览表.csv"
            lines, header_line = lines_of(CHINESE_HEADER, [canonical_cells(u) for u in written], title=[FORM])
            files[f"raw/{file}"] = csv_bytes(lines, "utf-8")
            first = header_line + 1
        expect.year(year, truth)
        expect.breaches(file, [(u, first + i) for i, u in enumerate(truth)])
    # The unlisted rename: each name is reported with the line that would join them.
    line = ",".join(UNLISTED)
    expect.warn(
        "unmatched_unit", "2005", unit=UNLISTED[1], expected_has=f"add the line {line} to unit_aliases.csv"
    )
    expect.warn(
        "unmatched_unit", "2005", unit=UNLISTED[0], expected_has=f"add the line {line} to unit_aliases.csv"
    )
    return {**files, **expect.files()}


WARNED: list[Unit] = [
    Unit("中央单位（一）", PARTY, "YNYNNNNNNNNN"),  # layered without a plan
    Unit("中央单位（二）", PARTY, "YYYNNNNYYYNN"),  # feedback and results applied without an assessment
    Unit("中央单位（三）", STATE, "YYYYYYYYYYYY"),  # accountability enforced, no cadre held accountable
    Unit("中央单位（四）", STATE, "YYYYYYYYYYYN", bureau=2),  # cadres held accountable, not enforced
    Unit("中央单位（五）", STATE, "Y.Y.YYYYYYNN"),  # blanks; layered with a blank plan (blank is not yes)
    Unit("中央单位（六）", MASS, "............", bureau=None, division=None),  # a return with no answers
    Unit("中央单位（七）", MASS, "YYYYYYYYYYNN"),  # sent twice with the same answers
]


def case_warnings_only() -> dict[str, bytes]:
    """Readable returns that contradict themselves or leave blanks: warnings, and the build goes on."""
    year, file = 2005, "2005/returns.csv"
    expect = Expect(
        "every kind of warning and no error: consistency rules broken, questions not answered, "
        "a unit with no answers at all, a unit sent twice with the same answers, a totals row"
    )
    rows = [canonical_cells(u) for u in WARNED]
    seven = WARNED[-1]
    rows.append(canonical_cells(seven, name="中央单位(七)", yes="yes", no="no"))
    rows.append(["合计", "", *[str(sum(u.answer(f) is True for u in WARNED)) for f, _ in YES_NO], "2", "0"])
    rows.append(["注：空白表示未填报。"])
    lines, header_line = lines_of(CHINESE_HEADER, rows, title=[FORM, "（2005年度）"])
    first = header_line + 1
    expect.year(year, WARNED)
    expect.breaches(file, [(u, first + i) for i, u in enumerate(WARNED)])
    expect.warn("unit_without_answers", file, row=first + 5, unit=WARNED[5].name)
    expect.warn(
        "duplicate_unit", file, row=first + len(WARNED), unit=seven.name, expected_has=f"row {first + 6}"
    )
    expect.warn("skipped_row", file, row=first + len(WARNED) + 1)
    return {f"raw/{file}": csv_bytes(lines, "utf-8"), **expect.files()}


def case_bad_returns() -> dict[str, bytes]:
    """Every kind of unreadable return, across files and two years: all must be listed at once."""
    expect = Expect(
        "each kind of bad input, in two years and several files; one run must list every error, "
        "each with file, sheet, row as seen in Excel or a text editor, column header as written, "
        "value and what was expected"
    )
    files: dict[str, bytes] = {}
    answers, count = "a yes/no answer", "a whole number of people, 0 or more"

    files["raw/unit_aliases.csv"] = "alias,unit_name\n经济日报,经济日报社\n中组部,\n".encode()
    expect.error("aliases", "unit_aliases.csv", "both an alias and the unit_name", row=3, value="中组部,")

    # 2004: a consolidated workbook with bad cells, and a CSV that lacks two columns.
    book, sheet_name = "2004/一览表.xlsx", "一览表"
    headers = [messy_header(i, zh) for i, (_, zh) in enumerate(YES_NO + COUNTS)]
    sheet = Sheet(sheet_name)
    width = len(headers) + 3
    sheet.banner(1, FORM, width)
    sheet.banner(2, "2004年度", width)
    sheet.row(3, ["序号", "单位名称", "单位类别", *headers])
    col = {f: 4 + i for i, (f, _) in enumerate(YES_NO + COUNTS)}  # 1-based columns in the sheet

    def put(row: int, unit: Unit, **override: object) -> None:
        cells: list[object] = [row - 3, *canonical_cells(unit)]
        sheet.row(row, [c if c != "" else None for c in cells])
        for f, value in override.items():
            sheet.cells[(row, col[f])] = value

    fine = Unit("中央单位（一）", PARTY, "YYYYYYYYYYYN")
    put(4, fine)
    put(5, fine.same("中央单位（二）"), decomposition_plan="部分")
    expect.error(
        "bad_value",
        book,
        answers,
        sheet=sheet_name,
        row=5,
        column=headers[1],
        value="部分",
        unit="中央单位（二）",
    )
    put(6, fine.same("中央单位（三）"), cadres_accountable_bureau=-1)
    expect.error(
        "bad_value",
        book,
        count,
        sheet=sheet_name,
        row=6,
        column=headers[12],
        value="-1",
        unit="中央单位（三）",
    )
    put(7, fine.same("中央单位（四）"), cadres_accountable_division=2.5)
    expect.error(
        "bad_value",
        book,
        count,
        sheet=sheet_name,
        row=7,
        column=headers[13],
        value="2.5",
        unit="中央单位（四）",
    )
    # row 8 blank
    put(9, fine.same(""))
    expect.error(
        "missing_unit", book, "the unit's name", sheet=sheet_name, row=9, column="单位名称", value=""
    )
    five = Unit("中央单位（五）", STATE, "YYYNNNNYNNNN")
    put(10, five)
    put(11, fine.same("中央单位（六）"))
    sheet.formula(11, col["assessment_conducted"], '=IF(A1>0,"是","否")', None)  # never saved by Excel
    expect.error(
        "bad_value",
        book,
        "a formula whose result was never saved",
        sheet=sheet_name,
        row=11,
        column=headers[5],
        value='=IF(A1>0,"是","否")',
        unit="中央单位（六）",
    )
    put(12, Unit("中央单位(五)", STATE, "YYYYNNNYNNNN"))
    expect.error(
        "conflicting_unit",
        book,
        f"{book}, sheet '{sheet_name}', row 10",
        sheet=sheet_name,
        row=12,
        unit="中央单位（五）",
        value="中央单位（五）",
    )
    sheet.row(13, ["合计", None, None, 6, 6])
    files[f"raw/{book}"] = xlsx_bytes([sheet])

    short = "2004/缺列.csv"
    dropped = ("assessment_conducted", "assessment_feedback")
    keep = [i for i, f in enumerate(ENGLISH_HEADER) if f not in dropped]
    header = [CHINESE_HEADER[i] for i in keep]
    rows = [[canonical_cells(fine.same("中央单位（十一）"))[i] for i in keep]]
    bad = [canonical_cells(fine.same("中央单位（十二）"))[i] for i in keep]
    bad[header.index(ZH["accountability_rules"])] = "部分是"
    rows.append(bad)
    lines, header_line = lines_of(header, rows, title=[FORM])
    files[f"raw/{short}"] = csv_bytes(lines, "utf-8")
    for f in dropped:
        expect.error("missing_column", short, ZH[f], row=header_line)
    expect.error(
        "bad_value",
        short,
        answers,
        row=header_line + 2,
        column=ZH["accountability_rules"],
        value="部分是",
        unit="中央单位（十二）",
    )

    # 2005: a GBK CSV with a two-line header and bad cells, a per-unit file contradicting it,
    # and files that cannot be read at all.
    table = "2005/returns.csv"
    header = [*CHINESE_HEADER]
    header[3] = "制定责任\n分解方案"
    seven = Unit("中央单位（七）", STATE, "YYYYYYYYYYYN")
    rows = [canonical_cells(seven)]
    for name, f, value in (
        ("中央单位（八）", "decomposition_plan", "maybe"),
        ("中央单位（九）", "cadres_accountable_bureau", "3.5人"),
        ("中央单位（十）", "cadres_accountable_division", "-2"),
    ):
        cells = canonical_cells(fine.same(name))
        cells[ENGLISH_HEADER.index(f)] = value
        rows.append(cells)
    rows.append(["合计", "", "4"])
    lines, _ = lines_of(header, rows, title=[FORM])
    files[f"raw/{table}"] = csv_bytes(lines, "gbk", newline="\r\n")
    first = 4  # title on line 1, header on lines 2-3
    expect.error(
        "bad_value",
        table,
        answers,
        row=first + 1,
        column="制定责任\n分解方案",
        value="maybe",
        unit="中央单位（八）",
    )
    expect.error(
        "bad_value",
        table,
        count,
        row=first + 2,
        column=ZH["cadres_accountable_bureau"],
        value="3.5人",
        unit="中央单位（九）",
    )
    expect.error(
        "bad_value",
        table,
        count,
        row=first + 3,
        column=ZH["cadres_accountable_division"],
        value="-2",
        unit="中央单位（十）",
    )

    single = "2005/中央单位（七）.csv"
    other = Unit(seven.name, STATE, "YYYYYYYYYYNN")
    lines, header_line = lines_of(CHINESE_HEADER, [canonical_cells(other)], title=[FORM])
    files[f"raw/{single}"] = csv_bytes(lines, "utf-8-sig")
    expect.error(
        "conflicting_unit",
        single,
        f"{table}, row {first}",
        row=header_line + 1,
        unit=seven.name,
        value=seven.name,
    )

    garbled = "2005/乱码.csv"
    text = csv_bytes([[FORM], ENGLISH_HEADER], "utf-8") + "中央单位（十三）,".encode() + b"Caf\xe9 des Arts\n"
    files[f"raw/{garbled}"] = text
    at = text.index(b"Caf\xe9") + 3  # the Latin-1 é: UTF-8 Chinese above has 0xE9 bytes too
    expect.error(
        "encoding",
        garbled,
        "UTF-8 (with or without BOM), GBK or GB18030",
        row=3,
        value=f"bytes {text[at : at + 4].hex(' ')}",
    )

    no_unit = "2005/无单位列.csv"
    lines, header_line = lines_of(CHINESE_HEADER[1:], [canonical_cells(fine)[1:]], title=[FORM])
    files[f"raw/{no_unit}"] = csv_bytes(lines, "utf-8")
    expect.error("missing_column", no_unit, "单位名称", row=header_line)

    files["raw/2005/损坏.xlsx"] = "这不是一个工作簿\n".encode()
    expect.error("unreadable", "2005/损坏.xlsx", "a readable .xlsx file")
    # An .xls that is only the first bytes of one (a mail attachment cut short).
    files["raw/2005/旧表.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56
    expect.error("unreadable", "2005/旧表.xls", "a readable .xls file")
    files["raw/2005/通知.csv"] = "关于报送2005年度责任制落实情况的通知\n请于1月31日前报送。\n".encode()
    expect.error("no_header", "2005/通知.csv", "a header row naming the fields")
    return {**files, **expect.files()}


# ---------------------------------------------------------------- files made by other programs

# The Excel 97-2003 .xls and OpenDocument .ods returns cannot be written by openpyxl. They
# were made once by ``write_foreign_files`` below, with xlwt 1.3.0 and odfpy 1.4.1 installed
# outside the project's environment (neither is a dependency):
#
#     pip install --target /tmp/foreign xlwt==1.3.0 odfpy==1.4.1 defusedxml
#     PYTHONPATH=/tmp/foreign python scripts/make_messy_corpus.py --foreign
#
# and are committed; ``build_corpus`` takes them as they are (neither program writes the
# same bytes twice). Their figures come from the truth below, like every other case.
XLS_FILE, ODS_FILE = "2005/一览表（2005年度）.xls", "2005/补报.ods"
XLS_UNITS: list[Unit] = [
    Unit("中央单位（一）", PARTY, "YYYYYYYYYYYN"),
    Unit("中央单位（二）", PARTY, "YYNYYYYYNNYY", bureau=2, division=1),
    Unit("中央单位（三）", STATE, "YN.NNNNYNNNN"),
    Unit("新华通讯社", NEWS, "YYYYYYYYYYYY", bureau=4, division=2),
    Unit("中国作家协会", MASS, "YYYYYYNYNNYN"),
]
ODS_UNITS: list[Unit] = [
    Unit("中央单位（八）", STATE, "NNNNNNNNNNNN"),
    Unit("共青团中央", MASS, "YYY.YYYYYNNY", bureau=5),
]
# The link each question belongs to: the first header row of the .xls names them, merged
# across their questions, as the office's form does.
LINKS = [("责任分解", 3), ("责任考核", 7), ("责任追究", 4)]
XLS_FIRST_ROW = 4  # title on row 1, the header on rows 2-3


def foreign_files() -> dict[str, bytes]:
    """The committed .xls and .ods, as they are on disk."""
    return {
        f"xls_return/raw/{name}": (CORPUS / "xls_return" / "raw" / name).read_bytes()
        for name in (XLS_FILE, ODS_FILE)
    }


def write_foreign_files() -> None:
    """Write the .xls (xlwt) and .ods (odfpy) from XLS_UNITS and ODS_UNITS; needs both installed."""
    import xlwt
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("一览表")
    width = len(ENGLISH_HEADER) + 2  # 序号, the fields, 备注
    ws.write_merge(0, 0, 0, width - 1, f"{FORM}（2005年度）")
    for column, text in ((0, "序号"), (1, "单位名称"), (2, "单位类别"), (width - 1, "备注")):
        ws.write_merge(1, 2, column, column, text)  # merged down over both header rows
    column = 3
    for link, span in LINKS:
        ws.write_merge(1, 1, column, column + span - 1, link)
        column += span
    for i, (_, zh) in enumerate(YES_NO + COUNTS):
        ws.write(2, 3 + i, zh)
    for i, unit in enumerate(XLS_UNITS):
        row = XLS_FIRST_ROW - 1 + i
        answers = [messy_answer(unit.answer(f), i * 5 + j) for j, (f, _) in enumerate(YES_NO)]
        counts = [unit.count(f) for f, _ in COUNTS]  # numbers, as Excel stores them
        for column, value in enumerate([i + 1, unit.name, unit.kind, *answers, *counts]):
            if value is not None:
                ws.write(row, column, value)
    ws.write(XLS_FIRST_ROW - 1 + len(XLS_UNITS), 1, "合计")
    target = CORPUS / "xls_return" / "raw" / XLS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(target))

    doc = OpenDocumentSpreadsheet()
    table = Table(name="补报")

    def add_row(values: list[object]) -> None:
        row = TableRow()
        for value in values:
            if isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value or "")))
            row.addElement(cell)
        table.addElement(row)

    add_row([f"{FORM}（补报）"])
    add_row(CHINESE_HEADER)
    for unit in ODS_UNITS:
        cells: list[object] = canonical_cells(unit)
        add_row([*cells[:-2], *(unit.count(f) for f, _ in COUNTS)])
    doc.spreadsheet.addElement(table)
    doc.save(str(CORPUS / "xls_return" / "raw" / ODS_FILE))


def case_xls_return() -> dict[str, bytes]:
    """An Excel 97-2003 .xls with a header over two merged rows, and an .ods: read like any workbook."""
    expect = Expect(
        "an .xls written by xlwt (title merged across, header over two rows: 序号, 单位名称, "
        "单位类别 and 备注 merged down both, the three links merged across their questions, "
        "answers in every spelling and as numbers, counts as numbers, a totals row) and an "
        ".ods written by odfpy with two units; see NOTE.md"
    )
    placed = [(u, XLS_FIRST_ROW + i) for i, u in enumerate(XLS_UNITS)]
    expect.warn("skipped_row", XLS_FILE, sheet="一览表", row=XLS_FIRST_ROW + len(XLS_UNITS))
    expect.year(2005, [*XLS_UNITS, *ODS_UNITS])
    expect.breaches(XLS_FILE, placed)
    expect.breaches(ODS_FILE, [(u, 3 + i) for i, u in enumerate(ODS_UNITS)])
    note = (
        "# xls_return: returns written by other programs\n\n"
        f"`raw/{XLS_FILE}` (Excel 97-2003, written by xlwt 1.3.0) and `raw/{ODS_FILE}` (OpenDocument,\n"
        "written by odfpy 1.4.1) are committed binaries made once by `write_foreign_files` in\n"
        "`scripts/make_messy_corpus.py`; the comment above it gives the commands. Their units and\n"
        "answers are `XLS_UNITS` and `ODS_UNITS` there, and `expected.json` is computed from those.\n\n"
        "The .xls: title on row 1; header on rows 2-3 "
        f"({', '.join(link for link, _ in LINKS)} merged across\n"
        f"their questions on row 2, the questions on row 3, 单位名称 merged down rows 2-3); units on rows\n"
        f"{XLS_FIRST_ROW}-{XLS_FIRST_ROW + len(XLS_UNITS) - 1}; "
        f"合计 on row {XLS_FIRST_ROW + len(XLS_UNITS)}. "
        f"{len(XLS_UNITS) + len(ODS_UNITS)} units in all; cadres held accountable: bureau "
        f"{sum(u.bureau or 0 for u in XLS_UNITS + ODS_UNITS)}, "
        f"division {sum(u.division or 0 for u in XLS_UNITS + ODS_UNITS)}.\n"
    )
    return {
        **foreign_files(),
        "xls_return/NOTE.md": note.encode(),
        **{f"xls_return/{k}": v for k, v in expect.files().items()},
    }


CASES: dict[str, Callable[[], dict[str, bytes]]] = {
    "consolidated_xlsx": case_consolidated_xlsx,
    "consolidated_clean_csv": case_consolidated_clean_csv,
    "per_unit_csv": case_per_unit_csv,
    "mixed_folder": case_mixed_folder,
    "units_across_years": case_units_across_years,
    "warnings_only": case_warnings_only,
    "bad_returns": case_bad_returns,
}


def build_corpus() -> dict[str, bytes]:
    """Every file of the corpus, by path relative to tests/corpus/."""
    files = {f"{case}/{path}": data for case, make in CASES.items() for path, data in make().items()}
    return files | case_xls_return()


def write_corpus(target: Path = CORPUS) -> list[Path]:
    """Replace the corpus folder with a fresh one; only ever touches ``target``.

    Everything is built before the folder is removed: the committed .xls and .ods are read
    from it.
    """
    files = build_corpus()
    if target.exists():
        shutil.rmtree(target)
    written = []
    for relative, data in sorted(files.items()):
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    if "--foreign" in sys.argv[1:]:
        write_foreign_files()
    paths = write_corpus()
    print(f"wrote {len(paths)} files under {CORPUS.relative_to(ROOT)}")
