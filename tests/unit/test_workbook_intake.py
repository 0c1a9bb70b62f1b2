"""Workbooks out and in (issue 18): pre-filled templates, and the intake of returned files
as providers fill them (good ones, each kind of wrong one, a renamed one, a damaged one)."""

from __future__ import annotations

import csv
import hashlib
import shutil
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.services import workbook_intake as intake_module
from sp_tui.services.workbook_intake import intake_rows, read_workbook_file, run_intake
from sp_tui.services.workbook_templates import (
    DENOMINATOR_CELL, IDENTITY_SHEET, MAIN_SHEET, NUMERATOR_CELL, TemplateSpec, build_workbook,
    identity_key, write_templates,
)
from tests.conftest import service_fields

Q24 = Quarter(24)
TODAY = date(2009, 11, 20)
RECEIVED = "2009-04-20"
EVIL = "=HYPERLINK(\"http://x.example\",\"click\")"


@pytest.fixture
def services(db):
    """Five services due a Q24 workbook (two long-term), one not required to return one."""
    from sp_tui.services.registry import import_services

    rows = [
        service_fields(service_ref="SP1", term="long", contact_name="Jo Bloggs",
                       email="jo@harbour.example"),
        service_fields(service_ref="SP2", service_name="Quay Flats"),
        service_fields(service_ref="SP3", service_name="Pier House"),
        service_fields(service_ref="SP4", term="long", provider=EVIL,
                       service_name="@SUM(1+1)"),
        service_fields(service_ref="SP5", provider="Cliff Care"),
        service_fields(service_ref="SP9", provider="Cliff Care", workbook_required=False),
    ]
    import_services(db, list(enumerate(rows, start=2)), source="test")
    return db


@pytest.fixture
def templates(services, tmp_path):
    run = write_templates(services, Q24, outbox=tmp_path / "outbox", source="test")
    return run


def file_for(run, ref: str) -> Path:
    [spec] = [s for s in run.specs if s.service_ref == ref]
    return run.folder / spec.filename


def fill(source: Path, target: Path, numerator=None, denominator=None) -> Path:
    """As a provider does it: open the workbook, type the two figures, save."""
    book = load_workbook(source)
    sheet = book[MAIN_SHEET]
    sheet[NUMERATOR_CELL] = numerator
    sheet[DENOMINATOR_CELL] = denominator
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
            if p.is_file()}


def figures(db, ref: str) -> tuple:
    return db.execute("SELECT f.kpi1_independent, f.kpi1_users, f.kpi2_planned,"
                      " f.kpi2_departures FROM kpi_figures f JOIN services s"
                      " ON s.id = f.service_id WHERE s.service_ref = ? AND f.quarter = 24",
                      (ref,)).fetchone()


def received(db, ref: str):
    row = db.execute("SELECT w.received_date, w.rejected_on, w.rejected_reason FROM workbooks w"
                     " JOIN services s ON s.id = w.service_id WHERE s.service_ref = ?"
                     " AND w.quarter = 24", (ref,)).fetchone()
    return row


def audit_count(db) -> int:
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


# -- templates -------------------------------------------------------------------------------

def test_one_template_per_expected_workbook_private_and_named(templates):
    names = sorted(p.name for p in templates.folder.iterdir())
    assert len(templates.specs) == 5   # SP9 does not return workbooks
    assert "Harbour-Trust_SP1_Q24.xlsx" in names and "mail-merge.csv" in names
    assert not any("SP9" in n for n in names)
    assert stat.S_IMODE(templates.folder.stat().st_mode) == 0o700
    for path in templates.folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(templates.folder.parent.glob(".sp-tui-tmp/*"))


