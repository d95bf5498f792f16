"""Folder outputs (calendars, Zoom lists, e-mails, …) written whole or not at all, and tidied on re-export.

Use it for any output that is a folder of files::

    from scheduler.io.folder import write_folder
    result = write_folder(Path("ics"), {"anna.ics": b"...", "bernd.ics": b"..."}, inputs=[plan_file])
    result.files     # the paths written, in the order given
    result.removed   # names of our own files from an earlier export that no longer belong
    result.foreign   # names of files we did not write; left untouched (show them in a warning)

With `complete=False` (e.g. the calendar of one person into the folder of everyone's), the program's own files
of an earlier export that are not in `files` are kept instead of removed.

The files are written into a temporary folder beside `path` which is swapped in at the end, so an
interruption (Ctrl-C, a kill, a full disk) leaves the previous folder as it was and never a half-filled one
that an organiser might send out. A small manifest (`.scheduler-manifest.json`) in the folder lists what the
program wrote; a re-export removes its own files that no longer belong (e.g. the calendar of a person no
longer in the plan) and keeps every file it did not write. A new file whose name is taken by such a foreign
file is refused (`OutputError`), never overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from scheduler.io.atomic import not_written, umask
from scheduler.io.clash import OutputError, refuse_inputs
from scheduler.text import Text

MANIFEST = ".scheduler-manifest.json"
_FORMAT = "scheduler-folder/1"


@dataclass(frozen=True)
class FolderWritten:
    files: list[Path]  # every file written, in the order given
    removed: list[str]  # our own files of an earlier export that no longer belong, removed
    foreign: list[str]  # entries the program did not write, left as they were


def write_folder(
    path: Path, files: Mapping[str, bytes], *, inputs: Iterable[Path] = (), complete: bool = True
) -> FolderWritten:
    """Make `path` hold exactly `files` (name -> content) plus whatever it held that the program did not write.

    Names are plain file names (no folders). Raises `OutputError` naming the folder and the reason when it
    cannot be written; then nothing in `path` has changed.
    """
    for name in files:
        if not name or name != Path(name).name or name in (".", "..", MANIFEST):
            raise ValueError(f"not a plain file name: {name!r}")
    refuse_inputs(path, inputs, folder=True)
    target = path.resolve()
    try:
        old = _entries(target, path)
        ours = _manifest(target) & old
        foreign = sorted(old - ours - {MANIFEST})
        taken = sorted(set(files) & set(foreign))
        if taken:
            raise OutputError(
                Text(
                    f"{path}: {', '.join(taken)} stammt nicht von scheduler und wird nicht überschrieben. "
                    "Bitte die Datei verschieben oder einen anderen Ordner wählen.",
                    f"{path}: {', '.join(taken)} was not written by scheduler and is not overwritten. "
                    "Please move the file or choose another folder.",
                )
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".neu", dir=target.parent))
    except OutputError:
        raise
    except OSError as error:
        raise not_written(error, path) from error
    try:
        staging.chmod(0o777 & ~umask())  # mkdtemp makes the folder private; outputs are meant to be shared
        for name, data in files.items():
            (staging / name).write_bytes(data)
        kept = [] if complete else sorted(ours - set(files))
        manifest = {"format": _FORMAT, "files": sorted({*files, *kept})}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        for name in [*foreign, *kept]:
            _keep(target / name, staging / name)
        swap_folder(staging, target)
    except OSError as error:
        raise not_written(error, path) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    removed = sorted(ours - set(files)) if complete else []
    return FolderWritten([path / name for name in files], removed, foreign)


def _entries(target: Path, shown: Path) -> set[str]:
    if not target.exists():
        return set()
    if not target.is_dir():
        raise OutputError(Text(f"{shown}: Das ist eine Datei, kein Ordner.", f"{shown}: This is a file, not a folder."))
    return {entry.name for entry in target.iterdir()}


def _manifest(target: Path) -> set[str]:
    """The names the program wrote last time; none when there is no (readable) manifest."""
    try:
        doc = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    names = doc.get("files") if isinstance(doc, dict) and doc.get("format") == _FORMAT else None
    return {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def _keep(source: Path, copy: Path) -> None:
    """A foreign entry goes into the new folder unchanged: hard-linked where possible, else copied."""
    if source.is_symlink():
        os.symlink(os.readlink(source), copy)
    elif source.is_dir():
        shutil.copytree(source, copy, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(str(source), str(copy))


def _link_or_copy(source: str, copy: str) -> None:
    try:
        os.link(source, copy)
    except OSError:
        shutil.copy2(source, copy)


def swap_folder(staging: Path, target: Path) -> None:
    """Put `staging` in place of `target`; the old folder is only removed once the new one is in place."""
    if not target.exists():
        os.rename(staging, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".alt", dir=target.parent))
    old.rmdir()
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
