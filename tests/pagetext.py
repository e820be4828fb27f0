"""The text a reader of a page sees, and the Latin words left in it: shared by the tests of
the Chinese pages (test_chinese, test_compare, test_trends, test_scale_report)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from analysis.publish import tables

# What may stay Latin on a Chinese page: file and folder names, checksums, version numbers, the
# checksum's name as the style guide writes it (校验值（SHA-256）), the names of the software and
# of the notebook's parameters (what a reader types to run it again).
FILE_NAME = re.compile(r"[\w./…-]*\.(?:xlsx|xlsm|xls|ods|csv|md|html|ipynb)(?![A-Za-z])")
FOLDER = re.compile(r"[\w.…-]*(?:/[\w.…-]+)+")
CHECKSUM = re.compile(r"\b[0-9a-f]{64}\b")
VERSION = re.compile(r"\b\d+(?:\.\d+)+\b")
NAMES = {"Python", *tables.SOFTWARE, "year", "raw_dir", "processed_dir"}
ALLOWED = re.compile(r"SHA-256")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


class VisibleText(HTMLParser):
    """The text a reader sees or hears: every text node outside scripts and styles, and the text
    alternatives (aria-label, alt, title attributes)."""

    HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        self.parts += [value for name, value in attrs if name in ("aria-label", "alt", "title") and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = VisibleText()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def latin_words(text: str) -> list[str]:
    """The Latin words left once file names, folders, checksums, versions, software and parameter
    names are set aside."""
    for pattern in (FILE_NAME, CHECKSUM, FOLDER, VERSION, ALLOWED):
        text = pattern.sub(" ", text)
    return [w for w in LATIN_WORD.findall(text) if w not in NAMES]
