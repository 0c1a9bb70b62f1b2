"""Issue 13, bug 3 (a partly typed name created a provider) and friction 5 (complaint and alert
forms: the service picker, the next reference, officers offered in every officer field)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from sp_tui.domain.errors import ValidationError
from sp_tui.services.registry import save_service
from sp_tui.tui.widgets.confirm import ConfirmModal
from sp_tui.tui.widgets.picker import Picker
from sp_tui.tui.widgets.service_form import ServiceForm
from tests.conftest import service_fields
from tests.tui.conftest import press, press_for, settle, type_text

COMPASS = "Compass Housing Association"


def providers(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM providers ORDER BY name")]


def fill_the_rest(form: ServiceForm, ref: str = "NEW01") -> None:
    form.query_one("#service_ref", Input).value = ref
    form.query_one("#service_name", Input).value = "New Start House"
    form.query_one("#service_type", Select).value = "Foyer"
    form.query_one("#client_group", Select).value = "Young people at risk"
    form.query_one("#district", Select).value = "Dover"
    form.query_one("#term", Select).value = "short"
    form.query_one("#start_date", Input).value = "2008-05-01"


async def open_provider(pilot, app) -> ServiceForm:
    form = await press_for(pilot, ServiceForm, "2", "a")
    fill_the_rest(form)
    form.query_one("#provider", Input).focus()
    await settle(pilot)
    return form


async def test_tab_takes_the_highlighted_provider(db, make_service, make_app):
    make_service(provider=COMPASS)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_provider(pilot, app)
        await type_text(pilot, "Compass Hou")
        picker = form.query_one(Picker)
        assert picker.display and picker.option_list.option_count == 1
        await press(pilot, "tab")
        assert form.query_one("#provider", Input).value == COMPASS
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ServiceForm)
    assert providers(db) == [COMPASS]
    assert db.execute("SELECT p.name FROM services s JOIN providers p ON p.id = s.provider_id"
                      " WHERE s.service_ref = 'NEW01'").fetchone() == (COMPASS,)


async def test_a_partial_name_is_never_saved_as_a_provider_without_asking(db, make_service,
                                                                         make_app):
    make_service(provider=COMPASS)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_provider(pilot, app)
        await type_text(pilot, "Compass Hou")
        await press(pilot, "escape")              # close the list: keep what was typed
        modal = await press_for(pilot, ConfirmModal, "ctrl+s")
        assert modal.title_text == "Create a new provider 'Compass Hou'?"
        assert COMPASS in modal.body              # names the one meant, most likely
        assert app.focused.id == "no"             # the safe answer is the default...
        assert "pick an existing provider" in modal.no_label   # ...and says what it does
        await press(pilot, "enter")
        assert app.screen is form and providers(db) == [COMPASS]
        provider = form.query_one("#provider", Input)
        assert app.focused is provider and provider.selected_text == "Compass Hou"
        assert "closest: 'Compass Housing Association'" in str(
            form.query_one("#error-provider").render())
        # a new provider is added when the officer says so, explicitly
        await press_for(pilot, ConfirmModal, "ctrl+s")
        await press(pilot, "y")
        await settle(pilot)
        assert not isinstance(app.screen, ServiceForm)
    assert providers(db) == ["Compass Hou", COMPASS]


def test_the_service_layer_refuses_an_unknown_provider_unless_told(db, make_service):
    make_service(provider=COMPASS)
    with pytest.raises(ValidationError) as refused:
        save_service(db, service_fields(service_ref="SP2", provider="compass hou"),
                     new_provider=False)
    assert "closest: 'Compass Housing Association'" in refused.value.errors["provider"]
    assert providers(db) == [COMPASS]
    # any case of an existing name is that provider
    save_service(db, service_fields(service_ref="SP3", provider="compass housing association"),
                 new_provider=False)
    assert providers(db) == [COMPASS]


# -- friction 5: complaints and alerts ------------------------------------------------------

def test_the_next_reference_follows_the_last_one():
    from sp_tui.domain.cases import next_case_ref

    assert next_case_ref("C-24-003", 24, 24, ["C-24-001", "C-24-003"], "C") == "C-24-004"
    assert next_case_ref("C-24-003", 24, 25, ["C-24-003"], "C") == "C-25-001"
    assert next_case_ref("CMP/2009/014", 26, 26, ["cmp/2009/015"], "C") == "CMP/2009/016"
    assert next_case_ref("CMP-26-0009", 26, 27, [], "C") == "CMP-27-0001"
    assert next_case_ref(None, None, 27, [], "A") == "A-27-001"
    assert next_case_ref("OLD", 20, 27, ["OLD-001"], "C") == "OLD-002"


async def test_complaint_form_picks_the_service_proposes_the_ref_and_offers_officers(
        db, make_service, make_app):
    from sp_tui.services.complaints import log_complaint
    from sp_tui.services.visits import save_visit
    from sp_tui.tui.widgets.case_forms import ComplaintForm
    from tests.tui.conftest import TODAY

    make_service(service_ref="SP001", service_name="Oakwood Close")
    make_service(service_ref="SP002", service_name="Harbour House")
    log_complaint(db, {"ref": "C-27-003", "service_ref": "SP002", "received_date": "2009-10-02",
                       "summary": "Noise", "status": "open", "officer": "Jo Hart"}, today=TODAY)
    save_visit(db, {"service_ref": "SP001", "officer": "Sam Patel",
                    "started_date": "2009-10-05"}, today=TODAY)
    app = make_app(quarter=27)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await press_for(pilot, ComplaintForm, "5", "a")
        assert form.query_one("#ref", Input).value == "C-27-004"
        assert form.query_one("#received_date", Input).value == TODAY.isoformat()
        form.query_one("#service_ref", Input).focus()
        await type_text(pilot, "oakw")
        await press(pilot, "tab")
        assert form.query_one("#service_ref", Input).value == "SP001"
        officer = form.query_one("#officer", Input)
        officer.focus()
        await type_text(pilot, "sam")                 # typed in a visit's officer field
        await press(pilot, "enter")
        assert officer.value == "Sam Patel"
        form.query_one("#summary").text = "Repairs not done"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ComplaintForm)
    assert db.execute("SELECT c.ref, s.service_ref, c.officer FROM complaints c JOIN services s"
                      " ON s.id = c.service_id WHERE c.ref = 'C-27-004'").fetchone() == (
        "C-27-004", "SP001", "Sam Patel")


async def test_alert_form_offers_officers_from_complaints_and_a_next_ref(db, make_service,
                                                                        make_app):
    from sp_tui.services.alerts import log_alert
    from sp_tui.services.complaints import log_complaint
    from sp_tui.tui.widgets.case_forms import AlertForm
    from tests.tui.conftest import TODAY

    make_service(service_ref="SP001", service_name="Oakwood Close")
    log_complaint(db, {"ref": "C1", "service_ref": "SP001", "received_date": "2009-10-02",
                       "summary": "x", "status": "open", "officer": "[b]Kim Lee"}, today=TODAY)
    log_alert(db, {"ref": "SGA-27-0007", "service_ref": "SP001", "received_date": "2009-10-02",
                   "nature": "Financial", "referred_date": "2009-10-02", "status": "open"},
              today=TODAY)
    app = make_app(quarter=27)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await press_for(pilot, AlertForm, "6", "a")
        assert form.query_one("#ref", Input).value == "SGA-27-0008"
        officer = form.query_one("#officer", Input)
        officer.focus()
        await type_text(pilot, "kim")
        pickers = [p for p in form.query(Picker) if p.target is officer]
        assert pickers and pickers[0].display          # shown as typed, never as markup
        await press(pilot, "tab")
        assert officer.value == "[b]Kim Lee"


async def test_the_monthly_return_picker_takes_a_service_by_name(db, make_service, make_app):
    from sp_tui.tui.widgets.reconnection_grid import ReturnPicker

    make_service(service_ref="SP001", service_name="Oakwood Close")
    make_service(service_ref="SP002", service_name="Harbour House")
    app = make_app(quarter=24)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ReturnPicker(db))
        await settle(pilot)
        await type_text(pilot, "harb")
        await press(pilot, "enter")                   # takes the match, opens nothing yet
        assert isinstance(app.screen, ReturnPicker)
        assert app.screen.query_one("#picker-service", Input).value == "SP002"
