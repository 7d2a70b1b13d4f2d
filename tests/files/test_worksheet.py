"""A worksheet part edited cell by cell: only what is written changes, and nothing it holds is lost."""

from __future__ import annotations

from lxml import etree

from dyplan.files.strings import SharedStrings
from dyplan.files.worksheet import Worksheet
from dyplan.files.xml import MAIN_NS

SHEET = f'<worksheet xmlns="{MAIN_NS}"><dimension ref="A1:C3"/><sheetData>{{rows}}</sheetData></worksheet>'


def sheet(rows: str) -> Worksheet:
    return Worksheet(SHEET.format(rows=rows).encode(), SharedStrings(None), "表")


def cells(ws: Worksheet) -> dict[str, tuple[str | None, str | None]]:
    """Each cell's formula and value text, by reference, as a client reads the part."""
    root = etree.fromstring(ws.to_bytes())
    ns = {"m": MAIN_NS}
    return {c.get("r"): (c.findtext("m:f", namespaces=ns), c.findtext("m:v", namespaces=ns))
            for c in root.iterfind(".//m:c", ns)}  # fmt: skip


def test_writing_over_a_shared_formulas_first_cell_keeps_the_cells_that_share_it():
    # Excel stores a formula filled down A1:A3 once, in A1, and the others point to it.
    ws = sheet(
        '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c></row>'
        '<row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row>'
        '<row r="3"><c r="A3"><f t="shared" si="0"/><v>6</v></c></row>'
    )
    ws.write(1, 1, 99)
    assert cells(ws) == {"A1": (None, "99"), "A2": ("B2*2", "4"), "A3": ("B3*2", "6")}


def test_new_cells_and_rows_go_in_order_and_the_dimension_grows():
    ws = sheet('<row r="2"><c r="B2"><v>1</v></c></row>')
    ws.write(2, 3, 3)
    ws.write(2, 1, "一")
    ws.write(5, 2, 2.5)
    root = etree.fromstring(ws.to_bytes())
    refs = [c.get("r") for c in root.iter(f"{{{MAIN_NS}}}c")]
    assert refs == ["A2", "B2", "C2", "B5"]
    assert root.find(f"{{{MAIN_NS}}}dimension").get("ref") == "A1:C5"
    assert ws.strings.texts == ["一"]


def test_writing_what_a_cell_holds_changes_nothing():
    ws = sheet('<row r="1"><c r="A1" s="3"><v>1.5</v></c><c r="B1" t="s"><v>0</v></c></row>')
    ws.strings.texts.append("旧")
    ws.write(1, 1, 1.5)
    ws.write(1, 2, "旧")
    assert not ws.changed


def test_cells_without_references_are_read_in_their_places():
    ws = sheet("<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>")
    assert ws.block(1, 1, 2, 2) == [[1, 2], [3, None]]


def test_numpy_and_decimal_numbers_are_written_as_numbers():
    """pandas hands out numpy scalars: each must be a number in the file, not its repr as text."""
    import decimal

    import numpy as np

    ws = sheet("")
    ws.write(1, 1, np.float64(3.33))
    ws.write(1, 2, np.int64(7))
    ws.write(1, 3, decimal.Decimal("159690.83"))
    ws.write(2, 1, np.float64("nan"))
    ws.write(2, 2, np.bool_(True))
    # A2's NaN is a blank: it makes no cell
    assert cells(ws) == {"A1": (None, "3.33"), "B1": (None, "7"), "C1": (None, "159690.83"),
                         "B2": (None, "1")}  # fmt: skip
    assert ws.strings.texts == []
