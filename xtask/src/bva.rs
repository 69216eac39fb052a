//! Budget vs actual accumulated to a month, per account × unit, computed
//! straight from a SIE file: the fast path of `styr-sie` sums the vouchers per
//! account × dimension-1 object × month and collects the #PBUDGET rows, and
//! this module joins the two.
//!
//! This is the benchmark's computation, kept here because the `reports`
//! crate did not exist yet when the benchmark was written; it deliberately
//! has no forecasts, no mapping to the plan and no rendering beyond CSV. The
//! sign convention is SIE's (debit positive, so costs are positive and
//! revenue negative); `deviation = budget_to_date − actual_to_date`, which is
//! positive when the outcome is better than budget for costs and revenue alike.

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use styr_sie::fast::{self, ScanOptions};
use styr_sie::{BalanceRow, PeriodAmount};

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BvaRow {
    /// Account digits.
    pub account: String,
    /// Unit (dimension-1 object), empty if none.
    pub unit: String,
    /// Budget for the whole fiscal year (öre).
    pub annual_budget: i64,
    /// Budget for the months up to and including the period (öre).
    pub budget_to_date: i64,
    /// Actual for the months up to and including the period (öre).
    pub actual_to_date: i64,
}

impl BvaRow {
    /// Budget to date minus actual to date.
    pub fn deviation(&self) -> i64 {
        self.budget_to_date - self.actual_to_date
    }
}

/// `YYYY-MM` → (year, month).
pub fn parse_period(s: &str) -> Result<(u16, u8)> {
    let (y, m) = s
        .split_once('-')
        .with_context(|| format!("period {s:?}: expected YYYY-MM"))?;
    let (y, m): (u16, u8) = (y.parse()?, m.parse()?);
    if !(1..=12).contains(&m) || y < 1000 {
        bail!("period {s:?}: expected YYYY-MM");
    }
    Ok((y, m))
}

/// Whether an account is a result account (Kommun-Bas classes 3–8).
pub fn is_result_account(account: &str) -> bool {
    matches!(account.as_bytes().first(), Some(b'3'..=b'8'))
}

/// Join monthly actuals and monthly budgets (year index 0, by dimension-1
/// object) into the report, for the fiscal year of `period`.
pub fn compute(actuals: &[BalanceRow], budgets: &[PeriodAmount], period: (u16, u8)) -> Vec<BvaRow> {
    let (year, last) = period;
    // Borrowed keys: no allocation per budget or actual row.
    let mut lines: BTreeMap<(&str, &str), [i64; 3]> = BTreeMap::new();
    for b in budgets {
        if b.year != 0 || b.period.year() != year || !is_result_account(b.account.as_str()) {
            continue;
        }
        let unit = b
            .objects
            .iter()
            .find(|o| o.dimension == 1)
            .map(|o| o.object.as_str())
            .unwrap_or("");
        let l = lines.entry((b.account.as_str(), unit)).or_insert([0; 3]);
        l[0] += b.amount.ore();
        if b.period.month() <= last {
            l[1] += b.amount.ore();
        }
    }
    for a in actuals {
        if a.month.year() != year
            || a.month.month() > last
            || !is_result_account(a.account.as_str())
        {
            continue;
        }
        let key = (a.account.as_str(), a.object.as_deref().unwrap_or(""));
        lines.entry(key).or_insert([0; 3])[2] += a.amount.ore();
    }
    lines
        .into_iter()
        .map(|((account, unit), [annual, to_date, actual])| BvaRow {
            account: account.to_owned(),
            unit: unit.to_owned(),
            annual_budget: annual,
            budget_to_date: to_date,
            actual_to_date: actual,
        })
        .collect()
}

/// How [`from_sie`] reads the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Memory-map the file (no copy out of the page cache).
    Mmap,
    /// Stream it with `read` in 4 MiB chunks (the library's own path).
    Stream,
}

/// The report from a SIE file, scanned on `threads` threads.
pub fn from_sie(path: &Path, period: &str, threads: usize, input: Input) -> Result<Vec<BvaRow>> {
    let period = parse_period(period)?;
    let options = ScanOptions {
        collect_budgets: true,
    };
    let outcome = match input {
        Input::Stream => fast::movements_from_path(path, threads, options)
            .with_context(|| format!("reading {}", path.display()))?,
        Input::Mmap => {
            let file =
                std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
            // SAFETY: a read-only private map of a file this process does not
            // write. Were another process to truncate the file meanwhile, the
            // read would fault (SIGBUS): acceptable for a developer tool, and
            // the reason the library itself streams instead of mapping.
            let map = unsafe { memmap2::Mmap::map(&file) }
                .with_context(|| format!("mapping {}", path.display()))?;
            fast::movements_parallel(&map, threads, options)
        }
    };
    Ok(compute(&outcome.rows(), &outcome.budgets(), period))
}

/// Öre as kronor with two decimals.
pub fn kr(ore: i64) -> String {
    crate::ledger::kronor(ore)
}

/// CSV: `account,unit,annual_budget,budget_to_date,actual_to_date,deviation`.
pub fn write_csv<W: Write>(rows: &[BvaRow], out: &mut W) -> Result<()> {
    writeln!(
        out,
        "account,unit,annual_budget,budget_to_date,actual_to_date,deviation"
    )?;
    for r in rows {
        writeln!(
            out,
            "{},{},{},{},{},{}",
            r.account,
            r.unit,
            kr(r.annual_budget),
            kr(r.budget_to_date),
            kr(r.actual_to_date),
            kr(r.deviation())
        )?;
    }
    Ok(())
}
