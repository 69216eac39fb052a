-- The financial statements (issue 22): KF's Kommun-Bas mapping of ledger accounts onto the
-- statements' lines (redovisning/kommunbas.csv), the lines' budget where KF's council budget
-- does not split them (redovisning/budget.csv) and the balanskravsutredning's data
-- (redovisning/balanskrav.csv): plan elements like those of 0001, keyed by the plan and a
-- printed position, deleted with the plan.

CREATE TABLE statement_rules (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    account_from TEXT NOT NULL,
    account_to TEXT NOT NULL,
    line TEXT NOT NULL,
    tag TEXT,
    note TEXT,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE statement_budget (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    line TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE balance_requirement_items (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    year BIGINT NOT NULL,
    item TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    note TEXT,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- What a stored ledger file is for: 'followup' (a body's follow-up ledger, read by budget vs
-- actual, as every file before) or 'statements' (the municipality's bokslut ledger with its
-- balances, read by the financial statements only).
ALTER TABLE ledger_files ADD COLUMN scope TEXT NOT NULL DEFAULT 'followup'
    CHECK (scope IN ('followup', 'statements'));

-- A ledger file's #IB, #UB and #RES records (year 0 and -1), as the file states them.
CREATE TABLE ledger_balances (
    file BIGINT NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ib', 'ub', 'res')),
    year_index BIGINT NOT NULL,
    account TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    PRIMARY KEY (file, position)
);
