"""What a year report says, as pure functions of the year's results and the catalogue.

The notebook only calls these and displays their HTML, so the wording, the tables and
the lists of units are tested here, not in a notebook. Every figure is stated with its
base ("26 of 38 units (68.4%)"), every label comes from the catalogue, and everything
taken from the data (unit names above all) is escaped: a unit name is text, never markup.
The data a report is made from is loaded by `analysis.report_data`.
"""

from __future__ import annotations

import html
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

import pandas as pd

from analysis.catalogue import Catalogue, load_catalogue, load_instrument
from analysis.findings import Finding, sort_key, warnings
from analysis.indicators import percent_half_up, population_mask
from analysis.paths import project_root
from analysis.report_data import ReportData, ReportError, Row
from analysis.store import csv_text

# The figures the published report opens with, one per link (its "basic situation").
SHOWN_ELSEWHERE = {"consistency", "no_answer"}  # finding kinds with their own data-quality tables
UNITS_LIST_SEPARATOR = "、"  # the Chinese enumeration comma: unit names are Chinese
# A share of no units (0 of 0) is neither 0% nor missing: it is said in these words, everywhere.
NO_BASE = "no units in the base"


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


# --- figures as text ---------------------------------------------------------------------


def percent_text(percent: object) -> str:
    return "n/a" if pd.isna(percent) else f"{float(percent):.1f}%"


def empty_base(denominator: object) -> bool:
    """A share over no units at all (0 of 0): it has no percentage and no change to state."""
    return not pd.isna(denominator) and int(denominator) == 0


def share_text(numerator: object, denominator: object, percent: object) -> str:
    """'26 of 38 (68.4%)': the base is never left out; 0 of 0 is 'no units in the base', never 0%."""
    if pd.isna(numerator):
        return "no figure"
    if empty_base(denominator):
        return NO_BASE
    return f"{int(numerator)} of {int(denominator)} ({percent_text(percent)})"


def pp_text(change: object) -> str:
    """A change in percentage points, always signed: '+13.1 pp', '-2.6 pp', '0.0 pp'."""
    if pd.isna(change):
        return "n/a"
    value = float(change)
    return f"{value:+.1f} pp" if value else "0.0 pp"


def signed(number: object) -> str:
    return "n/a" if pd.isna(number) else f"{int(number):+d}" if int(number) else "±0"


def figure_text(row: Row, prefix: str = "") -> str:
    """A table cell: a share with its base, or a count."""
    numerator = row[f"{prefix}numerator"]
    if pd.isna(numerator):
        return "no figure"
    if pd.isna(row[f"{prefix}denominator"]):
        return str(int(numerator))
    return share_text(numerator, row[f"{prefix}denominator"], row[f"{prefix}percent"])


def not_comparable(row: Row) -> bool:
    """A share with a figure in both years but no units in the base in one of them."""
    return not pd.isna(row["previous_numerator"]) and (empty_base(row["denominator"]) or empty_base(row["previous_denominator"]))


def change_text(row: Row) -> str:
    if pd.isna(row["previous_numerator"]):
        return "n/a"
    if pd.isna(row["denominator"]):
        return signed(row["change_numerator"])
    if not_comparable(row):
        return f"not comparable: {NO_BASE}"
    units = abs(int(row["change_numerator"]))
    return f"{pp_text(row['change_pp'])} ({signed(row['change_numerator'])} unit{'s' if units != 1 else ''})"


# --- rows of the catalogue, with their figures -------------------------------------------


def base_text(data: ReportData, population: str) -> str:
    return data.catalogue.populations[population].label_en


def row_label(data: ReportData, row: Row, language: str = "en") -> str:
    """The indicator's label, with the population when it is not every unit."""
    label = row[f"label_{language}"]
    if row["population"] == "all":
        return label
    population = data.catalogue.populations[row["population"]]
    return f"{label}（{population.label_zh}）" if language == "zh" else f"{label} (of {population.label_en})"


def links(data: ReportData) -> list[str]:
    """The links of the responsibility system that have figures of their own, in catalogue order."""
    return [link for link in data.catalogue.links if any(i.kind != "units" for i in data.catalogue.by_link(link))]


# --- sentences ---------------------------------------------------------------------------


