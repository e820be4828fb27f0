"""The words a page or chart shows, read from the wording catalogue: one YAML file a language.

`catalogue/wording/en.yaml` holds every sentence, label, heading and unit word of the pages
and charts, keyed ("figure.share") and with named placeholders ("{k} of {n} ({percent})").
A second language is a second file with the same keys and the same placeholders; it is
checked against English when it is loaded, so a translation cannot drop a key or a figure.
Code says `say("figure.share", k=..., n=..., percent=...)` and never spells the words.

Languages do not say everything the same way: the English page gives a change as "up from
21 of 38 (55.3%) in 2003", the Chinese one as "比上年增加5个单位，提高13.1个百分点", and only
the English page puts English words beside the Chinese. So a file may list, under `unsaid`,
the placeholders a string of it leaves out on purpose (`clause.up: [before, previous]`). A
key takes the placeholders of its English string and those English leaves unsaid; every
language says all of them but the ones it lists. Nothing is left out silently: a
placeholder missing from a string and not listed is an error when the file is loaded.

The language is the page's, chosen once (`with language("zh"): ...`) rather than passed to
every function: a page is written in one language from its title to its last footnote.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from analysis.catalogue import catalogue_folder, read_yaml

REFERENCE = "en"  # the language every other one is checked against
PLURAL_FORMS = ("one", "other")  # a key said by count has these two leaves: "1 unit", "2 units"
NAME = re.compile(r"[a-z_][a-z0-9_]*")
UNSAID = "unsaid"  # the section of a wording file that lists the placeholders its strings leave out

_LANGUAGE: ContextVar[str] = ContextVar("language", default=REFERENCE)


class WordingError(ValueError):
    """A wording file that does not load, or a key said with the wrong values."""


@dataclass(frozen=True)
class Words:
    """One language's strings by dotted key, each with the placeholders it must be given."""

    lang: str
    strings: Mapping[str, str]
    unsaid: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def takes(self, key: str) -> set[str]:
        """What `key` is given: the placeholders of its string and those this language leaves unsaid."""
        return placeholders(self._template(key)) | set(self.unsaid.get(key, ()))

    def say(self, key: str, /, **values: object) -> str:
        """The string of `key` with its placeholders filled: every one it takes given, none other."""
        template = self._template(key)
        wanted, given = self.takes(key), set(values)
        if wanted != given:
            raise WordingError(_mismatch(self.lang, key=key, wanted=wanted, given=given))
        return template.format(**values)

    def say_count(self, key: str, count: int, /, **values: object) -> str:
        """The form of `key` for this count: `key.one` for exactly one when the language has it, else
        `key.other`."""
        form = "one" if count == 1 and f"{key}.one" in self.strings else "other"
        return self.say(f"{key}.{form}", **values)

    def _template(self, key: str) -> str:
        if key not in self.strings:
            raise WordingError(f"wording {self.lang}: no key {key!r}")
        return self.strings[key]


def placeholders(template: str) -> set[str]:
    """The names in `template`'s braces ("{k} of {n}" -> {"k", "n"}); "{{" is a literal brace."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _mismatch(lang: str, key: str, wanted: set[str], given: set[str]) -> str:
    parts = []
    if wanted - given:
        parts.append(f"missing {', '.join(sorted(wanted - given))}")
    if given - wanted:
        parts.append(f"unknown {', '.join(sorted(given - wanted))}")
    return f"wording {lang}: {key!r} takes {{{', '.join(sorted(wanted))}}}: {'; '.join(parts)}"


# --- loading -------------------------------------------------------------------------------


def wording_file(lang: str, folder: str | Path | None = None) -> Path:
    return catalogue_folder(folder) / "wording" / f"{lang}.yaml"


def words(lang: str | None = None, folder: str | Path | None = None) -> Words:
    """A language's words (the page's language when none is named), loaded and checked once."""
    return _load(lang or _LANGUAGE.get(), catalogue_folder(folder))


def say(key: str, /, **values: object) -> str:
    """`key` in the page's language, its placeholders filled."""
    return words().say(key, **values)


def say_count(key: str, count: int, /, **values: object) -> str:
    """`key` in the page's language, in its form for `count` (one or other)."""
    return words().say_count(key, count, **values)


@contextmanager
def language(lang: str) -> Iterator[Words]:
    """Write in `lang` inside this block: every `say` reads that language's file."""
    loaded = words(lang)  # a missing or broken file fails here, before any page is begun
    token = _LANGUAGE.set(lang)
    try:
        yield loaded
    finally:
        _LANGUAGE.reset(token)


@cache
def _load(lang: str, folder: Path) -> Words:
    path = wording_file(lang, folder)
    if not path.is_file():
        raise WordingError(f"no wording for language {lang!r}: {path} does not exist")
    tree = dict(read_yaml(path) or {})
    strings = flatten({k: v for k, v in tree.items() if k != UNSAID}, where=path.name)
    loaded = Words(lang, strings, read_unsaid(tree.get(UNSAID) or {}, strings=strings, where=path.name))
    _check_plurals(loaded, path.name)
    if lang != REFERENCE:
        check_against(loaded, _load(REFERENCE, folder))
    return loaded


