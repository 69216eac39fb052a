//! Importing ledger actuals: a SIE 4 file into the store, mapped through the stored plan's
//! mapping.
//!
//! The file is read once, streamed from disk by the one SIE reader on a thread of its own,
//! each voucher handed to the store's open import transaction as soon as its block is read;
//! the store sums the counted rows as they pass. When the reader has finished, an error or an
//! account the file's own chart does not define refuses the file and the transaction is rolled
//! back, changing nothing; otherwise the import replaces an earlier one of the same company and
//! fiscal year and commits. Memory holds one voucher and the store's sorting run, never the
//! file.

use crate::{Actor, App, AppError, PlanSelector, Problem};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use styr_domain::Money;
use styr_domain::ledger::{Classification, LedgerAmount, LedgerMapping, Month, TransactionKind};
use styr_sie::{DiagnosticKind, ReadOutcome, RowKind, Severity, SieFile, VoucherView};
use styr_store::{LedgerDate, LedgerFileInfo, LedgerLoad, RowRecord, StoreError, VoucherRecord};

/// Progress of a long import, for a front end to show (or not).
pub trait ImportProgress {
    /// A new phase begins ("läser och sparar FILE").
    fn phase(&mut self, message: &str);
    /// Rows read and written so far.
    fn rows(&mut self, written: u64);
    /// A reader warning that does not stop the import, as `FILE:LINE: varning: …`.
    fn warning(&mut self, message: &str);
}

/// Progress nobody watches.
pub struct NoProgress;

impl ImportProgress for NoProgress {
    fn phase(&mut self, _: &str) {}
    fn rows(&mut self, _: u64) {}
    fn warning(&mut self, _: &str) {}
}

/// Rows and their sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowSum {
    pub rows: u64,
    pub amount: Money,
}

/// How the imported rows map onto the plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MappingSummary {
    /// Rows that reach a budget line.
    pub mapped: RowSum,
    /// Rows an explicit rule leaves out of the follow-up.
    pub excluded: RowSum,
    /// Rows that map to no budget line, per account.
    pub unmapped: BTreeMap<String, RowSum>,
}

impl MappingSummary {
    fn new(mapping: &LedgerMapping, amounts: &[LedgerAmount]) -> MappingSummary {
        let mut summary = MappingSummary::default();
        for amount in amounts {
            let target = match mapping.classify(
                &amount.account,
                amount.ansvar.as_deref(),
                amount.project.as_deref(),
            ) {
                Classification::Operating { .. }
                | Classification::Investment { .. }
                | Classification::Exploitation { .. }
                | Classification::Finance { .. } => &mut summary.mapped,
                Classification::Excluded { .. } => &mut summary.excluded,
                Classification::Unmapped(_) => {
                    summary.unmapped.entry(amount.account.clone()).or_default()
                }
            };
            target.rows += amount.rows;
            target.amount = target.amount + amount.amount;
        }
        summary
    }

    /// The unmapped rows in all.
    pub fn unmapped_total(&self) -> RowSum {
        self.unmapped
            .values()
            .fold(RowSum::default(), |sum, row| RowSum {
                rows: sum.rows + row.rows,
                amount: sum.amount + row.amount,
            })
    }
}

/// What an import of actuals stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActualsImported {
    pub file_name: String,
    pub company: String,
    pub fiscal_year: String,
    pub vouchers: u64,
    pub transactions: u64,
    /// The number of rows of an earlier import of the same company and year that it replaced.
    pub replaced: Option<u64>,
    /// Set when the import replaced a stored one with fewer vouchers or fewer months (only
    /// when asked for with [`ActualsOptions::replace_smaller`]).
    pub smaller: Option<Smaller>,
    pub mapping: MappingSummary,
}

/// How an import compares with the stored one it replaces: vouchers and months with actuals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smaller {
    pub stored_vouchers: u64,
    pub stored_months: usize,
    pub vouchers: u64,
    pub months: usize,
}

impl Smaller {
    /// The sentence that says what the import does to the stored year.
    pub fn sentence(&self, fiscal_year: &str) -> String {
        format!(
            "filen har {} verifikationer i {} månader; den lagrade bokföringen för {} har {} \
             verifikationer i {} månader",
            self.vouchers, self.months, fiscal_year, self.stored_vouchers, self.stored_months
        )
    }
}

