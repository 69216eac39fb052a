//! The plan package: a folder of TOML, CSV and Markdown that holds a whole plan.
//!
//! `read_files` turns the files of a package into a [`Plan`] or into every problem found, each
//! with file, line and field; nothing is partly read. `write_files` turns a plan back into files,
//! deterministically, so that write → read → write is byte-identical. This crate knows the file
//! format and nothing about databases, checks or rendering. The format is documented in
//! `docs/plan-format.md`.

mod csv_table;
mod diagnostic;
mod files;
mod followup_csv;
mod read;
mod text;
mod toml_read;
mod write;

pub use diagnostic::Diagnostic;
pub use files::{Files, FilesError, MAX_FILE_BYTES, MAX_PACKAGE_BYTES};
pub use followup_csv::{FOLLOWUP_COLUMNS, FollowUpRow, read_followup_csv};
pub use read::{is_followup_file, is_ledger_export, read_files};
pub use write::write_files;

use std::path::Path;
use styr_domain::Plan;

/// Reads the package in a folder. Every problem found is returned, not just the first.
pub fn read_dir(root: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let files = Files::load(root).map_err(|error| vec![error.into_diagnostic()])?;
    read_files(&files)
}

/// Writes a plan as a package into a folder (created if needed).
pub fn write_dir(plan: &Plan, root: &Path) -> std::io::Result<()> {
    write_files(plan).save(root)
}
