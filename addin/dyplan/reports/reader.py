"""Read Qianchuan / Ocean Engine report exports as users download them (PLANNING_RULES §8).

CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX; Chinese headers with the platform's usual
names and common variants; cells like "1.2%", "¥1,234.50", "1,234", "-", "--" or blank; title
lines above the header; a 合计 (total) row; several campaigns per day. Large files are read
in blocks: the text of each becomes integer keys and numbers as it comes (while pyarrow parses
the next block on another thread), and keyed rows are summed whenever many are held, so memory
stays bounded by the distinct (date, campaign, channel) keys, not by the rows.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import os
import queue
import re
import threading
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from dyplan.errors import DyplanError
from dyplan.model.tracking import COUNTS, MIX_COLUMNS, MIX_INDICATORS, UNKNOWN_CHANNEL

#: XLSX rows read at a time.
CHUNK_ROWS = 200_000
#: Bytes pyarrow parses at a time (a CSV chunk); a CSV row must fit in one (a 1 MB campaign name does).
BLOCK_BYTES = 8 * 1024**2
#: Keyed rows held before they are summed per key (about 70 bytes each).
SUM_ROWS = 2_000_000
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
    "hour": ("时段", "小时", "投放时段", "hour", "stat_hour"),
    "device": ("设备", "设备类型", "操作系统", "平台", "device", "platform", "os"),
}  # fmt: skip
#: The platform's own rates: recognised so they are not "unknown", but recomputed from counts.
RECOMPUTED = ("点击率", "转化率", "平均点击单价", "平均千次展现费用", "ctr", "cvr", "cpc", "cpm")
REQUIRED = ("date", "spend")
#: Fields read as numbers; the others (keys, time slot, device) as text.
NUMBERS = (*COUNTS, "roi", "conversion_cost")
#: A total row's label, alone in its cell ("合计", "总计：", "Total"); "Total护肤" is a campaign.
TOTAL_ROW = re.compile(r"^\s*(?:合计|总计|汇总|total)\s*[:：]?\s*$", re.IGNORECASE)
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


#: A chunk's column of raw cells: Arrow text from a CSV, a pandas column of cells from an XLSX.
Column = pa.Array | pd.Series
#: A chunk of raw cells: header position → column.
Chunk = dict[int, Column]

#: What exports write around a number: separators, currency, unit, percent sign, spaces. Spelled
#: out rather than ``\s`` so that Arrow's regular expressions read it alike.
NUMBER_NOISE = "[,¥￥元% \t\u00a0\u2009\u202f\u3000]"
#: What may come off a number's ends in the usual column: noise but "%", and whatever str.strip()
#: removes.
NUMBER_ENDS = "".join(sorted({*NUMBER_NOISE[1:-1], *filter(str.isspace, map(chr, range(0x3001)))} - {"%"}))
_DASHES = pa.array(["-", "--", ""])


def clean_numbers(values: Column) -> np.ndarray:
    """Numbers as exports write them: "1.2%" → 0.012, "¥1,234.50" → 1234.5, "-"/"--"/"" → NaN."""
    if isinstance(values, pd.Series):
        if pd.api.types.is_numeric_dtype(values):
            return values.to_numpy(dtype=float, na_value=np.nan)
        values = pa.chunked_array(pa.array(values.astype("string").array)).combine_chunks()
    if (numbers := _arrow_floats(_usual_number_text(values))) is not None:
        return numbers
    cells = pc.utf8_trim_whitespace(values)
    percent = pc.fill_null(pc.ends_with(cells, "%"), False).to_numpy(zero_copy_only=False)
    cells = pc.replace_substring_regex(cells, NUMBER_NOISE, "")
    numbers = _arrow_floats(cells)
    if numbers is None:
        numbers = _python_floats(cells)
    return np.where(percent, numbers / 100, numbers)


def _usual_number_text(cells: pa.Array) -> pa.Array:
    """The usual column, several times faster than the regular expression: ``NUMBER_ENDS`` trimmed
    and thousands separators removed, if its first cells have them. Whatever noise is left (a "%"
    among them) fails Arrow's cast, so a cast that succeeds reads what the general way would."""
    seen = set("".join(cells.slice(0, 1000).drop_null().to_pylist()))
    if not seen.isdisjoint(NUMBER_ENDS):
        cells = pc.utf8_trim(cells, NUMBER_ENDS)
    if "," in seen:
        cells = pc.replace_substring(cells, ",", "")
    return cells


