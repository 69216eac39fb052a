//! The internal control use cases: the year's risk matrix, control results and audit
//! recommendations as one report value. Reporting a control's result or an audit action's
//! progress is a follow-up report (`App::report`, `App::import_followup`), so it meets the same
//! scope, period and history rules as an assignment's status and lands in the same audit log.

use crate::{Actor, App, AppError, PlanSelector};
use styr_domain::followup::EntryKind;
use styr_domain::{Plan, Year};
use styr_reports::{InternalControlReport, internal_control};
use styr_store::EntryFilter;

impl App {
    /// The internal control of a year: the matrix, every control's result per reporting
    /// period and every recommendation with its actions' states, judged as of `today` (ISO;
    /// `None`: today's date in UTC). Anyone who may read the plan may read it.
    pub async fn internal_control(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        year: Year,
        today: Option<&str>,
    ) -> Result<(Plan, InternalControlReport), AppError> {
        let plan = self.load_plan(actor, selector).await?;
        let mut entries = Vec::new();
        for kind in [EntryKind::Control, EntryKind::AuditAction] {
            let filter = EntryFilter {
                kind: Some(kind),
                ..EntryFilter::default()
            };
            entries.extend(
                self.store
                    .reports(styr_store::Owner::of(&plan), &filter)
                    .await?,
            );
        }
        let today = today.map_or_else(styr_store::today_utc, str::to_owned);
        let report = internal_control(&plan, &entries, year, &today);
        Ok((plan, report))
    }
}
