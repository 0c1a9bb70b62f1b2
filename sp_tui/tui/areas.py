"""The UI side of the area registry: one entry per area, keyed by its id.

Each entry names its screen as "module:Class" (imported the first time the area is shown, so a
cold start composes only the first screen), its title and short tab label, its number key (the
most used areas only: there are ten digits and more areas), its letter in the "Go to" list
(`g` then the letter) and its group. The app's modes, number-key bindings, tabs, help, "go to"
list and command palette entries are all derived from ``UI_AREAS``.

Adding an area's screen: write ``sp_tui/tui/screens/<area>.py`` (an ``AreaScreen``, usually a
``TableScreen``) and add one line below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from textual.screen import Screen


KEY_LABELS = {"minus": "-"}


@dataclass(frozen=True)
class UiArea:
    area_id: str
    """The area's id (as in ``sp_tui.areas``; attention items open records by it)."""
    title: str
    screen: str
    """"module:Class" of its AreaScreen, imported on first use."""
    letter: str
    """Its key in the Go to list (g, then this letter)."""
    group: str
    """Where the Go to list and the help place it."""
    key: str | None = None
    """A key that switches to it from anywhere (the most used areas: digits, or "minus")."""
    short: str = ""
    """The tab's label (the title when empty): tabs must fit 80 columns."""

    @property
    def tab_label(self) -> str:
        label = self.short or self.title
        return f"{KEY_LABELS.get(self.key, self.key)} {label}" if self.key else label

    def screen_class(self) -> type[Screen[Any]]:
        return _load(self.screen)

    def make_screen(self) -> Screen[Any]:
        return self.screen_class()()


@cache
def _load(path: str) -> type[Screen[Any]]:
    module, _, name = path.partition(":")
    screen: type[Screen[Any]] = getattr(import_module(module), name)
    return screen


_S = "sp_tui.tui.screens"
UI_AREAS: tuple[UiArea, ...] = (
    UiArea("dashboard", "Dashboard", f"{_S}.dashboard:DashboardScreen", "d", "Overview", "1",
           "Home"),
    UiArea("services", "Services", f"{_S}.services:ServicesScreen", "s", "Register", "2"),
    UiArea("visits", "Visits", f"{_S}.visits:VisitsScreen", "v", "Monitoring", "3"),
    UiArea("workbooks", "Workbooks", f"{_S}.workbooks:WorkbooksScreen", "w", "Monitoring", "4"),
    UiArea("complaints", "Complaints", f"{_S}.complaints:ComplaintsScreen", "c", "Cases", "5"),
    UiArea("alerts", "Safeguarding", f"{_S}.alerts:AlertsScreen", "a", "Cases", "6",
           "Alerts"),
    UiArea("kpis", "KPIs", f"{_S}.kpis:KpisScreen", "k", "Performance", "7"),
    UiArea("outcomes", "Outcomes", f"{_S}.outcomes:OutcomesScreen", "o", "Performance", "0"),
    UiArea("reconnection", "Reconnection", f"{_S}.reconnection:ReconnectionScreen", "n",
           "Performance", "minus", "Reconnect"),
    UiArea("report", "Report", f"{_S}.report:ReportScreen", "r", "Report"),
    UiArea("conflicts", "Conflicts", f"{_S}.conflicts:ConflictsScreen", "m", "Database", "8"),
    UiArea("history", "History", f"{_S}.audit:HistoryScreen", "h", "Database", "9"),
)

GROUPS = ("Overview", "Register", "Monitoring", "Cases", "Performance", "Contracts", "Report",
          "Database")
"""The Go to list's groups, in order (an area in another group is listed after these)."""


def ui_area(area_id: str) -> UiArea:
    for area in UI_AREAS:
        if area.area_id == area_id:
            return area
    raise KeyError(area_id)


def by_group() -> list[tuple[str, list[UiArea]]]:
    groups = [*GROUPS, *sorted({a.group for a in UI_AREAS} - set(GROUPS))]
    return [(g, [a for a in UI_AREAS if a.group == g]) for g in groups
            if any(a.group == g for a in UI_AREAS)]


def _check() -> None:
    for what, values in (("area id", [a.area_id for a in UI_AREAS]),
                         ("go-to letter", [a.letter for a in UI_AREAS]),
                         ("number key", [a.key for a in UI_AREAS if a.key])):
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise ValueError(f"UI_AREAS: {what} used twice: {', '.join(repeated)}")
    for area in UI_AREAS:
        if len(area.letter) != 1 or not area.letter.islower():
            raise ValueError(f"UI_AREAS: {area.area_id}'s letter must be one lower-case letter")
        if area.key is not None and area.key not in (*"1234567890", *KEY_LABELS):
            raise ValueError(f"UI_AREAS: {area.area_id}'s key must be a digit or minus")


_check()
