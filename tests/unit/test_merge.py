"""Merging a laptop's copy: copies, one-sided changes, conflicts, keys created twice, safety."""

from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.services.calendar import set_quarter_dates
from sp_tui.services.conflicts import resolve_conflict
from sp_tui.services.merge import merge_database
from sp_tui.services.registry import add_reference_value, save_service
from sp_tui.services.sync_copy import copy_database
from sp_tui.store.connection import open_db
from sp_tui.store.meta import database_id
from tests.conftest import service_fields
from tests.unit.merge_support import everything, open_conflicts, records


@pytest.fixture
def laptop(db, db_path, make_service):
    """The team's database with one service, and a laptop copy made from it."""
    make_service()
    path = db_path.with_name("laptop.sqlite")
    copy_database(db, path)
    other = open_db(path)
    yield other
    other.close()


def service_id(db, ref="SP001"):
    return db.execute("SELECT id FROM services WHERE service_ref = ?", (ref,)).fetchone()[0]


# Conflicts here are mostly on the district: a change of units is held twice (the register's
# units and the contract version in force, issue 17); in conflict, it is listed once (the
# service's) and the version's follows it (test_a_unit_change_made_in_both_copies_...).
def edit(db, ref="SP001", **changes):
    return save_service(db, service_fields(service_ref=ref, **changes),
                        service_id=service_id(db, ref), source="test")


def test_a_copy_has_its_own_identity_and_both_files_remember_the_shared_state(db, laptop):
    assert database_id(db) and database_id(laptop) and database_id(db) != database_id(laptop)
    assert records(db) == records(laptop)
    for one, other in ((db, laptop), (laptop, db)):
        peer = one.execute("SELECT n FROM sync_peers WHERE database_id = ?",
                           (database_id(other),)).fetchone()
        assert peer is not None
        remembered = one.execute("SELECT table_name, count(*) FROM sync_base WHERE peer = ?"
                                 " GROUP BY table_name", peer).fetchall()
        assert {"providers": 1, "services": 1}.items() <= dict(remembered).items()
    path = laptop.execute("PRAGMA database_list").fetchone()[2]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'db.copy'").fetchone()[0] == 1


def test_a_copy_leaves_the_teams_open_conflicts_behind(db, db_path, laptop):
    edit(db, household_units=30)
    edit(laptop, household_units=40)
    merge_database(db, laptop_path(laptop))
    second = db_path.with_name("second.sqlite")
    copy_database(db, second)
    other = open_db(second)
    assert open_conflicts(db) and not open_conflicts(other)
    other.close()


def test_a_copy_never_overwrites_a_file(db, db_path):
    target = db_path.with_name("exists.sqlite")
    target.write_text("keep me")
    with pytest.raises(ValidationError, match="already exists"):
        copy_database(db, target)
    assert target.read_text() == "keep me"


def test_new_and_changed_records_come_in_with_an_audit_trail_and_a_backup(db, db_path, laptop):
    edit(laptop, household_units=20)
    save_service(laptop, service_fields(service_ref="SP002", provider="Laptop Trust"))
    set_quarter_dates(laptop, Quarter(27), deadline="2010-01-20")
    add_reference_value(laptop, "district", "Medway")

    result = merge_database(db, laptop_path(laptop))

    assert records(db) == records(laptop)
    # provider, service and its first contract version, quarter, district; the service
    # and its contract version in force (the units)
    assert (result.total("inserted"), result.total("updated")) == (5, 2)
    assert result.tables["services"].updated == 1
    assert result.tables["contract_versions"].updated == 1
    assert result.backup is not None and result.backup.exists()
    assert result.backup.parent == db_path.parent
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log WHERE action LIKE 'merge%'")]
    assert sorted(actions) == ["merge", "merge.insert", "merge.insert", "merge.insert",
                               "merge.insert", "merge.insert", "merge.update", "merge.update"]
    sources = {r[0] for r in db.execute("SELECT source FROM audit_log WHERE action LIKE 'merge%'")}
    assert sources == {"merge laptop.sqlite"}
    summary = db.execute("SELECT summary FROM audit_log WHERE action = 'merge'").fetchone()[0]
    assert "laptop.sqlite" in summary and "2 updated" in summary


