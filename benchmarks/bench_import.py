"""How fast does read_report read a large account's year of campaign rows, next to the floor?

A year of campaign-level data for a large account (2,740 campaigns × 365 days ≈ 1,000,000
rows) is written as a Qianchuan-style CSV (UTF-8 with BOM, Chinese headers, a title line,
"¥1,234.50" / "1,234" / "1.23%" text cells, a 合计 row) and as an XLSX (XlsxWriter in
constant_memory mode, the same cells). Each read runs in its own subprocess, which reports
its time and its peak memory (``ru_maxrss``); every read is repeated (``--repeat``) and the
median is reported, with the fastest and slowest run, because a shared machine's timings
scatter. The floors are pandas ``read_csv`` with the pyarrow engine for the CSV and
python-calamine's ``to_python()`` for the XLSX: reading the cells and nothing else.

Run: python benchmarks/bench_import.py [--campaigns 2740] [--days 365] [--xlsx-campaigns 2740]
     [--repeat 5] (--keep DIR writes the files there and keeps them; the default is a
     temporary folder)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

START = dt.date(2027, 1, 1)
HEADER = ["日期", "计划名称", "推广方式", "消耗(元)", "展示次数", "点击次数", "点击率", "转化数",
          "转化成本", "转化率", "直接成交金额", "直接成交订单数", "支付ROI"]  # fmt: skip
CHANNELS = ("短视频", "直播", "搜索")


def yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def generate_rows(campaigns: int, days: int, seed: int = 7):
    """Rows of text cells, one campaign-day each, then the 合计 row; yields lists."""
    rng = np.random.default_rng(seed)
    names = [f"{CHANNELS[k % 3]}-计划{k:05d}-{'春夏秋冬'[k % 4]}季新品" for k in range(campaigns)]
    totals = np.zeros(6, dtype=np.int64)
    for offset in range(days):
        day = f"{START + dt.timedelta(days=offset):%Y-%m-%d}"
        spend = rng.integers(1_000, 2_000_000, campaigns)
        impressions = rng.integers(1_000, 500_000, campaigns)
        clicks = (impressions * rng.uniform(0.001, 0.04, campaigns)).astype(np.int64)
        conversions = (clicks * rng.uniform(0, 0.12, campaigns)).astype(np.int64)
        orders = (conversions * rng.uniform(0.5, 1, campaigns)).astype(np.int64)
        gmv = orders * rng.integers(5_000, 40_000, campaigns)
        totals += [spend.sum(), impressions.sum(), clicks.sum(), conversions.sum(), gmv.sum(), orders.sum()]
        for k in range(campaigns):
            s, i, c, v, g, o = (int(x[k]) for x in (spend, impressions, clicks, conversions, gmv, orders))
            yield [
                day, names[k], CHANNELS[k % 3], yuan(s), f"{i:,}", f"{c:,}",
                f"{c / i:.2%}", f"{v:,}" if v else "-", yuan(s // v) if v else "--",
                f"{v / c:.2%}" if c else "--", yuan(g) if g else "", f"{o:,}" if o else "-",
                f"{g / s:.2f}",
            ]  # fmt: skip
    yield ["合计", "-", "-", yuan(int(totals[0])), f"{totals[1]:,}", f"{totals[2]:,}", "-",
           f"{totals[3]:,}", "-", "-", yuan(int(totals[4])), f"{totals[5]:,}", "-"]  # fmt: skip


def write_csv(path: Path, campaigns: int, days: int) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["巨量千川 · 推广数据报表（计划）"])
        writer.writerow(HEADER)
        writer.writerows(generate_rows(campaigns, days))


def write_xlsx(path: Path, campaigns: int, days: int) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("推广数据")
    sheet.write_row(0, 0, ["巨量千川 · 推广数据报表（计划）"])
    sheet.write_row(1, 0, HEADER)
    for r, row in enumerate(generate_rows(campaigns, days), start=2):
        for col, value in enumerate(row):
            sheet.write_string(r, col, value)
    workbook.close()


# ---- Measured in a subprocess each ------------------------------------------------------------
def _read_report(path: str) -> int:
    from dyplan.reports.reader import read_report

    return read_report(Path(path)).read_rows


def _pyarrow_csv(path: str) -> int:
    import pandas as pd

    return len(pd.read_csv(path, engine="pyarrow", skiprows=1))


def _calamine(path: str) -> int:
    from python_calamine import CalamineWorkbook

    return len(CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()) - 2


def _imports_only(path: str) -> int:
    import pandas  # noqa: F401
    import python_calamine  # noqa: F401

    import dyplan.reports.reader  # noqa: F401

    return 0


TASKS = {"read_report": _read_report, "pyarrow_csv": _pyarrow_csv, "calamine": _calamine,
         "imports": _imports_only}  # fmt: skip


def child(task: str, path: str) -> None:
    import resource

    TASKS["imports"](path)  # imports are not part of the timed read
    started = time.perf_counter()
    rows = TASKS[task](path)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_kb / 1024}))


def measure(task: str, path: Path, repeat: int = 1) -> dict:
    """Median time and memory of ``repeat`` fresh runs, with the spread of the times."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--child", task, str(path)],
                             capture_output=True, text=True, check=True)  # fmt: skip
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    times = [run["seconds"] for run in runs]
    return {"rows": runs[0]["rows"], "seconds": statistics.median(times), "fastest": min(times),
            "slowest": max(times), "peak_mb": statistics.median(run["peak_mb"] for run in runs)}  # fmt: skip


