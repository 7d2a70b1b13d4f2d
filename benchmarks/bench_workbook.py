"""How fast are the workbook commands, next to the floor of the same work measured in the same run?

`regenerate` and `import-report` patch the workbook package part by part; the floor is the work they
replace, openpyxl's ``load_workbook`` + ``save`` of the same file. `export` is compared with openpyxl's
load plus XlsxWriter writing the same output cells. Two workbooks are measured: the demo plan,
regenerated (every output block filled, no actuals), and the same plan holding two years of imported
actuals (a 730-day report, 2026-01-01 to 2027-12-31: the large case). The report imported is one
month, January 2027 (31 days; in the large case it replaces 31 stored days). Each workbook is also
regenerated after a new GMV target was typed into it ("target changed": every block's values change,
as in a user's usual regenerate; without a change regenerate rewrites nothing). Indented rows split
regenerate into its parts; "I/O alone" is regenerate without its engine (the outputs computed
beforehand): opening the package, patching the output cells and saving, next to the same floor.
"Core libraries alone" is the least any import does with them: the month's report read by pyarrow
and summed per day by pandas, nothing written; its memory growth is the share of an import's peak
that running the core libraries at all costs (their code's pages, read in the first time they run),
which openpyxl's floor, running none of them, does not pay.

Every run is its own Python process (this script with a hidden ``--child`` flag), started on a fresh
copy of the workbook. The child imports everything first, prepares what the run needs, then times
only the work and reports its seconds and memory as JSON: its peak RSS (``VmHWM``; ``ru_maxrss``
where there is no /proc) and its RSS before the work, so the growth during the work can be compared,
and how much of that growth is file-backed (``RssFile``: pages of the libraries' code read for the
first time, shared and reclaimable, not memory the work allocated).
Every run is repeated (``--repeat``), the rows taking turns so a drift of the machine hits all
alike; the table gives the median, fastest and slowest run, each command's ratio to its floor, and
its peak memory next to the floor's. These are reports, not timed assertions.

Run: python benchmarks/bench_workbook.py [--repeat 7] [--keep DIR]
     (--keep writes the workbooks and reports there and keeps them; the default is a temporary folder)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The parent only starts processes and stays small: a child's ru_maxrss would count the parent's
# RSS at the fork, so dyplan, pandas and openpyxl are imported only in the children.

TODAY = dt.date(2027, 3, 1)
MONTH = (dt.date(2027, 1, 1), 31)  # first day, days: the report each import run reads
HISTORY = (dt.date(2026, 1, 1), 730)  # the actuals the large workbook already holds
REPORT_HEADER = ["日期", "消耗", "展示次数", "点击次数", "转化数", "直接成交金额", "直接成交订单数"]
TARGET = 0.5  # the target: each command at most half its floor's time

DEMO, LARGE, MONTH_REPORT = "demo.xlsx", "large.xlsx", "month.csv"
CHANGED = {DEMO: "demo-changed.xlsx", LARGE: "large-changed.xlsx"}  # the GMV target typed anew
NEW_TARGET = 62_000_000  # the demo's is 50,000,000: every phase, channel and day changes
WORK, OUT = "work.xlsx", "out.xlsx"
PRELOADED = ("pickle", "openpyxl", "xlsxwriter", "dyplan.operations", "dyplan.demo",
             "openpyxl.packaging.extended", "encodings.cp437", "encodings.utf_8_sig",
             "encodings.utf_16_le")  # fmt: skip

Thunk = Callable[[], object]


# ---- In the children ------------------------------------------------------------------------------
def import_everything() -> None:
    """Everything any run uses, imported before its clock starts (so every child has the same base)."""
    for module in PRELOADED:
        importlib.import_module(module)


def write_report(path: Path, first: dt.date, days: int) -> Path:
    """A Qianchuan-style daily report (UTF-8 with BOM, Chinese headers), the same numbers each day."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(REPORT_HEADER)
        for day in range(days):
            rows.writerow(
                [(first + dt.timedelta(days=day)).isoformat(), 10_000, 500_000, 7_000, 120, 30_000, 100]
            )
    return path


