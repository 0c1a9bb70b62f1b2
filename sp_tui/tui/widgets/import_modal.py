"""Import a spreadsheet in the app: pick the file, see which import it is (detected from its
columns, or chosen), preview its first rows, answer each value that is not in its list (map
it to a list value, closest first, or add it to the list), then import it all or nothing in
a worker. The same service functions as `sp-tui import KIND FILE --map … --add-new …`: a
mapping chosen here is remembered as an alias for later imports."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import (
    Button, DataTable, Input, Label, OptionList, ProgressBar, Select, Static,
)
from textual.widgets.option_list import Option

from sp_tui.areas import ImportKind, import_kinds
from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.imports.matching import Unknown, UnknownValues

PREVIEW_ROWS = 5
SUFFIXES = (".csv", ".xlsx", ".xlsm")
ADD = "\x00add"
"""The choice "add it to the list" in an unknown value's select."""


def detect(header: list[str]) -> list[ImportKind]:
    """The import kinds whose required columns the header holds, best first (the most of its
    columns used; ties in dependency order)."""
    present = set(header)
    fits = [(len(present & {*k.format.required, *k.format.optional}), n, k)
            for n, k in enumerate(import_kinds())
            if set(k.format.required) <= present]
    return [k for _, _, k in sorted(fits, key=lambda f: (-f[0], f[1]))]


def kind_named(name: str) -> ImportKind:
    return next(k for k in import_kinds() if k.kind == name)


class PathSuggester(Suggester):
    """Completes the last part of a path from what is on disk (folders, CSV and xlsx)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        path = Path(value).expanduser()
        folder, stem = (path, "") if value.endswith(os.sep) else (path.parent, path.name)
        try:
            names = sorted(e.name + (os.sep if e.is_dir() else "")
                           for e in os.scandir(folder)
                           if e.name.startswith(stem) and not e.name.startswith(".")
                           and (e.is_dir() or e.name.lower().endswith(SUFFIXES)))
        except OSError:
            return None
        if not names or names[0] == stem:
            return None
        return value[: len(value) - len(stem)] + names[0]


def folder_entries(folder: Path) -> list[Path]:
    """A folder's subfolders, then its CSV and xlsx files (hidden ones left out), by name."""
    try:
        entries = [Path(e.path) for e in os.scandir(folder) if not e.name.startswith(".")
                   and (e.is_dir() or e.name.lower().endswith(SUFFIXES))]
    except OSError:
        return []
    return sorted(entries, key=lambda p: (not p.is_dir(), p.name.casefold()))


@dataclass
class _Read:
    path: Path
    kind: ImportKind
    detected: list[ImportKind]
    rows: list[tuple[int, dict[str, object]]]
    unknown: list[Unknown] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)
    """Each unknown value's column: every value of its list."""


