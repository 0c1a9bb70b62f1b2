"""Merge from a file: pick it, see what a dry run finds, confirm, merge in a worker."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Static

from sp_tui.domain.errors import ValidationError
from sp_tui.services.merge import MergeResult
from sp_tui.tui.context import AppContext


class MergeModal(ModalScreen[MergeResult | None]):
    """Dismisses with the merge's result once written, or None when closed without merging.

    Both the dry run and the merge run in a worker thread on their own connection, so the
    app stays responsive while a big copy is read.
    """

    DEFAULT_CSS = """
    MergeModal { align: center middle; }
    MergeModal > Vertical {
        width: 84; max-width: 95%; height: auto; border: thick $primary; background: $surface;
        padding: 1 2;
    }
    MergeModal .title { text-style: bold; margin-bottom: 1; }
    MergeModal #message { margin-top: 1; }
    MergeModal #progress { margin-top: 1; }
    MergeModal Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    MergeModal Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Merge from another copy of the database", classes="title")
            yield Label("File (a laptop's copy, made with sp-tui db copy)")
            yield Input(placeholder="/media/usb/laptop.sqlite", id="path")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            yield Static("", id="message")
            with Horizontal():
                yield Button("Close (Esc)", id="close")
                yield Button("Check (Enter)", id="check", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self.query_one("#path", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "check":
            self.action_check()
        else:
            self.action_close()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_check(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._show_error("Give the path of the other copy's file.")
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self._show_error(f"{path} does not exist or is not a file.")
            return
        self._busy(f"Reading {path}…")
        self.run_merge(path, dry_run=True)

    def _show_error(self, message: str) -> None:
        self.query_one("#message", Static).update(Text(message, style="red"))

    def _busy(self, message: str) -> None:
        self.query_one("#progress").display = True
        self.query_one("#check", Button).disabled = True
        self.query_one("#message", Static).update(Text(message))

    def _idle(self) -> None:
        self.query_one("#progress").display = False
        self.query_one("#check", Button).disabled = False

    @work(thread=True, exclusive=True, group="merge")
    def run_merge(self, path: Path, dry_run: bool) -> None:
        from sp_tui.services.merge import merge_database
        from sp_tui.store.connection import db_file, open_db

        db = open_db(db_file(cast(AppContext, self.app).db), migrate=False)
        try:
            result = merge_database(db, path, dry_run=dry_run, source=f"merge {path.name}")
        except (ValidationError, OSError) as exc:
            message = exc.summary() if isinstance(exc, ValidationError) else str(exc)
            self.app.call_from_thread(self._failed, message)
        else:
            self.app.call_from_thread(self._dry_run_done if dry_run else self._merged, result)
        finally:
            db.close()

    def _failed(self, message: str) -> None:
        self._idle()
        self._show_error(f"Nothing was merged: {message}")

    def _dry_run_done(self, result: MergeResult) -> None:
        from sp_tui.reports.conflicts import merge_summary_lines
        from sp_tui.tui.widgets.confirm import ConfirmModal

        self._idle()
        lines = merge_summary_lines(result)
        self.query_one("#message", Static).update(Text("\n".join(lines)))
        if not result.changed:
            return
        body = "\n".join([*lines, "", "A backup of this database is taken first. Records in"
                          " conflict are left as they are here and listed on the Conflicts"
                          " screen."])

        def answered(yes: bool | None) -> None:
            if yes:
                self._busy(f"Merging {result.source}…")
                self.run_merge(Path(result.source), dry_run=False)

        # The dry run above showed what happens and a backup is taken: Enter merges.
        self.app.push_screen(ConfirmModal(f"Merge {result.source.name} into this database?",
                                          body, yes_label="Merge", default="yes",
                                          cancelled="Nothing was merged."), answered)

    def _merged(self, result: MergeResult) -> None:
        self._idle()
        self.dismiss(result)
