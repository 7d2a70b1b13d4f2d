"""Worksheet functions: ``=DY_…()`` in cells, each a thin wrapper over the engine.

The workbook's ``xlwings_udfs`` VBA module (generated from these signatures, ``udf_wrapper``)
hands each call to this module, which its ``xlwings.conf`` sheet names under ``UDF Modules``.
Arguments arrive as Excel sends them: floats, ``None`` for blank cells, lists of rows for ranges,
datetimes (or date serials) for dates, and text wherever a user typed text. Each argument is
declared with its converters (``dyplan.excel.converters``), so a body gets the engine's values. A
bad argument gives a readable ``#DY!`` message in the cell, in Chinese and English, never a
Python traceback. Docstrings and argument help are what the docs list (the built-in wrappers
register no help with Excel's function wizard).

>>> DY_BUDGET(100_000_000, 0.065)
6500000.0
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import operator
import typing
from collections.abc import Callable
from typing import Annotated

import xlwings as xw

from dyplan.errors import DyplanError, OptimiseError
from dyplan.excel.converters import (
    DEFAULT_START,
    Assumption,
    Cell,
    CellArgumentError,
    Date,
    InputField,
    MatrixRating,
    Number,
    NumberBlock,
    Numbers,
    OneOf,
    Required,
    chain,
    daily_history,
    if_given,
    inputs_with,
    is_at_least,
    metric_key,
    nonnegative_weights,
    not_negative,
    or_no_value,
    required,
    rows,
    sized,
)
from dyplan.model import (
    AOV_TARGET,
    FEN_PER_CNY,
    METRICS,
    MIN_HISTORY,
    MONEY_COLUMNS,
    P4_RULES,
    PHASE_RULES,
    TARGET_CPA,
    Assumptions,
    Category,
    Channel,
    CheckpointRule,
    Phase,
    Stage,
    allocate_money,
    attainment,
    best_split,
    breakeven_roi,
    build_timeline,
    checkpoint_status,
    composite_index,
    exact,
    forecast_series,
    largest_remainder,
    matrix_level,
    resolve_targets,
    risk_level,
    score_indicator,
    split_team,
    to_fen,
    typed_curves,
    typed_or_measured,
)
from dyplan.scalars import NO_VALUE

ERROR_PREFIX = "#DY!"
CATEGORY = "dyplan 抖音投放"
#: The seed's assumptions, for the arguments left blank.
SEED = Assumptions()

#: Every worksheet function by its Excel name, and the help of each argument.
FUNCTIONS: dict[str, Callable[..., Cell]] = {}
ARGUMENT_HELP: dict[str, dict[str, str]] = {}


def error_text(error: DyplanError) -> str:
    """The one-line message a cell shows for an error, Chinese first."""
    return f"{ERROR_PREFIX} {error.zh} / {error.en}"


def _in_cell(function: Callable[..., Cell]) -> Callable[..., Cell]:
    """``function`` as a cell calls it: every argument through the converters its annotation
    declares, a ``DyplanError`` as the cell's text.

    An annotation is ``Annotated[what the body gets, converters…]``; a default is what Excel sends
    for an argument left out.
    """
    hints = typing.get_type_hints(function, include_extras=True)
    parameters = inspect.signature(function).parameters
    names = tuple(parameters)
    converters = tuple(chain(*getattr(hints[name], "__metadata__", ())) for name in names)
    defaults = tuple(p.default for p in parameters.values() if p.default is not p.empty)
    least = len(names) - len(defaults)

    def padded(args: tuple[Cell, ...]) -> tuple[Cell, ...]:
        """Arguments left out take their defaults (Excel sends all; Python callers may not)."""
        if not least <= len(args) <= len(names):
            raise TypeError(f"{function.__name__} takes {least} to {len(names)} arguments, not {len(args)}")
        return args + defaults[len(args) - least :]

    @functools.wraps(function)
    def in_cell(*args: Cell) -> Cell:
        if len(args) != len(names):
            args = padded(args)
        try:  # map(operator.call, …): every argument through its converter without a Python loop
            return function(*map(operator.call, converters, args, names))
        except DyplanError as error:
            return error_text(error)

    # xlwings reads hints as its own converters; ours are done, so to it every argument is plain.
    in_cell.__annotations__ = dict.fromkeys([*parameters, "return"], Cell)
    return in_cell


def _udf(ranges: tuple[str, ...] = (), **argument_help: str) -> Callable[[Callable[..., Cell]], Callable]:
    """Register a worksheet function: arguments converted as annotated, errors come back as text,
    ranges as lists of rows."""

    def register(function: Callable[..., Cell]) -> Callable[..., Cell]:
        in_cell = _in_cell(function)
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


PhaseName = Annotated[Phase, OneOf(Phase)]
ThreeNumbers = Annotated[tuple[float, float, float] | None, if_given(Numbers(3))]


# ---------------------------------------------------------------- budget and channels


@_udf(gmv="年度GMV目标（元） annual GMV target (CNY)", ratio="预算比例，如 6% budget ratio, e.g. 6%")
def DY_BUDGET(
    gmv: Annotated[Required, InputField("gmv_target")], ratio: Annotated[Required, Assumption("ratio_mature")]
) -> Cell:
    """年度投放预算 = GMV × 预算比例，精确到分。Annual ad budget = GMV × budget ratio, to the fen."""
    return to_fen(exact(gmv) * exact(ratio)) / FEN_PER_CNY


@functools.lru_cache(maxsize=64)
def _phase_budgets(
    gmv: float,
    stage: Stage,
    ratios: tuple[float, float],
    seasonality: tuple[float, ...] | None,
    start: dt.date,
) -> dict[str, float]:
    """Each phase's budget; cached because a sheet asks for all four phases of one plan."""
    inputs = inputs_with(
        gmv_target=gmv,
        stage=stage,
        start_date=start,
        assumptions=Assumptions(ratio_launch=ratios[0], ratio_mature=ratios[1]),
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
    gmv: Annotated[Required, InputField("gmv_target")],
    stage: Annotated[Stage, OneOf(Stage)],
    phase: PhaseName,
    ratio_launch: Annotated[Number, Assumption("ratio_launch")] = None,
    ratio_mature: Annotated[Number, Assumption("ratio_mature")] = None,
    seasonality: Annotated[tuple[float, ...] | None, if_given(Numbers(12), InputField("seasonality"))] = None,
    start_date: Date = None,
) -> Cell:
    """某阶段的投放预算（元）：按月度权重分配GMV再乘阶段比例。

    Budget of one phase (CNY): daily GMV by month weight × the phase's ratio.
    """
    budgets = _phase_budgets(
        gmv, stage, (ratio_launch, ratio_mature), seasonality, start_date or DEFAULT_START
    )
    return budgets[phase.value]


