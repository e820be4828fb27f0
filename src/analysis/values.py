"""The text folding and value vocabulary that every return is read through.

Answers and headers arrive in any width and case, with stray spaces and line breaks; they
are folded with NFKC (full-width digits, letters, brackets, the ideographic space) before
they are looked up in the instrument's code tables. Anything not in a table is an error for
the caller to report, never a silent null.
"""

from __future__ import annotations

import re
import unicodedata

from analysis.catalogue import Instrument

_SPACE = re.compile(r"\s+")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")
_ENUMERATOR = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# "1.", "1、", "(1)", "（一）", "一、", "1:" and, after folding, "①" or "1 " (a bare number before text).
_NUMBER_PREFIX = re.compile(rf"^(?:\({_ENUMERATOR}\)|{_ENUMERATOR}[.、:,)]|\d{{1,2}}(?=\D))")
# A bracketed hint after the question: "（是/否）", "(人)", "（盖章）".
_HINT_SUFFIX = re.compile(r"\([^()]*\)$")
_ENGLISH_JOINERS = re.compile(r"[_\-]")
# Chinese names take full-width brackets; every bracket variant folds to them.
_BRACKETS = str.maketrans({"(": "（", ")": "）", "【": "（", "】": "）", "〔": "（", "〕": "）", "[": "（", "]": "）"})


def fold(text: str) -> str:
    """Width- and case-insensitive form of a cell, trimmed."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def header_key(text: str) -> str:
    """The form a header is matched on: no spaces or line breaks, numbered prefix, bracketed hint or colon.

    Forms number their questions and add hints ("1. 制定责任分解方案（是/否）"); none of the
    instrument's own headers starts with a number or ends in brackets, so both can go.
    """
    key = _SPACE.sub("", fold(text)).rstrip(":*")
    key = _NUMBER_PREFIX.sub("", key) or key
    key = _HINT_SUFFIX.sub("", key) or key
    return _ENGLISH_JOINERS.sub("", key).rstrip(":*")


def unit_key(name: str) -> str:
    """The canonical spelling unit names are matched on across files and years (width, spaces, brackets)."""
    name = _SPACE.sub(" ", unicodedata.normalize("NFKC", name)).strip().translate(_BRACKETS)
    # Spaces matter only between Latin words ("China Daily"); beside Chinese text they are stray.
    return _CJK_SPACE.sub("", name)


def _numeric_twin(text: str) -> str:
    """'1.0' and '1' are the same answer: Excel stores numbers, CSV stores their text."""
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def answer_vocabulary(instrument: Instrument) -> dict[str, bool]:
    return {
        fold(word): value == "yes"
        for value, words in instrument.answers.items()
        for word in words
    }


def expected_answers(instrument: Instrument) -> str:
    yes, no = ("/".join(instrument.answers[k]) for k in ("yes", "no"))
    return f"a yes/no answer (yes: {yes}; no: {no}) or a blank cell for no answer"


def parse_answer(text: str, vocabulary: dict[str, bool]) -> bool | None:
    """True, False, or None for a blank cell (no answer); ValueError for anything else."""
    key = _SPACE.sub("", fold(text))
    if not key:
        return None
    key = _numeric_twin(key)
    if key not in vocabulary:
        raise ValueError(text)
    return vocabulary[key]


def parse_count(text: str, suffixes: tuple[str, ...]) -> int | None:
    """A whole number >= 0 ("3", "3.0", "３", "3人", "3 人"), or None for a blank cell.

    Spaces are allowed around the number only: "3 4" is a typing slip, not 34.
    """
    key = fold(text)
    if not key:
        return None
    for suffix in suffixes:
        key = key.removesuffix(fold(suffix)).rstrip()
    key = _numeric_twin(key)
    if not key.isascii() or not key.isdigit():
        raise ValueError(text)
    return int(key)


def expected_count(suffixes: tuple[str, ...]) -> str:
    return f"a whole number of people, 0 or more (digits, optionally followed by {'/'.join(suffixes)}), or a blank cell"
