"""The add/edit service form."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Select

from sp_tui.reports.reference import provider_names, reference_lists
from sp_tui.reports.registry import service_fields
from sp_tui.services.registry import save_service
from sp_tui.tui.widgets.form import Field, FormModal


class ServiceForm(FormModal[str]):
    """Dismisses with the saved service's id, or None when cancelled."""

    def __init__(self, db, service_id: str | None = None) -> None:
        super().__init__()
        self.db = db
        self.service_id = service_id
        self.initial = (service_fields(db, service_id) if service_id else None) or {}
        self.FORM_TITLE = "Edit service" if service_id else "Add a service"

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
        yield Field("Provider", Input(str(v.get("provider") or ""), id="provider",
                                      placeholder="Type to pick a provider or add a new one",
                                      suggester=SuggestFromList(provider_names(self.db),
                                                                case_sensitive=False)),
                    name="provider")
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

    def save(self, values: dict[str, object]) -> str:
        source = "tui"
        return save_service(self.db, values, service_id=self.service_id, source=source)
