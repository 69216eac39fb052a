-- The days each run of a ledger file's rows spans (issue 23): `first-last` per run, in run
-- order, separated by commas (`18628-18660,18655-18700`), days since 1970-01-01 as
-- `ledger_rows.day`. A run is a million rows in file order, so it covers a few weeks of a year;
-- a drill-down's window of days then seeks only the runs that can hold it instead of every
-- run for every (account, ansvar) pair. NULL for a file imported before: every run is sought.
ALTER TABLE ledger_files ADD COLUMN run_days TEXT;
