"""Imports point one way: the engine never loads Excel, file or terminal libraries."""

import json
import re
import subprocess
import sys
from pathlib import Path


def loaded_after(imports: str, watched: tuple[str, ...]) -> list[str]:
    """The modules starting with any of ``watched`` that a fresh Python holds after ``imports``."""
    probe = f"print(json.dumps([m for m in sys.modules if m.startswith({watched!r})]))"
    code = f"import json, sys, {imports}\n{probe}"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return sorted(json.loads(out.stdout))


def test_engine_import_loads_no_io_libraries():
    io = ("openpyxl", "xlwings", "typer", "rich", "xlsxwriter")
    assert [m for m in loaded_after("dyplan.model", io) if m.split(".")[0] in io] == []


def test_file_layer_imports_nothing_above_it():
    # files/ serves book/ and reports/ alike: it may know errors, never the workbook contract,
    # the report reader, the engine or a front door.
    above = ("dyplan.book", "dyplan.reports", "dyplan.model", "dyplan.excel", "dyplan.cli")
    assert loaded_after("dyplan.files.safety, dyplan.files.workbook_package", above) == []


def test_reports_and_files_never_import_the_workbook_layer_even_inside_a_function():
    package = Path(__file__).resolve().parents[1] / "addin" / "dyplan"
    offenders = [
        f"{path.relative_to(package)}:{n}"
        for folder in ("reports", "files")
        for path in (package / folder).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*(from|import) dyplan\.(book|excel|cli)\b", line)
    ]
    assert offenders == []
