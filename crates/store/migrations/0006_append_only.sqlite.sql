-- The audit log and the follow-up reports are only ever added to: the database refuses an
-- UPDATE or a DELETE of their rows, whatever program asks. (SQLite; PostgreSQL has its own file.)
-- Each trigger is one line: the runner splits statements at a semicolon that ends a line.

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log är bara för tillägg'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log är bara för tillägg'); END;

CREATE TRIGGER followup_entries_no_update BEFORE UPDATE ON followup_entries BEGIN SELECT RAISE(ABORT, 'followup_entries är bara för tillägg'); END;

CREATE TRIGGER followup_entries_no_delete BEFORE DELETE ON followup_entries BEGIN SELECT RAISE(ABORT, 'followup_entries är bara för tillägg'); END;
