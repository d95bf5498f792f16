"""Nothing lost, nothing altered (issue 8): outputs never overwrite inputs, folders are written whole, odd cells
are honest errors, invisible text is normalised, any CSV size is read or reported, verify checks the stated
agendas, Zoom e-mails are exact, write errors name the file. One group of tests per kind."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from scheduler.cli import app
from scheduler.domain import Event
from scheduler.io.clash import Named, PathClash, check_paths, same_path
from scheduler.io.folder import MANIFEST, write_folder
from scheduler.io.forms import load_event
from scheduler.io.planfile import read_plan, write_plan
from scheduler.io.workbook import read_event
from scheduler.plan import Plan
from scheduler.problems import InputError
from scheduler.validate import validate
from tests.plan_fixtures import ANNA, BERND, DENIZ, KIM, sample_event, sample_plan
from tests.test_verify_cli import files as verify_files
from tests.workbooks import write_workbook


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "400"})


def flat(text: str) -> str:
    return " ".join(text.split())


def plan_file(tmp_path: Path, event: Event | None = None, plan: Plan | None = None) -> Path:
    path = tmp_path / "plan.json"
    write_plan(path, event or sample_event(), plan or sample_plan())
    return path


def export_csv(tmp_path: Path, *rows: str, header: str = "Name;E-Mail;Wunsch 1;Wunsch 2") -> Path:
    path = tmp_path / "export.csv"
    path.write_text("\r\n".join([header, *rows]), encoding="utf-8")
    return path


def problems_of(call) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        call()
    return [p.render("de") for p in caught.value.problems]


# -- 1. an output path that is an input --------------------------------------------------------------


def test_plan_never_writes_its_json_over_the_registrations(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "mappe.xlsx")
    export = export_csv(tmp_path, "Ben Berger;ben@b.example;S1;S3")
    before = export.read_bytes()
    result = run("plan", str(workbook), "--anmeldungen", str(export), "--json", str(export), "--time-limit", "5")
    assert result.exit_code == 2
    assert f"Fehler: --json {export} ist die Eingabe --anmeldungen {export}; Eingaben werden nie überschrieben." in (
        flat(result.output)
    )
    assert "Nichts geschrieben." in result.output
    assert export.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "mappe.xlsx"]


def test_plan_never_writes_its_workbook_over_the_mapping_file(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "mappe.xlsx")
    export = export_csv(tmp_path, "Ben Berger;ben@b.example;S1;S3")
    mapping = tmp_path / "zuordnung.toml"
    mapping.write_text('name = "Name"\n', encoding="utf-8")
    args = ["plan", str(workbook), "--anmeldungen", str(export), "--mapping", str(mapping), "-o", str(mapping)]
    result = run(*args, "--time-limit", "5")
    assert result.exit_code == 2
    assert f"--xlsx {mapping} ist die Eingabe --mapping {mapping}" in flat(result.output)
    assert mapping.read_text(encoding="utf-8") == 'name = "Name"\n'


def test_a_link_or_dots_to_an_input_is_the_input(tmp_path: Path) -> None:
    source = plan_file(tmp_path)
    before = source.read_bytes()
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(source)
    hard = tmp_path / "hard.json"
    os.link(source, hard)
    for output in (link, tmp_path / "sub" / ".." / "plan.json", hard):
        result = run("export", str(source), "--json-schedule", str(output))
        assert result.exit_code == 2, output
        assert f"--json-schedule {output} ist die Eingabe PLAN.json {source}" in flat(result.output)
    assert source.read_bytes() == before


def test_an_output_folder_holding_an_input_is_refused(tmp_path: Path) -> None:
    source = plan_file(tmp_path)
    result = run("export", str(source), "--ics", str(tmp_path), "--xlsx", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 2
    assert f"--ics {tmp_path} ist ein Ordner, der die Eingabe PLAN.json {source} enthält" in flat(result.output)
    assert f"--xlsx {tmp_path / 'p.xlsx'} liegt im Ausgabeordner --ics {tmp_path}" in flat(result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_two_outputs_naming_one_file_are_refused(tmp_path: Path) -> None:
    source = plan_file(tmp_path)
    same = tmp_path / "out.html"
    result = run("agenda", str(source), "--html", str(same), "--ics", str(same), "--lang", "en")
    assert result.exit_code == 2
    assert f"--html {same} and --ics {same} name the same file" in flat(result.output)


def test_same_path_asks_the_file_system(tmp_path: Path) -> None:
    real = tmp_path / "a.csv"
    real.write_text("x", encoding="utf-8")
    assert same_path(real, tmp_path / "." / "a.csv")
    assert not same_path(real, tmp_path / "b.csv")  # a file that does not exist is no existing input
    with pytest.raises(PathClash) as caught:
        check_paths([Named("--json", tmp_path / "a.csv")], [Named("--anmeldungen", real)])
    assert caught.value.messages[0].en.startswith(f"--json {real} is the input --anmeldungen {real}")


# -- 2. folder outputs are written whole ---------------------------------------------------------------


def _fewer_people() -> tuple[Event, Plan]:
    """The sample plan without Kim and Deniz: two calendars fewer."""
    event, plan = sample_event(), sample_plan()
    gone = {KIM, DENIZ}
    event = dataclasses.replace(event, people=tuple(p for p in event.people if p.id not in gone))
    runs = tuple(dataclasses.replace(r, attendees=tuple(a for a in r.attendees if a not in gone)) for r in plan.runs)
    return event, dataclasses.replace(plan, runs=runs)


def test_a_re_export_removes_its_own_stale_files_and_keeps_foreign_ones(tmp_path: Path) -> None:
    folder = tmp_path / "ics"
    assert run("export", str(plan_file(tmp_path)), "--ics", str(folder)).exit_code == 0
    first = {p.name for p in folder.glob("*.ics")}
    (folder / "liesmich.txt").write_text("vom Team", encoding="utf-8")
    event, plan = _fewer_people()
    (tmp_path / "again").mkdir()
    result = run("export", str(plan_file(tmp_path / "again", event, plan)), "--ics", str(folder))
    assert result.exit_code == 0, result.output
    second = {p.name for p in folder.glob("*.ics")}
    assert len(first) == 8 and len(second) == 6 and second < first
    assert (folder / "liesmich.txt").read_text(encoding="utf-8") == "vom Team"
    out = flat(result.output)
    assert (
        f"Warnung: {folder}/ enthält Dateien, die nicht von scheduler stammen; sie bleiben unverändert: liesmich.txt"
        in out
    )
    assert f"{folder}/: 2 Datei(en) eines früheren Exports entfernt" in out
    assert json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"] == sorted({*second, "index.csv"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again", "ics", "plan.json"]  # no temporary folder left


def test_one_persons_calendar_into_everyones_folder_keeps_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "ics"
    source = plan_file(tmp_path)
    assert run("export", str(source), "--ics", str(folder)).exit_code == 0
    before = {p.name: p.read_bytes() for p in folder.glob("*.ics")}
    result = run("agenda", str(source), "Anna Müller", "--ics", str(folder))
    assert result.exit_code == 0, result.output
    assert "entfernt" not in result.output
    after = {p.name: p.read_bytes() for p in folder.glob("*.ics")}
    assert after.keys() == before.keys()
    assert json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"] == sorted({*before, "index.csv"})


def test_an_interrupted_export_leaves_the_previous_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "zoom"
    write_folder(folder, {"a.csv": b"old a", "b.csv": b"old b"})
    real = Path.write_bytes
    count = 0

    def interrupted(self: Path, data: bytes) -> int:
        nonlocal count
        count += 1
        if count == 2:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the export
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_folder(folder, {"a.csv": b"new a", "b.csv": b"new b", "c.csv": b"new c"})
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != MANIFEST} == {
        "a.csv": b"old a",
        "b.csv": b"old b",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zoom"]


def test_a_foreign_file_of_the_same_name_is_never_overwritten(tmp_path: Path) -> None:
    source = plan_file(tmp_path)
    folder = tmp_path / "zoom"
    folder.mkdir()
    (folder / "zoom-t1.csv").write_text("von Hand", encoding="utf-8")
    result = run("export", str(source), "--zoom", str(folder))
    assert result.exit_code == 2
    assert f"{folder}: zoom-t1.csv stammt nicht von scheduler und wird nicht überschrieben." in flat(result.output)
    assert sorted(p.name for p in folder.iterdir()) == ["zoom-t1.csv"]
    assert (folder / "zoom-t1.csv").read_text(encoding="utf-8") == "von Hand"


# -- 3. formula cells and error values ------------------------------------------------------------------


def _with_stored_value(path: Path, formula: str, value: str) -> None:
    """Add Excel's stored value to a formula cell, as Excel does on saving (openpyxl writes formulas only)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    empty, stored = f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{value}</v>".encode()
    assert sum(data.count(empty) for data in parts.values()) == 1
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data.replace(empty, stored))


