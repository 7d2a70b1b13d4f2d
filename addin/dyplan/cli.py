"""The ``dyplan`` command: a thin front door over the engine and the workbook."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dyplan import operations
from dyplan.book.contract import SENSITIVITY, SENSITIVITY_STEPS, Fmt
from dyplan.book.scenarios import Compared, compared_rows
from dyplan.book.workbook import Regenerated
from dyplan.crash_log import write_crash_log
from dyplan.demo import demo_inputs
from dyplan.errors import DyplanError, InputError, Problem
from dyplan.files.safety import os_reason
from dyplan.model import Channel, Optimisation, Plan, under_breakeven
from dyplan.model import Mode as Goal
from dyplan.model import SensitivityOutput as Output
from dyplan.model import SensitivityVariable as Variable
from dyplan.reports.summary import lines as summary_lines

try:  # newer typer carries its own copy of click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer
    from click.exceptions import ClickException

# Piped output (CI logs, files) gets room for the whole table instead of rich's 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
Command = TypeVar("Command", bound=Callable[..., Any])


class DyplanTyper(typer.Typer):
    """A typer app whose every command reports any error as a message, never as a traceback."""

    def __init__(self, **kwargs: Any) -> None:
        # No pretty tracebacks, and never their local variables (they hold the user's data).
        super().__init__(**kwargs, pretty_exceptions_enable=False, pretty_exceptions_show_locals=False)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Command], Command]:
        register = super().command(*args, **kwargs)

        def decorator(function: Command) -> Command:
            register(reporting_errors(function))
            return function

        return decorator


def reporting_errors(command: Command) -> Command:
    """Run ``command`` so that whatever goes wrong ends as a short bilingual message and an exit code.

    DyplanError: its message, exit 1. Any other exception: its traceback goes to a log file
    (dyplan.crash_log) and the message names that file, exit 1; an OSError also says which path
    and why. Ctrl-C: "cancelled", exit 130.
    """

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DyplanError as error:
            _fail(error)
        except (typer.Exit, typer.Abort, ClickException):
            raise  # typer's own exits and usage errors
        except BrokenPipeError:
            raise  # output piped into `head`: typer exits quietly
        except KeyboardInterrupt:
            errors.print("已取消 / cancelled", highlight=False)
            raise typer.Exit(code=130) from None
        except Exception as error:
            _crash(error)

    return run  # type: ignore[return-value]


app = DyplanTyper(
    help="抖音投放规划 dyplan — plan a Douyin shop's paid traffic for a year, in Excel.",
    no_args_is_help=True,
    add_completion=False,
)
template_app = DyplanTyper(help="The planning workbook template 规划模板.", no_args_is_help=True)
app.add_typer(template_app, name="template")
excel_app = DyplanTyper(help="The macro workbook in Microsoft Excel 在 Excel 中使用.", no_args_is_help=True)
app.add_typer(excel_app, name="excel")
scenario_app = DyplanTyper(help="Named scenarios of the inputs, and their plans compared 情景.",
                           no_args_is_help=True)  # fmt: skip
app.add_typer(scenario_app, name="scenario")
baseline_app = DyplanTyper(help="The plan frozen as approved, to compare with 基线.", no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")

DEFAULT_TEMPLATE = Path("workbook_templates") / operations.TEMPLATE_NAME
XLWINGS_CONF = "xlwings.conf"
Workbook = Annotated[Path, typer.Argument(help="The planning workbook (.xlsx or .xlsm).")]


def _money(cny: float) -> str:
    return f"¥{cny:,.2f}"


def summary_table(plan: Plan) -> Table:
    """Phase budgets by channel, with the year's totals."""
    i = plan.inputs
    title = (
        f"{i.shop_name or '—'} · {i.category.zh} · {i.stage.zh} · "
        f"GMV {_money(i.gmv_target)} · {i.start_date:%Y-%m-%d} 起 365 天"
    )
    table = Table(title=title, show_footer=True)
    columns = [
        ("阶段 phase", "phase_zh", "合计 total"),
        ("天数 days", "days", "365"),
        ("GMV", "gmv", None),
        ("预算 budget", "budget", None),
        ("储备 reserve", "reserve", None),
        ("信息流 feed", "feed", None),
        ("搜索 search", "search", None),
        ("直播 live", "live", None),
    ]
    for header, key, footer in columns:
        money = footer is None
        table.add_column(header, footer=_money(plan.totals[key]) if money else footer,
                         justify="right" if money or key == "days" else "left")  # fmt: skip
    for _, row in plan.phases.iterrows():
        table.add_row(
            f"{row['phase']} {row['phase_zh']}",
            str(row["days"]),
            *(_money(row[key]) for _, key, _ in columns[2:]),
        )
    return table


