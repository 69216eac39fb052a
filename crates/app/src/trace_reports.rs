//! Where a figure of the municipality's reports comes from (issue 24, item 3): the use cases
//! behind the traces of the municipal report, the årsredovisning and the delårsrapport, and
//! `/kommun` (`styr_docgen::trace` names the paths; `crate::trace` does the plan's and a
//! body's report's figures).
//!
//! - a body's frame → KF's decision (or the body's own plan's frame) and the body's allocation
//!   of it ([`App::trace_frame`]); the allocation → the rows it sums
//!   ([`App::trace_allocation`]); a figure of KF's budget → its line, the result → its parts,
//!   Σ ramar → the frames ([`App::trace_council_figure`]);
//! - a total of the table per nämnd → the bodies' figures ([`App::trace_municipal_sum`]); a
//!   company's row → its ägarandel, KF's resultatkrav and its own budget
//!   ([`App::trace_company`]); koncernens resultat → its rows ([`App::trace_koncern`]);
//! - a line of RR or BR → the bokslut accounts it sums, through KF's Kommun-Bas mapping; a sum
//!   or a KFA section → the lines it sums ([`App::trace_statement_line`]); a row of the
//!   balanskravsutredning → its inputs ([`App::trace_balance_requirement`]).
//!
//! Every trace is one [`ReportFigureTrace`]: the figure as printed, facts about it, and the rows it
//! is made of with their own traces. Who sees what: a plan's figures follow the plan's
//! visibility (the public sees decided plans only); the municipality's figures of a period are
//! the statutory report's (the public sees a period once a body has closed it); the sums per
//! account are public then, the vouchers never are.

use crate::statutory::period_published;
use crate::{Actor, App, AppError, PlanSelector, Role, TracedRow};
use styr_docgen::trace::{self as paths, CouncilFigure, MunicipalSum, OutcomeSum};
use styr_domain::budget::RowKind;
use styr_domain::ledger::Month;
use styr_domain::number::MoneyUnit;
use styr_domain::org::BodyKind;
use styr_domain::statements::{AccountTag, BalanceItemKind, LineKind};
use styr_domain::{Id, Money, Plan, Year};
use styr_reports::municipal::{FrameSource, MunicipalOverview, is_council};
use styr_reports::statements::{AccountFigure, RowKind as StatementKind, StatementsReport};

/// One fact about a figure: a label and a text, or an amount, with a trace to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceFact {
    pub label: String,
    pub text: Option<String>,
    pub amount: Option<Money>,
    pub path: Option<String>,
}

impl TraceFact {
    pub(crate) fn text(label: &str, text: impl Into<String>) -> TraceFact {
        TraceFact {
            label: label.to_owned(),
            text: Some(text.into()),
            amount: None,
            path: None,
        }
    }

    pub(crate) fn amount(label: &str, amount: Money, path: Option<String>) -> TraceFact {
        TraceFact {
            label: label.to_owned(),
            text: None,
            amount: Some(amount),
            path,
        }
    }
}

/// Where a figure of the municipality's reports comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFigureTrace {
    /// What the figure is ("Ram 2021: Kommunstyrelsen").
    pub title: String,
    /// The figure as the report prints it; `None` when it prints none (–).
    pub figure: Option<Money>,
    /// Amounts in whole tkr (the municipality's reports) rather than tkr as the plan states
    /// them.
    pub whole_tkr: bool,
    pub facts: Vec<TraceFact>,
    /// What the rows are ("Kontona som summeras").
    pub rows_caption: String,
    pub rows: Vec<TracedRow>,
    /// Whether the rows sum to the figure (a total row is shown); else they are its sources.
    pub summed: bool,
    /// The rule in words, when the figure is computed by one.
    pub rule: Option<String>,
}

impl ReportFigureTrace {
    /// The sum of the rows listed.
    pub fn sum(&self) -> Money {
        self.rows.iter().filter_map(|r| r.amount).sum()
    }
}

/// A row of a trace.
pub(crate) fn row(
    label: impl Into<String>,
    amount: Option<Money>,
    path: Option<String>,
) -> TracedRow {
    TracedRow {
        label: label.into(),
        amount,
        path,
    }
}

/// A trace of a printed figure in whole tkr (the municipality's reports and a body's
/// follow-up report): its facts, the rows it is made of (`caption`; `summed` when they sum to
/// it) and the rule.
pub(crate) fn trace(
    title: String,
    figure: Money,
    facts: Vec<TraceFact>,
    (caption, rows, summed): (&str, Vec<TracedRow>, bool),
    rule: Option<&str>,
) -> ReportFigureTrace {
    ReportFigureTrace {
        title,
        figure: Some(figure),
        whole_tkr: true,
        facts,
        rows_caption: caption.to_owned(),
        rows,
        summed,
        rule: rule.map(str::to_owned),
    }
}

