"""Reading a vbaProject.bin back, independently of the writer: streams through olefile, the
dir stream decompressed by olevba and walked record by record (MS-OVBA 2.3.4.2)."""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile
from oletools.olevba import decompress_stream

PROJECT_VERSION = 0x0009  # the one record whose size field (4) is not the size of what follows


@dataclass(frozen=True)
class Record:
    id: int
    data: bytes


def vba_project_of(workbook: Path) -> bytes:
    with zipfile.ZipFile(workbook) as archive:
        return archive.read("xl/vbaProject.bin")


def streams(project: bytes) -> dict[str, bytes]:
    """Every stream by its path; olefile refuses any defect it can detect."""
    ole = olefile.OleFileIO(io.BytesIO(project), raise_defects=olefile.DEFECT_INCORRECT)
    try:
        return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    finally:
        ole.close()


def decompress(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(data)))


def dir_records(project: bytes) -> list[Record]:
    data = decompress(streams(project)["VBA/dir"])
    records, position = [], 0
    while position < len(data):
        record_id, size = struct.unpack_from("<HI", data, position)
        if record_id == PROJECT_VERSION:
            size = 6
        records.append(Record(record_id, data[position + 6 : position + 6 + size]))
        position += 6 + size
    return records


def module_records(project: bytes) -> dict[str, list[Record]]:
    """Each module's records, from its MODULENAME (0x19) to its terminator (0x2B), by name."""
    modules: dict[str, list[Record]] = {}
    current: list[Record] | None = None
    for record in dir_records(project):
        if record.id == 0x0019:
            current = modules.setdefault(record.data.decode("cp1252"), [])
        if current is not None:
            current.append(record)
        if record.id == 0x002B:
            current = None
    return modules


def decrypt(text: str) -> tuple[int, bytes, bytes]:
    """(seed, ignored bytes, data) of a CMG, DPB or GC value (MS-OVBA 2.4.3.3)."""
    encrypted = bytes.fromhex(text)
    seed, key = encrypted[0], encrypted[2] ^ encrypted[0]
    plain, unencrypted1, encrypted1, encrypted2 = [], key, encrypted[2], encrypted[1]
    for byte in encrypted[3:]:
        unencrypted1 = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(unencrypted1)
        encrypted2, encrypted1 = encrypted1, byte
    ignored = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", bytes(plain), ignored)
    return seed, bytes(plain[:ignored]), bytes(plain[ignored + 4 : ignored + 4 + length])


def project_lines(project: bytes) -> list[str]:
    return streams(project)["PROJECT"].decode("cp1252").split("\r\n")
