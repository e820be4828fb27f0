"""The trends page: every year's figures side by side, read from the processed folder.

`notebooks/trends.ipynb` calls `load_pages` first, then one function here per section. The
figures are each year's stored tables (`indicators.csv`, `returns.parquet`, read back by
`analysis.store`) exactly as the build wrote them and as the year pages show them; only
the trends themselves (changes across years, units turning from yes to no, units joining
or leaving, yes answers per unit) are computed, by the pure functions of
`analysis.figures.trends`. Tables that are missing or were written from other returns than
today's stop the page: a trend is never drawn from stale tables.

Sections are drawn in the page's language (`wording.language`, set by `notebook.show`); the
markup is in `templates/sections/trends_*.html.j2`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.catalogue import Catalogue, Indicator, Instrument, load_catalogue, load_instrument
from analysis.figures import trends
from analysis.fingerprint import file_sha256
from analysis.paths import LANGUAGES
from analysis.pipeline import YearResult, discover_years
from analysis.publish.html import link_heading, table_data
from analysis.publish.index import language_link, page_href, page_lang
from analysis.publish.load import ReportError, check_folders, page_languages, read_processed, report_folders
from analysis.publish.pages import render
from analysis.publish.shapes import Named, cut_list, not_asked
from analysis.publish.tables import header, year_header
from analysis.publish.text import figure_text, named_text, pp_text, signed, units_change
from analysis.publish.wording import form_words, in_language, say, say_count, shows_form_words
from analysis.publish.workbook import WORKBOOK
from analysis.store import year_folder

Row = dict[str, object]
PAGE = "trends.html"
# The processed tables this page reads, listed with their checksums in its last section.
READ_FILES = ("indicators.csv", "returns.parquet")


@dataclass(frozen=True)
class TrendsData:
    """Every year surveyed, as the build stored it, and the page's language."""

    results: dict[int, YearResult]
    catalogue: Catalogue
    instrument: Instrument
    raw_dir: Path
    processed_dir: Path
    lang: str = "en"

    @property
    def years(self) -> list[int]:
        return sorted(self.results)

    @cached_property
    def long(self) -> pd.DataFrame:
        """Every indicator in every year (long), with its link, kind and labels."""
        frame = trends.indicator_trends({y: r.indicators for y, r in self.results.items()})
        known = {i.id: i for i in self.catalogue.indicators}
        frame = frame[frame["indicator"].isin(known)].reset_index(drop=True)
        for column in ("link", "kind", "label_en", "label_zh"):
            frame[column] = [getattr(known[i], column) for i in frame["indicator"]]
        return frame

    @cached_property
    def changes(self) -> dict[tuple[str, str], Row]:
        """First-to-last change and largest move, by (indicator, population)."""
        frame = trends.trend_changes(self.long)
        return {(r["indicator"], r["population"]): r for r in frame.to_dict("records")}

    @cached_property
    def returns(self) -> dict[int, pd.DataFrame]:
        return {y: r.returns for y, r in self.results.items()}

    def rows(self, indicator: str, population: str) -> list[Row]:
        """One row per year, oldest first."""
        frame = self.long
        return frame[frame["indicator"].eq(indicator) & frame["population"].eq(population)].to_dict("records")

    def keys(self, link: str) -> list[tuple[str, str]]:
        """The (indicator, population) pairs of a link, in catalogue order."""
        wanted = {i.id for i in self.catalogue.by_link(link)}
        pairs = self.long[self.long["indicator"].isin(wanted)][["indicator", "population"]].drop_duplicates()
        order = [i.id for i in self.catalogue.indicators]
        return sorted(zip(pairs["indicator"], pairs["population"], strict=True), key=lambda k: order.index(k[0]))

    @property
    def lists_in_full(self) -> bool:
        """Whether the page names every unit: no year has more than the catalogue's `unit_lists_up_to`
        units surveyed (as on the year pages, `shapes.lists_in_full`)."""
        return all(len(r) <= self.catalogue.unit_lists_up_to for r in self.returns.values())

    def named(self, units: list[str]) -> Named:
        """Every unit of `units`, or when the lists are cut the first `units_named` of them."""
        return cut_list(units, self.lists_in_full, self.catalogue.units_named)

    def asked_questions(self, year: int) -> list[str]:
        """The yes/no questions of the year's form."""
        return self.instrument.for_year(year).names("yes_no")


