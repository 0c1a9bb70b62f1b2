"""Hostile returned workbooks (issue 18): a zip bomb, a million rows, external links, macros,
entity declarations, formulas with saved results, formula-injection text. Each is refused
with a clear reason, in bounded time and memory, and nothing is written."""

from __future__ import annotations

import re
import time
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sp_tui.domain.quarters import Quarter
from sp_tui.services.workbook_intake import run_intake
from sp_tui.services.workbook_templates import (
    DENOMINATOR_CELL, MAIN_SHEET, NUMERATOR_CELL, write_templates,
)
from tests.conftest import service_fields

TODAY = date(2009, 11, 20)
SHEET = "xl/worksheets/sheet1.xml"
EVIL = "=cmd|' /C calc'!A0"


@pytest.fixture
def template(db, tmp_path) -> Path:
    from sp_tui.services.registry import import_services

    import_services(db, [(2, service_fields(service_ref="SP1", provider=EVIL,
                                            service_name="+SUM(A1)"))])
    run = write_templates(db, Quarter(24), outbox=tmp_path / "outbox")
    path = run.folder / run.specs[0].filename
    book = load_workbook(path)
    book[MAIN_SHEET][NUMERATOR_CELL] = 3
    book[MAIN_SHEET][DENOMINATOR_CELL] = 4
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    return filled


def rezip(source: Path, target: Path, replace: dict, extra: dict | None = None) -> Path:
    """A copy of ``source`` with members replaced (bytes, or a callable writing to a
    stream, for big ones) and others added."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as old, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            content = replace.get(item.filename, old.read(item.filename))
            if callable(content):
                with new.open(item.filename, "w", force_zip64=True) as stream:
                    content(stream)
            else:
                new.writestr(item.filename, content)
        for name, content in (extra or {}).items():
            new.writestr(name, content)
    return target


def sheet_xml(source: Path) -> bytes:
    with zipfile.ZipFile(source) as archive:
        return archive.read(SHEET)


def bounded(db, folder: Path):
    """Run the intake; return (result, seconds, peak bytes); check nothing was written."""
    audits = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = run_intake(db, folder, received="2009-04-20", today=TODAY)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    seconds = time.perf_counter() - start
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audits
    assert db.execute("SELECT count(*) FROM workbooks").fetchone()[0] == 0
    return result, seconds, peak


def reason(db, folder: Path) -> str:
    result, seconds, peak = bounded(db, folder)
    [item] = result.items
    assert item.outcome == "rejected"
    assert seconds < 10 and peak < 64 * 1024 * 1024, (seconds, peak)
    return item.reason


def test_zip_bomb_is_refused_from_the_zip_directory(db, template, tmp_path):
    def zeros(stream):
        block = b"\0" * (1024 * 1024)
        for _ in range(100):
            stream.write(block)

    rezip(template, tmp_path / "in" / "bomb.xlsx", {})
    with zipfile.ZipFile(tmp_path / "in" / "bomb.xlsx", "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/big.bin", "w", force_zip64=True) as stream:
            zeros(stream)
    assert (tmp_path / "in" / "bomb.xlsx").stat().st_size < 1024 * 1024
    assert "zip bomb" in reason(db, tmp_path / "in")


def test_a_million_rows_are_refused_without_parsing_them(db, template, tmp_path):
    head, _, tail = sheet_xml(template).partition(b"</sheetData>")

    def million(stream):
        stream.write(re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B1000000"/>',
                            head))
        rows = []
        for r in range(100, 1_000_001):
            rows.append(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r))
            if len(rows) == 10_000:
                stream.write(b"".join(rows))
                rows = []
        stream.write(b"".join(rows) + b"</sheetData>" + tail)

    rezip(template, tmp_path / "in" / "rows.xlsx", {SHEET: million})
    assert "zip bomb, or far more rows" in reason(db, tmp_path / "in")


def test_a_sheet_stating_many_rows_is_refused(db, template, tmp_path):
    head, _, tail = sheet_xml(template).partition(b"</sheetData>")
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r)
                    for r in range(100, 20_001))
    body = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B20000"/>', head)
    rezip(template, tmp_path / "in" / "rows.xlsx", {SHEET: body + rows + b"</sheetData>"
                                                    + tail})
    assert "20,000 rows" in reason(db, tmp_path / "in")


def test_external_links_are_refused(db, template, tmp_path):
    rezip(template, tmp_path / "in" / "links.xlsx", {},
          {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "external links" in reason(db, tmp_path / "in")


def test_macros_are_refused_whatever_the_name(db, template, tmp_path):
    rezip(template, tmp_path / "in" / "macro.xlsx", {}, {"xl/vbaProject.bin": b"\0" * 64})
    assert "macros" in reason(db, tmp_path / "in")


def test_xml_entities_are_refused(db, template, tmp_path):
    xml = sheet_xml(template).replace(
        b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1)
    rezip(template, tmp_path / "in" / "entities.xlsx", {SHEET: xml})
    assert "entities" in reason(db, tmp_path / "in")


def test_a_formula_with_a_saved_result_is_not_taken_as_a_number(db, template, tmp_path):
    xml = re.sub(rb'<c r="B12"[^>]*?(/>|>.*?</c>)', b'<c r="B12"><f>1+2</f><v>3</v></c>',
                 sheet_xml(template), flags=re.S)
    assert b"<f>1+2</f>" in xml
    rezip(template, tmp_path / "in" / "formula.xlsx", {SHEET: xml})
    assert "formula" in reason(db, tmp_path / "in")


def test_a_damaged_zip_member_is_a_clear_reason(db, template, tmp_path):
    rezip(template, tmp_path / "in" / "half.xlsx", {SHEET: b"<worksheet><sheetData><row"})
    assert "damaged" in reason(db, tmp_path / "in")


def test_formula_injection_text_is_read_as_text_and_never_run(db, template, tmp_path):
    """The provider's name starts with '=' (as the register holds it): the file is received,
    the text was never a formula in it, and the intake reads no name cell anyway."""
    with zipfile.ZipFile(template) as archive:
        strings = archive.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in \
            archive.namelist() else b""
        sheet = archive.read(SHEET)
    assert b"<f>" not in sheet and b"cmd|" not in sheet.split(b"<sheetData")[0]
    assert b"cmd|" in strings or b"cmd|" in sheet
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.xlsx").write_bytes(template.read_bytes())
    result = run_intake(db, folder, received="2009-04-20", today=TODAY)
    assert result.items[0].outcome == "received" and result.items[0].provider == EVIL


def test_a_huge_styles_part_is_refused_before_it_is_parsed(db, template, tmp_path):
    """Parts other than worksheets are parsed whole by openpyxl: bounded much lower."""
    import os

    with zipfile.ZipFile(template) as archive:
        styles = archive.read("xl/styles.xml")
    fonts = b"".join(b'<font><name val="%s"/></font>' % os.urandom(24).hex().encode()
                     for _ in range(100_000))
    big = styles.replace(b"<fonts", b"<fonts-x>" + fonts + b"</fonts-x><fonts", 1)
    assert len(big) > 5 * 1024 * 1024
    rezip(template, tmp_path / "in" / "styles.xlsx", {"xl/styles.xml": big})
    assert "more than 4 MB" in reason(db, tmp_path / "in")
