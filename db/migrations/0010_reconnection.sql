-- 0010: reconnection (Appendix 6). Short-term services report monthly where each person
-- entering came from and where each person leaving settled.
--
-- A movement row counts people of one kind in one service and month: entrants ('in') by
-- client group and area of origin; leavers ('out') by client group, area of origin and area
-- settled. origin_area optionally names an out-of-county origin ("Medway"); settled is ''
-- for entrants. A return row says that a service's return for a month arrived (a nil return
-- has no movements), so missing returns can be listed like late workbooks.

CREATE TABLE reconnection_returns (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    received_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (service_id, month)
);
CREATE INDEX reconnection_returns_month ON reconnection_returns (month, service_id);

CREATE TABLE reconnection_movements (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    movement TEXT NOT NULL CHECK (movement IN ('in', 'out')),
    client_group TEXT NOT NULL,
    origin TEXT NOT NULL,
    origin_area TEXT NOT NULL DEFAULT '',
    settled TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL CHECK (count >= 1),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((movement = 'in') = (settled = '')),
    UNIQUE (service_id, month, movement, client_group, origin, origin_area, settled)
);
-- Covers the tables of a month range (month -> everything they count, and the service).
CREATE INDEX reconnection_movements_month ON reconnection_movements
    (month, movement, client_group, origin, settled, origin_area, count, service_id);
