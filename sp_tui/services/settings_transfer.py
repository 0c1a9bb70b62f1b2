"""The settings that reports read, beside the records (issue 11, item 5): KPI targets, the RAG
tolerance, the KPI service classes, the outcome service-type mapping and the alert natures.
One sheet of `export data` (``settings``), taken back by `sp-tui import settings`: each row
goes through the same service function as the command that sets it, all or nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import sqlite_utils

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.services.alerts import add_alert_nature
from sp_tui.services.kpis import set_service_class, set_target, set_tolerance
from sp_tui.services.outcomes import set_outcome_service_type
from sp_tui.store.connection import write

KINDS = ("kpi target", "rag tolerance", "kpi service class", "outcome service type",
         "alert nature")
_TARGET = re.compile(r"kpi\s*([12])\s+(\S+)", re.IGNORECASE)


def settings_rows(db: sqlite_utils.Database) -> Iterator[tuple[str, str, str]]:
    """(setting, name, value) rows in the `sp-tui import settings` columns."""
    for kpi, year, target in db.execute(
            "SELECT kpi, financial_year, target FROM kpi_targets ORDER BY kpi, financial_year"):
        yield "kpi target", f"KPI {kpi} {year}", str(target)
    for (value,) in db.execute("SELECT value FROM kpi_settings WHERE key = 'rag_tolerance'"):
        yield "rag tolerance", "", str(value)
    for service_type, service_class in db.execute(
            "SELECT service_type, service_class FROM kpi_service_classes ORDER BY service_type"):
        yield "kpi service class", service_type, service_class
    for service_type, mapped in db.execute(
            "SELECT service_type, outcome_type FROM outcome_service_types"
            " ORDER BY service_type"):
        yield "outcome service type", service_type, mapped or "none"
    for (nature,) in db.execute("SELECT value FROM alert_natures ORDER BY position"):
        yield "alert nature", nature, ""


def import_settings(db: sqlite_utils.Database, rows: Iterable[tuple[int, Mapping[str, object]]],
                    *, source: str | None = None) -> dict[str, int]:
    """All or nothing: every row is set as its own command would set it (an unchanged value
    stays as it is; a nature already listed is kept), and any bad row undoes them all."""
    errors: list[tuple[int, str]] = []
    count = 0
    with write(db):
        natures = {n.casefold() for (n,) in db.execute("SELECT value FROM alert_natures")}
        for number, raw in rows:
            setting = " ".join(str(raw.get("setting") or "").lower().split())
            name = str(raw.get("name") or "").strip()
            value = raw.get("value")
            try:
                if setting == "kpi target":
                    found = _TARGET.fullmatch(name)
                    if not found:
                        raise ValidationError({"name": f"expected 'KPI 1 2009/10', got {name!r}"})
                    set_target(db, int(found[1]), found[2], value, source=source)
                elif setting == "rag tolerance":
                    set_tolerance(db, value, source=source)
                elif setting == "kpi service class":
                    set_service_class(db, name, value, source=source)
                elif setting == "outcome service type":
                    set_outcome_service_type(db, name, value, source=source)
                elif setting == "alert nature":
                    if name.casefold() not in natures:
                        add_alert_nature(db, name, source=source)
                        natures.add(name.casefold())
                else:
                    raise ValidationError({"setting": f"expected one of {', '.join(KINDS)},"
                                                      f" got {setting!r}"})
            except ValidationError as exc:
                errors.extend((number, f"{field}: {message}" if field else message)
                              for field, message in exc.errors.items())
                continue
            count += 1
        if errors:
            raise ImportFailed(errors)
    return {"settings": count}
