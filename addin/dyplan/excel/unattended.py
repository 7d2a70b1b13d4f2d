"""Unattended runs of the ribbon's macros (the Excel acceptance): answers instead of dialogs, a log
instead of message boxes.

A workbook-level setting turns it on: the defined name ``dyplan_unattended`` holding the path of
a JSON file, ``{"log": …, "save_as": …, "reports": […], "accept": true, "scenario": …}``. A defined
name, not an environment variable, because an Excel started through COM is launched by Windows' COM
service and does not
inherit the environment of the script that started it; and a name travels with the one workbook.
Each message goes to ``log`` as one JSON line, so a script can read what every click said.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NAME = "dyplan_unattended"


@dataclass(frozen=True)
class Unattended:
    log: Path
    save_as: Path | None  # the Save As dialog's answer; None: Cancel
    reports: tuple[Path, ...]  # the Open dialog's answer; empty: Cancel
    accept: bool = False  # the answer to 采纳建议's question; no answer: No
    scenario: str | None = None  # the scenario name box's answer; None: Cancel

    def tell(self, zh: str, en: str, failed: bool) -> None:
        record = {"kind": "message", "failed": failed, "zh": zh, "en": en}
        with self.log.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record, ensure_ascii=False) + "\n")

    def crashed(self, error: BaseException) -> None:
        """An unexpected error, logged whole: xlwings would show it in a box that stops the run."""
        self.tell("dyplan 出错了", "".join(traceback.format_exception(error)), failed=True)


def settings(book: Any) -> Unattended | None:
    """The unattended settings of the xlwings ``book``; None (the usual case) for a person's clicks."""
    if not book.names.contains(NAME):
        return None
    path = Path(_text_constant(book.names(NAME).refers_to))
    given = json.loads(path.read_text(encoding="utf-8-sig"))  # PowerShell writes a BOM
    save_as, reports = given.get("save_as"), given.get("reports", ())
    return Unattended(Path(given["log"]), Path(save_as) if save_as else None, tuple(map(Path, reports)),
                      bool(given.get("accept", False)), given.get("scenario"))  # fmt: skip


def _text_constant(refers_to: str) -> str:
    """The text of a name defined as a constant: ``="C:\\a ""b"".json"`` is ``C:\\a "b".json``."""
    quoted = refers_to.removeprefix("=")
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        raise ValueError(f"{NAME} should name a file as text, not {refers_to!r}")
    return quoted[1:-1].replace('""', '"')
