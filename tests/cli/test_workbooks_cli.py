"""`sp-tui workbooks ...`, `sp-tui report table2` and the three imports, through typer."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.domain.quarters import Quarter, QuarterCalendar, quarter_of
from tests.workbooks_support import add_services, row_counts

runner = CliRunner()
# The CLI uses the real clock: pick a quarter whose default period has ended.
RECENT = quarter_of(date.today() - timedelta(days=120)).previous()
CAL = QuarterCalendar.default(RECENT)
DAY = timedelta(days=1)


@pytest.fixture
def cli_db(db, db_path, make_service):
    add_services(make_service, 4)
    return db_path


def sp(db_path: Path, *args: str):
    return runner.invoke(app, ["--db", str(db_path), *args], catch_exceptions=False)


def test_receive_list_and_csv(cli_db):
    q = str(RECENT.number)
    result = sp(cli_db, "workbooks", "receive", "SP001", "--quarter", q, "--date",
                CAL.deadline.isoformat())
    assert result.exit_code == 0 and "workbook received" in result.output
    table = sp(cli_db, "workbooks", "list", "-q", q)
    assert table.exit_code == 0 and "received on time" in table.output
    out = sp(cli_db, "workbooks", "list", "-q", q, "--csv", "--status", "overdue")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [r["service_ref"] for r in rows] == ["SP002", "SP003", "SP004"]
    assert {r["status"] for r in rows} == {"overdue"}


def test_remind_dry_run_then_send_then_default(cli_db, tmp_path):
    q = str(RECENT.number)
    outbox = tmp_path / "letters"
    dry = sp(cli_db, "workbooks", "remind", "-q", q, "--dry-run", "--outbox", str(outbox))
    assert dry.exit_code == 0 and "dry run" in dry.output and "SP004" in dry.output
    assert not outbox.exists()
    sent = sp(cli_db, "workbooks", "remind", "-q", q, "--outbox", str(outbox))
    assert sent.exit_code == 0 and "4 reminders to 2 provider(s)" in sent.output
    assert len(list(outbox.iterdir())) == 1
    default = sp(cli_db, "workbooks", "default", "-q", q, "--outbox", str(outbox))
    assert default.exit_code == 0 and "4 default notices" in default.output
    listing = sp(cli_db, "workbooks", "defaults", "-q", q, "--csv")
    assert "Alpha Trust" in listing.output
    withdrawn = sp(cli_db, "workbooks", "withdraw-default", "SP001", "-q", q, "--reason",
                   "issued in error")
    assert withdrawn.exit_code == 0 and "withdrawn" in withdrawn.output


def test_report_table2(cli_db):
    result = sp(cli_db, "report", "table2", "-q", "24", "--csv")
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0][1:] == [Quarter(n).label for n in range(19, 25)]
    assert rows[1] == ["Number of workbooks expected", "4", "4", "4", "4", "4", "4"]
    shown = sp(cli_db, "report", "table2", "-q", "24")
    assert shown.exit_code == 0 and "Workbook return monitoring" in shown.output


def test_imports(cli_db, tmp_path):
    path = tmp_path / "wb.csv"
    path.write_text("service_ref,quarter,received_date,excused\n"
                    "SP001,24,2009-04-20,\nSP002,24,,upload fault\n")
    result = sp(cli_db, "import", "workbooks", str(path))
    assert result.exit_code == 0 and "1 received, 1 excused" in result.output
    reminders = tmp_path / "rem.csv"
    reminders.write_text("service_ref,quarter,sent_date\nSP003,24,2009-05-01\n")
    assert "1 reminders" in sp(cli_db, "import", "reminders", str(reminders)).output
    defaults = tmp_path / "def.csv"
    defaults.write_text("service_ref,quarter,issued_date\nSP003,24,2009-05-20\n")
    assert "1 defaults" in sp(cli_db, "import", "defaults", str(defaults)).output


def test_audit_commands(cli_db):
    ok = sp(cli_db, "workbooks", "audit", "SP001", "-q", "24", "--date", "2009-05-02",
            "--officer", "A. Patel", "--assurance", "low")
    assert ok.exit_code == 0
    shown = sp(cli_db, "workbooks", "audits", "-q", "25")
    assert "SP001" in shown.output and "due" in shown.output


@pytest.mark.parametrize("args, message", [
    (["workbooks", "receive", "NOPE", "-q", "24"], "no service with reference 'NOPE'"),
    (["workbooks", "receive", "SP001", "-q", "24", "--date", "2008-12-31"], "before Q24"),
    (["workbooks", "receive", "SP001", "-q", "24", "--date", "2999-01-01"], "out of range"),
    (["workbooks", "receive", "SP001", "-q", "24", "--date",
      (date.today() + DAY).isoformat()], "in the future"),
    (["workbooks", "receive", "SP001", "-q", "Q0"], "quarter must be between"),
    (["workbooks", "list", "-q", "24", "--status", "lost"], "unknown status"),
    (["workbooks", "remind", "-q", "24", "--date", "2009-04-30"], "deadline is 2009-04-30"),
    (["workbooks", "default", "-q", "24", "--date", "2009-05-14"], "ends on 2009-05-14"),
    (["workbooks", "excuse", "SP001", "-q", "24", "--reason", " "], "reason is required"),
    (["workbooks", "audit", "SP001", "-q", "24", "--officer", "A", "--assurance", "meh"],
     "high, medium or low"),
])
def test_bad_input_is_a_red_message_not_a_traceback(cli_db, db, args, message):
    before = row_counts(db)
    result = runner.invoke(app, ["--db", str(cli_db), *args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert row_counts(db) == before


def test_a_bad_import_lists_every_row_and_writes_nothing(cli_db, db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("service_ref,quarter,received_date\nSP001,24,2009-04-20\n"
                    "NOPE,24,2009-04-20\nSP002,24,tomorrow\n")
    before = row_counts(db)
    result = runner.invoke(app, ["--db", str(cli_db), "import", "workbooks", str(path)])
    assert result.exit_code == 1
    assert "row 3: unknown service reference 'NOPE'" in result.output
    assert "row 4: received_date must be a date" in result.output
    assert row_counts(db) == before


def test_status_filter_takes_the_groups_the_screen_offers():
    from sp_tui.domain.workbooks import STATUS_GROUPS, parse_status_filter

    assert parse_status_filter("received") == STATUS_GROUPS["received"]
    assert parse_status_filter("in default") == ("in_default",)
