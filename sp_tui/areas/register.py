"""The register: providers and services (every other area refers to them)."""

from sp_tui.areas.base import Area, DataSheet, ImportKind
from sp_tui.demo import registry as demo
from sp_tui.imports import formats
from sp_tui.reports.registry import service_import_rows
from sp_tui.services.registry import import_services

AREA = Area(
    area_id="register",
    title="Services",
    imports=(
        ImportKind(formats.SERVICES, import_services,
                   "Providers and services: provider, service_ref, service_name, service_type,"
                   " client_group, district, term, household_units, leaseholder_units,"
                   " workbook_required, start_date, end_date. Re-importing a reference updates"
                   " that service."),
    ),
    data_sheets=(DataSheet("services", service_import_rows),),
    demo=demo.generate,
)
