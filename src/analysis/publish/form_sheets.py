"""One unit's form as an .xlsx workbook (XlsxWriter): the instructions sheet and the form itself.

The form is the intake's own layout, so a return comes back readable with no warning: a title and
a hint above the header (title rows are skipped), the header with the catalogue's Chinese labels
(a new question's label ends in "（本年新增）", a bracketed hint the intake drops), one row for
the unit, a remarks column (备注, a column the intake ignores) and two note rows below whose
first cells start as notes do (填表, 填报). The instructions sheet's name contains 填表说明, so the
intake skips it without a word.

What a clerk's spreadsheet program enforces: every cell locked but the answers (the sheet is
protected, without a password, against slips rather than intent), 是/否 lists on the yes/no
questions and whole numbers from 0 on the counts, each with a prompt and an error message.
The same inputs give the same bytes: XlsxWriter's zip entries carry a fixed date, the
creation time is SOURCE_DATE_EPOCH (or a constant), and nothing of the machine is written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from analysis.catalogue import Catalogue, FieldSpec, Instrument
from analysis.publish.wording import say
from analysis.publish.workbook_xlsx import created_time, display_width, is_formula_like

ANSWER_FILL = "#FFF2CC"  # pale yellow: the cells to fill in
HEADER_FILL = "#DDEBF7"
NEW_FILL = "#FCE4D6"  # a question new this year
WIDTHS = {"unit_name": 28, "unit_type": 12, "yes_no": 13, "count": 11, "remarks": 24}
INSTRUCTION_WIDTHS = (6, 26, 16, 60)
LINE_HEIGHT = 15  # points per line of wrapped text
# Spreadsheet programs refuse longer prompts and titles in a data validation.
PROMPT_TITLE_MAX, PROMPT_MAX = 32, 255


@dataclass(frozen=True)
class FormSpec:
    """What every form of a year shares: the year's questions, the new ones, the contact."""

    year: int
    form: Instrument  # the questions the year's form asks
    catalogue: Catalogue
    new: frozenset[str]  # names of the questions not on the previous year's form
    office: str | None  # who to contact (report.yaml), if known

    @property
    def title(self) -> str:
        return say("form.title", year=self.year, form=self.form.title_zh)


