"""Write the shipped sample raw data under ``data/raw/``, deterministically.

Produces the 2004, 2003, 2002 and 2001 consolidated returns (one workbook per
year, laid out as units really return them), ``unit_aliases.csv`` and the folder's
``README.md`` with the SHA-256 of every file. There is no randomness: every
answer is written out below, and the workbooks are packed with fixed
timestamps so that re-running the script gives byte-identical files.

The 2004 table reproduces every figure of the published 2004 report; the
script checks this (and the consistency rules) before writing anything.

Run from the repository root::

    python scripts/make_sample_data.py [RAW_FOLDER] [--force]

A file already there that differs from the sample's (your own ``unit_aliases.csv`` or
notes, or returns saved under the sample's name) is kept and named on stderr, and the
script exits 1; ``--force`` overwrites it.
"""

from __future__ import annotations

import os

# openpyxl writes its XML with lxml when lxml is installed (python-docx needs it) and with the
# standard library otherwise, and the two give different bytes: the sample and the corpus are
# always written the same way, so that their checksums hold on every machine.
os.environ["OPENPYXL_LXML"] = "False"

import datetime as dt
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from xlsx_form import COUNT_FIELDS, YES_NO_FIELDS, xlsx_bytes

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"

FORM_NAME = "中央单位党风廉政建设责任制落实情况一览表"
SHEET_NAME = "一览表"
FIXED_TIME = dt.datetime(2005, 1, 31, 9, 0, 0)
ZIP_TIME = (2005, 1, 31, 9, 0, 0)

YES, NO = "是", "否"

# Full-width punctuation of Chinese text, escaped so that linters checking
# for confusable characters stay quiet.
LPAR, RPAR, COMMA = "\uff08", "\uff09", "\uff0c"
SEMI, COLON, LQUO, RQUO = "\uff1b", "\uff1a", "\u201c", "\u201d"

HEADER_ROW = (
    ["序号", "单位名称", "单位类别"]
    + [zh for _, zh in YES_NO_FIELDS]
    + [zh for _, zh in COUNT_FIELDS]
    + ["备注"]
)

HEADER_LINE = 3  # title on row 1, filing date on row 2
FIRST_ANSWER_COLUMN = 4  # after 序号, 单位名称, 单位类别

# Answer codes in the tables below: Y = 是, N = 否, . = blank (no answer).
CODE = {"Y": YES, "N": NO, ".": None}


@dataclass(frozen=True)
class Row:
    """One unit's return: name, kind, 12 answer codes, cadre counts, remark."""

    name: str
    kind: str
    answers: str
    bureau: int = 0
    division: int = 0
    remark: str = ""

    def value(self, field: str) -> str | None:
        """Return the 是/否/None answer for a yes/no field."""
        names = [f for f, _ in YES_NO_FIELDS]
        return CODE[self.answers[names.index(field)]]

    def is_yes(self, field: str) -> bool:
        """Whether the unit answered 是 to a yes/no field."""
        return self.value(field) == YES


def neutral(number: str, full_width: bool = True) -> str:
    """Name a unit the report does not name: 中央单位, then a bracketed number."""
    left, right = (LPAR, RPAR) if full_width else ("(", ")")
    return f"中央单位{left}{number}{right}"


PARTY, STATE, NEWS, MASS, INST = ("党委机关", "国家机关", "新闻单位", "人民团体", "事业单位")

