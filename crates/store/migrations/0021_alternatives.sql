-- Alternative budgets (issue 21): KF's financial goal in its plan (council.toml
-- `[financial_goal] result_share`, percent of skatteintäkter + generella statsbidrag), and a
-- party's alternative derived from KF's plan of a year. An alternative is not a plan element:
-- it is keyed by the municipality and its own number, and outlives a new import of KF's plan.
-- Only the frames it changes are stored; every change moves `version` (a stale edit is refused).

ALTER TABLE councils ADD COLUMN financial_goal_share TEXT;

CREATE TABLE alternatives (
    municipality TEXT NOT NULL,
    id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    base_version TEXT NOT NULL,
    party TEXT NOT NULL,
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'published')),
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    submitted_by TEXT,
    submitted_at TEXT,
    published_by TEXT,
    published_at TEXT,
    tax_rate TEXT,
    tax_revenue_ore BIGINT,
    PRIMARY KEY (municipality, id)
);

CREATE TABLE alternative_frames (
    municipality TEXT NOT NULL,
    alternative BIGINT NOT NULL,
    body TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, alternative, body),
    FOREIGN KEY (municipality, alternative) REFERENCES alternatives (municipality, id)
        ON DELETE CASCADE
);

CREATE TABLE alternative_goals (
    municipality TEXT NOT NULL,
    alternative BIGINT NOT NULL,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    parent TEXT,
    PRIMARY KEY (municipality, alternative, position),
    FOREIGN KEY (municipality, alternative) REFERENCES alternatives (municipality, id)
        ON DELETE CASCADE
);

CREATE TABLE alternative_assignments (
    municipality TEXT NOT NULL,
    alternative BIGINT NOT NULL,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    body TEXT,
    PRIMARY KEY (municipality, alternative, position),
    FOREIGN KEY (municipality, alternative) REFERENCES alternatives (municipality, id)
        ON DELETE CASCADE
);