#: Each phase's channel shares from one row of them: the phase picks the default (and the row of a
#: whole table), so these converters cannot sit in the signature.
_PHASE_MIX = {p: chain(if_given(Numbers(len(Channel))), Assumption("channel_mix", p)) for p in Phase}


def _phase_mix(phase: Phase, channel_mix: list[list[Cell]] | None) -> tuple[float, float, float]:
    """The phase's channel shares: one row of them, or the phase's row of the whole Channel_Mix table."""
    if channel_mix is not None and len(channel_mix) == len(Phase):
        channel_mix = [channel_mix[list(Phase).index(phase)]]
    return _PHASE_MIX[phase](channel_mix, "channel_mix")


@_udf(
    ranges=("channel_mix",),
    budget="要拆分的预算（元） budget to split",
    phase="阶段 P1–P4 phase",
    channel_mix="渠道比例：一行 3 个，或 4×3 的渠道分配表；默认为常用比例 channel shares",
)
def DY_CHANNEL_SPLIT(
    budget: Annotated[Required, not_negative],
    phase: PhaseName,
    channel_mix: Annotated[list[list[Cell]] | None, if_given(rows)] = None,
) -> Cell:
    """把预算拆成 信息流/搜索/直播推广 一行三格，精确到分。

    Splits a budget into feed / search / live (one row of three cells), to the fen.
    """
    return [(largest_remainder(to_fen(budget), _phase_mix(phase, channel_mix)) / FEN_PER_CNY).tolist()]


@_udf(
    margin=f"毛利率（扣除平台费用后），默认 {SEED.gross_margin:.0%} gross margin after platform fees",
    refund_rate=f"退款率，默认 {SEED.refund_rate:.0%} refund rate",
)
def DY_BREAKEVEN_ROI(
    margin: Annotated[Number, Assumption("gross_margin")] = None,
    refund_rate: Annotated[Number, Assumption("refund_rate")] = None,
) -> Cell:
    """保本ROI = 1 ÷ (毛利率 × (1 − 退款率))：支付ROI 低于它时每单亏损。

    Break-even ROI = 1 ÷ (margin × (1 − refund rate)): a pay-ROI under it loses money on every order.
    """
    return breakeven_roi(margin, refund_rate)


