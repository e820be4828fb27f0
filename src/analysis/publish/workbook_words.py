"""The workbook's words: every header, sheet name and note, said from the wording catalogue.

The workbook is read by teams in both languages, so it shows the Chinese and the English side
by side: each key is said once in each language (`in_both`), Chinese first, as the header rows
stand. The keys are written out at every `say`, because the wording check reads them from the
code; a function here says a whole group of keys in the language of the moment.

Where the pages already say a thing (an answer, "not asked", "no units in the base", "new this
year"), the workbook says it with the pages' key, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from analysis.publish.wording import FORM_LANGUAGE, language, say

T = TypeVar("T")
ORDER = ("zh", "en")  # the workbook's languages, in the order they stand: Chinese, then English


def in_both(said: Callable[[], T]) -> tuple[T, T]:
    """What `said()` returns in Chinese and in English: the workbook shows both."""
    found = []
    for lang in ORDER:
        with language(lang):
            found.append(said())
    return found[0], found[1]


def side_by_side(zh: str, en: str) -> str:
    """One cell in both languages, Chinese first: '未调查 not asked'."""
    return f"{zh} {en}"


def _headers() -> dict[str, str]:
    return {
        "year": say("workbook.column.year"),
        "previous_year": say("workbook.column.previous_year"),
        "numerator": say("workbook.column.numerator"),
        "denominator": say("workbook.column.denominator"),
        "percent": say("workbook.column.percent"),
        "link_zh": say("workbook.column.link_zh"),
        "link_en": say("workbook.column.link_en"),
        "indicator": say("workbook.column.indicator"),
        "indicator_zh": say("workbook.column.indicator_zh"),
        "indicator_en": say("workbook.column.indicator_en"),
        "population": say("workbook.column.population"),
        "population_zh": say("workbook.column.population_zh"),
        "population_en": say("workbook.column.population_en"),
        "status": say("workbook.column.status"),
        "previous_numerator": say("workbook.column.previous_numerator"),
        "previous_denominator": say("workbook.column.previous_denominator"),
        "previous_percent": say("workbook.column.previous_percent"),
        "change_numerator": say("workbook.column.change_numerator"),
        "change_pp": say("workbook.column.change_pp"),
        "unit_name": say("workbook.column.unit_name"),
        "unit_type": say("workbook.column.unit_type"),
        "source_file": say("workbook.column.source_file"),
        "source_row": say("workbook.column.source_row"),
        "field": say("workbook.column.field"),
        "question_zh": say("workbook.column.question_zh"),
        "question_en": say("workbook.column.question_en"),
        "counted": say("workbook.column.counted"),
        "said_no": say("workbook.column.said_no"),
        "no_answer": say("workbook.column.no_answer"),
        "severity": say("workbook.column.severity"),
        "kind": say("workbook.column.kind"),
        "unit": say("workbook.column.unit"),
        "file": say("workbook.column.file"),
        "sheet": say("workbook.column.sheet"),
        "row": say("workbook.column.row"),
        "column": say("workbook.column.column"),
        "value": say("workbook.column.value"),
        "expected": say("workbook.column.expected"),
        "item_zh": say("workbook.column.item_zh"),
        "item_en": say("workbook.column.item_en"),
        "fact": say("workbook.column.fact"),
        "holds_zh": say("workbook.column.holds_zh"),
        "holds_en": say("workbook.column.holds_en"),
        "input_file": say("workbook.column.input_file"),
        "sha256": say("workbook.column.sha256"),
        "bytes": say("workbook.column.bytes"),
    }


def headers() -> dict[str, tuple[str, str]]:
    """Each column's Chinese and English header, by the column's key in its table."""
    zh, en = in_both(_headers)
    return {key: (zh[key], en[key]) for key in zh}


def year_headers(year: int) -> tuple[str, str]:
    """The header of a year's figures, as the pages write it: ('2004年', '2004')."""
    return in_both(lambda: say("table.year", year=year))


def _notes() -> dict[str, str]:
    return {
        "not_asked": say("trends.not_asked"),
        "no_base": say("figure.no_base"),
        "no_previous": say("workbook.note.no_previous"),
        "new": say("change.new"),
        "not_comparable": say("change.not_comparable", no_base=say("figure.no_base")),
        "warning": say("workbook.severity.warning"),
        "error": say("workbook.severity.error"),
    }


def notes() -> dict[str, str]:
    """A status column's notes and a finding's severity, each in both languages in one cell."""
    zh, en = in_both(_notes)
    return {key: side_by_side(zh[key], en[key]) for key in zh}


def answers() -> dict[bool | None, str]:
    """A unit's answer as the form writes it (yes, no; None: not asked), in the form's language."""
    with language(FORM_LANGUAGE):
        return {True: say("answer.yes"), False: say("answer.no"), None: say("trends.not_asked")}


def list_separator() -> str:
    """What stands between unit names in a list: they are Chinese, and so is the separator."""
    with language(FORM_LANGUAGE):
        return say("list.units")


def _sheets() -> dict[str, tuple[str, str]]:
    return {
        "about": (say("workbook.sheet.about.name"), say("workbook.sheet.about.holds")),
        "long": (say("workbook.sheet.long.name"), say("workbook.sheet.long.holds")),
        "wide": (say("workbook.sheet.wide.name"), say("workbook.sheet.wide.holds")),
        "comparison": (say("workbook.sheet.comparison.name"), say("workbook.sheet.comparison.holds")),
        "answers": (say("workbook.sheet.answers.name"), say("workbook.sheet.answers.holds")),
        "follow_up": (say("workbook.sheet.follow_up.name"), say("workbook.sheet.follow_up.holds")),
        "counted": (say("workbook.sheet.counted.name"), say("workbook.sheet.counted.holds")),
        "quality": (say("workbook.sheet.quality.name"), say("workbook.sheet.quality.holds")),
    }


def sheets() -> dict[str, tuple[str, str, str]]:
    """Each sheet's name (both languages) and what it holds, in Chinese and in English."""
    zh, en = in_both(_sheets)
    return {key: (side_by_side(zh[key][0], en[key][0]), zh[key][1], en[key][1]) for key in zh}


def _facts() -> dict[str, str]:
    return {
        "years": say("workbook.about.years"),
        "made_from": say("workbook.about.made_from"),
        "percent": say("workbook.about.percent"),
        "percent_value": say("workbook.about.percent_value"),
        "empty": say("workbook.about.empty"),
        "empty_value": say("workbook.about.empty_value"),
        "no_answer": say("answer.no_answer"),
        "no_answer_value": say("workbook.about.no_answer_value"),
        "made_by": say("workbook.about.made_by"),
    }


def facts() -> dict[str, tuple[str, str]]:
    """The About sheet's items and explanations, in Chinese and in English."""
    zh, en = in_both(_facts)
    return {key: (zh[key], en[key]) for key in zh}


def title() -> str:
    """The workbook's title (its document properties), in both languages."""
    return side_by_side(*in_both(lambda: say("workbook.title")))