pub(crate) fn not_found(what: String) -> AppError {
    AppError::NotFound(what)
}

fn selector_of(actor: &Actor, version: &str) -> PlanSelector {
    PlanSelector {
        municipality: actor.municipality.clone(),
        body: None,
        version: Some(version.to_owned()),
    }
}

pub(crate) fn place(at: &styr_domain::Location) -> String {
    if at.line > 0 {
        format!("{}:{}", at.file, at.line)
    } else {
        at.file.clone()
    }
}

fn body_name(plan: &Plan, body: &Id) -> String {
    plan.body(body)
        .map_or_else(|| body.to_string(), |b| b.name.clone())
}

/// The rows a body's allocation of a year sums: the summary table's lines when the plan has
/// one, else each table's computed sum (`Budget::operating_total`'s rule), each with its trace.
fn allocation_rows(plan: &Plan, year: Year) -> (String, Vec<TracedRow>) {
    let version = &plan.budget.version.id;
    let budget = &plan.budget;
    if let Some(summary) = budget.operating.iter().find(|table| table.summary) {
        let rows = summary
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Line)
            .filter_map(|r| {
                let amount = *r.amounts.get(&year)?;
                Some(TracedRow {
                    label: r.name.clone(),
                    amount: Some(amount),
                    path: Some(paths::plan_cell(version, &summary.id, &r.id, year)),
                })
            })
            .collect();
        return (format!("Raderna i {}", summary.title), rows);
    }
    let rows = budget
        .operating
        .iter()
        .filter_map(|table| {
            let sum = table.sum(year)?;
            let total = table.rows.iter().find(|r| r.kind == RowKind::Total);
            Some(TracedRow {
                label: table.title.clone(),
                amount: Some(sum),
                path: total.map(|r| paths::plan_cell(version, &table.id, &r.id, year)),
            })
        })
        .collect();
    ("Driftbudgetens tabeller".to_owned(), rows)
}

/// `rows` (the exact amounts behind a printed figure) in whole tkr that add up to `printed`, the
/// figure as the report prints it: each close to its exact amount (`whole_shares`, the largest
/// remainder), so the trace sums to what the reader clicked; the vouchers behind a row stay
/// exact.
pub(crate) fn printed_shares(rows: Vec<TracedRow>, printed: Money) -> Vec<TracedRow> {
    let exact: Vec<Money> = rows
        .iter()
        .map(|row| row.amount.unwrap_or(Money::ZERO))
        .collect();
    let shares = styr_reports::whole_shares(&exact, printed, MoneyUnit::Tkr);
    rows.into_iter()
        .zip(shares)
        .map(|(row, share)| TracedRow {
            amount: row.amount.map(|_| share),
            ..row
        })
        .collect()
}

/// One account as a row of a trace; for a logged-in actor (`vouchers`) it leads to the
/// account's vouchers of the period (`App::statement_account_vouchers`).
pub(crate) fn account_row(
    account: &AccountFigure,
    amount: Money,
    period: Month,
    vouchers: bool,
) -> TracedRow {
    TracedRow {
        label: format!("Konto {} ({})", account.account, account.file),
        amount: Some(amount),
        path: vouchers.then(|| paths::statement_account(period, &account.file, &account.account)),
    }
}

impl App {
    /// A plan of a trace by its version: visible to the actor (the public: decided only), with
    /// its package's locations.
    pub(crate) async fn traced_plan(&self, actor: &Actor, version: &str) -> Result<Plan, AppError> {
        self.document_plan(actor, &selector_of(actor, version))
            .await
    }

    /// The latest plan of `body` the actor may read, if any.
    async fn plan_of_body(
        &self,
        actor: &Actor,
        municipality: &str,
        body: &Id,
    ) -> Result<Option<Plan>, AppError> {
        Ok(self
            .body_plans(actor, Some(municipality))
            .await?
            .into_iter()
            .find(|p| &p.document.body == body && !is_council(p)))
    }

