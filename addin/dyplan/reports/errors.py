"""What the report reader says when it cannot use a file."""

from __future__ import annotations

from pathlib import Path

from dyplan.errors import DyplanError


class ReportFormatError(DyplanError):
    """A report this reader cannot use: the message lists what it found and what it needs."""


def damaged(path: Path, error: Exception) -> ReportFormatError:
    return ReportFormatError(f"{path.name}：文件已损坏或格式不正确（{error}）。",
                             f"{path.name}: damaged or malformed file ({error}).")  # fmt: skip