/// Choices of an import of actuals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActualsOptions {
    /// Replace a stored import of the same company and fiscal year even when the file has
    /// fewer vouchers or fewer months with actuals (e.g. a corrected, shorter export). Without
    /// it such a file is refused: a file cut short must never replace a whole year quietly.
    /// The command line's `--replace-smaller`.
    pub replace_smaller: bool,
    /// Store the file as the municipality's bokslut ledger (scope `statements`) with its
    /// #IB/#UB/#RES records, read by the financial statements and never by a body's budget vs
    /// actual. When KF's plan holds a Kommun-Bas mapping, an account with an amount that maps
    /// to no statement line refuses the file. The command line's `--bokslut`.
    pub statements: bool,
}

/// At most this many vouchers outside the fiscal year are listed one by one.
const LISTED_OUTSIDE: usize = 20;

/// Whether a reader diagnostic stops an import: every error, and an account that the file's
/// own chart (#KONTO) does not define, which the reader only warns about.
fn blocks_import(diagnostic: &styr_sie::Diagnostic) -> bool {
    diagnostic.severity == Severity::Error || diagnostic.kind == DiagnosticKind::UnknownAccount
}

/// The diagnostics that stop an import, as problems with file, line and record; empty when the
/// file may be imported.
pub fn import_problems(file_name: &str, outcome: &ReadOutcome) -> Vec<Problem> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| blocks_import(d))
        .map(|d| {
            Problem::at(
                file_name,
                u32::try_from(d.line).unwrap_or(u32::MAX),
                d.record.clone(),
                d.message.clone(),
            )
        })
        .collect()
}

impl App {
    /// Imports a ledger file (SIE 4E/4I) into the store, mapped by the selected plan's
    /// mapping: every voucher row and the monthly sums, all-or-nothing, replacing an earlier
    /// import of the same company and fiscal year. A file with reader errors changes nothing
    /// and every error is returned with its line.
    pub async fn import_actuals(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        path: &Path,
        progress: &mut dyn ImportProgress,
    ) -> Result<ActualsImported, AppError> {
        self.import_actuals_with(actor, selector, path, ActualsOptions::default(), progress)
            .await
    }