def test_template_is_prefilled_locked_and_validated(templates):
    book = load_workbook(file_for(templates, "SP1"))
    assert book.sheetnames == [MAIN_SHEET, "Notes", IDENTITY_SHEET]
    sheet = book[MAIN_SHEET]
    assert sheet["B3"].value == "SP1" and sheet["B5"].value == "Harbour Trust"
    assert sheet["B6"].value == "Q24 Jan-Mar 2009" and sheet["B7"].value == "30 April 2009"
    assert sheet["B8"].value == "long-term" and sheet["B9"].value.startswith("KPI 1")
    assert sheet["A12"].value.startswith("KPI 1") and sheet["A13"].value.startswith("KPI 1")
    assert sheet.protection.sheet
    assert sheet["B3"].protection.locked and sheet["A12"].protection.locked
    assert not sheet[NUMERATOR_CELL].protection.locked
    assert not sheet[DENOMINATOR_CELL].protection.locked
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert rules[DENOMINATOR_CELL].type == "whole" and rules[DENOMINATOR_CELL].formula1 == "0"
    assert rules[NUMERATOR_CELL].type == "whole" and "$B$13" in rules[NUMERATOR_CELL].formula2
    assert book["Notes"]["A1"].value.startswith("Notes")
    assert book[IDENTITY_SHEET].sheet_state == "hidden"
    assert book.security.lockStructure
    short = load_workbook(file_for(templates, "SP2"))[MAIN_SHEET]
    assert short["B8"].value == "short-term" and short["A12"].value.startswith("KPI 2")


def test_text_starting_like_a_formula_is_stored_as_text(templates):
    sheet = load_workbook(file_for(templates, "SP4"))[MAIN_SHEET]
    assert sheet["B5"].value == EVIL and sheet["B5"].data_type == "s"
    assert sheet["B4"].value == "@SUM(1+1)" and sheet["B4"].data_type == "s"


