-- 0011: contracts over time (report Appendix 1, Tables 1.1-1.4).
--
-- A service holds a sequence of contract versions: from a start date to an end date (NULL:
-- open). The tables of a quarter use the version in force at its close, so last year's
-- column shows last year's terms. At most one version is in force on any day (the services
-- layer refuses overlaps); should two ever overlap (a merge of copies), reports take the one
-- that started last. Values are in pence.

CREATE TABLE contract_versions (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    start_date TEXT NOT NULL,
    end_date TEXT CHECK (end_date IS NULL OR end_date >= start_date),
    contract_type TEXT NOT NULL CHECK (contract_type IN ('block gross', 'block subsidy')),
    capped INTEGER NOT NULL DEFAULT 0 CHECK (capped IN (0, 1)),
    household_units INTEGER NOT NULL DEFAULT 0 CHECK (household_units >= 0),
    leaseholder_units INTEGER NOT NULL DEFAULT 0 CHECK (leaseholder_units >= 0),
    annual_value_pence INTEGER NOT NULL DEFAULT 0 CHECK (annual_value_pence >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- also how a merge recognises the same version created in two copies
    UNIQUE (service_id, start_date)
);

-- Which line of Table 1.2 a service type's units go to. Types not listed: other
-- accommodation based. The team can change the mapping.
CREATE TABLE unit_categories (
    service_type TEXT PRIMARY KEY COLLATE NOCASE,
    category TEXT NOT NULL CHECK (category IN ('floating support', 'hia',
        'sheltered accommodation', 'sheltered community alarm', 'other accommodation based')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
INSERT INTO unit_categories (service_type, category) VALUES
    ('Floating support', 'floating support'),
    ('Home improvement agency', 'hia'),
    ('Sheltered housing', 'sheltered accommodation'),
    ('Community or social alarm', 'sheltered community alarm');

-- The annual grant from the government, per financial year ('2008/09'), in pence.
CREATE TABLE contract_grants (
    financial_year TEXT PRIMARY KEY CHECK (financial_year GLOB '[0-9][0-9][0-9][0-9]/[0-9][0-9]'),
    amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
    updated_at TEXT NOT NULL
);

-- Every existing service's units become its first version, from its start date. Until the
-- team records the real terms, long-term services are taken as block subsidy and short-term
-- ones as block gross (the usual pattern), not capped, value not recorded (0). The key is
-- derived from the service's, so two copies upgraded apart hold the same version.
INSERT INTO contract_versions (id, service_id, start_date, end_date, contract_type, capped,
                               household_units, leaseholder_units, annual_value_pence,
                               created_at, updated_at)
SELECT 'contract-' || id,
       id, start_date, NULL,
       CASE term WHEN 'long' THEN 'block subsidy' ELSE 'block gross' END, 0,
       household_units, leaseholder_units, 0,
       strftime('%Y-%m-%dT%H:%M:%S', 'now'), strftime('%Y-%m-%dT%H:%M:%S', 'now')
FROM services;
