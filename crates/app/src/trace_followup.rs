//! Where a figure of a body's follow-up report comes from (issue 24, item 3), besides the
//! outcome to date (`crate::trace`): the economy's budget, budget to date, deviation, forecast
//! and forecast deviation ([`App::trace_economy_figure`]), and the count of a cell of the risk
//! matrix ([`App::trace_risk_cell`]). `styr_docgen::trace` names the paths.
//!
//! The figures are the report's own (`styr_reports::budget_vs_actual`, which states the
//! rules); a trace lists the parts the report made a figure of, each with its own trace, and
//! the rule in words. Who sees what is the report's and the plan's rule: the public follows a
//! decided plan's figures of a closed period only (`App::trace_economy`), a risk matrix of a
//! decided plan only (`App::trace_plan`).

use crate::trace::TracedRow;
use crate::trace_reports::{ReportFigureTrace, TraceFact, not_found, row as traced, trace};
use crate::{Actor, App, AppError};
use styr_docgen::trace::{
    self as paths, EconomyColumn, EconomyRow, OutcomeSum, economy_figure, outcome_line, outcome_sum,
};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::number::MoneyUnit;
use styr_domain::{Id, Money, Plan, Year};
use styr_reports::budget_vs_actual::{
    ForecastMethod, ProfileSource, ReportRow, RowKind as EconomyKind, Section,
};

/// One risk a cell of the risk matrix holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRiskRow {
    pub id: Id,
    /// Its number in the matrix (register order, as the matrix lists it).
    pub number: usize,
    pub title: String,
    pub process: Option<String>,
    /// The owning unit's name.
    pub owner: Option<String>,
    /// The assessment that holds in the year ("2021: 4 × 3").
    pub assessment: String,
    /// Where the risk is written.
    pub place: String,
}

/// Where the count of a cell of the risk matrix comes from: the risks assessed there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskCellTrace {
    pub version: Id,
    pub version_name: String,
    pub year: Year,
    pub likelihood: u8,
    pub consequence: u8,
    /// The cell's colour band, if the scale gives it one.
    pub band: Option<String>,
    /// The count the matrix prints.
    pub count: usize,
    pub risks: Vec<MatrixRiskRow>,
}

/// A column's figure of a row of the economy.
fn column_figure(row: &ReportRow, column: EconomyColumn) -> Option<Money> {
    match column {
        EconomyColumn::Budget => row.cell.budget().map(|b| b.annual),
        EconomyColumn::BudgetToDate => row.cell.budget().map(|b| b.to_date),
        EconomyColumn::Deviation => row.cell.comparison().map(|c| c.deviation),
        EconomyColumn::Forecast => row.forecast.map(|(_, money)| money),
        EconomyColumn::ForecastDeviation => row.forecast_deviation,
    }
}

fn is_line(row: &ReportRow) -> bool {
    matches!(row.kind, EconomyKind::Line | EconomyKind::Project)
}

fn in_sum(row: &ReportRow, sum: &OutcomeSum) -> bool {
    match sum {
        OutcomeSum::Table(table) => row.table.as_ref() == Some(table),
        OutcomeSum::Operating => row.section == Section::Operating,
        OutcomeSum::Investment => row.section == Section::Investment,
    }
}

fn is_total(row: &ReportRow, sum: &OutcomeSum) -> bool {
    match sum {
        OutcomeSum::Table(table) => {
            row.kind == EconomyKind::TableTotal && row.table.as_ref() == Some(table)
        }
        OutcomeSum::Operating => row.kind == EconomyKind::OperatingTotal,
        OutcomeSum::Investment => row.kind == EconomyKind::InvestmentTotal,
    }
}

/// Where a budget line's annual budget is written in the plan: its cell's trace.
fn plan_figure_path(plan: &Plan, line: &BudgetLineRef, year: Year) -> Option<String> {
    let version = &plan.budget.version.id;
    match line {
        BudgetLineRef::Operating { table, line } => {
            Some(paths::plan_cell(version, table, line, year))
        }
        BudgetLineRef::Investment { project } => plan
            .budget
            .investment
            .years
            .contains(&year)
            .then(|| paths::plan_investment(version, project, Some(year))),
    }
}

fn profile_words(profile: ProfileSource) -> &'static str {
    match profile {
        ProfileSource::Ledger => "huvudbokens periodiserade budget för raden (#PBUDGET)",
        ProfileSource::Plan => "planens periodiseringsprofil för raden (ledger/profiles.csv)",
        ProfileSource::Even => "jämnt fördelad: en tolftedel i månaden",
        ProfileSource::Mixed => "raderna periodiseras på olika sätt",
    }
}

