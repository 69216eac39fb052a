//! `styr-sie`: a reader and writer for SIE files (the Swedish accounting
//! exchange format, 4B edition), types 1–4 and 4I.
//!
//! [`read`] turns bytes into a [`SieFile`] plus [`Diagnostic`]s and never
//! panics; [`read_path`] and [`read_bytes`] stream the same reading, handing
//! every voucher to a [`Visitor`] as a borrowed [`VoucherView`], so that a
//! huge file is read with the memory of one voucher; [`read_path_parallel`]
//! reads the parts of a file on several threads; [`Sums`] sums the vouchers
//! per account × object × month as they pass. [`write_sie4`] turns a
//! [`SieFile`] back into CP437 bytes with a #KSUMMA checksum; [`Summary`] and
//! [`balances`] are the helpers a CLI needs. Amounts
//! are exact integer öre, account numbers are digit strings.
//! This crate deliberately knows nothing about municipalities, budgets as a
//! domain concept, or any chart of accounts: it is only the file format.

pub mod balances;
pub mod checksum;
pub mod diagnostics;
pub mod encoding;
mod fastrow;
mod fields;
pub mod lexer;
pub mod model;
pub mod reader;
mod records;
pub mod summary;
pub mod sums;
pub mod voucher;
pub mod writer;

pub use balances::{BalanceRow, balances, balances_csv};
pub use checksum::ChecksumStatus;
pub use diagnostics::{Diagnostic, DiagnosticKind, Severity};
pub use encoding::FileEncoding;
pub use model::*;
pub use reader::{
    ReadOutcome, read, read_bytes, read_outcome, read_outcome_general, read_outcome_with,
    read_path, read_path_parallel, read_with,
};
pub use summary::Summary;
pub use sums::{Ignore, Sums};
pub use voucher::{
    Fork, Handover, HeldRow, RowView, Visitor, VoucherCounts, VoucherRows, VoucherView,
};
pub use writer::{Field, WriteError, Writer, write_sie4};
