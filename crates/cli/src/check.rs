//! `styr check`: runs the consistency checks and prints the findings and the smallest
//! corrections behind them.

use crate::Format;
use crate::output::{json_number, read_package};
use anyhow::{Result, bail};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use styr_app::App;
use styr_checks::municipality::{check_all_with_bases, check_plan_with_bases};
use styr_checks::{Change, Report, changes_text, has_errors, render_report};

pub fn run(package: Option<PathBuf>, db: Option<String>, format: Format) -> Result<ExitCode> {
    let (plans, bases) = match (package, db) {
        (Some(path), None) if path.join("styr.toml").is_file() || !path.is_dir() => {
            (vec![read_package(&path)?], Vec::new())
        }
        (Some(path), None) => (
            crate::output::read_folder(&path)?
                .into_iter()
                .map(|(_, plan)| plan)
                .collect(),
            Vec::new(),
        ),
        (None, Some(url)) => crate::store::load_for_check_with_bases(&url)?,
        _ => bail!("ange antingen ett paket eller --db"),
    };
    if let [plan] = plans.as_slice() {
        let bases: Vec<&styr_domain::Plan> = bases.iter().collect();
        return print_one(check_plan_with_bases(plan, &bases), format);
    }
    let report = check_all_with_bases(&plans, &bases);
    match format {
        Format::Text => {
            for (body, report) in &report.reports {
                let name = plans
                    .iter()
                    .find(|p| &p.document.body == body)
                    .and_then(|p| p.body(body))
                    .map_or(body.to_string(), |b| b.name.clone());
                println!("== {name} ({body}) ==");
                print!("{}", render_report(report));
            }
            println!("== Mellan organen ==");
            print!(
                "{}",
                render_report(&Report {
                    findings: report.across.clone(),
                    corrections: Vec::new(),
                })
            );
        }
        Format::Json => {
            let plans: Vec<serde_json::Value> = report
                .reports
                .iter()
                .map(|(body, report)| json!({ "body": body.as_str(), "report": report_json(report) }))
                .collect();
            let across = report_json(&Report {
                findings: report.across.clone(),
                corrections: Vec::new(),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({ "plans": plans, "across": across }))?
            );
        }
    }
    let findings: Vec<_> = report.findings().cloned().collect();
    Ok(if has_errors(&findings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One plan's report, as `styr check` has always printed it (its ramberäkning's base checked
/// against a stored base version when there is one).
fn print_one(report: Report, format: Format) -> Result<ExitCode> {
    match format {
        Format::Text => print!("{}", render_report(&report)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report_json(&report))?),
    }
    Ok(if has_errors(&report.findings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `styr check --db URL --ack ID --reason TEXT`: acknowledges one finding in the database
/// (audited) and says so.
pub fn acknowledge(
    url: &str,
    finding: &str,
    reason: &str,
    actor: Option<String>,
) -> Result<ExitCode> {
    let acting = crate::store::actor(actor);
    let acknowledgement = crate::store::with_app(url, async |app: &App| {
        app.acknowledge_finding(&acting, &styr_app::PlanSelector::default(), finding, reason)
            .await
    })?;
    println!(
        "kvitterade {} ({} {}): {}",
        acknowledgement.finding,
        acknowledgement.by,
        styr_domain::localtime::stockholm_minute(&acknowledgement.at),
        acknowledgement.reason
    );
    Ok(ExitCode::SUCCESS)
}

/// The findings as an array, each with the corrections that explain it.
fn report_json(report: &Report) -> serde_json::Value {
    report
        .findings
        .iter()
        .map(|f| {
            let corrections: Vec<serde_json::Value> = report
                .corrections
                .iter()
                .filter(|c| c.explains.contains(&f.id))
                .map(|c| {
                    json!({
                        "explains": c.explains,
                        "alternatives": c.alternatives.iter().map(|changes| json!({
                            "text": changes_text(changes),
                            "changes": changes.iter().map(change_json).collect::<Vec<_>>(),
                        })).collect::<Vec<_>>(),
                        "more_alternatives": c.more_alternatives,
                        "search_cut": c.search_cut,
                    })
                })
                .collect();
            json!({
                "id": f.id,
                "severity": f.severity.code(),
                "check": f.check,
                "file": f.file,
                "line": f.line,
                "message": f.message,
                "formula": f.formula,
                "stated": json_number(f.stated),
                "computed": json_number(f.computed),
                "unit": f.unit,
                "occurrences": f.occurrences,
                "acknowledgement": f.acknowledgement.as_ref().map(|a| json!({
                    "by": a.by,
                    "at": a.at,
                    "reason": a.reason,
                })),
                "corrections": corrections,
            })
        })
        .collect()
}

fn change_json(change: &Change) -> serde_json::Value {
    json!({
        "file": change.at.file,
        "line": change.at.line,
        "column": change.column,
        "from": json_number(Some(change.from.tkr())),
        "to": json_number(Some(change.to.tkr())),
        "unit": "tkr",
    })
}
