//! Writing rows with each column named beside its value.
//!
//! A [`Row`] is a list of `(column, value)` cells, written with [`row!`]:
//!
//! ```text
//! row! { "id" => &body.id, "name" => &body.name, "parent" => body.parent.as_ref() }
//!     .insert("bodies", &mut *connection).await?;
//! ```
//!
//! The statement is built from the cells (`INSERT INTO bodies (id, name, parent) VALUES ($1,
//! $2, $3)`) and the values are bound in the same order, so a value can only go to the column
//! written next to it; there is no separate column list to keep in step. Table and column names
//! are `&'static str` written in the code, never data; every value is a bound parameter.
//!
//! The placeholders are `$1, $2, …` on both backends: PostgreSQL numbers them so, and SQLite
//! reads `$n` as a named parameter, numbered in the order of first appearance, which is the
//! order they are written and bound in.
//!
//! The bulk ledger writer keeps its rows as plain values for speed; [`values_of!`] checks
//! their column names against the table's list when the crate is compiled.

use crate::StoreError;
use crate::row::Value;
use sqlx::{AnyConnection, AssertSqlSafe};
use std::fmt::Write as _;

/// One row's cells: each column named beside its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Row {
    cells: Vec<(&'static str, Value)>,
}

/// A [`Row`] of `"column" => value` cells; each value is turned into a [`Value`] by its `From`.
macro_rules! row {
    ($($column:literal => $value:expr),* $(,)?) => {
        $crate::write::Row::from_cells(vec![$(($column, $crate::row::Value::from($value))),*])
    };
}
pub(crate) use row;

/// The values of one row of a [`Table`](crate::ledger::tables::Table), in its column order,
/// written `"column" => value` like [`row!`]: the names must be the table's columns in the
/// table's order, or the crate does not compile. (For the bulk writers, which keep values
/// without names.)
macro_rules! values_of {
    ($table:path; $($column:literal => $value:expr),* $(,)?) => {{
        const _: () = assert!(
            $crate::write::same_columns($table.columns, &[$($column),*]),
            concat!("the columns named here are not those of ", stringify!($table), ", in order")
        );
        [$($crate::row::Value::from($value)),*]
    }};
}
pub(crate) use values_of;