def report(label: str, ours: dict, floor: dict, base_mb: float) -> None:
    for name, run in (("read_report", ours), ("floor", floor)):
        print(
            f"{label if run is ours else ' ' * len(label)}: {name:<11} {run['seconds']:.2f} s "
            f"({run['fastest']:.2f}–{run['slowest']:.2f}) = {run['rows'] / run['seconds']:,.0f} rows/s, "
            f"peak {run['peak_mb']:,.0f} MB ({run['peak_mb'] - base_mb:,.0f} MB above imports)"
        )
    print(
        f"{' ' * len(label)}  ratio: {ours['seconds'] / floor['seconds']:.2f}× the floor's time, "
        f"{(ours['peak_mb'] - base_mb) / max(floor['peak_mb'] - base_mb, 1):.2f}× its memory"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=2740)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--xlsx-campaigns", type=int, default=None, help="default: --campaigns")
    parser.add_argument("--repeat", type=int, default=5, help="runs per read; the median is reported")
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="dyplan-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    xlsx_campaigns = args.xlsx_campaigns or args.campaigns
    try:
        csv_path, xlsx_path = folder / "千川报表_全年.csv", folder / "千川报表_全年.xlsx"
        started = time.perf_counter()
        write_csv(csv_path, args.campaigns, args.days)
        print(
            f"CSV:  {args.campaigns:,} campaigns × {args.days} days = {args.campaigns * args.days:,} rows, "
            f"{csv_path.stat().st_size / 1e6:,.0f} MB, written in {time.perf_counter() - started:.0f} s"
        )
        started = time.perf_counter()
        write_xlsx(xlsx_path, xlsx_campaigns, args.days)
        print(
            f"XLSX: {xlsx_campaigns:,} campaigns × {args.days} days = {xlsx_campaigns * args.days:,} rows, "
            f"{xlsx_path.stat().st_size / 1e6:,.0f} MB, written in {time.perf_counter() - started:.0f} s"
        )
        base = measure("imports", csv_path)["peak_mb"]
        print(f"interpreter with pandas, calamine and dyplan imported: {base:,.0f} MB")
        for label, path, floor in (("CSV ", csv_path, "pyarrow_csv"), ("XLSX", xlsx_path, "calamine")):
            report(label, measure("read_report", path, args.repeat), measure(floor, path, args.repeat), base)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
