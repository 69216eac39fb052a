-- The audit log and the follow-up reports are only ever added to: the database refuses an
-- UPDATE or a DELETE of their rows (on PostgreSQL also a TRUNCATE of them), whatever program
-- asks. Each statement is one line: the runner splits at a semicolon that ends a line.

-- @sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log är bara för tillägg'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log är bara för tillägg'); END;

CREATE TRIGGER followup_entries_no_update BEFORE UPDATE ON followup_entries BEGIN SELECT RAISE(ABORT, 'followup_entries är bara för tillägg'); END;

CREATE TRIGGER followup_entries_no_delete BEFORE DELETE ON followup_entries BEGIN SELECT RAISE(ABORT, 'followup_entries är bara för tillägg'); END;
-- @postgres
CREATE FUNCTION styr_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% är bara för tillägg', TG_TABLE_NAME; END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION styr_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION styr_append_only();

CREATE TRIGGER followup_entries_append_only BEFORE UPDATE OR DELETE ON followup_entries FOR EACH ROW EXECUTE FUNCTION styr_append_only();

CREATE TRIGGER followup_entries_no_truncate BEFORE TRUNCATE ON followup_entries FOR EACH STATEMENT EXECUTE FUNCTION styr_append_only();
-- @end
