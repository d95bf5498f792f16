"""Problems found in the input, located as the organiser sees them: file, sheet, row (as Excel shows it), column.

Library code collects problems and raises `InputError` with all of them at once; only the CLI renders them.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from typing import Literal

from scheduler.text import Lang, Text

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    message: Text
    hint: Text | None = None
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    severity: Severity = "error"
    code: str = ""  # a short stable name of the kind of problem (snake_case), kept in the plan file

    def location(self, lang: Lang = "de") -> str:
        parts = [self.file, self.sheet]
        if self.row is not None:
            parts.append(f"{'row' if lang == 'en' else 'Zeile'} {self.row}")
        if self.column:
            parts.append(f'{"column" if lang == "en" else "Spalte"} "{self.column}"')
        return ", ".join(p for p in parts if p)

    def render(self, lang: Lang = "de") -> str:
        where = self.location(lang)
        text = self.message(lang)
        if self.hint is not None:
            text = f"{text} {self.hint(lang)}"
        return f"{where}: {text}" if where else text


class InputError(Exception):
    """The input cannot be used; `problems` holds every error and warning found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.render("en") for p in problems))
        self.problems = problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Problems:
    """A collector: add errors and warnings while reading, then `raise_if_errors` once at the end."""

    file: str = ""
    items: list[Problem] = field(default_factory=list)

    def error(
        self,
        message: Text,
        *,
        hint: Text | None = None,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        code: str = "",
    ) -> None:
        self.items.append(Problem(message, hint, self.file, sheet, row, column, "error", code))

    def warn(
        self,
        message: Text,
        *,
        hint: Text | None = None,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        code: str = "",
    ) -> None:
        self.items.append(Problem(message, hint, self.file, sheet, row, column, "warning", code))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.items)


def unreadable(error: OSError) -> Text:
    """Why a file cannot be opened, in the organiser's words rather than the operating system's."""
    if isinstance(error, FileNotFoundError):
        return Text("Die Datei gibt es nicht.", "The file does not exist.")
    if isinstance(error, IsADirectoryError):
        return Text("Das ist ein Ordner, keine Datei.", "This is a folder, not a file.")
    if isinstance(error, PermissionError):
        return Text("Die Datei darf nicht gelesen werden.", "The file may not be read (permission denied).")
    return Text(f"Die Datei kann nicht gelesen werden ({error.strerror}).", f"Cannot read the file ({error.strerror}).")


def unwritable(error: OSError, path: object) -> Text:
    """Why `path` cannot be written, in the organiser's words rather than the operating system's.

    The path is always named: the operating system's own message often names a temporary file or none at all.
    """
    reason = _WRITE_REASONS.get(error.errno or 0)
    if reason is None:
        if isinstance(error, FileNotFoundError):
            reason = _WRITE_REASONS[errno.ENOENT]
        elif isinstance(error, PermissionError):
            reason = _WRITE_REASONS[errno.EACCES]
        else:
            shown = error.strerror or str(error) or type(error).__name__
            reason = Text(f"Fehler des Betriebssystems ({shown}).", f"Operating system error ({shown}).")
    return Text(f"{path}: {reason.de}", f"{path}: {reason.en}")


_WRITE_REASONS = {
    errno.ENOENT: Text("Den Ordner gibt es nicht.", "The folder does not exist."),
    errno.EISDIR: Text("Das ist ein Ordner, keine Datei.", "This is a folder, not a file."),
    errno.ENOTDIR: Text("Ein Teil des Pfads ist eine Datei, kein Ordner.", "Part of the path is a file, not a folder."),
    errno.EACCES: Text("Keine Berechtigung zum Schreiben.", "No permission to write."),
    errno.EPERM: Text("Keine Berechtigung zum Schreiben.", "No permission to write."),
    errno.EROFS: Text("Das Laufwerk ist schreibgeschützt.", "The drive is read-only."),
    errno.ENOSPC: Text(
        "Der Datenträger ist voll; bitte Platz schaffen oder einen anderen Ort wählen.",
        "The disk is full; free some space or choose another place.",
    ),
    errno.EDQUOT: Text(
        "Das Speicherkontingent ist aufgebraucht; bitte Platz schaffen.", "The disk quota is used up; free some space."
    ),
    errno.EFBIG: Text(
        "Die Datei ist zu groß für dieses Dateisystem oder diese Grenze.",
        "The file is too large for this file system or limit.",
    ),
    errno.ENAMETOOLONG: Text("Der Dateiname ist zu lang.", "The file name is too long."),
    errno.EIO: Text("Ein Lese-/Schreibfehler des Datenträgers.", "An input/output error of the disk."),
    errno.EEXIST: Text("Dort gibt es schon etwas mit diesem Namen.", "Something with this name exists there."),
    errno.EBUSY: Text("Die Datei oder der Ordner ist in Benutzung.", "The file or folder is in use."),
    errno.EMFILE: Text("Zu viele offene Dateien.", "Too many open files."),
}
