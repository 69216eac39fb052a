//! The use cases of styr, once: importing a plan and ledger actuals, reporting what happened in
//! a follow-up period, closing and reopening periods, budget versions through their life, the
//! year rollover, the reports and the documents.
//!
//! Every use case takes the acting [`Actor`], checks what the actor may do, validates the input
//! by the domain's rules, and writes through the store in one transaction with one audit row
//! (who, when, before and after). The CLI and the web application only parse, call and present:
//! nothing here knows SQL (that is `styr-store`), HTTP, HTML templates or terminals.

mod accounts;
mod acknowledgements;
mod actor;
mod actuals;
mod alternatives;
mod audit_text;
mod authoring;
mod bodies;
mod budget_out;
mod control;
mod documents;
mod drill;
mod due;
mod error;
mod excel;
mod followup;
mod identity;
mod kolada;
mod ledger_cache;
mod municipality;
mod open_data;
mod operations;
mod personnel;
mod plausibility;
pub mod process;
mod public;

pub mod reminders;
mod rollover;
mod statement_vouchers;
mod statements;
mod statutory;
mod trace;
mod trace_followup;
mod trace_plan;
mod trace_reports;
mod trace_statutory;
mod users;
mod versions;
mod view;

pub use accounts::StatutoryAccounts;
pub use actor::{Actor, Role, plan_is_executive};
pub use actuals::{
    ActualsImported, ActualsOptions, ImportProgress, MappingSummary, NoProgress, RowSum, Smaller,
};
pub use alternatives::{AlternativeView, FrameInput, FrameLine, NewAlternative};
pub use audit_text::{DescribedEntry, describe, describe_lines, subject_name, unit_name};
pub use authoring::{
    BaseToken, DiffLine, Section, SectionConflict, SectionInfo, SectionKind, SectionPreview,
    SectionRevisionInfo, SectionSaved, SectionTable, diff_lines,
};
pub use bodies::{BodyChoice, BodyOption};
pub use budget_out::{
    DEFAULT_NET_ACCOUNT, FDP_DATA_FILE, FDP_DESCRIPTOR_FILE, FiscalDataPackage, SieBudget,
    fiscal_data_package, sie_budget,
};
pub use documents::{
    BudgetReport, DocumentFormat, RenderedReport, render_plan, render_plan_traced,
};
pub use drill::{
    CursorError, DEFAULT_PAGE_ROWS, DrillDown, DrillGroup, MAX_PAGE_ROWS, VoucherCursor,
    VoucherPage, VoucherRequest,
};
pub use due::{DueEntry, PeriodDue, PeriodSave, PersonMissing, Refusal, Submitted, choose_period};
pub use error::{AppError, Problem};
pub use excel::{WorkbookImported, plan_workbook, workbook_into_package};
pub use followup::{FollowUpImported, PeriodOverview, Reported, may_report, may_report_item};
pub use identity::{PROVIDER_LOGIN_SECONDS, ProviderClaims, SignInRefused};
pub use kolada::{KoladaFetch, KoladaFetched, KoladaImported, KoladaResponse};
pub use open_data::{
    BudgetRow, ComparisonRow, DataFormat, Dataset, IndicatorRow, KoladaComparison, Licence,
    OpenData, OutcomeRow, PublishedPlan, kr_text,
};
pub use operations::{BackupSummary, RestoreSummary, newest_schema_version, restore};
pub use personnel::{MeasureCell, MeasuresImported, span_of};
pub use public::{
    AreaSummary, AssignmentLine, BarometerBody, BarometerGoal, BarometerIndicator, BodyMoney,
    CitizenSummary, GoalLine, PublicPlan, PublicReport, PublicReportPage, PublicSite,
};
pub use rollover::RolloverSummary;
pub use statement_vouchers::StatementVoucherPage;
pub use statutory::{StatutoryDocument, StatutoryListing};
/// The checker's findings, as a section's save gives them back.
pub use styr_checks::{Finding, Severity};
pub use styr_reports::municipal::{
    BodyOverview, BodyPlan, CompanyOverview, Contribution, CouncilGoal, CouncilPlan, FrameFigure,
    FrameSource, MunicipalOverview, MunicipalTotals, Progress,
};
pub use trace::{
    CellSource, CellTrace, ClaimTrace, OutcomeGroup, OutcomeSumTrace, OutcomeTrace, TracedFigure,
    TracedRow,
};
pub use trace_followup::{MatrixRiskRow, RiskCellTrace};
pub use trace_plan::{FigureSource, FigureTrace, IndicatorTrace, KoladaFigure, ReportedOutcome};
pub use trace_reports::{ReportFigureTrace, TraceFact};

