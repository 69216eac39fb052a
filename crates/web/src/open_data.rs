//! Open data without a token (`/data/`: the index page, the datasets as CSV and JSON, whole or
//! per year, and each body's Fiscal Data Package) and the Kolada comparison of the public site
//! (`/jamforelse`, `/jamforelse/{indikator}`). The files and the pages are the same for every
//! visitor, so they are rendered once per change of the data and sent with an ETag
//! (`etag.rs`); a logged-in browser gets the pages drawn with its own header, uncached. What
//! is public (decided budgets, closed periods) is the use cases' rule (`styr_app::open_data`).

use crate::WebState;
use crate::auth::{self, Viewer};
use crate::error::WebError;
use crate::etag::PublicAnswer;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::sync::Arc;
use styr_app::{Actor, DataFormat, Dataset, KoladaComparison, OpenData};
use styr_docgen::chart::{self, IndicatorSeries};
use styr_docgen::format::decimal_as_written;

/// The routes of open data and the comparison, merged into the application's router.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/data", get(index))
        .route("/data/", get(index))
        .route("/data/{file}", get(whole))
        .route("/data/{dataset}/{file}", get(of_year))
        .route("/data/fdp/{organ}/{file}", get(fiscal_data_package))
        .route("/jamforelse", get(comparisons))
        .route("/jamforelse/{indikator}", get(comparison))
}

/// Whoever asks is read as the public: open data is what the public may see.
fn public_actor(state: &WebState) -> Actor {
    Actor::public(state.options.public_municipality.clone())
}

fn not_found(path: &str) -> WebError {
    WebError::NotFound(format!("sidan {path} finns inte"))
}

/// `name.ext` split at its last dot.
fn split_file(file: &str) -> Option<(&str, DataFormat)> {
    let (name, extension) = file.rsplit_once('.')?;
    Some((name, DataFormat::parse(extension)?))
}

/// A dataset file rendered (or taken from the cache) and answered with its tag.
async fn data_file(
    state: &WebState,
    headers: &HeaderMap,
    uri: &Uri,
    dataset: Dataset,
    year: Option<i32>,
    format: DataFormat,
) -> Result<Response, WebError> {
    let answer = state
        .public
        .answer(&state.app, uri.path().to_owned(), async || {
            let data = state.app.open_data(&public_actor(state)).await?;
            if let Some(year) = year
                && !data.has_year(dataset, year)
            {
                return Err(not_found(uri.path()));
            }
            let bytes = match format {
                DataFormat::Csv => data.csv(dataset, year),
                DataFormat::Json => data.json(dataset, year, &state.options.licence),
            };
            Ok(PublicAnswer::new(format.media_type(), bytes))
        })
        .await?;
    Ok(answer.respond(headers))
}

