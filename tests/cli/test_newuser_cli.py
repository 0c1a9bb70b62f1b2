"""What a new user tripped over in the CLI (issue 13): an empty database named, several
workbooks received at once."""

from __future__ import annotations

import pytest

from sp_tui.services.workbooks import WorkbookBatch, receive_workbooks, undo_batch
from sp_tui.domain.errors import ValidationError
from tests.cli.test_workbooks_cli import CAL, RECENT, sp
from tests.workbooks_support import Q24, TODAY, add_services, row_counts


def test_an_empty_database_is_named_with_the_way_to_the_demo(db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = sp(db_path, "report", "table2")
    assert result.exit_code == 0
    said = " ".join(result.output.split())
    assert f"Note: {db_path} holds no services yet" in said
    assert "sp-tui demo" in said


def test_no_note_once_there_are_services(db_path, make_service):
    make_service()
    result = sp(db_path, "report", "table2")
    assert "Note:" not in result.output


def test_several_workbooks_received_in_one_command(db_path, make_service, db):
    add_services(make_service, 4)
    q = str(RECENT.number)
    result = sp(db_path, "workbooks", "receive", "SP001", "SP002,SP003", "--quarter", q,
                "--date", CAL.deadline.isoformat())
    assert result.exit_code == 0, result.output
    assert "3 workbooks for" in result.output and "SP001, SP002, SP003" in result.output
    assert db.execute("SELECT count(*) FROM workbooks WHERE received_date IS NOT NULL"
                      ).fetchone()[0] == 3


def test_one_bad_reference_receives_none(db_path, make_service, db):
    add_services(make_service, 2)
    before = row_counts(db)
    result = sp(db_path, "workbooks", "receive", "SP001", "NOPE", "SP002", "--quarter",
                str(RECENT.number), "--date", CAL.deadline.isoformat())
    assert result.exit_code == 1
    assert "NOPE" in result.output
    assert row_counts(db) == before


def test_a_batch_is_undone_at_once(db, make_service):
    add_services(make_service, 3)
    batch = receive_workbooks(db, ["SP001 SP002", "sp003", "SP001"], Q24, "2009-04-20",
                              today=TODAY)
    assert isinstance(batch, WorkbookBatch) and len(batch.changes) == 3
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'workbook.receive_batch'"
                      ).fetchone()[0] == 1
    said = undo_batch(db, batch)
    assert said.startswith("undone: 3 workbooks for Q24")
    assert db.execute("SELECT count(*) FROM workbooks WHERE received_date IS NOT NULL"
                      ).fetchone()[0] == 0


def test_no_reference_is_refused(db):
    with pytest.raises(ValidationError):
        receive_workbooks(db, [" , "], Q24, today=TODAY)
