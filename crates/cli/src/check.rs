//! `styr check`: runs the consistency checks and prints the findings.

use crate::Format;
use crate::output::{json_number, read_package};
use anyhow::{Result, bail};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use styr_checks::{Finding, check_plan, has_errors, render_text};

pub fn run(package: Option<PathBuf>, db: Option<String>, format: Format) -> Result<ExitCode> {
    let plan = match (package, db) {
        (Some(path), None) => read_package(&path)?,
        (None, Some(url)) => crate::store::load_for_check(&url)?,
        _ => bail!("ange antingen ett paket eller --db"),
    };
    let findings = check_plan(&plan);
    match format {
        Format::Text => print!("{}", render_text(&findings)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&findings_json(&findings))?
        ),
    }
    Ok(if has_errors(&findings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn findings_json(findings: &[Finding]) -> serde_json::Value {
    findings
        .iter()
        .map(|f| {
            json!({
                "severity": f.severity.code(),
                "check": f.check,
                "file": f.file,
                "line": f.line,
                "message": f.message,
                "stated": json_number(f.stated),
                "computed": json_number(f.computed),
                "unit": f.unit,
            })
        })
        .collect()
}
