"""The tables a report shows, shaped from the year's figures and returns: no words, no markup.

Pure functions of the loaded data (`ReportData`): which shares changed, which units joined
or left, the units behind each gap, the units x questions matrix. The text, the tables and
the charts all read these, so a chart and the sentence beside it cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.figures.indicators import percent_half_up, population_mask
from analysis.pipeline import YearResult
from analysis.publish.load import ReportData, ReportError, Row


def not_asked(row: Row, prefix: str = "") -> bool:
    """A figure of a year whose form did not ask the question (`asked` False): no value, never 0."""
    value = row.get(f"{prefix}asked", True)
    return value is not None and value is not pd.NA and not bool(value)


def new_this_year(row: Row) -> bool:
    """Asked this year, not asked the year it is compared with."""
    return not not_asked(row) and not_asked(row, "previous_")


def empty_base(denominator: object) -> bool:
    """A share over no units at all (0 of 0): it has no percentage and no change to state."""
    return not pd.isna(denominator) and int(denominator) == 0


def small_base(row: Row, threshold: int, prefix: str = "") -> bool:
    """A share over at least one unit but fewer than `threshold` (the catalogue's `small_base`):
    one unit's answer moves it by more than 100/threshold points, so it is marked where shown."""
    denominator = row.get(f"{prefix}denominator")
    if not_asked(row, prefix) or denominator is None or pd.isna(denominator):
        return False  # a count (no base), a year without the figure, a question not asked
    return 0 < int(denominator) < threshold


def not_comparable(row: Row) -> bool:
    """A share with a figure in both years but no units in the base in one of them."""
    return not pd.isna(row["previous_numerator"]) and (
        empty_base(row["denominator"]) or empty_base(row["previous_denominator"])
    )


def links(data: ReportData) -> list[str]:
    """The links of the responsibility system that have figures of their own, in catalogue order."""
    return [
        link for link in data.catalogue.links if any(i.kind != "units" for i in data.catalogue.by_link(link))
    ]


def share_changes(data: ReportData) -> list[Row]:
    """Every share with a figure in both years, largest rise first (catalogue order on ties)."""
    rows = [r for r in data.rows_where(kind="share") if not pd.isna(r["change_pp"])]
    return sorted(rows, key=lambda r: -float(r["change_pp"]))


def unit_changes(data: ReportData) -> tuple[list[str], list[str]]:
    """Units that returned this year but not the previous one, and the other way round."""
    if data.previous is None:
        return [], []
    now = list(data.result.returns["unit_name"])
    before = list(data.previous.returns["unit_name"])
    now_set, before_set = set(now), set(before)
    return [u for u in now if u not in before_set], [u for u in before if u not in now_set]


@dataclass(frozen=True)
class Gap:
    """Units that did not answer yes: the office's follow-up list for one indicator.

    `units` answered no, and they are what the gap's sentence counts; `no_answer` left the
    question blank and are named apart, never in the count.
    """

    indicator: str
    population: str
    denominator: int
    percent: object
    units: list[str]
    no_answer: list[str]
    yes_last_year: list[str]
    previous_count: int | None  # how many answered no the year before
    previous_base_empty: bool = False  # no units in the previous year's base: its count of 0 is no figure


def answered_no(frame: pd.DataFrame, field: str) -> pd.Series:
    """True where the unit answered no: blank is not no."""
    return frame[field].notna() & ~frame[field].fillna(True).astype(bool)


def gaps(data: ReportData) -> list[Gap]:
    """Each share's complement (denominator minus numerator), naming the units, in catalogue order."""
    returns = data.result.returns
    found = []
    for row in data.rows:
        if row["kind"] != "share" or not_asked(row) or int(row["numerator"]) == int(row["denominator"]):
            continue
        indicator = data.catalogue.get(row["indicator"])
        population = returns[population_mask(returns, data.catalogue, row["population"])]
        said_no = list(population.loc[answered_no(population, indicator.field), "unit_name"])
        blank = list(population.loc[population[indicator.field].isna(), "unit_name"])
        if len(said_no) + len(blank) != int(row["denominator"]) - int(row["numerator"]):
            raise ReportError(
                f"{indicator.id}: {len(said_no)} units said no and {len(blank)} gave no answer, "
                f"for a gap of {int(row['denominator']) - int(row['numerator'])}"
            )
        yes_before: list[str] = []
        previous_count = None
        if data.previous is not None:
            earlier = data.previous.returns
            said_yes = set(earlier.loc[earlier[indicator.field].fillna(False).astype(bool), "unit_name"])
            yes_before = [u for u in said_no if u in said_yes]
            if not pd.isna(row["previous_numerator"]):
                base = earlier[population_mask(earlier, data.catalogue, row["population"])]
                previous_count = int(answered_no(base, indicator.field).sum())
        found.append(
            Gap(
                indicator=indicator.id,
                population=row["population"],
                denominator=int(row["denominator"]),
                percent=_percent(len(said_no), int(row["denominator"])),
                units=said_no,
                no_answer=blank,
                yes_last_year=yes_before,
                previous_count=previous_count,
                previous_base_empty=empty_base(row["previous_denominator"]),
            )
        )
    return found


def _percent(numerator: int, denominator: int) -> float | None:
    value = percent_half_up(numerator, denominator)
    return None if value is None else float(value)


@dataclass(frozen=True)
class ShareUnits:
    """The units behind one share: those it counts (yes) and those in its base it does not (no, no answer)."""

    indicator: str
    population: str
    counted: list[str]
    said_no: list[str]
    no_answer: list[str]


def share_units(data: ReportData, link: str) -> list[ShareUnits]:
    """For each share of a link asked this year, in table order: its base's units split by answer, in return
    order.

    Read from the year's returns, so a reader can check every figure by name; the count of
    units named yes must be the share's numerator and all of them its denominator.
    """
    returns = data.result.returns
    found = []
    for row in data.rows_where(link=link, kind="share"):
        if not_asked(row):
            continue
        field = data.catalogue.get(row["indicator"]).field
        base = returns[population_mask(returns, data.catalogue, row["population"])]
        answers = base[field]
        yes = answers.fillna(False).astype(bool)
        counted = list(base.loc[yes, "unit_name"])
        said_no = list(base.loc[answers.notna() & ~yes, "unit_name"])
        blank = list(base.loc[answers.isna(), "unit_name"])
        if len(counted) != int(row["numerator"]) or len(base) != int(row["denominator"]):
            raise ReportError(
                f"{row['indicator']} ({row['population']}): {len(counted)} of {len(base)} units named for "
                f"{row['numerator']} of {row['denominator']}"
            )
        found.append(
            ShareUnits(
                indicator=row["indicator"],
                population=row["population"],
                counted=counted,
                said_no=said_no,
                no_answer=blank,
            )
        )
    return found


ANSWER_CODES = {"yes": 1, "no": 0, "no answer": -1}


def unit_matrix(data: ReportData) -> pd.DataFrame:
    """Units x yes/no questions as 'yes' / 'no' / 'no answer'; most yes answers first, ties in return
    order."""
    matrix = answer_codes(
        data.result.returns, data.form.names("yes_no")
    )  # a question the year did not ask has no column
    yes = matrix.eq("yes").sum(axis=1).to_numpy()
    order = sorted(range(len(matrix)), key=lambda i: (-yes[i], i))
    return matrix.iloc[order]


def field_links(data: ReportData) -> dict[str, str]:
    """Which link each yes/no question belongs to, from the share indicators that read it."""
    return {i.field: i.link for i in data.catalogue.indicators if i.kind == "share"}


def gap_row(data: ReportData, gap: Gap) -> Row:
    """The figures row a gap was found in."""
    return data.rows_where(indicator=gap.indicator, population=gap.population)[0]


def population_size(result: YearResult, population: str) -> int:
    """How many units a population has, as the build counted them (no_answers.csv gives every base)."""
    counts = result.no_answers
    return int(counts.loc[counts["population"].eq(population), "units"].iloc[0])


def split_changes(data: ReportData) -> tuple[list[Row], list[Row], int]:
    """The shares that rose (largest first), those that fell (largest fall first), and how many stayed."""
    changes = share_changes(data)
    rises = [r for r in changes if float(r["change_pp"]) > 0]
    falls = sorted((r for r in changes if float(r["change_pp"]) < 0), key=lambda r: float(r["change_pp"]))
    return rises, falls, len(changes) - len(rises) - len(falls)


def breaches_per_rule(data: ReportData) -> dict[str, int]:
    """How many units break each consistency rule, in the instrument's order."""
    rules = data.result.breaches["rule"]
    return {rule.id: int(rules.eq(rule.id).sum()) for rule in data.form.consistency_rules}


# --- years with too many units to name one by one --------------------------------------------


def lists_in_full(data: ReportData) -> bool:
    """Whether the page names every unit: up to the catalogue's `unit_lists_up_to` units surveyed.

    Above it, lists that grow with every unit (20,000 names behind each of 18 shares) would
    make a page of tens of megabytes that no reviewer reads; the workbook holds them instead.
    """
    return len(data.result.returns) <= data.catalogue.unit_lists_up_to


@dataclass(frozen=True)
class Named:
    """A list of units as a page names them: the names shown and how many the list has.

    Sized and truthy as the whole list (`len` is `total`), iterated as the names shown, so a
    template that counts a list and joins its names reads a cut list and a whole one alike.
    """

    names: tuple[str, ...]
    total: int

    @property
    def more(self) -> int:
        """The units in the list that are not named."""
        return self.total - len(self.names)

    def __len__(self) -> int:
        return self.total

    def __iter__(self):
        return iter(self.names)


def named(data: ReportData, units: list[str]) -> Named:
    """Every unit of `units`, or above the threshold the first `units_named` of them."""
    return cut_list(units, lists_in_full(data), data.catalogue.units_named)


def cut_list(units: list[str], in_full: bool, shown: int) -> Named:
    """Every unit of `units`, or (not `in_full`) the first `shown` of them: the year and trends pages' one
    rule."""
    return Named(tuple(units if in_full else units[:shown]), len(units))


def answer_codes(returns: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    """Yes / no / no answer of each unit to each question, as the strings of ANSWER_CODES, vectorised."""
    return pd.DataFrame(
        {
            f: np.where(
                returns[f].isna(), "no answer", np.where(returns[f].fillna(False).astype(bool), "yes", "no")
            )
            for f in fields
        },
        index=pd.Index(list(returns["unit_name"]), name="unit_name"),
    )


def most_gaps(data: ReportData) -> pd.DataFrame:
    """The `units_named` units with the most questions answered no or left blank, most first, ties in
    return order: units x yes/no questions as in `unit_matrix`, the follow-up list at a glance."""
    matrix = answer_codes(data.result.returns, data.form.names("yes_no"))
    gaps_per_unit = matrix.ne("yes").sum(axis=1).to_numpy()
    order = np.lexsort(
        (np.arange(len(matrix)), -gaps_per_unit)
    )  # last key first: most gaps, then return order
    return matrix.iloc[order[: data.catalogue.units_named]]


def shown_units(data: ReportData) -> pd.DataFrame:
    """The units the units chart and table show: every one (`unit_matrix`), or above the
    catalogue's `unit_lists_up_to` those with the most gaps (a row per unit of 20,000 would
    be a chart no one can read)."""
    return unit_matrix(data) if lists_in_full(data) else most_gaps(data)


UNTYPED = ""  # the kind of a unit whose return left 单位类别 blank


@dataclass(frozen=True)
class TypeCounts:
    """One share's answers among the units of each kind (单位类别), in the share's own base."""

    indicator: str
    population: str
    counts: dict[str, tuple[int, int, int]]  # kind of unit -> (yes, no, no answer); UNTYPED for a blank kind


def unit_types(data: ReportData) -> list[str]:
    """The kinds of unit of the year, most units first (ties by name), a blank kind last."""
    kinds = data.result.returns["unit_type"].astype("string").fillna(UNTYPED)
    sizes = kinds.value_counts()
    return sorted(sizes.index, key=lambda k: (k == UNTYPED, -int(sizes[k]), k))


def by_unit_type(data: ReportData) -> list[TypeCounts]:
    """For each share asked this year, in catalogue order: yes, no and no answer per kind of unit.

    From the year's returns with the share's own base (`population_mask`), so each share's
    counts over every kind add up to its numerator and denominator; checked, as `share_units` is.
    """
    returns = data.result.returns
    kinds = returns["unit_type"].astype("string").fillna(UNTYPED)
    found = []
    for row in data.rows_where(kind="share"):
        if not_asked(row):
            continue
        field = data.catalogue.get(row["indicator"]).field
        base = population_mask(returns, data.catalogue, row["population"]).to_numpy(dtype=bool)
        answers = returns[field][base]
        frame = pd.DataFrame(
            {
                "kind": kinds[base].to_numpy(),
                "yes": answers.fillna(False).astype(bool).to_numpy(),
                "blank": answers.isna().to_numpy(),
            }
        )
        groups = frame.groupby("kind", sort=False)
        yes, blank, size = groups["yes"].sum(), groups["blank"].sum(), groups.size()
        counts = {
            k: (int(yes[k]), int(size[k] - yes[k] - blank[k]), int(blank[k]))
            for k in unit_types(data)
            if k in size.index
        }
        if sum(c[0] for c in counts.values()) != int(row["numerator"]) or sum(
            map(sum, counts.values())
        ) != int(row["denominator"]):
            raise ReportError(
                f"{row['indicator']} ({row['population']}): the counts by kind of unit do not add up to "
                f"{row['numerator']} of {row['denominator']}"
            )
        found.append(TypeCounts(indicator=row["indicator"], population=row["population"], counts=counts))
    return found