/// `/data/budget.csv`, `/data/utfall.json`, …
async fn whole(
    State(state): State<WebState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, WebError> {
    let (dataset, format) = split_file(&file)
        .and_then(|(name, format)| Some((Dataset::parse(name)?, format)))
        .ok_or_else(|| not_found(uri.path()))?;
    data_file(&state, &headers, &uri, dataset, None, format).await
}

/// `/data/budget/2021.csv`, …: one year of a dataset; a year it does not hold is not found.
async fn of_year(
    State(state): State<WebState>,
    Path((dataset, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, WebError> {
    let dataset = Dataset::parse(&dataset).ok_or_else(|| not_found(uri.path()))?;
    let (year, format) = split_file(&file)
        .and_then(|(name, format)| {
            let year = (name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit()))
                .then(|| name.parse::<i32>().ok())
                .flatten()?;
            Some((year, format))
        })
        .ok_or_else(|| not_found(uri.path()))?;
    data_file(&state, &headers, &uri, dataset, Some(year), format).await
}

/// `/data/fdp/{organ}/datapackage.json` and `…/budget.csv`: `styr export fdp`'s two files for
/// a body's decided budget, the descriptor with the licence.
async fn fiscal_data_package(
    State(state): State<WebState>,
    Path((organ, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, WebError> {
    let descriptor = match file.as_str() {
        styr_app::FDP_DESCRIPTOR_FILE => true,
        styr_app::FDP_DATA_FILE => false,
        _ => return Err(not_found(uri.path())),
    };
    let answer = state
        .public
        .answer(&state.app, uri.path().to_owned(), async || {
            let package = state
                .app
                .published_fiscal_data_package(
                    &public_actor(&state),
                    &organ,
                    &state.options.licence,
                )
                .await?;
            Ok(if descriptor {
                PublicAnswer::new("application/json", package.descriptor)
            } else {
                PublicAnswer::new(DataFormat::Csv.media_type(), package.data)
            })
        })
        .await?;
    Ok(answer.respond(&headers))
}

/// A page of this module: for the public rendered once per change of the data and sent with
/// its tag; for a logged-in browser drawn with its own header and not cached.
async fn public_page(
    state: &WebState,
    headers: &HeaderMap,
    uri: &Uri,
    render: impl AsyncFnOnce(&Viewer) -> Result<String, WebError>,
) -> Result<Response, WebError> {
    if auth::has_session_cookie(headers) {
        let viewer = auth::viewer_of(state, headers, uri.path(), uri.query()).await?;
        if viewer.session.is_some() {
            return Ok(Html(render(&viewer).await?).into_response());
        }
    }
    let viewer = Viewer {
        actor: public_actor(state),
        session: None,
        name: None,
        bodies: None,
        path: uri.path().to_owned(),
    };
    let answer = state
        .public
        .answer(&state.app, uri.path().to_owned(), async || {
            Ok(PublicAnswer::html(render(&viewer).await?))
        })
        .await?;
    Ok(answer.respond(headers))
}

/// A size in bytes as a person reads it: "12 345 byte", "1,2 MB".
fn size_text(bytes: usize) -> String {
    if bytes < 100_000 {
        return format!("{} byte", decimal_as_written(Decimal::from(bytes)));
    }
    let (unit, divisor) = if bytes < 100_000_000 {
        ("kB", 1_000)
    } else {
        ("MB", 1_000_000)
    };
    let value = (Decimal::from(bytes) / Decimal::from(divisor))
        .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{} {unit}", decimal_as_written(value))
}

fn dataset_view(data: &OpenData, dataset: Dataset, licence: &styr_app::Licence) -> Value {
    let files = |year: Option<i32>| -> Vec<Value> {
        [DataFormat::Csv, DataFormat::Json]
            .into_iter()
            .map(|format| {
                let bytes = match format {
                    DataFormat::Csv => data.csv(dataset, year).len(),
                    DataFormat::Json => data.json(dataset, year, licence).len(),
                };
                let href = match year {
                    None => format!("/data/{}.{}", dataset.slug(), format.extension()),
                    Some(year) => {
                        format!("/data/{}/{year}.{}", dataset.slug(), format.extension())
                    }
                };
                json!({
                    "href": href,
                    "format": format.extension().to_uppercase(),
                    "size": size_text(bytes),
                })
            })
            .collect()
    };
    let years: Vec<Value> = data
        .years(dataset)
        .into_iter()
        .map(|year| json!({"year": year, "files": files(Some(year))}))
        .collect();
    json!({
        "slug": dataset.slug(),
        "title": dataset.title(),
        "description": dataset.description(),
        "files": files(None),
        "years": years,
        "changed": data.changed(dataset).unwrap_or_else(|| "–".to_owned()),
        "empty": data.years(dataset).is_empty(),
    })
}

/// `/data/`: what can be downloaded, in what format, under what licence, how large, and how
/// recent.
async fn index(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, WebError> {
    public_page(&state, &headers, &uri, async |viewer: &Viewer| {
        let data = state.app.open_data(&public_actor(&state)).await?;
        let licence = &state.options.licence;
        let datasets: Vec<Value> = Dataset::ALL
            .into_iter()
            .map(|dataset| dataset_view(&data, dataset, licence))
            .collect();
        let mut packages = Vec::new();
        for plan in &data.plans {
            let package = state
                .app
                .published_fiscal_data_package(&public_actor(&state), &plan.body, licence)
                .await?;
            packages.push(json!({
                "body": plan.body,
                "body_name": plan.body_name,
                "version_name": plan.version_name,
                "years": plan.years.iter().map(ToString::to_string).collect::<Vec<_>>().join("–"),
                "descriptor": format!("/data/fdp/{}/{}", plan.body, styr_app::FDP_DESCRIPTOR_FILE),
                "descriptor_size": size_text(package.descriptor.len()),
                "data": format!("/data/fdp/{}/{}", plan.body, styr_app::FDP_DATA_FILE),
                "data_size": size_text(package.data.len()),
                "changed": plan.decision_date.clone().unwrap_or_else(|| "–".to_owned()),
            }));
        }
        let plans: Vec<Value> = data
            .plans
            .iter()
            .map(|p| {
                json!({
                    "body_name": p.body_name,
                    "version_name": p.version_name,
                    "decision": p.decision,
                    "decision_date": p.decision_date,
                    "closed_through": p.closed_through.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                })
            })
            .collect();
        crate::pages::page_html(
            &state,
            viewer,
            &data.municipality_name,
            "open_data.html",
            "data",
            "Öppna data",
            json!({
                "datasets": datasets,
                "packages": packages,
                "plans": plans,
                "licence": {"id": licence.id, "title": licence.title, "url": licence.url},
            }),
        )
    })
    .await
}

/// A value in a table or a sentence: Swedish decimal comma, or "saknas".
fn value_text(value: Option<Decimal>) -> String {
    value.map_or_else(|| "saknas".to_owned(), decimal_as_written)
}

fn comparison_view(comparison: &KoladaComparison) -> Value {
    let present = |values: &[Option<Decimal>]| -> Vec<(i32, Decimal)> {
        comparison
            .years
            .iter()
            .zip(values)
            .filter_map(|(year, value)| value.map(|v| (*year, v)))
            .collect()
    };
    let own = comparison.rows.iter().find(|r| r.own);
    let series = IndicatorSeries {
        id: format!("jamforelse-{}", comparison.indicator),
        title: comparison.name.clone(),
        unit: comparison.unit.clone().unwrap_or_default(),
        direction: comparison.direction,
        outcomes: own.map(|r| present(&r.values)).unwrap_or_default(),
        targets: comparison.targets.clone(),
        comparison: present(&comparison.mean),
        comparison_label: format!("{}, medel", comparison.group),
    };
    let missing: Vec<String> = comparison
        .rows
        .iter()
        .flat_map(|row| {
            comparison
                .years
                .iter()
                .zip(&row.values)
                .filter(|(_, value)| value.is_none())
                .map(move |(year, _)| format!("{} {year}", row.name))
        })
        .collect();
    let has_values = comparison
        .rows
        .iter()
        .any(|r| r.values.iter().any(Option::is_some));
    json!({
        "id": comparison.indicator,
        "name": comparison.name,
        "kpi": comparison.kpi,
        "unit": comparison.unit,
        "group": comparison.group,
        "years": comparison.years,
        "rows": comparison.rows.iter().map(|row| json!({
            "name": row.name,
            "own": row.own,
            "values": row.values.iter().map(|v| json!({"text": value_text(*v), "missing": v.is_none()})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "mean": comparison.mean.iter().map(|v| json!({"text": value_text(*v), "missing": v.is_none()})).collect::<Vec<_>>(),
        "has_values": has_values,
        "svg": if has_values { chart::indicator_chart(&series) } else { String::new() },
        "description": chart::describe(&series),
        "missing": missing.join(", "),
        "sources": comparison.sources.join(", "),
        "retrieved": comparison.retrieved.join(", "),
    })
}

async fn comparison_page(
    state: &WebState,
    headers: &HeaderMap,
    uri: &Uri,
    only: Option<&str>,
) -> Result<Response, WebError> {
    public_page(state, headers, uri, async |viewer: &Viewer| {
        let actor = public_actor(state);
        let data = state.app.open_data(&actor).await?;
        let comparisons: Arc<Vec<KoladaComparison>> = state.app.kolada_comparisons(&actor).await?;
        let shown: Vec<&KoladaComparison> = comparisons
            .iter()
            .filter(|c| only.is_none_or(|id| c.indicator == id))
            .collect();
        if only.is_some() && shown.is_empty() {
            return Err(not_found(uri.path()));
        }
        let title = match shown.first() {
            Some(one) if only.is_some() => format!("Jämförelse: {}", one.name),
            _ => "Jämförelse med andra kommuner".to_owned(),
        };
        crate::pages::page_html(
            state,
            viewer,
            &data.municipality_name,
            "comparison.html",
            "jamforelse",
            &title,
            json!({
                "single": only.is_some(),
                "indicators": shown.iter().map(|c| comparison_view(c)).collect::<Vec<_>>(),
                "all": comparisons.iter().map(|c| json!({"id": c.indicator, "name": c.name})).collect::<Vec<_>>(),
                "municipality": data.municipality_name,
            }),
        )
    })
    .await
}

/// `/jamforelse`: every indicator with a Kolada KPI beside the comparison group.
async fn comparisons(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, WebError> {
    comparison_page(&state, &headers, &uri, None).await
}

/// `/jamforelse/{indikator}`: one indicator.
async fn comparison(
    State(state): State<WebState>,
    Path(indicator): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, WebError> {
    comparison_page(&state, &headers, &uri, Some(&indicator)).await
}