def _report(regenerated: Regenerated) -> None:
    console.print(summary_table(regenerated.plan))
    _warnings(regenerated.plan)
    _replaced(regenerated)
    _earlier_layout(regenerated)


def _warnings(plan: Plan) -> None:
    for warning in plan.all_warnings:
        console.print(f"[yellow]提示 warning[/yellow] {warning}", highlight=False)


def _earlier_layout(regenerated: Regenerated) -> None:
    """Say once what a workbook an earlier release made lacks: the newer assumptions' cells, the
    sheets added since."""
    if (note := regenerated.earlier_note) is not None:
        console.print(f"[yellow]提示 note[/yellow] {note[0]}\n  {note[1]}", highlight=False)


def _replaced(regenerated: Regenerated) -> None:
    """Say which values the user had typed over computed cells, now replaced: never in silence."""
    if regenerated.replaced:
        n = len(regenerated.replaced)
        console.print(f"[yellow]已替换您在计算单元格中填写的 {n} 个值 / replaced {n} value(s) typed over "
                      "computed cells:[/yellow]")  # fmt: skip
        for replaced in regenerated.replaced:
            console.print(f"  {replaced}", highlight=False, markup=False)


def _fail(error: DyplanError) -> None:
    if isinstance(error, InputError):
        errors.print(
            f"[red]输入有 {len(error.problems)} 处问题 / {len(error.problems)} input problem(s):[/red]"
        )
        for problem in error.problems:
            errors.print(
                f"  {problem.where or problem.field}  {problem.zh}\n      {problem.en}", highlight=False
            )
    else:
        errors.print(error.zh, style="red", markup=False, highlight=False)
        errors.print(error.en, markup=False, highlight=False)
    raise typer.Exit(code=1)


def _crash(error: Exception) -> None:
    """Log ``error``'s traceback and say where the log is, in Chinese and English; exit 1."""
    try:
        log = write_crash_log(error)
        log_zh, log_en = f"已记录日志：{log}", f"log: {log}"
    except OSError as log_error:
        reason = log_error.strerror or log_error
        log_zh, log_en = f"日志也无法写入：{reason}", f"the log could not be written either: {reason}"
    if isinstance(error, OSError):
        zh, en = os_reason(error)
        paths = [os.fsdecode(p) for p in (error.filename, error.filename2) if isinstance(p, str | bytes)]
        where = " → ".join(paths)
        os_says = error.strerror or str(error)
        if os_says.lower() != en.lower():  # the OS's own words, often in the system's language
            en = f"{en} — {os_says}"
        zh_where, en_where = (f"{where}：", f"{where}: ") if where else ("读写文件失败：", "File error: ")
        lines = (f"{zh_where}{zh}（{log_zh}）", f"{en_where}{en} ({log_en})")
    else:
        lines = (f"dyplan 出错了（{log_zh}）", f"dyplan hit an unexpected error ({log_en})")
    # soft_wrap: a log path broken across lines cannot be copied
    errors.print(lines[0], style="red", markup=False, highlight=False, soft_wrap=True)
    errors.print(lines[1], markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="Where to create the workbook (.xlsx, or .xlsm for Excel).")],
    demo: Annotated[bool, typer.Option("--demo", help="Fill in the demo shop's inputs.")] = False,
) -> None:
    """Create a fresh planning workbook 新建规划工作簿.

    Example: dyplan new 2027年投放规划.xlsx --demo
    """
    operations.new_workbook(path, demo_inputs() if demo else None)
    console.print(f"已创建 created: {path}")


@app.command()
def check(path: Workbook) -> None:
    """Validate the inputs; list every problem with its sheet and cell 校验输入.

    Example: dyplan check 2027年投放规划.xlsx
    """
    plan = operations.check_file(path)
    console.print("输入有效 inputs are valid.")
    _warnings(plan)


