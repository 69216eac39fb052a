-- Many municipalities on one PostgreSQL server (issue 23): the tables of a ledger file's data
-- are partitioned by file, one partition per ledger file (one municipality's one company's one
-- fiscal year), and the ledger tables are guarded by row-level security: a role that is not
-- their owner sees only the rows of the municipality its transaction names in the setting
-- `styr.municipality` (the store sets it per transaction with `set_config(…, true)`), and
-- nothing when none is named. SQLite is unchanged: it holds one installation's data.
--
-- An import creates its file's six tables beside the partitioned parents and attaches them
-- at once, then loads them with COPY into the parents (src/ledger/partition.rs); replacing a
-- file drops its six partitions, just before the import commits, instead of deleting its rows. A partition is named after its
-- parent and its file: ledger_rows_17. Partitions have row-level security enabled and no
-- policy, so a role other than the owner reads nothing from one directly; through the parent
-- the parent's policy decides.
--
-- The existing tables are recreated as partitioned ones with the same columns, constraints
-- and indexes (LIKE … INCLUDING ALL: the indexes get generated names), their rows carried over
-- one partition per file.

-- @postgres
ALTER TABLE ledger_texts RENAME TO ledger_texts_unpartitioned;

ALTER TABLE ledger_vouchers RENAME TO ledger_vouchers_unpartitioned;

ALTER TABLE ledger_rows RENAME TO ledger_rows_unpartitioned;

ALTER TABLE ledger_sums RENAME TO ledger_sums_unpartitioned;

ALTER TABLE ledger_balances RENAME TO ledger_balances_unpartitioned;

ALTER TABLE ledger_year_balances RENAME TO ledger_year_balances_unpartitioned;

CREATE TABLE ledger_texts (LIKE ledger_texts_unpartitioned INCLUDING ALL) PARTITION BY LIST (file);

CREATE TABLE ledger_vouchers (LIKE ledger_vouchers_unpartitioned INCLUDING ALL) PARTITION BY LIST (file);

CREATE TABLE ledger_rows (LIKE ledger_rows_unpartitioned INCLUDING ALL) PARTITION BY LIST (file);

CREATE TABLE ledger_sums (LIKE ledger_sums_unpartitioned INCLUDING ALL) PARTITION BY LIST (file);

CREATE TABLE ledger_balances (LIKE ledger_balances_unpartitioned INCLUDING ALL) PARTITION BY LIST (file);

CREATE TABLE ledger_year_balances (LIKE ledger_year_balances_unpartitioned INCLUDING ALL) PARTITION BY LIST (file);

-- One partition per file that has rows in any of the tables, and its rows. Inside the block a
-- statement's semicolon begins the next line: the runner splits at a semicolon that ends one.
DO $$
DECLARE
    f BIGINT
    ; t TEXT
; BEGIN
    FOR f IN
        SELECT id FROM ledger_files
        UNION SELECT file FROM ledger_texts_unpartitioned
        UNION SELECT file FROM ledger_vouchers_unpartitioned
        UNION SELECT file FROM ledger_rows_unpartitioned
        UNION SELECT file FROM ledger_sums_unpartitioned
        UNION SELECT file FROM ledger_balances_unpartitioned
        UNION SELECT file FROM ledger_year_balances_unpartitioned
    LOOP
        FOREACH t IN ARRAY ARRAY['ledger_texts', 'ledger_vouchers', 'ledger_rows', 'ledger_sums', 'ledger_balances', 'ledger_year_balances'] LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%s)', t || '_' || f, t, f)
            ; EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t || '_' || f)
            ; EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE file = %s', t, t || '_unpartitioned', f)
        ; END LOOP
    ; END LOOP
; END $$;

DROP TABLE ledger_texts_unpartitioned;

DROP TABLE ledger_vouchers_unpartitioned;

DROP TABLE ledger_rows_unpartitioned;

DROP TABLE ledger_sums_unpartitioned;

DROP TABLE ledger_balances_unpartitioned;

DROP TABLE ledger_year_balances_unpartitioned;

-- Row-level security: a file is the municipality's that the transaction names; every table of
-- a file's data follows its file. Not forced: the owner (who migrates, imports and backs up)
-- is not subject to it; the application role the web server connects as is.
ALTER TABLE ledger_files ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON ledger_files USING (municipality = current_setting('styr.municipality', true));

ALTER TABLE ledger_texts ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON ledger_texts USING (file IN (SELECT id FROM ledger_files WHERE municipality = current_setting('styr.municipality', true)));

ALTER TABLE ledger_vouchers ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON ledger_vouchers USING (file IN (SELECT id FROM ledger_files WHERE municipality = current_setting('styr.municipality', true)));

ALTER TABLE ledger_rows ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON ledger_rows USING (file IN (SELECT id FROM ledger_files WHERE municipality = current_setting('styr.municipality', true)));

ALTER TABLE ledger_sums ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON ledger_sums USING (file IN (SELECT id FROM ledger_files WHERE municipality = current_setting('styr.municipality', true)));

ALTER TABLE ledger_balances ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON ledger_balances USING (file IN (SELECT id FROM ledger_files WHERE municipality = current_setting('styr.municipality', true)));

ALTER TABLE ledger_year_balances ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON ledger_year_balances USING (file IN (SELECT id FROM ledger_files WHERE municipality = current_setting('styr.municipality', true)));
-- @end
