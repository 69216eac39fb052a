-- The audit log: who did what, when. Rows are never deleted with a plan (no foreign key).
-- `seq` comes from the `counters` row 'import', which every import increments first: the row
-- lock serialises imports on PostgreSQL and gives a strict order on both backends.

CREATE TABLE counters (
    name TEXT NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);

INSERT INTO counters (name, value) VALUES ('import', 0);

CREATE TABLE audit_log (
    seq BIGINT NOT NULL PRIMARY KEY,
    municipality TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
