"""Worksheet functions: ``=DY_…()`` in cells, each a thin wrapper over the engine.

The xlwings add-in imports this module because the workbook's ``xlwings.conf`` sheet names
it under ``UDF Modules``. Arguments arrive as Excel sends them: floats, ``None`` for blank
cells, lists of rows for ranges, datetimes (or date serials) for dates, and text wherever a
user typed text. A bad argument gives a readable ``#DY!`` message in the cell, in Chinese
and English, never a Python traceback. Docstrings are what Excel's function wizard shows
(it keeps 255 characters).

>>> DY_BUDGET(100_000_000, 0.065)
6500000.0
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
from collections.abc import Callable
from typing import Any

import xlwings as xw

from dyplan.book.cells import date_from_cell, number_from_cell
from dyplan.errors import DyplanError, InputError
from dyplan.model import Assumptions, Phase, PlanInputs, Stage
from dyplan.model.budget import MONEY_COLUMNS, allocate_money
from dyplan.model.calendar import build_timeline
from dyplan.model.checkpoints import (
    AOV_TARGET,
    METRICS,
    P4_RULES,
    PHASE_RULES,
    TARGET_CPA,
    checkpoint_status,
    comparator_is_at_least,
    resolve_targets,
)
from dyplan.model.forecast import MIN_HISTORY, forecast_series
from dyplan.model.kpis import attainment
from dyplan.model.risk import composite_index, matrix_level, risk_level, score_indicator
from dyplan.model.rounding import FEN_PER_CNY, exact, largest_remainder, to_fen
from dyplan.model.seed import DEFAULT_MATRIX_RATINGS
from dyplan.model.team import split_team
from dyplan.model.terms import Category, Channel, Term
from dyplan.model.values import typed_or_measured

#: What a cell hands over or gets back; xlwings reads plain hints (not unions) as converters.
Cell = Any

ERROR_PREFIX = "#DY!"
CATEGORY = "dyplan 抖音投放"
#: A plan's 365 days from 1 January of a common year are exactly January to December.
DEFAULT_START = dt.date(2027, 1, 1)

#: Every worksheet function by its Excel name, and the help of each argument.
FUNCTIONS: dict[str, Callable[..., Cell]] = {}
ARGUMENT_HELP: dict[str, dict[str, str]] = {}


class CellArgumentError(DyplanError):
    """An argument of a worksheet function cannot be used (wrong type or shape)."""

    def __init__(self, argument: str, zh: str, en: str) -> None:
        super().__init__(f"{argument}：{zh}", f"{argument}: {en}")


def error_text(error: DyplanError) -> str:
    """The one-line message a cell shows for an error, Chinese first."""
    return f"{ERROR_PREFIX} {error.zh} / {error.en}"


def _udf(ranges: tuple[str, ...] = (), **argument_help: str) -> Callable[[Callable[..., Cell]], Callable]:
    """Register a worksheet function: errors come back as text, ranges as lists of rows."""

    def register(function: Callable[..., Cell]) -> Callable[..., Cell]:
        @functools.wraps(function)
        def in_cell(*args: Cell) -> Cell:
            try:
                return function(*args)
            except DyplanError as error:
                return error_text(error)

        # Excel's function wizard shows the docstring as one line, cut at 255 characters; xlwings
        # reads it when the first decorator runs.
        in_cell.__doc__ = " ".join(inspect.cleandoc(function.__doc__ or "").split("\n\n"))
        for name, help_text in argument_help.items():
            options = {"ndim": 2} if name in ranges else {}
            in_cell = xw.arg(name, doc=help_text, **options)(in_cell)
        FUNCTIONS[function.__name__] = in_cell
        ARGUMENT_HELP[function.__name__] = argument_help
        return xw.func(category=CATEGORY)(in_cell)

    return register


# ---------------------------------------------------------------- converting what Excel sends


def _number(value: Cell, argument: str) -> float | None:
    """A number from a cell (``1,234``, ``9%`` and ``¥12`` too); blank gives None."""
    if isinstance(value, bool):  # TRUE/FALSE are no amount
        raise CellArgumentError(argument, f"应为数字，当前为 {value}", f"must be a number, got {value}")
    number = number_from_cell(value)
    if number is None or isinstance(number, int | float):
        return None if number is None else float(number)
    raise CellArgumentError(argument, f"应为数字，当前为 {value!r}", f"must be a number, got {value!r}")


def _required(value: Cell, argument: str) -> float:
    number = _number(value, argument)
    if number is None:
        raise CellArgumentError(argument, "不能为空", "is required")
    return number


def _date(value: Cell, argument: str) -> dt.date | None:
    if value is None or value == "":
        return None
    date = date_from_cell(value)
    if not isinstance(date, dt.date):
        raise CellArgumentError(argument, f"应为日期，当前为 {value!r}", f"must be a date, got {value!r}")
    return date


def _term(value: Cell, argument: str, terms: type[Term]) -> Term:
    try:
        return terms.parse("" if value is None else value)
    except ValueError:
        raise CellArgumentError(
            argument,
            f"应为 {terms.choices_zh()} 之一，当前为 {value!r}",
            f"must be one of {', '.join(m.value for m in terms)}, got {value!r}",
        ) from None


def _rows(block: Cell) -> list[list[Cell]]:
    """Any argument as a list of rows: a single cell, one row (a list) or a block."""
    if not isinstance(block, list | tuple):
        return [[block]]
    if all(isinstance(row, list | tuple) for row in block):
        return [list(row) for row in block]
    return [list(block)]


def _line(block: Cell, argument: str) -> list[Cell]:
    """The cells of one row or one column, in order; a wider block is a mistake."""
    rows = _rows(block)
    if len(rows) > 1 and any(len(row) > 1 for row in rows):
        raise CellArgumentError(
            argument,
            f"应为一行或一列，当前为 {len(rows)} 行 × {max(map(len, rows))} 列",
            f"must be one row or one column, got {len(rows)} rows × {max(map(len, rows))} columns",
        )
    return [value for row in rows for value in row]


def _numbers(block: Cell, argument: str, size: int | None = None) -> list[float | None]:
    values = [_number(v, f"{argument}[{i}]") for i, v in enumerate(_line(block, argument), 1)]
    if size is not None and len(values) != size:
        raise CellArgumentError(
            argument,
            f"应为 {size} 个数，当前为 {len(values)} 个",
            f"must be {size} numbers, not {len(values)}",
        )
    return values


def _validated(arguments: dict[str, str], **fields: Any) -> PlanInputs:
    """Engine inputs checked by the engine itself; fields a function does not use get neutral values.

    ``arguments`` renames engine fields to the function's argument names, so that a
    problem names the argument the user typed.
    """
    neutral: dict[str, Any] = {
        "category": Category.OTHER,
        "stage": Stage.MATURE,
        "gmv_target": 1.0,
        "start_date": DEFAULT_START,
        "baseline_aov": 1.0,
        "headcount": 1,
    }
    try:
        return PlanInputs(**(neutral | fields))
    except InputError as error:
        problems = error.problems
        first = problems[0]
        name = arguments.get(first.field, arguments.get(first.field.key, first.field.key))
        more_zh, more_en = (
            ("", "")
            if len(problems) == 1
            else (f"（另有 {len(problems) - 1} 处）", f" ({len(problems) - 1} more)")
        )
        raise CellArgumentError(name, first.zh + more_zh, first.en + more_en) from None


def _typed_or_measured(typed: Cell, argument: str, measured: Cell) -> float | None:
    """The one rule for a typed and a measured value (``typed_or_measured``), on two cells."""
    return typed_or_measured(_number(typed, argument), _number(measured, "measured"))


def _assumed(**given: Any) -> Assumptions:
    """Assumptions with the given values; blank arguments (None) keep the seed's defaults."""
    return Assumptions(**{key: value for key, value in given.items() if value is not None})


