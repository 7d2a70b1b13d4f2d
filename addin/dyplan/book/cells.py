"""What goes into the contract's cells, both ways: cell values ⇄ engine inputs, plan → outputs.

Any workbook front end (the openpyxl file, a live Excel book, a fresh XlsxWriter file) moves
these values; none of them knows what they mean.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from dyplan import scalars
from dyplan.book import contract as c
from dyplan.book.action_cells import NO_DAYS_IN_PLAN, NO_REPORTS, action_outputs
from dyplan.book.baseline import compare_rows, frozen_cells, frozen_days
from dyplan.book.block_values import frame_rows, named_cells
from dyplan.book.formulas import FORMULA_CELLS, TABLE_FORMULAS
from dyplan.book.port import Rows
from dyplan.book.promo_events import calendar_events, typed_events, typed_rows, windows_in_use
from dyplan.book.sensitivity_picks import DEFAULT_PICKS
from dyplan.errors import Field, InputError, Problem
from dyplan.model import (
    ACTUALS_COLUMNS,
    CURVE_PARAMETERS,
    DEFAULT_MATRIX_RATINGS,
    INDICATORS,
    KIND_ANCHORS,
    MATRIX_FACTOR_KEYS,
    MEASURES,
    METRICS,
    MIX_INDICATORS,
    STRATEGY_TACTICS,
    UNKNOWN_CHANNEL,
    Assumptions,
    Baseline,
    Category,
    Channel,
    CheckpointKey,
    Entered,
    IndicatorKind,
    Phase,
    Plan,
    PlanInputs,
    PromoCalendar,
    Purpose,
    Review,
    Tracking,
    assess_indicators,
    assess_matrix,
    explain_gap,
    got,
    is_number,
    pacing_deviation,
    paid_share,
    with_rates,
)
from dyplan.scalars import NO_VALUE

#: How the 实际数据 sheet names channels (reports without a channel column: 未分渠道).
CHANNEL_LABELS = {**{ch.value: ch.zh for ch in Channel}, UNKNOWN_CHANNEL: "未分渠道"}


def number_from_cell(value: Any) -> Any:
    """A number as typed in a cell (``scalars.number``): ``1,234``, ``¥1,234.50``, ``9%``, ``1.2万``.

    Blank (or a dash) gives None; anything unreadable comes back unchanged so validation names it.
    """
    if not isinstance(value, str):
        return value
    text = str(scalars.as_typed(value))
    try:
        number = scalars.number_text(text)
    except ValueError:
        return value
    if number is None or scalars.PERCENT in text or not number.is_integer():
        return number
    return int(number)


def date_from_cell(value: Any) -> Any:
    """A date as a cell holds it (``scalars.date``): a date, an Excel serial number or date text.

    Blank gives None; anything unreadable comes back unchanged so validation names it.
    """
    try:
        return scalars.typed_date(value)
    except ValueError:
        return value


def cell_value(fmt: c.Fmt, value: Any) -> Any:
    """What an input cell of format ``fmt`` holding ``value`` means: a date, text or a number."""
    if fmt is c.Fmt.DATE:
        return date_from_cell(value)
    if fmt in (c.Fmt.TEXT, c.Fmt.CHOICE):
        return "" if value is None else str(value).strip()
    return number_from_cell(value)


def empty_actuals() -> pd.DataFrame:
    """No report imported yet: the stored daily actuals, empty."""
    # built from typed empty columns: a DataFrame(columns=…).astype(…) costs ten times as much
    return pd.DataFrame({n: np.empty(0, float if n in MEASURES else object) for n in ACTUALS_COLUMNS})


@dataclass(frozen=True)
class Entry:
    """A column of a ledger: its heads (name, date…) and its value for each row, by the row's key."""

    heads: tuple[Any, ...]
    values: dict[str, Any]


