"""The plan against what happened, in one call (PLANNING_RULES §4, §5, §7, §8): ``review``.

One rule decides every value judged: what the user typed wins, a blank falls back to the value
measured from the imported reports (``values.typed_or_measured``). The plan is built once; the readings the
reports measure then score the risk indicators the user left blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from dyplan.model.checkpoints import checkpoint_status, comparator_is_at_least
from dyplan.model.forecast import MIN_HISTORY
from dyplan.model.inputs import PlanInputs
from dyplan.model.kpis import attainment
from dyplan.model.plan import Plan, build_plan, with_readings
from dyplan.model.terms import Phase
from dyplan.model.tracking import Tracking, track
from dyplan.model.values import is_number, typed_or_measured

#: A checkpoint row's identity, so a typed actual follows its row when the table is rebuilt.
CheckpointKey = tuple[str, str, int]


def checkpoint_keys(
    phases: Sequence[str], metrics: Sequence[str], days: Sequence[int]
) -> list[CheckpointKey]:
    """A P1–P3 checkpoint is (phase, metric, n-th occurrence): editing sub-phase lengths moves its
    day but not its identity. A P4 checkpoint is (phase, metric, day): changing the P4 interval
    makes different checkpoints, except the one on the plan's last day."""
    seen: dict[tuple[str, str], int] = {}
    keys = []
    for phase, metric, day in zip(phases, metrics, days, strict=True):
        n = seen.get((phase, metric), 0)
        seen[(phase, metric)] = n + 1
        keys.append((phase, metric, int(day) if phase == Phase.P4 else n))
    return keys


@dataclass(frozen=True)
class Entered:
    """What the workbook holds beside the inputs: the checkpoint actuals typed (by checkpoint),
    the KPI actuals typed (in KPI order), and readings earlier imports stored (mix shifts)."""

    checkpoint_actuals: Mapping[CheckpointKey, Any] = field(default_factory=dict)
    kpi_actuals: Sequence[Any] = ()
    stored_readings: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Review:
    """The plan (its risk scored from typed and measured readings), the tracking of actuals, and the
    judged tables: ``checkpoints`` with ``actual`` (typed), ``measured`` and ``status`` (a
    ``Status``); ``kpis`` with ``actual`` and ``attainment``. ``orphans``: checkpoints with a typed
    actual that the plan no longer has."""

    plan: Plan
    tracking: Tracking
    checkpoints: pd.DataFrame
    kpis: pd.DataFrame
    orphans: list[CheckpointKey]

    @property
    def alerts_text(self) -> str:
        alerts = self.plan.alerts
        fired = [zh for zh, on in zip(alerts["alert_zh"], alerts["fired"], strict=True) if on]
        return "；".join(fired) if fired else "无 none"

    @property
    def warning_text(self) -> str:
        step = self.tracking.warning_step
        if self.tracking.forecast is None:
            # the count forecast_index holds against MIN_HISTORY (docs: one a day from 21 days of reports)
            days = len(self.tracking.history)
            need = MIN_HISTORY
            return f"数据不足：风险指数 {days}/{need} 天 / not enough data: {days} of {need} days"
        if step is None:
            return "未来几天无严重风险 / no critical risk forecast in the warning window"
        return f"⚠ 预计 {step} 天内达到严重等级 / forecast reaches critical in {step} day(s)"


def review(inputs: PlanInputs, actuals: pd.DataFrame, entered: Entered, today: dt.date) -> Review:
    """Build the plan once, track the actuals against it and judge every checkpoint and KPI."""
    plan = build_plan(inputs)
    tracking = track(plan, actuals)
    tracking = replace(tracking, indicators={**entered.stored_readings, **tracking.indicators})
    keys = {*tracking.indicators, *inputs.risk_values}
    readings = {k: typed_or_measured(inputs.risk_values.get(k), tracking.indicators.get(k)) for k in keys}
    readings = {k: value for k, value in readings.items() if value is not None}
    if readings != inputs.risk_values:
        plan = with_readings(plan, readings)
    checkpoints = _judged_checkpoints(plan, tracking, entered.checkpoint_actuals, today)
    kpis = plan.kpis.copy()
    typed = [*entered.kpi_actuals, *[None] * (len(kpis) - len(entered.kpi_actuals))][: len(kpis)]
    kpis["actual"] = typed
    kpis["attainment"] = [
        attainment(typed_or_measured(actual, None), target if is_number(target) else None)
        for actual, target in zip(typed, kpis["target"], strict=True)
    ]
    rows = set(checkpoints["key"])
    orphans = [k for k, v in entered.checkpoint_actuals.items() if v is not None and k not in rows]
    return Review(plan, tracking, checkpoints.drop(columns="key"), kpis, orphans)


def _judged_checkpoints(
    plan: Plan, tracking: Tracking, typed: Mapping[CheckpointKey, Any], today: dt.date
) -> pd.DataFrame:
    checkpoints = plan.checkpoints.copy()
    checkpoints["key"] = checkpoint_keys(checkpoints["phase"], checkpoints["metric"], checkpoints["day"])
    checkpoints["actual"] = [typed.get(k) for k in checkpoints["key"]]
    checkpoints["measured"] = tracking.measured
    a = plan.inputs.assumptions
    columns = ("actual", "measured", "target", "comparator", "date")
    rows = zip(*(checkpoints[name] for name in columns), strict=True)
    statuses = [
        checkpoint_status(typed_or_measured(actual, measured), target, comparator_is_at_least(comparator),
                          a.tolerance, due, today)
        for actual, measured, target, comparator, due in rows
    ]  # fmt: skip
    # object: a string column would turn the members into plain text
    checkpoints["status"] = pd.Series(statuses, index=checkpoints.index, dtype=object)
    return checkpoints
