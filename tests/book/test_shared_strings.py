"""share_strings: openpyxl's inline strings become Excel's shared-string table, nothing else changes."""

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
import xlwings
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from dyplan.book.shared_strings import SHEET_MAIN_NS, SST_CONTENT_TYPE, SST_REL_TYPE, share_strings
from tests import realclient

SST = "xl/sharedStrings.xml"
SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
FORMULA_TEXT = "=1+1"
TEXTS = ["抖音投放规划", "  前后空格  ", "两行\n文字", "&<>\"'", FORMULA_TEXT, "\t制表符", "a]]>b"]


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite_zip(source: Path, target: Path, changes: dict[str, bytes]) -> None:
    """Copy a zip, replacing (or appending) the members named in ``changes``."""
    changes = dict(changes)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            new.writestr(name, changes.pop(name, old.read(name)))
        for name, data in changes.items():
            new.writestr(name, data)


def cells(path: Path, **options) -> dict[tuple[str, str], tuple[object, str]]:
    """Every cell's (value, data_type) on every sheet, keyed by (sheet, coordinate).

    An empty cell's type is None: openpyxl reads ``<c t="inlineStr"/>`` as None typed "inlineStr",
    and share_strings makes it a plain blank cell (None typed "n").
    """
    wb = openpyxl.load_workbook(path, **options)
    return {
        (ws.title, cell.coordinate): (cell.value, None if cell.value is None else cell.data_type)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
    }


def sst_counts(path: Path) -> tuple[int, int, int]:
    """count and uniqueCount as declared, and the number of <si> entries."""
    xml = members(path)[SST].decode()
    root = re.search(r"<sst\b[^>]*>", xml)[0]
    count = int(re.search(r'\scount="(\d+)"', root)[1])
    unique = int(re.search(r'\suniqueCount="(\d+)"', root)[1])
    return count, unique, len(re.findall(r"<si\b", xml))


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """An openpyxl workbook with two sheets of texts, some shared between them, numbers and dates."""
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "规划"
    for row, text in enumerate(TEXTS, start=1):
        first.cell(row, 1, text).data_type = "s"  # "=1+1" stays text, as XlsxBook.write does
        first.cell(row, 2, text).data_type = "s"  # and again in the next column: shared
    first["A1"].font = Font(bold=True)  # a styled text cell keeps s=
    first["C1"] = 12.5
    first["C2"] = 7
    first["C3"] = dt.date(2027, 2, 20)
    first["C4"] = dt.datetime(2027, 2, 20, 9, 30)
    first["C5"] = "=SUM(C1:C2)"
    first["C6"] = True
    first["C7"] = ""  # openpyxl writes <c t="inlineStr"/> and reads it back as None
    second = wb.create_sheet("实际")
    second["A1"] = "抖音投放规划"  # seen on the first sheet already
    second["A2"] = "只在第二页"
    second["B2"] = 3
    path = tmp_path / "source.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def target(source: Path) -> Path:
    path = source.with_name("target.xlsx")
    share_strings(source, path)
    return path


def test_source_really_has_inline_strings(source: Path):
    parts = members(source)
    assert SST not in parts
    assert b't="inlineStr"' in parts["xl/worksheets/sheet1.xml"]


def test_no_inline_string_remains(target: Path):
    sheets = {name: data for name, data in members(target).items() if SHEET.fullmatch(name)}
    assert len(sheets) == 2
    for name, data in sheets.items():
        assert b"inlineStr" not in data, name
        assert b"<is>" not in data, name


def test_values_and_types_read_back_unchanged(source: Path, target: Path):
    before, after = cells(source), cells(target)
    assert after == before
    assert after["规划", "A5"] == (FORMULA_TEXT, "s")
    assert after["规划", "A2"] == ("  前后空格  ", "s")
    assert after["规划", "A3"] == ("两行\n文字", "s")
    assert after["规划", "C5"] == ("=SUM(C1:C2)", "f")
    assert after["规划", "C7"] == (None, None)
    assert cells(target, data_only=True) == cells(source, data_only=True)


def test_pandas_reads_formula_looking_text_as_text(target: Path):
    frame = pd.read_excel(target, sheet_name="规划", header=None, engine="openpyxl")
    assert frame.iloc[4, 0] == FORMULA_TEXT
    assert isinstance(frame.iloc[4, 0], str)
    assert frame.iloc[:, 0].tolist() == TEXTS


def test_cells_keep_their_attributes(source: Path, target: Path):
    before = members(source)["xl/worksheets/sheet1.xml"].decode()
    after = members(target)["xl/worksheets/sheet1.xml"].decode()
    assert re.search(r'<c r="A1" s="1" t="inlineStr">', before)
    assert '<c r="A1" s="1" t="s"><v>0</v></c>' in after
    assert '<c r="B1" t="s"><v>0</v></c>' in after
    # Everything outside the cells is untouched.
    outside = re.compile(r"<sheetData>.*</sheetData>", re.DOTALL)
    assert outside.sub("", after) == outside.sub("", before)


