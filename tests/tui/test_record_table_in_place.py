"""RecordTable updates a reload in place when the records are the same ones in the same order,
a few gone (a workbook marked received leaves a filtered list) and new ones after them: the
table is not refilled, and the cursor stays on the row it was on."""

from __future__ import annotations

from rich.text import Text
from textual.app import App

from sp_tui.tui.widgets.record_table import RecordTable


class _Host(App[None]):
    def compose(self):
        table = RecordTable(id="t")
        table.set_columns([("Ref", "ref"), ("Status", "status")])
        yield table


def rows(*pairs):
    return [(key, [key.upper(), status]) for key, status in pairs]


def shown(table: RecordTable) -> list[tuple[str, str]]:
    return [(str(row.key.value), str(table.get_row(row.key)[1])) for row in table.ordered_rows]


async def test_rows_gone_and_added_below_are_updated_without_a_refill(monkeypatch):
    app = _Host()
    async with app.run_test() as pilot:
        table = app.query_one(RecordTable)
        table.load(rows(("a", "overdue"), ("b", "overdue"), ("c", "overdue"), ("d", "late")))
        await pilot.pause()
        table.move_cursor(row=1)
        cleared = []
        monkeypatch.setattr(table, "clear", lambda *a, **k: cleared.append(1))
        table.load(rows(("a", "overdue"), ("c", "reminded"), ("d", "late"), ("e", "overdue")))
        await pilot.pause()
        assert cleared == []
        assert shown(table) == [("a", "overdue"), ("c", "reminded"), ("d", "late"),
                                ("e", "overdue")]
        assert table.selected_key() == "c"  # b was under the cursor: the next row now


async def test_a_different_order_refills_the_table():
    app = _Host()
    async with app.run_test() as pilot:
        table = app.query_one(RecordTable)
        table.load(rows(("a", "x"), ("b", "y"), ("c", "z")))
        await pilot.pause()
        table.load(rows(("c", "z"), ("a", "x"), ("b", "y")))
        await pilot.pause()
        assert shown(table) == [("c", "z"), ("a", "x"), ("b", "y")]
        table.load([(k, [Text(k), Text("new")]) for k in ("c", "a", "b")])
        await pilot.pause()
        assert shown(table) == [("c", "new"), ("a", "new"), ("b", "new")]
