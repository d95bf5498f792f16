"""Outputs are written whole or not at all, and never over an input file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


class OutputError(OSError):
    """An output that must not or could not be written."""


def write_atomic(path: Path, write: Callable[[Path], None], *, inputs: Iterable[Path] = ()) -> None:
    """Call `write` on a temporary file next to `path`, then rename it into place.

    If `write` fails, the temporary file is removed and `path` is left as it was.
    """
    target = path.resolve()
    if any(target == Path(i).resolve() for i in inputs):
        raise OutputError(f"{path} is an input file and is never overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.chmod(0o666 & ~_umask())  # mkstemp makes the file private; outputs are meant to be shared
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str, *, inputs: Iterable[Path] = (), encoding: str = "utf-8") -> None:
    """`text` exactly as given: no newline translation, so Windows writes the same bytes (and CSV's \r\n stays)."""

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding=encoding, newline="")

    write_atomic(path, write, inputs=inputs)
