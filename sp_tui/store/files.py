"""Every file sp-tui writes: private (0600 files, 0700 folders), never half-written.

A file is written under a temporary name in a private folder beside its target
(``.sp-tui-tmp/``, mode 0700), flushed to disk (fsync), then renamed into place: an
interruption leaves nothing at the final name, and what it leaves in the private folder is
removed by the next run (entries of processes that are no longer running). Nothing goes to the
system's temporary folder, which other users can list and which is often not wiped.
"""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_FOLDER = ".sp-tui-tmp"
FILE_MODE = 0o600
FOLDER_MODE = 0o700


class OutputProblem(ValueError):
    """An output path that cannot or may not be written; the message says why, in words."""


def describe_os_error(exc: OSError, path: Path | str | None = None) -> str:
    """An OSError in words a user can act on."""
    where = f" ({path})" if path else (f" ({exc.filename})" if exc.filename else "")
    known: dict[int | None, str] = {  # exc.errno may be None: then the default
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the disk is read-only",
        errno.EISDIR: "that is a folder, not a file",
        errno.ENOTDIR: "a part of that path is a file, not a folder",
        errno.ENOENT: "no such file or folder",
        errno.EEXIST: "it already exists",
        errno.ENAMETOOLONG: "the name is too long",
        errno.EIO: "the disk reported an input/output error",
    }
    reason = known.get(exc.errno, exc.strerror or str(exc))
    return f"{reason}{where}: nothing was written there"


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` (and missing parents) with mode 0700; an existing one is left as is."""
    folder = Path(folder)
    if folder.is_dir():
        return
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for new in reversed(missing):
        try:
            os.mkdir(new, FOLDER_MODE)
        except FileExistsError:
            continue
        os.chmod(new, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def private_temp_folder(target: Path) -> Path:
    """The private folder beside ``target`` for its temporaries; stale entries removed."""
    folder = Path(target).parent / TEMP_FOLDER
    make_private_dirs(folder.parent)
    try:
        os.mkdir(folder, FOLDER_MODE)
        os.chmod(folder, FOLDER_MODE)
    except FileExistsError:
        pass
    clean_stale(folder)
    return folder


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(folder: Path) -> int:
    """Remove the entries left by processes that are no longer running; returns how many."""
    removed = 0
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return 0
    for entry in entries:
        pid_text = entry.name.lstrip(".").split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()
            removed += 1
        except OSError:
            continue
    return removed


def temp_name(target: Path) -> Path:
    """A unique name in the private folder beside ``target`` (owned by this process)."""
    folder = private_temp_folder(target)
    return folder / f"{os.getpid()}-{uuid.uuid4().hex[:12]}-{Path(target).name}"


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _tidy_folder(folder: Path) -> None:
    try:
        folder.rmdir()  # only if empty
    except OSError:
        pass


def publish(temp: Path, target: Path, *, overwrite: bool) -> None:
    """Move a finished temporary file or folder to ``target`` (same file system).

    Without ``overwrite`` an existing target is never replaced, even one created meanwhile."""
    if temp.is_dir():
        _fsync_dir(temp)
        if target.exists() and not overwrite:
            raise FileExistsError(f"{target} already exists")
        os.rename(temp, target)  # a non-empty existing folder makes this fail: never merged
    elif overwrite:
        os.replace(temp, target)
    else:
        try:
            os.link(temp, target)  # atomic, and fails if the target exists
        except FileExistsError:
            raise FileExistsError(f"{target} already exists") from None
        except OSError:
            # File systems without hard links (a FAT memory stick): check, then rename.
            if target.exists():
                raise FileExistsError(f"{target} already exists") from None
            os.replace(temp, target)
        else:
            temp.unlink()
    _fsync_dir(target.parent)


@contextmanager
def atomic_path(target: str | os.PathLike, *, overwrite: bool = False,
                folder: bool = False, publish_result: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes ``target`` (0600 file or 0700
    folder), flushed to disk; on any error or interruption nothing appears at ``target``.
    With ``publish_result`` False it is a scratch path, always removed at the end."""
    target = Path(target)
    if publish_result and target.exists() and not overwrite:
        raise FileExistsError(f"{target} already exists")
    temp = temp_name(target)
    if folder:
        os.mkdir(temp, FOLDER_MODE)
        os.chmod(temp, FOLDER_MODE)
    try:
        yield temp
        if not publish_result:
            return
        if folder:
            for path in temp.rglob("*"):
                os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)
                if path.is_file():
                    _fsync_file(path)
        else:
            os.chmod(temp, FILE_MODE)
            _fsync_file(temp)
        publish(temp, target, overwrite=overwrite)
    finally:
        if temp.is_dir() and not temp.is_symlink():
            shutil.rmtree(temp, ignore_errors=True)
        else:
            try:
                temp.unlink()
            except FileNotFoundError:
                pass
        for side in ("-journal", "-wal", "-shm"):
            Path(f"{temp}{side}").unlink(missing_ok=True)
        _tidy_folder(temp.parent)


def write_atomically(target: str | os.PathLike, write: Callable[[Path], None], *,
                     overwrite: bool = True) -> Path:
    """Call ``write(temp_path)``, then move the finished file over ``target``."""
    target = Path(target)
    with atomic_path(target, overwrite=overwrite) as temp:
        call_unwrapping_os_errors(write, temp)
    return target


def call_unwrapping_os_errors(function: Callable, *args):
    """Libraries wrap a full disk or a permission error in their own exception types: raise
    the OSError itself, which is reported in words."""
    try:
        return function(*args)
    except OSError:
        raise
    except Exception as exc:
        inner = next((e for e in (*exc.args, exc.__cause__, exc.__context__)
                      if isinstance(e, OSError)), None)
        if inner is None:
            raise
        raise inner from exc


def write_private_text(path: Path, text: str | bytes) -> None:
    """A new file (text, or bytes such as a .docx), 0600 from the start (whatever the
    umask)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    if isinstance(text, bytes):
        with os.fdopen(fd, "wb") as binary:
            binary.write(text)
    else:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    os.chmod(path, FILE_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (0600), if it does not exist."""
    make_private_dirs(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
