-- 0009: outcomes (the national outcomes framework, report section 4, Appendices 3-5).
--
-- outcome_returns: one short-term outcome return per client who left a service, as the
-- national data office publishes them. The 17 sub-outcomes are pairs of columns
-- (<code>_need, <code>_achieved), 0 or 1: a wide row stores each pair in two header bytes
-- (SQLite's serial types for the integers 0 and 1 hold no payload) and one scan of the
-- departure range sums every cell of Appendices 4 and 5. A narrow table would hold ~5 rows
-- per return, each repeating the return's key.
-- return_key identifies a return across imports (and merges of copies): 'ref:<return_ref>'
-- when the dataset gives a reference, else 'row:<hash of service, departure date, answers>'.
-- content_hash lets a re-import tell an unchanged return from a corrected one.

CREATE TABLE outcome_returns (
    id TEXT PRIMARY KEY,
    return_key TEXT NOT NULL UNIQUE,
    return_ref TEXT,
    content_hash TEXT NOT NULL,
    service_id TEXT NOT NULL REFERENCES services(id),
    departure_date TEXT NOT NULL,
    client_group TEXT,                      -- the client's own; NULL: not given
    planned_move INTEGER CHECK (planned_move IN (0, 1)),            -- NULL: unanswered
    greater_independence INTEGER CHECK (greater_independence IN (0, 1)),
    income_need INTEGER NOT NULL DEFAULT 0 CHECK (income_need IN (0, 1)),
    income_achieved INTEGER NOT NULL DEFAULT 0 CHECK (income_achieved IN (0, 1) AND income_achieved <= income_need),
    debt_need INTEGER NOT NULL DEFAULT 0 CHECK (debt_need IN (0, 1)),
    debt_achieved INTEGER NOT NULL DEFAULT 0 CHECK (debt_achieved IN (0, 1) AND debt_achieved <= debt_need),
    paid_work_need INTEGER NOT NULL DEFAULT 0 CHECK (paid_work_need IN (0, 1)),
    paid_work_achieved INTEGER NOT NULL DEFAULT 0 CHECK (paid_work_achieved IN (0, 1) AND paid_work_achieved <= paid_work_need),
    training_need INTEGER NOT NULL DEFAULT 0 CHECK (training_need IN (0, 1)),
    training_achieved INTEGER NOT NULL DEFAULT 0 CHECK (training_achieved IN (0, 1) AND training_achieved <= training_need),
    informal_learning_need INTEGER NOT NULL DEFAULT 0 CHECK (informal_learning_need IN (0, 1)),
    informal_learning_achieved INTEGER NOT NULL DEFAULT 0 CHECK (informal_learning_achieved IN (0, 1) AND informal_learning_achieved <= informal_learning_need),
    work_like_need INTEGER NOT NULL DEFAULT 0 CHECK (work_like_need IN (0, 1)),
    work_like_achieved INTEGER NOT NULL DEFAULT 0 CHECK (work_like_achieved IN (0, 1) AND work_like_achieved <= work_like_need),
    external_groups_need INTEGER NOT NULL DEFAULT 0 CHECK (external_groups_need IN (0, 1)),
    external_groups_achieved INTEGER NOT NULL DEFAULT 0 CHECK (external_groups_achieved IN (0, 1) AND external_groups_achieved <= external_groups_need),
    physical_health_need INTEGER NOT NULL DEFAULT 0 CHECK (physical_health_need IN (0, 1)),
    physical_health_achieved INTEGER NOT NULL DEFAULT 0 CHECK (physical_health_achieved IN (0, 1) AND physical_health_achieved <= physical_health_need),
    mental_health_need INTEGER NOT NULL DEFAULT 0 CHECK (mental_health_need IN (0, 1)),
    mental_health_achieved INTEGER NOT NULL DEFAULT 0 CHECK (mental_health_achieved IN (0, 1) AND mental_health_achieved <= mental_health_need),
    substance_misuse_need INTEGER NOT NULL DEFAULT 0 CHECK (substance_misuse_need IN (0, 1)),
    substance_misuse_achieved INTEGER NOT NULL DEFAULT 0 CHECK (substance_misuse_achieved IN (0, 1) AND substance_misuse_achieved <= substance_misuse_need),
    assistive_technology_need INTEGER NOT NULL DEFAULT 0 CHECK (assistive_technology_need IN (0, 1)),
    assistive_technology_achieved INTEGER NOT NULL DEFAULT 0 CHECK (assistive_technology_achieved IN (0, 1) AND assistive_technology_achieved <= assistive_technology_need),
    accommodation_need INTEGER NOT NULL DEFAULT 0 CHECK (accommodation_need IN (0, 1)),
    accommodation_achieved INTEGER NOT NULL DEFAULT 0 CHECK (accommodation_achieved IN (0, 1) AND accommodation_achieved <= accommodation_need),
    statutory_orders_need INTEGER NOT NULL DEFAULT 0 CHECK (statutory_orders_need IN (0, 1)),
    statutory_orders_achieved INTEGER NOT NULL DEFAULT 0 CHECK (statutory_orders_achieved IN (0, 1) AND statutory_orders_achieved <= statutory_orders_need),
    self_harm_need INTEGER NOT NULL DEFAULT 0 CHECK (self_harm_need IN (0, 1)),
    self_harm_achieved INTEGER NOT NULL DEFAULT 0 CHECK (self_harm_achieved IN (0, 1) AND self_harm_achieved <= self_harm_need),
    harm_to_others_need INTEGER NOT NULL DEFAULT 0 CHECK (harm_to_others_need IN (0, 1)),
    harm_to_others_achieved INTEGER NOT NULL DEFAULT 0 CHECK (harm_to_others_achieved IN (0, 1) AND harm_to_others_achieved <= harm_to_others_need),
    harm_from_others_need INTEGER NOT NULL DEFAULT 0 CHECK (harm_from_others_need IN (0, 1)),
    harm_from_others_achieved INTEGER NOT NULL DEFAULT 0 CHECK (harm_from_others_achieved IN (0, 1) AND harm_from_others_achieved <= harm_from_others_need),
    confidence_choice_need INTEGER NOT NULL DEFAULT 0 CHECK (confidence_choice_need IN (0, 1)),
    confidence_choice_achieved INTEGER NOT NULL DEFAULT 0 CHECK (confidence_choice_achieved IN (0, 1) AND confidence_choice_achieved <= confidence_choice_need),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (greater_independence IS NULL OR planned_move = 1)
);
-- Appendices 3-5 read a departure-date range; the screen's missing-returns list a service's.
CREATE INDEX outcome_returns_departure ON outcome_returns (departure_date, service_id);
CREATE INDEX outcome_returns_service ON outcome_returns (service_id, departure_date);

-- Long-term services make one annual outcome return per financial year ('2008/09').
CREATE TABLE outcome_annual_returns (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    financial_year TEXT NOT NULL,
    received_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (service_id, financial_year)
);
CREATE INDEX outcome_annual_returns_year ON outcome_annual_returns (financial_year, service_id);

-- The framework's six service types, from the register's: editable by the team
-- (`sp-tui outcomes map`). outcome_type NULL: not an outcomes service type (long-term
-- provision such as sheltered housing); a register type with no row is treated the same.
CREATE TABLE outcome_service_types (
    service_type TEXT PRIMARY KEY COLLATE NOCASE,
    outcome_type TEXT CHECK (outcome_type IS NULL OR outcome_type IN (
        'Direct access', 'Floating support', 'Foyer', 'Outreach', 'Supported housing',
        'Women''s refuge')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);

INSERT INTO outcome_service_types (service_type, outcome_type) VALUES
    ('Direct access', 'Direct access'),
    ('Floating support', 'Floating support'),
    ('Foyer', 'Foyer'),
    ('Outreach', 'Outreach'),
    ('Supported housing', 'Supported housing'),
    ('Women''s refuge', 'Women''s refuge'),
    ('Accommodation based', 'Supported housing'),
    ('Teenage parent accommodation', 'Supported housing'),
    ('Supported lodgings', 'Supported housing'),
    ('Resettlement', 'Floating support'),
    ('Sheltered housing', NULL),
    ('Community or social alarm', NULL),
    ('Home improvement agency', NULL);