    /// Where a body's frame of a year comes from: in KF's plan, KF's frame with its decision;
    /// in the body's own plan, the frame it states. Beside it the body's own plan's allocation
    /// of the year and what is left of the frame.
    pub async fn trace_frame(
        &self,
        actor: &Actor,
        version: &str,
        body: &str,
        year: Year,
    ) -> Result<ReportFigureTrace, AppError> {
        let plan = self.traced_plan(actor, version).await?;
        let body = Id::parse(body).map_err(|_| not_found(format!("{body:?} är ingen nämnd")))?;
        let name = body_name(&plan, &body);
        let mut facts = Vec::new();
        let (amount, own) = match plan
            .council
            .as_ref()
            .and_then(|c| c.frame(&body, year).map(|f| (c, f)))
        {
            Some((council, frame)) => {
                facts.push(TraceFact::text(
                    "Beslut",
                    council
                        .frame_decision(frame)
                        .map_or_else(|| "inget beslut angivet".to_owned(), Id::to_string),
                ));
                facts.push(TraceFact::text(
                    "Står i",
                    format!("{}, {}", place(&frame.at), plan.budget.version.name),
                ));
                (frame.amount, None)
            }
            None if plan.document.body == body => {
                let frame = plan
                    .budget
                    .frame(year)
                    .ok_or_else(|| not_found(format!("{name}s plan har ingen ram för {year}")))?;
                if let Some(decision) = &frame.decision {
                    facts.push(TraceFact::text("Beslut", decision.to_string()));
                }
                facts.push(TraceFact::text(
                    "Står i",
                    format!(
                        "{}, {} (nämndens egen plan: kommunfullmäktiges plan ger ingen ram)",
                        place(&frame.at),
                        plan.budget.version.name
                    ),
                ));
                (frame.amount, Some(plan.clone()))
            }
            None => {
                return Err(not_found(format!("planen ger {name} ingen ram för {year}")));
            }
        };
        let own = match own {
            Some(plan) => Some(plan),
            None => {
                self.plan_of_body(actor, plan.municipality.id.as_str(), &body)
                    .await?
            }
        };
        let (rows_caption, rows) = match &own {
            Some(own) => {
                let allocation = own.budget.operating_total(year);
                let path = allocation
                    .is_some()
                    .then(|| paths::plan_allocation(&own.budget.version.id, year));
                facts.push(match allocation {
                    Some(allocation) => TraceFact::amount(
                        &format!("Nämndens fördelning ({})", own.budget.version.name),
                        allocation,
                        path.clone(),
                    ),
                    None => TraceFact::text(
                        "Nämndens fördelning",
                        format!("{} har ingen driftbudget för {year}", own.document.title),
                    ),
                });
                if let Some(allocation) = allocation {
                    facts.push(TraceFact::amount(
                        "Ram − fördelning",
                        amount - allocation,
                        None,
                    ));
                }
                allocation_rows(own, year)
            }
            None => {
                facts.push(TraceFact::text(
                    "Nämndens fördelning",
                    format!("{name} har ingen egen plan i styr"),
                ));
                (String::new(), Vec::new())
            }
        };
        Ok(ReportFigureTrace {
            title: format!("Ram {year}: {name}"),
            figure: Some(amount),
            whole_tkr: false,
            facts,
            rows_caption: format!("Nämndens fördelning av ramen: {rows_caption}"),
            rows,
            summed: false,
            rule: None,
        })
    }

    /// Where a body's allocation of a year (Budget år) comes from: the rows of its own
    /// operating budget it sums.
    pub async fn trace_allocation(
        &self,
        actor: &Actor,
        version: &str,
        year: Year,
    ) -> Result<ReportFigureTrace, AppError> {
        let plan = self.traced_plan(actor, version).await?;
        let allocation = plan
            .budget
            .operating_total(year)
            .ok_or_else(|| not_found(format!("planen har ingen driftbudget för {year}")))?;
        let name = body_name(&plan, &plan.document.body);
        let (caption, rows) = allocation_rows(&plan, year);
        let mut facts = vec![TraceFact::text(
            "Plan",
            format!("{} ({})", plan.document.title, plan.budget.version.name),
        )];
        if let Some(frame) = plan.budget.frame(year) {
            facts.push(TraceFact::amount(
                "Ram enligt planen",
                frame.amount,
                Some(paths::plan_frame(
                    &plan.budget.version.id,
                    &plan.document.body,
                    year,
                )),
            ));
        }
        Ok(ReportFigureTrace {
            title: format!("Budget {year}: {name}"),
            figure: Some(allocation),
            whole_tkr: false,
            facts,
            rows_caption: caption,
            rows,
            summed: true,
            rule: Some(
                "Nämndens fördelning av året är den beräknade summan av sammanställningen av driftbudgeten när planen har en, annars summan av varje driftbudgettabells beräknade summa. Tryckta summor ingår inte."
                    .to_owned(),
            ),
        })
    }

