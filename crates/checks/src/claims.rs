//! Checks of claims — figures stated in narrative text — honouring the text's rounding and
//! hedging, and a note on assignment statuses that the source does not show.

use crate::finding::{Finding, Severity, figure};
use std::collections::BTreeMap;
use styr_domain::Plan;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::claim::{
    Claim, ClaimCheck, figure_word, in_claim_unit, missing_base_note, plan_texts, supports,
    text_claims,
};
use styr_domain::describe::{comparison_words, comparison_words_negated};
use styr_domain::expr::Formula;
use styr_domain::number::round_half_away;
use styr_domain::plan::{EvalError, Quantity, QuantityUnit};

/// The claims of the narrative and of every other text the plan holds (goals, priorities,
/// assignments, status comments, risks, audits, decisions), checked alike.
pub fn check_claims(plan: &Plan, findings: &mut Vec<Finding>) {
    for narrative in &plan.narratives {
        for claim in &narrative.claims {
            if let Some(finding) = check_claim(plan, claim) {
                findings.push(finding.about(&claim_subject(claim)));
            }
        }
    }
    for text in plan_texts(plan) {
        // Markup problems are the package reader's to report; here only what it accepted.
        let (claims, _problems) = text_claims(&text);
        for claim in &claims {
            if let Some(mut finding) = check_claim(plan, claim) {
                finding.message = format!("{}: {}", text.field, finding.message);
                let subject = format!("{}:{}", slug(&text.field), claim_subject(claim));
                findings.push(finding.about(&subject));
            }
        }
    }
}

/// Lower-case letters and digits, everything else one '-'.
fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

/// What a claim finding is about: the claim's words and a short hash of what it says about
/// the data (two claims with the same words can say different things).
pub fn claim_subject(claim: &Claim) -> String {
    let says = match &claim.check {
        ClaimCheck::Formula(formula) => formula.text.as_str(),
        ClaimCheck::Unverifiable => "?",
    };
    // FNV-1a: stable across runs and platforms, unlike the standard library's hasher.
    let hash = format!("{says};{}", claim.base.as_deref().unwrap_or(""))
        .bytes()
        .fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
    format!("{}#{hash:08x}", slug(&claim.text))
}

fn check_claim(plan: &Plan, claim: &Claim) -> Option<Finding> {
    let finding = check_claim_words(plan, claim)?;
    Some(match &claim.check {
        ClaimCheck::Formula(formula) => finding.formula(formula.text.clone()),
        ClaimCheck::Unverifiable => finding,
    })
}

