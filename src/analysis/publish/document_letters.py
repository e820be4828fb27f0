"""A letter to each unit surveyed: `reports/zh/units/<year>/<unit name>.docx` (Chinese only).

Each unit learns what it answered to every question the year's form asked, beside the share of
all units that answered yes ("23/38（60.5%）", as the report says it) and its own answer the year
before; then, in words, the questions it answered no, those that went from yes to no, those it
left blank, and what in its return needs checking (the year's findings that name it). The layout
is the report's (`document_layout`): the office's, with its signature or the draft marking.

A unit's name becomes the file's name, made safe for every file system (Windows' forbidden
characters and names, trailing dots and spaces, length, names that differ only in case); when
any had to change, `文件名对照.csv` beside the letters says which file is whose.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from docx.document import Document

from analysis.figures.indicators import percent_half_up
from analysis.findings import warnings
from analysis.intake.issuer import Issuer
from analysis.paths import DOCUMENT_SUFFIX, LETTER_LANG, Paths, file_stems
from analysis.paths import file_stem as file_stem  # the rule is paths'; named here as before
from analysis.publish import document_layout as layout
from analysis.publish import document_package as package
from analysis.publish import document_tables as word_tables
from analysis.publish.document_report import issuer_of
from analysis.publish.figure_words import share_text
from analysis.publish.load import ReportData, load_year
from analysis.publish.tables import answer_words, breach_answers, header
from analysis.publish.wording import in_language, language, say
from analysis.store import csv_text, remove_leftovers, write_atomic

NOT_ASKED, NOT_SURVEYED = "not asked", "not surveyed"  # the year before, in place of an answer


def write_letters(year: int, paths: Paths) -> list[Path]:
    """Every unit's letter for the year, and the list of names changed to make file names (only when
    one was); letters of units no longer in the returns are removed. Returns the files written."""
    data = load_year(year, raw_dir=paths.raw, processed_dir=paths.processed, lang=LETTER_LANG)
    folder = paths.letters(year)
    folder.mkdir(parents=True, exist_ok=True)
    remove_leftovers(folder)
    units = list(data.result.returns["unit_name"])
    stems = file_stems(units)
    issuer = issuer_of(data)
    written = []
    with language(LETTER_LANG):
        title = say("letter.title", year=year)
        office = "" if issuer is None else issuer.office_zh
        document = layout.new_document(LETTER_LANG)
        saved, known = b"", Year.of(data)
        for unit in units:
            layout.clear_body(document)
            letter(document, known, unit, issuer)
            if not saved:
                saved = package.document_bytes(document, LETTER_LANG, title, office)
                content = saved
            else:
                content = package.with_body(saved, document)
            path = paths.letter(year, stems[unit])
            write_atomic(path, lambda tmp, content=content: tmp.write_bytes(content))
            written.append(path)
        names = paths.letter_names(year)
        changed = [(unit, f"{stems[unit]}{DOCUMENT_SUFFIX}") for unit in units if stems[unit] != unit]
        if changed:
            frame = pd.DataFrame(changed, columns=[say("letter.names_unit"), say("letter.names_file")])
            text = "\ufeff" + csv_text(frame)  # with a BOM: Excel and WPS then read it as UTF-8
            write_atomic(names, lambda tmp: tmp.write_bytes(text.encode("utf-8")))
            written.append(names)
    for stale in folder.iterdir():
        if stale.is_file() and stale not in written and (stale.suffix == DOCUMENT_SUFFIX or stale == names):
            stale.unlink()
    return written


def letter(document: Document, year: Year, unit: str, issuer: Issuer | None) -> None:
    """One unit's letter, in the language set by the caller."""
    data = year.data
    layout.paragraph(document, say("letter.title", year=data.year), "Title")
    if issuer is None:
        layout.paragraph(document, say("title.draft"), "Draft Mark")
    layout.paragraph(document, say("letter.addressee", unit=unit), "Addressee")
    units = len(data.result.returns)
    form = data.instrument.title_zh
    layout.paragraph(document, say("letter.opening", year=data.year, form=form, units=units))
    rows = answer_rows(year, unit)
    caption = say("caption.table", number=1, title=say("letter.table", year=data.year))
    layout.caption(document, caption)
    columns = [header("question"), say("letter.column_unit"), say("letter.column_all")]
    columns.append(say("letter.column_previous"))
    word_tables.table(document, columns, [row[:4] for row in rows], centred=columns[1:])
    for sentence in summary(year, unit, rows):
        layout.paragraph(document, sentence)
    layout.paragraph(document, say("letter.closing"))
    if issuer is None:
        layout.paragraph(document, say("document.unsigned", year=data.year))
    else:
        layout.signature(document, issuer.office_zh, layout.date_text(issuer.date))


