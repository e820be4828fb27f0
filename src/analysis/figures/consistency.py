"""The instrument's consistency rules: returns that are readable but contradict themselves.

They are flagged for follow-up in the report's data-quality section, never silently fixed:
the office asks the unit, it does not guess which answer is wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.catalogue import Instrument, RequiresRule

BREACH_COLUMNS = ["unit_name", "rule", "text_en", "detail"]


def rule_breaches(returns: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """One row per unit and rule broken, in the order of the units, then of the rules (and of
    a rule's questions). No answer is not yes: a blank never satisfies a rule.

    Each rule is a test over whole columns; only the breaches are then put in words.
    """
    found = []  # (unit positions, rule order, question order, rule, details)
    for order, rule in enumerate(instrument.consistency_rules):
        if isinstance(rule, RequiresRule):
            needed = returns[rule.needs_yes]
            for k, name in enumerate(rule.if_yes):
                at = np.flatnonzero(_yes(returns[name]) & ~_yes(needed))
                details = [f"{name} = yes, but {rule.needs_yes} = {_answer(v)}" for v in needed.iloc[at]]
                found.append((at, order, k, rule, details))
        else:
            totals = sum(returns[c].fillna(0).astype("int64").to_numpy() for c in rule.counts)
            flag = returns[rule.flag]
            at = np.flatnonzero(_yes(flag) != (totals > 0))
            # The counts are named as the instrument declares them, whatever they count.
            details = [
                f"{rule.flag} = {_answer(v)}, {rule.counts_en} = {int(t)}"
                for v, t in zip(flag.iloc[at], totals[at], strict=True)
            ]
            found.append((at, order, 0, rule, details))
    return _breach_table(returns, found)


def _breach_table(returns: pd.DataFrame, found: list) -> pd.DataFrame:
    if not any(len(at) for at, *_ in found):
        return pd.DataFrame([], columns=BREACH_COLUMNS).astype("string")
    at = np.concatenate([a for a, *_ in found])
    keys = np.concatenate([np.full(len(a), order * 1000 + k) for a, order, k, *_ in found])
    rules = [r.id for a, _, _, r, _ in found for _ in a]
    texts = [r.text_en for a, _, _, r, _ in found for _ in a]
    details = [d for *_, ds in found for d in ds]
    sequence = np.lexsort((keys, at))
    frame = pd.DataFrame(
        {
            "unit_name": returns["unit_name"].to_numpy(dtype=object)[at[sequence]],
            "rule": np.asarray(rules, dtype=object)[sequence],
            "text_en": np.asarray(texts, dtype=object)[sequence],
            "detail": np.asarray(details, dtype=object)[sequence],
        }
    )
    return frame.astype("string")


def _yes(column: pd.Series) -> np.ndarray:
    return column.fillna(False).astype(bool).to_numpy()


def _answer(value: object) -> str:
    return "no answer" if pd.isna(value) else ("yes" if value else "no")
