"""What the ribbon's buttons run (VBA ``RunPython``): read → engine → write whole blocks.

Each macro works on the workbook that called it (``xw.Book.caller()``) through the live
adapter, with the same contract, engine and operations as the ``dyplan`` command, and tells
the user how it went in an Excel message box: ``app.alert``, which xlwings shows on Windows
through pywin32's ``MessageBox`` (MessageBoxW: the text stays Unicode whatever the system's
locale, unlike VBA's MsgBox), and on the Mac through AppleScript.

Every click starts a new Python that imports this module, so it imports only xlwings (which
RunPython needs anyway) and the errors at the top; the workbook contract, the engine and the
report reader are imported by the macro that uses them (``benchmarks/bench_macro_import.py``).

Run unattended (the Excel acceptance, ``dyplan.excel.unattended``), the dialogs' answers and
the messages come from and go to the files that the workbook's setting names, and an unexpected
error is logged instead of shown, so no box waits for a click.

On the Mac, xlwings' worksheet functions cannot run (they need its Windows DLL), so the
macros write values where Windows gets the ``=DY_…()`` formulas: the cells hold what
regenerate computed, and the next regenerate on Windows (or ``dyplan regenerate``) writes the
formulas back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import xlwings as xw

from dyplan.errors import DyplanError, InputError
from dyplan.excel import unattended

if TYPE_CHECKING:
    from dyplan.book.port import Book
    from dyplan.book.versions import Listed
    from dyplan.book.workbook import Regenerated
    from dyplan.model import Optimisation, Plan

TITLE = "dyplan 抖音投放"
EXCEL = "Microsoft Excel"


class HostError(DyplanError):
    """The macro is driving something other than Microsoft Excel (WPS, for one)."""


def _caller() -> xw.Book:
    """The workbook whose button was clicked."""
    return xw.Book.caller()


def _check_host(book: xw.Book) -> None:
    """Refuse anything but Microsoft Excel, inside each macro's error handling (a message box).

    Some WPS installs register themselves as Excel.Application, and xlwings then drives WPS
    by mistake (xlwings issue 2575); say so instead of failing half-way.
    """
    if sys.platform != "darwin" and book.app.api.Name != EXCEL:  # Excel for Mac has no WPS twin
        raise HostError(
            f"当前程序是「{book.app.api.Name}」而不是 Microsoft Excel：本功能需要 Microsoft Excel。"
            "若已安装 WPS，它可能占用了 Excel 的关联，请在 WPS 配置工具中取消「WPS 兼容第三方系统和软件」"
            "或修复 Office 安装；也可以在命令行使用 dyplan。",
            f"This is {book.app.api.Name!r}, not Microsoft Excel, which this needs. WPS may have "
            "taken over Excel's registration: undo that in WPS's settings or repair Office, or use "
            "the dyplan command line.",
        )


def _planning_book(book: xw.Book) -> Book:
    """The calling workbook as the engine writes it: formula cells get their formulas on
    Windows, the values on the Mac (where the worksheet functions cannot calculate)."""
    from dyplan.excel.live import LiveBook

    if sys.platform == "darwin":
        return LiveBook(book)
    from dyplan.book.formulas import FormulaBook

    return FormulaBook(LiveBook(book))


def _tell(book: xw.Book, zh: str, en: str, failed: bool = False) -> None:
    quiet = unattended.settings(book)
    if quiet is not None:
        quiet.tell(zh, en, failed)
        return
    book.app.alert(f"{zh}\n\n{en}", title=TITLE, mode="critical" if failed else "info")


def _tell_error(book: xw.Book, error: DyplanError) -> None:
    if isinstance(error, InputError):
        lines = "\n".join(f"• {p.where or p.field}：{p.zh}" for p in error.problems)
        _tell(book, f"输入有 {len(error.problems)} 处问题，请修改后重试：\n{lines}", error.en, failed=True)
    else:
        _tell(book, error.zh, error.en, failed=True)


@contextlib.contextmanager
def _quietly(app: xw.App) -> Iterator[None]:
    """Write with screen updates and recalculation paused, as Excel macros do for speed."""
    screen, calculation = app.screen_updating, app.calculation
    app.screen_updating, app.calculation = False, "manual"
    try:
        yield
    finally:
        app.screen_updating, app.calculation = screen, calculation


def _warnings(plan: Plan) -> tuple[str, str]:
    if not plan.all_warnings:
        return "", ""
    return (
        "\n\n提示：\n" + "\n".join(f"• {w.zh}" for w in plan.all_warnings),
        "\n\nWarnings:\n" + "\n".join(f"• {w.en}" for w in plan.all_warnings),
    )


def _macro(run: Callable[[], None]) -> Callable[[], None]:
    """A ribbon macro; run unattended, any error ends in the log rather than in xlwings' message box."""

    @functools.wraps(run)
    def macro() -> None:
        try:
            run()
        except Exception as error:
            quiet = unattended.settings(_caller())
            if quiet is None:
                raise
            quiet.crashed(error)

    return macro


