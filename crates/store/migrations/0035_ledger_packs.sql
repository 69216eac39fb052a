-- Voucher rows packed (issue 23): a file's voucher rows are kept as packs of a few dozen rows
-- of one run, account and ansvar each, encoded into one blob (src/ledger/pack.rs), instead of
-- one SQL row per transaction: the SQLite import spent half its time writing those rows. The
-- drill-down seeks a pair's packs by their last day and decodes them.
--
-- The existing rows are packed by the store itself once this file has run (src/migrate.rs,
-- `Step::PackLedgerRows`), which then drops ledger_rows, in the same transaction.
--
-- first_day: the day the pack's rows count their days from (its first row's); last_day: its
-- last row's; seq: the pack's place in its run; row_count: how many rows it holds.
CREATE TABLE ledger_packs (
    file BIGINT NOT NULL,
    run BIGINT NOT NULL,
    account BIGINT NOT NULL,
    ansvar BIGINT NOT NULL,
    last_day BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    first_day BIGINT NOT NULL,
    row_count BIGINT NOT NULL,
-- @sqlite
    data BLOB NOT NULL,
    PRIMARY KEY (file, run, account, ansvar, last_day, seq)
) WITHOUT ROWID;
-- @postgres
    data BYTEA NOT NULL
) PARTITION BY LIST (file);

-- As ledger_rows_seek (migration 0030): built once per file when its partition is attached.
CREATE INDEX ledger_packs_seek ON ledger_packs (file, run, account, ansvar, last_day);

ALTER TABLE ledger_packs ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON ledger_packs USING (file IN (SELECT id FROM ledger_files WHERE municipality = current_setting('styr.municipality', true)));
-- @end
