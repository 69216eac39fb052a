//! The audit log in Swedish: a sentence with names (the assignment's title, the budget line's
//! and the unit's names, the period's title) for each stored row, computed when the log is
//! shown. The stored rows keep their stable keys (`report forecast haninge/2021-10/op.ksf.ksf`,
//! `changed=1`) unchanged: the API and `--format json` give those, and filters match them.

use crate::{Actor, App, AppError, PlanSelector};
use std::collections::BTreeMap;
use styr_domain::Plan;
use styr_domain::followup::EntryKind;
use styr_domain::ledger::BudgetLineRef;
use styr_store::{AuditEntry, AuditFilter};

/// A row of the audit log with its Swedish description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribedEntry {
    pub entry: AuditEntry,
    pub description: String,
    /// Who did it as people read it: the user's display name, else the login (the entry keeps
    /// the login).
    pub actor_name: String,
}

/// What a report's subject is called: `uppdraget «2020 KS 3 Mer företagsmark …»`,
/// `budgetraden «Kommunstyrelseförvaltningen»` …; the id itself when the plan does not have it.
pub fn subject_name(plan: &Plan, kind: EntryKind, subject: &str) -> String {
    let quoted = |what: &str, name: Option<String>| match name {
        Some(name) => format!("{what} «{name}»"),
        None => format!("{what} {subject}"),
    };
    match kind {
        EntryKind::Status => quoted(
            "uppdraget",
            plan.assignments
                .iter()
                .find(|a| a.id.as_str() == subject)
                .map(|a| {
                    styr_reports::period_report::assignment_label(a.code.as_deref(), &a.title)
                }),
        ),
        EntryKind::Outcome => quoted(
            "indikatorn",
            plan.indicators
                .iter()
                .find(|i| i.id.as_str() == subject)
                .map(|i| i.name.clone()),
        ),
        EntryKind::Assessment => quoted(
            "målet",
            plan.goals
                .iter()
                .find(|g| g.id.as_str() == subject)
                .map(|g| g.title.clone()),
        ),
        EntryKind::Forecast => quoted("budgetraden", line_name(plan, subject)),
        EntryKind::Control => quoted(
            "kontrollen",
            plan.control
                .controls
                .iter()
                .find(|c| c.id.as_str() == subject)
                .map(|c| c.title.clone()),
        ),
        EntryKind::AuditAction => quoted(
            "åtgärden",
            plan.control
                .actions()
                .find(|(_, _, a)| a.id.as_str() == subject)
                .map(|(_, _, a)| a.text.clone()),
        ),
    }
}

/// A budget line's name: the operating row's (with its table's title) or the investment
/// project's.
fn line_name(plan: &Plan, subject: &str) -> Option<String> {
    match BudgetLineRef::parse(subject)? {
        BudgetLineRef::Operating { table, line } => {
            let table = plan.budget.operating_table(table.as_str())?;
            let row = table.row(line.as_str())?;
            Some(format!("{}, {}", row.name, table.title))
        }
        BudgetLineRef::Investment { project } => plan
            .budget
            .investment
            .lines()
            .find(|row| row.id == project)
            .map(|row| row.name.clone()),
    }
}

/// A body's or a unit's name, or the id.
pub fn unit_name(plan: &Plan, id: &str) -> String {
    plan.bodies
        .iter()
        .find(|b| b.id.as_str() == id)
        .map(|b| b.name.clone())
        .or_else(|| {
            plan.units
                .iter()
                .find(|u| u.id.as_str() == id)
                .map(|u| u.name.clone())
        })
        .unwrap_or_else(|| id.to_owned())
}

/// A period's title ("Delårsrapport 2 2021"), or its month.
fn period_name(plan: Option<&Plan>, month: &str) -> String {
    plan.and_then(|plan| plan.periods.iter().find(|p| p.month == month))
        .map_or_else(|| month.to_owned(), |p| format!("{} ({month})", p.title))
}

/// `key=value` pairs of a detail.
fn details(detail: &str) -> BTreeMap<&str, &str> {
    detail
        .split(' ')
        .filter_map(|pair| pair.split_once('='))
        .collect()
}

fn changes(detail: &str) -> String {
    let pairs = details(detail);
    match (pairs.get("changed"), pairs.get("unchanged")) {
        (Some(changed), Some(&"0") | None) => format!("{changed} ändrade"),
        (Some(changed), Some(unchanged)) => format!("{changed} ändrade, {unchanged} oförändrade"),
        _ => String::new(),
    }
}

