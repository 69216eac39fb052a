//! `styr actuals import FILE`: a ledger file (SIE 4) into the database, mapped through the
//! stored plan's mapping. Reads the whole file first and refuses it, changing nothing, when the
//! reader reports an error or an account the file's own chart does not define; then stores
//! every voucher row and the monthly sums in one transaction, replacing an earlier import of
//! the same company and fiscal year. The file is read twice, neither time keeping its vouchers:
//! a checking pass, then one that streams the rows into the open transaction. A progress bar on
//! a terminal; one line per phase otherwise.

use crate::store::{StoredPlan, block_on};
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_domain::ledger::{
    Classification, LedgerAmount, LedgerMapping, LedgerTransaction, Month, TransactionKind,
};
use styr_domain::{Money, number::format_swedish};
use styr_sie::{
    DiagnosticKind, ReadOutcome, RowKind, Severity, SieFile, Voucher, read_outcome_with, read_with,
};
use styr_store::LedgerImport;

#[derive(Subcommand)]
pub enum ActualsCommand {
    /// Import a ledger file (SIE 4E/4I) into the database: every transaction and monthly sums.
    /// The same file twice doubles nothing; a new export of the same company and fiscal year
    /// replaces the old one.
    Import {
        file: PathBuf,
        /// The plan whose mapping is used.
        #[command(flatten)]
        stored: StoredPlan,
        /// Who imports, for the audit log (default: the login name).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Write the bundled example's synthetic ledger (deterministic) from its plan package.
    #[command(hide = true)]
    ExampleLedger { package: PathBuf, out: PathBuf },
}

pub fn run(command: ActualsCommand) -> Result<ExitCode> {
    match command {
        ActualsCommand::Import {
            file,
            stored,
            actor,
        } => import(&file, &stored, &crate::store::actor(actor)),
        ActualsCommand::ExampleLedger { package, out } => {
            let plan = crate::output::read_package(&package)?;
            let bytes = crate::example_ledger::generate(&plan)?;
            std::fs::write(&out, bytes)
                .with_context(|| format!("kan inte skriva {}", out.display()))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Progress on a terminal, or a line per phase on stderr when there is none.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            bar: std::io::stderr()
                .is_terminal()
                .then(ProgressBar::new_spinner),
        }
    }

    fn phase(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(message.to_owned()),
            None => eprintln!("{message}"),
        }
    }

