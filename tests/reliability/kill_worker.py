"""One file-writing action, run in a child process that the test SIGKILLs at a random moment
(test_kills.py). Each action writes to its final name only as its very last step."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from sp_tui.domain.quarters import Quarter
from sp_tui.export.data import export_data
from sp_tui.export.data_import import import_data
from sp_tui.export.quarter import export_quarter
from sp_tui.services.merge import merge_database
from sp_tui.services.sync_copy import copy_database
from sp_tui.services.workbook_runs import send_reminders
from sp_tui.store.connection import open_db
from sp_tui.store.migrate import backup_to

TODAY = date(2009, 12, 15)


def act(action: str, db_path: str, target: str, system_tmp: str, ready=None) -> None:
    """Run ``action`` on the database at ``db_path``, writing ``target``."""
    tempfile.tempdir = system_tmp  # anything put in "the system's /tmp" is seen by the test
    os.environ["TMPDIR"] = system_tmp
    db = open_db(db_path)
    if ready is not None:
        ready.set()
    if action == "db copy":
        copy_database(db, target)
    elif action == "db backup":
        backup_to(db, Path(target))
    elif action == "export data":
        export_data(db, Path(target), detail=True)
    elif action == "export quarter":
        export_quarter(db, Quarter(24), Path(target), csv_dir=Path(target).with_suffix(""))
    elif action == "merge":
        merge_database(db, target)
    elif action == "remind":
        send_reminders(db, Quarter(24), sent="2009-05-20", today=TODAY, outbox=target)
    elif action == "import data":
        import_data(db, Path(target))  # checked on a private copy beside the database
    else:
        raise ValueError(action)
    db.close()
