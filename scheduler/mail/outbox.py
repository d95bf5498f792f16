"""The outbox: one `.eml` file per person and `index.csv`, written as a whole folder, read before sending.

The pretalx idea without a web interface: the organiser opens the drafts in Outlook or Thunderbird before
anything goes out. `X-Unsent: 1` makes Outlook open a file as a draft to send rather than as received mail.
The folder is built beside its target and renamed into place, so a reader never sees half a folder; an
existing folder is replaced only when it is an outbox written here before (it has our `index.csv`).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from scheduler.export.errors import ExportError
from scheduler.export.zoom import neutralise
from scheduler.io.folder import swap_folder
from scheduler.mail.letter import Letter
from scheduler.text import Lang, Text

INDEX = "index.csv"
INDEX_HEADER = Text("Name,E-Mail,Datei,Hinweis", "Name,E-mail,File,Note")
NO_ADDRESS = Text("keine gültige E-Mail-Adresse: nicht erstellt", "no valid e-mail address: not written")


def write_outbox(letters: Sequence[Letter], folder: Path, lang: Lang, *, inputs: Iterable[Path] = ()) -> list[Path]:
    """Write the `.eml` files and the index into `folder` whole or not at all; returns the `.eml` files."""
    target = folder.resolve()
    if any(target == Path(i).resolve() for i in inputs):
        raise ExportError(Text(f"{folder} ist eine Eingabedatei.", f"{folder} is an input file."))
    if target.exists() and not (target.is_dir() and (target / INDEX).is_file()):
        raise ExportError(
            Text(
                f"{folder} gibt es schon, und es ist kein E-Mail-Ordner von scheduler; bitte mit --out einen "
                "anderen Ordner wählen.",
                f"{folder} exists and is not an e-mail folder written by scheduler; please choose another folder "
                "with --out.",
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for letter in letters:
            if letter.message is not None:
                letter.message["X-Unsent"] = "1"
                (staging / letter.file_name).write_bytes(bytes(letter.message))
                del letter.message["X-Unsent"]
        (staging / INDEX).write_text(index_csv(letters, lang), encoding="utf-8-sig")
        staging.chmod(0o777 & ~_umask())
        swap_folder(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / letter.file_name for letter in letters if letter.message is not None]


def index_csv(letters: Sequence[Letter], lang: Lang) -> str:
    buffer = io.StringIO()
    buffer.write(INDEX_HEADER(lang) + "\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for letter in letters:
        person = letter.person
        made = letter.message is not None
        row = [person.name, person.email, letter.file_name if made else "", "" if made else NO_ADDRESS(lang)]
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
