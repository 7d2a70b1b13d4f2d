"""Fold report rows into the stored daily actuals without counting anything twice.

Within one import, reports are combined per (date, campaign, channel) and a later file wins
where two files overlap. The combined rows are summed into one row per (date, channel), and
those replace the stored rows for every date the import covers: importing the same report
twice, or overlapping date ranges, keeps exactly one row per date and channel.
"""

from __future__ import annotations

import pandas as pd

from dyplan.model.tracking import COUNTS, DAILY_COLUMNS
from dyplan.reports.reader import KEYS, Report

DAILY_WITH_CAMPAIGNS = (*DAILY_COLUMNS, "campaigns")


def combine(reports: list[Report]) -> pd.DataFrame:
    """Campaign rows of several reports; on a shared (date, campaign, channel) the later file wins."""
    frames = [r.rows.assign(_order=n) for n, r in enumerate(reports)]
    rows = pd.concat(frames).sort_values("_order", kind="stable")
    return rows.drop_duplicates(list(KEYS), keep="last").drop(columns="_order")


def daily_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (date, channel): summed counts and how many campaigns ran."""
    grouped = rows.groupby(["date", "channel"], sort=True)
    daily = grouped[list(COUNTS)].sum(min_count=1)
    daily["campaigns"] = grouped["campaign"].nunique()
    return daily.reset_index()[list(DAILY_WITH_CAMPAIGNS)]


def merge_daily(stored: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Stored daily actuals with every date ``new`` covers replaced by ``new``'s rows."""
    kept = stored[~stored["date"].isin(set(new["date"]))]
    merged = pd.concat([kept, new], ignore_index=True) if len(kept) else new.copy()
    return merged.sort_values(["date", "channel"], kind="stable").reset_index(drop=True)
