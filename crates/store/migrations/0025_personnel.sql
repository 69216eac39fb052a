-- A follow-up figure may name the expression that computes it (followup.toml `computed`), so
-- the stated figure is checked against the data (the seed's sjukfrånvaro figures against the
-- hours below).
ALTER TABLE followup_figures ADD COLUMN computed TEXT;

-- Personnel figures (issue 22, item 7): the hours behind the sjukfrånvaro figures and the
-- headcount per unit and month (personal/timmar.csv, personal/anstallda.csv). Plan elements
-- like those of 0001: keyed by the plan and a position, deleted with the plan. Hours and
-- årsarbetare are exact decimals as text.

CREATE TABLE personnel_hours (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    unit TEXT NOT NULL,
    month TEXT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('kvinna', 'man')),
    age_group TEXT NOT NULL CHECK (age_group IN ('-29', '30-49', '50-')),
    working_hours TEXT NOT NULL,
    sick_hours TEXT NOT NULL,
    long_term_hours TEXT NOT NULL,
    synthetic BIGINT NOT NULL CHECK (synthetic IN (0, 1)),
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, unit, month, gender, age_group),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE personnel_staff (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    unit TEXT NOT NULL,
    month TEXT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('kvinna', 'man')),
    permanent BIGINT NOT NULL,
    temporary BIGINT NOT NULL,
    full_time_equivalents TEXT NOT NULL,
    leavers BIGINT NOT NULL,
    synthetic BIGINT NOT NULL CHECK (synthetic IN (0, 1)),
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, unit, month, gender),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);