def _change_clause(data: ReportData, row: Row) -> str:
    """', up from 21 of 38 (55.3%) in 2003', or '' in the first year."""
    previous = data.previous_year
    if previous is None:
        return ""
    if pd.isna(row["previous_numerator"]):
        return f" (no figure for {previous})"
    if pd.isna(row["denominator"]):
        change = int(row["change_numerator"])
        before = int(row["previous_numerator"])
        word = "up from" if change > 0 else "down from" if change < 0 else "the same as"
        return f", {word} {before} in {previous}"
    before = share_text(row["previous_numerator"], row["previous_denominator"], row["previous_percent"])
    if not_comparable(row):
        return _no_change_clause(data, row, before)
    change = float(row["change_pp"])
    if change == 0:
        return f", the same share as in {previous}: {before}"
    return f", {'up' if change > 0 else 'down'} from {before} in {previous}"


def _no_change_clause(data: ReportData, row: Row, before: str) -> str:
    """Why a share has no change: a base of no units this year, the previous year, or both."""
    previous = data.previous_year
    if empty_base(row["denominator"]) and empty_base(row["previous_denominator"]):
        return f", as in {previous}, so there is no change to state"
    if empty_base(row["denominator"]):
        return f", so there is no change to state since {previous} ({before} in {previous})"
    return f", with no change to state since {previous}, which had {NO_BASE}"


def _share_clause(data: ReportData, row: Row) -> str:
    """'; that is 21 of the 22 units that carried out an assessment (95.5%), up from …'."""
    base = base_text(data, row["population"])
    if empty_base(row["denominator"]):
        return f"; of the {base}: {NO_BASE} in {data.year}{_change_clause(data, row)}"
    return f"; that is {int(row['numerator'])} of the {int(row['denominator'])} {base} ({percent_text(row['percent'])}){_change_clause(data, row)}"


def indicator_sentence(data: ReportData, indicator_id: str) -> str:
    """One sentence per indicator, in the published report's manner, with every base stated."""
    indicator = data.catalogue.get(indicator_id)
    rows = data.rows_where(indicator=indicator_id)
    first = rows[0]
    k = int(first["numerator"])
    if indicator.kind == "units":
        before = "" if pd.isna(first["previous_numerator"]) else f" ({int(first['previous_numerator'])} in {data.previous_year})"
        return f"{k} units {indicator.statement_en}{before}."
    if indicator.kind == "sum":
        return f"{indicator.label_en}: {k}{_change_clause(data, first)}."
    base = "units" if first["population"] == "all" else base_text(data, first["population"])
    if empty_base(first["denominator"]):
        sentence = f"{indicator.label_en}: {NO_BASE} in {data.year}{_change_clause(data, first)}"
    else:
        n = int(first["denominator"])
        sentence = f"{k} of {n} {base} ({percent_text(first['percent'])}) {indicator.statement_en}{_change_clause(data, first)}"
    return sentence + "".join(_share_clause(data, row) for row in rows[1:]) + "."


def no_answer_sentence(data: ReportData, indicator_ids: list[str]) -> str:
    """Who left these questions blank: they stay in the base and do not count as yes."""
    returns = data.result.returns
    parts = []
    for indicator_id in indicator_ids:
        indicator = data.catalogue.get(indicator_id)
        if indicator.kind != "share":
            continue
        blank = returns.loc[returns[indicator.field].isna(), "unit_name"].tolist()
        if blank:
            parts.append(f"{indicator.label_en} ({len(blank)}: {UNITS_LIST_SEPARATOR.join(blank)})")
    if not parts:
        return ""
    return "No answer, counted in the base and not as yes: " + "; ".join(parts) + "."


# --- tables ------------------------------------------------------------------------------


def link_table(data: ReportData, link: str) -> pd.DataFrame:
    """This year as 'k of n (p%)', the previous year and the change, for one link."""
    rows = data.rows_where(link=link)
    table = pd.DataFrame(
        {
            "Indicator": [row_label(data, r) for r in rows],
            "指标": [row_label(data, r, "zh") for r in rows],
            "Base": [base_text(data, r["population"]) if r["kind"] == "share" else "count of cadres, all units surveyed" for r in rows],
            str(data.year): [figure_text(r) for r in rows],
            "No answer": [str(r["no_answer"]) if r["kind"] == "share" else "" for r in rows],
        }
    )
    if data.previous_year is not None:
        table[str(data.previous_year)] = [figure_text(r, "previous_") for r in rows]
        table["Change"] = [change_text(r) for r in rows]
    return table


def glance_table(data: ReportData) -> pd.DataFrame:
    """The three links at a glance: the published report's opening figures, with the change."""
    headline = data.catalogue.headline()
    rows = [r for r in data.rows_where(population="all") if r["indicator"] in headline]
    table = pd.DataFrame(
        {
            "Link": [data.catalogue.links[r["link"]].label_en for r in rows],
            "环节": [data.catalogue.links[r["link"]].label_zh for r in rows],
            "Headline figure": [r["label_en"] for r in rows],
            str(data.year): [figure_text(r) for r in rows],
        }
    )
    if data.previous_year is not None:
        table[str(data.previous_year)] = [figure_text(r, "previous_") for r in rows]
        table["Change"] = [change_text(r) for r in rows]
    return table


