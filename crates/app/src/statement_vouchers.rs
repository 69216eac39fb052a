//! The vouchers behind an account of the financial statements (issue 24, item 3: a bokslut
//! account → its vouchers): the rows of one account of a bokslut file (scope `statements`)
//! from the fiscal year's first month through the period, a page at a time in the
//! drill-down's order with the drill-down's cursors (`crate::drill`). The trace of a line of
//! RR or BR (`App::trace_statement_line`) links each of its accounts here.
//!
//! For logged-in users only, as every voucher list: voucher texts may name persons. The
//! public sees the sums per account on the line's trace, never the vouchers.

use crate::drill::{VoucherCursor, VoucherRequest, neighbours, page_at};
use crate::{Actor, App, AppError, Role};
use std::collections::BTreeMap;
use styr_domain::Money;
use styr_domain::ledger::{LedgerTransaction, Month};
use styr_store::{FileSelection, LedgerPair, LedgerSelection};

/// A page of the vouchers behind an account of the financial statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementVoucherPage {
    pub period: Month,
    /// The bokslut file's name.
    pub file: String,
    pub account: String,
    /// The line of RR or BR the account maps onto (its id and label).
    pub line: String,
    pub line_label: String,
    /// BR: the opening balance (#IB 0) in the report's sign; RR: zero.
    pub opening: Money,
    /// What the account adds to its line (report sign): the opening plus the movements.
    pub outcome: Money,
    /// The rows behind the movements and their sum, in the ledger's sign (every page's).
    pub rows: u64,
    pub amount: Money,
    /// Whether the report shows the movements with the ledger's sign flipped (credit
    /// positive: income, equity and liabilities).
    pub flipped: bool,
    /// This page's rows, in the order (day, file, voucher, line).
    pub vouchers: Vec<LedgerTransaction>,
    pub next: Option<VoucherCursor>,
    pub previous: Option<VoucherCursor>,
}

impl App {
    /// One page of the vouchers behind `account` of the bokslut file `file` in the financial
    /// statements through `period` (the first, or the one after or before a cursor of
    /// `request`; its unit and account are not read). An account the statements do not show
    /// is not found.
    pub async fn statement_account_vouchers(
        &self,
        actor: &Actor,
        period: Month,
        file: &str,
        account: &str,
        request: &VoucherRequest,
    ) -> Result<StatementVoucherPage, AppError> {
        if actor.role == Role::Public {
            return Err(AppError::Forbidden(
                "verifikationerna visas för inloggade användare".to_owned(),
            ));
        }
        let at = page_at(request)?;
        let (report, kf, ledgers) = self.traced_statements(actor, period).await?;
        let not_shown = || {
            AppError::NotFound(format!(
                "konto {account} i {file} ingår inte i de finansiella rapporterna {period}"
            ))
        };
        let rule = kf.statements.classify(account).ok_or_else(not_shown)?;
        let figure =
            styr_reports::statements::line_accounts(&kf.statements, &ledgers, period, &rule.line)
                .into_iter()
                .find(|a| a.file == file && a.account == account)
                .ok_or_else(not_shown)?;
        let line_label = report
            .row(&figure.line)
            .map_or_else(|| figure.line.clone(), |r| r.label.clone());
        let first = Month::new(period.year(), 1).unwrap_or(period);
        let municipality = kf.municipality.id.to_string();
        let sums = self
            .store
            .statement_account_amounts(&municipality, period.year(), file, account, first, period)
            .await?;
        let (mut rows, mut amount) = (0, Money::ZERO);
        let mut pairs: BTreeMap<_, Vec<LedgerPair>> = BTreeMap::new();
        for sum in &sums.amounts {
            rows += sum.rows;
            amount = amount + sum.amount;
            let listed = pairs.entry(sum.file).or_default();
            if !listed.iter().any(|p| p.ansvar == sum.ansvar) {
                listed.push(LedgerPair {
                    account: sum.account.clone(),
                    ansvar: sum.ansvar.clone(),
                    projects: None,
                });
            }
        }
        let mut months: BTreeMap<_, Vec<(Month, u64)>> = BTreeMap::new();
        for (file, month, count) in &sums.monthly_rows {
            months.entry(*file).or_default().push((*month, *count));
        }
        let selection = LedgerSelection {
            first,
            last: period,
            files: pairs
                .into_iter()
                .map(|(file, pairs)| FileSelection {
                    file,
                    pairs,
                    monthly_rows: months.remove(&file).unwrap_or_default(),
                })
                .collect(),
        };
        let read = self
            .store
            .ledger_transactions_page(&municipality, &selection, at, request.limit)
            .await?;
        let (next, previous) = neighbours(at, &read);
        let flipped =
            styr_domain::statements::line(&figure.line).is_some_and(|l| l.report_sign() < 0);
        Ok(StatementVoucherPage {
            period,
            file: figure.file,
            account: figure.account,
            line: figure.line,
            line_label,
            opening: figure.opening,
            outcome: figure.outcome,
            rows,
            amount,
            flipped,
            vouchers: read.rows.into_iter().map(|(_, row)| row).collect(),
            next,
            previous,
        })
    }
}
