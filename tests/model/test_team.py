"""Team split 5:3:2 by largest remainder, roles evenly (PLANNING_RULES §6), by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyplan.model import Assumptions, build_plan
from dyplan.model.team import split_team

SEED_RATIO = Assumptions().team_ratio  # 5:3:2

ROLES = ["投放专员", "创意设计师", "数据分析师", "客户经理", "管理"]


@pytest.mark.parametrize(
    ("headcount", "heads"),
    [
        # exact .5, .3, .2 → floors 0, 0, 0; the 1 left goes to .5 → 1, 0, 0; group 1 → 1, 0
        (1, [1, 0, 0, 0, 0]),
        # exact 1, .6, .4 → floors 1, 0, 0; the 1 left goes to .6 → 1, 1, 0
        (2, [1, 0, 1, 0, 0]),
        # exact 1.5, .9, .6 → floors 1, 0, 0; the 2 left go to .9 and .6 → 1, 1, 1
        (3, [1, 0, 1, 0, 1]),
        # exact 3.5, 2.1, 1.4 → floors 3, 2, 1 = 6; the 1 left goes to .5 → 4, 2, 1; 4 → 2, 2; 2 → 1, 1
        (7, [2, 2, 1, 1, 1]),
        # exact 5, 3, 2; 5 → 3, 2 and 3 → 2, 1 (odd person to the first-named role)
        (10, [3, 2, 2, 1, 2]),
        # exact 6, 3.6, 2.4 → floors 6, 3, 2 = 11; the 1 left goes to .6 → 6, 4, 2; 6 → 3, 3; 4 → 2, 2
        (12, [3, 3, 2, 2, 2]),
    ],
    ids=["1", "2", "3", "7", "10", "12"],
)
def test_split_team_default_ratio_matches_hand_worked_split(default_inputs, headcount, heads):
    team = build_plan(default_inputs(headcount=headcount)).team
    assert team["role_zh"].tolist() == ROLES
    assert team["headcount"].tolist() == heads


def test_split_team_exact_tie_goes_to_the_first_group():
    # 3 heads at 4:1:4: exact 4/3, 1/3, 4/3 → floors 1, 0, 1; the 1 left ties at 1/3 in all
    # three groups, so the first (投放+创意) takes it → 2, 0, 1; its 2 split 1, 1.
    assert split_team(3, (4, 1, 4))["headcount"].tolist() == [1, 1, 0, 0, 1]


headcounts = st.integers(1, 10_000)


@given(headcounts)
def test_split_team_any_headcount_adds_up_and_is_never_negative(headcount):
    heads = split_team(headcount, SEED_RATIO)["headcount"]
    assert heads.sum() == headcount
    assert (heads >= 0).all()


@given(headcounts)
def test_split_team_any_headcount_groups_within_one_of_exact_share(headcount):
    groups = split_team(headcount, SEED_RATIO).groupby("group_zh", sort=False)["headcount"].sum()
    for heads, share in zip(groups, (0.5, 0.3, 0.2), strict=True):
        assert abs(heads - headcount * share) < 1


@given(headcounts)
def test_split_team_any_headcount_odd_person_goes_to_first_named_role(headcount):
    team = split_team(headcount, SEED_RATIO)
    for _, roles in team.groupby("group_zh", sort=False):
        if len(roles) == 2:
            first, second = roles["headcount"]
            assert first - second in (0, 1)
