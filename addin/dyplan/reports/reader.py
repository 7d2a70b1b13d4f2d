"""Read Qianchuan / Ocean Engine report exports as users download them (PLANNING_RULES §8).

CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX; Chinese headers with the platform's usual
names and common variants; cells like "1.2%", "¥1,234.50", "1,234", "-", "--" or blank; title
lines above the header; a 合计 (total) row; several campaigns per day. Large files are read
in chunks and aggregated as they come, so memory stays bounded by the distinct
(date, campaign, channel) keys, not by the rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dyplan.errors import DyplanError
from dyplan.model.tracking import COUNTS, UNKNOWN_CHANNEL

CHUNK_ROWS = 200_000
HEADER_SEARCH_LINES = 30
#: What a header cell may be called, per field (compared after ``normalise_header``).
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("日期", "时间", "统计日期", "日期时间", "date", "stat_date", "stat_datetime"),
    "campaign": ("计划名称", "计划id", "计划", "广告计划", "广告计划名称", "广告计划id", "计划名",
                 "campaign", "campaign_name", "ad_name", "ad_id"),
    "channel": ("渠道", "投放渠道", "推广方式", "营销场景", "流量来源", "广告类型", "channel"),
    "spend": ("消耗", "花费", "总消耗", "整体消耗", "cost", "spend", "stat_cost"),
    "impressions": ("展示次数", "展现次数", "展示数", "曝光次数", "曝光量", "impressions", "show_cnt"),
    "clicks": ("点击次数", "点击数", "clicks", "click_cnt"),
    "conversions": ("转化数", "转化次数", "conversions", "convert_cnt"),
    "gmv": ("直接成交金额", "支付gmv", "成交金额", "直接支付金额", "整体成交金额", "gmv",
            "pay_order_amount"),
    "orders": ("直接成交订单数", "成交订单数", "支付订单数", "直接支付订单数", "orders",
               "pay_order_count"),
    "roi": ("支付roi", "直接支付roi", "整体支付roi", "roi", "pay_roi"),
    "conversion_cost": ("转化成本", "conversion_cost", "convert_cost"),
}  # fmt: skip
#: The platform's own rates: recognised so they are not "unknown", but recomputed from counts.
RECOMPUTED = ("点击率", "转化率", "平均点击单价", "平均千次展现费用", "ctr", "cvr", "cpc", "cpm")
REQUIRED = ("date", "spend")
TOTAL_ROW = re.compile(r"^\s*(合计|总计|汇总|total)", re.IGNORECASE)
#: Channel words in a report → our channels (Qianchuan's 推广方式 and 营销场景).
CHANNEL_WORDS: tuple[tuple[str, str], ...] = (
    ("搜索", "search"), ("search", "search"), ("直播", "live"), ("live", "live"),
    ("信息流", "feed"), ("短视频", "feed"), ("图文", "feed"), ("通投", "feed"), ("feed", "feed"),
)  # fmt: skip
KEYS = ("date", "campaign", "channel")


class ReportFormatError(DyplanError):
    """A report this reader cannot use: the message lists what it found and what it needs."""


def normalise_header(text: object) -> str:
    """Lower case, without spaces, brackets or units: "消耗(元)" → "消耗"."""
    value = re.sub(r"[\s\(\)（）\[\]【】]|元$|¥|￥", "", str(text or "")).lower()
    return re.sub(r"元$", "", value)


_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def match_columns(header: list[object]) -> dict[int, str]:
    """Position → field for every header cell we recognise (the first of duplicates wins)."""
    found: dict[int, str] = {}
    for position, cell in enumerate(header):
        name = _LOOKUP.get(normalise_header(cell))
        if name and name not in found.values():
            found[position] = name
    return found


def clean_numbers(values: pd.Series) -> pd.Series:
    """Numbers as exports write them: "1.2%" → 0.012, "¥1,234.50" → 1234.5, "-"/"--"/"" → NaN."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    text = values.astype("string").str.strip()
    percent = text.str.endswith("%", na=False)
    cleaned = text.str.replace(r"[,¥￥元\s%]", "", regex=True)
    numbers = pd.to_numeric(cleaned.where(~cleaned.isin(["-", "--", ""])), errors="coerce")
    return numbers.where(~percent, numbers / 100).astype(float)