@app.command()
def regenerate(path: Workbook) -> None:
    """Recompute every allocation and write it into the workbook 重新生成分配.

    Cells you typed are never changed; on any error the file is left as it was.

    Example: dyplan regenerate 2027年投放规划.xlsx
    """
    _report(operations.regenerate_file(path))
    console.print(f"已更新 updated: {path}")


@app.command()
def export(
    path: Workbook,
    out: Annotated[Path, typer.Option("--out", "-o", help="The finished plan to write (.xlsx).")],
) -> None:
    """Write the finished, macro-free plan that opens anywhere 导出方案.

    Example: dyplan export 2027年投放规划.xlsx --out 2027年投放方案.xlsx
    """
    operations.export_file(path, out)
    console.print(f"已导出 exported: {out}")


@app.command()
def demo(
    folder: Annotated[
        Path | None, typer.Argument(help="Folder for the files (default: a new temporary one).")
    ] = None,
) -> None:
    """Create, regenerate and export the built-in demo shop's plan 示例.

    Example: dyplan demo ./示例
    """
    target = folder or Path(tempfile.mkdtemp(prefix="dyplan-demo-"))
    target.mkdir(parents=True, exist_ok=True)
    workbook, finished = target / "示例规划.xlsx", target / "示例方案.xlsx"
    for path in (workbook, finished):
        path.unlink(missing_ok=True)
    operations.new_workbook(workbook, demo_inputs())
    regenerated = operations.regenerate_file(workbook)
    operations.export_file(workbook, finished)
    _report(regenerated)
    console.print(f"规划工作簿 planning workbook: {workbook}\n最终方案 finished plan: {finished}")


@app.command("import-report")
def import_report(
    path: Workbook,
    reports: Annotated[list[Path], typer.Argument(help="Report exports (.csv or .xlsx).")],
    allow_unreadable: Annotated[
        bool,
        typer.Option(
            "--allow-unreadable",
            help="Count money cells that cannot be read as blank (each is named) instead of refusing.",
        ),
    ] = False,
) -> None:
    """Import 千川 / 巨量引擎 / 罗盘 report exports into the plan's actuals and regenerate 导入报表.

    Reports of different sources (标准推广, 全域推直播, 全域推商品, accounts, plans) add up; a report
    imported again replaces only its own rows, so nothing is counted twice. Each file's summary
    shows what it was read as, the header of each measure, what it lacks and its totals.

    Example: dyplan import-report 2027年投放规划.xlsx 标准推广_1月.csv 全域推直播_1月.xlsx
    """
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[rows]:,} 行 rows"),
               TimeElapsedColumn())  # fmt: skip
    # Leaving the block on an error stops the bar before the message is printed.
    with Progress(*columns, console=errors, transient=True) as progress:
        tasks = {r: progress.add_task(r.name, total=None, rows=0) for r in reports}
        imported, read = operations.import_files(
            path, reports, lambda report, rows: progress.update(tasks[report], rows=rows), allow_unreadable
        )
    plan = imported.plan
    for report, summary, replaced in zip(read, imported.summaries, imported.replaced_rows, strict=True):
        for line in summary_lines(report.path.name, summary, replaced):
            console.print(line, highlight=False, markup=False)
    fired = plan.alerts[plan.alerts["fired"]]
    for _, alert in fired.iterrows():
        console.print(f"[red]预警 alert[/red] {alert['alert_zh']} → {alert['response_zh']}", highlight=False)
    if plan.risk_index is not None:
        console.print(f"综合风险 risk index {plan.risk_index:.1f} {plan.risk_level.zh}", highlight=False)
    _replaced(imported)
    _earlier_layout(imported)
    console.print(f"已更新 updated: {path}")


@template_app.command("build")
def template_build(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the .xlsx; the .xlsm goes beside it.")
    ] = DEFAULT_TEMPLATE,
) -> None:
    """Build the blank planning workbooks, .xlsx and .xlsm for Excel, from the contract (deterministic).

    Example: dyplan template build --out workbook_templates/dyplan.xlsx
    """
    from dyplan.excel import udf_wrapper  # the worksheet functions, and xlwings: only when building

    if udf_wrapper.write_source():
        console.print(f"已更新 updated: {udf_wrapper.SOURCE}")
    built = [out.with_suffix(".xlsx"), out.with_suffix(".xlsm")]
    for path in built:
        operations.build_template(path)
    console.print(f"已生成 built: {', '.join(map(str, built))}")


