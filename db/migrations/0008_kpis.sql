-- 0008: what the workbooks say: KPI 1 (NI 142) and KPI 2 (NI 141) figures per service and
-- quarter, the regional and national figures CLG publishes, targets per financial year, the
-- RAG tolerance, and the service-type -> service-class mapping of Table 2.1.
--
-- Every table is a record table (one key, updated_at) so that copies merge. A correction
-- overwrites the row; its old values are kept in the audit log.

-- One row per service and quarter (id derived from both, like workbooks). A pair left NULL
-- is "not reported"; KPI 1 is for long-term services, KPI 2 for short-term (checked by the
-- service functions, which know the service's term).
CREATE TABLE kpi_figures (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    quarter INTEGER NOT NULL CHECK (quarter >= 1),
    kpi1_independent INTEGER CHECK (kpi1_independent >= 0),
    kpi1_users INTEGER CHECK (kpi1_users >= 0),
    kpi2_planned INTEGER CHECK (kpi2_planned >= 0),
    kpi2_departures INTEGER CHECK (kpi2_departures >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (service_id, quarter),
    CHECK ((kpi1_independent IS NULL) = (kpi1_users IS NULL)),
    CHECK ((kpi2_planned IS NULL) = (kpi2_departures IS NULL)),
    CHECK (kpi1_independent IS NULL OR kpi1_independent <= kpi1_users),
    CHECK (kpi2_planned IS NULL OR kpi2_planned <= kpi2_departures)
);
-- Tables 2.1-2.5 read a range of quarters and sum the figures: covering.
CREATE INDEX kpi_figures_quarter ON kpi_figures
    (quarter, service_id, kpi1_independent, kpi1_users, kpi2_planned, kpi2_departures);

-- Regional / national figures, entered by hand or imported. value is a percentage kept as
-- exact decimal text ("98.67"). category is '' for the overall figure.
CREATE TABLE kpi_benchmarks (
    id TEXT PRIMARY KEY,
    quarter INTEGER NOT NULL CHECK (quarter >= 1),
    kpi INTEGER NOT NULL CHECK (kpi IN (1, 2)),
    scope TEXT NOT NULL CHECK (scope IN ('regional', 'national')),
    breakdown TEXT NOT NULL CHECK (breakdown IN ('overall', 'service_class', 'client_group')),
    category TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (quarter, kpi, scope, breakdown, category),
    CHECK ((breakdown = 'overall') = (category = ''))
);

-- Targets per financial year ("2008/09"); a year without a row uses the latest earlier one.
CREATE TABLE kpi_targets (
    id TEXT PRIMARY KEY,              -- "kpi1 2008/09"
    kpi INTEGER NOT NULL CHECK (kpi IN (1, 2)),
    financial_year TEXT NOT NULL,
    target TEXT NOT NULL,             -- a percentage as exact decimal text
    updated_at TEXT NOT NULL,
    UNIQUE (kpi, financial_year)
);
INSERT INTO kpi_targets (id, kpi, financial_year, target, updated_at) VALUES
    ('kpi1 2008/09', 1, '2008/09', '98', '2009-04-01T00:00:00'),
    ('kpi2 2008/09', 2, '2008/09', '66.7', '2009-04-01T00:00:00'),
    ('kpi2 2009/10', 2, '2009/10', '68.2', '2009-04-01T00:00:00'),
    ('kpi2 2010/11', 2, '2010/11', '71', '2009-04-01T00:00:00');

CREATE TABLE kpi_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Amber: below target by less than this many percentage points; red: by this or more.
INSERT INTO kpi_settings (key, value, updated_at)
    VALUES ('rag_tolerance', '2', '2009-04-01T00:00:00');

-- Table 2.1's split. A service type without a row is accommodation based.
CREATE TABLE kpi_service_classes (
    service_type TEXT PRIMARY KEY COLLATE NOCASE,
    service_class TEXT NOT NULL
        CHECK (service_class IN ('accommodation based', 'floating support')),
    updated_at TEXT NOT NULL
);
INSERT INTO kpi_service_classes (service_type, service_class, updated_at)
    VALUES ('Floating support', 'floating support', '2009-04-01T00:00:00');