# --- loading -----------------------------------------------------------------------------


def load_trends(raw_dir: str | Path | None = None, processed_dir: str | Path | None = None, lang: str = "en") -> TrendsData:
    """Every year with returns, read from the processed folder; an error if any is missing or stale."""
    check_folders(raw_dir, processed_dir)
    raw, processed = report_folders(raw_dir, processed_dir)
    years = discover_years(raw)
    if not years:
        raise ReportError(f"no year folders with returns in {raw}")
    results = read_processed(raw=raw, processed=processed, wanted=years, years=years)
    if results is None:
        raise ReportError(f"the processed tables in {processed} are missing or out of date for some of {', '.join(map(str, years))}: run python -m analysis build")
    return TrendsData(results=results, catalogue=load_catalogue(), instrument=load_instrument(), raw_dir=raw, processed_dir=processed, lang=lang)


def load_pages(raw_dir: str | Path | None = None, processed_dir: str | Path | None = None, lang: str = "en") -> list[TrendsData]:
    """The years once, as one page per language asked for ('en', 'zh' or 'en zh')."""
    langs = page_languages(lang)
    first = load_trends(raw_dir, processed_dir, lang=langs[0])
    return [first] + [replace(first, lang=code) for code in langs[1:]]


# --- words for figures -------------------------------------------------------------------


def years_text(first: int, last: int) -> str:
    """'2001–2004', '2001年至2004年'; one year alone as '2004', '2004年'."""
    return say("trends.one_year", year=first) if first == last else say("trends.years", first=first, last=last)


def span(data: TrendsData) -> str:
    return years_text(data.years[0], data.years[-1])


def year_list(years: list[int]) -> str:
    return say("trends.year_separator").join(say("trends.year_item", year=y) for y in years)


def cell_text(row: Row) -> str:
    """A year's figure in a table: 'k of n (p%)', a count, or 'not asked' (never 0)."""
    return figure_text(row, not_asked_words=say("trends.not_asked"))


def _change_words(change: Row, share: bool) -> str:
    if share:
        units = abs(int(change["change_numerator"]))
        return say_count("change.share", units, pp=pp_text(change["change_pp"]), count=signed(change["change_numerator"]))
    return signed(change["change_numerator"])


def change_cell(data: TrendsData, change: Row, share: bool) -> str:
    """The change from the first year with a figure to the last; its years said when they are not the page's."""
    if pd.isna(change["change_numerator"]):
        return say("trends.no_change")
    words = _change_words(change, share)
    if (change["first_year"], change["last_year"]) == (data.years[0], data.years[-1]):
        return words
    return say("trends.change_span", change=words, years=years_text(int(change["first_year"]), int(change["last_year"])))


def move_cell(change: Row, share: bool) -> str:
    """The largest move between two years surveyed one after the other, with its years."""
    if pd.isna(change["move_from"]):
        return say("trends.no_change")
    words = pp_text(change["move_pp"]) if share else signed(change["move_numerator"])
    return say("trends.change_span", change=words, years=years_text(int(change["move_from"]), int(change["move_to"])))


def row_label(data: TrendsData, indicator: Indicator, population: str) -> str:
    label = in_language(indicator, "label")
    if population == "all":
        return label
    return say("label.of_population", label=label, population=in_language(data.catalogue.populations[population], "label"))


def form_label(data: TrendsData, indicator: Indicator, population: str) -> str:
    if population == "all":
        return indicator.label_zh
    return say("label.of_population_zh", label=indicator.label_zh, population=data.catalogue.populations[population].label_zh)


def _unit_word(indicator: Indicator) -> str:
    return in_language(indicator, "unit") if indicator.kind == "sum" else say("trends.units_unit")


# --- the sentences -----------------------------------------------------------------------


