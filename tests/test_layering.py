"""Imports point one way: front doors → operations → template → book → reports → files → engine →
base, with no circle between modules (imports inside functions and for type checking count too)."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "addin" / "dyplan"
#: Top to bottom: a module imports from its own layer or the ones below it.
LAYERS = (
    ("dyplan.cli", "dyplan.excel"),
    ("dyplan.operations", "dyplan.demo"),
    ("dyplan.template",),
    ("dyplan.book",),
    ("dyplan.reports",),
    ("dyplan.files",),
    ("dyplan.model",),
    ("dyplan.errors", "dyplan.scalars", "dyplan.crash_log", "dyplan"),
)


def module_name(path: Path) -> str:
    parts = ("dyplan", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in its text."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}  # a module imported by name
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def layer(name: str) -> int:
    """The layer of a module: that of the longest prefix listed."""
    best = max((p for group in LAYERS for p in group if name == p or name.startswith(p + ".")), key=len)
    return next(number for number, group in enumerate(LAYERS) if best in group)


def test_every_module_has_a_layer():
    assert [name for name in MODULES if not any(name == p or name.startswith(p + ".")
                                                for group in LAYERS for p in group)] == []  # fmt: skip


def test_imports_point_down_the_layers():
    upward = sorted(
        f"{name} → {target}"
        for name, targets in GRAPH.items()
        for target in targets
        if layer(target) < layer(name)
    )
    assert upward == []


def test_no_circle_between_modules():
    """Tarjan's strongly connected components: any of more than one module is a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for target in sorted(GRAPH[name]):
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component = []
            while not component or component[-1] != name:
                component.append(stack.pop())
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    assert circles == []


@pytest.mark.parametrize(
    ("planted", "check"),
    [
        ("dyplan.book.contract", test_imports_point_down_the_layers),  # the engine importing the workbook
        ("dyplan.model.plan", test_no_circle_between_modules),  # the calendar importing what imports it
    ],
)
def test_the_checks_catch_a_planted_offender(planted, check, monkeypatch):
    monkeypatch.setitem(GRAPH, "dyplan.model.calendar", GRAPH["dyplan.model.calendar"] | {planted})
    with pytest.raises(AssertionError):
        check()


def loaded_after(imports: str, watched: tuple[str, ...]) -> list[str]:
    """The modules starting with any of ``watched`` that a fresh Python holds after ``imports``."""
    probe = f"print(json.dumps([m for m in sys.modules if m.startswith({watched!r})]))"
    code = f"import json, sys, {imports}\n{probe}"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return sorted(json.loads(out.stdout))


def test_engine_import_loads_no_io_libraries():
    io = ("openpyxl", "xlwings", "typer", "rich", "xlsxwriter")
    assert [m for m in loaded_after("dyplan.model", io) if m.split(".")[0] in io] == []


def test_engine_import_loads_no_scipy():
    """scipy is imported where curves are fitted and optima polished: a click that only rebuilds the
    plan does not wait for it."""
    assert loaded_after("dyplan.model", ("scipy",)) == []


def test_the_command_line_loads_no_xlwings():
    """xlwings (and the cryptography its pro part loads) is Excel's: a command run from a terminal,
    an .xlsm made included, does not wait a tenth of a second for it."""
    assert loaded_after("dyplan.cli, dyplan.template.xlsm", ("xlwings", "cryptography")) == []


def test_regenerate_without_actuals_loads_no_scipy(tmp_path):
    """The seeded curves (shape 1) are split in closed form: a regenerate, the proposal on 优化建议
    included, does not wait for scipy until there are actuals to fit."""
    path = tmp_path / "规划.xlsx"
    code = (
        "import json, sys\nfrom pathlib import Path\nfrom dyplan import operations\n"
        f"from dyplan.demo import demo_inputs\npath = Path({str(path)!r})\n"
        "operations.new_workbook(path, demo_inputs())\noperations.regenerate_file(path)\n"
        "print(json.dumps([m for m in sys.modules if m.startswith('scipy')]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_engine_is_used_through_its_public_api():
    """Outside the engine, modules import ``dyplan.model``, never its internals."""
    internal = sorted(f"{name} → {target}" for name, targets in GRAPH.items()
                      if not name.startswith("dyplan.model")
                      for target in targets if target.startswith("dyplan.model."))  # fmt: skip
    assert internal == []
