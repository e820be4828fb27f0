"""The sections of a year page as HTML, each displayed by one notebook cell.

Everything taken from the data (unit names above all) is escaped: a unit name is text,
never markup.
"""

from __future__ import annotations

import html

import pandas as pd

from analysis.publish.load import ReportData
from analysis.publish.shapes import gap_row, gaps, share_changes, unit_changes, unit_matrix
from analysis.publish.tables import (
    breach_table,
    glance_table,
    inputs_table,
    link_table,
    no_answer_table,
    other_warnings_table,
    parameters_table,
    rule_table,
    software_table,
)
from analysis.publish.text import (
    NO_BASE,
    UNITS_LIST_SEPARATOR,
    _count_changes,
    _not_compared_items,
    base_text,
    indicator_sentence,
    no_answer_sentence,
    percent_text,
    pp_text,
    processed_status,
    row_label,
    sub_base_sentence,
)


class Html(str):
    """Markup that is already safe to insert; anything else is escaped on the way in."""


def esc(value: object) -> Html:
    """Text as HTML: `<`, `&` and quotes are escaped, Html passes through unchanged."""
    if isinstance(value, Html):
        return value
    return Html(html.escape("" if value is None else str(value), quote=True))


def zh(text: object) -> Html:
    """Chinese text, marked so browsers pick a Chinese font for it."""
    return Html(f'<span lang="zh">{esc(text)}</span>')


def join(parts: list[object], separator: str = "") -> Html:
    return Html(esc(separator).join(esc(p) for p in parts))


