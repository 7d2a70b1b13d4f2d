"""MS-OVBA 2.4.3.2 data encryption: how the PROJECT stream stores CMG, DPB and GC.

Not secrecy (2.4.3 calls it obfuscation): Excel requires the three fields, encrypted so.
The seed is fixed, so the same project always gives the same text.
"""

from __future__ import annotations

import struct

VERSION = 2
#: (Seed & 6) / 2 = 0: no ignored bytes follow (2.4.3.2), so nothing random remains.
SEED = 0x09


def encrypt(data: bytes, project_id: str, seed: int = SEED, ignored: bytes = b"") -> str:
    """The hex text (upper case) of ``data`` encrypted for the project ``project_id``."""
    if len(ignored) != (seed & 6) // 2:
        raise ValueError("the seed fixes how many ignored bytes there are")
    key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ VERSION, seed ^ key])
    # Each byte is masked by the one encrypted two places before it and the plain one before it.
    unencrypted1, encrypted1, encrypted2 = key, out[2], out[1]
    for byte in ignored + struct.pack("<I", len(data)) + data:
        encrypted = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(encrypted)
        encrypted2, encrypted1, unencrypted1 = encrypted1, encrypted, byte
    return out.hex().upper()