def xlsxwriter_floor(out: Path, outputs: Any) -> None:
    """The output values at their contract positions, written by XlsxWriter with nothing else."""
    import xlsxwriter

    from dyplan.book import contract as c

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


def prepare(folder: Path) -> dict[str, Any]:
    """The demo workbook regenerated, the large one with two years of actuals, the month's report."""
    import pickle

    import openpyxl
    import xlsxwriter

    import dyplan
    from dyplan.book import contract as c
    from dyplan.book.workbook import read_plan
    from dyplan.book.xlsx_file import open_book
    from dyplan.demo import demo_inputs
    from dyplan.operations import import_files, new_workbook, regenerate_file

    demo, large = folder / DEMO, folder / LARGE
    new_workbook(demo, demo_inputs())
    regenerate_file(demo, today=TODAY)  # full-size: every output block filled
    shutil.copyfile(demo, large)
    import_files(large, [write_report(folder / "history.csv", *HISTORY)])
    regenerate_file(large, today=TODAY)  # as the demo: outputs as of TODAY
    write_report(folder / MONTH_REPORT, *MONTH)
    for name, changed in CHANGED.items():  # as a user saves the workbook after typing a new target
        book = open_book(folder / name)
        book.write(*c.cell_of("GMV_Target"), [[NEW_TARGET]])
        book.save(folder / changed)
    for book in (demo, large):  # for the runs that time the writing alone
        outputs_path(book).write_bytes(pickle.dumps(read_plan(open_book(book), TODAY)[2]))
    sheet = c.table_origin(c.ACTUALS_DAILY)[0]
    books = {
        name: {
            "kB": (folder / name).stat().st_size / 1e3,
            "last_row": openpyxl.load_workbook(folder / name, read_only=True)[sheet].max_row,
        }
        for name in (DEMO, LARGE)
    }
    versions = f"openpyxl {openpyxl.__version__}, XlsxWriter {xlsxwriter.__version__}"
    return {**books, "versions": versions, "dyplan": str(Path(dyplan.__file__).parent)}


def outputs_path(book: Path) -> Path:
    return book.with_suffix(".outputs.pickle")


def load_outputs(book: Path) -> Any:
    """The outputs ``prepare`` computed for ``book``, as regenerate writes them."""
    import pickle

    return pickle.loads(outputs_path(book).read_bytes())


def task(name: str, work: Path, folder: Path, source: Path) -> Thunk:
    """Prepare run ``name`` on ``work`` (a fresh copy of ``source``) and return the work to time."""
    import openpyxl

    from dyplan.book.workbook import in_place, read_plan, write_outputs
    from dyplan.book.xlsx_file import open_book
    from dyplan.demo import demo_inputs
    from dyplan.files.safety import write_atomically
    from dyplan.operations import (
        build_template,
        export_file,
        import_files,
        new_workbook,
        regenerate_file,
    )

    out = folder / OUT
    if name == "floor_save":
        return lambda: openpyxl.load_workbook(work).save(out)
    if name == "regenerate":
        return lambda: regenerate_file(work, today=TODAY)
    if name == "import":
        return lambda: import_files(work, [folder / MONTH_REPORT])
    if name == "core_alone":
        import pyarrow.csv

        return lambda: pyarrow.csv.read_csv(folder / MONTH_REPORT).to_pandas().groupby("日期").sum()
    if name == "read_plan":
        return lambda: read_plan(open_book(work), TODAY)
    if name == "write_outputs":
        book = open_book(work)
        outputs = read_plan(book, TODAY)[2]
        return lambda: write_outputs(book, outputs)
    if name == "patch":
        outputs = load_outputs(source)

        def patch() -> None:
            book = open_book(work)
            with in_place(book):  # as regenerate works: blocks located, the cycle collector paused
                write_outputs(book, outputs)
            write_atomically(work, book.save)

        return patch
    if name == "save":
        book = open_book(work)
        write_outputs(book, read_plan(book, TODAY)[2])
        return lambda: write_atomically(work, book.save)
    if name == "export":
        return lambda: export_file(work, out, today=TODAY)
    if name == "floor_xlsxwriter":
        outputs = load_outputs(source)
        return lambda: xlsxwriter_floor(out, outputs)
    if name == "floor_export":
        outputs = load_outputs(source)
        return lambda: (openpyxl.load_workbook(work), xlsxwriter_floor(out, outputs))
    if name == "new":
        inputs = demo_inputs()
        return lambda: new_workbook(work, inputs)
    if name == "template":
        return lambda: build_template(out)
    raise ValueError(f"unknown task {name}")