def test_mail_merge_lists_provider_contact_email_and_file(templates):
    with (templates.folder / "mail-merge.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5
    first = next(r for r in rows if r["service_ref"] == "SP1")
    assert (first["provider"], first["contact_name"], first["email"], first["file_name"]) == (
        "Harbour Trust", "Jo Bloggs", "jo@harbour.example", "Harbour-Trust_SP1_Q24.xlsx")
    evil = next(r for r in rows if r["service_ref"] == "SP4")
    assert evil["provider"] == "'" + EVIL and evil["service_name"] == "'@SUM(1+1)"


def test_existing_files_are_not_replaced_without_force(services, templates, tmp_path):
    before = digest(templates.folder)
    with pytest.raises(ValidationError, match="--force"):
        write_templates(services, Q24, outbox=tmp_path / "outbox")
    assert digest(templates.folder) == before
    again = write_templates(services, Q24, outbox=tmp_path / "outbox", force=True)
    assert len(again.specs) == 5


def test_no_templates_for_a_quarter_without_expected_workbooks(services, tmp_path):
    with pytest.raises(ValidationError, match="no workbooks are expected"):
        write_templates(services, Quarter(2), outbox=tmp_path / "o")
    assert not (tmp_path / "o").exists()


# -- the round trip --------------------------------------------------------------------------

@pytest.fixture
def returned(services, templates, tmp_path):
    """A folder as an officer saves it from the mail: good, wrong in each way, renamed,
    damaged, not a workbook."""
    folder = tmp_path / "returned"
    fill(file_for(templates, "SP1"), folder / "Harbour-Trust_SP1_Q24.xlsx", 45, 50)
    fill(file_for(templates, "SP2"), folder / "our return (final) v2.xlsx", 3, 4)  # renamed
    fill(file_for(templates, "SP3"), folder / "SP3.xlsx", None, None)            # missing
    fill(file_for(templates, "SP4"), folder / "SP4.xlsx", 9, 7)                  # num > den
    fill(file_for(templates, "SP5"), folder / "SP5.xlsx", "=2+2", 8)             # formula
    good = folder / "Harbour-Trust_SP1_Q24.xlsx"
    (folder / "damaged.xlsx").write_bytes(good.read_bytes()[:3000])
    (folder / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    shutil.copy(good, folder / "macro.xlsm")
    (folder / "notes.txt").write_text("thank you", "utf-8")
    other = Workbook()
    other.active["A1"] = "our own spreadsheet"
    other.save(folder / "own-format.xlsx")
    # an identity changed by hand: SP1's file claiming to be SP3's
    tampered = load_workbook(fill(file_for(templates, "SP1"), folder / "t.xlsx", 1, 2))
    tampered[IDENTITY_SHEET]["B2"] = "SP3"
    tampered.save(folder / "tampered.xlsx")
    (folder / "t.xlsx").unlink()
    return folder


def outcome(result, name: str):
    [item] = [i for i in result.items if i.file == name]
    return item


def test_round_trip_receives_the_good_and_lists_the_rest(services, returned):
    db = services
    before = digest(returned)
    result = run_intake(db, returned, received=RECEIVED, today=TODAY, source="test")
    assert result.counts == {"received": 2, "corrected": 0, "skipped": 0, "conflict": 0,
                             "rejected": 9}
    assert outcome(result, "our return (final) v2.xlsx").service_ref == "SP2"
    assert received(db, "SP1")[0] == RECEIVED and received(db, "SP2")[0] == RECEIVED
    assert figures(db, "SP1") == (45, 50, None, None)
    assert figures(db, "SP2") == (None, None, 3, 4)
    for ref in ("SP3", "SP4", "SP5"):
        assert received(db, ref) is None and figures(db, ref) is None
    reasons = {i.file: i.reason for i in result.items if i.outcome == "rejected"}
    assert "figures missing" in reasons["SP3.xlsx"]
    assert "above the second" in reasons["SP4.xlsx"]
    assert "formula" in reasons["SP5.xlsx"]
    assert "damaged" in reasons["damaged.xlsx"]
    assert "password-protected" in reasons["locked.xlsx"]
    assert "macro" in reasons["macro.xlsm"]
    assert "not an xlsx" in reasons["notes.txt"]
    assert "identity sheet is missing" in reasons["own-format.xlsx"]
    assert "altered" in reasons["tampered.xlsx"]
    assert digest(returned) == before  # files only read
    actions = [a for (a,) in db.execute("SELECT action FROM audit_log WHERE source = 'test'"
                                        " ORDER BY rowid")]
    assert actions.count("workbook.receive") == 2 and actions.count("kpi.record") == 2
    assert actions[-1] == "workbook.intake"


def test_running_the_intake_again_skips_everything_received(services, returned):
    db = services
    run_intake(db, returned, received=RECEIVED, today=TODAY)
    audits = audit_count(db)
    again = run_intake(db, returned, received=RECEIVED, today=TODAY)
    assert again.count("received") == 0 and again.count("skipped") == 2
    assert audit_count(db) == audits
    assert db.execute("SELECT count(*) FROM workbooks WHERE quarter = 24").fetchone()[0] == 2


def test_dry_run_writes_nothing(services, returned, tmp_path):
    db = services
    audits, before = audit_count(db), digest(returned)
    result = run_intake(db, returned, received=RECEIVED, today=TODAY, dry_run=True,
                        reject_letters=True, move_processed=True,
                        outbox=tmp_path / "letters")
    assert result.dry_run and result.count("received") == 2
    assert audit_count(db) == audits and received(db, "SP1") is None
    assert not (tmp_path / "letters").exists() and not (returned / "processed").exists()
    assert digest(returned) == before


def test_the_file_date_is_used_without_a_date(services, returned):
    import os

    target = returned / "Harbour-Trust_SP1_Q24.xlsx"
    stamp = date(2009, 5, 3)
    os.utime(target, (0, int(__import__("datetime").datetime(2009, 5, 3, 12).timestamp())))
    result = run_intake(services, returned, today=TODAY)
    assert outcome(result, target.name).received == stamp.isoformat()
    assert received(services, "SP1")[0] == "2009-05-03"


def test_changed_figures_are_a_conflict_until_corrected(services, templates, returned):
    db = services
    run_intake(db, returned, received=RECEIVED, today=TODAY)
    fill(file_for(templates, "SP1"), returned / "Harbour-Trust_SP1_Q24.xlsx", 46, 50)
    result = run_intake(db, returned, received=RECEIVED, today=TODAY)
    item = outcome(result, "Harbour-Trust_SP1_Q24.xlsx")
    assert item.outcome == "conflict" and "45 / 50" in item.reason and "46 / 50" in item.reason
    assert figures(db, "SP1") == (45, 50, None, None)
    result = run_intake(db, returned, received=RECEIVED, today=TODAY, correct_conflicts=True)
    assert outcome(result, "Harbour-Trust_SP1_Q24.xlsx").outcome == "corrected"
    assert figures(db, "SP1") == (46, 50, None, None)
    old = db.execute("SELECT old_values FROM audit_log WHERE action = 'kpi.correct'").fetchone()
    assert old and "45" in old[0]


def test_two_files_for_one_workbook(services, templates, returned):
    shutil.copy(returned / "Harbour-Trust_SP1_Q24.xlsx", returned / "zz-copy.xlsx")
    fill(file_for(templates, "SP2"), returned / "zz-other.xlsx", 1, 4)
    result = run_intake(services, returned, received=RECEIVED, today=TODAY)
    assert outcome(result, "Harbour-Trust_SP1_Q24.xlsx").outcome == "received"
    assert outcome(result, "zz-copy.xlsx").outcome == "skipped"
    assert outcome(result, "zz-other.xlsx").outcome == "conflict"
    assert figures(services, "SP2") == (None, None, 3, 4)


def test_the_whole_intake_is_one_transaction(services, returned, monkeypatch):
    db = services
    calls = []
    real = intake_module.receive_with_figures

    def failing(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:
            raise ValidationError("disk trouble")
        return real(*args, **kwargs)

    monkeypatch.setattr(intake_module, "receive_with_figures", failing)
    with pytest.raises(ValidationError, match="nothing was received"):
        run_intake(db, returned, received=RECEIVED, today=TODAY)
    assert len(calls) == 2
    assert received(db, "SP1") is None and received(db, "SP2") is None
    assert figures(db, "SP1") is None


def test_rejection_letters_keep_the_history(services, returned, tmp_path):
    db = services
    result = run_intake(db, returned, received=RECEIVED, today=TODAY, reject_letters=True,
                        outbox=tmp_path / "letters")
    for ref in ("SP3", "SP4", "SP5"):
        row = received(db, ref)
        assert row[0] is None and row[1] == RECEIVED and "returned workbook" in row[2]
    assert db.execute("SELECT count(*) FROM workbook_rejections").fetchone()[0] == 3
    [folder] = result.letters_folders
    assert folder.name == "Q24-rejections-2009-04-20"
    names = sorted(p.name for p in folder.iterdir())
    assert "mail-merge.csv" in names and "Harbour-Trust.md" in names
    assert "Harbour-Trust.docx" in names and "Cliff-Care.md" in names
    letter = (folder / "Harbour-Trust.md").read_text("utf-8")
    assert "SP3" in letter and "figures missing" in letter and "30 April 2009" in letter
    assert "SP4" not in letter   # another provider's
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    merge = (folder / "mail-merge.csv").read_text("utf-8")
    assert "'" + EVIL.replace('"', '""') in merge
    # unrecognised files get no letter: nobody to send it to
    assert not outcome(result, "damaged.xlsx").letter
    # a corrected resubmission is received, and counts from its date
    rows = intake_rows(result)
    assert any("rejection letter" in r[7] for r in rows)


def test_move_processed_moves_received_and_skipped_only(services, returned):
    result = run_intake(services, returned, received=RECEIVED, today=TODAY,
                        move_processed=True)
    assert result.moved == 2
    assert sorted(p.name for p in (returned / "processed").iterdir()) == [
        "Harbour-Trust_SP1_Q24.xlsx", "our return (final) v2.xlsx"]
    assert (returned / "SP3.xlsx").exists()


def test_only_the_quarter_asked_for(services, tmp_path):
    db = services
    run = write_templates(db, Quarter(23), outbox=tmp_path / "o")
    folder = tmp_path / "in"
    fill(file_for(run, "SP1"), folder / "a.xlsx", 1, 2)
    result = run_intake(db, folder, received=RECEIVED, quarter=Q24, today=TODAY)
    assert "Q23, not Q24" in result.items[0].reason


def test_a_workbook_for_a_service_not_due_one(services, tmp_path):
    db = services
    write_templates(db, Q24, outbox=tmp_path / "o")
    sid = db.execute("SELECT id FROM services WHERE service_ref = 'SP9'").fetchone()[0]
    spec = TemplateSpec(sid, "SP9", "x", "Cliff Care", "short", Q24, date(2009, 4, 30), "x")
    folder = tmp_path / "in"
    folder.mkdir()
    book = build_workbook(spec, identity_key(db))
    book[MAIN_SHEET][NUMERATOR_CELL] = 1
    book[MAIN_SHEET][DENOMINATOR_CELL] = 2
    book.save(folder / "sp9.xlsx")
    result = run_intake(db, folder, received=RECEIVED, today=TODAY)
    assert "not due a workbook" in result.items[0].reason
    assert received(db, "SP9") is None


def test_a_file_made_from_another_database_is_not_recognised(services, templates, tmp_path):
    from sp_tui.store.connection import open_db
    from sp_tui.services.registry import import_services

    other = open_db(tmp_path / "other.sqlite")
    import_services(other, [(2, service_fields(service_ref="SP1", term="long"))])
    folder = tmp_path / "in"
    fill(file_for(templates, "SP1"), folder / "a.xlsx", 1, 2)
    result = run_intake(other, folder, received=RECEIVED, today=TODAY)
    assert "no identity key" in result.items[0].reason
    write_templates(other, Q24, outbox=tmp_path / "o2")
    result = run_intake(other, folder, received=RECEIVED, today=TODAY)
    assert "another database" in result.items[0].reason
    other.close()


def test_bad_folder_and_date_are_refused(services, tmp_path):
    with pytest.raises(ValidationError, match="not a folder"):
        run_intake(services, tmp_path / "nowhere", today=TODAY)
    with pytest.raises(ValidationError, match="future"):
        run_intake(services, tmp_path, received="2010-01-01", today=TODAY)


def test_reading_is_bounded_to_the_cells_needed(templates, tmp_path):
    path = fill(file_for(templates, "SP2"), tmp_path / "x.xlsx", 2, 3)
    reading = read_workbook_file(path, None)
    assert "no identity key" in reading.problem
    with zipfile.ZipFile(path) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()


def test_a_resubmission_after_rejection_letters_is_received(services, templates, returned,
                                                            tmp_path):
    db = services
    run_intake(db, returned, received=RECEIVED, today=TODAY, reject_letters=True,
               outbox=tmp_path / "letters")
    fill(file_for(templates, "SP3"), returned / "SP3.xlsx", 2, 5)
    early = run_intake(db, returned, received="2009-04-10", today=TODAY)
    assert "before the rejection" in outcome(early, "SP3.xlsx").reason
    result = run_intake(db, returned, received="2009-05-02", today=TODAY)
    item = outcome(result, "SP3.xlsx")
    assert item.outcome == "received" and "resubmission" in item.reason
    assert received(db, "SP3")[:2] == ("2009-05-02", None)
    assert figures(db, "SP3") == (None, None, 2, 5)
    assert db.execute("SELECT count(*) FROM workbook_rejections").fetchone()[0] == 3
