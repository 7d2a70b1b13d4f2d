"""What the 优化建议, 重新规划 and 投放设置 sheets show: the plan's next steps (``model.act``) as cells.

Money is written to the fen, as everywhere in the workbook; ROIs and shares as the engine gives them
(their cells show two decimals).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from dyplan.book import contract as c
from dyplan.book.block_values import named_cells
from dyplan.book.port import Rows
from dyplan.model import (
    BASIS_POINTS,
    Action,
    Channel,
    CurveSource,
    GoalBasis,
    Phase,
    Plan,
    PlanType,
    Proposal,
    Replan,
    Settings,
    act,
    channel_days,
    usable_days,
)

#: How far past the largest daily spend it shows (planned, proposed or actual) a curve is drawn.
CURVE_REACH = 1.5
#: What stands in the place of progress to date (the cover's, the re-plan's) before there is any.
NO_REPORTS = "尚未导入报表 / no reports imported yet"
NO_DAYS_IN_PLAN = "计划期内尚无报表数据 / no report data in the plan period yet"
PLAN_OVER = "方案已结束 / the plan is over"
NOTHING_TO_SET = (
    "方案的每一天都已有实际数据，没有可设置的日子：请制定下一年的方案",
    "the actuals cover every day of the plan, nothing is left to set: make next year's plan",
)
#: The bound a channel is held at, in words (a free channel: blank).
BOUNDS = {"max": "上限 max", "min": "下限 min", "": None}


def _text(words: tuple[str, str]) -> str:
    return "\n".join(words)


def _fen(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def action_outputs(
    plan: Plan, actuals: pd.DataFrame, imported: bool
) -> tuple[dict[str, Any], dict[str, Rows]]:
    """The cells (by defined name) and table rows (by table name) of the three sheets; ``imported``:
    whether any report was imported (a sheet without data in the plan period says which)."""
    action = act(plan, actuals)
    cells = {
        **named_cells(c.OPTIMISE_SUMMARY, _proposal_summary(plan, action)),
        **named_cells(c.CURVE_NOTES, _curve_notes(action.proposal)),
        **named_cells(c.REPLAN_SUMMARY, _so_far(action.replan, imported)),
        **named_cells(c.REPLAN_OUTLOOK, _outlook(action.replan)),
        **named_cells(c.SETTINGS_SUMMARY, _settings_summary(action.settings)),
    }
    proposal = action.proposal
    tables = {
        **_proposal_tables(plan, proposal),
        c.CURVE_POINTS.name: _curve_points(proposal, actuals),
        **_replan_tables(action.replan),
        **_settings_tables(action.settings),
    }
    return cells, tables


def _blank(table: c.Table) -> Rows:
    """A fixed table's rows with nothing in them (nothing stale stays behind)."""
    return [[None] * len(table.columns) for _ in range(table.rows or 0)]


# ---------------------------------------------------------------- 优化建议


def _proposal_summary(plan: Plan, action: Action) -> dict[str, Any]:
    """The goal, the year's uplift (the phase table's, summed) and how to accept; or why there is none."""
    proposal = action.proposal
    values: dict[str, Any] = {"breakeven_roi": plan.breakeven_roi, "uplift": None, "uplift_share": None}
    if proposal is None:
        assert action.refused is not None
        return {**values, "goal": "—", "accept": _text((action.refused.zh, action.refused.en))}
    phases = _proposal_phases(proposal)
    current = sum(row[c.OPTIMISE_PHASES.column("current_gmv")] for row in phases)
    uplift = _fen(sum(row[c.OPTIMISE_PHASES.column("uplift")] for row in phases))
    mode = proposal.optimisation.mode
    return {
        **values,
        "goal": f"{mode.zh}，GMV 最多 / {mode.en}, the most GMV",
        "uplift": uplift,
        "uplift_share": uplift / current if current else None,
        "accept": _text(_how_to_accept(plan, proposal)),
    }


