"""The help screen: every key binding, read from the bindings themselves so it stays true."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _key(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return ", ".join(k.strip().replace("ctrl+", "Ctrl+") for k in binding.key.split(","))


class HelpScreen(ModalScreen[None]):
    """Shows the sections it is given: (title, bindings), the app's first."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 95%; height: 90%; border: thick $primary;
        background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, sections: Sequence[tuple[str, Iterable[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for title, bindings in self.sections:
                yield Static(self._table(title, bindings))
            yield Static("g opens the Go to list (every area by its letter). Ctrl+P opens the"
                         " command palette: every screen and action, by name."
                         "  Esc closes this help.")

    @staticmethod
    def _table(title: str, bindings: Iterable[BindingType]) -> Table:
        table = Table(title=title, title_justify="left", show_header=False, box=None,
                      padding=(0, 2), title_style="bold")
        table.add_column(style="bold cyan", min_width=12)
        table.add_column()
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                table.add_row(_key(binding), binding.description)
        return table
