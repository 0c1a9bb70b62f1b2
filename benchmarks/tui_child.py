"""One headless app run, in a fresh process, for run.py's cold-start and interaction figures.

    python tui_child.py app DB_PATH   # sp-tui on a database
    python tui_child.py floor ROWS    # the floor: a minimal Textual app, one static DataTable

The child prints a JSON line ``{"ready": ...}`` the moment its first screen has been drawn
(run.py times the process from launch to that line), then times a few interactions and
prints ``{"figures": {...}}`` with its peak memory.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import resource
import statistics
import sys
import time
from pathlib import Path

SIZE = (120, 40)


def emit(payload: dict) -> None:
    print(json.dumps(payload), flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


async def timed_ms(pilot, action) -> float:
    """Run ``action`` (a call or a coroutine such as a key press) and wait until the app is
    idle again (Pilot.pause: CPU quiet for a moment), so deferred work such as a DataTable
    measuring its rows is included. Callers subtract the same wait with nothing to do."""
    return await timed_settled_ms(pilot, action)


async def median_net_ms(pilot, action, baseline: float, repeat: int) -> float:
    runs = [await timed_ms(pilot, action) for _ in range(repeat)]
    return max(0.0, statistics.median(runs) - baseline)


def _busy(app) -> bool:
    if getattr(app, "change_pending", False):  # a commit not yet published to the screens
        return True
    if any(w.state.name in ("PENDING", "RUNNING") for w in app.workers):
        return True
    return any(getattr(s, "loading_data", False) for s in app.screen_stack)


async def settle(pilot) -> None:
    """Wait until the app is idle: no change waiting to be published, no worker (a screen
    loading off the UI thread) running, no screen waiting for its data."""
    app = pilot.app
    await pilot.pause()
    while _busy(app):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def timed_settled_ms(pilot, action) -> float:
    """Like ``timed_ms``, also waiting for the screen's data workers to finish."""
    start = time.perf_counter()
    result = action()
    if asyncio.iscoroutine(result):
        await result
    await settle(pilot)
    return (time.perf_counter() - start) * 1000


def ui_areas() -> list[tuple[str, str, str | None]]:
    """(area id, title, number key) of every area, from the UI registry."""
    try:
        from sp_tui.tui.areas import UI_AREAS
    except ImportError:  # before the UI registry: the screen classes carried these
        from sp_tui.tui.screens import AREAS

        return [(a.AREA_ID, a.AREA_TITLE, a.AREA_KEY) for a in AREAS]
    return [(a.area_id, a.title, a.key) for a in UI_AREAS]


def app_mode(db_path: str) -> None:
    from sp_tui.store.connection import open_db
    from sp_tui.tui.app import SpTuiApp

    class TimedApp(SpTuiApp):
        """Reports the Ready event: Textual posts it once the first screen is laid out."""

        # A relative CSS_PATH is found beside the class's module: point at the app's own.
        CSS_PATH = str(Path(inspect.getfile(SpTuiApp)).with_name(SpTuiApp.CSS_PATH))

        def on_ready(self) -> None:
            emit({"ready": type(self.screen).__name__,
                  "figures": {"first screen drawn": type(self.screen).__name__}})

    async def main() -> dict[str, float]:
        app = TimedApp(open_db(db_path))
        figures: dict[str, float] = {}
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            key_floor = statistics.median(
                [await timed_ms(pilot, lambda: pilot.press("f19")) for _ in range(10)])
            figures["pilot: unbound key + idle wait, subtracted below (ms)"] = key_floor
            areas = ui_areas()
            home = next(a for a in areas if a[0] == app.current_mode)
            for area_id, title, key in areas:
                if area_id == home[0] or key is None:
                    continue
                start = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                drawn = (time.perf_counter() - start) * 1000
                await settle(pilot)
                first_visit = (time.perf_counter() - start) * 1000
                figures[f"screen switch: to {title}, first visit, screen drawn (ms)"] = max(
                    0.0, drawn - key_floor)
                figures[f"screen switch: to {title}, first visit, data shown (ms)"] = max(
                    0.0, first_visit - key_floor)
                again = []
                for _ in range(3):
                    await pilot.press(home[2])
                    await settle(pilot)
                    again.append(await timed_settled_ms(pilot, lambda k=key: pilot.press(k)))
                figures[f"screen switch: to {title}, again (ms)"] = max(
                    0.0, statistics.median(again) - key_floor)
            keys = {area_id: key for area_id, _, key in areas}
            if "workbooks" in keys:
                await pilot.press(keys["workbooks"])
                await settle(pilot)
                figures |= await mark_received(app, pilot)
            if "services" in keys:
                await pilot.press(keys["services"])
                await settle(pilot)
                figures |= await services_interactions(app, pilot)
        figures["peak memory: app (MB)"] = peak_mb()
        return figures

    emit({"figures": asyncio.run(main())})


