-- 0012: the report document's title block, edited with `sp-tui report settings`.
--
-- One record (id 'report'); blank fields fall back to the defaults in
-- sp_tui/domain/report_settings.py. report_date NULL: the date the document is written.
CREATE TABLE report_settings (
    id TEXT PRIMARY KEY CHECK (id = 'report'),
    addressee TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    report_date TEXT,
    subject TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
