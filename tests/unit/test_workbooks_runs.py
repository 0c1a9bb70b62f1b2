"""Reminder runs and default notices: who gets one, the records, the letters per provider
and the mail-merge CSV in the outbox, dry runs, and failures that leave nothing behind."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest

from sp_tui.domain.errors import ValidationError
from sp_tui.reports.table2 import table2
from sp_tui.reports.workbooks import workbook_summary
from sp_tui.services import letters
from sp_tui.services.letters import outbox_dir
from sp_tui.services.workbook_runs import issue_defaults, send_reminders
from sp_tui.services.workbooks import excuse_workbook, receive_workbook
from tests.workbooks_support import DEADLINE, DEFAULT_END, Q24, TODAY, add_services, row_counts

DAY = timedelta(days=1)


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "letters"


@pytest.fixture
def quarter_db(db, make_service):
    """Six services: SP001 on time, SP002 excused, SP003-SP006 missing (providers alternate
    Alpha Trust / Beta Homes)."""
    add_services(make_service, 6)
    make_service(service_ref="SP007", service_name="Eq=ual | pipes", provider="=HYPERLINK()")
    receive_workbook(db, "SP001", Q24, DEADLINE, today=TODAY)
    excuse_workbook(db, "SP002", Q24, "upload system fault", DEADLINE, today=TODAY)
    return db


def test_reminders_go_to_every_overdue_unreminded_workbook(quarter_db, outbox):
    db = quarter_db
    run = send_reminders(db, Q24, sent=DEADLINE + DAY, today=TODAY, outbox=outbox)
    assert sorted(r.service_ref for r in run.rows) == ["SP003", "SP004", "SP005", "SP006",
                                                       "SP007"]
    assert sorted(run.providers) == ["=HYPERLINK()", "Alpha Trust", "Beta Homes"]
    assert db.execute("SELECT count(*), min(sent_date) FROM workbook_reminders").fetchone() == (
        5, str(DEADLINE + DAY))
    assert table2(db, Q24).last.reminders == 5
    # Nobody is reminded twice by a second run; a new overdue one would be.
    again = send_reminders(db, Q24, sent=DEADLINE + 2 * DAY, today=TODAY, outbox=outbox)
    assert again.count == 0 and again.folder is None


def test_reminder_letters_and_mail_merge_csv(quarter_db, outbox):
    run = send_reminders(quarter_db, Q24, sent=DEADLINE + DAY, today=TODAY, outbox=outbox)
    assert run.folder == outbox / "Q24-reminders-2009-05-01"
    files = sorted(p.name for p in run.folder.iterdir())
    assert files == ["Alpha-Trust.docx", "Alpha-Trust.md", "Beta-Homes.docx", "Beta-Homes.md",
                     "HYPERLINK.docx", "HYPERLINK.md", "mail-merge.csv"]
    alpha = (run.folder / "Alpha-Trust.md").read_text()
    assert "Q24 Jan-Mar 2009" in alpha and "30 April 2009" in alpha and "14 May 2009" in alpha
    assert "| SP003 | Service 3 | Dover |" in alpha and "| SP005 | Service 5 | Thanet |" in alpha
    assert "SP004" not in alpha          # Beta Homes' service is in Beta's letter
    odd = (run.folder / "HYPERLINK.md").read_text()
    assert "Eq=ual \\| pipes" in odd     # a pipe cannot break the Markdown table
    # The same letter as a Word document: the table's cells hold the text as typed.
    from docx import Document

    word = Document(str(run.folder / "HYPERLINK.docx"))
    cells = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert cells[0] == ["Service reference", "Service", "District"]
    assert any("Eq=ual | pipes" in cell for row in cells for cell in row)
    alpha_word = Document(str(run.folder / "Alpha-Trust.docx"))
    text = "\n".join(p.text for p in alpha_word.paragraphs)
    assert "30 April 2009" in text and "**" not in text
    assert ["SP003", "Service 3", "Dover"] in [[c.text for c in r.cells]
                                                for r in alpha_word.tables[0].rows]
    with open(run.folder / "mail-merge.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5
    assert {r["letter_file"] for r in rows} == {"Alpha-Trust.md", "Beta-Homes.md",
                                                "HYPERLINK.md"}
    odd_row = next(r for r in rows if r["service_ref"] == "SP007")
    assert odd_row["provider"] == "'=HYPERLINK()"   # never a formula in a spreadsheet
    assert odd_row["deadline"] == "2009-04-30" and odd_row["reminder_date"] == "2009-05-01"
    stored = quarter_db.execute("SELECT DISTINCT letter FROM workbook_reminders"
                                " ORDER BY letter").fetchall()
    assert stored[0][0] == "Q24-reminders-2009-05-01/Alpha-Trust.md"


def test_dry_run_writes_nothing(quarter_db, outbox):
    before = row_counts(quarter_db)
    run = send_reminders(quarter_db, Q24, sent=DEADLINE + DAY, today=TODAY, outbox=outbox,
                         dry_run=True)
    assert run.count == 5 and run.folder is None and run.dry_run
    assert row_counts(quarter_db) == before
    assert list(outbox.iterdir()) if outbox.exists() else [] == []


def test_outbox_defaults_to_a_folder_beside_the_database(quarter_db, db_path):
    assert outbox_dir(quarter_db) == db_path.parent / "outbox"
    run = send_reminders(quarter_db, Q24, sent=DEADLINE + DAY, today=TODAY)
    assert run.folder.parent == db_path.parent / "outbox"


def test_defaults_after_the_default_period(quarter_db, outbox):
    db = quarter_db
    send_reminders(db, Q24, sent=DEADLINE + DAY, today=TODAY, outbox=outbox)
    receive_workbook(db, "SP003", Q24, DEFAULT_END, today=TODAY)   # just in time
    receive_workbook(db, "SP004", Q24, DEFAULT_END + DAY, today=TODAY)  # late: no default
    run = issue_defaults(db, Q24, issued=DEFAULT_END + 2 * DAY, today=TODAY, outbox=outbox)
    assert sorted(r.service_ref for r in run.rows) == ["SP005", "SP006", "SP007"]
    assert db.execute("SELECT DISTINCT extended_deadline FROM workbook_defaults"
                      ).fetchall() == [(str(DEFAULT_END + 16 * DAY),)]
    letter = (run.folder / "Alpha-Trust.md").read_text()
    for words in ("Default notice", "SP005", "Q24 Jan-Mar 2009", "The failing",
                  "Extended deadline", "30 May 2009", "further action may follow"):
        assert words in letter
    assert "1 default in force" in letter
    summary = workbook_summary(db, Q24, TODAY)
    assert summary.count("in_default") == 3 and summary.count("excused") == 1
    assert summary.defaults_due == 0
    assert table2(db, Q24).last.defaults == 3


@pytest.mark.parametrize("kind, day, message", [
    ("reminders", DEADLINE, "deadline is 2009-04-30"),
    ("reminders", TODAY + DAY, "in the future"),
    ("defaults", DEFAULT_END, "ends on 2009-05-14"),
    ("defaults", "soon", "must be a date"),
])
def test_runs_refuse_bad_dates_and_write_nothing(quarter_db, outbox, kind, day, message):
    before = row_counts(quarter_db)
    run = send_reminders if kind == "reminders" else issue_defaults
    key = "sent" if kind == "reminders" else "issued"
    with pytest.raises(ValidationError, match=message):
        run(quarter_db, Q24, **{key: day}, today=TODAY, outbox=outbox)
    assert row_counts(quarter_db) == before
    assert list(outbox.iterdir()) if outbox.exists() else [] == []


def test_a_failure_writing_letters_rolls_back_the_records(quarter_db, outbox, monkeypatch):
    def broken(target, files):
        raise OSError("disk full")

    monkeypatch.setattr("sp_tui.services.workbook_runs.publish_batch", broken)
    before = row_counts(quarter_db)
    with pytest.raises(OSError, match="disk full"):
        send_reminders(quarter_db, Q24, sent=DEADLINE + DAY, today=TODAY, outbox=outbox)
    assert row_counts(quarter_db) == before


def test_a_failed_commit_removes_the_letters(quarter_db, outbox, monkeypatch):
    real_publish = letters.publish_batch

    def publish_then_fail(target, files):
        real_publish(target, files)
        raise RuntimeError("commit failed")

    monkeypatch.setattr("sp_tui.services.workbook_runs.publish_batch", publish_then_fail)
    before = row_counts(quarter_db)
    with pytest.raises(RuntimeError):
        send_reminders(quarter_db, Q24, sent=DEADLINE + DAY, today=TODAY, outbox=outbox)
    assert row_counts(quarter_db) == before
    assert list(outbox.iterdir()) == []


def test_a_second_batch_the_same_day_gets_its_own_folder(quarter_db, outbox, make_service):
    send_reminders(quarter_db, Q24, sent=DEADLINE + DAY, today=TODAY, outbox=outbox)
    make_service(service_ref="SP100", service_name="Added later")
    run = send_reminders(quarter_db, Q24, sent=DEADLINE + DAY, today=TODAY, outbox=outbox)
    assert run.count == 1 and run.folder.name == "Q24-reminders-2009-05-01-2"
