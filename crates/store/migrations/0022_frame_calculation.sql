-- Ramberäkning (issue 21, item 3): a body's frame of a year computed from a base and lines
-- (budget.toml `[frame_calculation]`, budget/frame_calculation.csv). Plan elements like those
-- of 0001: keyed by the plan and a printed position, deleted with the plan. A plan without a
-- calculation has no row in `frame_calculations`.

CREATE TABLE frame_calculations (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    year BIGINT NOT NULL,
    base_label TEXT NOT NULL,
    base_version TEXT,
    base_amount_ore BIGINT NOT NULL,
    decision TEXT,
    synthetic BIGINT NOT NULL CHECK (synthetic IN (0, 1)),
    PRIMARY KEY (municipality, version),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

-- percent, volume and unit_cost are exact decimals as text; amount_ore the typed amount.
CREATE TABLE frame_calculation_lines (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    percent TEXT,
    volume TEXT,
    unit_cost TEXT,
    amount_ore BIGINT,
    decision TEXT,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, id),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);
