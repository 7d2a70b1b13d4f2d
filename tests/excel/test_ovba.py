"""The VBA project writer's parts against MS-OVBA's and MS-CFB's own examples and rules, read
back by independent readers (olevba's decompressor, olefile)."""

import io
import os
import struct
from pathlib import Path

import olefile
import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st

from dyplan.template.ovba.cfb import compound_file
from dyplan.template.ovba.compression import compress
from dyplan.template.ovba.encryption import encrypt
from dyplan.template.ovba.project import Kind, Module, Project, dir_stream, project_file

from .vba_reading import decompress, decrypt, project_lines, streams, vba_project_of

#: The wheel's standalone quickstart: a project Excel wrote (xlwings' own module set in by Aspose).
EXCEL_MADE = vba_project_of(Path(xlwings.__file__).with_name("quickstart_standalone.xlsm"))


# ---------------------------------------------------------------- compression (MS-OVBA 2.4.1)


def test_compression_matches_the_specification_examples():
    # 3.2.1, no compression possible: a flag byte of 0 before every eight literals.
    assert compress(b"abcdefghijklmnopqrstuv.") == bytes.fromhex(
        "0119B000616263646566676800696A6B6C6D6E6F70007172737475762E"
    )
    # 3.2.3, maximum compression: one literal, then one copy token of offset 1 and length 72.
    assert compress(b"a" * 73) == bytes.fromhex("0103B002614500")


def test_compression_of_the_typical_example_round_trips():
    # 3.2.2's printed bytes do not follow its own matching rule (the nearest of equal matches),
    # so the example is checked by decompression rather than byte for byte.
    text = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
    assert decompress(compress(text)) == text
    printed = (
        "012FB000236161616263646582660070616768696A013808616B6C00"
        "306D6E6F700671027004107273747576107778797A003C"
    )
    assert decompress(bytes.fromhex(printed)) == text
    assert len(compress(text)) == len(bytes.fromhex(printed))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=9000) | st.text("ab \r\n", max_size=12000).map(str.encode))
def test_compression_round_trips_through_olevba(data):
    assert decompress(compress(data)) == data


def test_compression_keeps_chunks_of_4096_bytes_raw_when_they_do_not_compress():
    data = os.urandom(4096 * 2 + 100)[: 4096 * 2]
    compressed = compress(data)
    assert len(compressed) == 1 + 2 * (2 + 4096)
    (header,) = struct.unpack_from("<H", compressed, 1)
    assert header == 0x3FFF  # size 4098 - 3, signature 0b011, flag 0: raw
    assert decompress(compressed) == data


def test_compressing_a_large_module_of_text_is_a_fraction_of_it():
    text = (Path(xlwings.__file__).with_name("xlwings.bas")).read_bytes()
    assert len(compress(text)) < len(text) / 2
    assert decompress(compress(text)) == text


# ---------------------------------------------------------------- encryption (MS-OVBA 2.4.3)


def test_encryption_reproduces_what_excel_wrote_for_cmg_dpb_and_gc():
    lines = project_lines(EXCEL_MADE)
    project_id = lines[0].removeprefix('ID="').removesuffix('"')
    fields = {line.split("=", 1)[0]: line.split("=", 1)[1].strip('"') for line in lines if "=" in line}
    expected = {"CMG": b"\0\0\0\0", "DPB": b"\0", "GC": b"\xff"}  # 2.3.1.15-17: open, no password, visible
    for name, data in expected.items():
        seed, ignored, plain = decrypt(fields[name])
        assert plain == data, name
        assert encrypt(data, project_id, seed, ignored) == fields[name], name


def test_encryption_with_the_fixed_seed_needs_no_ignored_bytes_and_decrypts():
    text = encrypt(b"\xff", "{5C1B5E2A-2F4B-4D8E-9E0A-6479706C616E}")
    assert len(bytes.fromhex(text)) == 3 + 4 + 1
    assert decrypt(text)[1:] == (b"", b"\xff")
    with pytest.raises(ValueError):
        encrypt(b"\xff", "{X}", seed=0x8D)  # this seed needs two ignored bytes


