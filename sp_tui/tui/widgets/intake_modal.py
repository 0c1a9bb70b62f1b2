"""Workbooks out and in, in the app: write the quarter's workbook templates; take in a folder
of returned workbooks (pick the folder, see what would happen, confirm).

The files are read in a worker thread (no database connection needed there); the dry run
and the intake itself run on the app's connection, so the screens refresh on the commit, and
the intake applies exactly the files that were shown.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Input, Label, ProgressBar, Static

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.services.workbook_intake import (
    FileReading, IntakeResult, intake_rows, received_dates_note, run_intake,
)
from sp_tui.tui.context import AppContext

OUTCOME_STYLES = {"received": "bold green", "corrected": "green", "skipped": "dim",
                  "conflict": "bold yellow", "rejected": "bold red"}
SHOWN = (0, 1, 2, 5, 6, 7)   # File, Outcome, Ref, Received, Figures, Reason
WIDTHS = {0: 22, 1: 9, 2: 8, 5: 10, 6: 9}   # the reason takes the rest


def _short(text: str, width: int | None) -> Text:
    """A cell as plain text, cut with an ellipsis to its column (a long file name)."""
    if width and len(text) > width:
        text = text[:width - 1] + "…"
    return Text(text)


class IntakeModal(ModalScreen[IntakeResult | None]):
    """Dismisses with the intake's result once written, or None when closed without it."""

    DEFAULT_CSS = """
    IntakeModal { align: center middle; }
    IntakeModal > Vertical {
        width: 110; max-width: 98%; height: auto; max-height: 98%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    IntakeModal .title { text-style: bold; }
    IntakeModal #in-options { height: auto; }
    IntakeModal #in-options Input { width: 1fr; }
    IntakeModal #in-date { max-width: 24; }
    IntakeModal Checkbox { width: auto; border: none; padding: 0; }
    IntakeModal #in-results { height: auto; max-height: 12; }
    IntakeModal #in-message { height: auto; max-height: 4; }
    IntakeModal #in-detail { height: auto; max-height: 3; color: $text-muted; }
    IntakeModal Horizontal#in-buttons { height: auto; align-horizontal: right; }
    IntakeModal Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, quarter: Quarter, today: date, folder: str = "") -> None:
        super().__init__()
        self.quarter = quarter
        self.today = today
        self.initial = folder
        self.readings: list[FileReading] | None = None
        self.preview: IntakeResult | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Intake of returned workbooks ({self.quarter.label} only)",
                        classes="title")
            with Horizontal(id="in-options"):
                yield Input(self.initial, placeholder="Folder of returned workbooks",
                            id="in-folder")
                yield Input(placeholder="Date (blank: file's)", id="in-date")
            with Horizontal(id="in-options-2", classes="toolbar"):
                yield Checkbox("Reject invalid ones, with letters", id="in-letters")
                yield Checkbox("Apply conflicts as corrections", id="in-correct")
            yield ProgressBar(total=None, show_eta=False, id="in-progress")
            yield DataTable(id="in-results", zebra_stripes=True, cursor_type="row")
            yield Static("", id="in-detail")
            yield Static("", id="in-message")
            with Horizontal(id="in-buttons"):
                yield Button("Close (Esc)", id="in-close")
                yield Button("Check (Enter)", id="in-check", variant="primary")
                yield Button("Receive…", id="in-apply", variant="success", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#in-progress").display = False
        self.query_one("#in-results").display = False
        self.query_one("#in-options-2").styles.height = "auto"
        self.query_one("#in-folder", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "in-check":
            self.action_check()
        elif event.button.id == "in-apply":
            self.action_apply()
        else:
            self.action_close()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted file's whole row (the table cuts long names and reasons)."""
        if self.preview is None or event.cursor_row < 0:
            return
        rows = intake_rows(self.preview)
        if event.cursor_row < len(rows):
            file, outcome, *_, reason = rows[event.cursor_row]
            self.query_one("#in-detail", Static).update(Text(f"{file}: {outcome}. {reason}"))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if self.readings is not None:
            self._preview()   # the options change what would happen

    def action_close(self) -> None:
        self.dismiss(None)

    def _options(self) -> dict:
        return {"received": self.query_one("#in-date", Input).value.strip() or None,
                "reject_letters": self.query_one("#in-letters", Checkbox).value,
                "correct_conflicts": self.query_one("#in-correct", Checkbox).value}

    def action_check(self) -> None:
        text = self.query_one("#in-folder", Input).value.strip()
        if not text:
            self._show_error("Give the folder holding the returned workbooks.")
            return
        folder = Path(text).expanduser()
        if not folder.is_dir():
            self._show_error(f"{folder} is not a folder.")
            return
        self.readings = None
        self.query_one("#in-apply", Button).disabled = True
        self.query_one("#in-progress").display = True
        self.query_one("#in-check", Button).disabled = True
        self.query_one("#in-message", Static).update(Text(f"Reading {folder}…"))
        self.read_files(folder)

    @work(thread=True, exclusive=True, group="intake")
    def read_files(self, folder: Path) -> None:
        from sp_tui.services.workbook_intake import read_folder
        from sp_tui.services.workbook_templates import identity_key
        from sp_tui.store.connection import connect_read_only, db_file

        try:
            path = db_file(cast(AppContext, self.app).db)
            if path is None:
                raise ValidationError("the database has no file")
            db = connect_read_only(path)
            try:
                key = identity_key(db)
            finally:
                db.close()
            readings = read_folder(folder, key)
        except (ValidationError, OSError, sqlite3.Error) as exc:
            message = exc.summary() if isinstance(exc, ValidationError) else str(exc)
            self.app.call_from_thread(self._failed, message)
            return
        self.app.call_from_thread(self._read, folder, readings)

    def _failed(self, message: str) -> None:
        self._idle()
        self._show_error(f"Nothing was read: {message}")

    def _idle(self) -> None:
        self.query_one("#in-progress").display = False
        self.query_one("#in-check", Button).disabled = False

    def _read(self, folder: Path, readings: list[FileReading]) -> None:
        self._idle()
        self.folder = folder
        self.readings = readings
        self._preview()

    def _run(self, dry_run: bool) -> IntakeResult:
        return run_intake(cast(AppContext, self.app).db, self.folder, quarter=self.quarter,
                          dry_run=dry_run, today=self.today, source="tui", readings=self.readings,
                          **self._options())

    def _preview(self) -> None:
        try:
            result = self._run(dry_run=True)
        except ValidationError as exc:
            self._show_error(exc.summary())
            self.query_one("#in-apply", Button).disabled = True
            return
        self.preview = result
        self.query_one("#in-detail", Static).update("")
        table = self.query_one("#in-results", DataTable)
        table.clear(columns=True)
        from sp_tui.services.workbook_intake import INTAKE_COLUMNS

        for index in SHOWN:
            table.add_column(INTAKE_COLUMNS[index], key=INTAKE_COLUMNS[index].lower(),
                             width=WIDTHS.get(index))
        for row in intake_rows(result):
            table.add_row(*[Text(row[i], style=OUTCOME_STYLES.get(row[i], ""))
                            if i == 1 else _short(row[i], WIDTHS.get(i)) for i in SHOWN])
        table.display = bool(result.items)
        note = received_dates_note(result, bool(self._options()["received"]))
        lines = [result.summary().replace(" (dry run: nothing written)", ""),
                 "Nothing has been written yet." + (f" {note}" if note else "")]
        self.query_one("#in-message", Static).update(Text("\n".join(lines)))
        self.query_one("#in-apply", Button).disabled = not any(i.action for i in result.items)

    def action_apply(self) -> None:
        from sp_tui.tui.widgets.confirm import ConfirmModal

        result = self.preview
        if result is None or not any(i.action for i in result.items):
            return
        counts = result.counts
        letters = sum(1 for i in result.items if i.action == "reject")
        parts = [f"receive {counts['received']}"] if counts["received"] else []
        if counts["corrected"]:
            parts.append(f"correct {counts['corrected']}")
        if letters:
            parts.append(f"reject {letters} with letters")
        body = "\n".join(filter(None, [
            received_dates_note(result, bool(self._options()["received"])),
            "All of it is one transaction: all or nothing. The files are only read.",
            f"{counts['skipped']} skipped, {counts['conflict']} conflict(s) and"
            f" {counts['rejected'] - letters} other rejection(s) are not written."]))

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply()

        self.app.push_screen(ConfirmModal(f"Intake: {', '.join(parts)}?", body,
                                          yes_label="Receive", default="yes",
                                          cancelled="Nothing was received."), answered)

    def _apply(self) -> None:
        try:
            result = self._run(dry_run=False)
        except (ValidationError, OSError, sqlite3.Error) as exc:
            message = exc.summary() if isinstance(exc, ValidationError) else str(exc)
            self._show_error(f"Nothing was received: {message}")
            return
        where = "".join(f"; letters in {f}" for f in result.letters_folders)
        self.app.notify(result.summary() + where, title="Intake done", timeout=8,
                        markup=False)
        self.dismiss(result)

    def _show_error(self, message: str) -> None:
        self.query_one("#in-message", Static).update(Text(message, style="red"))


