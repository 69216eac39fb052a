//! The public site (`docs/web.md`, "Den offentliga webbplatsen"): the start page of an anonymous
//! visitor, the decided plans and the closed periods' reports as web pages, the citizen summary
//! of a year, the målbarometer and the tillgänglighetsredogörelse. Every page is drawn as the
//! public sees it (`styr_app`'s `public_*` use cases), whoever asks, so it is the same bytes for
//! every visitor: it is rendered once per change of the data, kept here with its ETag, and a
//! request naming that ETag in `If-None-Match` gets 304. No query parameter is read: a page
//! shows only what its path names, and a path naming something not public is 404.

use crate::WebState;
use crate::error::WebError;
use crate::etag::PublicAnswer;
use crate::pages::tkr;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::Arc;
use styr_app::{Actor, PublicSite};
use styr_domain::followup::{GoalAssessment, TargetStatus};
use styr_domain::ledger::Month;
use styr_domain::number::format_swedish;

/// The public site's routes (merged into the application's router).
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/planen", get(plans))
        .route("/planen/{organ}", get(plan))
        .route("/rapporter", get(reports))
        .route("/rapporter/{organ}/{period}", get(report))
        .route("/sammanfattning", get(summaries))
        .route("/sammanfattning/{ar}", get(summary))
        .route("/malbarometer", get(barometer))
        .route("/tillganglighet", get(accessibility))
}

/// What the tillgänglighetsredogörelse says that only the operator knows (`styr serve
/// --tillganglighet-kontakt`, `--tillganglighet-bedomd`).
#[derive(Debug, Clone, Default)]
pub struct AccessibilityOptions {
    /// Where to report a problem (an e-mail address or a web address).
    pub contact: Option<String>,
    /// The date of the last assessment of the site, `YYYY-MM-DD`.
    pub assessed: Option<String>,
}

/// The public actor of this server (its `--kommun`).
fn public_actor(state: &WebState) -> Actor {
    Actor::public(state.options.public_municipality.clone())
}

/// Serves the public page `key` from the public cache (`etag.rs`: one small query per request,
/// drawn again once the data has changed, 304 for a client holding the same bytes), or draws
/// it with `draw` from the public site. An error (a body, period or year that is not public)
/// is never kept.
async fn cached(
    state: &WebState,
    headers: &HeaderMap,
    key: String,
    draw: impl AsyncFnOnce(&Arc<PublicSite>) -> Result<String, WebError>,
) -> Result<Response, WebError> {
    let answer = state
        .public
        .answer(&state.app, key, async || {
            let site = state.app.public_site(&public_actor(state)).await?;
            Ok(PublicAnswer::html(draw(&site).await?))
        })
        .await?;
    Ok(answer.respond(headers))
}

/// Draws a page of the public site: the site's frame as an anonymous visitor sees it.
fn draw(
    state: &WebState,
    municipality_name: &str,
    template: &str,
    page: &str,
    title: &str,
    mut context: Value,
) -> Result<String, WebError> {
    if let Value::Object(map) = &mut context {
        map.insert("title".into(), json!(title));
        map.insert("page".into(), json!(page));
        map.insert("municipality_name".into(), json!(municipality_name));
        map.insert("user".into(), Value::Null);
        map.insert("csrf".into(), json!(""));
        map.insert("organ".into(), json!(""));
        map.insert("bodies".into(), json!([]));
        map.insert("switch_action".into(), json!("/"));
    }
    Ok(state.templates.render(template, &context)?)
}

fn plan_links(site: &PublicSite) -> Vec<Value> {
    site.plans
        .iter()
        .map(|p| {
            json!({
                "href": format!("/planen/{}", p.body),
                "title": p.plan.document.title,
                "body": p.body_name,
                "version": p.plan.budget.version.name,
            })
        })
        .collect()
}

fn report_links(site: &PublicSite) -> Vec<Value> {
    site.reports
        .iter()
        .map(|r| {
            json!({
                "href": format!("/rapporter/{}/{}", r.body, r.period.month),
                "title": r.period.title,
                "body": r.body_name,
                "kind": r.kind_name,
            })
        })
        .collect()
}

/// The start page of an anonymous visitor at `/`: the municipality's decided plans, the
/// closed periods' reports, the summaries and the målbarometer. `None` when nothing is public
/// (the caller shows the way in instead).
pub(crate) async fn start(
    state: &WebState,
    headers: &HeaderMap,
) -> Result<Option<Response>, WebError> {
    let page = cached(state, headers, "/".to_owned(), async |site| {
        let context = json!({
            "plans": plan_links(site),
            "reports": report_links(site).into_iter().take(5).collect::<Vec<_>>(),
            "more_reports": site.reports.len() > 5,
            "years": site.years(),
        });
        let title = format!("{}: mål och budget", site.municipality_name);
        draw(
            state,
            &site.municipality_name,
            "public/start.html",
            "start",
            &title,
            context,
        )
    })
    .await;
    match page {
        Ok(page) => Ok(Some(page)),
        Err(error) if error.status() == StatusCode::NOT_FOUND => Ok(None),
        Err(error) => Err(error),
    }
}

