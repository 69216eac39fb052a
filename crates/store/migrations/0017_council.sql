-- The whole municipality (issue 20): a company's ägarandel, a goal's parent (the KF goal it
-- breaks down), an assignment's goal, KF's budget (council.toml: the finance figures and
-- stated result per year, a frame per body and year, the centrally held items) and a
-- company's own budget (company.toml). Every new table is a plan element like those of 0001: keyed by the plan and
-- a printed position, deleted with the plan.

ALTER TABLE bodies ADD COLUMN ownership_percent TEXT;

ALTER TABLE goals ADD COLUMN parent TEXT;

-- The goal of the same plan an assignment serves (assignments.csv `goal`).
ALTER TABLE assignments ADD COLUMN goal TEXT;

-- A plan with a council.toml has one row here (its flag and decision), one with a
-- company.toml one in `companies`: a plan without the file has none.
CREATE TABLE councils (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    synthetic BIGINT NOT NULL CHECK (synthetic IN (0, 1)),
    decision TEXT,
    PRIMARY KEY (municipality, version),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE companies (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    synthetic BIGINT NOT NULL CHECK (synthetic IN (0, 1)),
    decision TEXT,
    PRIMARY KEY (municipality, version),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE council_years (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    year BIGINT NOT NULL,
    tax_rate TEXT NOT NULL,
    tax_revenue_ore BIGINT NOT NULL,
    grants_ore BIGINT NOT NULL,
    financial_net_ore BIGINT NOT NULL,
    result_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, year),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE council_frames (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    decision TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, body, year),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE council_items (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id, year),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE council_eliminations (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id, year),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE company_years (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    year BIGINT NOT NULL,
    result_before_tax_ore BIGINT NOT NULL,
    investments_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, year),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);