    fn start_rows(&mut self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rader ({eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
        }
    }

    fn rows(&self, written: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(written);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Whether a reader diagnostic stops an import: every error, and an account that the file's
/// own chart (#KONTO) does not define, which the reader only warns about.
fn blocks_import(diagnostic: &styr_sie::Diagnostic) -> bool {
    diagnostic.severity == Severity::Error || diagnostic.kind == DiagnosticKind::UnknownAccount
}

/// The diagnostics that stop an import, as printed lines `FILE:LINE: fel: …`; empty when the
/// file may be imported.
pub fn import_errors(file: &Path, outcome: &ReadOutcome) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| blocks_import(d))
        .map(|d| {
            format!(
                "{}:{}: fel: {} {}",
                file.display(),
                d.line,
                d.record,
                d.message
            )
        })
        .collect()
}

fn import(file: &Path, stored: &StoredPlan, actor: &str) -> Result<ExitCode> {
    let mut progress = Progress::new();
    progress.phase(&format!("läser {}", file.display()));
    let bytes = std::fs::read(file).with_context(|| format!("kan inte läsa {}", file.display()))?;
    // Pass 1: every diagnostic and what the store needs up front, without keeping the vouchers.
    let mut tally = VoucherTally::default();
    let outcome = read_outcome_with(&bytes, &mut |voucher| tally.add(&voucher));
    let errors = import_errors(file, &outcome);
    for diagnostic in outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && !blocks_import(d))
    {
        eprintln!(
            "{}:{}: varning: {} {}",
            file.display(),
            diagnostic.line,
            diagnostic.record,
            diagnostic.message
        );
    }
    if !errors.is_empty() {
        progress.finish();
        for line in &errors {
            eprintln!("{line}");
        }
        eprintln!(
            "{} har {} fel; importen avbröts och inget ändrades",
            file.display(),
            errors.len()
        );
        return Ok(ExitCode::from(1));
    }
    let file_name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes = &bytes;
    std::thread::scope(|scope| {
        block_on(async {
            let (store, plan) = stored.open_and_load().await?;
            let import = ledger_import(
                &outcome.file,
                &tally,
                plan.municipality.id.as_str(),
                &file_name,
            )?;
            let total = tally.rows;
            let mapped = MappingSummary::new(&plan.ledger, &import.actual);
            progress.phase(&format!("sparar {total} rader"));
            progress.start_rows(total);
            // Pass 2: the same reader over the same bytes on a thread of its own, its rows
            // handed to the store's open transaction as they come.
            let (sender, receiver) = std::sync::mpsc::sync_channel(4);
            let reader = scope.spawn(move || stream_rows(bytes, &sender));
            let mut rows = StreamedRows {
                receiver,
                batch: Vec::new().into_iter(),
                done: false,
                failure: None,
            };
            let result = store
                .import_actuals_streamed(&import, total, &mut rows, actor, |written| {
                    progress.rows(written)
                })
                .await;
            // Dropping the rows closes the channel, so the reader stops sending.
            let failure = rows.failure.take();
            drop(rows);
            let _ = reader.join();
            if let Some(failure) = failure {
                bail!(
                    "den andra läsningen av {} misslyckades: {failure}; inget ändrades",
                    file.display()
                );
            }
            let summary = result.with_context(|| {
                format!("importen av {} avbröts; inget ändrades", file.display())
            })?;
            store.close().await;
            progress.finish();
            let replaced = match summary.replaced {
                Some(rows) => format!(" (ersatte en tidigare import med {rows} rader)"),
                None => String::new(),
            };
            println!(
                "importerade {} till {}: {} / {}, {} verifikationer, {} transaktioner{replaced}",
                file_name,
                stored.db,
                summary.company,
                summary.fiscal_year,
                import.vouchers,
                summary.transactions,
            );
            mapped.print();
            Ok(ExitCode::SUCCESS)
        })?
    })
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
            let _ = sender.send(Batch::Failed(format!("{error:#}")));
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
fn transactions(voucher: Voucher, out: &mut Vec<LedgerTransaction>) -> Result<()> {
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

fn month_of(date: styr_sie::Date) -> Result<Month> {
    Month::new(i32::from(date.year()), date.month())
        .with_context(|| format!("datumet {date} ligger utanför åren 1000–9999"))
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
) -> Result<LedgerImport> {
    let company_name = file.company_name.clone().filter(|n| !n.trim().is_empty());
    let company = file
        .org_nr
        .as_ref()
        .map(|org| org.number.trim().to_owned())
        .filter(|number| !number.is_empty())
        .or_else(|| company_name.clone())
        .context("filen saknar både #ORGNR och #FNAMN: vems bokföring är det?")?;
    let (year_start, year_end) = match file.fiscal_years.iter().find(|y| y.index == 0) {
        Some(year) => (iso(year.start), iso(year.end)),
        None => {
            let years = &tally.years;
            match years.iter().collect::<Vec<_>>().as_slice() {
                [year] => (format!("{year:04}-01-01"), format!("{year:04}-12-31")),
                _ => bail!(
                    "filen saknar #RAR 0 och verifikationerna spänner över {} kalenderår: \
                     vilket räkenskapsår gäller den?",
                    years.len()
                ),
            }
        }
    };
    if let Some(date) = tally.bad_date {
        month_of(date)?;
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
            .context("#PBUDGET-perioden ligger utanför åren 1000–9999")?;
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

/// How the imported rows map, for the message after an import.
struct MappingSummary {
    mapped: (u64, i128),
    excluded: (u64, i128),
    unmapped: BTreeMap<String, (u64, i128)>,
}

impl MappingSummary {
    fn new(mapping: &LedgerMapping, amounts: &[LedgerAmount]) -> MappingSummary {
        let mut summary = MappingSummary {
            mapped: (0, 0),
            excluded: (0, 0),
            unmapped: BTreeMap::new(),
        };
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
            target.0 += amount.rows;
            target.1 += i128::from(amount.amount.ore());
        }
        summary
    }

    fn print(&self) {
        let tkr = |ore: i128| {
            let money = Money::from_ore(i64::try_from(ore).unwrap_or(0));
            format_swedish(money.tkr(), 0, ' ')
        };
        println!(
            "  till budgetrader: {} rader, {} tkr",
            self.mapped.0,
            tkr(self.mapped.1)
        );
        println!(
            "  utanför uppföljningen (exclude): {} rader, {} tkr",
            self.excluded.0,
            tkr(self.excluded.1)
        );
        let rows: u64 = self.unmapped.values().map(|(rows, _)| rows).sum();
        let sum: i128 = self.unmapped.values().map(|(_, sum)| sum).sum();
        let accounts: Vec<&str> = self.unmapped.keys().map(String::as_str).collect();
        if rows == 0 {
            println!("  utan budgetrad: 0 rader");
        } else {
            println!(
                "  utan budgetrad: {rows} rader, {} tkr, konton {}",
                tkr(sum),
                accounts.join(", ")
            );
        }
    }
}
