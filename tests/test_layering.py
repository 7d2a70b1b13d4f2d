"""Imports point one way: the engine never loads Excel, file or terminal libraries."""

import re
import subprocess
import sys
from pathlib import Path


def test_engine_import_loads_no_io_libraries():
    code = (
        "import sys, dyplan.model\n"
        "loaded = {'openpyxl', 'xlwings', 'typer', 'rich', 'xlsxwriter'} & set(sys.modules)\n"
        "print(sorted(loaded))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_file_layer_imports_nothing_above_it():
    # files/ serves book/ and reports/ alike: it may know errors, never the workbook contract,
    # the report reader, the engine or a front door.
    code = (
        "import sys, dyplan.files.safety, dyplan.files.workbook_package\n"
        "above = ('dyplan.book', 'dyplan.reports', 'dyplan.model', 'dyplan.excel', 'dyplan.cli')\n"
        "print(sorted(m for m in sys.modules if m.startswith(above)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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