def laptop_path(db):
    return db.execute("PRAGMA database_list").fetchone()[2]


def test_a_change_made_only_here_is_kept(db, laptop):
    edit(db, household_units=30)
    save_service(laptop, service_fields(service_ref="SP002"))
    merge_database(db, laptop_path(laptop))
    assert db.execute("SELECT household_units FROM services WHERE service_ref = 'SP001'"
                      ).fetchone()[0] == 30
    assert not open_conflicts(db)


def test_merging_the_same_file_twice_changes_nothing_the_second_time(db, laptop):
    edit(laptop, household_units=20)
    edit(db, service_name="Edited here")
    merge_database(db, laptop_path(laptop))
    before = everything(db)
    result = merge_database(db, laptop_path(laptop))
    assert everything(db) == before
    assert not result.changed and result.backup is None


def test_conflicting_changes_are_listed_and_not_written(db, laptop):
    edit(db, district="Dover", service_name="Ours")
    edit(laptop, district="Swale", service_name="Ours")  # same name: not a conflict
    result = merge_database(db, laptop_path(laptop))
    assert db.execute("SELECT district FROM services").fetchone()[0] == "Dover"
    assert result.tables["services"].conflicts == 1
    assert [(c.field, c.this_value, c.other_value) for c in result.conflicts] == [
        ("district", "Dover", "Swale")]
    row = db.execute("SELECT field, this_value, other_value, source_file, peer_database_id"
                     " FROM merge_conflicts").fetchone()
    assert row == ("district", '"Dover"', '"Swale"', laptop_path(laptop), database_id(laptop))
    # listed once, however often the file is merged
    before = everything(db)
    merge_database(db, laptop_path(laptop))
    assert everything(db) == before


def test_settling_a_conflict_sticks_and_travels_back_to_the_laptop(db, laptop):
    edit(db, district="Dover")
    edit(laptop, district="Swale")
    merge_database(db, laptop_path(laptop))
    (conflict_id,) = db.execute("SELECT id FROM merge_conflicts").fetchone()

    resolve_conflict(db, conflict_id, "other", source="test")

    assert db.execute("SELECT district FROM services").fetchone()[0] == "Swale"
    assert not open_conflicts(db)
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'merge.resolve'"
                      ).fetchone()[0] == 1
    before = everything(db)
    merge_database(db, laptop_path(laptop))
    assert everything(db) == before
    # keep ours on another field, then the laptop takes the team's choice without asking
    edit(db, district="Swale", service_name="Team name")
    merge_database(laptop, db.execute("PRAGMA database_list").fetchone()[2])
    assert records(laptop) == records(db)
    assert not open_conflicts(laptop)


def test_keeping_this_value_means_the_next_merge_keeps_it_too(db, laptop):
    edit(db, district="Dover")
    edit(laptop, district="Swale")
    merge_database(db, laptop_path(laptop))
    (conflict_id,) = db.execute("SELECT id FROM merge_conflicts").fetchone()
    resolve_conflict(db, conflict_id, "this")
    assert db.execute("SELECT district FROM services").fetchone()[0] == "Dover"
    result = merge_database(db, laptop_path(laptop))
    assert not result.conflicts and not open_conflicts(db)
    assert db.execute("SELECT district FROM services").fetchone()[0] == "Dover"


def test_a_conflict_settled_by_both_copies_agreeing_closes_itself(db, laptop):
    edit(db, household_units=30)
    edit(laptop, household_units=40)
    merge_database(db, laptop_path(laptop))
    edit(laptop, household_units=30)
    merge_database(db, laptop_path(laptop))
    assert not open_conflicts(db)
    assert db.execute("SELECT resolution FROM merge_conflicts").fetchone()[0] == "merged"