def clean_dates(values: pd.Series) -> pd.Series:
    """Dates as exports write them (2027-01-05, 2027/1/5, 20270105, with a time, or a date cell)."""
    if values.map(lambda v: isinstance(v, dt.date)).all():
        return pd.to_datetime(values).dt.normalize()
    text = values.astype("string").str.strip().str.slice(0, 10).str.replace("/", "-", regex=False)
    compact = text.str.fullmatch(r"\d{8}", na=False)
    text = text.where(
        ~compact, text.str.slice(0, 4) + "-" + text.str.slice(4, 6) + "-" + text.str.slice(6, 8)
    )
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


def channel_of(values: pd.Series) -> pd.Series:
    """Map report channel words to feed / search / live; anything else is unknown."""
    text = values.astype("string").str.lower().fillna("")
    result = pd.Series(UNKNOWN_CHANNEL, index=values.index, dtype="object")
    for word, channel in reversed(CHANNEL_WORDS):  # earlier words win: apply them last
        result = result.mask(text.str.contains(word, regex=False), channel)
    return result


@dataclass
class Report:
    """One report file, aggregated per (date, campaign, channel)."""

    path: Path
    rows: pd.DataFrame  # KEYS + COUNTS
    read_rows: int = 0
    skipped_rows: int = 0  # total rows and rows without a date
    columns: dict[str, str] = field(default_factory=dict)  # field → the header it came from


def _normalise_chunk(chunk: pd.DataFrame, columns: dict[str, str]) -> tuple[pd.DataFrame, int]:
    """Turn raw cells into typed rows aggregated per key; also count the rows dropped."""
    data = pd.DataFrame(index=chunk.index)
    totals = chunk.iloc[:, 0].astype("string").str.match(TOTAL_ROW, na=False)
    data["date"] = clean_dates(chunk[columns["date"]])
    for name in ("campaign", "channel"):
        raw = chunk[columns[name]] if name in columns else pd.Series("", index=chunk.index)
        data[name] = raw.astype("string").fillna("").str.strip()
    data["channel"] = channel_of(data["channel"])
    for name in (*COUNTS, "roi", "conversion_cost"):
        data[name] = clean_numbers(chunk[columns[name]]) if name in columns else np.nan
    # Derive what the export left out from what it gave: GMV = ROI × spend, conversions = spend ÷ cost.
    data["gmv"] = data["gmv"].fillna(data["roi"] * data["spend"])
    data["conversions"] = data["conversions"].fillna(data["spend"] / data["conversion_cost"])
    keep = data["date"].notna() & ~totals
    data = data[keep].assign(date=lambda d: d["date"].dt.date)
    rows = data.groupby(list(KEYS), sort=False)[list(COUNTS)].sum(min_count=1).reset_index()
    return rows, int((~keep).sum())


def _decode_head(path: Path) -> tuple[str, list[list[str]]]:
    """The encoding of a CSV and its first lines (UTF-8 with or without BOM, else GB18030)."""
    with open(path, "rb") as handle:
        head = handle.read(256 * 1024)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # a real error, not a character cut by the 256 KB
                continue
            text = head[: error.start].decode(encoding)
        return encoding, list(csv.reader(io.StringIO(text)))[:HEADER_SEARCH_LINES]
    raise ReportFormatError(
        f"{path.name}：无法识别编码（支持 UTF-8 与 GB18030）。",
        f"{path.name}: unknown text encoding (UTF-8 and GB18030 are supported).",
    )


