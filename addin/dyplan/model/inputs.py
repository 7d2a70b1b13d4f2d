"""Typed inputs (输入) and assumptions (假设), validated once, all problems at once.

``PlanInputs`` is what the user types on the 输入 sheet; ``Assumptions`` holds every
editable default of PLANNING_RULES with its seed value. Constructing ``PlanInputs`` checks
everything (its assumptions included) and raises one ``InputError`` listing every problem;
``warnings()`` lists what is allowed but outside the seed's ranges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from dyplan.errors import Field, InputError, Problem
from dyplan.model.breakeven import breakeven_roi
from dyplan.model.calendar import plan_period
from dyplan.model.events import Event, PromoCalendar, window_reaches
from dyplan.model.risk import (
    ALERT_RULES,
    INDICATORS,
    KIND_ANCHORS,
    MATRIX_FACTOR_KEYS,
)
from dyplan.model.seed import (
    DEFAULT_CHANNEL_MIX,
    DEFAULT_MATRIX_RATINGS,
    DEFAULT_TARGETS,
    RATIO_RANGES,
    ctr_benchmark_defaults,
)
from dyplan.model.terms import Category, Channel, Phase, Purpose, Stage, Strategy, Term
from dyplan.model.values import got, is_blank, is_number

#: The largest annual GMV target: ¥10 trillion is beyond any shop (all of Douyin sells a few), and
#: keeps every amount in fen far inside 64-bit integers.
MAX_GMV_CNY = 10**13
#: The dates a plan's cells may hold: the template's date cells allow these alone (Excel shows
#: dates before 1900 as text, and the calendar's dates must stay within what pandas can count).
PLAN_DATES = (dt.date(2000, 1, 1), dt.date(2100, 12, 31))
#: Shares that must add up to 1 may be off by this much (0.01 %).
SHARE_SUM_TOLERANCE = 1e-4
#: Steeper than this, a response curve is a step: no budget between off and saturated makes sense.
MAX_CURVE_SHAPE = 5.0
MAX_LEAD_DAYS = 60  # a budget that leads its GMV by more than two months is no pre-heat


def _default_anchors() -> dict[str, tuple[float, float, float]]:
    return {ind.key: KIND_ANCHORS[ind.kind] for ind in INDICATORS}


@dataclass(frozen=True)
class Assumptions:
    """Every editable default of PLANNING_RULES (the 假设 sheet). Shares are 0–1."""

    ratio_launch: float = 0.09
    ratio_mature: float = 0.06
    reserve_share: float = 0.10
    purpose_split: tuple[float, float, float] = (0.30, 0.40, 0.30)
    channel_mix: Mapping[Phase, tuple[float, float, float]] = field(
        default_factory=lambda: dict(DEFAULT_CHANNEL_MIX)
    )
    subphase_days: tuple[tuple[int, int, int], ...] = ((7, 10, 13), (15, 20, 25), (30, 30, 30))
    p4_checkpoint_interval_days: int = 30
    ctr_benchmarks: Mapping[Category, float] = field(default_factory=ctr_benchmark_defaults)
    checkpoint_targets: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TARGETS))
    tolerance: float = 0.15
    risk_anchors: Mapping[str, tuple[float, float, float]] = field(default_factory=_default_anchors)
    risk_weights: Mapping[str, float] = field(default_factory=lambda: {ind.key: 1.0 for ind in INDICATORS})
    level_cuts: tuple[float, float, float] = (30.0, 50.0, 70.0)
    matrix_cuts: tuple[float, float, float] = (5.0, 10.0, 20.0)
    alert_thresholds: Mapping[str, float] = field(
        default_factory=lambda: {r.key: r.default_threshold for r in ALERT_RULES}
    )
    team_ratio: tuple[float, float, float] = (5.0, 3.0, 2.0)
    forecast_horizon_days: int = 30
    early_warning_days: int = 3
    forecast_interval: float = 0.95
    # Typical values, not the seed's (it gives none): a 50 % margin after platform fees and 10 % refunds
    # put break-even at ROI 2.22, under the seed's target 2.5. Every shop should type its own.
    gross_margin: float = 0.50
    refund_rate: float = 0.10
    # Seeded response curves (response.py): the plan's daily spend of a channel is this share of the
    # spend that brings half the curve's most GMV; shape 1 is the concave Michaelis–Menten curve.
    curve_saturation: float = 0.5
    curve_shape: float = 1.0
    # The optimiser's bounds (optimiser.Bounds): each phase's proposed shares stay within this many
    # points of its channel mix, live at most ``early_live_cap`` while the shop builds its base
    # (P1–P2, §3.2), and each channel spends at least its ``min_daily_spend`` a day (CNY).
    share_band: float = 0.15
    early_live_cap: float = 0.20
    min_daily_spend: Mapping[Channel, float] = field(default_factory=lambda: dict.fromkeys(Channel, 0.0))
    #: Response curves the user typed, ``{channel: (V, K, a)}`` (response.py); a channel left out or
    #: left blank has none, and is fitted to the actuals or seeded from the plan.
    response_curves: Mapping[Channel, tuple[float | None, float | None, float | None]] = field(
        default_factory=dict
    )
    #: The promotion calendar (events.py): the events typed, and whether the typical ones weigh the
    #: plan's days too (where no typed event of the same name and year takes their place), on top of
    #: the months' weights. A new workbook starts with the typical ones; the engine's default is none.
    events: tuple[Event, ...] = ()
    promo_calendar: PromoCalendar = PromoCalendar.TYPED

    @property
    def breakeven_roi(self) -> float:
        """保本ROI of these assumptions (breakeven.py)."""
        return breakeven_roi(self.gross_margin, self.refund_rate)

    def ratio(self, stage: Stage, phase: Phase) -> float:
        """Budget ratio of a phase: launch shops use the launch ratio until P4 (§2)."""
        if stage is Stage.LAUNCH and phase is not Phase.P4:
            return self.ratio_launch
        return self.ratio_mature


def _default_ratings() -> dict[str, tuple[int, int]]:
    return dict(DEFAULT_MATRIX_RATINGS)


@dataclass(frozen=True)
class PlanInputs:
    """What the user types on the 输入 sheet, plus assumptions and risk readings.

    Labels may be given as keys, Chinese or English (``"美妆"``, ``"beauty"``); they are
    stored as ``Term`` members. Raises ``InputError`` listing every problem.
    """

    category: Category
    stage: Stage
    gmv_target: float
    start_date: dt.date
    baseline_aov: float
    headcount: int
    strategy: Strategy = Strategy.SALES
    shop_name: str = ""
    seasonality: tuple[float, ...] = (1.0,) * 12
    assumptions: Assumptions = field(default_factory=Assumptions)
    risk_values: Mapping[str, float | None] = field(default_factory=dict)
    risk_ratings: Mapping[str, tuple[int, int]] = field(default_factory=_default_ratings)

    def __post_init__(self) -> None:
        checks = _Checks()
        for name, term in (("category", Category), ("stage", Stage), ("strategy", Strategy)):
            checks.term(self, name, term)
        if isinstance(self.start_date, dt.datetime):
            object.__setattr__(self, "start_date", self.start_date.date())
        first, last = PLAN_DATES
        if not isinstance(self.start_date, dt.date) or not first <= self.start_date <= last:
            now_zh, now_en = got(self.start_date)
            checks.add("start_date", f"应为 {first} 至 {last} 之间的日期，{now_zh}",
                       f"must be a date from {first} to {last}, {now_en}")  # fmt: skip
        if not isinstance(self.shop_name, str):
            checks.add("shop_name", "应为文本", "must be text")
        checks.number("gmv_target", self.gmv_target, above=0, at_most=MAX_GMV_CNY)
        checks.number("baseline_aov", self.baseline_aov, above=0, at_most=MAX_GMV_CNY)
        checks.number("headcount", self.headcount, at_least=1, integer=True)
        checks.seasonality(self.seasonality)
        checks.risk_readings(self.risk_values, self.risk_ratings)
        if isinstance(self.assumptions, Assumptions):
            checks.assumptions(self.assumptions)
        else:
            checks.add("assumptions", "假设格式不正确", "assumptions have the wrong type")
        if checks.problems:
            raise InputError(checks.problems)
        self._store_whole_numbers()

    def _store_whole_numbers(self) -> None:
        """Excel sends 30.0 for 30: keep validated whole numbers as ints, as ranges need."""
        a = self.assumptions
        object.__setattr__(self, "headcount", int(self.headcount))
        object.__setattr__(self, "risk_ratings",
                           {k: (int(p), int(i)) for k, (p, i) in self.risk_ratings.items()})  # fmt: skip
        whole = replace(
            a,
            subphase_days=tuple(tuple(int(d) for d in phase) for phase in a.subphase_days),
            p4_checkpoint_interval_days=int(a.p4_checkpoint_interval_days),
            forecast_horizon_days=int(a.forecast_horizon_days),
            early_warning_days=int(a.early_warning_days),
        )
        object.__setattr__(self, "assumptions", whole)

    def warnings(self) -> list[Problem]:
        """Allowed but outside the seed's range: shown, never blocking."""
        found = []
        a = self.assumptions
        used = [("ratio_mature", Stage.MATURE, a.ratio_mature)]  # every plan's P4
        if self.stage is Stage.LAUNCH:
            used.insert(0, ("ratio_launch", Stage.LAUNCH, a.ratio_launch))
        for name, stage, ratio in used:
            low, high = RATIO_RANGES[stage]
            if not low <= ratio <= high:
                found.append(
                    Problem(
                        name,
                        f"{stage.zh}预算比例 {ratio:.2%} 超出常用范围 {low:.0%}–{high:.0%}",
                        f"{stage.en} budget ratio {ratio:.2%} is outside the usual {low:.0%}–{high:.0%}",
                    )
                )
        found += self._events_outside_the_plan()
        return found

    def _events_outside_the_plan(self) -> list[Problem]:
        """Typed windows that weigh none of the plan's days (GMV or budget): a year typed wrong."""
        first, last = plan_period(self.start_date)
        return [
            Problem(
                Field("events", str(n), w.kind.value),
                f"{event.name} {w.kind.zh} {w.start} – {w.end} 不在计划期 {first} 至 {last} 内，不起作用"
                "（年份是否写错？）",
                f"{event.name} {w.kind.en} {w.start} – {w.end} lies outside the plan's {first} to {last} "
                "and weighs no day (is the year right?)",
            )
            for n, event in enumerate(self.assumptions.events, 1)
            for w in event.windows
            if not window_reaches(w, event.lead_days, first, last)
        ]


