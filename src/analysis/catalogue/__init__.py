"""The survey instrument and the indicator catalogue, loaded from YAML into strict models.

They are data so that the reader, the cleaner, the indicators and the report text all come
from one declaration per field and per indicator; the models reject unknown keys so that a
typo in a catalogue file fails loudly instead of being ignored.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    name: str
    kind: Literal["text", "yes_no", "count"]
    required: bool = True
    label_en: str
    label_zh: str
    short_en: str = ""
    short_zh: str = ""
    headers: tuple[str, ...] = ()
    # The largest count a return may give (counts only): a number of people in one unit, so
    # 10^20 is a slip, and one that would overflow the table's 64-bit integers.
    max: Annotated[int, Field(ge=0)] = 10_000
    # Forms change: the first and last year the question was asked (None: always), and the
    # headers it was printed under before it was reworded, so older returns still match.
    asked_from: int | None = None
    asked_until: int | None = None
    former_headers: tuple[str, ...] = ()

    @property
    def accepted_headers(self) -> tuple[str, ...]:
        """Every header text that names this field: its id, its labels and the variants."""
        return (self.name, self.label_zh, self.label_en, *self.headers, *self.former_headers)

    def asked_in(self, year: int) -> bool:
        """Whether the year's form asked this question: a return of that year must then answer it."""
        return (self.asked_from is None or year >= self.asked_from) and (
            self.asked_until is None or year <= self.asked_until
        )


class RequiresRule(_Strict):
    id: str
    if_yes: tuple[str, ...]
    needs_yes: str
    text_en: str
    text_zh: str


class IffCountRule(_Strict):
    id: str
    flag: str
    counts: tuple[str, ...]
    text_en: str
    text_zh: str
    counts_en: str  # what the counts add up to, as a breach names it: "cadres held accountable"
    counts_zh: str


ConsistencyRule = RequiresRule | IffCountRule


def _rule_fields(rule: ConsistencyRule) -> list[str]:
    return [*rule.if_yes, rule.needs_yes] if isinstance(rule, RequiresRule) else [rule.flag, *rule.counts]


class Instrument(_Strict):
    title_zh: str
    title_en: str
    fields: tuple[FieldSpec, ...]
    ignored_headers: tuple[str, ...]
    total_markers: tuple[str, ...]
    note_prefixes: tuple[str, ...]
    example_sheet_markers: tuple[str, ...] = ()
    example_row_prefixes: tuple[str, ...] = ()
    answers: dict[Literal["yes", "no"], tuple[str, ...]]
    count_suffixes: tuple[str, ...]
    consistency_rules: tuple[ConsistencyRule, ...]

    @model_validator(mode="after")
    def _rules_name_known_fields(self) -> Instrument:
        names = {f.name for f in self.fields}
        for rule in self.consistency_rules:
            unknown = sorted(set(_rule_fields(rule)) - names)
            if unknown:
                raise ValueError(f"rule {rule.id} names unknown fields {unknown}")
        return self

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    def for_year(self, year: int) -> Instrument:
        """The form as it was in `year`: only the questions it asked, and the rules that read only those.

        Returns are read and checked against this, so a question the year did not ask is
        neither a missing column nor a blank answer, and no rule fires on it.
        """
        fields = tuple(f for f in self.fields if f.asked_in(year))
        names = {f.name for f in fields}
        rules = tuple(r for r in self.consistency_rules if set(_rule_fields(r)) <= names)
        return self.model_copy(update={"fields": fields, "consistency_rules": rules})

    def names(self, kind: str | None = None) -> list[str]:
        return [f.name for f in self.fields if kind is None or f.kind == kind]

    def questions(self) -> list[str]:
        """The fields a unit answers: the yes/no questions, then the counts (the no-answer tables' order)."""
        return self.names("yes_no") + self.names("count")


class Population(_Strict):
    label_en: str
    label_zh: str
    where_yes: str | None = None


class Link(_Strict):
    label_en: str
    label_zh: str


