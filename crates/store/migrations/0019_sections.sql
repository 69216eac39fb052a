-- Authoring in the browser (issue 21): every save of a section of a plan (one file of its
-- package, `narrative/ordforande.md`, `budget/investment.csv` …) is a revision, numbered per
-- section from 1. The editor carries the revision it started from; the save inserts the next
-- one, so of two saves from the same revision the primary key lets exactly one through.
-- Revision 0 is the section's text before its first save in the web (as the stored plan wrote
-- it). Not tied to `plans` by a foreign key: a save replaces the plan (its rows cascade), and
-- the history of its sections stays.

CREATE TABLE section_revisions (
    municipality TEXT NOT NULL,
    version TEXT NOT NULL,
    path TEXT NOT NULL,
    revision BIGINT NOT NULL CHECK (revision >= 0),
    text TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (municipality, version, path, revision)
);
