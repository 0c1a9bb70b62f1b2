"""TableScreen: a screen that lists records, searched, filtered, sorted and paged in SQL.

Its query state lives in one place, ``state`` (a frozen ``ListState``), changed only through
``update_state`` (which goes back to the first page unless the page itself changes) and loaded
through the one path of ``AreaScreen.reload``. Subclasses declare their columns, sortable
column keys and filter selects, compose the toolbar, and implement ``fetch_page`` (worker
thread: the page's rows) and optionally ``show_extra`` (summary lines, panels).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import sqlite_utils
from rich.text import Text
from textual.widgets import DataTable, Input, Select, Static

from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.tui.screens.base import AreaScreen, Request
from sp_tui.tui.widgets.record_table import RecordTable
from sp_tui.tui.widgets.search_input import SearchInput

Row = tuple[str, list[object]]


@dataclass(frozen=True)
class ListState:
    """Search words, filters (by name; None = all), sort column and direction, first row."""

    search: str = ""
    filters: tuple[tuple[str, str | None], ...] = ()
    sort: str = ""
    descending: bool = False
    offset: int = 0

    def filter(self, name: str) -> str | None:
        return dict(self.filters).get(name)

    def with_filters(self, **values: str | None) -> tuple[tuple[str, str | None], ...]:
        merged = {**dict(self.filters), **values}
        return tuple(sorted(merged.items()))

    @property
    def filtered(self) -> bool:
        return bool(self.search.strip()) or any(v for _, v in self.filters)


@dataclass(frozen=True)
class Loaded:
    """A page as ``fetch_page`` returns it: rows keyed by record id, the total matching, and
    whatever else the screen shows (``extra``)."""

    rows: list[Row]
    total: int
    offset: int
    extra: Any = None
    empty: bool = False
    """True when there are no records at all (not just none matching): show the empty hint."""
    records: Mapping[str, Any] = field(default_factory=dict)
    """The page's records by key, for screens that act on the selected one."""


