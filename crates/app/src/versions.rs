//! Budget versions through their life: a proposal is decided (with its decision reference, and
//! is then immutable); a decided budget is adjusted (ombudgetering, tilläggsbudget) as a new
//! version based on it; two versions are compared line by line with their sums.

use crate::{Actor, App, AppError, PlanSelector};
use std::collections::BTreeSet;
use styr_domain::budget::{RowKind, VersionKind};
use styr_domain::ledger::BudgetLineRef;
use styr_domain::{Id, Money, Plan, Year};
use styr_store::ImportSummary;

/// One line of a version diff in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionDiffRow {
    pub line: BudgetLineRef,
    pub label: String,
    pub year: Year,
    pub a: Option<Money>,
    pub b: Option<Money>,
}

impl VersionDiffRow {
    /// B − A, when both have the line.
    pub fn change(&self) -> Option<Money> {
        Some(self.b? - self.a?)
    }

    pub fn changed(&self) -> bool {
        self.a != self.b
    }
}

/// Two versions compared: every operating and investment line per year, and the sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionDiff {
    pub a: String,
    pub b: String,
    pub rows: Vec<VersionDiffRow>,
    /// Per year: (year, sum A, sum B) of the operating lines, then of the investment lines.
    pub operating_sums: Vec<(Year, Money, Money)>,
    pub investment_sums: Vec<(Year, Money, Money)>,
}

fn lines(
    plan: &Plan,
) -> Vec<(
    BudgetLineRef,
    String,
    std::collections::BTreeMap<Year, Money>,
)> {
    let mut lines = Vec::new();
    for table in plan.budget.operating.iter().filter(|t| !t.summary) {
        for row in table.rows.iter().filter(|r| r.kind == RowKind::Line) {
            lines.push((
                BudgetLineRef::Operating {
                    table: table.id.clone(),
                    line: row.id.clone(),
                },
                row.name.clone(),
                row.amounts.clone(),
            ));
        }
    }
    for row in plan.budget.investment.lines() {
        lines.push((
            BudgetLineRef::Investment {
                project: row.id.clone(),
            },
            row.name.clone(),
            row.amounts.clone(),
        ));
    }
    lines
}

/// Compares two plans' budgets line by line.
pub fn diff(a: &Plan, b: &Plan) -> VersionDiff {
    let (lines_a, lines_b) = (lines(a), lines(b));
    let mut keys: Vec<(BudgetLineRef, String)> = Vec::new();
    for (line, label, _) in lines_a.iter().chain(&lines_b) {
        if !keys.iter().any(|(l, _)| l == line) {
            keys.push((line.clone(), label.clone()));
        }
    }
    let amounts = |lines: &[(
        BudgetLineRef,
        String,
        std::collections::BTreeMap<Year, Money>,
    )],
                   line: &BudgetLineRef,
                   year: Year| {
        lines
            .iter()
            .find(|(l, _, _)| l == line)
            .and_then(|(_, _, amounts)| amounts.get(&year).copied())
    };
    let years: BTreeSet<Year> = lines_a
        .iter()
        .chain(&lines_b)
        .flat_map(|(_, _, amounts)| amounts.keys().copied())
        .collect();
    let mut rows = Vec::new();
    for (line, label) in &keys {
        for year in &years {
            let (x, y) = (
                amounts(&lines_a, line, *year),
                amounts(&lines_b, line, *year),
            );
            if x.is_some() || y.is_some() {
                rows.push(VersionDiffRow {
                    line: line.clone(),
                    label: label.clone(),
                    year: *year,
                    a: x,
                    b: y,
                });
            }
        }
    }
    let sums = |operating: bool| {
        years
            .iter()
            .map(|year| {
                let pick = |row: &&VersionDiffRow| {
                    row.year == *year
                        && matches!(row.line, BudgetLineRef::Operating { .. }) == operating
                };
                let a: Money = rows.iter().filter(pick).filter_map(|r| r.a).sum();
                let b: Money = rows.iter().filter(pick).filter_map(|r| r.b).sum();
                (*year, a, b)
            })
            .collect()
    };
    VersionDiff {
        a: a.budget.version.id.to_string(),
        b: b.budget.version.id.to_string(),
        operating_sums: sums(true),
        investment_sums: sums(false),
        rows,
    }
}

/// Refuses a decision id that is not a decision of the plan, naming those it has.
pub(crate) fn check_decision(plan: &Plan, decision: &str) -> Result<(), AppError> {
    if !plan.decisions.iter().any(|d| d.id.as_str() == decision) {
        return Err(AppError::invalid(
            "decision",
            format!(
                "beslutet {decision} finns inte i planen (beslut: {})",
                plan.decisions
                    .iter()
                    .map(|d| d.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(())
}

impl App {
    /// Decides a proposal (or an adjusted version) by a decision of the plan, e.g.
    /// `kf_2020_11_09_185`: from then on the version is never edited in place.
    pub async fn decide_version(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        decision: &str,
    ) -> Result<Plan, AppError> {
        match actor.role {
            // The KS/KF secretary records KF's decision too (see `process::decide_proposal`).
            crate::Role::Secretary => {}
            _ => actor.require_controller("besluta en budgetversion")?,
        }
        let plan = self.load_plan(actor, selector).await?;
        check_decision(&plan, decision)?;
        self.store
            .decide_version(
                plan.municipality.id.as_str(),
                plan.budget.version.id.as_str(),
                decision,
                &actor.login,
            )
            .await?;
        let selector = PlanSelector {
            municipality: Some(plan.municipality.id.to_string()),
            body: Some(plan.document.body.to_string()),
            version: Some(plan.budget.version.id.to_string()),
        };
        self.load_plan(actor, &selector).await
    }

    /// Creates an adjusted version (ombudgetering, tilläggsbudget) of a decided one: the same
    /// plan under a new version id, of kind adjusted, based on the decided version. The new
    /// version is then edited by exporting, changing and importing it.
    pub async fn adjust_version(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        id: &str,
        name: &str,
    ) -> Result<ImportSummary, AppError> {
        actor.require_controller("skapa en justerad budgetversion")?;
        let base = self.load_plan(actor, selector).await?;
        if base.budget.version.kind != VersionKind::Decided {
            return Err(AppError::Conflict(format!(
                "budgetversionen {} är inte beslutad: bara en beslutad version justeras",
                base.budget.version.id
            )));
        }
        let id = Id::parse(id).map_err(|error| AppError::invalid("id", error.to_string()))?;
        if self
            .plans(actor)
            .await?
            .iter()
            .any(|k| k.municipality == base.municipality.id.as_str() && k.version == id.as_str())
        {
            return Err(AppError::Conflict(format!(
                "budgetversionen {id} finns redan"
            )));
        }
        let mut adjusted = base.clone();
        adjusted.budget.version.based_on = Some(base.budget.version.id.clone());
        adjusted.budget.version.id = id;
        adjusted.budget.version.kind = VersionKind::Adjusted;
        adjusted.budget.version.name = name.to_owned();
        adjusted.budget.version.decision = None;
        self.import_plan(actor, &adjusted).await
    }

    /// Compares two stored versions of a municipality line by line.
    pub async fn diff_versions(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        a: &str,
        b: &str,
    ) -> Result<VersionDiff, AppError> {
        let select = |version: &str| PlanSelector {
            municipality: municipality.map(str::to_owned),
            body: None,
            version: Some(version.to_owned()),
        };
        let plan_a = self.load_plan(actor, &select(a)).await?;
        let plan_b = self.load_plan(actor, &select(b)).await?;
        Ok(diff(&plan_a, &plan_b))
    }
}
