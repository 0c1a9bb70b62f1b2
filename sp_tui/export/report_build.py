"""Everything the report is made of for a quarter: every area's tables with their positions,
the consistency check over them, and the document model. Shared by the quarter workbook,
the report document, `sp-tui report check` and the Report screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from sp_tui.areas import quarter_tables
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.consistency import ConsistencyReport, check_report
from sp_tui.reports.document import ReportDocument, build_document
from sp_tui.reports.report_settings import report_settings
from sp_tui.reports.tables import ReportTable

Positioned = list[tuple[str, ReportTable]]


def positioned_tables(db: sqlite_utils.Database, quarter: Quarter,
                      progress: Callable[[str], None] | None = None) -> Positioned:
    """Every registered quarter table, in the published order, with its position."""
    built = []
    for table in quarter_tables():
        if progress:
            progress(table.position)
        built.append((table.position, table.build(db, quarter)))
    return built


def consistency(db: sqlite_utils.Database, quarter: Quarter, today: date | None = None,
                tables: Positioned | None = None) -> ConsistencyReport:
    if tables is None:
        tables = positioned_tables(db, quarter)
    return check_report(db, quarter, tables, today or date.today())


@dataclass
class ReportParts:
    tables: Positioned
    check: ConsistencyReport
    document: ReportDocument


def report_parts(db: sqlite_utils.Database, quarter: Quarter, *, today: date | None = None,
                 progress: Callable[[str], None] | None = None) -> ReportParts:
    today = today or date.today()
    tables = positioned_tables(db, quarter, progress)
    check = check_report(db, quarter, tables, today)
    document = build_document(db, quarter, tables, settings=report_settings(db), today=today,
                              check_summary=check.summary())
    return ReportParts(tables, check, document)
