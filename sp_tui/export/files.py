"""Write files so that a crash never leaves a half-written one: temp file, fsync, rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from sp_tui.domain.values import FORMULA_PREFIXES


def write_atomically(target: Path, write: Callable[[Path], None], *, mode: int = 0o600) -> Path:
    """Call ``write(temp_path)``, then move the finished file over ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target




def defuse_formula(text: str) -> str:
    """For CSV: a leading quote stops a spreadsheet from evaluating the cell as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
