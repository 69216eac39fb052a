-- The plan: one row in `plans` per (municipality, budget version), and one table per kind of
-- element, each row keyed by the plan's key and its printed position.
--
-- Portable SQL only (SQLite and PostgreSQL through sqlx's Any driver): BIGINT and TEXT
-- columns; money as BIGINT öre; exact decimals as TEXT; booleans as BIGINT 0/1; dates as ISO
-- TEXT. Statements are separated by semicolons at the end of a line and run one at a time.
-- Deleting a row of `plans` deletes the whole plan (ON DELETE CASCADE).

CREATE TABLE plans (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    version_kind TEXT NOT NULL CHECK (version_kind IN ('proposal', 'decided', 'adjusted')),
    version_name TEXT NOT NULL,
    version_decision TEXT,
    version_based_on TEXT,
    municipality_name TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    document_title TEXT NOT NULL,
    document_body TEXT NOT NULL,
    document_source TEXT,
    investment_title TEXT NOT NULL,
    investment_budget_year BIGINT NOT NULL,
    investment_decision TEXT,
    exploitation_title TEXT NOT NULL,
    exploitation_year BIGINT NOT NULL,
    finance_title TEXT NOT NULL,
    finance_summary_title TEXT NOT NULL,
    has_frame_change BIGINT NOT NULL CHECK (has_frame_change IN (0, 1)),
    frame_change_from_label TEXT,
    frame_change_to_year BIGINT,
    frame_change_stated_ore BIGINT,
    import_seq BIGINT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    PRIMARY KEY (municipality, version)
);

-- The year columns of the document and of the budget tables, in printed order. `list` is
-- 'document', 'investment', 'finance' or 'finance_summary'.
CREATE TABLE plan_years (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    list TEXT NOT NULL,
    position BIGINT NOT NULL,
    year BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, list, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE bodies (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    short TEXT,
    kind TEXT NOT NULL,
    parent TEXT,
    note TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE units (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    short TEXT,
    body TEXT NOT NULL,
    parent TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE decisions (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    decision_date TEXT,
    paragraph BIGINT,
    case_number TEXT,
    title TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE starting_points (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE goal_areas (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE goals (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    area TEXT NOT NULL,
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE priorities (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    goal TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE indicators (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    goal TEXT NOT NULL,
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT,
    direction TEXT,
    cadence TEXT,
    source TEXT,
    kolada_kpi TEXT,
    footnote TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- `value` is an exact decimal written with a dot ("80.9"), kept with its printed scale.
CREATE TABLE indicator_values (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    indicator TEXT NOT NULL,
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE assignments (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    code TEXT,
    title TEXT NOT NULL,
    description TEXT,
    given_by TEXT,
    given_year BIGINT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- The responsible bodies of an assignment, the leading body first (position 0).
CREATE TABLE assignment_responsible (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    assignment TEXT NOT NULL,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (municipality, version, assignment, position),
    FOREIGN KEY (municipality, version, assignment)
        REFERENCES assignments (municipality, version, id) ON DELETE CASCADE
);

CREATE TABLE assignment_mentions (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    assignment TEXT NOT NULL,
    section TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE assignment_statuses (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    assignment TEXT NOT NULL,
    period TEXT NOT NULL,
    status TEXT NOT NULL,
    comment TEXT,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE frames (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    decision TEXT,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE operating_tables (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    summary BIGINT NOT NULL CHECK (summary IN (0, 1)),
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE operating_table_years (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    table_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    year BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, table_id, position),
    FOREIGN KEY (municipality, version, table_id)
        REFERENCES operating_tables (municipality, version, id) ON DELETE CASCADE
);

-- `reference` is the figure expression as written; it is parsed again when loaded.
CREATE TABLE operating_rows (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    table_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent TEXT,
    reference TEXT,
    PRIMARY KEY (municipality, version, table_id, position),
    UNIQUE (municipality, version, table_id, id),
    FOREIGN KEY (municipality, version, table_id)
        REFERENCES operating_tables (municipality, version, id) ON DELETE CASCADE
);

CREATE TABLE operating_amounts (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    table_id TEXT NOT NULL,
    row_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, table_id, row_id, year),
    FOREIGN KEY (municipality, version, table_id, row_id)
        REFERENCES operating_rows (municipality, version, table_id, id) ON DELETE CASCADE
);

CREATE TABLE investment_rows (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    until_ore BIGINT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE investment_amounts (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    row_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, row_id, year),
    FOREIGN KEY (municipality, version, row_id)
        REFERENCES investment_rows (municipality, version, id) ON DELETE CASCADE
);

CREATE TABLE exploitation_rows (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    income_ore BIGINT,
    cost_ore BIGINT,
    net_ore BIGINT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- Finance row ids are not unique keys: the package joins only adjacent CSV rows with the same
-- id, so lines and amounts are keyed by the row's position.
CREATE TABLE finance_rows (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    group_id TEXT,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- One printed line of a finance row: `measure` is 'income', 'cost' or 'net'.
CREATE TABLE finance_lines (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    row_position BIGINT NOT NULL,
    position BIGINT NOT NULL,
    measure TEXT NOT NULL,
    PRIMARY KEY (municipality, version, row_position, position),
    FOREIGN KEY (municipality, version, row_position)
        REFERENCES finance_rows (municipality, version, position) ON DELETE CASCADE
);

CREATE TABLE finance_amounts (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    row_position BIGINT NOT NULL,
    line_position BIGINT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, row_position, line_position, year),
    FOREIGN KEY (municipality, version, row_position, line_position)
        REFERENCES finance_lines (municipality, version, row_position, position) ON DELETE CASCADE
);

CREATE TABLE finance_summary_rows (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent TEXT,
    reference TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE finance_summary_amounts (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    row_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, row_id, year),
    FOREIGN KEY (municipality, version, row_id)
        REFERENCES finance_summary_rows (municipality, version, id) ON DELETE CASCADE
);

CREATE TABLE frame_change_components (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    label TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    reference TEXT,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE followup_periods (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- `value` is an exact decimal written with a dot, kept with its printed scale.
CREATE TABLE followup_figures (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    period TEXT NOT NULL,
    label TEXT NOT NULL,
    value TEXT NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE risks (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    likelihood BIGINT,
    consequence BIGINT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE controls (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    risk TEXT,
    title TEXT NOT NULL,
    method TEXT,
    frequency TEXT,
    responsible TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE audits (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    case_number TEXT,
    year BIGINT,
    note TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE audit_recommendations (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    audit TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    content TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (municipality, version, audit, position),
    FOREIGN KEY (municipality, version, audit)
        REFERENCES audits (municipality, version, id) ON DELETE CASCADE
);

CREATE TABLE sections (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    level BIGINT NOT NULL,
    file TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- The data blocks shown after a section's text, in order.
CREATE TABLE section_show (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    section TEXT NOT NULL,
    position BIGINT NOT NULL,
    block TEXT NOT NULL,
    PRIMARY KEY (municipality, version, section, position),
    FOREIGN KEY (municipality, version, section)
        REFERENCES sections (municipality, version, id) ON DELETE CASCADE
);

-- Narrative text kept verbatim; its claims are read from the text again when loaded.
CREATE TABLE narratives (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    file TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, file),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);