@_udf(
    ranges=("curves", "bounds"),
    budget="每日预算（元） daily budget (CNY)",
    curves="响应曲线 3×3：行 信息流/搜索/直播推广，列 V 最高日GMV、K 半饱和日消耗、a 形状 response curves",
    bounds="占比上下限 3×2：列 最低、最高；留空为 0%–100% share bounds (min, max)",
)
def DY_OPTIMAL_SPLIT(
    budget: Annotated[Required, not_negative],
    curves: Annotated[list[list[float | None]], NumberBlock(len(Channel), 3)],
    bounds: Annotated[list[list[float | None]] | None, if_given(NumberBlock(len(Channel), 2))] = None,
) -> Cell:
    """把每日预算分给 信息流/搜索/直播推广（一行三格占比），使响应曲线上的当天 GMV 最大。

    The shares of a daily budget over feed / search / live (one row) that bring the most GMV = V·sᵃ/(sᵃ+Kᵃ).
    """
    fitted = typed_curves({channel: tuple(row) for channel, row in zip(Channel, curves, strict=True)})
    missing = [channel.zh for channel in Channel if channel not in fitted]
    if missing:
        raise CellArgumentError("curves", f"{'、'.join(missing)} 缺少曲线", "every channel needs its curve")
    shares = bounds or [[0.0, 1.0]] * len(Channel)
    low = [(row[0] or 0.0) * budget for row in shares]
    high = [(1.0 if row[1] is None else row[1]) * budget for row in shares]
    try:
        return [list(best_split([fitted[c] for c in Channel], budget, low, high).shares)]
    except OptimiseError as error:  # only the bounds can make a split impossible
        raise CellArgumentError("bounds", error.zh, error.en) from error


# ---------------------------------------------------------------- checkpoints


def _rule(metric: str, phase: Phase) -> CheckpointRule:
    """The rule that checks ``metric`` in ``phase``; naming the metric if the phase checks none."""
    rules = (*PHASE_RULES, *P4_RULES)
    rule = next((r for r in rules if r.phase is phase and r.metric == metric), None)
    if rule is None:
        checked = [METRICS[r.metric].zh for r in rules if r.phase is phase]
        raise CellArgumentError(
            "metric",
            f"{phase.value} 不检查 {METRICS[metric].zh}；可用：{'、'.join(dict.fromkeys(checked))}",
            f"{phase.value} does not check {METRICS[metric].en}",
        )
    return rule


@_udf(
    metric="指标：中文名、英文名或键，如 ROI、转化成本 metric",
    phase="阶段 P1–P4 phase",
    category="类目，如 美妆 category",
    aov="基准客单价（元），转化成本与客单价目标需要 baseline AOV",
    roi="目标ROI，默认 2.5 target ROI",
)
def DY_CHECKPOINT_TARGET(
    metric: Annotated[str, metric_key],
    phase: PhaseName,
    category: Annotated[Category, InputField("category")],
    aov: Annotated[Number, if_given(InputField("baseline_aov"))] = None,
    roi: Annotated[Number, Assumption("checkpoint_targets", "roi")] = None,
) -> Cell:
    """某阶段检查点指标的默认目标值（比例以小数表示）。

    Default checkpoint target of a metric in a phase (shares as fractions).
    """
    rule = _rule(metric, phase)
    if aov is None and rule.target in (TARGET_CPA, AOV_TARGET):
        raise CellArgumentError("aov", "此目标由客单价计算，请填写客单价", "this target needs the AOV")
    inputs = inputs_with(
        category=category,
        baseline_aov=1.0 if aov is None else aov,
        assumptions=Assumptions(checkpoint_targets={**Assumptions().checkpoint_targets, "roi": roi}),
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
    actual: Number,
    target: Required,
    comparator: Annotated[bool, is_at_least],
    tolerance: Annotated[Number, Assumption("tolerance")] = None,
    due_date: Date = None,
    measured: Number = None,
) -> Cell:
    """检查点状态：达标 / 预警（差距小于容忍度）/ 未达标 / 待评估 / 缺数据。

    Checkpoint status: met, warning (short by less than the tolerance), missed, pending or no data.
    """
    today = dt.date.today()
    due = due_date or today  # no date: never overdue
    return checkpoint_status(
        typed_or_measured(actual, measured), target, comparator, tolerance, due, today
    ).zh


# ---------------------------------------------------------------- risk