@dataclass
class Typed:
    """Everything the user types: input cells, grids, and typed columns of output tables.

    ``cells`` maps a ``Cell`` or ``Grid`` defined name to its value (grids: rows of values);
    ``columns`` maps a table name to ``{typed column key: [values by row]}``;
    ``checkpoint_keys`` identifies each checkpoint row already in the book, so that actual
    values follow their checkpoint when the table is laid out anew. ``actuals`` and
    ``import_log`` are what report imports stored on the 实际数据 sheet; ``baseline`` what
    ``dyplan baseline freeze`` kept on 基线; ``ledgers`` a ledger's entries by its name, where
    a finished plan shows them (the scenarios compared).
    """

    cells: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    checkpoint_keys: list[CheckpointKey] = field(default_factory=list)
    actuals: pd.DataFrame = field(default_factory=empty_actuals)  # stored by imports
    import_log: Rows = field(default_factory=list)
    mix_shift: dict[str, Rows] = field(default_factory=dict)  # indicator → its Mix_Shift row
    baseline: Baseline | None = None
    ledgers: dict[str, list[Entry]] = field(default_factory=dict)


def to_inputs(typed: Typed) -> PlanInputs:
    """Build engine inputs from typed cells; every problem is reported with its sheet and cell."""
    cells = typed.cells
    values = {cell.key: cell_value(cell.fmt, cells.get(cell.name)) for cell in c.INPUT_FIELDS.cells}
    # A workbook an earlier release made lacks the newer assumptions' cells: those keep their defaults.
    assumption_values = {
        cell.key: cell_value(cell.fmt, cells[cell.name]) for cell in c.ASSUMPTION_CELLS if cell.name in cells
    }
    grid = {
        g.key: [[number_from_cell(v) for v in row] for row in cells[g.name]]
        for g in c.grids()
        if g.name in cells
    }
    newer: dict[str, Any] = {}
    if "min_daily_spend" in grid:
        newer["min_daily_spend"] = dict(zip(Channel, grid["min_daily_spend"][0], strict=True))
    if "response_curves" in grid:
        newer["response_curves"] = {
            ch: tuple(row) for ch, row in zip(Channel, grid["response_curves"], strict=True)
        }

    def keyed(key: str) -> dict[str, Any]:
        rows = c.grid_of(key).rows
        return {r[0]: row[0] for r, row in zip(rows, grid[key], strict=True)}

    _, anchors_key, weight_column = c.RISK_WEIGHTS
    weight = c.grid_column(anchors_key, weight_column)
    anchors = {ind.key: row for ind, row in zip(INDICATORS, grid[anchors_key], strict=True)}
    risk_columns = typed.columns.get(c.RISK_TABLE.name, {})
    matrix_columns = typed.columns.get(c.MATRIX_TABLE.name, {})
    try:
        assumptions = Assumptions(
            **assumption_values,
            purpose_split=tuple(grid["purpose_split"][0]),
            channel_mix={p: tuple(row) for p, row in zip(Phase, grid["channel_mix"], strict=True)},
            subphase_days=tuple(tuple(row) for row in grid["subphase_days"]),
            team_ratio=tuple(grid["team_ratio"][0]),
            level_cuts=tuple(grid["level_cuts"][0]),
            matrix_cuts=tuple(grid["matrix_cuts"][0]),
            ctr_benchmarks={Category(k): v for k, v in keyed("ctr_benchmarks").items()},
            checkpoint_targets=keyed("checkpoint_targets"),
            alert_thresholds=keyed("alert_thresholds"),
            risk_anchors={k: tuple(row[:weight]) for k, row in anchors.items()},
            risk_weights={k: row[weight] for k, row in anchors.items()},
            events=typed_events(typed.columns.get(c.PROMO_EVENTS.name, {})),
            **newer,
        )
        return PlanInputs(
            **values,
            seasonality=tuple(row[0] for row in grid["seasonality"]),
            assumptions=assumptions,
            risk_values={
                ind.key: number_from_cell(v)
                for ind, v in zip(INDICATORS, risk_columns.get("value", []), strict=False)
                if number_from_cell(v) is not None  # blank: not measured
            },
            risk_ratings={
                key: (number_from_cell(p), number_from_cell(i))
                for key, p, i in zip(
                    MATRIX_FACTOR_KEYS,
                    matrix_columns.get("probability", [None] * 5),
                    matrix_columns.get("impact", [None] * 5),
                    strict=True,
                )
            },
        )
    except InputError as error:
        raise InputError([_located(p) for p in error.problems]) from None


