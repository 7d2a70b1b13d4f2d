"""Safe handling of the user's workbook files: untrusted archives, locks, and writes that lose nothing.

- An archive is checked for zip bombs before anything unpacks it.
- A write holds an exclusive lock (a lock file beside the workbook), so two dyplan commands on one
  workbook run one after the other instead of one silently undoing the other.
- A write replaces the file atomically, and refuses when the file changed since it was read
  (another program saved it), is read-only, or is open in Excel, WPS or LibreOffice.
- A symlinked workbook is written through to its target; an interrupted write (Ctrl-C, SIGTERM, or
  a kill -9 cleaned up by the next write) leaves no temporary file behind.
- Every OS error becomes a bilingual message naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import signal
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dyplan.errors import DyplanError

#: Limits far above any real plan (the demo plan unpacks to about 2 MB).
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_MEMBERS = 5_000
MAX_RATIO = 200  # unpacked ÷ packed for one member: XML packs 10–30×, a bomb 1000×+
#: How long a write waits for another dyplan command on the same workbook to finish.
LOCK_WAIT_SECONDS = 60.0
TEMP_PREFIX = ".~dyplan-write-"


class WorkbookFileError(DyplanError):
    """The file cannot be used: missing, not a workbook, unsafe, locked, changed or open elsewhere."""


# Why an operating-system call failed, by errno name (not every name exists on every OS).
_OS_REASONS = {
    "ENOSPC": ("磁盘空间已满", "the disk is full"),
    "EDQUOT": ("磁盘配额已用完", "the disk quota is used up"),
    "EACCES": ("没有权限", "permission denied"),
    "EPERM": ("没有权限", "permission denied"),
    "EROFS": ("磁盘为只读", "the disk is read-only"),
    "EISDIR": ("这是文件夹，不是文件", "it is a folder, not a file"),
    "ENOTDIR": ("路径中有一段不是文件夹", "part of the path is not a folder"),
    "ENOENT": ("找不到文件或文件夹", "no such file or folder"),
    "EEXIST": ("已存在同名文件或文件夹", "a file or folder of that name exists"),
    "ENAMETOOLONG": ("文件名或路径过长", "the name or path is too long"),
    "ELOOP": ("符号链接指向自身（循环）", "the symbolic links loop"),
    "EBUSY": ("文件正被占用", "the file is busy"),
    "ETXTBSY": ("文件正被占用", "the file is busy"),
    "EMFILE": ("打开的文件过多", "too many files are open"),
    "ENFILE": ("打开的文件过多", "too many files are open"),
    "EIO": ("读写出错（磁盘、U 盘或网络盘故障？）", "an input/output error (failing disk or drive?)"),
}
_IN_USE = ("文件被其他程序占用（是否已在 Excel 中打开？）", "another program has it open (Excel?)")
# Windows reports these as EACCES or EINVAL; its own code says more.
_WINDOWS_REASONS = {
    32: _IN_USE,  # sharing violation
    33: _IN_USE,  # lock violation
    112: ("磁盘空间已满", "the disk is full"),
    123: ("文件名、文件夹名或盘符无效", "the file, folder or drive name is not valid"),
}


def os_reason(error: OSError) -> tuple[str, str]:
    """Why an OS call failed, in Chinese and English."""
    winerror = getattr(error, "winerror", None)
    if winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    for name, reason in _OS_REASONS.items():
        if error.errno is not None and error.errno == getattr(errno, name, None):
            return reason
    return "系统错误", error.strerror or str(error) or "an operating-system error"


def os_error(path: Path, error: OSError) -> WorkbookFileError:
    """The bilingual message for an OS error on ``path``."""
    zh, en = os_reason(error)
    return WorkbookFileError(f"无法读写 {path}：{zh}。", f"Cannot read or write {path}: {en}.")


def check_archive(path: Path, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse archives that are not zips, or that unpack to far more than any real file."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        if isinstance(error, OSError) and not isinstance(error, zipfile.BadZipFile) and path.is_dir():
            raise os_error(path, IsADirectoryError(errno.EISDIR, "")) from error
        raise WorkbookFileError(
            f"{path.name} 不是 Excel 工作簿（.xlsx/.xlsm）或已损坏。",
            f"{path.name} is not an Excel workbook (.xlsx/.xlsm), or it is damaged.",
        ) from error
    unpacked = sum(m.file_size for m in members)
    bomb = any(m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1)
               for m in members)  # fmt: skip
    if len(members) > MAX_MEMBERS or unpacked > max_unpacked or bomb:
        raise WorkbookFileError(
            f"{path.name} 解压后过大或压缩比异常，已拒绝打开（疑似压缩炸弹）。",
            f"{path.name} unpacks to too much data or compresses suspiciously well; refused "
            "(possible zip bomb).",
        )


def lock_files(path: Path) -> list[Path]:
    """Lock files that Excel/WPS (``~$name``) and LibreOffice (``.~lock.name#``) keep beside open files."""
    candidates = (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#"))
    return [p for p in candidates if p.exists()]


def refuse_if_open(path: Path) -> None:
    """Refuse a workbook open in Excel, WPS or LibreOffice (looked for beside a link and its target)."""
    if lock_files(path) or lock_files(real_path(path)):
        raise WorkbookFileError(
            f"{path.name} 正在被 Excel/WPS/LibreOffice 打开，请先关闭再操作（否则改动会被覆盖）。",
            f"{path.name} is open in Excel/WPS/LibreOffice; close it first (or its copy would "
            "overwrite these changes).",
        )


@dataclass(frozen=True)
class Fingerprint:
    """What a file was when it was read: a later save by anyone else changes it."""

    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, path: Path) -> Fingerprint:
        stat = path.stat()
        return cls(stat.st_size, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())


def real_path(path: Path) -> Path:
    """The file a path names, through any symlinks: that is the file to replace."""
    try:
        return path.resolve(strict=False) if path.is_symlink() else path.absolute()
    except (RuntimeError, OSError) as error:  # a loop of links: Python raises RuntimeError before 3.13
        raise os_error(path, OSError(errno.ELOOP, "symbolic link loop")) from error


def refuse_read_only(path: Path) -> None:
    # The mode bits, not os.access: an administrator may write anything, yet a read-only file
    # says its owner wants it kept.
    if path.exists() and not (path.stat().st_mode & 0o222 and os.access(path, os.W_OK)):
        raise WorkbookFileError(
            f"{path.name} 是只读文件，dyplan 不会改写它；如需更新，请先取消只读。",
            f"{path.name} is read-only, so dyplan leaves it as it is; clear read-only to update it.",
        )


@contextlib.contextmanager
def exclusive(path: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the write lock of ``path``: a lock file beside it, locked by the OS (a crash frees it)."""
    lock = path.with_name(f".~dyplan.{path.name}.lock")
    deadline = time.monotonic() + wait
    while True:
        try:
            handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as error:
            raise os_error(lock.parent, error) from error
        if _try_lock(handle) and _same_file(lock, handle):
            break
        os.close(handle)
        if time.monotonic() > deadline:
            raise WorkbookFileError(
                f"另一个 dyplan 命令正在写入 {path.name}，请稍后再试。",
                f"Another dyplan command is writing {path.name}; try again shortly.",
            )
        time.sleep(0.05)
    try:
        _remove_stale_temps(path)
        yield
    finally:
        if os.name == "nt":  # Windows removes no file that is open: close first
            os.close(handle)
        with contextlib.suppress(OSError):
            lock.unlink()
        if os.name != "nt":  # elsewhere remove it while locked, so nobody locks a file on its way out
            os.close(handle)


def _try_lock(handle: int) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _same_file(lock: Path, handle: int) -> bool:
    """Whether the lock file is still the one locked (its holder removes it when done)."""
    try:
        return os.path.samestat(os.stat(lock), os.fstat(handle))
    except OSError:
        return False


def _remove_stale_temps(path: Path) -> None:
    """Temporary files of a write that was killed: with the lock held, no write of ours is running.

    Only names ``write_atomically`` makes for this very workbook (mkstemp's eight random characters).
    """
    made = re.compile(re.escape(f"{TEMP_PREFIX}{path.stem}-") + r"[a-z0-9_]{8}" + re.escape(path.suffix))
    for stale in path.parent.iterdir():
        if made.fullmatch(stale.name):
            with contextlib.suppress(OSError):
                stale.unlink()


def write_atomically(target: Path, write: Callable[[Path], None], read_as: Fingerprint | None = None) -> None:
    """Write via a temporary file in the same folder, then rename over ``target``.

    ``read_as``: the file as it was read; if it has changed since, nothing is replaced. A failure
    at any point, or a SIGTERM, leaves ``target`` exactly as it was and removes the temporary file.
    """
    target = real_path(target)
    folder = target.parent
    if not folder.is_dir():
        raise WorkbookFileError(f"文件夹不存在：{folder}", f"Folder does not exist: {folder}")
    refuse_read_only(target)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.stem}-", suffix=target.suffix,
                                             dir=folder)  # fmt: skip
    except OSError as error:
        raise os_error(folder, error) from error
    os.close(handle)
    temp = Path(temp_name)
    try:
        with _terminate_raises():
            write(temp)
            # mkstemp makes the file private; give it the old file's mode, or the usual one.
            os.chmod(temp, target.stat().st_mode if target.exists() else 0o666 & ~_umask())
            with open(temp, "rb") as written:
                os.fsync(written.fileno())
            if read_as is not None and (not target.exists() or Fingerprint.of(target) != read_as):
                raise WorkbookFileError(
                    f"{target.name} 在 dyplan 读取之后被其他程序保存过；为免覆盖对方的改动，本次未写入。"
                    "请重新运行命令。",
                    f"{target.name} was saved by another program after dyplan read it; nothing was "
                    "written, so those changes are kept. Run the command again.",
                )
            _replace(temp, target)
    except OSError as error:
        raise os_error(target, error) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _replace(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except PermissionError as error:  # on Windows: another program holds the file open
        raise WorkbookFileError(
            f"无法写入 {target.name}：文件被占用或只读（是否已在 Excel 中打开？）。",
            f"Cannot write {target.name}: the file is locked or read-only (open in Excel?).",
        ) from error


class Terminated(DyplanError):
    """The command was asked to stop (SIGTERM) while it wrote."""


@contextlib.contextmanager
def _terminate_raises() -> Iterator[None]:
    """A SIGTERM during the write raises, so the temporary file is removed and the target kept."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated("已中止，文件未改动。", "Stopped; the file was not changed.")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
