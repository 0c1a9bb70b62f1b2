"""Export the quarter summary from the app: pick quarter and path, watch progress, see the path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Static

from sp_tui.domain.quarters import Quarter, parse_quarter
from sp_tui.tui.context import AppContext


def export_folder() -> Path:
    """Where exports go unless told otherwise: the user's documents folder (platformdirs),
    else the home folder; never the directory the app happened to start in."""
    from platformdirs import user_documents_dir

    try:
        folder = Path(user_documents_dir())
    except Exception:  # no desktop folders configured
        folder = Path.home()
    return folder if folder.is_dir() else Path.home()


class FileExportModal(ModalScreen[Path | None]):
    """Pick quarter and file, confirm before replacing a file, write in a worker thread on
    its own connection (the app stays responsive), show progress and the path written.

    A subclass names what it writes (``WHAT``, ``SUFFIX``, ``STEM``), its one option
    checkbox, and does the writing in ``write``."""

    DEFAULT_CSS = """
    FileExportModal { align: center middle; }
    FileExportModal > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    FileExportModal .title { text-style: bold; margin-bottom: 1; }
    FileExportModal Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    FileExportModal Button { margin-left: 2; }
    FileExportModal #result { margin-top: 1; }
    FileExportModal #progress { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "close", "Close"), Binding("ctrl+s", "export", "Export")]

    WHAT = ""            # "the quarter summary (xlsx)"
    SUFFIX = ""          # ".xlsx"
    STEM = ""            # "sp-tui-Q{n}"
    OPTION = ("", True)  # the checkbox's label and default value
    DONE = ""            # the toast's title: "Quarter summary"

    def __init__(self, quarter: Quarter) -> None:
        super().__init__()
        self.quarter = quarter

    def compose(self) -> ComposeResult:
        default = export_folder() / (self.STEM.format(n=self.quarter.number) + self.SUFFIX)
        label, value = self.OPTION
        with Vertical():
            yield Label(f"Export {self.WHAT}", classes="title")
            yield Label("Quarter")
            yield Input(str(self.quarter.number), id="quarter")
            yield Label("File")
            yield Input(str(default), id="path")
            yield Checkbox(label, value=value, id="option")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            yield Static("", id="result")
            with Horizontal():
                yield Button("Close (Esc)", id="close")
                yield Button("Export (Ctrl+S)", id="export", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self.query_one("#path", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self.action_export()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        result = self.query_one("#result", Static)
        try:
            quarter = parse_quarter(self.query_one("#quarter", Input).value)
        except ValueError as exc:
            result.update(Text(str(exc), style="red"))
            return
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.name or path.is_dir():
            result.update(Text(f"Give a file name ending in {self.SUFFIX}", style="red"))
            return
        if path.suffix.lower() != self.SUFFIX:
            path = path.with_suffix(self.SUFFIX)
        option = self.query_one("#option", Checkbox).value
        if path.exists():
            from sp_tui.tui.widgets.confirm import ConfirmModal

            def answered(replace: bool | None) -> None:
                if replace:
                    self._start(quarter, path, option)
                else:
                    result.update(Text("Not written: pick another file name.", style="yellow"))

            self.app.push_screen(ConfirmModal(
                f"Replace {path.name}?", f"{path} already exists. Replacing it loses what it"
                " holds.", yes_label="Replace", default="no"), answered)
            return
        self._start(quarter, path, option)

    def _start(self, quarter: Quarter, path: Path, option: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.query_one("#progress").display = True
        self.query_one("#export", Button).disabled = True
        self.query_one("#result", Static).update("Writing…")
        self.run_export(quarter, path, option)

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, quarter: Quarter, path: Path, option: bool) -> None:
        from sp_tui.domain.errors import ValidationError
        from sp_tui.export.quarter import quarter_table_count
        from sp_tui.store.connection import db_file, open_db

        db = open_db(db_file(cast(AppContext, self.app).db), migrate=False)
        bar = self.query_one("#progress", ProgressBar)
        self.app.call_from_thread(bar.update, total=quarter_table_count() + 2, progress=0)
        try:
            note = self.write(db, quarter, path, option,
                              lambda step: self.app.call_from_thread(bar.advance, 1))
        except ValidationError as exc:
            self.app.call_from_thread(self._finished, None, exc.summary(), "")
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(self._finished, None, str(exc), "")
        else:
            self.app.call_from_thread(self._finished, path, None, note)
        finally:
            db.close()

    def write(self, db: Any, quarter: Quarter, path: Path, option: bool,
              progress: Callable[[str], None]) -> str:
        """Write the file (in the worker thread); return a line to show under the path."""
        raise NotImplementedError

    def _finished(self, path: Path | None, error: str | None, note: str) -> None:
        self.query_one("#export", Button).disabled = False
        self.query_one("#progress").display = False
        result = self.query_one("#result", Static)
        if error:
            result.update(Text(f"Not written: {error}", style="red"))
            return
        result.update(Text(f"Written: {path}" + (f"\n{note}" if note else ""), style="green"))
        self.app.notify(f"{self.DONE} written to {path}", title="Export")


class ExportModal(FileExportModal):
    """The quarter summary workbook, optionally with a CSV per table."""

    WHAT = "the quarter summary (xlsx)"
    SUFFIX = ".xlsx"
    STEM = "sp-tui-Q{n}"
    OPTION = ("Also write each table as CSV (folder beside the file)", False)
    DONE = "Quarter summary"

    def write(self, db: Any, quarter: Quarter, path: Path, option: bool,
              progress: Callable[[str], None]) -> str:
        from sp_tui.export.quarter import export_quarter

        export_quarter(db, quarter, path, csv_dir=path.with_suffix("") if option else None,
                       progress=progress)
        return ""


class ReportExportModal(FileExportModal):
    """The Commissioning Body report document, checked before it is written."""

    WHAT = "the report document (docx)"
    SUFFIX = ".docx"
    STEM = "sp-tui-report-Q{n}"
    OPTION = ("Draw the charts", True)
    DONE = "Report"

    def write(self, db: Any, quarter: Quarter, path: Path, option: bool,
              progress: Callable[[str], None]) -> str:
        from sp_tui.export.report_docx import export_report

        done = export_report(db, quarter, path, charts=option,
                             today=getattr(self.app, "today", None), progress=progress)
        return str(done.check.summary())