def test_taking_a_value_that_breaks_a_rule_is_refused_and_writes_nothing(db, laptop):
    edit(db, end_date="2009-01-01")
    edit(laptop, start_date="2009-06-01", end_date="2010-01-01")
    merge_database(db, laptop_path(laptop))
    start = db.execute("SELECT id FROM merge_conflicts WHERE field = 'start_date'").fetchone()[0]
    before = everything(db)
    with pytest.raises(ValidationError, match="start_date"):
        resolve_conflict(db, start, "other")
    assert everything(db) == before


def test_the_same_provider_and_service_created_in_both_copies_end_with_one_key(db, laptop):
    save_service(db, service_fields(service_ref="SP009", provider="New Org"))
    save_service(laptop, service_fields(service_ref="SP009", provider="New Org"))
    save_service(laptop, service_fields(service_ref="SP010", provider="New Org"))
    result = merge_database(db, laptop_path(laptop))
    assert result.tables["providers"].unified == 1 and result.tables["services"].unified == 1
    assert not result.conflicts
    merge_database(laptop, laptop_path(db))
    assert records(db) == records(laptop)
    assert db.execute("SELECT count(*) FROM providers WHERE name = 'New Org'").fetchone()[0] == 1
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_same_service_created_twice_with_different_content_is_a_conflict(db, laptop):
    save_service(db, service_fields(service_ref="SP009", district="Dover"))
    save_service(laptop, service_fields(service_ref="SP009", district="Swale"))
    result = merge_database(db, laptop_path(laptop))
    assert [(c.field, c.this_value, c.other_value) for c in result.conflicts] == [
        ("district", "Dover", "Swale")]
    assert db.execute("SELECT count(*) FROM services").fetchone()[0] == 2


def test_a_record_whose_unique_value_is_taken_here_is_not_written_and_can_be_dismissed(db,
                                                                                     laptop):
    # The laptop renames SP001 to SP005 and adds a new SP001; here SP001 was edited too.
    edit(db, district="Dover")
    edit(laptop, district="Swale")
    save_service(laptop, service_fields(service_ref="SP005"), service_id=service_id(laptop))
    save_service(laptop, service_fields(service_ref="SP001", service_name="Newcomer"))
    result = merge_database(db, laptop_path(laptop))
    assert result.tables["services"].blocked == 1
    blocked = [c for c in result.conflicts if not c.field]
    assert "already used here" in blocked[0].reason
    (conflict_id,) = db.execute("SELECT id FROM merge_conflicts WHERE field = ''"
                                " AND table_name = 'services'").fetchone()
    with pytest.raises(ValidationError, match="cannot be written here"):
        resolve_conflict(db, conflict_id, "other")
    resolve_conflict(db, conflict_id, "this")
    # the blocked service's contract version could not come in either: dismissed with it
    (version_conflict,) = db.execute("SELECT id FROM merge_conflicts WHERE field = ''"
                                     " AND table_name = 'contract_versions'").fetchone()
    resolve_conflict(db, version_conflict, "this")
    merge_database(db, laptop_path(laptop))
    assert db.execute("SELECT count(*) FROM merge_conflicts WHERE field = ''"
                      " AND resolved_at IS NULL").fetchone()[0] == 0


def test_a_dry_run_writes_nothing_and_reports_what_would_happen(db, db_path, laptop):
    edit(laptop, household_units=20)
    edit(db, service_name="Here")
    save_service(laptop, service_fields(service_ref="SP002"))
    before = everything(db)
    dry = merge_database(db, laptop_path(laptop), dry_run=True)
    assert everything(db) == before and dry.backup is None
    assert not list(db_path.parent.glob("*.bak"))
    real = merge_database(db, laptop_path(laptop))
    assert dry.tables == real.tables and dry.conflicts == real.conflicts
    assert everything(db) != before


