"""The contract is the only place that knows where things are, and it is self-consistent."""

import itertools
import re
from pathlib import Path

from openpyxl import load_workbook

from dyplan.book import contract as c
from dyplan.errors import Field

from .test_template import COMMITTED

PACKAGE = Path(c.__file__).parents[1]
A1_LITERAL = re.compile(r"""["'](?!P[1-4]["'])[A-Z]{1,3}\$?[1-9][0-9]*(:\$?[A-Z]{1,3}\$?[0-9]+)?["']""")


def test_contract_no_cell_address_written_anywhere_else():
    # "P1"…"P4" are phases, not cells.
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        if "contract" not in path.parts and "model" not in path.parts  # the engine knows no cells
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if A1_LITERAL.search(line)
    ]
    assert offenders == []


def test_contract_blocks_never_overlap():
    """Blocks one under another keep a blank row between them; blocks side by side share no column."""

    def rows(p: c.Placed) -> range:
        return range(p.row, p.row + c.block_height(p.block) + 1)  # and the blank row under it

    def cols(p: c.Placed) -> range:
        return range(p.col, p.col + (p.span or c.block_width(p.block)))

    for sheet in (*c.SHEETS, c.COVER):
        placed = [p for p in c.PLACED if p.sheet is sheet]
        for one, other in itertools.combinations(placed, 2):
            apart = not set(rows(one)) & set(rows(other)) or not set(cols(one)) & set(cols(other))
            assert apart, (sheet.name, one.block, other.block)


def test_contract_locate_names_the_cell_users_type_in():
    assert str(c.locate(Field("gmv_target"))) == "输入!C8"
    assert str(c.locate(Field("seasonality", index=6))) == "输入!C21"  # June
    assert str(c.locate(Field("channel_mix", "P3"))) == "假设!C22:E22"
    assert str(c.locate(Field("risk_ratings", "policy", "impact"))) == "风险!D39"
    # a weight sits in the anchors grid, last in its indicator's row (good, warn, critical, weight)
    row = str(c.locate(Field("risk_anchors", "creative_ctr")))
    assert str(c.locate(Field("risk_weights", "creative_ctr"))) == "假设!" + row.split(":")[1]
    assert c.locate(Field("no_such_field")) is None


def test_template_input_and_output_cells_look_different():
    wb = load_workbook(COMMITTED)
    fills = {"input": set(), "output": set()}
    for cell in c.input_cells():
        sheet, row, col = c.cell_of(cell.name)
        fills["input"].add(wb[sheet].cell(row, col).fill.fgColor.rgb)
        assert wb[sheet].cell(row, col).protection.locked is False
    for grid in c.grids():
        sheet, row, col = c.grid_origin(grid)
        fills["input"].add(wb[sheet].cell(row, col).fill.fgColor.rgb)
    for name in ("Total_Budget", "Reserve_Total", "Risk_Level"):
        sheet, row, col = c.cell_of(name)
        fills["output"].add(wb[sheet].cell(row, col).fill.fgColor.rgb)
    for table in (c.PHASE_TABLE, c.DAILY_PLAN, c.TEAM_TABLE):
        sheet, top, left = c.table_origin(table)
        fills["output"].add(wb[sheet].cell(top, left).fill.fgColor.rgb)
    assert len(fills["input"]) == 1 and len(fills["output"]) == 1
    assert fills["input"] != fills["output"]


def test_docs_list_every_defined_name_and_no_other():
    docs = (Path(__file__).parents[2] / "docs" / "workbook.md").read_text(encoding="utf-8")
    section = docs.split("## 定义名称")[1].split("```python")[0]
    documented = set(re.findall(r"`([A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)`", section))
    declared = {getattr(p.block, "name", None) for p in c.PLACED} - {None}
    declared |= {cell.name for kind in (c.Fields, c.Tiles) for p in c.iter_blocks(kind, cover=True)
                 for cell in p.block.cells}  # fmt: skip
    declared |= {name for p in c.iter_blocks(c.Table, cover=True) for name, _ in p.block.named_columns}
    assert documented == declared
