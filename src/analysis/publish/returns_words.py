"""Who has returned the form, in words: the lines `python -m analysis status` prints and the
sentences of a year's technical record (computed in `intake.roster`, said here)."""

from __future__ import annotations

from analysis.catalogue import load_catalogue
from analysis.intake.roster import Returned, ReturnsStatus
from analysis.paths import ROSTER
from analysis.publish.wording import say


def _source(status: ReturnsStatus) -> str:
    if status.roster.from_year is None:
        return say("returns.roster_file", file=ROSTER)
    return say("returns.roster_year", year=status.roster.from_year)


def _place(item: Returned) -> str:
    return item.file if item.row is None else say("returns.place", file=item.file, row=item.row)


def status_lines(status: ReturnsStatus) -> list[str]:
    """Every unit still missing, every return from a unit not on the roster, every duplicate."""
    lines = [
        say("returns.received", year=status.year, k=len(status.received), n=len(status.roster.units))
        + _source(status)
    ]
    if status.missing:
        lines.append(say("returns.missing", count=len(status.missing)))
        lines += [say("returns.item", text=name) for name in status.missing]
    else:
        lines.append(say("returns.missing_none"))
    if status.not_on_roster:
        lines.append(say("returns.not_on_roster", count=len(status.not_on_roster)))
        lines += [
            say("returns.item", text=say("returns.placed", unit=r.unit, places=_place(r)))
            for r in status.not_on_roster
        ]
    if status.duplicates:
        lines.append(say("returns.duplicates", count=len(status.duplicates)))
        for unit, places in status.duplicates:
            joined = say("list.items").join(_place(r) for r in places)
            lines.append(say("returns.item", text=say("returns.placed", unit=unit, places=joined)))
    if status.problems:
        lines.append(say("returns.problems", count=len(status.problems)))
    return lines


def _names(names: tuple[str, ...]) -> str:
    """The names joined, cut to the catalogue's `units_named` above `unit_lists_up_to` units."""
    catalogue = load_catalogue()
    if len(names) <= catalogue.unit_lists_up_to:
        return say("list.units").join(names)
    shown = catalogue.units_named
    more = say("many_units.more", more=len(names) - shown, total=len(names), shown=shown)
    return say("list.units").join(names[:shown]) + more


def record_sentences(status: ReturnsStatus | None, year: int) -> list[str]:
    """The technical record's account of the returns: received k of n, the units missing named, and
    the units that returned a form without being on the roster."""
    if status is None:
        return [say("returns.record_no_roster", year=year, file=ROSTER)]
    sentences = [
        say("returns.record", k=len(status.received), n=len(status.roster.units), source=_source(status))
    ]
    if status.missing:
        sentences.append(say("returns.record_missing", units=_names(status.missing)))
    else:
        sentences.append(say("returns.record_none_missing"))
    if status.not_on_roster:
        others = tuple(r.unit for r in status.not_on_roster)
        sentences.append(say("returns.record_not_on_roster", units=_names(others)))
    return sentences