def _how_to_accept(plan: Plan, proposal: Proposal) -> tuple[str, str]:
    """How to take the proposal, and that nothing changes until then; or that it is taken already."""
    typed = plan.inputs.assumptions.channel_mix
    taken = all(
        [round(s * BASIS_POINTS) for s in typed[p.phase]] == [round(s * BASIS_POINTS) for s in p.proposed_mix]
        for p in proposal.optimisation.phases
    )
    if taken:
        return (
            "「假设」的渠道分配已是建议的占比，无需采纳。",
            "假设's channel mix already is the proposal: nothing to accept.",
        )
    return (
        "运行 dyplan optimize 工作簿 --accept，或点击功能区的「采纳建议」：建议的占比写入「假设」的渠道分配并"
        "重新生成。在此之前，工作簿不作任何改动。",
        "Run `dyplan optimize WORKBOOK --accept`, or click 采纳建议 on the ribbon: the proposed shares go "
        "into 假设's channel mix and the plan is regenerated. Until then nothing in the workbook changes.",
    )


def _proposal_tables(plan: Plan, proposal: Proposal | None) -> dict[str, Rows]:
    tables = (c.OPTIMISE_PHASES, c.OPTIMISE_CHANNELS, c.CURVE_SOURCES)
    if proposal is None:
        return {table.name: _blank(table) for table in tables}
    rows = (_proposal_phases(proposal), _proposal_channels(plan, proposal), _curve_sources(proposal))
    return {table.name: found for table, found in zip(tables, rows, strict=True)}


def _proposal_phases(proposal: Proposal) -> Rows:
    """Per phase: days, budget, ad GMV now and proposed (to the fen) and the uplift between them, ROIs."""
    rows = []
    for p in proposal.optimisation.phases:
        current, proposed = round(p.current_gmv, 2), round(p.proposed_gmv, 2)
        uplift = round(proposed - current, 2)
        rows.append([p.phase.value, p.phase.zh, p.days, _fen(sum(p.current_cny)), current, proposed, uplift,
                     uplift / current if current else None, p.current.roi, p.proposed.roi])  # fmt: skip
    return rows


def _proposal_channels(plan: Plan, proposal: Proposal) -> Rows:
    """Per phase and channel: the shares typed in Channel_Mix and proposed, their amounts, the marginal
    ROIs, the bound a channel is held at, and whether its next yuan is under break-even."""
    typed = plan.inputs.assumptions.channel_mix
    frame = proposal.optimisation.channels()
    columns = ("phase", "channel", "channel_zh", "proposed_share", "current_cny", "proposed_cny",
               "current_marginal_roi", "marginal_roi", "at_bound", "marginal_under_breakeven")  # fmt: skip
    order = {ch.value: i for i, ch in enumerate(Channel)}
    return [
        [phase, zh, typed[Phase(phase)][order[channel]], share, now, then, m_now, m, BOUNDS[bound],
         "⚠ 低于保本" if under else "不低于保本"]
        for phase, channel, zh, share, now, then, m_now, m, bound, under in zip(
            *(frame[key] for key in columns), strict=True)
    ]  # fmt: skip


def _curve_sources(proposal: Proposal) -> Rows:
    """Each channel's curve, where it came from, how well it fits and on which days."""
    rows = []
    for channel, curve in proposal.curves.items():
        fit = curve.fit
        rows.append([
            channel.zh, curve.source.zh, _fen(curve.curve.max_gmv), _fen(curve.curve.half_saturation),
            curve.curve.shape, fit.r_squared if fit else None, fit.days if fit else None,
            fit.first if fit else None, fit.last if fit else None,
        ])  # fmt: skip
    return rows