def table_html(frame: pd.DataFrame, zh_columns: tuple[str, ...] = ("指标", "环节", "问题", "Units", "Unit"), number_columns: tuple[str, ...] = ()) -> Html:
    """A plain, escaped HTML table (no Styler: its random ids would change the bytes on every build)."""
    head = "".join(f"<th{_cls(c, number_columns)}>{esc(c)}</th>" for c in frame.columns)
    body = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            text = zh(value) if column in zh_columns and value else esc(value)
            cells.append(f"<td{_cls(column, number_columns)}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return Html(f'<table class="report-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def _cls(column: str, number_columns: tuple[str, ...]) -> str:
    return ' class="num"' if column in number_columns else ""


def _figure_columns(data: ReportData) -> tuple[str, ...]:
    years = [str(data.year)] + ([str(data.previous_year)] if data.previous_year is not None else [])
    return (*years, "No answer", "Change")


def title_html(data: ReportData) -> Html:
    """The report's title block, and how to read its figures."""
    compared = (
        f"It compares {data.year} with {data.previous_year}."
        if data.previous_year is not None
        else f"{data.year} is the first year surveyed: there is no previous year, so the report gives this year's figures only and makes no comparison."
    )
    return Html(
        f"<h1>Implementation of the responsibility system for party conduct and clean government: {data.year} survey</h1>"
        f'<p class="subtitle">{zh(f"{data.instrument.title_zh}（{data.year}年）")}</p>'
        f"<p>{esc(compared)} Every share is given with its base, as <em>k of n units (p%)</em>; shares are of all units "
        "surveyed unless another base is stated. A unit that gave no answer stays in the base and does not count as yes. "
        "Percentages are rounded half up to one decimal; a change is the difference of the rounded percentages, in "
        "percentage points (pp).</p>"
    )


def headline_html(data: ReportData) -> Html:
    """Units surveyed, the three links at a glance, and what changed since the previous year."""
    parts = [f"<p>{esc(indicator_sentence(data, 'units_surveyed'))}</p>"]
    sentences = [indicator_sentence(data, i) for i in data.catalogue.headline()]
    parts.append("<ul>" + "".join(f"<li>{esc(s)}</li>" for s in sentences) + "</ul>")
    parts.append(table_html(glance_table(data), number_columns=_figure_columns(data)))
    if data.previous_year is None:
        parts.append(f"<p><strong>What changed:</strong> {esc(f'{data.year} is the first year surveyed; there is no previous year to compare with.')}</p>")
        return Html("".join(parts))
    changes = share_changes(data)
    total = len(data.rows_where(kind="share"))
    rises = [r for r in changes if float(r["change_pp"]) > 0]
    falls = sorted((r for r in changes if float(r["change_pp"]) < 0), key=lambda r: float(r["change_pp"]))
    same = len(changes) - len(rises) - len(falls)
    items = [f"Of the {total} shares in this report, {_count_changes(len(rises), len(falls), same)} since {data.previous_year}."]
    if rises:
        items.append("Largest rises: " + "; ".join(f"{row_label(data, r)} ({pp_text(r['change_pp'])})" for r in rises[:3]) + ".")
    if falls:
        items.append("Falls: " + "; ".join(f"{row_label(data, r)} ({pp_text(r['change_pp'])})" for r in falls) + ".")
    items += _not_compared_items(data)
    new, gone = unit_changes(data)
    units_now = len(data.result.returns)
    change_items = [esc(i) for i in items]
    if not new and not gone:
        change_items.append(esc(f"The same {units_now} units returned in both years, so the bases are comparable."))
    if new:
        change_items.append(Html(f"{esc(f'New in {data.year} ({len(new)}):')} {zh(UNITS_LIST_SEPARATOR.join(new))}"))
    if gone:
        change_items.append(Html(f"{esc(f'Returned in {data.previous_year} but not in {data.year} ({len(gone)}):')} {zh(UNITS_LIST_SEPARATOR.join(gone))}"))
    parts.append(f"<p><strong>What changed since {data.previous_year}:</strong></p><ul>" + "".join(f"<li>{i}</li>" for i in change_items) + "</ul>")
    return Html("".join(parts))


def link_html(data: ReportData, link: str, number: str = "") -> Html:
    """One link's section: heading, sentences, the table and the sub-base where there is one."""
    label = data.catalogue.links[link]
    indicators = [i.id for i in data.catalogue.by_link(link)]
    sentences = "".join(f"<li>{esc(indicator_sentence(data, i))}</li>" for i in indicators)
    parts = [f"<h3>{esc(f'{number} ' if number else '')}{esc(label.label_en)} {zh(label.label_zh)}</h3>", f"<ul>{sentences}</ul>"]
    blank = no_answer_sentence(data, indicators)
    if blank:
        parts.append(f'<p class="note">{esc(blank)}</p>')
    parts.append(table_html(link_table(data, link), number_columns=_figure_columns(data)))
    for population in sorted({p for i in data.catalogue.by_link(link) for p in i.populations} - {"all"}):
        parts.append(f'<p class="note">{esc(sub_base_sentence(data, population))}</p>')
    return Html("".join(parts))


def problems_html(data: ReportData) -> Html:
    """For each gap: how many units, which ones, who gave no answer, who said yes last year."""
    found = gaps(data)
    if not found:
        return Html("<p>Every unit answered yes to every question: there is no gap to follow up.</p>")
    blocks = []
    for gap in found:
        n = len(gap.units)
        base = "units" if gap.population == "all" else f"the {gap.denominator} {base_text(data, gap.population)}"
        of = f"{n} of {gap.denominator} units" if gap.population == "all" else f"{n} of {base}"
        title = f"{of} ({percent_text(gap.percent)}) {data.catalogue.get(gap.indicator).gap_en}"
        if gap.previous_base_empty:
            title += f" ({NO_BASE} in {data.previous_year})"
        elif gap.previous_count is not None:
            title += f" ({gap.previous_count} in {data.previous_year})"
        notes = []
        if gap.no_answer:
            notes.append(Html(f"{esc('Gave no answer:')} {zh(UNITS_LIST_SEPARATOR.join(gap.no_answer))}"))
        if gap.yes_last_year:
            notes.append(Html(f"{esc(f'Answered yes in {data.previous_year}:')} {zh(UNITS_LIST_SEPARATOR.join(gap.yes_last_year))}"))
        note = f'<p class="note">{join(notes, ". ")}.</p>' if notes else ""
        blocks.append(
            f'<div class="gap"><p><strong>{esc(title)}.</strong> {zh(row_label(data, gap_row(data, gap), "zh"))}</p>'
            f'<p class="units">{zh(UNITS_LIST_SEPARATOR.join(gap.units))}</p>{note}</div>'
        )
    return Html("".join(blocks))


def units_table_html(data: ReportData) -> Html:
    """The units x questions matrix as text, for readers who search or cannot see the chart."""
    matrix = unit_matrix(data)
    marks = {"yes": "✓", "no": "✗", "no answer": "–"}
    columns = [data.instrument.field(f).short_zh or data.instrument.field(f).label_zh for f in matrix.columns]
    head = "<th>单位</th>" + "".join(f"<th>{zh(c)}</th>" for c in columns)
    body = "".join(
        f"<tr><td>{zh(unit)}</td>" + "".join(f'<td class="mark">{marks[v]}</td>' for v in row) + "</tr>"
        for unit, row in zip(matrix.index, matrix.itertuples(index=False), strict=True)
    )
    return Html(
        "<details><summary>The same as a table (✓ yes, ✗ no, – no answer)</summary>"
        f'<table class="report-table matrix"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>'
    )


def data_quality_html(data: ReportData) -> Html:
    """No answers per question, consistency breaches by unit, and every other warning."""
    parts = ["<h3>No answer, per question</h3>", table_html(no_answer_table(data), number_columns=("No answer",))]
    parts += ["<h3>Consistency rules</h3>", table_html(rule_table(data), number_columns=("Units breaking it",))]
    breaches = breach_table(data)
    if len(breaches):
        parts += ["<p>Units whose answers break a rule, to be asked which answer is right (nothing was changed):</p>", table_html(breaches)]
    else:
        parts.append("<p>No unit breaks a consistency rule.</p>")
    others = other_warnings_table(data)
    parts.append("<h3>Other warnings</h3>")
    parts.append(table_html(others) if len(others) else "<p>None: no file, sheet or row was skipped and no unit was returned twice.</p>")
    return Html("".join(parts))


def about_html(data: ReportData) -> Html:
    """Inputs with their checksums, the parameters, the software: enough to reproduce the report."""
    previous = (
        f"The previous year compared with is {data.previous_year}."
        if data.previous_year is not None
        else "There is no previous year in the returns."
    )
    return Html(
        "<h3>Input files</h3>"
        + table_html(inputs_table(data), number_columns=("Bytes",))
        + f"<p>{esc(previous)} {esc(processed_status(data))}</p>"
        + "<h3>Parameters</h3>"
        + table_html(parameters_table(data))
        + "<h3>Software</h3>"
        + table_html(software_table())
    )

