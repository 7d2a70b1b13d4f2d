"""The workbook's cell formats (``xl/styles.xml``): find or append the format a cell needs.

A cell that needs another number format gets a copy of its own format with that number format:
an existing identical one if the workbook has it, else one appended (existing ones are never
renumbered, so every other cell keeps its look).
"""

from __future__ import annotations

from lxml import etree

from dyplan.files.xml import main, parse, serialise

#: Excel's built-in number formats that dyplan's codes can match (ECMA-376 §18.8.30).
BUILT_IN = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}
_FIRST_CUSTOM = 164


class Styles:
    def __init__(self, data: bytes) -> None:
        self.root = parse(data)
        self.cell_formats = self.root.find(main("cellXfs"))
        formats = self.root.find(main("numFmts"))
        self.codes = {f.get("formatCode", ""): int(f.get("numFmtId", "0")) for f in
                      (formats if formats is not None else ())}  # fmt: skip
        self.appended = False
        self._found: dict[tuple[str | None, str], str] = {}

    def with_number_format(self, style: str | None, code: str) -> str:
        """The index of a format like ``style`` (default 0) but with number format ``code``."""
        key = (style, code)
        if key not in self._found:
            self._found[key] = self._with_number_format(style, code)
        return self._found[key]

    def _with_number_format(self, style: str | None, code: str) -> str:
        xfs = list(self.cell_formats)
        base = xfs[int(style or 0)]
        wanted = str(self._format_id(code))
        if base.get("numFmtId", "0") == wanted:
            return style or "0"
        shape = {**base.attrib, "numFmtId": wanted, "applyNumberFormat": "1"}
        for number, xf in enumerate(xfs):
            if dict(xf.attrib) == shape and _children(xf) == _children(base):
                return str(number)
        clone = etree.fromstring(etree.tostring(base))
        clone.attrib.update(shape)
        self.cell_formats.append(clone)
        self.cell_formats.set("count", str(len(xfs) + 1))
        self.appended = True
        return str(len(xfs))

    def _format_id(self, code: str) -> int:
        if code in BUILT_IN:
            return BUILT_IN[code]
        if code not in self.codes:
            formats = self.root.find(main("numFmts"))
            if formats is None:
                formats = etree.Element(main("numFmts"))
                self.root.insert(0, formats)
            number = max([_FIRST_CUSTOM - 1, *self.codes.values()]) + 1
            etree.SubElement(formats, main("numFmt"), numFmtId=str(number), formatCode=code)
            formats.set("count", str(len(formats)))
            self.codes[code] = number
            self.appended = True
        return self.codes[code]

    def to_bytes(self) -> bytes:
        return serialise(self.root)


def _children(xf: etree._Element) -> list[bytes]:
    return [etree.tostring(child) for child in xf]
