"""Outputs never overwrite inputs: the one comparison of every output path with every input path.

Every command that writes calls `check_paths` before it writes anything (and before a long solve), with each
path under the option that named it, so a clash is reported as "`--json export.csv` is the input
`--anmeldungen`". Two paths are the same when they name one file after links, `..` and the file system's case
rules (`os.path.samefile` asks the file system itself, so hard links and case-insensitive disks count too).
A folder output clashes with an input inside it as well: the folder is replaced as a whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scheduler.text import Text


@dataclass(frozen=True)
class Named:
    """A path with the option (or argument) that named it, e.g. `Named("--json", Path("plan.json"))`."""

    option: str
    path: Path
    folder: bool = False  # an output folder (replaced whole), not a file


class OutputError(OSError):
    """An output that must not or could not be written; `message` names it and says why."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


class PathClash(OutputError):
    """Outputs that would overwrite an input or each other; `messages` names each clash and its options."""

    def __init__(self, messages: list[Text]) -> None:
        super().__init__(Text(" ".join(m.de for m in messages), " ".join(m.en for m in messages)))
        self.messages = messages


def same_path(a: Path, b: Path) -> bool:
    """Whether `a` and `b` name the same file or folder (links, `..`, case as the file system treats it)."""
    if Path(os.path.abspath(a)) == Path(os.path.abspath(b)) or a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet), so it is no existing file of the other
        return False


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` lies somewhere inside `folder`."""
    return any(same_path(parent, folder) for parent in path.resolve().parents)


def check_paths(outputs: Iterable[Named | None], inputs: Iterable[Named | None]) -> None:
    """Raise `PathClash` naming every output that is an input, holds an input, or is another output."""
    outs = [o for o in outputs if o is not None]
    ins = [i for i in inputs if i is not None]
    messages = [_is_input(out, inp) for out in outs for inp in ins if _clashes(out, inp.path)]
    messages += _among_outputs(outs)
    if messages:
        raise PathClash(messages)


def refuse_inputs(path: Path, inputs: Iterable[Path], *, folder: bool = False) -> None:
    """The last guard inside the writers, for callers that name no options: `path` is none of `inputs`."""
    check_paths([Named("", path, folder)], [Named("", Path(i)) for i in inputs])


def _clashes(out: Named, inp: Path) -> bool:
    return same_path(out.path, inp) or (out.folder and inside(inp, out.path))


def _is_input(out: Named, inp: Named) -> Text:
    what = _shown(out)
    if out.folder and not same_path(out.path, inp.path):
        return Text(
            f"{what} ist ein Ordner, der die Eingabe {_shown(inp)} enthält; er würde als Ganzes ersetzt. "
            "Bitte einen eigenen Ordner für diese Ausgabe wählen.",
            f"{what} is a folder that holds the input {_shown(inp)}; it would be replaced whole. "
            "Please choose a folder of its own for this output.",
        )
    return Text(
        f"{what} ist die Eingabe {_shown(inp)}; Eingaben werden nie überschrieben. Bitte einen anderen Namen wählen.",
        f"{what} is the input {_shown(inp)}; inputs are never overwritten. Please choose another name.",
    )


def _among_outputs(outs: Sequence[Named]) -> list[Text]:
    messages = []
    for i, first in enumerate(outs):
        for second in outs[i + 1 :]:
            if same_path(first.path, second.path):
                messages.append(
                    Text(
                        f"{_shown(first)} und {_shown(second)} nennen dieselbe Datei; bitte verschiedene Namen wählen.",
                        f"{_shown(first)} and {_shown(second)} name the same file; please choose different names.",
                    )
                )
            else:
                folder, other = (first, second) if first.folder else (second, first)
                if folder.folder and inside(other.path, folder.path):
                    messages.append(
                        Text(
                            f"{_shown(other)} liegt im Ausgabeordner {_shown(folder)}; bitte außerhalb ablegen.",
                            f"{_shown(other)} lies inside the output folder {_shown(folder)}; please put it outside.",
                        )
                    )
    return messages


def _shown(named: Named) -> str:
    return f"{named.option} {named.path}" if named.option else str(named.path)
