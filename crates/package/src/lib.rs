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
mod measures_csv;
mod read;
mod statements;
mod text;
mod toml_read;
mod write;

pub use diagnostic::Diagnostic;
pub use files::{Files, FilesError, MAX_FILE_BYTES, MAX_PACKAGE_BYTES};
pub use followup_csv::{FOLLOWUP_COLUMNS, FollowUpRow, read_followup_csv};
pub use measures_csv::{MEASURE_VALUE_COLUMNS, MeasureRow, read_measure_csv};
pub use read::{is_followup_file, is_ledger_export, is_measure_outcome_file, read_files};
pub use write::write_files;

use std::path::Path;
use styr_domain::Plan;

/// Reads the package in a folder. Every problem found is returned, not just the first.
pub fn read_dir(root: &Path) -> Result<Plan, Vec<Diagnostic>> {
    let files = Files::load(root).map_err(|error| vec![error.into_diagnostic()])?;
    read_files(&files)
}

/// The packages in a folder: the folder itself when it holds `styr.toml`, otherwise every
/// sub-folder that does (a municipality's bodies side by side), by name. Each plan comes with
/// its folder's name ("" for the folder itself); every problem of every package is returned,
/// its file named from the folder (`bun/styr.toml`).
pub fn read_folder(root: &Path) -> Result<Vec<(String, Plan)>, Vec<Diagnostic>> {
    if root.join("styr.toml").is_file() {
        return read_dir(root).map(|plan| vec![(String::new(), plan)]);
    }
    let entries = std::fs::read_dir(root).map_err(|error| {
        vec![Diagnostic::new(
            &root.display().to_string(),
            0,
            "",
            format!("mappen kan inte läsas: {error}"),
        )]
    })?;
    let mut folders: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("styr.toml").is_file())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    folders.sort();
    if folders.is_empty() {
        return Err(vec![Diagnostic::new(
            &root.display().to_string(),
            0,
            "",
            "mappen har inget planpaket (styr.toml), varken själv eller i en undermapp",
        )]);
    }
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    for folder in folders {
        match read_dir(&root.join(&folder)) {
            Ok(plan) => plans.push((folder, plan)),
            Err(found) => problems.extend(found.into_iter().map(|mut d| {
                d.file = format!("{folder}/{}", d.file);
                d
            })),
        }
    }
    if problems.is_empty() {
        Ok(plans)
    } else {
        Err(problems)
    }
}

/// Writes a plan as a package into a folder (created if needed).
pub fn write_dir(plan: &Plan, root: &Path) -> std::io::Result<()> {
    write_files(plan).save(root)
}
