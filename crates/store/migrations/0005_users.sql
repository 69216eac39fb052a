-- The people who use the web application and the API: users of one municipality with a role
-- and the units they report for, their sessions, API tokens, and failed logins (throttling).
-- Secrets are never stored: a password as its argon2id PHC string, a session or API token as
-- the hex SHA-256 of the random token the user holds.

CREATE TABLE users (
    login TEXT NOT NULL PRIMARY KEY,
    municipality TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'controller', 'reporter', 'auditor', 'reader')),
    units TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT NOT NULL PRIMARY KEY,
    login TEXT NOT NULL REFERENCES users (login) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    login TEXT NOT NULL REFERENCES users (login) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

CREATE TABLE login_failures (
    login TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX login_failures_login ON login_failures (login, at);
