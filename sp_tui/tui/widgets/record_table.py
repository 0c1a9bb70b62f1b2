"""RecordTable: a DataTable that shows one page of records and keeps the cursor on reload."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable


class RecordTable(DataTable[object]):
    """Rows are keyed by record id; reloading keeps the cursor on the same record, and a
    reload with the same rows in the same order (one record changed) updates only the cells
    that changed instead of refilling the table.

    Cells are passed as Text (or numbers): user-typed strings never reach Rich markup.
    (`g` is the app's Go to list; Ctrl+Home / Ctrl+End go to the top / bottom.)
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("G", "scroll_bottom", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._shown: dict[str, list[object]] = {}

    def set_columns(self, columns: Sequence[tuple[str, str]],
                    widths: dict[str, int] | None = None) -> None:
        """(label, key) pairs; only the first call adds them. ``widths`` caps long text
        columns (cells are cropped) so that the other columns stay on screen."""
        if not self.columns:
            for label, key in columns:
                self.add_column(label, key=key, width=(widths or {}).get(key))

    def load(self, rows: Iterable[tuple[str, Sequence[object]]]) -> None:
        new = {key: [_cell(c) for c in cells] for key, cells in rows}
        if list(new) == list(self._shown) and self.row_count == len(new):
            column_keys = list(self.columns)
            for key, cells in new.items():
                old = self._shown[key]
                for column, before, after in zip(column_keys, old, cells):
                    if _signature(before) != _signature(after):
                        self.update_cell(key, column, after)
            self._shown = new
            return
        selected = self.selected_key()
        self.clear()
        for key, cells in new.items():
            self.add_row(*cells, key=key)
        self._shown = new
        if selected is not None and selected in self.rows:
            self.move_cursor(row=self.get_row_index(selected), animate=False)

    def set_cell(self, key: str, column: str, value: object) -> None:
        """Change one cell now (a mark), remembered so that the next reload compares with
        what is shown."""
        if key not in self._shown:
            return
        cell = _cell(value)
        self.update_cell(key, column, cell)
        keys = [k.value for k in self.columns]
        if column in keys:
            self._shown[key][keys.index(column)] = cell

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


def _signature(value: object) -> object:
    """What a cell shows (Text equality ignores its style)."""
    if isinstance(value, Text):
        return (value.plain, str(value.style), value.justify, value.spans)
    return value
