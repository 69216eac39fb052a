//! Kommunen (`/kommun`): every body of the municipality in one table — its frame (KF's, else
//! its own plan's), its budget, budget and outcome to date with the deviation, its forecast
//! and its reporting progress in the period — with the totals of the rows shown, and the
//! companies beside them. The figures are `App::municipal_overview`'s; this only presents.

use crate::WebState;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::{page, tkr};
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use styr_docgen::municipal::{allocation_trace, frame_trace};
use styr_docgen::trace::{self, MunicipalSum};
use styr_domain::followup::FollowUpPeriod;
use styr_domain::ledger::Month;
use styr_domain::number::format_swedish;
use styr_reports::ReportRow;
use styr_reports::municipal::{FrameFigure, FrameSource, MunicipalOverview, Progress};

#[derive(Deserialize, Default)]
pub struct KommunQuery {
    period: Option<String>,
}

fn frame_view(frame: Option<&FrameFigure>) -> Value {
    json!({
        "amount": tkr(frame.map(|f| f.amount)),
        "source": frame.map_or("", |f| match f.source {
            FrameSource::Council => "KF",
            FrameSource::Own => "egen plan",
        }),
    })
}

/// The figures of an operating total as the row shows them (whole tkr, "–" when missing).
fn economy_view(row: Option<&ReportRow>) -> Value {
    let cell = row.map(|r| &r.cell);
    json!({
        "budget": tkr(cell.and_then(|c| c.budget()).map(|b| b.annual)),
        "budget_to_date": tkr(cell.and_then(|c| c.budget()).map(|b| b.to_date)),
        "actual": tkr(cell.and_then(|c| c.actual()).map(|a| a.to_date)),
        "deviation": tkr(cell.and_then(|c| c.comparison()).map(|c| c.deviation)),
        "forecast": tkr(row.and_then(|r| r.forecast).map(|(_, f)| f)),
        "forecast_deviation": tkr(row.and_then(|r| r.forecast_deviation)),
    })
}

fn progress_view(progress: &Progress) -> String {
    progress.label_sv()
}

