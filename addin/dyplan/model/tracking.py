"""Plan against reality (PLANNING_RULES §8): pacing, KPIs, checkpoint values and risk from actuals.

The stored actuals have one row per (date, channel, source) with the counts the platforms export
(spend, impressions, clicks, conversions, gmv, orders) and what merchants also judge by; a measure
no report carried is NaN — unknown, never zero. Rates are always recomputed from summed counts
(CTR = clicks ÷ impressions …), never averaged, and each over the rows that carry both its counts:
a 巨量引擎 report without GMV lowers no ROI. Planned spend is the allocatable budget: the risk
reserve is held back by design.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from dyplan.model.forecast import MIN_HISTORY, Forecast, early_warning, forecast_series
from dyplan.model.plan import Plan
from dyplan.model.risk import INDICATORS, composite_indices, score_indicators
from dyplan.model.terms import Channel, Phase
from dyplan.model.values import typed_or_measured

UNKNOWN_CHANNEL = "unknown"  # rows no column (nor the report's kind) gives a channel
COUNTS = ("spend", "impressions", "clicks", "conversions", "gmv", "orders")
#: 7日总成交金额, 用户实际支付金额, 净成交金额, 智能优惠券金额, 1小时内退款金额, 直播间观看人数 and the
#: live room's own GMV (直播间成交金额: every sale in the room, not only those ads brought).
EXTRA_MEASURES = ("gmv_7d", "user_paid", "net_gmv", "coupon", "refund_1h", "viewers", "room_gmv")
MEASURES = (*COUNTS, *EXTRA_MEASURES)
#: The kind of report that is a live room's own ledger (电商罗盘 直播明细): its spend is the ads' spend
#: on the room, which the ad platform's reports carry too.
ROOM_LEDGER = "罗盘·直播"
#: Where a stored row's spend comes from: the report's kind, account, 抖音号, 商品 and unit.
SOURCE_COLUMNS = ("kind", "account", "author", "product", "unit")
ACTUALS_COLUMNS = ("date", "channel", *SOURCE_COLUMNS, *MEASURES)
#: Rates derived from counts: name → (numerator, denominator).
RATES: dict[str, tuple[str, str]] = {
    "ctr": ("clicks", "impressions"),
    "cpc": ("spend", "clicks"),
    "cvr": ("conversions", "clicks"),
    "cpa": ("spend", "conversions"),
    "roi": ("gmv", "spend"),
    "aov": ("gmv", "orders"),
    # 净ROI as Qianchuan's 净成交ROI: 净成交金额 (refunds within 1 h already out) ÷ spend
    "net_roi": ("net_gmv", "spend"),
}
#: Checkpoint metrics a report can measure, and the rate that measures each.
MEASURABLE: dict[str, str] = {
    "creative_ctr": "ctr",
    "account_ctr": "ctr",
    "cpa": "cpa",
    "cpc": "cpc",
    "cvr": "cvr",
    "roi": "roi",
    "aov": "aov",
}
BASELINE_DAYS = 14  # "the first weeks": the reference for change indicators
RECENT_DAYS = 7  # compared against the baseline
INDEX_FIRST_DAY = BASELINE_DAYS + RECENT_DAYS  # the day of reports that gives the first risk index
#: Report columns that split spend into buckets, and the risk indicator each one's shift feeds.
MIX_INDICATORS = {"hour": "time_slot_mix", "device": "device_mix"}
MIX_COLUMNS = ("date", "dimension", "bucket", "spend")


def rate(numerator: float, denominator: float) -> float | None:
    """A ratio of sums, or None when the denominator is zero or missing."""
    if not denominator or np.isnan(denominator) or np.isnan(numerator):
        return None
    return float(numerator / denominator)


def pacing_deviation(spent: float, planned: float) -> float | None:
    """How far spend runs from the plan to date: (spent − planned) ÷ planned; None before any plan."""
    return rate(spent - planned, planned) if planned else None


def with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add every rate of ``RATES`` (NaN where undefined), from the paired sums ``daily_totals`` makes
    where the frame has them, else from its counts."""
    rates = {}
    for name, (num, den) in RATES.items():
        top, bottom = (f"{name}_num", f"{name}_den") if f"{name}_den" in frame else (num, den)
        if top not in frame or bottom not in frame:  # a measure the frame lacks: the rate is unknown
            rates[name] = np.full(len(frame), np.nan)
            continue
        numerator, denominator = frame[top].to_numpy(float), frame[bottom].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            rates[name] = np.where(denominator != 0, numerator / denominator, np.nan)
    # one frame of rates beside the rest: a column set at a time would copy the frame each time
    kept = frame.drop(columns=[name for name in RATES if name in frame])
    return pd.concat([kept, pd.DataFrame(rates, index=frame.index)], axis=1)


