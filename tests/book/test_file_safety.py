"""The user's file is never lost: locked, checked, atomic writes, and clear refusals."""

from __future__ import annotations

import datetime as dt
import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dyplan import operations
from dyplan.demo import demo_inputs
from dyplan.files.package import Package
from dyplan.files.safety import Terminated, WorkbookFileError
from tests.book.conftest import TODAY, named_values
from tests.excel.sample_report import write_report

DYPLAN = Path(sys.executable).with_name("dyplan")


def test_two_imports_at_once_both_land(demo_path, tmp_path):
    # Two import-report processes on one workbook: January 1–10 and January 11–20, 10,000 a day.
    first = write_report(tmp_path / "1.csv", days=10)
    second = write_report(tmp_path / "2.csv", first=dt.date(2027, 1, 11), days=10)
    runs = [subprocess.Popen([DYPLAN, "import-report", str(demo_path), str(r)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for r in (first, second)]  # fmt: skip
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    assert named_values(demo_path, "Actuals_Days") == 20
    assert named_values(demo_path, "Actuals_Spend") == pytest.approx(200_000)  # 20 days × 10,000


def another_program_saves(monkeypatch, owner: object, step: str, path: Path, theirs: bytes) -> None:
    """Right after ``owner.step`` has done its work, another program saves ``theirs`` as ``path``."""
    real = getattr(owner, step)

    def then_theirs(*args):
        real(*args)
        path.write_bytes(theirs)

    monkeypatch.setattr(owner, step, then_theirs)


def test_another_program_saving_meanwhile_is_not_overwritten(demo_path, monkeypatch):
    theirs = b"PK saved by another program"
    from dyplan.book.xlsx_file import XlsxBook

    another_program_saves(monkeypatch, XlsxBook, "save", demo_path, theirs)
    with pytest.raises(WorkbookFileError, match="another program"):
        operations.regenerate_file(demo_path, today=TODAY)
    assert demo_path.read_bytes() == theirs
    assert [p.name for p in demo_path.parent.iterdir()] == [demo_path.name]


def test_another_program_saving_while_the_plan_is_written_is_not_overwritten(
    demo_path, tmp_path, monkeypatch
):
    """Another program saves the workbook while regenerate is writing the plan's cells: the command
    says so and keeps their file (parts are read and compared as they are staged, after that save)."""
    theirs_path = tmp_path / "theirs.xlsx"
    operations.new_workbook(theirs_path, demo_inputs())
    from dyplan.book import workbook

    another_program_saves(monkeypatch, workbook, "write_outputs", demo_path, theirs_path.read_bytes())
    with pytest.raises(WorkbookFileError, match="another program"):
        operations.regenerate_file(demo_path, today=TODAY + dt.timedelta(days=40))
    assert demo_path.read_bytes() == theirs_path.read_bytes()


def test_symlinked_workbook_is_updated_through_the_link(demo_path, tmp_path):
    link = tmp_path / "link" / "规划.xlsx"
    link.parent.mkdir()
    link.symlink_to(demo_path)
    operations.regenerate_file(link, today=TODAY)
    assert link.is_symlink()
    assert named_values(demo_path, "Total_Budget") is not None


def test_read_only_workbook_is_refused_untouched(demo_path):
    original = demo_path.read_bytes()
    demo_path.chmod(0o444)
    with pytest.raises(WorkbookFileError, match="read-only"):
        operations.regenerate_file(demo_path, today=TODAY)
    assert demo_path.read_bytes() == original


def itself_or_a_link(path: Path, folder: Path, through_link: bool) -> Path:
    """``path``, or a symbolic link to it made in ``folder``: writing onto either is onto ``path``."""
    if not through_link:
        return path
    link = folder / "链接.xlsx"
    link.symlink_to(path)
    return link


@pytest.mark.parametrize("through_link", [False, True])
def test_export_onto_the_workbook_itself_is_refused(demo_path, tmp_path, through_link):
    original = demo_path.read_bytes()
    with pytest.raises(WorkbookFileError, match="cannot replace the planning workbook"):
        operations.export_file(demo_path, itself_or_a_link(demo_path, tmp_path, through_link), today=TODAY)
    assert demo_path.read_bytes() == original


def test_sigterm_during_the_write_keeps_the_file_and_leaves_no_temp(demo_path, monkeypatch):
    original = demo_path.read_bytes()

    def terminated(self, target):
        target.write_bytes(b"PK half")
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr("dyplan.book.xlsx_file.XlsxBook.save", terminated)
    with pytest.raises(Terminated, match="Stopped"):
        operations.regenerate_file(demo_path, today=TODAY)
    assert demo_path.read_bytes() == original
    assert [p.name for p in demo_path.parent.iterdir()] == [demo_path.name]


def test_temp_file_of_a_killed_write_is_removed_by_the_next(demo_path):
    stale = demo_path.with_name(f".~dyplan-write-{demo_path.stem}-k9x2ab_c.xlsx")
    stale.write_bytes(b"PK left by kill -9")
    # Look-alikes stay: a user's own file, and a write of the workbook "规划-2024.xlsx".
    kept = [
        demo_path.with_name(f".~dyplan-write-{demo_path.stem}-{tail}.xlsx")
        for tail in ("备份", "2024-ab12cd34")
    ]
    for path in kept:
        path.write_bytes(b"PK not ours to remove")
    operations.regenerate_file(demo_path, today=TODAY)
    assert sorted(p.name for p in demo_path.parent.iterdir()) == sorted(
        [demo_path.name, *(p.name for p in kept)]
    )


@pytest.mark.parametrize(
    ("error", "zh", "en"),
    [(errno.ENOSPC, "磁盘空间已满", "the disk is full"), (errno.EACCES, "没有权限", "permission denied")],
)
def test_os_errors_become_messages_and_keep_the_file(demo_path, monkeypatch, error, zh, en):
    original = demo_path.read_bytes()

    def failing(*args, **kwargs):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr("dyplan.files.package.Package.save", failing)
    with pytest.raises(WorkbookFileError) as raised:
        operations.regenerate_file(demo_path, today=TODAY)
    assert zh in raised.value.zh and en in raised.value.en and demo_path.name in raised.value.en
    assert demo_path.read_bytes() == original


def test_folder_without_write_permission_is_a_message(demo_path, monkeypatch):
    def no_temp(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", no_temp)
    with pytest.raises(WorkbookFileError, match="permission denied"):
        operations.regenerate_file(demo_path, today=TODAY)


def test_libreoffice_ods_is_refused_with_advice(tmp_path):
    ods = tmp_path / "规划.ods"
    ods.write_bytes(b"PK ods")
    with pytest.raises(WorkbookFileError, match="Save As"):
        operations.check_file(ods)


@pytest.mark.parametrize("through_link", [False, True])
def test_a_package_saved_onto_its_own_file_is_refused_untouched(demo_path, tmp_path, through_link):
    # Saving copies untouched parts from the source while writing: onto the source, it reads an
    # emptied file. Every command writes a temporary file and replaces; this keeps the API honest.
    before = demo_path.read_bytes()
    with pytest.raises(ValueError, match="own file"):
        Package(demo_path).save(itself_or_a_link(demo_path, tmp_path, through_link))
    assert demo_path.read_bytes() == before


def test_regenerate_of_an_unchanged_workbook_leaves_its_bytes(demo_path: Path):
    operations.regenerate_file(demo_path, today=TODAY)
    once = demo_path.read_bytes(), demo_path.stat().st_mtime_ns
    operations.regenerate_file(demo_path, today=TODAY)
    assert (demo_path.read_bytes(), demo_path.stat().st_mtime_ns) == once


def test_actuals_beyond_two_thousand_days_are_all_kept(demo_path, tmp_path):
    # 2,100 days of one unsplit channel: one row a day on 实际数据, past the old 2,000-row read.
    report = write_report(tmp_path / "五年.csv", first=dt.date(2022, 1, 1), days=2_100)
    operations.import_files(demo_path, [report])
    operations.regenerate_file(demo_path, today=TODAY)
    assert len(named_values(demo_path, "Actuals_Daily")) == 1 + 2_100  # header and every day kept
    # The totals count the plan year: 2027-01-01 (the demo's start) to 2027-10-01, the report's last
    # day (2022-01-01 + 2,099 days: 1,826 days to 2027-01-01, then 273), i.e. 274 days.
    assert named_values(demo_path, "Actuals_Days") == 274
    assert named_values(demo_path, "Actuals_Spend") == pytest.approx(274 * 10_000)


def test_merged_cells_over_an_output_block_are_no_traceback(regenerated_path):
    from openpyxl import load_workbook

    wb = load_workbook(regenerated_path)
    sheet, ref = next(wb.defined_names["Total_Budget"].destinations)
    ws = wb[sheet]
    ws.merge_cells(f"{ref.replace('$', '')}:{ws[ref.replace('$', '')].offset(0, 1).coordinate}")
    wb.save(regenerated_path)
    total = operations.regenerate_file(regenerated_path, today=TODAY).plan.totals["budget"]
    assert named_values(regenerated_path, "Total_Budget") == pytest.approx(total)  # shown in the merge
