//! Kolada in: the values of the plan's KPIs for the municipality and its comparison group,
//! read from API responses (files or fetched pages) and stored with source and retrieval date.
//!
//! Which KPI belongs to which indicator is the plan's (`indicators.csv`, column `kolada_kpi`);
//! which municipalities count is the plan's too (its own code and `[kolada]` in `styr.toml`).
//! A response with a KPI or a municipality outside them is refused whole, with file, line and
//! field: an import is all-or-nothing.

use crate::{Actor, App, AppError, PlanSelector, Problem};
use std::collections::BTreeSet;
use styr_domain::Plan;
use styr_domain::kolada::KoladaValue;
use styr_kolada::{Query, Retrieval, read_pages};
use styr_store::KoladaRecorded;

/// One response to import: the file name (or URL) it came from, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KoladaResponse {
    pub source: String,
    pub bytes: Vec<u8>,
}

/// What an import of Kolada responses did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KoladaImported {
    /// Values read (every KPI, municipality, year and gender).
    pub values: usize,
    /// Of them, how many had no value (missing in Kolada).
    pub missing: usize,
    pub recorded: KoladaRecorded,
}

/// What to fetch from the Kolada API: empty lists mean the plan's own KPIs and municipalities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KoladaFetch {
    pub base_url: String,
    pub kpis: Vec<String>,
    pub municipalities: Vec<String>,
    pub years: Vec<i32>,
}

/// What a fetch did: the pages fetched (URL and size in bytes) and the import of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KoladaFetched {
    pub pages: Vec<(String, usize)>,
    pub imported: KoladaImported,
}

/// Whether `text` is an ISO date (YYYY-MM-DD) with a valid month and day.
fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return false;
    }
    let (month, day): (u32, u32) = (month.parse().unwrap_or(0), day.parse().unwrap_or(0));
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// The query that fills the plan's indicators: every KPI an indicator follows, for the
/// municipality and its comparison group (or the `municipalities` given), for `years`.
fn kolada_query(plan: &Plan, municipalities: &[String], years: &[i32]) -> Query {
    let kpis: BTreeSet<String> = plan
        .indicators
        .iter()
        .filter_map(|i| i.kolada_kpi.clone())
        .collect();
    let municipalities = if municipalities.is_empty() {
        std::iter::once(plan.municipality.code.clone())
            .chain(plan.kolada.comparison.iter().map(|m| m.code.clone()))
            .collect()
    } else {
        municipalities.to_vec()
    };
    Query {
        kpis: kpis.into_iter().collect(),
        municipalities,
        years: years.to_vec(),
    }
}

impl App {
    /// Fetches the plan's KPIs for the municipality and its comparison group (or what `fetch`
    /// names) from the Kolada API and imports every page as [`App::import_kolada`] does.
    pub async fn fetch_kolada(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        fetch: &KoladaFetch,
        retrieved: &str,
    ) -> Result<KoladaFetched, AppError> {
        let plan = self.load_plan(actor, selector).await?;
        let mut query = kolada_query(&plan, &fetch.municipalities, &fetch.years);
        if !fetch.kpis.is_empty() {
            query.kpis = fetch.kpis.clone();
        }
        let base_url = fetch.base_url.clone();
        // The HTTP client blocks: off the runtime's threads. A fetch that panicked or was
        // cancelled is an error of the fetch, not a second panic here.
        let fetched = tokio::task::spawn_blocking(move || styr_kolada::fetch(&base_url, &query))
            .await
            .map_err(|error| styr_kolada::FetchError::Transport {
                url: fetch.base_url.clone(),
                message: format!("hämtningen avbröts: {error}"),
            })??;
        let pages = fetched
            .iter()
            .map(|page| (page.url.clone(), page.bytes.len()))
            .collect();
        let responses: Vec<KoladaResponse> = fetched
            .into_iter()
            .map(|page| KoladaResponse {
                source: page.url,
                bytes: page.bytes,
            })
            .collect();
        let imported = self
            .import_kolada(actor, selector, &responses, retrieved)
            .await?;
        Ok(KoladaFetched { pages, imported })
    }