def daily_totals(actuals: pd.DataFrame) -> pd.DataFrame:
    """All stored rows summed per date, indexed by date: each measure NaN where no row carried it,
    and for each rate its counts summed over the rows that carry both (``{rate}_num``, ``{rate}_den``).
    On a day an ad report has live spend, the room ledger's counts yield to it (``without_ledger_twice``)."""
    frame = without_ledger_twice(actuals)
    missing = np.full(len(frame), np.nan)  # a measure no row has: unknown
    columns = {m: frame[m].to_numpy(float) if m in frame else missing for m in MEASURES}
    for name, (num, den) in RATES.items():
        both = ~np.isnan(columns[num]) & ~np.isnan(columns[den])
        columns[f"{name}_num"] = np.where(both, columns[num], 0.0)
        columns[f"{name}_den"] = np.where(both, columns[den], 0.0)
    dates = frame["date"].to_numpy(object) if "date" in frame else np.empty(0, object)
    # one pass; the paired sums have no NaN, so min_count changes only the measures'
    return pd.DataFrame(columns).groupby(dates, sort=True).sum(min_count=1).rename_axis("date")


def without_ledger_twice(actuals: pd.DataFrame) -> pd.DataFrame:
    """``actuals`` without the room ledger's six counts on the days an ad report has live spend: the
    same spend would count twice. The ledger's own measures (viewers, room GMV) stay."""
    if "kind" not in actuals or not len(actuals):
        return actuals
    ledger = actuals["kind"] == ROOM_LEDGER
    ad_live = ~ledger & (actuals["channel"] == Channel.LIVE.value) & actuals["spend"].notna()
    twice = ledger & actuals["date"].isin(set(actuals.loc[ad_live, "date"]))
    if not twice.any():
        return actuals
    out = actuals.copy()
    out.loc[twice, list(COUNTS)] = np.nan
    return out


@dataclass(frozen=True)
class Tracking:
    """Everything the workbook shows about actuals against the plan."""

    phases: pd.DataFrame  # per phase: planned and actual spend to date, deviation, rates
    measured: list[float | None]  # per checkpoint row: the value reports give, or None
    indicators: dict[str, float]  # risk indicator values derived from reports (latest)
    history: pd.DataFrame  # date, composite risk index per day
    totals: pd.DataFrame  # the actuals per date (``daily_totals``)
    forecast: Forecast | None  # its table dated (``date``), from the day after the history's last
    warning_step: int | None  # first day (1..early warning days) the forecast is critical


def track(plan: Plan, actuals: pd.DataFrame) -> Tracking:
    """Compare the plan with the stored actuals (possibly none yet)."""
    a = plan.inputs.assumptions
    totals = daily_totals(actuals)
    last = max(totals.index) if len(totals) else None
    planned = plan.daily.set_index("date")["allocatable"]
    rolling = _rolling_indicators(totals, a.ctr_benchmarks[plan.inputs.category])
    indicators = _latest(rolling)
    history = index_history(rolling, plan)
    forecast = forecast_index(history, a.forecast_horizon_days, a.forecast_interval)
    warning = None if forecast is None else early_warning(forecast, a.level_cuts[2], a.early_warning_days)
    return Tracking(
        phases=_phase_table(plan, totals, planned, last),
        measured=_measure_checkpoints(plan, totals, planned, last),
        indicators=indicators,
        history=history,
        totals=totals,
        forecast=forecast,
        warning_step=warning,
    )


