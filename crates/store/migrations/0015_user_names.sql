-- A user's display name ("Anna Lindqvist"), shown in the audit log, beside a report and in the
-- web header; the login stays the user's id. Users made before have none and are shown by
-- their login (issue 18).

ALTER TABLE users ADD COLUMN name TEXT;
