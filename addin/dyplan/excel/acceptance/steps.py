"""The acceptance run's log: what the script recorded (Excel, Windows, each step) and what each
macro said, one JSON object a line (``dyplan.excel.unattended`` writes the macros' lines)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The ribbon's macros in the order the script clicks them.
STEPS = ("regenerate", "validate", "export", "import", "optimise", "accept", "replan",
         "save_scenario", "restore_scenario", "compare", "delete_scenario", "freeze",
         "sensitivity")  # fmt: skip


@dataclass
class Step:
    name: str
    messages: list[dict[str, Any]] = field(default_factory=list)  # what the macro said
    errors: list[str] = field(default_factory=list)  # what the script saw fail

    @property
    def passed(self) -> bool:
        return not self.errors and bool(self.messages) and not any(m["failed"] for m in self.messages)

    def said(self) -> str:
        """The step's outcome in one line: its first error, or the macro's first message."""
        if self.errors:
            return self.errors[0]
        if not self.messages:
            return "宏没有留下消息（是否弹出了对话框？） · the macro left no message (did a box appear?)"
        failed = [m for m in self.messages if m["failed"]] or self.messages
        return f"{failed[0]['zh']} · {failed[0]['en']}"


@dataclass(frozen=True)
class RunLog:
    environment: dict[str, Any]
    steps: dict[str, Step]


def read_log(path: Path) -> RunLog:
    """The log at ``path``: each message or error belongs to the step recorded before it."""
    environment: dict[str, Any] = {}
    steps: dict[str, Step] = {}
    current: Step | None = None
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        kind = record.get("kind")
        if kind == "environment":
            environment.update({k: v for k, v in record.items() if k != "kind"})
        elif kind == "step":
            current = steps.setdefault(record["step"], Step(record["step"]))
        elif current is None:
            continue  # nothing clicked yet: no step to charge it to
        elif kind == "message":
            current.messages.append(record)
        elif kind == "error":
            current.errors.append(str(record.get("message", "")))
    return RunLog(environment, steps)
