//! Importing ledger actuals: a SIE 4 file into the store, mapped through the stored plan's
//! mapping.
//!
//! Reads the whole file first and refuses it, changing nothing, when the reader reports an
//! error or an account the file's own chart does not define; then stores every voucher row and
//! the monthly sums in one transaction, replacing an earlier import of the same company and
//! fiscal year. The file is read twice, neither time keeping its vouchers: a checking pass,
//! then one that streams the rows (from a thread of its own) into the open transaction.

use crate::{Actor, App, AppError, PlanSelector, Problem};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use styr_domain::Money;
use styr_domain::ledger::{
    Classification, LedgerAmount, LedgerMapping, LedgerTransaction, Month, TransactionKind,
};
use styr_sie::{
    DiagnosticKind, ReadOutcome, RowKind, Severity, SieFile, Voucher, read_outcome_with, read_with,
};
use styr_store::LedgerImport;

/// Progress of a long import, for a front end to show (or not).
pub trait ImportProgress {
    /// A new phase begins ("läser FILE", "sparar N rader").
    fn phase(&mut self, message: &str);
    /// The number of rows that will be written.
    fn start_rows(&mut self, total: u64);
    /// Rows written so far.
    fn rows(&mut self, written: u64);
    /// A reader warning that does not stop the import, as `FILE:LINE: varning: …`.
    fn warning(&mut self, message: &str);
}

/// Progress nobody watches.
pub struct NoProgress;

impl ImportProgress for NoProgress {
    fn phase(&mut self, _: &str) {}
    fn start_rows(&mut self, _: u64) {}
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
                Classification::Operating { .. } | Classification::Investment { .. } => {
                    &mut summary.mapped
                }
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
    pub mapping: MappingSummary,
}

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
        actor.require_controller("importera bokföring")?;
        let file_name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        progress.phase(&format!("läser {}", path.display()));
        let bytes = std::fs::read(path).map_err(|source| AppError::Read {
            path: path.display().to_string(),
            source,
        })?;
        // Pass 1: every diagnostic and what the store needs up front, without the vouchers.
        let mut tally = VoucherTally::default();
        let outcome = read_outcome_with(&bytes, &mut |voucher| tally.add(&voucher));
        for diagnostic in outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning && !blocks_import(d))
        {
            progress.warning(&format!(
                "{}:{}: varning: {} {}",
                path.display(),
                diagnostic.line,
                diagnostic.record,
                diagnostic.message
            ));
        }
        let problems = import_problems(&path.display().to_string(), &outcome);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let plan = self.load_plan(actor, selector).await?;
        let import = ledger_import(
            &outcome.file,
            &tally,
            plan.municipality.id.as_str(),
            &file_name,
        )?;
        let total = tally.rows;
        let mapping = MappingSummary::new(&plan.ledger, &import.actual);
        progress.phase(&format!("sparar {total} rader"));
        progress.start_rows(total);
        // Pass 2: the same reader over the same bytes on a thread of its own, its rows handed
        // to the store's open transaction as they come.
        let (sender, receiver) = std::sync::mpsc::sync_channel(4);
        let bytes = Arc::new(bytes);
        let reader = {
            let bytes = Arc::clone(&bytes);
            std::thread::spawn(move || stream_rows(&bytes, &sender))
        };
        let mut rows = StreamedRows {
            receiver,
            batch: Vec::new().into_iter(),
            done: false,
            failure: None,
        };
        let result = self
            .store
            .import_actuals_streamed(&import, total, &mut rows, &actor.login, |written| {
                progress.rows(written)
            })
            .await;
        // Dropping the rows closes the channel, so the reader stops sending.
        let failure = rows.failure.take();
        drop(rows);
        let _ = reader.join();
        if let Some(failure) = failure {
            return Err(AppError::Invalid(vec![Problem::at(
                &path.display().to_string(),
                1,
                "fil",
                format!("den andra läsningen misslyckades: {failure}"),
            )]));
        }
        let summary = result?;
        Ok(ActualsImported {
            file_name,
            company: summary.company,
            fiscal_year: summary.fiscal_year,
            vouchers: import.vouchers,
            transactions: summary.transactions,
            replaced: summary.replaced,
            mapping,
        })
    }
}

/// Rows handed from the reading thread to the store at a time.
const BATCH_ROWS: usize = 4096;

/// What the reading thread sends.
enum Batch {
    Rows(Vec<LedgerTransaction>),
    /// Every row has been sent.
    Done,
    /// A row the checking pass accepted could not be converted: the import must not commit.
    Failed(String),
}