    /// Imports Kolada responses (the pages of one or more answers), all-or-nothing: every value
    /// must be of a KPI an indicator of the plan follows, and of the municipality itself or a
    /// member of its comparison group. Stored with the response's source and `retrieved` (ISO
    /// date), in one transaction with one audit row; values equal to the stored ones are not
    /// written again.
    pub async fn import_kolada(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        responses: &[KoladaResponse],
        retrieved: &str,
    ) -> Result<KoladaImported, AppError> {
        actor.require_controller("hämta nyckeltal från Kolada")?;
        if !is_iso_date(retrieved) {
            return Err(AppError::invalid(
                "retrieved",
                format!("{retrieved:?} är inte ett datum (ÅÅÅÅ-MM-DD)"),
            ));
        }
        let plan = self.load_plan(actor, selector).await?;
        let pages: Vec<(String, Vec<u8>, Retrieval)> = responses
            .iter()
            .map(|response| {
                (
                    response.source.clone(),
                    response.bytes.clone(),
                    Retrieval {
                        source: format!("Kolada: {}", response.source),
                        retrieved: retrieved.to_owned(),
                    },
                )
            })
            .collect();
        let read = read_pages(&pages).map_err(|diagnostics| {
            AppError::Invalid(
                diagnostics
                    .into_iter()
                    .map(|d| Problem::at(&d.file, d.line, d.field, d.message))
                    .collect(),
            )
        })?;
        let kpis: BTreeSet<&str> = plan
            .indicators
            .iter()
            .filter_map(|i| i.kolada_kpi.as_deref())
            .collect();
        let mut areas: BTreeSet<&str> = plan
            .kolada
            .comparison
            .iter()
            .map(|m| m.code.as_str())
            .collect();
        areas.insert(plan.municipality.code.as_str());
        let mut problems = Vec::new();
        // One problem per file and unknown KPI or municipality: the first place it occurs.
        let mut reported: BTreeSet<(String, String)> = BTreeSet::new();
        for value in &read {
            let kpi = value.value.kpi.as_str();
            if !kpis.contains(kpi) && reported.insert((value.file.clone(), format!("kpi {kpi}"))) {
                problems.push(Problem::at(
                    &value.file,
                    value.kpi_line,
                    format!("{}.kpi", value.object),
                    format!(
                        "nyckeltalet {kpi} hör inte till någon indikator i planen (kolada_kpi i indicators.csv: {})",
                        if kpis.is_empty() {
                            "inga".to_owned()
                        } else {
                            kpis.iter().copied().collect::<Vec<_>>().join(", ")
                        }
                    ),
                ));
            }
            let area = value.value.municipality.as_str();
            if !areas.contains(area)
                && reported.insert((value.file.clone(), format!("municipality {area}")))
            {
                problems.push(Problem::at(
                    &value.file,
                    value.municipality_line,
                    format!("{}.municipality", value.object),
                    format!(
                        "kommunen {area} är varken {} ({}) eller med i jämförelsegruppen ([kolada] i styr.toml)",
                        plan.municipality.name, plan.municipality.code
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let values: Vec<KoladaValue> = read.into_iter().map(|v| v.value).collect();
        let missing = values.iter().filter(|v| v.value.is_none()).count();
        let sources: Vec<&str> = responses.iter().map(|r| r.source.as_str()).collect();
        let action = format!(
            "import kolada {}/{}",
            plan.municipality.id,
            sources.join(",")
        );
        let recorded = self
            .store
            .record_kolada_values(
                plan.municipality.id.as_str(),
                &values,
                &actor.login,
                &action,
            )
            .await?;
        Ok(KoladaImported {
            values: values.len(),
            missing,
            recorded,
        })
    }

    /// The stored Kolada values of the selected plan's municipality.
    pub async fn kolada_values(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<Vec<KoladaValue>, AppError> {
        let plan = self.load_plan(actor, selector).await?;
        Ok(self
            .store
            .kolada_values(plan.municipality.id.as_str())
            .await?)
    }
}
