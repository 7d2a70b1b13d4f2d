"""Parsing package XML safely: no entity expansion, no DTDs, no network, no huge trees."""

from __future__ import annotations

from lxml import etree

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_blank_text=False)  # fmt: skip


def parse(data: bytes) -> etree._Element:
    """The root element of a part; a DOCTYPE (entity tricks) is refused outright."""
    root = etree.fromstring(data, _PARSER)
    if root.getroottree().docinfo.doctype:
        raise ValueError("XML with a DOCTYPE is not accepted in a workbook")
    return root


def parse_piece(data: bytes) -> etree._Element:
    """A piece cut from a part that ``parse`` accepted (no DOCTYPE can be in it), parsed the same way."""
    return etree.fromstring(data, _PARSER)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def main(tag: str) -> str:
    """A SpreadsheetML element name in Clark notation."""
    return f"{{{MAIN_NS}}}{tag}"
