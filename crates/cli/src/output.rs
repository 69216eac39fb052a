//! Shared output helpers: reading a package with its diagnostics shown, and JSON numbers.

use anyhow::{Result, bail};
use rust_decimal::Decimal;
use std::path::Path;
use styr_domain::Plan;

/// Reads a package; on problems prints each (file:line: field: message) and fails.
pub fn read_package(path: &Path) -> Result<Plan> {
    match styr_package::read_dir(path) {
        Ok(plan) => Ok(plan),
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                eprintln!("{diagnostic}");
            }
            bail!(
                "paketet {} har {} fel; inget lästes in",
                path.display(),
                diagnostics.len()
            )
        }
    }
}

/// The packages of a folder holding several (a municipality's bodies), each with its
/// sub-folder's name; on problems prints every one and fails.
pub fn read_folder(path: &Path) -> Result<Vec<(String, Plan)>> {
    match styr_package::read_folder(path) {
        Ok(plans) => Ok(plans),
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                eprintln!("{diagnostic}");
            }
            bail!(
                "mappen {} har {} fel; inget lästes in",
                path.display(),
                diagnostics.len()
            )
        }
    }
}

/// An exact decimal as a JSON number (never through floating point).
pub fn json_number(value: Option<Decimal>) -> serde_json::Value {
    match value {
        Some(value) => {
            serde_json::from_str(&value.normalize().to_string()).unwrap_or(serde_json::Value::Null)
        }
        None => serde_json::Value::Null,
    }
}