const ROUNDING: &str = "Beloppet är beräknat i öre och avrundat till hela tkr, som i tabellen; \
     det som räknas av det (avvikelse, beräknad prognos, summor) räknas på det avrundade beloppet.";

impl App {
    /// Where a figure of a period's economy other than the outcome comes from: a line's
    /// budget → the plan's figure, its budget to date → the budget and the periodisation, its
    /// deviation → budget to date and outcome, its forecast → the reported forecast or its
    /// computed parts, its forecast deviation → budget and forecast; a total's → the lines it
    /// sums (its deviation: the total's budget to date and outcome).
    pub async fn trace_economy_figure(
        &self,
        actor: &Actor,
        version: &str,
        period: Month,
        column: EconomyColumn,
        row: &EconomyRow,
    ) -> Result<ReportFigureTrace, AppError> {
        let (plan, economy) = self.trace_economy(actor, version, period).await?;
        // The figures as the tables print them (whole tkr that add up).
        let economy = economy.in_whole(MoneyUnit::Tkr);
        let version_id = plan.budget.version.id.clone();
        let shown = economy
            .rows
            .iter()
            .find(|r| match row {
                EconomyRow::Line(line) => is_line(r) && r.line.as_ref() == Some(line),
                EconomyRow::Sum(sum) => is_total(r, sum),
            })
            .ok_or_else(|| not_found(format!("raden finns inte i ekonomin {period}")))?;
        let figure = column_figure(shown, column).ok_or_else(|| {
            not_found(format!(
                "{} har ingen uppgift {} {period}",
                shown.label,
                column.label_sv()
            ))
        })?;
        let path = |column: EconomyColumn| Some(economy_figure(&version_id, period, column, row));
        let outcome_path = match row {
            EconomyRow::Line(line) => outcome_line(&version_id, period, line, None),
            EconomyRow::Sum(sum) => outcome_sum(&version_id, period, sum),
        };
        let actual = shown.cell.actual().map(|a| a.to_date);
        let budget = shown.cell.budget();
        let mut facts = vec![
            TraceFact::text(
                "Rapport",
                format!(
                    "{}, {period} ({})",
                    plan.document.title, plan.budget.version.name
                ),
            ),
            TraceFact::text("Rad", shown.label.clone()),
        ];
        let (caption, rows, summed, rule): (&str, Vec<TracedRow>, bool, String) = match (row, column) {
            (_, EconomyColumn::Deviation) => {
                let (caption, scope) = deviation_words(row);
                (
                    caption,
                    vec![
                        traced(
                            "Budget ack",
                            budget.map(|b| b.to_date),
                            path(EconomyColumn::BudgetToDate),
                        ),
                        traced("− Utfall ack", actual.map(|a| -a), Some(outcome_path)),
                    ],
                    true,
                    format!(
                        "Avvikelse = budget ack − utfall ack{scope}: ett positivt belopp är ett överskott."
                    ),
                )
            }
            (EconomyRow::Sum(sum), _) => (
                "Raderna som summeras",
                economy
                    .rows
                    .iter()
                    .filter(|r| is_line(r) && in_sum(r, sum))
                    .filter_map(|r| {
                        let amount = column_figure(r, column)?;
                        let line = r.line.clone()?;
                        Some(traced(
                            &r.label,
                            Some(amount),
                            Some(economy_figure(
                                &version_id,
                                period,
                                column,
                                &EconomyRow::Line(line),
                            )),
                        ))
                    })
                    .collect(),
                true,
                format!(
                    "{} för {} är summan av radernas; en rad utan uppgift ingår inte.",
                    column.label_sv(),
                    sum_words(sum)
                ),
            ),
            (EconomyRow::Line(line), EconomyColumn::Budget) => {
                facts.push(TraceFact::amount(
                    &format!("Budget {} i planen", economy.year),
                    figure,
                    plan_figure_path(&plan, line, economy.year),
                ));
                (
                    "",
                    Vec::new(),
                    false,
                    "Budget år är budgetradens belopp för året i planen.".to_owned(),
                )
            }
            (EconomyRow::Line(_), EconomyColumn::BudgetToDate) => {
                let budget = budget.ok_or_else(|| not_found("raden har ingen budget".to_owned()))?;
                facts.push(TraceFact::amount(
                    "Budget år",
                    budget.annual,
                    path(EconomyColumn::Budget),
                ));
                facts.push(TraceFact::text(
                    "Månader",
                    format!("{} av årets 12", economy.months),
                ));
                facts.push(TraceFact::text("Periodisering", profile_words(budget.profile)));
                (
                    "",
                    Vec::new(),
                    false,
                    format!(
                        "Budget ack är den del av budget år som periodiseringen lägger på årets första {} månader. {ROUNDING}",
                        economy.months
                    ),
                )
            }
            (EconomyRow::Line(_), EconomyColumn::Forecast) => match shown.forecast {
                Some((ForecastMethod::Manual, _)) => {
                    facts.push(TraceFact::text(
                        "Prognos",
                        "lämnad för raden i perioden (Rapportering)",
                    ));
                    (
                        "",
                        Vec::new(),
                        false,
                        "Prognos helår är den prognos som lämnats för raden i perioden.".to_owned(),
                    )
                }
                _ => {
                    let budget =
                        budget.ok_or_else(|| not_found("raden har ingen budget".to_owned()))?;
                    facts.push(TraceFact::text(
                        "Prognos",
                        "ingen lämnad: beräknad (* i rapporten)",
                    ));
                    (
                        "Delarna av den beräknade prognosen",
                        vec![
                            traced("Utfall ack", actual, Some(outcome_path)),
                            traced("Budget år", Some(budget.annual), path(EconomyColumn::Budget)),
                            traced(
                                "− Budget ack",
                                Some(-budget.to_date),
                                path(EconomyColumn::BudgetToDate),
                            ),
                        ],
                        true,
                        "Ingen prognos är lämnad för raden: prognosen är utfall ack plus budgeten för resten av året (budget år − budget ack).".to_owned(),
                    )
                }
            },
            (EconomyRow::Line(_), EconomyColumn::ForecastDeviation) => (
                "Budget år och prognos helår",
                vec![
                    traced(
                        "Budget år",
                        budget.map(|b| b.annual),
                        path(EconomyColumn::Budget),
                    ),
                    traced(
                        "− Prognos helår",
                        shown.forecast.map(|(_, f)| -f),
                        path(EconomyColumn::Forecast),
                    ),
                ],
                true,
                "Avvikelse prognos = budget år − prognos helår: ett positivt belopp är ett överskott för året.".to_owned(),
            ),
        };
        Ok(trace(
            format!("{} {period}: {}", column.label_sv(), shown.label),
            figure,
            facts,
            (caption, rows, summed),
            Some(rule.as_str()),
        ))
    }

