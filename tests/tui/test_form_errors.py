"""Issue 13, bug 4: an invalid field shows what was typed even without focus, and a failed
save puts the cursor on the bad field with its text selected (typing replaces it)."""

from __future__ import annotations

from textual.widgets import Input

from sp_tui.tui.widgets.visit_form import VisitForm
from tests.tui.conftest import press, press_for, type_text


def _plain(app, region) -> str:
    """What the terminal shows inside ``region`` of the screen (plain characters)."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    return "\n".join(line[region.x:region.right] for line in lines[region.y:region.bottom])


async def test_a_rejected_value_stays_visible_when_the_field_loses_focus(db, make_service,
                                                                        make_app):
    make_service(service_ref="SP001")
    app = make_app(quarter=27)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await press_for(pilot, VisitForm, "3", "a")
        form.query_one("#service_ref", Input).value = "SP001"
        form.query_one("#officer", Input).value = "Kim"
        started = form.query_one("#started_date", Input)
        started.value = "2009-13-45"
        await press(pilot, "ctrl+s")
        assert app.focused is started and started.selected_text == "2009-13-45"
        assert started.has_class("-invalid")
        form.query_one("#notes", Input).focus()         # the bad field loses focus
        await press(pilot)
        assert "2009-13-45" in _plain(app, started.region)   # still there to be read
        started.focus()
        await press(pilot)
        started.select_all()
        await type_text(pilot, "2009-10-05")
        assert started.value == "2009-10-05"