class Indicator(_Strict):
    id: str
    kind: Literal["share", "sum", "units"]
    link: str
    label_en: str
    label_zh: str
    statement_en: str
    gap_en: str = ""
    # The same in Chinese, as the published report says them ("开展了责任考核", "没有制定责任分解方案").
    # Optional to the model, so a trial catalogue may be English only; a Chinese page refuses
    # an indicator without them (`wording.in_language`).
    statement_zh: str = ""
    gap_zh: str = ""
    fields: Annotated[tuple[str, ...], Field(default=())]
    populations: tuple[str, ...] = ("all",)
    headline: bool = False
    # What a count ("sum") counts, so that no page calls everything "cadres": the word after
    # its number in English and in Chinese, and the Chinese name of the count (a chart axis).
    unit_en: str = ""
    unit_zh: str = ""
    count_zh: str = ""

    @model_validator(mode="after")
    def _default_fields(self) -> Indicator:
        if not self.fields and self.kind != "units":
            object.__setattr__(self, "fields", (self.id,))
        if self.kind == "share" and len(self.fields) != 1:
            raise ValueError(f"share indicator {self.id} must read exactly one field")
        if self.kind == "share" and not self.gap_en:
            raise ValueError(f"share indicator {self.id} needs gap_en")
        units = {"unit_en": self.unit_en, "unit_zh": self.unit_zh, "count_zh": self.count_zh}
        if self.kind == "sum" and not all(units.values()):
            raise ValueError(
                f"count indicator {self.id} needs {', '.join(k for k, v in units.items() if not v)}: what "
                "does it count?"
            )
        if self.kind != "sum" and any(units.values()):
            raise ValueError(
                f"{self.kind} indicator {self.id} counts units of the survey: only a count (sum) indicator "
                "declares unit_en, unit_zh, count_zh"
            )
        return self

    @property
    def field(self) -> str:
        return self.fields[0]


class Catalogue(_Strict):
    # A share over fewer units than this is marked "small base" in tables and charts: one
    # unit's answer moves it by more than 10 points, so it is read as k of n, not as a percentage.
    small_base: PositiveInt
    # Pages name every unit up to this many units surveyed; above it they give counts, the
    # `units_named` units with the most gaps, and point to the workbook for every name: lists
    # that grow with every unit would make a page of tens of megabytes that no one reads.
    unit_lists_up_to: PositiveInt = 200
    units_named: PositiveInt = 20
    populations: dict[str, Population]
    links: dict[str, Link]
    indicators: tuple[Indicator, ...]

    def check_against(self, instrument: Instrument) -> None:
        """Fail on any reference to a field, population or link that does not exist."""
        fields = {f.name: f for f in instrument.fields}
        problems = []
        for pop_id, pop in self.populations.items():
            if pop.where_yes and fields.get(pop.where_yes) is None:
                problems.append(f"population {pop_id} uses unknown field {pop.where_yes}")
        ids = [i.id for i in self.indicators]
        problems += [f"indicator {i} declared twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
        for ind in self.indicators:
            if ind.link not in self.links:
                problems.append(f"indicator {ind.id} has unknown link {ind.link}")
            problems += [
                f"indicator {ind.id} has unknown population {p}"
                for p in ind.populations
                if p not in self.populations
            ]
            wanted = "yes_no" if ind.kind == "share" else "count"
            for name in ind.fields:
                if name not in fields or fields[name].kind != wanted:
                    problems.append(f"indicator {ind.id} needs a {wanted} field, got {name}")
        if problems:
            raise ValueError("catalogue does not fit the instrument: " + "; ".join(problems))

    def headline(self) -> list[str]:
        """The figures the report opens with and the index lists, in catalogue order."""
        return [i.id for i in self.indicators if i.headline]

    def by_link(self, link: str) -> list[Indicator]:
        return [i for i in self.indicators if i.link == link]

    def get(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)


PACKAGE_FOLDER = Path(__file__).resolve().parent
# A folder holding instrument.yaml, indicators.yaml and wording/ in place of this package's:
# read by every process, report kernels included (they inherit the environment), so a test
# or a trial can build with a changed catalogue without touching the shipped one.
FOLDER_VARIABLE = "ANALYSIS_CATALOGUE"


def catalogue_folder(folder: str | Path | None = None) -> Path:
    """The folder the catalogue files are read from: `folder`, else ANALYSIS_CATALOGUE, else this package."""
    chosen = folder or os.environ.get(FOLDER_VARIABLE)
    return Path(chosen).resolve() if chosen else PACKAGE_FOLDER


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_instrument(folder: str | Path | None = None) -> Instrument:
    return _instrument(catalogue_folder(folder))


def load_catalogue(folder: str | Path | None = None) -> Catalogue:
    return _catalogue(catalogue_folder(folder))


@cache
def _instrument(folder: Path) -> Instrument:
    return Instrument.model_validate(read_yaml(folder / "instrument.yaml"))


@cache
def _catalogue(folder: Path) -> Catalogue:
    catalogue = Catalogue.model_validate(read_yaml(folder / "indicators.yaml"))
    catalogue.check_against(_instrument(folder))
    return catalogue
