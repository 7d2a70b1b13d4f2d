"""Rewrite the inline strings openpyxl saves into a shared-string table, the form Excel itself writes.

openpyxl 3.1 saves every text cell as an inline string (``<c t="inlineStr"><is><t>…</t></is></c>``)
and no ``xl/sharedStrings.xml``. The format allows that, but WPS Office and some file previewers show
such cells blank or garbled, so every workbook dyplan saves through openpyxl is passed through
:func:`share_strings`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

SST_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SHEET_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

_CONTENT_TYPES = "[Content_Types].xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_DEFAULT_SST = "xl/sharedStrings.xml"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_SHEET_NUMBER = re.compile(r"xl/worksheets/sheet(\d+)\.xml")

# A cell typed inlineStr: attributes before and after t="…", then "/>" or its content up to "</c>".
# Attribute values of a cell (r, s, t, cm, vm, ph) never hold ">", and text inside never holds "<".
_INLINE_CELL = re.compile(
    r'<c\b(?P<head>[^>]*?)\st="inlineStr"(?P<tail>[^>]*?)(?:/>|>(?P<body>.*?)</c>)', re.DOTALL
)
# The content of a plain inline string: one <t> (possibly empty) in <is>, or an empty <is/>.
_PLAIN_INLINE = re.compile(
    r"\s*(?:<is>\s*(?:<t(?:\s[^>]*?)?\s*/>|<t(?:\s[^>]*)?>(?P<text>[^<]*)</t>)\s*</is>|<is\s*/>)\s*"
)
_SHARED_CELL = re.compile(r'<c\b[^>]*?\st="s"')
_SI = re.compile(r"<si\b[^>]*?(?:/>|>(?P<body>.*?)</si>)", re.DOTALL)
_PLAIN_SI = re.compile(r"\s*(?:<t(?:\s[^>]*?)?\s*/>|<t(?:\s[^>]*)?>(?P<text>[^<]*)</t>)?\s*")
_SST_ROOT = re.compile(r"<sst\b(?P<attrs>[^>]*?)(?P<empty>/?)>")
_COUNT_ATTRS = re.compile(r'\s(?:count|uniqueCount)\s*=\s*(?:"[^"]*"|\'[^\']*\')')
_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*>")
_ATTR = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9A-Fa-f]+)|(amp|lt|gt|quot|apos));")
_NAMED_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_XML_SPACE = " \t\n\r"


def share_strings(source: Path, target: Path) -> None:
    """Copy the workbook ``source`` to ``target`` with its inline strings moved into shared strings.

    Parameters
    ----------
    source
        An .xlsx/.xlsm just saved by openpyxl (text cells as ``t="inlineStr"``).
    target
        Where to write the result; may be ``source`` itself (it is read completely first). It is
        written in place, not atomically: give a temporary path and rename it for an atomic save.

    Notes
    -----
    Why: openpyxl writes text cells as inline strings, which WPS Office and some previewers show
    blank or garbled; Excel writes ``t="s"`` cells indexing ``xl/sharedStrings.xml``.

    What changes:

    - In every ``xl/worksheets/*.xml`` each plain inline-string cell becomes ``t="s"`` with
      ``<v>index</v>``; its other attributes (``r``, ``s``…) stay as they are. Equal texts share one
      index, numbered in first-seen order (sheet1, sheet2, … by number). The XML text is copied as
      written, so spaces, newlines, escapes and formula-like text ("=1+1", still text) are kept exactly.
    - ``<c t="inlineStr"/>`` with no ``<is>`` (openpyxl's empty string, which it reads back as None)
      becomes a blank cell that keeps its style.
    - ``xl/sharedStrings.xml`` is written with its ``[Content_Types].xml`` override and a workbook
      relationship. An existing table is kept and the new texts appended after its entries. A workbook
      without any text gets no table, as Excel writes it.
    - Every other member is copied byte for byte, in the same order; all are ZIP_DEFLATED.

    Left inline (valid, just not shared): rich-text inline strings (``<is><r>…</r></is>``, which
    openpyxl writes only with ``rich_text=True``) and texts containing ``x005F_``, which openpyxl's
    shared-string reader deletes (it would read back a different text).

    The worksheets are parsed with regular expressions that rely on the XML openpyxl writes (UTF-8,
    unprefixed elements); this is meant for files openpyxl has just written, not arbitrary input.
    """
    with zipfile.ZipFile(source) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    contents = {info.filename: data for info, data in members}
    if _WORKBOOK_RELS not in contents or _CONTENT_TYPES not in contents:
        raise ValueError(f"{source} is not a workbook: it lacks {_WORKBOOK_RELS} or {_CONTENT_TYPES}")

    rels = contents[_WORKBOOK_RELS].decode("utf-8")
    sst_part, has_rel = _find_sst_part(rels)
    table = _StringTable(contents.get(sst_part))

    sheets = sorted((name for name in contents if _WORKSHEET.fullmatch(name)), key=_sheet_order)
    changed = {name: table.share_cells(contents[name].decode("utf-8")) for name in sheets}
    references = sum(len(_SHARED_CELL.findall(xml)) for xml in changed.values())

    replaced: dict[str, bytes] = {name: xml.encode("utf-8") for name, xml in changed.items()}
    if not table.is_empty():
        replaced[sst_part] = table.to_xml(references).encode("utf-8")
        content_types = _with_override(contents[_CONTENT_TYPES].decode("utf-8"), sst_part)
        replaced[_CONTENT_TYPES] = content_types.encode("utf-8")
        if not has_rel:
            replaced[_WORKBOOK_RELS] = _with_relationship(rels, sst_part).encode("utf-8")

    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            out.writestr(_deflated(info, info.filename), replaced.pop(info.filename, data))
        if sst_part in replaced:  # a new table: after everything else
            workbook = next(info for info, _ in members if info.filename == _WORKBOOK_RELS)
            out.writestr(_deflated(workbook, sst_part), replaced.pop(sst_part))


class _StringTable:
    """The shared strings: existing ``<si>`` entries kept verbatim, new texts appended."""

    def __init__(self, existing: bytes | None) -> None:
        self.head = f'<sst xmlns="{SHEET_MAIN_NS}">'
        self.tail = "</sst>"
        self.items: list[str] = []
        self.index: dict[str, int] = {}
        self.existed = existing is not None
        if existing is not None:
            self._read(existing.decode("utf-8"))

    def _read(self, xml: str) -> None:
        root = _SST_ROOT.search(xml)
        if root is None:
            raise ValueError("the shared-strings part has no <sst> element")
        self.head = xml[: root.start()] + f"<sst{_COUNT_ATTRS.sub('', root['attrs'])}>"
        if root["empty"]:
            self.tail = "</sst>" + xml[root.end() :]
            return
        body = xml[root.end() :]
        entries = list(_SI.finditer(body))
        for si in entries:
            plain = _PLAIN_SI.fullmatch(si["body"] or "")
            if plain is not None:
                self.index.setdefault(_decode(plain["text"] or ""), len(self.items))
            self.items.append(si[0])
        # Whatever follows the last <si> (an <extLst>, then </sst>) stays after the appended ones.
        self.tail = body[entries[-1].end() :] if entries else body

    def is_empty(self) -> bool:
        return not self.items and not self.existed

    def share_cells(self, worksheet: str) -> str:
        """The worksheet with its plain inline strings turned into shared-string references."""
        return _INLINE_CELL.sub(self._share_cell, worksheet)

    def _share_cell(self, cell: re.Match[str]) -> str:
        head, tail, body = cell["head"], cell["tail"], cell["body"]
        if body is None or not body.strip():  # no <is>: openpyxl's "", read back as None
            return f"<c{head}{tail.rstrip()}/>" if body is None else f"<c{head}{tail}></c>"
        plain = _PLAIN_INLINE.fullmatch(body)
        if plain is None:  # rich text or phonetic runs: leave inline
            return cell[0]
        raw = plain["text"] or ""
        text = _decode(raw)
        if "x005F_" in text:  # openpyxl's shared-string reader would delete it: leave inline
            return cell[0]
        number = self.index.get(text)
        if number is None:
            number = self.index[text] = len(self.items)
            space = ' xml:space="preserve"' if text != text.strip(_XML_SPACE) else ""
            self.items.append(f"<si><t{space}>{raw}</t></si>")
        return f'<c{head} t="s"{tail}><v>{number}</v></c>'

    def to_xml(self, references: int) -> str:
        count = f' count="{references}" uniqueCount="{len(self.items)}"'
        head = self.head if self.existed else _XML_DECLARATION + self.head
        return head[:-1] + count + ">" + "".join(self.items) + self.tail


def _decode(raw: str) -> str:
    """The text an XML parser reads from element content ``raw`` (line ends normalised first)."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _ENTITY.sub(_entity, raw) if "&" in raw else raw


def _entity(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return _NAMED_ENTITIES[name]
    return chr(int(decimal) if decimal is not None else int(hexadecimal, 16))


def _sheet_order(name: str) -> tuple[int, str]:
    number = _SHEET_NUMBER.fullmatch(name)
    return (int(number[1]) if number else 1 << 62, name)


def _attributes(tag: str) -> dict[str, str]:
    return {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(tag)}


def _find_sst_part(rels: str) -> tuple[str, bool]:
    """The shared-strings part the workbook relates to (or the usual name), and whether it does."""
    for tag in _RELATIONSHIP.findall(rels):
        attrs = _attributes(tag)
        if attrs.get("Type") == SST_REL_TYPE and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/"), True
            return posixpath.normpath(posixpath.join("xl", target)), True
    return _DEFAULT_SST, False


def _with_override(content_types: str, part: str) -> str:
    """``[Content_Types].xml`` declaring ``part`` as shared strings (unchanged if it already does)."""
    part_name = "/" + part
    for tag in re.findall(r"<Override\b[^>]*>", content_types):
        if _attributes(tag).get("PartName", "").lower() == part_name.lower():
            return content_types
    override = f'<Override PartName="{part_name}" ContentType="{SST_CONTENT_TYPE}"/>'
    return _append_child(content_types, "Types", override)


def _with_relationship(rels: str, part: str) -> str:
    """The workbook's relationships plus one to ``part`` under a fresh ``rIdN``."""
    ids = {_attributes(tag).get("Id", "") for tag in _RELATIONSHIP.findall(rels)}
    numbers = [int(m[1]) for i in ids if (m := re.fullmatch(r"rId(\d+)", i))]
    fresh = max(numbers, default=0) + 1
    while f"rId{fresh}" in ids:
        fresh += 1
    target = posixpath.relpath(part, "xl")
    relationship = f'<Relationship Id="rId{fresh}" Type="{SST_REL_TYPE}" Target="{target}"/>'
    return _append_child(rels, "Relationships", relationship)


def _append_child(xml: str, root: str, child: str) -> str:
    """``xml`` with ``child`` added as the last child of its root element ``root``."""
    close = xml.rfind(f"</{root}>")
    if close >= 0:
        return xml[:close] + child + xml[close:]
    empty = re.search(rf"<{root}\b[^>]*?(/)>", xml)
    if empty is None:
        raise ValueError(f"no <{root}> element in {xml[:80]!r}")
    return xml[: empty.start(1)] + ">" + child + f"</{root}>" + xml[empty.end() :]


def _deflated(info: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    """A fresh header for ``name`` with ``info``'s time and attributes, compressed with deflate."""
    header = zipfile.ZipInfo(name, date_time=info.date_time)
    header.compress_type = zipfile.ZIP_DEFLATED
    header.create_system = info.create_system
    header.external_attr = info.external_attr
    return header