def _curve_notes(proposal: Proposal | None) -> dict[str, Any]:
    """Why each channel's curve is the one it is: typed, fitted (on how many days), or seeded and why
    no fit (too few days, spend that hardly varied…)."""
    if proposal is None:
        return dict.fromkeys((ch.value for ch in Channel), None)
    notes = {}
    for channel, curve in proposal.curves.items():
        if curve.source is CurveSource.TYPED:
            notes[channel.value] = "在「假设」表填写 / typed on 假设"
        elif curve.fit is not None:
            fit = curve.fit
            notes[channel.value] = (
                f"按 {fit.days} 天实际数据拟合，R² {fit.r_squared:.2f}\n"
                f"fitted to {fit.days} days of actuals, R² {fit.r_squared:.2f}"
            )
        else:
            notes[channel.value] = (
                "由方案推算：曲线经过计划日消耗与目标ROI / seeded: through the planned daily spend at the "
                f"target ROI\n{curve.note}"
            )
    return notes


def _curve_points(proposal: Proposal | None, actuals: pd.DataFrame) -> Rows:
    """Each channel's curve through ``CURVE_POINTS_DRAWN`` points, beside the latest days of actuals
    (``CURVE_DAYS_DRAWN``): a row per point or day, whichever are more."""
    by_channel = channel_days(actuals) if len(actuals) else {}
    days = {ch: usable_days(found).set_index("date") for ch, found in by_channel.items() if len(found)}
    dates = sorted({d for frame in days.values() for d in frame.index})[-c.CURVE_DAYS_DRAWN :]
    curves: dict[Channel, tuple[np.ndarray, np.ndarray]] = {}
    if proposal is not None:
        phases = proposal.optimisation.phases
        for i, channel in enumerate(Channel):
            shown = [max(p.current_cny[i], p.proposed_cny[i]) / p.days for p in phases]
            seen = days[channel].loc[days[channel].index.isin(dates), "spend"] if channel in days else ()
            spend = np.linspace(0.0, CURVE_REACH * max(*shown, *seen), c.CURVE_POINTS_DRAWN)
            curves[channel] = (spend, np.asarray(proposal.curves[channel].curve.gmv(spend)))
    count = max(len(dates), c.CURVE_POINTS_DRAWN if curves else 0)
    rows = []
    for n in range(count):
        date = dates[n] if n < len(dates) else None
        row: list[Any] = [n + 1]
        for channel in Channel:
            spend, gmv = curves.get(channel, ((), ()))
            drawn = n < len(spend)
            row += [_fen(spend[n]) if drawn else None, _fen(gmv[n]) if drawn else None]
            actual = days.get(channel)
            if date is not None and actual is not None and date in actual.index:
                row += [_fen(actual.at[date, "spend"]), _fen(actual.at[date, "gmv"])]
            else:
                row += [None, None]
        rows.append([*row, date])
    return rows


# ---------------------------------------------------------------- 重新规划


def _has_days(replan: Replan) -> bool:
    return replan.through_day > 0


def _so_far(replan: Replan, imported: bool) -> dict[str, Any]:
    if not _has_days(replan):
        said = NO_DAYS_IN_PLAN if imported else NO_REPORTS
        return {"through": said, "day": None, "spent": None, "gmv": None, "roi": None, "pace": None}
    return {
        "through": replan.through,
        "day": replan.through_day,
        "spent": _fen(replan.spent),
        "gmv": _fen(replan.gmv_to_date),
        "roi": replan.roi_to_date,
        "pace": replan.pace,
    }


def _outlook(replan: Replan) -> dict[str, Any]:
    """Where the year ends and what reaching the target takes; before any day of data only the target
    and the budget left (all of it), as no pace or ROI is known yet."""
    known = _has_days(replan)
    return {
        "gmv_target": _fen(replan.gmv_target),
        "projected_spend": _fen(replan.projected_spend) if known else None,
        "projected_gmv": _fen(replan.projected_gmv) if known else None,
        "remaining": _fen(replan.remaining),
        "budget_needed": _fen(replan.budget_needed) if known else None,
        "roi_needed": replan.roi_needed if known else None,
    }


