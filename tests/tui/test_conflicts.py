"""The conflicts screen: both values side by side, settled with a key; merge from the palette."""

from __future__ import annotations

from textual.widgets import Input, Static

from sp_tui.services.merge import merge_database
from sp_tui.services.registry import save_service
from sp_tui.services.sync_copy import copy_database
from sp_tui.store.connection import open_db
from sp_tui.tui.screens.conflicts import ConflictsScreen
from sp_tui.tui.widgets.confirm import ConfirmModal
from sp_tui.tui.widgets.merge_modal import MergeModal
from sp_tui.tui.widgets.record_table import RecordTable
from tests.conftest import service_fields
from tests.tui.conftest import press, settle, type_text


def laptop_with_changes(db, db_path, **laptop_changes):
    """The team's SP001 edited here and differently on a laptop copy; returns the copy's path."""
    service_id = save_service(db, service_fields(), source="test")
    path = db_path.with_name("laptop.sqlite")
    copy_database(db, path)
    laptop = open_db(path)
    save_service(laptop, service_fields(**laptop_changes), service_id=service_id)
    save_service(laptop, service_fields(service_ref="SP002", service_name="From the laptop"))
    laptop.close()
    # the district, not the units: units are held by the register and by the contract
    # version in force, so a unit conflict is listed for both records
    save_service(db, service_fields(district="Dover", service_name="Team name"),
                 service_id=service_id)
    return path, service_id


def table_text(app) -> str:
    table = app.screen.query_one(RecordTable)
    return "\n".join(" | ".join(str(c) for c in table.get_row_at(i))
                     for i in range(table.row_count))


async def test_both_values_are_shown_and_a_key_settles_each_conflict(db, db_path, make_app):
    path, service_id = laptop_with_changes(db, db_path, district="Swale",
                                           service_name="Laptop name")
    merge_database(db, path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "8")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        text = table_text(app)
        assert "service SP001 | district | Dover | Swale" in text
        assert "name | Team name | Laptop name" in text
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "This database" in detail and "Other copy" in detail

        await press(pilot, "o")           # first row: district -> take the laptop's Swale
        await settle(pilot)
        assert db.execute("SELECT district, name FROM services WHERE id = ?",
                          (service_id,)).fetchone() == ("Swale", "Team name")
        assert app.screen.query_one(RecordTable).row_count == 1

        await press(pilot, "t")           # name: keep the team's
        await settle(pilot)
        assert db.execute("SELECT name FROM services WHERE id = ?",
                          (service_id,)).fetchone()[0] == "Team name"
        assert db.execute("SELECT count(*) FROM merge_conflicts WHERE resolved_at IS NULL"
                          ).fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'merge.resolve'"
                          ).fetchone()[0] == 2
        assert app.screen.query_one("#empty").has_class("-visible")


async def test_a_value_that_does_not_fit_is_refused_with_a_message(db, db_path, make_app):
    path, service_id = laptop_with_changes(db, db_path, start_date="2009-06-01",
                                           end_date="2010-01-01")
    save_service(db, service_fields(district="Dover", service_name="Team name",
                                    end_date="2009-01-01"), service_id=service_id)
    merge_database(db, path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "8")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        fields = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        table.move_cursor(row=fields.index("start_date"))
        await press(pilot, "o")
        await settle(pilot)
        assert db.execute("SELECT start_date FROM services WHERE id = ?",
                          (service_id,)).fetchone()[0] == "2005-04-01"
        assert table.row_count == len(fields)   # still listed


async def test_user_text_in_values_is_never_markup(db, db_path, make_app):
    path, _ = laptop_with_changes(db, db_path, service_name="[/b] Broken [red]")
    merge_database(db, path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "8")
        await settle(pilot)
        assert "[/b] Broken [red]" in table_text(app)
        await press(pilot, "o")
        await settle(pilot)


async def test_merge_from_file_in_the_palette_shows_a_dry_run_then_merges(db, db_path,
                                                                          make_app):
    path, _ = laptop_with_changes(db, db_path, district="Swale")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "merge from file")
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, MergeModal)
        app.screen.query_one("#path", Input).value = str(path)
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        body = str(app.screen.query_one("VerticalScroll Static", Static).render())
        assert "services: 1 new, 1 in conflict" in body
        # the dry run wrote nothing
        assert db.execute("SELECT count(*) FROM services").fetchone()[0] == 1
        await press(pilot, "y")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        assert db.execute("SELECT count(*) FROM services").fetchone()[0] == 2
        # SP001: the district and the name (changed here only, but the record as a whole
        # changed in both copies)
        assert app.screen.query_one(RecordTable).row_count == 2
        assert list(db_path.parent.glob("*.pre-merge-*.bak"))


async def test_the_merge_modal_keeps_a_bad_path_open_with_a_message(db, make_app, tmp_path):
    save_service(db, service_fields())
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "8")
        await press(pilot, "m")
        await settle(pilot)
        assert isinstance(app.screen, MergeModal)
        app.screen.query_one("#path", Input).value = str(tmp_path / "missing.sqlite")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, MergeModal)
        assert "does not exist" in str(app.screen.query_one("#message", Static).render())
        junk = tmp_path / "junk.sqlite"
        junk.write_text("not a database")
        app.screen.query_one("#path", Input).value = str(junk)
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert isinstance(app.screen, MergeModal)
        assert "Nothing was merged" in str(app.screen.query_one("#message", Static).render())
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)


async def test_open_conflicts_show_on_the_dashboard_and_open_the_conflicts_screen(
        db, db_path, make_app):
    from sp_tui.tui.screens.dashboard import DashboardScreen

    path, _ = laptop_with_changes(db, db_path, district="Swale")
    merge_database(db, path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the dashboard loads in a worker
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one("#attention", RecordTable)
        kinds = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Merge conflict to settle" in kinds
        table.move_cursor(row=kinds.index("Merge conflict to settle"))
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