@_udf(
    value="指标当前值，空白表示未测量 indicator value",
    good="0 分锚点 value scoring 0",
    warn="50 分锚点 value scoring 50",
    critical="100 分锚点 value scoring 100",
    measured="报表值：当前值空白时使用 value from reports, used when value is blank",
)
def DY_RISK_SCORE(
    value: Number, good: Required, warn: Required, critical: Required, measured: Number = None
) -> Cell:
    """风险指标评分 0–100：在 良好/预警/严重 三个锚点之间线性插值。

    Risk indicator score 0–100, linear through the good / warn / critical anchors.
    """
    try:
        return or_no_value(score_indicator(typed_or_measured(value, measured), good, warn, critical))
    except ValueError:
        raise CellArgumentError(
            "good/warn/critical", "三个锚点须单调递增或递减", "must be strictly increasing or decreasing"
        ) from None


@_udf(
    ranges=("scores", "weights"),
    scores="各指标评分（一列），空白不计 indicator scores",
    weights="与评分等长的权重，默认相等 weights",
)
def DY_RISK_INDEX(
    scores: Annotated[tuple[float | None, ...], Numbers()],
    weights: Annotated[tuple[float, ...] | None, if_given(Numbers(), nonnegative_weights)] = None,
) -> Cell:
    """综合风险指数：已测量指标评分的加权平均（空白不计）。

    Composite risk index: weighted mean of the measured scores; blanks drop out.
    """
    shares = [1.0] * len(scores) if weights is None else sized(weights, len(scores), "weights")
    return or_no_value(composite_index(scores, shares))  # type: ignore[arg-type]


@_udf(
    ranges=("cuts",), index="综合风险指数 0–100 risk index", cuts="中/高/严重 分界，默认 30/50/70 cut points"
)
def DY_RISK_LEVEL(index: Number, cuts: Annotated[ThreeNumbers, Assumption("level_cuts")] = None) -> Cell:
    """风险等级：低 / 中 / 高 / 严重；指数为空时为 —。

    Risk level of an index: 低 low, 中 medium, 高 high, 严重 critical.
    """
    return NO_VALUE if index is None else risk_level(index, cuts).zh


@_udf(
    ranges=("cuts",),
    probability="发生概率 1–5 probability",
    impact="影响程度 1–5 impact",
    cuts="中/高/严重 三个分界，默认 5/10/20 cut points",
)
def DY_RISK_MATRIX(
    probability: Annotated[int, required, MatrixRating(0)],
    impact: Annotated[int, required, MatrixRating(1)],
    cuts: Annotated[ThreeNumbers, Assumption("matrix_cuts")] = None,
) -> Cell:
    """风险矩阵：得分 = 概率 × 影响，与等级一行两格。

    Risk matrix: score = probability × impact, and its level, as one row of two cells.
    """
    score, level = matrix_level(probability, impact, cuts)  # type: ignore[arg-type]
    return [[score, level.zh]]


# ---------------------------------------------------------------- team, forecast, evaluation


@_udf(ranges=("ratio",), headcount="团队总人数 team headcount", ratio="三组人数比例，默认 5:3:2 team ratio")
def DY_TEAM_SPLIT(
    headcount: Annotated[int, required, InputField("headcount")],
    ratio: Annotated[ThreeNumbers, Assumption("team_ratio")] = None,
) -> Cell:
    """团队配置：每个岗位一行（分组、岗位、人数），合计等于总人数。

    Team split: one row per role (group, role, heads), adding up to the headcount.
    """
    return split_team(headcount, ratio)[["group_zh", "role_zh", "headcount"]].values.tolist()


@_udf(
    ranges=("history",),
    history=f"按日的历史值（一列，每行一天，空白为当天无数据；至少 {MIN_HISTORY} 个值，旧在前） "
    "daily history, one row a day (blank: no data that day), oldest first",
    horizon=f"预测天数，默认 {SEED.forecast_horizon_days} days ahead",
)
def DY_FORECAST(
    history: Annotated[list[float], daily_history],
    horizon: Annotated[Number, Assumption("forecast_horizon_days")] = None,  # blank: the seed's
) -> Cell:
    """指数平滑预测（Holt 加性趋势）：每天一行 步数、预测、下限、上限（95%）；中间的空白算作无数据的一天。

    Holt forecast: a row per day ahead (step, forecast, lower, upper 95 %); a blank: a day without data.
    """
    forecast = forecast_series(history, horizon, SEED.forecast_interval)
    return forecast.table[["step", "forecast", "lower", "upper"]].values.tolist()


@_udf(actual="实际值 actual", target="目标值 target")
def DY_ATTAINMENT(actual: Number, target: Number) -> Cell:
    """达成率 = 实际 ÷ 目标；缺少任一值或目标为 0 时为 —。

    Attainment = actual ÷ target; — when either is missing or the target is 0.
    """
    return or_no_value(attainment(actual, target))
