-- The whole municipality (issue 20): a company's ägarandel, a goal's parent (the KF goal it
-- breaks down), KF's budget (council.toml: the finance figures and stated result per year, a
-- frame per body and year, the centrally held items) and a company's own budget
-- (company.toml). Every new table is a plan element like those of 0001: keyed by the plan and
-- a printed position, deleted with the plan. `has_council` / `has_company` say whether the
-- plan has the file at all (an empty one is not an absent one).

ALTER TABLE bodies ADD COLUMN ownership_percent TEXT;

ALTER TABLE goals ADD COLUMN parent TEXT;

ALTER TABLE plans ADD COLUMN has_council BIGINT NOT NULL DEFAULT 0
    CHECK (has_council IN (0, 1));

ALTER TABLE plans ADD COLUMN council_synthetic BIGINT NOT NULL DEFAULT 0
    CHECK (council_synthetic IN (0, 1));

ALTER TABLE plans ADD COLUMN council_decision TEXT;

ALTER TABLE plans ADD COLUMN has_company BIGINT NOT NULL DEFAULT 0
    CHECK (has_company IN (0, 1));

ALTER TABLE plans ADD COLUMN company_synthetic BIGINT NOT NULL DEFAULT 0
    CHECK (company_synthetic IN (0, 1));

ALTER TABLE plans ADD COLUMN company_decision TEXT;

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
