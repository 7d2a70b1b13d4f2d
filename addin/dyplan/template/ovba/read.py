"""Read a VBA project back: its modules' source and its references (MS-CFB, MS-OVBA 2.3-2.4).

Only what ``dyplan excel setup`` checks in a user's workbook, with the standard library: the
compound file's streams (MS-CFB 2.2-2.9), the decompression (MS-OVBA 2.4.1.3) and the dir
stream's records (2.3.4.2).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from dyplan.template.ovba.project import ENCODING

END_OF_CHAIN, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF
MODULE_NAME, MODULE_OFFSET, MODULE_STREAM_NAME = 0x0019, 0x0031, 0x001A
REFERENCE_NAME, REFERENCE_PROJECT, PROJECT_VERSION = 0x0016, 0x000E, 0x0009


def cfb_streams(data: bytes) -> dict[str, bytes]:
    """Every stream of a compound file by its path ("VBA/dir")."""
    if data[:8] != bytes.fromhex("D0CF11E0A1B11AE1"):
        raise ValueError("not a compound file")
    sector_size, mini_size = (
        1 << struct.unpack_from("<H", data, 0x1E)[0],
        1 << struct.unpack_from("<H", data, 0x20)[0],
    )
    fat_sectors, first_dir, cutoff, first_mini_fat = struct.unpack_from("<II4xII", data, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", data, 0x44)
    sector = lambda n: data[(n + 1) * sector_size : (n + 2) * sector_size]  # noqa: E731
    difat = list(struct.unpack_from("<109I", data, 0x4C))
    for _ in range(difat_count):
        entries = struct.unpack(f"<{sector_size // 4}I", sector(first_difat))
        difat, first_difat = difat + list(entries[:-1]), entries[-1]
    fat = [e for n in difat[:fat_sectors] for e in struct.unpack(f"<{sector_size // 4}I", sector(n))]

    def chain(start: int, table: list[int]) -> list[int]:
        found = []
        while start not in (END_OF_CHAIN, NO_STREAM) and len(found) <= len(table):
            found.append(start)
            start = table[start]
        return found

    directory = b"".join(sector(n) for n in chain(first_dir, fat))
    entries = [directory[i : i + 128] for i in range(0, len(directory), 128)]
    root = entries[0]
    mini_stream = b"".join(sector(n) for n in chain(struct.unpack_from("<I", root, 116)[0], fat))
    mini_fat = [
        e for n in chain(first_mini_fat, fat) for e in struct.unpack(f"<{sector_size // 4}I", sector(n))
    ]

    def read(entry: bytes) -> bytes:
        start, size = struct.unpack_from("<IQ", entry, 116)
        if size < cutoff:
            parts = (mini_stream[n * mini_size : (n + 1) * mini_size] for n in chain(start, mini_fat))
        else:
            parts = (sector(n) for n in chain(start, fat))
        return b"".join(parts)[:size]

    found: dict[str, bytes] = {}

    def walk(index: int, prefix: str) -> None:
        if index == NO_STREAM:
            return
        entry = entries[index]
        length, kind = struct.unpack_from("<HB", entry, 64)
        name = entry[: max(length - 2, 0)].decode("utf-16-le")
        left, right, child = struct.unpack_from("<III", entry, 68)
        walk(left, prefix)
        walk(right, prefix)
        if kind == 2:
            found[prefix + name] = read(entry)
        elif kind == 1:
            walk(child, f"{prefix}{name}/")

    walk(struct.unpack_from("<I", root, 76)[0], "")
    return found


def decompress(data: bytes) -> bytes:
    """A compressed container's data (MS-OVBA 2.4.1.3)."""
    if not data or data[0] != 1:
        raise ValueError("not a compressed container")
    out, position = bytearray(), 1
    while position < len(data):
        header = struct.unpack_from("<H", data, position)[0]
        end, start = min(position + 2 + (header & 0x0FFF) + 1, len(data)), len(out)
        position += 2
        if not header & 0x8000:  # a raw chunk: 4096 bytes as they are
            out += data[position : position + 4096]
            position += 4096
            continue
        while position < end:
            flags, position = data[position], position + 1
            for bit in range(8):
                if position >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[position])
                    position += 1
                    continue
                token = struct.unpack_from("<H", data, position)[0]
                position += 2
                bits = max((len(out) - start - 1).bit_length(), 4)
                offset, length = (token >> (16 - bits)) + 1, (token & (0xFFFF >> bits)) + 3
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


@dataclass(frozen=True)
class VbaProject:
    modules: dict[str, str]  # source by module name, with \n line ends
    references: list[str]  # reference names
    project_references: list[str]  # names of references to other VBA projects (add-ins)


def read_project(vba_project_bin: bytes) -> VbaProject:
    """The modules and references of a ``vbaProject.bin``."""
    streams = cfb_streams(vba_project_bin)
    data = decompress(streams["VBA/dir"])
    records, position = [], 0
    while position + 6 <= len(data):
        record_id, size = struct.unpack_from("<HI", data, position)
        size = 6 if record_id == PROJECT_VERSION else size
        records.append((record_id, data[position + 6 : position + 6 + size]))
        position += 6 + size
    references, project_references, modules = [], [], {}
    name = stream = None
    for record_id, body in records:
        if record_id == REFERENCE_NAME:
            references.append(body.decode(ENCODING, "replace"))
        elif record_id == REFERENCE_PROJECT and references:
            project_references.append(references[-1])
        elif record_id == MODULE_NAME:
            name = body.decode(ENCODING)
        elif record_id == MODULE_STREAM_NAME:
            stream = body.decode(ENCODING)
        elif record_id == MODULE_OFFSET and name and stream:
            offset = struct.unpack("<I", body)[0]
            source = decompress(streams[f"VBA/{stream}"][offset:]).decode(ENCODING, "replace")
            modules[name] = source.replace("\r\n", "\n")
            name = stream = None
    return VbaProject(modules, references, project_references)
