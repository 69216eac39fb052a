//! `styr-sie`: a reader and writer for SIE files (the Swedish accounting
//! exchange format, 4B edition), types 1–4 and 4I.
//!
//! [`read`] turns bytes into a [`SieFile`] plus [`Diagnostic`]s and never
//! panics; [`write_sie4`] turns a [`SieFile`] back into CP437 bytes with a
//! #KSUMMA checksum; [`Summary`] and [`balances`] are the helpers a CLI
//! needs; [`fast`] is the streaming path that sums the vouchers of a huge
//! file per account × object × month without building the model. Amounts
//! are exact integer öre, account numbers are digit strings.
//! This crate deliberately knows nothing about municipalities, budgets as a
//! domain concept, or any chart of accounts: it is only the file format.

pub mod balances;
pub mod checksum;
pub mod diagnostics;
pub mod encoding;
pub mod fast;
pub mod lexer;
pub mod model;
pub mod reader;
pub mod summary;
pub mod writer;

pub use balances::{BalanceRow, balances, balances_csv};
pub use checksum::ChecksumStatus;
pub use diagnostics::{Diagnostic, DiagnosticKind, Severity};
pub use encoding::FileEncoding;
pub use model::*;
pub use reader::{ReadOutcome, read, read_outcome, read_outcome_with, read_with};
pub use summary::Summary;
pub use writer::{Field, WriteError, Writer, write_sie4};