@excel_app.command("setup")
def excel_setup(
    workbook: Annotated[Path, typer.Argument(help="The macro workbook (.xlsm) to set up.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the set-up copy (.xlsm).")],
) -> None:
    """Check the workbook runs without an add-in and write this Python into a copy of it 配置 Excel.

    The copy's xlwings.conf sheet names this Python (Interpreter_Win, on a Mac Interpreter_Mac),
    so RunPython and the worksheet functions start the Python that has dyplan; the original
    workbook is not changed.

    Example: dyplan excel setup 2027年投放规划.xlsm --out 2027年投放规划_本机.xlsm
    """
    from dyplan.excel import setup  # xlwings and the VBA reader: only here

    done = setup.set_up(workbook, out)
    console.print(f"已检查 checked: {workbook} — 无需加载项，xlwings {done.xlwings_version} 与本机一致 / "
                  "needs no add-in, its xlwings matches this Python's", highlight=False)  # fmt: skip
    before = f"（原为 was {done.replaced}）" if done.replaced else ""
    console.print(f"已写入 wrote: {XLWINGS_CONF} › {done.key} = {done.interpreter}{before}", highlight=False)
    console.print(f"已创建 created: {done.copy} — 用 Excel 打开并点「启用内容」/ open it in Excel and click "
                  "Enable Content", highlight=False)  # fmt: skip


@excel_app.command("accept-report")
def excel_accept_report(
    saved: Annotated[Path, typer.Argument(help="The .xlsm the acceptance run saved from Excel.")],
    log: Annotated[Path, typer.Option("--log", help="The run's log (JSON lines) of steps and messages.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the report (Markdown).")],
) -> None:
    """Compare a workbook saved by Excel with dyplan regenerate of its inputs and report 验收报告.

    Every output cell must match (money to the fen, other numbers within 1e-9 relative, text
    exactly), every =DY_ cell must show a value, and every ribbon step must have succeeded;
    exits 1 otherwise. scripts/excel-acceptance.ps1 runs it (docs/excel-acceptance.md).

    Example: dyplan excel accept-report acceptance.xlsm --log steps.jsonl --out report.md
    """
    from dyplan.excel.acceptance import compare, report, steps  # openpyxl and the engine: only here

    run = steps.read_log(log)
    comparison = compare.compare(saved)
    out.write_text(report.render(comparison, run), encoding="utf-8")
    ok = report.passed(comparison, run)
    console.print(f"{'通过 PASS' if ok else '未通过 FAIL'}: {out}", highlight=False, markup=False)
    if not ok:
        raise typer.Exit(code=1)


GOAL_HELP = ("budget: the most GMV for the budget; roi: the largest budget at a target ROI; "
             "gmv: the least budget for a target ad GMV.")  # fmt: skip
TARGET_HELP = "The ROI (--mode roi) or the year's ad GMV (--mode gmv); default: the plan's."
ACCEPT_HELP = "Type the proposed shares into 假设's channel mix and regenerate."


@app.command()
def optimize(
    path: Workbook,
    mode: Annotated[Goal, typer.Option("--mode", help=GOAL_HELP)] = Goal.BUDGET,
    target: Annotated[float | None, typer.Option("--target", help=TARGET_HELP)] = None,
    accept: Annotated[bool, typer.Option("--accept", help=ACCEPT_HELP)] = False,
) -> None:
    """Propose each phase's channel split on the response curves 优化建议 (nothing changes without --accept).

    Example: dyplan optimize 2027年投放规划.xlsx --mode roi --target 3
    """
    optimised = operations.optimize_file(path, mode, target, accept)
    console.print(_proposal_table(optimised.proposal))
    for curve in optimised.curves.values():
        note = f" · {curve.note}" if curve.note else ""
        line = (
            f"{curve.channel.zh} {curve.channel.value}: 曲线 curve {curve.source.zh} {curve.source.en}{note}"
        )
        console.print(line, highlight=False, markup=False)
    if optimised.accepted is None:
        console.print("未修改工作簿；加 --accept 采纳建议 / unchanged; add --accept to take the proposal.")
        return
    _report(optimised.accepted)
    console.print(f"已采纳并更新 accepted and updated: {path}")


