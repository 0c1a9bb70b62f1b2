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