def _typed_table(typed: Typed, table: c.Table) -> Rows:
    """A table of typed columns only, as typed (blank where a workbook lacks it)."""
    columns = typed.columns.get(table.name, {})
    blank = [None] * (table.rows or 0)
    return [list(row) for row in zip(*(columns.get(col.key, blank) for col in table.columns), strict=True)]


def _located(problem: Problem) -> Problem:
    where = c.locate(problem.field)
    return replace(problem, where=str(where)) if where else problem


def from_inputs(inputs: PlanInputs | None) -> Typed:
    """What the input cells hold for these inputs (``None``: a blank plan with defaults)."""
    a = inputs.assumptions if inputs else Assumptions()
    cells: dict[str, Any] = {}
    for cell in c.INPUT_FIELDS.cells:
        value = getattr(inputs, cell.key) if inputs else None
        cells[cell.name] = value.zh if hasattr(value, "zh") else value
    for cell in c.ASSUMPTION_CELLS:
        value = getattr(a, cell.key)
        cells[cell.name] = value.zh if hasattr(value, "zh") else value
    if inputs is None:  # a new workbook weighs its days by the typical events (the engine's default: none)
        cells["Promo_Calendar"] = PromoCalendar.TYPICAL.zh
    seasonality = inputs.seasonality if inputs else (1,) * 12
    grid_rows = {
        "seasonality": [[w] for w in seasonality],
        "purpose_split": [list(a.purpose_split)],
        "channel_mix": [list(a.channel_mix[p]) for p in Phase],
        "subphase_days": [list(row) for row in a.subphase_days],
        "team_ratio": [list(a.team_ratio)],
        "level_cuts": [list(a.level_cuts)],
        "matrix_cuts": [list(a.matrix_cuts)],
        "ctr_benchmarks": [[a.ctr_benchmarks[k]] for k in Category],
        "checkpoint_targets": [[v] for v in a.checkpoint_targets.values()],
        "alert_thresholds": [[v] for v in a.alert_thresholds.values()],
        "risk_anchors": [[*a.risk_anchors[i.key], a.risk_weights[i.key]] for i in INDICATORS],
        "min_daily_spend": [[a.min_daily_spend[ch] for ch in Channel]],
        "response_curves": [
            list(a.response_curves.get(ch, (None,) * len(CURVE_PARAMETERS))) for ch in Channel
        ],
        "sensitivity_steps": DEFAULT_PICKS.step_rows(),
    }
    cells.update(DEFAULT_PICKS.choice_cells())
    for grid in c.grids():
        cells[grid.name] = grid_rows[grid.key]
    ratings = inputs.risk_ratings if inputs else DEFAULT_MATRIX_RATINGS
    values = inputs.risk_values if inputs else {}
    promo = typed_rows(a.events)
    columns = {
        c.PROMO_EVENTS.name: {
            col.key: [row[j] for row in promo] for j, col in enumerate(c.PROMO_EVENTS.columns)
        },
        c.RISK_TABLE.name: {"value": [values.get(i.key) for i in INDICATORS]},
        c.MATRIX_TABLE.name: {
            "probability": [ratings[k][0] for k in MATRIX_FACTOR_KEYS],
            "impact": [ratings[k][1] for k in MATRIX_FACTOR_KEYS],
        },
    }
    return Typed(cells=cells, columns=columns)


# ---------------------------------------------------------------- outputs


@dataclass
class Outputs:
    """What regenerate writes: output cells by name, and table rows by table name.

    Table rows hold every column, typed ones included (a new workbook needs them; an
    existing one keeps its own).
    """

    cells: dict[str, Any]
    tables: dict[str, Rows]


def _anchor(value: float, unit: str) -> str:
    return f"{value:.0%}" if unit == "%" else f"{value:g}"


#: Each kind with the values that score 0 / 50 / 100, in its unit.
KIND_TEXT = {
    kind: f"{kind.zh}（{'/'.join(_anchor(a, c.KIND_UNITS[kind]) for a in anchors)}）"
    for kind, anchors in KIND_ANCHORS.items()
}


class OrphanedActualsError(InputError):
    """Actual values typed for checkpoints that the new layout no longer has."""


