"""What the CLI (and the ribbon, through the live adapter) does with whole workbook files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dyplan.book import contract as c
from dyplan.book import versions
from dyplan.book.cells import Outputs, Typed, from_inputs, unreviewed_results
from dyplan.book.port import Book
from dyplan.book.scenarios import Compared
from dyplan.book.sensitivity_picks import read_picks
from dyplan.book.sensitivity_sheet import Made, make_sensitivity, sensitivity_blocks
from dyplan.book.workbook import (
    Imported,
    Regenerated,
    accept_channel_mix,
    import_reports,
    read_plan,
    regenerate,
)
from dyplan.book.xlsx_file import editing, open_book
from dyplan.files.safety import (
    WorkbookFileError,
    exclusive,
    real_path,
    refuse_if_open,
    write_atomically,
)
from dyplan.model import (
    Channel,
    ChannelCurve,
    Optimisation,
    Plan,
    PlanInputs,
    Proposal,
    Replan,
    Settings,
    propose,
    qianchuan_settings,
    replan_year,
)
from dyplan.model import Mode as Goal
from dyplan.reports.reader import Report, read_report
from dyplan.template.render import Mode, render
from dyplan.template.xlsm import render_xlsm

TEMPLATE_NAME = "dyplan.xlsx"
MACRO_TEMPLATE_NAME = "dyplan.xlsm"


def _render_to(
    path: Path,
    typed: Typed,
    outputs: Outputs | None,
    mode: Mode,
    fresh: bool = False,
    results: Outputs | None = None,
) -> None:
    """Render a workbook to ``path``; ``fresh``: only where no file is (checked under the write lock).

    ``results``: what an .xlsm's formulas show when there are no ``outputs``."""
    refuse_if_open(path)
    with exclusive(real_path(path)):
        if fresh and path.exists():
            raise WorkbookFileError(
                f"{path.name} 已存在，为避免覆盖请换一个文件名。",
                f"{path.name} already exists; choose another name so nothing is overwritten.",
            )
        if path.suffix.lower() == ".xlsm":  # the workbook for Excel: live formulas, VBA and ribbon
            write_atomically(path, lambda temp: render_xlsm(temp, typed, outputs, results))
        else:
            write_atomically(path, lambda temp: render(temp, typed, outputs, mode))


def build_template(path: Path) -> None:
    """The blank planning workbook: default assumptions, empty inputs and outputs.

    An .xlsm path gives the workbook for Excel, with the ribbon tab, VBA and formulas.
    """
    _render_to(path, from_inputs(None), None, Mode.TEMPLATE, results=unreviewed_results(None))


def new_workbook(path: Path, inputs: PlanInputs | None = None) -> None:
    """A fresh planning workbook (.xlsx, or .xlsm for Excel), its inputs filled in from ``inputs``."""
    _render_to(path, from_inputs(inputs), None, Mode.TEMPLATE, fresh=True, results=unreviewed_results(inputs))


def check_file(path: Path) -> Plan:
    """Validate a workbook's inputs; raises with every problem (sheet and cell) if any."""
    _, plan, _ = read_plan(open_book(path))
    return plan


def regenerate_file(path: Path, today: dt.date | None = None) -> Regenerated:
    """Rewrite every output block of the workbook in place; the file is unchanged on error."""
    with editing(path) as book:
        return regenerate(book, today)


def export_book(book: Book, out: Path, today: dt.date | None = None) -> Plan:
    """Write the finished, macro-free plan of any open ``book`` to ``out`` (.xlsx)."""
    if out.suffix.lower() != ".xlsx":
        raise WorkbookFileError(
            f"导出文件应为 .xlsx：{out.name}", f"The finished plan must be an .xlsx file: {out.name}"
        )
    typed, plan, outputs = read_plan(book, today)
    # the inputs as the engine read them ("¥50,000,000" shows as 50,000,000), and the sensitivity
    # picks as typed; typed columns stay; the scenarios compared last, if they were
    compared = versions.read_comparison(book)
    picks = read_picks(typed.cells)
    shown = replace(
        typed, cells={**from_inputs(plan.inputs).cells, **picks.cells()},
        ledgers={c.SCENARIO_COMPARE_LEDGER.name: compared},
    )  # fmt: skip
    made = sensitivity_blocks(plan.inputs, picks, _moment(today))
    tables = {c.SENSITIVITY_COLUMNS.name: made.heads, c.SENSITIVITY_TABLE.name: made.rows}
    outputs = replace(
        outputs, cells={**outputs.cells, "Sensitivity_Made": made.made}, tables={**outputs.tables, **tables}
    )
    _render_to(out, shown, outputs, Mode.EXPORT)
    return plan


