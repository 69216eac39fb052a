-- Paged drill-down (issue 23): a page of the vouchers behind a figure seeks each run and
-- (account, ansvar) pair of a file for a window of days (src/ledger/page.rs). SQLite does that
-- through ledger_rows' primary key (file, run, account, ansvar, day, voucher, line) and needs
-- nothing more. PostgreSQL keeps the rows in a heap whose BRIN index finds only block ranges: a
-- B-tree over the same leading columns seeks instead, and supersedes the BRIN index. COPY
-- writes each run in this order, so the import appends to the tree's right edge.

-- @postgres
DROP INDEX IF EXISTS ledger_rows_order;

CREATE INDEX ledger_rows_seek ON ledger_rows (file, run, account, ansvar, day);
-- @end

-- The monthly sums of a figure (src/ledger/page.rs, `amounts_where`): the accounts and ansvar
-- its rules name, found by ansvar, or by account for a rule without ansvar, instead of read
-- from every sum of the file.
CREATE INDEX ledger_sums_ansvar ON ledger_sums (ansvar, account);

CREATE INDEX ledger_sums_account ON ledger_sums (account);
