//! The optional `redovisning/` folder of a plan package (KF's): the Kommun-Bas mapping of
//! ledger accounts onto the financial statements' lines (`kommunbas.csv`), the lines' budget
//! where KF's council budget does not split them (`budget.csv`) and the balanskravsutredning's
//! data (`balanskrav.csv`). Each bad cell is a diagnostic with file, line and field.

use crate::read::Reader;
use styr_domain::ledger::{AccountRange, AccountRangeError};
use styr_domain::statements::{
    self, AccountTag, BalanceItem, BalanceItemKind, LineBudget, StatementMapping, StatementRule,
};

pub const KOMMUNBAS: &str = "redovisning/kommunbas.csv";
pub const BUDGET: &str = "redovisning/budget.csv";
pub const BALANCE_REQUIREMENT: &str = "redovisning/balanskrav.csv";

pub const KOMMUNBAS_COLUMNS: [&str; 5] = ["from", "to", "line", "tag", "note"];
pub const BUDGET_COLUMNS: [&str; 3] = ["line", "year", "amount"];
pub const BALANCE_COLUMNS: [&str; 4] = ["year", "item", "amount", "note"];

/// Reads the `redovisning/` files, each optional.
pub(crate) fn read(reader: &mut Reader) -> StatementMapping {
    let mut mapping = StatementMapping::default();
    if let Some(table) = reader.csv_with_optional(
        KOMMUNBAS,
        false,
        &KOMMUNBAS_COLUMNS,
        &["tag", "note"],
        false,
    ) {
        let rules = reader.rows(&table, |row| {
            let from = row.text("from");
            let to = row.text("to");
            let accounts = AccountRange::parse(&from, &to).map_err(|error| {
                let field = match &error {
                    AccountRangeError::NotDigits(text) if *text == from => "from",
                    AccountRangeError::NotDigits(_) | AccountRangeError::Empty { .. } => "to",
                };
                row.error(field, error.to_string());
            });
            let line = row.text("line");
            let known = statements::line(&line).is_some_and(|l| l.is_mapped());
            if !known && !line.is_empty() {
                row.error(
                    "line",
                    format!(
                        "{line:?} är ingen rad att kontera på (en av {})",
                        statements::mapped_line_ids()
                    ),
                );
            }
            let tag = row.optional_code("tag", AccountTag::parse, &AccountTag::codes());
            let note = row.optional_text("note");
            let at = row.at();
            match accounts {
                Ok(accounts) if known => Some(StatementRule {
                    accounts,
                    line,
                    tag,
                    note,
                    at,
                }),
                _ => None,
            }
        });
        mapping.rules = rules.into_iter().flatten().collect();
    }
    if let Some(table) = reader.csv(BUDGET, false, &BUDGET_COLUMNS, false) {
        let budget = reader.rows(&table, |row| {
            let line = row.text("line");
            if !statements::line(&line).is_some_and(|l| l.is_mapped()) {
                row.error(
                    "line",
                    format!(
                        "{line:?} är ingen rad med egen budget (en av {})",
                        statements::mapped_line_ids()
                    ),
                );
            }
            let year = row.year("year");
            let amount = row.tkr("amount");
            if amount.is_none() {
                row.error("amount", "beloppet (tkr) saknas");
            }
            let at = row.at();
            amount.map(|amount| LineBudget {
                line,
                year,
                amount,
                at,
            })
        });
        mapping.budget = budget.into_iter().flatten().collect();
    }
    if let Some(table) = reader.csv_with_optional(
        BALANCE_REQUIREMENT,
        false,
        &BALANCE_COLUMNS,
        &["note"],
        false,
    ) {
        let items = reader.rows(&table, |row| {
            let year = row.year("year");
            let kind = row.optional_code("item", BalanceItemKind::parse, &BalanceItemKind::codes());
            if row.optional_text("item").is_none() {
                row.error(
                    "item",
                    format!("posten saknas (en av {})", BalanceItemKind::codes()),
                );
            }
            let amount = row.tkr("amount");
            if amount.is_none() {
                row.error("amount", "beloppet (tkr) saknas");
            }
            let note = row.optional_text("note");
            let at = row.at();
            match (kind, amount) {
                (Some(kind), Some(amount)) => Some(BalanceItem {
                    year,
                    kind,
                    amount,
                    note,
                    at,
                }),
                _ => None,
            }
        });
        mapping.balance_items = items.into_iter().flatten().collect();
    }
    mapping
}
