"""The tables a year page shows, as DataFrames of text: figures with their bases, data quality, provenance.

Column headers and fixed cells are the wording catalogue's; a column's header is its name in
the frame, so `header("change")` finds it again. Labels are in the page's language; a page in
another language than the form's has a column of the form's own (Chinese) words beside them.
"""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis.catalogue import ConsistencyRule, RequiresRule
from analysis.figures.indicators import blank_units
from analysis.findings import Finding, sort_key, warnings
from analysis.paths import shown_path
from analysis.publish.figure_words import (
    base_text,
    change_text,
    count_base_text,
    figure_text,
    form_label,
    named_text,
    row_label,
)
from analysis.publish.load import ReportData
from analysis.publish.shapes import TypeCounts, breaches_per_rule, named
from analysis.publish.wording import in_language, say, shows_form_words

SHOWN_ELSEWHERE = {"consistency", "no_answer"}  # finding kinds with their own data-quality tables
# Columns of Chinese text (unit names above all), marked so browsers pick a Chinese font.
ZH_COLUMNS = ("indicator_zh", "link_zh", "question_zh", "units", "unit")
SOFTWARE = ("pandas", "matplotlib", "seaborn", "mplfonts")


def header(key: str) -> str:
    """A column's header, as the page shows it and as the frame names the column."""
    return say(f"column.{key}")


def units_of(k: int, n: int) -> str:
    return say("figure.units_of", k=k, n=n)


def year_header(year: int) -> str:
    """The header of a year's figures: '2004', '2004年'."""
    return say("table.year", year=year)


def beside_form_words(columns: tuple[str, str], labels: list[str], form: list[str]) -> dict[str, list[str]]:
    """The labels' column, and a column of the form's own words beside it unless the page is written in them
    (a year page's tables and the trends page's alike)."""
    label_column, form_column = columns
    return {label_column: labels, **({form_column: form} if shows_form_words() else {})}


def phone_rows(table: dict, keep: tuple[str, ...]) -> dict:
    """`table` (from `parts.table_data`) marked to be read row by row on a phone (report.css): the
    columns `keep` (the row's name, this year, the change) on a row's first line, the others on the
    line under it, each with its column's name; a column with one value in every row (统计范围) is
    said once, under the table, so a phone's narrow box holds every row without scrolling."""
    roles = dict(zip(keep, ("key", "now", "change"), strict=False))
    texts = pd.DataFrame([[cell["text"] for cell in row] for row in table["rows"]])
    constant = set(one_value_columns(texts))
    columns, same = [], []
    for i, column in enumerate(table["columns"]):
        label = say("table.phone_label", column=column["name"])
        role = roles.get(column["name"]) or ("same" if i in constant else "more")
        if role == "same":
            same.append(label + str(table["rows"][0][i]["text"]))
        columns.append({**column, "role": role, "label": label})
    return {**table, "css": f"{table['css']} phone-rows", "columns": columns, "same": same}


def one_value_columns(frame: pd.DataFrame) -> list[str]:
    """The columns with one value in every row of a table of two rows or more (统计范围 when every
    share is of all units): said once under the table, on a phone and on paper."""
    if len(frame) < 2:
        return []
    return [column for i, column in enumerate(frame.columns) if frame.iloc[:, i].astype(str).nunique() == 1]


