"""AreaScreen: the frame every area shares (header, area tabs, footer) and its one load path.

A screen's data is loaded off the UI thread: ``reload()`` captures what the query needs
(``request()``, on the UI thread), runs ``fetch(db, request)`` in a thread worker on a read
connection of its own (exclusive per screen: a newer load cancels an older one), then shows
the result with ``show(data)`` on the UI thread. Each load carries a generation number and only
the newest is shown, so a slow, stale result never overwrites a newer one.

The base reloads on mount, when the selected quarter changes and when data changes (a commit
here, or another process); a screen not on show is marked stale and reloaded when it comes
back.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, cast

import sqlite_utils
from textual import work
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Select, Tab, Tabs
from textual.worker import Worker, WorkerState

from sp_tui.domain.quarters import Quarter
from sp_tui.tui.areas import UI_AREAS
from sp_tui.tui.context import AppContext

SMALL = (120, 36)
"""Below this width or height a screen is laid out small (the breakpoints in app.py)."""


def toggle_panel(*panels: Widget) -> None:
    """A panel key (t): hide the panels if all are on show, else show them all, whatever
    the size rules in app.tcss chose (-show / -hide win over them)."""
    shown = all(panel.display for panel in panels)
    for panel in panels:
        panel.set_class(not shown, "-show")
        panel.set_class(shown, "-hide")


class AreaTabs(Tabs):
    """One tab per area (short labels; the row scrolls to keep the active tab in view): a
    click switches area, as the number keys and the Go to list do."""

    can_focus = False


@dataclass(frozen=True)
class Request:
    """What a load needs, captured on the UI thread: the worker reads nothing else."""

    quarter: Quarter
    today: date
    state: Any = None


@dataclass(frozen=True)
class _Failed:
    message: str


class AreaScreen(Screen[None]):
    """Subclasses compose their body in ``compose_body``, read in ``fetch`` (worker thread:
    queries only, no widgets) and draw in ``show`` (UI thread)."""

    AREA_ID: ClassVar[str] = ""
    # Command palette entries: (title "area: action", help text, action name on this screen).
    PALETTE: ClassVar[list[tuple[str, str, str]]] = []

    _stale = False
    _generation = 0
    _shown_generation = 0
    _pending_record: str | None = None

    @property
    def ctx(self) -> AppContext:
        return cast(AppContext, self.app)

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield AreaTabs(*[Tab(a.tab_label, id=f"tab-{a.area_id}") for a in UI_AREAS],
                       active=f"tab-{self.AREA_ID}")
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # Textual runs this after a subclass's own on_mount (handlers run down the MRO), so
        # subclasses set up their widgets there and must not call super().on_mount().
        self.watch(self.app, "quarter", self._quarter_changed, init=False)
        self.ctx.data_changed.subscribe(self, self._data_changed)
        self.reload()

    def on_resize(self, event: events.Resize) -> None:
        # Below 120×36 the toolbar's search box and filters lose their borders: one row
        # instead of three, and room for the search box beside the filters.
        small = event.size.width < SMALL[0] or event.size.height < SMALL[1]
        for widget in self.query(".toolbar Input, .toolbar Select"):
            if isinstance(widget, Input | Select):
                widget.compact = small

    def on_screen_resume(self) -> None:
        self.query_one(AreaTabs).active = f"tab-{self.AREA_ID}"
        if self._stale:
            self._stale = False
            self.reload()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        area_id = (event.tab.id or "").removeprefix("tab-")
        if area_id and area_id != self.AREA_ID:
            self.ctx.action_switch_area(area_id)

    def _quarter_changed(self) -> None:
        self.quarter_changed()
        self._reload_or_mark()

    def quarter_changed(self) -> None:
        """The selected quarter changed (before the reload): reset what depends on it."""

    def _data_changed(self, _: None) -> None:
        self._reload_or_mark()

    def _reload_or_mark(self) -> None:
        if self.is_current:
            self.reload()
        else:
            self._stale = True

    # -- the one load path -----------------------------------------------------------------
    def request(self) -> Request:
        return Request(self.ctx.quarter, self.ctx.today)

    def reload(self) -> None:
        """Load what this screen shows, off the UI thread; the newest load wins."""
        self._generation += 1
        self._load_in_worker(self._generation, self.request())

    @property
    def loading_data(self) -> bool:
        """True from ``reload`` until its result is shown."""
        return self._shown_generation != self._generation

    @work(thread=True, exclusive=True, group="load")
    def _load_in_worker(self, generation: int, request: Request) -> tuple[int, object]:
        try:
            with self.ctx.snapshot() as db:
                return generation, self.fetch(db, request)
        except sqlite3.OperationalError as exc:  # locked, busy, disk: say so, keep the screen
            return generation, _Failed(str(exc))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "load" or worker.node is not self:
            return
        if event.state == WorkerState.SUCCESS:
            generation, data = cast(tuple[int, object], worker.result)
            if generation != self._generation:
                return  # a newer load is on its way
            self._shown_generation = generation
            if isinstance(data, _Failed):
                self.notify(f"Could not read the database ({data.message}).",
                            severity="error", markup=False)
                return
            self.show(data)
            record, self._pending_record = self._pending_record, None
            if record is not None:
                self.show_record(record)

    def fetch(self, db: sqlite_utils.Database, request: Request) -> object:
        """Worker thread: run the queries, return what ``show`` draws."""
        return None

    def show(self, data: Any) -> None:
        """UI thread: draw the result of ``fetch``."""

    def open_record(self, record_id: str) -> None:
        """Show a record once the screen has its data (it may be loading still)."""
        if self.loading_data:
            self._pending_record = record_id
        else:
            self.show_record(record_id)

    def show_record(self, record_id: str) -> None:
        """Put the cursor on a record (opened from the dashboard). Screens whose table does
        not hold every record (filters, pages) override this to bring it into view."""
        from sp_tui.tui.widgets.record_table import RecordTable

        for table in self.query(RecordTable):
            if record_id in table.rows:
                table.move_cursor(row=table.get_row_index(record_id))
                table.focus()
                return
        self.notify("That record is not in the current view.", severity="warning")
