"""The promotion calendar (大促日历): Douyin's shopping events as windows of days that weigh more.

Monthly weights cannot say that 618 peaks from May 20 to June 18 after a week of pre-heat, or that a
return window follows 双11. An event is up to three windows (pre-heat, peak, return), each with a GMV
multiplier; a day's multiplier is the product of those of the windows it lies in (1 outside every
window), on top of its month's weight. Spend leads GMV in a pre-heat (the budget buys the traffic
that buys later), so each event's budget multipliers are its GMV multipliers moved ``lead_days``
earlier.

The default events are typical windows, not the platform's announced dates, which change every year
(双11 ran Oct 8 – Nov 11 in 2024 and Sep 16 – Nov 11 in 2025; 年货节 and 七夕 follow the lunar
calendar): they are there to be edited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from dyplan.model.rounding import exact
from dyplan.model.terms import Term


class WindowKind(Term):
    PREHEAT = ("preheat", "预热期", "pre-heat")
    PEAK = ("peak", "爆发期", "peak")
    RETURN = ("return", "返场期", "return")


@dataclass(frozen=True)
class Window:
    """Days ``start``–``end`` (both included) of an event, whose GMV is ``multiplier`` times as much."""

    kind: WindowKind
    start: dt.date
    end: dt.date
    multiplier: float


@dataclass(frozen=True)
class Event:
    name: str
    windows: tuple[Window, ...]
    lead_days: int = 0  # the budget's windows start (and end) this many days before the GMV's


@dataclass(frozen=True)
class TypicalEvent:
    """An event's usual windows as (month, day) pairs, for any year: ``dated`` puts it in one."""

    name: str
    windows: tuple[tuple[WindowKind, tuple[int, int], tuple[int, int], float], ...]
    lead_days: int

    def dated(self, year: int) -> Event:
        return Event(
            self.name,
            tuple(
                Window(kind, dt.date(year, *start), dt.date(year, *end), m)
                for kind, start, end, m in self.windows
            ),
            self.lead_days,
        )


P, K, R = WindowKind.PREHEAT, WindowKind.PEAK, WindowKind.RETURN
#: Typical windows and multipliers (to be edited to the announced dates and the shop's own history).
TYPICAL_EVENTS = (
    TypicalEvent("年货节", ((P, (1, 3), (1, 9), 1.1), (K, (1, 10), (1, 25), 1.5)), 3),
    TypicalEvent("38节", ((P, (2, 25), (2, 28), 1.1), (K, (3, 1), (3, 8), 1.4)), 3),
    TypicalEvent("618", ((P, (5, 13), (5, 19), 1.1), (K, (5, 20), (6, 18), 1.6),
                         (R, (6, 19), (6, 25), 0.9)), 5),
    TypicalEvent("七夕", ((K, (8, 1), (8, 10), 1.2),), 2),
    TypicalEvent("99", ((P, (8, 25), (8, 31), 1.1), (K, (9, 1), (9, 9), 1.3)), 3),
    TypicalEvent("双11", ((P, (10, 8), (10, 19), 1.1), (K, (10, 20), (11, 11), 1.8),
                          (R, (11, 12), (11, 18), 0.9)), 5),
    TypicalEvent("双12", ((P, (12, 1), (12, 5), 1.1), (K, (12, 6), (12, 12), 1.3)), 3),
)  # fmt: skip


def typical_events(first: dt.date, last: dt.date) -> tuple[Event, ...]:
    """The typical events of every year the days ``first``–``last`` touch, in date order, each whose
    windows reach into those days."""
    dated = (e.dated(year) for year in range(first.year, last.year + 1) for e in TYPICAL_EVENTS)
    return tuple(sorted((e for e in dated if _reaches(e, first, last)), key=lambda e: e.windows[0].start))


class PromoCalendar(Term):
    """Which events weigh the plan's days."""

    TYPICAL = "typical", "典型窗口", "typical windows"  # and the events typed in their place, or added
    TYPED = "typed", "仅填写的活动", "typed events only"


def plan_events(
    typed: Sequence[Event], calendar: PromoCalendar, first: dt.date, last: dt.date
) -> tuple[Event, ...]:
    """The events of the plan's days ``first``–``last``: those typed and, with ``TYPICAL``, the typical
    ones, each but where a typed event of the same name starts in the same year (it takes the typical
    one's place, as the platform's announced dates take the usual ones'); in date order."""
    if calendar is PromoCalendar.TYPED:
        return tuple(sorted(typed, key=_first_day))
    replaced = {(e.name, _first_day(e).year) for e in typed}
    kept = [e for e in typical_events(first, last) if (e.name, _first_day(e).year) not in replaced]
    return tuple(sorted([*kept, *typed], key=_first_day))


def _first_day(event: Event) -> dt.date:
    return min(w.start for w in event.windows)


def _reaches(event: Event, first: dt.date, last: dt.date) -> bool:
    return any(window_reaches(w, event.lead_days, first, last) for w in event.windows)


def window_reaches(window: Window, lead_days: int, first: dt.date, last: dt.date) -> bool:
    """Whether a window weighs a day of ``first``–``last``: one of its GMV days, or of its budget
    days, ``lead_days`` earlier."""
    return window.start - dt.timedelta(days=lead_days) <= last and window.end >= first


def day_multipliers(dates: Sequence[dt.date], events: Sequence[Event]) -> tuple[npt.NDArray, npt.NDArray]:
    """Each day's GMV multiplier and budget multiplier, the product over the windows it lies in, as
    exact rationals (object arrays of ``Fraction``): the days' weights decide every fen."""
    ordinals = np.array([d.toordinal() for d in dates])
    gmv = np.full(len(dates), Fraction(1), dtype=object)
    budget = gmv.copy()
    for event in events:
        for w in event.windows:
            start, end, multiplier = w.start.toordinal(), w.end.toordinal(), exact(w.multiplier)
            gmv[(ordinals >= start) & (ordinals <= end)] *= multiplier
            lead = event.lead_days
            budget[(ordinals >= start - lead) & (ordinals <= end - lead)] *= multiplier
    return gmv, budget


def event_names(dates: Sequence[dt.date], events: Sequence[Event]) -> list[str]:
    """What each day is in, for the calendar ("618 爆发期"; events on one day joined by "、")."""
    names: list[list[str]] = [[] for _ in dates]
    first = dates[0].toordinal() if len(dates) else 0
    for event in events:
        for w in event.windows:
            for n in range(
                max(w.start.toordinal() - first, 0), min(w.end.toordinal() - first + 1, len(dates))
            ):
                names[n].append(f"{event.name} {w.kind.zh}")
    return ["、".join(n) for n in names]
