"""The figures an upgraded database must still report: read through ``reports`` only.

Used by the upgrade test and by ``tests/fixtures/make_schema_v1.py``, which recorded them
beside the fixture when schema version 1 was current.
"""

from __future__ import annotations

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.calendar import calendar_for
from sp_tui.reports.reference import provider_names, reference_lists
from sp_tui.reports.registry import STATUSES, ServiceQuery, registry_counts, services_page

# The demo's quarters at scale 1, and one on each side of them.
QUARTERS = range(18, 28)


def registry_figures(db: sqlite_utils.Database) -> dict[str, object]:
    figures: dict[str, object] = {}
    for number in QUARTERS:
        quarter = Quarter(number)
        figures[f"Q{number}"] = {
            **registry_counts(db, quarter),
            **{f"services {status}": services_page(
                db, ServiceQuery(quarter, status=status, limit=1)).total
               for status in STATUSES},
            "deadline": calendar_for(db, quarter).deadline.isoformat(),
            "default_end": calendar_for(db, quarter).default_end.isoformat(),
        }
    figures["providers"] = len(provider_names(db))
    figures["reference values"] = {kind: len(values)
                                   for kind, values in reference_lists(db).items()}
    figures["first page of services"] = [
        row.service_ref for row in services_page(db, ServiceQuery(Quarter(26), limit=20)).rows]
    return figures