@dataclass(frozen=True)
class Year:
    """What every letter of a year reads, worked out once: each unit's answers this year and the
    year before, all units' yes per question, the questions the year before's form asked."""

    data: ReportData
    fields: list[str]
    answers: dict[str, dict[str, object]]
    before: dict[str, dict[str, object]] | None  # None: no year before
    asked_before: set[str]
    shares: dict[str, str]
    answered: dict[str, pd.Series]  # each unit's row, for the consistency rules' answers

    @classmethod
    def of(cls, data: ReportData) -> Year:
        returns = data.result.returns
        fields = data.form.names("yes_no")
        records = returns[["unit_name", *fields]].astype(object).to_dict("records")
        answers = {row["unit_name"]: row for row in records}
        before, asked = None, set()
        if data.previous is not None:
            asked = set(data.instrument.for_year(data.previous_year).names("yes_no"))
            earlier = data.previous.returns
            columns = ["unit_name", *(f for f in fields if f in asked)]
            before = {row["unit_name"]: row for row in earlier[columns].astype(object).to_dict("records")}
        shares = {}
        for field in fields:
            k, n = int(returns[field].fillna(False).astype(bool).sum()), len(returns)
            shares[field] = share_text(k, n, percent_half_up(k, n))
        indexed = returns.set_index("unit_name")
        breaking = set(data.result.breaches["unit_name"])
        answered = {unit: indexed.loc[unit] for unit in breaking if unit in indexed.index}
        return cls(data, fields, answers, before, asked, shares, answered)


def _answer(value: object) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def answer_rows(year: Year, unit: str) -> list[tuple[str, str, str, str, object, object]]:
    """Each yes/no question the year's form asked: its label, the unit's answer, all units' yes as
    'k/n（p%）', the unit's answer the year before; then the two answers as values (None: blank;
    NOT_ASKED or NOT_SURVEYED the year before)."""
    data, own = year.data, year.answers[unit]
    before = None if year.before is None else year.before.get(unit)
    rows = []
    for field in year.fields:
        now = _answer(own[field])
        if year.before is None or field not in year.asked_before:
            then, said = NOT_ASKED, say("letter.previous_not_asked")
        elif before is None:
            then, said = NOT_SURVEYED, say("letter.previous_not_surveyed")
        else:
            then = _answer(before[field])
            said = answer_words(pd.NA if then is None else then)
        label = in_language(data.form.field(field), "label")
        rows.append((label, answer_words(pd.NA if now is None else now), year.shares[field], said, now, then))
    return rows


def summary(year: Year, unit: str, rows: list[tuple]) -> list[str]:
    """The table in words: its no answers, its answers from yes to no, its blanks, its warnings."""
    listed = say("list.units")
    said_no = [row[0] for row in rows if row[4] is False]
    turned = [row[0] for row in rows if row[4] is False and row[5] is True]
    blank = [row[0] for row in rows if row[4] is None]
    sentences = [
        say("letter.said_no", count=len(said_no), items=listed.join(said_no))
        if said_no
        else say("letter.said_no_none")
    ]
    if year.before is not None:
        if unit not in year.before:
            sentences.append(say("letter.turned_not_surveyed"))
        elif turned:
            sentences.append(say("letter.turned", count=len(turned), items=listed.join(turned)))
        else:
            sentences.append(say("letter.turned_none"))
    sentences.append(
        say("letter.blank", count=len(blank), items=listed.join(blank)) if blank else say("letter.blank_none")
    )
    checks = quality_items(year, unit)
    sentences.append(
        say("letter.quality", items=say("list.items").join(checks)) if checks else say("letter.quality_none")
    )
    return sentences


def quality_items(year: Year, unit: str) -> list[str]:
    """What in the unit's return needs checking: each consistency rule it breaks (with its answers),
    its absence from the year before's returns, and any other warning that names it (by file)."""
    data = year.data
    result = data.result
    rules = {rule.id: rule for rule in data.instrument.consistency_rules}
    items = []
    if unit in year.answered:
        for rule in result.breaches.loc[result.breaches["unit_name"].eq(unit), "rule"]:
            answers = breach_answers(data, rules[rule], year.answered[unit])
            items.append(say("letter.quality_rule", rule=in_language(rules[rule], "text"), answers=answers))
    for finding in warnings(result.findings):
        if finding.unit != unit or finding.kind in ("consistency", "no_answer"):
            continue
        if finding.kind == "unmatched_unit":
            item = say("letter.quality_new", previous=data.previous_year)
        else:
            item = say("letter.quality_other", file=finding.file, year=data.year)
        if item not in items:
            items.append(item)
    return items
