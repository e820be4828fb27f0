"""What the report notebook calls to show a section in every language it is drawn in.

One kernel draws a year's page in each language asked for (`lang="en zh"`): the kernel's
start, the imports, the fonts and the data are shared, only the words and the drawing are
done once a language. Each output is tagged with its language (`metadata.lang`), and the
export keeps, for each page, only the outputs of that page's language.
"""

from __future__ import annotations

from collections.abc import Callable

from IPython.display import HTML, Markdown, display

from analysis.publish.load import ReportData
from analysis.publish.wording import language

LANG_KEY = "lang"


def show(pages: list[ReportData], section: Callable[[ReportData], str]) -> None:
    """Display `section(data)` as HTML once for each page, in the page's language (nothing when
    the section has nothing to say on that page, e.g. no signature on a draft)."""
    for data in pages:
        with language(data.lang):
            markup = section(data)
            if markup:
                display(HTML(markup), metadata={LANG_KEY: data.lang})


def show_markdown(pages: list[ReportData], section: Callable[[ReportData], str]) -> None:
    """Display `section(data)` as Markdown once for each page (a heading cell tagged `as-markdown`)."""
    for data in pages:
        with language(data.lang):
            display(Markdown(section(data)), metadata={LANG_KEY: data.lang})