    /// Where a figure of KF's budget comes from: a stated line as KF's plan states it, the
    /// budgeted result beside its computed parts, Σ ramar as the frames it sums.
    pub async fn trace_council_figure(
        &self,
        actor: &Actor,
        version: &str,
        which: CouncilFigure,
        year: Year,
    ) -> Result<ReportFigureTrace, AppError> {
        let plan = self.traced_plan(actor, version).await?;
        let council = plan
            .council
            .as_ref()
            .ok_or_else(|| not_found("planen är inte kommunfullmäktiges".to_owned()))?;
        let figures = council
            .year(year)
            .ok_or_else(|| not_found(format!("kommunfullmäktiges budget har inget {year}")))?;
        let version_id = &plan.budget.version.id;
        let kf = |which| Some(paths::council_figure(version_id, which, year));
        let is_company = |body: &Id| {
            plan.bodies
                .iter()
                .any(|b| &b.id == body && b.kind == BodyKind::Company)
        };
        let mut facts = vec![TraceFact::text(
            "Står i",
            format!("{}, {}", place(&figures.at), plan.budget.version.name),
        )];
        if let Some(decision) = &council.decision {
            facts.insert(0, TraceFact::text("Beslut", decision.to_string()));
        }
        let row = |label: &str, amount: Money, path: Option<String>| TracedRow {
            label: label.to_owned(),
            amount: Some(amount),
            path,
        };
        let (figure, rows, summed, rule) = match which {
            CouncilFigure::TaxRevenue => (figures.tax_revenue, Vec::new(), false, None),
            CouncilFigure::Grants => (figures.grants, Vec::new(), false, None),
            CouncilFigure::FinancialNet => (figures.financial_net, Vec::new(), false, None),
            CouncilFigure::Frames => {
                let rows: Vec<TracedRow> = council
                    .frames
                    .iter()
                    .filter(|f| f.year == year && !is_company(&f.body))
                    .map(|f| {
                        row(
                            &body_name(&plan, &f.body),
                            f.amount,
                            Some(paths::plan_frame(version_id, &f.body, year)),
                        )
                    })
                    .collect();
                let sum = rows.iter().filter_map(|r| r.amount).sum();
                (sum, rows, true, None)
            }
            CouncilFigure::Result => {
                let parts = council.result_parts(year, is_company).ok_or_else(|| {
                    not_found(format!("kommunfullmäktiges budget har inget {year}"))
                })?;
                let mut rows = vec![
                    row(
                        CouncilFigure::TaxRevenue.label_sv(),
                        parts.tax_revenue,
                        kf(CouncilFigure::TaxRevenue),
                    ),
                    row(
                        CouncilFigure::Grants.label_sv(),
                        parts.grants,
                        kf(CouncilFigure::Grants),
                    ),
                    row(
                        CouncilFigure::FinancialNet.label_sv(),
                        parts.financial_net,
                        kf(CouncilFigure::FinancialNet),
                    ),
                    row(
                        "Summa ramar för nämnder och styrelser (avgår)",
                        -parts.frames,
                        kf(CouncilFigure::Frames),
                    ),
                ];
                for item in council.central_items.iter().filter(|i| i.year == year) {
                    rows.push(row(
                        &format!("{} (central post, avgår)", item.name),
                        -item.amount,
                        None,
                    ));
                }
                let computed = parts.result();
                facts.push(TraceFact::amount("Beräknat av delarna", computed, None));
                if computed != figures.result {
                    facts.push(TraceFact::text(
                        "Avstämning",
                        "det angivna resultatet stämmer inte med delarna; båda visas",
                    ));
                }
                (
                    figures.result,
                    rows,
                    true,
                    Some(
                        "Resultat = skatteintäkter + generella statsbidrag + finansnetto − summa ramar − summa centrala poster. Det angivna resultatet står kvar som det är angivet."
                            .to_owned(),
                    ),
                )
            }
        };
        Ok(ReportFigureTrace {
            title: format!("{} {year}", which.label_sv()),
            figure: Some(figure),
            whole_tkr: false,
            facts,
            rows_caption: match which {
                CouncilFigure::Frames => "Ramarna som summeras".to_owned(),
                _ => "Delarna".to_owned(),
            },
            rows,
            summed,
            rule,
        })
    }

    /// The municipal overview of a trace of a period: for the public only once a body has
    /// closed the period (the statutory report's rule).
    pub(crate) async fn traced_overview(
        &self,
        actor: &Actor,
        period: Month,
    ) -> Result<MunicipalOverview, AppError> {
        if actor.role == Role::Public {
            let plans = self.body_plans(actor, None).await?;
            if !period_published(&plans, period) {
                return Err(not_found(format!("{period} är inte publicerad")));
            }
        }
        self.municipal_overview(actor, None, period).await
    }

