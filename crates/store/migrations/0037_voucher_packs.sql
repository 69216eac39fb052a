-- Vouchers packed (issue 23): a file's vouchers are kept as packs of the vouchers of one block
-- of 16 ids (block = (id - 1) / 16), encoded into one blob (src/ledger/pack.rs), instead of one
-- SQL row each: after the voucher rows were packed (0035), the vouchers were the largest table
-- (65 bytes a voucher in SQLite, 140 in PostgreSQL, 2,4 M of them at 10 M transactions) and
-- the most rows an import wrote. A drill-down's page looks its vouchers up by block.
--
-- The existing vouchers are packed by the store itself once this file has run (src/migrate.rs,
-- `Step::PackVouchers`), which then drops ledger_vouchers, in the same transaction.
CREATE TABLE ledger_voucher_packs (
    file BIGINT NOT NULL,
    block BIGINT NOT NULL,
    vouchers BIGINT NOT NULL,
-- @sqlite
    data BLOB NOT NULL,
    PRIMARY KEY (file, block)
) WITHOUT ROWID;
-- @postgres
    data BYTEA NOT NULL,
    PRIMARY KEY (file, block)
) PARTITION BY LIST (file);

ALTER TABLE ledger_voucher_packs ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant ON ledger_voucher_packs USING (file IN (SELECT id FROM ledger_files WHERE municipality = current_setting('styr.municipality', true)));
-- @end