def write_form(path: Path, spec: FormSpec, unit: tuple[str, str] | None) -> None:
    """The form for `unit` (name, kind), or the blank form when None, at `path`."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    workbook.set_properties({"title": spec.title, "created": created_time()})
    formats = _formats(workbook)
    instructions = workbook.add_worksheet(say("form.sheet_instructions"))
    sheet = workbook.add_worksheet(say("form.sheet"))
    _instructions(instructions, spec, formats, blank=unit is None)
    _form(sheet, spec, formats, unit)
    sheet.activate()
    workbook.close()


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, object]:
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    specs = {
        "title": {"bold": True, "font_size": 16, "align": "center"},
        "hint": {"text_wrap": True, "font_size": 10},
        "header": {"bold": True, "text_wrap": True, "align": "center", "border": 1, "bg_color": HEADER_FILL},
        "new": {"bold": True, "text_wrap": True, "align": "center", "border": 1, "bg_color": NEW_FILL},
        "locked": {"border": 1, "text_wrap": True},
        "locked_quoted": {"border": 1, "text_wrap": True, "quote_prefix": True},
        "answer": {"border": 1, "locked": False, "bg_color": ANSWER_FILL, "align": "center"},
        "answer_text": {"border": 1, "locked": False, "bg_color": ANSWER_FILL, "text_wrap": True},
        "note": {},
        "note_answer": {"locked": False, "bg_color": ANSWER_FILL, "bottom": 1},
        "heading": {"bold": True, "font_size": 14},
        "subheading": {"bold": True},
        "text": {"text_wrap": True, "valign": "top"},
        "cell": {"text_wrap": True, "valign": "top", "border": 1},
    }
    return {name: workbook.add_format({**base, **spec}) for name, spec in specs.items()}


def _protect(sheet: Worksheet) -> None:
    """Locked cells cannot be changed, unlocked ones can; no password, so the office can unlock."""
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True})


def _rows_for(text: str, width: int) -> float:
    """The height of a row whose wrapped text `text` runs in a cell `width` characters wide."""
    return LINE_HEIGHT * max(1, math.ceil(display_width(text) / max(width - 2, 1))) + 4


def _form(sheet: Worksheet, spec: FormSpec, formats: dict, unit: tuple[str, str] | None) -> None:
    fields = list(spec.form.fields)
    last = len(fields)  # the remarks column, after every field
    widths = [WIDTHS.get(f.name, WIDTHS.get(f.kind, 12)) for f in fields] + [WIDTHS["remarks"]]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.merge_range(0, 0, 0, last, spec.title, formats["title"])
    sheet.set_row(0, 30)
    instructions = say("form.sheet_instructions")
    blank_hint = say("form.hint_blank", sheet=instructions)
    hint = blank_hint if unit is None else say("form.hint", sheet=instructions)
    sheet.merge_range(1, 0, 1, last, hint, formats["hint"])
    sheet.set_row(1, _rows_for(hint, sum(widths)))
    header = 2
    for col, field in enumerate(fields):
        new = field.name in spec.new
        label = say("form.new_question", question=field.label_zh) if new else field.label_zh
        sheet.write_string(header, col, label, formats["new" if new else "header"])
    sheet.write_string(header, last, say("form.remarks"), formats["header"])
    sheet.set_row(header, max(_rows_for(f.label_zh, widths[i]) for i, f in enumerate(fields)) + LINE_HEIGHT)
    row = header + 1
    for col, field in enumerate(fields):
        if field.kind == "text":
            value = "" if unit is None else (unit[0] if field.name == "unit_name" else unit[1])
            if unit is None:
                sheet.write_blank(row, col, None, formats["answer_text"])
            else:
                quoted = is_formula_like(value)
                sheet.write_string(row, col, value, formats["locked_quoted" if quoted else "locked"])
        else:
            sheet.write_blank(row, col, None, formats["answer"])
            sheet.data_validation(row, col, row, col, _validation(field, spec.form))
    sheet.write_blank(row, last, None, formats["answer_text"])
    sheet.set_row(row, max(LINE_HEIGHT * 2, _rows_for(unit[0] if unit else "", widths[0])))
    for offset, note in enumerate((say("form.filled_by"), say("form.filled_on"))):
        at = row + 2 + offset
        sheet.write_string(at, 0, note, formats["note"])
        sheet.merge_range(at, 1, at, min(3, last), "", formats["note_answer"])
        sheet.set_row(at, LINE_HEIGHT * 1.6)
    sheet.freeze_panes(row, 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    _protect(sheet)


def _validation(field: FieldSpec, form: Instrument) -> dict[str, object]:
    """A drop-down list of the first yes and no words (是, 否), or whole numbers from 0 to the maximum."""
    common = {"ignore_blank": True, "show_input": True, "show_error": True, "error_type": "stop"}
    if field.kind == "yes_no":
        return {
            **common,
            "validate": "list",
            "source": [form.answers["yes"][0], form.answers["no"][0]],
            "input_title": say("form.yes_no_title")[:PROMPT_TITLE_MAX],
            "input_message": say("form.yes_no_prompt")[:PROMPT_MAX],
            "error_title": say("form.error_title")[:PROMPT_TITLE_MAX],
            "error_message": say("form.yes_no_error")[:PROMPT_MAX],
        }
    return {
        **common,
        "validate": "integer",
        "criteria": "between",
        "minimum": 0,
        "maximum": field.max,
        "input_title": say("form.count_title")[:PROMPT_TITLE_MAX],
        "input_message": say("form.count_prompt", max=field.max)[:PROMPT_MAX],
        "error_title": say("form.error_title")[:PROMPT_TITLE_MAX],
        "error_message": say("form.count_error", max=field.max)[:PROMPT_MAX],
    }


def meaning(field: FieldSpec, catalogue: Catalogue) -> str:
    """What a question means, in the catalogue's words: its indicator's statement, else its label."""
    for indicator in catalogue.indicators:
        if indicator.fields == (field.name,) and indicator.statement_zh:
            if field.kind == "yes_no":
                return say("form.meaning_yes_no", statement=indicator.statement_zh)
            return say("form.meaning_count", statement=indicator.statement_zh)
    return field.label_zh


def _instructions(sheet: Worksheet, spec: FormSpec, formats: dict, blank: bool) -> None:
    for col, width in enumerate(INSTRUCTION_WIDTHS):
        sheet.set_column(col, col, width)
    total = sum(INSTRUCTION_WIDTHS)
    heading = say("form.instructions_heading", year=spec.year, form=spec.form.title_zh)
    sheet.merge_range(0, 0, 0, 3, heading, formats["heading"])
    sheet.set_row(0, 28)
    form_sheet = say("form.sheet")
    steps = [
        say("form.step_sheet", sheet=form_sheet, year=spec.year),
        say("form.step_unit_blank") if blank else say("form.step_unit"),
        say("form.step_yes_no"),
        say("form.step_count"),
        say("form.step_keep"),
    ]
    new = [f.label_zh for f in spec.form.fields if f.name in spec.new]
    if new:
        steps.append(say("form.step_new", questions=say("list.units").join(new)))
    if spec.office:
        steps.append(say("form.contact", office=spec.office))
    row = 2
    for step in steps:
        sheet.merge_range(row, 0, row, 3, step, formats["text"])
        sheet.set_row(row, _rows_for(step, total))
        row += 1
    row += 1
    sheet.merge_range(row, 0, row, 3, say("form.questions_heading"), formats["subheading"])
    row += 1
    columns = (
        say("form.column_number"),
        say("form.column_question"),
        say("form.column_how"),
        say("form.column_meaning"),
    )
    for col, text in enumerate(columns):
        sheet.write_string(row, col, text, formats["header"])
    questions = [f for f in spec.form.fields if f.kind != "text"]
    for number, field in enumerate(questions, start=1):
        row += 1
        new = field.name in spec.new
        label = say("form.new_question", question=field.label_zh) if new else field.label_zh
        how = say("form.how_yes_no") if field.kind == "yes_no" else say("form.how_count")
        said = meaning(field, spec.catalogue)
        for col, text in enumerate((str(number), label, how, said)):
            sheet.write_string(row, col, text, formats["cell"])
        height = max(_rows_for(said, INSTRUCTION_WIDTHS[3]), _rows_for(label, INSTRUCTION_WIDTHS[1]))
        sheet.set_row(row, height)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    _protect(sheet)
