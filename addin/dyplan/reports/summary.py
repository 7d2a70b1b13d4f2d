"""What an import says about each file: what it was read as, which header gave each measure, what it
lacks, its dates and totals, and every cell or row it could not use. The CLI prints it, the ribbon
shows it, and the import log on 实际数据 keeps it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dyplan.reports.fields import MEASURES
from dyplan.reports.reader import Report

LABELS = {
    "spend": "消耗", "impressions": "展示次数", "clicks": "点击次数", "conversions": "转化数",
    "gmv": "成交金额", "orders": "成交订单数", "gmv_7d": "7日总成交金额", "user_paid": "用户实际支付金额",
    "net_gmv": "净成交金额", "coupon": "智能优惠券金额", "refund_1h": "1小时内退款金额",
    "viewers": "直播间观看人数", "room_gmv": "直播间成交金额", "date": "日期", "account": "账户",
    "plan": "计划", "group": "广告组", "material": "素材", "author": "抖音号", "product": "商品",
    "scene": "营销场景", "goal": "营销目标", "channel": "渠道", "hour": "时段", "device": "设备",
    "roi": "ROI", "roi_7d": "7日ROI", "net_roi": "净成交ROI", "conversion_cost": "转化成本",
}  # fmt: skip


@dataclass(frozen=True)
class Summary:
    """One file's import, as the summary and the import log show it."""

    kind: str
    rows: int
    skipped: int
    first: dt.date
    last: dt.date
    spend: float
    gmv: float | None
    columns: str
    missing: str
    problems: list[str]


def summarise(report: Report, period: tuple[dt.date, dt.date] | None = None) -> Summary:
    """``report`` described; ``period``: the plan year, whose days the totals count."""
    rows = report.rows
    counted = rows[~report.negative_spend]
    if period is not None:
        counted = counted[(counted["date"] >= period[0]) & (counted["date"] <= period[1])]
    spend = float(counted["spend"].sum())
    gmv = counted["gmv"].sum(min_count=1)
    read = [f"{LABELS[f]}←{h}" for f, h in report.columns.items() if f in MEASURES]
    spent = LABELS["spend"]
    read += [f"{LABELS[m]}≈{h}×{spent}" if m != "conversions" else f"{LABELS[m]}≈{spent}÷{h}"
             for m, h in report.derived.items()]  # fmt: skip
    return Summary(
        kind=report.kind.value,
        rows=report.read_rows,
        skipped=report.skipped_rows,
        first=min(rows["date"]),
        last=max(rows["date"]),
        spend=round(spend, 2),
        gmv=None if np.isnan(gmv) else round(float(gmv), 2),
        columns="；".join(read),
        missing="、".join(LABELS[m] for m in report.missing),
        problems=_problems(report, period),
    )


def _problems(report: Report, period: tuple[dt.date, dt.date] | None) -> list[str]:
    rows, found = report.rows, []
    header = {**report.columns, **report.derived}
    for name, cells in report.unreadable.items():
        found.append(
            f"「{header.get(name, LABELS.get(name, name))}」无法识别的单元格 unreadable cells {cells}"
        )
    if report.bad_dates.count:
        found.append(f"日期无法识别的行 rows without a readable date {report.bad_dates}")
    if report.dateless.count:
        found.append(
            f"有数据但没有日期的行（未计入；数据行号: 其消耗）rows with numbers but no date "
            f"(not counted; data row: its spend) {report.dateless}"
        )
    negative = report.negative_spend
    if negative.any():
        found.append(f"消耗为负的行 rows with negative spend: {int(negative.sum())}（未计入 not counted）")
    if period is not None:
        outside = (rows["date"] < period[0]) | (rows["date"] > period[1])
        if outside.any():
            found.append(
                f"计划期外的日期 days outside the plan period: {int(rows.loc[outside, 'date'].nunique())}"
                f"（{period[0]} – {period[1]} 之外，不计入合计 not in the totals）"
            )
    unchannelled = report.unchannelled_spend
    if unchannelled > 0:
        found.append(f"未分渠道 no channel: 消耗 {unchannelled:,.2f}（报表没有营销场景/营销目标列）")
    return found


def lines(file: str, summary: Summary, replaced: int) -> list[str]:
    """The summary as the CLI prints it and the ribbon shows it, a line each."""
    gmv = "无数据 no data" if summary.gmv is None else f"{summary.gmv:,.2f}"
    said = [
        f"{file}：识别为 read as {summary.kind}；{summary.first} – {summary.last}；"
        f"读取 {summary.rows:,} 行 rows，跳过 skipped {summary.skipped:,}；"
        f"消耗 spend {summary.spend:,.2f}；成交金额 GMV {gmv}",
        f"  读取的列 columns read: {summary.columns}",
    ]
    if summary.missing:
        said.append(f"  缺少 missing（未知，非零 unknown, not zero）: {summary.missing}")
    if replaced:
        said.append(
            f"  替换 replaced: {replaced} 行同来源的已导入数据 rows of the same source imported before"
        )
    return said + [f"  ⚠ {problem}" for problem in summary.problems]