def _which(phase: str, n: int, language: str = "zh") -> str:
    if phase == Phase.P4:
        return f"第 {n} 天" if language == "zh" else f"day {n}"
    return f"第 {n + 1} 次" if language == "zh" else f"occurrence {n + 1}"


def entered(typed: Typed) -> Entered:
    """What the workbook holds beside the inputs, as the review judges it. ``InputError`` names every
    actual that is not a number: judged as blank, it would read 待评估 as if nothing were typed."""
    checkpoint_actuals = typed.columns.get(c.CHECKPOINTS_TABLE.name, {}).get("actual", [])
    kpi_actuals = typed.columns.get(c.KPI_TABLE.name, {}).get("actual", [])
    unreadable = _unreadable(c.CHECKPOINTS_TABLE, checkpoint_actuals) + _unreadable(c.KPI_TABLE, kpi_actuals)
    if unreadable:
        raise InputError(unreadable)
    return Entered(
        checkpoint_actuals={k: number_from_cell(v)
                            for k, v in zip(typed.checkpoint_keys, checkpoint_actuals, strict=False)},
        kpi_actuals=[number_from_cell(v) for v in kpi_actuals],
        stored_readings={key: row[2] for key, row in typed.mix_shift.items() if is_number(row[2])},
    )  # fmt: skip


def _unreadable(table: c.Table, actuals: list[Any]) -> list[Problem]:
    sheet, top, left = c.table_origin(table)
    col = left + table.column("actual")
    problems = []
    for i, value in enumerate(actuals):
        if not scalars.is_blank(value) and not is_number(number_from_cell(value)):
            now_zh, now_en = got(value)
            problems.append(Problem(Field(table.name, str(i + 1), "actual"), f"实际值应为数字，{now_zh}",
                                    f"the actual must be a number, {now_en}",
                                    where=f"{sheet}!{c.address(top + i, col)}"))  # fmt: skip
    return problems


