"""`python -m analysis forms` and `status` as a clerk types them: the words, the JSON, the exit status."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import copy_years, run_cli


def test_status_names_who_is_missing_in_both_languages_and_as_json(tmp_path: Path):
    raw = copy_years(tmp_path / "raw", (2003, 2004))
    done = run_cli("status", "2004", "--raw", str(raw))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == [
        "2004年：已收到37份，共38个单位（名单：2003年被调查单位）",
        "尚未收到（1个）：",
        "  中央单位（二十九）",
    ]
    assert "名单以外单位的报表（1个）：" in lines
    english = run_cli("status", "2004", "--raw", str(raw), "--lang", "en").stdout
    assert english.startswith("2004: received 37 of 38 (roster: the units surveyed in 2003)\n")
    data = json.loads(run_cli("status", "2004", "--raw", str(raw), "--json").stdout)
    assert (data["received"], data["roster"], data["missing"]) == (
        37,
        {"source": 2003, "units": 38},
        ["中央单位（二十九）"],
    )
    none = run_cli("status", "2003", "--raw", str(raw))
    assert none.returncode == 2 and "no roster for 2003" in none.stderr


def test_forms_writes_by_default_under_reports_and_refuses_to_overwrite(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    raw = copy_years(tmp_path / "data" / "raw", (2003, 2004))
    done = run_cli("forms", "2005", "--raw", str(raw))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "reports" / "forms" / "2005"
    assert len(list(folder.glob("*.xlsx"))) == 39
    again = run_cli("forms", "2005", "--raw", str(raw))
    assert again.returncode == 2 and "--force" in again.stderr
    assert run_cli("forms", "2005", "--raw", str(raw), "--force").returncode == 0
    assert run_cli("forms", "99", "--raw", str(raw)).returncode == 2
    status = run_cli("status", "2005", "--raw", str(raw))
    assert status.stdout.startswith("2005年：已收到0份，共38个单位")
