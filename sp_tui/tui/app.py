"""The application shell: selected quarter, area screens, live refresh, themes, help."""

from __future__ import annotations

from datetime import date

import sqlite_utils
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.signal import Signal

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.calendar import working_quarter
from sp_tui.store.connection import data_version, db_file
from sp_tui.tui.commands import AreaCommands
from sp_tui.tui.screens import AREAS

POLL_SECONDS = 1.0


class SpTuiApp(App[None]):
    """sp-tui. ``today`` is fixed in tests so that statuses and snapshots do not drift."""

    CSS_PATH = "app.tcss"
    TITLE = "sp-tui"
    COMMANDS = App.COMMANDS | {AreaCommands}
    MODES = {area.AREA_ID: area for area in AREAS}
    BINDINGS = [
        *[Binding(area.AREA_KEY, f"switch_area('{area.AREA_ID}')", area.AREA_TITLE,
                  show=False, id=f"area.{area.AREA_ID}") for area in AREAS if area.AREA_KEY],
        Binding("left_square_bracket", "step_quarter(-1)", "Prev quarter", key_display="[",
                id="quarter.previous"),
        Binding("right_square_bracket", "step_quarter(1)", "Next quarter", key_display="]",
                id="quarter.next"),
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
        self._data_version = data_version(db)
        self._change_pending = False
        self._poll = poll
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
    def notify_changed(self) -> None:
        """Call after a successful write: a burst of writes in one tick refreshes once."""
        if not self._change_pending:
            self._change_pending = True
            self.call_after_refresh(self._publish_change)

    def _publish_change(self) -> None:
        self._change_pending = False
        self._data_version = data_version(self.db)
        self.data_changed.publish(None)

    def check_external_changes(self) -> None:
        """PRAGMA data_version moves when another connection (CLI, colleague) commits."""
        version = data_version(self.db)
        if version != self._data_version:
            self._data_version = version
            self.data_changed.publish(None)

    # -- navigation -----------------------------------------------------------------------------
    def action_switch_area(self, area_id: str) -> None:
        if self.current_mode != area_id:
            self.switch_mode(area_id)

    def open_record(self, area_id: str, record_id: str) -> None:
        """Show one record in its area (the dashboard's "needs attention" rows)."""

        async def go() -> None:
            await self.switch_mode(area_id)
            show = getattr(self.screen, "show_record", None)
            if show:
                show(record_id)

        self.call_later(go)

    def action_help(self) -> None:
        from sp_tui.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_edit_calendar(self) -> None:
        from sp_tui.tui.widgets.calendar_form import CalendarForm

        def saved(result: object) -> None:
            if result:
                self.notify(str(result), title="Quarter dates saved")
                self.notify_changed()

        self.push_screen(CalendarForm(self.quarter), saved)
