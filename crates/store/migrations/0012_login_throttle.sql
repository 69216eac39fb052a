-- Login throttling per client: a failed login records the client's address, so that guessing
-- from one address is slowed without locking the account's owner out from another; a
-- successful login records the address as known-good for the account, so that a cap on the
-- whole account's failures never blocks the owner's own client.

ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';

CREATE INDEX login_failures_address ON login_failures (login, address, at);

CREATE TABLE login_successes (
    login TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (login, address)
);
