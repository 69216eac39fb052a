-- The budget process (issue 21): the states of each body's proposal, the budget calendar and
-- beredning's questions. None of them belongs to a plan's rows: a writer's re-import replaces
-- the plan but never its history, so nothing here refers to `plans`.

-- Every move of a proposal, only ever added to: the current state is the row with the highest
-- `seq` of the version (a version id belongs to one body inside its municipality).
CREATE TABLE proposal_states (
    municipality TEXT NOT NULL,
    body TEXT NOT NULL,
    version TEXT NOT NULL,
    seq BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('utkast', 'inlamnad', 'aterremitterad', 'ks_forslag',
        'beslutad')),
    comment TEXT,
    decision TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (municipality, version, seq)
);

-- The calendar's dates per budget year: `body` NULL is the date for every body, a body's own
-- row overrides it for that body. `synthetic` marks a made-up date (the demo's), which every
-- output that shows it says.
CREATE TABLE budget_calendar (
    municipality TEXT NOT NULL,
    year BIGINT NOT NULL,
    milestone TEXT NOT NULL CHECK (milestone IN ('planeringsdirektiv', 'inlamning', 'beredning',
        'ks', 'kf')),
    body TEXT,
    date TEXT NOT NULL,
    synthetic BIGINT NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1))
);

CREATE UNIQUE INDEX budget_calendar_key ON budget_calendar (municipality, year, milestone, COALESCE(body, ''));

-- A politician's question to the administration about a body's budget (a budget line, free
-- text or an item id of the plan) and its answer; open while `answer` is NULL.
CREATE TABLE beredning_questions (
    municipality TEXT NOT NULL,
    id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    body TEXT NOT NULL,
    line TEXT NOT NULL,
    question TEXT NOT NULL,
    asked_by TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at TEXT,
    published BIGINT NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    PRIMARY KEY (municipality, id)
);

-- @sqlite
CREATE TRIGGER proposal_states_no_update BEFORE UPDATE ON proposal_states BEGIN SELECT RAISE(ABORT, 'proposal_states är bara för tillägg'); END;

CREATE TRIGGER proposal_states_no_delete BEFORE DELETE ON proposal_states BEGIN SELECT RAISE(ABORT, 'proposal_states är bara för tillägg'); END;
-- @postgres
CREATE TRIGGER proposal_states_append_only BEFORE UPDATE OR DELETE ON proposal_states FOR EACH ROW EXECUTE FUNCTION styr_append_only();

CREATE TRIGGER proposal_states_no_truncate BEFORE TRUNCATE ON proposal_states FOR EACH STATEMENT EXECUTE FUNCTION styr_append_only();
-- @end
