"""Render the demo to pictures for docs/images/: the finished plan's main sheets (two scenarios compared
and a baseline frozen among them), and the planning workbook as users see it after regenerate.

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
from dyplan.book.xlsx_file import editing
from dyplan.demo import demo_inputs
from dyplan.files.workbook_package import WorkbookPackage
from tests import realclient

OUT = Path(__file__).parents[1] / "docs" / "images"
FINGERPRINT = OUT / "fingerprint.txt"
#: The finished plan's pictured sheets: docs/images/<sheet in English>.png
SHEETS = (c.COVER, c.PHASES, c.CHANNELS, c.CALENDAR, c.CHECKPOINTS, c.RISK, c.OPTIMISE, c.SETTINGS,
          c.SCENARIO_COMPARE, c.BASELINE)  # fmt: skip
#: The planning workbook's, after regenerate: docs/images/workbook-<sheet in English>.png
WORKBOOK_SHEETS = (c.INPUTS, c.PHASES)
WORKBOOK_PREFIX = "workbook-"
#: The day the pictured plan is made on (it shows on the cover).
TODAY = dt.date(2027, 1, 1)


def demo_files(work: Path) -> tuple[Path, Path]:
    """The demo's planning workbook after regenerate, and its finished plan, as the pictures show them."""
    workbook, finished = work / "规划.xlsx", work / "方案.xlsx"
    operations.new_workbook(workbook, demo_inputs())
    operations.regenerate_file(workbook, TODAY)
    _versions(workbook)
    operations.export_file(workbook, finished, TODAY)
    return workbook, finished


def _versions(workbook: Path) -> None:
    """The demo kept as a scenario, and one with a higher target saved and set beside the demo's inputs
    (restored); the demo's plan frozen as the baseline."""
    operations.save_scenario_file(workbook, "示例", today=TODAY)
    with editing(workbook) as book:
        book.write(*c.cell_of("GMV_Target"), [[60_000_000]])
    operations.save_scenario_file(workbook, "目标6000万", today=TODAY)
    operations.restore_scenario_file(workbook, "示例", today=TODAY)
    operations.compare_scenarios_file(workbook, ["目标6000万"], today=TODAY)
    operations.freeze_baseline_file(workbook, today=TODAY)


def _sheet_parts(path: Path, sheets: tuple[c.Sheet, ...]) -> list[bytes]:
    book = WorkbookPackage(path)
    parts = [*(book.sheet_parts[sheet.name] for sheet in sheets), book.styles_part, book.sst_part]
    return [book.package.read(part) for part in parts]


def fingerprint(workbook: Path, finished: Path) -> str:
    """A digest of what the pictures show: the pictured sheets' cells, their styles and texts."""
    digest = hashlib.sha256()
    for part in (*_sheet_parts(finished, SHEETS), *_sheet_parts(workbook, WORKBOOK_SHEETS)):
        digest.update(part)
    return digest.hexdigest()


def first_page_of_each_sheet(pdf: Path, sheets: tuple[c.Sheet, ...]) -> dict[str, int]:
    """1-based page numbers, found by the footer that names each sheet."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    pages: dict[str, int] = {}
    for number, page in enumerate(text.split("\f"), start=1):
        for sheet in sheets:
            if f"{sheet.name} {sheet.en}" in page:
                pages.setdefault(sheet.en, number)
    return pages


def _pictures(book: Path, sheets: tuple[c.Sheet, ...], prefix: str, work: Path) -> None:
    pdf = realclient.render_pdf(book, work / f"pdf-{book.stem}")
    for name, page in first_page_of_each_sheet(pdf, sheets).items():
        target = OUT / f"{prefix}{name.lower().replace(' ', '-')}"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(target)], check=True)  # fmt: skip
        print(f"{target}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        workbook, finished = demo_files(work)
        _pictures(finished, SHEETS, "", work)
        _pictures(workbook, WORKBOOK_SHEETS, WORKBOOK_PREFIX, work)
        FINGERPRINT.write_text(fingerprint(workbook, finished) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
