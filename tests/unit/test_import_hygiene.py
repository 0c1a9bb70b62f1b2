"""The core layers load without the user interfaces (import-linter checks it statically too)."""

import subprocess
import sys


def test_core_layers_do_not_load_textual_or_typer():
    code = (
        "import sys\n"
        "import sp_tui.services.registry, sp_tui.services.calendar, sp_tui.reports.registry,"
        " sp_tui.reports.audit, sp_tui.imports.reader, sp_tui.demo\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'typer'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