def _said(regenerated: Regenerated) -> tuple[str, str]:
    """What a regenerate tells: the total budget, the warnings, the values typed over computed cells
    (never replaced in silence) and what an earlier release's workbook lacks."""
    plan = regenerated.plan
    zh, en = _warnings(plan)
    total = f"¥{plan.totals['budget']:,.2f}"
    if regenerated.replaced:
        listed = "\n".join(f"• {replaced}" for replaced in regenerated.replaced)
        n = len(regenerated.replaced)
        zh += f"\n已替换您在计算单元格中填写的 {n} 个值：\n{listed}"
        en += f"\nReplaced {n} value(s) typed over computed cells (listed above)."
    if (note := regenerated.earlier_note) is not None:
        zh, en = f"{zh}\n\n{note[0]}", f"{en}\n\n{note[1]}"
    return f"年度总预算 {total}。{zh}", f"Total budget {total}.{en}"


def _regenerated(book: xw.Book) -> Regenerated | None:
    """Regenerate the calling workbook; None (and the reason told) when it cannot be."""
    try:
        _check_host(book)
        from dyplan.book import workbook

        with _quietly(book.app):
            return workbook.regenerate(_planning_book(book))
    except DyplanError as error:
        _tell_error(book, error)
        return None


@_macro
def regenerate() -> None:
    """Ribbon 重新生成分配: recompute every output block of the calling workbook."""
    book = _caller()
    regenerated = _regenerated(book)
    if regenerated is not None:
        zh, en = _said(regenerated)
        _tell(book, f"已重新生成分配。{zh}", f"Regenerated. {en}")


def _open(book: xw.Book, regenerated: Regenerated, sheet: str, zh: str, en: str) -> None:
    """Bring ``sheet`` to the front and say what it shows; a workbook without it says so instead."""
    said_zh, said_en = _said(regenerated)
    if sheet in regenerated.absent_sheets:
        _tell(book, f"已重新生成分配。{said_zh}", f"Regenerated. {said_en}")
        return
    book.sheets[sheet].activate()
    _tell(
        book,
        f"已重新生成并打开「{sheet}」：{zh}\n\n{said_zh}",
        f"Regenerated; this is {sheet}: {en}\n\n{said_en}",
    )


@_macro
def optimise() -> None:
    """Ribbon 优化建议: regenerate, then show the optimiser's proposal (优化建议)."""
    from dyplan.book.contract import OPTIMISE

    book = _caller()
    regenerated = _regenerated(book)
    if regenerated is not None:
        _open(book, regenerated, OPTIMISE.name,
              "预算不变、GMV 最多的渠道占比与当前占比并列。点击「采纳建议」即写入「假设」的渠道分配。",
              "the shares that bring the most GMV for the same budget, beside today's. Click 采纳建议 to "
              "type them into 假设's channel mix.")  # fmt: skip


@_macro
def replan() -> None:
    """Ribbon 重新规划: regenerate, then show the year re-planned from the actuals (重新规划)."""
    from dyplan.book.contract import REPLAN

    book = _caller()
    regenerated = _regenerated(book)
    if regenerated is not None:
        _open(book, regenerated, REPLAN.name,
              "剩余预算按实际数据重新分配；接下来四周的千川设置见「投放设置」。",
              "the budget left, re-spread from the actuals; the next four weeks' Qianchuan settings are on "
              "投放设置.")  # fmt: skip