def build_outputs(review: Review, typed: Typed, today: dt.date) -> Outputs:
    """Every output cell and table of a review, with the user's typed values carried along."""
    plan, tracking = review.plan, review.tracking
    if review.orphans:
        sheet = c.CHECKPOINTS.name
        raise OrphanedActualsError(
            [
                Problem(
                    "checkpoints",
                    f"检查点 {phase} {METRICS[metric].zh}（{_which(phase, n)}）在新的检查点表中已不存在，"
                    "但填有实际值；请先把该实际值移走或清空，再重新生成",
                    f"checkpoint {phase} {METRICS[metric].en} ({_which(phase, n, 'en')}) no longer "
                    "exists but has an actual value; move or clear that value, then regenerate",
                    where=f"{sheet}!{c.CHECKPOINTS_TABLE.name}",
                )
                for phase, metric, n in review.orphans
            ]
        )
    cells = {
        **named_cells(c.SUMMARY, {
            "budget": plan.totals["budget"],
            "reserve": plan.totals["reserve"],
            "allocatable": plan.totals["allocatable"],
            "gmv": plan.totals["gmv"],
            "target_cpa": round(plan.target_cpa, 2),
        }),
        **named_cells(c.RISK_SUMMARY, {
            "risk_index": plan.risk_index,  # unrounded, as DY_RISK_INDEX computes it in Excel
            "risk_level": plan.risk_level.zh if plan.risk_level else NO_VALUE,
            "risk_warning": review.warning_text,
            "alerts_fired": review.alerts_text,
        }),
        **named_cells(c.EVAL_FIELDS, {
            "strategy_zh": plan.inputs.strategy.zh,
            "tactics_zh": STRATEGY_TACTICS[plan.inputs.strategy][0],
        }),
        **named_cells(c.BREAKEVEN_FIELDS, {"breakeven_roi": plan.breakeven_roi,
                                      "breakeven_check": _breakeven_check(plan)}),
        **named_cells(c.KPI_BREAKEVEN, {"breakeven_check": _breakeven_check(plan)}),
        **named_cells(c.COVER_FIELDS, _cover(plan, today)),
        **named_cells(c.COVER_TARGETS, _cover_targets(plan)),
        **named_cells(c.COVER_TWO_ROIS, _two_rois(plan)),
        **named_cells(c.COVER_CHANNELS, {cell.key: plan.totals[cell.key] for cell in c.COVER_CHANNELS.cells}),
        **frozen_cells(typed.baseline),
    }  # fmt: skip
    first, last = plan.daily["date"].iloc[0], plan.daily["date"].iloc[-1]
    totals = tracking.totals
    to_date = _actuals_summary(totals[(totals.index >= first) & (totals.index <= last)])
    cells.update(named_cells(c.ACTUALS_SUMMARY, to_date))
    cells.update(
        named_cells(c.COVER_TO_DATE, _progress(to_date, tracking.phases, imported=bool(typed.import_log)))
    )

    channels = plan.phases.copy()
    for channel in Channel:
        channels[f"{channel.value}_share"] = plan.channel_mix[channel.value].to_numpy()

    reasons = review.checkpoints[["basis_zh", "basis_en", "under_breakeven"]].itertuples(
        index=False, name=None
    )
    checkpoints = review.checkpoints.assign(
        status=[status.zh for status in review.checkpoints["status"]],
        basis=[_under_breakeven(plan) if under else f"{zh}\n{en}" for zh, en, under in reasons],
    )

    risk = plan.risk_indicators.copy()
    risk["kind_zh"] = [KIND_TEXT[IndicatorKind(k)] for k in risk["kind"]]
    risk["value"] = [typed_value for typed_value in _typed_risk_values(typed)]
    risk["measured"] = [tracking.indicators.get(k) for k in risk["key"]]

    alerts = plan.alerts.copy()
    alerts["value"] = [None if v is None or pd.isna(v) else round(float(v), 4) for v in alerts["value"]]
    alerts["fired"] = ["是 ⚠" if on else "否" for on in alerts["fired"]]

    kpis = review.kpis.copy()
    kpis["framework_zh"] = kpis["framework"].map({"three": "三维度九指标", "four": "四维模型"})
    kpis["primary_zh"] = ["★ 主维度" if p else "" for p in kpis["primary"]]

    tables = {
        c.PHASE_TABLE.name: frame_rows(plan.phases, c.PHASE_TABLE),
        c.SUBPHASE_TABLE.name: frame_rows(plan.subphases, c.SUBPHASE_TABLE),
        c.CHANNEL_TABLE.name: frame_rows(channels, c.CHANNEL_TABLE),
        c.DAILY_PLAN.name: frame_rows(plan.daily, c.DAILY_PLAN),
        c.CHECKPOINTS_TABLE.name: frame_rows(checkpoints, c.CHECKPOINTS_TABLE),
        c.RISK_TABLE.name: frame_rows(risk, c.RISK_TABLE),
        c.ALERTS_TABLE.name: frame_rows(alerts, c.ALERTS_TABLE),
        c.MATRIX_TABLE.name: frame_rows(plan.risk_matrix, c.MATRIX_TABLE),
        c.TEAM_TABLE.name: frame_rows(plan.team, c.TEAM_TABLE),
        c.KPI_TABLE.name: frame_rows(kpis, c.KPI_TABLE),
        c.RISK_FORECAST.name: _forecast_rows(tracking, c.RISK_FORECAST_ROWS),
        c.PHASE_TRACKING.name: frame_rows(tracking.phases, c.PHASE_TRACKING),
        c.GAP_TABLE.name: _gap_rows(plan, typed.actuals),
        c.IMPORT_LOG.name: (typed.import_log + [[None] * len(c.IMPORT_LOG.columns)] * c.IMPORT_LOG.rows)[
            : c.IMPORT_LOG.rows
        ],
        c.ACTUALS_DAILY.name: frame_rows(_daily_for_sheet(typed.actuals), c.ACTUALS_DAILY),
        c.MIX_SHIFT.name: [typed.mix_shift.get(key, mix_shift_row(key)) for key in MIX_INDICATORS.values()],
        c.COVER_PHASES.name: _timeline(plan.phases),
        c.BASELINE_COMPARE.name: compare_rows(plan, typed.baseline, typed.actuals),
        c.BASELINE_DAILY.name: frozen_days(typed.baseline),  # kept, never rewritten: for the finished plan
        c.PROMO_EVENTS.name: _typed_table(typed, c.PROMO_EVENTS),
        c.EVENTS_IN_USE.name: windows_in_use(plan),
        c.CALENDAR_EVENTS.name: calendar_events(plan),
        # made on command only (export makes its own): a new workbook shows how to make one
        c.SENSITIVITY_COLUMNS.name: c.SENSITIVITY_COLUMNS.empty_rows(),
        c.SENSITIVITY_TABLE.name: c.SENSITIVITY_TABLE.empty_rows(),
    }
    next_cells, next_tables = action_outputs(plan, typed.actuals, imported=bool(typed.import_log))
    return _results_shown(Outputs(cells={**cells, **next_cells}, tables={**tables, **next_tables}))


