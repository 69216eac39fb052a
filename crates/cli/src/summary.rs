//! `styr summary`: counts of what a plan package holds.

use crate::Format;
use crate::output::read_package;
use anyhow::Result;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use styr_domain::Plan;
use styr_domain::budget::RowKind;

/// The counts, in a fixed order: (JSON key, Swedish label, count).
pub fn counts(plan: &Plan) -> Vec<(&'static str, &'static str, usize)> {
    let budget = &plan.budget;
    let lines = |kind: RowKind| move |row_kind: &RowKind| *row_kind == kind;
    let is_line = lines(RowKind::Line);
    let distinct_assignments: BTreeSet<_> = plan.assignments.iter().map(|a| &a.id).collect();
    vec![
        ("bodies", "organ", plan.bodies.len()),
        ("units", "förvaltningar och enheter", plan.units.len()),
        ("decisions", "beslut", plan.decisions.len()),
        ("goal_areas", "målområden", plan.goal_areas.len()),
        ("goals", "mål", plan.goals.len()),
        ("priorities", "prioriteringar", plan.priorities.len()),
        ("indicators", "indikatorer", plan.indicators.len()),
        (
            "indicator_values",
            "indikatorvärden",
            plan.indicator_values.len(),
        ),
        ("assignments", "uppdrag", distinct_assignments.len()),
        (
            "assignment_mentions",
            "omnämnanden av uppdrag",
            plan.mentions.len(),
        ),
        (
            "operating_tables",
            "driftbudgettabeller",
            budget.operating.len(),
        ),
        (
            "operating_lines",
            "driftbudgetrader",
            budget
                .operating
                .iter()
                .flat_map(|t| &t.rows)
                .filter(|r| is_line(&r.kind))
                .count(),
        ),
        (
            "investment_projects",
            "investeringsprojekt",
            budget.investment.lines().count(),
        ),
        (
            "exploitation_rows",
            "exploateringsrader",
            budget
                .exploitation
                .rows
                .iter()
                .filter(|r| is_line(&r.kind))
                .count(),
        ),
        (
            "finance_rows",
            "finansförvaltningsrader",
            budget
                .finance
                .rows
                .iter()
                .filter(|r| is_line(&r.kind))
                .count(),
        ),
        ("followup_figures", "uppföljningstal", plan.figures.len()),
        ("risks", "risker", plan.control.risks.len()),
        ("audits", "granskningar", plan.control.audits.len()),
        ("sections", "avsnitt", plan.sections.len()),
        (
            "claims",
            "påståenden i texten",
            plan.narratives.iter().map(|n| n.claims.len()).sum(),
        ),
    ]
}

pub fn run(path: &Path, format: Format) -> Result<ExitCode> {
    let plan = read_package(path)?;
    let counts = counts(&plan);
    match format {
        Format::Json => {
            let mut object = serde_json::Map::new();
            object.insert("municipality".into(), plan.municipality.name.clone().into());
            object.insert("title".into(), plan.document.title.clone().into());
            for (key, _, count) in &counts {
                object.insert((*key).into(), (*count).into());
            }
            println!("{}", serde_json::to_string_pretty(&object)?);
        }
        Format::Text => {
            println!("{} — {}", plan.municipality.name, plan.document.title);
            for (_, label, count) in &counts {
                println!("{count:>6}  {label}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
