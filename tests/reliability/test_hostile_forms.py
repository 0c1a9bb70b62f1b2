"""Bad values typed into every form: the form stays open with a message and nothing is
written, or it saves exactly what was typed (and the table shows it as typed)."""

from __future__ import annotations

from datetime import date

from textual.events import Paste
from textual.widgets import Input, Select

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.values import parse_date
from sp_tui.services.registry import service_by_ref
from sp_tui.tui.app import SpTuiApp
from sp_tui.tui.widgets.calendar_form import CalendarForm
from sp_tui.tui.widgets.confirm import ConfirmModal
from sp_tui.tui.widgets.form import FormModal
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.service_form import ServiceForm
from tests.reliability.hostile import Snapshot
from sp_tui.tui.areas import ui_area
from tests.tui.conftest import press, settle

# A few telling values per field (the service-layer property tests cover the breadth): markup
# that would crash Rich, formula and SQL text, control characters, a 100,000-character paste,
# numbers and dates a form might let through. The first value of each list is typed key by
# key; the others are pasted.
HUGE = "x" * 100_000
SERVICE_INPUTS = {
    "service_ref": ["[/b]=cmd", "", HUGE, "a b"],
    "service_name": ["[/b] =cmd", "   ", "=cmd|' /C calc'!A0", HUGE, "bell\x07"],
    "provider": ["[red]x", "Ünïcødé🏠\u202e", "';DROP/**/TABLE/**/providers;--", ""],
    "household_units": ["-1", "[b]", "9" * 30, "²"],
    "leaseholder_units": ["12.5"],
    "start_date": ["31/12/2008", "2009-02-30", "[b]", ""],
    "end_date": ["2004-01-01", "9999-12-31"],
}
SERVICE_SELECTS = {"service_type": "Foyer", "client_group": "Generic", "district": "Dover",
                   "term": "short"}
CALENDAR_INPUTS = {
    "deadline": ["2009-02-30", "[/b]", "2009-03-31", "2009-04-01T25:00"],
    "default_end": ["2009-04-01", "", HUGE],
}


async def enter(pilot, form: FormModal, field: str, value: str, typed: bool) -> None:
    """Type the value key by key as a user would, or paste it."""
    control = form.query_one(f"#{field}", Input)
    control.value = ""
    control.focus()
    if typed and value:
        await press(pilot, *[{" ": "space"}.get(ch, ch) for ch in value])
    else:
        control.post_message(Paste(value))
        await settle(pilot)
    if control.value != value:  # an Input that refuses characters (type="integer")
        control.value = value


def shown_errors(form: FormModal) -> str:
    return " ".join(str(w.render()) for w in form.query(".field-error, #form-error")).strip()


async def attempt(pilot, app, db, form: FormModal, field: str, value: str,
                  typed: bool = False) -> bool:
    """Save with ``value`` in ``field``. True if it saved (the form closed)."""
    before = Snapshot.of(db)
    await enter(pilot, form, field, value, typed)
    await press(pilot, "ctrl+s")
    if isinstance(app.screen, ConfirmModal) and app.screen.title_text.startswith(
            "Create a new provider"):
        await press(pilot, "y")  # a provider not yet in the register: added once confirmed
    if app.screen is form:
        assert shown_errors(form), f"{field}={value[:40]!r}: refused without a message"
        assert Snapshot.of(db) == before, f"{field}={value[:40]!r}: refused but written"
        return False
    assert Snapshot.of(db) != before, f"{field}={value[:40]!r}: closed but nothing saved"
    return True


async def test_the_service_form_refuses_or_saves_exactly_what_was_typed(db):
    app = SpTuiApp(db, today=date(2009, 11, 20), quarter=Quarter(24), poll=False)
    saved = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, ui_area("services").key)
        form = None
        for field, attacks in SERVICE_INPUTS.items():
            for number, value in enumerate(attacks):
                if not isinstance(app.screen, ServiceForm):
                    await press(pilot, "a")
                    form = app.screen
                    assert isinstance(form, ServiceForm)
                    for name, choice in SERVICE_SELECTS.items():
                        form.query_one(f"#{name}", Select).value = choice
                ref = f"FORM{saved}"
                valid = {"service_ref": ref, "service_name": "Harbour House",
                         "provider": "Harbour Trust", "household_units": "12",
                         "leaseholder_units": "0", "start_date": "2005-04-01", "end_date": ""}
                for name, text in valid.items():
                    form.query_one(f"#{name}", Input).value = text
                if not await attempt(pilot, app, db, form, field, value, typed=number == 0):
                    continue
                saved += 1
                ref = value.strip() if field == "service_ref" else ref
                stored = service_by_ref(db, ref)
                if field == "service_name":
                    assert stored["name"] == value.strip()
                    table = app.screen.query_one(RecordTable)
                    row = table.get_row_at(table.get_row_index(stored["id"]))
                    assert str(row[1]) == value.strip()  # shown as typed, not as markup
                if field == "provider":
                    assert stored["provider"] == value.strip()
    assert saved, "no hostile-but-legal value was accepted: the test proves little"


async def test_the_calendar_form_refuses_or_saves_exactly_what_was_typed(db):
    from sp_tui.reports.calendar import calendar_for

    app = SpTuiApp(db, today=date(2009, 11, 20), quarter=Quarter(24), poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, ui_area("services").key)
        for field, attacks in CALENDAR_INPUTS.items():
            for number, value in enumerate(attacks):
                if not isinstance(app.screen, CalendarForm):
                    await press(pilot, "c")
                form = app.screen
                assert isinstance(form, CalendarForm)
                form.query_one("#deadline", Input).value = "2009-04-30"
                form.query_one("#default_end", Input).value = "2009-05-14"
                if await attempt(pilot, app, db, form, field, value, typed=number == 0):
                    stored = calendar_for(db, Quarter(24))
                    assert getattr(stored, field) == parse_date(value)