def indicator_sentence(data: TrendsData, indicator: Indicator) -> str:
    """The indicator over every unit from its first year with a figure to its last, in the report's manner."""
    change = data.changes[(indicator.id, "all")]
    rows = data.rows(indicator.id, "all")
    label = in_language(indicator, "label")
    gaps = [int(r["year"]) for r in rows if not_asked(r)]
    unasked = say("trends.sentence.not_asked", years=year_list(gaps)) if gaps else ""
    if pd.isna(change["first_year"]):
        return say("trends.sentence.none", label=label) + unasked
    last = next(r for r in rows if r["year"] == change["last_year"])
    if pd.isna(change["change_numerator"]):
        return say("trends.sentence.one_year", label=label, figure=cell_text(last), year=int(change["last_year"])) + unasked
    first_year, last_year = int(change["first_year"]), int(change["last_year"])
    if indicator.kind == "share":
        sentence = say(
            "trends.sentence.share",
            last=last_year,
            k=int(change["last_numerator"]),
            n=int(change["last_denominator"]),
            base=say("figure.units"),
            percent=say("figure.percent", value=f"{float(change['last_percent']):.1f}"),
            statement=in_language(indicator, "statement"),
            before=say(
                "trends.before",
                k=int(change["first_numerator"]),
                n=int(change["first_denominator"]),
                percent=say("figure.percent", value=f"{float(change['first_percent']):.1f}"),
            ),
            first=first_year,
            change=_share_clause(change, first_year),
        )
    else:
        sentence = say(
            "trends.sentence.count",
            label=label,
            k=int(change["last_numerator"]),
            unit=_unit_word(indicator),
            last=last_year,
            before=int(change["first_numerator"]),
            first=first_year,
            change=_count_clause(int(change["change_numerator"]), _unit_word(indicator)),
        )
    return sentence + unasked + _largest_move(indicator, change)


def _share_clause(change: Row, first: int) -> str:
    pp, units = float(change["change_pp"]), units_change(int(change["change_numerator"]))
    if pp > 0:
        return say("trends.clause.up", pp=f"{pp:.1f}", first=first, units=units)
    if pp < 0:
        return say("trends.clause.down", pp=f"{-pp:.1f}", first=first, units=units)
    return say("trends.clause.same", first=first, units=units)


def _count_clause(count: int, unit: str) -> str:
    if count > 0:
        return say("trends.clause.count_up", count=count, unit=unit)
    if count < 0:
        return say("trends.clause.count_down", count=-count, unit=unit)
    return say("trends.clause.count_same")


def _largest_move(indicator: Indicator, change: Row) -> str:
    if pd.isna(change["move_from"]):
        return ""
    years = years_text(int(change["move_from"]), int(change["move_to"]))
    if indicator.kind == "share":
        pp = float(change["move_pp"])
        if not pp:
            return say("trends.sentence.no_move")
        words = say("trends.move.up", pp=f"{pp:.1f}") if pp > 0 else say("trends.move.down", pp=f"{-pp:.1f}")
    else:
        count = int(change["move_numerator"])
        if not count:
            return say("trends.sentence.no_move")
        unit = _unit_word(indicator)
        words = say("trends.move.count_up", count=count, unit=unit) if count > 0 else say("trends.move.count_down", count=-count, unit=unit)
    return say("trends.sentence.largest", change=words, years=years)


# --- the tables --------------------------------------------------------------------------


def link_table(data: TrendsData, link: str) -> pd.DataFrame:
    """One row per figure of the link: each year's figure with its base, the change and the largest move."""
    keys = data.keys(link)
    indicators = [data.catalogue.get(i) for i, _ in keys]
    columns: dict[str, list[str]] = {header("indicator"): [row_label(data, i, p) for i, (_, p) in zip(indicators, keys, strict=True)]}
    if shows_form_words():
        columns[header("indicator_zh")] = [form_label(data, i, p) for i, (_, p) in zip(indicators, keys, strict=True)]
    columns[header("base")] = [
        in_language(data.catalogue.populations[p], "label") if i.kind == "share" else _unit_word(i) for i, (_, p) in zip(indicators, keys, strict=True)
    ]
    by_key = {k: {int(r["year"]): r for r in data.rows(*k)} for k in keys}
    for year in data.years:
        columns[year_header(year)] = [cell_text(by_key[k][year]) for k in keys]
    shares = [i.kind == "share" for i in indicators]
    columns[say("trends.column.change", years=span(data))] = [change_cell(data, data.changes[k], s) for k, s in zip(keys, shares, strict=True)]
    columns[say("trends.column.move")] = [move_cell(data.changes[k], s) for k, s in zip(keys, shares, strict=True)]
    return pd.DataFrame(columns)


def _figure_columns(data: TrendsData) -> tuple[str, ...]:
    return (*map(year_header, data.years), say("trends.column.change", years=span(data)), say("trends.column.move"))


