"""Why the plan was missed: a period's ad GMV gap split into spend, CPM, CTR, CVR and AOV effects.

Ad GMV is a product of five factors, for the plan and for the reports alike::

    GMV = spend × (impressions ÷ spend) × (clicks ÷ impressions) × (orders ÷ clicks) × (GMV ÷ orders)
        = spend × 1000 ÷ CPM × CTR × CVR × AOV

The additive log-mean Divisia index (LMDI-I; Ang 2005) gives factor k the effect
``L(G₁, G₀) · ln(x₁ₖ ÷ x₀ₖ)``, L the logarithmic mean; since the logs of the ratios add up to
``ln(G₁ ÷ G₀)`` the effects add up exactly to ``G₁ − G₀``, with no residual term. Money is rounded to
the fen so that the effects still add up exactly to the gap as shown (largest remainder).

The planned side is the plan's ad funnel over the same days: the allocatable spend at the target ROI
(the ad GMV target of ``replan``), at the baseline AOV, the target CVR and the category's CTR
benchmark; its CPM is the one at which that funnel spends what it does (1000 × CTR × CVR × AOV ÷ ROI).
The actual side sums the report rows that carry all five counts; CVR here is orders ÷ clicks (成交
转化率), so that the product is exact.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dyplan.model.checkpoints import CTR_BENCHMARK, resolve_targets
from dyplan.model.kpis import funnel_targets
from dyplan.model.plan import Plan
from dyplan.model.roi_reconciliation import ad_gmv_fen
from dyplan.model.rounding import FEN_PER_CNY, to_fen
from dyplan.model.tracking import without_ledger_twice

#: The five factors, in the order of the product: (key, 中文, English).
FACTORS = (
    ("spend", "消耗", "spend"),
    ("cpm", "千次展示成本", "CPM"),
    ("ctr", "点击率", "CTR"),
    ("cvr", "成交转化率", "CVR (orders ÷ clicks)"),
    ("aov", "客单价", "AOV"),
)
#: The counts every row the decomposition uses must carry.
FUNNEL_COUNTS = ("spend", "impressions", "clicks", "orders", "gmv")
PER_MILLE = 1000.0


def log_mean(a: float, b: float) -> float:
    """The logarithmic mean (a − b) ÷ (ln a − ln b) of two positive numbers; a when they are equal."""
    return a if a == b else (a - b) / (math.log(a) - math.log(b))


def factors(spend: float, impressions: float, clicks: float, orders: float, gmv: float) -> dict[str, float]:
    """The five factors of a funnel's counts (each count > 0)."""
    return {
        "spend": spend,
        "cpm": PER_MILLE * spend / impressions,
        "ctr": clicks / impressions,
        "cvr": orders / clicks,
        "aov": gmv / orders,
    }


def effects(planned: dict[str, float], actual: dict[str, float]) -> dict[str, float]:
    """Each factor's share of the GMV gap (LMDI-I, in CNY, unrounded): they add up to the gap.

    A higher CPM lowers GMV: its factor in the product is 1 ÷ CPM."""
    g0, g1 = _gmv(planned), _gmv(actual)
    weight = log_mean(g1, g0)
    out = {key: weight * math.log(actual[key] / planned[key]) for key, _, _ in FACTORS}
    out["cpm"] = -out["cpm"]
    return out


def _gmv(f: dict[str, float]) -> float:
    return f["spend"] * PER_MILLE / f["cpm"] * f["ctr"] * f["cvr"] * f["aov"]


def effects_in_fen(gap_fen: int, exact: dict[str, float]) -> dict[str, int]:
    """The effects in whole fen, adding up to ``gap_fen`` exactly: each rounded down, and the fen left
    over go to the largest remainders (the exact effects add up to within a fen of the gap). Past
    float precision (amounts of trillions) what is left over goes to the largest effect."""
    keys = list(exact)
    scaled = np.array([exact[k] * FEN_PER_CNY for k in keys])
    floor = np.floor(scaled)
    out = [int(f) for f in floor]
    left = gap_fen - sum(out)
    if 0 <= left <= len(keys):
        for i in np.argsort(-(scaled - floor), kind="stable")[:left]:  # ties go to the earlier factor
            out[i] += 1
    else:
        out[int(np.argmax(np.abs(scaled)))] += left
    return dict(zip(keys, out, strict=True))


