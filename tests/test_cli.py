"""The dyplan command, run as a user runs it."""

import datetime as dt
import errno
import re
import tempfile
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan import crash_log, operations
from dyplan.book import contract as c
from dyplan.cli import app, template_app
from dyplan.demo import DEMO_SEASONALITY
from tests.promo_windows import weight

runner = CliRunner()


def demo_total_budget() -> float:
    """The demo shop's budget worked day by day: launch 9 % for days 1–180, 6 % after, each day's share
    of G by its budget weight (its month's, times the typical promotion windows it lies in once moved
    by their budget lead, planning-rules 2.3)."""
    start = dt.date(2027, 1, 1)
    days = [start + dt.timedelta(days=d) for d in range(365)]
    weights = [DEMO_SEASONALITY[day.month - 1] * float(weight(day, budget=True)) for day in days]
    return sum(
        (0.09 if day <= 180 else 0.06) * 50_000_000 * w / sum(weights)
        for day, w in enumerate(weights, start=1)
    )


def test_cli_demo_makes_both_files_and_prints_exact_total(tmp_path):
    result = runner.invoke(app, ["demo", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for phase in ("基础建量期", "精准获客期", "深度转化期", "成熟期"):
        assert phase in result.output
    assert f"¥{round(demo_total_budget(), 2):,.2f}" in result.output
    assert (tmp_path / "示例规划.xlsx").exists() and (tmp_path / "示例方案.xlsx").exists()


def test_cli_new_check_regenerate_export_round_trip(tmp_path):
    workbook, finished = tmp_path / "plan.xlsx", tmp_path / "done.xlsx"
    assert runner.invoke(app, ["new", str(workbook), "--demo"]).exit_code == 0
    assert runner.invoke(app, ["check", str(workbook)]).exit_code == 0
    result = runner.invoke(app, ["regenerate", str(workbook)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", str(workbook), "--out", str(finished)])
    assert result.exit_code == 0, result.output
    assert load_workbook(finished).sheetnames[0] == c.COVER.name


def test_cli_check_lists_each_problem_with_sheet_and_cell_and_fails(tmp_path):
    workbook = tmp_path / "plan.xlsx"
    runner.invoke(app, ["new", str(workbook)])  # blank: required inputs are empty
    result = runner.invoke(app, ["check", str(workbook)])
    assert result.exit_code == 1
    for cell in ("输入!C6", "输入!C7", "输入!C8", "输入!C9", "输入!C10", "输入!C11"):
        assert cell in result.output
    assert "must be" in result.output


def test_cli_missing_file_is_a_message_not_a_traceback(tmp_path):
    result = runner.invoke(app, ["regenerate", str(tmp_path / "missing.xlsx")])
    assert result.exit_code == 1
    assert "找不到文件" in result.output and "File not found" in result.output
    assert "Traceback" not in result.output


def registered(group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command the dyplan app registers, sub-commands included, as the words a user types."""
    found = []
    for name, command in group.commands.items():
        words = (*prefix, name)
        found.extend(registered(command, words) if hasattr(command, "commands") else [words])
    return found


COMMANDS = registered(typer.main.get_command(app))
ROOT = Path(__file__).parents[1]
DOCS = "\n".join(
    path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
)


def test_cli_registers_the_commands_the_docs_teach():
    assert {"new", "check", "regenerate", "export", "demo", "import-report", "version"} <= {
        c[0] for c in COMMANDS
    }


@pytest.mark.parametrize("command", [(), *COMMANDS], ids=lambda words: "-".join(words) or "app")
def test_cli_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


@pytest.mark.parametrize("command", COMMANDS, ids="-".join)
def test_cli_every_command_has_a_docs_entry(command):
    """README.md or docs/ shows each command as a user types it."""
    assert f"dyplan {' '.join(command)}" in DOCS


@pytest.fixture
def log_home(tmp_path, monkeypatch):
    """The per-user log folder, inside the test's folder (XDG on Linux/mac, LOCALAPPDATA on Windows)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "state"))
    return crash_log.log_folder()


def logged(output: str) -> Path:
    """The log file a failure message names (twice: in Chinese and in English)."""
    zh, en = re.search(r"已记录日志：(.+?)）", output), re.search(r"\(log: (.+?)\)$", output, re.MULTILINE)
    assert zh and en and zh[1] == en[1], output
    return Path(zh[1])


def raising(error: BaseException):
    def operation(*args, **kwargs):
        raise error

    return operation


@pytest.mark.parametrize(
    ("error", "zh", "en"),
    [
        (RuntimeError("boom"), "dyplan 出错了", "dyplan hit an unexpected error"),
        (
            OSError(errno.ENOSPC, "No space left on device", "plan.xlsx"),
            "plan.xlsx：磁盘空间已满",
            "plan.xlsx: the disk is full",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "plan.xlsx"),
            "plan.xlsx：没有权限",
            "plan.xlsx: permission denied",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "读写文件失败：磁盘空间已满", "the disk is full"),
    ],
    ids=["bug", "disk-full", "permission", "disk-full-no-path"],
)
def test_cli_unexpected_error_is_a_message_and_a_log_not_a_traceback(
    error, zh, en, tmp_path, log_home, monkeypatch
):
    monkeypatch.setattr(operations, "regenerate_file", raising(error))
    result = runner.invoke(app, ["regenerate", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "regenerate_file" not in result.output
    assert zh in result.output and en in result.output
    log = logged(result.output)
    assert log.parent == log_home and re.fullmatch(r"dyplan-\d{8}-\d{6}-\d+(-\d+)?\.log", log.name)
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and f"{type(error).__name__}: {error}" in text
    assert "in operation" in text and "in regenerate" in text  # the whole stack, down to the fault


def test_cli_every_command_reports_unexpected_errors(log_home, monkeypatch, tmp_path):
    monkeypatch.setattr(operations, "build_template", raising(ValueError("bad template")))
    result = runner.invoke(app, ["template", "build", "--out", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "ValueError: bad template" in logged(result.output).read_text(encoding="utf-8")


def test_cli_pretty_tracebacks_and_their_locals_are_off():
    for typer_app in (app, template_app):
        assert typer_app.pretty_exceptions_enable is False
        assert typer_app.pretty_exceptions_show_locals is False


def test_cli_ctrl_c_says_cancelled_and_exits_130(log_home, monkeypatch, tmp_path):
    monkeypatch.setattr(operations, "regenerate_file", raising(KeyboardInterrupt()))
    result = runner.invoke(app, ["regenerate", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 130
    assert "已取消 / cancelled" in result.output and "Traceback" not in result.output
    assert not log_home.exists()  # cancelling is not an error


def test_cli_a_folder_given_as_a_report_is_a_bilingual_message(tmp_path, log_home):
    workbook, folder = tmp_path / "plan.xlsx", tmp_path / "千川报表.csv"
    assert runner.invoke(app, ["new", str(workbook), "--demo"]).exit_code == 0
    folder.mkdir()
    result = runner.invoke(app, ["import-report", str(workbook), str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{folder}：这是文件夹，不是文件" in result.output
    assert f"{folder}: it is a folder, not a file" in result.output
    assert logged(result.output).exists()


def test_cli_log_goes_to_the_temp_folder_when_the_log_folder_cannot_be_made(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    monkeypatch.setenv("LOCALAPPDATA", str(blocker))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setattr(operations, "regenerate_file", raising(RuntimeError("boom")))
    result = runner.invoke(app, ["regenerate", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 1
    assert logged(result.output).parent == tmp_path / "tmp"


def test_cli_unwritable_log_still_gives_a_message(tmp_path, monkeypatch):
    def no_log(error):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("dyplan.cli.write_crash_log", no_log)
    monkeypatch.setattr(operations, "regenerate_file", raising(RuntimeError("boom")))
    result = runner.invoke(app, ["regenerate", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "日志也无法写入" in result.output and "the log could not be written" in result.output


def test_crash_logs_in_the_same_second_never_overwrite_each_other(log_home):
    try:
        raise RuntimeError("first")
    except RuntimeError as error:
        first, second = crash_log.write_crash_log(error), crash_log.write_crash_log(error)
    assert first != second and first.exists() and second.exists()


def test_cli_scenarios_and_the_baseline_as_a_user_runs_them(tmp_path, log_home):
    workbook = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["new", str(workbook), "--demo"]).exit_code == 0
    saved = runner.invoke(app, ["scenario", "save", str(workbook), "方案A"])
    assert saved.exit_code == 0 and "已保存 saved：情景「方案A」" in saved.output
    wb = load_workbook(workbook)
    sheet, ref = next(wb.defined_names["GMV_Target"].destinations)
    wb[sheet][ref.replace("$", "")].value = 60_000_000  # the demo's 50,000,000, raised
    wb.save(workbook)
    listed = runner.invoke(app, ["scenario", "list", str(workbook)])
    assert listed.exit_code == 0 and "方案A" in listed.output
    compared = runner.invoke(app, ["scenario", "compare", str(workbook), "--base", "方案A"])
    assert compared.exit_code == 0 and "当前 / current − 方案A" in compared.output
    assert "¥10,000,000.00" in compared.output  # the GMV targets' difference
    restored = runner.invoke(app, ["scenario", "restore", str(workbook), "方案A"])
    assert restored.exit_code == 0, restored.output
    assert f"{sheet}!{ref.replace('$', '')}: 60,000,000.00 → 50,000,000.00" in restored.output
    frozen = runner.invoke(app, ["baseline", "freeze", str(workbook)])
    assert frozen.exit_code == 0 and "已冻结基线 baseline frozen on" in frozen.output
    again = runner.invoke(app, ["baseline", "freeze", str(workbook)])
    assert again.exit_code == 1 and "--replace" in again.output and "Traceback" not in again.output
    deleted = runner.invoke(app, ["scenario", "delete", str(workbook), "方案A"])
    assert deleted.exit_code == 0 and "已删除 deleted" in deleted.output


@pytest.mark.parametrize(
    ("words", "zh", "en"),
    [
        (["save"], "请给出情景的名称", "Give the scenario's name"),
        (["restore"], "请给出情景的名称", "Give the scenario's name"),
        (["restore", "没有的"], "没有名为「没有的」的情景", "No scenario named '没有的'"),
        (["delete", "没有的"], "没有名为「没有的」的情景", "No scenario named '没有的'"),
        (["compare", "没有的"], "没有名为「没有的」的情景", "No scenario named '没有的'"),
        (["compare", "--base", "没有的"], "没有名为「没有的」的情景", "No scenario named '没有的'"),
        (["save", "当前"], "当前输入的名称", "what the comparison calls the current inputs"),
    ],
    ids=["save-no-name", "restore-no-name", "restore-unknown", "delete-unknown", "compare-unknown",
         "unknown-base", "reserved"],
)  # fmt: skip
def test_cli_a_bad_scenario_name_is_a_bilingual_message_and_changes_nothing(
    tmp_path, log_home, words, zh, en
):
    workbook = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["new", str(workbook), "--demo"]).exit_code == 0
    before = workbook.read_bytes()
    result = runner.invoke(app, ["scenario", words[0], str(workbook), *words[1:]])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert zh in result.output and en in result.output
    assert workbook.read_bytes() == before and not log_home.exists()  # a message, not a crash
