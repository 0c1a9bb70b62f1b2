"""The Complaints screen driven as a user drives it; assertions on the screen and the file."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from sp_tui.reports.complaints import complaint_fields
from sp_tui.services.complaints import import_complaints
from sp_tui.tui.screens.complaints import ComplaintsScreen
from sp_tui.tui.widgets.case_forms import ComplaintForm
from sp_tui.tui.widgets.record_table import RecordTable
from tests.tui.conftest import TODAY, press, settle, type_text


def seed(db, make_service):
    make_service(service_ref="SP001")
    rows = [("C-DONE", "2009-01-05", "concluded", "2009-02-01"),
            ("C-NEG", "2009-01-20", "contractual negotiation", None),
            ("C-OPEN", "2009-03-02", "open", None),
            ("C-Q25", "2009-05-02", "open", None)]
    import_complaints(db, [(n, {"ref": ref, "service_ref": "SP001", "received_date": received,
                                "summary": f"Summary of {ref} [/b]", "status": status,
                                "closed_date": closed})
                           for n, (ref, received, status, closed) in enumerate(rows, 2)],
                      today=TODAY)


def refs(app) -> list[str]:
    table = app.screen.query_one(RecordTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_screen(pilot, app):
    await press(pilot, "5")
    assert isinstance(app.screen, ComplaintsScreen)


async def test_open_complaints_come_first_with_their_age(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        assert refs(app) == ["C-OPEN", "C-NEG", "C-DONE"]
        table = app.screen.query_one(RecordTable)
        assert str(table.get_row_at(0)[5]) == str((TODAY - __import__("datetime").date(
            2009, 3, 2)).days)
        assert str(table.get_row_at(0)[9]) == "Summary of C-OPEN [/b]"  # markup shown as typed
        summary = str(app.screen.query_one("#summary").render())
        assert "3 received · 1 concluded · 1 in contractual negotiation · 1 open at close" \
            in summary


async def test_filter_by_status_and_by_quarter(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        app.screen.query_one("#status", Select).value = "open"
        await settle(pilot)
        assert refs(app) == ["C-OPEN"]
        app.screen.query_one("#scope", Select).value = "all"
        await settle(pilot)
        assert refs(app) == ["C-OPEN", "C-Q25"]
        await press(pilot, "right_square_bracket")  # the quarter moves on; scope is all
        app.screen.query_one("#scope", Select).value = "quarter"
        await settle(pilot)
        assert refs(app) == ["C-Q25"]


async def test_log_a_complaint_through_the_form(db, make_service, make_app):
    make_service(service_ref="SP001")
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        assert app.screen.query_one("#empty").has_class("-visible")
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, ComplaintForm)
        await type_text(pilot, "CMP/24/9")
        form.query_one("#service_ref", Input).value = "sp001"
        form.query_one("#received_date", Input).value = "2009-02-10"
        form.query_one("#channel", Select).value = "email"
        form.query_one("#summary", TextArea).text = "Repairs not done"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintsScreen)
        assert refs(app) == ["CMP/24/9"]
        [(cid,)] = db.execute("SELECT id FROM complaints").fetchall()
        assert complaint_fields(db, cid)["channel"] == "email"


async def test_bad_input_keeps_the_form_open_and_writes_nothing(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        await press(pilot, "a")
        form = app.screen
        await type_text(pilot, "C-OPEN")
        form.query_one("#service_ref", Input).value = "SP999"
        form.query_one("#received_date", Input).value = "2009-02-10"
        form.query_one("#summary", TextArea).text = "Duplicate"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        errors = {w.id: str(w.render()) for w in form.query(".field-error")}
        assert "no service with reference 'SP999'" in errors["error-service_ref"]
        assert "already used by another complaint" in errors["error-ref"]
        form.query_one("#service_ref", Input).value = "SP001"
        form.query_one("#ref", Input).value = "C-NEW"
        form.query_one("#status", Select).value = "concluded"
        form.query_one("#closed_date", Input).value = "2009-02-01"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        errors = {w.id: str(w.render()) for w in form.query(".field-error")}
        assert "before the received date" in errors["error-closed_date"]
        assert db.execute("SELECT count(*) FROM complaints").fetchone()[0] == 4
        await press(pilot, "escape", "d")  # discard what was typed
        assert isinstance(app.screen, ComplaintsScreen)


async def test_update_the_status_and_the_audit_keeps_the_history(db, make_service, make_app):
    seed(db, make_service)
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, app)
        await press(pilot, "down")  # C-NEG
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, ComplaintForm)
        assert form.query_one("#status", Select).value == "contractual negotiation"
        form.query_one("#status", Select).value = "concluded"
        form.query_one("#closed_date", Input).value = "2009-04-15"
        form.query_one("#outcome", Input).value = "Provider agreed a new support plan"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintsScreen)
        row = app.screen.query_one(RecordTable).get_row_at(1)
        assert (str(row[0]), str(row[4]), str(row[6])) == ("C-NEG", "concluded", "2009-04-15")
        summary = db.execute("SELECT summary FROM audit_log WHERE action = 'complaint.update'"
                             ).fetchone()[0]
        assert summary == ("updated complaint C-NEG: status contractual negotiation ->"
                           " concluded")
