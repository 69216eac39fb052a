-- The follow-up belongs to a body (issue 20): each nämnd and styrelse has its own calendar,
-- closes its own periods and reports on its own items, whose ids (`op.ksf.ksf`, `ks2020_3`)
-- are only unique inside one body's plan. `periods` and `followup_entries` gain `body`, and
-- the calendar's key becomes (municipality, body, month).
--
-- The plans themselves stay keyed by (municipality, version): a version id is unique inside a
-- municipality and its plan names its body (`plans.document_body`), so two bodies' plans never
-- share a key; the import refuses a version id that another body's plan already holds.
--
-- Every database made so far holds one body's plan per municipality: its rows get that body
-- (the plan's `document_body`). A municipality with periods but no plan cannot be placed; the
-- NOT NULL constraint then stops the migration and nothing changes.

-- @postgres
ALTER TABLE followup_entries DROP CONSTRAINT followup_entries_municipality_period_fkey;

ALTER TABLE periods ADD COLUMN body TEXT;

UPDATE periods SET body = (SELECT MIN(p.document_body) FROM plans p WHERE p.municipality = periods.municipality);

ALTER TABLE periods ALTER COLUMN body SET NOT NULL;

ALTER TABLE periods DROP CONSTRAINT periods_pkey;

ALTER TABLE periods DROP CONSTRAINT periods_municipality_id_key;

ALTER TABLE periods ADD PRIMARY KEY (municipality, body, month);

ALTER TABLE periods ADD CONSTRAINT periods_municipality_body_id_key UNIQUE (municipality, body, id);

ALTER TABLE followup_entries ADD COLUMN body TEXT;

ALTER TABLE followup_entries DISABLE TRIGGER followup_entries_append_only;

UPDATE followup_entries SET body = (SELECT MIN(p.document_body) FROM plans p WHERE p.municipality = followup_entries.municipality);

ALTER TABLE followup_entries ENABLE TRIGGER followup_entries_append_only;

ALTER TABLE followup_entries ALTER COLUMN body SET NOT NULL;

ALTER TABLE followup_entries ADD CONSTRAINT followup_entries_period_fkey
    FOREIGN KEY (municipality, body, period) REFERENCES periods (municipality, body, month);

DROP INDEX followup_entries_subject;

CREATE INDEX followup_entries_subject ON followup_entries (municipality, body, period, kind, subject);
-- @sqlite
-- SQLite cannot change a primary key: both tables are rebuilt. The new entries table first
-- refers to the new calendar by its temporary name; renaming the calendar renames the
-- reference. The old entries go before the old calendar, so dropping the calendar deletes no
-- row anything refers to (DROP TABLE fires no DELETE trigger).
CREATE TABLE periods_0016 (
    municipality TEXT NOT NULL,
    body TEXT NOT NULL,
    month TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('monthly', 'interim', 'annual')),
    title TEXT NOT NULL,
    deadline TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    synthetic BIGINT NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
    PRIMARY KEY (municipality, body, month),
    UNIQUE (municipality, body, id)
);

INSERT INTO periods_0016 (municipality, body, month, id, kind, title, deadline, state, synthetic)
SELECT municipality, (SELECT MIN(p.document_body) FROM plans p WHERE p.municipality = periods.municipality),
       month, id, kind, title, deadline, state, synthetic
FROM periods;

CREATE TABLE followup_entries_0016 (
    municipality TEXT NOT NULL,
    body TEXT NOT NULL,
    change_seq BIGINT NOT NULL,
    position BIGINT NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('status', 'outcome', 'assessment', 'forecast', 'control', 'audit_action')),
    subject TEXT NOT NULL,
    value TEXT,
    amount_ore BIGINT,
    comment TEXT,
    action_plan TEXT,
    source TEXT,
    measured_on TEXT,
    reported_at TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    light TEXT CHECK (light IN ('green', 'yellow', 'red')),
    CHECK ((kind = 'forecast') = (amount_ore IS NOT NULL)),
    CHECK ((kind = 'forecast') = (value IS NULL)),
    CHECK ((kind = 'control') = (light IS NOT NULL)),
    PRIMARY KEY (municipality, change_seq, position),
    FOREIGN KEY (municipality, body, period) REFERENCES periods_0016 (municipality, body, month)
);

INSERT INTO followup_entries_0016 (municipality, body, change_seq, position, period, kind,
    subject, value, amount_ore, comment, action_plan, source, measured_on, reported_at,
    reported_by, light)
SELECT municipality,
       (SELECT MIN(p.document_body) FROM plans p WHERE p.municipality = followup_entries.municipality),
       change_seq, position, period, kind, subject, value, amount_ore, comment, action_plan,
       source, measured_on, reported_at, reported_by, light
FROM followup_entries;

DROP TABLE followup_entries;

DROP TABLE periods;

ALTER TABLE periods_0016 RENAME TO periods;

ALTER TABLE followup_entries_0016 RENAME TO followup_entries;

CREATE INDEX followup_entries_subject ON followup_entries (municipality, body, period, kind, subject);

CREATE TRIGGER followup_entries_no_update BEFORE UPDATE ON followup_entries BEGIN SELECT RAISE(ABORT, 'followup_entries är bara för tillägg'); END;

CREATE TRIGGER followup_entries_no_delete BEFORE DELETE ON followup_entries BEGIN SELECT RAISE(ABORT, 'followup_entries är bara för tillägg'); END;
-- @end

CREATE INDEX plans_body ON plans (municipality, document_body, import_seq);