def _proposal_table(proposal: Optimisation) -> Table:
    """Per phase: budget, GMV and ROI now → proposed, and the channel shares now → proposed."""
    table = Table(title=f"优化建议 proposal · 保本ROI break-even ROI {proposal.breakeven_roi:.2f}")
    table.add_column("阶段 phase")
    for header in ("预算 budget", "GMV", "ROI", "提升 uplift", *(f"{c.zh} {c.value}" for c in Channel)):
        table.add_column(header, justify="right")
    for p in proposal.phases:
        under = " ⚠" if under_breakeven(p.proposed.roi, proposal.breakeven_roi) else ""
        table.add_row(
            f"{p.phase.value} {p.phase.zh}",
            f"{_money(sum(p.current_cny))} → {_money(sum(p.proposed_cny))}",
            f"{_money(p.current_gmv)} → {_money(p.proposed_gmv)}",
            f"{p.current.roi:.2f} → {p.proposed.roi:.2f}{under}",
            _money(p.uplift),
            *(f"{a:.1%} → {b:.1%}" for a, b in zip(p.current.shares, p.proposed_mix, strict=True)),
        )
    return table


@app.command()
def replan(path: Workbook) -> None:
    """Re-plan the rest of the year from the imported actuals, and what to set in 千川 next 重新规划.

    Example: dyplan replan 2027年投放规划.xlsx
    """
    replanned, settings = operations.replan_file(path)
    roi = "—" if replanned.roi_to_date is None else f"{replanned.roi_to_date:.2f}"
    lines = [
        f"截至 through {replanned.through:%Y-%m-%d}（第 {replanned.through_day} 天 day）：已花费 spent "
        f"{_money(replanned.spent)} · 广告成交 ad GMV {_money(replanned.gmv_to_date)} · ROI {roi}",
        f"剩余预算重新分配 the budget left, re-spread: {_money(replanned.remaining)}",
    ]
    if replanned.projected_gmv is not None:
        lines.insert(1, f"按当前节奏全年 at this pace the year ends at: 花费 spend "
                        f"{_money(replanned.projected_spend)} · GMV {_money(replanned.projected_gmv)}"
                        f"（目标 target {_money(replanned.gmv_target)}）")  # fmt: skip
    for line in lines:
        console.print(line, highlight=False, markup=False)
    raised = "（已提高到保本ROI raised to break-even）" if settings.raised_to_breakeven else ""
    table = Table(title=f"千川投放设置 Qianchuan settings · roi2_goal {settings.roi_goal:.2f}{raised}")
    for header in ("周 week", "日期 dates", "计划类型 plan type"):
        table.add_column(header)
    for header in ("周预算 week budget", "日均 per day"):
        table.add_column(header, justify="right")
    for row in settings.weeks.itertuples(index=False):
        dates, kind = f"{row.first:%m-%d} – {row.last:%m-%d}", f"{row.plan_type_zh} {row.plan_type}"
        table.add_row(str(row.week), dates, kind, _money(row.budget), _money(row.budget / row.days))
    console.print(table)


STEPS_HELP = "各步长（%），逗号分隔，最多 9 个 / the steps in %, comma-separated, at most 9"
RowsOption = typer.Option("--rows", help="行：变动的输入 / the input down the rows", show_default=False)
ColumnsOption = typer.Option("--cols", help="列：变动的输入 / the input across", show_default=False)
OutputOption = typer.Option("--output", help="表中数值 / what each cell holds", show_default=False)
RowStepsOption = typer.Option("--row-steps", help=STEPS_HELP, show_default=False)
ColumnStepsOption = typer.Option("--col-steps", help=STEPS_HELP, show_default=False)


