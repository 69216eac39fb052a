//! Diagnostics collected while reading a SIE file.
//!
//! Every problem the reader notices becomes one [`Diagnostic`] with a
//! severity, the 1-based line it was found on, the record (label) and field it
//! concerns, a typed [`DiagnosticKind`] and a human-readable message. The
//! reader never stops at the first problem. This module deliberately does not
//! decide what a caller should do with a diagnostic (refuse an import, show a
//! warning, …): that policy belongs to the caller.

use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data is wrong or was dropped (bad amount, unbalanced voucher, bad checksum …).
    Error,
    /// The data was kept but is suspicious or was repaired (encoding fallback, undeclared account …).
    Warning,
    /// Informational: something was deliberately ignored (unknown label …).
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// What kind of problem a diagnostic reports. Stable, matchable names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// The input holds no SIE record at all.
    EmptyFile,
    /// A non-blank line that does not start with a `#LABEL`.
    NotARecord,
    /// A label this reader does not know; the record is ignored (spec 7.1).
    UnknownRecord,
    /// A mandatory field is missing; the record is ignored.
    MissingField,
    /// An amount that is not `[-]digits[.d[d]]`; the record is ignored.
    MalformedAmount,
    /// A quantity that is not a decimal number; the quantity is dropped.
    MalformedQuantity,
    /// A date that is not a valid `YYYYMMDD` calendar date.
    InvalidDate,
    /// A period that is not a valid `YYYYMM`.
    InvalidPeriod,
    /// An integer field (year index, dimension number, flag, SIE type …) that does not parse.
    InvalidNumber,
    /// An account number that is not numeric (record ignored) or has an unusual length (kept).
    InvalidAccount,
    /// An unknown value in an enumerated field (#KTYP, #SIETYP …).
    InvalidValue,
    /// A record is defined twice (#KONTO, #DIM, #OBJEKT …); the first one is kept.
    Duplicate,
    /// An account is used but has no #KONTO record.
    UnknownAccount,
    /// A dimension is used without a #DIM/#UNDERDIM declaration.
    UndeclaredDimension,
    /// An object is used in an object list without an #OBJEKT declaration.
    UndeclaredObject,
    /// A malformed object list (odd number of members, unterminated `{`, bad dimension).
    MalformedObjectList,
    /// A quoted field that is not closed before the end of the line.
    UnterminatedQuote,
    /// A control character inside a line; it was removed.
    ControlCharacter,
    /// `{`/`}` voucher-block structure is broken (missing or stray brace).
    BlockStructure,
    /// A transaction row outside a voucher block, or a record inside one that does not belong there.
    Misplaced,
    /// The counted rows of a voucher do not sum to zero.
    UnbalancedVoucher,
    /// An #RTRANS row that is not followed by its duplicate #TRANS.
    RtransWithoutDuplicate,
    /// #KSUMMA checksum does not match the file contents.
    ChecksumMismatch,
    /// #KSUMMA structure problem (no closing checksum, unparsable value, stray #KSUMMA).
    ChecksumStructure,
    /// The file claims PC8 but was decoded in another encoding (UTF-8, UTF-16).
    EncodingMismatch,
    /// A field inside a CP437 file was decoded as Latin-1.
    EncodingFallback,
    /// A field inside a CP437 file is UTF-8: the file mixes encodings (an error: its text
    /// would be stored garbled).
    EncodingMixed,
    /// Characters are irrecoverably lost (U+FFFD replacement characters in the input).
    EncodingLoss,
    /// #FORMAT declares something other than PC8.
    UnsupportedFormat,
    /// A record required by the SIE type is missing or a forbidden one is present.
    TypeConformance,
    /// A record that the declared SIE type says to ignore (object rows in type 2).
    IgnoredForType,
}

/// One finding of the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: DiagnosticKind,
    /// 1-based line number in the input.
    pub line: usize,
    /// The record label (`#TRANS`) or a pseudo-record (`encoding`, `file`).
    pub record: String,
    /// The field name from the spec (`belopp`, `transdat` …), if the problem concerns one field.
    pub field: Option<String>,
    /// Explanation for a person, in Swedish.
    pub message: String,
}

impl Diagnostic {
    /// Build a diagnostic.
    pub fn new(
        severity: Severity,
        kind: DiagnosticKind,
        line: usize,
        record: impl Into<String>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            kind,
            line: line.max(1),
            record: record.into(),
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "fel",
            Severity::Warning => "varning",
            Severity::Info => "info",
        };
        write!(f, "rad {}: {severity} {}", self.line, self.record)?;
        if let Some(field) = &self.field {
            write!(f, " [{field}]")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Count diagnostics of one severity.
pub fn count_severity(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}
