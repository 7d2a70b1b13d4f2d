"""Read Qianchuan / Ocean Engine report exports as users download them (PLANNING_RULES §8).

CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX; Chinese headers with the platform's usual
names and common variants; cells like "1.2%", "¥1,234.50", "1,234", "-", "--" or blank; title
lines above the header; a 合计 (total) row; several campaigns per day. Large files are read
in chunks and aggregated as they come, so memory stays bounded by the distinct
(date, campaign, channel) keys, not by the rows.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from dyplan.errors import DyplanError
from dyplan.model.tracking import COUNTS, MIX_COLUMNS, MIX_INDICATORS, UNKNOWN_CHANNEL

CHUNK_ROWS = 200_000
#: Bytes pyarrow parses at a time; a CSV row must fit in one block (a 1 MB campaign name does).
BLOCK_BYTES = 16 * 1024**2
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


#: What exports write around a number: separators, currency, unit, percent sign, spaces. Spelled
#: out rather than ``\s`` so that pandas' pyarrow strings run it natively, not cell by cell.
NUMBER_NOISE = "[,¥￥元% \t\u00a0\u2009\u202f\u3000]"


def clean_numbers(values: pd.Series) -> pd.Series:
    """Numbers as exports write them: "1.2%" → 0.012, "¥1,234.50" → 1234.5, "-"/"--"/"" → NaN."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    text = values.astype("string").str.strip()
    percent = text.str.endswith("%", na=False)
    numbers = _common_numbers(text)
    if numbers is None:
        cleaned = text.str.replace(NUMBER_NOISE, "", regex=True)
        numbers = _floats(cleaned.where(~cleaned.isin(["-", "--", ""])))
    return numbers.where(~percent, numbers / 100).astype(float)


def _common_numbers(text: pd.Series) -> pd.Series | None:
    """The usual column, several times faster than the regular expression: remove literally the
    noise seen in its first cells; if Arrow then casts every cell, no noise was left (a noise
    character fails the cast) and the result is the regular expression's. Else None."""
    cells = pa.chunked_array(pa.array(text.array)).combine_chunks()
    seen = "".join(cells.slice(0, 1000).drop_null().to_pylist())
    for noise in (c for c in NUMBER_NOISE[1:-1] if c in seen):
        cells = pc.replace_substring(cells, noise, "")
    dash = pc.or_(pc.equal(cells, "-"), pc.or_(pc.equal(cells, "--"), pc.equal(cells, "")))
    try:
        numbers = pc.cast(pc.if_else(dash, None, cells), pa.float64())
    except pa.ArrowInvalid:
        return None
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=text.index)


def _floats(text: pd.Series) -> pd.Series:
    """Text as floats: Arrow's cast when it takes every cell (what it reads, float() reads alike),
    else float() per cell ("1_000", "１２"), else to_numeric, which makes the other cells NaN."""
    for cast in (lambda t: t.astype("Float64").astype(float), lambda t: t.astype(float)):
        try:
            return cast(text)
        except (ValueError, TypeError):  # ArrowInvalid is a ValueError
            pass
    return pd.to_numeric(text, errors="coerce")


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


