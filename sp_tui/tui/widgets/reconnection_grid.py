"""Entering a service's monthly reconnection return by keyboard, as a grid.

ReturnPicker asks which service and month; ReturnGrid shows the return as a sheet of counts:
entrants by client group (rows) and area of origin (columns), or leavers by client group and
origin (rows) and area settled (columns). Typing digits sets the cell under the cursor
(the first digit replaces, the next ones append), Enter moves on to the next cell, Backspace
deletes a digit, `t` switches entrants/leavers, `+` adds a client group, Ctrl+S saves the
whole return in one transaction (``services.reconnection.record_monthly_return``).
"""

from __future__ import annotations

from datetime import date

import sqlite_utils
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, OptionList, Static

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.reconnection import ENTRANT, LEAVER, month_label, parse_month
from sp_tui.export.rich_heatmap import short_label
from sp_tui.reports.reconnection import ReturnSheet, areas_in_use, return_sheet
from sp_tui.reports.reference import reference_lists
from sp_tui.services.reconnection import GridCell, record_monthly_return
from sp_tui.tui.widgets.picker import Picker, service_lookup

Cell = tuple[str, str, str, str]  # movement, client group, origin, settled
MAX_CELL = 9999


class ReturnPicker(ModalScreen[tuple[str, str] | None]):
    """Which service's return, for which month."""

    DEFAULT_CSS = """
    ReturnPicker { align: center middle; }
    ReturnPicker > Vertical {
        width: 60; height: auto; border: thick $primary; background: $surface; padding: 1 2;
    }
    ReturnPicker Input { margin-bottom: 1; }
    ReturnPicker #picker-error { color: $error; height: auto; }
    ReturnPicker Horizontal { height: auto; align-horizontal: right; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, db: sqlite_utils.Database, service_ref: str = "", month: str = "") -> None:
        super().__init__()
        self.db = db
        self.service_ref = service_ref
        self.month = month

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Monthly reconnection return", style="bold"))
            yield Input(self.service_ref, placeholder="service: part of its name or reference",
                        id="picker-service")
            yield Input(self.month, placeholder="month, YYYY-MM", id="picker-month")
            yield Static("", id="picker-error")
            with Horizontal():
                yield Button("Open grid", id="open", variant="primary")
            yield Picker("#picker-service", service_lookup(self.db))

    def on_mount(self) -> None:
        self.query_one("#picker-month" if self.service_ref else "#picker-service", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        ref = self.query_one("#picker-service", Input).value.strip()
        try:
            month = parse_month(self.query_one("#picker-month", Input).value)
        except ValueError as exc:
            self.query_one("#picker-error", Static).update(Text(str(exc)))
            return
        sheet = return_sheet(self.db, ref, month)
        if sheet is None:
            self.query_one("#picker-error", Static).update(
                Text(f"No service with reference {ref!r}"))
            return
        self.dismiss((sheet.service_ref, month))

    def action_cancel(self) -> None:
        self.dismiss(None)


class GroupPicker(ModalScreen[str | None]):
    """A client group to add to the grid."""

    DEFAULT_CSS = """
    GroupPicker { align: center middle; }
    GroupPicker OptionList { width: 60; height: 20; border: thick $primary; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, groups: list[str]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        yield OptionList(*[Text(g) for g in self.groups])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.groups[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReturnGrid(ModalScreen[dict[str, int] | None]):
    """A service's return for a month; dismisses with its totals once saved."""

    DEFAULT_CSS = """
    ReturnGrid { align: center middle; }
    ReturnGrid > Vertical {
        width: 100%; height: 100%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    ReturnGrid #grid-title { text-style: bold; height: auto; }
    ReturnGrid #grid-help, ReturnGrid #grid-status { height: auto; color: $text-muted; }
    ReturnGrid #grid-error { height: auto; color: $error; }
    ReturnGrid DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save return", priority=True),
        Binding("t", "switch_movement", "Entrants/leavers"),
        Binding("plus,a", "add_group", "Add client group"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, db: sqlite_utils.Database, service_ref: str, month: str, *,
                 today: date | None = None) -> None:
        super().__init__()
        self.db = db
        self.month = month
        self.today = today or date.today()
        sheet = return_sheet(db, service_ref, month)
        assert sheet is not None, service_ref
        self.sheet: ReturnSheet = sheet
        self.areas = areas_in_use(db)
        self.all_groups = reference_lists(db)["client_group"]
        self.values: dict[Cell, int] = dict(sheet.cells)
        self.groups: list[str] = [sheet.client_group] + sorted(
            {c[1] for c in sheet.cells} - {sheet.client_group})
        self.mode = ENTRANT
        self._typing: Coordinate | None = None
        self._rows: list[tuple[str, str]] = []  # (client group, origin or "")
        self._columns: list[str] = []

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="grid-title")
            yield Static(Text(
                "digits: set the cell · Enter: next cell · Backspace: delete a digit ·"
                " t: entrants/leavers · + : add a client group · Ctrl+S: save · Esc: cancel"),
                id="grid-help")
            yield DataTable(id="grid", cursor_type="cell", zebra_stripes=True)
            yield Static(id="grid-status")
            yield Static(id="grid-error")

    def on_mount(self) -> None:
        self._build()
        table = self.query_one(DataTable)
        table.move_cursor(row=0, column=1)
        table.focus()

    def _build(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        taken: set[str] = set()
        if self.mode == ENTRANT:
            self._columns = list(self.areas.origins)
            self._rows = [(g, "") for g in self.groups]
            table.add_column("Client group", key="label", width=34)
        else:
            self._columns = list(self.areas.settled_areas)
            self._rows = [(g, o) for g in self.groups for o in self.areas.origins]
            table.add_column("Client group · origin", key="label", width=40)
        for area in self._columns:
            table.add_column(short_label(area, taken), key=area, width=5)
        for group, origin in self._rows:
            label = group if not origin else f"{group} · {origin}"
            table.add_row(Text(label), *[self._show(self._key(group, origin, area))
                                         for area in self._columns])
        what = "Entrants: client group × area of origin" if self.mode == ENTRANT else \
            "Leavers: client group and area of origin × area settled"
        self.query_one("#grid-title", Static).update(Text(
            f"{self.sheet.service_ref} {self.sheet.service_name} ({self.sheet.district}),"
            f" {month_label(self.month)} · {what}"))
        self._typing = None
        self._status()

    def _key(self, group: str, origin: str, area: str) -> Cell:
        if self.mode == ENTRANT:
            return (ENTRANT, group, area, "")
        return (LEAVER, group, origin, area)

    def _show(self, key: Cell) -> Text:
        n = self.values.get(key, 0)
        return Text(str(n) if n else "·", justify="right", style="bold" if n else "dim")

    def _cursor_key(self) -> Cell | None:
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        if not self._rows or column == 0 or row >= len(self._rows):
            return None
        group, origin = self._rows[row]
        return self._key(group, origin, self._columns[column - 1])

    def _status(self) -> None:
        entrants = sum(n for k, n in self.values.items() if k[0] == ENTRANT)
        leavers = sum(n for k, n in self.values.items() if k[0] == LEAVER)
        key = self._cursor_key()
        where = ""
        if key is not None:
            where = f" · cell: {key[1]}, from {key[2]}" + (f", settled {key[3]}" if key[3] else "")
        self.query_one("#grid-status", Static).update(Text(
            f"Entrants {entrants} · Leavers {leavers}{where}"))

    # -- typing ----------------------------------------------------------------------------------
    def on_data_table_cell_highlighted(self, _: DataTable.CellHighlighted) -> None:
        self._status()

    def on_key(self, event: Key) -> None:
        table = self.query_one(DataTable)
        key = self._cursor_key()
        if key is None:
            return
        coordinate = table.cursor_coordinate
        if event.character and event.character.isdigit():
            event.stop()
            event.prevent_default()
            digit = int(event.character)
            current = self.values.get(key, 0) if self._typing == coordinate else 0
            self._set(key, coordinate, min(current * 10 + digit, MAX_CELL))
        elif event.key == "backspace":
            event.stop()
            event.prevent_default()
            self._set(key, coordinate, self.values.get(key, 0) // 10)

    def _set(self, key: Cell, coordinate: Coordinate, value: int) -> None:
        if value:
            self.values[key] = value
        else:
            self.values.pop(key, None)
        self._typing = coordinate
        self.query_one(DataTable).update_cell_at(coordinate, self._show(key))
        self.query_one("#grid-error", Static).update("")
        self._status()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """Enter: on to the next cell, row by row."""
        event.stop()
        table = self.query_one(DataTable)
        row, column = event.coordinate
        if column + 1 < len(table.columns):
            table.move_cursor(row=row, column=column + 1)
        elif row + 1 < table.row_count:
            table.move_cursor(row=row + 1, column=1)
        self._typing = None

    # -- actions ---------------------------------------------------------------------------------
    def action_switch_movement(self) -> None:
        self.mode = LEAVER if self.mode == ENTRANT else ENTRANT
        self._build()
        self.query_one(DataTable).move_cursor(row=0, column=1)

    def action_add_group(self) -> None:
        choices = [g for g in self.all_groups if g not in self.groups]

        def chosen(group: str | None) -> None:
            if group:
                self.groups.append(group)
                self._build()

        self.app.push_screen(GroupPicker(choices), chosen)

    def action_save(self) -> None:
        cells = [GridCell(movement=k[0], client_group=k[1], origin=k[2], settled=k[3], count=n)
                 for k, n in sorted(self.values.items()) if n]
        try:
            totals = record_monthly_return(self.db, self.sheet.service_ref, self.month, cells,
                                           source="app", today=self.today)
        except ValidationError as exc:
            self.query_one("#grid-error", Static).update(Text(exc.summary()))
            return
        self.dismiss(totals)

    def action_cancel(self) -> None:
        self.dismiss(None)