def membership_table(data: TrendsData) -> pd.DataFrame:
    """Each year: units surveyed, and the units that joined or left since the year before, named."""
    members = trends.membership(data.returns)
    rows = []
    for i, year in enumerate(data.years):
        joined = list(members[members["year"].eq(year) & members["change"].eq("joined")]["unit_name"])
        left = list(members[members["year"].eq(year) & members["change"].eq("left")]["unit_name"])
        rows.append(
            {
                say("index.year"): say("index.year_cell", year=year),
                say("trends.column.surveyed"): str(len(data.returns[year])),
                say("trends.column.joined"): _members_cell(data.named(joined)) if i else say("trends.membership.first_year"),
                say("trends.column.left"): _members_cell(data.named(left)) if i else say("trends.membership.first_year"),
            }
        )
    return pd.DataFrame(rows)


def _members_cell(units: Named) -> str:
    return say("trends.membership.cell", count=len(units), units=named_text(units)) if units else say("trends.membership.none")


def yes_counts_table(data: TrendsData) -> pd.DataFrame:
    """Units x years: 'k/n', the unit's yes answers out of the questions that year's form asked.

    When the lists are cut (`lists_in_full`), the `units_named` units of the latest year with
    the fewest yes answers that year, fewest first, ties in the table's order: the units to follow up.
    """
    asked = {y: data.asked_questions(y) for y in data.years}
    counts = {y: trends.yes_counts({y: data.returns[y]}, asked[y])[y] for y in data.years}
    units = trends.yes_counts(data.returns, []).index
    if not data.lists_in_full:
        latest = counts[data.years[-1]]
        units = latest.sort_values(kind="stable").index[: data.catalogue.units_named]
    table = {header("unit"): list(units)}
    for year in data.years:
        table[year_header(year)] = [
            say("trends.yes_counts.cell", k=int(counts[year][u]), n=len(asked[year])) if u in counts[year].index and not pd.isna(counts[year][u])
            else say("trends.yes_counts.not_surveyed")
            for u in units
        ]
    return pd.DataFrame(table)


def inputs_table(data: TrendsData) -> pd.DataFrame:
    """The processed files read, named from the processed folder, with their SHA-256."""
    files = [year_folder(data.processed_dir, y) / name for y in data.years for name in READ_FILES]
    return pd.DataFrame(
        {
            header("file"): [f"{f.parent.name}/{f.name}" for f in files],
            header("sha256"): [file_sha256(f) for f in files],
            header("bytes"): [str(f.stat().st_size) for f in files],
        }
    )


# --- the sections ------------------------------------------------------------------------


def section_markdown(section: str, number: int, data: TrendsData | None = None) -> str:
    """A numbered section heading and its explanation, as the Markdown the notebook displays
    (given `data` whose lists are cut, the explanation of the cut section instead)."""
    titles = {
        "figures": (say("trends.section.figures.title"), say("trends.section.figures.intro")),
        "turned_no": (say("trends.section.turned_no.title"), say("trends.section.turned_no.intro")),
        "membership": (say("trends.section.membership.title"), say("trends.section.membership.intro")),
        "yes_counts": (say("trends.section.yes_counts.title"), say("trends.section.yes_counts.intro")),
        "about": (say("trends.section.about.title"), say("trends.section.about.intro")),
    }
    title, intro = titles[section]
    if data is not None and not data.lists_in_full and section == "yes_counts":
        intro = say("trends.section.yes_counts.intro_summary", count=data.catalogue.units_named, year=data.years[-1])
    return render("sections/heading.md.j2", heading=say("section.heading", number=number, title=title), intro=intro)


def nav_html(data: TrendsData) -> str:
    """Links to the index of the page's language, the latest year's page and the twin page in each other language."""
    twins = [
        {"href": page_href(PAGE, start=data.lang, to=lang), "hreflang": page_lang(lang), "label": language_link(lang)}
        for lang in LANGUAGES
        if lang != data.lang
    ]
    return render(
        "sections/nav.html.j2",
        index=page_href("index.html", start=data.lang, to=data.lang),
        previous=None,
        next=data.years[-1],
        trends=None,
        twins=twins,
    )


