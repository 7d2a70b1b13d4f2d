"""A stand-in for an Excel workbook driven through xlwings, for Linux where Excel is absent.

It behaves as xlwings 0.37 does where the live adapter depends on it: ``.value`` of one cell is
a scalar, of a single row or column a flat list (unless ``options(ndim=2)``), of a block a list
of rows; numbers come back as floats and empty cells as None; text written with a leading
apostrophe is stored as text. It counts range reads and writes, so tests can prove that the
adapter moves whole blocks.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries


@dataclass
class Calls:
    reads: int = 0
    writes: int = 0


#: Excel's row height in points when a row has none of its own (Calibri 11).
DEFAULT_ROW_HEIGHT = 15.0


class Range:
    def __init__(self, sheet: Sheet, first: tuple[int, int], last: tuple[int, int], ndim: int | None = None):
        self.sheet, self.first, self.last, self.ndim = sheet, first, last, ndim

    def options(self, ndim: int | None = None) -> Range:
        return Range(self.sheet, self.first, self.last, ndim)

    def _cells(self) -> list[list[tuple[int, int]]]:
        (r1, c1), (r2, c2) = self.first, self.last
        return [[(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    @property
    def value(self) -> Any:
        self.sheet.book.calls.reads += 1
        rows = [[self.sheet.get(cell) for cell in line] for line in self._cells()]
        if self.ndim == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        if len(rows) == 1 or all(len(line) == 1 for line in rows):
            return [value for line in rows for value in line]
        return rows

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.book.calls.writes += 1
        if not isinstance(data, list):
            rows = [[data]]
        else:  # a flat list is one row, as in xlwings
            rows = data if data and isinstance(data[0], list) else [data]
        r1, c1 = self.first
        for i, line in enumerate(rows):
            for j, value in enumerate(line):
                self.sheet.set((r1 + i, c1 + j), value)

    @property
    def number_format(self) -> str | None:
        return self.sheet.formats.get(self._cells()[0][0])

    @number_format.setter
    def number_format(self, code: str) -> None:  # xlwings: one call sets the whole range
        self.sheet.book.calls.writes += 1
        for line in self._cells():
            for cell in line:
                self.sheet.formats[cell] = code

    @property
    def row_height(self) -> float | None:  # xlwings: None when the rows differ
        rows = range(self.first[0], self.last[0] + 1)
        heights = {self.sheet.heights.get(r, DEFAULT_ROW_HEIGHT) for r in rows}
        return heights.pop() if len(heights) == 1 else None

    @row_height.setter
    def row_height(self, points: float) -> None:
        self.sheet.book.calls.writes += 1
        for r in range(self.first[0], self.last[0] + 1):
            self.sheet.heights[r] = points

    def clear_contents(self) -> None:
        self.sheet.book.calls.writes += 1
        for line in self._cells():
            for cell in line:
                self.sheet.cells.pop(cell, None)

    def copy(self, destination: Range | None = None) -> None:
        assert destination is None, "the adapter copies to the clipboard"
        self.sheet.book.app.clipboard = [
            [self.sheet.formats.get(cell) for cell in line] for line in self._cells()
        ]

    def paste(self, paste: str | None = None) -> None:
        assert paste == "formats"
        source = self.sheet.book.app.clipboard
        for i, line in enumerate(self._cells()):  # Excel repeats a smaller source over the target
            for j, cell in enumerate(line):
                self.sheet.formats[cell] = source[i % len(source)][j % len(source[0])]


@dataclass
class Series:
    Formula: str  # Excel's own name: =SERIES(name,categories,values,order)


@dataclass
class ChartTitle:
    Text: str


class ChartApi:
    """The Excel object-model members of a chart the adapter uses."""

    def __init__(self, series: list[Series], title: str | None) -> None:
        self.series = series
        self.HasTitle = title is not None
        self.ChartTitle = ChartTitle(title or "")

    def SeriesCollection(self, index: int | None = None) -> Any:  # Excel's own name, 1-based
        if index is None:
            return type("Collection", (), {"Count": len(self.series)})()
        return self.series[index - 1]


class Chart:
    def __init__(self, series: list[Series], title: str | None) -> None:
        self.api = (None, ChartApi(series, title))  # xlwings on Windows: (ChartObject, Chart)


class Sheet:
    def __init__(self, book: Book, name: str) -> None:
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], Any] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.charts: list[Chart] = []
        self.heights: dict[int, float] = {}

    def activate(self) -> None:
        self.book.active = self.name

    def get(self, cell: tuple[int, int]) -> Any:
        value = self.cells.get(cell)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        return float(value)  # Excel keeps every number as a double

    def set(self, cell: tuple[int, int], value: Any) -> None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            raise TypeError("xlwings on Windows wants datetimes")
        if isinstance(value, str) and value.startswith("'"):
            value = value[1:]  # Excel's text prefix: the apostrophe is not part of the value
        if value is None or value == "":
            self.cells.pop(cell, None)
        else:
            self.cells[cell] = value

    def range(self, first: tuple[int, int] | str, last: tuple[int, int] | None = None) -> Range | Areas:
        if isinstance(first, str) and "," in first:  # several areas, as Excel's Range("A1,B2:B3")
            assert len(first) <= 255, "Excel refuses longer address texts"
            return Areas([self.range(part) for part in first.split(",")], self.book)
        if isinstance(first, str):
            c1, r1, c2, r2 = range_boundaries(first)
            return Range(self, (r1, c1), (r2, c2))
        return Range(self, first, last or first)


class Areas:
    """Several ranges addressed at once; only formats are set through them."""

    def __init__(self, parts: list[Range], book: Book) -> None:
        self.parts, self.book = parts, book

    @property
    def number_format(self) -> str | None:
        return self.parts[0].number_format

    @number_format.setter
    def number_format(self, code: str) -> None:
        for part in self.parts:
            part.number_format = code
        self.book.calls.writes -= len(self.parts) - 1  # one call for all the areas


class Sheets:
    def __init__(self, sheets: list[Sheet]) -> None:
        self._sheets = sheets

    def __getitem__(self, key: str | int) -> Sheet:
        if isinstance(key, int):
            return self._sheets[key]
        return next(s for s in self._sheets if s.name == key)

    def __iter__(self):
        return iter(self._sheets)

    def __len__(self) -> int:
        return len(self._sheets)


@dataclass
class Name:
    name: str
    refers_to: str


class Names:
    def __init__(self) -> None:
        self.refers_to: dict[str, str] = {}

    def add(self, name: str, refers_to: str) -> None:
        self.refers_to[name] = refers_to

    def contains(self, name: str) -> bool:  # xlwings' Names.contains: Excel's names ignore case
        return name.lower() in {n.lower() for n in self.refers_to}

    def __call__(self, name: str) -> Name:
        found = next(n for n in self.refers_to if n.lower() == name.lower())
        return Name(found, self.refers_to[found])

    def __iter__(self):
        return iter([Name(n, r) for n, r in self.refers_to.items()])


@dataclass
class Api:
    """The few Excel object-model members the macros use (``app.api``)."""

    Name: str = "Microsoft Excel"
    save_as: str | bool = False  # what the Save As dialog returns: a path, or False for Cancel
    open_files: tuple[str, ...] | bool = False  # what the Open dialog returns (multi-select)
    typed: str | bool = False  # what the input box returns: the text typed, or False for Cancel
    dialogs: list[dict[str, Any]] = field(default_factory=list)

    # Excel's own names and arguments. Through COM every argument is best passed by name: one
    # left out but passed positionally as None reaches Excel as VT_NULL, which it rejects.
    def GetSaveAsFilename(self, *args: Any, **named: Any) -> str | bool:
        self.dialogs.append(_named("GetSaveAsFilename", args, named))
        return self.save_as

    def GetOpenFilename(self, *args: Any, **named: Any) -> tuple[str, ...] | bool:
        self.dialogs.append(_named("GetOpenFilename", args, named))
        return self.open_files

    def InputBox(self, *args: Any, **named: Any) -> str | bool:  # Application.InputBox
        self.dialogs.append(_named("InputBox", args, named))
        return self.typed


#: The parameters of Excel's dialogs, in their order (Application.GetSaveAsFilename, GetOpenFilename,
#: InputBox).
DIALOG_PARAMETERS = {
    "GetSaveAsFilename": ("InitialFileName", "FileFilter", "FilterIndex", "Title", "ButtonText"),
    "GetOpenFilename": ("FileFilter", "FilterIndex", "Title", "ButtonText", "MultiSelect"),
    "InputBox": ("Prompt", "Title", "Default", "Left", "Top", "HelpFile", "HelpContextID", "Type"),
}


def _named(method: str, args: tuple[Any, ...], named: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments by name; None passed for any of them is what Excel refuses."""
    parameters = DIALOG_PARAMETERS[method]
    assert not set(named) - set(parameters), f"{method} has no {set(named) - set(parameters)}"
    given = {**dict(zip(parameters[: len(args)], args, strict=True)), **named}
    assert None not in given.values(), f"{method}: None becomes VT_NULL, which Excel refuses"
    return given


