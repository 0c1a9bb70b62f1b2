"""Merging copies whose schema versions differ: the older one is migrated on a copy, never in
place; a file from a newer sp-tui is refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from sp_tui.domain.errors import ValidationError
from sp_tui.services.merge import merge_database
from sp_tui.services.registry import save_service
from sp_tui.store import migrate
from sp_tui.store.connection import open_db
from sp_tui.store.migrate import applied_versions, available_migrations
from tests.conftest import service_fields
from tests.unit.merge_support import file_digest, open_conflicts, records


def build_with(monkeypatch, tmp_path: Path, versions: set[int], path: Path, fill=None) -> Path:
    """A database file holding only the migrations ``versions`` (an older sp-tui's file)."""
    folder = tmp_path / f"migrations-{'-'.join(map(str, sorted(versions)))}"
    if not folder.exists():
        folder.mkdir()
        for m in available_migrations():
            if m.version in versions:
                (folder / f"{m.version:04d}_{m.name}.sql").write_text(m.sql)
    with monkeypatch.context() as patch:
        patch.setattr(migrate, "migrations_dir", lambda: folder)
        db = open_db(path)
        if fill:
            fill(db)
        db.close()
    return path


def v1_save(db, fields: dict, service_id: str | None = None) -> str:
    """What a version-1 sp-tui wrote for a service (the current service layer writes columns
    a version-1 file lacks)."""
    from sp_tui.store.records import new_id, now_iso

    stamp = now_iso()
    row = db.execute("SELECT id FROM providers WHERE name = ?", (fields["provider"],)).fetchone()
    provider_id = row[0] if row else new_id()
    if not row:
        db.execute("INSERT INTO providers (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                   (provider_id, fields["provider"], stamp, stamp))
    values = {"service_ref": fields["service_ref"], "name": fields["service_name"],
              "provider_id": provider_id, "service_type": fields["service_type"],
              "client_group": fields["client_group"], "district": fields["district"],
              "term": fields["term"], "household_units": fields["household_units"],
              "leaseholder_units": fields["leaseholder_units"],
              "workbook_required": int(fields["workbook_required"]),
              "start_date": fields["start_date"], "end_date": fields["end_date"],
              "updated_at": stamp}
    if service_id:
        db.execute(f"UPDATE services SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                   (*values.values(), service_id))
        return service_id
    service_id = new_id()
    values |= {"id": service_id, "created_at": stamp}
    db.execute(f"INSERT INTO services ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
               tuple(values.values()))
    return service_id


def versions_of(path: Path) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        return {v for (v,) in conn.execute("SELECT version FROM schema_migrations")}
    finally:
        conn.close()


def test_an_older_file_is_merged_from_a_migrated_copy_and_left_untouched(db, tmp_path,
                                                                       monkeypatch):
    old = build_with(monkeypatch, tmp_path, {1}, tmp_path / "old-laptop.sqlite",
                     fill=lambda d: v1_save(d, service_fields(service_ref="OLD1")))
    digest = file_digest(old)

    result = merge_database(db, old)

    assert result.migrated_copy and result.other_version == 1
    assert not result.shared_history
    assert db.execute("SELECT service_ref FROM services").fetchall() == [("OLD1",)]
    assert versions_of(old) == {1} and file_digest(old) == digest
    assert not list(tmp_path.glob(".sp-tui-merge-*"))  # the migrated copy is gone
    # remembered by its path: merging it again changes nothing
    assert not merge_database(db, old).changed


def test_a_file_missing_a_middle_migration_counts_as_older(db, tmp_path, monkeypatch):
    latest = max(m.version for m in available_migrations())
    middle = sorted(m.version for m in available_migrations())[1:-1]
    if not middle:
        pytest.skip("needs three migrations or more")
    everything = {m.version for m in available_migrations()}
    # The latest migration may build on middle ones (indexes on their tables): leave out the
    # highest middle migration that the file can be built without.
    for missing in reversed(middle):
        path = tmp_path / f"gap-{missing}.sqlite"
        try:
            gap = build_with(monkeypatch, tmp_path, everything - {missing}, path,
                             fill=lambda d: v1_save(d, service_fields(service_ref="GAP1")))
        except sqlite3.OperationalError:
            continue
        break
    else:
        pytest.skip("every middle migration is needed by a later one")
    result = merge_database(db, gap)
    assert result.migrated_copy
    assert db.execute("SELECT service_ref FROM services").fetchall() == [("GAP1",)]
    assert versions_of(gap) == everything - {missing}
    assert latest in versions_of(gap)


def test_a_plain_copy_made_before_the_upgrade_has_no_shared_history(tmp_path, monkeypatch):
    """Team and laptop were one file at version 1 (copied by hand); the team file has since
    been upgraded. Same records: differences are conflicts; new records come in."""
    team_path = tmp_path / "team.sqlite"
    build_with(monkeypatch, tmp_path, {1}, team_path,
               fill=lambda d: v1_save(d, service_fields()))
    laptop_path = tmp_path / "laptop.sqlite"
    shutil.copy(team_path, laptop_path)

    team = open_db(team_path)  # upgraded in place, after a backup
    assert applied_versions(team) == {m.version for m in available_migrations()}
    service_id = team.execute("SELECT id FROM services").fetchone()[0]
    save_service(team, service_fields(district="Dover"), service_id=service_id)

    def laptop_edits(laptop):
        v1_save(laptop, service_fields(district="Swale"), service_id=service_id)
        v1_save(laptop, service_fields(service_ref="SP002"))

    build_with(monkeypatch, tmp_path, {1}, laptop_path, fill=laptop_edits)
    result = merge_database(team, laptop_path)

    assert [(c.field, c.this_value, c.other_value) for c in result.conflicts] == [
        ("district", "Dover", "Swale")]
    assert {r for (r,) in team.execute("SELECT service_ref FROM services")} == {"SP001", "SP002"}
    assert open_conflicts(team) == [("services", service_id, "district")]
    assert versions_of(laptop_path) == {1}
    team.close()


def test_a_file_from_a_newer_sp_tui_is_refused(db, tmp_path):
    newer_path = tmp_path / "newer.sqlite"
    newer = open_db(newer_path)
    save_service(newer, service_fields(service_ref="NEW1"))
    newer.execute("INSERT INTO schema_migrations VALUES (9999, 'future', '2030-01-01')")
    newer.close()
    before = records(db)
    with pytest.raises(ValidationError, match="newer sp-tui.*9999.*Upgrade"):
        merge_database(db, newer_path)
    assert records(db) == before
    assert not list(tmp_path.glob("*.bak"))