@functools.lru_cache(maxsize=256)
def _assumption(field: str, value: Any, argument: str) -> Any:
    """One assumption (None: the seed's default), checked by the engine.

    Cached: a sheet passes the same cell (the tolerance, the cut points) to every row.
    """
    return getattr(_validated({field: argument}, assumptions=_assumed(**{field: value})).assumptions, field)


def _cuts(block: Cell, argument: str) -> tuple[float, ...] | None:
    return None if block is None else tuple(_numbers(block, argument, 3))  # type: ignore[arg-type]


def _blank_if_none(value: float | None) -> Cell:
    """Excel shows Python's None as 0; an empty text keeps the cell looking empty."""
    return "" if value is None else value


# ---------------------------------------------------------------- budget and channels


@_udf(gmv="年度GMV目标（元） annual GMV target (CNY)", ratio="预算比例，如 6% budget ratio, e.g. 6%")
def DY_BUDGET(gmv: Cell, ratio: Cell) -> Cell:
    """年度投放预算 = GMV × 预算比例，精确到分。Annual ad budget = GMV × budget ratio, to the fen (§3.1)."""
    gmv_target, share = _required(gmv, "gmv"), _required(ratio, "ratio")
    _validated(
        {"gmv_target": "gmv", "ratio_mature": "ratio"},
        gmv_target=gmv_target,
        assumptions=Assumptions(ratio_mature=share),
    )
    return to_fen(exact(gmv_target) * exact(share)) / FEN_PER_CNY