# Column order of the answer codes:
#   rules plan layered | group aplan conducted appraisal lifemtg feedback
#   applied | accrules enforced
ROWS_2004: list[Row] = [
    Row("中央组织部", PARTY, "YYYYYYYYYYYN"),
    Row("中央政法委员会", PARTY, "YYYYYYYYYYYN"),
    Row(neutral("一"), PARTY, "YYYYYYYNYYYN"),
    Row(neutral("二"), PARTY, "YNNNNNNYNNNN"),
    Row(neutral("三"), PARTY, "YYYYYYYYYNYY", bureau=3),
    Row(neutral("四"), PARTY, "YYYNNYYYYNNN"),
    Row(neutral("五"), PARTY, "NNNNNNNNNNNN"),
    Row(neutral("六"), PARTY, "YYYYYYYYYYNN"),
    Row(neutral("七"), PARTY, "YYNNNNNYNNNY", bureau=1, division=1),
    Row(
        "国家广播电影电视总局",
        STATE,
        "YYYYYYYYYYYN",
        remark=f"成立党风廉政建设协调小组{COMMA}年初分解重点任务{SEMI}分层开展考核",
    ),
    Row(neutral("八"), STATE, "YYYYYYYYYYYN"),
    Row(neutral("九"), STATE, "YN.NYYYYYYNN"),
    Row(neutral("十"), STATE, "YNNNNNNNNNNN"),
    Row(neutral("十一"), STATE, "YYYYYYYYNNNN"),
    Row(neutral("十二"), STATE, "NNNNNNNYNNNN"),
    Row(neutral("十三"), STATE, "YYYYYYYYYYYY", bureau=3),
    Row(neutral("十四"), STATE, "NNNNNNNNNNNN"),
    Row(neutral("十五"), STATE, "YYYYYNNYNNNN"),
    Row(neutral("十六"), STATE, "YYYYYYYYYYNN"),
    Row(neutral("十七"), STATE, "YYNNYNNYNNNN"),
    Row(neutral("十八"), STATE, "YYYYYYYYYNNN"),
    Row(neutral("十九"), STATE, "YNNNNNNNNNNN"),
    Row(neutral("二十"), STATE, "YNNNNNNYNNNN"),
    Row(
        "新华通讯社",
        NEWS,
        "YYYYYYYYYYYY",
        bureau=4,
        remark=f"已制定责任追究实施意见{SEMI}考核以无记名投票方式进行民主测评",
    ),
    Row("经济日报社", NEWS, "YYYYYYYYYYYN", remark="采取自查与定期抽查相结合的方式开展考核"),
    Row("光明日报社", NEWS, "YYYYYYYYYYYN"),
    Row(neutral("二十一"), NEWS, "YYNYYYYYYYNN"),
    Row(neutral("二十二"), NEWS, "NNNNNNNNNNNN"),
    Row("中国作家协会", MASS, "YYYYYYYYYYYN"),
    Row("中国科学技术协会", MASS, "YYYYYYYYYYYN"),
    Row("共青团中央", MASS, "YYYYYYYYYNYN"),
    Row(neutral("二十三"), MASS, "YYY.YYYYYYNN", remark="考核工作由机关党委统一组织"),
    Row(neutral("二十四"), MASS, "YYYNYNNYNNNN"),
    Row(neutral("二十五"), MASS, "YNNNNNNNNNNN"),
    Row(neutral("二十六"), MASS, "YYYNYNNYNNNN"),
    Row("中央党校", INST, "YYYYYYYYYYYN"),
    Row(neutral("二十七"), INST, "YNNNNNN.NNNN"),
    Row(neutral("二十八"), INST, "NNNNNNNNNNNN"),
]

