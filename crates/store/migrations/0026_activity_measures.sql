-- Verksamhetsmått (issue 22, item 6). The measures and their budgeted volumes are plan
-- elements (matt/matt.csv, matt/budget.csv), deleted with the plan. Their outcomes are
-- follow-up data of the municipality's body, kept outside the plans like followup_entries:
-- one current value per (body, measure, month), `change_seq` the counter of the change that
-- wrote it (its audit row's seq), which a form sends back to detect a stale edit.

CREATE TABLE activity_measures (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    unit TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_of_measure TEXT NOT NULL,
    synthetic BIGINT NOT NULL CHECK (synthetic IN (0, 1)),
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- period: YYYY-MM (a month's volume) or YYYY (a year's); volume an exact decimal as text.
CREATE TABLE activity_budget (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    measure TEXT NOT NULL,
    period TEXT NOT NULL,
    volume TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, measure, period),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE measure_values (
    municipality TEXT NOT NULL,
    body TEXT NOT NULL,
    measure TEXT NOT NULL,
    month TEXT NOT NULL,
    value TEXT NOT NULL,
    change_seq BIGINT NOT NULL,
    reported_at TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    PRIMARY KEY (municipality, body, measure, month)
);
