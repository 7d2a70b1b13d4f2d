"""A worksheet part kept as its skeleton and its rows' bytes: a row is parsed only to be read or edited.

As one lxml tree a sheet costs about a kilobyte of native memory per cell (an element, and each of its
attributes with the attribute's text, are nodes of their own), so two years of actuals take tens of
megabytes. Split, the sheet costs its bytes, plus the rows that were edited; and a row nobody edits
is written back as the very bytes it was read as.

The skeleton is the part with an empty ``<sheetData>``: dimension, panes, merged cells, conditional
formats, page setup and extensions stay one small tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.sax.saxutils import quoteattr

from lxml import etree

from dyplan.files.xml import MAIN_NS, main, parse, parse_piece, serialise

_SHEET_DATA = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)sheetData(?:\s[^<>]*?)?(/?)>")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
_ATTRIBUTES = rb"""(?:\s+[^\s=/<>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*"""
_ROW = main("row")


class RowsError(ValueError):
    """The sheet's rows are out of order or repeated: the part is damaged."""


class SheetRows:
    """The rows of one worksheet part by number, parsed on demand, and the skeleton around them."""

    def __init__(self, data: bytes) -> None:
        data = _as_utf8(data)
        split = _split(data)
        if split is None:  # comments, CDATA or unusual markup: let lxml find the rows
            self.root = parse(data)
            self._sheet_data = _sheet_data(self.root)
            rows = list(self._sheet_data)
            for row in rows:
                self._sheet_data.remove(row)
            self._open = _wrapper(self._sheet_data)
            pieces = [self._row_bytes(self._wrapped(row)) for row in rows if row.tag == _ROW]
        else:
            skeleton, pieces = split
            self.root = parse(skeleton)
            self._sheet_data = _sheet_data(self.root)
            self._open = _wrapper(self._sheet_data)
        self._unprefixed_main = self._sheet_data.nsmap.get(None) == MAIN_NS  # as ``raw`` needs
        self._raw: dict[int, bytes] = {}
        self._edited: dict[int, etree._Element] = {}
        number = 0
        for piece in pieces:
            numbered = _ROW_NUMBER.search(piece, 0, piece.find(b">"))
            previous, number = number, int(numbered[1]) if numbered else number + 1
            if number <= previous:
                raise RowsError(f"row {number} is out of order or repeated")
            if numbered:
                self._raw[number] = piece
            else:  # r left out: give it, so rows can be placed around it
                row = self._parse(piece)
                row.set("r", str(number))
                self._edited[number] = row
        self.last = number  # the last row the sheet has

    def numbers(self) -> Iterator[int]:
        """Every row number the sheet has, in order."""
        return iter(sorted({*self._raw, *self._edited}))

    def read(self, number: int) -> etree._Element | None:
        """Row ``number`` to read (edited rows as edited); None when the sheet has no such row."""
        edited = self._edited.get(number)
        if edited is not None:
            return edited
        raw = self._raw.get(number)
        return None if raw is None else self._parse(raw)

    def raw(self, number: int) -> bytes | None:
        """Row ``number``'s bytes as the part holds them, if they read alone: their unprefixed tags
        are spreadsheet elements and they declare no namespace. None for any other row, an edited one
        or one the sheet lacks."""
        raw = self._raw.get(number) if self._unprefixed_main else None
        return None if raw is None or b"xmlns" in raw else raw

    def read_run(self, numbers: list[int]) -> dict[int, etree._Element]:
        """The rows of ``numbers`` the sheet has, to read: rows read in a run parse as one piece."""
        rows = {n: self._edited[n] for n in numbers if n in self._edited}
        raw = [n for n in numbers if n in self._raw]
        if raw:
            rows.update(zip(raw, parse_piece(self._open + b"".join(self._raw[n] for n in raw) + b"</w>"),
                            strict=True))  # fmt: skip
        return rows

    def keep(self, number: int, row: etree._Element) -> None:
        """Row ``number`` (as ``read`` gave it) is edited: it is written back from its elements."""
        self._edited[number] = row
        self._raw.pop(number, None)

    def settle(self, number: int) -> None:
        """Edited row ``number`` is kept as its bytes again (``read`` parses them anew)."""
        self._raw[number] = self._row_bytes(self._edited.pop(number))

    def new(self, number: int) -> etree._Element:
        """An empty row ``number``, kept as edited."""
        row = etree.SubElement(parse_piece(self._open + b"</w>"), _ROW, r=str(number))
        self.keep(number, row)
        self.last = max(self.last, number)
        return row

    def holding(self, text: bytes) -> list[int]:
        """Rows that may hold ``text``: those whose bytes do, and every edited row (a cheap filter)."""
        return [n for n in self.numbers() if n in self._edited or text in self._raw[n]]

    def to_bytes(self) -> bytes:
        marker = etree.Comment("dyplan rows")
        self._sheet_data.append(marker)
        try:
            skeleton = serialise(self.root)
        finally:
            self._sheet_data.remove(marker)
        before, _, after = skeleton.partition(b"<!--dyplan rows-->")
        rows = b"".join(self._raw.get(n) or self._row_bytes(self._edited[n]) for n in self.numbers())
        return before + rows + after

    def _parse(self, piece: bytes) -> etree._Element:
        return parse_piece(self._open + piece + b"</w>")[0]

    def _row_bytes(self, row: etree._Element) -> bytes:
        """A row's XML in its wrapper's namespaces: the skeleton declares them, so the row needs none."""
        wrapper = row.getparent()
        assert wrapper is not None
        text = etree.tostring(wrapper, encoding="UTF-8", xml_declaration=False)
        start = text.index(b">") + 1  # the wrapper's start tag holds only namespace URIs, '>' escaped
        return text[start : -len(b"</w>")]

    def _wrapped(self, row: etree._Element) -> etree._Element:
        row.tail = None
        parse_piece(self._open + b"</w>").append(row)
        return row


def _split(data: bytes) -> tuple[bytes, list[bytes]] | None:
    """The part with an empty ``<sheetData>``, and its rows' bytes; None unless the rows are plain
    elements (no comment, CDATA or processing instruction anywhere, so tags are all there is)."""
    declaration_end = data.find(b"?>") + 2 if data.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml") else 0
    if b"<!" in data or b"<?" in data[declaration_end:]:
        return None
    found = _SHEET_DATA.search(data)
    if found is None:
        return None
    prefix = found[1]
    if found[2]:  # <sheetData/>
        return data, []
    end = data.rfind(b"</" + prefix + b"sheetData")
    head, body, tail = data[: found.end()], data[found.end() : end], data[end:]
    start = re.compile(rb"<" + re.escape(prefix) + rb"row(?=[\s/>])" + _ATTRIBUTES + rb"(/?)>")
    close_tag = b"</" + prefix + b"row>"
    pieces, at = [], 0
    while True:
        opening = start.search(body, at)
        if opening is None:
            return (head + tail, pieces) if not body[at:].strip() else None
        if body[at : opening.start()].strip():
            return None
        if opening[1]:
            stop = opening.end()
        else:
            close = body.find(close_tag, opening.end())
            if close < 0 or start.search(body, opening.end(), close):
                return None  # an end tag written another way, or rows in rows: not for a byte split
            stop = close + len(close_tag)
        pieces.append(body[opening.start() : stop])
        at = stop


def _sheet_data(root: etree._Element) -> etree._Element:
    sheet_data = root.find(main("sheetData"))
    if sheet_data is None:
        raise ValueError("worksheet without <sheetData>")
    return sheet_data


def _wrapper(sheet_data: etree._Element) -> bytes:
    """The start tag of an element declaring every namespace in scope at ``<sheetData>``: a row cut
    out of the part parses inside it as it did in place."""
    return b"<w" + b"".join(_declaration(p, uri) for p, uri in sheet_data.nsmap.items()) + b">"


def _declaration(prefix: str | None, uri: str) -> bytes:
    name = "xmlns" if prefix is None else f"xmlns:{prefix}"
    return f" {name}={quoteattr(uri)}".encode()


def _as_utf8(data: bytes) -> bytes:
    """The part as UTF-8 (what every writer uses; others are re-encoded once, so bytes can be split)."""
    declared = re.match(rb"""<\?xml[^>]*encoding\s*=\s*["']([\w.-]+)["']""", data)
    other = declared is not None and declared[1].lower() not in (b"utf-8", b"utf8")
    if other or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return serialise(parse(data))
    return data
