"""RecordTable: a DataTable that shows one page of records and keeps the cursor on reload."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable


class RecordTable(DataTable):
    """Rows are keyed by record id; reloading keeps the cursor on the same record.

    Cells are passed as Text (or numbers): user-typed strings never reach Rich markup.
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "Top", show=False),
        Binding("G", "scroll_bottom", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def set_columns(self, columns: Sequence[tuple[str, str]],
                    widths: dict[str, int] | None = None) -> None:
        """(label, key) pairs; only the first call adds them. ``widths`` caps long text
        columns (cells are cropped) so that the other columns stay on screen."""
        if not self.columns:
            for label, key in columns:
                self.add_column(label, key=key, width=(widths or {}).get(key))

    def load(self, rows: Iterable[tuple[str, Sequence[object]]]) -> None:
        selected = self.selected_key()
        self.clear()
        for key, cells in rows:
            self.add_row(*[_cell(c) for c in cells], key=key)
        if selected is not None and selected in self.rows:
            self.move_cursor(row=self.get_row_index(selected), animate=False)

    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:  # cursor outside the rows after a clear
            return None
        return key.value


def _cell(value: object) -> object:
    if value is None:
        return Text("")
    if isinstance(value, str):
        return Text(value)
    return value
