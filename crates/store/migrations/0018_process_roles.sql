-- The budget process's roles (issue 21): a writer of one body's proposal, the budget
-- strategist, the politician who writes a party's alternative and asks beredning's questions,
-- and the KS/KF secretary who records the decisions. Only the check on `users.role` changes.

-- @postgres
ALTER TABLE users DROP CONSTRAINT users_role_check;

ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'controller',
    'reporter', 'auditor', 'reader', 'writer', 'strategist', 'politician', 'secretary'));
-- @sqlite
-- SQLite cannot change a check: the three tables are rebuilt. The new sessions and tokens
-- first refer to the new users by its temporary name; renaming it renames the references.
-- The children go before their parent, so dropping the old users cascades to nothing.
CREATE TABLE users_0018 (
    login TEXT NOT NULL PRIMARY KEY,
    municipality TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'controller', 'reporter', 'auditor', 'reader',
        'writer', 'strategist', 'politician', 'secretary')),
    units TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    name TEXT
);

INSERT INTO users_0018 (login, municipality, role, units, password_hash, created_at, name)
    SELECT login, municipality, role, units, password_hash, created_at, name FROM users;

CREATE TABLE sessions_0018 (
    token_hash TEXT NOT NULL PRIMARY KEY,
    login TEXT NOT NULL REFERENCES users_0018 (login) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

INSERT INTO sessions_0018 (token_hash, login, csrf, created_at, expires_at)
    SELECT token_hash, login, csrf, created_at, expires_at FROM sessions;

CREATE TABLE api_tokens_0018 (
    token_hash TEXT NOT NULL PRIMARY KEY,
    login TEXT NOT NULL REFERENCES users_0018 (login) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

INSERT INTO api_tokens_0018 (token_hash, login, created_at)
    SELECT token_hash, login, created_at FROM api_tokens;

DROP TABLE sessions;

DROP TABLE api_tokens;

DROP TABLE users;

ALTER TABLE users_0018 RENAME TO users;

ALTER TABLE sessions_0018 RENAME TO sessions;

ALTER TABLE api_tokens_0018 RENAME TO api_tokens;
-- @end