class _Checks:
    """Collects problems so that every one is reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, name: str | Field, zh: str, en: str) -> None:
        self.problems.append(Problem(name, zh, en))

    def term(self, inputs: PlanInputs, name: str, term: type[Term]) -> None:
        value = getattr(inputs, name)
        try:
            object.__setattr__(inputs, name, term.parse(value))
        except ValueError:
            now_zh, now_en = got(value)
            self.add(name, f"应为 {term.choices_zh()} 之一，{now_zh}",
                     f"must be one of {', '.join(m.en for m in term)}, {now_en}")  # fmt: skip

    def number(
        self,
        name: str | Field,
        value: Any,
        *,
        above: float | None = None,
        at_least: float | None = None,
        at_most: float | None = None,
        integer: bool = False,
    ) -> bool:
        """Check one number; return whether it passed."""
        ok = is_number(value) and (not integer or float(value).is_integer())
        if ok and above is not None:
            ok = value > above
        if ok and at_least is not None:
            ok = value >= at_least
        if ok and at_most is not None:
            ok = value <= at_most
        if not ok:
            kind_zh, kind_en = ("整数", "a whole number") if integer else ("数字", "a number")
            bounds = [
                (f"> {above:g}", f"> {above:g}") if above is not None else None,
                (f"≥ {at_least:g}", f">= {at_least:g}") if at_least is not None else None,
                (f"≤ {at_most:g}", f"<= {at_most:g}") if at_most is not None else None,
            ]
            zh = " 且 ".join(b[0] for b in bounds if b)
            en = " and ".join(b[1] for b in bounds if b)
            now_zh, now_en = got(value)
            zh, en = (f" {zh}", f" {en}") if zh else ("", "")
            self.add(name, f"应为{kind_zh}{zh}，{now_zh}", f"must be {kind_en}{en}, {now_en}")
        return ok

    def share(self, name: Field, value: Any) -> bool:
        return self.number(name, value, at_least=0, at_most=1)

    def shares_sum_to_one(self, name: Field, values: Any, size: int) -> None:
        if not isinstance(values, tuple | list) or len(values) != size:
            now_zh, now_en = got(values)
            self.add(name, f"应为 {size} 个比例，{now_zh}", f"must be {size} shares, {now_en}")
            return
        if all([self.share(name.at(i + 1), v) for i, v in enumerate(values)]):
            total = sum(values)
            if abs(total - 1) > SHARE_SUM_TOLERANCE:
                self.add(name, f"各项比例之和应为 100%，当前为 {total:.2%}",
                         f"shares must add up to 100%, they add up to {total:.2%}")  # fmt: skip

    def keys(self, name: str, mapping: Any, wanted: tuple[str, ...]) -> bool:
        if not isinstance(mapping, Mapping) or set(mapping) != set(wanted):
            self.add(name, f"应包含且仅包含 {', '.join(wanted)}",
                     f"must have exactly the keys {', '.join(wanted)}")  # fmt: skip
            return False
        return True

    def seasonality(self, weights: Any) -> None:
        if not isinstance(weights, tuple | list) or len(weights) != 12:
            self.add("seasonality", "月度权重应为 12 个数字", "seasonality must be 12 numbers")
            return
        valid = [self.number(Field("seasonality", index=m), w, at_least=0) for m, w in enumerate(weights, 1)]
        if all(valid) and sum(weights) == 0:
            self.add("seasonality", "月度权重不能全为 0", "seasonality weights cannot all be 0")

    def risk_readings(self, values: Any, ratings: Any) -> None:
        if isinstance(values, Mapping):
            for key, value in values.items():
                if key not in {i.key for i in INDICATORS}:
                    self.add(Field("risk_values", key), "未知的风险指标", "unknown risk indicator")
                elif value is not None:
                    self.number(Field("risk_values", key), value)
        else:
            self.add("risk_values", "风险指标值格式不正确", "risk values have the wrong type")
        if self.keys("risk_ratings", ratings, MATRIX_FACTOR_KEYS):
            for key, pair in ratings.items():
                if not isinstance(pair, tuple | list) or len(pair) != 2:
                    self.add(
                        Field("risk_ratings", key), "应为（概率, 影响）", "must be (probability, impact)"
                    )
                    continue
                for label, value in zip(("probability", "impact"), pair, strict=True):
                    self.number(Field("risk_ratings", key, label), value, at_least=1, at_most=5,
                                integer=True)  # fmt: skip

    def assumptions(self, a: Assumptions) -> None:
        for name in ("ratio_launch", "ratio_mature", "reserve_share"):
            self.number(name, getattr(a, name), at_least=0, at_most=1)
        self.shares_sum_to_one(Field("purpose_split"), a.purpose_split, len(Purpose))
        if self.keys("channel_mix", a.channel_mix, tuple(Phase)):
            for phase, mix in a.channel_mix.items():
                self.shares_sum_to_one(Field("channel_mix", phase), mix, len(Channel))
        self.subphases(a.subphase_days)
        self.number("p4_checkpoint_interval_days", a.p4_checkpoint_interval_days, at_least=1,
                    integer=True)  # fmt: skip
        if self.keys("ctr_benchmarks", a.ctr_benchmarks, tuple(Category)):
            for category, ctr in a.ctr_benchmarks.items():
                self.number(Field("ctr_benchmarks", category), ctr, above=0, at_most=1)
        if self.keys("checkpoint_targets", a.checkpoint_targets, tuple(DEFAULT_TARGETS)):
            for key, target in a.checkpoint_targets.items():
                self.number(Field("checkpoint_targets", key), target, at_least=0)
            self.number(Field("checkpoint_targets", "roi"), a.checkpoint_targets["roi"], above=0)
        self.number("tolerance", a.tolerance, at_least=0, at_most=1)
        self.anchors(a.risk_anchors, a.risk_weights)
        self.increasing("level_cuts", a.level_cuts)
        self.increasing("matrix_cuts", a.matrix_cuts)
        if self.keys("alert_thresholds", a.alert_thresholds, tuple(r.key for r in ALERT_RULES)):
            for key, threshold in a.alert_thresholds.items():
                self.number(Field("alert_thresholds", key), threshold)
        if isinstance(a.team_ratio, tuple | list) and len(a.team_ratio) == 3:
            if all([self.number(Field("team_ratio", index=i), r, at_least=0) for i, r in
                    enumerate(a.team_ratio, 1)]) and sum(a.team_ratio) == 0:  # fmt: skip
                self.add("team_ratio", "团队比例不能全为 0", "team ratio cannot be all 0")
        else:
            self.add("team_ratio", "团队比例应为 3 个数字", "team ratio must be 3 numbers")
        # The workbook shows at most 45 forecast days beside the history (Risk_Forecast block).
        self.number("forecast_horizon_days", a.forecast_horizon_days, at_least=1, at_most=45, integer=True)
        self.number("early_warning_days", a.early_warning_days, at_least=1, integer=True)
        self.number("forecast_interval", a.forecast_interval, above=0, at_most=0.999)
        try:  # the margin's and refund rate's ranges are break-even's own rule
            breakeven_roi(a.gross_margin, a.refund_rate)
        except InputError as wrong:
            self.problems.extend(wrong.problems)
        self.number("curve_saturation", a.curve_saturation, above=0)
        self.number("curve_shape", a.curve_shape, above=0, at_most=MAX_CURVE_SHAPE)
        self.number("share_band", a.share_band, above=0, at_most=1)
        self.number("early_live_cap", a.early_live_cap, at_least=0, at_most=1)
        if self.keys("min_daily_spend", a.min_daily_spend, tuple(Channel)):
            self.problems.extend(spend_problems(a.min_daily_spend))
        self.problems.extend(curve_problems(a.response_curves))
        self.term(a, "promo_calendar", PromoCalendar)
        self.events(a.events)

    def events(self, events: Any) -> None:
        for n, event in enumerate(events, 1):
            self.number(Field("events", str(n), "lead_days"), event.lead_days, at_least=0,
                        at_most=MAX_LEAD_DAYS, integer=True)  # fmt: skip
            for w in event.windows:
                where = Field("events", str(n), w.kind.value)
                self.number(where, w.multiplier, above=0)
                if w.end < w.start:
                    zh = f"{event.name} {w.kind.zh}：结束日期 {w.end} 早于开始日期 {w.start}"
                    self.add(where, zh, f"{event.name} {w.kind.en}: ends {w.end}, before it starts {w.start}")

    def subphases(self, lengths: Any) -> None:
        if (
            not isinstance(lengths, tuple | list)
            or len(lengths) != 3
            or not all(isinstance(p, tuple | list) and len(p) == 3 for p in lengths)
        ):
            self.add("subphase_days", "子阶段天数应为 3 个阶段 × 3 个数字",
                     "sub-phase lengths must be 3 phases × 3 numbers")  # fmt: skip
            return
        valid = [
            self.number(Field("subphase_days", f"P{p}", index=s), days, at_least=1, integer=True)
            for p, phase in enumerate(lengths, 1)
            for s, days in enumerate(phase, 1)
        ]
        if all(valid) and sum(sum(p) for p in lengths) >= 365:
            self.add("subphase_days", "P1–P3 合计须少于 365 天，给成熟期留出天数",
                     "P1–P3 must last fewer than 365 days in total, leaving days for P4")  # fmt: skip

    def anchors(self, anchors: Any, weights: Any) -> None:
        wanted = tuple(i.key for i in INDICATORS)
        if self.keys("risk_anchors", anchors, wanted):
            for key, triple in anchors.items():
                name = Field("risk_anchors", key)
                if not isinstance(triple, tuple | list) or len(triple) != 3:
                    self.add(name, "应为（良好, 预警, 严重）三个数", "must be (good, warn, critical)")
                elif all([self.number(name.at(i), v) for i, v in enumerate(triple, 1)]):
                    good, warn, critical = triple
                    if not (good < warn < critical or good > warn > critical):
                        self.add(name, "良好、预警、严重三个锚点须单调递增或递减",
                                 "good, warn and critical must be strictly increasing or "
                                 "decreasing")  # fmt: skip
        if self.keys("risk_weights", weights, wanted):
            valid = [self.number(Field("risk_weights", k), w, at_least=0) for k, w in weights.items()]
            if all(valid) and sum(weights.values()) == 0:
                self.add("risk_weights", "风险权重不能全为 0", "risk weights cannot all be 0")

    def increasing(self, name: str, cuts: Any) -> None:
        if (
            not isinstance(cuts, tuple | list)
            or len(cuts) != 3
            or not all(is_number(c) for c in cuts)
            or not cuts[0] < cuts[1] < cuts[2]
        ):
            now_zh, now_en = got(cuts)
            self.add(name, f"应为 3 个递增的分界值，{now_zh}", f"must be 3 increasing cut points, {now_en}")


#: A response curve's numbers, in the order they are typed: V, K and a (``response.Curve``).
CURVE_PARAMETERS = ("max_gmv", "half_saturation", "shape")


def curve_problems(curves: Any) -> list[Problem]:
    """What is wrong with typed response curves ``{channel: (V, K, a)}`` (channel as key or label):
    a curve left blank (every number blank) is none; otherwise V > 0, K > 0 and 0 < a ≤ 5."""
    checks = _Checks()
    if not isinstance(curves, Mapping):
        checks.add("response_curves", "响应曲线格式不正确", "response curves have the wrong type")
        return checks.problems
    for key, numbers in curves.items():
        try:
            channel = Channel.parse(key)
        except ValueError:
            checks.add(Field("response_curves", str(key)), "未知渠道", "unknown channel")
            continue
        if not isinstance(numbers, tuple | list) or len(numbers) != len(CURVE_PARAMETERS):
            checks.add(Field("response_curves", channel.value), "应为 V、K、a 三个数", "must be V, K and a")
        elif not all(is_blank(n) for n in numbers):
            for name, value in zip(CURVE_PARAMETERS, numbers, strict=True):
                top = MAX_CURVE_SHAPE if name == "shape" else None
                checks.number(Field("response_curves", channel.value, name), value, above=0, at_most=top)
    return checks.problems


def spend_problems(spends: Mapping[Channel, Any]) -> list[Problem]:
    """What is wrong with each channel's least daily spend: each must be a number ≥ 0 (CNY)."""
    checks = _Checks()
    for channel in Channel:
        checks.number(Field("min_daily_spend", col=channel.value), spends.get(channel), at_least=0)
    return checks.problems
