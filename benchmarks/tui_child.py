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
    start = time.perf_counter()
    result = action()
    if asyncio.iscoroutine(result):
        await result
    await pilot.pause()
    return (time.perf_counter() - start) * 1000


async def median_net_ms(pilot, action, baseline: float, repeat: int) -> float:
    runs = [await timed_ms(pilot, action) for _ in range(repeat)]
    return max(0.0, statistics.median(runs) - baseline)


def app_mode(db_path: str) -> None:
    from sp_tui.store.connection import open_db
    from sp_tui.tui.app import SpTuiApp
    from sp_tui.tui.screens import AREAS

    class TimedApp(SpTuiApp):
        """Reports the Ready event: Textual posts it once the first screen is laid out."""

        # A relative CSS_PATH is found beside the class's module: point at the app's own.
        CSS_PATH = str(Path(inspect.getfile(SpTuiApp)).with_name(SpTuiApp.CSS_PATH))

        def on_ready(self) -> None:
            emit({"ready": type(self.screen).__name__,
                  "figures": {"first screen drawn": self.screen.AREA_TITLE}})

    async def main() -> dict[str, float]:
        app = TimedApp(open_db(db_path))
        figures: dict[str, float] = {}
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            key_floor = statistics.median(
                [await timed_ms(pilot, lambda: pilot.press("f19")) for _ in range(10)])
            figures["pilot: unbound key + idle wait, subtracted below (ms)"] = key_floor
            first = type(app.screen)
            home = first.AREA_KEY
            for area in AREAS:
                if area is first:
                    continue
                first_visit = await timed_ms(pilot, lambda a=area: pilot.press(a.AREA_KEY))
                figures[f"screen switch: to {area.AREA_TITLE}, first visit (ms)"] = max(
                    0.0, first_visit - key_floor)
                again = []
                for _ in range(3):
                    await pilot.press(home)
                    await pilot.pause()
                    again.append(await timed_ms(pilot, lambda a=area: pilot.press(a.AREA_KEY)))
                figures[f"screen switch: to {area.AREA_TITLE}, again (ms)"] = max(
                    0.0, statistics.median(again) - key_floor)
            services = next((a for a in AREAS if a.AREA_ID == "services"), None)
            if services is not None:
                await pilot.press(services.AREA_KEY)
                await pilot.pause()
                figures |= await services_interactions(app, pilot)
        figures["peak memory: app (MB)"] = peak_mb()
        return figures

    emit({"figures": asyncio.run(main())})


async def services_interactions(app, pilot) -> dict[str, float]:
    """Search, sort, page and cursor on the Services screen, through the screen's own code."""
    from sp_tui.tui.widgets.record_table import RecordTable

    screen = app.screen
    if not hasattr(screen, "search_text"):
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
