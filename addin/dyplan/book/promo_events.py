"""The promotion calendar in the workbook: the events typed on 假设 (a window a row) read as the
engine's ``Event``s, each wrong cell named; the windows the plan uses listed beside them, the typical
ones marked as to be edited; and each calendar day's event, multipliers and budget on 投放日历.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from dyplan import scalars
from dyplan.book import contract as c
from dyplan.book.port import Rows
from dyplan.errors import Field, InputError, Problem
from dyplan.model import (
    MAX_LEAD_DAYS,
    Event,
    Plan,
    Window,
    WindowKind,
    day_multipliers,
    event_names,
    promotion_events,
)

TYPICAL_SOURCE = "典型 typical"
TYPED_SOURCE = "填写 typed"


def _where(row: int, col: int) -> str:
    return f"{c.ASSUMPTIONS.name}!{c.address(row, col)}"


def typed_events(columns: Mapping[str, Sequence[Any]]) -> tuple[Event, ...]:
    """The events of the table's filled rows, their windows in the order typed (rows of one name are
    one event; its budget lead is its first row's, blank: 0). ``InputError`` names every wrong cell."""
    table = c.PROMO_EVENTS
    _, top, left = c.table_origin(table)
    keys = [col.key for col in table.columns]
    rows = list(zip(*(columns.get(k, [None] * (table.rows or 0)) for k in keys), strict=True))
    problems: list[Problem] = []
    windows: dict[str, list[Window]] = {}
    leads: dict[str, int] = {}

    def wrong(i: int, key: str, zh: str, en: str) -> None:
        where = _where(top + i, left + table.column(key))
        problems.append(Problem(Field("promo_events", str(i + 1), key), zh, en, where=where))

    for i, row in enumerate(rows):
        cells = dict(zip(keys, row, strict=True))
        shown = {key: _shown(value) for key, value in cells.items()}
        if all(scalars.is_blank(v) for v in row):
            continue
        name = "" if scalars.is_blank(cells["event"]) else str(cells["event"]).strip()
        if not name:
            wrong(i, "event", "请填写活动名称（如 618）", "type the event's name (e.g. 618)")
        kind = next((k for k in WindowKind if str(cells["window"]).strip() in (k.value, k.zh, k.en)), None)
        if kind is None:
            wrong(i, "window", f"应为 {WindowKind.choices_zh()} 之一，当前为 {shown['window']}",
                  f"must be one of {', '.join(k.en for k in WindowKind)}; got {shown['window']}")  # fmt: skip
        start, end = _date(cells["start"]), _date(cells["end"])
        for key, day in (("start", start), ("end", end)):
            if day is None:
                wrong(i, key, f"应为日期，当前为 {shown[key]}", f"must be a date; got {shown[key]}")
        if start and end and end < start:
            wrong(i, "end", f"结束日期 {end} 早于开始日期 {start}", f"ends {end}, before it starts {start}")
        multiplier = _number(cells["multiplier"])
        if multiplier is None or not multiplier > 0:
            wrong(i, "multiplier", f"应为大于 0 的倍数（如 1.6），当前为 {shown['multiplier']}",
                  f"must be a multiplier above 0 (e.g. 1.6); got {shown['multiplier']}")  # fmt: skip
        lead = 0 if scalars.is_blank(cells["lead_days"]) else _number(cells["lead_days"])
        if lead is None or not float(lead).is_integer() or not 0 <= lead <= MAX_LEAD_DAYS:
            wrong(i, "lead_days", f"应为 0–{MAX_LEAD_DAYS} 的整数天数，当前为 {shown['lead_days']}",
                  f"must be whole days from 0 to {MAX_LEAD_DAYS}; got {shown['lead_days']}")  # fmt: skip
        if problems:
            continue  # every wrong cell is named; nothing is built from them
        assert kind is not None and start is not None and end is not None and multiplier is not None
        if name in leads and not scalars.is_blank(cells["lead_days"]) and int(lead) != leads[name]:
            wrong(i, "lead_days", f"同一活动的预算提前天数应一致（上方为 {leads[name]}）",
                  f"one event has one budget lead (above: {leads[name]})")  # fmt: skip
            continue
        leads.setdefault(name, int(lead))
        windows.setdefault(name, []).append(Window(kind, start, end, float(multiplier)))
    if problems:
        raise InputError(problems)
    return tuple(Event(name, tuple(ws), leads[name]) for name, ws in windows.items())


def _shown(value: Any) -> str:
    return "空 / blank" if scalars.is_blank(value) else repr(value) if isinstance(value, str) else str(value)


def _date(value: Any) -> dt.date | None:
    try:
        return scalars.typed_date(value)
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    try:
        return scalars.typed_number(value)
    except ValueError:
        return None


def typed_rows(events: Sequence[Event]) -> Rows:
    """The table's rows for ``events`` (a window a row, the lead on each), blank rows after them."""
    rows: Rows = [
        [e.name, w.kind.zh, w.start, w.end, w.multiplier, e.lead_days] for e in events for w in e.windows
    ]
    width = len(c.PROMO_EVENTS.columns)
    return [*rows, *[[None] * width] * ((c.PROMO_EVENTS.rows or 0) - len(rows))][: c.PROMO_EVENTS.rows]


def windows_in_use(plan: Plan) -> Rows:
    """Every window the plan's days are weighed by, in date order: its GMV days, its budget days (the
    GMV's moved by the event's lead) and where it comes from."""
    typed = set(plan.inputs.assumptions.events)
    rows: Rows = []
    for event in promotion_events(plan.inputs):
        lead = dt.timedelta(days=event.lead_days)
        source = TYPED_SOURCE if event in typed else TYPICAL_SOURCE
        for w in event.windows:
            budget_days = f"{w.start - lead:%Y-%m-%d} – {w.end - lead:%m-%d}"
            rows.append([event.name, w.kind.zh, w.start, w.end, w.multiplier, budget_days, source])
    return rows or c.EVENTS_IN_USE.empty_rows()


def calendar_events(plan: Plan) -> Rows:
    """Each calendar day's events ("618 爆发期"), GMV and budget multipliers, and its budget on an event
    day (what the pacing chart marks); blank on the days no event touches."""
    dates = [scalars.date(d) for d in plan.daily["date"]]
    events = promotion_events(plan.inputs)
    gmv, budget = day_multipliers(dates, events)
    rows: Rows = []
    for name, g, b, money in zip(event_names(dates, events), gmv, budget, plan.daily["budget"], strict=True):
        touched = bool(name) or g != 1 or b != 1  # a budget lead makes days before the GMV's weigh more
        rows.append([name or None, float(g), float(b), float(money)] if touched else [None] * 4)
    return rows
