"""What counts as a usable number (any real, numpy's included, finite, not a bool), the one rule
for a value both typed and measured, and how a rejected value is quoted in a message."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from typing import Any


def is_number(value: object) -> bool:
    return (
        isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)  # type: ignore[arg-type]
    )


def typed_or_measured(typed: object, measured: float | None) -> float | None:
    """What the user typed wins, if it is a number; a blank falls back to what the reports measured."""
    return float(typed) if is_number(typed) else measured  # type: ignore[arg-type]


def is_blank(value: Any) -> bool:
    """A cell left empty: None, or text of nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any, blank: str) -> str:
    """A rejected value as a message quotes it; blank cells (None, "") read ``blank``."""
    if is_blank(value):
        return blank
    if isinstance(value, tuple | list):
        return f"({', '.join(_shown(v, blank) for v in value)})"
    if isinstance(value, dt.date):  # as the cell shows it, not datetime.date(1027, 1, 1)
        return value.isoformat()
    return repr(value)


def got(value: Any) -> tuple[str, str]:
    """The "当前为 …" / "got …" of a message: a cell left empty says so, never ``None``."""
    if is_blank(value):
        return "当前为空", "got blank"
    return f"当前为 {_shown(value, '空')}", f"got {_shown(value, 'blank')}"
