"""Letter wording comes from template files; a team's own template beside the database wins."""

from __future__ import annotations

from datetime import date

import pytest

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter, QuarterCalendar
from sp_tui.reports.workbooks import WorkbookRow
from sp_tui.services.letters import default_letters, reminder_letters
from sp_tui.services.templates import PACKAGED

Q24 = Quarter(24)
CAL = QuarterCalendar(Q24, date(2009, 4, 30), date(2009, 5, 14))


def row(ref: str, provider: str = "Harbour Trust") -> WorkbookRow:
    return WorkbookRow("id-" + ref, ref, f"Service {ref}", provider, "Thanet", None, None, None,
                       None, None, 0, None, None, "overdue")


def test_the_packaged_templates_are_shipped_with_the_code():
    assert {"reminder.md", "default_notice.md"} <= {p.name for p in PACKAGED.iterdir()}


def test_reminder_wording_from_the_packaged_template():
    [letter] = reminder_letters(Q24, CAL, date(2009, 5, 1), [row("SP1"), row("SP2")])
    assert "deadline of **30 April 2009** for the following services:" in letter.text
    assert "Please send each workbook now" in letter.text
    assert "| SP2 | Service SP2 | Thanet |" in letter.text


def test_a_teams_own_template_beside_the_database_wins(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "reminder.md").write_text(
        "Dear ${provider}, ${quarter} is late (${service_word}).\n", "utf-8")
    [letter] = reminder_letters(Q24, CAL, date(2009, 5, 1), [row("SP1")], templates=tmp_path)
    assert letter.text == f"Dear Harbour Trust, {Q24.label} is late (service).\n"


def test_an_unknown_placeholder_is_named(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "default_notice.md").write_text("${nonsense}", "utf-8")
    with pytest.raises(ValidationError, match="nonsense"):
        default_letters(Q24, CAL, date(2009, 5, 20), date(2009, 6, 3), [row("SP1")],
                        {"Harbour Trust": 1}, templates=tmp_path)