def _confirm(book: xw.Book, zh: str, en: str) -> bool:
    """Yes or No in Excel's message box (run unattended: the settings' answer)."""
    quiet = unattended.settings(book)
    if quiet is not None:
        return quiet.accept
    return book.app.alert(f"{zh}\n\n{en}", title=TITLE, buttons="yes_no", mode="info") == "yes"


def _proposed(optimisation: Optimisation) -> str:
    """Each phase's shares now → proposed, one line a phase, as the confirmation lists them."""
    from dyplan.model import Channel

    lines = []
    for p in optimisation.phases:
        pairs = zip(Channel, p.current.shares, p.proposed_mix, strict=True)
        shares = " · ".join(f"{c.zh} {now:.1%} → {then:.1%}" for c, now, then in pairs)
        lines.append(f"{p.phase.value} {p.phase.zh}: {shares}")
    return "\n".join(lines)


@_macro
def accept_proposal() -> None:
    """Ribbon 采纳建议: once confirmed, type the proposed channel shares into 假设's channel mix and
    regenerate, as ``dyplan optimize --accept`` does."""
    book = _caller()
    try:
        _check_host(book)
        from dyplan.book import workbook
        from dyplan.book.contract import OPTIMISE
        from dyplan.operations import proposal_of

        planning = _planning_book(book)
        optimisation = proposal_of(planning).optimisation
        asked = _confirm(
            book,
            f"把建议的渠道占比写入「假设」的渠道分配并重新生成？\n{_proposed(optimisation)}",
            "Type the proposed channel shares into 假设's channel mix and regenerate?",
        )
        if not asked:
            return
        with _quietly(book.app):
            regenerated = workbook.accept_channel_mix(planning, optimisation.channel_mix())
    except DyplanError as error:
        _tell_error(book, error)
        return
    if OPTIMISE.name not in regenerated.absent_sheets:
        book.sheets[OPTIMISE.name].activate()
    zh, en = _said(regenerated)
    _tell(book, f"已采纳建议并重新生成。{zh}", f"Accepted the proposal and regenerated. {en}")


@_macro
def validate() -> None:
    """Ribbon 校验输入: check the inputs and list every problem with its sheet and cell."""
    book = _caller()
    try:
        _check_host(book)
        from dyplan.book import workbook
        from dyplan.excel.live import LiveBook

        _, plan, _ = workbook.read_plan(LiveBook(book))
    except DyplanError as error:
        _tell_error(book, error)
        return
    zh, en = _warnings(plan)
    _tell(book, f"输入有效。{zh}", f"The inputs are valid.{en}")


def _ask_where(book: xw.Book, default: Path) -> Path | None:
    """Excel's Save As dialog, starting at ``default``; None when the user cancels."""
    quiet = unattended.settings(book)
    if quiet is not None:
        return quiet.save_as
    if sys.platform == "darwin":  # xlwings offers Excel for Mac's dialog through no API: use the default
        return default
    # By name: an omitted argument passed positionally as None would reach Excel as VT_NULL.
    chosen = book.app.api.GetSaveAsFilename(
        InitialFileName=str(default),
        FileFilter="Excel 工作簿 (*.xlsx),*.xlsx",
        FilterIndex=1,
        Title="导出方案 Export plan",
    )
    return None if chosen is False else Path(chosen)


@_macro
def export_plan() -> None:
    """Ribbon 导出方案: save the finished, macro-free plan (.xlsx), by default next to the workbook."""
    book = _caller()
    try:
        _check_host(book)
    except DyplanError as error:
        _tell_error(book, error)
        return
    path = Path(book.fullname)
    out = _ask_where(book, path.with_name(f"{path.stem}_方案.xlsx"))
    if out is None:
        return
    try:
        from dyplan.excel.live import LiveBook
        from dyplan.operations import export_book

        export_book(LiveBook(book), out)
    except DyplanError as error:
        _tell_error(book, error)
        return
    _tell(book, f"已导出最终方案：\n{out}", f"Exported the finished plan:\n{out}")