def _steps(text: str, option: str) -> tuple[float, ...]:
    """``"-30,-20,0,10"`` as shares (-0.3, -0.2, 0, 0.1); a bilingual error naming the option if not."""
    try:
        steps = tuple(float(part) / 100 for part in text.replace("%", "").split(",") if part.strip())
    except ValueError:
        steps = ()
    if not 0 < len(steps) <= SENSITIVITY_STEPS or any(not -1 < step <= 10 for step in steps):
        zh = (f"应为逗号分隔的 1–{SENSITIVITY_STEPS} 个百分比，每个在 −99 到 1000 之间，例如 -20,0,20，"
              f"当前为「{text}」")  # fmt: skip
        en = (f"must be 1–{SENSITIVITY_STEPS} comma-separated percentages from -99 to 1000, e.g. -20,0,20; "
              f"got {text!r}")  # fmt: skip
        raise InputError([Problem(option, zh, en)])
    return steps


@app.command()
def sensitivity(
    path: Workbook,
    rows: Annotated[Variable | None, RowsOption] = None,
    columns: Annotated[Variable | None, ColumnsOption] = None,
    output: Annotated[Output | None, OutputOption] = None,
    row_steps: Annotated[str | None, RowStepsOption] = None,
    column_steps: Annotated[str | None, ColumnStepsOption] = None,
) -> None:
    """Make the 敏感性 sheet's two-way table 敏感性分析: a plan figure for every pair of changes of two
    inputs, written as values with its chart. The inputs, steps and figure are those picked on the sheet
    (by default GMV target × budget ratio → total budget, ±10/20/30 %); options given are typed there first.

    Example: dyplan sensitivity 2027年投放规划.xlsx --rows target_roi --cols gmv_target --output ad_gmv
    """
    given = {"rows": rows, "columns": columns, "output": output,
             "row_steps": row_steps and _steps(row_steps, "--row-steps"),
             "column_steps": column_steps and _steps(column_steps, "--col-steps")}  # fmt: skip
    made = operations.sensitivity_file(path, {k: v for k, v in given.items() if v is not None})
    picks, blocks = made.picks, made.blocks
    shown = Table(title=f"{picks.output.zh} {picks.output.en}: {picks.rows.zh} {picks.rows.en} ↓ × "
                        f"{picks.columns.zh} {picks.columns.en} →")  # fmt: skip
    shown.add_column(f"{picks.rows.zh} \\ {picks.columns.zh}")
    shown.add_column("")
    for head, value in zip(blocks.heads[0][2:], blocks.heads[1][2:], strict=True):
        if head is not None:
            shown.add_column(f"{head}\n{value}", justify="right")
    for row in blocks.rows[: blocks.drawn]:
        shown.add_row(row[0], row[1], *(_money(v) for v in row[2 : 2 + len(picks.column_steps)]))
    console.print(shown)
    if made.typed:
        console.print(f"已按选项填入 typed from the options: {'、'.join(made.typed)}", highlight=False)
    console.print(f"已写入「{SENSITIVITY.name}」 written on {SENSITIVITY.en}: {path.name}", highlight=False)


ScenarioName = Annotated[str | None, typer.Argument(help="The scenario's name (at most 20 characters).",
                                                    show_default=False)]  # fmt: skip


@scenario_app.command("save")
def scenario_save(
    path: Workbook,
    name: ScenarioName = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace a scenario of that name.")] = False,
) -> None:
    """Save every input and assumption, as they are now, as a named scenario on 情景 保存情景.

    Example: dyplan scenario save 2027年投放规划.xlsx 方案A
    """
    saved = operations.save_scenario_file(path, name, replace)
    done = "已替换 replaced" if saved.replaced else "已保存 saved"
    what = f"{saved.inputs} 项输入与假设 inputs and assumptions"
    console.print(f"{done}：情景「{saved.name}」，{what} → {path}", highlight=False, markup=False)


@scenario_app.command("list")
def scenario_list(path: Workbook) -> None:
    """List the saved scenarios, each with the day it was saved and how many inputs differ now 情景列表.

    Example: dyplan scenario list 2027年投放规划.xlsx
    """
    listed = operations.list_scenarios_file(path)
    if not listed:
        console.print("尚无情景；用 dyplan scenario save 保存 / no scenario yet: save one with "
                      "`dyplan scenario save`.", highlight=False, markup=False)  # fmt: skip
        return
    table = Table(title="情景 scenarios")
    table.add_column("情景 scenario")
    table.add_column("保存日期 saved on")
    table.add_column("输入与假设 inputs", justify="right")
    table.add_column("与当前不同 differ now", justify="right")
    for scenario in listed:
        table.add_row(scenario.name, scenario.saved_on, str(scenario.inputs), str(scenario.differing))
    console.print(table)


