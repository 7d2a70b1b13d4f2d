"""Read and write a planning workbook through the contract, whatever holds it.

Through ``Book`` (port.py), which the package adapter (CLI, tests) and the xlwings live adapter
(ribbon macros) both offer. Everything here moves whole blocks: one read or write per block,
never cell by cell (xlwings is ~100× slower per cell).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dyplan.book import contract as c
from dyplan.book import written
from dyplan.book.baseline import read_baseline
from dyplan.book.cells import (
    CHANNEL_LABELS,
    OrphanedActualsError,
    Outputs,
    Typed,
    build_outputs,
    date_from_cell,
    empty_actuals,
    entered,
    from_inputs,
    mix_shift_row,
    to_inputs,
)
from dyplan.book.number_formats import number_format, row_units
from dyplan.book.port import Book, Formats, Rows
from dyplan.errors import DyplanError, InputError, Problem
from dyplan.files.worksheet import Formula
from dyplan.model import (
    MEASURES,
    METRICS,
    MIX_INDICATORS,
    PLAN_DATES,
    SOURCE_COLUMNS,
    Assumptions,
    CheckpointKey,
    Entered,
    Phase,
    Plan,
    PlanInputs,
    checkpoint_keys,
    is_number,
    mix_indicators,
    plan_period,
    review,
)
from dyplan.reports.actuals import fold, report_actuals
from dyplan.reports.reader import Report
from dyplan.reports.summary import Summary, summarise


class ContractError(DyplanError):
    """The workbook is not a dyplan planning workbook (a sheet or header is missing)."""


#: Rows read first while finding where a growing table ends; each further read takes twice as many
#: (most tables are a few dozen rows, and two years of actuals take six reads).
READ_STEP = 64
#: How far below a growing table typed values are looked for (they would belong to no row).
STRAY_ROWS = 2000


def refuse_missing_sheets(book: Book) -> tuple[str, ...]:
    """Every contract sheet exists, or this is not a dyplan planning workbook; but for the sheets
    added later (``LATER_SHEETS``), which a workbook made before them lacks: those it lacks."""
    names = set(book.sheet_names())
    later = [s.name for s in c.LATER_SHEETS]
    missing = [s.name for s in c.SHEETS[1:] if s.name not in names and s.name not in later]
    if missing:
        raise ContractError(
            f"这不是 dyplan 规划工作簿：缺少工作表 {'、'.join(missing)}。请用 dyplan new 新建。",
            f"Not a dyplan planning workbook: sheet(s) {', '.join(missing)} missing. "
            "Create one with `dyplan new`.",
        )
    return tuple(name for name in later if name not in names)


def check_headers(book: Book) -> None:
    """Every table header is above its table, wherever the table now is."""
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        sheet, top, left = c.table_origin(table)
        header = book.read(sheet, top - 1, left, 1, len(table.columns))[0]
        expected = [f"{col.zh}\n{col.en}" for col in table.columns]
        if [str(v or "").replace("\r", "") for v in header] != expected:
            where = f"{sheet}!{c.address(top - 1, left)}"
            raise ContractError(
                f"{where}：表头与 dyplan 规划工作簿不一致，可能插入或删除了行列。请勿移动计算区域。",
                f"{where}: table header differs from the dyplan layout (rows or columns moved?). "
                "Do not move the computed blocks.",
            )


@dataclass(frozen=True)
class InPlace:
    """What an earlier release's workbook lacks or keeps otherwise: the growing tables it kept at a
    fixed size (``Table.former_rows``: located as empty, for regenerate to clear and lay out anew),
    and the sheets added since (``LATER_SHEETS``) that it has not."""

    former: Former
    absent: tuple[str, ...]


@contextlib.contextmanager
def in_place(book: Book) -> Iterator[InPlace]:
    """Work on ``book`` with every block where its defined name now puts it.

    Excel and LibreOffice move a name with its cells when rows or columns are inserted or deleted,
    so a block that moved is followed; one whose name is missing or no longer fits its shape (a row
    inserted inside a table) is refused, naming each, before anything is read or written. The blocks
    of a later sheet the workbook lacks are left out.
    """
    with _cycle_collection_paused(), _texts_stored_in_python():
        absent = refuse_missing_sheets(book)
        with c.without(absent):
            origins, former, names = _locate_blocks(book)
            with c.moved(origins, names):
                check_headers(book)
                yield InPlace(former, absent)


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """A workbook's cells make tens of thousands of short-lived objects and almost no cycles; Python's
    cycle collector, started every 700 of them, would rescan pandas' and lxml's heap each time for
    nothing (about a quarter of a regenerate). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _texts_stored_in_python() -> Iterator[None]:
    """The plan's tables hold a few hundred short texts each. pandas stores them in Arrow arrays by
    default, which costs a conversion at every cell read and sets up Arrow's memory pool (about 4 MB
    more at a regenerate's peak, and a fifth of its engine's time). Python storage behaves alike; its
    dtype differs only by storage, so a frame made here is not merged on a text key with one made
    outside (none is)."""
    with pd.option_context("mode.string_storage", "python"):
        yield


