-- Sign-in with the municipality's identity provider (OpenID Connect; issue 25, item 1).
--
-- user_identities: which person at an identity provider a styr user is. An administrator names
-- the e-mail the provider will give (`styr user oidc LOGIN --epost …`, issuer and subject still
-- empty); the first sign-in whose verified e-mail claim matches stores the provider's issuer and
-- subject, and from then on only that (issuer, subject) signs in as the user, whatever e-mail
-- the provider gives later. The user's role and units stay styr's.
--
-- oidc_logins: a sign-in begun and not yet finished: the SHA-256 of its `state`, the nonce and
-- the PKCE verifier the callback needs. `used_at` is set by the one callback that takes it, in
-- one UPDATE, so a replayed callback URL is refused even after a restart or on another server
-- process sharing the database.

CREATE TABLE user_identities (
    login TEXT NOT NULL PRIMARY KEY REFERENCES users (login) ON DELETE CASCADE,
    email TEXT NOT NULL,
    issuer TEXT,
    subject TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    linked_at TEXT
);

CREATE UNIQUE INDEX user_identities_email ON user_identities (email);

CREATE UNIQUE INDEX user_identities_subject ON user_identities (issuer, subject);

CREATE TABLE oidc_logins (
    state_hash TEXT NOT NULL PRIMARY KEY,
    issuer TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT
);

CREATE INDEX oidc_logins_created ON oidc_logins (created_at);