class TableScreen(AreaScreen):
    COLUMNS: ClassVar[list[tuple[str, str]]] = []
    """(label, key) of each column."""
    WIDTHS: ClassVar[dict[str, int]] = {}
    SORTS: ClassVar[tuple[str, ...]] = ()
    """Column keys the query can sort by (empty: the list has one fixed order)."""
    DEFAULT_SORT: ClassVar[str] = ""
    FILTERS: ClassVar[dict[str, str]] = {}
    """Select id -> filter name; a Select listed here sets that filter."""
    INITIAL_FILTERS: ClassVar[dict[str, str | None]] = {}
    NOUN: ClassVar[str] = "records"
    """Plural, for the position line."""
    POSITION_ID: ClassVar[str] = "summary"
    """The Static that shows which rows are listed (``position_text``)."""

    def __init__(self) -> None:
        super().__init__()
        self.state = ListState(sort=self.DEFAULT_SORT,
                               filters=ListState().with_filters(**self.INITIAL_FILTERS))
        self.records: Mapping[str, Any] = {}
        self.total = 0
        self._select_after_load: str | None = None
        self._loaded = False

    @property
    def table(self) -> RecordTable:
        return self.query_one(f"#{self.AREA_ID}-table", RecordTable)

    def on_mount(self) -> None:
        self.table.set_columns(self.COLUMNS, widths=self.WIDTHS)
        self.table.focus()

    # -- the query state ---------------------------------------------------------------------
    def update_state(self, **changes: Any) -> None:
        """Change the query (e.g. ``search="x"``, ``filters=...``); back to the first page
        unless ``offset`` is given; reload if anything changed."""
        new = replace(self.state, **changes)
        if "offset" not in changes:
            new = replace(new, offset=0)
        if new != self.state:
            self.state = new
            self.reload()

    def set_filter(self, name: str, value: str | None) -> None:
        self.update_state(filters=self.state.with_filters(**{name: value}))

    def request(self) -> Request:
        return Request(self.ctx.quarter, self.ctx.today, self.state)

    def quarter_changed(self) -> None:
        self.state = replace(self.state, offset=0)

    # -- loading and showing -----------------------------------------------------------------
    def fetch(self, db: sqlite_utils.Database, request: Request) -> Loaded:
        return self.fetch_page(db, request, request.state)

    def fetch_page(self, db: sqlite_utils.Database, request: Request,
                   state: ListState) -> Loaded:
        raise NotImplementedError

    def show(self, data: Loaded) -> None:
        if data.total and data.offset >= data.total:  # the last page shrank: step back
            self.update_state(offset=(data.total - 1) // PAGE_SIZE * PAGE_SIZE)
            return
        self.records, self.total = data.records, data.total
        table = self.table
        table.load(data.rows)
        empty = self.query("#empty")
        if empty:
            was_empty = empty.first().has_class("-visible")
            empty.first().set_class(data.empty, "-visible")
            self.table_container().display = not data.empty
            if was_empty and not data.empty:  # the first records: to the table
                self.table.focus()
        self.show_extra(data)
        self.query_one(f"#{self.POSITION_ID}", Static).update(self.position_text(data))
        key, self._select_after_load = self._select_after_load, None
        if key is not None:
            self.select(key)
        self._loaded = True
        self.after_show()

    def table_container(self) -> Any:
        return self.table

    def show_extra(self, data: Loaded) -> None:
        """Summary lines and panels beside the table."""

    def after_show(self) -> None:
        """The table has the new page (e.g. refresh a detail line for the cursor)."""

    def position_text(self, data: Loaded) -> Text:
        if not data.total:
            return Text("" if data.empty else f"No {self.NOUN} match.")
        first, last = data.offset + 1, data.offset + len(data.rows)
        text = f"{first:,}-{last:,} of {data.total:,} {self.NOUN}"
        if self.SORTS and self.state.sort:
            label = dict((k, lbl) for lbl, k in self.COLUMNS).get(self.state.sort,
                                                                    self.state.sort)
            text += f" · sorted by {label} {'↓' if self.state.descending else '↑'}"
        if data.total > PAGE_SIZE:
            text += "  ·  n/p: next/previous page"
        return Text(text)

    def select(self, key: str) -> bool:
        """Put the cursor on a record of the page; False if it is not listed."""
        table = self.table
        if key in table.rows:
            table.move_cursor(row=table.get_row_index(key), animate=False)
            return True
        return False

    def select_after_load(self, key: str) -> None:
        """Put the cursor on ``key`` once the next load shows it (after a save)."""
        if not self.loading_data and self.select(key):
            return
        self._select_after_load = key

    def selected_key(self) -> str | None:
        return self.table.selected_key()

    # -- search, filters, sort, pages ----------------------------------------------------------
    def on_search_input_settled(self, event: SearchInput.Settled) -> None:
        self.update_state(search=event.value)
        if event.submitted:
            self.table.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        name = self.FILTERS.get(event.select.id or "")
        if name is None:
            return
        value = None if event.value is Select.NULL else str(event.value)
        self.set_filter(name, value)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in self.SORTS:
            same = key == self.state.sort
            self.update_state(sort=key, descending=not self.state.descending if same else False)

    def action_cycle_sort(self) -> None:
        keys = [k for _, k in self.COLUMNS if k in self.SORTS]
        if not keys:
            return
        index = keys.index(self.state.sort) if self.state.sort in keys else -1
        self.update_state(sort=keys[(index + 1) % len(keys)], descending=False)

    def action_reverse_sort(self) -> None:
        if self.SORTS:
            self.update_state(descending=not self.state.descending)

    def action_page(self, step: int) -> None:
        new = max(0, self.state.offset + step * PAGE_SIZE)
        if new != self.state.offset and new < max(self.total, 1):
            self._select_after_load = None
            self.update_state(offset=new)
            self.table.move_cursor(row=0)

    def action_focus_search(self) -> None:
        for search in self.query(SearchInput):
            search.focus()
            return

    def action_focus_table(self) -> None:
        self.table.focus()

    def set_search(self, text: str) -> None:
        """Put ``text`` in the search box (without waiting for typing to pause) and apply it."""
        for search in self.query(SearchInput):
            with search.prevent(Input.Changed):
                search.value = text
        self.update_state(search=text)
