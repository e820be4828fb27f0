"""Units across files and years: one spelling per unit, aliases for renames, duplicates resolved.

A unit that is counted twice, or split into two because its name was typed differently,
changes every share in the report; these tests pin how names are matched and what happens
when the same unit turns up more than once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.catalogue import load_instrument
from analysis.intake.cells import unit_key
from analysis.intake.clean import Record
from analysis.intake.unit_names import canonical_name, merge_units, read_aliases, records_frame

INSTRUMENT = load_instrument()
BRACKETS = [("（", "）"), ("(", ")"), ("【", "】"), ("〔", "〕"), ("[", "]"), ("\uff08", "\uff09")]


@given(
    stem=st.text(alphabet="中央单位国家机关新华社报协会", min_size=1, max_size=8),
    number=st.sampled_from(["一", "十三", "二十七", "3", "３"]),
    brackets=st.sampled_from(BRACKETS),
    spaces=st.lists(st.sampled_from(["", " ", "\u3000", "\t"]), min_size=3, max_size=3),
)
def test_bracket_width_and_spaces_do_not_make_another_unit(
    stem: str, number: str, brackets: tuple[str, str], spaces: list[str]
):
    written = f"{spaces[0]}{stem}{spaces[1]}{brackets[0]}{number}{brackets[1]}{spaces[2]}"
    canonical = f"{stem}（{number.replace('３', '3')}）"
    assert unit_key(written) == unit_key(canonical) == canonical


def test_different_units_keep_different_keys():
    assert unit_key("中央单位（一）") != unit_key("中央单位（二）")
    assert unit_key("中国作协") != unit_key("中国作家协会")


def _aliases(tmp_path: Path, text: str, encoding: str = "utf-8") -> tuple[dict[str, str], list]:
    path = tmp_path / "unit_aliases.csv"
    path.write_bytes(text.encode(encoding))
    return read_aliases(path)


def test_aliases_map_former_and_variant_names_to_one(tmp_path: Path):
    aliases, findings = _aliases(
        tmp_path, "alias,unit_name\n经济日报,经济日报社\n中国科协 ,中国科学技术协会\n"
    )
    assert findings == []
    assert canonical_name("经济日报", aliases) == "经济日报社"
    assert canonical_name("中国 科协", aliases) == "中国科学技术协会"
    assert canonical_name("光明日报社", aliases) == "光明日报社"


def test_alias_file_in_gbk_with_half_width_brackets(tmp_path: Path):
    aliases, findings = _aliases(tmp_path, "alias,unit_name\n中央单位(甲),中央单位（乙）\n", encoding="gbk")
    assert findings == []
    assert canonical_name("中央单位（甲）", aliases) == "中央单位（乙）"


def test_a_unit_renamed_twice_maps_to_its_latest_name(tmp_path: Path):
    aliases, findings = _aliases(tmp_path, "alias,unit_name\n甲部,乙部\n乙部,丙部\n")
    assert findings == []
    assert canonical_name("甲部", aliases) == canonical_name("乙部", aliases) == "丙部"


def test_alias_problems_are_findings_with_their_line(tmp_path: Path):
    _, findings = _aliases(tmp_path, "alias,unit_name\n甲部,乙部\n甲部,丁部\n戊部,\n")
    assert [(f.severity, f.row, f.kind) for f in findings] == [
        ("error", 3, "aliases"),
        ("error", 4, "aliases"),
    ]
    assert "乙部" in findings[0].expected


def test_alias_cycle_is_an_error(tmp_path: Path):
    _, findings = _aliases(tmp_path, "alias,unit_name\n甲部,乙部\n乙部,甲部\n")
    assert findings and all(f.severity == "error" and "cycle" in f.expected for f in findings)


def test_alias_file_needs_its_header(tmp_path: Path):
    _, findings = _aliases(tmp_path, "old,new\n甲部,乙部\n")
    assert [(f.row, f.value) for f in findings] == [(1, "old,new")]


def _record(
    name: str, file: str, row: int, yes: frozenset[str] = frozenset(), sheet: str | None = None, **counts: int
) -> Record:
    values: dict[str, object] = {"unit_name": name, "unit_type": None}
    values |= {f: f in yes for f in INSTRUMENT.names("yes_no")}
    values |= {f: counts.get(f, 0) for f in INSTRUMENT.names("count")}
    return Record(values, file, sheet, row)


def test_same_unit_twice_with_same_answers_is_one_unit_and_a_warning():
    first = _record("中央单位（一）", "2005/汇总.xlsx", 7, frozenset({"decomposition_plan"}), sheet="汇总")
    again = _record("中央单位(一)", "2005/补报.csv", 3, frozenset({"decomposition_plan"}))
    units, findings = merge_units([first, again], {}, INSTRUMENT)
    assert [u.values["unit_name"] for u in units] == ["中央单位（一）"]
    assert (units[0].file, units[0].row) == ("2005/汇总.xlsx", 7)
    [warning] = findings
    assert (warning.severity, warning.kind, warning.unit, warning.file, warning.row) == (
        "warning",
        "duplicate_unit",
        "中央单位（一）",
        "2005/补报.csv",
        3,
    )
    assert "2005/汇总.xlsx, sheet '汇总', row 7" in warning.expected


def test_same_unit_twice_with_different_answers_names_the_unit_both_places_and_fields():
    first = _record("新华社", "2005/a.csv", 4, frozenset({"decomposition_plan"}))
    again = _record("新华通讯社", "2005/b.csv", 9, frozenset(), cadres_accountable_bureau=2)
    _, findings = merge_units([first, again], {unit_key("新华社"): "新华通讯社"}, INSTRUMENT)
    [error] = findings
    assert (error.severity, error.kind, error.unit, error.file, error.row) == (
        "error",
        "conflicting_unit",
        "新华通讯社",
        "2005/b.csv",
        9,
    )
    assert "2005/a.csv, row 4" in error.expected
    assert "decomposition_plan" in error.expected and "cadres_accountable_bureau" in error.expected


def test_no_answer_and_no_are_different_answers():
    first = _record("甲部", "a.csv", 2)
    blank = Record({**first.values, "decomposition_plan": None}, "b.csv", 2, None)
    _, findings = merge_units([first, blank], {}, INSTRUMENT)
    assert [f.kind for f in findings] == ["conflicting_unit"]


def test_records_frame_has_canonical_types():
    frame = records_frame(
        [_record("甲部", "a.csv", 2, frozenset({"decomposition_plan"}), cadres_accountable_bureau=3)],
        INSTRUMENT,
    )
    assert str(frame["decomposition_plan"].dtype) == "boolean" and bool(frame.at[0, "decomposition_plan"])
    assert (
        str(frame["cadres_accountable_bureau"].dtype) == "Int64"
        and frame.at[0, "cadres_accountable_bureau"] == 3
    )
    assert (frame.at[0, "source_file"], frame.at[0, "source_row"]) == ("a.csv", 2)


def test_spaces_between_latin_words_are_kept_and_stray_ones_dropped():
    from analysis.intake.cells import unit_key

    assert unit_key(" China   Daily ") == "China Daily"
    assert unit_key("中央 单位 (十三)") == "中央单位（十三）"
    assert unit_key("China Daily") != unit_key("ChinaDaily")


def test_a_conflict_hidden_by_an_alias_names_both_spellings(write_year):
    from conftest import unit_row

    from analysis.findings import ReturnsError
    from analysis.pipeline import process_years

    raw = write_year(2012, [unit_row("新华通讯社", {"decomposition_plan"}), unit_row("新华社")])
    (raw / "unit_aliases.csv").write_text("alias,unit_name\n新华社,新华通讯社\n", encoding="utf-8")
    with pytest.raises(ReturnsError) as caught:
        process_years(raw)
    [finding] = caught.value.findings
    assert (finding.file, finding.row, finding.kind) == ("2012/returns.csv", 3, "conflicting_unit")
    assert (
        "2012/returns.csv, row 2 has different answers for the same unit 新华通讯社,"
        " written '新华社' here (decomposition_plan)" in finding.expected
    )