def test_strings_are_shared_once_in_first_seen_order(target: Path):
    count, unique, entries = sst_counts(target)
    assert (count, unique, entries) == (2 * len(TEXTS) + 2, len(TEXTS) + 1, len(TEXTS) + 1)
    assert unique < count
    wb = openpyxl.load_workbook(target)
    assert wb["实际"]["A1"].value == TEXTS[0]
    sheet2 = members(target)["xl/worksheets/sheet2.xml"].decode()
    assert '<c r="A1" t="s"><v>0</v></c>' in sheet2  # the first sheet's index, not a new entry
    assert f'<c r="A2" t="s"><v>{len(TEXTS)}</v></c>' in sheet2
    xml = members(target)[SST].decode()
    assert '<t xml:space="preserve">  前后空格  </t>' in xml
    assert "<t>&amp;&lt;&gt;\"'</t>" in xml


def test_package_declares_the_table(target: Path):
    parts = members(target)
    types = parts["[Content_Types].xml"].decode()
    assert f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_CONTENT_TYPE}"/>' in types
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    ids = re.findall(r'Id="([^"]+)"', rels)
    assert len(ids) == len(set(ids))
    assert re.search(rf'<Relationship Id="rId\d+" Type="{SST_REL_TYPE}" Target="sharedStrings.xml"/>', rels)


def test_other_members_are_copied_byte_for_byte_in_order(source: Path, target: Path):
    before, after = members(source), members(target)
    changed = {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "[Content_Types].xml"}
    changed |= {"xl/_rels/workbook.xml.rels"}
    assert list(after) == [*before, SST]
    for name, data in before.items():
        if name not in changed:
            assert after[name] == data, name
    with zipfile.ZipFile(target) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
        assert archive.testzip() is None


def test_open_xml_sdk_finds_no_errors(target: Path):
    assert realclient.validate_ooxml(target) == []


def test_xlsm_keeps_its_vba_project(tmp_path: Path):
    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as quickstart:
        vba = quickstart.read("xl/vbaProject.bin")
    (tmp_path / "vbaProject.bin").write_bytes(vba)
    made = tmp_path / "made.xlsm"
    with xlsxwriter.Workbook(made) as book:
        book.add_worksheet("规划").write("A1", "宏")
        book.add_vba_project(str(tmp_path / "vbaProject.bin"))
    wb = openpyxl.load_workbook(made, keep_vba=True)
    wb["规划"]["A2"] = "宏"
    wb["规划"]["A3"] = "  其他  "
    saved, shared = tmp_path / "saved.xlsm", tmp_path / "shared.xlsm"
    wb.save(saved)
    wb.vba_archive.close()  # keep_vba leaves the source archive open
    share_strings(saved, shared)

    before, after = members(saved), members(shared)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"] == vba
    assert b"inlineStr" not in after["xl/worksheets/sheet1.xml"]
    assert sst_counts(shared) == (3, 2, 2)
    assert cells(shared) == cells(saved)
    assert realclient.validate_ooxml(shared) == []


