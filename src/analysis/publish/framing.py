"""The report's frame: title (or draft mark), summary, contents, navigation, signature and
the technical record's own page, as the notebook shows them around the sections of `html`.

What makes a page the office's publication rather than an analyst's export (GB/T 9704-2012's
parts of a document): who issues it and when, what it concludes, how to find one's way in it,
and the machinery one link away.
"""

from __future__ import annotations

from urllib.parse import quote

from analysis.intake.roster import built_status
from analysis.paths import ROSTER, page_file
from analysis.publish import charts
from analysis.publish.html import section_title
from analysis.publish.load import ReportData, compare_page_name
from analysis.publish.numbering import figure_caption, figure_keys, source_line
from analysis.publish.pages import render
from analysis.publish.parts import kept, page_nav
from analysis.publish.returns_words import record_sentences
from analysis.publish.summary import summary_sentences
from analysis.publish.wording import say

# The year page's numbered sections in reading order (the notebook shows them with these numbers);
# the contents list links each one whose heading the language writes.
SECTIONS = ("at_a_glance", "links", "problems", "commentary", "units")


def title_html(data: ReportData) -> str:
    """The report's title block, and how to read its figures."""
    return render(
        "sections/title.html.j2",
        heading=(
            say("title.compare_heading", year=data.year, previous=data.compare_with)
            if data.compare_with is not None
            else own_title(data) or say("title.heading", year=data.year)
        ),
        draft=data.issuer is None,
        year=data.year,
        previous=data.previous_year,
        before=data.year_before if data.skips_years else None,  # said when the page skips it
        title_zh=data.instrument.title_zh,
    )


def own_title(data: ReportData) -> str | None:
    """The title report.yaml gives the report in the page's language, if it gives one."""
    if data.issuer is None:
        return None
    return data.issuer.title_zh if data.lang == "zh" else data.issuer.title_en


def issued_date(data: ReportData) -> str:
    """The date the report is written, as the genre writes it: 2005年1月28日 / 28 January 2005."""
    date = data.issuer.date
    months = say("issuer.months").split()  # none in Chinese: the month is a number there
    month = months[date.month - 1] if months else ""
    return say("issuer.date", year=date.year, number=date.month, month=month, day=date.day)


def signature_html(data: ReportData) -> str:
    """The issuing office and the date at the end of the body, right-aligned; nothing on a draft
    (its heading says 草稿 / Draft instead)."""
    if data.issuer is None:
        return ""
    office = data.issuer.office_zh if data.lang == "zh" else data.issuer.office_en
    return render("sections/signature.html.j2", office=office, date=issued_date(data))


def heading_anchor(heading: str) -> str:
    """The id nbconvert gives a Markdown heading: its text, spaces as hyphens, percent-encoded."""
    return "#" + quote(heading.replace(" ", "-"))


def changes_figure_html(data: ReportData) -> str:
    """图1: every share this year against the year compared with, sorted by change; none in a first year."""
    if "changes" not in figure_keys(data):
        return ""
    title = say("caption.changes", year=data.year, previous=data.previous_year)
    return charts.changes_figure_html(data, figure_caption(data, "changes", title), source=source_line(data))


def contents_html(data: ReportData) -> str:
    """目录 / Contents: each part of the report, linked in the page, then the technical record."""
    items = []
    for number, section in enumerate(SECTIONS, start=1):
        title = section_title(section)
        if title:
            heading = say("section.heading", number=number, title=title)
            items.append({"text": heading, "href": heading_anchor(heading)})
    items.append({"text": say("record.link"), "href": data.record_page_name})
    return render("sections/contents.html.j2", items=items)


def summary_html(data: ReportData) -> str:
    """The summary a reviewer can quote, before the details (see `summary`)."""
    return render("sections/summary.html.j2", sentences=summary_sentences(data))


def nav_html(data: ReportData) -> str:
    """Links to this page in the other languages, to its language's index and trends page, and
    to the years either side; a compare page to its twins and the index only."""
    earlier = [y for y in data.years if y < data.year]
    later = [y for y in data.years if y > data.year]
    compare = data.compare_with is not None
    if compare:  # a compare page links to the pages of both years it compares
        extra = [
            {"href": page_file(y), "label": say("nav.year_page", year=y)}
            for y in (data.compare_with, data.year)
        ]
    else:  # a year page to each compare page it is part of
        extra = [
            {
                "href": compare_page_name(min(y, data.year), max(y, data.year)),
                "label": say("nav.compare", year=y),
            }
            for y in data.compared
        ]
    return page_nav(
        data.page_name,
        data.lang,
        previous_year=earlier[-1] if earlier and not compare else None,
        next_year=later[0] if later and not compare else None,
        trends=not compare,
        extra=extra,
    )


def record_nav_html(data: ReportData) -> str:
    """The record page's links: its index and its twin in each other language (no years either side)."""
    return page_nav(data.record_page_name, data.lang, trends=False)


def record_title_html(data: ReportData) -> str:
    """The record page's title, what it holds and the way back to the report, then how many of the
    roster's units had returned the form when it was made (a report built early says so)."""
    return render(
        "sections/record_title.html.j2", year=data.year, report=data.page_name, received=received(data)
    )


def received(data: ReportData) -> list[str]:
    """Received k of n, the missing units named (`intake.roster`, said by `returns_words`), each
    name kept on one line."""
    previous = data.previous if data.previous is not None and data.previous_year == data.year_before else None
    returns = data.result.returns
    status, problems = built_status(
        data.raw_dir,
        data.year,
        returns,
        data.result.findings,
        earlier=None if previous is None else previous.returns,
    )
    if problems:
        return [say("returns.record_bad_roster", file=ROSTER)]
    names = [*data.unit_names, *([] if status is None else status.roster.names)]
    return [kept(sentence, names) for sentence in record_sentences(status, data.year)]


def record_link_html(data: ReportData) -> str:
    """One line at the end of the report: the technical record is a page of its own."""
    return render("sections/record_link.html.j2", record=data.record_page_name)
