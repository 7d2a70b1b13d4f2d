"""A small Qianchuan-style daily report (CSV, Chinese headers, UTF-8 with BOM) for import tests."""

import csv
import datetime as dt
from pathlib import Path

HEADER = ["日期", "消耗", "展示次数", "点击次数", "转化数", "直接成交金额", "直接成交订单数"]


def write_report(path: Path, first: dt.date = dt.date(2027, 1, 1), days: int = 20) -> Path:
    """``days`` days from ``first``: 10,000 spend, 500,000 impressions, 7,000 clicks a day."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(HEADER)
        for day in range(days):
            date = (first + dt.timedelta(days=day)).isoformat()
            rows.writerow([date, 10_000, 500_000, 7_000, 120, 30_000, 100])
    return path