    /// Where a total of the table per nämnd comes from: each body's figure, with its trace.
    pub async fn trace_municipal_sum(
        &self,
        actor: &Actor,
        period: Month,
        which: MunicipalSum,
    ) -> Result<ReportFigureTrace, AppError> {
        let overview = self.traced_overview(actor, period).await?;
        let year = period.year();
        let council_version = overview.council.as_ref().map(|c| c.version.clone());
        let rows: Vec<TracedRow> = overview
            .bodies
            .iter()
            .filter_map(|body| {
                let version = body.plan.as_ref().map(|p| &p.version);
                let (amount, path) = match which {
                    MunicipalSum::Frames => {
                        let frame = body.frame.as_ref()?;
                        let path = match frame.source {
                            FrameSource::Council => council_version.as_ref(),
                            FrameSource::Own => version,
                        }
                        .map(|v| paths::plan_frame(v, &body.body, year));
                        (frame.amount, path)
                    }
                    MunicipalSum::Budgets => (
                        body.budget?,
                        version.map(|v| paths::plan_allocation(v, year)),
                    ),
                    MunicipalSum::Outcomes => (
                        body.actual()?,
                        version.map(|v| paths::outcome_sum(v, period, &OutcomeSum::Operating)),
                    ),
                    which => (
                        crate::trace_statutory::body_value(body, which)?,
                        Some(paths::body_figure(period, &body.body, which)),
                    ),
                };
                Some(TracedRow {
                    label: body.name.clone(),
                    amount: Some(amount),
                    path,
                })
            })
            .collect();
        let totals = &overview.totals;
        let (title, figure, caption) = match which {
            MunicipalSum::Frames => (
                format!("Summa ramar {year}"),
                Some(totals.frame),
                "Nämndernas och styrelsernas ramar",
            ),
            MunicipalSum::Budgets => (
                format!("Summa budget {year}"),
                Some(totals.budget),
                "Nämndernas och styrelsernas fördelning av året",
            ),
            MunicipalSum::Outcomes => (
                format!("Summa utfall {period}"),
                totals.actual(),
                "Nämndernas och styrelsernas utfall hittills (raden Summa driftbudget i deras egna rapporter)",
            ),
            MunicipalSum::Forecasts => (
                format!("Summa prognos helår {year}"),
                totals.forecast(),
                "Nämndernas och styrelsernas helårsprognoser",
            ),
            MunicipalSum::Deviations => (
                format!("Summa avvikelse {year}"),
                totals.forecast_deviation(),
                "Nämndernas och styrelsernas avvikelser (budget år − prognos helår)",
            ),
            MunicipalSum::Appropriations => (
                format!("Summa anslagsförändringar {year}"),
                Some(totals.appropriations),
                "Nämndernas och styrelsernas anslagsförändringar",
            ),
            MunicipalSum::BudgetsAfterChanges => (
                format!("Summa budget efter förändringar {year}"),
                Some(totals.budget_after_changes),
                "Nämndernas och styrelsernas budget efter förändringar",
            ),
            MunicipalSum::PreviousOutcomes => (
                format!("Summa utfall samma period {}", year - 1),
                totals.previous_actual,
                "Nämndernas och styrelsernas utfall samma period föregående år",
            ),
            MunicipalSum::DeviationsAfterChanges => (
                format!("Summa avvikelse efter förändringar {year}"),
                totals.deviation_after_changes,
                "Nämndernas och styrelsernas avvikelser (budget efter förändringar − prognos)",
            ),
        };
        Ok(ReportFigureTrace {
            title: format!("{title}: nämnder och styrelser"),
            figure,
            whole_tkr: true,
            facts: vec![TraceFact::text(
                "Kommun",
                overview.municipality_name.clone(),
            )],
            rows_caption: caption.to_owned(),
            rows,
            summed: true,
            rule: Some("Summaraden är summan av raderna, utan bolagen.".to_owned()),
        })
    }

