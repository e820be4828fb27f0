"""The text folding and value vocabulary that every return is read through.

Answers and headers arrive in any width and case, with stray spaces and line breaks; they
are folded with NFKC (full-width digits, letters, brackets, the ideographic space) before
they are looked up in the instrument's code tables. Anything not in a table is an error for
the caller to report, never a silent null.

Invisible format characters (zero-width space, word joiner, byte-order mark, soft hyphen:
Unicode category Cf) are dropped before anything else: pasted from web pages or Word they
are in the cell but not on the screen, and would otherwise make a second unit or an
unknown header that the person cannot see.
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
_BRACKETS = str.maketrans(
    {"(": "（", ")": "）", "【": "（", "】": "）", "〔": "（", "〕": "）", "[": "（", "]": "）"}
)


# A count or a numeric yes/no is digits, with ".0" as Excel number cells give it ("3.0"):
# no sign, exponent, digit separator, "inf" or "nan", which float() would all accept.
_WHOLE_NUMBER = re.compile(r"([0-9]+)(?:\.0+)?")
# Digits that NFKC folds to ASCII and are meant: full-width ones. Superscripts, subscripts
# and circled digits fold too ("³" -> "3") but are not how anyone writes a number of people.
_TYPED_DIGITS = frozenset("0123456789０１２３４５６７８９")


def strip_format(text: str) -> str:
    """`text` without Unicode format characters (Cf): invisible, so never part of a name or header."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def fold(text: str) -> str:
    """Width- and case-insensitive form of a cell, trimmed, without invisible format characters."""
    return unicodedata.normalize("NFKC", strip_format(text)).strip().casefold()


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
    name = _SPACE.sub(" ", unicodedata.normalize("NFKC", strip_format(name))).strip().translate(_BRACKETS)
    # Spaces matter only between Latin words ("China Daily"); beside Chinese text they are stray.
    return _CJK_SPACE.sub("", name)


def clean_text(text: str) -> str:
    """A text cell as stored (a unit's name, its kind): spaces collapsed, invisible characters gone."""
    return " ".join(strip_format(text).split())


def _lookalike_digits(text: str) -> bool:
    """True when a character folds to a digit without being one ("³", "₃", "①")."""
    if text.isascii():
        return False
    return any(
        c not in _TYPED_DIGITS and any(d.isdigit() for d in unicodedata.normalize("NFKC", c)) for c in text
    )


def _whole_number(key: str) -> int | None:
    """The number in a folded cell that is plain digits, or digits and ".0"; else None."""
    match = _WHOLE_NUMBER.fullmatch(key)
    return int(match[1]) if match else None


def _numeric_twin(text: str) -> str:
    """'1.0' and '1' are the same answer: Excel stores numbers, CSV stores their text.

    Only plain digits qualify: '1e0' or '-0' is not how a cell shows 1 or 0, so it stays as
    written and is refused by the vocabulary.
    """
    number = _whole_number(text)
    return text if number is None else str(number)


def answer_vocabulary(instrument: Instrument) -> dict[str, bool]:
    return {fold(word): value == "yes" for value, words in instrument.answers.items() for word in words}


def expected_answers(instrument: Instrument) -> str:
    yes, no = ("/".join(instrument.answers[k]) for k in ("yes", "no"))
    return f"a yes/no answer (yes: {yes}; no: {no}) or a blank cell for no answer"


def parse_answer(text: str, vocabulary: dict[str, bool]) -> bool | None:
    """True, False, or None for a blank cell (no answer); ValueError for anything else."""
    key = _SPACE.sub("", fold(text))
    if not key:
        return None
    if _lookalike_digits(text):
        raise ValueError(text)
    key = _numeric_twin(key)
    if key not in vocabulary:
        raise ValueError(text)
    return vocabulary[key]


def parse_count(text: str, suffixes: tuple[str, ...], maximum: int | None = None) -> int | None:
    """A whole number from 0 to `maximum` ("3", "3.0", "３", "3人", "3 人"), or None for a blank cell.

    Spaces are allowed around the number only: "3 4" is a typing slip, not 34. A count is a
    number of people, so a value above the field's maximum is a slip too (and 10^20 would
    not even fit the table's integers).
    """
    key = fold(text)
    if not key:
        return None
    for suffix in suffixes:
        key = key.removesuffix(fold(suffix)).rstrip()
    number = None if _lookalike_digits(text) else _whole_number(key)
    if number is None or (maximum is not None and number > maximum):
        raise ValueError(text)
    return number


def expected_count(suffixes: tuple[str, ...], maximum: int | None = None) -> str:
    at_most = "" if maximum is None else f" and at most {maximum}"
    return (
        f"a whole number of people, 0 or more{at_most} (digits, optionally followed by "
        f"{'/'.join(suffixes)}), or a blank cell"
    )