def said_once(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """`frame` without its one-value columns, and each as the line that says it ('统计范围：…')."""
    once = one_value_columns(frame)
    lines = [say("table.phone_label", column=c) + str(frame[c].iloc[0]) for c in once]
    return frame.drop(columns=once), lines


def side_by_side(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows cut in two, the second half beside the first (an odd last row beside blanks): a
    long, narrow table on half the paper."""
    half = -(-len(frame) // 2)
    first = frame.iloc[:half].reset_index(drop=True)
    second = frame.iloc[half:].reset_index(drop=True).reindex(range(half)).fillna("")
    return pd.concat([first, second], axis=1)


def link_table(data: ReportData, link: str) -> pd.DataFrame:
    """This year as 'k of n (p%)', the previous year and the change, for one link."""
    rows = data.rows_where(link=link)
    table = pd.DataFrame(
        {
            **beside_form_words(
                (header("indicator"), header("indicator_zh")),
                [row_label(data, r) for r in rows],
                [form_label(data, r) for r in rows],
            ),
            header("base"): [
                base_text(data, r["population"]) if r["kind"] == "share" else count_base_text(data, r)
                for r in rows
            ],
            year_header(data.year): [figure_text(r, small=data.catalogue.small_base) for r in rows],
            header("no_answer"): [str(r["no_answer"]) if r["kind"] == "share" else "" for r in rows],
        }
    )
    return _with_previous_year(data, table, rows)


def glance_table(data: ReportData) -> pd.DataFrame:
    """The three links at a glance: the published report's opening figures, with the change."""
    headline = data.catalogue.headline()
    rows = [r for r in data.rows_where(population="all") if r["indicator"] in headline]
    links = [data.catalogue.links[r["link"]] for r in rows]
    table = pd.DataFrame(
        {
            **beside_form_words(
                (header("link"), header("link_zh")),
                [in_language(link, "label") for link in links],
                [link.label_zh for link in links],
            ),
            header("headline"): [row_label(data, r) for r in rows],
            year_header(data.year): [figure_text(r, small=data.catalogue.small_base) for r in rows],
        }
    )
    return _with_previous_year(data, table, rows)


def _with_previous_year(data: ReportData, table: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """The previous year's figures and the change beside this year's, when there is a previous year."""
    if data.previous_year is not None:
        table[year_header(data.previous_year)] = [
            figure_text(r, "previous_", small=data.catalogue.small_base) for r in rows
        ]
        table[change_header(data)] = [change_text(r) for r in rows]
    return table


def change_header(data: ReportData) -> str:
    """'Change', '比上年'; on a page compared with an earlier year than the one before, that
    year: '比2001年'."""
    return say("compare.column_change", previous=data.previous_year) if data.skips_years else header("change")


def figure_columns(data: ReportData) -> tuple[str, ...]:
    """The columns of figures, set right-aligned."""
    years = [data.year] + ([data.previous_year] if data.previous_year is not None else [])
    return (*map(year_header, years), header("no_answer"), change_header(data))


def no_answer_table(data: ReportData) -> pd.DataFrame:
    """Per question: how many gave no answer, and who."""
    returns = data.result.returns
    specs = [data.form.field(name) for name in data.form.questions()]
    blanks = [blank_units(returns, spec.name) for spec in specs]
    return pd.DataFrame(
        {
            **beside_form_words(
                (header("question"), header("question_zh")),
                [in_language(spec, "label") for spec in specs],
                [spec.label_zh for spec in specs],
            ),
            header("no_answer"): [units_of(len(blank), len(returns)) for blank in blanks],
            header("units"): [named_text(named(data, blank)) for blank in blanks],
        }
    )


def rule_table(data: ReportData) -> pd.DataFrame:
    """Each consistency rule and how many units break it."""
    counts, units = breaches_per_rule(data), len(data.result.returns)
    rows = [(in_language(r, "text"), units_of(counts[r.id], units)) for r in data.form.consistency_rules]
    return pd.DataFrame(rows, columns=[header("rule"), header("units_breaking")])


def breach_table(data: ReportData) -> pd.DataFrame:
    """Each unit and rule broken, with the answers that break it.

    The build wrote the breaches with their answers in English (`detail`); the answers are
    also given from the unit's return in the page's words, for languages that say them so.
    """
    breaches = data.result.breaches
    rules = {r.id: r for r in data.instrument.consistency_rules}
    returns = data.result.returns.set_index("unit_name")
    answers = [
        say("quality.answers", detail=detail, answers=breach_answers(data, rules[rule], returns.loc[unit]))
        for unit, rule, detail in zip(
            breaches["unit_name"], breaches["rule"], breaches["detail"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            header("unit"): list(breaches["unit_name"]),
            header("rule"): [in_language(rules[r], "text") for r in breaches["rule"]],
            header("answers"): answers,
        }
    )


def breach_answers(data: ReportData, rule: ConsistencyRule, answers: pd.Series) -> str:
    """The answers a rule reads, in the page's words: '逐级分解责任：是；责任分解方案：否'."""
    if isinstance(rule, RequiresRule):
        fields = [f for f in rule.if_yes if not pd.isna(answers[f]) and bool(answers[f])] + [rule.needs_yes]
        said = [(in_language(data.instrument.field(f), "short"), answer_words(answers[f])) for f in fields]
    else:
        total = sum(0 if pd.isna(answers[c]) else int(answers[c]) for c in rule.counts)
        said = [
            (in_language(data.instrument.field(rule.flag), "short"), answer_words(answers[rule.flag])),
            (in_language(rule, "counts"), str(total)),
        ]
    return say("list.items").join(
        say("quality.answer", question=question, answer=answer) for question, answer in said
    )


def answer_words(value: object) -> str:
    """Yes, no or no answer in the page's words."""
    return say("answer.no_answer") if pd.isna(value) else say("answer.yes") if value else say("answer.no")


def other_warnings_table(data: ReportData) -> pd.DataFrame:
    """Warnings not shown in the tables above: skipped rows and files, duplicates, unknown columns."""
    shown = sorted((f for f in warnings(data.result.findings) if f.kind not in SHOWN_ELSEWHERE), key=sort_key)
    surveyed = set(
        data.result.returns["unit_name"]
    )  # once: a year of 20,000 units has thousands of these warnings
    rows = [(f.where(), _finding_text(data, f, surveyed)) for f in shown]
    return pd.DataFrame(rows, columns=[header("where"), header("what")])


def _finding_text(data: ReportData, finding: Finding, surveyed: set[str]) -> str:
    """What a warning says. A unit in one year and not the other is said in the page's words;
    other warnings as the build wrote them (in English)."""
    if finding.value is None:
        return finding.expected
    if finding.kind == "unmatched_unit":
        if finding.value in surveyed:
            return say(
                "finding.unit_joined",
                value=finding.value,
                expected=finding.expected,
                previous=data.previous_year if data.compare_with is None else data.year_before,
            )
        return say(
            "finding.unit_left",
            value=finding.value,
            expected=finding.expected,
            previous=data.previous_year if data.compare_with is None else data.year_before,
        )
    return say("finding.with_value", value=finding.value, expected=finding.expected)


def inputs_table(data: ReportData) -> pd.DataFrame:
    inputs = data.result.inputs
    return pd.DataFrame(
        {
            header("file"): list(inputs["file"]),
            header("bytes"): [str(b) for b in inputs["bytes"]],
            header("sha256"): list(inputs["sha256"]),
        }
    )


def parameters_table(data: ReportData) -> pd.DataFrame:
    given = data.parameters
    rows = [
        ("year", str(given["year"]), say("parameter.year")),
        ("raw_dir", _given(given["raw_dir"], data.raw_dir), say("parameter.raw_dir")),
        ("processed_dir", _given(given["processed_dir"], data.processed_dir), say("parameter.processed_dir")),
    ]
    if given.get("compare_with") is not None:
        rows.append(("compare_with", str(given["compare_with"]), say("parameter.compare_with")))
    return pd.DataFrame(rows, columns=[header("parameter"), header("value"), header("meaning")])


def _given(value: object, resolved: Path) -> str:
    return say("parameter.default", path=shown_path(resolved)) if value is None else shown_path(resolved)


def software_table() -> pd.DataFrame:
    from analysis import __version__

    rows = [(say("software.this_package"), __version__), ("Python", platform.python_version())]
    rows += [(name, metadata.version(name)) for name in SOFTWARE]
    return pd.DataFrame(rows, columns=[header("software"), header("version")])


def type_table(data: ReportData, counts: list[TypeCounts], kinds: list[str]) -> pd.DataFrame:
    """Each share's yes, no and no answer among each kind of unit (单位类别), then among all units:
    the units table of a year with too many units to show one row each."""
    rows = [data.rows_where(indicator=c.indicator, population=c.population)[0] for c in counts]
    table = {header("indicator"): [row_label(data, r) for r in rows]}
    for kind in kinds:
        table[kind or say("many_units.untyped")] = [_type_cell(c.counts.get(kind, (0, 0, 0))) for c in counts]
    table[say("many_units.type_all")] = [
        _type_cell(tuple(sum(v[i] for v in c.counts.values()) for i in range(3))) for c in counts
    ]
    return pd.DataFrame(table)


def _type_cell(answers: tuple[int, ...]) -> str:
    yes, no, blank = answers
    return say("many_units.types_cell", yes=yes, no=no, blank=blank)
