"""One headless app run, in a fresh process, for run.py's cold-start and interaction figures.

    python tui_child.py app DB_PATH   # sp-tui on a database
    python tui_child.py floor ROWS    # the floor: a minimal Textual app, one static DataTable
    python tui_child.py screens -     # the screens' floor: bare screens read from stdin

The app child also prints ``{"skeletons": ...}``: each screen it visited as a tree of Textual's
own widget classes with their rows and texts (no sp-tui code, no app CSS). ``screens`` rebuilds
those trees in a bare Textual app and times the same key presses: the floor each screen's
first visit and revisit is compared with, and a one-field modal + table update for "mark
received".

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


async def visit_ms(pilot, key: str) -> tuple[float, float]:
    """From a key press until its screen is drawn, and until its data is shown (ms): the same
    measure for the app and for its floor."""
    start = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    drawn = (time.perf_counter() - start) * 1000
    await settle(pilot)
    return drawn, (time.perf_counter() - start) * 1000


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


# -- skeletons: a screen as Textual's own widgets ------------------------------------------------

# Textual widgets rebuilt as they are (their children are their own); anything else is a
# container whose children are rebuilt one by one.
LEAVES = {"DataTable", "Static", "Label", "Input", "Button", "Select", "Checkbox", "Header",
          "Footer", "Tabs", "OptionList", "ProgressBar", "TextArea", "Rule", "LoadingIndicator",
          "Switch", "RadioSet", "ListView", "Log", "RichLog", "Markdown", "Sparkline"}


def textual_base(widget) -> type:
    """The nearest class of ``widget`` that Textual itself defines."""
    return next(c for c in type(widget).__mro__ if c.__module__.startswith("textual."))


def _text(value) -> str:
    return "" if value is None else str(value)


def _shown(widget) -> str:
    """A Static's content as plain text (a Rich renderable printed at the widget's width)."""
    content = getattr(widget, "content", "")
    if isinstance(content, str):
        return content
    if hasattr(content, "plain"):
        return content.plain
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=max(20, widget.size.width), color_system=None)
    console.print(content)
    return console.file.getvalue().rstrip("\n")


def skeleton(widget) -> dict:
    """``widget`` and its descendants as Textual classes with what they show and where: the
    size each was laid out at, whether shown, its layout (the floor has no stylesheet, so the
    geometry is given to it inline)."""
    base = textual_base(widget)
    node: dict = {"type": base.__name__, "size": [widget.outer_size.width,
                                                   widget.outer_size.height],
                  "display": bool(widget.display), "layout": widget.styles.layout.name
                  if widget.styles.layout else None}
    name = base.__name__
    if name == "DataTable":
        node["columns"] = [_text(c.label) for c in widget.ordered_columns]
        node["rows"] = [[_text(cell) for cell in widget.get_row_at(i)]
                        for i in range(widget.row_count)]
        node["cursor"] = widget.cursor_type
    elif name in ("Static", "Label"):
        node["text"] = _shown(widget)
    elif name == "Input":
        node["value"], node["placeholder"] = widget.value, widget.placeholder
    elif name in ("Button", "Checkbox"):
        node["text"] = _text(widget.label)
    elif name == "Select":
        node["options"] = [_text(prompt) for prompt, _ in getattr(widget, "_options", [])][1:]
    elif name == "Tabs":
        node["tabs"] = [_text(tab.label) for tab in widget.query("Tab")]
    elif name == "OptionList":
        node["options"] = [_text(widget.get_option_at_index(i).prompt)
                           for i in range(widget.option_count)]
    elif name == "TextArea":
        node["text"] = widget.text
    elif name == "TabbedContent":
        node["panes"] = [{"title": _text(pane._title),
                          "children": [skeleton(c) for c in pane.children]}
                         for pane in widget.query("TabPane")]
    elif name not in LEAVES:
        node["children"] = [skeleton(c) for c in widget.children]
    return node


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
        skeletons: dict = {"order": [], "screens": {}}
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            key_floor = statistics.median(
                [await timed_ms(pilot, lambda: pilot.press("f19")) for _ in range(10)])
            figures["pilot: unbound key + idle wait, subtracted below (ms)"] = key_floor
            areas = ui_areas()
            home = next(a for a in areas if a[0] == app.current_mode)
            skeletons["home"] = {"title": home[1], "key": home[2],
                                 "screen": skeleton(app.screen)}
            for area_id, title, key in areas:
                if area_id == home[0] or key is None:
                    continue
                drawn, first_visit = await visit_ms(pilot, key)
                figures[f"screen switch: to {title}, first visit, screen drawn (ms)"] = max(
                    0.0, drawn - key_floor)
                figures[f"screen switch: to {title}, first visit, data shown (ms)"] = max(
                    0.0, first_visit - key_floor)
                skeletons["order"].append([title, key])
                skeletons["screens"][title] = skeleton(app.screen)
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
        emit({"skeletons": skeletons})
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
    times, settled = [], []
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
        settled.append((time.perf_counter() - start) * 1000)
        await pilot.press("u")
        await settle(pilot)
    status.clear()
    await settle(pilot)
    return {"workbooks: mark received, Ctrl+S to row and summary shown (ms)":
            statistics.median(times),
            "workbooks: mark received, Ctrl+S to all redrawn, Table 2 too (ms)":
            statistics.median(settled)} if times else {}


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


def build_widget(node: dict):
    """A bare Textual widget from a skeleton node, at the skeleton's size (inline styles,
    no stylesheet); DataTable rows are added on mount."""
    widget = _bare_widget(node)
    width, height = node.get("size", (0, 0))
    if node.get("display", True) and (width or height):
        widget.styles.width, widget.styles.height = width, height
    if not node.get("display", True):
        widget.display = False
    if node.get("layout"):
        widget.styles.layout = node["layout"]
    return widget


def _bare_widget(node: dict):
    from textual import containers, widgets
    from textual.widget import Widget

    name = node["type"]
    if name == "DataTable":
        table = widgets.DataTable(cursor_type=node.get("cursor", "cell"))
        table.skeleton = node
        return table
    if name in ("Static", "Label"):
        return getattr(widgets, name)(node.get("text", ""), markup=False)
    if name == "Input":
        return widgets.Input(node.get("value", ""), placeholder=node.get("placeholder", ""))
    if name == "Button":
        return widgets.Button(node.get("text", ""))
    if name == "Checkbox":
        return widgets.Checkbox(node.get("text", ""))
    if name == "Select":
        return widgets.Select([(o, n) for n, o in enumerate(node.get("options", []))])
    if name == "Tabs":
        return widgets.Tabs(*node.get("tabs", []))
    if name == "OptionList":
        return widgets.OptionList(*node.get("options", []))
    if name == "TextArea":
        return widgets.TextArea(node.get("text", ""))
    if name == "TabbedContent":
        tabbed = widgets.TabbedContent()
        for pane in node.get("panes", []):  # what `with TabbedContent(): yield TabPane` does
            tabbed.compose_add_child(
                widgets.TabPane(pane["title"], *[build_widget(c) for c in pane["children"]]))
        return tabbed
    if name in LEAVES:
        try:
            return getattr(widgets, name)()
        except Exception:  # noqa: BLE001 (a widget that needs arguments: a plain box)
            return Widget()
    children = [build_widget(c) for c in node.get("children", [])]
    cls = getattr(containers, name, None) or getattr(widgets, name, None) or Widget
    try:
        return cls(*children)
    except TypeError:
        return containers.Vertical(*children)


def fill_tables(screen) -> None:
    from textual.widgets import DataTable

    for table in screen.query(DataTable):
        node = getattr(table, "skeleton", None)
        if node:
            table.add_columns(*node["columns"])
            table.add_rows(node["rows"])


def screens_mode() -> None:
    """The screens' floor: the skeletons the app child printed (stdin), as bare screens."""
    from textual.app import App
    from textual.binding import Binding
    from textual.containers import Vertical
    from textual.screen import ModalScreen, Screen
    from textual.widgets import DataTable, Input, Static

    skeletons = json.loads(sys.stdin.read())
    order = [(title, key) for title, key in skeletons["order"] if key]
    home = skeletons["home"]
    modes = {f"m{n}": title for n, (title, _) in enumerate(order)}

    class OneField(ModalScreen[str]):
        BINDINGS = [Binding("ctrl+s", "save", "Save")]

        def compose(self):
            with Vertical():
                yield Static("Received on")
                yield Input("2026-11-30")

        def action_save(self) -> None:
            self.dismiss(self.query_one(Input).value)

    class FloorScreen(Screen[None]):
        BINDINGS = [Binding("r", "receive", "Received")]

        def __init__(self, node: dict) -> None:
            super().__init__()
            self.node = node
            self.saves = 0

        def compose(self):
            for child in self.node.get("children", []):
                yield build_widget(child)

        def on_mount(self) -> None:
            fill_tables(self)

        def action_receive(self) -> None:
            self.app.push_screen(OneField(), self.received)

        def received(self, value: str | None) -> None:
            """Update the row under the cursor and the summary line in place."""
            self.saves += 1
            table = next(t for t in self.query(DataTable) if t.row_count)
            row = table.cursor_coordinate.row
            table.update_cell_at((row, min(4, len(table.columns) - 1)),
                                 f"received {self.saves}")
            table.update_cell_at((row, min(5, len(table.columns) - 1)), value)
            summary = next(s for s in self.query(Static) if type(s) is Static)
            summary.update(f"{self.saves} received · {value}")

    class ScreensFloor(App[None]):
        MODES = {"home": lambda: FloorScreen(home["screen"])} | {
            mode: (lambda t=title: FloorScreen(skeletons["screens"][t]))
            for mode, title in modes.items()}
        DEFAULT_MODE = "home"
        BINDINGS = [Binding(home["key"], "switch_mode('home')", home["title"])] + [
            Binding(key, f"switch_mode('m{n}')", title)
            for n, (title, key) in enumerate(order)]

    async def main() -> dict[str, float]:
        app = ScreensFloor()
        figures: dict[str, float] = {}
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            key_floor = statistics.median(
                [await timed_ms(pilot, lambda: pilot.press("f19")) for _ in range(10)])
            for title, key in order:
                drawn, shown = await visit_ms(pilot, key)
                figures[f"floor: {title}, first visit, screen drawn (ms)"] = max(
                    0.0, drawn - key_floor)
                figures[f"floor: {title}, first visit, data shown (ms)"] = max(
                    0.0, shown - key_floor)
                again = []
                for _ in range(3):
                    await pilot.press(home["key"])
                    await settle(pilot)
                    again.append(await timed_settled_ms(pilot, lambda k=key: pilot.press(k)))
                figures[f"floor: {title}, again (ms)"] = max(
                    0.0, statistics.median(again) - key_floor)
            keys = dict(order)
            if "Workbooks" in keys:
                await pilot.press(keys["Workbooks"])
                await settle(pilot)
                figures |= await floor_mark_received(app, pilot)
        return figures

    emit({"figures": asyncio.run(main())})


