"""Qianchuan report exports built from known numbers, written the ways users download them.

A sample is a list of ``Line`` s: one campaign on one day, with the counts the platform
would report. Money is kept in fen (integers), so a test's expected totals are exact sums of
the numbers put in, never values read back through the code under test. The writers only
format those numbers as exports do: "¥1,234.50", "1,234", "1.23%", "-", "--" or blank, CSV
in UTF-8 (with or without BOM) or GB18030, or XLSX written by openpyxl or XlsxWriter, with
title lines above the header and a 合计 row at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

COUNT_FIELDS = ("impressions", "clicks", "conversions", "orders")


@dataclass(frozen=True)
class Line:
    """One plan on one day. ``channel`` (短视频, 直播 or 搜索) is written as exports write it: a
    广告类型 of 搜索广告 or 通投广告, and a 营销目标 of 直播带货 or 短视频带货."""

    day: dt.date
    campaign: str
    spend_fen: int
    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    gmv_fen: int = 0
    orders: int = 0
    channel: str = "短视频"

    @property
    def spend(self) -> float:
        return self.spend_fen / 100

    @property
    def gmv(self) -> float:
        return self.gmv_fen / 100


# ---- Layouts: (header as the export writes it, the field it shows) ----------------------------
#: The platform's default download (数据 → 推广数据 → 下载).
PLATFORM = (
    ("日期", "date"), ("计划名称", "campaign"), ("广告类型", "scene"), ("营销目标", "goal"),
    ("消耗(元)", "spend"),
    ("展示次数", "impressions"), ("点击次数", "clicks"), ("点击率", "ctr"), ("转化数", "conversions"),
    ("转化成本", "cpa"), ("转化率", "cvr"), ("直接成交金额", "gmv"), ("直接成交订单数", "orders"),
    ("支付ROI", "roi"),
)  # fmt: skip
#: Another account's export: other names for the same columns, other order, no channel.
VARIANT = (
    ("时间", "date"), ("计划ID", "campaign"), ("花费", "spend"), ("展现次数", "impressions"),
    ("点击次数", "clicks"), ("点击率", "ctr"), ("转化数", "conversions"), ("转化率", "cvr"),
    ("转化成本", "cpa"), ("支付GMV", "gmv"), ("成交订单数", "orders"), ("直接支付ROI", "roi"),
)  # fmt: skip
#: A trimmed custom report: 成交金额 and 成交订单数, channel before the campaign.
CUSTOM = (
    ("日期", "date"), ("营销目标", "goal"), ("广告类型", "scene"), ("计划名称", "campaign"),
    ("消耗", "spend"),
    ("展示次数", "impressions"), ("点击次数", "clicks"), ("转化数", "conversions"),
    ("成交金额", "gmv"), ("成交订单数", "orders"),
)  # fmt: skip
#: No GMV column: only 支付ROI, from which GMV = ROI × spend.
ROI_ONLY = tuple(column for column in PLATFORM if column[1] != "gmv")
#: The campaign first, the date second: the 合计 row's label sits in the campaign column.
CAMPAIGN_FIRST = (("计划名称", "campaign"), ("日期", "date"), *PLATFORM[2:])
#: Nothing a reader could recognise.
UNKNOWN = (("名称", "campaign"), ("金额", "spend"), ("备注", "goal"))

LAYOUTS = {"platform": PLATFORM, "variant": VARIANT, "custom": CUSTOM, "campaign_first": CAMPAIGN_FIRST}


# ---- Cell formatting as exports do it ----------------------------------------------------------
def yuan(fen: int, symbol: str = "¥") -> str:
    """¥1,234.50 from 123450 fen (no float on the way)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{symbol}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def count(value: int, zero: str) -> str:
    """1,234 with a thousands separator; a zero as the export shows it (``zero``)."""
    return f"{value:,}" if value else zero


def percent(numerator: float, denominator: float, undefined: str = "-") -> str:
    return f"{numerator / denominator:.2%}" if denominator else undefined


