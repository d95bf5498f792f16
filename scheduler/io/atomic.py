"""Outputs are written whole or not at all, and never over an input file.

A file output is written to a temporary file beside it and renamed into place; a folder output (see
`scheduler.io.folder`) is built beside the old one and swapped in. Any failure of the operating system while
writing becomes an `OutputError` that names the file and says what happened in both languages.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from scheduler.io.clash import OutputError, refuse_inputs
from scheduler.problems import unwritable

__all__ = ["OutputError", "not_written", "umask", "write_atomic", "write_text_atomic"]


def not_written(error: OSError, path: Path) -> OutputError:
    """The operating system's error while writing `path`, in the organiser's words and naming `path`."""
    return OutputError(unwritable(error, path))


def write_atomic(path: Path, write: Callable[[Path], None], *, inputs: Iterable[Path] = ()) -> None:
    """Call `write` on a temporary file next to `path`, then rename it into place.

    If `write` fails, the temporary file is removed and `path` is left as it was. An input (compared after
    resolving links, `..` and case) is never written: that raises `OutputError` before anything is touched.
    """
    refuse_inputs(path, inputs)
    target = path.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    except OSError as error:
        raise not_written(error, path) from error
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.chmod(0o666 & ~umask())  # mkstemp makes the file private; outputs are meant to be shared
        write(tmp)
        os.replace(tmp, target)
    except OutputError:
        raise
    except OSError as error:
        raise not_written(error, path) from error
    finally:
        tmp.unlink(missing_ok=True)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str, *, inputs: Iterable[Path] = (), encoding: str = "utf-8") -> None:
    """`text` exactly as given: no newline translation, so Windows writes the same bytes (and CSV's \r\n stays)."""

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding=encoding, newline="")

    write_atomic(path, write, inputs=inputs)
