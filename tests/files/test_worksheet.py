"""A worksheet part edited cell by cell: only what is written changes, and nothing it holds is lost."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from dyplan.files.row_cells import RowCells
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
    ws = sheet('<row r="1"><c r="C1"><v>3</v></c><c r="A1" t="s"><v>0</v></c></row>')  # out of order
    ws.strings.texts.append("甲")
    assert ws.block(1, 1, 1, 3) == [["甲", None, 3]]
    ws.write(1, 2, 2)
    assert ws.block(1, 1, 1, 3) == [["甲", 2, 3]]


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


X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"


def test_growing_rows_stretch_every_range_over_them_extension_list_included():
    """A table's rows 2–5 grow to row 9: a conditional format, a validation and an Excel 2010 data
    bar (kept in the extension list) over exactly those rows of its columns now end at row 9; ranges
    that start elsewhere or reach other columns are the user's and stay."""
    part = (
        f'<worksheet xmlns="{MAIN_NS}" xmlns:x14="{X14}" xmlns:xm="{XM}"><sheetData/>'
        '<conditionalFormatting sqref="B2:B5 H2:H5"><cfRule type="cellIs" priority="1"/>'
        "</conditionalFormatting>"
        '<dataValidations count="1"><dataValidation sqref="C2:D5 B3:B5"/></dataValidations>'
        '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"><x14:conditionalFormattings>'
        '<x14:conditionalFormatting><x14:cfRule type="dataBar"/><xm:sqref>D2:D5</xm:sqref>'
        "</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst></worksheet>"
    )
    ws = Worksheet(part.encode(), SharedStrings(None), "表")
    ws.stretch_ranges(2, 1, 4, 5, 9)  # columns A–D, rows 2–5 → 2–9
    root = etree.fromstring(ws.to_bytes())
    assert root.find(f"{{{MAIN_NS}}}conditionalFormatting").get("sqref") == "B2:B9 H2:H5"
    assert root.find(f".//{{{MAIN_NS}}}dataValidation").get("sqref") == "C2:D9 B3:B5"
    assert root.find(f".//{{{XM}}}sqref").text == "D2:D9"
    assert ws.changed


def test_rows_not_written_keep_their_bytes_when_the_sheet_changes():
    """Rows another program wrote its own way (single quotes, attributes in its order, a user's
    row height) come back byte for byte; only the row written is written anew."""
    kept = "<row spans='1:2' r='1' ht='30' customHeight='1'><c r='A1' s='4'><v>1.50</v></c></row>"
    also = '<row r="3"><c r="B3" t="s"><v>0</v></c></row>'
    ws = sheet(kept + '<row r="2"><c r="A2"><v>1</v></c></row>' + also)
    ws.strings.texts.append("旧")
    ws.write(2, 1, 2)
    ws.write(1, 1, 1.5)  # what A1 holds already: nothing to write
    written = ws.to_bytes()
    assert kept.encode() in written and also.encode() in written
    assert cells(ws)["A2"] == (None, "2")


def test_a_sheet_with_comments_or_cdata_in_its_rows_reads_and_writes_the_same():
    ws = sheet(
        '<!-- made by hand --><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a</row>b]]></t></is></c>'
        '<c r="B1"><v>5</v></c></row><row r="2"><c r="A2"><v>7</v></c></row>'
    )
    assert ws.block(1, 1, 2, 2) == [["a</row>b", 5], [7, None]]
    ws.write(2, 2, 8)
    assert cells(ws) == {"A1": (None, None), "B1": (None, "5"), "A2": (None, "7"), "B2": (None, "8")}
    assert Worksheet(ws.to_bytes(), ws.strings).block(1, 1, 1, 1) == [["a</row>b"]]


def test_a_sheet_whose_main_namespace_has_a_prefix_is_written_in_that_prefix():
    """The Open XML SDK writes ``<x:sheetData>``; rows written come out in the same namespace."""
    part = (f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
            "</x:row></x:sheetData></x:worksheet>")  # fmt: skip
    ws = Worksheet(part.encode(), SharedStrings(None), "表")
    ws.write(1, 2, 2)
    ws.write(3, 1, 3)
    assert cells(ws) == {"A1": (None, "1"), "B1": (None, "2"), "A3": (None, "3")}
    assert b"<x:row" in ws.to_bytes() and b"xmlns" not in ws.to_bytes().split(b"<x:sheetData>")[1]