#: Growing tables as an earlier release laid them out: each name and the area it covers.
Former = list[tuple[str, c.Area]]


def _locate_blocks(book: Book) -> tuple[dict[str, c.Origin], Former, frozenset[str]]:
    """Where each block is, the growing tables an earlier release kept at a fixed size, and the
    optional names the workbook lacks (an earlier release made it); refuses any other misfit."""
    sheets = set(book.sheet_names())
    found = {name: c.Area.parse(text) for name, text in book.defined_names().items()}
    origins: dict[str, c.Origin] = {}
    wrong: list[tuple[str, c.Area, c.Area | None]] = []
    absent: set[str] = set()

    def place(
        name: str, rows: int, cols: int, header: int = 0, home: c.Origin | None = None, optional: bool = False
    ) -> c.Area | None:
        area = found.get(name)
        if optional and name not in found:  # made before the name was: not damage
            absent.add(name)
            return None
        if area is None or area.sheet not in sheets or (area.height, area.width) != (rows, cols):
            sheet, row, col = home or c.home_of(name)
            wrong.append(
                (name, c.Area(sheet, row - header, col, row - header + rows - 1, col + cols - 1), area)
            )
            return None
        origins[name] = (area.sheet, area.first_row + header, area.first_col)
        return area

    for placed in c.iter_blocks(c.Fields):
        for cell in placed.block.cells:  # type: ignore[union-attr]
            place(cell.name, 1, 1, optional=cell.optional)
    for grid in c.grids():
        place(grid.name, len(grid.rows), len(grid.cols), optional=grid.optional)
    former: Former = []
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        area = found.get(table.name)
        if table.optional and area is None:  # made before the table was: not damage
            absent.add(table.name)
            continue
        rows = table.rows
        if rows is None and area is not None:  # a growing table: as long as its ids reach
            with c.moved({table.name: (area.sheet, area.first_row + 1, area.first_col)}):
                rows = max(_table_length(book, table), 1)
            if table.former_rows is not None and area.height == 1 + table.former_rows != 1 + rows:
                former.append((table.name, area))
                area = found[table.name] = c.Area(area.sheet, area.first_row, area.first_col,
                                                  area.first_row + 1, area.last_col)  # fmt: skip
                rows = 1
        rows = rows or 1
        area = place(table.name, 1 + rows, len(table.columns), header=1)
        sheet, top, left = origins.get(table.name) or c.home_of(table.name)
        for name, key in table.named_columns:  # a column of the table's data rows
            column = (sheet, top, left + table.column(key))
            if place(name, rows, 1, home=column) and origins[name] != column:
                wrong.append(
                    (name, c.Area(sheet, top, column[2], top + rows - 1, column[2]), found.get(name))
                )
    if wrong:
        zh = "；".join(_misfit(n, e, g, "zh") for n, e, g in wrong[:5])
        en = "; ".join(_misfit(n, e, g, "en") for n, e, g in wrong[:5])
        more = f"（另有 {len(wrong) - 5} 处）" if len(wrong) > 5 else ""
        raise ContractError(
            f"定义名称与 dyplan 的区域不再相符，可能在表格中插入或删除了行列：{zh}{more}。请撤销这些改动"
            "（或用 dyplan new 新建工作簿并复制输入）后再试；本次未写入任何内容。",
            f"Defined names no longer fit the dyplan blocks (rows or columns inserted or deleted inside "
            f"them?): {en}. Undo those changes (or copy the inputs into a workbook from `dyplan new`) "
            "and try again; nothing was written.",
        )
    return origins, former, frozenset(absent)


