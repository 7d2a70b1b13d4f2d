"""Workbooks are untrusted input: zip bombs, XML entity attacks and formula-looking text."""

import re
import zipfile

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.files.safety import WorkbookFileError

from .conftest import TODAY, named_values, set_cell


def rewrite_member(path, member, transform):
    """Copy the archive with one member's bytes transformed."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, transform(data) if info.filename == member else data)


def test_zip_bomb_is_refused_before_parsing(demo_path):
    # 400 MB of zeros packs into a few hundred KB: far past the unpacked-size limit.
    with zipfile.ZipFile(demo_path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 400_000_000)
    with pytest.raises(WorkbookFileError, match="压缩炸弹"):
        operations.regenerate_file(demo_path)


def test_xml_entity_attack_is_refused(demo_path, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
    rewrite_member(
        demo_path,
        "xl/workbook.xml",
        lambda xml: xml.replace(b"?>", b"?>" + doctype, 1),
    )
    with pytest.raises(WorkbookFileError):
        operations.regenerate_file(demo_path)


def test_a_damaged_part_is_refused_by_name_and_the_file_kept(demo_path):
    """A part whose stored bytes no longer match their checksum (a broken copy or download)."""
    with zipfile.ZipFile(demo_path) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    data = bytearray(demo_path.read_bytes())
    packed_at = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[packed_at + info.compress_size // 2] ^= 0xFF
    demo_path.write_bytes(bytes(data))
    with pytest.raises(WorkbookFileError, match=r"sheet2\.xml.*已损坏") as refused:
        operations.regenerate_file(demo_path)
    assert "sheet2.xml is damaged" in refused.value.en
    assert demo_path.read_bytes() == data


@pytest.mark.parametrize(
    "text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"], ids=["eq", "plus", "minus", "at"]
)
def test_formula_looking_text_stays_text_in_workbook_and_export(demo_path, tmp_path, text):
    set_cell(demo_path, "Shop_Name", text)
    operations.regenerate_file(demo_path, today=TODAY)
    sheet, row, col = c.cell_of("Shop_Name")
    cell = load_workbook(demo_path)[sheet].cell(row, col)
    assert (cell.value, cell.data_type) == (text, "s")
    finished = tmp_path / "方案.xlsx"
    operations.export_file(demo_path, finished, today=TODAY)
    cover = named_values(finished, "Cover_Shop")
    assert cover == text
    with zipfile.ZipFile(finished) as archive:
        cover_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    _, row, col = c.cell_of("Cover_Shop")
    shop = re.search(rf'<c r="{c.address(row, col)}"[^>]*>(.*?)</c>', cover_xml)[1]
    assert "<f>" not in shop