def _blank_dashes(cells: pa.Array) -> pa.Array:
    return pc.if_else(pc.is_in(cells, value_set=_DASHES), None, cells)


def _arrow_floats(cells: pa.Array) -> np.ndarray | None:
    """Cells as floats, or None if Arrow's cast cannot read one (what it reads, float() reads alike)."""
    try:
        return pc.cast(_blank_dashes(cells), pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        return None


def _python_floats(cells: pa.Array) -> np.ndarray:
    """float() per cell ("1_000", "１２"), else to_numeric, which makes the other cells NaN."""
    text = _blank_dashes(cells).to_pandas()
    try:
        return text.astype(float).to_numpy()
    except (ValueError, TypeError):
        return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


#: A date as exports write it: 2027-01-05, 2027/1/5, 2027.1.5, 2027年1月5日 or 20270105, alone
#: or with a time of day ("2027-01-05 00:00:00", "2027/1/5 0:00"); a range is not a date.
DATE_TEXT = re.compile(
    r"(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)


def parse_date(value: object) -> dt.date | None:
    """One date cell: a date (or date-time) cell, a number like 20270105, or text (``DATE_TEXT``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 20270105 typed as a number comes back as 20270105.0
    match = DATE_TEXT.fullmatch(str(value).strip())
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups() if g is not None)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _factorize(values: Column) -> tuple[np.ndarray, list[object]]:
    """Each cell's index into the column's distinct cells (-1 for a missing cell), and those cells."""
    if isinstance(values, pa.Array):
        encoded = values if isinstance(values, pa.DictionaryArray) else pc.dictionary_encode(values)
        return pc.fill_null(encoded.indices, -1).to_numpy(), encoded.dictionary.to_pylist()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def per_distinct(
    values: Column, convert: Callable[[object], object], missing: object, dtype: str | type
) -> np.ndarray:
    """``convert`` applied once per distinct value: exports repeat dates, names and channels."""
    codes, uniques = _factorize(values)
    table = np.array([*(convert(v) for v in uniques), missing], dtype=dtype)
    return table[codes]  # code -1 (a missing cell) picks ``missing``, the table's last entry


#: Dates are kept as day numbers: days since ``EPOCH``, ``NO_DAY`` for a cell that is not a date.
EPOCH, NO_DAY = dt.date(1970, 1, 1), np.iinfo(np.int64).min


def _day_number(value: object) -> int:
    day = parse_date(value)
    return (day - EPOCH).days if day else NO_DAY


def clean_dates(values: Column) -> np.ndarray:
    """Dates as exports write them (see ``parse_date``), as day numbers."""
    return per_distinct(values, _day_number, NO_DAY, np.int64)


def _day_objects(days: np.ndarray) -> np.ndarray:
    """Day numbers as ``datetime.date`` objects, made once per distinct day."""
    local, uniques = pd.factorize(days)
    return uniques.astype("datetime64[D]").astype(object)[local]


def _text(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


def cell_text(values: Column) -> np.ndarray:
    """Cells as text, stripped; a whole number from an XLSX cell as typed (1745001, not 1745001.0)."""
    return per_distinct(values, _text, "", object)


def is_total(values: Column) -> np.ndarray:
    """Which cells hold a total row's label (``TOTAL_ROW``)."""
    return per_distinct(values, lambda v: bool(TOTAL_ROW.match(_text(v))), False, bool)


def _channel(value: object) -> str:
    text = str(value).lower()
    return next((channel for word, channel in CHANNEL_WORDS if word in text), UNKNOWN_CHANNEL)


@dataclass
class Report:
    """One report file, aggregated per (date, campaign, channel).

    ``mix`` splits spend by time slot or device per date, when the export has those columns.
    """

    path: Path
    rows: pd.DataFrame  # KEYS + COUNTS
    mix: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MIX_COLUMNS)))
    read_rows: int = 0
    skipped_rows: int = 0  # total rows and rows without a date
    columns: dict[str, str] = field(default_factory=dict)  # field → the header it came from