    /// [`App::import_actuals`] with options. Every voucher must be dated within the fiscal
    /// year (#RAR 0), with or without a checksum; a file that would replace a stored import
    /// with fewer vouchers or months is refused unless `options.replace_smaller`.
    pub async fn import_actuals_with(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        path: &Path,
        options: ActualsOptions,
        progress: &mut dyn ImportProgress,
    ) -> Result<ActualsImported, AppError> {
        actor.require_controller("importera bokföring")?;
        let file_name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let shown = path.display().to_string();
        let plan = self.load_plan(actor, selector).await?;
        let council = if options.statements {
            self.kf_plan(actor, plan.municipality.id.as_str()).await?
        } else {
            None
        };
        progress.phase(&format!("läser och sparar {shown}"));
        let mut load = self
            .store
            .begin_ledger_load(plan.municipality.id.as_str(), &actor.login)
            .await?;
        let rows_read = Arc::new(AtomicU64::new(0));
        {
            let rows_read = Arc::clone(&rows_read);
            load.on_progress(move |rows| rows_read.store(rows, Ordering::Relaxed));
        }
        // The reader and the store's writes run on a thread of their own; this task reports
        // progress meanwhile.
        let reading = {
            let path = path.to_owned();
            tokio::task::spawn_blocking(move || {
                let mut feed = Feed {
                    load,
                    failure: None,
                    years: BTreeSet::new(),
                    fiscal_year: None,
                    outside: Vec::new(),
                    outside_count: 0,
                    vouchers: 0,
                    months: BTreeSet::new(),
                    last_month: None,
                    track_accounts: options.statements,
                    accounts: BTreeMap::new(),
                };
                let outcome = styr_sie::read_path(&path, &mut feed);
                (feed, outcome)
            })
        };
        tokio::pin!(reading);
        let mut ticks = tokio::time::interval(std::time::Duration::from_millis(250));
        let (feed, outcome) = loop {
            tokio::select! {
                done = &mut reading => break done.map_err(|error| AppError::Invalid(vec![
                    Problem::at(&shown, 1, "fil", format!("läsningen avbröts: {error}"))
                ]))?,
                _ = ticks.tick() => progress.rows(rows_read.load(Ordering::Relaxed)),
            }
        };
        progress.rows(feed.load.rows());
        let outcome = outcome.map_err(|source| AppError::Read {
            path: shown.clone(),
            source,
        })?;
        for diagnostic in outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning && !blocks_import(d))
        {
            progress.warning(&format!(
                "{shown}:{}: varning: {} {}",
                diagnostic.line, diagnostic.record, diagnostic.message
            ));
        }
        // Dropping `feed` (and its load) from here on rolls the transaction back.
        let problems = import_problems(&shown, &outcome);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        if feed.outside_count > 0 {
            let mut problems: Vec<Problem> = feed
                .outside
                .iter()
                .map(|(line, date)| {
                    Problem::at(
                        &shown,
                        *line,
                        "#VER verdatum",
                        format!(
                            "verifikationen är daterad {}, utanför räkenskapsåret {} (#RAR 0)",
                            iso(*date),
                            feed.fiscal_year
                                .map(|(start, end)| format!("{}–{}", iso(start), iso(end)))
                                .unwrap_or_default()
                        ),
                    )
                })
                .collect();
            if feed.outside_count > feed.outside.len() {
                problems.push(Problem::at(
                    &shown,
                    1,
                    "#VER verdatum",
                    format!(
                        "{} verifikationer i allt är daterade utanför räkenskapsåret",
                        feed.outside_count
                    ),
                ));
            }
            return Err(AppError::Invalid(problems));
        }
        if let Some((line, error)) = feed.failure {
            return Err(match error {
                StoreError::Corrupt(message) => {
                    AppError::Invalid(vec![Problem::at(&shown, line, "datum", message)])
                }
                other => other.into(),
            });
        }
        let mut info = file_info(&outcome.file, &feed.years, &file_name)
            .map_err(|message| AppError::Invalid(vec![Problem::at(&shown, 1, "fil", message)]))?;
        let mut feed = feed;
        if options.statements {
            if let Some(mapping) = council
                .as_ref()
                .map(|kf| &kf.statements)
                .filter(|m| !m.rules.is_empty())
            {
                let problems = crate::statements::unmapped_accounts(
                    &shown,
                    path,
                    mapping,
                    &feed.accounts,
                    &outcome.file,
                );
                if !problems.is_empty() {
                    return Err(AppError::Invalid(problems));
                }
            }
            info.company = crate::statements::bokslut_company(&info.company);
            feed.load.set_scope(styr_store::LedgerScope::Statements);
        }
        // Every file's #IB/#UB/#RES (year 0 and −1) is kept with it; the statements read those
        // of the bokslut files.
        feed.load
            .set_balances(crate::statements::balances_of(&outcome.file));
        let budget = budget_sums(&outcome.file).map_err(|message| {
            AppError::Invalid(vec![Problem::at(&shown, 1, "#PBUDGET", message)])
        })?;
        let smaller = self
            .smaller_than_stored(
                plan.municipality.id.as_str(),
                &info,
                feed.vouchers,
                feed.months.len(),
            )
            .await?;
        if let Some(smaller) = &smaller
            && !options.replace_smaller
        {
            return Err(AppError::Conflict(format!(
                "{shown}: {}: importen skulle ersätta hela året med mindre; inget ändrades. \
                 Är det avsikten (en rättad, kortare export), importera med --replace-smaller",
                smaller.sentence(&info.fiscal_year())
            )));
        }
        let summary = feed.load.finish(&info, &budget).await?;
        let mapping = match &council {
            Some(kf) if options.statements => {
                crate::statements::mapping_summary(&kf.statements, &summary.actual)
            }
            _ => MappingSummary::new(&plan.ledger, &summary.actual),
        };
        Ok(ActualsImported {
            file_name,
            company: summary.company,
            fiscal_year: summary.fiscal_year,
            vouchers: summary.vouchers,
            transactions: summary.transactions,
            replaced: summary.replaced,
            smaller,
            mapping,
        })
    }

    /// How the file compares with a stored import of the same company and fiscal year: `Some`
    /// when it has fewer vouchers or fewer months with actuals.
    async fn smaller_than_stored(
        &self,
        municipality: &str,
        info: &LedgerFileInfo,
        vouchers: u64,
        months: usize,
    ) -> Result<Option<Smaller>, AppError> {
        let fiscal_year = info.fiscal_year();
        let Some(stored) = self
            .store
            .ledger_imports(municipality)
            .await?
            .into_iter()
            .find(|i| i.company == info.company && i.fiscal_year == fiscal_year)
        else {
            return Ok(None);
        };
        let stored_months = self
            .store
            .ledger_actual_months(municipality, &info.company, &fiscal_year)
            .await?
            .len();
        Ok(
            (vouchers < stored.vouchers || months < stored_months).then_some(Smaller {
                stored_vouchers: stored.vouchers,
                stored_months,
                vouchers,
                months,
            }),
        )
    }
}

