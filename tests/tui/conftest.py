"""Deterministic Pilot tests: a fixed 'today', no cursor blink, no background polling."""

from __future__ import annotations

from datetime import date

import pytest

from sp_tui.domain.quarters import Quarter

TODAY = date(2009, 11, 20)


@pytest.fixture
def make_app(db):
    from sp_tui.tui.app import SpTuiApp

    def make(quarter: int = 24, **kwargs) -> SpTuiApp:
        app = SpTuiApp(db, today=TODAY, quarter=Quarter(quarter), poll=False, **kwargs)
        return app

    return make


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