def share_changes(data: ReportData) -> list[Row]:
    """Every share with a figure in both years, largest rise first (catalogue order on ties)."""
    rows = [{**r, "label": row_label(data, r)} for r in data.rows_where(kind="share") if not pd.isna(r["change_pp"])]
    return sorted(rows, key=lambda r: -float(r["change_pp"]))


def unit_changes(data: ReportData) -> tuple[list[str], list[str]]:
    """Units that returned this year but not the previous one, and the other way round."""
    if data.previous is None:
        return [], []
    now = list(data.result.returns["unit_name"])
    before = list(data.previous.returns["unit_name"])
    now_set, before_set = set(now), set(before)
    return [u for u in now if u not in before_set], [u for u in before if u not in now_set]


@dataclass(frozen=True)
class Gap:
    """Units that did not answer yes: the office's follow-up list for one indicator."""

    indicator: str
    population: str
    text: str
    label_zh: str
    denominator: int
    percent: object
    units: list[str]
    no_answer: list[str]
    yes_last_year: list[str]
    previous_count: int | None
    previous_base_empty: bool = False  # no units in the previous year's base: its count of 0 is no figure


def gaps(data: ReportData) -> list[Gap]:
    """Each share's complement (denominator minus numerator), naming the units, in catalogue order."""
    returns = data.result.returns
    found = []
    for row in data.rows:
        if row["kind"] != "share" or int(row["numerator"]) == int(row["denominator"]):
            continue
        indicator = data.catalogue.get(row["indicator"])
        population = returns[population_mask(returns, data.catalogue, row["population"])]
        missing = population[population[indicator.field].fillna(False).astype(bool).eq(False)]
        units = list(missing["unit_name"])
        if len(units) != int(row["denominator"]) - int(row["numerator"]):
            raise ReportError(f"{indicator.id}: {len(units)} units listed for a gap of {int(row['denominator']) - int(row['numerator'])}")
        yes_before: list[str] = []
        if data.previous is not None:
            earlier = data.previous.returns
            said_yes = set(earlier.loc[earlier[indicator.field].fillna(False).astype(bool), "unit_name"])
            yes_before = [u for u in units if u in said_yes]
        previous_count = None
        if not pd.isna(row["previous_numerator"]):
            previous_count = int(row["previous_denominator"]) - int(row["previous_numerator"])
        found.append(
            Gap(
                indicator=indicator.id,
                population=row["population"],
                text=indicator.gap_en,
                label_zh=row_label(data, row, "zh"),
                denominator=int(row["denominator"]),
                percent=_percent(len(units), int(row["denominator"])),
                units=units,
                no_answer=list(missing.loc[missing[indicator.field].isna(), "unit_name"]),
                yes_last_year=yes_before,
                previous_count=previous_count,
                previous_base_empty=empty_base(row["previous_denominator"]),
            )
        )
    return found


def _percent(numerator: int, denominator: int) -> float | None:
    value = percent_half_up(numerator, denominator)
    return None if value is None else float(value)


ANSWER_CODES = {"yes": 1, "no": 0, "no answer": -1}


def unit_matrix(data: ReportData) -> pd.DataFrame:
    """Units x yes/no questions as 'yes' / 'no' / 'no answer'; most yes answers first, ties in return order."""
    returns = data.result.returns
    fields = data.instrument.names("yes_no")
    matrix = pd.DataFrame(
        {f: ["no answer" if pd.isna(v) else "yes" if v else "no" for v in returns[f]] for f in fields},
        index=pd.Index(list(returns["unit_name"]), name="unit_name"),
    )
    yes = matrix.eq("yes").sum(axis=1).to_numpy()
    order = sorted(range(len(matrix)), key=lambda i: (-yes[i], i))
    return matrix.iloc[order]


def field_links(data: ReportData) -> dict[str, str]:
    """Which link each yes/no question belongs to, from the share indicators that read it."""
    return {i.field: i.link for i in data.catalogue.indicators if i.kind == "share"}


def no_answer_table(data: ReportData) -> pd.DataFrame:
    """Per question: how many gave no answer, and who."""
    returns = data.result.returns
    rows = []
    for name in data.instrument.questions():
        spec = data.instrument.field(name)
        blank = list(returns.loc[returns[name].isna(), "unit_name"])
        rows.append((spec.label_en, spec.label_zh, f"{len(blank)} of {len(returns)} units", UNITS_LIST_SEPARATOR.join(blank)))
    return pd.DataFrame(rows, columns=["Question", "问题", "No answer", "Units"])