class App:
    def __init__(self) -> None:
        self.api = Api()
        self.screen_updating = True
        self.calculation = "automatic"
        self.cut_copy_mode: bool | str = False
        self.clipboard: list[list[Any]] = []
        self.alerts: list[dict[str, Any]] = []
        self.answer = "no"  # what the user clicks in a box that asks Yes or No

    def alert(
        self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None
    ) -> str:
        """xlwings' App.alert: the button clicked, "ok" in a box of one button."""
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode, "buttons": buttons})
        return "ok" if buttons == "ok" else self.answer


@dataclass
class CustomXMLPart:
    """A custom XML part as Excel's object model shows it."""

    XML: str
    parts: list[CustomXMLPart]

    @property
    def NamespaceURI(self) -> str:  # Excel's own name
        return etree.QName(etree.fromstring(self.XML.encode())).namespace or ""

    def Delete(self) -> None:  # Excel's own name
        self.parts.remove(self)


class CustomXMLParts:
    """``Workbook.CustomXMLParts``: Excel keeps them with the file."""

    def __init__(self) -> None:
        self.parts: list[CustomXMLPart] = []

    def Add(self, xml: str) -> CustomXMLPart:  # Excel's own name
        self.parts.append(CustomXMLPart(xml, self.parts))
        return self.parts[-1]

    def SelectByNamespace(self, uri: str) -> list[CustomXMLPart]:  # Excel's own name
        return [part for part in self.parts if part.NamespaceURI == uri]


