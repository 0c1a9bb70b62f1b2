-- 0003: QAF monitoring visits. A visit is begun on one day and completed (maybe) later; its
-- awarded grade is NULL while in progress or when the visit ends without a grade. A service's
-- current grade is the awarded grade of its latest completed visit (no column holds it, so it
-- can never disagree with the visits).

CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    officer TEXT NOT NULL,
    started_date TEXT NOT NULL,
    completed_date TEXT CHECK (completed_date IS NULL OR completed_date >= started_date),
    existing_grade TEXT CHECK (existing_grade IN ('A', 'B', 'C', 'D')),
    self_assessed_grade TEXT CHECK (self_assessed_grade IN ('A', 'B', 'C', 'D')),
    awarded_grade TEXT CHECK (awarded_grade IN ('A', 'B', 'C', 'D')),
    users_consulted INTEGER NOT NULL DEFAULT 0 CHECK (users_consulted IN (0, 1)),
    notes TEXT NOT NULL DEFAULT '',
    -- the five core objectives of the revised (2009) QAF, each optionally graded
    assessment_grade TEXT CHECK (assessment_grade IN ('A', 'B', 'C', 'D')),
    safety_grade TEXT CHECK (safety_grade IN ('A', 'B', 'C', 'D')),
    safeguarding_grade TEXT CHECK (safeguarding_grade IN ('A', 'B', 'C', 'D')),
    fair_access_grade TEXT CHECK (fair_access_grade IN ('A', 'B', 'C', 'D')),
    client_involvement_grade TEXT CHECK (client_involvement_grade IN ('A', 'B', 'C', 'D')),
    -- a D award puts the service on an action plan supervised by a monitoring officer
    plan_officer TEXT,
    plan_review_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (awarded_grade IS NULL OR completed_date IS NOT NULL)
);

-- Tables 6 and 7 and the quarter's visit list: visits begun in a date range (covering).
CREATE INDEX visits_started ON visits (
    started_date, completed_date, existing_grade, self_assessed_grade, awarded_grade);
-- Current grade as at a date and grade history: a service's visits by completion (covering).
CREATE INDEX visits_service_completed ON visits (
    service_id, completed_date, started_date, created_at, id, awarded_grade);
-- One visit per service per start day: re-importing a file updates instead of duplicating.
CREATE UNIQUE INDEX visits_service_started ON visits (service_id, started_date);
-- Visits still open (the quarter list shows those begun earlier and not yet completed).
CREATE INDEX visits_open ON visits (completed_date, started_date);
-- Action plans: the few visits that awarded a D.
CREATE INDEX visits_awarded ON visits (awarded_grade, completed_date);
CREATE INDEX visits_officer ON visits (officer COLLATE NOCASE, started_date);
-- Table 8 walks the services active at a quarter's close.
CREATE INDEX services_active_on ON services (start_date, end_date, id);