def test_a_formula_without_a_stored_value_is_a_located_problem(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "event.xlsx", cells={("Räume", 2, "Kapazität"): "=10*3"})
    found = problems_of(lambda: read_event(path))
    assert found == [
        'event.xlsx, Räume, Zeile 2, Spalte "Kapazität": Die Zelle enthält die Formel "=10*3", aber keinen '
        "gespeicherten Wert; sie wird nicht ausgerechnet. Öffnen und speichern Sie die Datei einmal in Excel oder "
        "LibreOffice (dann steht der Wert darin), oder tragen Sie den Wert statt der Formel ein."
    ]


def test_a_formula_with_a_stored_value_is_read_as_excel_shows_it(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "event.xlsx", cells={("Räume", 2, "Kapazität"): "=10*3"})
    _with_stored_value(path, "10*3", "30")
    event, _ = read_event(path)
    assert event.room("R1").capacity == 30


def test_a_formula_whose_stored_value_is_empty_text_is_an_empty_cell(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "event.xlsx", cells={("Sessions", 2, "Beschreibung"): '=IF(1,"",1)'})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    empty = b'<c r="M2"><f>IF(1,"",1)</f><v />'
    assert sum(data.count(empty) for data in parts.values()) == 1
    with zipfile.ZipFile(path, "w") as archive:  # as Excel saves a formula that gives "": a text with no letters
        for name, data in parts.items():
            archive.writestr(name, data.replace(empty, b'<c r="M2" t="str"><f>IF(1,"",1)</f><v></v>'))
    event, _ = read_event(path)
    assert event.session("S1").description == ""


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#REF!", "#NAME?"])
def test_an_error_value_is_a_located_problem_never_a_name(tmp_path: Path, error: str) -> None:
    path = write_workbook(tmp_path / "event.xlsx", cells={("Anmeldungen", 3, "Name"): error})
    found = problems_of(lambda: read_event(path))
    assert f'event.xlsx, Anmeldungen, Zeile 3, Spalte "Name": Die Zelle enthält den Fehlerwert "{error}"' in found[0]


