"""What counts as a usable number (any real, numpy's included, finite, not a bool), and the one rule
for a value both typed and measured."""

from __future__ import annotations

import math
import numbers


def is_number(value: object) -> bool:
    return (
        isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)  # type: ignore[arg-type]
    )


def typed_or_measured(typed: object, measured: float | None) -> float | None:
    """What the user typed wins, if it is a number; a blank falls back to what the reports measured."""
    return float(typed) if is_number(typed) else measured  # type: ignore[arg-type]
