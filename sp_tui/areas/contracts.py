"""Contracts over time: Tables 1.1-1.4 (Appendix 1) from the versions in force at each date."""

from sp_tui.areas.base import Area, DataSheet, ImportKind, Panel, QuarterTable
from sp_tui.demo import contracts as demo
from sp_tui.imports import formats
from sp_tui.reports.contract import (
    contract_import_rows, grant_import_rows, table_1_1, table_1_2, table_1_3, table_1_4,
    unit_category_import_rows,
)
from sp_tui.services.contracts import import_contracts, import_grants, import_unit_categories

AREA = Area(
    area_id="contracts",
    title="Contracts",
    imports=(
        ImportKind(formats.CONTRACTS, import_contracts,
                   "Contract versions: service_ref, start_date, end_date, contract_type (block"
                   " gross or block subsidy), capped (yes/no), household_units,"
                   " leaseholder_units, annual_value (£, pence allowed). A row for a service"
                   " and start date already recorded updates that version; a new one closes"
                   " the version in force the day before; versions may not overlap."),
        ImportKind(formats.GRANTS, import_grants,
                   "Government grants: financial_year (2008/09), amount (£). A year already"
                   " recorded is updated."),
        ImportKind(formats.UNIT_CATEGORIES, import_unit_categories,
                   "Unit categories: service_type, category (floating support, hia, sheltered"
                   " accommodation, sheltered community alarm, other accommodation based): the"
                   " Table 1.2 line a service type's units go to. A type already mapped is"
                   " updated."),
    ),
    data_sheets=(DataSheet("contracts", contract_import_rows),
                 DataSheet("grants", grant_import_rows),
                 DataSheet("unit-categories", unit_category_import_rows)),
    quarter_tables=(QuarterTable("1.1", table_1_1), QuarterTable("1.2", table_1_2),
                    QuarterTable("1.3", table_1_3), QuarterTable("1.4", table_1_4)),
    panels=(Panel("contract", table_1_1, order=90),),
    demo=demo.generate,
)
