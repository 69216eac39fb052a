//! Where the rest of the statutory reports' figures come from (issue 24, item 3; the paths are
//! `styr_docgen::trace`'s):
//!
//! - the statements' budget column → KF's budget line, the stated line of `budget.csv` with
//!   its check, or the parts KF's budget computes it from; a sum → its lines
//!   ([`App::trace_statement_column`]);
//! - the statements' previous year → the accounts of the bokslut files behind it (the file's
//!   own #RES −1 / #UB −1, checked against the previous year's bokslut file when styr holds it,
//!   else said to be stated and not verifiable), or the previous year's files of the same period;
//! - a body's forecast, deviation, anslagsförändringar, budget after them and previous year's
//!   outcome in the tables per nämnd → its parts ([`App::trace_body_figure`]; their totals are
//!   `App::trace_municipal_sum`'s);
//! - every cell of the investeringsredovisning and of exploatering and finansförvaltning → the
//!   plan's budget, the ledger's outcome, the parts it is computed from, a total its rows
//!   ([`App::trace_accounts_cell`]).
//!
//! Who sees what is `trace_reports`' rule: the public sees a period's figures once a body has
//! closed the period (`statutory::period_published`).

use crate::statutory::period_published;
use crate::trace_reports::{
    ReportFigureTrace, TraceFact, account_row, not_found, period_words, place, printed_shares, row,
    trace,
};
use crate::{Actor, App, AppError, Role, TracedRow};
use styr_docgen::trace::{
    self as paths, AccountsTable, CouncilFigure, MunicipalSum, OutcomeSum, StatementColumn,
    TOTAL_ROW,
};
use styr_domain::budget::{InvestmentProject, Measure};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::number::MoneyUnit;
use styr_domain::org::BodyKind;
use styr_domain::statements::LineKind;
use styr_domain::{Id, Money, Plan};
use styr_reports::accounts::{EarlierLedgers, InvestmentAccount, earlier_parts};
use styr_reports::accounts_ledger::{
    Amounts, booked_accounts, exploitation_amounts, finance_amounts,
};
use styr_reports::budget_vs_actual::{RowKind as EconomyKind, Section};
use styr_reports::municipal::{BodyOverview, is_council};
use styr_reports::statements::{
    BudgetSource, PreviousReading, RowKind as StatementKind, budget_sources, line_accounts,
    line_previous_accounts,
};

/// A body's figure of the tables per nämnd (what [`paths::body_figure`] and the totals of
/// `trace_municipal_sum` name), as the overview computes it.
pub(crate) fn body_value(body: &BodyOverview, which: MunicipalSum) -> Option<Money> {
    match which {
        MunicipalSum::Frames => body.frame.as_ref().map(|f| f.amount),
        MunicipalSum::Budgets => body.budget,
        MunicipalSum::Outcomes => body.actual(),
        MunicipalSum::Forecasts => body.forecast(),
        MunicipalSum::Deviations => body.forecast_deviation(),
        MunicipalSum::Appropriations => Some(body.appropriation_sum()),
        MunicipalSum::BudgetsAfterChanges => body.budget_after_changes(),
        MunicipalSum::PreviousOutcomes => body.previous_actual(),
        MunicipalSum::DeviationsAfterChanges => body.deviation_after_changes(),
    }
}

/// The facts a trace of a body's figure starts with: the body, and the plan it is the figure
/// of when there is one.
fn body_facts(name: &str, plan: Option<&Plan>) -> Vec<TraceFact> {
    let mut facts = vec![TraceFact::text("Nämnd eller styrelse", name.to_owned())];
    facts.extend(plan.map(|plan| {
        TraceFact::text(
            "Plan",
            format!("{} ({})", plan.document.title, plan.budget.version.name),
        )
    }));
    facts
}

/// Where the plan writes an investment project's whole, when the plan has the project.
fn written_in(whole: Option<&InvestmentProject>) -> Option<TraceFact> {
    whole.map(|whole| TraceFact::text("Står i", place(&whole.at)))
}

