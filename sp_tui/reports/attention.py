"""The "needs attention" list: each area contributes the records someone must act on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.safeguarding import overdue_referral_attention
from sp_tui.reports.visits import overdue_plan_reviews


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

# Each area appends its source function here.
ATTENTION_SOURCES: list[AttentionSource] = [
    overdue_plan_reviews,
    overdue_referral_attention,
]

from sp_tui.reports.workbooks import workbook_attention  # noqa: E402

ATTENTION_SOURCES.append(workbook_attention)

from sp_tui.reports.conflicts import conflict_attention  # noqa: E402

ATTENTION_SOURCES.append(conflict_attention)

from sp_tui.reports.kpis import kpi_attention  # noqa: E402

ATTENTION_SOURCES.append(kpi_attention)


def needs_attention(db: sqlite_utils.Database, quarter: Quarter, today: date) -> list[AttentionItem]:
    items = [item for source in ATTENTION_SOURCES for item in source(db, quarter, today)]
    return sorted(items, key=lambda i: (i.since or date.max, i.kind, i.text))
