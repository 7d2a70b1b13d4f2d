"""Read a platform's report export as users download it (PLANNING_RULES §8): ``read_report``.

The header is found once here, whatever holds the cells (``csv_source``, ``xlsx_source``): the
first line of the first 30 that names a date and a spend column. Each row is cleaned
(``cleaning``), given its source and channel, and summed per (date, source, channel) (``keyed``).
What the reader recognised, and every cell it could not read, is kept for the summary.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Generator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa

from dyplan.model import COUNTS, MIX_COLUMNS, MIX_INDICATORS, UNKNOWN_CHANNEL
from dyplan.reports.cleaning import (
    BAD_DAY,
    NO_DAY,
    ROW_NUMBERS,
    Chunk,
    cell_text,
    clean_dates,
    clean_numbers,
    day_objects,
    distinct_text,
    is_total,
)
from dyplan.reports.csv_source import CsvSource
from dyplan.reports.errors import ReportFormatError, damaged
from dyplan.reports.fields import (
    ALIASES,
    DERIVES,
    MEASURES,
    MONEY,
    NUMBERS,
    REQUIRED,
    TOTAL_ROW,
    UNITS,
    Kind,
    match_columns,
    report_kind,
    row_channel,
    unrecognised,
)
from dyplan.reports.keyed import Rows, pack, per_combination, source_codes
from dyplan.reports.xlsx_source import XlsxSource

HEADER_SEARCH_LINES = 30
#: Cells of one kind of problem named in the summary (the rest are counted).
EXAMPLES = 5
#: How a unit's text begins, by the column it came from: a plan and an ad group never share a key.
UNIT_LABELS = {"plan": "计划", "group": "广告组", "material": "素材"}


@dataclass
class Cells:
    """Cells of one kind of problem: how many, and the first few as (data row, text)."""

    count: int = 0
    first: list[tuple[int, str]] = field(default_factory=list)

    def add(self, rows: np.ndarray, texts: Callable[[int], str], numbers: np.ndarray) -> None:
        """``rows`` of a chunk whose data-row numbers are ``numbers``."""
        self.count += len(rows)
        for row in rows[: max(0, EXAMPLES - len(self.first))]:
            self.first.append((int(numbers[row]), texts(int(row))))

    def __str__(self) -> str:
        shown = "、".join(f"{row}: {text!r}" for row, text in self.first)
        return f"{self.count}（{shown}{' …' if self.count > len(self.first) else ''}）"


@dataclass
class Report:
    """One report file, summed per (date, source, channel), and what reading it found.

    ``rows``: date, channel, the source (account, author, product, unit), then ``MEASURES``: NaN
    where the report has no such column (unknown), 0 for its blank cells (exports write "-" for none).
    ``mix`` splits spend by time slot or device per date.
    Data rows are counted from 1 under the header: the file's row is ``header_row`` + that number.
    """

    path: Path
    kind: Kind
    rows: pd.DataFrame
    mix: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MIX_COLUMNS)))
    columns: dict[str, str] = field(default_factory=dict)  # field → the header it was read from
    derived: dict[str, str] = field(default_factory=dict)  # measure → the header it was derived from
    unread_headers: list[str] = field(default_factory=list)
    header_row: int = 1
    read_rows: int = 0
    skipped_rows: int = 0  # total rows and rows without a date
    bad_dates: Cells = field(default_factory=Cells)
    unreadable: dict[str, Cells] = field(default_factory=dict)  # field → its unreadable cells
    dateless: Cells = field(default_factory=Cells)  # rows with numbers and a blank date: their spend

    @property
    def missing(self) -> list[str]:
        """The six counts this report has no column for (unknown, never zero); the other measures are
        optional, shown only where read."""
        return [m for m in COUNTS if m not in self.columns and m not in self.derived]

    @property
    def negative_spend(self) -> pd.Series:
        """Which rows an import leaves out: a negative spend (a refund booked against spend) is not
        delivery; the summary names them, and their GMV is not counted either."""
        return self.rows["spend"] < 0

    @property
    def unchannelled_spend(self) -> float:
        """Spend of rows no column (nor the report's kind) gives a channel."""
        return float(self.rows.loc[self.rows["channel"] == UNKNOWN_CHANNEL, "spend"].sum())


class Source(Protocol):
    lines: list[list[object]]

    def chunks(self, header: int, wanted: dict[int, bool]) -> Generator[Chunk]: ...


@dataclass(frozen=True)
class Layout:
    """Where the header is and what its columns are."""

    header: int  # the header's line, 0-based among the first lines
    kind: Kind
    found: dict[int, str]  # position → field, of the columns read
    columns: dict[str, str]  # field → header cell
    derived: dict[str, str]  # measure → the rate's header cell it comes from
    unread: list[str]

    def wanted(self) -> dict[int, bool]:
        """The positions read (→ as numbers?): the fields found, and the first column, where a 合计
        label sits."""
        return {0: False} | {p: name in NUMBERS for p, name in self.found.items()}


def layout(path: Path, lines: list[list[object]]) -> Layout:
    number, found = _find_header(path, lines)
    header = lines[number]
    fields = set(found.values())
    columns = {name: str(header[p]).strip() for p, name in found.items()}
    derived = {DERIVES[rate][0]: columns[rate] for rate in DERIVES
               if rate in fields and DERIVES[rate][0] not in fields}  # fmt: skip
    used = {p: name for p, name in found.items() if name not in DERIVES or DERIVES[name][0] in derived}
    columns = {name: text for name, text in columns.items() if name not in DERIVES}
    return Layout(number, report_kind(header, found, path.name), used, columns, derived,
                  unrecognised(header, found))  # fmt: skip


def _find_header(path: Path, lines: list[list[object]]) -> tuple[int, dict[int, str]]:
    """The first line that names the required columns, and what it names."""
    best: tuple[int, dict[int, str]] = (0, {})
    for number, line in enumerate(lines):
        found = match_columns(line)
        if _names_required(found):
            return number, found
        if len(found) > len(best[1]):
            best = (number, found)
    number, found = best
    seen = [str(c) for c in (lines[number] if lines else []) if str(c or "").strip()]
    missing = [f for f in REQUIRED if f not in found.values()]
    need = {f: ALIASES[f][0] for f in missing}
    raise ReportFormatError(
        f"{path.name}：无法识别报表格式。找到的列：{'、'.join(seen[:30]) or '（无）'}；"
        f"缺少必需列：{'、'.join(need.values())}（{'/'.join(ALIASES['spend'][:4])} 等写法均可）。",
        f"{path.name}: unknown report layout. Columns found: {', '.join(seen[:30]) or '(none)'}; "
        f"missing required: {', '.join(missing)} (e.g. {', '.join(need.values())}).",
    )


def _names_required(found: dict[int, str]) -> bool:
    return set(REQUIRED) <= set(found.values())


def _holds_header(lines: list[list[object]]) -> bool:
    return any(_names_required(match_columns(line)) for line in lines)


class _Reading:
    """What reading the chunks has found so far."""

    def __init__(self, layout: Layout, pool: Executor) -> None:
        self.layout, self.pool = layout, pool
        self.columns = {name: position for position, name in layout.found.items()}
        self.rows, self.mixes = Rows(), []
        self.read = self.skipped = 0
        self.bad_dates, self.unreadable, self.dateless = Cells(), {}, Cells()

    def add(self, chunk: Chunk) -> None:
        """Add a chunk's rows as keys and numbers (number columns cleaned on ``pool``: Arrow releases
        the GIL, while this thread makes the keys)."""
        columns, size = self.columns, len(chunk[0])
        lines = chunk.get(ROW_NUMBERS)
        if lines is None:
            lines = np.arange(self.read + 1, self.read + 1 + size)
        cleaning = {n: self.pool.submit(clean_numbers, chunk[columns[n]]) for n in NUMBERS if n in columns}
        days = clean_dates(chunk[columns["date"]])
        totals = is_total(chunk[0]) | is_total(chunk[columns["date"]])
        parts, unit_totals = self._source_parts(chunk)
        totals |= unit_totals
        source = source_codes(parts, size, self.rows.sources)
        channel = self._channels(chunk, size)
        numbers = {}
        for name in NUMBERS:
            if name not in cleaning:
                numbers[name] = np.full(size, np.nan)
                continue
            numbers[name], unreadable = cleaning[name].result()
            rows = np.flatnonzero(unreadable & ~totals)
            if len(rows):
                cells = chunk[columns[name]]
                self.unreadable.setdefault(name, Cells()).add(rows, lambda i, c=cells: _shown(c, i), lines)
        _derive(numbers, self.layout)
        for name in MEASURES:  # a blank cell of a column the report has is a zero ("-" for no sale)
            if name in self.layout.columns or name in self.layout.derived:
                numbers[name] = np.where(np.isnan(numbers[name]), 0.0, numbers[name])
        bad = np.flatnonzero((days == BAD_DAY) & ~totals)
        if len(bad):
            self.bad_dates.add(bad, lambda i, c=chunk[columns["date"]]: _shown(c, i), lines)
        blank = (days == NO_DAY) & ~totals  # a footer has no numbers; a row of spend does
        carries = np.any([np.nan_to_num(numbers[name]) != 0 for name in MEASURES], axis=0)
        dateless = np.flatnonzero(blank & carries)
        if len(dateless):
            self.dateless.add(dateless, lambda i, c=chunk[columns["spend"]]: _shown(c, i), lines)
        keep = (days != NO_DAY) & (days != BAD_DAY) & ~totals
        dropped = size - int(np.count_nonzero(keep))
        kept = keep if dropped else slice(None)  # a slice takes views: no copies of the usual chunk
        self.rows.add({"key": pack(days[kept], source[kept], channel[kept]),
                       **{name: numbers[name][kept] for name in MEASURES}})  # fmt: skip
        self.read += size
        self.skipped += dropped
        dimensions = [dimension for dimension in MIX_INDICATORS if dimension in columns]
        if dimensions:
            dates = day_objects(days[kept])
            self.mixes.append(_sum_mix([
                pd.DataFrame({"date": dates, "dimension": dimension, "spend": numbers["spend"][kept],
                              "bucket": cell_text(chunk[columns[dimension]])[kept]})
                for dimension in dimensions
            ]))  # fmt: skip

    def _source_parts(self, chunk: Chunk) -> tuple[dict[str, tuple[np.ndarray, list[str]]], np.ndarray]:
        """(cell → distinct text) of each source part the report has, the unit from its finest column;
        and which rows are total rows by their unit's cell (a 合计 label in the plan column)."""
        parts = {}
        for name in ("account", "author", "product"):
            if name in self.columns:
                parts[name] = distinct_text(chunk[self.columns[name]])
        unit = next((u for u in UNITS if u in self.columns), None)
        if unit is None:
            return parts, np.zeros(len(chunk[0]), dtype=bool)
        local, texts = distinct_text(chunk[self.columns[unit]])
        parts["unit"] = (local, [f"{UNIT_LABELS[unit]} {t}" if t else "" for t in texts])
        return parts, np.array([bool(TOTAL_ROW.match(t)) for t in texts])[local]

    def _channels(self, chunk: Chunk, size: int) -> np.ndarray:
        """Each row's channel code, from its scene, goal and channel cells and the report's kind."""
        parts = {
            n: distinct_text(chunk[self.columns[n]])
            for n in ("scene", "goal", "channel")
            if n in self.columns
        }
        kind = self.layout.kind
        local, channels = per_combination(
            parts,
            size,
            lambda cell: row_channel(
                cell.get("scene", ""), cell.get("goal", ""), cell.get("channel", ""), kind
            ),
        )
        return self.rows.channels.encode(channels)[local]


def _shown(cells: object, row: int) -> str:
    value = cells[row]
    value = value.as_py() if hasattr(value, "as_py") else value
    return str(value)[:40]


def _derive(numbers: dict[str, np.ndarray], layout: Layout) -> None:
    """A measure the export left out, from the rate it gave: GMV = ROI × spend, conversions = spend ÷
    cost. A measure's own column, even blank, is never second-guessed by a rate."""
    with np.errstate(divide="ignore", invalid="ignore"):
        for rate, (amount, base, multiply) in DERIVES.items():
            if amount in layout.derived:
                numbers[amount] = numbers[rate] * numbers[base] if multiply else numbers[base] / numbers[rate]
                numbers[amount][~np.isfinite(numbers[amount])] = np.nan


def _sum_mix(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=list(MIX_COLUMNS))
    return pd.concat(parts).groupby(list(MIX_COLUMNS[:3]), sort=True)["spend"].sum().reset_index()


def read_report(
    path: Path, progress: Callable[[int], None] | None = None, allow_unreadable: bool = False
) -> Report:
    """Read one export into rows summed per (date, source, channel).

    ``progress`` is called with the number of raw rows read after each chunk. Raises
    ``ReportFormatError`` for a file it cannot use, naming what it found, and for a money column with
    cells it cannot read (unless ``allow_unreadable``: they then count as blank, named in the summary).
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
        source: Source = (
            CsvSource(path, HEADER_SEARCH_LINES)
            if suffix == ".csv"
            else XlsxSource(path, HEADER_SEARCH_LINES, _holds_header)
        )
        found = layout(path, source.lines)
        chunks = source.chunks(found.header, found.wanted())
        pool = ThreadPoolExecutor(os.cpu_count(), thread_name_prefix="dyplan-numbers")
        reading = _Reading(found, pool)
        # Closed also on an error: the reading thread stops and the file is let go at once
        with contextlib.closing(chunks), pool:
            for chunk in chunks:
                reading.add(chunk)
                if progress:
                    progress(reading.read)
    except (pa.ArrowInvalid, UnicodeDecodeError, csv.Error) as error:
        raise damaged(path, error) from error
    if not reading.rows.held:
        raise ReportFormatError(f"{path.name}：没有可用的数据行。", f"{path.name}: no usable data rows.")
    report = Report(
        path, found.kind, reading.rows.frame(), _sum_mix(reading.mixes), found.columns, found.derived,
        found.unread, found.header + 1, reading.read, reading.skipped, reading.bad_dates, reading.unreadable,
        reading.dateless,
    )  # fmt: skip
    _refuse_unreadable_money(report, allow_unreadable)
    return report


def _refuse_unreadable_money(report: Report, allow: bool) -> None:
    bad = {name: cells for name, cells in report.unreadable.items() if name in MONEY}
    if not bad or allow:
        return
    header = {**report.columns, **report.derived}
    listed = "；".join(f"「{header.get(name, name)}」{cells}" for name, cells in bad.items())
    raise ReportFormatError(
        f"{report.path.name}：金额列有无法识别的单元格（数据第几行: 内容）：{listed}。请修正后再导入；"
        "如确认这些单元格应视为空白，可加 --allow-unreadable 再导入。本次未导入任何内容。",
        f"{report.path.name}: money columns hold cells that cannot be read (data row: text): {listed}. "
        "Correct them and import again, or pass --allow-unreadable to count them as blank. Nothing "
        "was imported.",
    )
