"""The help screen: every key binding, read from the bindings themselves so it stays true."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _key(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return ", ".join(k.strip().replace("ctrl+", "Ctrl+") for k in binding.key.split(","))


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 95%; height: 90%; border: thick $primary;
        background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        from sp_tui.tui.app import SpTuiApp
        from sp_tui.tui.screens import AREAS

        with VerticalScroll():
            yield Static(self._table("Everywhere", SpTuiApp.BINDINGS))
            for area in AREAS:
                if area.BINDINGS:
                    yield Static(self._table(f"{area.AREA_KEY}  {area.AREA_TITLE}".strip(),
                                             area.BINDINGS))
            yield Static("Ctrl+P opens the command palette: every screen and action, by name."
                         "  Esc closes this help.")

    @staticmethod
    def _table(title: str, bindings) -> Table:
        table = Table(title=title, title_justify="left", show_header=False, box=None,
                      padding=(0, 2), title_style="bold")
        table.add_column(style="bold cyan", min_width=12)
        table.add_column()
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                table.add_row(_key(binding), binding.description)
        return table
