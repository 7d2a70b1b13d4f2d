"""The template's VBA project is laid out as Excel lays one out: compared record by record with
the project Excel wrote in the pinned xlwings wheel (its standalone quickstart), it has the
same streams and the same dir-stream records in the same order, differing only in module
names, their text and the compiled caches it leaves out."""

from pathlib import Path

import xlwings

from dyplan import operations
from dyplan.book import contract as c
from dyplan.template import vba_project

from .vba_reading import (
    decompress,
    decrypt,
    dir_records,
    module_records,
    project_lines,
    streams,
    vba_project_of,
)

COMMITTED = Path(__file__).parents[2] / "workbook_templates" / operations.MACRO_TEMPLATE_NAME
OURS = vba_project_of(COMMITTED)
EXCEL_MADE = vba_project_of(Path(xlwings.__file__).with_name("quickstart_standalone.xlsm"))
#: The template's sheets' code names: Sheet1 … for the contract's sheets, then xlwings.conf.
SHEET_MODULES = tuple(f"Sheet{n}" for n in range(1, len(c.SHEETS) + 2))
#: MS-OVBA 2.3.4.1: the whole _VBA_PROJECT stream when no performance cache is written.
NO_CACHE = bytes.fromhex("CC61FFFF000100")
MODULE_NAME, TERMINATOR, REFERENCE_NAME, PROJECT_MODULES = 0x0019, 0x002B, 0x0016, 0x000F
COMPAT_VERSION, PROJECT_VERSION, MODULE_OFFSET, MODULE_COOKIE = 0x004A, 0x0009, 0x0031, 0x002C
#: Sheet1… the document module of each sheet: the contract's and xlwings.conf.
SHEET_MODULES = tuple(f"Sheet{n}" for n in range(1, len(c.SHEETS) + 2))


def module_names(project: bytes) -> list[str]:
    return [r.data.decode("cp1252") for r in dir_records(project) if r.id == MODULE_NAME]


def sections(project: bytes) -> tuple[list, list, list]:
    """(project information, references, modules) records of the dir stream."""
    records = dir_records(project)
    first_reference = next(i for i, r in enumerate(records) if r.id == REFERENCE_NAME)
    modules = next(i for i, r in enumerate(records) if r.id == PROJECT_MODULES)
    return records[:first_reference], records[first_reference:modules], records[modules:]


