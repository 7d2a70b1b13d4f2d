"""``dyplan excel setup``: check a macro workbook runs standalone and point it at this Python.

The workbook's own xlwings module (standalone: no add-in, no VBA reference) must be the version
of the xlwings installed here, since its Declare statements name that version's DLL; and RunPython
and the worksheet functions start the interpreter its ``xlwings.conf`` sheet names. The setup
checks the first and writes the second into a copy, so the original stays as it was.
"""

from __future__ import annotations

import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlwings

from dyplan.book.xlsx_file import open_book
from dyplan.errors import DyplanError
from dyplan.files.safety import write_atomically
from dyplan.template.ovba.read import read_project
from dyplan.template.render import XLWINGS_CONF_SHEET

XLWINGS_MODULE, UDF_WRAPPERS = "xlwings", "xlwings_udfs"
VERSION = re.compile(r'^Public Const XLWINGS_VERSION As String = "(.+)"$', re.M)
CONF_ROWS = 50  # the settings sheet is read this far for the key to replace


class SetupError(DyplanError):
    """The workbook cannot be set up to run on its own."""


@dataclass(frozen=True)
class Setup:
    copy: Path
    key: str  # Interpreter_Win or Interpreter_Mac
    interpreter: str
    replaced: str | None  # the path the sheet named before, if any
    xlwings_version: str


def interpreter_key(platform: str = sys.platform) -> str:
    """The xlwings.conf key RunPython reads on this system."""
    return "Interpreter_Mac" if platform == "darwin" else "Interpreter_Win"


def standalone_problems(path: Path) -> list[tuple[str, str]]:
    """Why the workbook at ``path`` would need an add-in or another xlwings (zh, en); none: fine."""
    try:
        with zipfile.ZipFile(path) as archive:
            vba = archive.read("xl/vbaProject.bin")
    except KeyError:
        return [("工作簿不含宏（VBA 工程）：请使用 .xlsm 规划工作簿。",
                 "The workbook has no macros (VBA project): use the .xlsm planning workbook.")]  # fmt: skip
    except zipfile.BadZipFile:
        return [("文件不是 Excel 工作簿。", "The file is not an Excel workbook.")]
    project = read_project(vba)
    problems = []
    if project.project_references:
        names = ", ".join(project.project_references)
        problems.append((
            f"VBA 工程引用了其他工程（加载项）：{names}；请删除该引用。",
            f"The VBA project references another project (an add-in): {names}; remove it.",
        ))  # fmt: skip
    module = project.modules.get(XLWINGS_MODULE, "")
    found = VERSION.search(module)
    if not found:
        problems.append((
            "工作簿里没有 xlwings 的独立模块：请用 dyplan new 新建 .xlsm 工作簿。",
            "The workbook lacks xlwings' standalone module: create the .xlsm with dyplan new.",
        ))  # fmt: skip
    elif found.group(1) != xlwings.__version__:
        problems.append((
            f"工作簿的 xlwings 模块是 {found.group(1)} 版，而本机 Python 中的 xlwings 是 "
            f"{xlwings.__version__} 版：请运行 pip install xlwings=={found.group(1)}。",
            f"The workbook's xlwings module is version {found.group(1)} but this Python has xlwings "
            f"{xlwings.__version__}: run pip install xlwings=={found.group(1)}.",
        ))  # fmt: skip
    if UDF_WRAPPERS not in project.modules:
        problems.append(("工作簿里没有工作表函数模块 xlwings_udfs。",
                         "The workbook lacks the worksheet functions' module xlwings_udfs."))  # fmt: skip
    return problems


def set_up(workbook: Path, out: Path, interpreter: str | None = None, platform: str = sys.platform) -> Setup:
    """Copy ``workbook`` to ``out`` with ``interpreter`` (default: this Python) in its xlwings.conf sheet."""
    if not workbook.is_file():
        raise SetupError(f"找不到文件：{workbook}", f"File not found: {workbook}")
    if out.suffix.lower() != ".xlsm":
        raise SetupError(f"副本须为 .xlsm 文件：{out}", f"The copy must be an .xlsm file: {out}")
    if out.exists():
        raise SetupError(f"文件已存在，未覆盖：{out}", f"The file exists; not overwritten: {out}")
    problems = standalone_problems(workbook)
    if problems:
        raise SetupError("\n".join(zh for zh, _ in problems), "\n".join(en for _, en in problems))
    interpreter = interpreter or sys.executable
    key = interpreter_key(platform)
    book = open_book(workbook)
    if XLWINGS_CONF_SHEET not in book.sheet_names():
        raise SetupError(
            f"工作簿没有 {XLWINGS_CONF_SHEET} 工作表。", f"The workbook has no {XLWINGS_CONF_SHEET} sheet."
        )
    rows = book.read(XLWINGS_CONF_SHEET, 1, 1, CONF_ROWS, 2)
    keys = [str(k or "").strip().lower() for k, _ in rows]
    row = keys.index(key.lower()) + 1 if key.lower() in keys else next(
        (i + 1 for i, k in enumerate(keys) if not k), CONF_ROWS + 1
    )  # fmt: skip
    replaced = rows[row - 1][1] if row <= CONF_ROWS and keys[row - 1] else None
    book.write(XLWINGS_CONF_SHEET, row, 1, [[key, interpreter]])
    write_atomically(out, book.save)
    return Setup(out, key, interpreter, None if replaced is None else str(replaced), xlwings.__version__)
