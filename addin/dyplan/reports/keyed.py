"""Report rows summed per key (date, source, channel), in bounded memory however long the report.

A row's source is where its spend comes from: account, 抖音号, 商品 and unit (plan, ad group or
material), as far as the report names them. Texts are coded as integers as they come, keys packed
into one integer, and rows summed whenever many are held: memory stays bounded by the distinct keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from dyplan.reports.cleaning import EPOCH, day_objects
from dyplan.reports.fields import MEASURES

#: Keyed rows held before they are summed per key (about 130 bytes each).
SUM_ROWS = 2_000_000
#: The parts of a source, in the order a source's key (a tuple of their texts) holds them.
SOURCE = ("account", "author", "product", "unit")


class Codes:
    """Integer codes for texts (or tuples of them) shared by every chunk, in order of first appearance:
    rows are summed on integer keys, much cheaper than on Python strings, and the text is put back once."""

    def __init__(self) -> None:
        self.codes: dict[Hashable, int] = {}

    def encode(self, texts: Sequence[Hashable]) -> np.ndarray:
        return np.array([self.codes.setdefault(t, len(self.codes)) for t in texts], dtype=np.int64)

    def texts(self, codes: np.ndarray) -> pd.Series:
        """The text of ``codes`` as strings, made in Arrow (not one Python string per row)."""
        return pa.array(list(self.codes), pa.string()).take(pa.array(codes)).to_pandas()


#: A row's (date, source, channel) packed in one integer that orders as the key does: the day
#: (counted from year 1: below 2²²) above bit 40, the source's code (below 2³²) above bit 8, the
#: channel's code (one of a few) in the low byte.
DAY_BIT, SOURCE_BIT, FIRST_DAY = 40, 8, (dt.date(1, 1, 1) - EPOCH).days


def pack(days: np.ndarray, sources: np.ndarray, channels: np.ndarray) -> np.ndarray:
    return ((days - FIRST_DAY) << DAY_BIT) | (sources << SOURCE_BIT) | channels


def unpack(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (keys >> DAY_BIT) + FIRST_DAY, (keys >> SOURCE_BIT) & 0xFFFF_FFFF, keys & 0xFF


#: Rows as arrays: "key" (``pack``), then MEASURES.
KeyedRows = dict[str, np.ndarray]


def sum_per_key(rows: KeyedRows) -> KeyedRows:
    """One row per key, in the keys' order, each measure summed (NaN where every cell of a key was)."""
    keys = rows["key"]
    if np.all(keys[1:] > keys[:-1]):  # the usual export: day by day, each plan once a day
        return rows
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    starts = np.flatnonzero(np.diff(keys, prepend=-1))  # each key's first row
    summed = {"key": keys[starts]}
    for name in MEASURES:
        values = rows[name][order]
        known = ~np.isnan(values)
        total = np.add.reduceat(np.where(known, values, 0), starts)
        summed[name] = np.where(np.logical_or.reduceat(known, starts), total, np.nan)
    return summed


class Rows:
    """Keyed rows of every chunk, summed per key whenever twice as many as last time are held (at
    least ``SUM_ROWS``): memory stays bounded by the distinct keys, at linear cost."""

    def __init__(self) -> None:
        self.parts: list[KeyedRows] = []
        self.held, self.limit = 0, SUM_ROWS
        self.sources, self.channels = Codes(), Codes()

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
        return sum_per_key(joined)

    def frame(self) -> pd.DataFrame:
        """One row per (date, source, channel): by date, then in the order the report first lists
        sources and channels."""
        rows = self._summed()
        days, sources, channels = unpack(rows["key"])
        split = list(self.sources.codes) or [("",) * len(SOURCE)]
        by_part = {}
        for i, name in enumerate(SOURCE):  # as categories: a year's rows name a few thousand sources
            local, texts = pd.factorize(np.array([parts[i] for parts in split], dtype=object))
            by_part[name] = pd.Categorical.from_codes(local[sources], pd.Index(texts, dtype="string"))
        return pd.DataFrame({
            "date": day_objects(days),
            "channel": self.channels.texts(channels),
            **by_part,
            # Not copied, but made writable where still Arrow's read-only memory (a one-chunk report)
            **{name: np.require(rows[name], requirements="W") for name in MEASURES},
        }, copy=False)  # fmt: skip


def per_combination(
    parts: dict[str, tuple[np.ndarray, list[str]]], size: int, convert: Callable[[dict[str, str]], Hashable]
) -> tuple[np.ndarray, list[Hashable]]:
    """``convert`` applied once per distinct combination of the parts' cells (each part: cell → index
    into its distinct texts, and those texts): each row's index into the results, and the results."""
    if not parts:
        return np.zeros(size, dtype=np.int64), [convert({})]
    combination, first = _combinations(parts, size)
    texts = [convert({name: texts[local[row]] for name, (local, texts) in parts.items()}) for row in first]
    return combination, texts


def _combinations(parts: dict[str, tuple[np.ndarray, list[str]]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's code of its combination of the parts' cells, and a row of each combination, in
    code order."""
    combination = np.zeros(size, dtype=np.int64)
    for local, texts in parts.values():  # folded in one part at a time: the codes stay below ``size``
        combination, _ = pd.factorize(combination * len(texts) + local + 1)  # local -1 (no cell) → 0
    _, first = np.unique(combination, return_index=True)
    return combination, first


def source_codes(parts: dict[str, tuple[np.ndarray, list[str]]], size: int, codes: Codes) -> np.ndarray:
    """Each row's source code, from the (cell → distinct text) of each part the report has."""
    if not parts:
        return np.full(size, codes.encode([("",) * len(SOURCE)])[0], dtype=np.int64)
    combination, first = _combinations(parts, size)
    # the parts' texts of each combination, column by column (a large account: thousands per chunk);
    # a part the report lacks is ""; -1 (no cell) picks the last text, ""
    columns = [np.asarray(parts[name][1], dtype=object)[parts[name][0][first]] if name in parts
               else np.full(len(first), "", dtype=object) for name in SOURCE]  # fmt: skip
    return codes.encode(list(zip(*columns, strict=True)))[combination]
