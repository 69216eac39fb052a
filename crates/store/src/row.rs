//! The two conversions between domain values and portable columns: [`Value`] for binding
//! (BIGINT or TEXT, either possibly NULL) and [`Cells`] for reading a row back into typed
//! domain values, every failure naming table and column.
//!
//! Only the portable column types exist here; there is deliberately no bool, float, date or
//! decimal binding, because the `Any` driver does not carry them the same way on both backends.

use crate::StoreError;
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::str::FromStr;
use styr_domain::budget::FigureFormula;
use styr_domain::document::ShowBlock;
use styr_domain::expr::parse_formula;
use styr_domain::{Id, Money, Month};

/// A value bound to a placeholder: a BIGINT or a TEXT, either possibly NULL, or a BLOB (the
/// packed ledger's data, migrations 0035 and 0037; SQLite's BLOB, PostgreSQL's BYTEA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Blob(Vec<u8>),
}

impl From<Vec<u8>> for Value {
    fn from(value: Vec<u8>) -> Value {
        Value::Blob(value)
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Value {
        Value::Int(Some(value))
    }
}

impl From<i32> for Value {
    fn from(value: i32) -> Value {
        Value::Int(Some(value.into()))
    }
}

impl From<u32> for Value {
    fn from(value: u32) -> Value {
        Value::Int(Some(value.into()))
    }
}

impl From<u8> for Value {
    fn from(value: u8) -> Value {
        Value::Int(Some(value.into()))
    }
}

/// A position in a list.
impl From<usize> for Value {
    fn from(value: usize) -> Value {
        Value::Int(Some(i64::try_from(value).unwrap_or(i64::MAX)))
    }
}

/// A boolean is 0 or 1.
impl From<bool> for Value {
    fn from(value: bool) -> Value {
        Value::Int(Some(i64::from(value)))
    }
}

/// Money is a whole number of öre.
impl From<Money> for Value {
    fn from(value: Money) -> Value {
        Value::Int(Some(value.ore()))
    }
}

/// The NULL of a column type: what `None` binds as, typed like the values it stands for.
pub trait Null {
    const NULL: Value;
}

macro_rules! null_of {
    ($kind:ident: $($type:ty),+) => { $(impl Null for $type { const NULL: Value = Value::$kind(None); })+ };
}

null_of!(Int: i64, i32, u32, u8, usize, bool, Money);
null_of!(Text: &str, &String, String, &Id, Decimal, &FigureFormula, Month);

impl<T: Into<Value> + Null> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(T::NULL, Into::into)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Value {
        Value::Text(Some(value.to_owned()))
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Value {
        Value::Text(Some(value.clone()))
    }
}

impl From<String> for Value {
    fn from(value: String) -> Value {
        Value::Text(Some(value))
    }
}

impl From<&Id> for Value {
    fn from(value: &Id) -> Value {
        Value::Text(Some(value.as_str().to_owned()))
    }
}

/// A month is its text `YYYY-MM`, as the columns have always held it.
impl From<Month> for Value {
    fn from(value: Month) -> Value {
        Value::Text(Some(value.to_string()))
    }
}

impl From<&Month> for Value {
    fn from(value: &Month) -> Value {
        Value::from(*value)
    }
}

/// A section's block is its name as written in `show` (`op.fortroende`).
impl From<&ShowBlock> for Value {
    fn from(value: &ShowBlock) -> Value {
        Value::Text(Some(value.to_string()))
    }
}

/// An exact decimal is its text with a dot, keeping its scale ("80.90" stays "80.90").
impl From<Decimal> for Value {
    fn from(value: Decimal) -> Value {
        Value::Text(Some(value.to_string()))
    }
}

/// A figure expression is the text it was written as.
impl From<&FigureFormula> for Value {
    fn from(value: &FigureFormula) -> Value {
        Value::Text(Some(value.text.clone()))
    }
}

/// The columns of one row of one table, read into domain values.
pub struct Cells<'r> {
    pub row: &'r AnyRow,
    pub table: &'static str,
}