def flatten(tree: Mapping[str, object], where: str, prefix: str = "") -> dict[str, str]:
    """Nested sections to dotted keys; every leaf a string whose placeholders are plain names."""
    found: dict[str, str] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise WordingError(f"{where}: {key!r} is not a key (lower-case letters, digits and _)")
        if isinstance(value, Mapping):
            found.update(flatten(value, where, prefix=f"{key}."))
        elif isinstance(value, str):
            found[key] = _checked(value, key, where)
        else:
            raise WordingError(
                f"{where}: {key} must be text, got {type(value).__name__} {value!r} (quote it)"
            )
    return found


def read_unsaid(section: object, strings: Mapping[str, str], where: str) -> dict[str, frozenset[str]]:
    """The `unsaid` section: for a key of this file, the placeholders its string leaves out on purpose.

    Each named placeholder is a plain name that the string does not use: one it uses is said,
    and listing it would hide a mistake.
    """
    if not isinstance(section, Mapping):
        raise WordingError(f"{where}: {UNSAID} must map keys to the placeholders they leave out")
    found = {}
    for key, names in section.items():
        if key not in strings:
            raise WordingError(f"{where}: {UNSAID} names {key!r}, which is not a key of this file")
        listed = names.split() if isinstance(names, str) else names
        if not isinstance(listed, list) or not all(isinstance(n, str) and NAME.fullmatch(n) for n in listed):
            raise WordingError(
                f"{where}: {UNSAID}.{key} must be a list of placeholder names, got {names!r} (quote a name "
                "YAML reads otherwise, such as no)"
            )
        used = placeholders(strings[key]) & set(listed)
        if used:
            raise WordingError(
                f"{where}: {UNSAID}.{key} lists {', '.join(sorted(used))}, which its string says"
            )
        found[key] = frozenset(listed)
    return found


def _checked(template: str, key: str, where: str) -> str:
    """A string whose every placeholder is a name: no "{}", "{0}", "{n:.1f}" or "{n!r}"."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise WordingError(f"{where}: {key}: {exc} in {template!r}") from exc
    for _, name, spec, conversion in parsed:
        if name is not None and (not NAME.fullmatch(name) or spec or conversion):
            raise WordingError(
                f"{where}: {key}: placeholder {{{name}}} must be a plain name such as {{year}}; numbers are "
                "formatted by the code"
            )
    return template


def _check_plurals(loaded: Words, where: str) -> None:
    """A key said by count has an `other` form, and its forms take the same placeholders."""
    for key in loaded.strings:
        stem, _, form = key.rpartition(".")
        if form in PLURAL_FORMS:
            if f"{stem}.other" not in loaded.strings:
                raise WordingError(f"{where}: {stem} has a {form} form but no other form")
            if loaded.takes(key) != loaded.takes(f"{stem}.other"):
                raise WordingError(f"{where}: the forms of {stem} take different placeholders")


def check_against(loaded: Words, reference: Words) -> None:
    """A second language has every key of the first and no other, each taking the same placeholders.

    Only the plural forms may differ: a language without a singular gives `other` alone. A
    string may leave out a placeholder only where its file lists it under `unsaid`.
    """
    optional = {k for k in reference.strings if k.endswith(".one")}
    missing = sorted(set(reference.strings) - set(loaded.strings) - optional)
    unknown = sorted(set(loaded.strings) - set(reference.strings))
    differ = sorted(
        k for k in set(loaded.strings) & set(reference.strings) if loaded.takes(k) != reference.takes(k)
    )
    problems = [
        f"{label}: {', '.join(keys)}"
        for label, keys in (("missing", missing), ("unknown", unknown), ("other placeholders", differ))
        if keys
    ]
    if problems:
        raise WordingError(f"wording {loaded.lang} does not match {reference.lang}: " + "; ".join(problems))


# --- the catalogues' own words ------------------------------------------------------------

# The language of the form and of the returns: its words for a question or a link are the
# original, shown beside a translated label on a page in any other language.
FORM_LANGUAGE = "zh"


def in_language(item: object, name: str) -> str:
    """A catalogue entry's `name` in the page's language: `label` is `label_zh` on a Chinese page.

    The indicator, population, link and question catalogues give their words per language
    (`label_en`, `label_zh`, `statement_zh`...); this is where a page picks its own.
    """
    found = getattr(item, f"{name}_{words().lang}")
    if not found:
        raise WordingError(
            f"{item!r:.80}: no {name}_{words().lang}, which a page in {words().lang} says; add it to the "
            "catalogue"
        )
    return found


def row_words(row: Mapping[str, object], name: str) -> str:
    """The same for a row of the figures table, whose label columns are `label_en`, `label_zh`."""
    return str(row[f"{name}_{words().lang}"])


def shows_form_words() -> bool:
    """Whether the page shows the form's own words beside its labels: not when it is written in them."""
    return words().lang != FORM_LANGUAGE


def form_words(item: object, name: str) -> str:
    """The form's own words for `item`, shown beside the page's label; '' on a page in the form's language."""
    return getattr(item, f"{name}_{FORM_LANGUAGE}") if shows_form_words() else ""


def numeral(number: int) -> str:
    """A section's number as the language writes it in headings (3, 三), from `numerals`."""
    written = say("numerals").split()
    return written[number - 1] if 0 < number <= len(written) else str(number)