impl App {
    /// Where a figure of the statements' budget or previous year's column comes from.
    pub async fn trace_statement_column(
        &self,
        actor: &Actor,
        period: Month,
        line: &str,
        column: StatementColumn,
    ) -> Result<ReportFigureTrace, AppError> {
        let (exact, kf, ledgers) = self.traced_statements(actor, period).await?;
        // The figures as the reports print them: a sum is the sum of the printed lines listed.
        let report = exact.in_whole(MoneyUnit::Tkr);
        let shown = report.row(line).ok_or_else(|| {
            not_found(format!(
                "{line:?} är ingen rad i de finansiella rapporterna"
            ))
        })?;
        let (figure, word) = match column {
            StatementColumn::Budget => (shown.budget, "budget"),
            StatementColumn::Previous => (shown.previous, "föregående år"),
        };
        let figure = figure
            .ok_or_else(|| not_found(format!("{} har ingen siffra för {word}", shown.label)))?;
        let title = format!("{} ({word}): {}", shown.label, period_words(&report));
        let part_row = |id: &str| {
            let part = report.row(id)?;
            let amount = match column {
                StatementColumn::Budget => part.budget,
                StatementColumn::Previous => part.previous,
            };
            Some(row(
                part.label.clone(),
                amount,
                amount.map(|_| paths::statement_column(period, id, column)),
            ))
        };
        let kind = styr_domain::statements::line(line).map(|l| l.kind);
        // A sum (RR's, BR's or the KFA's): the lines it sums, column by column.
        let sum_parts: Option<Vec<String>> = match kind {
            Some(LineKind::Sum(parts)) => Some(parts.iter().map(|p| (*p).to_owned()).collect()),
            None if shown.kind == StatementKind::Sum => Some(
                report
                    .cash_flow_parts(line)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            ),
            _ => None,
        };
        let mut facts = vec![TraceFact::text("Bokföring", report.sources.join(", "))];
        match column {
            StatementColumn::Budget => {
                let year = report.year;
                let council = kf
                    .council
                    .as_ref()
                    .ok_or_else(|| not_found("kommunfullmäktiges budget finns inte".to_owned()))?;
                let version = &kf.budget.version.id;
                let kf_path = |which| Some(paths::council_figure(version, which, year));
                facts.insert(
                    0,
                    TraceFact::text(
                        "Budget",
                        format!("{} ({})", kf.document.title, kf.budget.version.name),
                    ),
                );
                // The checks of the budget column against KF's totals: a stated figure's
                // finding, if any.
                for finding in report
                    .findings
                    .iter()
                    .filter(|f| f.id.starts_with("statements.budget."))
                {
                    facts.push(TraceFact::text("Avstämning", finding.message.clone()));
                }
                let is_company = |body: &Id| {
                    kf.bodies
                        .iter()
                        .any(|b| &b.id == body && b.kind == BodyKind::Company)
                };
                let parts_rows = |with_income: bool| -> Vec<TracedRow> {
                    let Some(parts) = council.result_parts(year, is_company) else {
                        return Vec::new();
                    };
                    let mut rows = Vec::new();
                    if with_income {
                        for (which, amount) in [
                            (CouncilFigure::TaxRevenue, parts.tax_revenue),
                            (CouncilFigure::Grants, parts.grants),
                            (CouncilFigure::FinancialNet, parts.financial_net),
                        ] {
                            rows.push(row(which.label_sv(), Some(amount), kf_path(which)));
                        }
                    }
                    rows.push(row(
                        "Summa ramar för nämnder och styrelser (avgår)",
                        Some(-parts.frames),
                        kf_path(CouncilFigure::Frames),
                    ));
                    for item in council.central_items.iter().filter(|i| i.year == year) {
                        rows.push(row(
                            format!("{} (central post, avgår)", item.name),
                            Some(-item.amount),
                            None,
                        ));
                    }
                    rows
                };
                // A figure that is KF's own: the line of KF's budget it is.
                let from_council = |which: CouncilFigure, rule: &'static str| {
                    (
                        "Från kommunfullmäktiges budget",
                        vec![row(which.label_sv(), Some(figure), kf_path(which))],
                        true,
                        rule,
                    )
                };
                let source = budget_sources(&kf, year).get(line).copied();
                let (caption, rows, summed, rule) = match (source, sum_parts) {
                    (Some(BudgetSource::TaxRevenue), _) => from_council(
                        CouncilFigure::TaxRevenue,
                        "Budgetkolumnens skatteintäkter är kommunfullmäktiges budgets.",
                    ),
                    (Some(BudgetSource::Grants), _) => from_council(
                        CouncilFigure::Grants,
                        "Budgetkolumnens generella statsbidrag och utjämning är kommunfullmäktiges budgets.",
                    ),
                    (Some(BudgetSource::Stated), _) => {
                        if let Some(stated) = kf
                            .statements
                            .budget
                            .iter()
                            .find(|b| b.line == line && b.year == year)
                        {
                            facts.push(TraceFact::text("Står i", place(&stated.at)));
                        }
                        (
                            "",
                            Vec::new(),
                            false,
                            "Raden är angiven i redovisningens budget (redovisning/budget.csv); summorna av raderna stäms av mot kommunfullmäktiges ramar, centrala poster, finansnetto och resultat.",
                        )
                    }
                    (Some(BudgetSource::NetCost), _) => (
                        "Delarna i kommunfullmäktiges budget",
                        parts_rows(false),
                        true,
                        "Verksamhetens nettokostnad = −(summa ramar + summa centrala poster) i kommunfullmäktiges budget, när redovisningens budget inte delar upp den i intäkter, kostnader och avskrivningar.",
                    ),
                    (Some(BudgetSource::AfterFinancial), _) => (
                        "Delarna i kommunfullmäktiges budget",
                        parts_rows(true),
                        true,
                        "Resultat efter finansiella poster = skatteintäkter + generella statsbidrag + finansnetto − summa ramar − summa centrala poster, när redovisningens budget inte delar upp de finansiella posterna.",
                    ),
                    (Some(BudgetSource::NoneStated), _) => (
                        "",
                        Vec::new(),
                        false,
                        "Ingen budget är angiven för raden i redovisningens budget (redovisning/budget.csv): den är 0.",
                    ),
                    (None, Some(parts)) => (
                        "Raderna som summeras",
                        parts.iter().filter_map(|id| part_row(id)).collect(),
                        true,
                        "En summas budget är summan av radernas.",
                    ),
                    (None, None) => {
                        return Err(not_found(format!("{} har ingen budget", shown.label)));
                    }
                };
                Ok(trace(
                    title,
                    figure,
                    facts,
                    (caption, rows, summed),
                    Some(rule),
                ))
            }
            StatementColumn::Previous => {
                let municipality = kf.municipality.id.as_str();
                let year = report.year;
                let same_period = match Month::new(year - 1, period.month()) {
                    Some(month) if period.month() < 12 => {
                        self.store
                            .statement_ledgers(municipality, month.year(), month)
                            .await?
                    }
                    _ => Vec::new(),
                };
                let words = if report.previous_same_period {
                    format!("samma period {}", year - 1)
                } else {
                    format!("{}-12-31 / helår {}", year - 1, year - 1)
                };
                facts.insert(0, TraceFact::text("Föregående år", words));
                if let Some(parts) = sum_parts {
                    return Ok(trace(
                        title,
                        figure,
                        facts,
                        (
                            "Raderna som summeras",
                            parts.iter().filter_map(|id| part_row(id)).collect(),
                            true,
                        ),
                        Some("En summas föregående år är summan av radernas."),
                    ));
                }
                let (reading, accounts) = match kind {
                    Some(LineKind::Mapped) => {
                        line_previous_accounts(&kf.statements, &ledgers, &same_period, period, line)
                    }
                    Some(LineKind::YearResult) => {
                        // BR's årets resultat: the previous year's whole result, #RES −1 of
                        // every account of the resultaträkning.
                        let mut all = Vec::new();
                        for of in styr_domain::statements::LINES
                            .iter()
                            .filter(|l| l.is_mapped() && l.id.starts_with("rr."))
                        {
                            all.extend(
                                line_previous_accounts(
                                    &kf.statements,
                                    &ledgers,
                                    &[],
                                    period,
                                    of.id,
                                )
                                .1,
                            );
                        }
                        (PreviousReading::Stated, all)
                    }
                    _ => {
                        // A line of the kassaflödesanalys: computed like the outcome, from the
                        // previous year's figures.
                        return Ok(trace(
                            title,
                            figure,
                            facts,
                            ("", Vec::new(), false),
                            Some(
                                "Kassaflödesanalysens föregående år räknas med den indirekta metoden på samma sätt som årets: föregående års resultat justerat för poster som inte påverkar likviditeten, och förändringarna av balansräkningens rader under föregående år (filernas #IB −1 och #UB −1, eller föregående års bokslutsfil för samma period).",
                            ),
                        ));
                    }
                };
                match reading {
                    PreviousReading::SamePeriod => facts.push(TraceFact::text(
                        "Källa",
                        "föregående års bokslutsfil, bokföringen till och med samma månad",
                    )),
                    PreviousReading::Stated => {
                        facts.push(TraceFact::text(
                            "Källa",
                            "angivet i årets bokslutsfil (#RES −1 för resultatkonton, #UB −1 för balanskonton)",
                        ));
                        // Checked against the previous year's own bokslut when styr holds it.
                        let december = Month::new(year - 1, 12).unwrap_or(period);
                        let earlier = self
                            .store
                            .statement_ledgers(municipality, year - 1, december)
                            .await?;
                        let from_earlier: Option<Money> = match kind {
                            _ if earlier.is_empty() => None,
                            Some(LineKind::Mapped) => Some(
                                line_accounts(&kf.statements, &earlier, december, line)
                                    .iter()
                                    .map(|a| a.outcome)
                                    .sum(),
                            ),
                            _ => None,
                        };
                        match from_earlier {
                            Some(computed) => {
                                facts.push(TraceFact::amount(
                                    &format!("Bokslutet {} i styr ger", year - 1),
                                    computed,
                                    None,
                                ));
                                facts.push(TraceFact::text(
                                    "Avstämning",
                                    // Against the exact figure: the printed one is rounded.
                                    if exact.row(line).and_then(|r| r.previous) == Some(computed) {
                                        "stämmer med föregående års bokslut".to_owned()
                                    } else {
                                        "stämmer inte med föregående års bokslut; båda visas"
                                            .to_owned()
                                    },
                                ));
                            }
                            None => facts.push(TraceFact::text(
                                "Avstämning",
                                format!(
                                    "angiven, kan inte verifieras ur data: styr har ingen bokslutsfil för {}. Siffran står som den är angiven.",
                                    year - 1
                                ),
                            )),
                        }
                    }
                }
                // The previous year's amounts have no vouchers in this period's file.
                let rows = printed_shares(
                    accounts
                        .iter()
                        .map(|a| account_row(a, a.outcome, period, false))
                        .collect(),
                    figure,
                );
                Ok(trace(
                    title,
                    figure,
                    facts,
                    ("Kontona som summeras", rows, true),
                    Some(
                        "Kontona hör till raden enligt kommunfullmäktiges Kommun-Bas-mappning (redovisning/kommunbas.csv), med rapportens tecken.",
                    ),
                ))
            }
        }
    }

    /// Where a body's forecast, deviation, anslagsförändringar, budget after them or previous
    /// year's outcome in the tables per nämnd comes from.
    pub async fn trace_body_figure(
        &self,
        actor: &Actor,
        period: Month,
        body: &str,
        which: MunicipalSum,
    ) -> Result<ReportFigureTrace, AppError> {
        if !which.per_body() {
            return Err(not_found(format!(
                "{} spåras i nämndens plan och rapport",
                which.slug()
            )));
        }
        let overview = self.traced_overview(actor, period).await?;
        let shown = overview
            .bodies
            .iter()
            .find(|b| b.body.as_str() == body)
            .ok_or_else(|| not_found(format!("{body:?} är ingen nämnd i kommunen")))?;
        let figure = body_value(shown, which)
            .ok_or_else(|| not_found(format!("{} har ingen sådan siffra", shown.name)))?;
        let year = period.year();
        let mut facts = body_facts(&shown.name, None);
        let own = |which| Some(paths::body_figure(period, &shown.body, which));
        let (title, caption, rows, rule) = match which {
            MunicipalSum::Forecasts | MunicipalSum::Deviations | MunicipalSum::PreviousOutcomes => {
                let plan_of = shown
                    .plan
                    .as_ref()
                    .ok_or_else(|| not_found(format!("{} har ingen plan", shown.name)))?;
                let plan = self.traced_plan(actor, plan_of.version.as_str()).await?;
                let month = if which == MunicipalSum::PreviousOutcomes {
                    Month::new(year - 1, period.month())
                        .ok_or_else(|| not_found("inget föregående år".to_owned()))?
                } else {
                    period
                };
                // The lines as the body's report prints them, which its total is the sum of.
                let economy = self.economy(&plan, month).await?.in_whole(MoneyUnit::Tkr);
                let version = &plan.budget.version.id;
                facts.push(TraceFact::text(
                    "Nämndens uppföljning",
                    format!(
                        "{} ({}), {month}",
                        plan.document.title, plan.budget.version.name
                    ),
                ));
                if which != MunicipalSum::PreviousOutcomes
                    && let Some(actual) = shown.actual()
                {
                    facts.push(TraceFact::amount(
                        "Utfall ack (nämndens egen rapport)",
                        actual,
                        Some(paths::outcome_sum(version, period, &OutcomeSum::Operating)),
                    ));
                }
                let rows: Vec<TracedRow> = economy
                    .rows
                    .iter()
                    .filter(|r| r.kind == EconomyKind::Line && r.section == Section::Operating)
                    .filter_map(|r| {
                        let (label, amount) = match which {
                            MunicipalSum::Forecasts => {
                                let (_, forecast) = r.forecast?;
                                let label = if r.forecast_computed {
                                    format!("{} (beräknad *)", r.label)
                                } else {
                                    format!("{} (lämnad)", r.label)
                                };
                                (label, forecast)
                            }
                            MunicipalSum::Deviations => (r.label.clone(), r.forecast_deviation?),
                            _ => (r.label.clone(), r.cell.actual()?.to_date),
                        };
                        // A line's own outcome trace (this period's report).
                        let path = (which != MunicipalSum::PreviousOutcomes)
                            .then_some(r.line.as_ref())
                            .flatten()
                            .map(|line| paths::outcome_line(version, period, line, None));
                        Some(row(label, Some(amount), path))
                    })
                    .collect();
                match which {
                    MunicipalSum::Forecasts => (
                        format!("Prognos helår {year}"),
                        "Driftbudgetens rader och deras prognoser",
                        rows,
                        "Helårsprognosen är raden Summa driftbudget i nämndens egen driftredovisning: summan av radernas prognoser. En rads prognos är den som lämnats, annars beräknad som utfall ack plus budgeten för resten av året (*).",
                    ),
                    MunicipalSum::Deviations => (
                        format!("Avvikelse {year}"),
                        "Driftbudgetens rader och deras avvikelser",
                        rows,
                        "Avvikelse = budget år − prognos helår, rad för rad; summan är raden Summa driftbudget i nämndens egen driftredovisning. Ett positivt belopp är ett överskott.",
                    ),
                    _ => (
                        format!("Utfall samma period {}", year - 1),
                        "Driftbudgetens rader och deras utfall",
                        rows,
                        "Föregående års utfall för samma period är raden Summa driftbudget i nämndens budget mot utfall för samma månad ett år tidigare, ur den bokföring styr har för det året.",
                    ),
                }
            }
            MunicipalSum::Appropriations => {
                if let Some(council) = &overview.council {
                    facts.push(TraceFact::text("Beslutade av", council.title.clone()));
                }
                (
                    format!("Anslagsförändringar {year}"),
                    "Kommunfullmäktiges beslut om anslagsförändringar till och med periodens slut",
                    shown
                        .appropriations
                        .iter()
                        .map(|c| {
                            row(
                                format!(
                                    "{}, {} ({}): {} [{}]",
                                    c.kind.label_sv(),
                                    c.decision,
                                    c.date,
                                    c.text,
                                    place(&c.at)
                                ),
                                Some(c.amount),
                                None,
                            )
                        })
                        .collect(),
                    "Anslagsförändringar är kommunfullmäktiges beslut under året om tilläggsanslag och ombudgeteringar, daterade till och med periodens sista dag.",
                )
            }
            MunicipalSum::BudgetsAfterChanges => (
                format!("Budget efter förändringar {year}"),
                "Delarna",
                vec![
                    row(
                        "Budget (ram)",
                        shown.frame.as_ref().map(|f| f.amount),
                        styr_docgen::municipal::frame_trace(&overview, shown),
                    ),
                    row(
                        "Anslagsförändringar",
                        Some(shown.appropriation_sum()),
                        own(MunicipalSum::Appropriations),
                    ),
                ],
                "Budget efter förändringar = ram + summa anslagsförändringar.",
            ),
            _ => (
                format!("Avvikelse efter förändringar {year}"),
                "Delarna",
                vec![
                    row(
                        "Budget efter förändringar",
                        shown.budget_after_changes(),
                        own(MunicipalSum::BudgetsAfterChanges),
                    ),
                    row(
                        "Prognos helår (avgår)",
                        shown.forecast().map(|f| -f),
                        own(MunicipalSum::Forecasts),
                    ),
                ],
                "Avvikelse = budget efter förändringar − prognos för helåret (vid årets slut är prognosen utfallet): ett positivt belopp är ett överskott.",
            ),
        };
        Ok(trace(
            format!("{title}: {}", shown.name),
            figure,
            facts,
            (caption, rows, true),
            Some(rule),
        ))
    }

    /// Where a cell of the investeringsredovisning or of exploatering and finansförvaltning
    /// comes from (`column` one of `table.columns()`, `row` a project or row id, or
    /// [`TOTAL_ROW`]).
    pub async fn trace_accounts_cell(
        &self,
        actor: &Actor,
        period: Month,
        table: AccountsTable,
        body: &str,
        row_id: &str,
        column: &str,
    ) -> Result<ReportFigureTrace, AppError> {
        if !table.columns().contains(&column) {
            return Err(not_found(format!("{column:?} är ingen kolumn")));
        }
        let plans = self.body_plans(actor, None).await?;
        if actor.role == Role::Public && !period_published(&plans, period) {
            return Err(not_found(format!("{period} är inte publicerad")));
        }
        let plan = plans
            .iter()
            .find(|p| p.document.body.as_str() == body && !is_council(p))
            .ok_or_else(|| not_found(format!("{body:?} är ingen nämnd med en plan")))?;
        let accounts = self
            .statutory_accounts(actor, Some(plan.municipality.id.as_str()), period)
            .await?;
        let body_id = plan.document.body.clone();
        let cell_path = |row: &Id, column: &str| {
            Some(paths::accounts_cell(period, table, &body_id, row, column))
        };
        match table {
            AccountsTable::Investment => {
                let (_, name, investments) = accounts
                    .investments
                    .iter()
                    .find(|(b, _, _)| b == &body_id)
                    .ok_or_else(|| not_found(format!("{body:?} har ingen investeringsbudget")))?;
                let value = |r: &InvestmentAccount| investment_value(r, column);
                if row_id == TOTAL_ROW {
                    let figure = value(&investments.total)
                        .ok_or_else(|| not_found("summan saknas".to_owned()))?;
                    let rows = investments
                        .rows
                        .iter()
                        .filter_map(|r| {
                            let amount = value(r)?;
                            Some(row(
                                r.name.clone(),
                                Some(amount),
                                cell_path(&r.project, column),
                            ))
                        })
                        .collect();
                    return Ok(trace(
                        format!(
                            "{}: {}, {}",
                            column_label(table, column),
                            investments.total.name,
                            name
                        ),
                        figure,
                        body_facts(name, None),
                        ("Projekten som summeras", rows, true),
                        Some("Summaraden är summan av projektens rader."),
                    ));
                }
                let r = investments
                    .rows
                    .iter()
                    .find(|r| r.project.as_str() == row_id)
                    .ok_or_else(|| not_found(format!("{row_id:?} är inget projekt")))?;
                let figure =
                    value(r).ok_or_else(|| not_found(format!("{} saknar siffran", r.name)))?;
                self.investment_cell(plan, period, r, column, figure, name)
                    .await
            }
            AccountsTable::Exploitation | AccountsTable::Finance => {
                let exploitation = table == AccountsTable::Exploitation;
                let found: Option<(String, Vec<LedgerCell>, LedgerCell)> =
                    if exploitation {
                        accounts
                            .exploitation
                            .iter()
                            .find(|(b, _, _)| b == &body_id)
                            .map(|(_, name, a)| {
                                (
                                    name.clone(),
                                    a.rows.iter().map(LedgerCell::exploitation).collect(),
                                    LedgerCell::exploitation(&a.total),
                                )
                            })
                    } else {
                        accounts.finance.iter().find(|(b, _, _)| b == &body_id).map(
                            |(_, name, a)| {
                                (
                                    name.clone(),
                                    a.rows.iter().map(LedgerCell::finance).collect(),
                                    LedgerCell::finance(&a.total),
                                )
                            },
                        )
                    };
                let (name, rows, total) =
                    found.ok_or_else(|| not_found(format!("{body:?} har ingen sådan budget")))?;
                if row_id == TOTAL_ROW {
                    let figure = total
                        .value(column)
                        .ok_or_else(|| not_found("summan saknas".to_owned()))?;
                    let listed = rows
                        .iter()
                        .filter_map(|r| {
                            let amount = r.value(column)?;
                            Some(row(r.label.clone(), Some(amount), cell_path(&r.id, column)))
                        })
                        .collect();
                    return Ok(trace(
                        format!("{}: {}, {name}", column_label(table, column), total.label),
                        figure,
                        body_facts(&name, None),
                        ("Raderna som summeras", listed, true),
                        Some("Summaraden är summan av raderna."),
                    ));
                }
                let r = rows
                    .iter()
                    .find(|r| r.id.as_str() == row_id)
                    .ok_or_else(|| not_found(format!("{row_id:?} är ingen rad")))?;
                let figure = r
                    .value(column)
                    .ok_or_else(|| not_found(format!("{} saknar siffran", r.label)))?;
                self.ledger_cell(plan, period, exploitation, r, column, figure, &name)
                    .await
            }
        }
    }

    /// One project's cell of the investeringsredovisning.
    async fn investment_cell(
        &self,
        plan: &Plan,
        period: Month,
        r: &InvestmentAccount,
        column: &str,
        figure: Money,
        name: &str,
    ) -> Result<ReportFigureTrace, AppError> {
        let year = period.year();
        let version = &plan.budget.version.id;
        let body = &plan.document.body;
        let own = |column: &str| {
            Some(paths::accounts_cell(
                period,
                AccountsTable::Investment,
                body,
                &r.project,
                column,
            ))
        };
        let whole = plan.budget.investment.project(&r.project);
        let line = BudgetLineRef::Investment {
            project: r.project.clone(),
        };
        let mut facts = body_facts(name, Some(plan));
        let title = format!(
            "{}: {}",
            column_label(AccountsTable::Investment, column),
            r.name
        );
        let (caption, rows, summed, rule): (&str, Vec<TracedRow>, bool, &str) = match column {
            "beslutad" => {
                let decision = whole.and_then(|w| w.decision.as_ref());
                facts.extend(decision.map(|d| TraceFact::text("Beslut", d.to_string())));
                facts.extend(written_in(whole));
                (
                    "",
                    Vec::new(),
                    false,
                    "Beslutad totalutgift är projektets hela utgift enligt beslut, som planen anger den.",
                )
            }
            "tidigare-ar" => {
                let (_, earlier) = self.ledger_years(plan, period).await?;
                // Each year as the investeringsredovisning prints it (whole tkr).
                let ledgers = EarlierLedgers::from_amounts(&plan.ledger, &earlier, period)
                    .in_whole(MoneyUnit::Tkr);
                let parts = earlier_parts(whole, &r.project, &ledgers, year);
                let mut rows = Vec::new();
                if let Some((until, amount)) = parts.stated {
                    rows.push(row(
                        match until {
                            Some(until) => format!("Angivet utfall till och med {until}"),
                            None => "Angivet utfall".to_owned(),
                        },
                        Some(amount),
                        None,
                    ));
                    facts.extend(written_in(whole));
                }
                for (y, amount) in &parts.years {
                    rows.push(row(
                        match amount {
                            Some(_) => format!("Bokföringen {y}"),
                            None => format!("Bokföringen {y}: saknas i styr"),
                        },
                        *amount,
                        None,
                    ));
                }
                (
                    "Delarna",
                    rows,
                    true,
                    "Utfall tidigare år är angivet utfall till och med ett år plus bokföringen för åren därefter, projektets konton enligt planens kontoregler. Ett år utan bokföring i styr saknas och gör summan ofullständig.",
                )
            }
            "utfall-ar" => (
                "Nämndens rapport",
                vec![row(
                    format!("Utfall {}, {}", period, r.name),
                    Some(figure),
                    Some(paths::outcome_line(version, period, &line, None)),
                )],
                true,
                "Årets utfall är projektets utfall hittills i nämndens budget mot utfall: bokföringen på projektets konton.",
            ),
            "hittills" => (
                "Delarna",
                vec![
                    row("Utfall tidigare år", r.earlier, own("tidigare-ar")),
                    row(format!("Utfall {year}"), r.year_actual, own("utfall-ar")),
                ],
                true,
                "Utfall hittills = utfall tidigare år + årets utfall.",
            ),
            "beraknad" if r.forecast_total_reported => {
                facts.extend(written_in(whole));
                (
                    "",
                    Vec::new(),
                    false,
                    "Beräknad totalutgift är den som rapporterats för projektet.",
                )
            }
            "beraknad" => {
                let mut rows = vec![row("Utfall tidigare år", r.earlier, own("tidigare-ar"))];
                match r.year_forecast {
                    Some(forecast) => rows.push(row(
                        format!("Prognos {year}"),
                        Some(forecast),
                        own("prognos-ar"),
                    )),
                    None => rows.push(row(
                        format!("Budget {year}"),
                        r.year_budget,
                        own("budget-ar"),
                    )),
                }
                if let Some(budget) = plan.budget.investment.lines().find(|l| l.id == r.project) {
                    for (y, amount) in budget.amounts.iter().filter(|(y, _)| **y > year) {
                        rows.push(row(
                            format!("Budget {y}"),
                            Some(*amount),
                            Some(paths::plan_investment(version, &r.project, Some(*y))),
                        ));
                    }
                }
                (
                    "Delarna",
                    rows,
                    true,
                    "Beräknad totalutgift, när ingen är rapporterad: utfall tidigare år + årets prognos (annars årets budget) + budgeten för kommande år (markerad *).",
                )
            }
            "avvikelse" => (
                "Delarna",
                vec![
                    row("Beslutad totalutgift", r.decided_total, own("beslutad")),
                    row(
                        "Beräknad totalutgift (avgår)",
                        r.forecast_total.map(|m| -m),
                        own("beraknad"),
                    ),
                ],
                true,
                "Avvikelse = beslutad − beräknad totalutgift: ett positivt belopp är under beslutad utgift.",
            ),
            "budget-ar" => (
                "Planens investeringsbudget",
                vec![row(
                    format!("Budget {year}, {}", r.name),
                    Some(figure),
                    Some(paths::plan_investment(version, &r.project, Some(year))),
                )],
                true,
                "Årets budget är planens investeringsbudget för projektet och året.",
            ),
            "utfall-foregaende-ar" => {
                facts.push(TraceFact::text(
                    "Bokföring",
                    format!(
                        "{} januari–{}, projektets konton enligt planens kontoregler",
                        year - 1,
                        styr_domain::followup::month_name(period.month())
                    ),
                ));
                (
                    "",
                    Vec::new(),
                    false,
                    "Utfallet samma period föregående år är bokföringen på projektet från årets början till och med samma månad ett år tidigare.",
                )
            }
            "prognos-ar" => {
                facts.push(TraceFact::text(
                    "Prognos",
                    if r.year_forecast_computed {
                        "beräknad: ingen prognos är lämnad, så den är utfall ack plus budgeten för resten av året"
                    } else {
                        "lämnad av nämnden för perioden"
                    },
                ));
                (
                    "Nämndens rapport",
                    vec![row(
                        format!("Utfall {period}, {}", r.name),
                        r.year_actual,
                        Some(paths::outcome_line(version, period, &line, None)),
                    )],
                    false,
                    "Årets prognos är projektets prognos för helåret i nämndens budget mot utfall.",
                )
            }
            _ => (
                "Delarna",
                vec![
                    row(format!("Budget {year}"), r.year_budget, own("budget-ar")),
                    row(
                        format!("Prognos {year} (avgår)"),
                        r.year_forecast.map(|m| -m),
                        own("prognos-ar"),
                    ),
                ],
                true,
                "Avvikelse = årets budget − årets prognos.",
            ),
        };
        Ok(trace(
            title,
            figure,
            facts,
            (caption, rows, summed),
            Some(rule),
        ))
    }

    /// One row's cell of exploatering or finansförvaltning against the ledger.
    #[allow(clippy::too_many_arguments)]
    async fn ledger_cell(
        &self,
        plan: &Plan,
        period: Month,
        exploitation: bool,
        r: &LedgerCell,
        column: &str,
        figure: Money,
        name: &str,
    ) -> Result<ReportFigureTrace, AppError> {
        let table = if exploitation {
            AccountsTable::Exploitation
        } else {
            AccountsTable::Finance
        };
        let year = period.year();
        let version = &plan.budget.version.id;
        let own = |column: &str| {
            Some(paths::accounts_cell(
                period,
                table,
                &plan.document.body,
                &r.id,
                column,
            ))
        };
        let facts = body_facts(name, Some(plan));
        let title = format!("{}: {}", column_label(table, column), r.label);
        let measure = |column: &str| {
            if column.ends_with("intakter") {
                Measure::Income
            } else if column.ends_with("kostnader") {
                Measure::Cost
            } else {
                Measure::Net
            }
        };
        let pick = |a: Amounts, measure: Measure| match measure {
            Measure::Income => a.income,
            Measure::Cost => a.cost,
            Measure::Net => a.net,
        };
        let (caption, rows, rule): (&str, Vec<TracedRow>, &str) = match column {
            "budget-intakter" | "budget-kostnader" | "budget-netto" => {
                let measure = measure(column);
                let path = if exploitation {
                    paths::plan_exploitation(version, &r.id, measure)
                } else {
                    paths::plan_finance(version, &r.id, measure, year)
                };
                (
                    "Planens budget",
                    vec![row(r.label.clone(), Some(figure), Some(path))],
                    "Budgeten är planens för raden och året (nettot, när planen inte anger det, intäkter + kostnader).",
                )
            }
            "avvikelse" => {
                let (actual, budget) = (r.actual.map(|a| a.net), r.budget.map(|b| b.net));
                let rows = if exploitation {
                    vec![
                        row("Utfall netto", actual, own("utfall-netto")),
                        row(
                            "Budget netto (avgår)",
                            budget.map(|m| -m),
                            own("budget-netto"),
                        ),
                    ]
                } else {
                    vec![
                        row("Budget netto", budget, own("budget-netto")),
                        row(
                            "Utfall netto (avgår)",
                            actual.map(|m| -m),
                            own("utfall-netto"),
                        ),
                    ]
                };
                (
                    "Delarna",
                    rows,
                    if exploitation {
                        "Exploateringens avvikelse = utfall netto − budget netto (budgetens tecken): ett positivt belopp är bättre än budget."
                    } else {
                        "Finansförvaltningens avvikelse = budget netto − utfall netto (bokföringens tecken): ett positivt belopp är bättre än budget."
                    },
                )
            }
            _ => {
                // An outcome: the ledger's credits and debits per account, this year's or the
                // previous year's same period.
                let (this_year, earlier) = self.ledger_years(plan, period).await?;
                let (amounts, booked_year, measure) = if column == "utfall-foregaende-ar" {
                    (&earlier, year - 1, Measure::Net)
                } else {
                    (&this_year, year, measure(column))
                };
                let accounts = booked_accounts(
                    &plan.ledger,
                    amounts,
                    booked_year,
                    period.month(),
                    exploitation,
                    &r.id,
                );
                let exact: Vec<(String, Money)> = accounts
                    .into_iter()
                    .map(|(account, booked)| {
                        let amounts = if exploitation {
                            exploitation_amounts(booked)
                        } else {
                            finance_amounts(booked)
                        };
                        (account, pick(amounts, measure))
                    })
                    .filter(|(_, amount)| *amount != Money::ZERO)
                    .collect();
                // The accounts in whole tkr that add up to the figure as printed (each within
                // one tkr of its exact amount; the vouchers behind them are exact).
                let rows = printed_shares(
                    exact
                        .into_iter()
                        .map(|(account, amount)| {
                            row(format!("Konto {account}"), Some(amount), None)
                        })
                        .collect(),
                    figure,
                );
                (
                    "Kontona som summeras",
                    rows,
                    if exploitation {
                        "Utfallet är bokföringen på raden enligt planens kontoregler från årets början till och med perioden: kredit är intäkt, debet kostnad, i budgetens tecken (intäkter positiva)."
                    } else {
                        "Utfallet är bokföringen på raden enligt planens kontoregler från årets början till och med perioden, i bokföringens tecken (intäkter negativa)."
                    },
                )
            }
        };
        Ok(trace(
            title,
            figure,
            facts,
            (caption, rows, true),
            Some(rule),
        ))
    }
}

