"""`python -m analysis forms YEAR`: the form each unit of the roster is sent, prefilled, and a blank one.

Written to `reports/forms/<year>/` by default: `<unit name>.xlsx` for each unit of the year's
roster (`intake.roster`: roster.csv, or the units surveyed the year before), the unit's name
made a file's name by the letters' rule (`paths.file_stems`); a blank form (its name has 空白)
for a unit not on the roster; `发放清单.csv`, the list to send them from; and, when a name had to
change to become a file name, `文件名对照.csv`. The forms are a command's output, not a build's:
a folder already holding files is refused unless `force` is given, and even then only the files
named above are written (nothing else in the folder is touched or removed).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.catalogue import load_catalogue, load_instrument
from analysis.findings import ReturnsError, UsageError, errors
from analysis.intake.issuer import read_issuer
from analysis.intake.roster import Roster, year_roster
from analysis.intake.years import year_before, year_folders
from analysis.paths import FORM_LIST, FORM_SUFFIX, LETTER_LANG, LETTER_NAMES, ROSTER, file_stems
from analysis.publish.form_sheets import FormSpec, write_form
from analysis.publish.wording import language, say
from analysis.store import csv_text, remove_leftovers, write_atomic

FIRST_YEAR, LAST_YEAR = 1900, 2999  # a survey year the command accepts


def check_year(year: int) -> None:
    """A survey year is four digits: 205 or 20005 is a slip."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(f"YEAR must be a survey year such as 2005 (four digits), got {year}")


def roster_or_error(raw: Path, year: int) -> Roster:
    """The year's roster; its problems as a ReturnsError, no roster at all as a usage error."""
    check_year(year)
    if not raw.is_dir():
        raise UsageError(f"no raw data folder at {raw}")
    roster, findings = year_roster(raw, year)
    if errors(findings):
        raise ReturnsError(errors(findings))
    if roster is None:
        raise UsageError(
            f"no roster for {year}: no year before {year} has a folder of returns under {raw}, and there "
            f"is no {raw / ROSTER} (write one: a header line unit_name,unit_type and one line per unit)"
        )
    return roster


def contact(raw: Path, year: int) -> str | None:
    """Who the units ask: the office of the year's report.yaml, else of the latest earlier year's."""
    folders = year_folders(raw)[0]
    for candidate in sorted((y for y in folders if y <= year), reverse=True):
        issuer, problems = read_issuer(folders[candidate], folders[candidate].name, candidate)
        if problems:
            raise ReturnsError(errors(problems))
        if issuer is not None:
            return issuer.office_zh
    return None


def new_questions(year: int, roster: Roster, raw: Path) -> frozenset[str]:
    """The questions this year's form asks that the previous year's did not."""
    instrument = load_instrument()
    previous = roster.from_year or year_before(year, sorted(year_folders(raw)[0])) or year - 1
    before = set(instrument.for_year(previous).names())
    return frozenset(name for name in instrument.for_year(year).names() if name not in before)


def planned_files(roster: Roster, out: Path) -> tuple[dict[str | None, Path], list[Path]]:
    """Each unit's form (None: the blank form) and the lists beside them."""
    with language(LETTER_LANG):
        blank = say("form.blank_file")
    stems = file_stems([*roster.names, blank])
    forms: dict[str | None, Path] = {name: out / f"{stems[name]}{FORM_SUFFIX}" for name in roster.names}
    forms[None] = out / f"{stems[blank]}{FORM_SUFFIX}"
    lists = [out / FORM_LIST]
    if any(stems[name] != name for name in roster.names):
        lists.append(out / LETTER_NAMES)
    return forms, lists


def check_out(out: Path, raw: Path, planned: list[Path], force: bool) -> None:
    """Refuse a folder inside the raw folder (the forms would be read as returns), a file, and,
    without `force`, a folder that already holds files."""
    where, raw_root = out.resolve(), raw.resolve()
    if where == raw_root or raw_root in where.parents:
        raise UsageError(
            f"--out {out} is inside the raw folder {raw}: blank forms there would be read as returns; "
            "choose another folder"
        )
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    if not out.is_dir() or force:
        return
    present = sorted(p for p in out.iterdir() if not p.name.startswith("."))
    if not present:
        return
    ours = set(planned)
    forms = [p.name for p in present if p in ours]
    others = [p.name for p in present if p not in ours]
    parts = []
    if forms:
        shown = ", ".join(forms[:3])
        parts.append(f"it already holds {len(forms)} of the files this command writes ({shown}...)")
    if others:
        parts.append(f"it holds files that are not this year's forms: {', '.join(others)}")
    raise UsageError(
        f"{out}: {'; '.join(parts)}. Nothing was written: give --force to write the forms again (other "
        "files are left as they are), or choose another folder with --out"
    )


def write_forms(year: int, raw: Path, out: Path, force: bool = False) -> list[Path]:
    """Every form of the year's roster, the blank form and the lists; returns the files written.

    Everything is checked before the first file is written; each file is written whole or not at all.
    """
    roster = roster_or_error(raw, year)
    forms, lists = planned_files(roster, out)
    check_out(out, raw, [*forms.values(), *lists], force)
    spec = FormSpec(
        year=year,
        form=load_instrument().for_year(year),
        catalogue=load_catalogue(),
        new=new_questions(year, roster, raw),
        office=contact(raw, year),
    )
    out.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    written = []
    kinds = dict(roster.units)
    with language(LETTER_LANG):
        for unit, path in forms.items():
            who = None if unit is None else (unit, kinds[unit])
            write_atomic(path, lambda tmp, who=who: write_form(tmp, spec, who))
            written.append(path)
        labels = [spec.form.field(n).label_zh for n in ("unit_name", "unit_type")]
        table = pd.DataFrame(
            [(name, kinds[name], forms[name].name) for name in roster.names],
            columns=[*labels, say("form.list_file")],
        )
        changed = pd.DataFrame(
            [(name, forms[name].name) for name in roster.names if forms[name].stem != name],
            columns=[say("letter.names_unit"), say("letter.names_file")],
        )
    for path, frame in zip(lists, (table, changed), strict=False):
        text = "\ufeff" + csv_text(frame)  # with a BOM: Excel and WPS then read it as UTF-8
        write_atomic(path, lambda tmp, text=text: tmp.write_bytes(text.encode("utf-8")))
        written.append(path)
    return written