def _find_header(path: Path, lines: list[list[object]]) -> tuple[int, dict[int, str]]:
    """The first line that names the required columns, and what it names."""
    best: tuple[int, dict[int, str]] = (0, {})
    for number, line in enumerate(lines):
        found = match_columns(line)
        if set(REQUIRED) <= set(found.values()):
            return number, found
        if len(found) > len(best[1]):
            best = (number, found)
    number, found = best
    seen = [str(c) for c in (lines[number] if lines else []) if str(c or "").strip()]
    missing = [f for f in REQUIRED if f not in found.values()]
    need = {f: ALIASES[f][0] for f in missing}
    raise ReportFormatError(
        f"{path.name}：无法识别报表格式。找到的列：{'、'.join(seen[:30]) or '（无）'}；"
        f"缺少必需列：{'、'.join(need.values())}（{'/'.join(ALIASES['spend'][:3])} 等写法均可）。",
        f"{path.name}: unknown report layout. Columns found: {', '.join(seen[:30]) or '(none)'}; "
        f"missing required: {', '.join(missing)} (e.g. {', '.join(need.values())}).",
    )


def _csv_chunks(path: Path) -> tuple[dict[str, str], Iterator[pd.DataFrame]]:
    encoding, lines = _decode_head(path)
    number, found = _find_header(path, lines)
    header = lines[number]
    columns = {name: str(header[pos]) for pos, name in found.items()}
    wanted = sorted(set(found) | {0})
    reader = pd.read_csv(
        path, encoding=encoding, skiprows=number, header=0, usecols=wanted, dtype=str,
        keep_default_na=False, chunksize=CHUNK_ROWS, engine="c", on_bad_lines="error",
    )  # fmt: skip
    return columns, reader


def _xlsx_chunks(path: Path) -> tuple[dict[str, str], Iterator[pd.DataFrame]]:
    from python_calamine import CalamineWorkbook

    from dyplan.book.xlsx_file import check_archive

    check_archive(path, max_unpacked=2 * 1024**3)  # a year of campaign rows unpacks to ~0.5 GB
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = sheet.iter_rows()
    head = [next(rows, []) for _ in range(HEADER_SEARCH_LINES)]
    number, found = _find_header(path, head)
    header = head[number]
    columns = {name: str(header[pos]) for pos, name in found.items()}
    names = [str(c) for c in header]

    def chunks() -> Iterator[pd.DataFrame]:
        pending = head[number + 1 :]
        for row in rows:
            pending.append(row)
            if len(pending) >= CHUNK_ROWS:
                yield pd.DataFrame(pending, columns=names)
                pending = []
        if pending:
            yield pd.DataFrame([r for r in pending if r], columns=names)

    return columns, chunks()


def read_report(path: Path, progress: Callable[[int], None] | None = None) -> Report:
    """Read one export into rows aggregated per (date, campaign, channel).

    ``progress`` is called with the number of raw rows read after each chunk.
    Raises ``ReportFormatError`` for files it cannot use, naming what it found.
    """
    if not path.exists():
        raise ReportFormatError(f"找不到报表：{path}", f"Report not found: {path}")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ReportFormatError(
            f"{path.name}：只支持 .csv 与 .xlsx 报表。",
            f"{path.name}: only .csv and .xlsx reports are supported.",
        )
    try:
        columns, chunks = _csv_chunks(path) if suffix == ".csv" else _xlsx_chunks(path)
        parts, read, skipped = [], 0, 0
        for chunk in chunks:
            rows, dropped = _normalise_chunk(chunk, columns)
            parts.append(rows)
            read += len(chunk)
            skipped += dropped
            if progress:
                progress(read)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise ReportFormatError(f"{path.name}：文件已损坏或格式不正确（{error}）。",
                                f"{path.name}: damaged or malformed file ({error}).") from error  # fmt: skip
    rows = pd.concat(parts) if parts else pd.DataFrame()
    if rows.empty:
        raise ReportFormatError(f"{path.name}：没有可用的数据行。", f"{path.name}: no usable data rows.")
    rows = rows.groupby(list(KEYS), sort=True)[list(COUNTS)].sum(min_count=1).reset_index()
    return Report(path, rows, read_rows=read, skipped_rows=skipped, columns=columns)
