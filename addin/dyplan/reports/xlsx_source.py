"""An XLSX report's cells, read by calamine: its first rows to find the header in, then the rest in
chunks of ``CHUNK_ROWS``. The archive is checked first (workbooks are untrusted)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from dyplan.files.safety import check_archive
from dyplan.reports.cleaning import Chunk
from dyplan.reports.errors import damaged

#: XLSX rows read at a time.
CHUNK_ROWS = 200_000
#: A year of plan rows unpacks to about 0.5 GB.
MAX_UNPACKED = 2 * 1024**3


class XlsxSource:
    """The first sheet of the workbook at ``path``; ``lines``: its first ``head`` rows."""

    def __init__(self, path: Path, head: int) -> None:
        self.path = path
        check_archive(path, max_unpacked=MAX_UNPACKED)
        try:  # a zip that is not a workbook, or a damaged sheet
            self.rows: Iterator[list[object]] = (
                CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
            )
            self.lines: list[list[object]] = [next(self.rows, []) for _ in range(head)]
        except CalamineError as error:
            raise damaged(path, error) from error

    def chunks(self, header: int, wanted: dict[int, bool]) -> Generator[Chunk]:
        """The cells below row ``header``, of the positions ``wanted``, as pandas columns."""
        pending = [r for r in self.lines[header + 1 :] if r]  # [] pads a sheet shorter than the head
        try:
            for row in self.rows:
                pending.append(row)
                if len(pending) >= CHUNK_ROWS:
                    yield _chunk(pending, wanted)
                    pending = []
        except CalamineError as error:
            raise damaged(self.path, error) from error
        if pending:
            yield _chunk(pending, wanted)


def _chunk(cells: list[list[object]], wanted: dict[int, bool]) -> Chunk:
    """The wanted columns as object columns: calamine's rows are one width (its sheet's), and
    cells keep their types (no string inference over mixed columns, 2–3× the time)."""
    table = np.array(cells, dtype=object).reshape(len(cells), -1)
    blank = np.full(len(cells), None, dtype=object)
    return {p: pd.Series(table[:, p] if p < table.shape[1] else blank, dtype=object) for p in wanted}
