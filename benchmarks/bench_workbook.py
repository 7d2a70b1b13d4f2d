"""How fast are the workbook commands, next to the floor of the same work (openpyxl / XlsxWriter alone)?

Run: python benchmarks/bench_workbook.py
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter

from dyplan.book import contract as c
from dyplan.book.cells import Outputs
from dyplan.book.operations import build_template, export_file, new_workbook, regenerate_file
from dyplan.book.workbook import read_plan, write_outputs
from dyplan.book.xlsx_file import XlsxBook, open_book, write_atomically
from dyplan.demo import demo_inputs

TODAY = dt.date(2027, 3, 1)
REPEATS = 7


def measure(run: Callable[[Any], object], setup: Callable[[], Any] = lambda: None) -> list[float]:
    """Seconds per run, one warm-up first; ``setup`` prepares each run outside the timed region."""
    times = []
    for _ in range(REPEATS + 1):
        state = setup()
        started = time.perf_counter()
        run(state)
        times.append(time.perf_counter() - started)
    return times[1:]


def xlsxwriter_floor(out: Path, outputs: Outputs) -> None:
    """The output values at their contract positions, written by XlsxWriter with nothing else."""
    workbook = xlsxwriter.Workbook(out)
    sheets = {sheet.name: workbook.add_worksheet(sheet.name) for sheet in (*c.SHEETS, c.COVER)}
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        sheet, top, left = c.table_origin(table)
        for i, row in enumerate(outputs.tables[table.name]):
            sheets[sheet].write_row(top - 1 + i, left - 1, row)
    for name, value in outputs.cells.items():
        sheet, row, col = c.cell_of(name)
        sheets[sheet].write(row - 1, col - 1, value)
    workbook.close()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="dyplan-bench-"))
    demo, work, out = folder / "demo.xlsx", folder / "work.xlsx", folder / "out.xlsx"
    inputs = demo_inputs()
    new_workbook(demo, inputs)
    regenerate_file(demo, today=TODAY)  # full-size: every output block filled
    _, _, outputs = read_plan(open_book(demo), TODAY)
    size = demo.stat().st_size

    def fresh_copy() -> None:
        shutil.copyfile(demo, work)

    def opened() -> tuple[XlsxBook, Outputs]:
        book = open_book(demo)
        return book, read_plan(book, TODAY)[2]

    def written() -> XlsxBook:
        book, outs = opened()
        write_outputs(book, outs)
        fresh_copy()  # the save replaces a file of the same size, as regenerate's does
        return book

    def save(book: XlsxBook) -> None:
        write_atomically(work, book.save)

    def no_work() -> None:
        work.unlink(missing_ok=True)  # new_workbook refuses to overwrite

    def floor_regenerate(_: None) -> None:
        openpyxl.load_workbook(demo).save(out)

    def floor_export(_: None) -> None:
        """Export's own work at its floor: load the workbook, write the same cells."""
        openpyxl.load_workbook(demo)
        xlsxwriter_floor(out, outputs)

    results = {
        "regenerate_file": measure(lambda _: regenerate_file(work, today=TODAY), fresh_copy),
        "  read + engine (read_plan)": measure(lambda _: read_plan(open_book(demo), TODAY)),
        "  write_outputs": measure(lambda state: write_outputs(*state), opened),
        "  save (write_atomically)": measure(save, written),
        "floor: openpyxl load + save": measure(floor_regenerate),
        "export_file": measure(lambda _: export_file(demo, out, today=TODAY)),
        "floor: XlsxWriter outputs only": measure(lambda _: xlsxwriter_floor(out, outputs)),
        "floor: openpyxl load + XlsxWriter": measure(floor_export),
        "new_workbook (demo inputs)": measure(lambda _: new_workbook(work, inputs), no_work),
        "build_template": measure(lambda _: build_template(out)),
    }
    shutil.rmtree(folder)

    median = {name: statistics.median(times) for name, times in results.items()}
    ratios = {
        "regenerate_file": median["regenerate_file"] / median["floor: openpyxl load + save"],
        "export_file": median["export_file"] / median["floor: openpyxl load + XlsxWriter"],
    }
    print(f"Python {platform.python_version()}, openpyxl {openpyxl.__version__}, "
          f"XlsxWriter {xlsxwriter.__version__}, {os.cpu_count()} CPUs; "
          f"demo workbook {size / 1e3:.0f} kB; {REPEATS} runs each")  # fmt: skip
    print(f"{'operation':<32} {'median ms':>10} {'min ms':>10} {'ratio':>7}")
    for name, times in results.items():
        ratio = f"{ratios[name]:.1f}×" if name in ratios else ""
        print(f"{name:<32} {median[name] * 1e3:>10.1f} {min(times) * 1e3:>10.1f} {ratio:>7}")
    print("ratio = command ÷ its floor (regenerate ÷ openpyxl load + save; "
          "export ÷ openpyxl load + XlsxWriter write of the same cells)")  # fmt: skip


if __name__ == "__main__":
    main()
