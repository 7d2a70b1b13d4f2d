"""dyplan's own data inside a workbook, as a custom XML part (the way add-ins keep data in a file).

Excel keeps custom XML parts through its own saves (``Workbook.CustomXMLParts``); a program that
drops them only makes dyplan forget what it last wrote, never lose a cell.
"""

from __future__ import annotations

import posixpath
import uuid

from lxml import etree

from dyplan.files.package import Package
from dyplan.files.relationships import edit_content_types, relate, target
from dyplan.files.xml import CONTENT_TYPES_NS, PACKAGE_REL_NS, REL_NS, parse, serialise

_CUSTOM_XML = f"{REL_NS}/customXml"
_CUSTOM_XML_PROPS = f"{REL_NS}/customXmlProps"
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DATASTORE_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def find_part(package: Package, relationships: list[tuple[str, etree._Element]], root_tag: str) -> str | None:
    """The custom XML part whose root element is ``root_tag``, related from any of ``relationships``
    ((source part, its relationships): Excel relates them from the workbook, LibreOffice from the root)."""
    for source, rels in relationships:
        for rel in rels:
            if rel.get("Type") == _CUSTOM_XML and rel.get("TargetMode") != "External":
                part = target(source, rel.get("Target", ""))
                if package.has(part) and etree.QName(parse(package.read(part))).text == root_tag:
                    return part
    return None


def add_part(package: Package, workbook_part: str, rels: etree._Element, data: bytes) -> str:
    """A new custom XML part holding ``data``, with its properties part and relationships.

    ``rels`` (the workbook's relationships) gains the link; the caller saves it.
    """
    taken = set(package.names())
    number = next(n for n in range(1, len(taken) + 2) if f"customXml/item{n}.xml" not in taken)
    item, props = f"customXml/item{number}.xml", f"customXml/itemProps{number}.xml"
    package.replace(item, data)
    store = etree.Element(f"{{{_DATASTORE_NS}}}datastoreItem", nsmap={"ds": _DATASTORE_NS})
    store.set(f"{{{_DATASTORE_NS}}}itemID", "{" + str(uuid.uuid4()).upper() + "}")
    etree.SubElement(store, f"{{{_DATASTORE_NS}}}schemaRefs")
    package.replace(props, serialise(store))
    item_rels = etree.Element(f"{{{PACKAGE_REL_NS}}}Relationships", nsmap={None: PACKAGE_REL_NS})
    etree.SubElement(item_rels, f"{{{PACKAGE_REL_NS}}}Relationship", Id="rId1", Type=_CUSTOM_XML_PROPS,
                     Target=posixpath.basename(props))  # fmt: skip
    package.replace(f"customXml/_rels/item{number}.xml.rels", serialise(item_rels))
    relate(rels, workbook_part, _CUSTOM_XML, item)

    def declare(types: etree._Element) -> None:
        override = f"{{{CONTENT_TYPES_NS}}}Override"
        etree.SubElement(types, override, PartName="/" + props, ContentType=_PROPS_TYPE)
        defaults = types.iterfind(f"{{{CONTENT_TYPES_NS}}}Default")
        if not any(d.get("Extension", "").lower() == "xml" for d in defaults):
            etree.SubElement(types, override, PartName="/" + item, ContentType="application/xml")

    edit_content_types(package, declare)
    return item
