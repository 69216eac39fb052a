-- E-mail reminders before and after a follow-up period's deadline (issue 25, item 2).
--
-- users.email: where a user's reminders go; users without one get none.
--
-- reminder_schedule: per municipality and step (`fore`: before the deadline, `efter`: after
-- it), how many days from the deadline the reminder is sent and whether it is sent at all. A
-- municipality without a row for a step has the default (`styr_app::reminders`).
--
-- reminder_outbox: one row per (municipality, body, period, deadline, step, recipient): the
-- mail decided on, written in the transaction that decides to send it, so that the primary key
-- refuses a second decision and a restart never sends the same reminder twice. The mail's text
-- is stored with it, so a retry sends what was decided. `status`: `vantar` (not yet sent),
-- `skickad`, `misslyckad` (tried and refused; retried after `next_attempt_at`). `leased_until`:
-- a sender that took the row to send it holds it until then, so that two senders (the server's
-- task and a cron run) do not send it twice.

ALTER TABLE users ADD COLUMN email TEXT;

CREATE TABLE reminder_schedule (
    municipality TEXT NOT NULL,
    step TEXT NOT NULL CHECK (step IN ('fore', 'efter')),
    days BIGINT NOT NULL CHECK (days >= 0 AND days <= 60),
    active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (municipality, step)
);

CREATE TABLE reminder_outbox (
    municipality TEXT NOT NULL,
    body TEXT NOT NULL,
    period TEXT NOT NULL,
    deadline TEXT NOT NULL,
    step TEXT NOT NULL CHECK (step IN ('fore', 'efter')),
    recipient TEXT NOT NULL,
    audience TEXT NOT NULL CHECK (audience IN ('rapportor', 'controller')),
    address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT,
    message_id TEXT NOT NULL,
    items BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('vantar', 'skickad', 'misslyckad')),
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TEXT NOT NULL,
    leased_until TEXT,
    decided_at TEXT NOT NULL,
    sent_at TEXT,
    PRIMARY KEY (municipality, body, period, deadline, step, recipient)
);

CREATE INDEX reminder_outbox_due ON reminder_outbox (status, next_attempt_at);
