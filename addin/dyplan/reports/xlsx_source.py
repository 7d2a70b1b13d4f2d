"""An XLSX report's cells, read by calamine: its first rows to find the header in, then the rest in
chunks of ``CHUNK_ROWS``. The archive is checked first (workbooks are untrusted).

The report is the one sheet whose first rows hold a report's header, wherever it sits (a 说明 page may
come first). Sheets of several reports are refused, never summed: one of them may total the others.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from dyplan.files.safety import check_archive
from dyplan.reports.cleaning import Chunk
from dyplan.reports.errors import ReportFormatError, damaged

#: XLSX rows read at a time.
CHUNK_ROWS = 200_000
#: A year of plan rows unpacks to about 0.5 GB.
MAX_UNPACKED = 2 * 1024**3


class XlsxSource:
    """The report's sheet of the workbook at ``path``, told by ``is_report`` among the visible
    worksheets; ``lines``: its first ``head`` rows (with no such sheet, the first sheet's, for the
    reader to say what it found)."""

    def __init__(self, path: Path, head: int, is_report: Callable[[list[list[object]]], bool]) -> None:
        self.path = path
        check_archive(path, max_unpacked=MAX_UNPACKED)
        try:  # a zip that is not a workbook, or a damaged sheet
            book = CalamineWorkbook.from_path(str(path))
            reports: list[str] = []
            chosen: tuple[Iterator[list[object]], list[list[object]]] | None = None
            first_lines: list[list[object]] | None = None
            for sheet in book.sheets_metadata:
                if sheet.typ is not SheetTypeEnum.WorkSheet or sheet.visible is not SheetVisibleEnum.Visible:
                    continue  # a chart, or a sheet the user cannot see
                # each sheet is read whole when opened: only the report's is kept while the rest are looked at
                rows = book.get_sheet_by_name(sheet.name).iter_rows()
                lines = [next(rows, []) for _ in range(head)]
                first_lines = lines if first_lines is None else first_lines
                if is_report(lines):
                    reports.append(sheet.name)
                    chosen = chosen or (rows, lines)
        except CalamineError as error:
            raise damaged(path, error) from error
        if len(reports) > 1:
            raise ReportFormatError(
                f"{path.name}：有 {len(reports)} 个工作表都是报表（{'、'.join(reports)}），dyplan 不会把它们"
                "相加（其中一个可能是其余的汇总）。请把每个工作表另存为单独的文件，再一起导入。本次未导入任何内容。",
                f"{path.name}: {len(reports)} sheets are reports ({', '.join(reports)}); dyplan does not add "
                "them up (one may total the others). Save each sheet as a file of its own and import them "
                "together. Nothing was imported.",
            )
        self.rows: Iterator[list[object]]
        self.rows, self.lines = chosen or (iter([]), first_lines or [])

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
