-- Monthly balances maintained at import (issue 23): per ledger file, source, calendar year,
-- account and ansvar, the twelve months' amounts (a01…a12, öre) and counted rows (r01…r12),
-- summed over the projects. What budget vs actual reads: thousands of rows where ledger_sums
-- holds one per account × ansvar × project × month (millions on a ledger with projects).
-- A file's balances are written with its sums in the import's transaction and deleted with
-- them when the file is replaced, so they are exact under re-import by construction.
--
-- project_rows: how many of the rows carried a project (dimension 6). sums_first and sums_last:
-- the positions in ledger_sums of the file's rows of this source, account and ansvar in the
-- year, so that a report whose rule looks at the project (inv, expl) reads just those rows.
CREATE TABLE ledger_year_balances (
    file BIGINT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('actual', 'budget')),
    year BIGINT NOT NULL,
    account TEXT NOT NULL,
    ansvar TEXT,
    project_rows BIGINT NOT NULL,
    sums_first BIGINT NOT NULL,
    sums_last BIGINT NOT NULL,
    a01 BIGINT NOT NULL,
    a02 BIGINT NOT NULL,
    a03 BIGINT NOT NULL,
    a04 BIGINT NOT NULL,
    a05 BIGINT NOT NULL,
    a06 BIGINT NOT NULL,
    a07 BIGINT NOT NULL,
    a08 BIGINT NOT NULL,
    a09 BIGINT NOT NULL,
    a10 BIGINT NOT NULL,
    a11 BIGINT NOT NULL,
    a12 BIGINT NOT NULL,
    r01 BIGINT NOT NULL,
    r02 BIGINT NOT NULL,
    r03 BIGINT NOT NULL,
    r04 BIGINT NOT NULL,
    r05 BIGINT NOT NULL,
    r06 BIGINT NOT NULL,
    r07 BIGINT NOT NULL,
    r08 BIGINT NOT NULL,
    r09 BIGINT NOT NULL,
    r10 BIGINT NOT NULL,
    r11 BIGINT NOT NULL,
    r12 BIGINT NOT NULL
);

CREATE INDEX ledger_year_balances_file ON ledger_year_balances (file, source, year);

INSERT INTO ledger_year_balances (file, source, year, account, ansvar, project_rows,
    sums_first, sums_last,
    a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12,
    r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12)
SELECT file, source, CAST(substr(month, 1, 4) AS BIGINT), account, ansvar,
    CAST(SUM(CASE WHEN project IS NULL THEN 0 ELSE row_count END) AS BIGINT),
    MIN(position), MAX(position),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '01' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '02' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '03' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '04' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '05' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '06' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '07' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '08' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '09' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '10' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '11' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '12' THEN amount_ore ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '01' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '02' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '03' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '04' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '05' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '06' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '07' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '08' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '09' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '10' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '11' THEN row_count ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN substr(month, 6, 2) = '12' THEN row_count ELSE 0 END) AS BIGINT)
FROM ledger_sums
GROUP BY file, source, substr(month, 1, 4), account, ansvar;
