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