def memory_mb() -> tuple[float, float, float]:
    """(RSS now, peak RSS, file-backed RSS now) of this process in MB: /proc's VmRSS, VmHWM and
    RssFile, else ru_maxrss for the first two and 0 for the third."""
    status = Path("/proc/self/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        rss, peak, files = (int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM", "RssFile"))
        return rss, peak, files
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
        1024**2 if sys.platform == "darwin" else 1024
    )
    return peak, peak, 0.0


def child(name: str, work: str, source: str) -> None:
    import_everything()
    folder = Path(work).parent
    run = task(name, Path(work), folder, folder / source)
    before = set(sys.modules)
    base_mb, _, base_file_mb = memory_mb()
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    _, peak_mb, file_mb = memory_mb()
    late = sorted(set(sys.modules) - before)  # imported inside the clock: PRELOADED should hold them
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "base_mb": base_mb,
                      "file_mb": file_mb - base_file_mb, "late_imports": late}))  # fmt: skip


# ---- In the parent --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    label: str
    task: str
    source: str | None  # the workbook copied to WORK before the run; None: WORK must not exist
    floor: str | None = None  # the label of the row this one is compared with


def rows() -> list[Row]:
    cases = []
    for case, source in (("demo", DEMO), ("large", LARGE)):
        floor = f"{case}: floor: openpyxl load + save"
        cases += [
            Row(floor, "floor_save", source),
            Row(f"{case}: regenerate_file", "regenerate", source, floor),
            Row(f"{case}: regenerate_file, target changed", "regenerate", CHANGED[source], floor),
            Row(f"{case}: import_files (31 days)", "import", source, floor),
            Row(f"{case}:   read + engine (read_plan)", "read_plan", source),
            Row(f"{case}:   write_outputs", "write_outputs", source),
            Row(f"{case}:   save (write_atomically)", "save", source),
            Row(f"{case}:   I/O alone: open, write, save", "patch", source, floor),
        ]
    floor = "floor: openpyxl load + XlsxWriter"
    return [
        *cases,
        Row("core libraries alone (31-day report)", "core_alone", None),
        Row(floor, "floor_export", DEMO),
        Row("floor: XlsxWriter outputs only", "floor_xlsxwriter", DEMO),
        Row("export_file (demo)", "export", DEMO, floor),
        Row("new_workbook (demo inputs)", "new", None),
        Row("build_template", "template", None),
    ]


def run_child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_once(row: Row, folder: Path) -> dict[str, Any]:
    work = folder / WORK
    work.unlink(missing_ok=True)
    if row.source:
        shutil.copyfile(folder / row.source, work)
    return run_child(["--child", row.task, str(work), row.source or DEMO])


def measure(folder: Path, repeat: int) -> dict[str, list[dict[str, Any]]]:
    """``repeat`` runs of every row, the rows taking turns; one untimed warm-up run first."""
    all_rows = rows()
    run_once(all_rows[0], folder)  # warms the disk cache for the first row's imports
    results: dict[str, list[dict[str, Any]]] = {row.label: [] for row in all_rows}
    for _ in range(repeat):
        for row in all_rows:
            results[row.label].append(run_once(row, folder))
    return results


@dataclass(frozen=True)
class Summary:
    median: float
    fastest: float
    slowest: float
    peak_mb: float
    growth_mb: float  # peak minus the RSS before the work
    code_mb: float  # of which file-backed: library pages read for the first time


