"""Who issues a year's report, and when: `data/raw/<year>/report.yaml`, written by the office.

    office_zh: 中央纪委研究室
    office_en: Research Office of the Central Commission for Discipline Inspection
    date: 2005-01-28
    title_zh: 关于中央单位落实党风廉政建设责任制情况的调研报告     # optional
    title_en: ...                                                 # optional

Optional: without it the report is a draft and says so. With it, every problem is an error
naming the file and the key (an unknown key, a date that is not a date or falls before the end
of the year surveyed, text that is not UTF-8), and nothing is written, as with a bad return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from analysis.findings import Finding
from analysis.paths import ISSUER

REQUIRED = ("office_zh", "office_en", "date")
OPTIONAL = ("title_zh", "title_en")


@dataclass(frozen=True)
class Issuer:
    """The office that issues the report, the date it is written, and its own title if any."""

    office_zh: str
    office_en: str
    date: dt.date
    title_zh: str | None = None
    title_en: str | None = None


def read_issuer(folder: Path, label: str, year: int) -> tuple[Issuer | None, list[Finding]]:
    """The year's `report.yaml`, or None when there is none; its problems as error findings."""
    import yaml

    path = folder / ISSUER
    name = f"{label}/{ISSUER}"
    if not path.is_file():
        return None, []

    def error(expected: str, column: str | None = None, value: object = None) -> Finding:
        shown = None if value is None else str(value)
        return Finding(
            severity="error", file=name, column=column, value=shown, expected=expected, kind="issuer"
        )

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [error("the file in UTF-8 (save it as UTF-8 text, not GBK or GB18030)")]
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        finding = error(
            "YAML lines 'key: value' (office_zh, office_en, date, and optionally title_zh, title_en)"
        )
        return None, [Finding(**{**finding.__dict__, "row": None if line is None else line + 1})]
    if not isinstance(loaded, dict):
        return None, [
            error("YAML lines 'key: value' (office_zh, office_en, date, and optionally title_zh, title_en)")
        ]
    findings = [
        error(f"one of {', '.join(REQUIRED + OPTIONAL)}", column=str(key), value=loaded[key])
        for key in loaded
        if key not in REQUIRED + OPTIONAL
    ]
    findings += [error("this key, which is required", column=key) for key in REQUIRED if key not in loaded]
    texts = {}
    for key in (*REQUIRED[:2], *OPTIONAL):
        value = loaded.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            findings.append(error("text that is not empty", column=key, value=value))
        else:
            texts[key] = value.strip()
    date = _date(loaded.get("date"))
    if "date" in loaded and date is None:
        findings.append(
            error("a date written as 2005-01-28 (year-month-day)", column="date", value=loaded["date"])
        )
    elif date is not None and date.year < year:
        why = f"a date in or after the year surveyed ({year}): the report is written once its returns are in"
        findings.append(error(why, column="date", value=date.isoformat()))
    if findings:
        return None, findings
    return Issuer(
        texts["office_zh"], texts["office_en"], date, texts.get("title_zh"), texts.get("title_en")
    ), []


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