def test_german_error_values_in_a_csv_export_are_located(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "event.xlsx")
    export = export_csv(tmp_path, "Ben Berger;ben@b.example;S1;S3", "#NV;anna@a.example;#WERT!;S2")
    found = problems_of(lambda: load_event(workbook, export, None))
    assert 'export.csv, Zeile 3, Spalte "Name": Die Zelle enthält den Fehlerwert "#NV" statt eines Werts.' in (
        " ".join(found)
    )
    assert 'export.csv, Zeile 3, Spalte "Wunsch 1": Die Zelle enthält den Fehlerwert "#WERT!"' in " ".join(found)


# -- 4. invisible text -----------------------------------------------------------------------------------


def test_invisible_characters_are_removed_before_comparing(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "event.xlsx",
        cells={
            ("Anmeldungen", 2, "Name"): "Anna\u00a0\u00a0Mu\u0308ller\u200b",
            ("Anmeldungen", 2, "E-Mail"): "\u200banna@a.example\u00a0",
            ("Sessions", 3, "Gastgeber"): "Ben\u00a0Berger\u2060",
            ("Anmeldungen", 1, "Name"): "\ufeffName",  # last: it renames the header
        },
    )
    event, _ = read_event(path)
    anna = event.person("anna@a.example")
    assert anna.name == "Anna Müller" and anna.name == "Anna M\u00fcller"
    assert event.session("S2").hosts == ("ben@b.example",)  # matched to the registration despite the NBSP


def test_a_cell_of_invisible_characters_is_empty(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "event.xlsx", cells={("Anmeldungen", 2, "Name"): "\u00a0\u200b\ufeff"})
    found = problems_of(lambda: read_event(path))
    assert found == [
        'event.xlsx, Anmeldungen, Zeile 2, Spalte "Name": Die Zelle "Name" ist leer. Jede Anmeldung braucht einen '
        "Namen."
    ]


@pytest.mark.parametrize("mark", ["\ufeff", "ï»¿"])
def test_a_byte_order_mark_before_the_first_csv_header_does_not_hide_name(tmp_path: Path, mark: str) -> None:
    workbook = write_workbook(tmp_path / "event.xlsx")
    export = tmp_path / "export.csv"
    export.write_bytes(("\ufeff" + mark + "Name;E-Mail;Wunsch 1\r\nBen Berger;ben@b.example;S1\r\n").encode("utf-8"))
    event, _, columns = load_event(workbook, export, None)
    assert [p.name for p in event.participants] == ["Ben Berger"]
    assert columns is not None and columns.headers[0] == "Name"


# -- 5. CSV limits ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [40_000, 200_000])
def test_a_cell_longer_than_excel_allows_is_a_located_problem(tmp_path: Path, size: int) -> None:
    workbook = write_workbook(tmp_path / "event.xlsx")
    export = export_csv(tmp_path, "Ben Berger;ben@b.example;S1;S3", f"{'x' * size};anna@a.example;S2;S1")
    result = run("check", str(workbook), "--anmeldungen", str(export))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (
        f'export.csv, Zeile 3, Spalte "Name": Die Zelle hat {size} Zeichen, mehr als Excel in einer Zelle hält '
        "(32767). Kürzen Sie den Text."
    ) in flat(result.output)


