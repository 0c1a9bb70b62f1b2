"""The application shell: selected quarter, area screens, live refresh, themes, help."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import sqlite_utils
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.signal import Signal

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.calendar import working_quarter
from sp_tui.store.changes import subscribe
from sp_tui.store.connection import data_version, db_file
from sp_tui.tui.areas import UI_AREAS, ui_area
from sp_tui.tui.commands import AreaCommands
from sp_tui.tui.readers import Readers

POLL_SECONDS = 1.0


class SpTuiApp(App[None]):
    """sp-tui. ``today`` is fixed in tests so that statuses and snapshots do not drift.

    Screens are built from ``UI_AREAS`` the first time they are shown. Every transaction
    committed through ``store.connection.write`` on the app's connection publishes
    ``data_changed`` (after the next refresh, once per burst); the poll publishes it when
    another connection committed (``PRAGMA data_version``) or this one wrote outside ``write``
    (``total_changes``)."""

    CSS_PATH = "app.tcss"
    TITLE = "sp-tui"
    COMMANDS = App.COMMANDS | {AreaCommands}
    MODES = {area.area_id: area.make_screen for area in UI_AREAS}
    # Screens get a size class (app.tcss lays them out by it): at 80×24 (narrow, short)
    # panels collapse or move behind a key and the record list keeps the space.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    BINDINGS = [
        *[Binding(area.key, f"switch_area('{area.area_id}')", area.title, show=False,
                  id=f"area.{area.area_id}") for area in UI_AREAS if area.key],
        Binding("g", "go_to", "Go to", id="app.go_to"),
        Binding("left_square_bracket", "step_quarter(-1)", "Prev quarter", key_display="[",
                id="quarter.previous"),
        Binding("right_square_bracket", "step_quarter(1)", "Next quarter", key_display="]",
                id="quarter.next"),
        Binding("i", "import_file", "Import", show=False, id="app.import"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("ctrl+t", "toggle_dark", "Light/dark", show=False, id="app.theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    quarter: reactive[Quarter] = reactive(Quarter(1), init=False)

    def __init__(self, db: sqlite_utils.Database, *, today: date | None = None,
                 quarter: Quarter | None = None, poll: bool = True) -> None:
        super().__init__()
        self.db = db
        self.today = today or date.today()
        self.data_changed: Signal[None] = Signal(self, "data-changed")
        self.readers = Readers(db)
        self._seen = self._versions()
        self._change_pending = False
        self._poll = poll
        self._ui_thread = threading.get_ident()
        self._unsubscribe = subscribe(db, self._committed)
        self.set_reactive(SpTuiApp.quarter, quarter or working_quarter(db, self.today))
        path = db_file(db)
        self.db_name = path.name if path else ":memory:"
        self.db_path = str(path) if path else ":memory:"

    def on_mount(self) -> None:
        self._update_subtitle()
        has_data = self.db.execute("SELECT 1 FROM services LIMIT 1").fetchone() is not None
        # With nothing registered yet, open where the first record is added.
        self.switch_mode("dashboard" if has_data else "services")
        if self._poll:
            self.set_interval(POLL_SECONDS, self.check_external_changes)

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Toasts quote user text (names, references, file names): never parsed as markup,
        whatever a caller asks (Widget.notify passes markup=True by default)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_unmount(self) -> None:
        self._unsubscribe()
        self.readers.close()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite_utils.Database]:
        """For screens' worker threads: this thread's read connection, one transaction."""
        with self.readers.snapshot() as db:
            yield db

    # -- the selected quarter -------------------------------------------------------------
    def watch_quarter(self) -> None:
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        self.sub_title = f"{self.quarter.label}  ·  {self.db_name}"

    def action_step_quarter(self, step: int) -> None:
        number = self.quarter.number + step
        if number < 1:
            self.notify("Quarter 1 (Apr-Jun 2003) is the programme's first.", severity="warning")
            return
        self.quarter = Quarter(number)

    # -- live refresh -------------------------------------------------------------------------
    def _versions(self) -> tuple[int, int]:
        return data_version(self.db), self.db.conn.total_changes

    def _committed(self) -> None:
        """A transaction on the app's connection committed (in whichever thread)."""
        if threading.get_ident() == self._ui_thread:
            self.notify_changed()
        else:
            self.call_later(self.notify_changed)

    def notify_changed(self) -> None:
        """Publish ``data_changed`` after the next refresh: a burst of writes refreshes once.
        Commits through ``write`` call this by themselves."""
        if not self._change_pending:
            self._change_pending = True
            self.call_after_refresh(self._publish_change)

    @property
    def change_pending(self) -> bool:
        return self._change_pending

    def _publish_change(self) -> None:
        self._change_pending = False
        self._seen = self._versions()
        self.data_changed.publish(None)

    def check_external_changes(self) -> None:
        """PRAGMA data_version moves when another connection (CLI, colleague) commits;
        total_changes when this one wrote without ``write`` (nothing should)."""
        versions = self._versions()
        if versions != self._seen:
            self._seen = versions
            self.data_changed.publish(None)

    # -- navigation -----------------------------------------------------------------------------
    def action_switch_area(self, area_id: str) -> None:
        if self.current_mode != area_id:
            self.switch_mode(area_id)

    def action_go_to(self) -> None:
        """`g`: the Go to list; a letter opens its area."""
        from sp_tui.tui.screens.go_to import GoToModal

        def chosen(area_id: str | None) -> None:
            if area_id:
                self.action_switch_area(area_id)

        self.push_screen(GoToModal(current=self.current_mode), chosen)

    def open_record(self, area_id: str, record_id: str) -> None:
        """Show one record in its area (the dashboard's "needs attention" rows)."""
        ui_area(area_id)  # an unknown area fails here, not later in a callback

        async def go() -> None:
            from sp_tui.tui.screens.base import AreaScreen

            await self.switch_mode(area_id)
            if isinstance(self.screen, AreaScreen):
                self.screen.open_record(record_id)

        self.call_later(go)

    def action_help(self) -> None:
        from sp_tui.tui.screens.help import HelpScreen

        sections = [("Everywhere", list(self.BINDINGS))]
        for area in UI_AREAS:
            bindings = list(area.screen_class().BINDINGS)
            if bindings:
                keys = f"{area.key} or g {area.letter}" if area.key else f"g {area.letter}"
                sections.append((f"{area.title} ({keys})", bindings))
        self.push_screen(HelpScreen(sections))

    def action_import_file(self) -> None:
        """`i`: import a spreadsheet (pick the file, map unknown values, all or nothing)."""
        from sp_tui.tui.widgets.import_modal import ImportModal

        def imported(message: str | None) -> None:
            if message:
                self.notify(message, title="Import", markup=False)

        self.push_screen(ImportModal(), imported)

    def action_edit_calendar(self) -> None:
        from sp_tui.tui.widgets.calendar_form import CalendarForm

        def saved(result: str | None) -> None:
            if result:
                self.notify(result, title="Quarter dates saved", markup=False)

        self.push_screen(CalendarForm(self.quarter), saved)
