"""The Commissioning Body report as plain data: title block, numbered sections 1-9 as in the
published report, then the appendices; each section holds its sentences, its tables and a
place for the manager's commentary. The docx writer and the Report screen both render this,
so they show the same report.

Tables are placed by their report position (``domain.report_order``); a section whose tables
are not in the tool yet says so, and a table with no figures is replaced by a sentence saying
there were no records, rather than a grid of zeros.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.report_order import REPORT_POSITIONS
from sp_tui.domain.report_settings import ReportSettings
from sp_tui.reports.narrative import sentences as narrative_sentences
from sp_tui.reports.tables import ReportTable, has_figures

COMMENTARY = "[Commentary]"


@dataclass(frozen=True)
class SectionSpec:
    number: str
    heading: str
    intro: tuple[str, ...] = ()
    """The team's standing description of the section (not figures)."""
    narratives: tuple[str, ...] = ()
    """Narrative ids whose sentences the section prints (and the ``sentences`` of the tables
    at those positions)."""
    positions: tuple[str, ...] = ()
    """Report positions whose tables the section prints."""
    commentary: bool = True
    appendix: bool = False
    refers_to: str = ""
    """Where the section's tables are printed, e.g. "Appendix 2"."""
    absent: str = ""
    """What to say when none of the section's tables is in the tool."""


BODY: tuple[SectionSpec, ...] = (
    SectionSpec("1.0", "Introduction", intro=(
        "The Supporting People team monitors performance at both programme and service"
        " level. This report sets out the figures for {quarter}, derived from the team's"
        " records.",)),
    SectionSpec("2.0", "Contractual data", narratives=("1.1", "1.2", "1.3", "1.4"),
                refers_to="Appendix 1",
                absent="Contractual data is not yet recorded in sp-tui."),
    SectionSpec("2.1", "Quarterly workbook returns", narratives=("2",), positions=("2",)),
    SectionSpec("2.2", "Reminders and default notices", narratives=("2-reminders",),
                positions=()),
    SectionSpec("2.3", "Workbook auditing", intro=(
        "The audits are conducted during a site visit and seek to establish levels of"
        " assurance regarding the accuracy of the data submitted on Key Performance"
        " Indicators 1 and 2.",), narratives=("2-audits",), positions=("2-audits",)),
    SectionSpec("3.0", "Key Performance Indicators (KPIs)", intro=(
        "KPI 1: service users who are supported to establish and maintain independent"
        " living, as a percentage of the service users counted.",
        "KPI 2 (National Indicator 141): service users who have moved on in a planned way"
        " from short-term services, as a percentage of all who have moved on.",),
        narratives=("2.1", "2.2", "2.3", "2.4", "2.5"), refers_to="Appendix 2",
        absent="KPI figures are not yet recorded in sp-tui."),
    SectionSpec("3.1", "Business plan measures", narratives=("measures",),
                positions=("measures",)),
    SectionSpec("4.0", "Outcomes monitoring", intro=(
        "The national framework uses five high level outcomes: achieve economic wellbeing;"
        " enjoy and achieve; be healthy; stay safe; make a positive contribution.",),
        narratives=("A3", "A4", "A5.1", "A5.2", "A5.3", "A5.4", "A5.5"),
        refers_to="Appendices 3 to 5",
        absent="Outcome returns are not yet recorded in sp-tui."),
    SectionSpec("5.0", "Reconnection data", intro=(
        "Providers of short-term services supply data each month on the origin and"
        " destination of the people entering and leaving their services.",),
        narratives=("4.3", "4.4", "4.9", "4.10", "4.11"), refers_to="Appendix 6",
        absent="Reconnection data is not yet recorded in sp-tui."),
    SectionSpec("6.0", "Quality monitoring", intro=(
        "Officers of the Supporting People team visit services in order to monitor"
        " contract compliance and quality. Services are measured against the objectives of"
        " the Quality Assessment Framework (QAF). The visit includes consultation with"
        " service users.",), narratives=("6", "7", "8"), positions=("6", "7", "8")),
    SectionSpec("7.0", "Complaints", intro=(
        "The Supporting People team collects and logs details of all complaints received"
        " which have exhausted service providers' own complaints procedures.",),
        narratives=("complaints",), positions=("complaints",)),
    SectionSpec("8.0", "Safeguarding alerts", intro=(
        "The team collects and logs safeguarding alerts in grant-funded schemes and makes"
        " sure that each is passed to a Safeguarding Co-ordinator.",),
        narratives=("9", "9-referrals"), positions=("9", "9-service-types", "9-referrals")),
    SectionSpec("9.0", "Recommendation", intro=(
        "The Commissioning Body is asked to note the contents of the report.",)),
)