fn check_claim_words(plan: &Plan, claim: &Claim) -> Option<Finding> {
    let unit_code = claim.unit.map(|u| u.code()).unwrap_or_default();
    let ClaimCheck::Formula(formula) = &claim.check else {
        return Some(
            Finding::new(
                Severity::Info,
                &claim.at,
                "claim",
                format!("«{}» kan inte kontrolleras mot data", claim.text),
            )
            .figures(claim.stated.map(|s| s.value), None, unit_code),
        );
    };
    let error = |message: String| Some(Finding::new(Severity::Error, &claim.at, "claim", message));
    // The data holds what the claim counts but cannot answer it (statuses the source did not
    // show): a note, as for `{?}`, with the reason.
    let unanswerable = |reason: &str| {
        Some(
            Finding::new(
                Severity::Info,
                &claim.at,
                "claim",
                format!(
                    "«{}» ({}) kan inte kontrolleras: {reason}",
                    claim.text,
                    plan.describe_formula(&formula.formula)
                ),
            )
            .figures(claim.stated.map(|s| s.value), None, unit_code),
        )
    };
    // Measured from a budget version the plan does not hold: the data cannot say whether the
    // printed figure is right, only what the columns it has give.
    let missing_base = claim.missing_base(&plan.budget.version);
    let cannot_verify = |base: &str, outcome: String| {
        Finding::new(
            Severity::Warning,
            &claim.at,
            "claim",
            format!(
                "«{}» {}",
                claim.text,
                missing_base_note(base, &formula.formula, &outcome)
            ),
        )
    };
    match &formula.formula {
        Formula::Compare(left_expr, comparison, right_expr) => {
            let (left, right) = match (plan.evaluate(left_expr), plan.evaluate(right_expr)) {
                (Ok(l), Ok(r)) => (l, r),
                (Err(EvalError::Unanswerable(reason)), _)
                | (_, Err(EvalError::Unanswerable(reason))) => return unanswerable(&reason),
                (Err(e), _) | (_, Err(e)) => return error(format!("«{}»: {e}", claim.text)),
            };
            let unit = |q: &Quantity| match &q.unit {
                QuantityUnit::Tkr => "tkr".to_owned(),
                QuantityUnit::Percent => "%".to_owned(),
                QuantityUnit::Plain => String::new(),
                QuantityUnit::Other(unit) => unit.clone(),
            };
            let holds = comparison.holds(left.value, right.value);
            if let Some(base) = missing_base {
                Some(cannot_verify(
                    base,
                    format!(
                        "gäller: {} ({}) {} {} ({})",
                        plan.describe_expr(left_expr),
                        figure(left.value, &unit(&left)),
                        if holds {
                            comparison_words(*comparison)
                        } else {
                            comparison_words_negated(*comparison)
                        },
                        plan.describe_expr(right_expr),
                        figure(right.value, &unit(&right))
                    ),
                ))
            } else if holds {
                None
            } else {
                error(format!(
                    "«{}» stämmer inte: {} ({}) {} {} ({})",
                    claim.text,
                    plan.describe_expr(left_expr),
                    figure(left.value, &unit(&left)),
                    comparison_words_negated(*comparison),
                    plan.describe_expr(right_expr),
                    figure(right.value, &unit(&right))
                ))
            }
        }
        Formula::Value(expr) => {
            let stated = claim.stated?;
            let quantity = match plan.evaluate(expr) {
                Ok(quantity) => quantity,
                Err(EvalError::Unanswerable(reason)) => return unanswerable(&reason),
                Err(e) => return error(format!("«{}»: {e}", claim.text)),
            };
            let Some(computed) = in_claim_unit(&quantity, claim.unit) else {
                return error(format!(
                    "«{}»: texten anger {} men uttrycket ger {:?}",
                    claim.text, unit_code, quantity.unit
                ));
            };
            // One decimal more than printed: enough to see why the rounding fails; a count is
            // shown whole.
            let extra =
                u32::from(!(quantity.unit == QuantityUnit::Plain && computed.fract().is_zero()));
            let mut shown = round_half_away(computed, stated.decimals + extra);
            shown.rescale(stated.decimals + extra);
            if let Some(base) = missing_base {
                let mut rounded = round_half_away(computed, stated.decimals);
                rounded.rescale(stated.decimals);
                Some(
                    cannot_verify(
                        base,
                        format!("blir {} {}", figure_word(expr), figure(rounded, unit_code)),
                    )
                    .figures(Some(stated.value), Some(shown), unit_code),
                )
            } else if supports(stated.value, stated.decimals, claim.hedge, computed) {
                None
            } else {
                Some(
                    Finding::new(
                        Severity::Error,
                        &claim.at,
                        "claim",
                        format!(
                            "«{}» stämmer inte med {}",
                            claim.text,
                            plan.describe_expr(expr)
                        ),
                    )
                    .figures(Some(stated.value), Some(shown), unit_code),
                )
            }
        }
    }
}

/// One info finding per follow-up period in which statuses are unknown.
pub fn check_statuses(plan: &Plan, findings: &mut Vec<Finding>) {
    let mut unknown: BTreeMap<&str, (usize, &styr_domain::Location)> = BTreeMap::new();
    for report in plan
        .statuses
        .iter()
        .filter(|s| s.status == AssignmentStatus::Unknown)
    {
        let entry = unknown
            .entry(report.period.as_str())
            .or_insert((0, &report.at));
        entry.0 += 1;
    }
    for (period, (count, at)) in unknown {
        let title = plan
            .periods
            .iter()
            .find(|p| p.id.as_str() == period)
            .map_or_else(|| format!("perioden {period}"), |p| p.title.clone());
        findings.push(
            Finding::new(
                Severity::Info,
                at,
                "status",
                format!("{count} uppdrag har okänd status i {title} (källan visar den inte)"),
            )
            .about(period),
        );
    }
}