def _replan_tables(replan: Replan) -> dict[str, Rows]:
    """Plan, actual and re-plan per phase (before any day of data: the plan alone) and per month
    (before any day of data: none, and the chart says why)."""
    table = replan.table()
    known = _has_days(replan)
    names = {p.value: p.zh for p in Phase}

    def line(plan: float, actual: float, replanned: float) -> list[Any]:
        if not known:
            return [_fen(plan), None, None, None]
        shown = None if pd.isna(actual) else _fen(actual)
        return [_fen(plan), shown, _fen(replanned), _fen(replanned - plan)]

    phases, months = [], []
    for period, key, plan, actual, replanned in table.itertuples(index=False, name=None):
        if period == "phase":
            phases.append([key, names[key], *line(plan, actual, replanned)])
        else:
            months.append([key, *line(plan, actual, replanned)])
    return {c.REPLAN_PHASES.name: phases, c.REPLAN_MONTHS.name: months if known else []}


# ---------------------------------------------------------------- 投放设置


def _settings_summary(settings: Settings | None) -> dict[str, Any]:
    if settings is None:
        return {"start": PLAN_OVER, "roi_goal": None, "breakeven_roi": None, "basis": _text(NOTHING_TO_SET)}
    basis = settings.basis
    if settings.raised_to_breakeven:
        why = (
            f"{basis.zh} {settings.wanted_roi:.2f} 低于保本ROI {settings.breakeven_roi:.2f}：已提高到保本ROI"
            "（向上取两位小数）",
            f"{basis.en}, {settings.wanted_roi:.2f}, is under the break-even ROI "
            f"{settings.breakeven_roi:.2f}: raised to it (rounded up to two decimals)",
        )
    else:
        rounded = "（向上取两位小数）" if basis is GoalBasis.NEEDED else ""
        why = (
            f"{basis.zh} {settings.wanted_roi:.2f}{rounded}",
            f"{basis.en}, {settings.wanted_roi:.2f}" + (" (rounded up to two decimals)" if rounded else ""),
        )
    return {
        "start": settings.start,
        "roi_goal": settings.roi_goal,
        "breakeven_roi": settings.breakeven_roi,
        "basis": _text(why),
    }


def _settings_tables(settings: Settings | None) -> dict[str, Rows]:
    """Per week, and per day, each plan type's budget: the re-plan's amounts of its channel."""
    weeks, days = _blank(c.SETTINGS_WEEKS), _blank(c.SETTINGS_DAYS)
    if settings is not None:
        kinds = [k.value for k in PlanType]
        by_week: dict[int, dict[str, Any]] = {}
        for week, first, last, n, kind, budget in settings.weeks[
            ["week", "first", "last", "days", "plan_type", "budget"]
        ].itertuples(index=False, name=None):
            by_week.setdefault(week, {"first": first, "last": last, "days": n})[kind] = budget
        for i, (week, w) in enumerate(sorted(by_week.items())):
            amounts = [w[k] for k in kinds]
            weeks[i] = [week, w["first"], w["last"], w["days"], *amounts, _fen(sum(amounts))]
        by_day: dict[dt.date, list[Any]] = {}
        for date, day, phase, phase_zh, week, kind, budget, goal in settings.daily[
            ["date", "day", "phase", "phase_zh", "week", "plan_type", "daily_budget", "roi2_goal"]
        ].itertuples(index=False, name=None):
            row = by_day.setdefault(date, [date, day, f"{phase} {phase_zh}", week, {}, goal])
            row[4][kind] = _fen(budget)
        for i, (date, day, phase, week, amounts, goal) in enumerate(by_day.values()):
            budgets = [amounts[k] for k in kinds]
            days[i] = [date, day, phase, week, *budgets, _fen(sum(budgets)), goal]
    return {c.SETTINGS_WEEKS.name: weeks, c.SETTINGS_DAYS.name: days}
