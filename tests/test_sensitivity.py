"""Sensitivity at the command line, on a first-day workbook (only the required inputs typed)."""

import hashlib

from typer.testing import CliRunner

from dyplan.cli import app
from tests.test_first_day import first_day  # noqa: F401 (fixture)

runner = CliRunner()
# The first-day shop: mature (6 % of the GMV target), GMV 50,000,000, 10 % reserve, target ROI 2.5.
# Allocatable = G × 6 % × 90 %: 2,700,000 at the target, 2,430,000 at −10 %.


def test_sensitivity_prints_each_pair_by_the_plans_rules_and_changes_nothing(first_day):  # noqa: F811
    before = hashlib.sha256(first_day.read_bytes()).hexdigest()
    pick = ["--rows", "gmv_target", "--cols", "target_roi", "--output", "ad_gmv", "--row-steps=-10,0"]
    result = runner.invoke(app, ["sensitivity", str(first_day), *pick, "--col-steps=0,20"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[1]: line for line in result.output.splitlines() if line.startswith("│")}
    assert "¥6,075,000.00" in lines["-10%"] and "¥7,290,000.00" in lines["-10%"]  # × 2.5 and × 3.0
    assert "¥6,750,000.00" in lines["+0%"] and "¥8,100,000.00" in lines["+0%"]
    assert hashlib.sha256(first_day.read_bytes()).hexdigest() == before


def test_sensitivity_names_a_bad_step_and_a_step_that_breaks_an_input(first_day):  # noqa: F811
    result = runner.invoke(app, ["sensitivity", str(first_day), "--row-steps", "ten"])
    assert result.exit_code == 1
    assert "--row-steps" in result.output and "逗号分隔的百分比" in result.output
    result = runner.invoke(
        app, ["sensitivity", str(first_day), "--rows", "reserve_share", "--row-steps=1000"]
    )
    assert result.exit_code == 1 and "reserve_share" in result.output and "Traceback" not in result.output
