//! Open data: what anyone may download without a login, and the Kolada comparison of the
//! public site. Only decided and closed content is public, whoever asks:
//!
//! - the budget of each body's latest **decided** version (never a proposal, never an
//!   adjusted version before it is decided), as the rows of the Fiscal Data Package
//!   (`styr_reports::fiscal_data`: one per budget line and year);
//! - the ledger's outcome per month and budget line of that version, for the months of a year
//!   up to its latest **closed** follow-up period (a month of an open period is not public);
//! - each indicator's outcomes and targets per year, as the decided plan states them;
//! - the Fiscal Data Package of each body's decided budget (`styr export fdp`'s files) with the
//!   licence;
//! - per indicator with a Kolada KPI, the municipality beside its comparison group (the plan's
//!   `[kolada]`) from the stored Kolada values.
//!
//! Everything is computed once per change of the data (`App::computed`).

use crate::{Actor, App, AppError, PlanSelector, Role};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;
use styr_domain::budget::VersionKind;
use styr_domain::followup::PeriodState;
use styr_domain::goal::{Direction, ValueKind};
use styr_domain::ledger::Month;
use styr_domain::{Money, Plan, Year};
use styr_reports::{RowKind, fiscal_data};
use styr_store::StoreError;

/// The licence open data is published under: an SPDX id with its name and address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    /// SPDX id: `CC0-1.0`, `CC-BY-4.0`.
    pub id: String,
    pub title: String,
    pub url: String,
}