/// The Swedish sentence for one row of the log; the plan (of the row's municipality) gives the
/// names. An action this function does not know is shown as it is stored.
pub fn describe(plan: Option<&Plan>, entry: &AuditEntry) -> String {
    let words: Vec<&str> = entry.action.splitn(3, ' ').collect();
    let target = |i: usize| words.get(i).copied().unwrap_or_default();
    let parts = |text: &str| text.split('/').map(str::to_owned).collect::<Vec<_>>();
    let with_changes = |sentence: String| {
        let changes = changes(&entry.detail);
        if changes.is_empty() {
            sentence
        } else {
            format!("{sentence} ({changes})")
        }
    };
    match (target(0), target(1)) {
        ("report", kind) => {
            let path = parts(target(2));
            let (Some(month), Some(subject)) = (path.get(1), path.get(2)) else {
                return entry.action.clone();
            };
            let Some(kind) = EntryKind::parse(kind) else {
                return entry.action.clone();
            };
            let subject = match plan {
                Some(plan) => subject_name(plan, kind, subject),
                None => subject.clone(),
            };
            with_changes(format!(
                "Rapporterade {} för {subject}, {}",
                kind.label_sv(),
                period_name(plan, month)
            ))
        }
        ("import", "plan") => {
            let path = parts(target(2));
            let version = path.get(1).cloned().unwrap_or_default();
            let name = plan
                .filter(|p| p.budget.version.id.as_str() == version)
                .map_or(version.clone(), |p| p.budget.version.name.clone());
            let rows = details(&entry.detail)
                .get("rows")
                .map_or(String::new(), |rows| format!(" ({rows} rader)"));
            format!("Importerade planen «{name}»{rows}")
        }
        ("import", "followup") => {
            let file = target(2).split_once('/').map_or("", |(_, file)| file);
            with_changes(format!("Importerade uppföljningsfilen {file}"))
        }
        ("import", "actuals") => {
            let path = parts(target(2));
            let pairs = details(&entry.detail);
            format!(
                "Importerade bokföringen för {} {} ({} verifikationer, {} transaktioner{})",
                path.get(1).cloned().unwrap_or_default(),
                path.get(2).cloned().unwrap_or_default().replace("..", "–"),
                pairs.get("vouchers").unwrap_or(&"?"),
                pairs.get("transactions").unwrap_or(&"?"),
                if pairs.get("replaced") == Some(&"true") {
                    "; ersatte en tidigare import"
                } else {
                    ""
                }
            )
        }
        ("import", "kolada") => with_changes("Hämtade värden från Kolada".to_owned()),
        ("close" | "reopen", "period") => {
            let month = parts(target(2)).get(1).cloned().unwrap_or_default();
            let verb = if target(0) == "close" {
                "Stängde"
            } else {
                "Öppnade"
            };
            let reason = entry
                .detail
                .strip_prefix("reason=")
                .map_or(String::new(), |reason| format!(": {reason}"));
            format!("{verb} perioden {}{reason}", period_name(plan, &month))
        }
        ("decide", "version") => {
            let version = parts(target(2)).get(1).cloned().unwrap_or_default();
            let name = plan
                .filter(|p| p.budget.version.id.as_str() == version)
                .map_or(version.clone(), |p| p.budget.version.name.clone());
            format!("Beslutade budgetversionen «{name}»")
        }
        ("acknowledge", "finding") => format!("Kvitterade fyndet {}", entry.detail),
        ("put", "user") => format!("Lade till eller ändrade användaren {}", target(2)),
        ("create", "token") => format!("Skapade en API-nyckel åt {}", target(2)),
        _ => entry.action.clone(),
    }
}

impl App {
    /// The audit log as [`App::audit_log`] gives it, each row with its Swedish description.
    pub async fn audit_log_described(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
    ) -> Result<Vec<DescribedEntry>, AppError> {
        let entries = self.audit_log(actor, filter).await?;
        let names = self.user_names(actor).await?;
        let mut plans: BTreeMap<String, Option<Plan>> = BTreeMap::new();
        let mut described = Vec::with_capacity(entries.len());
        for entry in entries {
            if !plans.contains_key(&entry.municipality) {
                let plan = self
                    .load_plan(
                        actor,
                        &PlanSelector {
                            municipality: Some(entry.municipality.clone()),
                            version: None,
                        },
                    )
                    .await
                    .ok();
                plans.insert(entry.municipality.clone(), plan);
            }
            let plan = plans.get(&entry.municipality).and_then(Option::as_ref);
            described.push(DescribedEntry {
                description: describe(plan, &entry),
                actor_name: names
                    .get(&entry.actor)
                    .cloned()
                    .unwrap_or_else(|| entry.actor.clone()),
                entry,
            });
        }
        Ok(described)
    }
}
