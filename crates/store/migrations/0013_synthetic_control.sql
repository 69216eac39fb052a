-- A plan package can mark its internal control (risk assessments, control plan, audit
-- recommendations) as synthetic example data (`synthetic = true` in control.toml); the flag is
-- kept with the plan so that every output drawn from the database still says so (issue 18).
-- (Version 12 is the login throttle's.)

ALTER TABLE plans ADD COLUMN control_synthetic BIGINT NOT NULL DEFAULT 0
    CHECK (control_synthetic IN (0, 1));