def _results_shown(outputs: Outputs) -> Outputs:
    """The cells the .xlsm computes show ``NO_VALUE`` where there is no result, as its worksheet
    functions do, so every file shows the same."""
    for name in FORMULA_CELLS:
        if outputs.cells.get(name) is None:
            outputs.cells[name] = NO_VALUE
    for table_name, key in TABLE_FORMULAS:
        table = c.placed(table_name).block
        assert isinstance(table, c.Table)
        j = table.column(key)
        for row in outputs.tables.get(table_name, []):
            if row[j] is None:
                row[j] = NO_VALUE
    return outputs


def unreviewed_results(inputs: PlanInputs | None) -> Outputs:
    """What the .xlsm's worksheet functions show before any plan is written to it: the typed risk
    readings scored, the matrix rated, no attainment yet (no actual is typed). Only the computed
    cells and columns are filled in."""
    a = inputs.assumptions if inputs else Assumptions()
    values = inputs.risk_values if inputs else {}
    ratings = inputs.risk_ratings if inputs else DEFAULT_MATRIX_RATINGS
    indicators, index, level = assess_indicators(values, a.risk_anchors, a.risk_weights, a.level_cuts)
    tables = {
        c.RISK_TABLE.name: frame_rows(indicators, c.RISK_TABLE),
        c.MATRIX_TABLE.name: frame_rows(assess_matrix(ratings, a.matrix_cuts), c.MATRIX_TABLE),
        c.KPI_TABLE.name: [[None] * len(c.KPI_TABLE.columns) for _ in range(c.KPI_TABLE.rows or 0)],
    }
    cells = {"Risk_Index": index, "Risk_Level": level.zh if level else None, "Breakeven_ROI": a.breakeven_roi}
    return _results_shown(Outputs(cells=cells, tables=tables))


def mix_shift_row(
    indicator: str, shift: float | None = None, through: Any = None, file: str = ""
) -> list[Any]:
    """A Mix_Shift row: the indicator's names, its shift, the last date measured, the report."""
    ind = next(i for i in INDICATORS if i.key == indicator)
    return [ind.zh, ind.en, shift, through, file or None]


def _typed_risk_values(typed: Typed) -> list[Any]:
    values = typed.columns.get(c.RISK_TABLE.name, {}).get("value", [])
    return [number_from_cell(v) for v in values] + [None] * (len(INDICATORS) - len(values))


#: The net ROI once reports are imported, while none of them carries 净成交金额: unknown, not 0.
NO_NET_GMV = "无净成交数据 / no net GMV reported"


#: What the gap table says before any report carries the five counts it splits the gap into.
NO_GAP = ("尚无可分解的报表数据（需消耗、展示、点击、订单与成交金额）"
          " / nothing to split yet: reports with spend, impressions, clicks, orders and GMV")  # fmt: skip


def _gap_rows(plan: Plan, actuals: pd.DataFrame) -> Rows:
    """Each phase's and month's ad GMV gap and its five effects (model.gap), blank rows after."""
    gap = explain_gap(plan, actuals)
    names = {p.value: f"{p.value} {p.zh}" for p in Phase}
    gap["period_label"] = [names.get(key, key) for key in gap["key"]]
    rows = frame_rows(gap, c.GAP_TABLE)
    if not rows:
        rows = [[None] * (len(c.GAP_TABLE.columns) - 1) + [NO_GAP]]
    blank = [None] * len(c.GAP_TABLE.columns)
    return (rows + [blank] * c.GAP_ROWS)[: c.GAP_ROWS]


