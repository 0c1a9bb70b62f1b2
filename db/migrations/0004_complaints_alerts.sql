-- 0004: complaints and safeguarding alerts, each followed to its close.
-- The list of alert natures has its own table (reference_values' kind CHECK cannot be altered
-- in SQLite without rebuilding a table others depend on); the team can add to it.

CREATE TABLE alert_natures (
    value TEXT PRIMARY KEY COLLATE NOCASE,
    position INTEGER NOT NULL,  -- the order of Table 9's rows
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);

INSERT INTO alert_natures (value, position) VALUES
    ('Financial abuse', 1),
    ('Physical abuse', 2),
    ('Sexual abuse', 3),
    ('Psychological abuse', 4),
    ('Neglect', 5),
    ('Discriminatory abuse', 6),
    ('Institutional abuse', 7),
    ('Other', 8);

CREATE TABLE complaints (
    id TEXT PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
    service_id TEXT NOT NULL REFERENCES services(id),
    received_date TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'concluded', 'contractual negotiation')),
    closed_date TEXT CHECK (closed_date IS NULL OR closed_date >= received_date),
    outcome TEXT NOT NULL DEFAULT '',
    officer TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((status = 'concluded') = (closed_date IS NOT NULL))
);
-- Covers the quarter report (received range -> status, closed date) without the table.
CREATE INDEX complaints_received ON complaints (received_date, status, closed_date);
CREATE INDEX complaints_service ON complaints (service_id);

CREATE TABLE safeguarding_alerts (
    id TEXT PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
    service_id TEXT NOT NULL REFERENCES services(id),
    received_date TEXT NOT NULL,
    nature TEXT NOT NULL REFERENCES alert_natures(value),
    referred_date TEXT CHECK (referred_date IS NULL OR referred_date >= received_date),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_date TEXT CHECK (closed_date IS NULL OR closed_date >= received_date),
    officer TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((status = 'closed') = (closed_date IS NOT NULL))
);
-- Covers Table 9 (received range -> nature, service, closed date).
CREATE INDEX safeguarding_alerts_received
    ON safeguarding_alerts (received_date, nature, service_id, closed_date);
-- The few alerts still waiting for a co-ordinator, for the highlight and the dashboard.
CREATE INDEX safeguarding_alerts_unreferred
    ON safeguarding_alerts (received_date) WHERE referred_date IS NULL;
CREATE INDEX safeguarding_alerts_service ON safeguarding_alerts (service_id);