/// A row of exploatering or finansförvaltning, the same for both.
struct LedgerCell {
    id: Id,
    label: String,
    budget: Option<Amounts>,
    budget_split: bool,
    actual: Option<Amounts>,
    deviation: Option<Money>,
    previous: Option<Amounts>,
}

impl LedgerCell {
    fn exploitation(r: &styr_reports::accounts_ledger::ExploitationAccount) -> LedgerCell {
        LedgerCell {
            id: r.id.clone(),
            label: if r.project.is_empty() {
                r.name.clone()
            } else {
                format!("{} {}", r.project, r.name)
            },
            budget: r.budget,
            budget_split: r.budget_split,
            actual: r.actual,
            deviation: r.deviation,
            previous: r.previous,
        }
    }

    fn finance(r: &styr_reports::accounts_ledger::FinanceAccount) -> LedgerCell {
        LedgerCell {
            id: r.id.clone(),
            label: r.name.clone(),
            budget: r.budget,
            budget_split: r.budget_split,
            actual: r.actual,
            deviation: r.deviation,
            previous: r.previous,
        }
    }

    /// The figure the document prints in `column` (`docgen::accounts`' cells).
    fn value(&self, column: &str) -> Option<Money> {
        let split =
            |a: Option<Amounts>, split: bool, f: fn(Amounts) -> Money| a.filter(|_| split).map(f);
        match column {
            "budget-intakter" => split(self.budget, self.budget_split, |a| a.income),
            "budget-kostnader" => split(self.budget, self.budget_split, |a| a.cost),
            "budget-netto" => self.budget.map(|a| a.net),
            "utfall-intakter" => self.actual.map(|a| a.income),
            "utfall-kostnader" => self.actual.map(|a| a.cost),
            "utfall-netto" => self.actual.map(|a| a.net),
            "avvikelse" => self.deviation,
            "utfall-foregaende-ar" => self.previous.map(|a| a.net),
            _ => None,
        }
    }
}

