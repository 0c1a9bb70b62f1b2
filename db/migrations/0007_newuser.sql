-- 0007: what a new user needed.
--
-- import_aliases remembers the mappings chosen in imports (`--map`, the app's import screen):
-- a spreadsheet's own label for a list value ("Mental health problems" for the client group
-- "People with mental health problems") is matched next time without asking. ``alias`` is the
-- label's comparison key (lower case, words only); ``list`` names the list (client_group,
-- service_type, district, complaint_status, ...).
CREATE TABLE import_aliases (
    list TEXT NOT NULL,
    alias TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
    PRIMARY KEY (list, alias)
);

-- Provider contact details, for letters and the mail merge (blank until known).
ALTER TABLE providers ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN email TEXT NOT NULL DEFAULT '';