def rule_table(data: ReportData) -> pd.DataFrame:
    """Each consistency rule and how many units break it."""
    breaches = data.result.breaches
    rows = [(r.text_en, f"{int(breaches['rule'].eq(r.id).sum())} of {len(data.result.returns)} units") for r in data.instrument.consistency_rules]
    return pd.DataFrame(rows, columns=["Rule", "Units breaking it"])


def breach_table(data: ReportData) -> pd.DataFrame:
    breaches = data.result.breaches
    return pd.DataFrame({"Unit": list(breaches["unit_name"]), "Rule": list(breaches["text_en"]), "Answers": list(breaches["detail"])})


def other_warnings_table(data: ReportData) -> pd.DataFrame:
    """Warnings not shown in the tables above: skipped rows and files, duplicates, unknown columns."""
    shown = sorted((f for f in warnings(data.result.findings) if f.kind not in SHOWN_ELSEWHERE), key=sort_key)
    rows = [(f.where(), _finding_text(f)) for f in shown]
    return pd.DataFrame(rows, columns=["Where", "What"])


def _finding_text(finding: Finding) -> str:
    value = "" if finding.value is None else f"{finding.value}: "
    return f"{value}{finding.expected}"


def inputs_table(data: ReportData) -> pd.DataFrame:
    inputs = data.result.inputs
    return pd.DataFrame({"File": list(inputs["file"]), "Bytes": [str(b) for b in inputs["bytes"]], "SHA-256": list(inputs["sha256"])})


def shown_path(path: Path) -> str:
    """How a page names a file or folder: the same words wherever the checkout lives.

    Inside the project root, the path relative to it ("data/raw"). Outside it, only "…/" and
    the last component ("…/processed"): the absolute path would name the analyst's machine
    (home folder, user name) and make the same inputs give different bytes in another
    checkout; the final name is kept so a reader can still tell which folder was used.
    """
    resolved = path.resolve()
    try:
        return resolved.relative_to(project_root()).as_posix()
    except ValueError:
        return f"…/{resolved.name}"


def parameters_table(data: ReportData) -> pd.DataFrame:
    given = data.parameters
    rows = [
        ("year", str(given["year"]), "the survey year reported on"),
        ("raw_dir", _given(given["raw_dir"], data.raw_dir), "folder of year folders holding the returns"),
        ("processed_dir", _given(given["processed_dir"], data.processed_dir), "folder of the processed tables"),
    ]
    return pd.DataFrame(rows, columns=["Parameter", "Value", "Meaning"])


def _given(value: object, resolved: Path) -> str:
    return f"default ({shown_path(resolved)})" if value is None else shown_path(resolved)


def processed_status(data: ReportData) -> str:
    """Where the figures were read, and whether the processed tables on disk hold them."""
    path = data.processed_dir / str(data.year) / "comparison.csv"
    folder = PurePosixPath(shown_path(data.processed_dir)) / str(data.year)  # named from the folder given, never absolute
    shown = (folder / path.name).as_posix()
    if data.source == "processed":
        return f"The figures were read from the processed tables in {folder.as_posix()}, written from these files."
    if not path.is_file():
        return f"The figures were computed from the returns; {shown} has not been written yet (run `python -m analysis build`)."
    if path.read_text(encoding="utf-8") == csv_text(data.result.comparison):
        return f"The figures were computed from the returns; {shown} holds exactly these figures."
    return f"The figures were computed from the returns; {shown} differs from them: it is out of date, rebuild with `python -m analysis build`."


def software_table() -> pd.DataFrame:
    from analysis import __version__

    rows = [("analysis (this package)", __version__), ("Python", platform.python_version())]
    rows += [(name, metadata.version(name)) for name in ("pandas", "matplotlib", "seaborn", "mplfonts")]
    return pd.DataFrame(rows, columns=["Software", "Version"])


# --- HTML --------------------------------------------------------------------------------


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
        items.append("Largest rises: " + "; ".join(f"{r['label']} ({pp_text(r['change_pp'])})" for r in rises[:3]) + ".")
    if falls:
        items.append("Falls: " + "; ".join(f"{r['label']} ({pp_text(r['change_pp'])})" for r in falls) + ".")
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


def _not_compared_items(data: ReportData) -> list[str]:
    """The shares left out of the count of changes because a year has no units in their base."""
    rows = [r for r in data.rows_where(kind="share") if not_comparable(r)]
    if not rows:
        return []
    which = "share has" if len(rows) == 1 else "shares have"
    labels = "; ".join(row_label(data, r) for r in rows)
    return [f"{len(rows)} {which} {NO_BASE} in {data.year} or {data.previous_year}, so no change is given: {labels}."]


