"""What counts as a usable number: any real (numpy's included), finite, and not a bool."""

from __future__ import annotations

import math
import numbers


def is_number(value: object) -> bool:
    return (
        isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)  # type: ignore[arg-type]
    )
