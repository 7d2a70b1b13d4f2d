"""The ``dyplan`` command: a thin front door over the engine and the workbook."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dyplan.book import operations
from dyplan.demo import demo_inputs
from dyplan.errors import DyplanError, InputError
from dyplan.model import Plan

app = typer.Typer(
    help="抖音投放规划 dyplan — plan a Douyin shop's paid traffic for a year, in Excel.",
    no_args_is_help=True,
    add_completion=False,
)
template_app = typer.Typer(help="The planning workbook template 规划模板.", no_args_is_help=True)
app.add_typer(template_app, name="template")
# Piped output (CI logs, files) gets room for the whole table instead of rich's 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

DEFAULT_TEMPLATE = Path("workbook_templates") / operations.TEMPLATE_NAME
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


def _report(plan: Plan) -> None:
    console.print(summary_table(plan))
    for warning in plan.warnings:
        console.print(f"[yellow]提示 warning[/yellow] {warning}", highlight=False)


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
        errors.print(f"[red]{error.zh}[/red]\n{error.en}", highlight=False)
    raise typer.Exit(code=1)


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="Where to create the workbook (.xlsx, or .xlsm for Excel).")],
    demo: Annotated[bool, typer.Option("--demo", help="Fill in the demo shop's inputs.")] = False,
) -> None:
    """Create a fresh planning workbook 新建规划工作簿.

    Example: dyplan new 2027年投放规划.xlsx --demo
    """
    try:
        operations.new_workbook(path, demo_inputs() if demo else None)
    except DyplanError as error:
        _fail(error)
    console.print(f"已创建 created: {path}")


@app.command()
def check(path: Workbook) -> None:
    """Validate the inputs; list every problem with its sheet and cell 校验输入.

    Example: dyplan check 2027年投放规划.xlsx
    """
    try:
        plan = operations.check_file(path)
    except DyplanError as error:
        _fail(error)
    console.print("输入有效 inputs are valid.")
    for warning in plan.warnings:
        console.print(f"[yellow]提示 warning[/yellow] {warning}", highlight=False)


@app.command()
def regenerate(path: Workbook) -> None:
    """Recompute every allocation and write it into the workbook 重新生成分配.

    Cells you typed are never changed; on any error the file is left as it was.

    Example: dyplan regenerate 2027年投放规划.xlsx
    """
    try:
        plan = operations.regenerate_file(path)
    except DyplanError as error:
        _fail(error)
    _report(plan)
    console.print(f"已更新 updated: {path}")


@app.command()
def export(
    path: Workbook,
    out: Annotated[Path, typer.Option("--out", "-o", help="The finished plan to write (.xlsx).")],
) -> None:
    """Write the finished, macro-free plan that opens anywhere 导出方案.

    Example: dyplan export 2027年投放规划.xlsx --out 2027年投放方案.xlsx
    """
    try:
        operations.export_file(path, out)
    except DyplanError as error:
        _fail(error)
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
    try:
        for path in (workbook, finished):
            path.unlink(missing_ok=True)
        operations.new_workbook(workbook, demo_inputs())
        plan = operations.regenerate_file(workbook)
        operations.export_file(workbook, finished)
    except DyplanError as error:
        _fail(error)
    _report(plan)
    console.print(f"规划工作簿 planning workbook: {workbook}\n最终方案 finished plan: {finished}")


@app.command("import-report")
def import_report(
    path: Workbook,
    reports: Annotated[list[Path], typer.Argument(help="Qianchuan report exports (.csv or .xlsx).")],
) -> None:
    """Import Qianchuan report exports into the plan's actuals and regenerate 导入报表.

    Each import replaces the days its reports cover, so importing a report twice, or
    overlapping date ranges, never counts a day twice.

    Example: dyplan import-report 2027年投放规划.xlsx 千川报表_1月.csv 千川报表_2月.xlsx
    """
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[rows]:,} 行 rows"),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=errors, transient=True) as progress:
        tasks = {r: progress.add_task(r.name, total=None, rows=0) for r in reports}
        try:
            plan, read = operations.import_files(
                path, reports, lambda report, rows: progress.update(tasks[report], rows=rows)
            )
        except DyplanError as error:
            progress.stop()
            _fail(error)
    for report in read:
        dates = report.rows["date"]
        console.print(
            f"{report.path.name}: {report.read_rows:,} 行 rows, 跳过 skipped {report.skipped_rows:,}, "
            f"{min(dates)} – {max(dates)}",
            highlight=False,
        )
    fired = plan.alerts[plan.alerts["fired"]]
    for _, alert in fired.iterrows():
        console.print(f"[red]预警 alert[/red] {alert['alert_zh']} → {alert['response_zh']}", highlight=False)
    if plan.risk_index is not None:
        console.print(f"综合风险 risk index {plan.risk_index:.1f} {plan.risk_level.zh}", highlight=False)
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
    built = [out.with_suffix(".xlsx"), out.with_suffix(".xlsm")]
    try:
        for path in built:
            operations.build_template(path)
    except DyplanError as error:
        _fail(error)
    console.print(f"已生成 built: {', '.join(map(str, built))}")


@app.command()
def version() -> None:
    """Print the installed dyplan version."""
    from importlib.metadata import version as installed

    console.print(installed("dyplan"))
