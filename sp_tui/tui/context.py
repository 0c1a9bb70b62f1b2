"""What a screen may use of the app, as a Protocol: screens depend on this, not on
``tui.app`` (which imports the screens' registry), so there is no import cycle."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Protocol

import sqlite_utils
from textual.signal import Signal

from sp_tui.domain.quarters import Quarter


class AppContext(Protocol):
    db: sqlite_utils.Database
    """The app's connection: services write through it (on the UI thread)."""
    today: date
    quarter: Quarter
    """The selected quarter (reactive on the app: screens watch it)."""
    data_changed: Signal[None]
    """Published once after a burst of commits, here or by another process."""

    def snapshot(self) -> AbstractContextManager[sqlite_utils.Database]:
        """A read connection for the calling (worker) thread, in one read transaction."""
        ...

    def open_record(self, area_id: str, record_id: str) -> None: ...

    def action_switch_area(self, area_id: str) -> None: ...
