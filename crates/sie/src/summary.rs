//! A compact description of a read SIE file, for `styr sie info`-style output.
//!
//! [`Summary`] gathers identification (program, company, org nr, SIE type,
//! fiscal years), record counts and diagnostics into a small serialisable
//! value with a JSON rendering ([`Summary::to_json`]) and a human-readable
//! text rendering (`Display`). It deliberately computes no balances and
//! makes no judgement about whether the file is good enough to import.

use crate::checksum::ChecksumStatus;
use crate::diagnostics::{Diagnostic, Severity, count_severity};
use crate::encoding::FileEncoding;
use crate::model::{RowKind, SieFile};
use crate::reader::ReadOutcome;
use serde::Serialize;
use std::fmt;

/// One #RAR, with ISO dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiscalYearSummary {
    /// 0 = current, -1 = previous …
    pub index: i32,
    /// `YYYY-MM-DD`.
    pub start: String,
    /// `YYYY-MM-DD`.
    pub end: String,
}

/// Record counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// #KONTO.
    pub accounts: usize,
    /// #DIM + #UNDERDIM.
    pub dimensions: usize,
    /// #OBJEKT.
    pub objects: usize,
    /// #VER.
    pub vouchers: usize,
    /// Counted voucher rows: #TRANS + #RTRANS, without #RTRANS duplicates and #BTRANS.
    pub transactions: usize,
    /// #RTRANS rows.
    pub added_rows: usize,
    /// #BTRANS rows.
    pub struck_rows: usize,
    /// #PBUDGET rows.
    pub budgets: usize,
    /// #PSALDO rows.
    pub period_balances: usize,
}

/// Diagnostic totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DiagnosticCounts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
}

/// Summary of one SIE file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// #PROGRAM name.
    pub program: Option<String>,
    /// #PROGRAM version.
    pub program_version: Option<String>,
    /// #FNAMN.
    pub company_name: Option<String>,
    /// #ORGNR.
    pub org_nr: Option<String>,
    /// #SIETYP.
    pub sie_type: Option<u8>,
    /// Encoding used to decode the file.
    pub encoding: FileEncoding,
    /// #KSUMMA verdict.
    pub checksum: ChecksumStatus,
    /// #RAR rows.
    pub fiscal_years: Vec<FiscalYearSummary>,
    /// Record counts.
    pub counts: Counts,
    /// Diagnostic totals.
    pub diagnostic_counts: DiagnosticCounts,
    /// All diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

fn iso(d: crate::model::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

impl Summary {
    /// Summarise a reader outcome.
    pub fn from_outcome(o: &ReadOutcome) -> Summary {
        let mut s = Summary::new(&o.file, &o.diagnostics);
        s.encoding = o.encoding;
        s.checksum = o.checksum;
        // The reader counts the vouchers and rows, also those it handed to a visitor.
        s.counts.vouchers = o.counts.vouchers;
        s.counts.transactions = o.counts.transactions;
        s.counts.added_rows = o.counts.added_rows;
        s.counts.struck_rows = o.counts.struck_rows;
        s
    }

    /// Summarise a file and its diagnostics (encoding assumed CP437, checksum absent).
    pub fn new(file: &SieFile, diagnostics: &[Diagnostic]) -> Summary {
        Summary {
            program: file.program.as_ref().map(|p| p.name.clone()),
            program_version: file
                .program
                .as_ref()
                .map(|p| p.version.clone())
                .filter(|v| !v.is_empty()),
            company_name: file.company_name.clone(),
            org_nr: file.org_nr.as_ref().map(|n| n.number.clone()),
            sie_type: file.sie_type.map(|t| t.number()),
            encoding: FileEncoding::Cp437,
            checksum: ChecksumStatus::Absent,
            fiscal_years: file
                .fiscal_years
                .iter()
                .map(|y| FiscalYearSummary {
                    index: y.index,
                    start: iso(y.start),
                    end: iso(y.end),
                })
                .collect(),
            counts: Counts {
                accounts: file.accounts.len(),
                dimensions: file.dimensions.len(),
                objects: file.objects.len(),
                vouchers: file.vouchers.len(),
                transactions: file.counted_transactions(),
                added_rows: file.rows_of_kind(RowKind::Added),
                struck_rows: file.rows_of_kind(RowKind::Struck),
                budgets: file.period_budgets.len(),
                period_balances: file.period_balances.len(),
            },
            diagnostic_counts: DiagnosticCounts {
                errors: count_severity(diagnostics, Severity::Error),
                warnings: count_severity(diagnostics, Severity::Warning),
                infos: count_severity(diagnostics, Severity::Info),
            },
            diagnostics: diagnostics.to_vec(),
        }
    }

    /// JSON rendering (one object, stable field names).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
    }

    /// Human-readable rendering (same as `Display`).
    pub fn to_text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or_dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_owned());
        let program = match (&self.program, &self.program_version) {
            (Some(p), Some(v)) => format!("{p} {v}"),
            (Some(p), None) => p.clone(),
            _ => "-".to_owned(),
        };
        writeln!(f, "program:      {program}")?;
        writeln!(f, "company:      {}", or_dash(&self.company_name))?;
        writeln!(f, "org nr:       {}", or_dash(&self.org_nr))?;
        let t = self
            .sie_type
            .map_or_else(|| "- (spec default 1)".to_owned(), |t| t.to_string());
        writeln!(f, "SIE type:     {t}")?;
        let enc = match self.encoding {
            FileEncoding::Cp437 => "CP437",
            FileEncoding::Utf8 => "UTF-8",
            FileEncoding::Utf16 => "UTF-16",
        };
        writeln!(f, "encoding:     {enc}")?;
        let ck = match self.checksum {
            ChecksumStatus::Absent => "none".to_owned(),
            ChecksumStatus::Verified { value } => format!("verified ({value})"),
            ChecksumStatus::Mismatch { declared, computed } => {
                format!("MISMATCH (file {declared}, computed {computed})")
            }
            ChecksumStatus::Unterminated => "opening #KSUMMA without closing value".to_owned(),
            ChecksumStatus::Unverifiable => "present but unverifiable".to_owned(),
        };
        writeln!(f, "checksum:     {ck}")?;
        if self.fiscal_years.is_empty() {
            writeln!(f, "fiscal years: -")?;
        }
        for y in &self.fiscal_years {
            writeln!(f, "fiscal year {:>3}: {} .. {}", y.index, y.start, y.end)?;
        }
        let c = &self.counts;
        writeln!(
            f,
            "accounts {}, dimensions {}, objects {}, vouchers {}, transactions {} (+{} added, {} struck), budget rows {}, period balances {}",
            c.accounts,
            c.dimensions,
            c.objects,
            c.vouchers,
            c.transactions,
            c.added_rows,
            c.struck_rows,
            c.budgets,
            c.period_balances
        )?;
        let d = &self.diagnostic_counts;
        writeln!(
            f,
            "diagnostics: {} error(s), {} warning(s), {} info",
            d.errors, d.warnings, d.infos
        )?;
        for diag in &self.diagnostics {
            writeln!(f, "  {diag}")?;
        }
        Ok(())
    }
}
