"""The instrument's consistency rules: returns that are readable but contradict themselves.

They are flagged for follow-up in the report's data-quality section, never silently fixed:
the office asks the unit, it does not guess which answer is wrong.
"""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import Instrument, RequiresRule

BREACH_COLUMNS = ["unit_name", "rule", "text_en", "detail"]


def rule_breaches(returns: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """One row per unit and rule broken. No answer is not yes: a blank never satisfies a rule."""
    rows = []
    for unit in returns.to_dict("records"):
        for rule in instrument.consistency_rules:
            if isinstance(rule, RequiresRule):
                for name in rule.if_yes:
                    if _yes(unit[name]) and not _yes(unit[rule.needs_yes]):
                        detail = f"{name} = yes, but {rule.needs_yes} = {_answer(unit[rule.needs_yes])}"
                        rows.append((unit["unit_name"], rule.id, rule.text_en, detail))
            else:
                total = sum(0 if pd.isna(unit[c]) else int(unit[c]) for c in rule.counts)
                if _yes(unit[rule.flag]) != (total > 0):
                    # The counts are named as the instrument declares them, whatever they count.
                    detail = f"{rule.flag} = {_answer(unit[rule.flag])}, {rule.counts_en} = {total}"
                    rows.append((unit["unit_name"], rule.id, rule.text_en, detail))
    return pd.DataFrame(rows, columns=BREACH_COLUMNS).astype("string")


def _yes(value: object) -> bool:
    return not pd.isna(value) and bool(value)


def _answer(value: object) -> str:
    return "no answer" if pd.isna(value) else ("yes" if value else "no")
