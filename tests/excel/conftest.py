"""The live adapter's tests open workbooks in a stand-in for Excel."""

from pathlib import Path

import pytest
import xlwings as xw

from . import standin


@pytest.fixture
def excel(monkeypatch):
    """Make ``xw.Book.caller()`` return the stand-in that a test loads."""

    def open_in_excel(path: Path) -> standin.Book:
        book = standin.load(path)
        monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
        return book

    return open_in_excel