def _ask_reports(book: xw.Book) -> list[Path]:
    """Excel's Open dialog for one or more report exports; empty when the user cancels."""
    quiet = unattended.settings(book)
    if quiet is not None:
        return list(quiet.reports)
    # By name: ButtonText (Mac only) passed positionally as None would reach Excel as VT_NULL.
    chosen = book.app.api.GetOpenFilename(
        FileFilter="千川报表 Qianchuan reports (*.csv;*.xlsx),*.csv;*.xlsx",
        FilterIndex=1,
        Title="导入报表 Import reports",
        MultiSelect=True,
    )
    if chosen is False:
        return []
    return [Path(p) for p in (chosen if isinstance(chosen, list | tuple) else [chosen])]


def _dialogs_here(book: xw.Book, zh: str, en: str) -> bool:
    """Whether a macro that asks through a dialog can run: the host checked (else said), and not on the
    Mac, where xlwings has no dialogs: there it says the command (``zh``, ``en``) to run instead."""
    try:
        _check_host(book)
    except DyplanError as error:
        _tell_error(book, error)
        return False
    if sys.platform == "darwin":
        _tell(book, f"在 Mac 上请在终端运行：{zh}", f"On the Mac, run in a terminal: {en}")
        return False
    return True


@_macro
def import_report() -> None:
    """Ribbon 导入报表: fold Qianchuan report exports into 实际数据 and regenerate the plan."""
    book = _caller()
    if not _dialogs_here(book, "dyplan import-report 工作簿 报表…", "dyplan import-report WORKBOOK REPORT…"):
        return
    paths = _ask_reports(book)
    if not paths:
        return
    try:
        import datetime as dt

        from dyplan.book import workbook
        from dyplan.reports.reader import read_report

        reports = [read_report(path) for path in paths]  # every file read before any cell changes
        with _quietly(book.app):
            imported = workbook.import_reports(_planning_book(book), reports, dt.datetime.now())
    except DyplanError as error:
        _tell_error(book, error)
        return
    from dyplan.reports.summary import lines as summary_lines

    plan, rows = imported.plan, sum(r.read_rows for r in reports)
    said = "\n".join(
        line
        for report, summary, replaced in zip(reports, imported.summaries, imported.replaced_rows, strict=True)
        for line in summary_lines(report.path.name, summary, replaced)
    )
    fired = plan.alerts[plan.alerts["fired"]]
    alerts_zh = "".join(f"\n⚠ {a}" for a in fired["alert_zh"]) or "\n未触发预警。"
    alerts_en = "".join(f"\n⚠ {a}" for a in fired["alert_en"]) or "\nNo alert fired."
    _tell(
        book,
        f"已导入 {len(reports)} 个报表，共 {rows:,} 行，并已重新生成。\n{said}{alerts_zh}",
        f"Imported {len(reports)} report(s), {rows:,} rows, and regenerated (each file above).{alerts_en}",
    )


def _ask_name(book: xw.Book, prompt: str, title: str) -> str | None:
    """Excel's input box for a scenario's name; None when the user cancels."""
    quiet = unattended.settings(book)
    if quiet is not None:
        return quiet.scenario
    # Application.InputBox, by name; Type 2: text. It returns False for Cancel.
    answer = book.app.api.InputBox(Prompt=prompt, Title=title, Type=2)
    return None if answer is False else str(answer)


@_macro
def save_scenario() -> None:
    """Ribbon 保存情景: ask a name, and keep every input and assumption under it on 情景 (asking first
    whether to replace a scenario of that name)."""
    book = _caller()
    if not _dialogs_here(book, "dyplan scenario save 工作簿 名称", "dyplan scenario save WORKBOOK NAME"):
        return
    from dyplan.book.contract import SCENARIO_NAME_LENGTH as longest

    prompt = f"情景名称（最多 {longest} 个字）\nScenario name (at most {longest} characters)"
    name = _ask_name(book, prompt, "保存情景 Save scenario")
    if name is None:
        return
    try:
        from dyplan.book import versions
        from dyplan.book.contract import SCENARIOS

        planning = _planning_book(book)
        taken = name.strip() in {listed.name for listed in versions.list_scenarios(planning)}
        if taken and not _confirm(book, f"已有名为「{name.strip()}」的情景，替换它吗？",
                                  f"There is a scenario named {name.strip()!r}: replace it?"):  # fmt: skip
            return
        with _quietly(book.app):
            saved = versions.save_scenario(planning, name, replace=taken)
    except DyplanError as error:
        _tell_error(book, error)
        return
    book.sheets[SCENARIOS.name].activate()
    done = ("已替换", "Replaced") if saved.replaced else ("已保存", "Saved")
    _tell(
        book,
        f"{done[0]}情景「{saved.name}」：{saved.inputs} 项输入与假设，见「情景」表。",
        f"{done[1]} the scenario {saved.name!r}: {saved.inputs} inputs and assumptions, on 情景.",
    )