def title_html(data: TrendsData) -> str:
    """The page's title block, and how to read it."""
    years = span(data)
    intro = (
        say("trends.intro", count=len(data.years), years=years)
        if len(data.years) > 1
        else say("trends.only_one_year", year=data.years[0])
    )
    return render(
        "sections/trends_title.html.j2",
        heading=say("trends.heading", years=years),
        subtitle=say("trends.subtitle_zh", title=data.instrument.title_zh, years=years),
        intro=intro,
    )


def links(data: TrendsData) -> list[str]:
    """The links with figures of their own, in catalogue order (the overview's units surveyed are in the membership section)."""
    return [link for link in data.catalogue.links if any(i.kind != "units" for i in data.catalogue.by_link(link))]


def link_html(data: TrendsData, link: str, number: int = 0) -> str:
    """One link: a sentence per figure over every unit, and the table of every year's figures."""
    indicators = [i for i in data.catalogue.by_link(link) if "all" in i.populations]
    return render(
        "sections/trends_link.html.j2",
        heading=link_heading(data, link, part=1, number=number),  # type: ignore[arg-type]  # reads only the catalogue
        beside=form_words(data.catalogue.links[link], "label"),
        sentences=[indicator_sentence(data, i) for i in indicators],
        figures=table_data(link_table(data, link), number_columns=_figure_columns(data), css="report-table years"),
    )


def turned_no_html(data: TrendsData) -> str:
    """Latest year first: for each question, the units that answered yes the year before and no this year."""
    fields = data.instrument.names("yes_no")
    turned = trends.turned_no(data.returns, fields)
    bases = trends.yes_bases(data.returns, fields)
    years = []
    for previous, year in reversed(list(zip(data.years, data.years[1:], strict=False))):
        items = []
        for field in fields:
            units = list(turned[turned["year"].eq(year) & turned["field"].eq(field)]["unit_name"])
            if not units:
                continue
            n = int(bases[bases["year"].eq(year) & bases["field"].eq(field)]["units"].iloc[0])
            question = in_language(data.instrument.field(field), "label")
            items.append({"text": say("trends.turned.item", question=question, k=len(units), n=n, previous=previous, year=year), "units": data.named(units)})
        years.append(
            {
                "heading": say("trends.turned.heading", year=year, previous=previous),
                "found": items,
                "none": say("trends.turned.none", previous=previous, year=year),
            }
        )
    only = say("trends.only_one_year", year=data.years[0]) if len(data.years) < 2 else ""
    pointer = "" if data.lists_in_full else many_units_pointer(data)
    return render("sections/trends_turned.html.j2", years=years, only=only, pointer=pointer)


def _chinese(table: dict, columns: tuple[str, ...]) -> dict:
    """Mark these columns' cells as Chinese (unit names), so browsers pick a Chinese font."""
    for row in table["rows"]:
        for cell, column in zip(row, table["columns"], strict=True):
            plain = cell["text"] in (say("trends.membership.none"), say("trends.membership.first_year"))
            cell["zh"] = cell["zh"] or (column["name"] in columns and bool(cell["text"]) and not plain)
    return table


def membership_html(data: TrendsData) -> str:
    table = table_data(membership_table(data), number_columns=(say("trends.column.surveyed"),))
    return render("sections/trends_table.html.j2", note="", figures=_chinese(table, (say("trends.column.joined"), say("trends.column.left"))))


def yes_counts_html(data: TrendsData) -> str:
    years = tuple(year_header(y) for y in data.years)
    note = "" if data.lists_in_full else many_units_pointer(data)
    return render("sections/trends_table.html.j2", note=note, figures=table_data(yes_counts_table(data), number_columns=years, css="report-table matrix"))


def many_units_pointer(data: TrendsData) -> str:
    """Why the page names only some units, and where every unit's answers are."""
    return say("trends.many_units", units=max(len(r) for r in data.returns.values()), shown=data.catalogue.units_named, workbook=WORKBOOK)


def about_html(data: TrendsData) -> str:
    return render("sections/trends_table.html.j2", note=say("trends.about.inputs"), figures=table_data(inputs_table(data), number_columns=(header("bytes"),)))


def link_figure_html(data: TrendsData, link: str) -> str:
    """The link's small charts over the years, with every figure in words."""
    from analysis.publish import charts  # matplotlib only where a chart is drawn

    panels = [data.rows(indicator, population) for indicator, population in data.keys(link)]
    return charts.trend_figure_html(data, link, panels, span(data))