def forecast_index(history: pd.DataFrame, horizon: int, interval: float) -> Forecast | None:
    """The forecast of an index history (``date``, ``index``; oldest first), dated, or None while the
    history has fewer than ``MIN_HISTORY`` days.

    The history is laid on calendar days: a date without an index is a gap the smoothing steps
    over, never closed up, so step 1 is the day after the history's last date.
    """
    if len(history) < MIN_HISTORY:
        return None
    first, last = history["date"].iloc[0], history["date"].iloc[-1]
    days = np.array([(date - first).days for date in history["date"]])
    daily = np.full(days[-1] + 1, np.nan)
    daily[days] = history["index"].to_numpy(float)
    forecast = forecast_series(daily, horizon, interval)
    dates = [last + dt.timedelta(days=int(step)) for step in forecast.table["step"]]
    return replace(forecast, table=forecast.table.assign(date=dates))


def _phase_table(plan: Plan, totals: pd.DataFrame, planned: pd.Series, last: dt.date | None) -> pd.DataFrame:
    rows = []
    for _, phase in plan.phases.iterrows():
        start, end = phase["start_date"], phase["end_date"]
        upto = min(end, last) if last else None
        sums = totals.loc[(totals.index >= start) & (totals.index <= end)].sum(min_count=1)
        plan_to_date = float(planned.loc[start:upto].sum()) if upto and upto >= start else 0.0
        row = {"phase": phase["phase"], "phase_zh": phase["phase_zh"], "plan_total": phase["allocatable"],
               "plan_to_date": plan_to_date, **sums.to_dict()}  # fmt: skip
        spent = 0.0 if np.isnan(row["spend"]) else row["spend"]
        row["deviation"] = pacing_deviation(spent, plan_to_date)
        rows.append(row)
    frame = with_rates(pd.DataFrame(rows))
    return frame.astype(object).where(frame.notna(), None)


class _WindowSums:
    """Sums of columns over any date window, from running totals (one pass, then two lookups)."""

    def __init__(self, frame: pd.DataFrame, columns: Sequence[str] | None = None) -> None:
        ordered = frame.sort_index()
        self.dates, self.columns = ordered.index, list(frame.columns if columns is None else columns)
        running = ordered[self.columns].fillna(0).cumsum().to_numpy(float)
        self.running = np.vstack([np.zeros(len(self.columns)), running])

    def __call__(self, first: dt.date, last: dt.date) -> pd.Series:
        start, stop = self.dates.searchsorted(first, "left"), self.dates.searchsorted(last, "right")
        return pd.Series(self.running[max(stop, start)] - self.running[start], index=self.columns)


def _measure_checkpoints(
    plan: Plan, totals: pd.DataFrame, planned: pd.Series, last: dt.date | None
) -> list[float | None]:
    """Each checkpoint's value from reports, once the data reaches its date.

    The window runs from the start of the checkpoint's phase (P1–P3) or of its optimisation
    cycle (P4) to the checkpoint's date.
    """
    window_sums = _WindowSums(totals)
    plan_sums = _WindowSums(planned.to_frame("planned"), ["planned"])
    cycles = {phase: list(zip(rows["end_day"], rows["start_date"], strict=True))
              for phase, rows in plan.subphases.groupby("phase")}  # fmt: skip
    measured: list[float | None] = []
    rows = plan.checkpoints[["phase", "metric", "date", "day"]].itertuples(index=False, name=None)
    for phase, metric, due, day in rows:
        if last is None or last < due or (metric not in MEASURABLE and metric != "pacing"):
            measured.append(None)
            continue
        if phase == Phase.P4:  # the optimisation cycle the checkpoint closes
            first = next(start for end, start in cycles[phase] if end >= day)
        else:
            first = cycles[phase][0][1]
        sums = window_sums(first, due)
        if metric == "pacing":
            plan_spend = float(plan_sums(first, due)["planned"])
            measured.append(abs(rate(sums["spend"] - plan_spend, plan_spend) or 0) if plan_spend else None)
        else:
            name = MEASURABLE[metric]
            measured.append(rate(sums[f"{name}_num"], sums[f"{name}_den"]))
    return measured


