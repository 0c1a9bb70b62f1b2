"""Edit a quarter's workbook deadline and default-period end."""

from __future__ import annotations

from typing import cast

from textual.app import ComposeResult
from textual.widgets import Input, Static

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.calendar import calendar_for
from sp_tui.services.calendar import set_quarter_dates
from sp_tui.tui.context import AppContext
from sp_tui.tui.widgets.form import Field, FormModal


class CalendarForm(FormModal[str]):
    """Dismisses with a one-line summary of the saved dates, or None."""

    def __init__(self, quarter: Quarter) -> None:
        super().__init__()
        self.quarter = quarter
        self.FORM_TITLE = f"{quarter.label}: workbook deadline and default period"

    def fields(self) -> ComposeResult:
        cal = calendar_for(cast(AppContext, self.app).db, self.quarter)
        yield Static(f"The quarter closes on {self.quarter.end.isoformat()}. By default the"
                     " deadline is 30 days later and the default period ends 14 days after it.",
                     classes="hint")
        yield Field("Workbook deadline", Input(cal.deadline.isoformat(), id="deadline"),
                    name="deadline")
        yield Field("Default period ends", Input(cal.default_end.isoformat(), id="default_end"),
                    name="default_end")

    def save(self, values: dict[str, object]) -> str:
        db = cast(AppContext, self.app).db
        cal = set_quarter_dates(db, self.quarter, deadline=values["deadline"],
                                default_end=values["default_end"], source="tui")
        return (f"{self.quarter.label}: deadline {cal.deadline},"
                f" default period ends {cal.default_end}")