def date_text(day: dt.date, style: str) -> str:
    return {
        "iso": f"{day:%Y-%m-%d}",
        "slash": f"{day.year}/{day.month}/{day.day}",
        "compact": f"{day:%Y%m%d}",
        "datetime": f"{day:%Y-%m-%d} 00:00:00",
        "excel_csv": f"{day.year}/{day.month}/{day.day} 0:00",  # a CSV re-saved by Excel
    }[style]


@dataclass(frozen=True)
class Style:
    """How a writer shows values. ``lie_about_rates``: rate columns disagree with the counts."""

    date: str = "iso"  # see date_text; "cell" writes XLSX date cells
    money: str = "yuan"  # "yuan": ¥1,234.50; "full": ￥1,234.50; "plain": 1234.50; "number": cells
    lie_about_rates: bool = False


def text_cell(line: Line, field: str, style: Style) -> object:
    """The cell an export writes for ``field`` of ``line`` (text, or a number/date for XLSX)."""
    numeric = style.money == "number"
    if field == "date":
        if style.date == "cell":
            return line.day
        return date_text(line.day, style.date)
    if field == "campaign":
        return line.campaign
    if field == "scene":
        return "搜索广告" if line.channel == "搜索" else "通投广告"
    if field == "goal":
        return "直播带货" if line.channel == "直播" else "短视频带货"
    if field in ("spend", "gmv"):
        fen = getattr(line, f"{field}_fen")
        if numeric:
            return fen / 100
        if field == "gmv" and not fen:
            return ""  # no sale: the export leaves GMV blank
        if style.money == "plain":
            return f"{fen / 100:.2f}"
        return yuan(fen, "￥" if style.money == "full" else "¥")
    if field in COUNT_FIELDS:
        value = getattr(line, field)
        if numeric:
            return value
        return count(value, zero="-" if field == "orders" else "0")
    if style.lie_about_rates:  # nothing to do with the counts: a reader must not use them
        return {"ctr": "50.00%", "cvr": "99%", "cpa": "¥0.01", "roi": "88.88"}[field]
    if field == "ctr":
        return percent(line.clicks, line.impressions)
    if field == "cvr":
        return percent(line.conversions, line.clicks, undefined="--")
    if field == "cpa":
        return yuan(round(line.spend_fen / line.conversions)) if line.conversions else "--"
    if field == "roi":
        return f"{line.gmv_fen / line.spend_fen:.2f}" if line.spend_fen else "-"
    raise KeyError(field)


def total_row(lines: Sequence[Line], layout: Sequence[tuple[str, str]], label: str = "合计") -> list[object]:
    """The closing total row: the label in the first column, sums in the money and count columns."""
    row: list[object] = []
    for position, (_, field) in enumerate(layout):
        if position == 0:
            row.append(label)
        elif field in ("spend", "gmv"):
            row.append(yuan(sum(getattr(line, f"{field}_fen") for line in lines)))
        elif field in COUNT_FIELDS:
            row.append(f"{sum(getattr(line, field) for line in lines):,}")
        else:
            row.append("-")
    return row


def table(
    lines: Sequence[Line],
    layout: Sequence[tuple[str, str]] = PLATFORM,
    style: Style = Style(),
    titles: Sequence[str] = (),
    total: str | None = "合计",
) -> list[list[object]]:
    """Every row of an export: title lines, the header, one row per line, the total row."""
    rows: list[list[object]] = [[title] for title in titles]
    rows.append([header for header, _ in layout])
    rows.extend([text_cell(line, field, style) for _, field in layout] for line in lines)
    if total:
        rows.append(total_row(lines, layout, total))
    return rows


# ---- Writers --------------------------------------------------------------------------------
def write_csv(path: Path, rows: Iterable[Sequence[object]], encoding: str = "utf-8-sig") -> Path:
    """CSV as the platform downloads it (quoted where a cell holds a comma, CRLF line ends)."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


EXCEL_CELL_CHARS = 32_767  # Excel's longest cell text; openpyxl and XlsxWriter cut there


def write_xlsx_openpyxl(path: Path, rows: Iterable[Sequence[object]]) -> Path:
    """XLSX by openpyxl; text longer than Excel allows is patched into the sheet XML afterwards
    (other tools that export XLSX do not stop at 32,767 characters)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "推广数据"
    giants: dict[str, str] = {}
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(r, col)
            if isinstance(value, str) and len(value) > EXCEL_CELL_CHARS:
                giants[f"GIANT-CELL-{len(giants)}"] = value
                value = f"GIANT-CELL-{len(giants) - 1}"
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, even "=HYPERLINK(…)"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    workbook.save(path)
    if giants:
        _patch_member(path, "xl/worksheets/sheet1.xml", giants)
    return path