def test_a_sheet_in_utf16_reads_as_it_says():
    part = SHEET.format(rows='<row r="1"><c r="A1" t="inlineStr"><is><t>预算</t></is></c></row>')
    ws = Worksheet(('<?xml version="1.0" encoding="UTF-16"?>' + part).encode("utf-16"), SharedStrings(None))
    assert ws.value(1, 1) == "预算"


def test_rows_out_of_order_are_refused_as_damage():
    with pytest.raises(ValueError, match="row 2"):
        sheet('<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>')


def test_a_value_another_writer_stored_its_own_way_is_not_rewritten_when_written_again():
    """Numbers written as "1.50", "1E3" or "007", and a text held by the second of two equal shared
    strings, are the values written again: none of their cells changes; a new value does."""
    strings = SharedStrings(None)
    strings.index("店")
    strings.texts.append("店")  # a second entry of the same text, as some writers make
    ws = Worksheet(SHEET.format(rows=(
        '<row r="1"><c r="A1"><v>1.50</v></c><c r="B1"><v>1E3</v></c><c r="C1"><v>007</v></c>'
        '<c r="D1" t="s"><v>1</v></c><c r="E1" s="2"/></row>'
    )).encode(), strings, "表")  # fmt: skip
    assert ws.block(1, 1, 1, 5) == [[1.5, 1000.0, 7, "店", None]]
    for col, value in enumerate([1.5, 1000.0, 7, "店", None], start=1):
        ws.write(1, col, value)
    assert not ws.changed
    ws.write(1, 3, 8)
    assert cells(ws) == {"A1": (None, "1.50"), "B1": (None, "1E3"), "C1": (None, "8"), "D1": (None, "1"),
                         "E1": (None, None)}  # fmt: skip


