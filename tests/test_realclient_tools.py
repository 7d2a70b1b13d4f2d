"""The real-client tools work here: LibreOffice recalculates and prints, the OOXML validator judges."""

import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.styles import Font

from tests import realclient


@pytest.fixture(scope="session", autouse=True)
def tools() -> None:
    realclient.require_tools()


def xlsxwriter_book(path: Path, cached_sum: float = 0) -> Path:
    """1, 2, 3 in A1:A3, =SUM(A1:A3) in A4 storing a (stale) cached value, Chinese text in B1."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("规划")
    ws.write_column("A1", [1, 2, 3])
    ws.write_formula("A4", "=SUM(A1:A3)", None, cached_sum)
    ws.write("B1", "抖音投放规划")
    wb.close()
    return path


def rewrite_part(src: Path, dst: Path, part: str, old: str, new: str) -> Path:
    """Copy a zip package, replacing old by new in one part."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                assert old.encode() in data, f"{old!r} not in {part}"
                data = data.replace(old.encode(), new.encode())
            zout.writestr(item, data)
    return dst


def a4_value(path: Path) -> object:
    return openpyxl.load_workbook(path, data_only=True).worksheets[0]["A4"].value


def test_recalculate_computes_a_formula_that_has_no_cached_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, value in enumerate([1, 2, 3], start=1):
        ws.cell(row, 1, value)
    ws["A4"] = "=SUM(A1:A3)"
    wb.save(tmp_path / "book.xlsx")
    assert a4_value(tmp_path / "book.xlsx") is None

    out = realclient.recalculate(tmp_path / "book.xlsx", tmp_path / "out")
    assert out == tmp_path / "out" / "book.xlsx"
    assert a4_value(out) == 6


def test_recalculate_replaces_a_stale_cached_value(tmp_path):
    # LibreOffice keeps cached values unless the profile says OOXMLRecalcMode=0: this proves it does.
    book = xlsxwriter_book(tmp_path / "book.xlsx", cached_sum=999)
    assert a4_value(book) == 999
    assert a4_value(realclient.recalculate(book, tmp_path / "out")) == 6


def test_recalculate_reads_an_xlsm_and_writes_an_xlsx(tmp_path):
    book = xlsxwriter_book(tmp_path / "book.xlsx", cached_sum=999)
    xlsm = rewrite_part(
        book,
        tmp_path / "book.xlsm",
        "[Content_Types].xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert a4_value(realclient.recalculate(xlsm, tmp_path / "out")) == 6


def test_recalculate_fails_loudly_on_a_file_it_cannot_load(tmp_path):
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(RuntimeError, match="could not convert"):
        realclient.recalculate(tmp_path / "junk.xlsx", tmp_path / "out")


def test_validator_passes_a_clean_xlsxwriter_file(tmp_path):
    assert realclient.validate_ooxml(xlsxwriter_book(tmp_path / "book.xlsx")) == []


def test_validator_ignores_only_openpyxl_font_order(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "粗体"
    wb.active["A1"].font = Font(name="微软雅黑", bold=True, color="FF0000")
    wb.save(tmp_path / "book.xlsx")
    raw = realclient.validate_ooxml(tmp_path / "book.xlsx", ignore_openpyxl_font_order=False)
    assert raw and all("/xl/styles.xml /x:styleSheet[1]/x:fonts[1]/x:font[" in e for e in raw)
    assert realclient.validate_ooxml(tmp_path / "book.xlsx") == []

    # openpyxl 3.1 writes strings inline (t="inlineStr"); a real error beside the font order still shows.
    sheet = "xl/worksheets/sheet1.xml"
    bad = rewrite_part(tmp_path / "book.xlsx", tmp_path / "bad.xlsx", sheet, 't="inlineStr"', 't="zz"')
    assert realclient.validate_ooxml(bad) == [
        "/xl/worksheets/sheet1.xml /x:worksheet[1]/x:sheetData[1]/x:row[1]/x:c[1]: "
        "Sch_AttributeValueDataTypeDetailed: The attribute 't' has invalid value 'zz'. "
        "The Enumeration constraint failed."
    ]


@pytest.mark.parametrize(
    ("part", "old", "new", "message"),
    [
        ("xl/worksheets/sheet1.xml", 't="s"', 't="zz"', "The attribute 't' has invalid value 'zz'"),
        ("xl/_rels/workbook.xml.rels", 'Target="styles.xml"', 'Target="gone.xml"', "part does not exist"),
        ("[Content_Types].xml", 'PartName="/xl/styles.xml"', 'PartName="/xl/other.xml"', "content type"),
    ],
    ids=["bad-cell-type", "dangling-relationship", "missing-content-type"],
)
def test_validator_flags_a_corrupted_file(tmp_path, part, old, new, message):
    book = xlsxwriter_book(tmp_path / "book.xlsx")
    errors = realclient.validate_ooxml(rewrite_part(book, tmp_path / "bad.xlsx", part, old, new))
    assert len(errors) == 1
    assert message in errors[0]


def test_pdf_of_chinese_sheet_embeds_a_cjk_font_and_renders_png(tmp_path):
    pdf = realclient.render_pdf(xlsxwriter_book(tmp_path / "book.xlsx"), tmp_path / "out")
    assert pdf == tmp_path / "out" / "book.pdf"
    assert realclient.pdf_page_count(pdf) == 1
    assert any("WenQuanYi" in name for name in realclient.pdf_fonts(pdf))

    pngs = realclient.pdf_pages_to_png(pdf, tmp_path / "png", dpi=60)
    assert [p.name for p in pngs] == ["book-1.png"]
    header = pngs[0].read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(header[16:20], "big")
    assert 400 < width < 600  # a portrait A4 or Letter page at 60 dpi


def test_a_missing_tool_is_an_error_not_a_skip(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match=r"soffice \(apt-get install libreoffice-calc-nogui\).*pdftoppm"):
        realclient.require_tools()
    with pytest.raises(RuntimeError, match="soffice is not installed"):
        realclient.recalculate(xlsxwriter_book(tmp_path / "book.xlsx"), tmp_path / "out")