def summarize(runs: list[dict[str, Any]]) -> Summary:
    times = [run["seconds"] for run in runs]
    return Summary(
        statistics.median(times), min(times), max(times),
        statistics.median(run["peak_mb"] for run in runs),
        statistics.median(run["peak_mb"] - run["base_mb"] for run in runs),
        statistics.median(run["file_mb"] for run in runs),
    )  # fmt: skip


def print_table(results: dict[str, list[dict[str, Any]]]) -> None:
    summaries = {label: summarize(runs) for label, runs in results.items()}
    print(f"{'operation':<38} {'median s':>9} {'min s':>7} {'max s':>7} {'time÷floor':>10}"
          f" {'peak MB':>8} {'+MB':>6} {'code MB':>7} {'peak÷floor':>10}")  # fmt: skip
    for row in rows():
        s = summaries[row.label]
        time_ratio = memory_ratio = ""
        if row.floor:
            f = summaries[row.floor]
            time_ratio = f"{s.median / f.median:.2f}×"
            memory_ratio = f"{s.peak_mb / f.peak_mb:.2f}×"
        print(f"{row.label:<38} {s.median:>9.3f} {s.fastest:>7.3f} {s.slowest:>7.3f} {time_ratio:>10}"
              f" {s.peak_mb:>8.1f} {s.growth_mb:>6.1f} {s.code_mb:>7.1f} {memory_ratio:>10}")  # fmt: skip
    print()
    for row in rows():
        if row.floor and row.task in ("regenerate", "import"):
            s, f = summaries[row.label], summaries[row.floor]
            verdict = "meets" if s.median <= TARGET * f.median else "misses"
            print(f"{row.label}: {s.median / f.median:.2f}× the floor's time ({verdict} the ≤ {TARGET}× "
                  f"target), peak {s.peak_mb:.1f} MB vs the floor's {f.peak_mb:.1f} MB "
                  f"(+{s.growth_mb:.1f} vs +{f.growth_mb:.1f} MB during the work, of which library code "
                  f"{s.code_mb:.1f} vs {f.code_mb:.1f} MB)")  # fmt: skip
    core = summaries["core libraries alone (31-day report)"]
    print(
        f"core libraries alone: +{core.growth_mb:.1f} MB during the work, of which library code "
        f"{core.code_mb:.1f} MB: the least an import that runs pyarrow and pandas adds to its peak"
    )
    late = sorted({m for runs in results.values() for run in runs for m in run["late_imports"]})
    if late:
        print(f"note: imported inside the timed work (counted in its time): {', '.join(late)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per row; the median is reported")
    parser.add_argument("--keep", type=Path, default=None, help="write the files here and keep them")
    parser.add_argument("--child", nargs=3, metavar=("TASK", "WORK", "SOURCE"), help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.prepare:
        print(json.dumps(prepare(args.prepare)))
        return
    started = time.perf_counter()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="dyplan-bench-workbook-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        books = run_child(["--prepare", str(folder)])
        results = measure(folder, args.repeat)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"Python {platform.python_version()}, {books['versions']}, {os.cpu_count()} CPUs; "
          f"{args.repeat} runs each, one process per run; today = {TODAY}")  # fmt: skip
    print(f"dyplan from {books['dyplan']}")
    print(f"demo workbook {books[DEMO]['kB']:.0f} kB (实际数据 last row {books[DEMO]['last_row']}); "
          f"large workbook {books[LARGE]['kB']:.0f} kB (实际数据 last row {books[LARGE]['last_row']}, "
          f"{HISTORY[1]} days of actuals); imported report: {MONTH[1]} days from {MONTH[0]}")  # fmt: skip
    print_table(results)
    print("time÷floor, peak÷floor: median time and median peak RSS over the floor's (regenerate and "
          "import ÷ openpyxl load + save of the same file; export ÷ openpyxl load + XlsxWriter writing "
          "the same cells). +MB: peak RSS minus the RSS before the work; code MB: of that, the file-backed "
          "pages (shared libraries' code read for the first time).")  # fmt: skip
    print(f"benchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
