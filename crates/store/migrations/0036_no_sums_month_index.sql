-- The index of the monthly sums by month (migration 0008) is read by no query any more: every
-- read of ledger_sums names its files (`file IN (…)`, the primary key's first column, and
-- PostgreSQL's partitions), or seeks by ansvar or account (migration 0030). Keeping it cost an
-- import a third of the time its sums take to write (issue 23: 260 000 sums at 10 M
-- transactions, 6,5 MB).
DROP INDEX ledger_sums_month;