    /// Where the count of a cell of a plan's risk matrix of a year comes from: the risks whose
    /// assessment that holds in the year is the cell's likelihood × consequence
    /// (`styr_domain::control::risk_matrix`).
    pub async fn trace_risk_cell(
        &self,
        actor: &Actor,
        version: &str,
        year: Year,
        likelihood: u8,
        consequence: u8,
    ) -> Result<RiskCellTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let matrix = styr_domain::control::risk_matrix(&plan.control, year);
        let cell = matrix.cell(likelihood, consequence).ok_or_else(|| {
            not_found(format!(
                "riskmatrisen har ingen cell {likelihood} × {consequence}"
            ))
        })?;
        let risks = plan
            .control
            .risks
            .iter()
            .enumerate()
            .filter(|(_, r)| cell.risks.contains(&r.id))
            .map(|(index, risk)| MatrixRiskRow {
                id: risk.id.clone(),
                number: index + 1,
                title: risk.title.clone(),
                process: risk.process.clone(),
                owner: risk.owner.as_ref().map(|owner| {
                    plan.units
                        .iter()
                        .find(|u| &u.id == owner)
                        .map_or_else(|| owner.to_string(), |u| u.name.clone())
                }),
                assessment: risk.assessment(year).map_or_else(String::new, |a| {
                    format!("{}: {} × {}", a.year, a.likelihood, a.consequence)
                }),
                place: crate::trace::place(&risk.at),
            })
            .collect();
        Ok(RiskCellTrace {
            version: plan.budget.version.id.clone(),
            version_name: plan.budget.version.name.clone(),
            year,
            likelihood,
            consequence,
            band: cell.band.as_ref().map(|b| b.label.clone()),
            count: cell.risks.len(),
            risks,
        })
    }
}

/// What a deviation's trace says of its row: the caption of its parts and where the rule
/// applies (a line's outcome without bookings is 0; a total's parts are its own).
fn deviation_words(row: &EconomyRow) -> (&'static str, String) {
    match row {
        EconomyRow::Line(_) => (
            "Budget ack och utfall ack",
            " (en rad utan bokningar har utfall 0)".to_owned(),
        ),
        EconomyRow::Sum(sum) => (
            "Summans budget ack och utfall ack",
            format!(", för {}", sum_words(sum)),
        ),
    }
}

fn sum_words(sum: &OutcomeSum) -> &'static str {
    match sum {
        OutcomeSum::Table(_) => "tabellens summa",
        OutcomeSum::Operating => "driftbudgetens summa",
        OutcomeSum::Investment => "investeringarnas summa",
    }
}
