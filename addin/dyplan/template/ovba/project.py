"""A VBA project's streams (MS-OVBA 2.3), source only, laid out record for record as Excel does.

No compiled code is written: the ``_VBA_PROJECT`` stream is the 7-byte header whose version
0xFFFF tells Office to ignore every performance cache (MS-OVBA 2.3.4.1), each module stream
is its compressed source from offset 0, and there are no ``__SRP_*`` streams. Office compiles
the source when it opens the file.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from enum import Enum

from dyplan.template.ovba.cfb import compound_file
from dyplan.template.ovba.compression import compress
from dyplan.template.ovba.encryption import encrypt

CODE_PAGE = 1252
ENCODING = "cp1252"
LCID = 0x0409  # English (United States), as Excel writes whatever its own language
SYS_KIND_WIN64 = 3
#: 2.3.4.2.1.2: the record Office 2016 and later write after PROJECTSYSKIND.
COMPAT_VERSION = 2
PROJECT_VERSION = (1, 0)
COOKIE = 0xFFFF  # 2.3.4.2.3 and 2.3.4.2.3.2.7: written 0xFFFF, ignored on read
VBA_PROJECT_HEADER = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)
VERSION_COMPATIBLE32 = "393222000"
VBE_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
#: The data CMG, DPB and GC encrypt (2.3.1.15-17).
NOT_PROTECTED = struct.pack("<I", 0)
NO_PASSWORD = b"\0"
VISIBLE = b"\xff"
DESCRIPTION = re.compile(r'^Attribute VB_Description = "(.*)"$', re.M)


class Kind(Enum):
    """How the PROJECT stream declares a module, and the id of its MODULETYPE record."""

    DOCUMENT = ("Document", 0x0022)
    PROCEDURAL = ("Module", 0x0021)
    CLASS = ("Class", 0x0022)

    def __init__(self, keyword: str, record: int) -> None:
        self.keyword = keyword
        self.record = record


@dataclass(frozen=True)
class Module:
    """A module as the project stores it: its ``Attribute`` lines first, then the code."""

    name: str
    kind: Kind
    source: str

    def stored(self) -> bytes:
        """The source with CRLF line ends, in the project's code page."""
        return "".join(line + "\r\n" for line in self.source.splitlines()).encode(ENCODING)

    def docstring(self) -> str:
        """The description the dir stream repeats (``VB_Description``), with its line breaks.

        An exported module spells them ``\\r\\n``; Excel's project of the same module stores
        real ones.
        """
        found = DESCRIPTION.search(self.source)
        return found.group(1).replace("\\r\\n", "\r\n") if found else ""


@dataclass(frozen=True)
class Reference:
    """A registered type library the project references (2.3.4.2.2.5)."""

    name: str
    libid: str


@dataclass(frozen=True)
class Project:
    project_id: str
    modules: tuple[Module, ...]
    references: tuple[Reference, ...]
    name: str = "VBAProject"


def project_file(project: Project) -> bytes:
    """The ``vbaProject.bin`` of ``project``."""
    return compound_file(project_streams(project))


def project_streams(project: Project) -> dict[str, bytes]:
    """Every stream by its path in the compound file."""
    return {
        "PROJECT": _project_stream(project),
        "PROJECTwm": _project_wm(project),
        "VBA/_VBA_PROJECT": VBA_PROJECT_HEADER,
        "VBA/dir": compress(dir_stream(project)),
        **{f"VBA/{module.name}": compress(module.stored()) for module in project.modules},
    }


def dir_stream(project: Project) -> bytes:
    """The decompressed dir stream (2.3.4.2): project information, references, modules."""
    major, minor = PROJECT_VERSION
    records = [
        _record(0x0001, struct.pack("<I", SYS_KIND_WIN64)),
        _record(0x004A, struct.pack("<I", COMPAT_VERSION)),
        _record(0x0002, struct.pack("<I", LCID)),
        _record(0x0014, struct.pack("<I", LCID)),
        _record(0x0003, struct.pack("<H", CODE_PAGE)),
        _record(0x0004, _text(project.name)),
        _record(0x0005, b"") + _record(0x0040, b""),  # PROJECTDOCSTRING
        _record(0x0006, b"") + _record(0x003D, b""),  # PROJECTHELPFILEPATH
        _record(0x0007, struct.pack("<I", 0)),  # PROJECTHELPCONTEXT
        _record(0x0008, struct.pack("<I", 0)),  # PROJECTLIBFLAGS
        struct.pack("<HIIH", 0x0009, 4, major, minor),  # PROJECTVERSION: its size is fixed at 4
        _record(0x000C, b"") + _record(0x003C, b""),  # PROJECTCONSTANTS
        *map(_reference, project.references),
        _record(0x000F, struct.pack("<H", len(project.modules))),
        _record(0x0013, struct.pack("<H", COOKIE)),
        *map(_module, project.modules),
        _record(0x0010, b""),
    ]
    return b"".join(records)


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _text(text: str) -> bytes:
    return text.encode(ENCODING)


def _unicode(text: str) -> bytes:
    return text.encode("utf-16-le")


def _reference(reference: Reference) -> bytes:
    """REFERENCENAME then REFERENCEREGISTERED (its two reserved fields zero)."""
    libid = _text(reference.libid)
    registered = struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0)
    name = _record(0x0016, _text(reference.name)) + _record(0x003E, _unicode(reference.name))
    return name + _record(0x000D, registered)


def _module(module: Module) -> bytes:
    """The MODULE record (2.3.4.2.3.2); the source starts at offset 0 of its stream."""
    name = _record(0x0019, _text(module.name)) + _record(0x0047, _unicode(module.name))
    stream_name = _record(0x001A, _text(module.name)) + _record(0x0032, _unicode(module.name))
    docstring = module.docstring()
    return b"".join([
        name,
        stream_name,
        _record(0x001C, _text(docstring)) + _record(0x0048, _unicode(docstring)),
        _record(0x0031, struct.pack("<I", 0)),  # MODULEOFFSET: no performance cache before it
        _record(0x001E, struct.pack("<I", 0)),  # MODULEHELPCONTEXT
        _record(0x002C, struct.pack("<H", COOKIE)),
        _record(module.kind.record, b""),
        _record(0x002B, b""),  # terminator
    ])  # fmt: skip


def _project_stream(project: Project) -> bytes:
    """The PROJECT stream's text (2.3.1): modules, protection, host extender and windows."""
    modules = [
        f"{m.kind.keyword}={m.name}/&H00000000" if m.kind is Kind.DOCUMENT else f"{m.kind.keyword}={m.name}"
        for m in project.modules
    ]
    pid = project.project_id
    lines = [
        f'ID="{pid}"',
        *modules,
        f'Name="{project.name}"',
        'HelpContextID="0"',
        f'VersionCompatible32="{VERSION_COMPATIBLE32}"',
        f'CMG="{encrypt(NOT_PROTECTED, pid)}"',
        f'DPB="{encrypt(NO_PASSWORD, pid)}"',
        f'GC="{encrypt(VISIBLE, pid)}"',
        "",
        "[Host Extender Info]",
        VBE_HOST_EXTENDER,
        "",
        "[Workspace]",
        *(f"{m.name}=0, 0, 0, 0, C" for m in project.modules),
        "",
    ]
    return "".join(line + "\r\n" for line in lines).encode(ENCODING)


def _project_wm(project: Project) -> bytes:
    """PROJECTwm (2.3.3): each module name in the code page, then in UTF-16, then 0x0000."""
    names = (_text(m.name) + b"\0" + _unicode(m.name) + b"\0\0" for m in project.modules)
    return b"".join(names) + b"\0\0"
