"""Render the demo's finished plan to pictures of its main sheets for docs/images/.

Run from the project root: python -m tests.doc_pictures
(needs LibreOffice, poppler and a CJK font, as .ci/run installs them). Beside the pictures it keeps
the fingerprint of the sheets they show (``FINGERPRINT``), so a test notices when they are stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import tempfile
from pathlib import Path

from dyplan import operations
from dyplan.book import contract as c
from dyplan.demo import demo_inputs
from dyplan.files.workbook_package import WorkbookPackage
from tests import realclient

OUT = Path(__file__).parents[1] / "docs" / "images"
FINGERPRINT = OUT / "fingerprint.txt"
SHEETS = (c.COVER, c.PHASES, c.CHANNELS, c.CALENDAR, c.CHECKPOINTS, c.RISK)
#: The day the pictured plan is made on (it shows on the cover).
TODAY = dt.date(2027, 1, 1)


def finished_demo(work: Path) -> Path:
    """The demo's finished plan, as the pictures show it."""
    workbook, finished = work / "规划.xlsx", work / "方案.xlsx"
    operations.new_workbook(workbook, demo_inputs())
    operations.regenerate_file(workbook, TODAY)
    operations.export_file(workbook, finished, TODAY)
    return finished


def fingerprint(finished: Path) -> str:
    """A digest of what the pictures show: the pictured sheets' cells, their styles and texts."""
    book = WorkbookPackage(finished)
    parts = [*(book.sheet_parts[sheet.name] for sheet in SHEETS), book.styles_part, book.sst_part]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(book.package.read(part))
    return digest.hexdigest()


def first_page_of_each_sheet(pdf: Path) -> dict[str, int]:
    """1-based page numbers, found by the footer that names each sheet."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    pages: dict[str, int] = {}
    for number, page in enumerate(text.split("\f"), start=1):
        for sheet in SHEETS:
            if f"{sheet.name} {sheet.en}" in page:
                pages.setdefault(sheet.en, number)
    return pages


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        finished = finished_demo(work)
        pdf = realclient.render_pdf(finished, work / "pdf")
        for name, page in first_page_of_each_sheet(pdf).items():
            target = OUT / f"{name.lower().replace(' ', '-')}"
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                            "-singlefile", str(pdf), str(target)], check=True)  # fmt: skip
            print(f"{target}.png")
        FINGERPRINT.write_text(fingerprint(finished) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
