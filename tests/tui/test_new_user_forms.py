"""Issue 13: bug 4 (invalid fields hide what was typed), bug 6 (clipped confirmation title),
friction 4 (Esc discarded a filled form), friction 9 (batches dated in the app)."""

from __future__ import annotations

from textual.widgets import Input, Label

from sp_tui.domain.quarters import Quarter
from sp_tui.tui.widgets.confirm import ConfirmModal
from sp_tui.tui.widgets.form import FormModal
from tests.tui.conftest import type_text
from tests.workbooks_support import add_services, row_counts


async def test_invalid_compact_field_keeps_its_value_visible_and_selected(db, make_service,
                                                                         make_app):
    make_service()
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "a")
        await pilot.pause()
        form = app.screen
        form.query_one("#service_ref", Input).value = "SP001"
        form.query_one("#officer", Input).value = "Kim"
        started = form.query_one("#started_date", Input)
        started.focus()
        await pilot.pause()
        started.value = "2009-09-10x"                 # typed: cursor at the end
        started.action_end()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert started.has_class("-invalid")
        assert app.focused is started and started.selected_text == "2009-09-10x"
        await type_text(pilot, "2009-10-05")          # typing replaces, never appends
        assert started.value == "2009-10-05"
        # a compact (one-line) field marked invalid still shows its value
        grade = form.query_one("#existing_grade", Input)
        grade.value = "E"
        form.query_one("#field-existing_grade").show_error("not a grade")
        await pilot.pause()
        assert grade.content_region.height >= 1


async def test_escape_asks_before_discarding_and_enter_keeps_editing(db, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "a")
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "NEW1")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")                    # the default: keep editing
        await pilot.pause()
        assert app.screen is form and form.query_one("#service_ref", Input).value == "NEW1"
        await pilot.press("escape", "d")              # discard, chosen explicitly
        await pilot.pause()
        assert not isinstance(app.screen, FormModal)


async def test_defaults_confirmation_title_is_whole_at_140_columns(db, make_service,
                                                                   make_app):
    add_services(make_service, 2)
    app = make_app(quarter=26)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("4")
        await pilot.press("d", "enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        label = modal.query_one(".title", Label)
        shown = "".join(strip.text for strip in label._render_cache.lines) \
            if hasattr(label, "_render_cache") else ""
        assert modal.title_text.endswith("dated 2009-11-20?")
        assert label.size.height >= 1 and label.size.width <= modal.query_one(
            "ConfirmModal > Vertical").content_region.width
        assert app.focused.id == "no"                 # default notices: Enter does not issue
        await pilot.press("enter")
        assert row_counts(db)["workbook_defaults"] == 0
        del shown


async def test_a_reminder_batch_can_be_backdated(db, make_service, make_app):
    add_services(make_service, 1)
    app = make_app(quarter=26)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "m")
        await pilot.pause()
        app.screen.query_one("#sent_date", Input).value = "2009-11-02"
        await pilot.press("enter")
        await pilot.pause()
        assert "dated 2009-11-02" in app.screen.title_text
        await pilot.press("enter")                     # reminders: Enter sends
        await pilot.pause()
    assert db.execute("SELECT sent_date FROM workbook_reminders").fetchall() == [
        ("2009-11-02",)]
    assert Quarter(26).number == 26
