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
    """The entries' texts, read once; the part's tree is built again only to append to it (as a tree
    the table takes about ten times its bytes)."""

    def __init__(self, data: bytes | None) -> None:
        self._data = data
        items = parse(data).iterfind(_SI) if data is not None else ()
        self.texts: list[str] = []
        self._index: dict[str, int] = {}
        for number, si in enumerate(items):
            text = item_text(si)
            self.texts.append(text)
            if si.find(_T) is not None:  # only a plain entry can stand for a plain text
                self._index.setdefault(text, number)
        self._first_new = len(self.texts)
        self._saved: tuple[int, bytes] | None = None  # ``to_bytes`` of that many texts

    @property
    def appended(self) -> bool:
        return len(self.texts) > self._first_new

    def plain_index(self, text: str) -> int | None:
        """The number of the first plain entry holding ``text`` (None if there is none)."""
        return self._index.get(text)

    def index(self, text: str) -> int:
        """The number of an entry holding ``text``, appended if there is none."""
        number = self._index.get(text)
        if number is None:
            number = self._index[text] = len(self.texts)
            self.texts.append(text)
        return number

    def to_bytes(self) -> bytes:
        """The part's bytes (made once per text appended: a save first asks whether anything changed)."""
        if self._saved is None or self._saved[0] != len(self.texts):
            self._saved = len(self.texts), self._to_bytes()
        return self._saved[1]

    def _to_bytes(self) -> bytes:
        root = (
            parse(self._data) if self._data is not None else etree.Element(main("sst"), nsmap={None: MAIN_NS})
        )
        extension = root.find(main("extLst"))
        for text in self.texts[self._first_new :]:
            si = etree.Element(_SI)
            if extension is not None:
                extension.addprevious(si)
            else:
                root.append(si)
            t = etree.SubElement(si, _T)
            t.text = text
            if text != text.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        root.attrib.pop("count", None)  # optional, and no longer known without counting every sheet
        root.set("uniqueCount", str(len(self.texts)))
        return serialise(root)