/// The licences `styr serve --licens` knows, by SPDX id.
const LICENCES: [(&str, &str, &str); 3] = [
    (
        "CC0-1.0",
        "Creative Commons Zero v1.0 Universal (ingen upphovsrätt förbehålls)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    (
        "CC-BY-4.0",
        "Creative Commons Erkännande 4.0 Internationell",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    (
        "CC-BY-SA-4.0",
        "Creative Commons Erkännande-DelaLika 4.0 Internationell",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
];

impl Licence {
    /// A licence by its SPDX id (case-insensitive); an unknown id is an error naming the known.
    pub fn parse(id: &str) -> Result<Licence, AppError> {
        LICENCES
            .iter()
            .find(|(known, _, _)| known.eq_ignore_ascii_case(id.trim()))
            .map(|(id, title, url)| Licence {
                id: (*id).to_owned(),
                title: (*title).to_owned(),
                url: (*url).to_owned(),
            })
            .ok_or_else(|| {
                AppError::invalid(
                    "licens",
                    format!(
                        "{id:?} är ingen licens styr känner: {}",
                        LICENCES
                            .iter()
                            .map(|(id, _, _)| *id)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }
}

impl Default for Licence {
    /// CC0: public-sector data free for any use.
    fn default() -> Licence {
        Licence::parse("CC0-1.0").expect("CC0 is known")
    }
}

/// A body's decided budget version, as published.
#[derive(Debug, Clone)]
pub struct PublishedPlan {
    pub body: String,
    pub body_name: String,
    pub version: String,
    pub version_name: String,
    /// The decision's id and date (ISO), when the plan names them.
    pub decision: String,
    pub decision_date: Option<String>,
    pub years: Vec<Year>,
    /// The last month whose outcome is public (the latest closed period's), per year.
    pub closed_through: Vec<Month>,
    pub plan: Arc<Plan>,
}

/// One row of the budget dataset: a budget line of a body for a year, as decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRow {
    pub body: String,
    pub version: String,
    pub year: Year,
    /// `operating`, `investment` or `finance`.
    pub budget: &'static str,
    pub line: String,
    pub line_name: String,
    pub administrative_code: String,
    pub administrative_name: String,
    pub economic_code: Option<String>,
    /// Positive amounts (the Fiscal Data Package's directions).
    pub expenditure: Option<Money>,
    pub revenue: Option<Money>,
}

/// One row of the outcome dataset: what the ledger booked on a budget line in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRow {
    pub body: String,
    pub version: String,
    pub month: Month,
    /// `operating` or `investment`.
    pub budget: &'static str,
    pub line: String,
    pub line_name: String,
    /// The month's net amount as budget vs actual counts it (a cost line's net cost).
    pub outcome: Money,
    /// The year's outcome through this month.
    pub to_date: Money,
}

/// One row of the indicator dataset: an outcome or a target of an indicator for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    pub body: String,
    pub indicator: String,
    pub name: String,
    pub goal: String,
    pub unit: Option<String>,
    pub direction: Option<Direction>,
    pub kolada_kpi: Option<String>,
    pub year: Year,
    /// `outcome` or `target`.
    pub kind: &'static str,
    pub value: Decimal,
}

/// Everything `/data/` publishes for one municipality.
#[derive(Debug, Clone)]
pub struct OpenData {
    pub municipality: String,
    pub municipality_name: String,
    pub municipality_code: String,
    pub plans: Vec<PublishedPlan>,
    pub budget: Vec<BudgetRow>,
    pub outcomes: Vec<OutcomeRow>,
    pub indicators: Vec<IndicatorRow>,
}

impl OpenData {
    /// The years any published plan budgets.
    pub fn budget_years(&self) -> Vec<Year> {
        let mut years: Vec<Year> = self.budget.iter().map(|r| r.year).collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The years with a public outcome.
    pub fn outcome_years(&self) -> Vec<Year> {
        let mut years: Vec<Year> = self.outcomes.iter().map(|r| r.month.year()).collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The years with an indicator value.
    pub fn indicator_years(&self) -> Vec<Year> {
        let mut years: Vec<Year> = self.indicators.iter().map(|r| r.year).collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The published plan of a body.
    pub fn plan_of(&self, body: &str) -> Option<&PublishedPlan> {
        self.plans.iter().find(|p| p.body == body)
    }
}

/// One municipality's values of a KPI in the comparison, aligned with the years.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    pub code: String,
    pub name: String,
    /// The plan's own municipality.
    pub own: bool,
    /// Per year of [`KoladaComparison::years`]: the total value, `None` when Kolada has none.
    pub values: Vec<Option<Decimal>>,
}

/// An indicator with a Kolada KPI beside its comparison group.
#[derive(Debug, Clone, PartialEq)]
pub struct KoladaComparison {
    pub body: String,
    pub indicator: String,
    pub name: String,
    pub unit: Option<String>,
    pub direction: Option<Direction>,
    pub kpi: String,
    /// The group's name (`[kolada] comparison_name`).
    pub group: String,
    /// Every year any municipality of the group has a stored row for the KPI.
    pub years: Vec<Year>,
    /// The municipality first, then the group's members in the plan's order.
    pub rows: Vec<ComparisonRow>,
    /// The group's unweighted mean per year (`kolada::group_mean`), aligned with the years.
    pub mean: Vec<Option<Decimal>>,
    /// The decided plan's targets for the indicator.
    pub targets: Vec<(Year, Decimal)>,
    /// Where the values came from and when they were retrieved.
    pub sources: Vec<String>,
    pub retrieved: Vec<String>,
}

/// The decided version of each body: the latest imported whose kind is public (decided).
fn latest_decided(keys: &[styr_store::PlanKey], municipality: &str) -> Vec<(String, String)> {
    let mut chosen: BTreeMap<&str, &styr_store::PlanKey> = BTreeMap::new();
    for key in keys
        .iter()
        .filter(|k| k.municipality == municipality && VersionKind::code_is_public(&k.kind))
    {
        let newer = chosen
            .get(key.body.as_str())
            .is_none_or(|held| key.imported_at > held.imported_at);
        if newer {
            chosen.insert(key.body.as_str(), key);
        }
    }
    chosen
        .into_values()
        .map(|k| (k.body.clone(), k.version.clone()))
        .collect()
}

/// The last closed period's month of each year of the plan.
fn closed_through(plan: &Plan) -> Vec<Month> {
    let mut by_year: BTreeMap<Year, Month> = BTreeMap::new();
    for period in plan
        .periods
        .iter()
        .filter(|p| p.state == PeriodState::Closed)
    {
        let entry = by_year.entry(period.month.year()).or_insert(period.month);
        if period.month > *entry {
            *entry = period.month;
        }
    }
    by_year.into_values().collect()
}

impl App {
    /// The municipality open data is about: the one named (the server's `--kommun`), else the
    /// only one with a decided plan.
    async fn public_municipality(
        &self,
        actor: &Actor,
    ) -> Result<(String, Vec<styr_store::PlanKey>), AppError> {
        let keys = self.store.plans().await?;
        let wanted = actor.municipality.clone();
        let mut municipalities: Vec<String> = keys
            .iter()
            .filter(|k| wanted.as_ref().is_none_or(|w| &k.municipality == w))
            .filter(|k| VersionKind::code_is_public(&k.kind))
            .map(|k| k.municipality.clone())
            .collect();
        municipalities.sort();
        municipalities.dedup();
        match municipalities.len() {
            0 => Err(AppError::NotFound(
                "ingen beslutad plan är publicerad ännu".to_owned(),
            )),
            1 => Ok((municipalities.remove(0), keys)),
            _ => Err(AppError::Store(StoreError::AmbiguousMunicipality(
                municipalities,
            ))),
        }
    }

    /// What `/data/` publishes: the decided budgets, the outcomes of closed periods, the
    /// indicator values, whoever asks (read as the public: a logged-in user gets the same
    /// files). Computed once per change of the data.
    pub async fn open_data(&self, actor: &Actor) -> Result<Arc<OpenData>, AppError> {
        let (municipality, keys) = self.public_municipality(actor).await?;
        let key = format!("open data {municipality}");
        self.computed(key, async || {
            self.compute_open_data(&municipality, &keys).await
        })
        .await
    }

    async fn compute_open_data(
        &self,
        municipality: &str,
        keys: &[styr_store::PlanKey],
    ) -> Result<OpenData, AppError> {
        let public = Actor::public(Some(municipality.to_owned()));
        debug_assert_eq!(public.role, Role::Public);
        let mut data = OpenData {
            municipality: municipality.to_owned(),
            municipality_name: String::new(),
            municipality_code: String::new(),
            plans: Vec::new(),
            budget: Vec::new(),
            outcomes: Vec::new(),
            indicators: Vec::new(),
        };
        for (body, version) in latest_decided(keys, municipality) {
            let selector = PlanSelector {
                municipality: Some(municipality.to_owned()),
                body: Some(body.clone()),
                version: Some(version.clone()),
            };
            let plan = self.shared_plan(&public, &selector).await?;
            if !plan.budget.version.kind.is_public() {
                continue;
            }
            data.municipality_name = plan.municipality.name.clone();
            data.municipality_code = plan.municipality.code.clone();
            let decision = plan
                .budget
                .version
                .decision
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let decision_date = plan
                .decisions
                .iter()
                .find(|d| d.id.as_str() == decision)
                .and_then(|d| d.date.clone());
            let fiscal = fiscal_data(&plan);
            data.budget.extend(fiscal.rows.iter().map(|row| BudgetRow {
                body: body.clone(),
                version: version.clone(),
                year: row.year,
                budget: row.budget,
                line: row.line.clone(),
                line_name: row.line_name.clone(),
                administrative_code: row.administrative_code.clone(),
                administrative_name: row.administrative_name.clone(),
                economic_code: row.economic_code.clone(),
                expenditure: row.expenditure,
                revenue: row.revenue,
            }));
            let closed = closed_through(&plan);
            for last in &closed {
                self.outcomes_through(&plan, &body, &version, *last, &mut data.outcomes)
                    .await?;
            }
            for value in &plan.indicator_values {
                let Some(indicator) = plan.indicators.iter().find(|i| i.id == value.indicator)
                else {
                    continue;
                };
                data.indicators.push(IndicatorRow {
                    body: body.clone(),
                    indicator: indicator.id.to_string(),
                    name: indicator.name.clone(),
                    goal: indicator.goal.to_string(),
                    unit: indicator.unit.clone(),
                    direction: indicator.direction,
                    kolada_kpi: indicator.kolada_kpi.clone(),
                    year: value.year,
                    kind: match value.kind {
                        ValueKind::Outcome => "outcome",
                        ValueKind::Target => "target",
                    },
                    value: value.value,
                });
            }
            data.plans.push(PublishedPlan {
                body: body.clone(),
                body_name: plan
                    .body(&plan.document.body)
                    .map_or_else(|| body.clone(), |b| b.name.clone()),
                version: version.clone(),
                version_name: plan.budget.version.name.clone(),
                decision,
                decision_date,
                years: plan.document.years.clone(),
                closed_through: closed,
                plan,
            });
        }
        if data.plans.is_empty() {
            return Err(AppError::NotFound(
                "ingen beslutad plan är publicerad ännu".to_owned(),
            ));
        }
        Ok(data)
    }

    /// The ledger's outcome per month and budget line from January to `last` (a closed
    /// period's month): each month's figure is the year-to-date actual of budget vs actual
    /// less the month before's, so the months add up to the report's year to date.
    async fn outcomes_through(
        &self,
        plan: &Plan,
        body: &str,
        version: &str,
        last: Month,
        into: &mut Vec<OutcomeRow>,
    ) -> Result<(), AppError> {
        let mut before: BTreeMap<String, Money> = BTreeMap::new();
        for number in 1..=last.month() {
            let Some(month) = Month::new(last.year(), number) else {
                continue;
            };
            let report = self.economy(plan, month).await?;
            for row in &report.rows {
                let budget = match row.kind {
                    RowKind::Line => "operating",
                    RowKind::Project => "investment",
                    _ => continue,
                };
                let Some(line) = &row.line else { continue };
                let Some(actual) = row.cell.actual() else {
                    continue;
                };
                let line = line.to_string();
                let previous = before.insert(line.clone(), actual.to_date);
                into.push(OutcomeRow {
                    body: body.to_owned(),
                    version: version.to_owned(),
                    month,
                    budget,
                    line,
                    line_name: row.label.clone(),
                    outcome: actual.to_date - previous.unwrap_or(Money::ZERO),
                    to_date: actual.to_date,
                });
            }
        }
        Ok(())
    }

    /// The Fiscal Data Package of a body's decided budget, its descriptor carrying `licence`.
    pub async fn published_fiscal_data_package(
        &self,
        actor: &Actor,
        body: &str,
        licence: &Licence,
    ) -> Result<crate::FiscalDataPackage, AppError> {
        let data = self.open_data(actor).await?;
        let Some(published) = data.plan_of(body) else {
            return Err(AppError::NotFound(format!(
                "organet {body} har ingen beslutad budget publicerad"
            )));
        };
        let mut package = crate::fiscal_data_package(&fiscal_data(&published.plan));
        let mut descriptor: serde_json::Value = serde_json::from_slice(&package.descriptor)
            .map_err(|e| AppError::invalid("datapackage.json", e.to_string()))?;
        descriptor["licenses"] = serde_json::json!([{
            "name": licence.id,
            "title": licence.title,
            "path": licence.url,
        }]);
        package.descriptor =
            serde_json::to_vec_pretty(&descriptor).expect("a JSON value always serialises");
        package.descriptor.push(b'\n');
        Ok(package)
    }

    /// Each indicator of the decided plans with a Kolada KPI, the municipality beside the
    /// plan's comparison group, from the stored Kolada values. Computed once per change of
    /// the data.
    pub async fn kolada_comparisons(
        &self,
        actor: &Actor,
    ) -> Result<Arc<Vec<KoladaComparison>>, AppError> {
        let data = self.open_data(actor).await?;
        let key = format!("kolada comparison {}", data.municipality);
        self.computed(key, async || {
            let stored = self.store.kolada_values(&data.municipality).await?;
            let mut comparisons = Vec::new();
            for published in &data.plans {
                let plan = &published.plan;
                for indicator in &plan.indicators {
                    let Some(kpi) = indicator.kolada_kpi.clone() else {
                        continue;
                    };
                    if comparisons
                        .iter()
                        .any(|c: &KoladaComparison| c.indicator == indicator.id.as_str())
                    {
                        continue;
                    }
                    comparisons.push(comparison(plan, indicator, &kpi, &stored));
                }
            }
            Ok(comparisons)
        })
        .await
    }
}

/// The comparison of one indicator.
fn comparison(
    plan: &Plan,
    indicator: &styr_domain::goal::Indicator,
    kpi: &str,
    stored: &[styr_domain::kolada::KoladaValue],
) -> KoladaComparison {
    use styr_domain::kolada::{Gender, group_mean, totals};
    let mut members: Vec<(String, String, bool)> = vec![(
        plan.municipality.code.clone(),
        plan.municipality
            .name
            .trim_end_matches(" kommun")
            .to_owned(),
        true,
    )];
    members.extend(
        plan.kolada
            .comparison
            .iter()
            .map(|m| (m.code.clone(), m.name.clone(), false)),
    );
    let of_group: Vec<&styr_domain::kolada::KoladaValue> = stored
        .iter()
        .filter(|v| {
            v.kpi == kpi
                && v.gender == Gender::Total
                && members.iter().any(|m| m.0 == v.municipality)
        })
        .collect();
    let mut years: Vec<Year> = of_group.iter().map(|v| v.year).collect();
    years.sort_unstable();
    years.dedup();
    let rows = members
        .iter()
        .map(|(code, name, own)| {
            let values = totals(stored, kpi, code);
            ComparisonRow {
                code: code.clone(),
                name: name.clone(),
                own: *own,
                values: years
                    .iter()
                    .map(|year| values.iter().find(|(y, _)| y == year).map(|(_, v)| *v))
                    .collect(),
            }
        })
        .collect();
    let codes: Vec<&str> = plan
        .kolada
        .comparison
        .iter()
        .map(|m| m.code.as_str())
        .collect();
    let mean = group_mean(stored, kpi, &codes);
    let mut sources: Vec<String> = of_group.iter().map(|v| v.source.clone()).collect();
    sources.sort();
    sources.dedup();
    let mut retrieved: Vec<String> = of_group.iter().map(|v| v.retrieved.clone()).collect();
    retrieved.sort();
    retrieved.dedup();
    KoladaComparison {
        body: plan.document.body.to_string(),
        indicator: indicator.id.to_string(),
        name: indicator.name.clone(),
        unit: indicator.unit.clone(),
        direction: indicator.direction,
        kpi: kpi.to_owned(),
        group: plan
            .kolada
            .comparison_name
            .clone()
            .unwrap_or_else(|| "Jämförelsekommuner".to_owned()),
        mean: years
            .iter()
            .map(|year| mean.iter().find(|(y, _)| y == year).map(|(_, v)| *v))
            .collect(),
        years,
        rows,
        targets: plan
            .indicator_values
            .iter()
            .filter(|v| v.indicator == indicator.id && v.kind == ValueKind::Target)
            .map(|v| (v.year, v.value))
            .collect(),
        sources,
        retrieved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_licence_is_known_by_its_spdx_id_and_cc0_is_the_default() {
        assert_eq!(Licence::default().id, "CC0-1.0");
        assert_eq!(Licence::parse("cc-by-4.0").unwrap().id, "CC-BY-4.0");
        let unknown = Licence::parse("MIT").unwrap_err().to_string();
        assert!(unknown.contains("CC0-1.0"), "{unknown}");
    }
}

/// The datasets of `/data/`, each as CSV and JSON, whole or for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Budget,
    Outcomes,
    Indicators,
}

/// A dataset's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    Csv,
    Json,
}

impl DataFormat {
    pub fn parse(extension: &str) -> Option<DataFormat> {
        match extension {
            "csv" => Some(DataFormat::Csv),
            "json" => Some(DataFormat::Json),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            DataFormat::Csv => "csv",
            DataFormat::Json => "json",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            DataFormat::Csv => "text/csv; charset=utf-8; header=present",
            DataFormat::Json => "application/json",
        }
    }
}

impl Dataset {
    pub const ALL: [Dataset; 3] = [Dataset::Budget, Dataset::Outcomes, Dataset::Indicators];

    /// The name in the file's path: `budget`, `utfall`, `indikatorer`.
    pub fn slug(self) -> &'static str {
        match self {
            Dataset::Budget => "budget",
            Dataset::Outcomes => "utfall",
            Dataset::Indicators => "indikatorer",
        }
    }

    pub fn parse(slug: &str) -> Option<Dataset> {
        Dataset::ALL.into_iter().find(|d| d.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            Dataset::Budget => "Beslutad budget",
            Dataset::Outcomes => "Utfall per månad",
            Dataset::Indicators => "Indikatorer: utfall och mål",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Dataset::Budget => {
                "Varje organs senast beslutade budgetversion: en rad per budgetrad och år \
                 (driftbudgetens nettokostnad, investeringar och finansförvaltningen), \
                 kostnad och intäkt i kronor. Förslag och ej beslutade justeringar ingår inte."
            }
            Dataset::Outcomes => {
                "Bokfört utfall per månad och budgetrad ur huvudboken, för månaderna till och \
                 med den senast stängda uppföljningsperioden varje år; öppna perioder ingår \
                 inte. Nettobelopp i kronor som budgetuppföljningen räknar dem."
            }
            Dataset::Indicators => {
                "Varje indikators utfall och målvärden per år, som den beslutade planen anger \
                 dem, med Kolada-nyckeltal där planen anger ett."
            }
        }
    }
}

/// An amount in kronor with a decimal point and two decimals, exactly ("-1234.50").
pub fn kr_text(money: Money) -> String {
    let ore = money.ore();
    let sign = if ore < 0 { "-" } else { "" };
    let abs = ore.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn optional_kr(money: Option<Money>) -> String {
    money.map(kr_text).unwrap_or_default()
}

/// A decimal as a JSON number when its text survives the trip (every indicator value with up
/// to 15 significant digits), else as a string: never rounded.
fn json_decimal(value: Decimal) -> serde_json::Value {
    let text = value.normalize().to_string();
    match text.parse::<serde_json::Number>() {
        Ok(number)
            if number.to_string() == text
                || number.as_f64().is_some_and(|f| f.to_string() == text) =>
        {
            serde_json::Value::Number(number)
        }
        _ => serde_json::Value::String(text),
    }
}

fn direction_code(direction: Option<Direction>) -> &'static str {
    match direction {
        Some(Direction::Higher) => "higher",
        Some(Direction::Lower) => "lower",
        None => "",
    }
}

impl OpenData {
    /// Whether a dataset has rows for `year` (a year not held is not found).
    pub fn has_year(&self, dataset: Dataset, year: Year) -> bool {
        match dataset {
            Dataset::Budget => self.budget_years(),
            Dataset::Outcomes => self.outcome_years(),
            Dataset::Indicators => self.indicator_years(),
        }
        .contains(&year)
    }

    /// The years a dataset holds.
    pub fn years(&self, dataset: Dataset) -> Vec<Year> {
        match dataset {
            Dataset::Budget => self.budget_years(),
            Dataset::Outcomes => self.outcome_years(),
            Dataset::Indicators => self.indicator_years(),
        }
    }

    /// The date the dataset last changed as far as the data tells: the newest decision of a
    /// published budget, or for the outcomes the last day of the newest closed period.
    pub fn changed(&self, dataset: Dataset) -> Option<String> {
        match dataset {
            Dataset::Budget | Dataset::Indicators => self
                .plans
                .iter()
                .filter_map(|p| p.decision_date.clone())
                .max(),
            Dataset::Outcomes => self
                .plans
                .iter()
                .flat_map(|p| p.closed_through.iter())
                .max()
                .map(|m| m.last_day()),
        }
    }

    fn body_name<'a>(&'a self, body: &'a str) -> &'a str {
        self.plan_of(body).map_or(body, |p| p.body_name.as_str())
    }

    fn decision_of(&self, body: &str) -> &str {
        self.plan_of(body).map_or("", |p| p.decision.as_str())
    }

    /// The dataset (of one year, or all) as CSV: UTF-8, comma-separated, a header row,
    /// amounts in kronor with a decimal point.
    pub fn csv(&self, dataset: Dataset, year: Option<Year>) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let wanted = |y: Year| year.is_none_or(|asked| asked == y);
        let written: csv::Result<()> = (|| {
            match dataset {
                Dataset::Budget => {
                    writer.write_record([
                        "organ",
                        "organ_namn",
                        "budgetversion",
                        "beslut",
                        "ar",
                        "budget",
                        "rad",
                        "rad_namn",
                        "ansvar",
                        "ansvar_namn",
                        "konto",
                        "kostnad_kr",
                        "intakt_kr",
                    ])?;
                    for row in self.budget.iter().filter(|r| wanted(r.year)) {
                        writer.write_record([
                            row.body.as_str(),
                            self.body_name(&row.body),
                            &row.version,
                            self.decision_of(&row.body),
                            &row.year.to_string(),
                            row.budget,
                            &row.line,
                            &row.line_name,
                            &row.administrative_code,
                            &row.administrative_name,
                            row.economic_code.as_deref().unwrap_or(""),
                            &optional_kr(row.expenditure),
                            &optional_kr(row.revenue),
                        ])?;
                    }
                }
                Dataset::Outcomes => {
                    writer.write_record([
                        "organ",
                        "organ_namn",
                        "budgetversion",
                        "manad",
                        "budget",
                        "rad",
                        "rad_namn",
                        "utfall_kr",
                        "utfall_ackumulerat_kr",
                    ])?;
                    for row in self.outcomes.iter().filter(|r| wanted(r.month.year())) {
                        writer.write_record([
                            row.body.as_str(),
                            self.body_name(&row.body),
                            &row.version,
                            &row.month.to_string(),
                            row.budget,
                            &row.line,
                            &row.line_name,
                            &kr_text(row.outcome),
                            &kr_text(row.to_date),
                        ])?;
                    }
                }
                Dataset::Indicators => {
                    writer.write_record([
                        "organ",
                        "indikator",
                        "namn",
                        "mal",
                        "enhet",
                        "riktning",
                        "kolada_kpi",
                        "ar",
                        "typ",
                        "varde",
                    ])?;
                    for row in self.indicators.iter().filter(|r| wanted(r.year)) {
                        writer.write_record([
                            row.body.as_str(),
                            &row.indicator,
                            &row.name,
                            &row.goal,
                            row.unit.as_deref().unwrap_or(""),
                            direction_code(row.direction),
                            row.kolada_kpi.as_deref().unwrap_or(""),
                            &row.year.to_string(),
                            row.kind,
                            &row.value.normalize().to_string(),
                        ])?;
                    }
                }
            }
            writer.flush()?;
            Ok(())
        })();
        written.expect("CSV into memory does not fail");
        writer
            .into_inner()
            .unwrap_or_else(|_| unreachable!("the writer was flushed"))
    }

    /// The dataset (of one year, or all) as JSON: what it is, its licence and its rows;
    /// amounts as whole öre (integers are exact in every JSON reader).
    pub fn json(&self, dataset: Dataset, year: Option<Year>, licence: &Licence) -> Vec<u8> {
        use serde_json::json;
        let wanted = |y: Year| year.is_none_or(|asked| asked == y);
        let rows: Vec<serde_json::Value> = match dataset {
            Dataset::Budget => self
                .budget
                .iter()
                .filter(|r| wanted(r.year))
                .map(|row| {
                    json!({
                        "organ": row.body,
                        "organ_namn": self.body_name(&row.body),
                        "budgetversion": row.version,
                        "beslut": self.decision_of(&row.body),
                        "ar": row.year,
                        "budget": row.budget,
                        "rad": row.line,
                        "rad_namn": row.line_name,
                        "ansvar": row.administrative_code,
                        "ansvar_namn": row.administrative_name,
                        "konto": row.economic_code,
                        "kostnad_ore": row.expenditure.map(Money::ore),
                        "intakt_ore": row.revenue.map(Money::ore),
                    })
                })
                .collect(),
            Dataset::Outcomes => self
                .outcomes
                .iter()
                .filter(|r| wanted(r.month.year()))
                .map(|row| {
                    json!({
                        "organ": row.body,
                        "organ_namn": self.body_name(&row.body),
                        "budgetversion": row.version,
                        "manad": row.month.to_string(),
                        "budget": row.budget,
                        "rad": row.line,
                        "rad_namn": row.line_name,
                        "utfall_ore": row.outcome.ore(),
                        "utfall_ackumulerat_ore": row.to_date.ore(),
                    })
                })
                .collect(),
            Dataset::Indicators => self
                .indicators
                .iter()
                .filter(|r| wanted(r.year))
                .map(|row| {
                    json!({
                        "organ": row.body,
                        "indikator": row.indicator,
                        "namn": row.name,
                        "mal": row.goal,
                        "enhet": row.unit,
                        "riktning": direction_code(row.direction),
                        "kolada_kpi": row.kolada_kpi,
                        "ar": row.year,
                        "typ": row.kind,
                        "varde": json_decimal(row.value),
                    })
                })
                .collect(),
        };
        let document = json!({
            "dataset": dataset.slug(),
            "titel": dataset.title(),
            "beskrivning": dataset.description(),
            "kommun": self.municipality_name,
            "kommunkod": self.municipality_code,
            "ar": year,
            "licens": {"id": licence.id, "namn": licence.title, "url": licence.url},
            "belopp": match dataset {
                Dataset::Indicators => serde_json::Value::Null,
                _ => json!("öre (heltal); 100 öre = 1 krona"),
            },
            "rader": rows,
        });
        let mut bytes = serde_json::to_vec_pretty(&document).expect("a JSON value serialises");
        bytes.push(b'\n');
        bytes
    }
}