async def mark_received(app, pilot) -> dict[str, float]:
    """Workbooks: from the Ctrl+S that saves "mark received" until the row's status cell and
    the quarter's summary line both show it (polled every millisecond), then undo (u)."""
    from textual.widgets import Static

    from sp_tui.tui.widgets.record_table import RecordTable

    screen = app.screen
    table = screen.query_one(RecordTable)
    summary = screen.query_one("#wb-summary", Static)
    status = screen.query_one("#wb-status")
    status.value = "overdue"  # a list of workbooks not yet received
    await settle(pilot)
    table.focus()
    times = []
    for _ in range(5):
        if not table.row_count:
            break
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        before_row = [str(c) for c in table.get_row(key)]
        before_summary = str(summary.render())
        await pilot.press("r")
        while app.screen is screen:
            await asyncio.sleep(0.001)
        await settle(pilot)
        start = time.perf_counter()
        await pilot.press("ctrl+s")
        deadline = start + 10
        while time.perf_counter() < deadline:
            row_now = ([str(c) for c in table.get_row(key)] if key in table.rows else None)
            if row_now != before_row and str(summary.render()) != before_summary:
                break
            await asyncio.sleep(0.001)
        times.append((time.perf_counter() - start) * 1000)
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
    status.clear()
    await settle(pilot)
    return {"workbooks: mark received, Ctrl+S to row and summary shown (ms)":
            statistics.median(times)} if times else {}


async def services_interactions(app, pilot) -> dict[str, float]:
    """Search, sort, page and cursor on the Services screen, through the screen's own code."""
    from sp_tui.tui.widgets.record_table import RecordTable

    screen = app.screen
    if not hasattr(screen, "search_text") and not hasattr(screen, "update_state"):
        return {}
    figures: dict[str, float] = {}
    table = screen.query_one(RecordTable)
    table.focus()
    await pilot.pause()
    key_floor = statistics.median(
        [await timed_ms(pilot, lambda: pilot.press("f19")) for _ in range(10)])
    idle_floor = statistics.median([await timed_ms(pilot, lambda: None) for _ in range(10)])
    figures["services screen: cursor down (ms)"] = await median_net_ms(
        pilot, lambda: pilot.press("down"), key_floor, 20)
    for word in ("housing", "canterbury floating", ""):
        def search(word=word):
            if hasattr(screen, "update_state"):  # TableScreen: one query state
                screen.update_state(search=word)
                return
            screen.search_text, screen.page_offset = word, 0
            screen.refresh_data()
        label = f"'{word}'" if word else "cleared"
        figures[f"services screen: search {label}, page redrawn (ms)"] = await median_net_ms(
            pilot, search, idle_floor, 5)
    figures["services screen: sort by next column (ms)"] = await median_net_ms(
        pilot, lambda: pilot.press("s"), key_floor, 5)
    figures["services screen: next page (ms)"] = await median_net_ms(
        pilot, lambda: pilot.press("n"), key_floor, 3)
    opened = []
    for _ in range(3):
        opened.append(await timed_ms(pilot, lambda: pilot.press("a")) - key_floor)
        await pilot.press("escape")
        await pilot.pause()
    figures["services screen: open the add-service form (ms)"] = statistics.median(opened)
    return figures


def floor_mode(rows: int) -> None:
    from rich.text import Text
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    sample = ["SP00042", "Canterbury sheltered housing Harbour", "Harbour Housing Association",
              Text("active", style="green"), "Sheltered housing", "Canterbury",
              "Older people with support needs", "long", 42]

    class Floor(App[None]):
        def compose(self):
            yield Header()
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Ref", "Service", "Provider", "Status", "Type", "District",
                              "Client group", "Term", "Units")
            for n in range(rows):
                table.add_row(*[Text(c) if isinstance(c, str) else c for c in sample],
                              key=str(n))

        def on_ready(self) -> None:
            emit({"ready": "Floor"})

    async def main() -> dict[str, float]:
        async with Floor().run_test(size=SIZE) as pilot:
            await pilot.pause()
        return {"peak memory: floor (MB)": peak_mb()}

    emit({"figures": asyncio.run(main())})


if __name__ == "__main__":
    mode, argument = sys.argv[1], sys.argv[2]
    if mode == "app":
        app_mode(argument)
    else:
        floor_mode(int(argument))