def _table_length(book: Book, table: c.Table) -> int:
    """Rows a table holds now: fixed tables their size, variable ones up to the first blank id."""
    if table.rows is not None:
        return table.rows
    sheet, top, left = c.table_origin(table)
    length, step = 0, READ_STEP
    while True:  # in steps, with no cap: two years of actuals are 2,190 rows, and more must fit
        first_column = book.read(sheet, top + length, left, step, 1)
        blank = next((i for i, row in enumerate(first_column) if row[0] in (None, "")), None)
        if blank is not None:
            return length + blank
        length, step = length + step, 2 * step


def _misfit(name: str, expected: c.Area, got: c.Area | None, language: str) -> str:
    if language == "zh":
        now = f"实际为 {got}" if got else "但该名称不存在"
        return f"{name} 应为 {expected}（{expected.height} 行 × {expected.width} 列），{now}"
    now = f"but covers {got}" if got else "but it is missing"
    return f"{name} should cover {expected} ({expected.height} rows × {expected.width} columns), {now}"


def read_typed(book: Book, baseline: bool = True) -> Typed:
    """Everything the user typed: input cells, grids and the typed columns of output tables; and what
    imports and the baseline's freeze stored (``baseline``: the frozen baseline too)."""
    typed = Typed()
    for cell in c.input_cells():
        sheet, row, col = c.cell_of(cell.name)
        typed.cells[cell.name] = book.read(sheet, row, col, 1, 1)[0][0]
    for grid in c.grids():
        sheet, row, col = c.grid_origin(grid)
        typed.cells[grid.name] = book.read(sheet, row, col, len(grid.rows), len(grid.cols))
    typed.actuals, typed.import_log = read_actuals(book)
    typed.mix_shift = read_mix_shift(book)
    typed.baseline = read_baseline(book) if baseline else None
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        typed_columns = [j for j, col in enumerate(table.columns) if col.typed]
        if not typed_columns:
            continue
        length = _table_length(book, table)
        sheet, top, left = c.table_origin(table)
        rows = book.read(sheet, top, left, length, len(table.columns)) if length else []
        if table.rows is None:
            _refuse_typed_below(book, table, length)
        typed.columns[table.name] = {table.columns[j].key: [row[j] for row in rows] for j in typed_columns}
        if table is c.CHECKPOINTS_TABLE and rows:
            typed.checkpoint_keys = _keys_from_rows(rows, table)
    return typed


def _refuse_typed_below(book: Book, table: c.Table, length: int) -> None:
    """Values typed under a variable table's last row belong to no row: refuse, never drop."""
    sheet, top, left = c.table_origin(table)
    for j, column in enumerate(table.columns):
        if not column.typed:
            continue
        below = book.read(sheet, top + length, left + j, STRAY_ROWS, 1)
        stray = [i for i, row in enumerate(below) if row[0] not in (None, "")]
        if stray:
            where = f"{sheet}!{c.address(top + length + stray[0], left + j)}"
            raise OrphanedActualsError(
                [
                    Problem(
                        table.name,
                        "这一行没有对应的检查点，填在这里的实际值无处保存；请移到对应检查点行"
                        "（或先重新生成，再填写）",
                        "this row has no checkpoint, so the value typed here has nowhere to go; "
                        "move it to its checkpoint's row (or regenerate first, then type)",
                        where=where,
                    )
                ]
            )