@functools.lru_cache(maxsize=64)
def _phase_budgets(
    gmv: float,
    stage: Stage,
    ratios: tuple[float | None, float | None],
    seasonality: tuple[float, ...] | None,
    start: dt.date,
) -> dict[str, float]:
    """Each phase's budget; cached because a sheet asks for all four phases of one plan."""
    inputs = _validated(
        {"gmv_target": "gmv"},
        gmv_target=gmv,
        stage=stage,
        start_date=start,
        assumptions=_assumed(ratio_launch=ratios[0], ratio_mature=ratios[1]),
        **({"seasonality": seasonality} if seasonality is not None else {}),
    )
    a = inputs.assumptions
    timeline = build_timeline(inputs.start_date, a.subphase_days, a.p4_checkpoint_interval_days)
    budget_fen = allocate_money(inputs, timeline).fen[:, MONEY_COLUMNS.index("budget")]
    phase_of_day = timeline.days["phase"].to_numpy()
    return {p.value: int(budget_fen[phase_of_day == p.value].sum()) / FEN_PER_CNY for p in Phase}


@_udf(
    ranges=("seasonality",),
    gmv="年度GMV目标（元） annual GMV target",
    stage="经营阶段：新店起量/成熟经营 merchant stage",
    phase="阶段 P1–P4 或名称 phase",
    ratio_launch="新店起量预算比例，默认 9% launch ratio",
    ratio_mature="成熟经营预算比例，默认 6% mature ratio",
    seasonality="12 个月度权重，默认均为 1 monthly weights",
    start_date="计划开始日期，默认 1 月 1 日 plan start date",
)
def DY_PHASE_BUDGET(
    gmv: Cell,
    stage: Cell,
    phase: Cell,
    ratio_launch: Cell = None,
    ratio_mature: Cell = None,
    seasonality: Cell = None,
    start_date: Cell = None,
) -> Cell:
    """某阶段的投放预算（元）：按月度权重分配GMV再乘阶段比例。

    Budget of one phase (CNY): daily GMV by month weight × the phase's ratio.
    """
    weights = None if seasonality is None else tuple(_numbers(seasonality, "seasonality", 12))
    budgets = _phase_budgets(
        _required(gmv, "gmv"),
        _term(stage, "stage", Stage),
        (_number(ratio_launch, "ratio_launch"), _number(ratio_mature, "ratio_mature")),
        weights,  # type: ignore[arg-type]
        _date(start_date, "start_date") or DEFAULT_START,
    )
    return budgets[_term(phase, "phase", Phase).value]


