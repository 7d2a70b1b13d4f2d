"""The ``dyplan`` command: thin front door over the engine (and, later, the workbook)."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.table import Table

from dyplan.demo import demo_inputs
from dyplan.errors import DyplanError
from dyplan.model import Plan, build_plan

app = typer.Typer(
    help="抖音投放规划 dyplan — plan a Douyin shop's paid traffic for a year.",
    no_args_is_help=True,
    add_completion=False,
)
# Piped output (CI logs, files) gets room for the whole table instead of rich's 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)


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
            *(_money(row[key]) for _, key, footer in columns[2:]),
        )
    return table


def _fail(error: DyplanError) -> None:
    console.print(f"[red]{error.zh}[/red]\n{error.en}", highlight=False)
    raise typer.Exit(code=1)


@app.command()
def demo() -> None:
    """Build the plan for the built-in demo shop and print its summary.

    Example: dyplan demo
    """
    try:
        plan = build_plan(demo_inputs())
    except DyplanError as error:
        _fail(error)
    console.print(summary_table(plan))
    for warning in plan.warnings:
        console.print(f"[yellow]提示 warning[/yellow] {warning}")


@app.command()
def version() -> None:
    """Print the installed dyplan version."""
    from importlib.metadata import version as installed

    console.print(installed("dyplan"))