def _actuals_summary(totals: pd.DataFrame) -> dict[str, Any]:
    """Spend and GMV of the plan year to date, from its ``daily_totals`` (GMV blank when no report
    carried it); ROI over the rows with both, and net ROI over the rows with net GMV and spend."""
    spend, gmv = totals["spend"].sum(min_count=1), totals["gmv"].sum(min_count=1)
    paid, net_paid = totals["roi_den"].sum(), totals["net_roi_den"].sum()
    return {
        "through": max(totals.index) if len(totals) else None,
        "days": len(totals),
        "spend": None if pd.isna(spend) else round(float(spend), 2),
        "gmv": None if pd.isna(gmv) else round(float(gmv), 2),
        "roi": round(float(totals["roi_num"].sum()) / paid, 2) if paid else None,
        "net_roi": (round(float(totals["net_roi_num"].sum()) / net_paid, 2) if net_paid
                    else NO_NET_GMV if len(totals) else None),
    }  # fmt: skip


def _daily_for_sheet(actuals: pd.DataFrame) -> pd.DataFrame:
    frame = with_rates(actuals)
    frame["channel_zh"] = [CHANNEL_LABELS.get(ch, ch) for ch in frame["channel"]]
    return frame


def _forecast_rows(tracking: Tracking, most: int) -> Rows:
    """The latest days of history, then the forecast: at most ``most`` rows, as many as there are."""
    rows: Rows = []
    if tracking.forecast is not None:
        forecast = tracking.forecast.table.head(most // 2)
        dated = forecast[["date", "forecast", "lower", "upper"]]
        for date, point, low, high in dated.itertuples(index=False, name=None):
            rows.append([date, "预测 forecast", round(point, 2), round(low, 2), round(high, 2)])
    history = tracking.history.tail(most - len(rows))
    past = history.itertuples(index=False, name=None)
    return [[d, "历史 history", round(v, 2), None, None] for d, v in past] + rows


def _cover_targets(plan: Plan) -> dict[str, Any]:
    """The cover's headline figures."""
    return {
        "gmv": plan.inputs.gmv_target,
        "budget": plan.totals["budget"],
        "reserve": plan.totals["reserve"],
        "roi": plan.inputs.assumptions.checkpoint_targets["roi"],
        "breakeven_roi": plan.breakeven_roi,
    }


def _breakeven_check(plan: Plan) -> str:
    """The target ROI against break-even, a line in each language (the cells beside 保本ROI and the KPIs)."""
    roi, breakeven = plan.target_roi, plan.breakeven_roi
    if plan.roi_under_breakeven:
        return (
            f"⚠ 目标ROI {roi:g} 低于保本ROI {breakeven:.2f}：按目标投放每单亏损\n"
            f"⚠ target ROI {roi:g} < break-even {breakeven:.2f}: every sale loses money"
        )
    return (f"目标ROI {roi:g} 不低于保本ROI {breakeven:.2f}：达到目标即不亏损\n"
            f"target ROI {roi:g} ≥ break-even {breakeven:.2f}: met, no sale loses money")  # fmt: skip


def _under_breakeven(plan: Plan) -> str:
    """Why a checkpoint's ROI target is red: in the words of the basis it stands in for."""
    breakeven = plan.breakeven_roi
    zh = f"⚠ 目标低于保本ROI {breakeven:.2f}：达标也每单亏损"
    return f"{zh}\n⚠ below break-even {breakeven:.2f}: sales lose money"


def _two_rois(plan: Plan) -> dict[str, Any]:
    """Why the target ROI and the GMV target ÷ the budget differ, in figures and in words."""
    roi = plan.inputs.assumptions.checkpoint_targets["roi"]
    paid = paid_share(plan.inputs.gmv_target, plan.totals["budget"], roi)
    per_budget = "—" if paid.gmv_per_budget is None else f"{paid.gmv_per_budget:.1f}"
    if paid.share < 1:
        rest = 1 - paid.share
        reading = (
            f"目标ROI {roi:g} 只计广告带来的成交，约占GMV目标的 {paid.share:.1%}；GMV目标 ÷ 总预算 = "
            f"{per_budget} 还计入其余 {rest:.1%} 来自自然流量等的成交，两者并不矛盾。\n"
            f"Target ROI {roi:g} counts only the sales ads bring, {paid.share:.1%} of the GMV target; "
            f"GMV target ÷ budget = {per_budget} also counts the other {rest:.1%}, from organic and "
            "other traffic."
        )
    else:
        reading = (
            f"按目标ROI {roi:g}，仅广告带来的成交已达GMV目标的 {paid.share:.1%}：可考虑调低预算比例。\n"
            f"At target ROI {roi:g} the ads alone bring {paid.share:.1%} of the GMV target: the budget "
            "ratio may be lowered."
        )
    if plan.roi_under_breakeven:
        zh, en = _breakeven_check(plan).split("\n")
        reading = f"{zh}。\n{reading}\n{en}."
    return {
        "paid_gmv": paid.paid_gmv,
        "paid_share": paid.share,
        "gmv_per_budget": paid.gmv_per_budget,
        "two_rois": reading,
    }


def _progress(to_date: dict[str, Any], phases: pd.DataFrame, imported: bool) -> dict[str, Any]:
    """Spend, GMV, ROI and pacing of the plan year to date; before any report, a sentence saying so."""
    if not to_date["days"]:
        return {"through": NO_DAYS_IN_PLAN if imported else NO_REPORTS, "plan_to_date": None,
                "spend": None, "pacing": None, "gmv": None, "roi": None, "net_roi": None}  # fmt: skip
    planned = round(float(phases["plan_to_date"].sum()), 2)
    spent = to_date["spend"] or 0.0
    return {
        "through": to_date["through"],
        "plan_to_date": planned,
        "spend": to_date["spend"],
        "pacing": pacing_deviation(spent, planned),
        "gmv": to_date["gmv"],
        "roi": to_date["roi"],
        "net_roi": to_date["net_roi"],
    }


def _phase_dates(start: dt.date, end: dt.date) -> str:
    """``2027-01-01 – 01-30``; the end's year too when the phase crosses into the next one."""
    return (
        f"{start:%Y-%m-%d} – {end:%m-%d}" if start.year == end.year else f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    )


def _timeline(phases: pd.DataFrame) -> Rows:
    """One line per phase: its name, dates, budget and days."""
    columns = ("phase", "phase_zh", "start_date", "end_date", "budget", "days")
    rows = zip(*(phases[key] for key in columns), strict=True)
    return [[f"{phase} {zh}", _phase_dates(start, end), budget, int(days)]
            for phase, zh, start, end, budget, days in rows]  # fmt: skip


def _cover(plan: Plan, today: dt.date) -> dict[str, Any]:
    """The plan in brief on the cover: who, when, and the assumptions that drive it."""
    i, a = plan.inputs, plan.inputs.assumptions
    end = plan.daily["date"].iloc[-1]
    ratios = (
        f"P1–P3 {a.ratio_launch:.2%} · P4 {a.ratio_mature:.2%}"
        if i.stage.value == "launch"
        else f"{a.ratio_mature:.2%}"
    )
    purpose = " · ".join(f"{p.zh} {share:.0%}" for p, share in zip(Purpose, a.purpose_split, strict=True))
    risk = "—" if plan.risk_index is None else f"{plan.risk_index:.1f} {plan.risk_level.zh}"
    outside = " ⚠ 超出常用范围 / outside the usual range" if plan.warnings else ""
    return {
        "shop": i.shop_name or "—",
        "profile": f"{i.category.zh} · {i.stage.zh}",
        "period": f"{i.start_date:%Y-%m-%d} 至 {end:%Y-%m-%d}（365 天）",
        "ratios": f"{ratios}（储备金 {a.reserve_share:.0%} / reserve）" + outside,
        "purpose": purpose,
        "cpa": round(plan.target_cpa, 2),
        "strategy": f"{i.strategy.zh}：{STRATEGY_TACTICS[i.strategy][0]}",
        "risk": risk,
        "generated": today,
    }