APPENDICES: tuple[SectionSpec, ...] = (
    SectionSpec("Appendix 1", "Contractual data as at the end of {quarter}",
                positions=("1.1", "1.2", "1.3", "1.4"), commentary=False, appendix=True),
    SectionSpec("Appendix 2", "Performance against key performance indicators",
                positions=("2.1", "2.2", "2.3", "2.4", "2.5"), commentary=False,
                appendix=True, absent="KPI figures are not yet recorded in sp-tui."),
    SectionSpec("Appendix 3", "Summary of outcome returns",
                positions=("A3-returns", "A3"),
                commentary=False, appendix=True,
                absent="Outcome returns are not yet recorded in sp-tui."),
    SectionSpec("Appendix 4", "Summary of outcomes data", positions=("A4",),
                commentary=False, appendix=True,
                absent="Outcome returns are not yet recorded in sp-tui."),
    SectionSpec("Appendix 5", "Comparison of high level outcomes achieved by service type",
                positions=("A5.1", "A5.2", "A5.3", "A5.4", "A5.5"), commentary=False,
                appendix=True, absent="Outcome returns are not yet recorded in sp-tui."),
    SectionSpec("Appendix 6", "Reconnection data", positions=("4.3", "4.4", "4.9", "4.10",
                                                             "4.11"),
                commentary=False, appendix=True,
                absent="Reconnection data is not yet recorded in sp-tui."),
)

SECTIONS = BODY + APPENDICES


def placed_positions() -> set[str]:
    return {p for spec in SECTIONS for p in spec.positions}


@dataclass
class Block:
    """One thing in a section: a paragraph of sentences, a table, or the commentary mark."""

    kind: str  # "text" | "table" | "commentary" | "empty"
    text: str = ""
    table: ReportTable | None = None
    position: str = ""


@dataclass
class Section:
    number: str
    heading: str
    blocks: list[Block] = field(default_factory=list)
    appendix: bool = False

    @property
    def title(self) -> str:
        return f"{self.number} {self.heading}"

    def tables(self) -> list[tuple[str, ReportTable]]:
        return [(b.position, b.table) for b in self.blocks if b.table is not None]

    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks if b.text)


@dataclass
class ReportDocument:
    quarter: Quarter
    title_block: list[tuple[str, str]]
    sections: list[Section]
    check_summary: str = ""

    def all_tables(self) -> list[tuple[str, ReportTable]]:
        return [pair for section in self.sections for pair in section.tables()]

    def plain_text(self) -> str:
        lines = [f"{label}: {text}" for label, text in self.title_block]
        for section in self.sections:
            lines.append(section.title)
            lines.append(section.text())
        return "\n".join(lines)


def build_document(db: sqlite_utils.Database, quarter: Quarter,
                   tables: Sequence[tuple[str, ReportTable]], *, settings: ReportSettings,
                   today: date, check_summary: str = "") -> ReportDocument:
    """The report for ``quarter`` over ``tables`` ((position, table) pairs in report order,
    as the area registry builds them)."""
    by_position: dict[str, list[ReportTable]] = {}
    for position, table in tables:
        by_position.setdefault(position, []).append(table)
    label = f"Quarter {quarter.number} ({quarter.months_label})"
    sections = [_section(db, quarter, spec, by_position, label) for spec in SECTIONS]
    leftover = [(p, t) for p in REPORT_POSITIONS if p not in placed_positions()
                for t in by_position.get(p, [])]
    if leftover:
        other = Section("Appendix 7", "Other tables", appendix=True)
        for position, table in leftover:
            other.blocks.extend(_table_blocks(position, table, quarter))
        sections.append(other)
    return ReportDocument(quarter, settings.title_block(today), sections, check_summary)


def _section(db, quarter: Quarter, spec: SectionSpec,
             by_position: dict[str, list[ReportTable]], label: str) -> Section:
    section = Section(spec.number, spec.heading.format(quarter=label), appendix=spec.appendix)
    for text in spec.intro:
        section.blocks.append(Block("text", text.format(quarter=label)))
    said: list[str] = []
    for narrative_id in spec.narratives:
        said += narrative_sentences(db, quarter, narrative_id)
        for table in by_position.get(narrative_id, []):
            said += table.sentences
    if said:
        section.blocks.append(Block("text", " ".join(said)))
    known = [p for p in (*spec.narratives, *spec.positions) if p in by_position]
    if spec.refers_to and known:
        section.blocks.append(Block("text", f"The tables are in {spec.refers_to}."))
    if not known and spec.absent and (spec.narratives or spec.positions):
        section.blocks.append(Block("empty", spec.absent))
    for position in spec.positions:
        for table in by_position.get(position, []):
            section.blocks.extend(_table_blocks(position, table, quarter))
    if spec.commentary:
        section.blocks.append(Block("commentary", COMMENTARY))
    return section


def _table_blocks(position: str, table: ReportTable, quarter: Quarter) -> list[Block]:
    if has_figures(table):
        return [Block("table", table=table, position=position)]
    return [Block("empty", f"{table.title}: no records for Quarter {quarter.number}.",
                  position=position)]
