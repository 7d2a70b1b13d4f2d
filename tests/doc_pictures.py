"""Render the demo's finished plan to pictures of its main sheets for docs/images/.

Run from the project root: python -m tests.doc_pictures
(needs LibreOffice, poppler and a CJK font, as .ci/run installs them)
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from dyplan import operations
from dyplan.book import contract as c
from dyplan.demo import demo_inputs
from tests import realclient

OUT = Path(__file__).parents[1] / "docs" / "images"
SHEETS = (c.COVER, c.PHASES, c.CHANNELS, c.CALENDAR, c.CHECKPOINTS, c.RISK)


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
        workbook, finished = work / "规划.xlsx", work / "方案.xlsx"
        operations.new_workbook(workbook, demo_inputs())
        operations.regenerate_file(workbook)
        operations.export_file(workbook, finished)
        pdf = realclient.render_pdf(finished, work / "pdf")
        for name, page in first_page_of_each_sheet(pdf).items():
            target = OUT / f"{name.lower().replace(' ', '-')}"
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                            "-singlefile", str(pdf), str(target)], check=True)  # fmt: skip
            print(f"{target}.png")


if __name__ == "__main__":
    main()
