"""The analysts' own words for a year's report: `<raw>/<year>/commentary.<lang>.md`.

The published report's third part (opinions and suggestions) is written by people, not
computed. Each language's page shows the file of its language, rendered from Markdown by
mistune (already pinned for nbconvert) with raw HTML escaped: a `<script>` in the file is
shown as text. A page must open offline and fetch nothing, so an image is shown as its
alternative text and a link as its text with the address beside it, never as a link.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import mistune
from mistune.util import escape

# Headings of the commentary sit inside the page's own section heading.
HEADING_SHIFT = 3
# A line break inside a Chinese paragraph is not a space: browsers would show one.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_SOFT_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")


@dataclass(frozen=True)
class Commentary:
    """A commentary file as the page shows it, and what it was made from."""

    file: str  # as listed in the provenance: <year folder>/commentary.<lang>.md
    sha256: str
    html: str


class _OfflineRenderer(mistune.HTMLRenderer):
    """Markdown to HTML with nothing that reaches outside the page."""

    def __init__(self) -> None:
        super().__init__(escape=True)

    def heading(self, text: str, level: int, **attrs: object) -> str:
        level = min(6, level + HEADING_SHIFT)
        return f"<h{level}>{text}</h{level}>\n"

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return f"<em>{text}</em>"

    def link(self, text: str, url: str, title: str | None = None) -> str:
        shown = escape(url)
        return text if shown in (text, "#harmful-link") else f"{text} ({shown})"


_MARKDOWN = mistune.create_markdown(renderer=_OfflineRenderer())


def commentary_path(year_folder: Path, lang: str) -> Path:
    return year_folder / f"commentary.{lang}.md"


def render_markdown(text: str) -> str:
    """Commentary text as safe, offline HTML."""
    return _CJK_SOFT_BREAK.sub("", _MARKDOWN(text))


def read_commentary(year_folder: Path, lang: str) -> Commentary | None:
    """The year's commentary in `lang`, or None when the office wrote none."""
    path = commentary_path(year_folder, lang)
    if not path.is_file():
        return None
    data = path.read_bytes()
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    return Commentary(
        file=f"{year_folder.name}/{path.name}",
        sha256=hashlib.sha256(data).hexdigest(),
        html=render_markdown(text),
    )
