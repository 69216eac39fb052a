-- A second counter that moves only when what a loaded plan holds changes: a plan import, a
-- version decided, a period opened or closed (the calendar is part of a loaded plan). Readers
-- may keep a loaded plan while it stays the same; reports and ledger imports do not move it.

INSERT INTO counters (name, value) VALUES ('plan', 0);
