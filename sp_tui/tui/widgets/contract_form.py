"""Forms of the contracts area: add a contract version to a service; set a year's grant."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Select, Static

from sp_tui.domain.contracts import CONTRACT_TYPES
from sp_tui.services.contracts import add_version, set_grant
from sp_tui.tui.widgets.form import Field, FormModal


class ContractVersionForm(FormModal):
    """Dismisses with the new version's id, or None when cancelled. The version in force
    before the new start date is closed the day before (the form says so)."""

    def __init__(self, db, service_ref: str, *, current: dict | None = None,
                 today: date | None = None) -> None:
        super().__init__()
        self.db = db
        self.service_ref = service_ref
        self.current = current or {}
        """The version in force, to start from (type, capping, units, value)."""
        self.today = today
        self.FORM_TITLE = f"New contract version: {service_ref}"

    def fields(self) -> ComposeResult:
        v = self.current

        def text(name: str, label: str, value: object = "", placeholder: str = "") -> Field:
            return Field(label, Input("" if value is None else str(value), id=name,
                                      placeholder=placeholder), name=name)

        yield Static(Text("The version in force before the start date ends the day before."),
                     classes="form-hint")
        with Horizontal(classes="row"):
            yield text("start_date", "Start date", "", "YYYY-MM-DD")
            yield text("end_date", "End date (blank: open)", "", "YYYY-MM-DD")
        with Horizontal(classes="row"):
            kind = v.get("contract_type")
            yield Field("Contract type", Select(
                [(t, t) for t in CONTRACT_TYPES], id="contract_type", prompt="Pick a type",
                value=kind if kind in CONTRACT_TYPES else Select.NULL), name="contract_type")
            yield Field("Capped", Checkbox("Capped contract", value=bool(v.get("capped")),
                                           id="capped"), name="capped")
        with Horizontal(classes="row"):
            yield text("household_units", "Household units", v.get("household_units", 0))
            yield text("leaseholder_units", "Leaseholder units", v.get("leaseholder_units", 0))
        yield text("annual_value", "Annual value (£, pence allowed)", v.get("annual_value", ""),
                   "e.g. 125000.00")

    def on_mount(self) -> None:
        self.query_one("#start_date", Input).focus()

    def save(self, values: dict[str, object]) -> str:
        return add_version(self.db, self.service_ref, values, today=self.today, source="tui")


class GrantForm(FormModal):
    """Dismisses with (financial year, pence), or None when cancelled."""

    FORM_TITLE = "Grant from the government for a financial year"

    def __init__(self, db, financial_year: str = "") -> None:
        super().__init__()
        self.db = db
        self.financial_year = financial_year

    def fields(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Field("Financial year", Input(self.financial_year, id="financial_year",
                                                placeholder="2008/09"), name="financial_year")
            yield Field("Amount (£)", Input("", id="amount", placeholder="32024915"),
                        name="amount")

    def on_mount(self) -> None:
        self.query_one("#amount" if self.financial_year else "#financial_year", Input).focus()

    def save(self, values: dict[str, object]) -> tuple[str, int]:
        return set_grant(self.db, values.get("financial_year"), values.get("amount"),
                         source="tui")
