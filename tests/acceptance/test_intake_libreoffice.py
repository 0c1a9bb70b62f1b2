"""A workbook template filled in and saved by LibreOffice is recognised and received
(issue 18). Skipped where LibreOffice (soffice) is not installed, as the xlsx test."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from sp_tui.domain.quarters import Quarter
from sp_tui.services.workbook_intake import run_intake
from sp_tui.services.workbook_templates import (
    DENOMINATOR_CELL, MAIN_SHEET, NUMERATOR_CELL, write_templates,
)
from tests.conftest import service_fields

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_template_saved_by_libreoffice_is_received(db, tmp_path):
    from sp_tui.services.registry import import_services

    import_services(db, [(2, service_fields(service_ref="SP1", term="long")),
                         (3, service_fields(service_ref="SP2"))])
    run = write_templates(db, Quarter(24), outbox=tmp_path / "outbox")
    filled = tmp_path / "filled"
    filled.mkdir()
    for spec, (num, den) in zip(run.specs, [(45, 50), (2, 3)]):
        book = load_workbook(run.folder / spec.filename)
        book[MAIN_SHEET][NUMERATOR_CELL] = num
        book[MAIN_SHEET][DENOMINATOR_CELL] = den
        book.save(filled / f"renamed-{spec.service_ref}.xlsx")
    returned = tmp_path / "returned"
    result = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(returned),
         *sorted(str(p) for p in filled.iterdir())],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert len(list(returned.glob("*.xlsx"))) == 2
    # LibreOffice wrote these files itself (not openpyxl's bytes)
    assert all(p.read_bytes() != (filled / p.name).read_bytes() for p in returned.iterdir())
    outcome = run_intake(db, returned, received="2009-04-20", today=date(2009, 11, 20))
    assert outcome.count("received") == 2, [i.reason for i in outcome.items]
    rows = dict(db.execute("SELECT s.service_ref, coalesce(f.kpi1_independent, 0) * 1000 +"
                           " coalesce(f.kpi2_planned, 0) FROM kpi_figures f JOIN services s"
                           " ON s.id = f.service_id").fetchall())
    assert rows == {"SP1": 45000, "SP2": 2}