# 2003 is illustrative. 经济日报 is the former name of 经济日报社 (see
# unit_aliases.csv); unit 十三 is written with half-width brackets; unit
# 二十九 returned in 2003 only, unit 二十八 in 2004 only. Unit 十八 answers
# layered decomposition 是 without a plan: the one deliberate breach of a
# consistency rule.
ROWS_2003: list[Row] = [
    Row("中央组织部", PARTY, "YYYYYYYYYYYN"),
    Row("中央政法委员会", PARTY, "YYYYYYYYYYYN"),
    Row(neutral("一"), PARTY, "YYYYYYYYNNNN"),
    Row(neutral("二"), PARTY, "YNNNNNNNNNNN"),
    Row(neutral("三"), PARTY, "YYYYYYYYYNYN"),
    Row(neutral("四"), PARTY, "YYNNNNNYNNNN"),
    Row(neutral("五"), PARTY, "NNNNNNNNNNNN"),
    Row(neutral("六"), PARTY, "YYYNYYYYYYNN"),
    Row(neutral("七"), PARTY, "YNNNNNNYNNNN"),
    Row("国家广播电影电视总局", STATE, "YYYYYYYYYYYN"),
    Row(neutral("八"), STATE, "YYYYYYYYYYYN"),
    Row(neutral("九"), STATE, "YNNNNNNYNNNN"),
    Row(neutral("十"), STATE, "NNNNNNNNNNNN"),
    Row(neutral("十一"), STATE, "YYNN.NNYNNNN"),
    Row(neutral("十二"), STATE, "YNNNNNNNNNNN"),
    Row(neutral("十三", full_width=False), STATE, "YYYYYYYYYYNN"),
    Row(neutral("十四"), STATE, "NNNNNNNNNNNN"),
    Row(neutral("十五"), STATE, "NYNNYNNYNNNN"),
    Row(neutral("十六"), STATE, "YYYNYYYYYYNN"),
    Row(neutral("十七"), STATE, "YNNNNNNYNNNN"),
    Row(neutral("十八"), STATE, "YNYYYYYYYNNN", remark="责任分解方案待印发"),
    Row(neutral("十九"), STATE, "NNNNNNNNNNNN"),
    Row(neutral("二十"), STATE, "YNNNNNNN.NNN"),
    Row("新华通讯社", NEWS, "YYYYYYYYYYYY", bureau=4),
    Row("经济日报", NEWS, "YYYYYYYYYYYN"),
    Row("光明日报社", NEWS, "YYYYYYYYYYNN"),
    Row(neutral("二十一"), NEWS, "YYNNYNN.NNNN"),
    Row(neutral("二十二"), NEWS, "NNNNNNNNNNNN"),
    Row("中国作家协会", MASS, "YYYYYYYYYYYN"),
    Row("中国科学技术协会", MASS, "YYYYYYNYNNYN"),
    Row("共青团中央", MASS, "YYYYYYYYYNNN"),
    Row(neutral("二十三"), MASS, "YYYYYNNYNNNN"),
    Row(neutral("二十四"), MASS, "YNNNNNNYNNNN"),
    Row(neutral("二十五"), MASS, "NNNNNNNNNNNN"),
    Row(neutral("二十六"), MASS, "YNNNNNNYNNNY", division=2),
    Row("中央党校", INST, "YYYYYYYYYYYN", remark="责任分解纳入校委年度工作要点"),
    Row(neutral("二十七"), INST, "YNNNNNNNNNNN"),
    Row(neutral("二十九"), INST, "NNNNNNNNNNNN"),
]

ALIASES: list[tuple[str, str]] = [
    ("经济日报", "经济日报社"),
    ("新华社", "新华通讯社"),
    ("中组部", "中央组织部"),
    ("中央政法委", "中央政法委员会"),
    ("广电总局", "国家广播电影电视总局"),
    ("团中央", "共青团中央"),
    ("中国科协", "中国科学技术协会"),
    ("中国作协", "中国作家协会"),
]

# Every figure of published-2004.csv: numerators over all 38 units, and
# over the 22 units that carried out an assessment.
PUBLISHED_2004: dict[str, int] = {
    "units_surveyed": 38,
    "rules_define_responsibility": 33,
    "decomposition_plan": 26,
    "decomposition_layered": 23,
    "assessment_leading_group": 20,
    "assessment_plan": 25,
    "assessment_conducted": 22,
    "assessment_democratic_appraisal": 22,
    "reported_at_life_meeting": 29,
    "assessment_feedback": 21,
    "assessment_results_applied": 17,
    "accountability_rules": 14,
    "accountability_enforced": 4,
    "cadres_accountable_bureau": 11,
    "cadres_accountable_division": 1,
}
PUBLISHED_2004_ASSESSED: dict[str, int] = {
    "assessment_conducted": 22,
    "assessment_feedback": 21,
    "assessment_results_applied": 17,
}
# The only 2003 anchor: units with a decomposition plan.
PLAN_2003 = 21
UNITS_PER_YEAR = 38