/// Pass 2: reads `bytes` again and sends every voucher row, in file order, as the store keeps
/// it. Stops converting once the store has stopped listening.
fn stream_rows(bytes: &[u8], sender: &std::sync::mpsc::SyncSender<Batch>) {
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut stopped = false;
    read_with(bytes, &mut |voucher| {
        if stopped {
            return;
        }
        if let Err(error) = transactions(voucher, &mut batch) {
            stopped = true;
            let _ = sender.send(Batch::Failed(error));
            return;
        }
        if batch.len() >= BATCH_ROWS {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
            stopped = sender.send(Batch::Rows(full)).is_err();
        }
    });
    if !stopped && (batch.is_empty() || sender.send(Batch::Rows(batch)).is_ok()) {
        let _ = sender.send(Batch::Done);
    }
}

/// The rows from [`stream_rows`], one at a time. Should the reading thread fail or stop
/// before its last row, the rows end early and `failure` says why: the store then finds fewer
/// rows than announced and rolls the import back, so an import is whole or nothing.
struct StreamedRows {
    receiver: std::sync::mpsc::Receiver<Batch>,
    batch: std::vec::IntoIter<LedgerTransaction>,
    done: bool,
    failure: Option<String>,
}

impl Iterator for StreamedRows {
    type Item = LedgerTransaction;

    fn next(&mut self) -> Option<LedgerTransaction> {
        loop {
            if let Some(row) = self.batch.next() {
                return Some(row);
            }
            if self.done {
                return None;
            }
            match self.receiver.recv() {
                Ok(Batch::Rows(rows)) => self.batch = rows.into_iter(),
                Ok(Batch::Done) => self.done = true,
                Ok(Batch::Failed(message)) => {
                    self.failure = Some(message);
                    self.done = true;
                }
                Err(_) => {
                    self.failure = Some("läsningen avbröts i förtid".into());
                    self.done = true;
                }
            }
        }
    }
}

/// What the checking pass learns from the vouchers without keeping them: how many there are,
/// their years, the first row date the store cannot keep, and the counted rows summed per
/// account × ansvar × project × month.
#[derive(Default)]
struct VoucherTally {
    vouchers: u64,
    rows: u64,
    years: BTreeSet<u16>,
    bad_date: Option<styr_sie::Date>,
    /// Sums by account, ansvar and project (encoded in one string, so that a row is looked up
    /// without allocating), then by month.
    sums: HashMap<String, (OwnedKey, MonthSums)>,
    key: String,
}

type OwnedKey = (String, Option<String>, Option<String>);

/// Amount and row count per month.
type MonthSums = BTreeMap<Month, (i128, u64)>;

impl VoucherTally {
    fn add(&mut self, voucher: &Voucher) {
        self.vouchers += 1;
        self.years.insert(voucher.date.year());
        for row in &voucher.rows {
            self.rows += 1;
            let date = row.date.unwrap_or(voucher.date);
            let Ok(month) = month_of(date) else {
                self.bad_date.get_or_insert(date);
                continue;
            };
            if !kind_of(row.kind).counts() {
                continue;
            }
            let (account, ansvar, project) =
                (row.account.as_str(), row.object_in(1), row.object_in(6));
            self.key.clear();
            self.key.push_str(account);
            for part in [ansvar, project] {
                match part {
                    None => self.key.push('\u{0}'),
                    Some(object) => {
                        self.key.push('\u{1}');
                        self.key.push_str(object);
                    }
                }
            }
            if !self.sums.contains_key(self.key.as_str()) {
                let owned = (
                    account.to_owned(),
                    ansvar.map(str::to_owned),
                    project.map(str::to_owned),
                );
                self.sums.insert(self.key.clone(), (owned, BTreeMap::new()));
            }
            if let Some((_, months)) = self.sums.get_mut(self.key.as_str()) {
                let sum = months.entry(month).or_default();
                sum.0 += i128::from(row.amount.ore());
                sum.1 += 1;
            }
        }
    }

    /// The sums as the store keeps them, ordered by account, ansvar, project and month.
    fn actual(&self) -> Vec<LedgerAmount> {
        let mut sums: BTreeMap<AmountKey<'_>, (i128, u64)> = BTreeMap::new();
        for ((account, ansvar, project), months) in self.sums.values() {
            for (&month, &sum) in months {
                sums.insert((account, ansvar.as_deref(), project.as_deref(), month), sum);
            }
        }
        amounts(sums)
    }
}

/// The rows of one voucher as the store keeps them, appended to `out`.
fn transactions(voucher: Voucher, out: &mut Vec<LedgerTransaction>) -> Result<(), String> {
    for row in voucher.rows {
        let date = row.date.unwrap_or(voucher.date);
        let month = month_of(date)?;
        let mut objects = String::new();
        for (index, object) in row.objects.iter().enumerate() {
            let separator = if index == 0 { "" } else { ";" };
            let _ = write!(objects, "{separator}{}={}", object.dimension, object.object);
        }
        out.push(LedgerTransaction {
            series: voucher.series.clone(),
            voucher_number: voucher.number.clone(),
            voucher_date: iso(voucher.date),
            transaction_date: iso(date),
            month,
            kind: kind_of(row.kind),
            account: row.account.as_str().to_owned(),
            ansvar: row.object_in(1).map(str::to_owned),
            project: row.object_in(6).map(str::to_owned),
            objects,
            amount: Money::from_ore(row.amount.ore()),
            voucher_text: voucher.text.clone(),
            text: row.text,
        });
    }
    Ok(())
}