class _Codes:
    """Integer codes for text shared by every chunk, in order of first appearance: rows are summed
    on integer keys, which is much cheaper than on Python strings, and the text is put back once."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.array([self.codes.setdefault(t, len(self.codes)) for t in texts], dtype=np.int64)

    def categories(self, codes: np.ndarray) -> pd.Categorical:
        """The text of ``codes`` as categories (a year's rows name a few thousand campaigns), of
        the texts used only: a 合计 row's "-" is encoded before its row is dropped."""
        used = np.bincount(codes, minlength=len(self.codes)) > 0
        texts = pd.Index(np.array(list(self.codes), dtype=object)[used], dtype="string")
        return pd.Categorical.from_codes((np.cumsum(used) - 1)[codes], texts)

    def texts(self, codes: np.ndarray) -> pd.Series:
        """The text of ``codes`` as strings, made in Arrow (not one Python string per row)."""
        return pa.array(list(self.codes), pa.string()).take(pa.array(codes)).to_pandas()


#: A row's (date, campaign, channel) packed in one integer that orders as the key does: the day
#: (counted from year 1: below 2²²) above bit 40, the campaign's code (below 2³²) above bit 8, the
#: channel's code (one of a few) in the low byte.
DAY_BIT, CAMPAIGN_BIT, FIRST_DAY = 40, 8, (dt.date(1, 1, 1) - EPOCH).days


def _pack(days: np.ndarray, campaigns: np.ndarray, channels: np.ndarray) -> np.ndarray:
    return ((days - FIRST_DAY) << DAY_BIT) | (campaigns << CAMPAIGN_BIT) | channels


def _unpack(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (keys >> DAY_BIT) + FIRST_DAY, (keys >> CAMPAIGN_BIT) & 0xFFFF_FFFF, keys & 0xFF


#: Rows as arrays: "key" (``_pack``), then COUNTS.
KeyedRows = dict[str, np.ndarray]


def _sum_per_key(rows: KeyedRows) -> KeyedRows:
    """One row per key, in the keys' order, with the counts summed (NaN where every cell of a key
    was)."""
    keys = rows["key"]
    if np.all(keys[1:] > keys[:-1]):  # the usual export: day by day, each campaign once a day
        return rows
    order = np.argsort(keys)
    keys = keys[order]
    starts = np.flatnonzero(np.diff(keys, prepend=-1))  # each key's first row
    summed = {"key": keys[starts]}
    for name in COUNTS:
        values = rows[name][order]
        known = ~np.isnan(values)
        total = np.add.reduceat(np.where(known, values, 0), starts)
        summed[name] = np.where(np.logical_or.reduceat(known, starts), total, np.nan)
    return summed


class _Rows:
    """Keyed rows of every chunk, summed per key whenever twice as many as last time are held (at
    least ``SUM_ROWS``): memory stays bounded by the distinct keys, at linear cost."""

    def __init__(self) -> None:
        self.parts: list[KeyedRows] = []
        self.held, self.limit = 0, SUM_ROWS
        self.campaigns, self.channels = _Codes(), _Codes()

    def add(self, rows: KeyedRows) -> None:
        self.parts.append(rows)
        self.held += len(rows["key"])
        if self.held >= self.limit:
            self.parts = [self._summed()]
            self.held = len(self.parts[0]["key"])
            self.limit = max(SUM_ROWS, 2 * self.held)

    def _summed(self) -> KeyedRows:
        parts = self.parts
        joined = parts[0] if len(parts) == 1 else {n: np.concatenate([p[n] for p in parts]) for n in parts[0]}
        return _sum_per_key(joined)

    def frame(self) -> pd.DataFrame:
        """One row per (date, campaign, channel): by date, then in the order the report first lists
        campaigns and channels."""
        rows = self._summed()
        days, campaigns, channels = _unpack(rows["key"])
        return pd.DataFrame({
            "date": _day_objects(days),
            "campaign": self.campaigns.categories(campaigns),  # counted and deduplicated
            "channel": self.channels.texts(channels),  # grouped and ordered as text
            # Not copied, but made writable where still Arrow's read-only memory (a one-chunk report)
            **{name: np.require(rows[name], requirements="W") for name in COUNTS},
        }, copy=False)  # fmt: skip


def _distinct_text(values: Column) -> tuple[np.ndarray, list[str]]:
    """Each cell's index into the cells' distinct texts (``cell_text``, made once per distinct
    cell), and those texts; the last one, "", is a missing cell's."""
    local, uniques = _factorize(values)
    return local, [*(_text(v) for v in uniques), ""]


def _normalise_chunk(
    chunk: Chunk, found: dict[int, str], rows: _Rows, pool: Executor
) -> tuple[list[pd.DataFrame], int]:
    """Add a chunk's rows to ``rows`` as keys and numbers; return its spend mix (if the report has
    one) and the rows dropped.

    ``chunk``'s keys are header positions; ``found`` maps the recognised ones to fields. Number
    columns are cleaned on ``pool`` (Arrow releases the GIL) while this thread makes the keys.
    """
    columns = {name: position for position, name in found.items()}
    size = len(chunk[0])
    cleaning = {name: pool.submit(clean_numbers, chunk[columns[name]])
                for name in NUMBERS if name in columns}  # fmt: skip
    days = clean_dates(chunk[columns["date"]])
    # The 合计 row: its label in the first column, or in the campaign column beside a date.
    totals = is_total(chunk[0])
    if "campaign" in columns:
        local, texts = _distinct_text(chunk[columns["campaign"]])
        campaign = rows.campaigns.encode(texts)[local]
        totals |= np.array([bool(TOTAL_ROW.match(t)) for t in texts])[local]
    else:
        campaign = np.repeat(rows.campaigns.encode([""]), size)
    if "channel" in columns:
        local, texts = _distinct_text(chunk[columns["channel"]])
        channel = rows.channels.encode([_channel(t) for t in texts])[local]
    else:
        channel = np.repeat(rows.channels.encode([_channel("")]), size)
    numbers = {name: cleaning[name].result() if name in cleaning else np.full(size, np.nan)
               for name in NUMBERS}  # fmt: skip
    # Derive a count the export left out from the rate it gave: GMV = ROI × spend,
    # conversions = spend ÷ cost. A count column, even blank, is never second-guessed by a rate
    # (which is why ``found`` holds a rate only when its count's column is absent).
    with np.errstate(divide="ignore", invalid="ignore"):
        if "gmv" not in columns:
            numbers["gmv"] = numbers["roi"] * numbers["spend"]
        if "conversions" not in columns:
            numbers["conversions"] = numbers["spend"] / numbers["conversion_cost"]
    keep = (days != NO_DAY) & ~totals
    dropped = size - int(np.count_nonzero(keep))
    kept = keep if dropped else slice(None)  # a slice takes views: no copies of the usual chunk
    rows.add({"key": _pack(days[kept], campaign[kept], channel[kept]),
              **{name: numbers[name][kept] for name in COUNTS}})  # fmt: skip
    dimensions = [dimension for dimension in MIX_INDICATORS if dimension in columns]
    if not dimensions:
        return [], dropped
    dates = _day_objects(days[kept])
    mixes = [
        pd.DataFrame({"date": dates, "dimension": dimension,
                      "bucket": cell_text(chunk[columns[dimension]])[kept], "spend": numbers["spend"][kept]})
        for dimension in dimensions
    ]  # fmt: skip
    return [_sum_mix(mixes)], dropped


def _sum_mix(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=list(MIX_COLUMNS))
    return pd.concat(parts).groupby(list(MIX_COLUMNS[:3]), sort=True)["spend"].sum().reset_index()


def _first_lines(text: str) -> list[list[str]]:
    """The first CSV lines of ``text``; a cell may be as long as the text (a 1 MB campaign name)."""
    limit = csv.field_size_limit(max(len(text), csv.field_size_limit()))
    try:
        return list(itertools.islice(csv.reader(io.StringIO(text)), HEADER_SEARCH_LINES))
    finally:
        csv.field_size_limit(limit)


def _decode_head(path: Path) -> tuple[str, str]:
    """The encoding of a CSV ("utf-8-sig" only with a BOM) and its first 256 KB as text."""
    with open(path, "rb") as handle:
        head = handle.read(256 * 1024)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # a real error, not a character cut by the 256 KB
                continue
            text = head[: error.start].decode(encoding)
        if encoding == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"
        return encoding, text
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


def _damaged(path: Path, error: Exception) -> ReportFormatError:
    return ReportFormatError(f"{path.name}：文件已损坏或格式不正确（{error}）。",
                             f"{path.name}: damaged or malformed file ({error}).")  # fmt: skip


#: Header → (field → the header cell it came from, position → field, chunks of raw cells).
Layout = tuple[dict[str, str], dict[int, str], Generator[Chunk]]


#: A rate read only to derive the count it stands in for when that count's column is absent.
DERIVES = {"roi": "gmv", "conversion_cost": "conversions"}


def _layout(path: Path, lines: list[list[object]]) -> tuple[int, dict[str, str], dict[int, str]]:
    """The header's line number, every field recognised (→ its header cell), and the positions
    worth reading (→ field)."""
    number, found = _find_header(path, lines)
    header = lines[number]
    fields = set(found.values())
    used = {pos: name for pos, name in found.items() if DERIVES.get(name) not in fields}
    return number, {name: str(header[pos]) for pos, name in found.items()}, used


def _wanted(found: dict[int, str]) -> list[int]:
    """The positions read: the fields found, and the first column, where a 合计 label sits."""
    return sorted({*found, 0})


def _data_start(text: str, number: int, encoding: str) -> int:
    """The byte offset just past header line ``number`` (``_first_lines`` counts lines the same
    way: a quoted cell may span lines)."""
    stream = io.StringIO(text, newline="")  # keeps "\r\n": character counts are the file's
    limit = csv.field_size_limit(max(len(text), csv.field_size_limit()))
    try:
        for _ in itertools.islice(csv.reader(stream), number + 1):
            pass
    finally:
        csv.field_size_limit(limit)
    bom = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
    return bom + len(text[: stream.tell()].encode(encoding.removesuffix("-sig")))


class _LooseRows:
    """pyarrow's handler for rows whose cell count is not the header's, read as pandas read them:
    short rows padded with "", long rows cut, lines of only spaces skipped (a footer such as
    "数据来源：巨量千川" is a row without a date, not a damaged file). Kept until their block's
    batch is read (the reader parses one block at a time), then follow it as a chunk of their own."""

    def __init__(self, width: int, types: dict[int, pa.DataType]) -> None:
        self.width, self.types, self.rows = width, types, []

    def __call__(self, row: pa_csv.InvalidRow) -> str:
        if not row.text.strip(" \t\r\n"):
            return "skip"
        limit = csv.field_size_limit(max(len(row.text), csv.field_size_limit()))
        try:
            cells = next(csv.reader(io.StringIO(row.text, newline=""), strict=True), [])
        except csv.Error as error:  # a quote left open to the end of the file: damaged
            if "end of data" in str(error):
                return "error"
            cells = next(csv.reader(io.StringIO(row.text, newline="")), [])
        finally:
            csv.field_size_limit(limit)
        cells = [*cells, *[""] * (self.width - len(cells))]
        self.rows.append([cells[position] for position in self.types])
        return "skip"

    def take(self) -> Iterator[Chunk]:
        """The rows kept since the last call, as one chunk (none if there were none)."""
        rows, self.rows = self.rows, []
        if rows:
            columns = zip(*rows, strict=True)
            typed = zip(self.types.items(), columns, strict=True)
            yield {position: pa.array(cells, pa.string()).cast(kind) for (position, kind), cells in typed}


def _csv_blocks(path: Path, start: int, encoding: str, width: int, found: dict[int, str]) -> Iterator[Chunk]:
    """The cells below the header as text, one block (``BLOCK_BYTES``) at a time; text that is not a
    number comes dictionary-encoded (dates, campaigns and channels repeat)."""
    names = [str(position) for position in range(width)]  # duplicate header names stay apart
    types = {p: pa.string() if found.get(p) in NUMBERS else pa.dictionary(pa.int32(), pa.string())
             for p in _wanted(found)}  # fmt: skip
    loose = _LooseRows(width, types)
    with pa.OSFile(str(path)) as handle:  # reads into Arrow's memory, not fresh Python bytes
        handle.seek(start)
        reader = pa_csv.open_csv(
            handle,
            # pyarrow reads UTF-8 natively; GB18030 it transcodes through Python's codec (slower)
            read_options=pa_csv.ReadOptions(
                column_names=names, block_size=BLOCK_BYTES, use_threads=False,
                encoding="utf8" if encoding.startswith("utf-8") else encoding,
            ),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, invalid_row_handler=loose),
            convert_options=pa_csv.ConvertOptions(
                include_columns=[str(p) for p in types], column_types={str(p): t for p, t in types.items()},
            ),
        )  # fmt: skip
        for batch in reader:
            yield {p: batch.column(str(p)) for p in types}
            yield from loose.take()
        yield from loose.take()


def _read_ahead(items: Generator[Chunk]) -> Generator[Chunk]:
    """``items`` made on a thread of their own, one ahead: pyarrow parses the next block while this
    thread turns the last one into numbers (both release the GIL for their work)."""
    handoff: queue.Queue = queue.Queue(maxsize=1)
    stopped = threading.Event()

    def make() -> None:
        try:
            for item in items:
                handoff.put((item, None))
                if stopped.is_set():  # before reading another block
                    return
            handoff.put((None, None))
        except BaseException as error:  # re-raised where the items are used
            handoff.put((None, error))
        finally:
            items.close()

    maker = threading.Thread(target=make, name="dyplan-csv-reader", daemon=True)
    maker.start()
    try:
        while True:
            item, error = handoff.get()
            if error is not None:
                raise error
            if item is None:
                return
            yield item
    finally:  # also when the user of the items stops early: let the maker finish and close the file
        stopped.set()
        while maker.is_alive():
            with contextlib.suppress(queue.Empty):
                handoff.get(timeout=0.05)


def _csv_chunks(path: Path) -> Layout:
    encoding, text = _decode_head(path)
    lines = _first_lines(text)
    number, columns, found = _layout(path, lines)
    start = _data_start(text, number, encoding)
    return columns, found, _read_ahead(_csv_blocks(path, start, encoding, len(lines[number]), found))


def _xlsx_chunks(path: Path) -> Layout:
    from python_calamine import CalamineError, CalamineWorkbook

    from dyplan.files.safety import check_archive

    check_archive(path, max_unpacked=2 * 1024**3)  # a year of campaign rows unpacks to ~0.5 GB
    try:  # a zip that is not a workbook, or a damaged sheet
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
        head = [next(rows, []) for _ in range(HEADER_SEARCH_LINES)]
    except CalamineError as error:
        raise _damaged(path, error) from error
    number, columns, found = _layout(path, head)

    def chunk(cells: list[list[object]]) -> Chunk:
        frame = pd.DataFrame(cells)
        return {p: frame[p] for p in _wanted(found)}

    def chunks() -> Generator[Chunk]:
        pending = [r for r in head[number + 1 :] if r]  # [] pads a sheet shorter than the search
        try:
            for row in rows:
                pending.append(row)
                if len(pending) >= CHUNK_ROWS:
                    yield chunk(pending)
                    pending = []
        except CalamineError as error:
            raise _damaged(path, error) from error
        if pending:
            yield chunk(pending)

    return columns, found, chunks()


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
    rows, mixes, read, skipped = _Rows(), [], 0, 0
    try:
        columns, found, chunks = _csv_chunks(path) if suffix == ".csv" else _xlsx_chunks(path)
        pool = ThreadPoolExecutor(os.cpu_count(), thread_name_prefix="dyplan-numbers")
        # Closed also on an error: the reading thread stops and the file is let go at once
        with contextlib.closing(chunks), pool:
            for chunk in chunks:
                mix, dropped = _normalise_chunk(chunk, found, rows, pool)
                mixes += mix
                read += len(chunk[0])
                skipped += dropped
                if progress:
                    progress(read)
    except (pa.ArrowInvalid, UnicodeDecodeError, ValueError, csv.Error) as error:
        raise _damaged(path, error) from error
    if not rows.held:
        raise ReportFormatError(f"{path.name}：没有可用的数据行。", f"{path.name}: no usable data rows.")
    return Report(path, rows.frame(), _sum_mix(mixes), read_rows=read, skipped_rows=skipped, columns=columns)
