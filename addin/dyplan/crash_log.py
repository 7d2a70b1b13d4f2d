"""The log of an unexpected error: its full traceback goes to a file, never onto a user's screen."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
import sys
import tempfile
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def log_folder() -> Path:
    r"""The per-user log folder: %LOCALAPPDATA%\dyplan\logs on Windows, else $XDG_STATE_HOME/dyplan
    (~/.local/state/dyplan when it is unset)."""
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else Path.home() / "AppData" / "Local") / "dyplan" / "logs"
    state = os.environ.get("XDG_STATE_HOME", "")
    # The XDG spec says to ignore a relative path.
    return (Path(state) if os.path.isabs(state) else Path.home() / ".local" / "state") / "dyplan"


def write_crash_log(error: BaseException) -> Path:
    """Write ``error``'s full traceback, with the command and versions, to a new log file; return its path.

    The file goes in :func:`log_folder`, or in the system temp folder when that cannot be created or
    written; it is named for the time and process (dyplan-20271201-084500-4242.log) and never
    overwrites another. Raises OSError when neither folder can take it.
    """
    text = _log_text(error)
    name = f"dyplan-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
    failure: OSError | None = None
    for folder in _folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return _write_new(folder, name, text)
        except OSError as exc:
            failure = exc
    assert failure is not None  # the temp folder is always tried
    raise failure


def _folders() -> list[Path]:
    try:
        preferred = [log_folder()]
    except RuntimeError:  # Path.home() when no home folder can be found
        preferred = []
    return [*preferred, Path(tempfile.gettempdir())]


def _write_new(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` to a file in ``folder`` that did not exist before (private to the user)."""
    for n in range(1, 1000):
        path = folder / f"{name}{f'-{n}' if n > 1 else ''}.log"
        try:
            # O_EXCL: never overwrite, never follow a link planted in a shared temp folder.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as log:
                log.write(text)
        except OSError:
            path.unlink(missing_ok=True)  # a half-written log (disk full) helps nobody
            raise
        return path
    raise FileExistsError(f"no free log file name in {folder}")


def _log_text(error: BaseException) -> str:
    try:
        dyplan_version = version("dyplan")
    except PackageNotFoundError:
        dyplan_version = "not installed"
    header = [
        f"dyplan {dyplan_version} · Python {platform.python_version()} · {platform.platform()}",
        f"time: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"command: {shlex.join(sys.argv)}",
        f"folder: {_cwd()}",
    ]
    return "\n".join(header) + "\n\n" + "".join(traceback.format_exception(error))


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError as exc:  # the folder was deleted under us
        return f"? ({exc})"
