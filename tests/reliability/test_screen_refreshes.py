"""Each area screen loads its data once when it opens and once per change, not more: a
double refresh doubles the time a user waits on every screen (and a 500-row page costs
~150 ms to load)."""

from __future__ import annotations

from datetime import date

import pytest

from sp_tui.domain.quarters import Quarter
from sp_tui.tui.app import SpTuiApp
from sp_tui.tui.screens import AREAS


@pytest.fixture
def refresh_counts(monkeypatch) -> dict[str, int]:
    counts: dict[str, int] = {}
    for area in AREAS:
        original = area.refresh_data

        def counting(self, original=original, name=area.AREA_ID):
            counts[name] = counts.get(name, 0) + 1
            return original(self)

        monkeypatch.setattr(area, "refresh_data", counting)
    return counts


async def test_every_area_refreshes_once_on_opening_and_once_per_change(db, make_service,
                                                                        refresh_counts):
    make_service()
    app = SpTuiApp(db, today=date(2009, 11, 20), quarter=Quarter(24), poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for area in AREAS:
            await pilot.press(area.AREA_KEY)
            await pilot.pause()
        assert refresh_counts == {area.AREA_ID: 1 for area in AREAS}
        refresh_counts.clear()
        app.notify_changed()
        await pilot.pause()
        assert refresh_counts == {AREAS[-1].AREA_ID: 1}
        refresh_counts.clear()
        await pilot.press("right_square_bracket")  # next quarter
        await pilot.pause()
        assert refresh_counts == {AREAS[-1].AREA_ID: 1}
