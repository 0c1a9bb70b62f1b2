"""The Safeguarding alerts screen: the referral highlight, the form, references only."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from sp_tui.reports.safeguarding import alert_fields, alert_natures
from sp_tui.services.alerts import import_alerts
from sp_tui.tui.screens.alerts import OVERDUE_STYLE, AlertsScreen
from sp_tui.tui.widgets.case_forms import AlertForm, NatureForm
from sp_tui.tui.widgets.form import Field
from sp_tui.tui.widgets.record_table import RecordTable
from tests.tui.conftest import TODAY, press, settle, type_text


def seed(db, make_service):
    make_service(service_ref="SP001", service_type="Sheltered housing")
    rows = [("SG-LATE", "2009-11-12", None, None),          # Thursday: due Friday 13th
            ("SG-NEW", "2009-11-19", None, None),           # due Friday 20th = today
            ("SG-OK", "2009-11-02", "2009-11-02", None),
            ("SG-DONE", "2009-10-05", "2009-10-05", "2009-11-01")]
    import_alerts(db, [(n, {"ref": ref, "service_ref": "SP001", "received_date": received,
                            "nature": "financial", "referred_date": referred,
                            "status": "closed" if closed else "open", "closed_date": closed})
                       for n, (ref, received, referred, closed) in enumerate(rows, 2)],
                  today=TODAY)


def refs(app) -> list[str]:
    table = app.screen.query_one(RecordTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_screen(pilot, app):
    await press(pilot, "6")
    assert isinstance(app.screen, AlertsScreen)


async def test_unreferred_alerts_past_one_working_day_are_highlighted(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=27)  # Oct-Dec 2009, TODAY is 20 November
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        assert refs(app) == ["SG-LATE", "SG-NEW", "SG-OK", "SG-DONE"]
        table = app.screen.query_one(RecordTable)
        late = table.get_row_at(0)[5]
        assert late.plain == "NOT REFERRED, due 2009-11-13" and late.style == OVERDUE_STYLE
        assert table.get_row_at(1)[5].plain == "due 2009-11-20"
        banner = app.screen.query_one("#attention", Static)
        assert banner.has_class("-visible")
        assert "1 alert(s) not referred" in str(banner.render())
        await press(pilot, "o")
        await settle(pilot)
        assert refs(app) == ["SG-LATE"]


async def test_referring_the_alert_clears_the_highlight(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=27)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, AlertForm)
        form.query_one("#referred_date", Input).value = "2009-11-16"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AlertsScreen)
        assert not app.screen.query_one("#attention").has_class("-visible")
        [(aid,)] = db.execute("SELECT id FROM safeguarding_alerts WHERE ref = 'SG-LATE'")
        assert alert_fields(db, aid)["referred_date"] == "2009-11-16"
        assert refs(app) == ["SG-NEW", "SG-OK", "SG-LATE", "SG-DONE"]
        assert app.screen.query_one(RecordTable).get_row(aid)[5].plain == "2009-11-16 (late)"


async def test_the_form_has_no_name_fields_and_reminds_to_use_references(
        db, make_service, make_app):
    make_service(service_ref="SP001")
    app = make_app(quarter=27)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, AlertForm)
        names = [f.field_name for f in form.query(Field)]
        assert not [n for n in names if "name" in n]
        assert "name" not in " ".join(f.label.lower() for f in form.query(Field))
        reminder = form.query_one("#notes-reminder", Static)
        assert reminder.display and "References only" in str(reminder.render())
        await type_text(pilot, "SG-100")
        form.query_one("#service_ref", Input).value = "SP001"
        form.query_one("#received_date", Input).value = "2009-11-18"
        form.query_one("#nature", Select).value = "Sexual abuse"
        form.query_one("#referred_date", Input).value = "2009-11-17"
        form.query_one("#notes", TextArea).text = "AP ref 2231"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form  # referred before received
        errors = {w.id: str(w.render()) for w in form.query(".field-error")}
        assert "before the received date" in errors["error-referred_date"]
        assert db.execute("SELECT count(*) FROM safeguarding_alerts").fetchone()[0] == 0
        form.query_one("#referred_date", Input).value = "2009-11-18"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AlertsScreen)
        [(aid,)] = db.execute("SELECT id FROM safeguarding_alerts")
        assert alert_fields(db, aid)["notes"] == "AP ref 2231"
        assert refs(app) == ["SG-100"]


async def test_a_closed_status_needs_a_close_date(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=27)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        await press(pilot, "down", "down", "e")  # SG-OK
        form = app.screen
        form.query_one("#status", Select).value = "closed"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        errors = {w.id: str(w.render()) for w in form.query(".field-error")}
        assert "needs its date closed" in errors["error-closed_date"]
        assert db.execute("SELECT status FROM safeguarding_alerts WHERE ref = 'SG-OK'"
                          ).fetchone()[0] == "open"


async def test_the_team_adds_a_nature_from_the_screen(db, make_service, make_app):
    app = make_app(quarter=27)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        await press(pilot, "N")
        assert isinstance(app.screen, NatureForm)
        await type_text(pilot, "Modern slavery")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AlertsScreen)
        assert alert_natures(db)[-1] == "Modern slavery"


async def test_the_dashboard_lists_waiting_alerts_and_opens_them(db, make_service, make_app):
    from sp_tui.tui.screens.dashboard import DashboardScreen

    seed(db, make_service)
    app = make_app(quarter=24)  # another quarter: the duty does not wait for quarter ends
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the dashboard loads in a worker
        assert isinstance(app.screen, DashboardScreen)
        attention = app.screen.query_one("#attention", RecordTable)
        rows = [attention.get_row_at(i) for i in range(attention.row_count)]
        # Other areas list their own items (SP001's workbook is overdue too): keep alerts.
        alerts = [(i, (str(r[0]), str(r[1]), str(r[2]))) for i, r in enumerate(rows)
                  if str(r[0]).startswith("Alert")]
        assert [row for _, row in alerts] == [
            ("Alert not referred within 1 working day", "SG-LATE at SP001 (Financial abuse)",
             "2009-11-13")]
        attention.focus()
        attention.move_cursor(row=alerts[0][0])
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, AlertsScreen)
        assert refs(app) == ["SG-LATE"]
        assert app.screen.query_one("#status", Select).value == "overdue"
        table = app.screen.query_one(RecordTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == "SG-LATE"