def _count_changes(rose: int, fell: int, same: int) -> str:
    """'all 14 rose', or '12 rose, 1 fell and 1 did not change'."""
    parts = [(n, word) for n, word in ((rose, "rose"), (fell, "fell"), (same, "did not change")) if n]
    if len(parts) == 1:
        return f"all {parts[0][0]} {parts[0][1]}" if parts[0][0] > 1 else f"the one share {parts[0][1]}"
    words = [f"{n} {word}" for n, word in parts]
    return ", ".join(words[:-1]) + " and " + words[-1] if words else "none has a figure in both years"


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


def sub_base_sentence(data: ReportData, population: str) -> str:
    """The base of the rows that are not over every unit, stated once per section."""
    spec = data.catalogue.populations[population]
    now = int(population_mask(data.result.returns, data.catalogue, population).sum())
    text = f"Sub-base: {now} of the {len(data.result.returns)} units surveyed are {spec.label_en} in {data.year}"
    if data.previous is not None:
        before = int(population_mask(data.previous.returns, data.catalogue, population).sum())
        text += f" ({before} of {len(data.previous.returns)} in {data.previous_year})"
    if now == 0:
        return text + f"; as there are none, the rows marked “of {spec.label_en}” have {NO_BASE} in {data.year}."
    return text + f"; the rows marked “of {spec.label_en}” are shares of these units only."


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
        title = f"{of} ({percent_text(gap.percent)}) {gap.text}"
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
            f'<div class="gap"><p><strong>{esc(title)}.</strong> {zh(gap.label_zh)}</p>'
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


# --- index of all years ------------------------------------------------------------------


INDEX_CSS = """
body { font-family: "Report CJK", "DejaVu Sans", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: 0.35rem 0.7rem; text-align: left; vertical-align: top; }
th { background: #f2f4f7; }
td.num { text-align: right; white-space: nowrap; }
th.num { text-align: right; }
td.links { white-space: nowrap; }
"""


@dataclass(frozen=True)
class IndexEntry:
    """One year on the index page: its links and, when known, its headline figures."""

    year: int
    comparison: pd.DataFrame | None
    has_notebook: bool = True


def index_html(entries: list[IndexEntry], catalogue: Catalogue | None = None) -> str:
    """The page linking every year's report with its headline figures; self-contained, escaped."""
    catalogue = catalogue or load_catalogue()
    headline = [catalogue.get(i) for i in ("units_surveyed", *catalogue.headline())]
    head = "<th>Year</th><th>Report</th>" + "".join(f'<th class="num">{esc(i.label_en)}<br>{zh(i.label_zh)}</th>' for i in headline)
    rows = []
    for entry in sorted(entries, key=lambda e: e.year, reverse=True):
        year = esc(entry.year)
        links = [f'<a href="{year}.html">report</a>']
        if entry.has_notebook:
            links.append(f'<a href="{year}.ipynb">notebook</a>')
        cells = [f"<td>{year}</td>", f'<td class="links">{" · ".join(links)}</td>']
        for indicator in headline:
            cells.append(f'<td class="num">{esc(_index_figure(entry.comparison, indicator.id))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    instrument = load_instrument()
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        "<title>Responsibility system survey: reports by year</title>\n"
        f"<style>{INDEX_CSS}</style>\n</head>\n<body>\n"
        "<h1>Implementation of the responsibility system for party conduct and clean government</h1>\n"
        f'<p class="subtitle">{zh(instrument.title_zh)}</p>\n'
        "<p>One report per survey year, each compared with the year before. Figures are "
        "<em>k of n units (p%)</em> over all units surveyed; the change since the previous year is in brackets, "
        "in percentage points. Each report is a single file that opens offline.</p>\n"
        f'<table class="report-table"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>\n"
        "</body>\n</html>\n"
    )


def _index_figure(comparison: pd.DataFrame | None, indicator_id: str) -> str:
    if comparison is None:
        return "see report"
    rows = comparison[(comparison["indicator"] == indicator_id) & (comparison["population"] == "all")]
    if not len(rows):
        return "n/a"
    row = rows.iloc[0]
    text = figure_text(row)
    if not pd.isna(row["previous_numerator"]):
        in_words = pd.isna(row["denominator"]) or not_comparable(row)  # a count, or no points to give: say why
        text += f" [{change_text(row) if in_words else pp_text(row['change_pp'])}]"
    return text