def _keys_from_rows(rows: Rows, table: c.Table) -> list[CheckpointKey]:
    """The keys of the checkpoint rows already in the book (metric read from its English name)."""
    by_english = {m.en: m.key for m in METRICS.values()}
    phase, metric, day = (table.column(k) for k in ("phase", "metric_en", "day"))
    return checkpoint_keys(
        [str(row[phase]) for row in rows],
        [by_english.get(str(row[metric]), str(row[metric])) for row in rows],
        [row[day] if isinstance(row[day], int | float) else 0 for row in rows],
    )


def _runs(table: c.Table, include_typed: bool) -> list[tuple[int, int]]:
    """Runs of adjacent columns to write as single blocks: (first, stop) 0-based."""
    runs: list[tuple[int, int]] = []
    for j, column in enumerate(table.columns):
        if column.typed and not include_typed:
            continue
        if runs and runs[-1][1] == j:
            runs[-1] = (runs[-1][0], j + 1)
        else:
            runs.append((j, j + 1))
    return runs


def write_outputs(book: Book, outputs: Outputs) -> None:
    """Write every output block; typed cells are left alone except where rows move."""
    for cell in c.output_cells():
        sheet, row, col = c.cell_of(cell.name)
        book.write(sheet, row, col, [[outputs.cells[cell.name]]])
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        if table.kept:
            continue
        rows = outputs.tables[table.name]
        sheet, top, left = c.table_origin(table)
        variable = table.rows is None
        if variable:  # rows are laid out anew: typed values travel with their rows
            old = _table_length(book, table)
            if old > len(rows):
                book.clear(sheet, top + len(rows), left, old - len(rows), len(table.columns))
            last = top + max(len(rows), 1) - 1
            book.define_name(table.name, sheet, f"{c.address(top - 1, left, True)}:"
                             f"{c.address(last, left + len(table.columns) - 1, True)}")  # fmt: skip
        if table.total_row:  # the SUMs get their new values cached, so previews show them
            first, line = _total_line(table, rows)
            book.write(sheet, top + len(rows), left + first, [line])
        formats = _unit_formats(table, rows)
        for first, stop in _runs(table, include_typed=variable):
            block = [row[first:stop] for row in rows]
            if block:
                book.write(sheet, top, left + first, block, style_row=top if variable else None,
                           formats=[line[first:stop] for line in formats] if formats else None)  # fmt: skip
        for chart in (p.block for p in c.iter_blocks(c.Chart) if p.block.follows is table):  # type: ignore[union-attr]
            first, last = chart.drawn(table)  # type: ignore[union-attr]
            drawn = c.Area(sheet, top, left + first, top + len(rows) - 1, left + last)
            book.redraw(drawn, chart.caption(has_rows=bool(rows)))  # type: ignore[union-attr]


def _total_line(table: c.Table, rows: Rows) -> tuple[int, list[Formula | None]]:
    """A total row from its first SUM to its last (0-based column, cells); the cells between are blank."""
    totals = c.totals(table, rows)
    span = range(min(totals), max(totals) + 1)
    return span.start, [Formula(*totals[j]) if j in totals else None for j in span]


def _unit_formats(table: c.Table, rows: Rows) -> Formats | None:
    """Number formats of a table whose columns show each row in its own unit (%, 元, counts)."""
    by_unit = [j for j, col in enumerate(table.columns) if col.fmt is c.Fmt.BY_UNIT]
    if not by_unit:
        return None
    return [[number_format(col.fmt, unit) if j in by_unit else None for j, col in enumerate(table.columns)]
            for unit in row_units(table, rows)]  # fmt: skip


def read_plan(
    book: Book, today: dt.date | None = None, typed: Typed | None = None
) -> tuple[Typed, Plan, Outputs]:
    """The typed cells of ``book`` (or ``typed``), and the plan and outputs they make.

    Risk indicators that the stored actuals measure fill in those the user left blank.
    Raises ``ContractError`` for a workbook of another shape and ``InputError`` (every
    problem, with sheet and cell) for invalid inputs.
    """
    with in_place(book):
        return _plan(book, today, typed)