    /// Where a company's row comes from: its ägarandel (KF's plan), KF's resultatkrav and the
    /// budgeted result before tax of its own plan.
    pub async fn trace_company(
        &self,
        actor: &Actor,
        period: Month,
        body: &str,
    ) -> Result<ReportFigureTrace, AppError> {
        let overview = self.traced_overview(actor, period).await?;
        let company = overview
            .companies
            .iter()
            .find(|c| c.body.as_str() == body)
            .ok_or_else(|| not_found(format!("{body:?} är inget bolag i kommunen")))?;
        let year = period.year();
        let mut facts = vec![TraceFact::text(
            "Ägarandel",
            company.ownership_percent.map_or_else(
                || "inte angiven".to_owned(),
                |p| format!("{} % (kommunfullmäktiges plan)", p.normalize()),
            ),
        )];
        match (&company.requirement, &overview.council) {
            (Some(requirement), Some(council)) => {
                facts.push(TraceFact::amount(
                    "Resultatkrav enligt kommunfullmäktige",
                    requirement.amount,
                    Some(paths::plan_frame(&council.version, &company.body, year)),
                ));
                if let Some(decision) = &requirement.decision {
                    facts.push(TraceFact::text("Beslut", decision.to_string()));
                }
            }
            _ => facts.push(TraceFact::text(
                "Resultatkrav enligt kommunfullmäktige",
                "inget angivet",
            )),
        }
        let own = self
            .body_plans(actor, Some(overview.municipality.as_str()))
            .await?
            .into_iter()
            .find(|p| p.document.body == company.body);
        let figures = own
            .as_ref()
            .and_then(|p| p.company.as_ref())
            .and_then(|c| c.year(year));
        match (own.as_ref(), figures) {
            (Some(plan), Some(figures)) => {
                facts.push(TraceFact::amount(
                    "Budgeterat resultat före skatt",
                    figures.result_before_tax,
                    None,
                ));
                facts.push(TraceFact::text(
                    "Står i",
                    format!("{}, {}", place(&figures.at), plan.budget.version.name),
                ));
            }
            _ => facts.push(TraceFact::text(
                "Budgeterat resultat före skatt",
                "bolagets plan har ingen budget för året",
            )),
        }
        // Its line of koncernens budget: the municipality's share of the result.
        if let Some(share) = overview
            .koncern
            .as_ref()
            .and_then(|k| k.companies.iter().find(|c| c.body == company.body))
            .and_then(|c| c.share)
        {
            facts.push(TraceFact::amount(
                "Kommunens andel av resultatet (koncernen)",
                share,
                Some(paths::koncern(period)),
            ));
        }
        Ok(ReportFigureTrace {
            title: format!("{} {year}", company.name),
            figure: company.budgeted_result,
            whole_tkr: true,
            facts,
            rows_caption: String::new(),
            rows: Vec::new(),
            summed: false,
            rule: Some(
                "Bolagen ingår inte i driftredovisningens summa: resultatkravet är ägarens krav på bolagets resultat före skatt."
                    .to_owned(),
            ),
        })
    }

    /// Where koncernens sammanställda resultat comes from: KF's result, each company's share
    /// and the eliminations.
    pub async fn trace_koncern(
        &self,
        actor: &Actor,
        period: Month,
    ) -> Result<ReportFigureTrace, AppError> {
        let overview = self.traced_overview(actor, period).await?;
        let koncern = overview
            .koncern
            .as_ref()
            .ok_or_else(|| not_found("kommunen har ingen koncern i styr".to_owned()))?;
        let year = koncern.year;
        let mut rows = vec![TracedRow {
            label: "Kommunens budgeterade resultat (KF)".to_owned(),
            amount: koncern.municipal_result,
            path: overview
                .council
                .as_ref()
                .map(|c| paths::council_figure(&c.version, CouncilFigure::Result, year)),
        }];
        rows.extend(koncern.companies.iter().map(|c| TracedRow {
            label: format!(
                "{}, {} % av resultatet före skatt",
                c.name,
                c.ownership_percent.normalize()
            ),
            amount: c.share,
            path: Some(paths::company(period, &c.body)),
        }));
        rows.push(TracedRow {
            label: "Elimineringar av interna poster".to_owned(),
            amount: Some(-koncern.eliminations),
            path: None,
        });
        Ok(ReportFigureTrace {
            title: format!("Koncernens sammanställda resultat {year}"),
            figure: koncern.result,
            whole_tkr: true,
            facts: vec![TraceFact::text(
                "Kommun",
                overview.municipality_name.clone(),
            )],
            rows_caption: "Raderna som summeras".to_owned(),
            rows,
            summed: koncern.result.is_some(),
            rule: Some(
                "Koncernens resultat = kommunens resultat enligt kommunfullmäktiges budget + varje bolags budgeterade resultat före skatt × ägarandelen − elimineringarna. Saknas en rad räknas ingen summa."
                    .to_owned(),
            ),
        })
    }