/// Whether two lists of column names are the same, in the same order (usable in a `const`).
pub(crate) const fn same_columns(table: &[&str], named: &[&str]) -> bool {
    if table.len() != named.len() {
        return false;
    }
    let mut i = 0;
    while i < table.len() {
        let (a, b) = (table[i].as_bytes(), named[i].as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut j = 0;
        while j < a.len() {
            if a[j] != b[j] {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

/// Binds a value to the next placeholder.
pub(crate) fn bind(
    query: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    value: Value,
) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
    match value {
        Value::Int(int) => query.bind(int),
        Value::Text(text) => query.bind(text),
        Value::Blob(bytes) => query.bind(bytes),
    }
}

impl Row {
    pub fn from_cells(cells: Vec<(&'static str, Value)>) -> Row {
        Row { cells }
    }

    /// The row with `other`'s cells after its own.
    pub fn and(mut self, other: Row) -> Row {
        self.cells.extend(other.cells);
        self
    }

    /// The cells, in order (for a statement built around the row's columns and values).
    pub fn into_cells(self) -> Vec<(&'static str, Value)> {
        self.cells
    }

    /// The columns, in order.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.cells.iter().map(|(column, _)| *column)
    }

    /// Refuses a column named twice: a programming error, caught by the first test that writes
    /// the row.
    fn check(&self, table: &str) -> Result<(), StoreError> {
        for (index, (column, _)) in self.cells.iter().enumerate() {
            if self.cells[..index].iter().any(|(c, _)| c == column) {
                return Err(StoreError::Corrupt(format!(
                    "{table}: kolumnen {column} är angiven två gånger"
                )));
            }
        }
        Ok(())
    }

    /// `INSERT INTO table (a, b, …) VALUES ($1, $2, …)`.
    pub fn insert_sql(&self, table: &str) -> Result<String, StoreError> {
        self.check(table)?;
        let columns: Vec<&str> = self.columns().collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES (", columns.join(", "));
        for index in 1..=self.cells.len() {
            let separator = if index == 1 { "" } else { ", " };
            let _ = write!(sql, "{separator}${index}");
        }
        sql.push(')');
        Ok(sql)
    }

    /// `UPDATE table SET a = $1, b = $2, … WHERE k = $n AND …`: this row's cells are set in the
    /// rows that `key`'s cells name.
    pub fn update_sql(&self, table: &str, key: &Row) -> Result<String, StoreError> {
        self.check(table)?;
        key.check(table)?;
        let mut sql = format!("UPDATE {table} SET ");
        for (index, column) in self.columns().enumerate() {
            let separator = if index == 0 { "" } else { ", " };
            let _ = write!(sql, "{separator}{column} = ${}", index + 1);
        }
        for (index, column) in key.columns().enumerate() {
            let word = if index == 0 { " WHERE" } else { " AND" };
            let _ = write!(sql, "{word} {column} = ${}", self.cells.len() + index + 1);
        }
        Ok(sql)
    }

    /// Inserts the row into `table`; returns the rows written (1).
    pub async fn insert(
        self,
        table: &'static str,
        connection: &mut AnyConnection,
    ) -> Result<u64, StoreError> {
        let sql = self.insert_sql(table)?;
        self.execute(sql, None, connection).await
    }

    /// Inserts the row into `table` unless a row with the same values in the `conflict` columns
    /// (a unique index's, written in the code) is there: `INSERT … ON CONFLICT (…) DO
    /// NOTHING`. Returns the rows written, 1 or 0; the transaction stays usable either way.
    pub async fn insert_unless_conflict(
        self,
        table: &'static str,
        conflict: &str,
        connection: &mut AnyConnection,
    ) -> Result<u64, StoreError> {
        let sql = format!(
            "{} ON CONFLICT ({conflict}) DO NOTHING",
            self.insert_sql(table)?
        );
        self.execute(sql, None, connection).await
    }

    /// Sets this row's cells in the rows of `table` that `key` names; returns how many changed.
    pub async fn update(
        self,
        table: &'static str,
        key: Row,
        connection: &mut AnyConnection,
    ) -> Result<u64, StoreError> {
        let sql = self.update_sql(table, &key)?;
        self.execute(sql, Some(key), connection).await
    }

    async fn execute(
        self,
        sql: String,
        key: Option<Row>,
        connection: &mut AnyConnection,
    ) -> Result<u64, StoreError> {
        // Built from the constant table and column names of the code, never from data.
        let mut query = sqlx::query(AssertSqlSafe(sql));
        let key = key.map(|key| key.cells).unwrap_or_default();
        for (_, value) in self.cells.into_iter().chain(key) {
            query = bind(query, value);
        }
        Ok(query.execute(connection).await?.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_number_the_cells_in_order() {
        let row = row! { "id" => "a", "name" => "b", "level" => 3i64, "parent" => None::<&str> };
        assert_eq!(
            row.insert_sql("units").unwrap(),
            "INSERT INTO units (id, name, level, parent) VALUES ($1, $2, $3, $4)"
        );
        let key = row! { "municipality" => "m", "month" => "2021-04" };
        assert_eq!(
            row! { "title" => "t", "state" => "open" }
                .update_sql("periods", &key)
                .unwrap(),
            "UPDATE periods SET title = $1, state = $2 WHERE municipality = $3 AND month = $4"
        );
        assert_eq!(
            row.cells.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
            vec![
                Value::from("a"),
                Value::from("b"),
                Value::Int(Some(3)),
                Value::Text(None)
            ]
        );
    }

    #[test]
    fn a_column_named_twice_is_refused() {
        let row = row! { "id" => "a", "name" => "b" }.and(row! { "id" => "c" });
        let error = row.insert_sql("units").unwrap_err().to_string();
        assert!(error.contains("units: kolumnen id"), "{error}");
    }

    #[test]
    fn column_lists_compare_name_by_name() {
        assert!(same_columns(&["a", "bc"], &["a", "bc"]));
        assert!(!same_columns(&["a", "bc"], &["bc", "a"]));
        assert!(!same_columns(&["a", "bc"], &["a", "bd"]));
        assert!(!same_columns(&["a", "bc"], &["a"]));
        assert!(!same_columns(&["ab"], &["a"]));
    }
}
