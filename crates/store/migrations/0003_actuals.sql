-- The ledger: the plan's mapping from ledger to budget (part of the plan, deleted with it),
-- imported ledger files with every transaction and monthly aggregates, and manual forecasts.
--
-- Portable SQL as in 0001: BIGINT and TEXT, money as BIGINT öre, months as 'YYYY-MM' text,
-- dates as ISO 'YYYY-MM-DD' text. A dimension object that a row does not have is NULL.

-- ledger/accounts.csv: account rules, first match wins (position order). `ansvar` is the
-- dimension-1 objects joined by ';', '' for any. `target` is 'op.TABLE.LINE', 'inv' or 'exclude'.
CREATE TABLE ledger_rules (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    account_from TEXT NOT NULL,
    account_to TEXT NOT NULL,
    ansvar TEXT NOT NULL,
    target TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- ledger/units.csv: dimension-1 object → organisational unit.
CREATE TABLE ledger_units (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    object TEXT NOT NULL,
    unit TEXT NOT NULL,
    name TEXT,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- ledger/projects.csv: dimension-6 object → investment project.
CREATE TABLE ledger_projects (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    object TEXT NOT NULL,
    project TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- ledger/profiles.csv: twelve monthly weights of a budget line ('op.T.L' or 'inv.P'), month 1–12.
CREATE TABLE ledger_profiles (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    line TEXT NOT NULL,
    month BIGINT NOT NULL,
    weight BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, position, month),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- One imported ledger file per (municipality, company, fiscal year): a new import of the same
-- company and year replaces the old one with everything below it (ON DELETE CASCADE).
-- `company` is the file's #ORGNR, else its #FNAMN; `fiscal_year` is 'YYYY-MM-DD..YYYY-MM-DD'.
CREATE TABLE ledger_imports (
    municipality TEXT NOT NULL,
    company TEXT NOT NULL,
    fiscal_year TEXT NOT NULL,
    company_name TEXT,
    year_start TEXT NOT NULL,
    year_end TEXT NOT NULL,
    file_name TEXT NOT NULL,
    program TEXT,
    vouchers BIGINT NOT NULL,
    transactions BIGINT NOT NULL,
    import_seq BIGINT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    PRIMARY KEY (municipality, company, fiscal_year)
);

-- Every voucher row, for drill-down. `kind` is 'normal' (#TRANS), 'added' (#RTRANS), 'struck'
-- (#BTRANS) or 'duplicate' (the #TRANS after an #RTRANS); only normal and added rows count.
-- `objects` is the whole object list as 'DIM=OBJECT' pairs joined by ';'.
CREATE TABLE ledger_transactions (
    municipality TEXT NOT NULL,
    company TEXT NOT NULL,
    fiscal_year TEXT NOT NULL,
    position BIGINT NOT NULL,
    series TEXT NOT NULL,
    voucher_number TEXT NOT NULL,
    voucher_date TEXT NOT NULL,
    transaction_date TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('normal', 'added', 'struck', 'duplicate')),
    account TEXT NOT NULL,
    ansvar TEXT,
    project TEXT,
    objects TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    voucher_text TEXT NOT NULL,
    transaction_text TEXT NOT NULL,
    CHECK (month = substr(transaction_date, 1, 7)),
    PRIMARY KEY (municipality, company, fiscal_year, position),
    FOREIGN KEY (municipality, company, fiscal_year)
        REFERENCES ledger_imports (municipality, company, fiscal_year) ON DELETE CASCADE
);

-- The counted rows summed per account × ansvar × project × month (source 'actual'), and the
-- file's #PBUDGET rows the same way (source 'budget').
CREATE TABLE ledger_monthly (
    municipality TEXT NOT NULL,
    company TEXT NOT NULL,
    fiscal_year TEXT NOT NULL,
    position BIGINT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('actual', 'budget')),
    account TEXT NOT NULL,
    ansvar TEXT,
    project TEXT,
    month TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    row_count BIGINT NOT NULL,
    PRIMARY KEY (municipality, company, fiscal_year, position),
    FOREIGN KEY (municipality, company, fiscal_year)
        REFERENCES ledger_imports (municipality, company, fiscal_year) ON DELETE CASCADE
);

CREATE INDEX ledger_monthly_month ON ledger_monthly (municipality, month);

-- A full-year forecast entered by hand for a budget line ('op.T.L' or 'inv.P') per follow-up
-- month ('YYYY-MM'); entering another replaces it.
CREATE TABLE forecasts (
    municipality TEXT NOT NULL,
    period TEXT NOT NULL,
    line TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    comment TEXT,
    entered_at TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    PRIMARY KEY (municipality, period, line)
);