    /// The statements of a trace's period (exact: a trace prints them with
    /// `StatementsReport::in_whole`, as the reports do) with KF's plan and the bokslut files they
    /// read: for the public only once a body has closed the period.
    pub(crate) async fn traced_statements(
        &self,
        actor: &Actor,
        period: Month,
    ) -> Result<
        (
            StatementsReport,
            Plan,
            Vec<styr_domain::statements::StatementLedger>,
        ),
        AppError,
    > {
        let plans = self.body_plans(actor, None).await?;
        if actor.role == Role::Public && !period_published(&plans, period) {
            return Err(not_found(format!("{period} är inte publicerad")));
        }
        let report = self.financial_statements(actor, None, period).await?;
        let kf = styr_checks::municipality::council_of(&plans)
            .cloned()
            .ok_or_else(|| not_found("kommunfullmäktiges plan finns inte".to_owned()))?;
        let ledgers = self
            .store
            .statement_ledgers(kf.municipality.id.as_str(), period.year(), period)
            .await?;
        Ok((report, kf, ledgers))
    }

    /// Where a line of the resultaträkning, balansräkning or kassaflödesanalys comes from: a
    /// mapped line's bokslut accounts (through KF's Kommun-Bas mapping), a sum's lines, BR's
    /// årets resultat RR's, a KFA section's lines.
    pub async fn trace_statement_line(
        &self,
        actor: &Actor,
        period: Month,
        line: &str,
    ) -> Result<ReportFigureTrace, AppError> {
        let (exact, kf, ledgers) = self.traced_statements(actor, period).await?;
        // The figures as the reports print them: a sum is the sum of the printed lines listed.
        let report = exact.in_whole(MoneyUnit::Tkr);
        let row = report.row(line).ok_or_else(|| {
            not_found(format!(
                "{line:?} är ingen rad i de finansiella rapporterna"
            ))
        })?;
        let statement = if line.starts_with("rr.") {
            "Resultaträkning"
        } else if line.starts_with("br.") {
            "Balansräkning"
        } else {
            "Kassaflödesanalys"
        };
        let line_row = |id: &str| {
            report.row(id).map(|r| TracedRow {
                label: r.label.clone(),
                amount: Some(r.outcome),
                path: Some(paths::statement_line(period, id)),
            })
        };
        let mut facts = vec![
            TraceFact::text("Rapport", format!("{statement} {}", report.year)),
            TraceFact::text("Bokföring", report.sources.join(", ")),
        ];
        let (caption, rows, summed, rule) = match styr_domain::statements::line(line)
            .map(|l| l.kind)
        {
            Some(LineKind::Mapped) => {
                let accounts =
                    styr_reports::statements::line_accounts(&kf.statements, &ledgers, period, line);
                let balance = line.starts_with("br.");
                let vouchers = actor.role != Role::Public;
                let rows = printed_shares(
                    accounts
                        .iter()
                        .map(|a| account_row(a, a.outcome, period, vouchers))
                        .collect(),
                    row.outcome,
                );
                (
                    "Kontona som summeras".to_owned(),
                    rows,
                    true,
                    Some(if balance {
                        "Ett balanskontos belopp är ingående balans (#IB) plus periodens bokningar, med rapportens tecken (tillgångar positiva; eget kapital, avsättningar och skulder positiva). Kontona hör till raden enligt kommunfullmäktiges Kommun-Bas-mappning (redovisning/kommunbas.csv).".to_owned()
                    } else {
                        "Ett resultatkontos belopp är periodens bokningar från årets första månad, med rapportens tecken (intäkter positiva, kostnader negativa). Kontona hör till raden enligt kommunfullmäktiges Kommun-Bas-mappning (redovisning/kommunbas.csv).".to_owned()
                    }),
                )
            }
            Some(LineKind::Sum(parts)) => (
                "Raderna som summeras".to_owned(),
                parts.iter().filter_map(|id| line_row(id)).collect(),
                true,
                None,
            ),
            Some(LineKind::YearResult) => (
                "Från resultaträkningen".to_owned(),
                line_row("rr.arets_resultat").into_iter().collect(),
                true,
                None,
            ),
            None if row.kind == StatementKind::Sum => {
                let parts: Vec<TracedRow> = report
                    .cash_flow_parts(line)
                    .into_iter()
                    .filter_map(line_row)
                    .collect();
                ("Raderna som summeras".to_owned(), parts, true, None)
            }
            None => {
                facts.push(TraceFact::amount(
                    "Balansräkningens kassa och bank",
                    report.row("br.t.kassa").map_or(Money::ZERO, |r| r.outcome),
                    Some(paths::statement_line(period, "br.t.kassa")),
                ));
                (
                    String::new(),
                    Vec::new(),
                    false,
                    Some(
                        "Kassaflödesanalysen är gjord med den indirekta metoden: årets resultat justerat för poster som inte påverkar likviditeten, och förändringarna av balansräkningens rader från årets början till periodens slut. Raderna följer balansräkningens och resultaträkningens rader."
                            .to_owned(),
                    ),
                )
            }
        };
        Ok(ReportFigureTrace {
            title: format!("{}: {}", row.label, period_words(&report)),
            figure: Some(row.outcome),
            whole_tkr: true,
            facts,
            rows_caption: caption,
            rows,
            summed,
            rule,
        })
    }

