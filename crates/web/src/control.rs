//! Intern kontroll: the year's risk matrix (the same SVG as the documents), each control's
//! result per reporting period, and every audit recommendation with its actions' states, overdue
//! ones flagged. Read-only; results and actions are reported on the Rapportering page.

use crate::WebState;
use crate::auth::Viewer;
use crate::error::WebError;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use styr_docgen::chart::{describe_risk_matrix, matrix_risks, risk_matrix_chart};
use styr_domain::{Id, Year};

#[derive(Deserialize, Default)]
pub struct ControlQuery {
    year: Option<Year>,
}

pub async fn internal_control(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(query): Query<ControlQuery>,
) -> Result<Response, WebError> {
    let selector = viewer.selector();
    let plan = state.app.load_plan(&viewer.actor, &selector).await?;
    let year = query
        .year
        .unwrap_or_else(|| styr_docgen::compose::plan_year(&plan));
    let (plan, report) = state
        .app
        .internal_control(&viewer.actor, &selector, year, None)
        .await?;
    let titles: Vec<(Id, String)> = plan
        .control
        .risks
        .iter()
        .map(|r| (r.id.clone(), r.title.clone()))
        .collect();
    let risks = matrix_risks(&report.matrix, &titles);
    let title = format!("Riskmatris {year}");
    let matrix = &report.matrix;
    let matrix_rows: Vec<Value> = (1..=matrix.scale.likelihood)
        .rev()
        .map(|likelihood| {
            // Each count links to the risks in its cell (`/spar/…/riskmatris/…`).
            let counts: Vec<Value> = (1..=matrix.scale.consequence)
                .map(|consequence| {
                    let count = matrix
                        .cell(likelihood, consequence)
                        .map_or(0, |c| c.risks.len());
                    let path = styr_docgen::trace::risk_cell(
                        &plan.budget.version.id,
                        year,
                        likelihood,
                        consequence,
                    );
                    json!({"count": count, "href": format!("/spar/{path}")})
                })
                .collect();
            json!({"likelihood": likelihood, "counts": counts})
        })
        .collect();
    let names = state.app.user_names(&viewer.actor).await?;
    let controls: Vec<Value> = report
        .controls
        .iter()
        .map(|row| {
            let (result, light, finding, action, by) = match row.reported() {
                Some(control) => (
                    control.result.label_sv(),
                    control.light.label_sv(),
                    control.finding.unwrap_or_default(),
                    control.action.unwrap_or_default(),
                    format!(
                        "{} {}",
                        styr_app::display_name(&names, control.reported_by),
                        control.reported_on
                    ),
                ),
                None => ("Ej rapporterat", "", "", "", String::new()),
            };
            json!({
                "title": row.control.title,
                "period": row.period,
                "result": result,
                "light": light,
                "finding": finding,
                "action": action,
                "by": by,
            })
        })
        .collect();
    let recommendations: Vec<Value> = report
        .recommendations
        .iter()
        .map(|state| {
            json!({
                "audit": state.audit.title,
                "case": state.audit.case.as_ref().map(ToString::to_string).unwrap_or_default(),
                "text": state.recommendation.text,
                "open": state.open,
                "overdue": state.overdue,
                "actions": state.actions.iter().map(|a| json!({
                    "text": a.action.text,
                    "due": a.action.due.clone().unwrap_or_default(),
                    "status": a.status.label_sv(),
                    "overdue": a.overdue,
                    "evidence": a.evidence.clone().unwrap_or_default(),
                    "comment": a.comment.clone().unwrap_or_default(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let context = json!({
        "year": year,
        "today": report.today,
        "matrix": {
            "svg": risk_matrix_chart("riskmatris", &title, matrix, &risks),
            "description": describe_risk_matrix(matrix, &risks),
            "consequences": (1..=matrix.scale.consequence).collect::<Vec<u8>>(),
            "rows": matrix_rows,
        },
        "controls": controls,
        "recommendations": recommendations,
        "open": report.open_recommendations().count(),
        "synthetic": report.synthetic.then_some(styr_domain::control::SYNTHETIC_NOTE),
    });
    crate::pages::page(
        &state,
        &viewer,
        Some(&plan),
        "control.html",
        "kontroll",
        "Intern kontroll",
        context,
    )
}
