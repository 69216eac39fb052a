-- One e-mail address per user (issues 24 and 25): users.email is where reminders go and the
-- address a user signs in with at the identity provider. Migration 0031 added users.email (for
-- reminders) and 0032 user_identities.email (for sign-in): two addresses of one person, set by
-- two commands. From here `styr user epost` and `styr user oidc --epost` write the same column.
--
-- users.email is stored trimmed and in lower case (the form the sign-in compares); an empty one
-- is none.
--
-- users.oidc: 1 for a user who signs in with the identity provider (a row in user_identities,
-- which keeps the provider's issuer and subject once linked). The unique index on (email) of
-- those users is what 0032's index on user_identities (email) was: an address the provider
-- gives names at most one user, so the first sign-in matches one user or none. Users who do not
-- sign in with the provider may share an address (a shared mailbox for reminders).
--
-- Keeping every address: a user with an identity and no reminder address gets the sign-in
-- address. Where the two differ, the sign-in address wins: it is the one the provider knows the
-- person by, the first sign-in needs it, and 0032's unique index guarantees it is one user's;
-- the reminder address it replaces is set again with `styr user epost` if it is still wanted
-- (docs/operations.md says so).

ALTER TABLE users ADD COLUMN oidc BIGINT NOT NULL DEFAULT 0;

UPDATE users SET email = lower(trim(email)) WHERE email IS NOT NULL;

UPDATE users SET email = NULL WHERE email = '';

UPDATE users SET email = (SELECT i.email FROM user_identities i WHERE i.login = users.login), oidc = 1 WHERE login IN (SELECT login FROM user_identities);

DROP INDEX user_identities_email;

ALTER TABLE user_identities DROP COLUMN email;

CREATE UNIQUE INDEX users_sign_in_email ON users (email) WHERE oidc = 1;