@dataclass
class BookApi:
    """The Excel object-model members of a workbook the adapter uses (``book.api``)."""

    CustomXMLParts: CustomXMLParts = field(default_factory=CustomXMLParts)


class Book:
    def __init__(self, fullname: Path, sheet_names: list[str]) -> None:
        self.fullname = str(fullname)
        self.api = BookApi()
        self.app = App()
        self.calls = Calls()
        self.names = Names()
        self.sheets = Sheets([Sheet(self, name) for name in sheet_names])
        self.active = sheet_names[0] if sheet_names else ""  # the sheet in front


def load(path: Path) -> Book:
    """A stand-in holding what Excel would show for the workbook at ``path`` (formulas as text)."""
    workbook = load_workbook(path, keep_vba=path.suffix == ".xlsm")
    book = Book(path, workbook.sheetnames)
    with zipfile.ZipFile(path) as archive:  # Excel loads a file's custom XML parts with it
        for name in archive.namelist():
            if re.fullmatch(r"customXml/item\d+\.xml", name):
                book.api.CustomXMLParts.Add(archive.read(name).decode("utf-8"))
    for name, defined in workbook.defined_names.items():
        book.names.add(name, "=" + defined.attr_text)
    for sheet_name, charts in _charts(path).items():
        book.sheets[sheet_name].charts = charts
    for ws in workbook.worksheets:
        sheet = book.sheets[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    sheet.cells[(cell.row, cell.column)] = cell.value
                if cell.has_style:
                    sheet.formats[(cell.row, cell.column)] = cell.number_format
    return book


_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _related(archive: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    folder, name = part.rsplit("/", 1)
    rels = f"{folder}/_rels/{name}.rels"
    if rels not in archive.namelist():
        return []
    return [_join(folder, r.get("Target")) for r in etree.fromstring(archive.read(rels))
            if r.get("Type").endswith("/" + kind)]  # fmt: skip


def _join(folder: str, target: str) -> str:
    parts = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def _charts(path: Path) -> dict[str, list[Chart]]:
    """Each sheet's charts as Excel shows them to scripts: SERIES formulas and the title."""
    found: dict[str, list[Chart]] = {}
    with zipfile.ZipFile(path) as archive:
        workbook = etree.fromstring(archive.read("xl/workbook.xml"))
        targets = {r.get("Id"): _join("xl", r.get("Target")) for r in
                   etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))}  # fmt: skip
        for sheet in workbook.iter("{*}sheet"):
            for drawing in _related(archive, targets[sheet.get(_REL)], "drawing"):
                for part in _related(archive, drawing, "chart"):
                    root = etree.fromstring(archive.read(part))
                    series = []
                    for n, ser in enumerate(root.iter(f"{_CHART}ser"), 1):
                        name = ser.findtext(f"{_CHART}tx/{_CHART}v") or ""
                        cat, val = (  # a scatter's x and y values stand where categories and values do
                            ser.findtext(f"{_CHART}{k}/*/{_CHART}f")
                            or ser.findtext(f"{_CHART}{x}/*/{_CHART}f")
                            or ""
                            for k, x in (("cat", "xVal"), ("val", "yVal"))
                        )
                        series.append(Series(f'=SERIES("{name}",{cat},{val},{n})'))
                    title = root.find(f"{_CHART}chart/{_CHART}title")
                    text = None if title is None else "".join(title.itertext())
                    found.setdefault(sheet.get("name"), []).append(Chart(series, text))
    return found