#: The restored cells a message box lists; more are counted (the CLI lists every one).
LISTED_CHANGES = 12
#: Characters of saved scenarios' names an input box's prompt lists; more are counted.
LISTED_NAMES = 120


def _chosen_scenario(
    book: xw.Book, zh: str, en: str, question: Callable[[str, Listed], tuple[str, str] | None]
) -> tuple[Book, str] | None:
    """The planning book and the name the user types in Excel's input box (which lists the saved
    scenarios) for ``dyplan scenario {en}``, once they say Yes to ``question`` (asked of a scenario
    there, when it has one to ask; an unknown name is the command's to refuse, naming those there
    are). None when the host cannot ask (said so), or the user cancels or says No."""
    if not _dialogs_here(book, f"dyplan scenario {en} 工作簿 名称", f"dyplan scenario {en} WORKBOOK NAME"):
        return None
    from dyplan.book import versions
    from dyplan.book.scenarios import required_name

    planning = _planning_book(book)
    listed: dict[str, Listed] = {}
    for scenario in versions.list_scenarios(planning):
        listed.setdefault(scenario.name, scenario)  # the first of a name: the one the command takes
    there = "、".join(listed) or "（无 none）"
    if len(there) > LISTED_NAMES:  # Excel's input box shows about 255 characters of its prompt
        there = f"{there[:LISTED_NAMES]}… 共 {len(listed)} 个"
    prompt = f"要{zh}的情景（现有：{there}）\nScenario to {en}"
    typed = _ask_name(book, prompt, f"{zh}情景 {en.capitalize()} scenario")
    if typed is None:
        return None
    name = required_name(typed)  # stripped as the command strips it
    asked = question(name, listed[name]) if name in listed else None
    if asked is not None and not _confirm(book, *asked):
        return None
    return planning, name


def _restore_question(name: str, listed: Listed) -> tuple[str, str] | None:
    if not listed.differing:
        return None
    return (
        f"恢复「{name}」将改写 {listed.differing} 个输入单元格；当前的值未保存为情景的，将不再保留。继续吗？",
        f"Restoring {name!r} types over {listed.differing} input cell(s); values now there that no "
        "scenario keeps will be gone. Go on?",
    )


@_macro
def restore_scenario() -> None:
    """Ribbon 恢复情景: ask which saved scenario, ask before typing over the inputs that differ, then
    type them back and regenerate, listing the cells changed."""
    book = _caller()
    try:
        from dyplan.book import versions

        chosen = _chosen_scenario(book, "恢复", "restore", _restore_question)
        if chosen is None:
            return
        with _quietly(book.app):
            restored = versions.restore_scenario(*chosen)
    except DyplanError as error:
        _tell_error(book, error)
        return
    name = chosen[1]
    changes = restored.restoring.changes
    shown = "".join(f"\n• {change}" for change in changes[:LISTED_CHANGES])
    more = len(changes) - LISTED_CHANGES
    if more > 0:
        shown += f"\n… 另有 {more} 个 and {more} more (dyplan scenario restore lists every one)"
    missing = "".join(f"\n• {line}" for line in restored.restoring.missing_lines())
    if missing:
        missing = (
            f"\n此情景由较早版本保存，没有以下输入，保持不变 / saved without these, left as is:{missing}"
        )
    zh, en = _said(restored.regenerated)
    _tell(
        book,
        f"已恢复情景「{name}」：改写 {len(changes)} 个单元格{shown}{missing}\n{zh}",
        f"Restored {name!r}: {len(changes)} cell(s) typed back{' (listed above)' if changes else ''}, and "
        f"regenerated. {en}",
    )


def _delete_question(name: str, listed: Listed) -> tuple[str, str]:
    return (
        f"删除情景「{name}」（保存于 {listed.saved_on}）吗？删除后不能恢复。",
        f"Delete the scenario {name!r} (saved on {listed.saved_on})? It cannot be brought back.",
    )


