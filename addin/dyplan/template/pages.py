"""How a sheet prints: the scale that fits its columns to its pages' width, and where pages break.

A fixed scale, not "fit to pages": Excel ignores manual page breaks on a sheet fitted to pages.
Estimates lean large (LibreOffice's stand-in for 微软雅黑 has wide digits, Excel's rows of
微软雅黑 are taller than 15 pt), so a page holds a little less than it could, never more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

#: A4 landscape, 0.4 in margins left and right and 0.5 in top and bottom: the printable area in points.
PAGE_WIDTH_PT = (11.69 - 0.8) * 72
PAGE_HEIGHT_PT = (8.27 - 1.0) * 72
#: Points a column of width ``w`` takes: w digits of about 6.75 pt (9 px) and 3.75 pt (5 px) padding.
DIGIT_PT, PADDING_PT = 6.75, 3.75
#: Points a row of default height may take (15 pt in LibreOffice, more in Excel).
ROW_PT = 17.5
#: A block that starts low on a page moves to the next if fewer rows than this would fit.
MIN_ROWS = 4


def column_pt(width: float) -> float:
    return width * DIGIT_PT + PADDING_PT


def page_columns(widths: list[float], scale: float, repeated: int) -> list[int]:
    """0-based columns that start a new page at ``scale`` (each later page repeats the first
    ``repeated`` columns)."""
    room = PAGE_WIDTH_PT / scale
    again = sum(column_pt(w) for w in widths[:repeated])
    starts, used = [], 0.0
    for col, width in enumerate(widths):
        if used + column_pt(width) > room and used > again:
            starts.append(col)
            used = again
        used += column_pt(width)
    return starts


def print_scale(widths: list[float], pages_wide: int = 1, repeated: int = 0) -> int:
    """The largest whole percentage (at most 100) at which the columns print ``pages_wide`` pages wide."""
    scale = 100
    while scale > 10 and len(page_columns(widths, scale / 100, repeated)) >= pages_wide:
        scale -= 1
    return scale


def page_scale(heights: Iterable[float]) -> int:
    """The largest whole percentage (at most 100) at which rows of these heights (points) fit one page."""
    scale = 100
    total = sum(heights)
    while scale > 10 and total * scale / 100 > PAGE_HEIGHT_PT:
        scale -= 1
    return scale


@dataclass(frozen=True)
class Span:
    """A block's rows (0-based, inclusive) and how many of them must share its first page: all of a
    block that stays whole, the title, header and a few rows of a table that grows."""

    first: int
    last: int
    together: int


def page_breaks(
    blocks: Iterable[Span], height: Callable[[int], float], scale: int, top: int = 0
) -> list[int]:
    """0-based rows that start a page, so that no block that fits a page is split and none starts
    with too little of it at the bottom of one (its title alone, say)."""
    room = PAGE_HEIGHT_PT / (scale / 100)
    breaks: list[int] = []
    page_top = top
    for block in blocks:
        used = sum(height(r) for r in range(page_top, block.first))
        needed = sum(height(r) for r in range(block.first, block.first + block.together))
        if needed > room:  # taller than a page: it runs on, so only its start must be here
            needed = sum(height(r) for r in range(block.first, block.first + 2 + MIN_ROWS))
        if block.first > page_top and used + needed > room:
            breaks.append(block.first)
            page_top = block.first
        page_top = _last_page_top(page_top, block.last, height, room)
    return breaks


def _last_page_top(page_top: int, last: int, height: Callable[[int], float], room: float) -> int:
    """The first row of the page that a block's last row prints on, as a client fills pages."""
    filled = 0.0
    for row in range(page_top, last + 1):
        if filled + height(row) > room and row > page_top:
            page_top, filled = row, 0.0
        filled += height(row)
    return page_top
