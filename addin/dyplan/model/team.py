"""Team (团队, PLANNING_RULES §6): headcount split 5:3:2 by largest remainder."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dyplan.model.rounding import largest_remainder

#: §3.1's three groups, each with its roles (the first-named role takes the odd person).
TEAM_GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("投放+创意", "media buying + creative", (("投放专员", "media buyer"),
                                             ("创意设计师", "creative designer"))),
    ("数据+客户", "data + account management", (("数据分析师", "data analyst"),
                                               ("客户经理", "account manager"))),
    ("管理", "management", (("管理", "management"),)),
)  # fmt: skip


def split_team(headcount: int, ratio: Sequence[float]) -> pd.DataFrame:
    """One row per role: group, role and whole heads; the heads add up to ``headcount``."""
    rows = []
    group_heads = largest_remainder(int(headcount), list(ratio))
    for (group_zh, group_en, roles), heads in zip(TEAM_GROUPS, group_heads, strict=True):
        role_heads = largest_remainder(int(heads), [1.0] * len(roles))
        for (role_zh, role_en), n in zip(roles, role_heads, strict=True):
            rows.append(
                {
                    "group_zh": group_zh,
                    "group_en": group_en,
                    "role_zh": role_zh,
                    "role_en": role_en,
                    "headcount": int(n),
                }
            )
    return pd.DataFrame(rows)
