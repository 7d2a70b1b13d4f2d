"""A minimal Compound File (MS-CFB) writer: version 3, 512-byte sectors, no timestamps.

Enough for a VBA project: storages and streams named by paths ("VBA/dir"). Streams under the
4096-byte cutoff live in the mini stream (64-byte sectors), as the format requires.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
ENTRY = 128
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5
BLACK = 1
HEADER_FAT_SLOTS = 109
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    id: int = 0
    left: int = NO_STREAM
    right: int = NO_STREAM
    child: int = NO_STREAM
    start: int = END_OF_CHAIN


def compound_file(streams: dict[str, bytes]) -> bytes:
    """The bytes of a compound file holding ``streams`` (path → data), storages made as needed."""
    root = _Entry("Root Entry", ROOT)
    for path, data in streams.items():
        *folders, name = path.split("/")
        storage = root
        for folder in folders:
            storage = storage.children.setdefault(folder, _Entry(folder, STORAGE))
        storage.children[name] = _Entry(name, STREAM, data)
    entries = _number(root)
    small = [e for e in entries if e.kind == STREAM and len(e.data) < MINI_CUTOFF]
    large = [e for e in entries if e.kind == STREAM and len(e.data) >= MINI_CUTOFF]

    mini_fat: list[int] = []
    mini_stream = bytearray()
    for entry in small:
        entry.start = _chain(mini_fat, len(entry.data), MINI_SECTOR)
        mini_stream += _padded(entry.data, MINI_SECTOR)
    root.data = bytes(mini_stream)

    # Sector order after the FAT: directory, mini FAT, mini stream, then each large stream.
    directory_size = _ceil(len(entries), SECTOR // ENTRY) * SECTOR
    mini_fat_bytes = _table(mini_fat)
    contents = [directory_size, len(mini_fat_bytes), len(root.data), *(len(e.data) for e in large)]
    used = sum(_ceil(size, SECTOR) for size in contents)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < used + fat_sectors:  # the FAT maps its own sectors too
        fat_sectors += 1
    if fat_sectors > HEADER_FAT_SLOTS:
        raise ValueError("a project this large needs DIFAT sectors, which this writer does not write")

    fat = [FAT_SECTOR] * fat_sectors
    starts = [_chain(fat, size, SECTOR) for size in contents]
    directory_start, mini_fat_start, root.start, *large_starts = starts
    for entry, start in zip(large, large_starts, strict=True):
        entry.start = start

    header = _header(
        fat_sectors, directory_start, mini_fat_start if mini_fat else END_OF_CHAIN, len(mini_fat_bytes)
    )
    body = [
        _table(fat),
        b"".join(map(_directory_entry, entries)) + _empty_entries(directory_size // ENTRY - len(entries)),
        mini_fat_bytes,
        _padded(root.data, SECTOR),
        *(_padded(e.data, SECTOR) for e in large),
    ]
    return header + b"".join(body)


def _number(root: _Entry) -> list[_Entry]:
    """Every entry in directory order, each storage's children linked as a balanced tree."""
    entries = [root]
    pending = [root]
    while pending:
        storage = pending.pop(0)
        children = sorted(storage.children.values(), key=_order)
        for child in children:
            child.id = len(entries)
            entries.append(child)
            if child.kind == STORAGE:
                pending.append(child)
        storage.child = _link(children)
    return entries


def _order(entry: _Entry) -> tuple[int, str]:
    """MS-CFB 2.6.4: shorter names first, then by upper-cased UTF-16 code units."""
    return len(entry.name), entry.name.upper()


def _link(siblings: list[_Entry]) -> int:
    """Link sorted siblings as a binary search tree (its middle the root); the root's id.

    Every node is black, as Excel's own files and other proven writers store them.
    """
    if not siblings:
        return NO_STREAM
    middle = len(siblings) // 2
    node = siblings[middle]
    node.left = _link(siblings[:middle])
    node.right = _link(siblings[middle + 1 :])
    return node.id


def _chain(table: list[int], size: int, sector: int) -> int:
    """Append a chain of sectors for ``size`` bytes to ``table``; its first sector."""
    count = _ceil(size, sector)
    start = len(table)
    if count == 0:
        return END_OF_CHAIN
    table.extend(range(start + 1, start + count))
    table.append(END_OF_CHAIN)
    return start


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    if len(name) > 64:
        raise ValueError(f"{entry.name!r}: a compound file name has at most 31 characters")
    size = len(entry.data) if entry.kind != STORAGE else 0
    start = entry.start if entry.kind != STORAGE else 0
    return struct.pack(
        "<64sHBBIII16sI8s8sIQ",
        name, len(name), entry.kind, BLACK, entry.left, entry.right, entry.child,
        b"", 0, b"", b"", start, size,
    )  # fmt: skip


def _empty_entries(count: int) -> bytes:
    empty = struct.pack(
        "<64sHBBIII16sI8s8sIQ", b"", 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM, b"", 0, b"", b"", 0, 0
    )
    return empty * count


def _header(fat_sectors: int, directory_start: int, mini_fat_start: int, mini_fat_size: int) -> bytes:
    slots = list(range(fat_sectors)) + [FREE] * (HEADER_FAT_SLOTS - fat_sectors)
    return struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        SIGNATURE, b"", 0x003E, 0x0003, 0xFFFE, 9, 6, b"",
        0,  # number of directory sectors: always 0 in version 3
        fat_sectors, directory_start,
        0,  # transaction signature
        MINI_CUTOFF, mini_fat_start, mini_fat_size // SECTOR,
        END_OF_CHAIN, 0,  # no DIFAT sectors
        *slots,
    )  # fmt: skip


def _table(chain: list[int]) -> bytes:
    """An allocation table filling whole sectors, its unused entries free."""
    slots = _ceil(len(chain), SECTOR // 4) * (SECTOR // 4)
    return struct.pack(f"<{slots}I", *chain, *[FREE] * (slots - len(chain)))


def _ceil(size: int, unit: int) -> int:
    return -(-size // unit)


def _padded(data: bytes, unit: int) -> bytes:
    return data + b"\0" * (_ceil(len(data), unit) * unit - len(data))
