"""Text and its room: widths measured with the charts' fonts, wrapping, and short unit names.

The charts lay themselves out from these measures (margins, line breaks, which labels fit),
so a chart is drawn once, and the same text always takes the same room.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import matplotlib as mpl
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from analysis.publish.chart_style import LINE, NAME_COLUMNS


def text_width(text: str, size: float) -> float:
    """Inches the widest line of `text` takes at `size` points, measured with the chart's fonts.

    Margins and wrapping are set from these widths instead of by a layout engine, which would
    draw every chart twice; measuring a line is a lookup of its glyphs' advances.
    """
    return max(
        _line_width(line, size, tuple(mpl.rcParams["font.family"])) for line in text.splitlines() or [""]
    )


@cache
def _line_width(line: str, size: float, family: tuple[str, ...]) -> float:
    if not line:
        return 0.0
    width, _, _ = text_to_path.get_text_width_height_descent(
        line, FontProperties(family=list(family), size=size), ismath=False
    )
    return width / 72


def text_columns(text: str) -> int:
    """Width in terminal columns: a wide (CJK) character is two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def line_inches(size: float) -> float:
    return LINE * size / 72


def wrap(text: str, size: float, width: float) -> str:
    """Lines no wider than `width` inches where the words allow: a Chinese character is a word of its own.

    Lines the text already has are kept; a single word wider than `width` stays whole.
    """
    return "\n".join(_wrap_line(line, size, width) for line in text.splitlines())


def _wrap_line(line: str, size: float, width: float) -> str:
    lines: list[str] = []
    current = ""
    for word in _words(line):
        if current.strip() and text_width((current + word).strip(), size) > width:
            lines.append(current.strip())
            current = word.lstrip()
        else:
            current += word
    return "\n".join([*lines, current.strip()])


# A word with the space before it, if any: a Latin word, or one wide (CJK) character; opening
# brackets stay with what follows them and closing punctuation with what precedes it.
WORD = re.compile(r"\s*[（「《]*(?:[^\s\u2e80-\uffef]+|[\u2e80-\uffef])[，。、；：）」》]*")


def _words(line: str) -> list[str]:
    """The words of `line`, each with its leading space: joined again, they give the line back."""
    return WORD.findall(line)


def short_name(name: str, limit: int = NAME_COLUMNS) -> str:
    """A unit name for a chart label: whole when it fits, else its start and end around '…'.

    Real names run to dozens of characters and a label as wide as the figure leaves no room
    for the chart. The end is kept as well as the start because that is where the names of
    one family differ ("中央单位（十一）", "…局" and "…司"); the tables give every name in full.
    """
    if text_columns(name) <= limit:
        return name
    room = limit - 1  # the ellipsis takes one column
    head = _fit(name, room - room // 3)
    tail = _fit(name[len(head) :][::-1], room - text_columns(head))[::-1]
    return f"{head.rstrip()}…{tail.lstrip()}"


def _fit(text: str, limit: int) -> str:
    """The longest start of `text` no wider than `limit` columns."""
    width = 0
    for i, char in enumerate(text):
        width += text_columns(char)
        if width > limit:
            return text[:i]
    return text