pub use styr_store::PendingLogin;
pub use users::{
    ACCOUNT_FAILURES, MAX_FAILURES, NewUser, SESSION_SECONDS, Session, SessionUser, User,
    display_name, random_token, throttle_delay,
};
pub use versions::{VersionDiff, VersionDiffRow};
pub use view::FollowUpView;

pub use styr_reports::{MeasuresReport, PersonnelFigures};
/// The store's values that the use cases take and give (filters, the stored audit row, the
/// store's own errors inside `AppError::Store`): the front ends name them through `styr_app`
/// and never depend on `styr-store` themselves (a test in `tests/it/boundary.rs` checks it).
pub use styr_store::{
    AuditEntry, AuditFilter, EntryFilter, ImportSummary, MeasuresRecorded, RecordSummary,
    ReportChange, StoreError, StoredMeasureValue,
};

/// Today's date in UTC, `YYYY-MM-DD`: the date a front end stamps on what it writes.
pub fn today_utc() -> String {
    styr_store::today_utc()
}

use styr_domain::Plan;
use styr_domain::budget::VersionKind;
use styr_store::{PlanKey, Store};

/// Which stored plan a use case works on: the municipality (needed when the database holds
/// several), the body whose plan it is (needed when the municipality holds several bodies'
/// plans) and the budget version (default: the body's last imported).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanSelector {
    pub municipality: Option<String>,
    pub body: Option<String>,
    pub version: Option<String>,
}

/// A stored plan read back through its exported package, so that it carries the package's
/// locations.
fn as_package(plan: &Plan) -> Result<Plan, AppError> {
    let files = styr_package::write_files(plan);
    styr_package::read_files(&files).map_err(|diagnostics| {
        AppError::Invalid(
            diagnostics
                .into_iter()
                .map(|d| Problem::at(&d.file, d.line, d.field, d.message))
                .collect(),
        )
    })
}

/// The application: the store and the use cases on it. Cheap to clone: clones share the store's
/// connections and the cache of computed views.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    views: std::sync::Arc<std::sync::Mutex<view::ViewCache>>,
    plans: std::sync::Arc<std::sync::Mutex<view::PlanCache>>,
    overviews: std::sync::Arc<std::sync::Mutex<municipality::OverviewCache>>,
    ledger: std::sync::Arc<std::sync::Mutex<ledger_cache::LedgerCache>>,
    password_verifications: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The day the follow-up calendar is read by; `None`: today (see [`App::today`]).
    reporting_date: Option<String>,
}

impl App {
    /// Opens a database (a SQLite file or a `postgres://` URL) and brings its schema up to date.
    pub async fn open(url: &str) -> Result<App, AppError> {
        Ok(App::with_store(Store::open(url).await?))
    }

    /// Opens a database as [`App::open`] does, but never creates a SQLite file: a missing one
    /// is `StoreError::NoDatabase`.
    pub async fn open_existing(url: &str) -> Result<App, AppError> {
        Ok(App::with_store(Store::open_existing(url).await?))
    }

