-- A plan package can mark a follow-up period's reports as synthetic example data (`synthetic =
-- true` in its `[[period]]` in followup.toml); the flag is kept with the municipality's calendar
-- so that every output of the period's follow-up drawn from the database says so (issue 18).

ALTER TABLE periods ADD COLUMN synthetic BIGINT NOT NULL DEFAULT 0
    CHECK (synthetic IN (0, 1));
