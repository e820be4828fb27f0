"""Property tests for the value vocabulary and header matching: any case, any width, any spacing.

Returns are typed by hand in Chinese input methods, so the same answer arrives full-width or
half-width, in any case, padded with ideographic spaces; headers arrive numbered, broken over
lines and with hints in brackets. These properties say each variant means what it says, and
that anything outside the vocabulary is refused rather than guessed.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from analysis.catalogue import load_instrument
from analysis.intake.cells import answer_vocabulary, fold, header_key, parse_answer, parse_count
from analysis.intake.clean import header_index
from analysis.intake.read import cell_text

INSTRUMENT = load_instrument()
VOCABULARY = answer_vocabulary(INSTRUMENT)
INDEX = header_index(INSTRUMENT)
WORDS = [(word, value == "yes") for value, words in INSTRUMENT.answers.items() for word in words]
SUFFIXES = INSTRUMENT.count_suffixes
FIELD_HEADERS = [(spec.name, header) for spec in INSTRUMENT.fields for header in spec.accepted_headers]
SPACES = [" ", "\u3000", "\t", "\n", "\r\n", "  "]


def to_fullwidth(text: str) -> str:
    """What a Chinese input method in full-width mode types for ASCII."""
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def retyped(draw: st.DrawFn, text: str) -> str:
    """`text` with each character in a random case and width."""
    out = []
    for char in text:
        char = draw(st.sampled_from([char, char.upper(), char.lower()]))
        out.append(to_fullwidth(char) if draw(st.booleans()) else char)
    return "".join(out)


@st.composite
def padded(draw: st.DrawFn, text: str) -> str:
    return draw(st.sampled_from(["", *SPACES])) + text + draw(st.sampled_from(["", *SPACES]))


@given(data=st.data(), word_value=st.sampled_from(WORDS))
def test_every_answer_word_reads_right_in_any_case_and_width(
    data: st.DataObject, word_value: tuple[str, bool]
):
    word, value = word_value
    typed = data.draw(retyped(word))
    assert parse_answer(data.draw(padded(typed)), VOCABULARY) is value


@given(number=st.sampled_from([1, 0]), form=st.sampled_from(["{}", "{}.0", "{}.00", " {} "]))
def test_numeric_answer_and_its_text_twin_read_the_same(number: int, form: str):
    """Excel gives 1.0 for a numeric 1; CSV gives the text "1"."""
    assert (
        parse_answer(form.format(number), VOCABULARY) is parse_answer(str(number), VOCABULARY) is bool(number)
    )


@given(st.lists(st.sampled_from(SPACES), max_size=4).map("".join))
def test_blank_is_no_answer_not_no(blank: str):
    assert parse_answer(blank, VOCABULARY) is None


def _means_a_word(text: str) -> bool:
    key = "".join(fold(text).split())
    try:
        number = float(key)
    except ValueError:
        return key in VOCABULARY or not key
    return number in (0, 1) or not key


@given(st.text(max_size=6))
def test_anything_outside_the_vocabulary_is_refused(text: str):
    """Never a silent guess: an unknown answer raises, so the caller reports it."""
    assume(not _means_a_word(text))
    with pytest.raises(ValueError):
        parse_answer(text, VOCABULARY)


@pytest.mark.parametrize("text", ["是的", "没有", "部分", "2", "-1", "yes!", "√×", "有/无", "Y N"])
def test_near_misses_are_refused(text: str):
    with pytest.raises(ValueError):
        parse_answer(text, VOCABULARY)


@st.composite
def count_texts(draw: st.DrawFn, number: int) -> str:
    digits = draw(st.sampled_from([str(number), f"{number}.0", to_fullwidth(str(number))]))
    suffix = draw(st.sampled_from(["", *SUFFIXES]))
    return draw(padded(digits + draw(st.sampled_from(["", " "])) + suffix))


@given(data=st.data(), number=st.integers(min_value=0, max_value=10**6))
def test_counts_as_numbers_text_fullwidth_or_with_a_unit_word(data: st.DataObject, number: int):
    assert parse_count(data.draw(count_texts(number)), SUFFIXES) == number


@given(number=st.integers(min_value=-(10**6), max_value=-1), suffix=st.sampled_from(["", *SUFFIXES]))
def test_negative_counts_are_refused(number: int, suffix: str):
    with pytest.raises(ValueError):
        parse_count(f"{number}{suffix}", SUFFIXES)


@given(
    number=st.integers(min_value=0, max_value=10**4),
    fraction=st.sampled_from([".5", ".25", ".1", ".99"]),
    suffix=st.sampled_from(["", *SUFFIXES]),
)
def test_fractional_counts_are_refused(number: int, fraction: str, suffix: str):
    with pytest.raises(ValueError):
        parse_count(f"{number}{fraction}{suffix}", SUFFIXES)


@pytest.mark.parametrize("text", ["三人", "3 4", "about 3", "3人次", "n/a", "—"])
def test_counts_that_are_not_numbers_are_refused(text: str):
    with pytest.raises(ValueError):
        parse_count(text, SUFFIXES)


def test_blank_count_is_no_answer():
    assert parse_count(" \u3000", SUFFIXES) is None


# ----------------------------------------------------------------- headers

CHINESE_NUMERALS = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"


@st.composite
def numbered_prefix(draw: st.DrawFn) -> str:
    """The ways forms number questions: 1.  1、  (1)  （1）  一、  （一）  ①  1 ."""
    n = draw(st.integers(min_value=1, max_value=15))
    arabic = draw(st.sampled_from([str(n), to_fullwidth(str(n))]))
    chinese = CHINESE_NUMERALS[n - 1] if n <= 10 else "十" + CHINESE_NUMERALS[n - 11]
    return draw(
        st.sampled_from(
            [
                "",
                f"{arabic}.",
                f"{arabic}．",
                f"{arabic}、",
                f"({arabic})",
                f"（{arabic}）",
                f"{arabic})",
                f"{chinese}、",
                f"（{chinese}）",
                CIRCLED[n - 1],
                f"{arabic} ",
                f"{arabic}:",
            ]
        )
    )


@st.composite
def broken(draw: st.DrawFn, text: str) -> str:
    """`text` with spaces and line breaks at random places, as wrapped header cells have them."""
    out = []
    for char in text:
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            out.append(draw(st.sampled_from(SPACES)))
        out.append(char)
    return "".join(out)


@given(data=st.data(), field_header=st.sampled_from(FIELD_HEADERS))
def test_every_header_matches_with_prefix_breaks_width_case_and_hint(
    data: st.DataObject, field_header: tuple[str, str]
):
    name, header = field_header
    text = data.draw(retyped(header)) if header.isascii() else header
    text = data.draw(numbered_prefix()) + data.draw(broken(text))
    text += data.draw(st.sampled_from(["", "（是/否）", "(人)", "：", ":", "*"]))
    assert INDEX.get(header_key(data.draw(padded(text)))) == name, repr(text)


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("1.实施办法明确领导\n班子及成员责任", "rules_define_responsibility"),
        ("（3）逐级分解\n责任", "decomposition_layered"),
        ("⑭追究处级干部人数", "cadres_accountable_division"),
        ("13.追究局级\n干部人数（人）", "cadres_accountable_bureau"),
        ("单位\n名称", "unit_name"),
        ("Unit Name", "unit_name"),
        ("ＤＥＣＯＭＰＯＳＩＴＩＯＮ＿ＰＬＡＮ", "decomposition_plan"),
        ("decomposition-plan", "decomposition_plan"),
    ],
)
def test_headers_as_real_forms_write_them(written: str, field: str):
    assert INDEX[header_key(written)] == field


@pytest.mark.parametrize("written", ["序号", "备  注", "No.", "Remarks", "编号"])
def test_serial_and_remarks_columns_are_known_but_not_answers(written: str):
    key = header_key(written)
    assert key in INDEX and INDEX[key] is None


@pytest.mark.parametrize("written", ["2004年", "联系电话", "合计", "制定方案", "1"])
def test_other_headers_match_no_field(written: str):
    assert header_key(written) not in INDEX


def test_fold_is_nfkc_and_casefold():
    """The one folding everything goes through; checked against the standard library's NFKC."""
    text = "ＡＢｃ１２（）\u3000是"
    assert fold(f"  {text}  ") == unicodedata.normalize("NFKC", text).strip().casefold() == "abc12() 是"


@pytest.mark.parametrize(
    ("cell", "twin"), [(3.0, "3"), (3, "3"), (1.0, "1"), (0, "0"), (True, "true"), (False, "FALSE")]
)
def test_numeric_cell_and_its_text_twin_read_the_same(cell: object, twin: str):
    """openpyxl gives numbers and booleans; the same cell saved as CSV gives text."""
    if isinstance(cell, bool) or cell in (0, 1):
        assert parse_answer(cell_text(cell), VOCABULARY) is parse_answer(twin, VOCABULARY) is not None
    else:
        assert parse_count(cell_text(cell), SUFFIXES) == parse_count(twin, SUFFIXES) == 3