# ---------------------------------------------------------------- compound file (MS-CFB)


def test_compound_file_holds_every_stream_around_the_mini_stream_cutoff():
    sizes = {"a": 1, "b": 63, "c": 64, "d": 4095, "e": 4096, "f": 70_000, "g": 0}
    written = {f"VBA/{name}": os.urandom(size) for name, size in sizes.items()}
    written |= {"PROJECT": b"ID=1\r\n", "PROJECTwm": b"\0\0"}
    assert streams(compound_file(written)) == written


def test_compound_file_with_several_fat_sectors_reads_back():
    # 200 KB needs 400 sectors: four FAT sectors of 128 entries each.
    written = {f"S{i}": os.urandom(50_000) for i in range(4)}
    data = compound_file(written)
    (fat_sectors,) = struct.unpack_from("<I", data, 0x2C)
    assert fat_sectors == 4
    assert streams(data) == written


def test_compound_file_siblings_are_a_search_tree_in_the_names_order():
    names = ["dir", "Sheet1", "Sheet10", "Sheet2", "ThisWorkbook", "_VBA_PROJECT", "xlwings", "DyPython"]
    ole = olefile.OleFileIO(io.BytesIO(compound_file({f"VBA/{n}": b"x" for n in names})))
    storage = next(entry for entry in ole.direntries if entry and entry.name == "VBA")
    key = lambda name: (len(name), name.upper())  # noqa: E731  MS-CFB 2.6.4

    def in_order(sid: int) -> list[str]:
        if sid == olefile.NOSTREAM:
            return []
        entry = ole.direntries[sid]
        return [*in_order(entry.sid_left), entry.name, *in_order(entry.sid_right)]

    assert in_order(storage.sid_child) == sorted(names, key=key)


def test_compound_file_is_the_same_bytes_every_time():
    written = {"PROJECT": b"x" * 700, "VBA/dir": b"y" * 5000}
    assert compound_file(written) == compound_file(dict(written))


# ---------------------------------------------------------------- project (MS-OVBA 2.3)


def small_project() -> Project:
    modules = (
        Module("ThisWorkbook", Kind.DOCUMENT, 'Attribute VB_Name = "ThisWorkbook"\n'),
        Module("Main", Kind.PROCEDURAL, 'Attribute VB_Name = "Main"\nSub A()\nEnd Sub\n'),
        Module("Box", Kind.CLASS, 'Attribute VB_Name = "Box"\nAttribute VB_Description = "one\\r\\ntwo"\n'),
    )
    return Project("{5C1B5E2A-2F4B-4D8E-9E0A-6479706C616E}", modules, ())


def test_project_declares_each_module_by_its_kind_in_the_project_stream():
    lines = project_lines(project_file(small_project()))
    assert lines[1:4] == ["Document=ThisWorkbook/&H00000000", "Module=Main", "Class=Box"]
    workspace = lines.index("[Workspace]")
    assert lines[workspace + 1 : workspace + 4] == [
        f"{n}=0, 0, 0, 0, C" for n in ("ThisWorkbook", "Main", "Box")
    ]


def test_project_stores_sources_with_crlf_from_offset_zero():
    written = streams(project_file(small_project()))
    assert decompress(written["VBA/Main"]) == b'Attribute VB_Name = "Main"\r\nSub A()\r\nEnd Sub\r\n'
    assert written["VBA/_VBA_PROJECT"] == bytes.fromhex("CC61FFFF000100")  # 2.3.4.1, version 0xFFFF
    assert not [path for path in written if "__SRP_" in path]


def test_project_module_docstring_is_its_description_with_real_line_breaks():
    data = dir_stream(small_project())
    assert struct.pack("<HI", 0x001C, 8) + b"one\r\ntwo" in data
    assert struct.pack("<HI", 0x0048, 16) + "one\r\ntwo".encode("utf-16-le") in data
