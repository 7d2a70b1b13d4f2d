"""Worksheet-function arguments converted from what Excel sends into what the engine takes.

As in xlwings' conversion framework (a converter per kind of value, its options fixed where an
argument is declared, read through a pipeline of stages), each converter here is declared once,
in an argument's annotation, and the worksheet functions' decorator runs them before the body:
``gmv: Annotated[float, required, InputField("gmv_target")]``. Annotations nest, so the
converters run innermost first. A converter is called with the cell value and the argument's
name, and returns the value converted or raises ``CellArgumentError`` naming that argument.

Fields the engine validates are checked by the engine: the value goes into ``PlanInputs`` or
``Assumptions`` and the engine's problem is reported under the argument's name.
"""

from __future__ import annotations

import abc
import datetime as dt
import functools
import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Annotated, Any

from dyplan.book.cells import date_from_cell, number_from_cell
from dyplan.errors import DyplanError, InputError
from dyplan.model import (
    DEFAULT_MATRIX_RATINGS,
    METRICS,
    MIN_HISTORY,
    Assumptions,
    Category,
    PlanInputs,
    Stage,
    Term,
    comparator_is_at_least,
)
from dyplan.scalars import NO_VALUE

#: What a cell hands over or gets back; xlwings reads plain hints (not unions) as converters.
Cell = Any
#: Turns one argument's cell value into what the engine takes; called with the argument's name.
Converter = Callable[[Cell, str], Any]

#: A plan's 365 days from 1 January of a common year are exactly January to December.
DEFAULT_START = dt.date(2027, 1, 1)
#: What the engine needs of the fields a function does not use; each passes its checks.
NEUTRAL_INPUTS: dict[str, Any] = {
    "category": Category.OTHER,
    "stage": Stage.MATURE,
    "gmv_target": 1.0,
    "start_date": DEFAULT_START,
    "baseline_aov": 1.0,
    "headcount": 1,
}


class CellArgumentError(DyplanError):
    """An argument of a worksheet function cannot be used (wrong type or shape)."""

    def __init__(self, argument: str, zh: str, en: str) -> None:
        super().__init__(f"{argument}：{zh}", f"{argument}: {en}")


def chain(*converters: Converter) -> Converter:
    """One converter that runs ``converters`` in order, each on what the one before returned."""
    if len(converters) == 1:
        return converters[0]

    def chained(value: Cell, argument: str) -> Any:
        for converter in converters:
            value = converter(value, argument)
        return value

    return chained


def if_given(*converters: Converter) -> Converter:
    """The converters for an argument that may be left out: a blank (None) stays None."""
    convert = chain(*converters)

    def given(value: Cell, argument: str) -> Any:
        return None if value is None else convert(value, argument)

    return given


class Cached(abc.ABC):
    """A converter whose results are kept: a sheet passes the same cell (the phase, the tolerance,
    the cut points) to every row, and a check by the engine builds its inputs (a few hundred µs).

    Each is declared once, so subclasses keep ``object``'s identity hash (``eq=False``): the cache
    key then costs no Python call.
    """

    def __call__(self, value: Cell, argument: str) -> Any:
        try:
            return _cached(self, value, argument)
        except TypeError:  # unhashable: a range given where one cell belongs, for the check to name
            return self.check(value, argument)

    @abc.abstractmethod
    def check(self, value: Hashable, argument: str) -> Any:
        """The value converted, or ``CellArgumentError``."""


@functools.lru_cache(maxsize=1024)
def _cached(converter: Cached, value: Hashable, argument: str) -> Any:
    return converter.check(value, argument)


# ---------------------------------------------------------------- single cells


def number(value: Cell, argument: str) -> float | None:
    """A number from a cell (``1,234``, ``9%`` and ``¥12`` too); blank gives None."""
    if isinstance(value, bool):  # TRUE/FALSE are no amount
        raise CellArgumentError(argument, f"应为数字，当前为 {value}", f"must be a number, got {value}")
    read = number_from_cell(value)
    if read is None or isinstance(read, int | float):
        return None if read is None else float(read)
    raise CellArgumentError(argument, f"应为数字，当前为 {value!r}", f"must be a number, got {value!r}")


