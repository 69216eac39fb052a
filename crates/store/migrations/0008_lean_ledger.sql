-- The lean ledger (issue 9): the ledger files keyed by a number, their repeated texts (series,
-- accounts, object lists, voucher and row texts) stored once per file and referenced by id,
-- vouchers stored once instead of on every row, dates as day numbers (days since 1970-01-01),
-- and the voucher rows clustered by account and day so that a drill-down into one line
-- and month reads only its own rows. The monthly sums the reports read move along unchanged.
-- Existing imports are carried over row for row; the old tables go.
--
-- No foreign keys from the row tables to ledger_files: the one write protocol
-- (src/ledger/load.rs) writes and deletes them together in one transaction, and a key lookup
-- per row would cost more than the rows themselves. SQLite and PostgreSQL differ in WITHOUT
-- ROWID, in how a date becomes a day number, and in how ledger_rows is ordered: SQLite by its
-- primary key, PostgreSQL by a BRIN index over the order COPY wrote.

CREATE TABLE ledger_files (
    id BIGINT NOT NULL PRIMARY KEY,
    municipality TEXT NOT NULL,
    company TEXT NOT NULL,
    fiscal_year TEXT NOT NULL,
    company_name TEXT,
    year_start TEXT NOT NULL,
    year_end TEXT NOT NULL,
    file_name TEXT NOT NULL,
    program TEXT,
    vouchers BIGINT NOT NULL,
    transactions BIGINT NOT NULL,
    runs BIGINT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    UNIQUE (municipality, company, fiscal_year)
);

-- The distinct texts of a file (series, accounts, object lists, row texts), numbered from 0.
CREATE TABLE ledger_texts (
    file BIGINT NOT NULL,
    id BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (file, id)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end

-- Vouchers numbered from 1 in file order; series is a ledger_texts id.
CREATE TABLE ledger_vouchers (
    file BIGINT NOT NULL,
    id BIGINT NOT NULL,
    series BIGINT NOT NULL,
    number TEXT NOT NULL,
    day BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (file, id)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end

-- Every voucher row. The importer writes a file's rows in runs of a bounded size, each
-- sorted by (account, ansvar, day, voucher, line) and numbered from 0 (`run`; ledger_files.runs says
-- how many): every run is appended at the end of the table's tree, and a drill-down seeks
-- each run of a file for the accounts and ansvar of a budget line. account, ansvar (the
-- dimension-1 object, the empty text when none) and objects (the whole object list as 'DIM=OBJECT;…', NULL when
-- empty) are ledger_texts ids; day is the row's date, else its voucher's; line is the row's
-- place in its voucher. kind: 0 #TRANS, 1 #RTRANS, 2 #BTRANS, 3 the #TRANS that duplicates an
-- #RTRANS; only 0 and 1 count. The row's text is the ledger_texts text `text`, or `text_inline`
-- once a file has more distinct texts than the importer keeps in memory; text_tail 1: followed
-- by its voucher's text (ledgers repeat the voucher text on every row).
CREATE TABLE ledger_rows (
    file BIGINT NOT NULL,
    run BIGINT NOT NULL,
    account BIGINT NOT NULL,
    ansvar BIGINT NOT NULL,
    day BIGINT NOT NULL,
    voucher BIGINT NOT NULL,
    line BIGINT NOT NULL,
    kind BIGINT NOT NULL CHECK (kind BETWEEN 0 AND 3),
    objects BIGINT,
    amount_ore BIGINT NOT NULL,
    text BIGINT,
    text_inline TEXT,
-- @sqlite
    text_tail BIGINT NOT NULL CHECK (text_tail IN (0, 1)),
    PRIMARY KEY (file, run, account, ansvar, day, voucher, line)
) WITHOUT ROWID;
-- @postgres
    text_tail BIGINT NOT NULL CHECK (text_tail IN (0, 1))
);

-- PostgreSQL keeps the rows in a heap in the order COPY wrote them, which is the key order
-- within each run: a BRIN index over that order finds a file's run and account for a tiny
-- fraction of what a B-tree primary key costs to maintain (COPY with the key took twice as
-- long as without). Rows are unique by construction: the import numbers them.
CREATE INDEX ledger_rows_order ON ledger_rows USING brin (file, run, account, ansvar, day);
-- @end

-- The counted rows summed per account × ansvar × project × month (source 'actual'), and the
-- file's #PBUDGET rows the same way (source 'budget'): what the reports read.
CREATE TABLE ledger_sums (
    file BIGINT NOT NULL,
    position BIGINT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('actual', 'budget')),
    account TEXT NOT NULL,
    ansvar TEXT,
    project TEXT,
    month TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    row_count BIGINT NOT NULL,
    PRIMARY KEY (file, position)
);

CREATE INDEX ledger_sums_month ON ledger_sums (month, source);

INSERT INTO ledger_files (id, municipality, company, fiscal_year, company_name, year_start,
    year_end, file_name, program, vouchers, transactions, runs, imported_at, imported_by)
