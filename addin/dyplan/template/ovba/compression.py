"""MS-OVBA 2.4.1 compression, which VBA applies to the dir stream and to every module's source.

The matching follows 2.4.1.3.19.4 exactly (the longest match, the nearest on a tie), so the
same text always compresses to the same bytes.
"""

from __future__ import annotations

import struct

CHUNK = 4096
MIN_MATCH = 3
SIGNATURE = b"\x01"


def compress(data: bytes) -> bytes:
    """A CompressedContainer holding ``data``: the signature byte, then chunks of 4096 bytes."""
    return SIGNATURE + b"".join(_chunk(data[start : start + CHUNK]) for start in range(0, len(data), CHUNK))


def _chunk(chunk: bytes) -> bytes:
    body = _tokens(chunk)
    if len(body) <= CHUNK:
        return _header(len(body), compressed=True) + body
    # 2.4.1.3.10: when the tokens do not fit, the chunk is stored raw, always CHUNK bytes.
    if len(chunk) < CHUNK:
        raise ValueError("an incompressible final chunk cannot be stored (MS-OVBA 2.4.1.3.10)")
    return _header(CHUNK, compressed=False) + chunk


def _header(body_size: int, *, compressed: bool) -> bytes:
    # CompressedChunkHeader: size - 3 in 12 bits, the signature 0b011, then the compressed flag.
    return struct.pack("<H", (body_size + 2 - 3) | 0b011 << 12 | compressed << 15)


def _tokens(chunk: bytes) -> bytes:
    """The TokenSequences of one chunk: each a flag byte, then up to eight tokens."""
    out = bytearray()
    positions: dict[bytes, list[int]] = {}  # every earlier position, by the 3 bytes there
    position = 0
    while position < len(chunk):
        flags, tokens = 0, bytearray()
        for bit in range(8):
            if position >= len(chunk):
                break
            offset, length = _match(chunk, position, positions)
            if length:
                flags |= 1 << bit
                tokens += struct.pack("<H", _copy_token(position, offset, length))
                step = length
            else:
                tokens.append(chunk[position])
                step = 1
            for seen in range(position, position + step):
                positions.setdefault(chunk[seen : seen + MIN_MATCH], []).append(seen)
            position += step
        out.append(flags)
        out += tokens
    return bytes(out)


def _bit_count(position: int) -> int:
    """Bits of a copy token's offset at ``position`` in its chunk (2.4.1.3.19.1): at least 4."""
    return max((position - 1).bit_length(), 4)


def _match(chunk: bytes, position: int, positions: dict[bytes, list[int]]) -> tuple[int, int]:
    """(offset, length) of the longest earlier match, the nearest on a tie; (0, 0) if under 3.

    As 2.4.1.3.19.4 says, the longest is judged before the length is cut to what a copy token
    can hold.
    """
    limit = len(chunk) - position
    best_offset, best_length = 0, 0
    for candidate in reversed(positions.get(chunk[position : position + MIN_MATCH], ())):
        length = _common_length(chunk, candidate, position, limit)
        if length > best_length:
            best_offset, best_length = position - candidate, length
            if length == limit:
                break
    if best_length < MIN_MATCH:
        return 0, 0
    return best_offset, min(best_length, (0xFFFF >> _bit_count(position)) + MIN_MATCH)


def _common_length(chunk: bytes, candidate: int, position: int, limit: int) -> int:
    """How many bytes from ``candidate`` repeat from ``position`` (the copy may overlap it)."""
    low, high = 0, limit
    while low < high:  # binary search on slice equality: C speed instead of a byte loop
        middle = (low + high + 1) // 2
        if chunk[candidate : candidate + middle] == chunk[position : position + middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _copy_token(position: int, offset: int, length: int) -> int:
    """A CopyToken: offset - 1 in the high bits, length - 3 in the low ones."""
    bits = _bit_count(position)
    return (offset - 1) << (16 - bits) | (length - MIN_MATCH)
