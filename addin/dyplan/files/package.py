"""A zip package (an .xlsx or .xlsm) edited part by part: every part left alone keeps its bytes.

Saving copies each untouched member's local header and compressed data straight from the source
file, so drawings, charts, images, comments, pivots, VBA, the ribbon and every extension come
through exactly as the program that wrote them stored them, and nothing is recompressed.
"""

from __future__ import annotations

import itertools
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from dyplan.files.safety import WorkbookFileError

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature … name length, extra length
_CENTRAL_HEADER = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_LOCAL_SIGNATURE = b"PK\x03\x04"
_END_SIGNATURE = b"PK\x05\x06"
_UTF8_NAMES = 0x800
_DOS_1980 = (0, (1 << 5) | 1)  # time, date: 1980-01-01 00:00, as XlsxWriter stamps its parts


class Package:
    """The members of a package; ``read`` and ``replace``/``remove``, then ``save`` elsewhere."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self._infos = archive.infolist()
            self._comment = archive.comment
            self._zip64 = any(info.file_size >= 0xFFFFFFFF or info.header_offset >= 0xFFFFFFFF
                              for info in self._infos)  # fmt: skip
            # Each member's stored bytes run to the next member, or to the central directory.
            starts = sorted({i.header_offset for i in self._infos} | {archive.start_dir})
        self._ends = dict(itertools.pairwise(starts))
        self._by_name = {info.filename: info for info in self._infos}
        self._cache: dict[str, bytes] = {}
        self._changed: dict[str, bytes] = {}
        self._removed: set[str] = set()

    def names(self) -> list[str]:
        return [i.filename for i in self._infos if i.filename not in self._removed] + [
            n for n in self._changed if n not in self._by_name
        ]

    def has(self, name: str) -> bool:
        return name in self._changed or (name in self._by_name and name not in self._removed)

    def read(self, name: str) -> bytes:
        """A part's bytes, kept for the next read (the file may have changed on disk meanwhile)."""
        if name in self._changed:
            return self._changed[name]
        if name not in self._cache:
            self._cache[name] = self._unpack(self._by_name[name])
        return self._cache[name]

    def read_once(self, name: str) -> bytes:
        """A part's bytes, not kept: for a reader that keeps them in a form of its own (a worksheet its
        rows' bytes), so the largest parts are not held twice."""
        if name in self._changed or name in self._cache:
            return self.read(name)
        return self._unpack(self._by_name[name])

    def _is_original(self, name: str, data: bytes) -> bool:
        """Whether ``data`` is the part's bytes as the file holds them (its size and CRC first)."""
        info = self._by_name.get(name)
        if info is None or name in self._removed or len(data) != info.file_size:
            return False
        if name in self._cache:
            return self._cache[name] == data
        if zlib.crc32(data) != info.CRC:
            return False
        try:
            return self._unpack(info) == data
        except (OSError, WorkbookFileError, zipfile.BadZipFile):  # the file changed on disk meanwhile:
            return False  # the save that follows refuses, saying another program saved it

    def _unpack(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes read at its offset: reopening the archive would parse its whole central
        directory again for every part read."""
        with open(self.path, "rb") as source:
            source.seek(info.header_offset)
            header = source.read(_LOCAL_HEADER.size)
            fields = _LOCAL_HEADER.unpack(header) if len(header) == _LOCAL_HEADER.size else None
            if fields is None or fields[0] != _LOCAL_SIGNATURE:
                raise zipfile.BadZipFile(f"bad local header for {info.filename}")
            source.seek(fields[-2] + fields[-1], 1)  # past the name and the extra field
            packed = source.read(info.compress_size)
        if info.compress_type == zipfile.ZIP_STORED:
            data = packed
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            try:  # no more than the central directory promised (``check_archive`` bounded that)
                data = zlib.decompressobj(-15).decompress(packed, info.file_size + 1)
            except zlib.error:
                data = b""
        else:
            with zipfile.ZipFile(self.path) as archive:  # any other method: zipfile knows it
                return archive.read(info.filename)
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise WorkbookFileError(
                f"无法读取 {self.path.name}：其中的 {info.filename} 已损坏（校验不符）。请用备份或 Excel 的"
                "「打开并修复」恢复后再试。",
                f"Cannot read {self.path.name}: its part {info.filename} is damaged (checksum mismatch). "
                "Restore a backup, or use Excel's Open and Repair, then try again.",
            )
        return data

    def replace(self, name: str, data: bytes) -> None:
        """New content for a part (a new part is added at the end)."""
        if self._is_original(name, data):
            self._changed.pop(name, None)
            return
        self._changed[name] = data
        self._removed.discard(name)

    def remove(self, name: str) -> None:
        self._changed.pop(name, None)
        if name in self._by_name:
            self._removed.add(name)

    def changed(self) -> set[str]:
        """Names of the parts that ``save`` writes anew or leaves out."""
        return set(self._changed) | self._removed

    def save(self, target: Path) -> None:
        """Write the package to ``target``: untouched members byte for byte, in their order."""
        if target.exists() and target.samefile(self.path):  # opening it for writing would empty it
            raise ValueError(f"{target} is the package's own file: save elsewhere, then replace it")
        if self._zip64:  # never seen in a workbook; zipfile handles the large-file records
            self._save_rewritten(target)
            return
        with open(self.path, "rb") as source, open(target, "wb") as out:
            central: list[bytes] = []
            for info in self._infos:
                name = info.filename
                if name in self._removed:
                    continue
                offset = out.tell()
                if name in self._changed:
                    central.append(_write_member(out, name, self._changed[name], offset))
                else:
                    source.seek(info.header_offset)
                    if source.read(4) != _LOCAL_SIGNATURE:
                        raise zipfile.BadZipFile(f"bad local header for {name}")
                    source.seek(info.header_offset)
                    out.write(source.read(self._ends[info.header_offset] - info.header_offset))
                    central.append(_central_record(info, offset))
            for name, data in self._changed.items():
                if name not in self._by_name:
                    central.append(_write_member(out, name, data, out.tell()))
            start = out.tell()
            for record in central:
                out.write(record)
            size = out.tell() - start
            out.write(_END.pack(_END_SIGNATURE, 0, 0, len(central), len(central), size, start,
                                len(self._comment)) + self._comment)  # fmt: skip

    def _save_rewritten(self, target: Path) -> None:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name in self.names():
                out.writestr(name, self.read(name))


def _central_record(info: zipfile.ZipInfo, offset: int) -> bytes:
    name = info.filename.encode("utf-8" if info.flag_bits & _UTF8_NAMES else "cp437")
    dos_time = (info.date_time[3] << 11) | (info.date_time[4] << 5) | (info.date_time[5] // 2)
    dos_date = ((info.date_time[0] - 1980) << 9) | (info.date_time[1] << 5) | info.date_time[2]
    return _CENTRAL_HEADER.pack(
        _CENTRAL_SIGNATURE, info.create_version | (info.create_system << 8), info.extract_version,
        info.flag_bits, info.compress_type, dos_time, dos_date, info.CRC, info.compress_size,
        info.file_size, len(name), len(info.extra), len(info.comment), 0, info.internal_attr,
        info.external_attr, offset,
    ) + name + info.extra + info.comment  # fmt: skip


def _write_member(out: BinaryIO, name: str, data: bytes, offset: int) -> bytes:
    """Deflate one new or changed part; its central record."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    encoded = name.encode("utf-8")
    crc = zlib.crc32(data)
    flags = _UTF8_NAMES if not encoded.isascii() else 0
    time, date = _DOS_1980
    out.write(_LOCAL_HEADER.pack(_LOCAL_SIGNATURE, 20, flags, zipfile.ZIP_DEFLATED, time, date, crc,
                                 len(packed), len(data), len(encoded), 0) + encoded + packed)  # fmt: skip
    return _CENTRAL_HEADER.pack(
        _CENTRAL_SIGNATURE, 20, 20, flags, zipfile.ZIP_DEFLATED, time, date, crc, len(packed),
        len(data), len(encoded), 0, 0, 0, 0, 0, offset,
    ) + encoded  # fmt: skip