NEEDS: dict[str, str] = {
    "decomposition_layered": "decomposition_plan",
    "assessment_democratic_appraisal": "assessment_conducted",
    "assessment_feedback": "assessment_conducted",
    "assessment_results_applied": "assessment_conducted",
}


def counts(rows: list[Row]) -> dict[str, int]:
    """Count 是 per yes/no field and sum the cadre counts."""
    out = {"units_surveyed": len(rows)}
    out |= {f: sum(r.is_yes(f) for r in rows) for f, _ in YES_NO_FIELDS}
    out["cadres_accountable_bureau"] = sum(r.bureau for r in rows)
    out["cadres_accountable_division"] = sum(r.division for r in rows)
    return out


def breaches(rows: list[Row]) -> list[str]:
    """List the consistency-rule breaches, one line per unit and rule."""
    found = []
    for r in rows:
        for field, needed in NEEDS.items():
            if r.is_yes(field) and not r.is_yes(needed):
                found.append(f"{r.name}: {field}=是 without {needed}=是")
        if r.is_yes("accountability_enforced") != (r.bureau + r.division > 0):
            found.append(f"{r.name}: accountability_enforced vs cadre counts")
    return found


# The forms of 2001-2003 did not yet ask this question (instrument.yaml: asked_from 2004):
# their returns have no such column, and their pages read "not asked", never 0.
NEW_IN_2004 = "reported_at_life_meeting"
NOT_ASKED: dict[int, tuple[str, ...]] = {2001: (NEW_IN_2004,), 2002: (NEW_IN_2004,), 2003: (NEW_IN_2004,)}
# Units that had not yet joined the survey in the illustrative earlier years.
JOINED_2002 = (neutral("二十七"),)
JOINED_2003 = (neutral("二十六"), neutral("二十九"))


def _tick(i: int, j: int, step: int, every: int) -> bool:
    """A fixed, even spread of cells (no randomness): unit i, question j."""
    return (i * step + j * 3) % every == 0


def earlier_year(rows: list[Row], joined: tuple[str, ...], step: int) -> list[Row]:
    """An illustrative earlier year: a little weaker, a few answers better, fewer units.

    Some yes answers were not yet yes; a few no answers were yes and later lapsed (the
    follow-up list of units that went from yes to no). Answers that a rule makes depend on
    another follow it (no layered decomposition without a plan, nothing about results
    without an assessment), and accountability enforced goes with its cadres.
    """
    names = [f for f, _ in YES_NO_FIELDS]
    out = []
    for i, r in enumerate(x for x in rows if x.name not in joined):
        codes = list(r.answers)
        for j, code in enumerate(codes):
            if code == "Y" and _tick(i, j, step, 4):
                codes[j] = "N"
            elif code == "N" and _tick(i, j, step + 2, 11):
                codes[j] = "Y"
        answer = dict(zip(names, codes, strict=True))
        for field, needed in NEEDS.items():
            if answer[field] == "Y" and answer[needed] != "Y":
                codes[names.index(field)] = "N"
        enforced = codes[names.index("accountability_enforced")] == "Y"
        bureau, division = (
            (r.bureau, r.division) if enforced and r.bureau + r.division else ((1, 0) if enforced else (0, 0))
        )
        out.append(Row(r.name, r.kind, "".join(codes), bureau=bureau, division=division))
    return out


ROWS_2002 = earlier_year(ROWS_2003, JOINED_2003, step=7)
ROWS_2001 = earlier_year(ROWS_2002, JOINED_2002, step=5)


def check(rows_2004: list[Row], rows_2003: list[Row]) -> None:
    """Fail loudly unless the tables honour the published figures and rules."""
    for rows in (rows_2004, rows_2003):
        assert all(len(r.answers) == len(YES_NO_FIELDS) for r in rows)
        assert len({r.name for r in rows}) == len(rows) == UNITS_PER_YEAR
    got = counts(rows_2004)
    assert got == PUBLISHED_2004, got
    assessed = [r for r in rows_2004 if r.is_yes("assessment_conducted")]
    got = {f: sum(r.is_yes(f) for r in assessed) for f in PUBLISHED_2004_ASSESSED}
    assert got == PUBLISHED_2004_ASSESSED, got
    assert breaches(rows_2004) == [], breaches(rows_2004)
    assert counts(rows_2003)["decomposition_plan"] == PLAN_2003
    assert len(breaches(rows_2003)) == 1, breaches(rows_2003)


