-- Kolada: the comparison group a plan names, and the values retrieved from Kolada.
--
-- The group is part of the plan (`[kolada]` in styr.toml), stored per version like the rest of
-- it. The values belong to the municipality, not to a plan version: a new import of the plan or
-- a new version keeps them. A later retrieval of the same (kpi, area, year, gender) replaces the
-- earlier one; the audit log keeps both. `value` is an exact decimal with a dot, NULL when
-- Kolada has the row but no value (never zero).

ALTER TABLE plans ADD COLUMN kolada_comparison_name TEXT;

CREATE TABLE kolada_comparison (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);

CREATE TABLE kolada_values (
    municipality TEXT NOT NULL,
    kpi TEXT NOT NULL,
    area TEXT NOT NULL,
    year BIGINT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('T', 'K', 'M')),
    value TEXT,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    retrieved_on TEXT NOT NULL,
    change_seq BIGINT NOT NULL,
    PRIMARY KEY (municipality, kpi, area, year, gender)
);
