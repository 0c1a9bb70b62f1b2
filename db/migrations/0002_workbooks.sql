-- 0002: quarterly workbook returns: receipts (with rejections kept), reminders, default
-- notices, and workbook audits.
--
-- A workbook is one per service per quarter. Expected workbooks are not stored: they are the
-- services active in the quarter with workbook_required = 1. A row in `workbooks` exists once
-- something has happened to one (received, excused, rejected). Its id is derived from
-- (service_id, quarter) so two copies of the database name the same workbook alike.

CREATE TABLE workbooks (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    quarter INTEGER NOT NULL CHECK (quarter >= 1),
    -- the accepted submission's date; NULL while not received or after a rejection
    received_date TEXT,
    excused_reason TEXT,
    excused_on TEXT,            -- NULL with a reason: excused from the start (imported history)
    rejected_on TEXT,           -- the pending rejection, cleared by a resubmission
    rejected_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (service_id, quarter)
);
-- Table 2 and the quarter summary: range of one quarter, receipt dates, the service to join.
CREATE INDEX workbooks_quarter_received ON workbooks (quarter, received_date, service_id);
-- Excused workbooks are few: a partial index keeps counting them cheap.
CREATE INDEX workbooks_excused
    ON workbooks (quarter, service_id, received_date, excused_reason)
    WHERE excused_reason IS NOT NULL;

-- Every rejection ever made: the submission's date, when and why it was rejected.
CREATE TABLE workbook_rejections (
    id TEXT PRIMARY KEY,
    workbook_id TEXT NOT NULL REFERENCES workbooks(id),
    received_date TEXT NOT NULL,
    rejected_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    undone_at TEXT,             -- set when the rejection was undone (the record is kept)
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX workbook_rejections_workbook ON workbook_rejections (workbook_id);

CREATE TABLE workbook_reminders (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    quarter INTEGER NOT NULL CHECK (quarter >= 1),
    sent_date TEXT NOT NULL,
    letter TEXT,                -- the letter file written to the outbox, if any
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One index each serves both the quarter's counts and the per-workbook lookups (covering).
CREATE INDEX workbook_reminders_quarter ON workbook_reminders (quarter, service_id, sent_date);

CREATE TABLE workbook_defaults (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    quarter INTEGER NOT NULL CHECK (quarter >= 1),
    issued_date TEXT NOT NULL,
    extended_deadline TEXT,
    withdrawn_date TEXT,        -- a withdrawn default leaves the counts; its record stays
    withdrawn_reason TEXT,
    letter TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((withdrawn_date IS NULL) = (withdrawn_reason IS NULL))
);
CREATE INDEX workbook_defaults_quarter
    ON workbook_defaults (quarter, withdrawn_date, service_id, issued_date);

CREATE TABLE workbook_audits (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    quarter INTEGER NOT NULL CHECK (quarter >= 1),
    audit_date TEXT NOT NULL,
    officer TEXT NOT NULL,
    assurance TEXT NOT NULL CHECK (assurance IN ('high', 'medium', 'low')),
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX workbook_audits_service ON workbook_audits (service_id, audit_date, assurance);
CREATE INDEX workbook_audits_date ON workbook_audits (audit_date, service_id, assurance);

-- Expected workbooks join services by id; this index carries the columns that decide
-- whether a service is expected, so the join never reads the table.
CREATE INDEX services_expected ON services (id, workbook_required, start_date, end_date);