def per_distinct(
    values: pd.Series, convert: Callable[[object], object], missing: object, dtype: str | type
) -> np.ndarray:
    """``convert`` applied once per distinct value: exports repeat dates, names and channels."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.array([*(convert(v) for v in uniques), missing], dtype=dtype)
    return table[codes]  # code -1 (a missing cell) picks ``missing``, the table's last entry


def _datetime64(value: object) -> np.datetime64:
    day = parse_date(value)
    return np.datetime64(day, "D") if day else np.datetime64("NaT")


def clean_dates(values: pd.Series) -> pd.Series:
    """Dates as exports write them (see ``parse_date``); anything else is NaT."""
    parsed = per_distinct(values, _datetime64, np.datetime64("NaT"), "datetime64[ns]")
    return pd.Series(parsed, index=values.index)


def _text(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


def cell_text(values: pd.Series) -> pd.Series:
    """Cells as text, stripped; a whole number from an XLSX cell as typed (1745001, not 1745001.0)."""
    return pd.Series(per_distinct(values, _text, "", object), index=values.index, dtype="string")


def is_total(values: pd.Series) -> np.ndarray:
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
    """Integer codes for text shared by every chunk: chunks are grouped on integers, which is much
    cheaper than grouping Python strings, and the text is put back once, at the end."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.array([self.codes.setdefault(t, len(self.codes)) for t in texts], dtype=np.int64)

    def in_order(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``codes`` renumbered so that their order is their text's, and the text per new code."""
        texts = np.array(list(self.codes), dtype=object)
        order = np.argsort(texts, kind="stable")
        rank = np.empty(len(texts), dtype=np.int64)
        rank[order] = np.arange(len(texts))
        return rank[codes], texts[order]


def _distinct_text(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each cell's index into the cells' distinct texts (``cell_text``, made once per distinct
    cell), and those texts; the last one, "", is a missing cell's."""
    local, uniques = pd.factorize(values, use_na_sentinel=True)
    return local, [*(_text(v) for v in uniques), ""]


def _day_objects(days: np.ndarray) -> np.ndarray:
    """datetime64[ns] days as ``datetime.date`` objects, made once per distinct day."""
    local, uniques = pd.factorize(days)
    return pd.Series(uniques).dt.date.to_numpy()[local]


def _normalise_chunk(
    chunk: pd.DataFrame, found: dict[int, str], campaigns: _Codes, channels: _Codes
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Turn raw cells into typed rows aggregated per key, the spend mix, and the rows dropped.

    ``chunk``'s columns are the header positions; ``found`` maps the recognised ones to fields.
    The rows' keys are codes: the date as datetime64[ns] integers, campaign and channel as codes
    of ``campaigns`` and ``channels`` (``_decode_keys`` turns them back).
    """
    columns = {name: position for position, name in found.items()}
    days = clean_dates(chunk[columns["date"]]).to_numpy()
    data = pd.DataFrame({"date": days.view(np.int64)}, index=chunk.index)
    # The 合计 row: its label in the first column, or in the campaign column beside a date.
    totals = is_total(chunk[0])
    if "campaign" in columns:
        local, texts = _distinct_text(chunk[columns["campaign"]])
        data["campaign"] = campaigns.encode(texts)[local]
        totals |= np.array([bool(TOTAL_ROW.match(t)) for t in texts])[local]
    else:
        data["campaign"] = campaigns.encode([""])[0]
    if "channel" in columns:
        local, texts = _distinct_text(chunk[columns["channel"]])
        data["channel"] = channels.encode([_channel(t) for t in texts])[local]
    else:
        data["channel"] = channels.encode([_channel("")])[0]
    for name in (*COUNTS, "roi", "conversion_cost"):
        data[name] = clean_numbers(chunk[columns[name]]) if name in columns else np.nan
    # Derive a count the export left out from the rate it gave: GMV = ROI × spend,
    # conversions = spend ÷ cost. A count column, even blank, is never second-guessed by a rate
    # (which is why ``found`` holds a rate only when its count's column is absent).
    if "gmv" not in columns:
        data["gmv"] = data["roi"] * data["spend"]
    if "conversions" not in columns:
        data["conversions"] = data["spend"] / data["conversion_cost"]
    keep = ~np.isnat(days) & ~totals
    data = data[keep]
    rows = data.groupby(list(KEYS), sort=False)[list(COUNTS)].sum(min_count=1).reset_index()
    dimensions = [dimension for dimension in MIX_INDICATORS if dimension in columns]
    dates = _day_objects(days[keep]) if dimensions else None
    mixes = [
        pd.DataFrame({"date": dates, "dimension": dimension,
                      "bucket": cell_text(chunk.loc[keep, columns[dimension]]), "spend": data["spend"]},
                     index=data.index)
        for dimension in dimensions
    ]  # fmt: skip
    return rows, _sum_mix(mixes), int((~keep).sum())


def _decode_keys(rows: pd.DataFrame, campaigns: _Codes, channels: _Codes) -> pd.DataFrame:
    """Rows aggregated per coded key, summed per key in order of (date, campaign, channel) text,
    with the keys as dates and text. Columns are replaced in place: the rows are the year's."""
    rows["campaign"], campaign_texts = campaigns.in_order(rows["campaign"].to_numpy())
    rows["channel"], channel_texts = channels.in_order(rows["channel"].to_numpy())
    rows = rows.groupby(list(KEYS), sort=True)[list(COUNTS)].sum(min_count=1).reset_index()
    rows["date"] = _day_objects(rows["date"].to_numpy().view("datetime64[ns]"))
    rows["campaign"] = pd.array(campaign_texts[rows["campaign"]], dtype="string")
    rows["channel"] = channel_texts[rows["channel"]]
    return rows


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


#: Header → (field → the header cell it came from, position → field, chunks of raw cells
#: whose columns are the header positions).
Layout = tuple[dict[str, str], dict[int, str], Iterator[pd.DataFrame]]


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
    batch is read (the reader runs on one thread), then appended to it."""

    def __init__(self, width: int, wanted: list[int]) -> None:
        self.width, self.wanted, self.rows = width, wanted, []

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
        self.rows.append([cells[position] for position in self.wanted])
        return "skip"

    def take(self) -> pa.Table | None:
        rows, self.rows = self.rows, []
        if not rows:
            return None
        columns = zip(*rows, strict=True)
        return pa.table({str(p): pa.array(c, pa.string()) for p, c in zip(self.wanted, columns, strict=True)})


def _csv_tables(path: Path, start: int, encoding: str, width: int, wanted: list[int]) -> Iterator[pa.Table]:
    """The cells below the header as text, ``CHUNK_ROWS`` rows at a time, columns named by position
    (duplicate header names stay apart)."""
    names = [str(position) for position in range(width)]
    loose = _LooseRows(width, wanted)
    with open(path, "rb") as handle:
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
                include_columns=[str(p) for p in wanted], column_types=dict.fromkeys(names, pa.string()),
            ),
        )  # fmt: skip
        pending: list[pa.Table] = []
        for batch in reader:
            pending.append(pa.Table.from_batches([batch]))
            if (extra := loose.take()) is not None:
                pending.append(extra)
            table = pa.concat_tables(pending)
            while table.num_rows >= CHUNK_ROWS:
                yield table.slice(0, CHUNK_ROWS)
                table = table.slice(CHUNK_ROWS)
            pending = [table]
        if (extra := loose.take()) is not None:
            pending.append(extra)
        if (table := pa.concat_tables(pending)).num_rows:
            yield table


def _csv_chunks(path: Path) -> Layout:
    encoding, text = _decode_head(path)
    lines = _first_lines(text)
    number, columns, found = _layout(path, lines)
    wanted = sorted(set(found) | {0})
    start = _data_start(text, number, encoding)
    tables = _csv_tables(path, start, encoding, len(lines[number]), wanted)
    return columns, found, (table.to_pandas().set_axis(wanted, axis=1) for table in tables)


def _xlsx_chunks(path: Path) -> Layout:
    from python_calamine import CalamineError, CalamineWorkbook

    from dyplan.book.xlsx_file import check_archive

    check_archive(path, max_unpacked=2 * 1024**3)  # a year of campaign rows unpacks to ~0.5 GB
    try:  # a zip that is not a workbook, or a damaged sheet
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
        head = [next(rows, []) for _ in range(HEADER_SEARCH_LINES)]
    except CalamineError as error:
        raise _damaged(path, error) from error
    number, columns, found = _layout(path, head)

    def chunks() -> Iterator[pd.DataFrame]:
        pending = [r for r in head[number + 1 :] if r]  # [] pads a sheet shorter than the search
        try:
            for row in rows:
                pending.append(row)
                if len(pending) >= CHUNK_ROWS:
                    yield pd.DataFrame(pending)
                    pending = []
        except CalamineError as error:
            raise _damaged(path, error) from error
        if pending:
            yield pd.DataFrame(pending)

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
    try:
        columns, found, chunks = _csv_chunks(path) if suffix == ".csv" else _xlsx_chunks(path)
        parts, mixes, read, skipped = [], [], 0, 0
        campaigns, channels = _Codes(), _Codes()
        for chunk in chunks:
            rows, mix, dropped = _normalise_chunk(chunk, found, campaigns, channels)
            parts.append(rows)
            mixes.append(mix)
            read += len(chunk)
            skipped += dropped
            if progress:
                progress(read)
    except (pa.ArrowInvalid, UnicodeDecodeError, ValueError, csv.Error) as error:
        raise _damaged(path, error) from error
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if rows.empty:
        raise ReportFormatError(f"{path.name}：没有可用的数据行。", f"{path.name}: no usable data rows.")
    rows = _decode_keys(rows, campaigns, channels)
    return Report(path, rows, _sum_mix(mixes), read_rows=read, skipped_rows=skipped, columns=columns)