/// Hands the reader's vouchers to the store's import, and notes their years. The first store
/// error stops the feeding (the reader reads on, for its diagnostics) and is kept with the
/// line of its voucher.
struct Feed {
    load: LedgerLoad,
    failure: Option<(u32, StoreError)>,
    years: BTreeSet<u16>,
    /// #RAR 0, from the records before the first voucher.
    fiscal_year: Option<(styr_sie::Date, styr_sie::Date)>,
    /// The first vouchers dated outside the fiscal year (line, date), and how many in all.
    outside: Vec<(u32, styr_sie::Date)>,
    outside_count: usize,
    vouchers: u64,
    /// The months with counted rows, as the stored monthly actuals have them.
    months: BTreeSet<(u16, u8)>,
    /// The month last put in `months` (rows mostly follow each other's month).
    last_month: Option<(u16, u8)>,
    /// Whether to note each account's first voucher line and sum (a bokslut file).
    track_accounts: bool,
    /// Account → (line of the first #VER using it, whether a counted row has an amount).
    accounts: BTreeMap<String, (u32, bool)>,
}

impl styr_sie::Visitor for Feed {
    fn header(&mut self, file: &SieFile) {
        self.fiscal_year = file
            .fiscal_years
            .iter()
            .find(|y| y.index == 0)
            .map(|y| (y.start, y.end));
    }

    fn voucher(&mut self, voucher: &VoucherView<'_>) {
        self.vouchers += 1;
        for row in voucher.rows {
            if matches!(row.kind, RowKind::Normal | RowKind::Added) {
                let date = row.date.unwrap_or(voucher.date);
                let month = (date.year(), date.month());
                if self.last_month != Some(month) {
                    self.months.insert(month);
                    self.last_month = Some(month);
                }
                if self.track_accounts {
                    let line = u32::try_from(voucher.line).unwrap_or(u32::MAX);
                    match self.accounts.get_mut(row.account) {
                        Some(entry) => entry.1 |= row.amount != 0,
                        None => {
                            self.accounts
                                .insert(row.account.to_owned(), (line, row.amount != 0));
                        }
                    }
                }
            }
        }
        if let Some((start, end)) = self.fiscal_year
            && (voucher.date < start || voucher.date > end)
        {
            self.outside_count += 1;
            if self.outside.len() < LISTED_OUTSIDE {
                self.outside.push((
                    u32::try_from(voucher.line).unwrap_or(u32::MAX),
                    voucher.date,
                ));
            }
        }
        if self.failure.is_some() {
            return;
        }
        self.years.insert(voucher.date.year());
        if let Err(error) = self.store(voucher) {
            self.failure = Some((u32::try_from(voucher.line).unwrap_or(u32::MAX), error));
        }
    }
}

impl Feed {
    fn store(&mut self, voucher: &VoucherView<'_>) -> Result<(), StoreError> {
        self.load.voucher(&VoucherRecord {
            series: voucher.series,
            number: voucher.number,
            date: ledger_date(voucher.date),
            text: voucher.text,
        })?;
        for row in voucher.rows {
            self.load.row(&RowRecord {
                kind: kind_of(row.kind),
                account: row.account,
                objects: row.objects,
                date: ledger_date(row.date.unwrap_or(voucher.date)),
                amount_ore: row.amount,
                text: row.text,
                spelling: row.spelling(),
            })?;
        }
        Ok(())
    }
}