def test_same_streams_one_per_module_and_no_compiled_cache():
    for project in (OURS, EXCEL_MADE):
        fixed = {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"}
        assert set(streams(project)) == fixed | {f"VBA/{name}" for name in module_names(project)}
    assert streams(OURS)["VBA/_VBA_PROJECT"] == streams(EXCEL_MADE)["VBA/_VBA_PROJECT"] == NO_CACHE


def test_project_information_is_excels_record_for_record():
    ours, excel = sections(OURS)[0], sections(EXCEL_MADE)[0]
    # PROJECTCOMPATVERSION: Office 2016 and later write it after PROJECTSYSKIND; this project
    # was saved before. Its value is the one MS-OVBA 2.3.4.2.1.2 gives.
    assert [r.id for r in ours] == [excel[0].id, COMPAT_VERSION, *(r.id for r in excel[1:])]
    assert ours[1].data == (2).to_bytes(4, "little")
    excel_by_id = {r.id: r.data for r in excel}
    for record in ours:
        if record.id not in (COMPAT_VERSION, PROJECT_VERSION):  # the version is the project's own
            assert record.data == excel_by_id[record.id], hex(record.id)


def test_references_are_registered_libraries_as_excel_writes_them():
    ours, excel = sections(OURS)[1], sections(EXCEL_MADE)[1]
    office = [(r.id, r.data) for r in excel[-3:]]  # Excel's last reference: Office
    assert office[0] == (REFERENCE_NAME, b"Office")
    assert [(r.id, r.data) for r in ours[-3:]] == office
    assert [r.id for r in ours] == [0x0016, 0x003E, 0x000D] * len(vba_project.REFERENCES)


def test_modules_have_excels_records_for_their_kind():
    ours, excel = module_records(OURS), module_records(EXCEL_MADE)
    # ThisWorkbook and Sheet1 are document modules, Module1 a standard one, Dictionary a class.
    kinds = {"ThisWorkbook": "ThisWorkbook", "Dictionary": "Dictionary", "xlwings": "xlwings"}
    kinds |= dict.fromkeys(SHEET_MODULES, "Sheet1")
    kinds |= {name: "Module1" for name in ("DyPython", "DyRibbon", "xlwings_udfs")}
    assert set(ours) == set(kinds)
    for name, like in kinds.items():
        assert [r.id for r in ours[name]] == [r.id for r in excel[like]], name
        offset = next(r for r in ours[name] if r.id == MODULE_OFFSET)
        assert offset.data == bytes(4), name  # the source from the stream's start: no p-code
        cookie = next(r for r in ours[name] if r.id == MODULE_COOKIE)
        assert cookie.data == b"\xff\xff", name  # MS-OVBA 2.3.4.2.3.2.7: 0xFFFF on write


def test_document_modules_are_excels_text_for_the_same_names():
    """Excel's attribute lines, then (ThisWorkbook only) our code."""
    ours, excel = streams(OURS), streams(EXCEL_MADE)
    code = vba_project.document_code()[vba_project.WORKBOOK_MODULE]
    stored = code.replace("\n", "\r\n").encode("cp1252")
    assert decompress(ours["VBA/ThisWorkbook"]) == decompress_source(excel, "ThisWorkbook") + stored
    assert decompress(ours["VBA/Sheet1"]) == decompress_source(excel, "Sheet1")


def decompress_source(excel_streams: dict[str, bytes], name: str) -> bytes:
    """A module's source in Excel's project, past the p-code MODULEOFFSET points over."""
    offset = next(r for r in module_records(EXCEL_MADE)[name] if r.id == MODULE_OFFSET)
    return decompress(excel_streams[f"VBA/{name}"][int.from_bytes(offset.data, "little") :])


MODULE_KEYS = ("Document", "Module", "Class")


def split_project_stream(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(module declarations, the other lines before [Workspace], the [Workspace] names)."""
    head, workspace = lines[: lines.index("[Workspace]")], lines[lines.index("[Workspace]") + 1 :]
    modules = [line for line in head if line.split("=")[0] in MODULE_KEYS]
    assert head[1 : 1 + len(modules)] == modules  # right after ID=, as MS-OVBA 2.3.1 orders them
    rest = [line for line in head if line not in modules]
    return modules, rest, [line.split("=")[0] for line in workspace if line]


def field(lines: list[str], key: str) -> str:
    return next(line for line in lines if line.startswith(key + "=")).split("=", 1)[1].strip('"')


def test_project_stream_has_excels_lines_in_excels_order():
    ours, excel = split_project_stream(project_lines(OURS)), split_project_stream(project_lines(EXCEL_MADE))
    assert [line.split("=")[0] for line in ours[1]] == [line.split("=")[0] for line in excel[1]]
    for key in ("Name", "HelpContextID", "VersionCompatible32"):
        assert field(ours[1], key) == field(excel[1], key), key
    assert field(ours[1], "VersionCompatible32") == "393222000"
    for key in ("CMG", "DPB", "GC"):  # encrypted with each project's own ID: compared decrypted
        assert decrypt(field(ours[1], key))[2] == decrypt(field(excel[1], key))[2], key
    host = ["[Host Extender Info]", "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"]
    assert ours[1][-4:-1] == excel[1][-4:-1] == ["", *host]
    documents = [f"Document={name}/&H00000000" for name in ("ThisWorkbook", *SHEET_MODULES)]
    modules = ["Module=DyPython", "Module=DyRibbon", "Module=xlwings", "Module=xlwings_udfs"]
    assert ours[0] == [*documents, *modules, "Class=Dictionary"]
    for (_, _, workspace), project in ((ours, OURS), (excel, EXCEL_MADE)):
        assert workspace == module_names(project)


def test_project_wm_names_every_module_twice_as_excel_does():
    def names(project: bytes) -> list[str]:
        data, found, position = streams(project)["PROJECTwm"], [], 0
        while data[position : position + 2] != b"\0\0":
            end = data.index(b"\0", position)
            name = data[position:end].decode("cp1252")
            unicode_end = end + 1 + 2 * len(name)
            assert data[end + 1 : unicode_end].decode("utf-16-le") == name
            assert data[unicode_end : unicode_end + 2] == b"\0\0"
            found.append(name)
            position = unicode_end + 2
        assert position + 2 == len(data)
        return found

    for project in (OURS, EXCEL_MADE):
        assert names(project) == module_names(project)
