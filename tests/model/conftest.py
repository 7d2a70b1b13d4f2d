"""Shared fixtures for the model tests."""

import datetime as dt

import pytest

from dyplan.model import PlanInputs


@pytest.fixture
def default_inputs():
    """Factory for ``PlanInputs`` with every required field filled; keywords override them.

    Defaults: 美妆, 成熟经营, GMV 12,000,000, start 2026-01-01, AOV 120, 10 people.
    """

    def make(**overrides):
        fields = {
            "category": "美妆",
            "stage": "成熟经营",
            "gmv_target": 12_000_000,
            "start_date": dt.date(2026, 1, 1),
            "baseline_aov": 120,
            "headcount": 10,
        }
        fields.update(overrides)
        return PlanInputs(**fields)

    return make
