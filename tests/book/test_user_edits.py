"""What a user added in LibreOffice survives regenerate and import, byte for byte.

The workbook is edited and saved by LibreOffice itself (through UNO, tests/libreoffice_edit.py): a
sheet of the user's own with a formula on a defined name, a drawing shape, a chart, a comment on an
input cell and a note in a free cell. dyplan then regenerates and imports into it; every part of the
package that is not one of dyplan's sheets (or a part a write must touch) must keep its bytes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book import written
from dyplan.cli import app
from dyplan.demo import demo_inputs
from tests.book.conftest import TODAY, named_values
from tests.excel.sample_report import write_report
from tests.realclient import recalculate

EDIT_SCRIPT = Path(__file__).resolve().parents[1] / "libreoffice_edit.py"
UNO_PYTHON = "/usr/bin/python3"  # Debian's python3, whose uno module (python3-uno) drives LibreOffice
#: Parts a write may touch: the workbook part (defined names, recalculation flag), its relationships
#: and the content types (only to drop the calculation chain), shared strings and styles (appended),
#: and dyplan's own custom XML part (what it last wrote).
WRITE_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/sharedStrings.xml",
               "xl/styles.xml", "xl/calcChain.xml", "customXml/item1.xml"}  # fmt: skip


#: A series range in a chart part: the sheet and the first row it starts at (a series name that
#: LibreOffice writes as a quoted text is no range).
SERIES_RANGE = re.compile(r"<(?:c:)?f>'?([^<!']+)'?!\$[A-Z]+\$(\d+)[^<]*</(?:c:)?f>")


def followed_charts(package: dict[str, bytes]) -> set[str]:
    """The chart parts dyplan redraws when a growing table it follows changes length (``Chart.follows``):
    every series reads that table's columns from its first row."""
    starts = set()
    for placed in c.iter_blocks(c.Chart):
        if placed.block.follows is not None:
            sheet, top, _ = c.table_origin(placed.block.follows)
            starts.add((sheet, top))
    return {
        name for name, data in package.items()
        if name.startswith("xl/charts/chart") and (found := SERIES_RANGE.findall(data.decode()))
        and all((sheet, int(row)) in starts for sheet, row in found)
    }  # fmt: skip


def edited_in_libreoffice(source: Path, out: Path) -> dict:
    proc = subprocess.run([UNO_PYTHON, str(EDIT_SCRIPT), str(source), str(out)], capture_output=True,
                          text=True, timeout=400, stdin=subprocess.DEVNULL)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → its worksheet part, read from the package as any client does."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {i: t for t, i in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    sheets = re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook)
    return {name: "xl/" + targets[rid].lstrip("/").removeprefix("xl/") for name, rid in sheets}


@pytest.fixture(scope="module", params=[".xlsx", ".xlsm"])
def user_edited(request, tmp_path_factory) -> Path:
    """The demo workbook, regenerated, then edited by a user in LibreOffice and saved."""
    folder = tmp_path_factory.mktemp("edited")
    source = folder / f"规划{request.param}"
    operations.new_workbook(source, demo_inputs())
    operations.regenerate_file(source, today=TODAY)
    edited = folder / f"用户改过{request.param}"
    edited_in_libreoffice(source, edited)
    return edited


@pytest.mark.parametrize("command", ["regenerate", "import-report"])
def test_user_parts_survive_byte_identical(user_edited, tmp_path, command):
    path = tmp_path / user_edited.name
    path.write_bytes(user_edited.read_bytes())
    before = parts(path)
    own = {part for name, part in sheet_parts(path).items() if name in {s.name for s in c.SHEETS}}
    if command == "regenerate":
        operations.regenerate_file(path, today=TODAY)
    else:
        operations.import_files(path, [write_report(tmp_path / "千川.csv")])
    after = parts(path)

    changed = {name for name in before.keys() & after.keys() if before[name] != after[name]}
    redrawn = followed_charts(before)  # dyplan's charts of its growing tables (the re-plan's, here)
    assert changed - own - WRITE_PARTS - redrawn == set()
    assert set(before) - set(after) <= {"xl/calcChain.xml"}  # nothing else may disappear
    assert set(after) - set(before) <= {"xl/sharedStrings.xml"}
    user_sheet = sheet_parts(path)["我的备注"]
    assert after[user_sheet] == before[user_sheet]
    for kept in ("xl/drawings/", "xl/charts/", "xl/comments", "xl/vbaProject.bin", "customUI/"):
        members = [n for n in before if n.startswith(kept) and n not in redrawn]
        assert all(after[n] == before[n] for n in members), kept
    if path.suffix == ".xlsm":
        assert {"xl/vbaProject.bin", "customUI/customUI14.xml"} <= set(after)
    assert 'fullCalcOnLoad="1"' in after["xl/workbook.xml"].decode()  # the user's formulas refresh


def test_user_formula_on_a_defined_name_recalculates(user_edited, tmp_path):
    path = tmp_path / user_edited.name
    path.write_bytes(user_edited.read_bytes())
    operations.import_files(path, [write_report(tmp_path / "千川.csv")])
    wb = load_workbook(path)
    assert wb["我的备注"]["A1"].value == "老板要看" and wb["我的备注"]["B1"].value == 42
    assert wb["输入"]["L3"].value == "自由备注"
    gmv = next(cell for cell in c.INPUT_FIELDS.cells if cell.key == "gmv_target").name
    sheet, ref = next(wb.defined_names[gmv].destinations)
    assert wb[sheet][ref.replace("$", "")].comment.text.strip() == "请核对"
    total = named_values(path, "Total_Budget")
    recalculated = recalculate(path, tmp_path / "calc")
    assert load_workbook(recalculated, data_only=True)["我的备注"]["A2"].value == pytest.approx(2 * total)


