//! The ledger's tables and their columns, each named once: the write protocol
//! ([`load`](super::load)) hands rows to a [`TableWriter`] by table, and both writers build
//! their statements (`INSERT … VALUES`, `COPY … FROM STDIN`) from these lists.

use crate::StoreError;
use crate::row::Value;
use std::fmt::Write as _;

/// A table and its columns, in the order values are given.
#[derive(Debug)]
pub(crate) struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

pub(crate) const FILES: Table = Table {
    name: "ledger_files",
    columns: &[
        "id",
        "municipality",
        "company",
        "fiscal_year",
        "company_name",
        "year_start",
        "year_end",
        "file_name",
        "program",
        "vouchers",
        "transactions",
        "runs",
        "run_days",
        "imported_at",
        "imported_by",
        "scope",
    ],
};

pub(crate) const TEXTS: Table = Table {
    name: "ledger_texts",
    columns: &["file", "id", "text"],
};

/// A file's vouchers, packed a block of ids at a time ([`super::pack`], migration 0037).
pub(crate) const VOUCHER_PACKS: Table = Table {
    name: "ledger_voucher_packs",
    columns: &["file", "block", "vouchers", "data"],
};

/// A file's voucher rows, packed ([`super::pack`], migration 0035).
pub(crate) const PACKS: Table = Table {
    name: "ledger_packs",
    columns: &[
        "file",
        "run",
        "account",
        "ansvar",
        "last_day",
        "seq",
        "first_day",
        "row_count",
        "data",
    ],
};

pub(crate) const SUMS: Table = Table {
    name: "ledger_sums",
    columns: &[
        "file",
        "position",
        "source",
        "account",
        "ansvar",
        "project",
        "month",
        "amount_ore",
        "row_count",
    ],
};

/// A file's #IB, #UB and #RES records (migration 0023).
pub(crate) const BALANCES: Table = Table {
    name: "ledger_balances",
    columns: &[
        "file",
        "position",
        "kind",
        "year_index",
        "account",
        "amount_ore",
    ],
};

/// The file's monthly balances per source, year, account and ansvar (migration 0028,
/// [`super::balances`]).
pub(crate) const YEAR_BALANCES: Table = Table {
    name: "ledger_year_balances",
    columns: &[
        "file",
        "source",
        "year",
        "account",
        "ansvar",
        "project_rows",
        "sums_first",
        "sums_last",
        "a01",
        "a02",
        "a03",
        "a04",
        "a05",
        "a06",
        "a07",
        "a08",
        "a09",
        "a10",
        "a11",
        "a12",
        "r01",
        "r02",
        "r03",
        "r04",
        "r05",
        "r06",
        "r07",
        "r08",
        "r09",
        "r10",
        "r11",
        "r12",
    ],
};

/// The tables that hold one file's data, the file's own row last: what replacing or deleting a
/// file deletes, in this order.
pub(crate) const OF_A_FILE: [(&Table, &str); 7] = [
    (&YEAR_BALANCES, "file"),
    (&BALANCES, "file"),
    (&PACKS, "file"),
    (&VOUCHER_PACKS, "file"),
    (&TEXTS, "file"),
    (&SUMS, "file"),
    (&FILES, "id"),
];

impl Table {
    /// `INSERT INTO t (…) VALUES (…), (…)` for `rows` rows with `$n` placeholders (SQLite reads
    /// `$n` as a named parameter; they are bound in order).
    pub fn insert_sql(&self, rows: usize) -> String {
        let width = self.columns.len();
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            self.name,
            self.columns.join(", ")
        );
        for row in 0..rows {
            sql.push_str(if row == 0 { "(" } else { ", (" });
            for column in 0..width {
                let separator = if column == 0 { "" } else { ", " };
                let _ = write!(sql, "{separator}${}", row * width + column + 1);
            }
            sql.push(')');
        }
        sql
    }

    /// [`insert_sql`](Self::insert_sql) with the columns of `fixed` given as literal numbers in
    /// every row: the other columns' placeholders are numbered in order, row after row.
    pub fn insert_sql_fixed(&self, rows: usize, fixed: &[(&str, i64)]) -> String {
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            self.name,
            self.columns.join(", ")
        );
        let mut placeholder = 0;
        for row in 0..rows {
            sql.push_str(if row == 0 { "(" } else { ", (" });
            for (index, column) in self.columns.iter().enumerate() {
                let separator = if index == 0 { "" } else { ", " };
                match fixed.iter().find(|(name, _)| name == column) {
                    Some((_, value)) => {
                        let _ = write!(sql, "{separator}{value}");
                    }
                    None => {
                        placeholder += 1;
                        let _ = write!(sql, "{separator}${placeholder}");
                    }
                }
            }
            sql.push(')');
        }
        sql
    }

    /// `COPY t (…) FROM STDIN`, PostgreSQL's text format.
    pub fn copy_sql(&self) -> String {
        self.copy_sql_into(self.name)
    }

    /// `COPY target (columns…) FROM STDIN` into another table of the same columns (a partition).
    pub fn copy_sql_into(&self, target: &str) -> String {
        format!("COPY {target} ({}) FROM STDIN", self.columns.join(", "))
    }

    /// `DELETE FROM t WHERE column = $1`.
    pub fn delete_sql(&self, key: &str) -> String {
        format!("DELETE FROM {} WHERE {key} = $1", self.name)
    }

    /// Refuses a row whose width is not the table's: a programming error, caught in tests.
    pub fn check_width(&self, values: &[Value]) -> Result<(), StoreError> {
        if values.len() == self.columns.len() {
            Ok(())
        } else {
            Err(StoreError::Corrupt(format!(
                "{}: {} värden för {} kolumner",
                self.name,
                values.len(),
                self.columns.len()
            )))
        }
    }
}

/// Where the write protocol's rows go: one implementation per database.
pub(crate) trait TableWriter: Send {
    /// Writes one row of `table` (perhaps later, but within the open transaction), taking the
    /// values out of `values` so that the caller can fill it again without allocating.
    fn insert(&mut self, table: &'static Table, values: &mut Vec<Value>) -> Result<(), StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_name_every_column_once() {
        assert_eq!(
            TEXTS.insert_sql(2),
            "INSERT INTO ledger_texts (file, id, text) VALUES ($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(
            TEXTS.copy_sql(),
            "COPY ledger_texts (file, id, text) FROM STDIN"
        );
        assert_eq!(PACKS.columns.len(), 9);
        assert_eq!(
            TEXTS.insert_sql_fixed(2, &[("file", 7)]),
            "INSERT INTO ledger_texts (file, id, text) VALUES (7, $1, $2), (7, $3, $4)"
        );
    }
}