/// The figure of an investeringsredovisning's cell (`docgen::accounts`' cells).
fn investment_value(r: &InvestmentAccount, column: &str) -> Option<Money> {
    match column {
        "beslutad" => r.decided_total,
        "tidigare-ar" => r.earlier,
        "utfall-ar" => r.year_actual,
        "hittills" => r.to_date,
        "beraknad" => r.forecast_total,
        "avvikelse" => r.deviation,
        "budget-ar" => r.year_budget,
        "utfall-foregaende-ar" => r.previous_same_period,
        "prognos-ar" => r.year_forecast,
        "avvikelse-ar" => r.year_deviation,
        _ => None,
    }
}

/// A column's heading in words.
fn column_label(table: AccountsTable, column: &str) -> &'static str {
    match (table, column) {
        (AccountsTable::Investment, "beslutad") => "Beslutad totalutgift",
        (AccountsTable::Investment, "tidigare-ar") => "Utfall tidigare år",
        (AccountsTable::Investment, "utfall-ar") => "Utfall året",
        (AccountsTable::Investment, "hittills") => "Utfall hittills",
        (AccountsTable::Investment, "beraknad") => "Beräknad totalutgift",
        (AccountsTable::Investment, "avvikelse") => "Avvikelse mot beslutad totalutgift",
        (AccountsTable::Investment, "budget-ar") => "Budget året",
        (AccountsTable::Investment, "prognos-ar") => "Prognos året",
        (AccountsTable::Investment, "avvikelse-ar") => "Avvikelse året",
        (_, "budget-intakter") => "Budget intäkter",
        (_, "budget-kostnader") => "Budget kostnader",
        (_, "budget-netto") => "Budget netto",
        (_, "utfall-intakter") => "Utfall intäkter",
        (_, "utfall-kostnader") => "Utfall kostnader",
        (_, "utfall-netto") => "Utfall netto",
        (_, "avvikelse") => "Avvikelse netto",
        _ => "Utfall samma period föregående år",
    }
}
