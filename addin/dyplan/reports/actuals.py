"""Fold report rows into the stored actuals: different sources add up, a re-import replaces.

A stored row is one (date, channel, source): the report's kind (千川·标准推广, 千川·全域推直播 …),
account, 抖音号, 商品 and unit (plan, ad group or material), as far as the report names them. A new
row replaces the stored rows of the same date and kind that could be the same spend: those whose
account, 抖音号 and 商品 each agree with it or are blank on either side, and whose unit agrees, is
blank, or is of another level (a plan against an ad group). So importing a file twice, or weeks that
overlap, counts nothing twice; 标准推广, 全域推直播 and 全域推商品 of the same days, or two accounts,
add up. Files imported together are folded in one after another: a later file wins.
"""

from __future__ import annotations

import pandas as pd

from dyplan.model import ACTUALS_COLUMNS, MEASURES, SOURCE_COLUMNS
from dyplan.reports.reader import Report

#: Source parts compared as "the same or blank on either side".
_LOOSE = ("account", "author", "product")


def report_actuals(report: Report) -> pd.DataFrame:
    """A report's rows as stored actuals (those it counts)."""
    rows = report.rows[~report.negative_spend].assign(kind=report.kind.value)
    rows = rows.astype({part: object for part in SOURCE_COLUMNS})
    return rows[list(ACTUALS_COLUMNS)].reset_index(drop=True)


def fold(stored: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``stored`` without the rows ``new`` re-imports, then ``new``, by date; and how many were replaced."""
    replaced = _replaced(stored, new)
    kept = stored[~replaced] if replaced.any() else stored
    merged = pd.concat([kept, new], ignore_index=True) if len(kept) else new.copy()
    merged = merged.astype({name: float for name in MEASURES})
    return merged.sort_values(["date", "channel"], kind="stable").reset_index(drop=True), int(replaced.sum())


def _replaced(stored: pd.DataFrame, new: pd.DataFrame) -> pd.Series:
    """Which stored rows a new row re-imports (the rule in this module's docstring)."""
    if not len(stored) or not len(new):
        return pd.Series(False, index=stored.index)
    sources = list(SOURCE_COLUMNS)
    candidates = new[["date", *sources]].drop_duplicates()
    pairs = (
        stored[["date", *sources]]
        .reset_index(names="_row")
        .merge(candidates, on=["date", "kind"], suffixes=("", "_new"))
    )
    same = pd.Series(True, index=pairs.index)
    for part in _LOOSE:
        old, now = pairs[part].fillna(""), pairs[f"{part}_new"].fillna("")
        same &= (old == now) | (old == "") | (now == "")
    old, now = pairs["unit"].fillna(""), pairs["unit_new"].fillna("")
    level = old.str.split(" ", n=1).str[0] != now.str.split(" ", n=1).str[0]
    same &= (old == now) | (old == "") | (now == "") | level
    hit = set(pairs.loc[same, "_row"])
    return pd.Series([row in hit for row in stored.index], index=stored.index)
