"""A CSV report's cells: its first lines to find the header in, then the cells below it, block by block.

UTF-8 (with or without BOM) or GB18030. pyarrow parses each block (``BLOCK_BYTES``), for a report of
more than one on a thread of its own while the caller turns the last one into numbers; rows whose
cell count is not the header's are read as pandas reads them.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import queue
import threading
from collections.abc import Generator, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from dyplan.reports.cleaning import ROW_NUMBERS, Chunk
from dyplan.reports.errors import ReportFormatError

#: Bytes pyarrow parses at a time (a CSV chunk); a CSV row must fit in one (a 1 MB plan name does).
BLOCK_BYTES = 8 * 1024**2
#: The longest rest of a file under its header that is checked for being line ends alone.
_BLANK_TAIL = 64


class CsvSource:
    """The report at ``path``; ``lines``: its first ``head`` lines, as cells."""

    def __init__(self, path: Path, head: int) -> None:
        self.path = path
        self.encoding, self.text = decode_head(path)
        self.lines: list[list[object]] = _first_lines(self.text, head)

    def chunks(self, header: int, wanted: dict[int, bool]) -> Generator[Chunk]:
        """The cells below line ``header``, of the positions ``wanted`` (→ read as a number?)."""
        start = _data_start(self.text, header, self.encoding)
        width = len(self.lines[header])
        blocks = _csv_blocks(self.path, start, self.encoding, width, wanted)
        # one block has nothing to overlap with: a thread would only cost its start and handoff
        return _read_ahead(blocks) if self.path.stat().st_size - start > BLOCK_BYTES else blocks


def _first_lines(text: str, count: int) -> list[list[object]]:
    """The first CSV lines of ``text``; a cell may be as long as the text (a 1 MB campaign name)."""
    limit = csv.field_size_limit(max(len(text), csv.field_size_limit()))
    try:
        return list(itertools.islice(csv.reader(io.StringIO(text)), count))
    finally:
        csv.field_size_limit(limit)


def decode_head(path: Path) -> tuple[str, str]:
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
    short rows padded with "", long rows cut, blank lines skipped (a footer such as
    "数据来源：巨量千川" is a row without a date, not a damaged file). Kept until their block's
    batch is read (the reader parses one block at a time), then follow it as a chunk of their own.
    pyarrow numbers the rows from 1 below the header, blank lines too, so a row's number is its line
    below the header (unless a quoted cell spans lines)."""

    def __init__(self, width: int, types: dict[int, pa.DataType]) -> None:
        self.width, self.types, self.rows = width, types, []
        self.taken: list[int] = []  # the numbers of the rows taken out of the batch being read
        self.kept: list[int] = []  # the numbers of ``rows``
        self.first, self.yielded = 1, 0  # the next batch's first number; rows yielded so far

    def __call__(self, row: pa_csv.InvalidRow) -> str:
        self.taken.append(row.number)
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
        self.kept.append(row.number)
        return "skip"

    def batch(self, batch: pa.RecordBatch) -> Iterator[Chunk]:
        """A batch as a chunk, then the rows kept from it as one chunk (none if there were none). The
        batch's rows are numbered when they are not the ones after the rows yielded so far."""
        chunk: Chunk = {p: batch.column(str(p)) for p in self.types}
        span = batch.num_rows + len(self.taken)
        if self.first != self.yielded + 1 or self.taken:
            span_numbers = np.arange(self.first, self.first + span)
            chunk[ROW_NUMBERS] = np.setdiff1d(span_numbers, self.taken, assume_unique=True)
        self.first += span
        self.yielded += batch.num_rows
        yield chunk
        yield from self.take()

    def take(self) -> Iterator[Chunk]:
        """The rows kept since the last call, as one chunk (none if there were none)."""
        rows, numbers, self.rows, self.kept, self.taken = self.rows, self.kept, [], [], []
        self.yielded += len(rows)
        if rows:
            columns = zip(*rows, strict=True)
            typed = zip(self.types.items(), columns, strict=True)
            chunk: Chunk = {p: pa.array(cells, pa.string()).cast(kind) for (p, kind), cells in typed}
            yield chunk | {ROW_NUMBERS: np.array(numbers)}


def _csv_blocks(
    path: Path, start: int, encoding: str, width: int, wanted: dict[int, bool]
) -> Generator[Chunk]:
    """The cells below the header as text, one block (``BLOCK_BYTES``) at a time; text that is not a
    number comes dictionary-encoded (dates, keys and channels repeat)."""
    names = [str(position) for position in range(width)]  # duplicate header names stay apart
    types = {p: pa.string() if number else pa.dictionary(pa.int32(), pa.string())
             for p, number in sorted(wanted.items())}  # fmt: skip
    loose = _LooseRows(width, types)
    with pa.OSFile(str(path)) as handle:  # reads into Arrow's memory, not fresh Python bytes
        handle.seek(start)
        rest = handle.size() - start
        # nothing but a line end or two under the header: no rows (pyarrow calls that an empty file,
        # which would read as damaged; a longer blank tail it reads as blank rows, skipped as usual)
        if rest <= _BLANK_TAIL and not handle.read().strip():
            return
        handle.seek(start)
        # a block as big as the rest of the file where that is less (twice: GB18030 grows as UTF-8):
        # a weekly report of a few kB then takes a few kB, not a whole block's buffer
        block = min(BLOCK_BYTES, 2 * (handle.size() - start) + 4096)
        reader = pa_csv.open_csv(
            handle,
            # pyarrow reads UTF-8 natively; GB18030 it transcodes through Python's codec (slower)
            read_options=pa_csv.ReadOptions(
                column_names=names, block_size=block, use_threads=False,
                encoding="utf8" if encoding.startswith("utf-8") else encoding,
            ),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, invalid_row_handler=loose,
                                            ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                include_columns=[str(p) for p in types], column_types={str(p): t for p, t in types.items()},
            ),
        )  # fmt: skip
        for batch in reader:
            yield from loose.batch(batch)
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
                handoff.get_nowait()
            maker.join(timeout=0.01)  # returns as soon as the maker ends (it may be just closing)