async def floor_mark_received(app, pilot) -> dict[str, float]:
    """The floor of mark received: a one-field modal saved with Ctrl+S, then one row's cells
    and a summary line updated in place."""
    from textual.widgets import DataTable, Static

    screen = app.screen
    tables = [t for t in screen.query(DataTable) if t.row_count]
    if not tables:
        return {}
    table = tables[0]
    table.focus()
    summary = next(s for s in screen.query(Static) if type(s) is Static)
    times = []
    for _ in range(5):
        before_row = [str(c) for c in table.get_row_at(table.cursor_coordinate.row)]
        before_summary = str(summary.content)
        await pilot.press("r")
        while app.screen is screen:
            await asyncio.sleep(0.001)
        await settle(pilot)
        start = time.perf_counter()
        await pilot.press("ctrl+s")
        deadline = start + 10
        while time.perf_counter() < deadline:
            row_now = [str(c) for c in table.get_row_at(table.cursor_coordinate.row)]
            if row_now != before_row and str(summary.content) != before_summary:
                break
            await asyncio.sleep(0.001)
        times.append((time.perf_counter() - start) * 1000)
        await settle(pilot)
    return {"floor: mark received, one-field modal + row and summary updated (ms)":
            statistics.median(times)}


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
    elif mode == "screens":
        screens_mode()
    else:
        floor_mode(int(argument))