def build_workbook(year: int, rows: list[Row], title: str) -> Workbook:
    """Lay out one year's consolidated return as a unit would send it (that year's form)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    fields = [f for f, _ in YES_NO_FIELDS if f not in NOT_ASKED.get(year, ())]
    header_row = [h for h in HEADER_ROW if h not in {zh for f, zh in YES_NO_FIELDS if f not in fields}]
    width = len(header_row)
    last = get_column_letter(width)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = f"填报时间{COLON}{year + 1}年1月"
    ws["A2"].alignment = Alignment(horizontal="right")
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[HEADER_LINE].height = 60

    for col, header in enumerate(header_row, start=1):
        cell = ws.cell(row=HEADER_LINE, column=col, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box

    for i, r in enumerate(rows, start=1):
        values: list[object] = [i, r.name, r.kind]
        values += [r.value(f) for f in fields]
        values += [r.bureau, r.division, r.remark or None]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=HEADER_LINE + i, column=col, value=value)
            cell.border = box
            if FIRST_ANSWER_COLUMN <= col < width:
                cell.alignment = Alignment(horizontal="center")

    notes_row = HEADER_LINE + len(rows) + 2
    ws.cell(
        row=notes_row,
        column=1,
        value=f"注{COLON}{LQUO}是/否{RQUO}按{year}年度实际情况填写{SEMI}空白表示未填报。",
    )
    ws.merge_cells(f"A{notes_row}:{last}{notes_row}")

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 10
    for col in range(FIRST_ANSWER_COLUMN, width):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.column_dimensions[last].width = 40
    ws.freeze_panes = "C4"

    wb.properties.creator = "scripts/make_sample_data.py"
    wb.properties.lastModifiedBy = "scripts/make_sample_data.py"
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def sha256(data: bytes) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def figures_table(years: dict[int, list[Row]]) -> str:
    """Markdown table of the per-question counts of every year ("not asked" where the form lacked it)."""
    shown = {year: counts(rows) for year, rows in sorted(years.items())}
    last = max(shown)
    lines = [
        "| indicator | "
        + " | ".join(f"{y} (= published)" if y == 2004 else f"{y} (illustrative)" for y in shown)
        + " |",
        "|---|" + "---:|" * len(shown),
    ]
    lines += [
        f"| {k} | "
        + " | ".join("not asked" if k in NOT_ASKED.get(y, ()) else str(c[k]) for y, c in shown.items())
        + " |"
        for k in shown[last]
    ]
    return "\n".join(lines)


def blank_cells(rows: list[Row], year: int) -> list[str]:
    """Describe every blank (no answer) cell of a question the year asked as 'unit: field'."""
    names = [f for f, _ in YES_NO_FIELDS]
    return [
        f"{r.name}: `{names[i]}`"
        for r in rows
        for i, code in enumerate(r.answers)
        if code == "." and names[i] not in NOT_ASKED.get(year, ())
    ]


# The office's own words for the 2004 report (its part three, opinions and suggestions),
# after the published report; written by people, shown on the page as such.
COMMENTARY_2004 = {
    "zh": """## 进一步提高对落实责任制重要性的认识

加强宣传教育和工作交流，适时召开各部委落实责任制经验交流会，使各级党组织和
主要负责同志明确自己在党风廉政建设和反腐败工作中的责任，了解责任制的内容和
落实办法，增强落实的自觉性。

## 创新责任追究的内容和方法

- 在内容上，把教育、制度、监督并重的惩治和预防腐败体系引入责任制，使两者
  互为内容和载体。
- 在方法上，研究制定责任追究的具体办法，明确追究的对象、原则、方式和政策界限。

## 加强对落实责任制的监督检查