def _plan(book: Book, today: dt.date | None, typed: Typed | None) -> tuple[Typed, Plan, Outputs]:
    typed = typed or read_typed(book)
    today = today or dt.date.today()
    judged = review(*_inputs_and_entered(typed), today)
    return typed, judged.plan, build_outputs(judged, typed, today)


def _inputs_and_entered(typed: Typed) -> tuple[PlanInputs, pd.DataFrame, Entered]:
    """The inputs, the actuals and the values entered beside them; the problems of the inputs and of
    the entered values named together."""
    try:
        inputs = to_inputs(typed)
    except InputError as wrong:
        try:
            entered(typed)
        except InputError as more:
            raise InputError([*wrong.problems, *more.problems]) from None
        raise
    return inputs, typed.actuals, entered(typed)


def regenerate(book: Book, today: dt.date | None = None, typed: Typed | None = None) -> Regenerated:
    """Read the inputs, build the plan and write every output block of ``book``.

    Nothing is written when the workbook or its inputs are invalid.
    """
    with in_place(book) as where:
        return _regenerate(book, today, typed, where)


def _regenerate(book: Book, today: dt.date | None, typed: Typed | None, where: InPlace) -> Regenerated:
    _, plan, outputs = _plan(book, today, typed)
    areas = _computed_areas(outputs)
    replaced = _typed_over(book, areas)  # before a former block is cleared: that is no user's edit
    for _, area in where.former:
        book.clear(area.sheet, area.first_row + 1, area.first_col, area.height - 1, area.width)
    refuse_growing_over_user_cells(book, outputs)
    write_outputs(book, outputs)
    book.remember(written.remember(areas, book.computes))
    return Regenerated(plan, replaced, c.absent_names(), where.absent)


@dataclass(frozen=True)
class Regenerated:
    """The plan regenerate wrote, the values the user had typed over computed cells, and what a
    workbook an earlier release made lacks, both left out (``earlier_note``): the optional names and
    the sheets added since."""

    plan: Plan
    replaced: list[written.Replaced]
    absent: frozenset[str] = frozenset()
    absent_sheets: tuple[str, ...] = ()

    @property
    def earlier_note(self) -> tuple[str, str] | None:
        """What to say, once, of a workbook an earlier release made: the newer assumptions it has no
        cells for (their defaults are used), the sheets it lacks (none is added), and that ``dyplan
        new`` has them, in Chinese and English (None: it lacks nothing)."""
        # what such a workbook is computed with: the engine's defaults (a new workbook weighs its days by
        # the typical promotion windows; one without the cell weighs none, as it did)
        defaults = {**from_inputs(None).cells, "Promo_Calendar": Assumptions().promo_calendar.zh}
        grids = (p.block for p in c.iter_blocks(c.Grid))
        typed = [item for item in (*c.ASSUMPTION_CELLS, *grids) if item.name in self.absent]
        zh, en = [], []
        if typed:
            zh.append("没有这些新假设的单元格，按默认值计算："
                      + "、".join(_with_default(item, defaults[item.name], "zh") for item in typed)  # type: ignore[union-attr]
                      + "（保本ROI、净ROI 等新结果不显示）")  # fmt: skip
            en.append("it has no cells for these new assumptions, so their defaults are used: "
                      + ", ".join(_with_default(item, defaults[item.name], "en") for item in typed)  # type: ignore[union-attr]
                      + " (new results such as the break-even ROI and net ROI are not shown)")  # fmt: skip
        if self.absent_sheets:
            zh.append(f"没有{'、'.join(f'「{name}」' for name in self.absent_sheets)}工作表（未添加）")
            en.append(f"it has no {' / '.join(self.absent_sheets)} sheet(s) (none was added)")
        if not zh:
            return None
        return (
            f"此工作簿由较早的版本创建：{'；'.join(zh)}；其余均已更新。用 dyplan new 新建工作簿可得到新布局"
            "（再把输入复制过去），dyplan export 导出的最终方案也包含新工作表。",
            f"This workbook was made by an earlier release: {'; '.join(en)}; everything else was updated. "
            "`dyplan new` makes a workbook with the new layout (copy your inputs into it); the finished "
            "plan `dyplan export` writes has the new sheets too.",
        )


