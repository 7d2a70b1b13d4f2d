"""A workbook package: its sheets by name, its defined names, and a save that touches only what changed.

A save writes the worksheets whose cells changed, the shared strings when texts were appended, and
``xl/workbook.xml`` when a defined name changed. Whenever cells change it also drops the calculation
chain (Excel rebuilds it; a stale one makes Excel report the file damaged) and asks every client to
recalculate on open, so the user's own formulas over dyplan's cells show fresh values. Every other
part keeps its bytes.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from lxml import etree

from dyplan.files.chart import TableRows, redraw
from dyplan.files.custom_xml import add_part, find_part
from dyplan.files.package import Package
from dyplan.files.relationships import edit_content_types, relate, target
from dyplan.files.strings import SharedStrings
from dyplan.files.styles import Styles
from dyplan.files.worksheet import Worksheet
from dyplan.files.xml import CONTENT_TYPES_NS, REL_NS, main, parse, serialise

_OFFICE_DOCUMENT = f"{REL_NS}/officeDocument"
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_SHARED_STRINGS = f"{REL_NS}/sharedStrings"
_CALC_CHAIN = f"{REL_NS}/calcChain"
_STYLES = f"{REL_NS}/styles"
_DRAWING = f"{REL_NS}/drawing"
_CHART = f"{REL_NS}/chart"
_SST_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def quoted_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


class WorkbookPackage:
    """A workbook file opened part by part: its sheets, names, strings, formats and custom XML."""

    def __init__(self, path: Path) -> None:
        self.package = Package(path)
        root_rels = parse(self.package.read("_rels/.rels"))
        main_part = next(
            target("", r.get("Target", ""))
            for r in root_rels
            if r.get("Type") in (_OFFICE_DOCUMENT, _STRICT_OFFICE_DOCUMENT)
        )
        self.part = main_part
        self.workbook = parse(self.package.read(main_part))
        self.rels_part = _rels_name(main_part)
        self.rels = parse(self.package.read(self.rels_part))
        targets = {r.get("Id"): r for r in self.rels}
        self.sheet_parts: dict[str, str] = {}
        for sheet in self.workbook.iterfind(f"{main('sheets')}/{main('sheet')}"):
            rel = targets.get(sheet.get(f"{{{REL_NS}}}id"))
            if rel is not None:
                self.sheet_parts[sheet.get("name", "")] = target(main_part, rel.get("Target", ""))
        self.sheet_ids = [
            s.get("name", "") for s in self.workbook.iterfind(f"{main('sheets')}/{main('sheet')}")
        ]
        sst = next((r for r in self.rels if r.get("Type") == _SHARED_STRINGS), None)
        self.sst_part = target(main_part, sst.get("Target", "")) if sst is not None else None
        has_sst = self.sst_part and self.package.has(self.sst_part)
        data = self.package.read_once(self.sst_part) if has_sst else None  # type: ignore[arg-type]
        self.strings = SharedStrings(data)
        self.sheets: dict[str, Worksheet] = {}
        self.names_changed = False
        styles = next((r for r in self.rels if r.get("Type") == _STYLES), None)
        self.styles_part = target(main_part, styles.get("Target", "")) if styles is not None else None
        self._styles: Styles | None = None

    @property
    def styles(self) -> Styles:
        if self._styles is None:
            if self.styles_part is None:
                raise ValueError("the workbook has no styles part")
            self._styles = Styles(self.package.read(self.styles_part))
        return self._styles

    def sheet_names(self) -> list[str]:
        return list(self.sheet_ids)

    # ---------------------------------------------------------------- custom XML

    def custom_xml(self, root_tag: str) -> bytes | None:
        """The custom XML part whose root element is ``root_tag``, if the workbook has one."""
        part = find_part(self.package, self._custom_xml_sources(), root_tag)
        return None if part is None else self.package.read(part)

    def set_custom_xml(self, root_tag: str, data: bytes) -> None:
        """Keep ``data`` as the custom XML part of that root element (added if new)."""
        part = find_part(self.package, self._custom_xml_sources(), root_tag)
        if part is None:
            add_part(self.package, self.part, self.rels, data)
            self.package.replace(self.rels_part, serialise(self.rels))
        else:
            self.package.replace(part, data)

    def sheet(self, name: str) -> Worksheet:
        if name not in self.sheets:
            self.sheets[name] = Worksheet(self.package.read_once(self.sheet_parts[name]), self.strings, name)
        return self.sheets[name]

    # ---------------------------------------------------------------- charts

    def _related(self, part: str, kind: str) -> list[str]:
        """The parts that ``part`` relates to by relationships of ``kind``."""
        rels = _rels_name(part)
        if not self.package.has(rels):
            return []
        relations = parse(self.package.read(rels))
        return [target(part, r.get("Target", "")) for r in relations if r.get("Type") == kind]

    def redraw_charts(self, rows: TableRows, title: str) -> None:
        """The charts on ``rows.sheet`` that draw from those rows' columns run over all of them now."""
        sheet = self.sheet(rows.sheet)
        for drawing in self._related(self.sheet_parts[rows.sheet], _DRAWING):
            for chart in self._related(drawing, _CHART):
                self.package.replace(chart, redraw(self.package.read(chart), rows, title, sheet.value))

    def _custom_xml_sources(self) -> list[tuple[str, etree._Element]]:
        return [(self.part, self.rels), ("", parse(self.package.read("_rels/.rels")))]

    # ---------------------------------------------------------------- defined names

    def _names(self) -> etree._Element:
        names = self.workbook.find(main("definedNames"))
        if names is None:
            names = etree.Element(main("definedNames"))
            self._after("sheets", "functionGroups", "externalReferences").addnext(names)
        return names

    def _after(self, *tags: str) -> etree._Element:
        """The last present of these workbook children: the schema puts the next one after it."""
        return [child for child in self.workbook if etree.QName(child).localname in tags][-1]

    def defined_names(self) -> dict[str, str]:
        """Workbook-scope defined names and what they refer to (``'输入'!$C$5``)."""
        names = self.workbook.find(main("definedNames"))
        return {
            n.get("name", ""): (n.text or "")
            for n in (names if names is not None else ())
            if n.get("localSheetId") is None
        }

    def define_name(self, name: str, refers_to: str) -> None:
        names = self._names()
        element = next((n for n in names if n.get("name") == name and n.get("localSheetId") is None), None)
        if element is None:
            element = etree.SubElement(names, main("definedName"), name=name)
        if element.text != refers_to:
            element.text = refers_to
            self.names_changed = True

    # ---------------------------------------------------------------- saving

    def changed(self) -> bool:
        """Whether saving would change any byte of the file."""
        self._stage()
        return bool(self.package.changed())

    def save(self, target: Path) -> None:
        self._stage()
        self.package.save(target)

    def _stage(self) -> None:
        """Hand every edited part to the package (idempotent; parts whose bytes end equal drop out)."""
        cells_changed = False
        for name, sheet in self.sheets.items():
            if sheet.changed:
                part = self.sheet_parts[name]
                self.package.replace(part, sheet.to_bytes())
                cells_changed |= part in self.package.changed()
        workbook_changed = self.names_changed
        if self.strings.appended:
            if self.sst_part is None:
                self.sst_part = self._add_shared_strings()
            self.package.replace(self.sst_part, self.strings.to_bytes())
        if self._styles is not None and self._styles.appended and self.styles_part:
            self.package.replace(self.styles_part, self._styles.to_bytes())
        if cells_changed:
            workbook_changed |= self._recalculate_on_open()
            self._drop_calc_chain()
        if workbook_changed:
            self.package.replace(self.part, serialise(self.workbook))

    def _recalculate_on_open(self) -> bool:
        calc = self.workbook.find(main("calcPr"))
        if calc is None:
            calc = etree.Element(main("calcPr"))
            self._after("sheets", "functionGroups", "externalReferences", "definedNames").addnext(calc)
        if calc.get("fullCalcOnLoad") in ("1", "true"):
            return False
        calc.set("fullCalcOnLoad", "1")
        return True

    def _drop_calc_chain(self) -> None:
        for rel in [r for r in self.rels if r.get("Type") == _CALC_CHAIN]:
            part = target(self.part, rel.get("Target", ""))
            self.rels.remove(rel)
            self.package.remove(part)
            edit_content_types(self.package, lambda types, p=part: [
                types.remove(o) for o in list(types) if o.get("PartName", "").lstrip("/") == p
            ])  # fmt: skip
            self.package.replace(self.rels_part, serialise(self.rels))

    def _add_shared_strings(self) -> str:
        part = posixpath.join(posixpath.dirname(self.part), "sharedStrings.xml")
        relate(self.rels, self.part, _SHARED_STRINGS, part)
        self.package.replace(self.rels_part, serialise(self.rels))
        edit_content_types(self.package, lambda types: etree.SubElement(
            types, f"{{{CONTENT_TYPES_NS}}}Override", PartName="/" + part, ContentType=_SST_CONTENT_TYPE
        ))  # fmt: skip
        return part
