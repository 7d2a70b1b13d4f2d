"""The shared-string table: read every entry; new texts are appended, existing ones never renumbered."""

from __future__ import annotations

from lxml import etree

from dyplan.files.xml import MAIN_NS, main, parse, serialise

_T, _R, _SI = main("t"), main("r"), main("si")


def item_text(item: etree._Element) -> str:
    """The text of an ``<si>`` (or ``<is>``): its ``<t>``, or its runs' ``<t>``s; phonetic runs left out."""
    direct = item.find(_T)
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for r in item.iterfind(_R) for t in r.iterfind(_T))


class SharedStrings:
    def __init__(self, data: bytes | None) -> None:
        self.root = parse(data) if data is not None else etree.Element(main("sst"), nsmap={None: MAIN_NS})
        self.texts = [item_text(si) for si in self.root.iterfind(_SI)]
        self._index: dict[str, int] = {}
        for number, (text, si) in enumerate(zip(self.texts, self.root.iterfind(_SI), strict=True)):
            if si.find(_T) is not None:  # only a plain entry can stand for a plain text
                self._index.setdefault(text, number)
        self.appended = False

    def index(self, text: str) -> int:
        """The number of an entry holding ``text``, appended if there is none."""
        number = self._index.get(text)
        if number is None:
            number = self._index[text] = len(self.texts)
            self.texts.append(text)
            si = etree.Element(_SI)
            extension = self.root.find(main("extLst"))
            if extension is not None:
                extension.addprevious(si)
            else:
                self.root.append(si)
            t = etree.SubElement(si, _T)
            t.text = text
            if text != text.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            self.appended = True
        return number

    def to_bytes(self) -> bytes:
        self.root.attrib.pop("count", None)  # optional, and no longer known without counting every sheet
        self.root.set("uniqueCount", str(len(self.texts)))
        return serialise(self.root)