def _change(recent: pd.Series, base: float, adverse_up: bool) -> pd.Series:
    """Relative change against the baseline, signed so that positive is adverse."""
    change = (recent - base) / base if base else recent * np.nan
    return change if adverse_up else -change


def _rolling_indicators(totals: pd.DataFrame, benchmark: float) -> pd.DataFrame:
    """Derived indicator values for every date, from the last 7 days against the first 14."""
    if len(totals) < INDEX_FIRST_DAY:
        return pd.DataFrame()
    base = totals.iloc[:BASELINE_DAYS].sum()
    recent = totals.rolling(RECENT_DAYS).sum().iloc[INDEX_FIRST_DAY - 1 :]
    rates = with_rates(recent)
    base_rates = with_rates(base.to_frame().T).iloc[0]
    return pd.DataFrame(
        {
            "conversion_cost": _change(rates["cpa"], base_rates["cpa"], adverse_up=True),
            "targeting": _change(rates["ctr"], base_rates["ctr"], adverse_up=False),
            "creative_ctr": rates["ctr"] / benchmark,
            "aov_volatility": _change(rates["aov"], base_rates["aov"], adverse_up=True).abs(),
        },
        index=recent.index,
    )


def derive_indicators(totals: pd.DataFrame, benchmark: float) -> dict[str, float]:
    """The latest value of each indicator a report can measure (needs 21 days of data)."""
    return _latest(_rolling_indicators(totals, benchmark))


def _latest(rolling: pd.DataFrame) -> dict[str, float]:
    if rolling.empty:
        return {}
    latest = rolling.iloc[-1]
    return {key: float(value) for key, value in latest.items() if np.isfinite(value)}


def index_history(rolling: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The composite risk index for every day the derived indicators exist (``_rolling_indicators``).

    Indicators the user types keep their typed value throughout; derived ones vary by day.
    """
    if rolling.empty:
        return pd.DataFrame({"date": [], "index": []})
    a = plan.inputs.assumptions
    typed = dict(plan.inputs.risk_values)

    def day_values(key: str) -> npt.NDArray[np.float64]:
        value = typed_or_measured(typed.get(key), None)
        if value is not None:
            return np.full(len(rolling), value)
        measured = rolling[key].to_numpy(float) if key in rolling else np.full(len(rolling), np.nan)
        return np.where(np.isfinite(measured), measured, np.nan)  # an undefined rate is no reading

    scores = np.column_stack(
        [score_indicators(day_values(i.key), *a.risk_anchors[i.key]) for i in INDICATORS]
    )
    values = composite_indices(scores, np.array([a.risk_weights[i.key] for i in INDICATORS], dtype=float))
    frame = pd.DataFrame({"date": list(rolling.index), "index": values}).dropna()
    return frame.reset_index(drop=True)


def distribution_shift(mix: pd.DataFrame) -> float | None:
    """How far the last week's spend split moved from the first two weeks' (0–1).

    The total variation distance between the two distributions over buckets (time slots or
    devices): 0 when the split is unchanged, 1 when the spend moved to buckets it never used.
    Needs 21 days; None before.
    """
    dates = sorted(mix["date"].unique())
    if len(dates) < BASELINE_DAYS + RECENT_DAYS:
        return None
    base = mix[mix["date"].isin(dates[:BASELINE_DAYS])].groupby("bucket")["spend"].sum()
    recent = mix[mix["date"].isin(dates[-RECENT_DAYS:])].groupby("bucket")["spend"].sum()
    if base.sum() <= 0 or recent.sum() <= 0:
        return None
    p, q = (base / base.sum()).align(recent / recent.sum(), fill_value=0)
    return float(0.5 * (p - q).abs().sum())


def mix_indicators(mix: pd.DataFrame) -> dict[str, float]:
    """Time-slot and device shift indicators, for the dimensions the mix has."""
    found = {}
    for dimension, indicator in MIX_INDICATORS.items():
        shift = distribution_shift(mix[mix["dimension"] == dimension])
        if shift is not None:
            found[indicator] = shift
    return found