    /// Where a row of the balanskravsutredning comes from: årets resultat RR's, the
    /// adjustments the tagged accounts, the reserve's items as stated, the sums their rows.
    pub async fn trace_balance_requirement(
        &self,
        actor: &Actor,
        period: Month,
        row: &str,
    ) -> Result<ReportFigureTrace, AppError> {
        let index = paths::BALANCE_REQUIREMENT_ROWS
            .iter()
            .position(|r| *r == row)
            .ok_or_else(|| not_found(format!("{row:?} är ingen rad i balanskravsutredningen")))?;
        let (exact, kf, ledgers) = self.traced_statements(actor, period).await?;
        let report = exact.in_whole(MoneyUnit::Tkr);
        let requirement = &report.balance_requirement;
        let shown = requirement
            .rows
            .get(index)
            .ok_or_else(|| not_found(format!("{row:?} är ingen rad i balanskravsutredningen")))?;
        let own = |i: usize| {
            requirement.rows.get(i).map(|r| TracedRow {
                label: r.label.clone(),
                amount: Some(r.amount),
                path: paths::balance_requirement_row(period, i),
            })
        };
        let tagged = |tag: AccountTag| -> Vec<TracedRow> {
            printed_shares(
                styr_reports::statements::tagged_accounts(&kf.statements, &ledgers, period, tag)
                    .iter()
                    .map(|a| account_row(a, -a.outcome, period, actor.role != Role::Public))
                    .collect(),
                shown.amount,
            )
        };
        let mut facts = vec![TraceFact::text("Bokföring", report.sources.join(", "))];
        let stated_item = |kind: BalanceItemKind, sign: i64| {
            let items = kf
                .statements
                .balance_items
                .iter()
                .filter(|i| i.year == report.year && i.kind == kind)
                .map(|i| TracedRow {
                    label: i.note.clone().unwrap_or_else(|| place(&i.at)),
                    amount: Some(Money::from_ore(i.amount.ore() * sign)),
                    path: None,
                })
                .collect();
            printed_shares(items, shown.amount)
        };
        let (caption, rows) = match index {
            0 => (
                "Från resultaträkningen",
                vec![TracedRow {
                    label: "Årets resultat".to_owned(),
                    amount: report.row("rr.arets_resultat").map(|r| r.outcome),
                    path: Some(paths::statement_line(period, "rr.arets_resultat")),
                }],
            ),
            1 => (
                "Kontona märkta realisationsvinst (avgår)",
                tagged(AccountTag::CapitalGain),
            ),
            2 => (
                "Kontona märkta realisationsförlust enligt undantagsmöjlighet",
                tagged(AccountTag::CapitalLossException),
            ),
            3 => (
                "Kontona märkta orealiserade vinster och förluster i värdepapper",
                tagged(AccountTag::UnrealisedSecurities),
            ),
            4 => ("Raderna som summeras", (0..4).filter_map(own).collect()),
            5 => (
                "Angivet i redovisningen (avgår)",
                stated_item(BalanceItemKind::RurReservation, -1),
            ),
            6 => (
                "Angivet i redovisningen",
                stated_item(BalanceItemKind::RurWithdrawal, 1),
            ),
            _ => ("Raderna som summeras", (4..7).filter_map(own).collect()),
        };
        if index == 7
            && let Some(stated) = requirement.stated
        {
            facts.push(TraceFact::amount(
                "Angivet balanskravsresultat",
                stated,
                None,
            ));
            if exact.balance_requirement.stated != Some(exact.balance_requirement.result) {
                facts.push(TraceFact::text(
                    "Avstämning",
                    "det angivna balanskravsresultatet stämmer inte med utredningen; båda visas",
                ));
            }
        }
        Ok(ReportFigureTrace {
            title: format!("{}: {}", shown.label, period_words(&report)),
            figure: Some(shown.amount),
            whole_tkr: true,
            facts,
            rows_caption: caption.to_owned(),
            rows,
            summed: true,
            rule: Some(requirement.rule.clone()),
        })
    }
}

/// "2021" or "januari–augusti 2021".
pub(crate) fn period_words(report: &StatementsReport) -> String {
    if report.annual {
        report.year.to_string()
    } else {
        format!(
            "januari–{} {}",
            styr_domain::followup::month_name(report.through.month()),
            report.year
        )
    }
}