def test_an_interrupted_merge_leaves_the_database_as_it_was(db, laptop, monkeypatch):
    from sp_tui.services import merge_records

    for ref in ("SP002", "SP003", "SP004"):
        save_service(laptop, service_fields(service_ref=ref))
    edit(laptop, household_units=99)
    before = everything(db)
    calls = []
    real_insert = merge_records.RecordTableMerge._insert

    def failing_insert(self, other, other_hash):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_insert(self, other, other_hash)

    monkeypatch.setattr(merge_records.RecordTableMerge, "_insert", failing_insert)
    with pytest.raises(KeyboardInterrupt):
        merge_database(db, laptop_path(laptop))
    assert everything(db) == before
    assert "other" not in [r[1] for r in db.execute("PRAGMA database_list")]


def test_two_unrelated_files_conflict_on_shared_keys_and_add_new_ones(db, db_path, make_service):
    make_service()
    db.close()
    plain = db_path.with_name("plain-copy.sqlite")
    shutil.copy(db_path, plain)  # a plain file copy: same identity, no shared history known
    db = open_db(db_path)
    other = open_db(plain)
    edit(other, district="Swale")
    save_service(other, service_fields(service_ref="SP002"))
    result = merge_database(db, plain)
    assert not result.shared_history
    assert [(c.field, c.other_value) for c in result.conflicts] == [("district", "Swale")]
    assert result.tables["services"].inserted == 1
    before = everything(db)
    merge_database(db, plain)
    assert everything(db) == before


def test_the_own_file_and_non_databases_are_refused(db, db_path, tmp_path):
    with pytest.raises(ValidationError, match="own file"):
        merge_database(db, db_path)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValidationError, match="cannot be read"):
        merge_database(db, junk)
    with pytest.raises(ValidationError, match="does not exist"):
        merge_database(db, tmp_path / "missing.sqlite")
    empty = tmp_path / "empty.sqlite"
    open_db(empty, migrate=False).close()
    with pytest.raises(ValidationError, match="not an sp-tui database"):
        merge_database(db, empty)


def test_conflict_values_are_json_so_types_survive(db, laptop):
    edit(db, end_date="2011-01-01")
    edit(laptop, end_date="2012-01-01")
    merge_database(db, laptop_path(laptop))
    row = db.execute("SELECT this_value, other_value FROM merge_conflicts").fetchone()
    assert [json.loads(v) for v in row] == ["2011-01-01", "2012-01-01"]


def test_a_change_undone_after_an_exchange_is_still_a_change(db, laptop):
    """The nearer of the two remembered bases counts: the team changed SP001 and the laptop
    took it; the team then changes it back while the laptop edits it: a conflict, not the
    laptop's version taken because the team's value happens to equal an older base."""
    team_file, laptop_file = laptop_path(db), laptop_path(laptop)
    edit(db, district="Dover")
    merge_database(db, laptop_file)
    merge_database(laptop, team_file)
    assert records(db) == records(laptop)
    edit(db, district="Thanet")              # back to the value at copy time
    edit(laptop, district="Dover", household_units=2)
    result = merge_database(db, laptop_file)
    assert [(c.field, c.this_value, c.other_value) for c in result.conflicts] == [
        ("district", "Thanet", "Dover"), ("household_units", 12, 2)]
    assert db.execute("SELECT district FROM services").fetchone()[0] == "Thanet"


