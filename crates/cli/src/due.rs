//! `styr followup due`: what a period's report contains for a unit (or everyone), with what is
//! reported, what is missing and what is late: the app's one rule (`App::period_due`), the
//! same list the web's reporting page and the Excel report template show.

use crate::Format;
use crate::report::parse_period;
use crate::store::{StoredPlan, actor, person, with_app};
use anyhow::Result;
use serde_json::json;
use std::process::ExitCode;
use styr_app::App;
use styr_domain::Id;

/// Prints the items a period asks for.
pub fn run_due(
    period: Option<&str>,
    unit: Option<&str>,
    today: Option<&str>,
    format: Format,
    stored: &StoredPlan,
) -> Result<ExitCode> {
    let month = period.map(parse_period).transpose()?;
    let unit = unit
        .map(|u| Id::parse(u).map_err(|e| anyhow::anyhow!("enhet {u:?}: {e}")))
        .transpose()?;
    let acting = actor(None);
    let (due, people, names) = with_app(&stored.db, async |app: &App| {
        let app = app.clone().with_reporting_date(today.map(str::to_owned));
        let due = app
            .period_due(&acting, &stored.selector(), month, unit.as_ref())
            .await?;
        let people = app
            .missing_by_person(&acting, &stored.selector(), Some(due.period.month))
            .await?;
        Ok((due, people, app.user_names(&acting).await?))
    })?;
    match format {
        Format::Text => {
            let missing = due.missing().count();
            let late = due.items.iter().filter(|e| e.late).count();
            println!(
                "{} ({}, sista dag {}): {}; {} att rapportera, {} ej rapporterade, {} sena",
                due.period.title,
                due.period.month,
                due.period.deadline.as_deref().unwrap_or("–"),
                due.phase.label_sv(),
                due.items.len(),
                missing,
                late
            );
            for entry in &due.items {
                let state = match (&entry.current, entry.late, entry.item.required) {
                    (Some(current), _, _) => {
                        format!("rapporterad av {}", person(&names, &current.reported_by))
                    }
                    (None, true, _) => "SEN".to_owned(),
                    (None, false, true) => "ej rapporterad".to_owned(),
                    (None, false, false) => "frivillig".to_owned(),
                };
                println!(
                    "{}\t{}\t{}\t{}",
                    entry.item.kind.label_sv(),
                    entry.item.subject,
                    entry.item.label,
                    state
                );
            }
            for person in people.iter().filter(|p| p.missing > 0) {
                println!(
                    "ej rapporterat av {} ({}): {}, varav {} sena",
                    person.login,
                    person.units.join(", "),
                    person.missing,
                    person.late
                );
            }
        }
        Format::Json => {
            let items: Vec<serde_json::Value> = due
                .items
                .iter()
                .map(|e| {
                    json!({
                        "kind": e.item.kind.code(),
                        "subject": e.item.subject,
                        "label": e.item.label,
                        "owners": e.item.owners.iter().map(|o| o.as_str()).collect::<Vec<_>>(),
                        "required": e.item.required,
                        "reported": e.current.is_some(),
                        "reported_by": e.current.as_ref().map(|c| c.reported_by.clone()),
                        "missing": e.missing(),
                        "late": e.late,
                    })
                })
                .collect();
            let value = json!({
                "period": due.period.month,
                "title": due.period.title,
                "deadline": due.period.deadline,
                "today": due.today,
                "items": items,
                "people": people.iter().map(|p| json!({
                    "login": p.login, "units": p.units, "missing": p.missing, "late": p.late,
                })).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&value)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