def test_an_existing_table_is_kept_first_and_extended(source: Path, target: Path, tmp_path: Path):
    # A file half-way: sheet1 already shared, its table holding only sheet1's texts; sheet2 still inline.
    done = members(target)
    sheet1_unique = len(TEXTS)
    entries = re.findall(r"<si>.*?</si>", done[SST].decode(), re.DOTALL)
    old_table = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{SHEET_MAIN_NS}" count="{2 * len(TEXTS)}" uniqueCount="{sheet1_unique}">'
        f"{''.join(entries[:sheet1_unique])}</sst>"
    )
    half = tmp_path / "half.xlsx"
    changes = {name: done[name] for name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels")}
    changes |= {"xl/worksheets/sheet1.xml": done["xl/worksheets/sheet1.xml"], SST: old_table.encode()}
    rewrite_zip(source, half, changes)
    again = tmp_path / "again.xlsx"
    share_strings(half, again)

    result = members(again)
    assert result[SST] == done[SST]
    assert result["xl/worksheets/sheet2.xml"] == done["xl/worksheets/sheet2.xml"]
    # No second relationship, no second override.
    assert result["xl/_rels/workbook.xml.rels"] == done["xl/_rels/workbook.xml.rels"]
    assert result["[Content_Types].xml"] == done["[Content_Types].xml"]
    assert cells(again) == cells(source)


def test_existing_rich_entries_and_extensions_are_kept(source: Path, tmp_path: Path):
    rich = "<si><r><rPr><b/></rPr><t>粗</t></r><r><t>体</t></r></si>"
    table = (
        f'<sst xmlns="{SHEET_MAIN_NS}" count="1" uniqueCount="2">'
        f"{rich}<si><t>抖音投放规划</t></si><extLst/></sst>"
    )
    parts = members(source)
    sheet = (
        parts["xl/worksheets/sheet2.xml"]
        .decode()
        .replace('<c r="B2" t="n"><v>3</v></c>', '<c r="B2" t="s"><v>0</v></c>')
    )
    half = tmp_path / "half.xlsx"
    rewrite_zip(source, half, {SST: table.encode(), "xl/worksheets/sheet2.xml": sheet.encode()})
    out = tmp_path / "out.xlsx"
    share_strings(half, out)

    xml = members(out)[SST].decode()
    assert xml.startswith(f'<sst xmlns="{SHEET_MAIN_NS}" count=')
    assert xml.index(rich) < xml.index("<si><t>抖音投放规划</t></si>") < xml.index("<si><t>=1+1</t></si>")
    assert xml.endswith("<extLst/></sst>")
    assert xml.count("抖音投放规划") == 1  # the existing entry is reused
    assert sst_counts(out) == (2 * len(TEXTS) + 3, len(TEXTS) + 2, len(TEXTS) + 2)
    wb = openpyxl.load_workbook(out)
    assert wb["实际"]["B2"].value == "粗体"
    assert wb["规划"]["A1"].value == "抖音投放规划"
    assert realclient.validate_ooxml(out) == []


def test_empty_strings(source: Path, tmp_path: Path):
    parts = members(source)
    sheet = parts["xl/worksheets/sheet2.xml"].decode()
    sheet = sheet.replace(
        "</row></sheetData>",
        '<c r="C2" s="0" t="inlineStr"><is><t/></is></c><c r="D2" t="inlineStr"><is><t xml:space="preserve"/>'
        '</is></c><c r="E2" t="inlineStr"></c></row></sheetData>',
    )
    edited = tmp_path / "edited.xlsx"
    rewrite_zip(source, edited, {"xl/worksheets/sheet2.xml": sheet.encode()})
    out = tmp_path / "out.xlsx"
    share_strings(edited, out)

    after = members(out)["xl/worksheets/sheet2.xml"].decode()
    assert "inlineStr" not in after
    assert '<c r="C2" s="0" t="s"><v>' in after
    assert '<c r="E2"></c>' in after
    assert '<c r="C7"/>' in members(out)["xl/worksheets/sheet1.xml"].decode()
    assert cells(out) == cells(edited)
    assert cells(out)["实际", "C2"] == ("", "s")
    assert "<si><t></t></si>" in members(out)[SST].decode()


def test_rich_text_and_x005f_texts_stay_inline(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = CellRichText(["普通 ", TextBlock(InlineFont(b=True), "加粗")])
    wb.active["A2"] = "_x005F_x000D_"  # openpyxl's shared-string reader would drop "x005F_"
    wb.active["A3"] = "普通 "
    source, out = tmp_path / "rich.xlsx", tmp_path / "out.xlsx"
    wb.save(source)
    share_strings(source, out)

    sheet = members(out)["xl/worksheets/sheet1.xml"].decode()
    assert sheet.count('t="inlineStr"') == 2
    assert '<c r="A3" t="s"><v>0</v></c>' in sheet
    assert cells(out) == cells(source)
    assert cells(out, rich_text=True) == cells(source, rich_text=True)
    assert realclient.validate_ooxml(out) == []


def test_source_may_be_the_target(source: Path, target: Path):
    share_strings(source, source)
    assert members(source) == members(target)


def test_a_workbook_without_text_gets_no_table(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    source, out = tmp_path / "numbers.xlsx", tmp_path / "out.xlsx"
    wb.save(source)
    share_strings(source, out)
    assert members(out) == members(source)


def test_a_large_sheet(tmp_path: Path):
    wb = openpyxl.Workbook()
    for row in range(1, 366):
        wb.active.append([f"第{row}天" if col == 0 else f"渠道{col}" for col in range(13)])
    source, out = tmp_path / "year.xlsx", tmp_path / "out.xlsx"
    wb.save(source)
    share_strings(source, out)
    assert sst_counts(out) == (365 * 13, 365 + 12, 365 + 12)
    assert cells(out) == cells(source)


def test_the_demo_workbook(regenerated_path: Path, tmp_path: Path):
    out = tmp_path / "shared.xlsx"
    share_strings(regenerated_path, out)
    parts = members(out)
    sheets = sorted((n for n in parts if SHEET.fullmatch(n)), key=lambda n: int(re.search(r"\d+", n)[0]))
    assert len(sheets) >= 10  # sheet10 comes after sheet9, not after sheet1
    # Indices appear first in order 0, 1, 2, … reading the sheets by number.
    seen: list[int] = []
    for name in sheets:
        assert b"inlineStr" not in parts[name], name
        for index in re.findall(r'<c [^>]*t="s"[^>]*><v>(\d+)</v>', parts[name].decode()):
            if int(index) not in seen:
                seen.append(int(index))
    assert seen == list(range(len(seen))) and len(seen) == sst_counts(out)[1]
    assert cells(out) == cells(regenerated_path)
    assert cells(out, data_only=True) == cells(regenerated_path, data_only=True)
    assert realclient.validate_ooxml(out) == []
