"""Imports point one way: the engine never loads Excel, file or terminal libraries."""

import subprocess
import sys


def test_engine_import_loads_no_io_libraries():
    code = (
        "import sys, dyplan.model\n"
        "loaded = {'openpyxl', 'xlwings', 'typer', 'rich', 'xlsxwriter'} & set(sys.modules)\n"
        "print(sorted(loaded))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