SELECT import_seq, municipality, company, fiscal_year, company_name, year_start, year_end,
    file_name, program, vouchers, transactions, 1, imported_at, imported_by
FROM ledger_imports;

INSERT INTO ledger_sums (file, position, source, account, ansvar, project, month, amount_ore,
    row_count)
SELECT f.id, m.position, m.source, m.account, m.ansvar, m.project, m.month, m.amount_ore,
    m.row_count
FROM ledger_monthly m
JOIN ledger_files f ON f.municipality = m.municipality AND f.company = m.company
    AND f.fiscal_year = m.fiscal_year;

INSERT INTO ledger_texts (file, id, text)
SELECT file, ROW_NUMBER() OVER (PARTITION BY file ORDER BY text) - 1, text
FROM (
    SELECT f.id AS file, t.series AS text FROM ledger_transactions t
        JOIN ledger_files f ON f.municipality = t.municipality AND f.company = t.company
            AND f.fiscal_year = t.fiscal_year
    UNION SELECT f.id, t.transaction_text FROM ledger_transactions t
        JOIN ledger_files f ON f.municipality = t.municipality AND f.company = t.company
            AND f.fiscal_year = t.fiscal_year
    UNION SELECT f.id, t.account FROM ledger_transactions t
        JOIN ledger_files f ON f.municipality = t.municipality AND f.company = t.company
            AND f.fiscal_year = t.fiscal_year
    UNION SELECT f.id, t.ansvar FROM ledger_transactions t
        JOIN ledger_files f ON f.municipality = t.municipality AND f.company = t.company
            AND f.fiscal_year = t.fiscal_year
        WHERE t.ansvar IS NOT NULL
    UNION SELECT id, '' FROM ledger_files
    UNION SELECT f.id, t.objects FROM ledger_transactions t
        JOIN ledger_files f ON f.municipality = t.municipality AND f.company = t.company
            AND f.fiscal_year = t.fiscal_year
        WHERE t.objects <> ''
) AS distinct_texts;

-- Drill-down finds an account's id by its text.
CREATE INDEX ledger_texts_text ON ledger_texts (file, text);

INSERT INTO ledger_vouchers (file, id, series, number, day, text)
SELECT v.file, ROW_NUMBER() OVER (PARTITION BY v.file ORDER BY v.first_position), s.id,
-- @sqlite
    v.voucher_number, CAST(julianday(v.voucher_date) - 2440587.5 AS INTEGER), v.voucher_text
-- @postgres
    v.voucher_number, (CAST(v.voucher_date AS DATE) - DATE '1970-01-01'), v.voucher_text
-- @end
FROM (
    SELECT f.id AS file, t.series, t.voucher_number, t.voucher_date, t.voucher_text,
        MIN(t.position) AS first_position
    FROM ledger_transactions t
    JOIN ledger_files f ON f.municipality = t.municipality AND f.company = t.company
        AND f.fiscal_year = t.fiscal_year
    GROUP BY f.id, t.series, t.voucher_number, t.voucher_date, t.voucher_text
) AS v
JOIN ledger_texts s ON s.file = v.file AND s.text = v.series;

INSERT INTO ledger_rows (file, run, account, ansvar, day, voucher, line, kind, objects,
    amount_ore, text, text_inline, text_tail)
-- @sqlite
SELECT f.id, 0, a.id, u.id, CAST(julianday(t.transaction_date) - 2440587.5 AS INTEGER), v.id,
-- @postgres
SELECT f.id, 0, a.id, u.id, (CAST(t.transaction_date AS DATE) - DATE '1970-01-01'), v.id,
-- @end
    ROW_NUMBER() OVER (PARTITION BY f.id, v.id ORDER BY t.position),
    CASE t.kind WHEN 'normal' THEN 0 WHEN 'added' THEN 1 WHEN 'struck' THEN 2 ELSE 3 END,
    o.id, t.amount_ore, x.id, NULL, 0
FROM ledger_transactions t
JOIN ledger_files f ON f.municipality = t.municipality AND f.company = t.company
    AND f.fiscal_year = t.fiscal_year
JOIN ledger_texts s ON s.file = f.id AND s.text = t.series
JOIN ledger_vouchers v ON v.file = f.id AND v.series = s.id AND v.number = t.voucher_number
-- @sqlite
    AND v.day = CAST(julianday(t.voucher_date) - 2440587.5 AS INTEGER) AND v.text = t.voucher_text
-- @postgres
    AND v.day = (CAST(t.voucher_date AS DATE) - DATE '1970-01-01') AND v.text = t.voucher_text
-- @end
JOIN ledger_texts a ON a.file = f.id AND a.text = t.account
JOIN ledger_texts u ON u.file = f.id AND u.text = COALESCE(t.ansvar, '')
JOIN ledger_texts x ON x.file = f.id AND x.text = t.transaction_text
LEFT JOIN ledger_texts o ON o.file = f.id AND o.text = t.objects AND t.objects <> '';

DROP TABLE ledger_transactions;
DROP TABLE ledger_monthly;
DROP TABLE ledger_imports;