def test_second_regenerate_changes_no_byte(user_edited, tmp_path):
    path = tmp_path / user_edited.name
    path.write_bytes(user_edited.read_bytes())
    operations.regenerate_file(path, today=TODAY)
    once = path.read_bytes()
    operations.regenerate_file(path, today=TODAY)
    assert path.read_bytes() == once


REQUIRED = {"Category": "美妆", "Stage": "成熟经营", "GMV_Target": "50000000", "Start_Date": "2027-01-01",
            "Baseline_AOV": "120", "Headcount": "10", "Strategy": "销售转化"}  # fmt: skip


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_first_day_typed_in_libreoffice(tmp_path, suffix):
    # A fresh workbook; the user types only the required inputs in LibreOffice Calc and saves.
    blank, typed = tmp_path / f"新{suffix}", tmp_path / f"规划{suffix}"
    operations.new_workbook(blank)
    args = [a for pair in REQUIRED.items() for a in pair]
    proc = subprocess.run([UNO_PYTHON, str(EDIT_SCRIPT), str(blank), str(typed), "--type", *args],
                          capture_output=True, text=True, timeout=400, stdin=subprocess.DEVNULL)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    operations.check_file(typed)
    operations.regenerate_file(typed, today=TODAY)
    # 成熟经营: budget 6 % of GMV; reserve 10 % of the budget.
    assert named_values(typed, "Total_Budget") == pytest.approx(3_000_000)  # 50,000,000 × 6 %
    assert named_values(typed, "Reserve_Total") == pytest.approx(300_000)  # 3,000,000 × 10 %
    operations.export_file(typed, tmp_path / "方案.xlsx", today=TODAY)
    operations.import_files(typed, [write_report(tmp_path / "千川.csv")])  # 20 days × 10,000
    assert named_values(typed, "Actuals_Spend") == pytest.approx(200_000)
    operations.regenerate_file(typed, today=TODAY)
    assert named_values(typed, "Actuals_Days") == 20


def type_in_libreoffice(source: Path, out: Path, values: dict[str, str]) -> None:
    args = [a for pair in values.items() for a in pair]
    proc = subprocess.run([UNO_PYTHON, str(EDIT_SCRIPT), str(source), str(out), "--type", *args],
                          capture_output=True, text=True, timeout=400, stdin=subprocess.DEVNULL)  # fmt: skip
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_values_typed_over_computed_cells_are_named_when_replaced(tmp_path, suffix):
    # The user types over the total budget and, in the same session, raises the GMV target; in the
    # .xlsm LibreOffice also leaves its =DY_ formulas showing #NAME?, which is no typing of the user's.
    source = tmp_path / f"规划{suffix}"
    operations.new_workbook(source, demo_inputs())
    operations.regenerate_file(source, today=TODAY)
    total = named_values(source, "Total_Budget")
    edited = tmp_path / f"改过{suffix}"
    type_in_libreoffice(source, edited, {"Total_Budget": "123", "GMV_Target": "60000000"})
    told = CliRunner().invoke(app, ["regenerate", str(shutil.copy(edited, tmp_path / f"命令行{suffix}"))])
    assert told.exit_code == 0 and re.search(r"replaced 1 value.*\n.*!C5: 123 → ", told.output), told.output
    regenerated = operations.regenerate_file(edited, today=TODAY)
    new_total = named_values(edited, "Total_Budget")
    assert new_total == pytest.approx(total * 60 / 50)  # the budget follows the GMV target
    sheet, row, col = c.cell_of("Total_Budget")
    # Only the typed-over cell is named, not the hundreds of cells the new target recomputes.
    assert [(r.where, r.old) for r in regenerated.replaced] == [(f"{sheet}!{c.address(row, col)}", 123)]
    assert regenerated.replaced[0].new == pytest.approx(new_total)
    assert operations.regenerate_file(edited, today=TODAY).replaced == []  # said once, then settled


@pytest.mark.parametrize(
    ("now", "typed"),
    [(0.00950032916454531, False), (0.0095003291645453, False), (0.0096, True), (9.5e-3, True)],
    ids=["libreoffice-15-digits", "python-15-digits", "typed", "typed-rounded"],
)
def test_a_number_a_spreadsheet_kept_to_15_digits_is_not_typed_over(now, typed):
    # dyplan wrote 0.009500329164545305; LibreOffice saves it as 0.00950032916454531 (its own 15
    # digits), Python's 15 digits end …4530. Either is what dyplan wrote; a new plan changes it silently.
    area = written.Area("优化建议", 14, 8, ((written.fingerprint(0.009500329164545305),),))
    replaced = written.typed_over([[now]], [[0.0123]], area)
    assert [(r.where, r.old) for r in replaced] == ([("优化建议!H14", now)] if typed else [])


def test_values_typed_in_rows_a_shrinking_table_gives_up_are_named(regenerated_path, tmp_path):
    # A longer P4 interval makes fewer P4 checkpoints: the table's last rows go away.
    table = c.CHECKPOINTS_TABLE
    sheet, top, left = c.table_origin(table)
    rows = len(named_values(regenerated_path, table.name)) - 1
    cell = f"{sheet}!{c.address(top + rows - 1, left + table.column('subphase_zh'))}"
    edited = tmp_path / "改过.xlsx"
    type_in_libreoffice(regenerated_path, edited, {cell: "我改的", "P4_Interval": "60"})
    regenerated = operations.regenerate_file(edited, today=TODAY)
    assert len(named_values(edited, table.name)) - 1 < rows
    assert [(r.where, r.old, r.new) for r in regenerated.replaced] == [(cell, "我改的", None)]