纪检监察部门要注意了解责任制的落实情况，及时解决存在的问题；经常与各部门
沟通，听取意见和建议；深入基层，引导干部职工支持和参与这项工作。
""",
    "en": """## Raise awareness of why the responsibility system matters

Strengthen publicity, education and the exchange of experience: hold a meeting of the
ministries and commissions on implementing accountability, so that party organisations
and leading comrades at every level know their responsibilities and how the system is
carried out.

## New content and methods of accountability

- Content: bring education, rules and supervision, with equal weight, into the system
  for punishing and preventing corruption.
- Methods: draw up specific rules for accountability, stating whom it covers, its
  principles, its forms and its policy limits.

## Supervise and inspect the implementation

Discipline inspection departments should follow how the system is implemented and
solve problems in time, talk to the departments and listen to their views, and go to
the grassroots to bring cadres and staff into this work.
""",
}


def readme(files: dict[str, bytes]) -> str:
    """Text of data/raw/README.md; ``files`` maps each file's label to its bytes."""
    sums = "\n".join(f"| `{label}` | `{sha256(data)}` |" for label, data in files.items())
    xlsx_2004, xlsx_2003 = (Path(label).name for label in list(files)[:2])
    blanks_2004 = "\n".join(f"  - {b}" for b in blank_cells(ROWS_2004, 2004))
    blanks_2003 = "\n".join(f"  - {b}" for b in blank_cells(ROWS_2003, 2003))
    joined = ", ".join(f"`{n}`" for n in JOINED_2003)
    breach = "\n".join(f"  - {b}" for b in breaches(ROWS_2003))
    return f"""# Raw survey returns (sample data)

This folder is the pipeline's **read-only input**. The pipeline reads it and
never edits, moves or rewrites anything here; everything derived goes
elsewhere. The files are generated by `scripts/make_sample_data.py`
(deterministic, no randomness); do not edit them by hand, change the script
and re-run it instead (`python scripts/make_sample_data.py`).

## Files

- `2004/{xlsx_2004}`: the consolidated 2004 return of the 38 central
  units, one sheet `{SHEET_NAME}` laid out as units return it (merged title,
  filing date, header row 3 with 序号 and 备注, one row per unit, a notes
  row below).
- `2003/{xlsx_2003}`: the 2003 return, same layout, on the 2003 form: it has
  no column `纳入民主生活会和述职述廉` (`{NEW_IN_2004}`), a question first asked
  in 2004 (`asked_from: 2004` in `instrument.yaml`). Pages of 2001-2003 read
  "not asked" for it, the 2004 page "new this year", and the trends show a gap.
- `2002/…-2002.xlsx` and `2001/…-2001.xlsx`: **illustrative** years made by
  the script from 2003 (no real figures): a little weaker, with a few answers
  that were yes and later lapsed, and fewer units ({joined} joined in 2003,
  `{JOINED_2002[0]}` in 2002). Same form as 2003.
- `unit_aliases.csv`: `alias,unit_name` (UTF-8), former or variant unit names
  mapped to the canonical name. Only `经济日报` (2003) occurs in the sample;
  the others are common short forms. Names that differ only in spaces or
  full-width/half-width characters need no alias.

## Where the figures come from

**2004** is built to reproduce exactly every figure of the published 2004
report (`investigation-report-2004.txt`, all 18 rows of
`published-2004.csv`): counting 是 as yes and blank or 否 as not yes, over
all 38 units, and over the 22 units that carried out an assessment for
feedback (21) and use of results (17). It also honours what the report says
about named units (中央组织部, 中央党校, 中国作家协会, 国家广播电影电视总局,
经济日报社, 新华通讯社, ...): for example 新华通讯社 decomposes
responsibility level by level, assesses with democratic appraisal, has
accountability rules and held 4 bureau-level cadres accountable. The four
units that enforced accountability hold 11 bureau-level and 1
division-level cadres in total. The report does **not** publish unit-level
answers: the individual rows, the 28 neutrally named units
(`{neutral("一")}` ... `{neutral("二十八")}`) and the remarks are constructed
and illustrative. The 2004 table satisfies every consistency rule.

**2003** is entirely illustrative: made up, plausible, a little weaker than
2004. Its anchors are the 21 of 38 units with a decomposition plan and the
report's remark that 新华通讯社 held eight bureau-level cadres accountable
in two years (4 in 2003, 4 in 2004).
Deliberate quirks for the pipeline to handle:

- `经济日报` is the 2003 name of `经济日报社` (mapped in `unit_aliases.csv`).
- `中央单位(十三)` is written with half-width brackets (2004:
  `{neutral("十三")}`); no alias needed.
- `{neutral("二十九")}` returned in 2003 only and `{neutral("二十八")}` in 2004
  only.
- `2004/commentary.zh.md` and `commentary.en.md` are the office's opinions and
  suggestions for the 2004 report (its part three), after the published report;
  each language's page shows its file as written by the office, not computed.
  They are never read as returns.
- `2004/report.yaml` names the office that issues the 2004 report and the date
  it is written (office_zh, office_en, date; optionally title_zh, title_en).
  2001-2003 have none, so their reports are marked as drafts (草稿 / Draft).
- One consistency-rule breach, for the data-quality section:
{breach}

Blank cells (no answer; counted in the denominator, not as yes):

- 2004:
{blanks_2004}
- 2003:
{blanks_2003}

{figures_table({2001: ROWS_2001, 2002: ROWS_2002, 2003: ROWS_2003, 2004: ROWS_2004})}

## Adding a year

Drop that year's returns (xlsx or csv, one consolidated table or one file
per unit) into `data/raw/<year>/` and add any renamed units to
`unit_aliases.csv`. Nothing else in this folder changes.

## Checksums (SHA-256)

| file | sha256 |
|---|---|
{sums}
"""


