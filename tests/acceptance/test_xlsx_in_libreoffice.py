"""The quarter summary opens in LibreOffice without repair (headless conversion to PDF).

.ci/run installs LibreOffice (Debian's libreoffice-calc-nogui); elsewhere the test is skipped
when soffice is not on the PATH.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from sp_tui.areas import build_demo
from tests.conftest import DEMO_TODAY
from sp_tui.domain.quarters import Quarter
from sp_tui.export.quarter import export_quarter

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_quarter_summary_converts_cleanly_in_libreoffice(db, tmp_path):
    build_demo(db, 1, today=DEMO_TODAY)
    import_services_with_formula_name(db)
    path = export_quarter(db, Quarter(24), tmp_path / "q24.xlsx")
    out = tmp_path / "pdf"
    result = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    pdf = out / "q24.pdf"
    assert pdf.exists() and pdf.stat().st_size > 2000
    assert "error" not in result.stderr.lower()


def import_services_with_formula_name(db):
    from sp_tui.services.registry import import_services
    from tests.conftest import service_fields

    import_services(db, [(2, service_fields(service_ref="EVIL1",
                                            service_name="=HYPERLINK(\"http://x\")"))])
