//! The financial statements (issue 22): RR, BR, KFA and the balanskravsutredning of a
//! municipality for a year through a month, from its bokslut ledger files (imported with
//! [`ActualsOptions::statements`](crate::ActualsOptions)) through KF's Kommun-Bas mapping; and
//! what the import of a bokslut file needs (its balances, the refusal of an unmapped account).
//!
//! A bokslut file is stored beside the bodies' follow-up files under the company
//! `<#ORGNR> (bokslut)`, so it never replaces a follow-up file of the same organisation and
//! year (KS's ledger in the example) and is never read by a body's budget vs actual.

use crate::actuals::{MappingSummary, RowSum};
use crate::{Actor, App, AppError, PlanSelector, Problem};
use std::collections::BTreeMap;
use std::path::Path;
use styr_domain::ledger::LedgerAmount;
use styr_domain::statements::{AccountBalance, BalanceKind, StatementMapping};
use styr_domain::{Money, Month, Plan};
use styr_reports::statements::StatementsReport;
use styr_sie::SieFile;

/// The company key a bokslut file is stored under.
pub(crate) fn bokslut_company(company: &str) -> String {
    format!("{company} (bokslut)")
}

/// The file's #IB, #UB and #RES records of year 0 and −1, in the ledger's sign.
pub(crate) fn balances_of(file: &SieFile) -> Vec<AccountBalance> {
    let mut out = Vec::new();
    for (kind, records) in [
        (BalanceKind::Opening, &file.opening_balances),
        (BalanceKind::Closing, &file.closing_balances),
        (BalanceKind::Result, &file.results),
    ] {
        for record in records.iter().filter(|r| r.year == 0 || r.year == -1) {
            out.push(AccountBalance {
                kind,
                year: record.year,
                account: record.account.to_string(),
                amount: Money::from_ore(record.amount.0),
            });
        }
    }
    out
}

/// The import's summary against the statements' mapping: rows whose account maps to a line,
/// and the others per account.
pub(crate) fn mapping_summary(
    mapping: &StatementMapping,
    amounts: &[LedgerAmount],
) -> MappingSummary {
    let mut summary = MappingSummary::default();
    for amount in amounts {
        let target = if mapping.classify(&amount.account).is_some() {
            &mut summary.mapped
        } else {
            summary.unmapped.entry(amount.account.clone()).or_default()
        };
        *target = RowSum {
            rows: target.rows + amount.rows,
            amount: target.amount + amount.amount,
        };
    }
    summary
}

/// Every account of a bokslut file with an amount (voucher rows, #IB, #UB or #RES of year 0 or
/// −1) that maps to no statement line: one problem each, naming the file, the line of its
/// #KONTO (else the first voucher or balance record using it) and the field `konto`.
pub(crate) fn unmapped_accounts(
    shown: &str,
    path: &Path,
    mapping: &StatementMapping,
    voucher_accounts: &BTreeMap<String, (u32, bool)>,
    file: &SieFile,
) -> Vec<Problem> {
    let mut used: BTreeMap<String, Option<u32>> = BTreeMap::new();
    for (account, (line, amount)) in voucher_accounts {
        if *amount {
            used.insert(account.clone(), Some(*line));
        }
    }
    for balance in balances_of(file) {
        if balance.amount != Money::ZERO {
            used.entry(balance.account).or_insert(None);
        }
    }
    let unmapped: Vec<(String, Option<u32>)> = used
        .into_iter()
        .filter(|(account, _)| mapping.classify(account).is_none())
        .collect();
    if unmapped.is_empty() {
        return Vec::new();
    }
    let lines = record_lines(path);
    unmapped
        .into_iter()
        .map(|(account, voucher_line)| {
            let line = lines
                .konto
                .get(&account)
                .copied()
                .or(voucher_line)
                .or_else(|| lines.balance.get(&account).copied())
                .unwrap_or(1);
            Problem::at(
                shown,
                line,
                "konto",
                format!(
                    "kontot {account} har belopp men hör inte till någon rad i KF:s \
                     Kommun-Bas-mappning (redovisning/kommunbas.csv); lägg till det där. \
                     Inget lästes in"
                ),
            )
        })
        .collect()
}