def write_templates_in_app(screen) -> None:
    """Ask, then write the quarter's templates to the outbox (asking again before replacing
    files of the same name)."""
    from sp_tui.services.workbook_templates import (
        expected_templates, templates_folder, write_templates,
    )
    from sp_tui.tui.widgets.confirm import ConfirmModal

    db, quarter = screen.ctx.db, screen.ctx.quarter
    specs = expected_templates(db, quarter)
    if not specs:
        screen.notify(f"No workbooks are expected for {quarter.label}.", title="No templates")
        return
    folder = templates_folder(db, quarter)
    existing = folder.exists() and any((folder / s.filename).exists() for s in specs)

    def write(force: bool) -> None:
        try:
            run = write_templates(db, quarter, force=force, source="tui")
        except (ValidationError, OSError, sqlite3.Error) as exc:
            message = exc.summary() if isinstance(exc, ValidationError) else str(exc)
            screen.notify(message, severity="error", title="Nothing was written",
                          markup=False)
            return
        screen.notify(f"{len(run.specs)} workbooks and mail-merge.csv in {run.folder}",
                      title="Templates written", timeout=8, markup=False)

    def answered(yes: bool | None) -> None:
        if yes:
            write(existing)

    title = (f"Write {len(specs)} workbook templates for {quarter.label}?" if not existing
             else f"Replace the {quarter.label} workbook templates in {folder}?")
    body = (f"One pre-filled xlsx per expected workbook, and mail-merge.csv, into {folder}."
            " Providers fill in two cells; the intake reads them back.")
    screen.app.push_screen(ConfirmModal(title, body, yes_label="Write",
                                        default="no" if existing else "yes",
                                        cancelled="No templates were written."), answered)