@scenario_app.command("restore")
def scenario_restore(path: Workbook, name: ScenarioName = None) -> None:
    """Type a saved scenario's inputs back into 输入 and 假设 (only the cells that differ), and regenerate
    恢复情景.

    Example: dyplan scenario restore 2027年投放规划.xlsx 方案A
    """
    restored = operations.restore_scenario_file(path, name)
    restoring = restored.restoring
    n = len(restoring.changes)
    console.print(f"已恢复 {n} 个单元格 / restored {n} cell(s):", highlight=False, markup=False)
    for change in restoring.changes:
        console.print(f"  {change}", highlight=False, markup=False)
    if restoring.missing:
        m = len(restoring.missing)
        console.print(f"[yellow]此情景由较早版本保存，没有以下输入（共 {m} 项），保持不变 / saved by an "
                      f"earlier release without these inputs ({m} in all), kept:[/yellow]")  # fmt: skip
        for line in restoring.missing_lines():
            console.print(f"  {line}", highlight=False, markup=False)
    if restoring.unknown:
        console.print(f"本版本没有这些输入，未恢复 / no such input in this release, not restored: "
                      f"{', '.join(restoring.unknown)}", highlight=False, markup=False)  # fmt: skip
    _report(restored.regenerated)
    console.print(f"已更新 updated: {path}")


@scenario_app.command("delete")
def scenario_delete(path: Workbook, name: ScenarioName = None) -> None:
    """Delete a saved scenario from 情景 删除情景.

    Example: dyplan scenario delete 2027年投放规划.xlsx 方案A
    """
    operations.delete_scenario_file(path, name)
    console.print(
        f"已删除 deleted：情景「{name.strip() if name else ''}」 → {path}", highlight=False, markup=False
    )


@scenario_app.command("compare")
def scenario_compare(
    path: Workbook,
    names: Annotated[
        list[str] | None, typer.Argument(help="Scenarios to compare (default: every one).")
    ] = None,
    base: Annotated[
        str | None,
        typer.Option("--base", help="The scenario the others are set against (default: 当前 current)."),
    ] = None,
) -> None:
    """Build each scenario's plan and the current inputs', set their figures side by side with each one's
    difference to the base, on 情景对比 情景对比.

    Example: dyplan scenario compare 2027年投放规划.xlsx 方案A 方案B --base 方案A
    """
    compared = operations.compare_scenarios_file(path, names or [], base)
    console.print(_compared_table(compared))
    console.print(f"已写入 written: {path} › 情景对比", highlight=False, markup=False)


def _compared_table(compared: Compared) -> Table:
    """Each figure of each plan compared, and the differences to the base."""
    table = Table(title=f"情景对比 scenarios compared · 基准 base: {compared.base}")
    table.add_column("指标 figure")
    for entry in compared.entries:
        table.add_column(f"{entry.heads[0]}\n{entry.heads[1]}", justify="right")
    for row, values in compared_rows(compared):
        money = row.fmt is Fmt.MONEY
        shown = ["—" if v is None else _money(v) if money else f"{v:,.2f}" for v in values]
        table.add_row(f"{row.zh} {row.en}", *shown)
    return table


@baseline_app.command("freeze")
def baseline_freeze(
    path: Workbook,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the baseline frozen before.")] = False,
) -> None:
    """Freeze the plan as it is now, day by day, on 基线; regenerate and import set it beside the live plan
    and the actuals from then on 冻结基线.

    Example: dyplan baseline freeze 2027年投放规划.xlsx
    """
    frozen = operations.freeze_baseline_file(path, replace)
    _report(frozen.regenerated)
    baseline = frozen.baseline
    console.print(f"已冻结基线 baseline frozen on {baseline.frozen_on:%Y-%m-%d}：{baseline.inputs} → {path}",
                  highlight=False, markup=False)  # fmt: skip


@app.command()
def version() -> None:
    """Print the installed dyplan version."""
    from importlib.metadata import version as installed

    console.print(installed("dyplan"))
