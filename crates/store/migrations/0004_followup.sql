-- The follow-up year: the calendar per municipality, what is reported per period with its
-- history, and before/after in the audit log.
--
-- The calendar belongs to the municipality, not to one plan version: a period's state (open,
-- closed) must survive a new import of the plan and a new budget version. Reports are kept
-- outside the plans for the same reason, and are never deleted: a new report for the same
-- (period, kind, subject) is a new row, the latest of which is current.

CREATE TABLE periods (
    municipality TEXT NOT NULL,
    month TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('monthly', 'interim', 'annual')),
    title TEXT NOT NULL,
    deadline TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    PRIMARY KEY (municipality, month),
    UNIQUE (municipality, id)
);

INSERT INTO periods (municipality, month, id, kind, title, deadline, state)
SELECT municipality, month, MIN(id), MIN(kind), MIN(title), NULL, 'open'
FROM followup_periods
GROUP BY municipality, month;

-- Forecasts entered before the calendar existed keep their month as a period.
INSERT INTO periods (municipality, month, id, kind, title, deadline, state)
SELECT DISTINCT f.municipality, f.period, 'p' || REPLACE(f.period, '-', '_'), 'monthly',
       'Uppföljning ' || f.period, NULL, 'open'
FROM forecasts f
WHERE NOT EXISTS (
    SELECT 1 FROM periods p WHERE p.municipality = f.municipality AND p.month = f.period
);

DROP TABLE followup_periods;

-- One row per report. `change_seq` is the change (the `counters` number of the transaction
-- that wrote it, the same as its audit row's `seq`), `position` its place in that change.
-- `value`: the status or assessment code, or the outcome as an exact decimal with a dot;
-- `amount_ore`: a forecast's amount. `comment` is the status comment, the outcome's comment,
-- the assessment's motivation or the forecast's explanation.
CREATE TABLE followup_entries (
    municipality TEXT NOT NULL,
    change_seq BIGINT NOT NULL,
    position BIGINT NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('status', 'outcome', 'assessment', 'forecast')),
    subject TEXT NOT NULL,
    value TEXT,
    amount_ore BIGINT,
    comment TEXT,
    action_plan TEXT,
    source TEXT,
    measured_on TEXT,
    reported_at TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    CHECK ((kind = 'forecast') = (amount_ore IS NOT NULL)),
    CHECK ((kind = 'forecast') = (value IS NULL)),
    PRIMARY KEY (municipality, change_seq, position),
    FOREIGN KEY (municipality, period) REFERENCES periods (municipality, month)
);

CREATE INDEX followup_entries_subject ON followup_entries (municipality, period, kind, subject);

INSERT INTO followup_entries (municipality, change_seq, position, period, kind, subject, value,
    amount_ore, comment, action_plan, source, measured_on, reported_at, reported_by)
SELECT municipality, 0, ROW_NUMBER() OVER (ORDER BY municipality, period, line), period,
       'forecast', line, NULL, amount_ore, comment, NULL, NULL, NULL, entered_at, entered_by
FROM forecasts;

DROP TABLE forecasts;

ALTER TABLE audit_log ADD COLUMN before_text TEXT;

ALTER TABLE audit_log ADD COLUMN after_text TEXT;

ALTER TABLE indicators ADD COLUMN responsible TEXT;

ALTER TABLE plans ADD COLUMN forecast_explanation_percent TEXT NOT NULL DEFAULT '1';

ALTER TABLE plans ADD COLUMN forecast_explanation_ore BIGINT NOT NULL DEFAULT 50000000;
