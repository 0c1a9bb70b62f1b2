"""AreaScreen: the frame every area shares (header, area tabs, footer) and its refresh rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Tab, Tabs

if TYPE_CHECKING:
    from sp_tui.tui.app import SpTuiApp


class AreaTabs(Tabs):
    """One tab per area: a click switches area, as the number keys do."""

    can_focus = False


class AreaScreen(Screen):
    """Subclasses set the class attributes, compose their body in ``compose_body`` and load
    their figures in ``refresh_data``. The base refreshes them on mount, when the selected
    quarter changes and when data changes (here or in another process); a screen that is not
    on show is marked stale and refreshed when it comes back."""

    AREA_ID: ClassVar[str] = ""
    AREA_TITLE: ClassVar[str] = ""
    AREA_KEY: ClassVar[str] = ""
    # Command palette entries: (title "area: action", help text, action name on this screen).
    PALETTE: ClassVar[list[tuple[str, str, str]]] = []

    _stale = False

    @property
    def sp_app(self) -> SpTuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        from sp_tui.tui.screens import AREAS

        yield Header(icon="≡")
        yield AreaTabs(*[Tab(f"{a.AREA_KEY} {a.AREA_TITLE}".strip(), id=f"tab-{a.AREA_ID}")
                         for a in AREAS], active=f"tab-{self.AREA_ID}")
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # Textual runs this after a subclass's own on_mount (handlers run down the MRO), so
        # subclasses set up their widgets there and must not call super().on_mount().
        self.watch(self.app, "quarter", self._quarter_changed, init=False)
        self.sp_app.data_changed.subscribe(self, self._data_changed)
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.query_one(AreaTabs).active = f"tab-{self.AREA_ID}"
        if self._stale:
            self._stale = False
            self.refresh_data()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        area_id = (event.tab.id or "").removeprefix("tab-")
        if area_id and area_id != self.AREA_ID:
            self.sp_app.action_switch_area(area_id)

    def _quarter_changed(self) -> None:
        self._refresh_or_mark()

    def _data_changed(self, _: None) -> None:
        self._refresh_or_mark()

    def _refresh_or_mark(self) -> None:
        if self.is_current:
            self.refresh_data()
        else:
            self._stale = True

    def refresh_data(self) -> None:
        """Reload what this screen shows from ``reports``."""

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
