"""Table 2 of the published report (seeds/003, Quarters 19-24) rebuilt from record-level data.

Services, receipts, reminders and defaults are loaded through the same imports and service
actions the team uses (history from CSV files; Quarter 24 replayed day by day with the
reminder run, a rejection and resubmission; a default in Quarter 22 issued unduly and then
withdrawn). Every cell of the table is then checked, percentages included.

The printed table says Q20's workbooks received by the end of the default period were
"326 (26%)": 326 of 378 is 86%. The tool derives every figure, so it prints 86%.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from sp_tui.domain.quarters import Quarter
from sp_tui.areas import import_format
from sp_tui.imports.reader import read_table
from sp_tui.reports.calendar import calendar_for
from sp_tui.reports.table2 import table2, table2_report
from sp_tui.services.calendar import set_quarter_dates
from sp_tui.services.registry import import_services
from sp_tui.services.workbook_imports import import_defaults, import_reminders, import_workbooks
from sp_tui.services.workbook_runs import issue_defaults, send_reminders
from sp_tui.services.workbooks import (
    receive_workbook, reject_workbook, withdraw_default,
)

TODAY = date(2009, 7, 1)  # the report of 2 July 2009 covers Quarter 24

# The published figures: expected, by deadline, reminders, by end of default period, defaults.
PUBLISHED = {
    19: (376, 317, 0, 342, 34),
    20: (378, 267, 0, 326, 52),
    21: (300, 248, 39, 297, 3),
    22: (300, 276, 24, 298, 2),
    23: (295, 285, 10, 293, 2),
    24: (295, 285, 10, 295, 0),
}
# The printed cells "count (percent)". Q20's received by end of default period was printed
# "326 (26%)": a typo for 86%.
PUBLISHED_CELLS = [
    ("Number of workbooks expected", ["376", "378", "300", "300", "295", "295"]),
    ("Number of workbooks returned by deadline",
     ["317 (84%)", "267 (71%)", "248 (83%)", "276 (92%)", "285 (97%)", "285 (97%)"]),
    ("Number of reminders sent", ["0", "0", "39", "24", "10", "10"]),
    ("Number of workbooks received by end of default period",
     ["342 (91%)", "326 (86%)", "297 (99%)", "298 (99%)", "293 (99%)", "295 (100%)"]),
    ("No. Defaults issued", ["34", "52", "3", "2", "2", "0"]),
]


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _import(db, tmp_path: Path, kind: str, header: list[str], rows: list[list[object]],
            importer) -> dict:
    path = _write_csv(tmp_path / f"{kind}-{len(list(tmp_path.iterdir()))}.csv", header, rows)
    fmt = import_format(kind)
    return importer(db, read_table(path, fmt.required, fmt.optional), today=TODAY,
                    source=f"import {path.name}")


def _services() -> list[tuple[str, str, str | None, bool]]:
    """(ref, start, end, workbook_required) giving 376/378/300/300/295/295 expected."""
    rows = [(f"K{n:03d}", "2005-04-01", None, True) for n in range(295)]
    rows += [(f"E22-{n}", "2005-04-01", "2008-09-30", True) for n in range(5)]   # to Q22
    rows += [(f"E20-{n:02d}", "2004-10-01", "2008-03-31", True) for n in range(76)]  # to Q20
    rows += [(f"N20-{n}", "2008-02-01", "2008-03-31", True) for n in range(2)]  # Q20 only
    # Never expected in Q19-Q24: not required, ended a day before Q19 closed, starts later.
    rows += [("NOTREQ", "2005-04-01", None, False), ("GONE", "2005-04-01", "2007-12-30", True),
             ("LATER", "2009-04-01", None, True)]
    return rows


def _expected_refs(quarter: Quarter) -> list[str]:
    last = quarter.end.isoformat()
    return [ref for ref, start, end, required in _services()
            if required and start <= last and (end is None or end >= last)]


@pytest.fixture
def published_db(db, tmp_path: Path):
    import_services(db, [
        (i + 2, {"provider": f"Provider {i % 23:02d}", "service_ref": ref,
                 "service_name": f"Service {ref}", "service_type": "Supported housing",
                 "client_group": "Generic", "district": "Thanet", "term": "short",
                 "start_date": start, "end_date": end, "workbook_required": required})
        for i, (ref, start, end, required) in enumerate(_services())], source="test")
    # One quarter with dates the team edited: the report must use them.
    set_quarter_dates(db, Quarter(21), deadline="2008-07-25", default_end="2008-08-08")

    for number in (19, 20, 21, 22, 23):
        _load_history(db, tmp_path, Quarter(number))
    _replay_quarter_24(db, tmp_path)
    return db


def _load_history(db, tmp_path: Path, quarter: Quarter) -> None:
    expected, by_deadline, reminders, by_end, defaults = PUBLISHED[quarter.number]
    cal = calendar_for(db, quarter)
    refs = _expected_refs(quarter)
    assert len(refs) == expected
    on_time, in_period, missing = (refs[:by_deadline], refs[by_deadline:by_end],
                                   refs[by_end:])
    unduly = quarter.number == 22  # one on-time receipt went unrecorded until after defaults
    if unduly:
        forgotten, on_time = on_time[0], on_time[1:]
    receipts = [[ref, quarter.number, (cal.deadline - timedelta(days=i % 20)).isoformat(), ""]
                for i, ref in enumerate(on_time)]               # i = 0: on the deadline itself
    receipts += [[ref, f"Q{quarter.number}",
                  (cal.deadline + timedelta(days=2 + i % 12)).isoformat(), ""]
                 for i, ref in enumerate(in_period)]
    receipts[len(on_time)][2] = cal.default_end.isoformat()     # on the last day of the period
    # Half the missing ones arrive after the default period: they keep their default.
    receipts += [[ref, quarter.number, (cal.default_end + timedelta(days=20)).isoformat(), ""]
                 for ref in missing[::2]]
    receipts += [[ref, quarter.number, "", ""] for ref in missing[1::2]]  # never received
    result = _import(db, tmp_path, "workbooks", ["service_ref", "quarter", "received_date",
                                                 "excused"], receipts, import_workbooks)
    assert result["received"] == len(on_time) + len(in_period) + len(missing[::2])

    overdue = in_period + missing
    first_day = (cal.deadline + timedelta(days=1)).isoformat()
    sent = [[ref, quarter.number, first_day] for ref in overdue[:reminders]]
    if quarter.number == 21:  # 37 services reminded, two of them twice: 39 reminders
        again = (cal.deadline + timedelta(days=13)).isoformat()
        sent = sent[:35] + [[ref, 21, day] for ref in missing[:2] for day in (first_day, again)]
    if sent:
        _import(db, tmp_path, "reminders", ["service_ref", "quarter", "sent_date"], sent,
                import_reminders)

    issued = (cal.default_end + timedelta(days=3)).isoformat()
    notices = [[ref, quarter.number, issued] for ref in missing]
    if unduly:
        notices.append([forgotten, quarter.number, issued])
    _import(db, tmp_path, "defaults", ["service_ref", "quarter", "issued_date"], notices,
            import_defaults)
    assert len(notices) == defaults + unduly
    if unduly:
        # The workbook had arrived on time; the receipt is recorded and the default withdrawn.
        receive_workbook(db, forgotten, quarter, cal.deadline - timedelta(days=1), today=TODAY)
        withdraw_default(db, forgotten, quarter, "workbook had arrived on time",
                         cal.default_end + timedelta(days=10), today=TODAY)


def _replay_quarter_24(db, tmp_path: Path) -> None:
    """Quarter 24 as it happened: receipts by the deadline (one rejected), the reminder run
    the day after the deadline, the rest in the default period, no defaults."""
    quarter = Quarter(24)
    cal = calendar_for(db, quarter)
    refs = _expected_refs(quarter)
    rejected, refs = refs[0], refs[1:]
    on_time, late = refs[:285], refs[285:]
    _import(db, tmp_path, "workbooks", ["service_ref", "quarter", "received_date"],
            [[ref, 24, (cal.deadline - timedelta(days=i % 25)).isoformat()]
             for i, ref in enumerate(on_time)], import_workbooks)
    receive_workbook(db, rejected, quarter, cal.deadline - timedelta(days=5), today=TODAY)
    reject_workbook(db, rejected, quarter, "KPI 2 sheet blank",
                    cal.deadline - timedelta(days=2), today=TODAY)

    run = send_reminders(db, quarter, sent=cal.deadline + timedelta(days=1), today=TODAY,
                         outbox=tmp_path / "outbox")
    assert run.count == 10 and rejected in {r.service_ref for r in run.rows}

    receive_workbook(db, rejected, quarter, cal.deadline + timedelta(days=3), today=TODAY)
    _import(db, tmp_path, "workbooks", ["service_ref", "quarter", "received_date"],
            [[ref, 24, (cal.deadline + timedelta(days=4 + i)).isoformat()]
             for i, ref in enumerate(late)], import_workbooks)
    none_due = issue_defaults(db, quarter, issued=cal.default_end + timedelta(days=1),
                              today=TODAY, outbox=tmp_path / "outbox")
    assert none_due.count == 0


def test_every_cell_of_table2_matches_the_published_report(published_db):
    report = table2_report(published_db, Quarter(24))
    assert report.columns == ["", *[Quarter(n).label for n in range(19, 25)]]
    rows = {row[0]: row[1:] for row in report.rows}

    def printed(label: str, percent_label: str | None = None) -> list[str]:
        if percent_label is None:
            return [str(v) for v in rows[label]]
        return [f"{v} ({p})" for v, p in zip(rows[label], rows[percent_label])]

    assert [
        ("Number of workbooks expected", printed("Number of workbooks expected")),
        ("Number of workbooks returned by deadline",
         printed("Number of workbooks returned by deadline", "% returned by deadline")),
        ("Number of reminders sent", printed("Number of reminders sent")),
        ("Number of workbooks received by end of default period",
         printed("Number of workbooks received by end of default period",
                 "% received by end of default period")),
        ("No. Defaults issued", printed("No. Defaults issued")),
    ] == PUBLISHED_CELLS


def test_counts_and_whole_number_percentages_rounded_half_up(published_db):
    result = table2(published_db, Quarter(24))
    for column in result.columns:
        expected, by_deadline, reminders, by_end, defaults = PUBLISHED[column.quarter.number]
        assert (column.expected, column.by_deadline, column.reminders, column.by_default_end,
                column.defaults) == (expected, by_deadline, reminders, by_end, defaults)
        # In every published quarter, defaults = expected - received by end of default period.
        assert column.defaults == column.expected - column.by_default_end
        assert column.excused == 0
    assert [c.by_deadline_percent for c in result.columns] == [84, 71, 83, 92, 97, 97]
    assert [c.by_default_end_percent for c in result.columns] == [91, 86, 99, 99, 99, 100]


def test_q20_received_by_default_end_is_86_percent_not_the_printed_26_percent_typo(published_db):
    q20 = table2(published_db, Quarter(24)).columns[1]
    assert (q20.by_default_end, q20.expected) == (326, 378)
    assert q20.by_default_end_percent == 86


def test_a_later_quarter_shifts_the_six_quarter_window(published_db):
    result = table2(published_db, Quarter(25))
    assert [c.quarter.number for c in result.columns] == [20, 21, 22, 23, 24, 25]
    assert result.columns[0].expected == 378
    # LATER starts in Q25 and joins the expected workbooks.
    assert result.last.expected == 296 and result.last.by_deadline == 0


def test_exported_data_imported_into_an_empty_database_gives_the_same_table(
        published_db, tmp_path):
    from sp_tui.export.data import export_data
    from sp_tui.store.connection import open_db

    path = tmp_path / "data.xlsx"
    export_data(published_db, path)
    fresh = open_db(tmp_path / "fresh.sqlite")
    set_quarter_dates(fresh, Quarter(21), deadline="2008-07-25", default_end="2008-08-08")
    for kind, importer in (("services", None), ("workbooks", import_workbooks),
                           ("reminders", import_reminders), ("defaults", import_defaults)):
        fmt = import_format(kind)
        rows = read_table(path, fmt.required, fmt.optional, sheet=kind)
        if importer is None:
            import_services(fresh, rows)
        else:
            importer(fresh, rows, today=TODAY)
    assert table2_report(fresh, Quarter(24)).rows == table2_report(published_db,
                                                                   Quarter(24)).rows