class ImportModal(ModalScreen[str | None]):
    """Dismisses with what was imported (a sentence), or None when closed first."""

    DEFAULT_CSS = """
    ImportModal { align: center middle; }
    ImportModal > Vertical {
        width: 110; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ImportModal .title { text-style: bold; }
    ImportModal #file-row, ImportModal #buttons { height: auto; }
    ImportModal #path { width: 1fr; }
    ImportModal #kind { width: 28; margin-left: 1; }
    ImportModal #tree { height: 10; }
    ImportModal.-short #tree { height: 6; }
    ImportModal.-read #tree { display: none; }
    ImportModal #preview { height: auto; max-height: 8; overflow-x: hidden; }
    ImportModal #unknowns { height: auto; max-height: 14; }
    ImportModal.-short #unknowns { max-height: 8; }
    ImportModal .unknown { height: auto; }
    ImportModal .unknown { padding-top: 1; }
    ImportModal .unknown Select { width: 60; max-width: 100%; }
    ImportModal #message { height: auto; max-height: 8; }
    ImportModal #buttons { align-horizontal: right; }
    ImportModal Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "run_import", "Import", priority=True),
    ]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path(".")
        self.read: _Read | None = None
        self.folder = self.start

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import a spreadsheet (CSV or xlsx): all rows or none", classes="title")
            with Horizontal(id="file-row"):
                yield Input(placeholder="File: type a path (Tab completes) or pick below",
                            suggester=PathSuggester(), id="path", compact=True)
                yield Select([(k.kind, k.kind) for k in import_kinds()],
                             prompt="Kind: from the columns", id="kind", compact=True)
            yield OptionList(id="tree")
            yield DataTable(id="preview", show_cursor=False, zebra_stripes=True)
            yield Static("", id="message")
            yield VerticalScroll(id="unknowns")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            with Horizontal(id="buttons"):
                yield Button("Close (Esc)", id="close", compact=True)
                yield Button("Import (Ctrl+S)", id="import", variant="primary", disabled=True,
                             compact=True)

    def on_mount(self) -> None:
        self.show_folder(self.start)
        self.query_one("#progress").display = False
        self.query_one("#preview").display = False
        self.query_one("#path", Input).focus()

    # -- picking the file and the kind ---------------------------------------------------------
    @on(Input.Submitted, "#path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.load(event.value)

    def show_folder(self, folder: Path) -> None:
        """List a folder's subfolders and spreadsheets to pick from (Enter or a click)."""
        self.folder = folder
        files = self.query_one("#tree", OptionList)
        files.clear_options()
        files.add_option(Option(Text(f"..{os.sep}  (in {folder})", style="dim"), id=".."))
        for path in folder_entries(folder):
            label = path.name + (os.sep if path.is_dir() else "")
            files.add_option(Option(Text(label, style="bold" if path.is_dir() else ""),
                                    id=str(path)))

    @on(OptionList.OptionSelected, "#tree")
    def _file_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id or ""
        path = Path(os.path.normpath(self.folder / "..")) if chosen == ".." else Path(chosen)
        self.query_one("#path", Input).value = str(path) + (os.sep if path.is_dir() else "")
        if path.is_dir():
            self.show_folder(path)
        else:
            self.load(str(path))

    @on(Select.Changed, "#kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        event.stop()
        if self.read is not None and event.value is not Select.NULL \
                and event.value != self.read.kind.kind:
            self.load(str(self.read.path), kind=str(event.value))

    def load(self, text: str, kind: str | None = None) -> None:
        text = text.strip()
        if not text:
            self._say(Text("Give the file's path.", style="red"))
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self.remove_class("-read")
            self.show_folder(path)
            self._say(Text(f"{path} is a folder: pick a file in it."))
            return
        self._busy(f"Reading {path.name}…")
        self._read_file(path, kind)

    @work(thread=True, exclusive=True, group="import")
    def _read_file(self, path: Path, kind_name: str | None) -> None:
        from sp_tui.imports.reader import read_header, read_table
        from sp_tui.services.import_lists import columns_for, match_rows

        try:
            detected = detect(read_header(path))
            if kind_name is not None:
                kind = kind_named(kind_name)
            elif detected:
                kind = detected[0]
            else:
                raise ImportFailed([(1, "the columns fit no import: pick its kind above (the"
                                        " README lists each import's columns)")])
            fmt = kind.format
            rows = read_table(path, fmt.required, fmt.optional, sheet=kind.kind,
                              progress=lambda n: self.app.call_from_thread(self._progress, n))
            read = _Read(path, kind, detected, rows)
            if kind.matches:
                with self.app.snapshot() as db:  # type: ignore[attr-defined]
                    read.unknown = match_rows(db, kind.kind, rows).unknown
                    columns = columns_for(db, kind.kind)
                    read.lists = {u.column: list(columns[u.column].values)
                                  for u in read.unknown}
        except (ImportFailed, ValidationError) as exc:
            self.app.call_from_thread(self._failed, _lines(exc))
        else:
            self.app.call_from_thread(self._show_read, read)

    def _show_read(self, read: _Read) -> None:
        self._idle()
        self.read = read
        self.add_class("-read")
        kind = self.query_one("#kind", Select)
        with kind.prevent(Select.Changed):
            kind.value = read.kind.kind
        self._show_preview(read)
        self._show_unknowns(read)
        others = [k.kind for k in read.detected if k is not read.kind]
        text = Text(f"{read.path.name}: {len(read.rows):,} rows for ")
        text.append(f"sp-tui import {read.kind.kind}", style="bold")
        text.append(" (detected from its columns)" if read.detected[:1] == [read.kind] else "")
        if others:
            text.append(f"; its columns also fit: {', '.join(others)}")
        text.append(".\n")
        if read.unknown:
            text.append(f"{len(read.unknown)} value(s) are not in their lists: choose a list"
                        " value for each (closest first) or add it; the choice is remembered"
                        " for later imports.", style="yellow")
        else:
            text.append("Every listed value matches. Ctrl+S imports the file (nothing is"
                        " written if any row is wrong).")
        self._say(text)
        self.query_one("#import", Button).disabled = False

    def _show_preview(self, read: _Read) -> None:
        table = self.query_one("#preview", DataTable)
        table.clear(columns=True)
        columns = [c for c in (*read.kind.format.required, *read.kind.format.optional)
                   if any(c in fields for _, fields in read.rows[:PREVIEW_ROWS])]
        table.add_columns("Row", *columns)
        for number, fields in read.rows[:PREVIEW_ROWS]:
            table.add_row(str(number), *[Text(_cell(fields.get(c))) for c in columns])
        table.styles.height = min(len(read.rows), PREVIEW_ROWS) + 1
        table.display = bool(read.rows)

    def _show_unknowns(self, read: _Read) -> None:
        box = self.query_one("#unknowns", VerticalScroll)
        box.remove_children()
        widgets = []
        for n, unknown in enumerate(read.unknown):
            options: list[tuple[str, str]] = [(f"→ {c}", c) for c in unknown.closest]
            if unknown.extendable:
                options.append((f"+ add {unknown.value!r} to the list", ADD))
            options += [(v, v) for v in read.lists.get(unknown.column, [])
                        if v not in unknown.closest]
            rows = ", ".join(str(r) for r in unknown.rows[:3])
            rows += ", …" if len(unknown.rows) > 3 else ""
            label = Text(f"{unknown.column} ", style="bold")
            label.append(repr(unknown.value))
            label.append(f"  ({len(unknown.rows)} row{'s' if len(unknown.rows) != 1 else ''}:"
                         f" {rows})", style="dim")
            widgets.append(Vertical(Label(label),
                                      Select(options, prompt="Choose…", id=f"unknown-{n}",
                                             compact=True),
                                      classes="unknown"))
        if widgets:
            box.mount_all(widgets)
        box.display = bool(widgets)

    # -- importing ---------------------------------------------------------------------------
    def action_run_import(self) -> None:
        read = self.read
        if read is None or self.query_one("#import", Button).disabled:
            return
        mapping: dict[str, dict[str, str]] = {}
        add_new: list[str] = []
        missing = []
        for n, unknown in enumerate(read.unknown):
            value = self.query_one(f"#unknown-{n}", Select).value
            if value is Select.NULL:
                missing.append(unknown)
            elif value == ADD:
                if unknown.column not in add_new:
                    add_new.append(unknown.column)
            else:
                mapping.setdefault(unknown.column, {})[unknown.value] = str(value)
        if missing:
            first = missing[0]
            self._say(Text(f"Choose what {first.column} {first.value!r} means"
                           f" ({len(missing)} value(s) left).", style="red"))
            self.query_one(f"#unknown-{read.unknown.index(first)}", Select).focus()
            return
        self._busy(f"Checking and writing {len(read.rows):,} rows…")
        self._import(read, mapping, add_new)

    @work(thread=True, exclusive=True, group="import")
    def _import(self, read: _Read, mapping: dict[str, dict[str, str]],
                add_new: list[str]) -> None:
        from sp_tui.store.connection import db_file, open_db

        db = open_db(db_file(self.app.db), migrate=False)  # type: ignore[attr-defined]
        try:
            matching: dict[str, Any] = ({"mapping": mapping, "add_new": add_new}
                                        if read.kind.matches else {})
            result = read.kind.importer(db, read.rows, source=f"import {read.path.name}",
                                        **matching)
        except UnknownValues as exc:
            self.app.call_from_thread(self._more_unknowns, read, exc)
        except (ImportFailed, ValidationError) as exc:
            self.app.call_from_thread(self._failed, _lines(exc))
        else:
            summary = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in result.items())
            self.app.call_from_thread(self._imported, f"Imported {read.path.name}"
                                                      f" ({read.kind.kind}): {summary}.")
        finally:
            db.close()

    def _more_unknowns(self, read: _Read, exc: UnknownValues) -> None:
        self._idle()
        read.unknown = exc.unknown
        self._show_unknowns(read)
        self._failed(_lines(exc))

    def _imported(self, message: str) -> None:
        self._idle()
        check = getattr(self.app, "check_external_changes", None)
        if check is not None:  # written on the worker's connection: refresh the screens
            check()
        self.dismiss(message)

    # -- state and messages -------------------------------------------------------------------
    def _failed(self, lines: list[str]) -> None:
        self._idle()
        shown = lines[:12] + ([f"… and {len(lines) - 12} more"] if len(lines) > 12 else [])
        self._say(Text("Nothing was imported:\n" + "\n".join(shown), style="red"))

    def _progress(self, rows: int) -> None:
        self.query_one("#progress", ProgressBar).update(progress=rows)

    def _say(self, text: Text) -> None:
        self.query_one("#message", Static).update(text)

    def _busy(self, message: str) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#import", Button).disabled = True
        self._say(Text(message))

    def _idle(self) -> None:
        self.query_one("#progress").display = False
        self.query_one("#import", Button).disabled = self.read is None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import":
            self.action_run_import()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def _lines(exc: Exception) -> list[str]:
    if isinstance(exc, ImportFailed):
        return exc.lines()
    if isinstance(exc, ValidationError):
        return [exc.summary()]
    return [str(exc)]
