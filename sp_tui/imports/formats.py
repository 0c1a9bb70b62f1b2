"""The columns each import expects (the README documents the same lists). Each area names
its formats in its declaration (``sp_tui.areas``), which is where they are listed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportFormat:
    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


SERVICES = ImportFormat(
    "services",
    required=("provider", "service_ref", "service_name", "service_type", "client_group",
              "district", "term", "start_date"),
    optional=("household_units", "leaseholder_units", "workbook_required", "end_date",
              "contact_name", "address", "email"),
)

VISITS = ImportFormat(
    "visits",
    required=("service_ref", "started_date", "completed_date", "officer", "existing_grade",
              "self_assessed_grade", "awarded_grade"),
    optional=("users_consulted", "notes", "assessment_grade", "safety_grade",
              "safeguarding_grade", "fair_access_grade", "client_involvement_grade",
              "plan_officer", "plan_review_date"),
)

COMPLAINTS = ImportFormat(
    "complaints",
    required=("ref", "service_ref", "received_date", "summary", "status", "closed_date"),
    optional=("channel", "outcome", "officer"),
)

ALERTS = ImportFormat(
    "alerts",
    required=("ref", "service_ref", "received_date", "nature", "referred_date", "status",
              "closed_date"),
    optional=("officer", "notes"),
)

# Workbook history (issue 3): blank received_date = not received; excused = blank or a reason.
WORKBOOKS = ImportFormat("workbooks", required=("service_ref", "quarter", "received_date"),
                         optional=("excused",))
REMINDERS = ImportFormat("reminders", required=("service_ref", "quarter", "sent_date"))
DEFAULTS = ImportFormat("defaults", required=("service_ref", "quarter", "issued_date"),
                        optional=("withdrawn_date", "withdrawn_reason"))
# A quarter's workbook deadline and default-period end where they differ from the defaults.
QUARTERS = ImportFormat("quarters", required=("quarter", "deadline", "default_end"))
# Every rejection ever made; pending = yes for the one awaiting resubmission.
REJECTIONS = ImportFormat("rejections", required=("service_ref", "quarter", "received_date",
                                                  "rejected_on", "reason"),
                          optional=("pending", "undone_at"))
AUDITS = ImportFormat("audits", required=("service_ref", "quarter", "audit_date", "officer",
                                          "assurance"), optional=("notes",))

# KPI figures from the workbooks (issue 14); blank = not reported.
KPIS = ImportFormat("kpis", required=("service_ref", "quarter"),
                    optional=("kpi1_independent", "kpi1_users", "kpi2_planned",
                              "kpi2_departures"))
KPI_BENCHMARKS = ImportFormat("kpi-benchmarks", required=("quarter", "kpi", "scope", "breakdown",
                                                          "category", "value"))

# Reconnection (Appendix 6): monthly returns received, then the movements they report.
RECONNECTION_RETURNS = ImportFormat("reconnection-returns",
                                    required=("service_ref", "month", "received_date"))
RECONNECTION = ImportFormat(
    "reconnection",
    required=("service_ref", "month", "movement", "client_group", "origin", "settled"),
    optional=("origin_area", "count"),
)

# Contract versions over time (issue 17).
CONTRACTS = ImportFormat("contracts", required=("service_ref", "start_date", "end_date",
                                                "contract_type", "capped", "household_units",
                                                "leaseholder_units", "annual_value"))
GRANTS = ImportFormat("grants", required=("financial_year", "amount"))
UNIT_CATEGORIES = ImportFormat("unit-categories", required=("service_type", "category"))
SETTINGS = ImportFormat("settings", required=("setting", "name", "value"))