    fn with_store(store: Store) -> App {
        App {
            store,
            views: view::new_cache(),
            plans: std::sync::Arc::default(),
            overviews: std::sync::Arc::default(),
            ledger: std::sync::Arc::default(),
            password_verifications: std::sync::Arc::default(),
            reporting_date: None,
        }
    }

    /// Closes the database, waiting for running queries.
    pub async fn close(self) {
        self.store.close().await;
    }

    /// Imports a plan (read from a package), all-or-nothing, replacing a stored proposal of
    /// the same version and merging its follow-up calendar into the municipality's.
    pub async fn import_plan(&self, actor: &Actor, plan: &Plan) -> Result<ImportSummary, AppError> {
        actor.require_controller("importera en plan")?;
        self.refuse_new_errors_across(actor, &[(String::new(), plan.clone())])
            .await?;
        Ok(self.store.import_plan(plan, &actor.login).await?)
    }

    /// A body's package may not bring an error across the municipality's plans that was not
    /// there without it: its allocation off its KF frame, a goal whose KF parent does not
    /// exist (`styr_checks::municipality`, tried on the stored plans with the incoming ones in
    /// their bodies' places, with and without the body's). KF's own plan is never refused for
    /// what it does to the others: KF decides the frames and the nämnder follow (`styr check`
    /// shows who has not yet); errors already there are `styr check`'s to show too.
    async fn refuse_new_errors_across(
        &self,
        actor: &Actor,
        incoming: &[(String, Plan)],
    ) -> Result<(), AppError> {
        use styr_checks::municipality::{check, council_of};
        let Some((_, first)) = incoming.first() else {
            return Ok(());
        };
        let municipality = first.municipality.id.clone();
        let stored = match self.body_plans(actor, Some(municipality.as_str())).await {
            Ok(plans) => plans,
            Err(AppError::NotFound(_)) => Vec::new(),
            Err(error) => return Err(error),
        };
        let incoming: Vec<&(String, Plan)> = incoming
            .iter()
            .filter(|(_, p)| p.municipality.id == municipality)
            .collect();
        let mut all: Vec<Plan> = stored
            .into_iter()
            .filter(|p| {
                !incoming
                    .iter()
                    .any(|(_, i)| i.document.body == p.document.body)
            })
            .collect();
        all.extend(incoming.iter().map(|(_, p)| p.clone()));
        let Some(council) = council_of(&all).cloned() else {
            return Ok(());
        };
        let errors = |plans: &[Plan]| -> std::collections::BTreeSet<String> {
            check(&council, plans)
                .into_iter()
                .filter(|f| f.severity == styr_checks::Severity::Error)
                .map(|f| f.id)
                .collect()
        };
        let with = check(&council, &all);
        let mut problems = Vec::new();
        for (folder, plan) in &incoming {
            if plan.document.body == council.document.body {
                continue;
            }
            let without: Vec<Plan> = all
                .iter()
                .filter(|p| p.document.body != plan.document.body)
                .cloned()
                .collect();
            let before = errors(&without);
            for finding in with
                .iter()
                .filter(|f| f.severity == styr_checks::Severity::Error && !before.contains(&f.id))
            {
                let file = match folder.as_str() {
                    "" => finding.file.clone(),
                    folder => format!("{folder}/{}", finding.file),
                };
                problems.push(Problem::at(
                    &file,
                    finding.line,
                    finding.check,
                    finding.message.clone(),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(problems))
        }
    }

    /// Imports the packages of a folder (a municipality's bodies: KF's plan, each nämnd's, each
    /// company's), all-or-nothing. `plans` pairs each plan with the folder it was read from.
    /// Refused before anything is written when two packages claim the same body, first year and
    /// kind of version, or the same version id: the problem names both folders.
    pub async fn import_plans(
        &self,
        actor: &Actor,
        plans: &[(String, Plan)],
    ) -> Result<Vec<ImportSummary>, AppError> {
        actor.require_controller("importera en plan")?;
        let named: Vec<(&str, &Plan)> = plans
            .iter()
            .map(|(folder, plan)| (folder.as_str(), plan))
            .collect();
        let problems: Vec<Problem> = styr_checks::municipality::duplicate_plans(&named)
            .into_iter()
            .map(|f| Problem::at(&f.file, f.line, "document.body", f.message))
            .collect();
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        self.refuse_new_errors_across(actor, plans).await?;
        let plans: Vec<Plan> = plans.iter().map(|(_, plan)| plan.clone()).collect();
        Ok(self.store.import_plans(&plans, &actor.login).await?)
    }

    /// Loads a stored plan: every role inside reads every version of its own municipality;
    /// the public only a decided one, by default the latest decided.
    pub async fn load_plan(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<Plan, AppError> {
        Ok((*self.shared_plan(actor, selector).await?).clone())
    }

    /// A stored plan as [`App::load_plan`] gives it, shared with the cache (not copied).
    pub(crate) async fn shared_plan(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<std::sync::Arc<Plan>, AppError> {
        // Read the counter before the plan: a plan loaded after a change is never kept under
        // the counter from before it.
        let generation = self.store.plan_generation().await?;
        self.shared_plan_at(actor, selector, generation).await
    }

    /// A stored plan as [`App::shared_plan`] gives it, with the plan counter read by the
    /// caller before (one read for several plans).
    pub(crate) async fn shared_plan_at(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        generation: i64,
    ) -> Result<std::sync::Arc<Plan>, AppError> {
        let selector = self.visible_selector(actor, selector).await?;
        let key = (
            selector.municipality.clone(),
            selector.body.clone(),
            selector.version.clone(),
        );
        let plan = match self.cached_plan(generation, &key) {
            Some(plan) => plan,
            None => {
                let plan = std::sync::Arc::new(
                    self.store
                        .load_plan(
                            selector.municipality.as_deref(),
                            selector.body.as_deref(),
                            selector.version.as_deref(),
                        )
                        .await?,
                );
                self.plans.lock().unwrap_or_else(|p| p.into_inner()).put(
                    generation,
                    key,
                    std::sync::Arc::clone(&plan),
                );
                plan
            }
        };
        self.ensure_visible(actor, &plan)?;
        Ok(plan)
    }

    /// The selector an actor reads: within the actor's municipality, and for the public the
    /// latest decided version when none is named.
    pub(crate) async fn visible_selector(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<PlanSelector, AppError> {
        let mut selector = actor.scope(selector)?;
        if actor.role == Role::Public && selector.version.is_none() {
            selector.version = self.latest_public_version(&selector).await?;
        }
        Ok(selector)
    }

    /// The plan kept under `key` (municipality, body, version as a selector names them) at
    /// plan counter `generation`, if any.
    pub(crate) fn cached_plan(
        &self,
        generation: i64,
        key: &(Option<String>, Option<String>, Option<String>),
    ) -> Option<std::sync::Arc<Plan>> {
        self.plans
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(generation, key)
    }

    /// The version the public sees when none is named: the latest decided one of the body (or
    /// of the only body), not the latest imported, which may be a draft. `None` when the
    /// selector names no body and the municipality has several: loading then says so.
    async fn latest_public_version(
        &self,
        selector: &PlanSelector,
    ) -> Result<Option<String>, AppError> {
        let keys = self.store.plans().await?;
        let of_selector: Vec<_> = keys
            .iter()
            .filter(|k| {
                selector
                    .municipality
                    .as_ref()
                    .is_none_or(|m| *m == k.municipality)
            })
            .filter(|k| selector.body.as_ref().is_none_or(|b| *b == k.body))
            .collect();
        let one_body = of_selector.windows(2).all(|pair| {
            (&pair[0].municipality, &pair[0].body) == (&pair[1].municipality, &pair[1].body)
        });
        if !one_body {
            return Ok(None);
        }
        // `plans` are in import order: the last decided is the latest.
        Ok(of_selector
            .iter()
            .rev()
            .find(|k| VersionKind::code_is_public(&k.kind))
            .map(|k| k.version.clone()))
    }

    /// The public sees a decided plan only, never a draft ([`VersionKind::is_public`]).
    fn ensure_visible(&self, actor: &Actor, plan: &Plan) -> Result<(), AppError> {
        visible_kind(actor, plan.budget.version.kind)
    }

    /// A stored plan with the locations of its exported package: findings and rendered notes
    /// then name the file and line that `styr export` would write.
    pub async fn load_plan_as_package(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<Plan, AppError> {
        let plan = self.load_plan(actor, selector).await?;
        as_package(&plan)
    }

    /// Every body's latest plan ([`App::body_plans`]) with the locations of its exported
    /// package, for checking a whole municipality.
    pub async fn body_plans_as_packages(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Vec<Plan>, AppError> {
        let plans = self.body_plans(actor, municipality).await?;
        if plans.is_empty() {
            return Err(AppError::NotFound(
                "databasen har inga planer: importera en plan först".to_owned(),
            ));
        }
        plans.iter().map(as_package).collect()
    }

    /// The stored versions the plans' ramberäkningar name as their base (`base_version`) and
    /// that are not among `plans` (an older, justerad version of a body's budget), with their
    /// package's locations: what `styr_checks::municipality::check_all_with_bases` checks the
    /// bases against. A version the database does not hold is left out: the plan's own check
    /// says its base cannot be verified.
    pub async fn base_versions(
        &self,
        actor: &Actor,
        plans: &[Plan],
    ) -> Result<Vec<Plan>, AppError> {
        let mut bases: Vec<Plan> = Vec::new();
        for plan in plans {
            let Some(version) = plan
                .budget
                .frame_calculation
                .as_ref()
                .and_then(|calc| calc.base_version.as_ref())
            else {
                continue;
            };
            let held = plans
                .iter()
                .chain(&bases)
                .any(|p| &p.budget.version.id == version);
            if held {
                continue;
            }
            let selector = PlanSelector {
                municipality: Some(plan.municipality.id.to_string()),
                body: None,
                version: Some(version.to_string()),
            };
            match self.load_plan_as_package(actor, &selector).await {
                Ok(base) => bases.push(base),
                Err(AppError::NotFound(_) | AppError::Store(StoreError::NotFound(_))) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(bases)
    }

    /// The latest plan of every body of a municipality (`None`: the only one in the database),
    /// by body id: what the municipality holds at once (KF's plan, each nämnd's, each
    /// company's).
    pub async fn body_plans(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Vec<Plan>, AppError> {
        Ok(self
            .shared_body_plans(actor, municipality)
            .await?
            .iter()
            .map(|plan| (**plan).clone())
            .collect())
    }

    /// The stored plans, by municipality and import order.
    pub async fn plans(&self, actor: &Actor) -> Result<Vec<PlanKey>, AppError> {
        let mut keys = self.store.plans().await?;
        if let Some(own) = &actor.municipality {
            keys.retain(|key| &key.municipality == own);
        }
        Ok(keys)
    }

    /// The audit log, oldest first (administrators, controllers and auditors).
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEntry>, AppError> {
        actor.require_audit_reader()?;
        let mut filter = filter.clone();
        if let Some(own) = &actor.municipality {
            filter.municipality = Some(own.clone());
        }
        Ok(self.store.audit_log(&filter).await?)
    }
}

/// Refuses the public a plan whose version is not decided (a draft never reaches the public).
pub(crate) fn visible_kind(
    actor: &Actor,
    kind: styr_domain::budget::VersionKind,
) -> Result<(), AppError> {
    if actor.role == Role::Public && !kind.is_public() {
        return Err(AppError::NotFound(
            "ingen beslutad plan är publicerad ännu".to_owned(),
        ));
    }
    Ok(())
}
