"""Each area screen loads its data once when it opens and once per change, not more: a
double refresh doubles the time a user waits on every screen (and a 500-row page costs
~150 ms to load)."""

from __future__ import annotations

from datetime import date

import pytest

from sp_tui.domain.quarters import Quarter
from sp_tui.tui.app import SpTuiApp
from sp_tui.tui.areas import UI_AREAS
from tests.tui.conftest import press, settle


@pytest.fixture
def load_counts(monkeypatch) -> dict[str, int]:
    """How many times each area's screen ran its queries (``fetch``, the one load path)."""
    counts: dict[str, int] = {}
    for area in UI_AREAS:
        screen = area.screen_class()
        original = screen.fetch

        def counting(self, db, request, original=original, name=area.area_id):
            counts[name] = counts.get(name, 0) + 1
            return original(self, db, request)

        monkeypatch.setattr(screen, "fetch", counting)
    return counts


async def test_every_area_loads_once_on_opening_and_once_per_change(db, make_service,
                                                                     load_counts):
    make_service()
    app = SpTuiApp(db, today=date(2009, 11, 20), quarter=Quarter(24), poll=False)
    by_key = [a for a in UI_AREAS if a.key]
    async with app.run_test(size=(120, 40)) as pilot:
        for area in by_key:
            await press(pilot, area.key)
        assert load_counts == {area.area_id: 1 for area in by_key}
        load_counts.clear()
        # A write through the services layer: no call to tell the app, the screen reloads.
        make_service(service_ref="SP002")
        await settle(pilot)
        assert load_counts == {by_key[-1].area_id: 1}
        load_counts.clear()
        await press(pilot, "right_square_bracket")  # next quarter
        assert load_counts == {by_key[-1].area_id: 1}
