"""A service's contract history, over the Services screen: `a` adds a version, `g` sets the
grant of the selected quarter's financial year, `Esc` closes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from sp_tui.domain.contracts import format_money, pounds_text
from sp_tui.reports.contract import contract_history, grant_for, service_ref_name
from sp_tui.tui.widgets.record_table import RecordTable

COLUMNS = [("", "now"), ("From", "start"), ("To", "end"), ("Type", "type"), ("Capped", "capped"),
           ("Household", "household"), ("Leaseholder", "leaseholder"), ("Value", "value")]


class ContractsScreen(ModalScreen[None]):
    """Shows the versions latest first; `*` marks the one in force today."""

    DEFAULT_CSS = """
    ContractsScreen { align: center middle; }
    ContractsScreen > Vertical {
        width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ContractsScreen .title { text-style: bold; padding: 1 1 0 1; }
    ContractsScreen .hint { color: $text-muted; padding: 0 1 1 1; }
    ContractsScreen RecordTable { height: auto; max-height: 20; }
    """
    BINDINGS = [
        Binding("a", "add", "Add version"),
        Binding("g", "grant", "Grant", priority=True),  # over the table's vim "top"
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, db, service_id: str, service_ref: str, service_name: str) -> None:
        super().__init__()
        self.db = db
        self.service_id = service_id
        self.service_ref = service_ref
        self.service_name = service_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Contracts of {self.service_ref} {self.service_name}"),
                        classes="title")
            yield RecordTable(id="contract-history")
            yield Static("", classes="hint", id="contract-summary")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.set_columns(COLUMNS)
        self.refresh_data()
        table.focus()

    @property
    def today(self):
        return getattr(self.app, "today", None)

    def refresh_data(self) -> None:
        rows = contract_history(self.db, self.service_id, self.today)
        self.query_one(RecordTable).load((r.id, [
            "*" if r.in_force else "", r.start_date, r.end_date or "open", r.contract_type,
            "yes" if r.capped else "no", r.household_units, r.leaseholder_units, r.value_text,
        ]) for r in rows)
        quarter = getattr(self.app, "quarter", None)
        grant = ""
        if quarter is not None:
            pence = grant_for(self.db, quarter.financial_year)
            grant = (f" · grant {quarter.financial_year}:"
                     f" {format_money(pence) if pence is not None else 'not recorded'}")
        self.query_one("#contract-summary", Static).update(Text(
            f"{len(rows)} version(s){grant} · a: add a version · g: grant · Esc: close"))

    def _current(self) -> dict:
        rows = contract_history(self.db, self.service_id, self.today)
        row = next((r for r in rows if r.in_force), rows[0] if rows else None)
        if row is None:
            return {}
        return {"contract_type": row.contract_type, "capped": row.capped,
                "household_units": row.household_units,
                "leaseholder_units": row.leaseholder_units,
                "annual_value": pounds_text(row.annual_value_pence)}

    def _changed(self, result) -> None:
        if result:  # the other screens refresh themselves from the commit
            self.refresh_data()

    def action_add(self) -> None:
        from sp_tui.tui.widgets.contract_form import ContractVersionForm

        def saved(result) -> None:
            if result:
                self.notify("Contract version added.")
            self._changed(result)

        self.app.push_screen(ContractVersionForm(self.db, self.service_ref,
                                                 current=self._current(), today=self.today),
                             saved)

    def action_grant(self) -> None:
        from sp_tui.tui.widgets.contract_form import GrantForm

        quarter = getattr(self.app, "quarter", None)

        def saved(result) -> None:
            if result:
                self.notify(f"Grant for {result[0]}: {format_money(result[1])}.")
            self._changed(result)

        self.app.push_screen(GrantForm(self.db, quarter.financial_year if quarter else ""),
                             saved)

    def action_close(self) -> None:
        self.dismiss(None)


def open_contracts(app, db, service_id: str | None) -> None:
    """Open the contract history of ``service_id`` (the Services screen's `v`)."""
    row = service_ref_name(db, service_id) if service_id else None
    if row is None or service_id is None:
        app.notify("No service selected.", severity="warning")
        return
    app.push_screen(ContractsScreen(db, service_id, row[0], row[1]))
