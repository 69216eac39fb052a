//! Follow-up figures stated with the expression that computes them (`computed` in
//! followup.toml): the stated value is checked against the data at its own decimals, like a
//! claim (the seed's sjukfrånvaro 3,4 % and 3,7 % against the hours of `personal/`).

use crate::{Finding, Severity};
use styr_domain::Plan;
use styr_domain::expr::Formula;
use styr_domain::number::round_half_away;

pub fn check_figures(plan: &Plan, findings: &mut Vec<Finding>) {
    for figure in &plan.figures {
        let Some(computed) = &figure.computed else {
            continue;
        };
        let Formula::Value(expr) = &computed.formula else {
            continue;
        };
        // A figure in mnkr is evaluated in tkr: compare in the stated unit.
        let scale = if figure.unit == "mnkr" {
            rust_decimal::Decimal::ONE_THOUSAND
        } else {
            rust_decimal::Decimal::ONE
        };
        let finding = match plan.evaluate(expr) {
            Ok(quantity) => {
                let value = quantity.value / scale;
                let decimals = figure.value.scale();
                if round_half_away(value, decimals) == figure.value {
                    continue;
                }
                let mut shown = round_half_away(value, decimals + 1);
                shown.rescale(decimals + 1);
                Finding::new(
                    Severity::Error,
                    &figure.at,
                    "figure",
                    format!(
                        "{} ({}) stämmer inte med {}",
                        figure.label,
                        figure.id,
                        plan.describe_expr(expr)
                    ),
                )
                .figures(Some(figure.value), Some(shown), &figure.unit)
            }
            Err(error) => Finding::new(
                Severity::Warning,
                &figure.at,
                "figure",
                format!(
                    "{} ({}) kan inte beräknas: {error}",
                    figure.label, figure.id
                ),
            )
            .figures(Some(figure.value), None, &figure.unit),
        };
        findings.push(finding.about(figure.id.as_str()).formula(&computed.text));
    }
}