fn overview_view(overview: &MunicipalOverview) -> Value {
    let bodies: Vec<Value> = overview
        .bodies
        .iter()
        .map(|b| {
            json!({
                "id": b.body.as_str(),
                "name": b.name,
                "has_plan": b.plan.is_some(),
                "frame": frame_view(b.frame.as_ref()),
                // Each figure links to where it comes from, as in the roll-up report.
                "frame_href": frame_trace(overview, b).map(|p| format!("/spar/{p}")),
                // Budget år is the body's allocation of the year, as in the roll-up report.
                "budget": tkr(b.budget),
                "budget_href": allocation_trace(overview, b).map(|p| format!("/spar/{p}")),
                "economy": economy_view(b.economy.as_ref()),
                // The body's outcome to date traces to the lines of its operating budget.
                "actual_href": b.plan.as_ref().filter(|_| b.economy.is_some()).map(|p| {
                    format!(
                        "/spar/{}",
                        styr_docgen::trace::outcome_sum(
                            &p.version,
                            overview.period,
                            &styr_docgen::trace::OutcomeSum::Operating
                        )
                    )
                }),
                "progress": progress_view(&b.progress),
            })
        })
        .collect();
    let companies: Vec<Value> = overview
        .companies
        .iter()
        .map(|c| {
            json!({
                "id": c.body.as_str(),
                "name": c.name,
                "has_plan": c.plan.is_some(),
                "ownership": c.ownership_percent.map_or_else(
                    || "–".to_owned(),
                    |p| format!("{} %", format_swedish(p, p.normalize().scale(), ' ')),
                ),
                "requirement": tkr(c.requirement.as_ref().map(|f| f.amount)),
                "budgeted_result": tkr(c.budgeted_result),
                "href": format!("/spar/{}", trace::company(overview.period, &c.body)),
                "progress": progress_view(&c.progress),
            })
        })
        .collect();
    // Koncernen: the same rows as the report's table, the sum computed by the domain.
    let koncern = overview.koncern.as_ref().map(|k| {
        let mut rows = vec![json!({
            "label": "Kommunens budgeterade resultat (KF)",
            "amount": tkr(k.municipal_result),
            "href": overview.council.as_ref().map(|c| {
                format!(
                    "/spar/{}",
                    trace::council_figure(&c.version, trace::CouncilFigure::Result, k.year)
                )
            }),
        })];
        rows.extend(k.companies.iter().map(|c| {
            json!({
                "label": format!(
                    "{}, {} % av resultatet före skatt",
                    c.name,
                    format_swedish(c.ownership_percent, c.ownership_percent.normalize().scale(), ' ')
                ),
                "amount": tkr(c.share),
                "href": format!("/spar/{}", trace::company(overview.period, &c.body)),
            })
        }));
        let koncern_href = format!("/spar/{}", trace::koncern(overview.period));
        rows.push(json!({
            "label": "Elimineringar av interna poster",
            "amount": tkr(Some(-k.eliminations)),
            "href": koncern_href,
        }));
        json!({ "year": k.year, "rows": rows, "result": tkr(k.result), "href": koncern_href })
    });
    let totals = &overview.totals;
    json!({
        "koncern": koncern,
        "council": overview.council.as_ref().map(|c| json!({"name": c.name, "title": c.title})),
        // Not `bodies`: the page frame's switcher has that name.
        "rows": bodies,
        "companies": companies,
        "totals": {
            "frame": tkr(Some(totals.frame)),
            "budget": tkr(Some(totals.budget)),
            "frame_href": format!("/spar/{}", trace::municipal_sum(overview.period, MunicipalSum::Frames)),
            "budget_href": format!("/spar/{}", trace::municipal_sum(overview.period, MunicipalSum::Budgets)),
            "actual_href": totals.actual().map(|_| {
                format!("/spar/{}", trace::municipal_sum(overview.period, MunicipalSum::Outcomes))
            }),
            "economy": economy_view(totals.economy.as_ref()),
            "progress": format!("{} av {}", totals.reported, totals.due),
        },
    })
}

pub async fn kommun(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(query): Query<KommunQuery>,
) -> Result<Response, WebError> {
    // The period: the one asked for, else the one the chosen body's calendar is reporting.
    let selector = viewer.selector();
    let mut periods = state.app.periods(&viewer.actor, &selector, None).await?;
    // A body without a calendar (KF's plan): the calendar of the first body that has one.
    if periods.is_empty()
        && let Some(choice) = &viewer.bodies
    {
        for body in &choice.bodies {
            let other = styr_app::PlanSelector {
                body: Some(body.id.clone()),
                ..selector.clone()
            };
            periods = state.app.periods(&viewer.actor, &other, None).await?;
            if !periods.is_empty() {
                break;
            }
        }
    }
    let calendar: Vec<FollowUpPeriod> = periods.iter().map(|p| p.period.clone()).collect();
    let asked = query
        .period
        .as_deref()
        .map(str::parse::<Month>)
        .transpose()?;
    let period = styr_app::choose_period(&calendar, asked, &state.app.today())?;
    let overview = state
        .app
        .municipal_overview(&viewer.actor, None, period.month)
        .await?;
    let plan = state.app.load_plan(&viewer.actor, &selector).await?;
    let mut context = overview_view(&overview);
    if let Value::Object(map) = &mut context {
        map.insert(
            "periods".into(),
            json!(
                periods
                    .iter()
                    .map(|p| crate::pages::period_view(&p.period))
                    .collect::<Vec<_>>()
            ),
        );
        map.insert("period".into(), crate::pages::period_view(&period));
        let statutory = state.app.statutory_reports(&viewer.actor, None).await?;
        map.insert(
            "statutory".into(),
            crate::statutory::listing_view(&statutory),
        );
    }
    page(
        &state,
        &viewer,
        Some(&plan),
        "municipality.html",
        "kommun",
        &format!("{} – alla organ", overview.municipality_name),
        context,
    )
}
