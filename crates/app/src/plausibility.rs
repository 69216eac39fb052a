//! Whether a report looks right before it is written: a forecast below what is already booked,
//! or far from its line's budget (`styr_domain::plausibility`), is written only once the person
//! confirms it. The same rule lists such forecasts in the period report.

use crate::{Actor, App, AppError, PlanSelector};
use styr_domain::followup::{FollowUpReport, ReportEntry, line_budget};
use styr_domain::plausibility::{ForecastWarning, forecast_warnings};

impl App {
    /// Why this report looks wrong (empty: it looks right). Only forecasts are judged: against
    /// the year's budget of the line and what is booked on it up to the report's period.
    pub async fn report_warnings(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        report: &FollowUpReport,
    ) -> Result<Vec<ForecastWarning>, AppError> {
        let ReportEntry::Forecast { line, amount, .. } = &report.entry else {
            return Ok(Vec::new());
        };
        let view = self
            .follow_up_view(actor, selector, Some(report.period))
            .await?;
        let row = view
            .report
            .economy
            .rows
            .iter()
            .find(|row| row.line.as_ref() == Some(line));
        let budget = row
            .and_then(|row| row.cell.budget().map(|b| b.annual))
            .or_else(|| line_budget(&view.plan, line, report.period.year()));
        let booked = row.and_then(|row| row.cell.actual().map(|a| a.to_date));
        Ok(forecast_warnings(*amount, budget, booked))
    }

    /// The one confirmation rule of every report form: a report that looks wrong
    /// ([`App::report_warnings`]) is saved only when the reporter confirmed it. The
    /// unconfirmed warnings as (field, message); empty when confirmed or nothing looks wrong.
    pub(crate) async fn unconfirmed(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        report: &FollowUpReport,
        confirmed: bool,
    ) -> Result<Vec<(String, String)>, AppError> {
        if confirmed {
            return Ok(Vec::new());
        }
        let warnings = self.report_warnings(actor, selector, report).await?;
        Ok(warnings
            .iter()
            .map(|w| ("value".to_owned(), w.message_sv()))
            .collect())
    }
}
