"""Export the quarter summary from the app: pick quarter and path, watch progress, see the path."""

from __future__ import annotations

from pathlib import Path
from typing import cast

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


class ExportModal(ModalScreen[Path | None]):
    """Writes in a worker thread on its own connection; the app stays responsive."""

    DEFAULT_CSS = """
    ExportModal { align: center middle; }
    ExportModal > Vertical {
        width: 80; height: auto; border: thick $primary; background: $surface; padding: 1 2;
    }
    ExportModal .title { text-style: bold; margin-bottom: 1; }
    ExportModal Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ExportModal Button { margin-left: 2; }
    ExportModal #result { margin-top: 1; }
    ExportModal #progress { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "close", "Close"), Binding("ctrl+s", "export", "Export")]

    def __init__(self, quarter: Quarter) -> None:
        super().__init__()
        self.quarter = quarter

    def compose(self) -> ComposeResult:
        default = export_folder() / f"sp-tui-Q{self.quarter.number}.xlsx"
        with Vertical():
            yield Label("Export the quarter summary (xlsx)", classes="title")
            yield Label("Quarter")
            yield Input(str(self.quarter.number), id="quarter")
            yield Label("File")
            yield Input(str(default), id="path")
            yield Checkbox("Also write each table as CSV (folder beside the file)", id="csv")
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
            result.update(Text("Give a file name ending in .xlsx", style="red"))
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        csv_dir = path.with_suffix("") if self.query_one("#csv", Checkbox).value else None
        if path.exists():
            from sp_tui.tui.widgets.confirm import ConfirmModal

            def answered(replace: bool | None) -> None:
                if replace:
                    self._start(quarter, path, csv_dir)
                else:
                    result.update(Text("Not written: pick another file name.", style="yellow"))

            self.app.push_screen(ConfirmModal(
                f"Replace {path.name}?", f"{path} already exists. Replacing it loses what it"
                " holds.", yes_label="Replace", default="no"), answered)
            return
        self._start(quarter, path, csv_dir)

    def _start(self, quarter: Quarter, path: Path, csv_dir: Path | None) -> None:
        result = self.query_one("#result", Static)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.query_one("#progress").display = True
        self.query_one("#export", Button).disabled = True
        result.update("Writing…")
        self.run_export(quarter, path, csv_dir)

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, quarter: Quarter, path: Path, csv_dir: Path | None) -> None:
        from sp_tui.export.quarter import export_quarter, quarter_table_count
        from sp_tui.store.connection import db_file, open_db

        db = open_db(db_file(cast(AppContext, self.app).db), migrate=False)
        bar = self.query_one("#progress", ProgressBar)
        self.app.call_from_thread(bar.update, total=quarter_table_count() + 2, progress=0)
        try:
            export_quarter(db, quarter, path, csv_dir=csv_dir,
                           progress=lambda step: self.app.call_from_thread(bar.advance, 1))
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(self._finished, None, str(exc))
        else:
            self.app.call_from_thread(self._finished, path, None)
        finally:
            db.close()

    def _finished(self, path: Path | None, error: str | None) -> None:
        self.query_one("#export", Button).disabled = False
        self.query_one("#progress").display = False
        result = self.query_one("#result", Static)
        if error:
            result.update(Text(f"Not written: {error}", style="red"))
            return
        result.update(Text(f"Written: {path}", style="green"))
        self.app.notify(f"Quarter summary written to {path}", title="Export")


class ReportExportModal(ModalScreen[Path | None]):
    """Write the report document (docx) in a worker thread on its own connection."""

    DEFAULT_CSS = ExportModal.DEFAULT_CSS.replace("ExportModal", "ReportExportModal")
    BINDINGS = [Binding("escape", "close", "Close"), Binding("ctrl+s", "export", "Export")]

    def __init__(self, quarter: Quarter) -> None:
        super().__init__()
        self.quarter = quarter

    def compose(self) -> ComposeResult:
        default = export_folder() / f"sp-tui-report-Q{self.quarter.number}.docx"
        with Vertical():
            yield Label("Export the report document (docx)", classes="title")
            yield Label("Quarter")
            yield Input(str(self.quarter.number), id="quarter")
            yield Label("File")
            yield Input(str(default), id="path")
            yield Checkbox("Draw the charts", value=True, id="charts")
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
        from rich.text import Text

        result = self.query_one("#result", Static)
        try:
            quarter = parse_quarter(self.query_one("#quarter", Input).value)
        except ValueError as exc:
            result.update(Text(str(exc), style="red"))
            return
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.name or path.is_dir():
            result.update(Text("Give a file name ending in .docx", style="red"))
            return
        if path.suffix.lower() != ".docx":
            path = path.with_suffix(".docx")
        self.query_one("#progress").display = True
        self.query_one("#export", Button).disabled = True
        result.update("Checking and writing…")
        self.run_export(quarter, path, self.query_one("#charts", Checkbox).value)

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, quarter: Quarter, path: Path, charts: bool) -> None:
        from sp_tui.domain.errors import ValidationError
        from sp_tui.export.quarter import quarter_table_count
        from sp_tui.export.report_docx import export_report
        from sp_tui.store.connection import db_file, open_db

        db = open_db(db_file(cast(AppContext, self.app).db), migrate=False)
        bar = self.query_one("#progress", ProgressBar)
        self.app.call_from_thread(bar.update, total=quarter_table_count() + 1, progress=0)
        try:
            done = export_report(db, quarter, path, charts=charts,
                                 today=getattr(self.app, "today", None),
                                 progress=lambda step: self.app.call_from_thread(bar.advance, 1))
        except ValidationError as exc:
            self.app.call_from_thread(self._finished, None, exc.summary(), "")
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(self._finished, None, str(exc), "")
        else:
            self.app.call_from_thread(self._finished, path, None, done.check.summary())
        finally:
            db.close()

    def _finished(self, path: Path | None, error: str | None, check: str) -> None:
        from rich.text import Text

        self.query_one("#export", Button).disabled = False
        self.query_one("#progress").display = False
        result = self.query_one("#result", Static)
        if error:
            result.update(Text(f"Not written: {error}", style="red"))
            return
        result.update(Text(f"Written: {path}\n{check}", style="green"))
        self.app.notify(f"Report written to {path}", title="Export")