fn ledger_date(date: styr_sie::Date) -> LedgerDate {
    LedgerDate {
        year: date.year(),
        month: date.month(),
        day: date.day(),
    }
}

fn iso(date: styr_sie::Date) -> String {
    ledger_date(date).iso()
}

fn kind_of(kind: RowKind) -> TransactionKind {
    match kind {
        RowKind::Normal => TransactionKind::Normal,
        RowKind::Added => TransactionKind::Added,
        RowKind::Struck => TransactionKind::Struck,
        RowKind::AddedDuplicate => TransactionKind::Duplicate,
    }
}

/// Whose ledger the file is and which fiscal year it covers: #ORGNR, else #FNAMN; #RAR 0, else
/// the one calendar year its vouchers fall in.
fn file_info(
    file: &SieFile,
    years: &BTreeSet<u16>,
    file_name: &str,
) -> Result<LedgerFileInfo, String> {
    let company_name = file.company_name.clone().filter(|n| !n.trim().is_empty());
    let company = file
        .org_nr
        .as_ref()
        .map(|org| org.number.trim().to_owned())
        .filter(|number| !number.is_empty())
        .or_else(|| company_name.clone())
        .ok_or_else(|| "filen saknar både #ORGNR och #FNAMN: vems bokföring är det?".to_owned())?;
    let (year_start, year_end) = match file.fiscal_years.iter().find(|y| y.index == 0) {
        Some(year) => (iso(year.start), iso(year.end)),
        None => match years.iter().collect::<Vec<_>>().as_slice() {
            [year] => (format!("{year:04}-01-01"), format!("{year:04}-12-31")),
            _ => {
                return Err(format!(
                    "filen saknar #RAR 0 och verifikationerna spänner över {} kalenderår: \
                     vilket räkenskapsår gäller den?",
                    years.len()
                ));
            }
        },
    };
    Ok(LedgerFileInfo {
        company,
        company_name,
        year_start,
        year_end,
        file_name: file_name.to_owned(),
        program: file
            .program
            .as_ref()
            .map(|p| format!("{} {}", p.name, p.version).trim().to_owned()),
    })
}

/// The file's #PBUDGET rows of the current year summed per account × ansvar × project × month.
/// A type 3 file gives both the account's total rows and its object rows: where an account has
/// object rows, its total rows are left out.
fn budget_sums(file: &SieFile) -> Result<Vec<LedgerAmount>, String> {
    let with_objects: BTreeSet<&str> = file
        .period_budgets
        .iter()
        .filter(|b| b.year == 0 && !b.objects.is_empty())
        .map(|b| b.account.as_str())
        .collect();
    type Key<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Month);
    let mut sums: BTreeMap<Key<'_>, (i128, u64)> = BTreeMap::new();
    for row in file.period_budgets.iter().filter(|b| b.year == 0) {
        if row.objects.is_empty() && with_objects.contains(row.account.as_str()) {
            continue;
        }
        let object = |dimension: u32| {
            row.objects
                .iter()
                .find(|o| o.dimension == dimension)
                .map(|o| o.object.as_str())
        };
        let month = Month::new(i32::from(row.period.year()), row.period.month())
            .ok_or_else(|| "#PBUDGET-perioden ligger utanför åren 1000–9999".to_owned())?;
        let sum = sums
            .entry((row.account.as_str(), object(1), object(6), month))
            .or_default();
        sum.0 += i128::from(row.amount.ore());
        sum.1 += 1;
    }
    sums.into_iter()
        .map(|((account, ansvar, project, month), (amount, rows))| {
            Ok(LedgerAmount {
                account: account.to_owned(),
                ansvar: ansvar.map(str::to_owned),
                project: project.map(str::to_owned),
                month,
                amount: Money::from_ore(
                    i64::try_from(amount).map_err(|_| "en budgetsumma är för stor".to_owned())?,
                ),
                rows,
            })
        })
        .collect()
}