async fn plans(State(state): State<WebState>, headers: HeaderMap) -> Result<Response, WebError> {
    cached(&state, &headers, "/planen".to_owned(), async |site| {
        let context = json!({"plans": plan_links(site)});
        draw(
            &state,
            &site.municipality_name,
            "public/plans.html",
            "planen",
            "Beslutade planer",
            context,
        )
    })
    .await
}

/// A document with each figure a link to where it comes from (`/spar/…`, crate::trace).
fn traced(document: &styr_docgen::Document) -> styr_docgen::Document {
    let mut document = document.clone();
    styr_docgen::trace::link_traces(&mut document, Some(""));
    document
}

async fn plan(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path(organ): Path<String>,
) -> Result<Response, WebError> {
    let actor = public_actor(&state);
    cached(&state, &headers, format!("/planen/{organ}"), async |site| {
        let document = state.app.public_plan_document(&actor, &organ).await?;
        let context = json!({
            "document": styr_docgen::html::render_sections(&traced(&document)),
        });
        draw(
            &state,
            &site.municipality_name,
            "public/document.html",
            "planen",
            &document.title,
            context,
        )
    })
    .await
}

async fn reports(State(state): State<WebState>, headers: HeaderMap) -> Result<Response, WebError> {
    cached(&state, &headers, "/rapporter".to_owned(), async |site| {
        let context = json!({"reports": report_links(site)});
        draw(
            &state,
            &site.municipality_name,
            "public/reports.html",
            "rapporter",
            "Rapporter",
            context,
        )
    })
    .await
}