@_macro
def delete_scenario() -> None:
    """Ribbon 删除情景: ask which saved scenario, and after a Yes take its column off 情景."""
    book = _caller()
    try:
        from dyplan.book import versions
        from dyplan.book.contract import SCENARIOS

        chosen = _chosen_scenario(book, "删除", "delete", _delete_question)
        if chosen is None:
            return
        with _quietly(book.app):
            versions.delete_scenario(*chosen)
    except DyplanError as error:
        _tell_error(book, error)
        return
    name = chosen[1]
    book.sheets[SCENARIOS.name].activate()
    _tell(book, f"已删除情景「{name}」。", f"Deleted the scenario {name!r}.")


@_macro
def compare_scenarios() -> None:
    """Ribbon 情景对比: every saved scenario's plan beside the current inputs' (the base), on 情景对比."""
    book = _caller()
    try:
        _check_host(book)
        from dyplan.book import versions
        from dyplan.book.contract import SCENARIO_COMPARE

        with _quietly(book.app):
            compared = versions.compare_scenarios(_planning_book(book))
    except DyplanError as error:
        _tell_error(book, error)
        return
    book.sheets[SCENARIO_COMPARE.name].activate()
    figures = compared.table.set_index("key")
    listed = "\n".join(
        f"• {name}：预算 budget ¥{figures.at['budget', name]:,.2f} · 预计广告GMV ad GMV "
        f"¥{figures.at['ad_gmv', name]:,.2f}"
        for name in compared.names
    )
    _tell(
        book,
        f"已写入「情景对比」表（基准：{compared.base}）：\n{listed}",
        f"Written on 情景对比 (base: {compared.base}): each plan's budget and ad GMV above.",
    )


@_macro
def sensitivity() -> None:
    """Ribbon 敏感性分析: the two-way table of the inputs and steps picked on 敏感性, written there as
    values with its chart."""
    book = _caller()
    try:
        _check_host(book)
        from dyplan.book.contract import SENSITIVITY
        from dyplan.book.sensitivity_sheet import make_sensitivity

        with _quietly(book.app):
            made = make_sensitivity(_planning_book(book), {}, dt.datetime.now())
    except DyplanError as error:
        _tell_error(book, error)
        return
    book.sheets[SENSITIVITY.name].activate()
    picks = made.picks
    _tell(
        book,
        f"已写入「敏感性」表：{picks.output.zh}，行 {picks.rows.zh} × 列 {picks.columns.zh}（各 "
        f"{len(picks.row_steps)} × {len(picks.column_steps)} 个步长）。改了输入后请再点一次。",
        f"Written on 敏感性: {picks.output.en}, rows {picks.rows.en} × columns {picks.columns.en} "
        f"({len(picks.row_steps)} × {len(picks.column_steps)} steps). Click again after changing inputs.",
    )


@_macro
def freeze_baseline() -> None:
    """Ribbon 冻结基线: freeze today's plan on 基线 (asking first whether to replace one frozen before)
    and regenerate."""
    book = _caller()
    try:
        _check_host(book)
        from dyplan.book import versions
        from dyplan.book.contract import BASELINE

        planning = _planning_book(book)
        frozen_on = versions.frozen_on(planning)
        if frozen_on is not None and not _confirm(
            book, f"已有冻结于 {frozen_on} 的基线，替换它吗？此后的对照都以新基线为准。",
            f"A baseline frozen on {frozen_on} is there: replace it? Every comparison from then on is with "
            "the new one.",
        ):  # fmt: skip
            return
        with _quietly(book.app):
            frozen = versions.freeze_baseline(planning, replace=frozen_on is not None)
    except DyplanError as error:
        _tell_error(book, error)
        return
    book.sheets[BASELINE.name].activate()
    day = f"{frozen.baseline.frozen_on:%Y-%m-%d}"
    zh, en = _said(frozen.regenerated)
    _tell(
        book,
        f"已冻结基线（{day}）：{frozen.baseline.inputs}。此后重新生成与导入都与它对照，见「基线」表。{zh}",
        f"Baseline frozen ({day}); every regenerate and import compares with it now, on 基线. {en}",
    )
