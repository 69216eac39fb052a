-- Findings of `styr check` that a reviewer has acknowledged, with who, when and why. They
-- belong to the plan version they were made on (a finding's id names that version's files and
-- rows): replaced with the plan on import, so a package carries them in acknowledgements.toml
-- and an export writes them back. Each acknowledgement made in the database is also an
-- audit-log row.

CREATE TABLE acknowledgements (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    position BIGINT NOT NULL,
    finding TEXT NOT NULL,
    reason TEXT NOT NULL,
    acknowledged_by TEXT NOT NULL,
    acknowledged_at TEXT NOT NULL,
    PRIMARY KEY (municipality, version, position),
    UNIQUE (municipality, version, finding),
    FOREIGN KEY (municipality, version) REFERENCES plans (municipality, version) ON DELETE CASCADE
);
