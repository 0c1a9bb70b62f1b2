"""The sp-tui command line: thin typer commands over the service and report functions."""

from sp_tui.cli.main import app

# Each area registers its commands on import (they attach to ``app``).
from sp_tui.cli import registry as _registry  # noqa: E402,F401
from sp_tui.cli import dbcmd as _dbcmd  # noqa: E402,F401
from sp_tui.cli import cases as _cases  # noqa: E402,F401
from sp_tui.cli import export as _export  # noqa: E402,F401
from sp_tui.cli import report as _report  # noqa: E402,F401
from sp_tui.cli import merge as _merge  # noqa: E402,F401
from sp_tui.cli import visits as _visits  # noqa: E402,F401
from sp_tui.cli import workbooks as _workbooks  # noqa: E402,F401
from sp_tui.cli import kpis as _kpis  # noqa: E402,F401
from sp_tui.cli import outcomes as _outcomes  # noqa: E402,F401
from sp_tui.cli import reconnection as _reconnection  # noqa: E402,F401

__all__ = ["app"]
