"""The dyplan command, run as a user runs it."""

import datetime as dt

import pytest
from typer.testing import CliRunner

from dyplan.cli import app
from dyplan.demo import DEMO_SEASONALITY

runner = CliRunner()


def demo_total_budget() -> float:
    """The demo shop's budget worked day by day: launch 9 % for days 1–180, 6 % after."""
    start = dt.date(2027, 1, 1)
    weights = [DEMO_SEASONALITY[(start + dt.timedelta(days=d)).month - 1] for d in range(365)]
    return sum(
        (0.09 if day <= 180 else 0.06) * 50_000_000 * w / sum(weights)
        for day, w in enumerate(weights, start=1)
    )


def test_cli_demo_prints_phase_table_with_exact_total():
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    for phase in ("基础建量期", "精准获客期", "深度转化期", "成熟期"):
        assert phase in result.output
    assert f"¥{round(demo_total_budget(), 2):,.2f}" in result.output
    assert "¥50,000,000.00" in result.output


@pytest.mark.parametrize("command", [[], ["demo"], ["version"]], ids=["app", "demo", "version"])
def test_cli_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