async fn report(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path((organ, period)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let month: Month = period.parse()?;
    let actor = public_actor(&state);
    let key = format!("/rapporter/{organ}/{month}");
    cached(&state, &headers, key, async |site| {
        let page = state.app.public_report(&actor, &organ, month).await?;
        let title = format!("{} – {}", page.period.title, page.body_name);
        let context = json!({
            "document": styr_docgen::html::render_sections(&traced(&page.document)),
        });
        draw(
            &state,
            &site.municipality_name,
            "public/document.html",
            "rapporter",
            &title,
            context,
        )
    })
    .await
}

async fn summaries(
    State(state): State<WebState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    cached(
        &state,
        &headers,
        "/sammanfattning".to_owned(),
        async |site| {
            let context = json!({"years": site.years()});
            draw(
                &state,
                &site.municipality_name,
                "public/summaries.html",
                "sammanfattning",
                "Sammanfattning för invånare",
                context,
            )
        },
    )
    .await
}

fn assessment_view(assessment: Option<GoalAssessment>) -> Value {
    // Shape and words, never colour alone.
    let (shape, class) = match assessment {
        Some(GoalAssessment::Met) => ("●", "met"),
        Some(GoalAssessment::PartlyMet) => ("◐", "partly"),
        Some(GoalAssessment::NotMet) => ("▲", "not-met"),
        Some(GoalAssessment::CannotAssess) => ("?", "unknown"),
        None => ("–", "none"),
    };
    json!({
        "label": assessment.map_or("Ej bedömt", |a| a.label_sv()),
        "shape": shape,
        "class": class,
    })
}

fn target_view(status: Option<TargetStatus>) -> Value {
    let (label, shape, class) = match status {
        Some(TargetStatus::OnTrack) => ("Når målvärdet", "●", "met"),
        Some(TargetStatus::OffTrack) => ("Når inte målvärdet", "▲", "not-met"),
        Some(TargetStatus::NoTarget) => ("Inget målvärde", "◇", "none"),
        None => ("Inget utfall", "–", "none"),
    };
    json!({"label": label, "shape": shape, "class": class})
}

fn decimal(value: Option<rust_decimal::Decimal>) -> String {
    value.map_or_else(
        || "–".to_owned(),
        |v| format_swedish(v, v.normalize().scale(), ' '),
    )
}

async fn summary(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path(year): Path<String>,
) -> Result<Response, WebError> {
    let year: styr_domain::Year = year
        .parse()
        .map_err(|_| WebError::NotFound(format!("året {year} finns inte")))?;
    let actor = public_actor(&state);
    cached(
        &state,
        &headers,
        format!("/sammanfattning/{year}"),
        async |site| {
            let summary = state.app.public_summary(&actor, year).await?;
            let steps: Vec<styr_docgen::chart::WaterfallStep> = summary
                .money
                .iter()
                .map(|m| {
                    let tkr = m.amount.tkr().round();
                    styr_docgen::chart::WaterfallStep {
                        label: m.body_name.clone(),
                        total: true,
                        from: tkr,
                        to: tkr,
                    }
                })
                .collect();
            let chart_title = format!("Ramar {year} per nämnd och styrelse, tkr");
            let money_chart = (!steps.is_empty()).then(|| {
                json!({
                    "svg": styr_docgen::chart::waterfall_chart("pengar", &chart_title, &steps, "tkr"),
                    "description": styr_docgen::chart::describe_waterfall(&steps, "tkr"),
                })
            });
            let area_steps: Vec<styr_docgen::chart::WaterfallStep> = summary
                .areas
                .iter()
                .map(|a| {
                    let count = rust_decimal::Decimal::from(a.goals.len());
                    styr_docgen::chart::WaterfallStep {
                        label: a.name.clone(),
                        total: true,
                        from: count,
                        to: count,
                    }
                })
                .collect();
            let area_title = format!("Antal mål {year} per målområde");
            let area_chart = (!area_steps.is_empty()).then(|| {
                json!({
                    "svg": styr_docgen::chart::waterfall_chart("malomraden", &area_title, &area_steps, "mål"),
                    "description": styr_docgen::chart::describe_waterfall(&area_steps, "mål"),
                })
            });
            let context = json!({
                "year": year,
                "money": summary.money.iter().map(|m| json!({"body": m.body_name, "amount": tkr(Some(m.amount))})).collect::<Vec<_>>(),
                "total": tkr(Some(summary.total)),
                "money_source": summary.money_source,
                "money_chart": money_chart,
                "money_chart_title": chart_title,
                "area_chart": area_chart,
                "area_chart_title": area_title,
                "areas": summary.areas.iter().map(|a| json!({
                    "name": a.name,
                    "goals": a.goals.iter().map(|g| json!({
                        "body": g.body_name,
                        "title": g.title,
                        "assessment": assessment_view(g.assessment),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "assignments": summary.assignments.iter().map(|a| json!({
                    "body": a.body_name,
                    "label": a.label,
                    "status": a.status.map_or("Ej rapporterat", |s| s.label_sv()),
                    "icon": a.status.map(styr_docgen::chart::status_icon),
                })).collect::<Vec<_>>(),
                "periods": summary.periods,
            });
            let title = format!("Sammanfattning {year}");
            draw(
                &state,
                &site.municipality_name,
                "public/summary.html",
                "sammanfattning",
                &title,
                context,
            )
        },
    )
    .await
}

async fn barometer(
    State(state): State<WebState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let actor = public_actor(&state);
    cached(&state, &headers, "/malbarometer".to_owned(), async |site| {
        let bodies = state.app.public_barometer(&actor).await?;
        let context = json!({
            "barometer": bodies.iter().map(|b| json!({
                "body": b.body_name,
                "period": b.period,
                "goals": b.goals.iter().map(|g| json!({
                    "title": g.title,
                    "assessment": assessment_view(g.assessment),
                    "indicators": g.indicators.iter().map(|i| json!({
                        "name": i.name,
                        "unit": i.unit,
                        "outcome": decimal(i.outcome),
                        "target": decimal(i.target),
                        "status": target_view(i.status),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        draw(
            &state,
            &site.municipality_name,
            "public/barometer.html",
            "malbarometer",
            "Målbarometer",
            context,
        )
    })
    .await
}

/// What is tested automatically on every change, and by which check: the page says this
/// rather than a result of its own, since a deployed server does not run the tests.
const AUTOMATIC_CHECKS: &[&str] = &[
    "axe-core (WCAG 2.1 A och AA) på varje sida för allmänheten, utan allvarliga eller kritiska fel (crates/web/e2e/checks/public.mjs)",
    "Tangentbordsnavigering: länken Hoppa till innehållet och varje länk i huvudmenyn nås med Tab i ordning (samma test)",
    "Varje diagram har en textbeskrivning och en tabell med samma siffror",
    "Status visas med ord och form, aldrig enbart med färg",
    "PDF-dokumenten är taggade (PDF/UA-1) med språk, titel och struktur; kontrolleras med pdfinfo och qpdf i styr-docgens tester",
    "Sidorna fungerar utan JavaScript och vid 390 pixlars bredd utan sidledes rullning",
];

async fn accessibility(
    State(state): State<WebState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let options = &state.options.accessibility;
    let context = json!({
        "contact": options.contact,
        "assessed": options.assessed,
        "checks": AUTOMATIC_CHECKS,
    });
    let title = "Tillgänglighetsredogörelse";
    let page = cached(
        &state,
        &headers,
        "/tillganglighet".to_owned(),
        async |site| {
            draw(
                &state,
                &site.municipality_name,
                "public/accessibility.html",
                "tillganglighet",
                title,
                context.clone(),
            )
        },
    )
    .await;
    match page {
        // The statement holds before anything is decided too: then drawn for each request.
        Err(error) if error.status() == StatusCode::NOT_FOUND => {
            let body = draw(
                &state,
                "",
                "public/accessibility.html",
                "tillganglighet",
                title,
                context,
            )?;
            Ok(Html(body).into_response())
        }
        page => page,
    }
}
