"""Issue 11, item 16 (and the merge's part of 6 and 7): odd merges are refused or described in
words, and a merge leaves nothing beside either file."""

from __future__ import annotations

import os
from datetime import date

import pytest
from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.services.merge import merge_database
from sp_tui.services.registry import save_service
from sp_tui.services.sync_copy import copy_database
from sp_tui.services.workbooks import receive_workbook
from sp_tui.store.connection import open_db
from tests.conftest import service_fields

TODAY = date(2009, 12, 15)
runner = CliRunner()


def test_merging_a_hard_link_of_the_database_itself_is_refused(db, db_path, make_service):
    make_service()
    link = db_path.with_name("link.sqlite")
    os.link(db_path, link)
    with pytest.raises(ValidationError, match="own file"):
        merge_database(db, link)
    assert db.execute("SELECT count(*) FROM sync_peers").fetchone()[0] == 0


def test_a_merge_writes_nothing_beside_the_other_file(db, db_path, make_service, tmp_path):
    make_service()
    folder = tmp_path / "usb"
    folder.mkdir()
    copy_database(db, folder / "laptop.sqlite")
    laptop = open_db(folder / "laptop.sqlite")
    save_service(laptop, service_fields(service_ref="SP002"))
    laptop.close()
    before = sorted(p.name for p in folder.iterdir())
    assert before == ["laptop.sqlite"]
    result = merge_database(db, folder / "laptop.sqlite")
    assert result.total("inserted") >= 1
    assert sorted(p.name for p in folder.iterdir()) == before
    # and nothing stays beside this database but the file itself and its own WAL files
    assert not (db_path.parent / ".sp-tui-tmp").exists()
    assert not list(db_path.parent.glob(".sp-tui-merge-*"))


def test_a_workbook_conflict_names_the_service_and_quarter(db, db_path, make_service):
    make_service()
    copy_database(db, db_path.with_name("laptop.sqlite"))
    laptop = open_db(db_path.with_name("laptop.sqlite"))
    receive_workbook(db, "SP001", Quarter(24), "2009-04-20", today=TODAY)
    receive_workbook(laptop, "SP001", Quarter(24), "2009-05-02", today=TODAY)
    laptop.close()
    result = merge_database(db, db_path.with_name("laptop.sqlite"))
    [conflict] = [c for c in result.conflicts if c.table == "workbooks"]
    assert conflict.label == "SP001 Q24"


def test_a_dry_run_of_an_unrelated_file_names_records_not_held_here(tmp_path):
    team = open_db(tmp_path / "team.sqlite")
    save_service(team, service_fields(service_ref="SP001", provider="Harbour Trust"))
    other = open_db(tmp_path / "other.sqlite")
    # the same reference, under another provider that only the other file holds
    save_service(other, service_fields(service_ref="SP001", provider="Oak Homes"))
    other.close()
    team.close()
    result = runner.invoke(app, ["--db", str(tmp_path / "team.sqlite"), "merge",
                                 str(tmp_path / "other.sqlite"), "--dry-run"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "(not here)" not in result.output
    assert "Oak Homes" in result.output and "Harbour Trust" in result.output
