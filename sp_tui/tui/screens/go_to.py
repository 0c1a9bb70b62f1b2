"""The Go to list (`g`): every area by group, each opened by its letter."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from sp_tui.tui.areas import UI_AREAS, by_group


class GoToModal(ModalScreen[str | None]):
    """Dismisses with the chosen area's id, or None (Esc, or `g` again)."""

    DEFAULT_CSS = """
    GoToModal { align: center middle; }
    GoToModal > Vertical {
        width: 60; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 2;
    }
    """
    BINDINGS = [Binding("escape,g", "dismiss(None)", "Close")]

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        table = Table(title="Go to: press a letter", title_justify="left", title_style="bold",
                      box=None, show_header=False, padding=(0, 1))
        table.add_column(style="dim")
        table.add_column(style="bold cyan")
        table.add_column()
        table.add_column(style="dim", justify="right")
        for group, areas in by_group():
            for n, area in enumerate(areas):
                style = "bold reverse" if area.area_id == self.current else ""
                table.add_row(group if n == 0 else "", area.letter, Text(area.title, style=style),
                              area.key or "")
        with Vertical():
            yield Static(table, id="go-to-list")
            yield Static(Text("Esc closes. Number keys switch the most used areas directly.",
                              style="dim"))

    def on_key(self, event: events.Key) -> None:
        for area in UI_AREAS:
            if event.character == area.letter:
                event.stop()
                self.dismiss(area.area_id)
                return