impl Cells<'_> {
    fn corrupt(&self, column: &str, message: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(format!("{}.{column}: {message}", self.table))
    }

    pub fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        self.row
            .try_get::<Option<String>, _>(column)
            .map_err(|error| self.corrupt(column, error))
    }

    pub fn text(&self, column: &str) -> Result<String, StoreError> {
        self.opt_text(column)?
            .ok_or_else(|| self.corrupt(column, "saknar värde"))
    }

    pub fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        self.row
            .try_get::<Option<i64>, _>(column)
            .map_err(|error| self.corrupt(column, error))
    }

    pub fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.opt_int(column)?
            .ok_or_else(|| self.corrupt(column, "saknar värde"))
    }

    /// A smaller integer type (a year, a paragraph, a 1–4 grade), checked to fit.
    pub fn opt_small<T: TryFrom<i64>>(&self, column: &str) -> Result<Option<T>, StoreError> {
        self.opt_int(column)?
            .map(|value| {
                T::try_from(value)
                    .map_err(|_| self.corrupt(column, format!("{value} är utanför gränserna")))
            })
            .transpose()
    }

    pub fn small<T: TryFrom<i64>>(&self, column: &str) -> Result<T, StoreError> {
        self.opt_small(column)?
            .ok_or_else(|| self.corrupt(column, "saknar värde"))
    }

    pub fn flag(&self, column: &str) -> Result<bool, StoreError> {
        match self.int(column)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.corrupt(column, format!("{other} är varken 0 eller 1"))),
        }
    }

    pub fn opt_money(&self, column: &str) -> Result<Option<Money>, StoreError> {
        Ok(self.opt_int(column)?.map(Money::from_ore))
    }

    pub fn money(&self, column: &str) -> Result<Money, StoreError> {
        Ok(Money::from_ore(self.int(column)?))
    }

    pub fn opt_id(&self, column: &str) -> Result<Option<Id>, StoreError> {
        self.opt_text(column)?
            .map(|text| Id::parse(&text).map_err(|error| self.corrupt(column, error)))
            .transpose()
    }

    pub fn id(&self, column: &str) -> Result<Id, StoreError> {
        self.opt_id(column)?
            .ok_or_else(|| self.corrupt(column, "saknar värde"))
    }

    /// A value stored as its text, read back by its `FromStr` (a refusal is corrupt data).
    pub fn parsed<T: FromStr<Err: std::fmt::Display>>(
        &self,
        column: &str,
    ) -> Result<T, StoreError> {
        let text = self.text(column)?;
        text.parse().map_err(|error| self.corrupt(column, error))
    }

    /// A month, stored as `YYYY-MM`.
    pub fn month(&self, column: &str) -> Result<Month, StoreError> {
        let text = self.text(column)?;
        text.parse().map_err(|error| self.corrupt(column, error))
    }

    /// A value of a closed set, read with its `parse` (e.g. `RowKind::parse`).
    pub fn opt_code<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, StoreError> {
        self.opt_text(column)?
            .map(|text| {
                parse(&text).ok_or_else(|| self.corrupt(column, format!("okänd kod {text:?}")))
            })
            .transpose()
    }

    pub fn code<T>(&self, column: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
        self.opt_code(column, parse)?
            .ok_or_else(|| self.corrupt(column, "saknar värde"))
    }

    pub fn opt_decimal(&self, column: &str) -> Result<Option<Decimal>, StoreError> {
        self.opt_text(column)?
            .map(|text| {
                Decimal::from_str(&text)
                    .map_err(|error| self.corrupt(column, format!("{text:?}: {error}")))
            })
            .transpose()
    }

    pub fn decimal(&self, column: &str) -> Result<Decimal, StoreError> {
        let text = self.text(column)?;
        Decimal::from_str(&text).map_err(|error| self.corrupt(column, format!("{text:?}: {error}")))
    }

    /// A figure expression, parsed again from its text.
    pub fn opt_formula(&self, column: &str) -> Result<Option<FigureFormula>, StoreError> {
        self.opt_text(column)?
            .map(|text| match parse_formula(&text) {
                Ok(formula) => Ok(FigureFormula { text, formula }),
                Err(error) => Err(self.corrupt(column, format!("{text:?}: {error}"))),
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_keep_the_type_of_their_value() {
        assert_eq!(Value::from(None::<&str>), Value::Text(None));
        assert_eq!(Value::from(None::<String>), Value::Text(None));
        assert_eq!(Value::from(None::<&Id>), Value::Text(None));
        assert_eq!(Value::from(None::<Money>), Value::Int(None));
        assert_eq!(Value::from(None::<i32>), Value::Int(None));
        assert_eq!(Value::from(Some(Money::from_ore(-5))), Value::Int(Some(-5)));
    }

    #[test]
    fn decimals_keep_their_scale() {
        let value = Decimal::from_str("80.90").unwrap();
        assert_eq!(Value::from(value), Value::Text(Some("80.90".into())));
    }
}
