-- Internal control (issue 11): the risk register assessed per year on a configurable scale,
-- the internal control plan per year, audit recommendations with actions, and two new kinds of
-- follow-up report: a control's result and an audit action's progress.
--
-- Plan tables (per municipality and version, like every other part of a plan):
-- `risk_scales`/`risk_bands` hold a scale only when the package states one (none: 4 × 4).
-- A risk's likelihood and consequence become its yearly assessments (`risk_assessments`);
-- an assessment stored before this migration is kept as the plan's investment budget year's.
-- A recommendation's state is no longer typed: it follows from its actions (`audit_actions`).

CREATE TABLE risk_scales (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    likelihood BIGINT NOT NULL,
    consequence BIGINT NOT NULL,
    PRIMARY KEY (municipality, version),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE risk_bands (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    min_score BIGINT NOT NULL,
    label TEXT NOT NULL,
    colour TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version)
        REFERENCES risk_scales (municipality, version) ON DELETE CASCADE
);

ALTER TABLE risks ADD COLUMN process TEXT;

ALTER TABLE risks ADD COLUMN owner TEXT;

ALTER TABLE risks ADD COLUMN decision TEXT CHECK (decision IN ('accept', 'control', 'action'));

CREATE TABLE risk_assessments (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    risk TEXT NOT NULL,
    position BIGINT NOT NULL,
    year BIGINT NOT NULL,
    likelihood BIGINT NOT NULL,
    consequence BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, risk, position),
    UNIQUE (municipality, version, risk, year),
    FOREIGN KEY (municipality, version, risk)
        REFERENCES risks (municipality, version, id) ON DELETE CASCADE
);

INSERT INTO risk_assessments (municipality, version, risk, position, year, likelihood, consequence)
SELECT r.municipality, r.version, r.id, 0, p.investment_budget_year, r.likelihood, r.consequence
FROM risks r JOIN plans p ON p.municipality = r.municipality AND p.version = r.version
WHERE r.likelihood IS NOT NULL AND r.consequence IS NOT NULL;

ALTER TABLE risks DROP COLUMN likelihood;

ALTER TABLE risks DROP COLUMN consequence;

ALTER TABLE controls ADD COLUMN checks TEXT;

ALTER TABLE controls ADD COLUMN year BIGINT;

ALTER TABLE controls ADD COLUMN decision TEXT;

CREATE TABLE control_periods (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    control TEXT NOT NULL,
    position BIGINT NOT NULL,
    month TEXT NOT NULL,
    PRIMARY KEY (municipality, version, control, position),
    FOREIGN KEY (municipality, version, control)
        REFERENCES controls (municipality, version, id) ON DELETE CASCADE
);

ALTER TABLE audits ADD COLUMN report_date TEXT;

ALTER TABLE audits ADD COLUMN auditor TEXT;

ALTER TABLE audits ADD COLUMN received_by TEXT;

CREATE TABLE audit_actions (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    audit TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    content TEXT NOT NULL,
    owner TEXT,
    due TEXT,
    status TEXT NOT NULL
        CHECK (status IN ('not_started', 'in_progress', 'done', 'closed_without_action')),
    evidence TEXT,
    reason TEXT,
    PRIMARY KEY (municipality, version, audit, recommendation, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version, audit)
        REFERENCES audits (municipality, version, id) ON DELETE CASCADE
);

-- A recommendation's typed status becomes an action, so that nothing typed before is lost:
-- 'in_progress' and 'done' each become one action (open needs none: a recommendation without
-- actions is open). The id joins the audit's and recommendation's ids (both `[a-z0-9_]+`).
INSERT INTO audit_actions
    (municipality, version, audit, recommendation, position, id, content, owner, due, status,
     evidence, reason)
SELECT municipality, version, audit, id, 0, audit || '_' || id || '_status',
       'Status före åtgärdsuppföljningen i styr', NULL, NULL, status,
       CASE WHEN status = 'done' THEN 'Markerad som genomförd före åtgärdsuppföljningen' END, NULL
FROM audit_recommendations
WHERE status IN ('in_progress', 'done');

ALTER TABLE audit_recommendations DROP COLUMN status;

-- Follow-up reports gain the kinds 'control' (value: the result, comment: the finding,
-- action_plan: the action, light: the traffic light) and 'audit_action' (value: the status,
-- source: the evidence, comment: the reason). PostgreSQL changes the CHECK and adds the column
-- in place; SQLite cannot change a CHECK in place: the table is rebuilt, rows and append-only
-- triggers as before (DROP TABLE fires no DELETE trigger).

-- @postgres
ALTER TABLE followup_entries DROP CONSTRAINT followup_entries_kind_check;

ALTER TABLE followup_entries ADD CONSTRAINT followup_entries_kind_check
    CHECK (kind IN ('status', 'outcome', 'assessment', 'forecast', 'control', 'audit_action'));

ALTER TABLE followup_entries ADD COLUMN light TEXT CHECK (light IN ('green', 'yellow', 'red'));

ALTER TABLE followup_entries ADD CONSTRAINT followup_entries_light_kind_check
    CHECK ((kind = 'control') = (light IS NOT NULL));
-- @sqlite
CREATE TABLE followup_entries_0009 (
    municipality TEXT NOT NULL,
    change_seq BIGINT NOT NULL,
    position BIGINT NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('status', 'outcome', 'assessment', 'forecast', 'control', 'audit_action')),
    subject TEXT NOT NULL,
    value TEXT,
    amount_ore BIGINT,
    comment TEXT,
    action_plan TEXT,
    source TEXT,
    measured_on TEXT,
    reported_at TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    light TEXT CHECK (light IN ('green', 'yellow', 'red')),
    CHECK ((kind = 'forecast') = (amount_ore IS NOT NULL)),
    CHECK ((kind = 'forecast') = (value IS NULL)),
    CHECK ((kind = 'control') = (light IS NOT NULL)),
    PRIMARY KEY (municipality, change_seq, position),
    FOREIGN KEY (municipality, period) REFERENCES periods (municipality, month)
);

INSERT INTO followup_entries_0009 (municipality, change_seq, position, period, kind, subject,
    value, amount_ore, comment, action_plan, source, measured_on, reported_at, reported_by, light)
SELECT municipality, change_seq, position, period, kind, subject, value, amount_ore, comment,
       action_plan, source, measured_on, reported_at, reported_by, NULL
FROM followup_entries;

DROP TABLE followup_entries;

ALTER TABLE followup_entries_0009 RENAME TO followup_entries;

CREATE INDEX followup_entries_subject ON followup_entries (municipality, period, kind, subject);

CREATE TRIGGER followup_entries_no_update BEFORE UPDATE ON followup_entries BEGIN SELECT RAISE(ABORT, 'followup_entries är bara för tillägg'); END;

CREATE TRIGGER followup_entries_no_delete BEFORE DELETE ON followup_entries BEGIN SELECT RAISE(ABORT, 'followup_entries är bara för tillägg'); END;
-- @end