def test_a_visit_deleted_in_one_copy_is_deleted_in_both_unless_edited_in_the_other(db, laptop):
    from sp_tui.services.visits import delete_visit, save_visit
    from datetime import date

    today = date(2009, 11, 20)
    for day in ("2009-01-05", "2009-02-05"):
        save_visit(db, {"service_ref": "SP001", "officer": "Ann Lee", "started_date": day},
                   today=today)
    team_file, laptop_file = laptop_path(db), laptop_path(laptop)
    merge_database(laptop, team_file)
    first, second = [v for (v,) in db.execute("SELECT id FROM visits ORDER BY started_date")]
    delete_visit(laptop, first)
    delete_visit(laptop, second)
    save_visit(db, {"service_ref": "SP001", "officer": "Bob Ray", "started_date": "2009-02-05"},
               visit_id=second, today=today)
    result = merge_database(db, laptop_file)
    assert result.tables["visits"].deleted == 1
    assert [v for (v,) in db.execute("SELECT id FROM visits")] == [second]  # the edit wins
    merge_database(laptop, team_file)
    assert records(laptop) == records(db)
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'merge.delete'"
                      ).fetchone()[0] == 1


def test_workbooks_of_a_service_rekeyed_by_a_merge_can_still_be_rejected(db, laptop):
    """A workbook's id is derived from its service's id when first stored; after a merge
    gives the service the other copy's key, the workbook keeps its id and must still work."""
    from datetime import date

    from sp_tui.services.workbooks import receive_workbook, reject_workbook

    today = date(2009, 11, 20)
    team_id = save_service(db, service_fields(service_ref="SP009", provider="New Org"))
    laptop_id = save_service(laptop, service_fields(service_ref="SP009", provider="New Org"))
    renamed, keeper = (db, laptop) if team_id > laptop_id else (laptop, db)
    receive_workbook(renamed, "SP009", Quarter(24), "2009-04-20", today=today)
    merge_database(renamed, laptop_path(keeper))
    assert renamed.execute("SELECT id FROM services WHERE service_ref = 'SP009'"
                           ).fetchone()[0] == min(team_id, laptop_id)
    change = reject_workbook(renamed, "SP009", Quarter(24), "incomplete", "2009-05-01",
                             today=today)
    stored = renamed.execute("SELECT w.id FROM workbooks w JOIN workbook_rejections r"
                             " ON r.workbook_id = w.id").fetchone()
    assert stored is not None and change.workbook_id == stored[0]


def test_a_unit_change_made_in_both_copies_is_one_conflict(db, laptop):
    """Issue 11 (merge): the register's units and the contract version in force hold the
    same change; merged from both sides it is one conflict (the service's), named by the
    service's reference, and settling it settles the contract version with it."""
    from sp_tui.reports.conflicts import open_conflict_count, open_conflicts as listed
    from sp_tui.reports.contract import contract_history

    edit(db, household_units=30)
    edit(laptop, household_units=40)
    result = merge_database(db, laptop_path(laptop))
    assert [(c.table, c.field) for c in result.conflicts] == [("services", "household_units")]
    assert result.total("conflicts") == 1
    assert open_conflict_count(db) == 1
    (row,) = listed(db)
    assert row.record == "service SP001" and row.field == "household_units"

    resolve_conflict(db, row.id, "other")
    sid = service_id(db)
    assert db.execute("SELECT household_units FROM services WHERE id = ?", (sid,)
                      ).fetchone()[0] == 40
    assert [v.household_units for v in contract_history(db, sid)] == [40]
    assert open_conflict_count(db) == 0 and not open_conflicts(db)
    # the next merge of the same file has nothing to ask, and the copies agree
    again = merge_database(db, laptop_path(laptop))
    assert not again.conflicts and not open_conflicts(db)
    merge_database(laptop, laptop_path(db))
    assert records(db) == records(laptop)


def test_keeping_this_databases_units_keeps_the_contract_versions_too(db, laptop):
    edit(db, household_units=30)
    edit(laptop, household_units=40)
    merge_database(db, laptop_path(laptop))
    from sp_tui.reports.conflicts import open_conflicts as listed

    (row,) = listed(db)
    resolve_conflict(db, row.id, "this")
    assert not open_conflicts(db)
    assert not merge_database(db, laptop_path(laptop)).conflicts
