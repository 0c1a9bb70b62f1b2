"""The add/edit service form."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Select

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.registry import validate_service
from sp_tui.reports.reference import provider_exists, provider_names, reference_lists
from sp_tui.reports.registry import service_fields
from sp_tui.services.registry import save_service, unknown_provider_message
from sp_tui.tui.widgets.form import Field, FormModal
from sp_tui.tui.widgets.picker import Picker, words_match


class ServiceForm(FormModal[str]):
    """Dismisses with the saved service's id, or None when cancelled."""

    def __init__(self, db, service_id: str | None = None) -> None:
        super().__init__()
        self.db = db
        self.service_id = service_id
        self.initial = (service_fields(db, service_id) if service_id else None) or {}
        self.FORM_TITLE = "Edit service" if service_id else "Add a service"
        self.new_provider: str | None = None
        """A provider name the officer confirmed as new (the only way one is added here)."""

    def fields(self) -> ComposeResult:
        refs = reference_lists(self.db)
        v = self.initial

        def text(name: str, label: str, placeholder: str = "", **kw) -> Field:
            value = v.get(name)
            return Field(label, Input("" if value is None else str(value),
                                      placeholder=placeholder, id=name, **kw), name=name)

        def choice(name: str, label: str, options: list[str]) -> Field:
            value = v.get(name)
            return Field(label, Select([(o, o) for o in options], id=name,
                                       prompt=f"Pick {label.lower()}",
                                       value=value if value in options else Select.NULL),
                         name=name)

        with Horizontal(classes="row"):
            yield text("service_ref", "Reference", "e.g. SP00123")
            yield text("service_name", "Service name")
        yield Field("Provider (type part of its name, Tab takes the highlighted one)",
                    Input(str(v.get("provider") or ""), id="provider",
                          placeholder="Pick a provider; a new one is added only if you confirm"),
                    name="provider")
        yield Picker("#provider", words_match(provider_names(self.db)))
        with Horizontal(classes="row"):
            yield choice("service_type", "Service type", refs["service_type"])
            yield choice("client_group", "Client group", refs["client_group"])
        with Horizontal(classes="row"):
            yield choice("district", "District", refs["district"])
            yield choice("term", "Term", ["short", "long"])
        with Horizontal(classes="row"):
            yield text("household_units", "Household units", "0", type="integer")
            yield text("leaseholder_units", "Leaseholder units", "0", type="integer")
        with Horizontal(classes="row"):
            yield text("start_date", "Start date", "YYYY-MM-DD")
            yield text("end_date", "End date (blank if running)", "YYYY-MM-DD")
        yield Field("Quarterly workbook", Checkbox(
            "Must return a quarterly workbook", value=bool(v.get("workbook_required", 1)),
            id="workbook_required"), name="workbook_required")

    def on_mount(self) -> None:
        self.query_one("#service_ref", Input).focus()

    def _confirmed(self, name: str) -> bool:
        return bool(name) and (self.new_provider or "").casefold() == name.casefold()

    def action_save(self) -> None:
        name = str(self.query_one("#provider", Input).value).strip()
        if name and not self._confirmed(name) and not provider_exists(self.db, name):
            try:  # the rest first: the question comes only for a form that can be saved
                validate_service(self.values(), reference_lists(self.db))
            except ValidationError as exc:
                self.show_errors(exc.errors)
                self.app.bell()
                return
            self._ask_new_provider(name)
            return
        super().action_save()

    def _ask_new_provider(self, name: str) -> None:
        from sp_tui.tui.widgets.confirm import ConfirmModal

        def answered(create: bool | None) -> None:
            if create:
                self.new_provider = name
                self.action_save()
            else:
                self.show_errors({"provider": unknown_provider_message(self.db, name)})

        # The safe answer has focus (Enter goes back to the form) and says what it does.
        self.app.push_screen(ConfirmModal(
            f"Create a new provider '{name}'?",
            _sentence(unknown_provider_message(self.db, name)) + ".\n\nA new provider gets"
            " its own letters and defaults. To use an existing one, go back and pick it from"
            " the list under the field.",
            yes_label=f"Create provider '{name}' (y)",
            no_label="No, pick an existing provider", default="no"), answered)

    def save(self, values: dict[str, object]) -> str:
        name = str(values.get("provider") or "").strip()
        return save_service(self.db, values, service_id=self.service_id, source="tui",
                            new_provider=self._confirmed(name))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
