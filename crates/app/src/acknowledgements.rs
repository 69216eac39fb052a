//! Acknowledging a finding of `styr check` on a stored plan: a controller has reviewed it and
//! says why it stands. The finding then reports as acknowledged (who, when, why) instead of as
//! an error; the acknowledgement is a row of the plan version and an audit-log row.

use crate::actor::Actor;
use crate::{App, AppError, PlanSelector};
use styr_checks::Severity;
use styr_domain::acknowledgement::Acknowledgement;

impl App {
    /// Acknowledges the error or warning `finding` (its stable id) of the selected plan with a
    /// reason. Controllers and administrators only; the finding must be a current error or
    /// warning of the plan's check, not acknowledged before.
    pub async fn acknowledge_finding(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        finding: &str,
        reason: &str,
    ) -> Result<Acknowledgement, AppError> {
        actor.require_controller("kvittera ett fynd")?;
        let invalid = |field: &str, message: String| AppError::invalid(field, message);
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid("reason", "ange skälet till kvittensen".to_owned()));
        }
        let plan = self.load_plan_as_package(actor, selector).await?;
        let report = styr_checks::check(&plan);
        match report.findings.iter().find(|f| f.id == finding) {
            None => {
                return Err(invalid(
                    "ack",
                    format!("planen har inget fynd {finding} (se styr check)"),
                ));
            }
            Some(found) if found.severity == Severity::Acknowledged => {
                let by = found
                    .acknowledgement
                    .as_ref()
                    .map(|a| format!(" av {} {}", a.by, a.at))
                    .unwrap_or_default();
                return Err(invalid(
                    "ack",
                    format!("fyndet {finding} är redan kvitterat{by}"),
                ));
            }
            Some(found) if found.severity == Severity::Info => {
                return Err(invalid(
                    "ack",
                    format!("fyndet {finding} är en upplysning: bara fel och varningar kvitteras"),
                ));
            }
            Some(_) => {}
        }
        Ok(self
            .store
            .acknowledge(
                (
                    plan.municipality.id.as_str(),
                    plan.budget.version.id.as_str(),
                ),
                finding,
                reason,
                &actor.login,
            )
            .await?)
    }
}
