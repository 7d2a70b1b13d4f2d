"""Errors that users see: every message is in Chinese and English and names the place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what to do, in both languages.

    ``field`` is the engine's name for the input (``gmv_target``, ``channel_mix.P3``);
    the workbook layer turns it into a sheet and cell.
    """

    field: str
    zh: str
    en: str
    where: str = ""  # sheet and cell (输入!C8) once the workbook layer knows it

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
