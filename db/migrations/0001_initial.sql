-- 0001: the registry of providers and services, reference lists, quarter calendar, audit.
-- Every record has a stable text identifier (a UUID) and a last-changed time, so that two
-- copies of the database can be merged without duplicates.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE TABLE reference_values (
    kind TEXT NOT NULL CHECK (kind IN ('district', 'client_group', 'service_type')),
    value TEXT NOT NULL COLLATE NOCASE,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
    PRIMARY KEY (kind, value)
);

INSERT INTO reference_values (kind, value) VALUES
    ('district', 'Ashford'),
    ('district', 'Canterbury'),
    ('district', 'Dartford'),
    ('district', 'Dover'),
    ('district', 'Gravesham'),
    ('district', 'Maidstone'),
    ('district', 'Sevenoaks'),
    ('district', 'Shepway'),
    ('district', 'Swale'),
    ('district', 'Thanet'),
    ('district', 'Tonbridge & Malling'),
    ('district', 'Tunbridge Wells'),
    ('client_group', 'Complex needs'),
    ('client_group', 'Frail elderly'),
    ('client_group', 'Homeless families with support needs'),
    ('client_group', 'Mentally disordered offenders'),
    ('client_group', 'Offenders or people at risk of offending'),
    ('client_group', 'Older people with mental health problems/dementia'),
    ('client_group', 'Older people with support needs'),
    ('client_group', 'Physical or sensory disability'),
    ('client_group', 'People with alcohol problems'),
    ('client_group', 'People with drug problems'),
    ('client_group', 'People with learning disabilities'),
    ('client_group', 'People with mental health problems'),
    ('client_group', 'Refugees'),
    ('client_group', 'Rough sleepers'),
    ('client_group', 'Single homeless with support needs'),
    ('client_group', 'People at risk of domestic violence'),
    ('client_group', 'Teenage parents'),
    ('client_group', 'Young people at risk'),
    ('client_group', 'Young people leaving care'),
    ('client_group', 'People with HIV/AIDS'),
    ('client_group', 'Travellers'),
    ('client_group', 'Generic'),
    ('service_type', 'Accommodation based'),
    ('service_type', 'Floating support'),
    ('service_type', 'Community or social alarm'),
    ('service_type', 'Home improvement agency'),
    ('service_type', 'Outreach'),
    ('service_type', 'Resettlement'),
    ('service_type', 'Direct access'),
    ('service_type', 'Foyer'),
    ('service_type', 'Supported housing'),
    ('service_type', 'Women''s refuge'),
    ('service_type', 'Sheltered housing'),
    ('service_type', 'Teenage parent accommodation'),
    ('service_type', 'Supported lodgings');

CREATE TABLE providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    service_ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES providers(id),
    service_type TEXT NOT NULL,
    client_group TEXT NOT NULL,
    district TEXT NOT NULL,
    term TEXT NOT NULL CHECK (term IN ('short', 'long')),
    household_units INTEGER NOT NULL DEFAULT 0 CHECK (household_units >= 0),
    leaseholder_units INTEGER NOT NULL DEFAULT 0 CHECK (leaseholder_units >= 0),
    workbook_required INTEGER NOT NULL DEFAULT 1 CHECK (workbook_required IN (0, 1)),
    start_date TEXT NOT NULL,
    end_date TEXT CHECK (end_date IS NULL OR end_date >= start_date),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX services_provider ON services (provider_id);
CREATE INDEX services_name ON services (name COLLATE NOCASE);
CREATE INDEX services_active ON services (workbook_required, start_date, end_date);

-- Only quarters whose dates were edited have a row; the others use the domain's defaults.
CREATE TABLE quarter_calendar (
    quarter INTEGER PRIMARY KEY CHECK (quarter >= 1),
    deadline TEXT NOT NULL,
    default_end TEXT NOT NULL CHECK (default_end >= deadline),
    updated_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    summary TEXT NOT NULL,
    old_values TEXT,
    new_values TEXT,
    source TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