# Who issues the 2004 report and when (the published report's office and date); the
# illustrative years have none, so their pages are drafts.
ISSUER_2004 = """\
# The office that issues the 2004 report and the date it is written (see data/raw/README.md).
office_zh: 中央纪委研究室
office_en: Research Office of the Central Commission for Discipline Inspection
date: 2005-01-28
"""


def sample_files() -> dict[str, bytes]:
    """Every sample file by its path under the raw folder, made in memory."""
    check(ROWS_2004, ROWS_2003)
    title_2003 = f"{FORM_NAME}{LPAR}2003年度{RPAR}"
    files = {
        f"2004/{FORM_NAME}-2004.xlsx": xlsx_bytes(build_workbook(2004, ROWS_2004, FORM_NAME), ZIP_TIME),
        f"2003/{FORM_NAME}-2003.xlsx": xlsx_bytes(build_workbook(2003, ROWS_2003, title_2003), ZIP_TIME),
    }
    for year, rows in ((2002, ROWS_2002), (2001, ROWS_2001)):
        title = f"{FORM_NAME}{LPAR}{year}年度{RPAR}"
        files[f"{year}/{FORM_NAME}-{year}.xlsx"] = xlsx_bytes(build_workbook(year, rows, title), ZIP_TIME)
    alias_lines = ["alias,unit_name"] + [f"{a},{u}" for a, u in ALIASES]
    for lang, text in COMMENTARY_2004.items():
        files[f"2004/commentary.{lang}.md"] = text.encode("utf-8")
    files["2004/report.yaml"] = ISSUER_2004.encode("utf-8")
    files["unit_aliases.csv"] = ("\n".join(alias_lines) + "\n").encode("utf-8")
    files["README.md"] = readme(files).encode("utf-8")
    return files


def main(raw: Path = RAW, force: bool = False) -> int:
    """Write the sample files under data/raw/ (or another folder); never overwrite a file that
    differs from the sample's (the analyst's own aliases or notes) unless ``force``."""
    kept = []
    for label, data in sample_files().items():
        path = raw / label
        if path.exists() and path.read_bytes() != data and not force:
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(path)
    for path in kept:
        print(
            f"kept {path}: it differs from the sample's and may be your own; --force overwrites it",
            file=sys.stderr,
        )
    return 1 if kept else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--force"]
    sys.exit(main(Path(args[0]) if args else RAW, force="--force" in sys.argv[1:]))