/// The lines of a file's #KONTO records and of each account's first #IB/#UB/#RES record.
#[derive(Default)]
struct RecordLines {
    konto: BTreeMap<String, u32>,
    balance: BTreeMap<String, u32>,
}

/// Reads the file once more for the lines of the records that name accounts (only when an
/// import is refused). Record names and account numbers are ASCII in every SIE encoding.
fn record_lines(path: &Path) -> RecordLines {
    let mut out = RecordLines::default();
    let Ok(bytes) = std::fs::read(path) else {
        return out;
    };
    for (index, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let text = String::from_utf8_lossy(line);
        let mut fields = text.split_whitespace();
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        match fields.next() {
            Some("#KONTO") => {
                if let Some(account) = fields.next() {
                    out.konto
                        .entry(account.trim_matches('"').to_owned())
                        .or_insert(number);
                }
            }
            Some("#IB" | "#UB" | "#RES") => {
                if let (Some(_), Some(account)) = (fields.next(), fields.next()) {
                    out.balance
                        .entry(account.trim_matches('"').to_owned())
                        .or_insert(number);
                }
            }
            _ => {}
        }
    }
    out
}

impl App {
    /// KF's plan of a municipality (the plan with a council budget or whose body is the
    /// council), when the database holds one.
    pub(crate) async fn kf_plan(
        &self,
        actor: &Actor,
        municipality: &str,
    ) -> Result<Option<Plan>, AppError> {
        let plans = self.body_plans(actor, Some(municipality)).await?;
        Ok(styr_checks::municipality::council_of(&plans).cloned())
    }

    /// The financial statements of `municipality` (the only one when `None`) for the fiscal
    /// year of `through`, through that month: RR, BR and KFA with budget and previous year, the
    /// balanskravsutredning and the findings, from the municipality's bokslut ledger files
    /// through KF's Kommun-Bas mapping.
    pub async fn financial_statements(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        through: Month,
    ) -> Result<StatementsReport, AppError> {
        let selector = actor.scope(&PlanSelector {
            municipality: municipality.map(str::to_owned),
            ..PlanSelector::default()
        })?;
        let plans = self
            .body_plans(actor, selector.municipality.as_deref())
            .await?;
        let Some(kf) = styr_checks::municipality::council_of(&plans) else {
            return Err(AppError::NotFound(
                "kommunen har ingen plan för kommunfullmäktige: de finansiella rapporterna \
                 läser KF:s Kommun-Bas-mappning (redovisning/kommunbas.csv)"
                    .to_owned(),
            ));
        };
        if kf.statements.rules.is_empty() {
            return Err(AppError::NotFound(
                "KF:s plan har ingen Kommun-Bas-mappning (redovisning/kommunbas.csv): utan den \
                 kan resultaträkning och balansräkning inte ställas upp"
                    .to_owned(),
            ));
        }
        let ledgers = self
            .store
            .statement_ledgers(kf.municipality.id.as_str(), through.year(), through)
            .await?;
        if ledgers.is_empty() {
            return Err(AppError::NotFound(format!(
                "kommunen har ingen bokslutsfil för {}: importera kommunens huvudbok med \
                 `styr actuals import --bokslut`",
                through.year()
            )));
        }
        // A period report compares with the previous year's same period when the previous
        // year's bokslut file is stored (RKR R17); else with the previous whole year (#RES −1).
        let previous_year = match Month::new(through.year() - 1, through.month()) {
            Some(month) if through.month() < 12 => {
                self.store
                    .statement_ledgers(kf.municipality.id.as_str(), month.year(), month)
                    .await?
            }
            _ => Vec::new(),
        };
        Ok(styr_reports::statements::statements_compared(
            kf,
            &ledgers,
            &previous_year,
            through,
        ))
    }
}