def _patch_member(path: Path, member: str, replacements: dict[str, str]) -> None:
    from xml.sax.saxutils import escape

    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == member:
                text = data.decode()
                for placeholder, value in replacements.items():
                    assert placeholder in text
                    text = text.replace(placeholder, escape(value))
                data = text.encode()
            target.writestr(info, data)


def write_xlsx_xlsxwriter(path: Path, rows: Iterable[Sequence[object]]) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("推广数据")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for col, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, col, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, col, value, date_format)
            elif value is not None:
                sheet.write_number(r, col, value)
    workbook.close()
    return path


WRITERS: dict[str, Callable[[Path, Iterable[Sequence[object]]], Path]] = {
    "openpyxl": write_xlsx_openpyxl,
    "xlsxwriter": write_xlsx_xlsxwriter,
}


# ---- Samples --------------------------------------------------------------------------------
#: Three campaigns, one per channel word, as the platform names them.
CAMPAIGNS = (("春季新品-短视频-01", "短视频"), ("品牌直播间-晚场", "直播"), ("搜索-核心词", "搜索"))


def month(
    first: dt.date = dt.date(2027, 1, 1),
    days: int = 31,
    campaigns: Sequence[tuple[str, str]] = CAMPAIGNS,
    seed: int = 2027,
) -> list[Line]:
    """Varied campaign-days: several campaigns a day, some days without any sale."""
    rng = random.Random(seed)
    lines = []
    for offset in range(days):
        for name, channel in campaigns:
            impressions = rng.randrange(2_000, 400_000)
            clicks = rng.randrange(0, impressions // 25)
            conversions = rng.randrange(0, clicks // 8 + 1) if rng.random() > 0.2 else 0
            orders = rng.randrange(0, conversions + 1)
            lines.append(
                Line(
                    day=first + dt.timedelta(days=offset),
                    campaign=name,
                    channel=channel,
                    spend_fen=rng.randrange(1_000, 2_500_000),
                    impressions=impressions,
                    clicks=clicks,
                    conversions=conversions,
                    gmv_fen=orders * rng.randrange(5_000, 40_000),
                    orders=orders,
                )
            )
    return lines


def steady(
    first: dt.date, days: int, spend_fen: int, conversions: int, campaigns: int = 2, **counts: int
) -> list[Line]:
    """``days`` days from ``first``, each day's ``spend_fen`` and ``conversions`` split evenly
    over ``campaigns`` short-video campaigns (so each must divide evenly)."""
    assert spend_fen % campaigns == 0 and conversions % campaigns == 0
    return [
        Line(
            day=first + dt.timedelta(days=offset),
            campaign=f"计划{k + 1:02d}",
            spend_fen=spend_fen // campaigns,
            conversions=conversions // campaigns,
            **{name: value // campaigns for name, value in counts.items()},
        )
        for offset in range(days)
        for k in range(campaigns)
    ]


def giant_name(characters: int = 1_000_000, seed: int = 1) -> str:
    """A campaign name of ``characters`` varied CJK characters (it does not compress to nothing)."""
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(characters))


def sums(lines: Iterable[Line]) -> dict[str, float]:
    """The known totals of a sample: money summed in fen, then turned into yuan."""
    lines = list(lines)
    result: dict[str, float] = {
        "spend": sum(line.spend_fen for line in lines) / 100,
        "gmv": sum(line.gmv_fen for line in lines) / 100,
    }
    result.update({field: sum(getattr(line, field) for line in lines) for field in COUNT_FIELDS})
    return result


def renamed(lines: Iterable[Line], **changes: object) -> list[Line]:
    return [replace(line, **changes) for line in lines]