@_udf(
    ranges=("channel_mix",),
    budget="要拆分的预算（元） budget to split",
    phase="阶段 P1–P4 phase",
    channel_mix="渠道比例：一行 3 个，或 4×3 的渠道分配表；默认种子方案 channel shares",
)
def DY_CHANNEL_SPLIT(budget: Cell, phase: Cell, channel_mix: Cell = None) -> Cell:
    """把预算拆成 信息流/搜索/直播推广 一行三格，精确到分。

    Splits a budget into feed / search / live (one row of three cells), to the fen (§3.2).
    """
    amount = _required(budget, "budget")
    if amount < 0:
        raise CellArgumentError("budget", "不能为负数", "cannot be negative")
    which = _term(phase, "phase", Phase)
    mix = dict(Assumptions().channel_mix)
    if channel_mix is not None:
        rows = _rows(channel_mix)
        if len(rows) == len(Phase):  # the whole Channel_Mix table: take this phase's row
            rows = [rows[list(Phase).index(which)]]
        mix[which] = tuple(_numbers(rows, "channel_mix", len(Channel)))  # type: ignore[assignment]
    _validated({"channel_mix": "channel_mix"}, assumptions=Assumptions(channel_mix=mix))
    return [(largest_remainder(to_fen(amount), mix[which]) / FEN_PER_CNY).tolist()]


# ---------------------------------------------------------------- checkpoints


def _metric(value: Cell) -> str:
    wanted = str(value or "").strip().lower()
    for metric in METRICS.values():
        if wanted in (metric.key, metric.zh.lower(), metric.en.lower()):
            return metric.key
    raise CellArgumentError(
        "metric",
        f"未知指标 {value!r}，可用：{'、'.join(m.zh for m in METRICS.values())}",
        f"unknown metric {value!r}; use one of {', '.join(METRICS)}",
    )


@_udf(
    metric="指标：中文名、英文名或键，如 ROI、转化成本 metric",
    phase="阶段 P1–P4 phase",
    category="类目，如 美妆 category",
    aov="基准客单价（元），转化成本与客单价目标需要 baseline AOV",
    roi="目标ROI，默认 2.5 target ROI",
)
def DY_CHECKPOINT_TARGET(
    metric: Cell, phase: Cell, category: Cell, aov: Cell = None, roi: Cell = None
) -> Cell:
    """某阶段检查点指标的默认目标值（比例以小数表示）。

    Default checkpoint target of a metric in a phase (shares as fractions, §4).
    """
    key, which = _metric(metric), _term(phase, "phase", Phase)
    rule = next((r for r in (*PHASE_RULES, *P4_RULES) if r.phase is which and r.metric == key), None)
    if rule is None:
        checked = [METRICS[r.metric].zh for r in (*PHASE_RULES, *P4_RULES) if r.phase is which]
        raise CellArgumentError(
            "metric",
            f"{which.value} 不检查 {METRICS[key].zh}；可用：{'、'.join(dict.fromkeys(checked))}",
            f"{which.value} does not check {METRICS[key].en}",
        )
    baseline = _number(aov, "aov")
    if baseline is None and rule.target in (TARGET_CPA, AOV_TARGET):
        raise CellArgumentError("aov", "此目标由客单价计算，请填写客单价", "this target needs the AOV")
    target_roi = _number(roi, "roi")
    targets = dict(Assumptions().checkpoint_targets)
    if target_roi is not None:
        targets["roi"] = target_roi
    inputs = _validated(
        {"category": "category", "baseline_aov": "aov", "checkpoint_targets": "roi"},
        category="" if category is None else category,
        baseline_aov=1.0 if baseline is None else baseline,
        assumptions=Assumptions(checkpoint_targets=targets),
    )
    return resolve_targets(inputs)[rule.target]


