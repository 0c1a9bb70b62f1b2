"""The Report screen: the whole Commissioning Body report for the selected quarter, live.

Contents on the left (the consistency check, then every section and table in the published
order); the selected section or table, with its sentences, on the right. It is built from the
same document model as `sp-tui export report`, so what is read here is what is exported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sp_tui.export.rich_table import rich_table
from sp_tui.reports.document import Block, ReportDocument, Section
from sp_tui.tui.screens.base import AreaScreen, Request

if TYPE_CHECKING:
    from sqlite_utils import Database

    from sp_tui.export.report_build import ReportParts
    from sp_tui.reports.consistency import ConsistencyReport

CHECK_ID = "check"


class ReportScreen(AreaScreen):
    AREA_ID = "report"
    DEFAULT_CSS = """
    ReportScreen #report-body { height: 1fr; }
    ReportScreen #contents { width: 42; height: 1fr; border-right: solid $primary; }
    ReportScreen #page-scroll { width: 1fr; height: 1fr; padding: 0 1; }
    ReportScreen #check-line { height: auto; padding: 0 1; }
    """
    PALETTE = [
        ("export: report document (docx)", "Write the Commissioning Body report", "export"),
        ("report: consistency check", "Show the cross-table identities", "show_check"),
    ]
    BINDINGS = [
        Binding("x", "export", "Export report", id="report.export"),
        Binding("c", "show_check", "Check", id="report.check"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="check-line")
        with Horizontal(id="report-body"):
            yield OptionList(id="contents")
            with VerticalScroll(id="page-scroll"):
                yield Static("", id="page")

    def on_mount(self) -> None:
        self._document: ReportDocument | None = None
        self._check: ConsistencyReport | None = None
        self._entries: dict[str, tuple[Section, Block | None]] = {}
        self._selected = CHECK_ID
        self.query_one("#contents", OptionList).focus()

    def reload(self) -> None:
        self.query_one("#check-line", Static).update(Text("Building the report…", style="dim"))
        super().reload()

    def fetch(self, db: Database, request: Request) -> ReportParts:
        """Every table, sentence and check (a while on a large database: see bench_report)."""
        from sp_tui.export.report_build import report_parts

        return report_parts(db, request.quarter, today=request.today)

    def show(self, parts: ReportParts) -> None:
        self._document, self._check = parts.document, parts.check
        line = Text(parts.check.summary(),
                    style="green" if parts.check.passed else "bold red")
        self.query_one("#check-line", Static).update(line)
        self._fill_contents()
        self._show(self._selected)

    def _fill_contents(self) -> None:
        contents = self.query_one("#contents", OptionList)
        keep = contents.highlighted
        assert self._document is not None  # called once the document has loaded
        self._entries = {}
        options = [Option(Text("Consistency check", style="bold"), id=CHECK_ID)]
        sections = self._document.sections if self._document else []
        for s_index, section in enumerate(sections):
            key = f"s{s_index}"
            self._entries[key] = (section, None)
            options.append(Option(Text(section.title, style="bold"), id=key))
            for b_index, block in enumerate(section.blocks):
                if block.kind == "table" or (block.kind == "empty" and block.position):
                    bkey = f"{key}b{b_index}"
                    self._entries[bkey] = (section, block)
                    title = block.table.title if block.table else block.text
                    options.append(Option(Text("  " + title.split(":")[0][:36],
                                               style="" if block.table else "dim"), id=bkey))
        contents.clear_options()
        contents.add_options(options)
        if keep is not None and keep < contents.option_count:
            contents.highlighted = keep

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self._selected = event.option.id
            self._show(event.option.id)

    def _show(self, key: str) -> None:
        page = self.query_one("#page", Static)
        if self._document is None:
            return
        if key == CHECK_ID or key not in self._entries:
            page.update(_check_text(self._check) if self._check else "")
            return
        section, block = self._entries[key]
        # A section: everything in it, in order; a table: the section's sentences, then it.
        shown = section.blocks if block is None else \
            [b for b in section.blocks if b.kind == "text"] + [block]
        parts: list[RenderableType] = [Text(section.title, style="bold underline")]
        for item in shown:
            parts.append(_render(item))
            parts.append(Text(""))
        page.update(Group(*parts))

    def selected_section(self) -> Section | None:
        entry = self._entries.get(self._selected)
        return entry[0] if entry else None

    def action_show_check(self) -> None:
        contents = self.query_one("#contents", OptionList)
        contents.highlighted = 0
        self._selected = CHECK_ID
        self._show(CHECK_ID)

    def action_export(self) -> None:
        from sp_tui.tui.widgets.export_modal import ReportExportModal

        self.app.push_screen(ReportExportModal(self.ctx.quarter))


def _render(block: Block) -> RenderableType:
    if block.kind == "table" and block.table is not None:
        return rich_table(block.table)
    if block.kind == "commentary":
        return Text(block.text, style="black on yellow")
    if block.kind == "empty":
        return Text(block.text, style="italic")
    return Text(block.text)


_STYLES = {"passed": "green", "failed": "bold red", "not applicable": "dim",
           "detail": "", "record": "red"}


def _check_text(check) -> Text:
    text = Text()
    text.append(f"Consistency check: {check.quarter.label}\n\n", style="bold underline")
    for status, line in check.lines():
        text.append(line + "\n", style=_STYLES.get(status, ""))
    return text