def test_a_long_cell_within_excels_limit_is_read(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "event.xlsx")
    export = export_csv(
        tmp_path,
        "Ben Berger;ben@b.example;S1;S3",
        "Anna;anna@a.example;S2;S1",
        header="Name;E-Mail;Wunsch 1;Wunsch 2;Notiz",
    )
    export.write_text(export.read_text(encoding="utf-8") + ";" + "y" * 30_000, encoding="utf-8")
    event, _, _ = load_event(workbook, export, None)
    assert [p.name for p in event.participants] == ["Ben Berger", "Anna"]


# -- 6. verify checks the stated agendas -------------------------------------------------------------------


def test_verify_reports_an_agenda_that_differs_from_the_runs(tmp_path: Path) -> None:
    workbook, plan_path = verify_files(tmp_path)
    doc = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    anna = next(p for p in doc["participants"] if p["id"] == "anna@a.example")
    assert anna["agenda"] == {"T1": "S1", "T2": "S3"}
    anna["agenda"]["T2"] = "S9"
    Path(plan_path).write_text(json.dumps(doc), encoding="utf-8")
    result = run("verify", workbook, plan_path)
    assert result.exit_code == 1
    assert (
        "Die Agenda von anna@a.example nennt in Zeitfenster T2 S9, laut den Teilnehmendenlisten der Sessions ist es S3."
    ) in flat(result.output.replace("│", " "))


def test_agenda_mismatch_holds_for_a_written_plan_and_names_person_and_slot(tmp_path: Path) -> None:
    event, plan = read_plan(plan_file(tmp_path))
    assert plan.stated_agendas is not None
    assert validate(event, plan).ok
    agendas = {person: dict(slots) for person, slots in plan.stated_agendas.items()}
    agendas[KIM]["T1"] = None
    report = validate(event, dataclasses.replace(plan, stated_agendas=agendas))
    assert [(v.rule, v.ids, v.message.en) for v in report.violations] == [
        (
            "agenda_mismatch",
            (KIM, "T1"),
            f"The agenda of {KIM} names no session in slot T1; the sessions' attendee lists give S04.",
        )
    ]


# -- 7. Zoom e-mails ----------------------------------------------------------------------------------------


def test_zoom_writes_valid_emails_letter_for_letter_and_leaves_out_invalid_ones(tmp_path: Path) -> None:
    event = sample_event()
    new = {ANNA: "+info@example.org", BERND: "-team@example.org", "m.nowak@example.org": "otto.kern@web,de"}
    people = tuple(dataclasses.replace(p, email=new.get(p.id, p.email)) for p in event.people)
    source = plan_file(tmp_path, dataclasses.replace(event, people=people))
    result = run("export", str(source), "--zoom", str(tmp_path / "zoom"))
    assert result.exit_code == 0, result.output
    text = b"".join(p.read_bytes() for p in sorted((tmp_path / "zoom").glob("*.csv"))).decode("utf-8")
    assert "Raum Nord: KI im Unternehmen,+info@example.org\r\n" in text
    assert ",-team@example.org\r\n" in text
    assert "'+info" not in text and "'-team" not in text
    assert "web,de" not in text and "nowak" not in text
    assert (
        "Warnung: keine gültige E-Mail-Adresse, daher nicht in den Zoom-Listen: Małgorzata Nowak (otto.kern@web,de)"
    ) in flat(result.output)


# -- 8. write errors name the file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.EFBIG, "Die Datei ist zu groß für dieses Dateisystem oder diese Grenze."),
        (errno.ENOSPC, "Der Datenträger ist voll"),
        (errno.EACCES, "Keine Berechtigung zum Schreiben."),
    ],
)
def test_a_write_error_names_the_file_and_what_happened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    source = plan_file(tmp_path)

    def failing(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(code, os.strerror(code))  # as a write() call raises it: no file name

    monkeypatch.setattr(Path, "write_text", failing)
    monkeypatch.setattr(Path, "write_bytes", failing)
    target = tmp_path / "agendas.html"
    result = run("export", str(source), "--html", str(target))
    assert result.exit_code == 2
    assert f"Fehler: Nicht geschrieben: {target}: {reason}" in flat(result.output)
    folder = tmp_path / "ics"
    result = run("export", str(source), "--ics", str(folder))
    assert result.exit_code == 2
    assert f"Fehler: Nicht geschrieben: {folder}: {reason}" in flat(result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]