def _with_default(item: c.Cell | c.Grid, value: Any, language: str) -> str:
    """A new assumption's label and its default (毛利率 50%); a grid's label alone."""
    if isinstance(item, c.Grid):
        label = item.label[0 if language == "zh" else 1]
        return label[0].lower() + label[1:]  # within a list: "least daily spend", as the cells' labels
    label = item.zh if language == "zh" else item.en
    shown = value if isinstance(value, str) else f"{value:.0%}" if item.fmt is c.Fmt.SHARE else f"{value:g}"
    return f"{label} {shown}"


def _computed_areas(outputs: Outputs) -> dict[str, tuple[str, int, int, Rows]]:
    """Every block of computed cells regenerate writes, by key: where it starts and its values."""
    areas: dict[str, tuple[str, int, int, Rows]] = {}
    for cell in c.output_cells():
        areas[cell.name] = (*c.cell_of(cell.name), [[outputs.cells[cell.name]]])
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        if table.name in written.READ_BACK or table.kept:
            continue
        sheet, top, left = c.table_origin(table)
        rows = outputs.tables[table.name]
        for first, stop in _runs(table, include_typed=False):
            if rows:
                areas[f"{table.name}[{first}:{stop}]"] = (
                    sheet,
                    top,
                    left + first,
                    [r[first:stop] for r in rows],
                )
    # Total rows are left out: their SUMs are the spreadsheet's to compute, so a total that differs
    # from what dyplan cached only means the user changed a cell above it.
    return areas


def _typed_over(book: Book, areas: dict[str, tuple[str, int, int, Rows]]) -> list[written.Replaced]:
    """Computed cells the user typed over since the last regenerate, whose value now changes.

    Rows a shrinking table gives up count as changing to blank.
    """
    replaced: list[written.Replaced] = []
    for key, before in written.recall(book.recall()).items():
        if key not in areas or areas[key][:3] != (before.sheet, before.row, before.col):
            continue  # a block laid out anew, or moved: nothing to compare cell by cell
        sheet, row, col, values = areas[key]
        width = len(values[0])
        current = book.read(sheet, row, col, len(before.prints), width)
        new = (values + [[None] * width] * len(before.prints))[: len(before.prints)]
        replaced += written.typed_over(current, new, before)
    return replaced


def refuse_growing_over_user_cells(book: Book, outputs: Outputs) -> None:
    """A growing table takes only empty rows: whatever the user wrote below it is never overwritten."""
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        old, new = _table_length(book, table), len(outputs.tables[table.name])
        if table.rows is not None or new <= old:
            continue
        sheet, top, left = c.table_origin(table)
        below = book.read(sheet, top + old, left, new - old, len(table.columns))
        taken = [(i, j) for i, row in enumerate(below) for j, v in enumerate(row) if v not in (None, "")]
        if taken:
            i, j = taken[0]
            where = f"{sheet}!{c.address(top + old + i, left + j)}"
            raise ContractError(
                f"{where}：{table.name} 表需要增加到 {new} 行，但下方单元格已有内容（共 {len(taken)} 处）。"
                "请把这些内容移到别处后再试；本次未写入任何内容。",
                f"{where}: table {table.name} must grow to {new} rows, but cells below it hold something "
                f"({len(taken)} in all). Move them elsewhere and try again; nothing was written.",
            )


def accept_channel_mix(
    book: Book, mix: Mapping[Phase, Sequence[float]], today: dt.date | None = None
) -> Regenerated:
    """Type ``mix`` (each phase's channel shares) into 假设's channel mix, as the user would, and
    regenerate: the one step that accepts the optimiser's proposal."""
    with in_place(book) as where:
        sheet, row, col = c.grid_origin(c.grid_of("channel_mix"))
        book.write(sheet, row, col, [list(mix[phase]) for phase in Phase])
        return _regenerate(book, today, None, where)