@_udf(
    actual="实际值，空白表示尚无数据 actual value",
    target="目标值 target",
    comparator="≥ 或 ≤（也可写 >= <=） comparator",
    tolerance="风险容忍度，默认 15% tolerance",
    due_date="检查日期，过期无数据为 缺数据 due date",
    measured="报表值：实际值空白时使用 value from reports, used when actual is blank",
)
def DY_CHECKPOINT_STATUS(
    actual: Cell,
    target: Cell,
    comparator: Cell,
    tolerance: Cell = None,
    due_date: Cell = None,
    measured: Cell = None,
) -> Cell:
    """检查点状态：达标 / 预警（差距小于容忍度）/ 未达标 / 待评估 / 缺数据。

    Checkpoint status: met, warning (short by less than the tolerance), missed, pending or no data (§4).
    """
    value, goal = _typed_or_measured(actual, "actual", measured), _required(target, "target")
    try:
        at_least = comparator_is_at_least(str(comparator or ""))
    except ValueError:
        raise CellArgumentError(
            "comparator", f"应为 ≥ 或 ≤，当前为 {comparator!r}", f"must be ≥ or ≤, got {comparator!r}"
        ) from None
    share = _assumption("tolerance", _number(tolerance, "tolerance"), "tolerance")
    today = dt.date.today()
    due = _date(due_date, "due_date") or today  # no date: never overdue
    return checkpoint_status(value, goal, at_least, share, due, today).zh


# ---------------------------------------------------------------- risk


@_udf(
    value="指标当前值，空白表示未测量 indicator value",
    good="0 分锚点 value scoring 0",
    warn="50 分锚点 value scoring 50",
    critical="100 分锚点 value scoring 100",
    measured="报表值：当前值空白时使用 value from reports, used when value is blank",
)
def DY_RISK_SCORE(value: Cell, good: Cell, warn: Cell, critical: Cell, measured: Cell = None) -> Cell:
    """风险指标评分 0–100：在 良好/预警/严重 三个锚点之间线性插值。

    Risk indicator score 0–100, linear through the good / warn / critical anchors (§5).
    """
    anchors = [_required(v, name) for v, name in ((good, "good"), (warn, "warn"), (critical, "critical"))]
    try:
        return _blank_if_none(score_indicator(_typed_or_measured(value, "value", measured), *anchors))
    except ValueError:
        raise CellArgumentError(
            "good/warn/critical", "三个锚点须单调递增或递减", "must be strictly increasing or decreasing"
        ) from None


@_udf(
    ranges=("scores", "weights"),
    scores="各指标评分（一列），空白不计 indicator scores",
    weights="与评分等长的权重，默认相等 weights",
)
def DY_RISK_INDEX(scores: Cell, weights: Cell = None) -> Cell:
    """综合风险指数：已测量指标评分的加权平均（空白不计）。

    Composite risk index: weighted mean of the measured scores; blanks drop out (§5).
    """
    values = _numbers(scores, "scores")
    shares = [1.0] * len(values) if weights is None else _numbers(weights, "weights", len(values))
    if any(w is None or w < 0 for w in shares):
        raise CellArgumentError("weights", "每个权重应为 ≥ 0 的数", "every weight must be a number ≥ 0")
    return _blank_if_none(composite_index(values, shares))  # type: ignore[arg-type]


@_udf(
    ranges=("cuts",), index="综合风险指数 0–100 risk index", cuts="中/高/严重 分界，默认 30/50/70 cut points"
)
def DY_RISK_LEVEL(index: Cell, cuts: Cell = None) -> Cell:
    """风险等级：低 / 中 / 高 / 严重；指数为空时为 —。

    Risk level of an index: 低 low, 中 medium, 高 high, 严重 critical (§5).
    """
    value = _number(index, "index")
    bounds = _assumption("level_cuts", _cuts(cuts, "cuts"), "cuts")
    return "—" if value is None else risk_level(value, bounds).zh


