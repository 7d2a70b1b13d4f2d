"""Relationships and content types of a package: where a relationship points, and adding one."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from lxml import etree

from dyplan.files.package import Package
from dyplan.files.xml import PACKAGE_REL_NS, parse, serialise

CONTENT_TYPES = "[Content_Types].xml"


def target(source: str, relative: str) -> str:
    """The part a relationship of ``source`` points to (its Target made a package path)."""
    if relative.startswith("/"):
        return relative.lstrip("/")
    part = posixpath.normpath(posixpath.join(posixpath.dirname(source), relative))
    while part.startswith("../"):  # LibreOffice relates its custom XML from the root as "../customXml/…"
        part = part[3:]
    return part


def relate(rels: etree._Element, source: str, kind: str, part: str) -> None:
    """Add a relationship of ``kind`` from ``source`` to ``part`` under a fresh id."""
    ids = {r.get("Id") for r in rels}
    fresh = next(f"rId{n}" for n in range(1, len(ids) + 2) if f"rId{n}" not in ids)
    etree.SubElement(rels, f"{{{PACKAGE_REL_NS}}}Relationship", Id=fresh, Type=kind,
                     Target=posixpath.relpath(part, posixpath.dirname(source) or "."))  # fmt: skip


def edit_content_types(package: Package, edit: Callable[[etree._Element], object]) -> None:
    types = parse(package.read(CONTENT_TYPES))
    edit(types)
    package.replace(CONTENT_TYPES, serialise(types))
