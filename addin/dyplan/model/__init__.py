"""The planning engine: typed inputs in, a ``Plan`` of pandas frames out. No I/O.

>>> import datetime as dt
>>> from dyplan.model import PlanInputs, build_plan
>>> plan = build_plan(PlanInputs(category="美妆", stage="成熟经营", gmv_target=100_000_000,
...     start_date=dt.date(2026, 1, 1), baseline_aov=120, headcount=10,
...     assumptions=Assumptions(ratio_mature=0.065)))
>>> plan.totals["budget"]
6500000.0
"""

from dyplan.model.inputs import Assumptions, PlanInputs
from dyplan.model.plan import Plan, build_plan
from dyplan.model.terms import Category, Channel, Phase, Purpose, Stage, Strategy

__all__ = [
    "Assumptions",
    "Category",
    "Channel",
    "Phase",
    "Plan",
    "PlanInputs",
    "Purpose",
    "Stage",
    "Strategy",
    "build_plan",
]