@_udf(
    ranges=("cuts",),
    probability="发生概率 1–5 probability",
    impact="影响程度 1–5 impact",
    cuts="中/高/严重 三个分界，默认 5/10/20 cut points",
)
def DY_RISK_MATRIX(probability: Cell, impact: Cell, cuts: Cell = None) -> Cell:
    """风险矩阵：得分 = 概率 × 影响，与等级一行两格。

    Risk matrix: score = probability × impact, and its level, as one row of two cells (§4.1).
    """
    rating = (_required(probability, "probability"), _required(impact, "impact"))
    bounds = _assumption("matrix_cuts", _cuts(cuts, "cuts"), "cuts")
    factor = next(iter(DEFAULT_MATRIX_RATINGS))
    _validated(
        {f"risk_ratings.{factor}.probability": "probability", f"risk_ratings.{factor}.impact": "impact"},
        risk_ratings={**DEFAULT_MATRIX_RATINGS, factor: rating},
    )
    score, level = matrix_level(*rating, bounds)  # type: ignore[arg-type]
    return [[score, level.zh]]


# ---------------------------------------------------------------- team, forecast, evaluation


@_udf(ranges=("ratio",), headcount="团队总人数 team headcount", ratio="三组人数比例，默认 5:3:2 team ratio")
def DY_TEAM_SPLIT(headcount: Cell, ratio: Cell = None) -> Cell:
    """团队配置：每个岗位一行（分组、岗位、人数），合计等于总人数。

    Team split: one row per role (group, role, heads), adding up to the headcount (§3.1).
    """
    heads = _required(headcount, "headcount")
    shares = None if ratio is None else tuple(_numbers(ratio, "ratio", 3))
    inputs = _validated(
        {"headcount": "headcount", "team_ratio": "ratio"},
        headcount=heads,
        assumptions=_assumed(team_ratio=shares),
    )
    team = split_team(int(heads), inputs.assumptions.team_ratio)
    return team[["group_zh", "role_zh", "headcount"]].values.tolist()


@_udf(
    ranges=("history",),
    history=f"按日的历史值（一列，每行一天，空白为当天无数据；至少 {MIN_HISTORY} 个值，旧在前） "
    "daily history, one row a day (blank: no data that day), oldest first",
    horizon="预测天数，默认 30 days ahead",
)
def DY_FORECAST(history: Cell, horizon: Cell = 30) -> Cell:
    """指数平滑预测（Holt 加性趋势）：每天一行 步数、预测、下限、上限（95%）；中间的空白算作无数据的一天。

    Holt forecast: a row per day ahead (step, forecast, lower, upper 95 %); a blank: a day without data (§5).
    """
    values = _numbers(history, "history")
    while values and values[-1] is None:  # a range taller than the data
        values.pop()
    days = _assumption("forecast_horizon_days", _number(horizon, "horizon"), "horizon")
    present = len(values) - values.count(None)
    if present < MIN_HISTORY:
        raise CellArgumentError(
            "history",
            f"至少需要 {MIN_HISTORY} 个值，当前 {present} 个",
            f"needs at least {MIN_HISTORY} values, got {present}",
        )
    daily = [math.nan if v is None else v for v in values]
    forecast = forecast_series(daily, int(days), Assumptions().forecast_interval)  # type: ignore[arg-type]
    return forecast.table[["step", "forecast", "lower", "upper"]].values.tolist()


@_udf(actual="实际值 actual", target="目标值 target")
def DY_ATTAINMENT(actual: Cell, target: Cell) -> Cell:
    """达成率 = 实际 ÷ 目标；缺少任一值或目标为 0 时为空。

    Attainment = actual ÷ target; empty when either is missing or the target is 0 (§7).
    """
    return _blank_if_none(attainment(_number(actual, "actual"), _number(target, "target")))
