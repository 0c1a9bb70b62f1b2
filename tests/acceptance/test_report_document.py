"""The whole report from record-level data: the records of the Table 2, Tables 6-7 and Table 9
acceptance tests loaded into one database, then the report document, the quarter workbook and
the consistency check built over them.

The published prose contradicts its tables ("6 were not completed", "one service was awarded
a lower grade"); the derived sentences say 5 and 2. Where LibreOffice is installed, both files
are converted to PDF and read back page by page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sp_tui.domain.quarters import Quarter
from sp_tui.export.quarter import export_quarter
from sp_tui.export.report_build import positioned_tables
from sp_tui.export.report_docx import export_report
from sp_tui.export.rich_table import format_cell
from sp_tui.reports.consistency import FAILED, NOT_APPLICABLE, PASSED
from sp_tui.services.alerts import import_alerts
from sp_tui.services.complaints import import_complaints
from sp_tui.services.registry import import_services
from sp_tui.services.report_settings import save_report_settings
from sp_tui.services.visits import import_visits
from tests.acceptance.test_qaf_tables import REPORT_DAY, q24_records
from tests.acceptance.test_table2 import published_db  # noqa: F401  (fixture)
from tests.acceptance.test_table9 import COMPLAINTS, SERVICES, _alert_rows

Q24 = Quarter(24)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

SENTENCES = [
    "Visits to 31 services were begun during the quarter. 26 were completed, 5 were not"
    " completed by quarter close.",
    "16 (62%) were awarded a higher grade, 8 (31%) no change and 2 (8%) a lower grade.",
    "In Quarter 24 all services returned their workbook by the end of the default period and"
    " no default notices have been issued.",
    "Three complaints were received in Quarter 24. Two have been concluded. One is subject to"
    " contractual negotiation with the provider.",
    "13 safeguarding alerts were received in Quarter 24: 6 financial abuse, 3 physical abuse"
    " and 4 sexual abuse. Of these, nine have been closed following investigation and four"
    " are ongoing.",
    "285 of the 295 workbooks expected in Quarter 24 (97%) were returned by the deadline",
    "10 reminders were sent",
]


@pytest.fixture
def report_db(published_db, make_service):  # noqa: F811
    db = published_db
    services, visits = q24_records()
    for service in services:  # these services return no workbooks: Table 2 stays published
        service["workbook_required"] = False
    import_services(db, list(enumerate(services, start=2)), source="acceptance")
    import_visits(db, list(enumerate(visits, start=2)), today=REPORT_DAY, source="acceptance")
    for ref, service_type in SERVICES:
        make_service(service_ref=ref, service_type=service_type, workbook_required=False)
    import_alerts(db, _alert_rows(), source="acceptance", today=REPORT_DAY)
    import_complaints(db, [
        (n + 2, {"ref": ref, "service_ref": "SU01", "received_date": received,
                 "summary": "Exhausted the provider's procedure", "status": status,
                 "closed_date": closed})
        for n, (ref, received, status, closed) in enumerate(COMPLAINTS)
    ], source="acceptance", today=REPORT_DAY)
    save_report_settings(db, {"author": "Director of Business Support",
                              "report_date": "2009-07-02"}, source="acceptance")
    return db


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def docx_tables(path: Path) -> list[list[list[str]]]:
    from docx import Document

    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in Document(str(path)).tables]


def test_the_document_says_what_the_records_say(report_db, tmp_path):
    result = export_report(report_db, Q24, tmp_path / "q24.docx", today=REPORT_DAY,
                           charts=False)
    text = docx_text(result.path)
    for sentence in SENTENCES:
        assert sentence in " ".join(text.split()), sentence
    assert "6 were not completed" not in text
    assert "2 July 2009" in text and "Director of Business Support" in text
    assert "[Commentary]" in text
    assert result.check.passed, result.check.summary()
    assert "Consistency check: Passed" in text


def test_every_table_in_the_document_matches_the_report_functions(report_db, tmp_path):
    result = export_report(report_db, Q24, tmp_path / "q24.docx", today=REPORT_DAY,
                           charts=False)
    written = docx_tables(result.path)[1:]  # the first is the title block
    expected = [table for _, table in positioned_tables(report_db, Q24)
                if any(table is t for _, t in result.document.all_tables())]
    assert len(written) == len(result.document.all_tables())
    by_title = {t.title: t for _, t in result.document.all_tables()}
    for grid, (_, table) in zip(written, result.document.all_tables()):
        assert grid[0] == [str(c) for c in table.columns]
        assert grid[1:] == [[format_cell(v) for v in row] for row in table.rows]
    assert len(expected) <= len(by_title)
    table7 = next(g for g in written if g[0][1:] == ["Visits", "% of completed"])
    assert ["Lower grade", "2", "8%"] in table7


def test_the_consistency_check_holds_on_the_published_quarter(report_db):
    from sp_tui.export.report_build import consistency

    check = consistency(report_db, Q24, REPORT_DAY)
    statuses = {r.check_id: r.status for r in check.results}
    assert statuses["2-defaults"] == PASSED
    assert statuses["6-visits"] == PASSED and statuses["7-changes"] == PASSED
    assert statuses["9-total"] == PASSED and statuses["complaints"] == PASSED
    assert FAILED not in statuses.values()
    table2 = next(r for r in check.results if r.check_id == "2-defaults")
    assert "Q20: 52 = 378 - 326 - 0" in table2.detail
    assert "Q22: 2 = 300 - 298 - 0" in table2.detail
    assert all(s in (PASSED, NOT_APPLICABLE) for s in statuses.values())


def _pdf(path: Path, out: Path) -> Path:
    result = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{out}/lo",
         "--convert-to", "pdf", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    pdf = out / (path.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 2000
    return pdf


def _pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_quarter_workbook_prints_one_page_per_table(report_db, tmp_path):
    path = export_quarter(report_db, Q24, tmp_path / "q24.xlsx", today=REPORT_DAY)
    pages = _pages(_pdf(path, tmp_path))
    tables = [table for _, table in positioned_tables(report_db, Q24)]
    # A cover, the contents, then each table on one page of its own (every page's header
    # names its sheet; the footer says "Page N of M").
    assert len(pages) == 2 + len(tables)
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "Consistency check" in pages[0] and "Passed: all" in pages[0]
    for page, table in zip(pages[2:], tables):
        assert table.title.split(":")[0] in page
        for note in table.footnotes:  # footnotes print inside the area, on the same page
            assert " ".join(note.split()[:6]) in page
    table2 = pages[2 + next(i for i, t in enumerate(tables) if t.key == "table2")]
    # Labels and figures on the same page: the published Quarter 24 column.
    assert "Number of workbooks expected 376 378 300 300 295 295" in table2
    assert "No. Defaults issued 34 52 3 2 2 0" in table2
    assert "86%" in table2


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_report_document_opens_in_libreoffice(report_db, tmp_path):
    result = export_report(report_db, Q24, tmp_path / "report.docx", today=REPORT_DAY)
    text = " ".join(_pages(_pdf(result.path, tmp_path)))
    assert "26 were completed, 5 were not completed by quarter close" in text
    assert "2 (8%) a lower grade" in text
    assert "Appendix 1" in text and "[Commentary]" in text
