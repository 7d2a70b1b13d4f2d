"""Versions of a plan kept in its workbook: named scenarios (情景), their plans side by side (情景对比)
and the frozen baseline (基线).

Each command works on any ``Book``: a file (the CLI, inside ``editing``) or Excel itself (the ribbon).
A workbook made before these sheets is refused before anything is written: dyplan never adds a sheet
to the user's file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dyplan import scalars
from dyplan.book import contract as c
from dyplan.book import scenarios as s
from dyplan.book.baseline import BaselineError, write_baseline
from dyplan.book.cells import Entry
from dyplan.book.port import Book
from dyplan.book.workbook import ContractError, Regenerated, in_place, read_plan, read_typed, regenerate
from dyplan.model import Baseline, freeze

#: What each later sheet holds, as a refusal names it.
_FEATURES = {
    c.SCENARIOS.name: ("情景", "scenarios"),
    c.SCENARIO_COMPARE.name: ("情景", "scenarios"),
    c.BASELINE.name: ("基线", "the baseline"),
    c.SENSITIVITY.name: ("敏感性分析", "sensitivity tables"),
}


def refuse_earlier(book: Book, *sheets: c.Sheet) -> None:
    """A workbook made before ``sheets`` were added cannot keep what they hold: say so, and how to get
    one that can."""
    names = set(book.sheet_names())
    for sheet in sheets:
        if sheet.name not in names:
            zh, en = _FEATURES[sheet.name]
            raise ContractError(
                f"这个工作簿由较早版本的 dyplan 创建，早于{zh}功能，没有「{sheet.name}」工作表。"
                "dyplan 不会在您的文件中添加工作表：请用 dyplan new 新建一个带有这些工作表的规划工作簿，"
                "再把输入复制过去。本次未写入任何内容。",
                f"This workbook predates {en}: an earlier dyplan made it, without the 「{sheet.name}」 "
                f"({sheet.en}) sheet. dyplan never adds sheets to your file: `dyplan new` makes a planning "
                "workbook that has them; copy your inputs into it. Nothing was written.",
            )


def _day(value: Any) -> str:
    """A saved date as text (as it was typed if it is no date)."""
    try:
        day = scalars.date(value)
    except ValueError:
        return str(value)
    return "—" if day is None else f"{day:%Y-%m-%d}"


# ---------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Listed:
    """A saved scenario: its name, the day it was saved, its inputs and how many differ from now."""

    name: str
    saved_on: str
    inputs: int
    differing: int


def list_scenarios(book: Book) -> list[Listed]:
    """Every scenario saved in ``book``, in the order of its columns."""
    refuse_earlier(book, c.SCENARIOS)
    with in_place(book):
        held = s.read_ledger(book, c.SCENARIO_LEDGER)
        current = s.scenario_values(read_typed(book, baseline=False))
    return [
        Listed(
            str(entry.heads[0] or ""),
            _day(entry.heads[1]),
            len(entry.values),
            sum(
                not s.same(current[key], value, s.ITEMS[key].fmt)
                for key, value in entry.values.items()
                if key in current
            ),
        )
        for entry in held.entries
    ]


@dataclass(frozen=True)
class Saved:
    name: str
    replaced: bool  # a scenario of that name was there, and is replaced
    inputs: int


def save_scenario(book: Book, name: str | None, today: dt.date | None = None, replace: bool = False) -> Saved:
    """Keep every input and assumption of ``book`` as the scenario ``name`` (a new column of 情景);
    a name already taken is refused unless ``replace``."""
    name = s.checked_name(name)
    refuse_earlier(book, c.SCENARIOS)
    with in_place(book):
        held = s.read_ledger(book, c.SCENARIO_LEDGER)
        values = s.scenario_values(read_typed(book, baseline=False))
        entry = Entry((name, today or dt.date.today()), values)
        entries = list(held.entries)
        taken = name in held.names()
        if taken and not replace:
            saved = _day(entries[held.names().index(name)].heads[1])
            raise s.ScenarioError(
                f"已有名为「{name}」的情景（保存于 {saved}）。请换一个名称，或加 --replace 替换它。",
                f"There is a scenario named {name!r} already (saved on {saved}). Choose another name, or "
                "add --replace to replace it.",
            )
        if taken:
            entries[held.names().index(name)] = entry
        else:
            entries.append(entry)
        s.write_ledger(book, held, entries)
    return Saved(name, taken, len(values))


def delete_scenario(book: Book, name: str | None) -> None:
    """Remove the scenario ``name`` from 情景 (the columns after it move left)."""
    refuse_earlier(book, c.SCENARIOS)
    with in_place(book):
        held = s.read_ledger(book, c.SCENARIO_LEDGER)
        gone = s.entry_of(held, name)
        s.write_ledger(book, held, held.entries[:gone] + held.entries[gone + 1 :])


@dataclass(frozen=True)
class Restored:
    """What restoring typed into the inputs, what it could not, and the plan regenerated from them."""

    restoring: s.Restoring
    regenerated: Regenerated


def restore_scenario(book: Book, name: str | None, today: dt.date | None = None) -> Restored:
    """Type the scenario ``name``'s inputs back into 输入 and 假设, only where they differ, as the user
    would, and regenerate. A scenario that makes no plan is refused, naming its cells on 情景."""
    refuse_earlier(book, c.SCENARIOS)
    with in_place(book):
        held = s.read_ledger(book, c.SCENARIO_LEDGER)
        restoring = s.restoring(read_typed(book, baseline=False), held, s.entry_of(held, name))
        s.type_changes(book, restoring)
    return Restored(restoring, regenerate(book, today))


def compare_scenarios(
    book: Book, names: Sequence[str] = (), base: str | None = None, today: dt.date | None = None
) -> s.Compared:
    """Build the plan of the current inputs and of each scenario named (every one by default), set
    their figures side by side with each one's difference to ``base`` (default: the current inputs)
    on 情景对比."""
    refuse_earlier(book, c.SCENARIOS, c.SCENARIO_COMPARE)
    with in_place(book):
        held = s.read_ledger(book, c.SCENARIO_LEDGER)
        compared = s.compare(
            read_typed(book, baseline=False), held, names, s.base_name(base), today or dt.date.today()
        )
        s.write_ledger(book, s.read_ledger(book, c.SCENARIO_COMPARE_LEDGER), compared.entries)
    return compared


def read_comparison(book: Book) -> list[Entry]:
    """The comparison last written on 情景对比 (none in a workbook made before it)."""
    if c.SCENARIO_COMPARE.name not in book.sheet_names():
        return []
    return s.read_ledger(book, c.SCENARIO_COMPARE_LEDGER).entries


# ---------------------------------------------------------------- the baseline


@dataclass(frozen=True)
class Frozen:
    """The baseline frozen, and the plan regenerated beside it."""

    baseline: Baseline
    regenerated: Regenerated


def frozen_on(book: Book) -> str | None:
    """The day the baseline of ``book`` was frozen (as its cell shows it), or None before any freeze."""
    refuse_earlier(book, c.BASELINE)
    with in_place(book):
        frozen = book.read(*c.cell_of("Baseline_Frozen_On"), 1, 1)[0][0]
    return None if scalars.is_blank(frozen) else _day(frozen)


def freeze_baseline(book: Book, today: dt.date | None = None, replace: bool = False) -> Frozen:
    """Freeze the plan of ``book``'s inputs, day by day, on 基线, and regenerate (the comparison with it
    from now on). An existing baseline is refused, naming the day it was frozen, unless ``replace``."""
    refuse_earlier(book, c.BASELINE)
    today = today or dt.date.today()
    frozen = frozen_on(book)
    if frozen is not None and not replace:
        raise BaselineError(
            f"已有冻结于 {frozen} 的基线。重新冻结会替换它（此后的对照都以新基线为准）："
            "确需如此，请加 --replace。",
            f"A baseline frozen on {frozen} is there already. Freezing again replaces it (every comparison "
            "from then on is with the new one): add --replace if that is what you want.",
        )
    with in_place(book):
        # the old baseline is not read: --replace also mends one whose cells were edited by hand
        _, plan, _ = read_plan(book, today, read_typed(book, baseline=False))
        baseline = freeze(plan, today)
        write_baseline(book, baseline)
    return Frozen(baseline, regenerate(book, today))