def planned_funnel(plan: Plan, spend: float) -> dict[str, float]:
    """The plan's ad funnel for ``spend`` of allocatable budget: GMV = spend × target ROI."""
    targets = resolve_targets(plan.inputs)
    gmv = spend * plan.target_roi
    funnel = funnel_targets(gmv, plan.inputs.baseline_aov, targets["cvr"], targets[CTR_BENCHMARK])
    clicks = funnel["orders"] / targets["cvr"]
    return factors(spend, funnel["impressions"], clicks, funnel["orders"], gmv)


def explain_gap(plan: Plan, actuals: pd.DataFrame) -> pd.DataFrame:
    """Per phase, then per calendar month, with actuals: planned and actual ad GMV over the days the
    reports cover, the gap, and each factor's effect (CNY to the fen, adding up to the gap).

    Columns: ``period`` (phase or month), ``key`` (P1…P4 or YYYY-MM), ``days``, ``plan_gmv``,
    ``actual_gmv``, ``gap``, one effect column per factor, ``plan_<factor>`` and ``actual_<factor>``
    for each, and ``reason``: why a period is not split (a count of 0), else empty.
    """
    days = plan.daily.set_index("date")
    rows = _funnel_rows(actuals)
    rows = rows[rows["date"].isin(days.index)] if len(rows) else rows
    columns = ["period", "key", "days", "plan_gmv", "actual_gmv", "gap", *(k for k, _, _ in FACTORS),
               *(f"{side}_{k}" for k, _, _ in FACTORS for side in ("plan", "actual")), "reason"]  # fmt: skip
    if not len(rows):
        return pd.DataFrame(columns=columns)
    planned_fen = days["allocatable"].map(to_fen)  # the days' amounts as shown, added up exactly
    rows = rows.assign(
        phase=days["phase"].reindex(rows["date"]).to_numpy(),
        month=[f"{d.year}-{d.month:02d}" for d in rows["date"]],
    )
    out = []
    for period in ("phase", "month"):
        for key, group in rows.groupby(period, sort=True):
            dates = sorted(set(group["date"]))
            sums = group[list(FUNNEL_COUNTS)].sum()
            out.append({"period": period, "key": key, "days": len(dates),
                        **_split(plan, int(planned_fen.reindex(dates).sum()), sums)})  # fmt: skip
    return pd.DataFrame(out, columns=columns)


def _funnel_rows(actuals: pd.DataFrame) -> pd.DataFrame:
    """The report rows within the plan that carry all five counts (the room ledger not counted twice)."""
    if not len(actuals) or any(c not in actuals for c in FUNNEL_COUNTS):
        return actuals.iloc[0:0]
    frame = without_ledger_twice(actuals)
    return frame[frame[list(FUNNEL_COUNTS)].notna().all(axis=1)]


def _split(plan: Plan, spend_fen: int, sums: pd.Series) -> dict[str, object]:
    spend = spend_fen / FEN_PER_CNY
    planned = planned_funnel(plan, spend)
    plan_fen = ad_gmv_fen(spend_fen, plan.target_roi)
    actual_fen = to_fen(float(sums["gmv"]))
    row: dict[str, object] = {
        "plan_gmv": plan_fen / FEN_PER_CNY,
        "actual_gmv": actual_fen / FEN_PER_CNY,
        "gap": (actual_fen - plan_fen) / FEN_PER_CNY,
        **{f"plan_{k}": v for k, v in planned.items()},
        "reason": "",
    }
    if spend <= 0 or (sums <= 0).any():
        zero = [k for k in FUNNEL_COUNTS if sums[k] <= 0] or ["plan spend"]
        row["reason"] = f"有为 0 的计数，无法分解 / a count of 0 cannot be split: {', '.join(zero)}"
        return row
    actual = factors(*(float(sums[k]) for k in FUNNEL_COUNTS))
    row.update({f"actual_{k}": v for k, v in actual.items()})
    in_fen = effects_in_fen(actual_fen - plan_fen, effects(planned, actual))
    row.update({k: v / FEN_PER_CNY for k, v in in_fen.items()})
    return row
