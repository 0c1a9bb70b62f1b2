"""What a "needs attention" entry is. Each area lists its sources in its area declaration;
``sp_tui.areas.needs_attention`` gathers them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from sp_tui.domain.quarters import Quarter


@dataclass(frozen=True)
class AttentionItem:
    area: str
    """The area screen that shows the record (its AREA_ID)."""
    kind: str
    """e.g. "Overdue workbook, no reminder"."""
    record_id: str
    text: str
    """Which record, in a few words (service ref and name, alert ref...)."""
    since: date | None = None
    """When it became due; the list shows the oldest first."""


AttentionSource = Callable[[sqlite_utils.Database, Quarter, date], list[AttentionItem]]