fn iso(date: styr_sie::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

fn month_of(date: styr_sie::Date) -> Result<Month, String> {
    Month::new(i32::from(date.year()), date.month())
        .ok_or_else(|| format!("datumet {date} ligger utanför åren 1000–9999"))
}

type AmountKey<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Month);

fn sums<'a>(entries: impl Iterator<Item = (AmountKey<'a>, i64)>) -> Vec<LedgerAmount> {
    let mut sums: BTreeMap<AmountKey<'a>, (i128, u64)> = BTreeMap::new();
    for (key, ore) in entries {
        let sum = sums.entry(key).or_default();
        sum.0 += i128::from(ore);
        sum.1 += 1;
    }
    amounts(sums)
}

fn amounts(sums: BTreeMap<AmountKey<'_>, (i128, u64)>) -> Vec<LedgerAmount> {
    sums.into_iter()
        .map(
            |((account, ansvar, project, month), (amount, rows))| LedgerAmount {
                account: account.to_owned(),
                ansvar: ansvar.map(str::to_owned),
                project: project.map(str::to_owned),
                month,
                amount: Money::from_ore(i64::try_from(amount).unwrap_or(if amount < 0 {
                    i64::MIN
                } else {
                    i64::MAX
                })),
                rows,
            },
        )
        .collect()
}

fn kind_of(kind: RowKind) -> TransactionKind {
    match kind {
        RowKind::Normal => TransactionKind::Normal,
        RowKind::Added => TransactionKind::Added,
        RowKind::Struck => TransactionKind::Struck,
        RowKind::AddedDuplicate => TransactionKind::Duplicate,
    }
}

/// A SIE file as the store keeps it, without its voucher rows (`transactions` is empty): those
/// come from a second reading ([`stream_rows`]), so that a large ledger is never held. `file`
/// is the file without its vouchers, `tally` what the checking pass learned from them; a date
/// the store cannot keep stops the import before anything is written.
fn ledger_import(
    file: &SieFile,
    tally: &VoucherTally,
    municipality: &str,
    file_name: &str,
) -> Result<LedgerImport, AppError> {
    let invalid =
        |message: String| AppError::Invalid(vec![Problem::at(file_name, 1, "fil", message)]);
    let company_name = file.company_name.clone().filter(|n| !n.trim().is_empty());
    let company = file
        .org_nr
        .as_ref()
        .map(|org| org.number.trim().to_owned())
        .filter(|number| !number.is_empty())
        .or_else(|| company_name.clone())
        .ok_or_else(|| {
            invalid("filen saknar både #ORGNR och #FNAMN: vems bokföring är det?".to_owned())
        })?;
    let (year_start, year_end) = match file.fiscal_years.iter().find(|y| y.index == 0) {
        Some(year) => (iso(year.start), iso(year.end)),
        None => {
            let years = &tally.years;
            match years.iter().collect::<Vec<_>>().as_slice() {
                [year] => (format!("{year:04}-01-01"), format!("{year:04}-12-31")),
                _ => {
                    return Err(invalid(format!(
                        "filen saknar #RAR 0 och verifikationerna spänner över {} kalenderår: \
                         vilket räkenskapsår gäller den?",
                        years.len()
                    )));
                }
            }
        }
    };
    if let Some(date) = tally.bad_date {
        month_of(date).map_err(invalid)?;
    }
    let actual = tally.actual();
    // #PBUDGET of the current year. A type 3 file gives both the account's total rows and its
    // object rows: where an account has object rows, its total rows are left out.
    let with_objects: std::collections::BTreeSet<&str> = file
        .period_budgets
        .iter()
        .filter(|b| b.year == 0 && !b.objects.is_empty())
        .map(|b| b.account.as_str())
        .collect();
    let mut budget_entries = Vec::new();
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
            .ok_or_else(|| invalid("#PBUDGET-perioden ligger utanför åren 1000–9999".to_owned()))?;
        budget_entries.push((
            (row.account.as_str(), object(1), object(6), month),
            row.amount.ore(),
        ));
    }
    let import = LedgerImport {
        municipality: municipality.to_owned(),
        company,
        company_name,
        year_start,
        year_end,
        file_name: file_name.to_owned(),
        program: file
            .program
            .as_ref()
            .map(|p| format!("{} {}", p.name, p.version).trim().to_owned()),
        vouchers: tally.vouchers,
        transactions: Vec::new(),
        actual,
        budget: sums(budget_entries.into_iter()),
    };
    Ok(import)
}
