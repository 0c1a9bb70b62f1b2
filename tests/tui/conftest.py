"""Deterministic Pilot tests: a fixed 'today', no cursor blink, no background polling, and
helpers that wait for what a key press leads to (a screen, a form, the screen's data) instead
of reading straight after the press."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from sp_tui.domain.quarters import Quarter

TODAY = date(2009, 11, 20)
S = TypeVar("S", bound=Screen)
MAX_ROUNDS = 200


@pytest.fixture
def make_app(db):
    from sp_tui.tui.app import SpTuiApp

    def make(quarter: int = 24, **kwargs) -> SpTuiApp:
        app = SpTuiApp(db, today=TODAY, quarter=Quarter(quarter), poll=False,
                       **kwargs)
        return app

    return make


def _busy(app) -> bool:
    from sp_tui.tui.screens.base import AreaScreen

    if getattr(app, "change_pending", False):
        return True
    if any(w.state.name in ("PENDING", "RUNNING") for w in app.workers):
        return True
    return any(isinstance(s, AreaScreen) and s.is_mounted and s.loading_data
               for s in app.screen_stack)


async def settle(pilot: Pilot) -> None:
    """Wait until the app is idle: no change waiting to be published, no worker running, no
    screen waiting for its data, and the message queues drained."""
    app = pilot.app
    for _ in range(MAX_ROUNDS):
        await pilot.pause()
        if not _busy(app):
            await pilot.pause()
            if not _busy(app):
                return
        await app.workers.wait_for_complete()
    raise AssertionError("the app did not settle (a load or change never finished)")


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys, each followed by waiting for what it set off."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def wait_for_screen(pilot: Pilot, kind: type[S]) -> S:
    """The screen on top once the app has settled; fails unless it is a ``kind``."""
    await settle(pilot)
    for _ in range(MAX_ROUNDS):
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
        await pilot.pause()
        await settle(pilot)
    raise AssertionError(f"expected a {kind.__name__}, the app shows"
                         f" {type(pilot.app.screen).__name__}")


async def press_for(pilot: Pilot, kind: type[S], *keys: str) -> S:
    """Press keys and wait for the screen (or form) they lead to."""
    await press(pilot, *keys)
    return await wait_for_screen(pilot, kind)


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
    await settle(pilot)


def keys_then_settle(*keys: str):
    """``snap_compare(run_before=...)``: press the keys, wait for the data, then snapshot."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await press(pilot, *keys)

    return run_before
