-- Stored versions for optimistic concurrency (issue 23, item 4). Every editable follow-up
-- record keeps its version in a column, so that two writers of one record are told apart by one
-- indexed compare-and-set, not by counting predecessors under a global lock:
--
-- - followup_entries (append only): a report is version n of its (body, period, kind,
--   subject); the unique index refuses a second version n, so of two reports based on the same
--   version exactly one is written. Existing rows get the version that was computed for them
--   (how many reports of their key there are up to them, in change order).
-- - measure_values (one current row): an edit is `UPDATE … WHERE version = expected`. Existing
--   rows get the version forms were given until now, their change number.
--
-- On PostgreSQL the change numbers of the audit log come from the sequence change_seq (started
-- after the counter), so that writers of versioned records need not queue on the counter row:
-- they move one of the counters import.1 … import.15 instead, and the change counter that caches
-- key on is the sum of import and those (it still moves with every commit, and only then).

ALTER TABLE followup_entries ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- @sqlite
DROP TRIGGER followup_entries_no_update;
-- @postgres
ALTER TABLE followup_entries DISABLE TRIGGER followup_entries_append_only;
-- @end

UPDATE followup_entries SET version = (SELECT COUNT(*) FROM followup_entries v WHERE v.municipality = followup_entries.municipality AND v.body = followup_entries.body AND v.period = followup_entries.period AND v.kind = followup_entries.kind AND v.subject = followup_entries.subject AND (v.change_seq < followup_entries.change_seq OR (v.change_seq = followup_entries.change_seq AND v.position <= followup_entries.position)));

-- @sqlite
CREATE TRIGGER followup_entries_no_update BEFORE UPDATE ON followup_entries BEGIN SELECT RAISE(ABORT, 'followup_entries är bara för tillägg'); END;
-- @postgres
ALTER TABLE followup_entries ENABLE TRIGGER followup_entries_append_only;
-- @end

CREATE UNIQUE INDEX followup_entries_version ON followup_entries (municipality, body, period, kind, subject, version);

DROP INDEX followup_entries_subject;

ALTER TABLE measure_values ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

UPDATE measure_values SET version = change_seq;

INSERT INTO counters (name, value) VALUES ('import.1', 0), ('import.2', 0), ('import.3', 0), ('import.4', 0), ('import.5', 0), ('import.6', 0), ('import.7', 0), ('import.8', 0), ('import.9', 0), ('import.10', 0), ('import.11', 0), ('import.12', 0), ('import.13', 0), ('import.14', 0), ('import.15', 0);

-- @postgres
CREATE SEQUENCE change_seq;

SELECT setval('change_seq', GREATEST((SELECT value FROM counters WHERE name = 'import'), (SELECT COALESCE(MAX(seq), 0) FROM audit_log), 1));
-- @end
