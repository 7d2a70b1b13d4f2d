"""Errors that users see: every message is in Chinese and English and names the place."""

from __future__ import annotations

from dataclasses import dataclass


class Field(str):
    """Where in the engine's inputs a problem is: a key, then a row key and a column key or a
    1-based index (``channel_mix`` row ``P3``; ``seasonality`` index 6; ``risk_ratings`` row
    ``policy`` column ``impact``). It reads, and compares equal to, the text messages show:
    ``channel_mix.P3``, ``seasonality[6]``, ``risk_ratings.policy.impact``."""

    key: str
    row: str | None
    col: str | None
    index: int | None

    def __new__(
        cls, key: str, row: str | None = None, col: str | None = None, index: int | None = None
    ) -> Field:
        parts = [key, *(f".{part}" for part in (row, col) if part is not None)]
        field = super().__new__(cls, "".join(parts) + ("" if index is None else f"[{index}]"))
        field.key, field.row, field.col, field.index = key, None if row is None else str(row), col, index
        return field

    def at(self, index: int) -> Field:
        """The ``index``-th number of this field."""
        return Field(self.key, self.row, self.col, index)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what to do, in both languages.

    ``field`` is where in the engine's inputs (``gmv_target``, ``channel_mix.P3``); the workbook
    layer turns it into a sheet and cell. A plain text is a field of that key.
    """

    field: Field
    zh: str
    en: str
    where: str = ""  # sheet and cell (输入!C8) once the workbook layer knows it

    def __post_init__(self) -> None:
        if not isinstance(self.field, Field):
            object.__setattr__(self, "field", Field(self.field))

    def __str__(self) -> str:
        return f"{self.where or self.field}: {self.zh} / {self.en}"


class DyplanError(Exception):
    """Base of every error dyplan reports to a user instead of a traceback."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class InputError(DyplanError):
    """The inputs cannot make a plan; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"输入有 {len(problems)} 处问题，请修改后重试：\n{lines}",
            f"{len(problems)} input problem(s); fix them and try again.",
        )


class FitError(DyplanError):
    """The actuals cannot fit a response curve: too few days, or spend that never varied."""


class OptimiseError(DyplanError):
    """No channel split meets the bounds or the target asked for; the message says which and why."""