def required(value: Cell, argument: str) -> float:
    """A number that may not be left blank."""
    read = number(value, argument)
    if read is None:
        raise CellArgumentError(argument, "不能为空", "is required")
    return read


def not_negative(value: float, argument: str) -> float:
    if value < 0:
        raise CellArgumentError(argument, "不能为负数", "cannot be negative")
    return value


def date(value: Cell, argument: str) -> dt.date | None:
    """A date cell, an Excel serial number or date text; blank gives None."""
    if value is None or value == "":
        return None
    read = date_from_cell(value)
    if not isinstance(read, dt.date):
        raise CellArgumentError(argument, f"应为日期，当前为 {value!r}", f"must be a date, got {value!r}")
    return read


@dataclass(frozen=True, eq=False)
class OneOf(Cached):
    """A member of ``terms`` by its key, Chinese or English label."""

    terms: type[Term]

    def check(self, value: Hashable, argument: str) -> Term:
        try:
            return self.terms.parse("" if value is None else value)
        except ValueError:
            raise CellArgumentError(
                argument,
                f"应为 {self.terms.choices_zh()} 之一，当前为 {value!r}",
                f"must be one of {', '.join(m.value for m in self.terms)}, got {value!r}",
            ) from None


def metric_key(value: Cell, argument: str) -> str:
    """A checkpoint metric's key, from its key, Chinese or English name."""
    wanted = str(value or "").strip().lower()
    for metric in METRICS.values():
        if wanted in (metric.key, metric.zh.lower(), metric.en.lower()):
            return metric.key
    raise CellArgumentError(
        argument,
        f"未知指标 {value!r}，可用：{'、'.join(m.zh for m in METRICS.values())}",
        f"unknown metric {value!r}; use one of {', '.join(METRICS)}",
    )


def is_at_least(value: Cell, argument: str) -> bool:
    """A comparator as users type it: True for ≥ (>=), False for ≤ (<=)."""
    try:
        return comparator_is_at_least(str(value or ""))
    except ValueError:
        raise CellArgumentError(
            argument, f"应为 ≥ 或 ≤，当前为 {value!r}", f"must be ≥ or ≤, got {value!r}"
        ) from None


# ---------------------------------------------------------------- ranges


def rows(block: Cell, argument: str) -> list[list[Cell]]:
    """Any argument as a list of rows: a single cell, one row (a list) or a block."""
    if not isinstance(block, list | tuple):
        return [[block]]
    if all(isinstance(row, list | tuple) for row in block):
        return [list(row) for row in block]
    return [list(block)]


def _line(block: Cell, argument: str) -> list[Cell]:
    """The cells of one row or one column, in order; a wider block is a mistake."""
    table = rows(block, argument)
    if len(table) > 1 and any(len(row) > 1 for row in table):
        raise CellArgumentError(
            argument,
            f"应为一行或一列，当前为 {len(table)} 行 × {max(map(len, table))} 列",
            f"must be one row or one column, got {len(table)} rows × {max(map(len, table))} columns",
        )
    return [value for row in table for value in row]


def sized(values: tuple[float | None, ...], size: int, argument: str) -> tuple[float | None, ...]:
    """``values`` if there are ``size`` of them."""
    if len(values) != size:
        raise CellArgumentError(
            argument,
            f"应为 {size} 个数，当前为 {len(values)} 个",
            f"must be {size} numbers, not {len(values)}",
        )
    return values


@dataclass(frozen=True)
class Numbers:
    """The numbers of one row or column (blanks None), ``size`` of them if given."""

    size: int | None = None

    def __call__(self, block: Cell, argument: str) -> tuple[float | None, ...]:
        values = tuple(number(v, f"{argument}[{i}]") for i, v in enumerate(_line(block, argument), 1))
        return values if self.size is None else sized(values, self.size, argument)