def export_file(path: Path, out: Path, today: dt.date | None = None) -> Plan:
    """Write the finished plan of the workbook at ``path`` (values cached, cover first) to ``out``."""
    if (out.exists() and path.exists() and out.samefile(path)) or real_path(out) == real_path(path):
        raise WorkbookFileError(
            f"导出文件不能是规划工作簿本身（{out.name}）：请换一个文件名，以免规划工作簿被覆盖。",
            f"The finished plan cannot replace the planning workbook itself ({out.name}); choose "
            "another name so the workbook is kept.",
        )
    return export_book(open_book(path), out, today)


@dataclass(frozen=True)
class Optimised:
    """The optimiser's proposal, the curves it stood on, and the plan regenerated if it was accepted."""

    proposal: Optimisation
    curves: dict[Channel, ChannelCurve]
    accepted: Regenerated | None


def proposal_of(
    book: Book, goal: Goal = Goal.BUDGET, target: float | None = None, today: dt.date | None = None
) -> Proposal:
    """The optimiser's proposal for ``goal`` on the response curves of any open ``book``."""
    typed, plan, _ = read_plan(book, today)
    return propose(plan, typed.actuals, goal, target)


def optimize_file(
    path: Path, goal: Goal = Goal.BUDGET, target: float | None = None, accept: bool = False,
    today: dt.date | None = None,
) -> Optimised:  # fmt: skip
    """Propose each phase's channel split for ``goal`` on the workbook's response curves; with
    ``accept``, type the proposed shares into 假设's channel mix and regenerate (atomically)."""
    if not accept:
        found = proposal_of(open_book(path), goal, target, today)
        return Optimised(found.optimisation, found.curves, None)
    with editing(path) as book:
        found = proposal_of(book, goal, target, today)
        accepted = accept_channel_mix(book, found.optimisation.channel_mix(), today)
        return Optimised(found.optimisation, found.curves, accepted)


def replan_file(
    path: Path, through: dt.date | None = None, today: dt.date | None = None
) -> tuple[Replan, Settings]:
    """The rest of the year re-planned from the workbook's actuals, and the next weeks' Qianchuan
    settings (from the day after the actuals); the workbook is only read."""
    typed, plan, _ = read_plan(open_book(path), today)
    replanned = replan_year(plan, typed.actuals, through)
    return replanned, qianchuan_settings(plan, replanned)


def sensitivity_file(path: Path, options: Mapping[str, Any], today: dt.date | None = None) -> Made:
    """Make the 敏感性 sheet's table from its picks, ``options`` (``Picks`` fields) typed over them
    first, and write it (atomically)."""
    with editing(path) as book:
        return make_sensitivity(book, options, _moment(today))


def _moment(today: dt.date | None) -> dt.datetime:
    """Now, or the start of ``today`` where a day is given (as tests give it)."""
    return dt.datetime.now() if today is None else dt.datetime.combine(today, dt.time())


def save_scenario_file(path: Path, name: str | None, replace: bool = False,
                       today: dt.date | None = None) -> versions.Saved:  # fmt: skip
    """Keep the workbook's inputs and assumptions as the scenario ``name`` on its 情景 sheet."""
    with editing(path) as book:
        return versions.save_scenario(book, name, today, replace)


def list_scenarios_file(path: Path) -> list[versions.Listed]:
    """The scenarios saved in the workbook; it is only read."""
    return versions.list_scenarios(open_book(path))


def restore_scenario_file(path: Path, name: str | None, today: dt.date | None = None) -> versions.Restored:
    """Type a saved scenario's inputs back where they differ, and regenerate (atomically)."""
    with editing(path) as book:
        return versions.restore_scenario(book, name, today)


def delete_scenario_file(path: Path, name: str | None) -> None:
    """Remove a saved scenario from the workbook."""
    with editing(path) as book:
        versions.delete_scenario(book, name)


def compare_scenarios_file(path: Path, names: list[str], base: str | None = None,
                           today: dt.date | None = None) -> Compared:  # fmt: skip
    """Compare the plans of the current inputs and of saved scenarios, written on 情景对比."""
    with editing(path) as book:
        return versions.compare_scenarios(book, names, base, today)


def freeze_baseline_file(path: Path, replace: bool = False, today: dt.date | None = None) -> versions.Frozen:
    """Freeze the workbook's plan, day by day, on its 基线 sheet, and regenerate."""
    with editing(path) as book:
        return versions.freeze_baseline(book, today, replace)


def import_files(
    path: Path,
    reports: list[Path],
    progress: Callable[[Path, int], None] | None = None,
    allow_unreadable: bool = False,
) -> tuple[Imported, list[Report]]:
    """Read every report first (a bad one stops here, before the workbook is touched), then
    fold them into the workbook's actuals and regenerate it, atomically.

    ``allow_unreadable``: money cells that cannot be read count as blank (named in the summary)
    instead of refusing the file."""
    read = [
        read_report(r, (lambda rows, r=r: progress(r, rows)) if progress else None, allow_unreadable)
        for r in reports
    ]
    with editing(path) as book:
        regenerated = import_reports(book, read, dt.datetime.now())
    return regenerated, read
