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
-- source: the evidence, comment: the reason).

ALTER TABLE followup_entries DROP CONSTRAINT followup_entries_kind_check;

ALTER TABLE followup_entries ADD CONSTRAINT followup_entries_kind_check
    CHECK (kind IN ('status', 'outcome', 'assessment', 'forecast', 'control', 'audit_action'));

ALTER TABLE followup_entries ADD COLUMN light TEXT CHECK (light IN ('green', 'yellow', 'red'));

ALTER TABLE followup_entries ADD CONSTRAINT followup_entries_light_kind_check
    CHECK ((kind = 'control') = (light IS NOT NULL));
