"""The dyplan command, run as a user runs it."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan.book import contract as c
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


def test_cli_demo_makes_both_files_and_prints_exact_total(tmp_path):
    result = runner.invoke(app, ["demo", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for phase in ("基础建量期", "精准获客期", "深度转化期", "成熟期"):
        assert phase in result.output
    assert f"¥{round(demo_total_budget(), 2):,.2f}" in result.output
    assert (tmp_path / "示例规划.xlsx").exists() and (tmp_path / "示例方案.xlsx").exists()


def test_cli_new_check_regenerate_export_round_trip(tmp_path):
    workbook, finished = tmp_path / "plan.xlsx", tmp_path / "done.xlsx"
    assert runner.invoke(app, ["new", str(workbook), "--demo"]).exit_code == 0
    assert runner.invoke(app, ["check", str(workbook)]).exit_code == 0
    result = runner.invoke(app, ["regenerate", str(workbook)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", str(workbook), "--out", str(finished)])
    assert result.exit_code == 0, result.output
    assert load_workbook(finished).sheetnames[0] == c.COVER.name


def test_cli_check_lists_each_problem_with_sheet_and_cell_and_fails(tmp_path):
    workbook = tmp_path / "plan.xlsx"
    runner.invoke(app, ["new", str(workbook)])  # blank: required inputs are empty
    result = runner.invoke(app, ["check", str(workbook)])
    assert result.exit_code == 1
    for cell in ("输入!C6", "输入!C7", "输入!C8", "输入!C9", "输入!C10", "输入!C11"):
        assert cell in result.output
    assert "must be" in result.output


def test_cli_missing_file_is_a_message_not_a_traceback(tmp_path):
    result = runner.invoke(app, ["regenerate", str(tmp_path / "missing.xlsx")])
    assert result.exit_code == 1
    assert "找不到文件" in result.output and "File not found" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "command",
    [[], ["demo"], ["new"], ["check"], ["regenerate"], ["export"], ["template", "build"], ["version"]],
    ids=lambda cmd: "-".join(cmd) or "app",
)
def test_cli_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
