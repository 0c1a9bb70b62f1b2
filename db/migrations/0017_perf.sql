-- 0017: covering indexes for the dashboard's "needs attention" list (issue 20).
--
-- Low-assurance revisits: each service's latest workbook audit, read in the window's own
-- order (no temporary sort, no table look-ups).
CREATE INDEX IF NOT EXISTS workbook_audits_latest
    ON workbook_audits (service_id, audit_date DESC, created_at DESC, id, assurance, officer);
-- Each expected service's workbook and KPI figures for a quarter, read from the index alone
-- (KPI figures missing; the workbook status lists).
CREATE INDEX IF NOT EXISTS workbooks_service_received
    ON workbooks (service_id, quarter, received_date);
CREATE INDEX IF NOT EXISTS kpi_figures_service
    ON kpi_figures (service_id, quarter, kpi1_independent, kpi1_users, kpi2_planned,
                    kpi2_departures);
-- The contract position (dashboard panel, Tables 1.1-1.4): each active service's version in
-- force, read from indexes alone (was a table look-up per service and per version).
CREATE INDEX IF NOT EXISTS contract_versions_in_force
    ON contract_versions (service_id, start_date, end_date, contract_type, capped,
                          household_units, leaseholder_units, annual_value_pence);
CREATE INDEX IF NOT EXISTS services_in_force
    ON services (start_date, end_date, id, provider_id, service_type);
