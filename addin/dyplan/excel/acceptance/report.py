"""The acceptance report: pass or fail per step, where it ran, and the first differing cells."""

from __future__ import annotations

from dyplan.excel.acceptance.compare import Comparison
from dyplan.excel.acceptance.steps import STEPS, RunLog, Step

SHOWN = 20  # differing cells listed; the count says how many in all
ENVIRONMENT = (
    ("Excel", ("excel_version", "excel_build", "excel_bitness")),
    ("Windows", ("os",)),
    ("区域 locale", ("locale", "system_locale", "excel_language")),
)


def passed(comparison: Comparison, log: RunLog) -> bool:
    return comparison.passed and all(log.steps.get(name, Step(name)).passed for name in STEPS)


def render(comparison: Comparison, log: RunLog) -> str:
    verdict = "通过 PASS" if passed(comparison, log) else "未通过 FAIL"
    lines = [f"# dyplan Excel 验收 · acceptance: {verdict}", ""]
    for label, keys in ENVIRONMENT:
        known = [k for k in keys if log.environment.get(k) not in (None, "")]
        shown = " · ".join(f"{k} {log.environment[k]}" for k in known)
        lines.append(f"- {label}: {shown or '未记录 not recorded'}")
    lines += ["", "| 步骤 step | 结果 result | 消息 message |", "|---|---|---|"]
    for name in STEPS:
        step = log.steps.get(name)
        if step is None:
            lines.append(f"| {name} | 未运行 not run | |")
        else:
            result = "通过 pass" if step.passed else "未通过 fail"
            lines.append(f"| {name} | {result} | {_cell(step.said())} |")
    lines += ["", *_values(comparison), "", *_formulas(comparison)]
    return "\n".join(lines) + "\n"


def _values(comparison: Comparison) -> list[str]:
    n = len(comparison.differences)
    head = (
        f"## 数值 · Values: {comparison.cells:,} 个输出单元格与 dyplan regenerate 相同 · "
        f"{comparison.cells:,} output cells match dyplan regenerate"
        if not n
        else f"## 数值 · Values: {n:,} / {comparison.cells:,} 个单元格不同 · cells differ"
    )
    if not n:
        return [head]
    rows = [f"| {d.where} | {d.block} | {d.excel!r} | {d.dyplan!r} |" for d in comparison.differences[:SHOWN]]
    return [head, "", "| 单元格 cell | 区域 block | Excel | dyplan regenerate |", "|---|---|---|---|", *rows]


def _formulas(comparison: Comparison) -> list[str]:
    n = len(comparison.formula_problems)
    if not n:
        return [f"## 公式 · Formulas: {comparison.formulas:,} 个 =DY_ 单元格都显示数值 · all show values"]
    rows = [f"| {p.where} | {_cell(repr(p.holds))} | {_cell(repr(p.shows))} |"
            for p in comparison.formula_problems[:SHOWN]]  # fmt: skip
    return [
        f"## 公式 · Formulas: {n:,} / {comparison.formulas:,} 个 =DY_ 单元格有误 · formula cells are wrong",
        "",
        "| 单元格 cell | 公式 formula | 显示 shows |",
        "|---|---|---|",
        *rows,
    ]


def _cell(text: str) -> str:
    """Text that stays inside one cell of a Markdown table."""
    return text.replace("|", "\\|").replace("\n", " ")