def test_edits_over_hundreds_of_rows_all_reach_the_part_and_read_back():
    """A regenerate edits thousands of cells, row after row, and comes back to rows it edited before."""
    ws = sheet("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 301)))
    for r in range(1, 301):
        ws.write_row(r, 2, [r * 2, f"第{r}行"], [None, None])
    for r in range(1, 301, 7):  # rows edited long before, edited again
        ws.write(r, 1, -r)
    expected = [[-r if r % 7 == 1 else r, r * 2, f"第{r}行"] for r in range(1, 301)]
    assert ws.block(1, 1, 300, 3) == expected
    assert Worksheet(ws.to_bytes(), ws.strings).block(1, 1, 300, 3) == expected


def test_a_written_cell_keeps_its_value_whatever_is_done_to_its_row_afterwards():
    """Writes reach the part when the row is later given a height, when a shared formula the row
    takes part in is broken up, and when the part was saved in between."""
    ws = sheet(
        '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c></row>'
        '<row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c><c r="B2"><v>1</v></c></row>'
        '<row r="3"><c r="A3"><f t="shared" si="0"/><v>6</v></c></row>'
    )
    ws.write(2, 2, 7)
    ws.write(1, 1, 99)  # A2 now needs a formula of its own, in the row B2 was written in
    ws.write(3, 2, "新")
    ws.set_height(3, "30")
    assert cells(ws) == {"A1": (None, "99"), "A2": ("B2*2", "4"), "B2": (None, "7"), "A3": ("B3*2", "6"),
                         "B3": (None, "0")}  # fmt: skip
    ws.write(2, 2, 8)  # after the part was made once
    assert cells(ws)["B2"] == (None, "8")
    assert etree.fromstring(ws.to_bytes()).find(f".//{{{MAIN_NS}}}row[@r='3']").get("ht") == "30"
    assert ws.block(1, 1, 3, 2) == [[99, None], [4, 8], [6, "新"]]


# Cells as writers store them: plain ones (read from the row's bytes) and others (parsed).
_PLAIN = [
    '<c r="{ref}"{s}{t}/>',
    '<c r="{ref}"{s}{t}><v>{v}</v></c>',
    '<c r="{ref}"{s}{t}><f>{f}</f><v>{v}</v></c>',
    '<c r="{ref}"{s}{t}><f>{f}</f></c>',
    '<c r="{ref}"{s}{t}><v></v></c>',
]
_OTHER = [
    '<c{s} r="{ref}"{t}><v>{v}</v></c>',  # attributes in another order
    '<c r="{ref}"{s} cm="1"><v>{v}</v></c>',  # a rich value
    '<c r="{ref}" t="inlineStr"><is><t>{f}</t></is></c>',
    '<c r="{ref}"><f t="shared" si="0">{f}</f><v>{v}</v></c>',
    '<c r="{ref}"{s}><v/></c>',
    ' <c r="{ref}"{s}><v>{v}</v></c>',  # whitespace between cells
    '<c r="{ref}"><f>A1&amp;"店"</f><v>{v}</v></c>',  # an entity
    '<c r="{ref}" t="str"><f>A1\r\n</f><v>x</v></c>',  # a carriage return, as a parser reads it
]
_VALUES = {"": ["1", "1.5", "-3", "1E3", "007", "0.1", "12345678901234567"], ' t="n"': ["2", "2.50"],
           ' t="s"': ["0", "1", "2"], ' t="str"': ["文本", "=1+1", "a>b"], ' t="b"': ["0", "1"],
           ' t="e"': ["#N/A"], ' t="inlineStr"': ["x"]}  # fmt: skip
_cell = st.builds(
    lambda template, col, style, kind, pick, formula: template.format(
        ref=f"{col}1", s=style, t=kind, v=pick.draw(st.sampled_from(_VALUES[kind])), f=formula
    ),
    st.sampled_from(_PLAIN + _OTHER), st.sampled_from(["A", "B", "C", "AA", "XFD"]),
    st.sampled_from(["", ' s="0"', ' s="12"']), st.sampled_from(list(_VALUES)), st.data(),
    st.sampled_from(["", "B1*2", "SUM('输入'!C5:C9)", "IF(A1>0,1,0)"]),
)  # fmt: skip


_STARTS = ['<row r="1"', '<row r="1" spans="1:3" x14ac:dyDescent="0.25"']


@settings(max_examples=400, deadline=None)
@given(st.lists(_cell, max_size=6), st.sampled_from(_STARTS))
def test_a_row_read_from_its_bytes_reads_as_parsed(cells, start):
    """Rows of plain cells are read without a parse, and read the same as parsed: value, format and
    content of every cell, in column order (the later of a repeated column); other rows are parsed."""
    strings = SharedStrings(None)
    for text in ("甲", "乙", "甲"):
        strings.texts.append(text)
    strings.index("甲")
    strings.index("乙")
    x14ac = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
    part = (f'<worksheet xmlns="{MAIN_NS}" xmlns:x14ac="{x14ac}"><sheetData>{start}>{"".join(cells)}'
            "</row></sheetData></worksheet>")  # fmt: skip
    ws = Worksheet(part.encode(), strings)
    raw = ws._rows.raw(1)
    assert raw is not None
    try:
        parsed = ws._parsed_cells(ws._rows.read(1))
    except ValueError:  # a damaged number: fails either way (a row not read from its bytes is parsed)
        with pytest.raises(ValueError):
            ws._plain_cells(raw) or ws._parsed_cells(ws._rows.read(1))
        return
    read = ws._plain_cells(raw)
    plain = all(any(_matches(cell, template) for template in _PLAIN) for cell in cells)
    assert (read is not None) == plain
    if read is not None:
        assert _parts(read) == _parts(parsed)


def _parts(cells: RowCells) -> tuple[list, list, list, list]:
    return cells.cols, cells.values, cells.styles, cells.helds


def _matches(cell: str, template: str) -> bool:
    """Whether ``cell`` was made from ``template`` (its fields filled in)."""
    text = r"[^<&\r]*"
    fields = {"ref": r"[A-Z]+1", "s": r'(?: s="\d+")?', "t": r'(?: t="\w+")?', "v": text, "f": text}
    pattern = re.escape(template)
    for name, field in fields.items():
        pattern = pattern.replace(re.escape("{" + name + "}"), field)
    return re.fullmatch(pattern, cell) is not None