def import_reports(book: Book, reports: list[Report], now: dt.datetime) -> Imported:
    """Fold reports into the stored actuals, log the import, and regenerate everything.

    Rows of different sources add up; a row re-importing a stored source's day replaces it
    (``reports.actuals``), so importing the same report twice, or overlapping ranges, never counts
    a day twice. Rows with negative spend are left out and named in the summary.
    """
    with in_place(book) as where:
        return _import(book, reports, now, where)


@dataclass(frozen=True)
class Imported(Regenerated):
    """What regenerate wrote, and each file's summary (in the order given)."""

    summaries: list[Summary] = field(default_factory=list)
    replaced_rows: list[int] = field(default_factory=list)


def _import(book: Book, reports: list[Report], now: dt.datetime, where: InPlace) -> Imported:
    typed = read_typed(book)
    period = _plan_period(typed)
    summaries, replaced, log = [], [], []
    for report in reports:
        typed.actuals, count = fold(typed.actuals, report_actuals(report))
        summary = summarise(report, period)
        summaries.append(summary)
        replaced.append(count)
        log.append([f"{now:%Y-%m-%d %H:%M}", report.path.name, summary.kind, summary.first, summary.last,
                    report.read_rows, report.skipped_rows, count, summary.spend, summary.gmv, summary.columns,
                    summary.missing, "；".join(summary.problems)])  # fmt: skip
    typed.import_log = (log[::-1] + typed.import_log)[: c.IMPORT_LOG.rows]
    mix = pd.concat([r.mix for r in reports])
    for key, shift in mix_indicators(mix).items():  # only what these reports can measure
        typed.mix_shift[key] = mix_shift_row(key, shift, max(mix["date"]), reports[-1].path.name)
    regenerated = _regenerate(book, now.date(), typed, where)
    return Imported(regenerated.plan, regenerated.replaced, regenerated.absent, regenerated.absent_sheets,
                    summaries, replaced)  # fmt: skip


def _plan_period(typed: Typed) -> tuple[dt.date, dt.date] | None:
    start = date_from_cell(typed.cells.get(next(i.name for i in c.input_cells() if i.key == "start_date")))
    if not isinstance(start, dt.date) or not PLAN_DATES[0] <= start <= PLAN_DATES[1]:
        return None  # regenerate names the cell
    return plan_period(start)


def read_actuals(book: Book) -> tuple[pd.DataFrame, Rows]:
    """The actuals and import log that earlier imports stored on the 实际数据 sheet."""
    table = c.ACTUALS_DAILY
    sheet, top, left = c.table_origin(table)
    rows = book.read(sheet, top, left, _table_length(book, table), len(table.columns))
    keys = [col.key for col in table.columns]
    frame = pd.DataFrame(rows, columns=keys) if rows else pd.DataFrame(columns=keys)
    by_label = {label: key for key, label in CHANNEL_LABELS.items()}
    actuals = empty_actuals()
    if len(frame):
        actuals = pd.DataFrame(
            {
                "date": [date_from_cell(v) for v in frame["date"]],
                "channel": [by_label.get(str(v), str(v)) for v in frame["channel_zh"]],
                **{k: ["" if pd.isna(v) else str(v) for v in frame[k]] for k in SOURCE_COLUMNS},
                **{k: pd.to_numeric(frame[k], errors="coerce").astype(float) for k in MEASURES},
            }
        )
    log_sheet, log_top, log_left = c.table_origin(c.IMPORT_LOG)
    log = book.read(log_sheet, log_top, log_left, c.IMPORT_LOG.rows or 0, len(c.IMPORT_LOG.columns))
    return actuals, [row for row in log if any(v not in (None, "") for v in row)]


def read_mix_shift(book: Book) -> dict[str, Rows]:
    """The time-slot and device shifts earlier imports measured (rows with a value only)."""
    sheet, top, left = c.table_origin(c.MIX_SHIFT)
    rows = book.read(sheet, top, left, c.MIX_SHIFT.rows or 0, len(c.MIX_SHIFT.columns))
    shift = c.MIX_SHIFT.column("shift")
    return {key: row for key, row in zip(MIX_INDICATORS.values(), rows, strict=True) if is_number(row[shift])}