@dataclass(frozen=True)
class NumberBlock:
    """A block of numbers ``height`` rows × ``width`` columns (blanks None), as rows."""

    height: int
    width: int

    def __call__(self, block: Cell, argument: str) -> list[list[float | None]]:
        table = rows(block, argument)
        if len(table) != self.height or any(len(row) != self.width for row in table):
            got = f"{len(table)} × {max(map(len, table), default=0)}"
            raise CellArgumentError(
                argument,
                f"应为 {self.height} 行 × {self.width} 列，当前为 {got}",
                f"must be {self.height} rows × {self.width} columns, got {got}",
            )
        return [[number(v, f"{argument}[{i},{j}]") for j, v in enumerate(row, 1)]
                for i, row in enumerate(table, 1)]  # fmt: skip


def nonnegative_weights(values: tuple[float | None, ...], argument: str) -> tuple[float, ...]:
    if any(w is None or w < 0 for w in values):
        raise CellArgumentError(argument, "每个权重应为 ≥ 0 的数", "every weight must be a number ≥ 0")
    return values  # type: ignore[return-value]


def daily_history(block: Cell, argument: str) -> list[float]:
    """One value a day, oldest first, as the forecast takes it: a blank between values is a day
    without data (NaN); blanks after the last value are a range taller than the data."""
    values = list(Numbers()(block, argument))
    while values and values[-1] is None:
        values.pop()
    present = len(values) - values.count(None)
    if present < MIN_HISTORY:
        raise CellArgumentError(
            argument,
            f"至少需要 {MIN_HISTORY} 个值，当前 {present} 个",
            f"needs at least {MIN_HISTORY} values, got {present}",
        )
    return [math.nan if v is None else v for v in values]


# ---------------------------------------------------------------- fields the engine checks
# Each returns the value as the engine stores it (``30.0`` becomes ``30`` for whole numbers).


def inputs_with(**fields: Any) -> PlanInputs:
    """Engine inputs with ``fields``; those a function does not use get neutral values."""
    return PlanInputs(**(NEUTRAL_INPUTS | fields))


def checked_inputs(argument: str, **fields: Any) -> PlanInputs:
    """``inputs_with(**fields)``, the engine's first problem with them named as ``argument``."""
    try:
        return inputs_with(**fields)
    except InputError as error:
        first, more = error.problems[0], len(error.problems) - 1
        more_zh, more_en = (f"（另有 {more} 处）", f" ({more} more)") if more else ("", "")
        raise CellArgumentError(argument, first.zh + more_zh, first.en + more_en) from None


@dataclass(frozen=True, eq=False)
class InputField(Cached):
    """A field of ``PlanInputs`` (``gmv_target``, ``category``…); blank is checked as blank."""

    field: str

    def check(self, value: Hashable, argument: str) -> Any:
        return getattr(checked_inputs(argument, **{self.field: value}), self.field)


@dataclass(frozen=True, eq=False)
class Assumption(Cached):
    """An assumption, or with ``key`` one entry of a mapping assumption; blank: the seed's default."""

    field: str
    key: Hashable = None

    def check(self, value: Hashable, argument: str) -> Any:
        default = getattr(Assumptions(), self.field)
        if value is None:
            return default if self.key is None else default[self.key]
        given = value if self.key is None else {**default, self.key: value}
        inputs = checked_inputs(argument, assumptions=Assumptions(**{self.field: given}))
        checked = getattr(inputs.assumptions, self.field)
        return checked if self.key is None else checked[self.key]


@dataclass(frozen=True, eq=False)
class MatrixRating(Cached):
    """The probability (``position`` 0) or impact (1) of a risk-matrix rating: a whole number 1–5,
    checked by the engine as part of a factor's rating."""

    position: int

    def check(self, value: Hashable, argument: str) -> int:
        factor, rating = next(iter(DEFAULT_MATRIX_RATINGS.items()))
        pair = (value, rating[1]) if self.position == 0 else (rating[0], value)
        checked = checked_inputs(argument, risk_ratings={**DEFAULT_MATRIX_RATINGS, factor: pair})
        return checked.risk_ratings[factor][self.position]


# ---------------------------------------------------------------- what arguments commonly are

Number = Annotated[float | None, number]
Required = Annotated[float, required]
Date = Annotated[dt.date | None, date]


# ---------------------------------------------------------------- results


def or_no_value(value: float | None) -> Cell:
    """A result for a cell: Excel shows Python's None as 0, so no value shows as ``NO_VALUE``."""
    return NO_VALUE if value is None else value
