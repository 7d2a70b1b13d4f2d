"""Sensitivity on a first-day workbook (only the required inputs typed): the table is made from the
picks on the 敏感性 sheet, written there as values with its chart, and nothing else of the file moves."""

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.cli import app
from tests.book.conftest import TODAY, named_values, set_cell, set_cells
from tests.test_first_day import first_day  # noqa: F401 (fixture)

runner = CliRunner()
# The first-day shop: mature (6 % of the GMV target), GMV 50,000,000, 10 % reserve, target ROI 2.5.
# Budget = G × 6 %: 3,000,000; allocatable = budget × 90 %: 2,700,000 at the target, 2,430,000 at −10 %;
# expected ad GMV = allocatable × target ROI.
PICK = ["--rows", "gmv_target", "--cols", "target_roi", "--output", "ad_gmv", "--row-steps=-10,0",
        "--col-steps=0,20"]  # fmt: skip


def table(path: Path) -> list[list]:
    return named_values(path, c.SENSITIVITY_TABLE.name)[1:]  # the name spans the header too


def heads(path: Path) -> list[list]:
    return named_values(path, c.SENSITIVITY_COLUMNS.name)[1:]


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_part(path: Path, sheet: str) -> str:
    """The worksheet part of a sheet, from the workbook's relationships."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(rId\d+)"', workbook)[1]
    found = [dict(re.findall(r'(\w+)="([^"]*)"', r)) for r in re.findall(r"<Relationship ([^>]*)>", rels)]
    target = {r["Id"]: r["Target"] for r in found}[rid]
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"  # absolute, or from xl/


def test_sensitivity_writes_each_pair_by_the_plans_rules_on_its_sheet(first_day):  # noqa: F811
    result = runner.invoke(app, ["sensitivity", str(first_day), *PICK])
    assert result.exit_code == 0, result.output
    rows = table(first_day)
    # ad GMV = G × 6 % × 90 % × ROI: 45,000,000 → 2,430,000 × 2.5 and × 3.0; 50,000,000 → 2,700,000 × …
    assert rows[0][:4] == ["-10%", "¥45,000,000", pytest.approx(6_075_000), pytest.approx(7_290_000)]
    assert rows[1][:4] == ["+0%", "¥50,000,000", pytest.approx(6_750_000), pytest.approx(8_100_000)]
    assert all(v is None for row in rows[2:] for v in row)  # two row steps: the other rows stay blank
    assert heads(first_day)[0][2:5] == ["目标ROI +0%", "目标ROI +20%", "—"]
    assert heads(first_day)[1][2:4] == ["2.50", "3.00"]
    # the options are typed on the sheet, as the user would pick them there, and said so
    picked = [
        named_values(first_day, n) for n in ("Sensitivity_Rows", "Sensitivity_Columns", "Sensitivity_Output")
    ]
    assert picked == ["年度GMV目标", "目标ROI", "预计广告GMV"]
    steps = named_values(first_day, "Sensitivity_Steps")
    assert steps[0][:3] == [-0.1, 0, None] and steps[1][:3] == [0, 0.2, None]
    said = " ".join(result.output.split())
    # the rows' pick was the sheet's already (the default): only what differs is typed
    assert "已按选项填入" in said and "敏感性!C6、敏感性!C7、敏感性!C11:K11、敏感性!C12:K12" in said
    assert "敏感性!C5" not in said


def test_default_picks_move_the_gmv_target_and_the_budget_ratio_for_the_total_budget(first_day):  # noqa: F811
    """Budget = G × ratio: the GMV target and the 6 % ratio each scale it, ±10/20/30 %."""
    result = runner.invoke(app, ["sensitivity", str(first_day)])
    assert result.exit_code == 0, result.output
    assert "已按选项填入" not in result.output  # no option: the picks on the sheet are the defaults
    rows = table(first_day)
    assert [row[0] for row in rows[:7]] == ["-30%", "-20%", "-10%", "+0%", "+10%", "+20%", "+30%"]
    assert rows[3][2 + 3] == pytest.approx(3_000_000, abs=0.005)  # 50,000,000 × 6 %
    assert rows[0][2 + 3] == pytest.approx(2_100_000, abs=0.005)  # 35,000,000 × 6 %
    assert rows[3][2 + 4] == pytest.approx(3_300_000, abs=0.005)  # 50,000,000 × 6.6 %
    assert rows[6][2 + 0] == pytest.approx(2_730_000, abs=0.005)  # 65,000,000 × 4.2 %
    assert heads(first_day)[1][2 + 4] == "9.90% / 6.60%"  # launch and mature ratios, both +10 %


def test_only_the_sensitivity_sheet_its_chart_and_the_shared_texts_change(first_day):  # noqa: F811
    operations.regenerate_file(first_day, today=TODAY)
    before = parts(first_day)
    result = runner.invoke(app, ["sensitivity", str(first_day), *PICK])
    assert result.exit_code == 0, result.output
    after = parts(first_day)
    changed = {name for name in after if after[name] != before.get(name)}
    sheet = sheet_part(first_day, c.SENSITIVITY.name)
    assert set(after) == set(before)
    assert sheet in changed and "xl/sharedStrings.xml" in changed
    assert {n for n in changed if n not in (sheet, "xl/sharedStrings.xml")} == {
        n for n in changed if n.startswith("xl/charts/")
    } and len(changed) == 3
    # the chart's cached points and names are the table's: a preview shows them without recalculating
    chart = etree.fromstring(next(after[n] for n in changed if n.startswith("xl/charts/")))
    cached = {v.text for v in chart.iter("{http://schemas.openxmlformats.org/drawingml/2006/chart}v")}
    assert {"6075000.0", "8100000.0", "目标ROI +20%", "-10%"} <= cached
    # regenerate leaves the table alone: it is made on command
    operations.regenerate_file(first_day, today=TODAY)
    assert table(first_day)[0][2] == pytest.approx(6_075_000)


def test_a_wrong_pick_is_named_by_its_cell_and_nothing_is_written(first_day):  # noqa: F811
    set_cell(first_day, "Sensitivity_Output", "利润")
    before = first_day.read_bytes()
    result = runner.invoke(app, ["sensitivity", str(first_day)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    said = " ".join(result.output.split())
    assert "敏感性!C7" in said and "年度总预算" in said and "must be one of" in said
    assert first_day.read_bytes() == before


def test_the_same_input_twice_and_a_bad_step_are_refused(first_day):  # noqa: F811
    set_cells(first_day, {"Sensitivity_Rows": "目标ROI", "Sensitivity_Columns": "目标ROI"})
    result = runner.invoke(app, ["sensitivity", str(first_day)])
    assert result.exit_code == 1 and "敏感性!C6" in result.output and "两个不同的输入" in result.output
    result = runner.invoke(app, ["sensitivity", str(first_day), "--cols", "gmv_target", "--row-steps", "ten"])
    assert result.exit_code == 1
    assert "--row-steps" in result.output and "逗号分隔" in result.output
    result = runner.invoke(
        app, ["sensitivity", str(first_day), "--rows", "reserve_share", "--cols", "gmv_target",
              "--row-steps=1000"]
    )  # fmt: skip
    assert result.exit_code == 1 and "reserve_share" in result.output and "Traceback" not in result.output


def test_the_finished_plan_carries_the_table_of_the_picks(first_day, tmp_path):  # noqa: F811
    set_cells(first_day, {"Sensitivity_Columns": "风险储备金比例", "Sensitivity_Output": "可分配预算"})
    finished = tmp_path / "方案.xlsx"
    operations.export_file(first_day, finished, today=TODAY)
    rows = table(finished)
    # allocatable = G × 6 % × (1 − reserve share): at G and a 10 % reserve 2,700,000; reserve +30 %
    # (13 %): 3,000,000 × 87 % = 2,610,000
    assert rows[3][2 + 3] == pytest.approx(2_700_000, abs=0.005)
    assert rows[3][2 + 6] == pytest.approx(2_610_000, abs=0.005)
    assert heads(finished)[1][2 + 6] == "13.0%"
    assert named_values(finished, "Sensitivity_Columns") == "风险储备金比例"
    assert load_workbook(finished)[c.SENSITIVITY.name]["A1"].value.startswith("敏感性")
