//! God ekonomisk hushållning: KF's stated overall judgement of a period against the judgement
//! its goals give (`styr_domain::geh`, the rule in its documentation). The stated judgement is
//! never replaced: when they differ, this finding shows both.

use crate::finding::{Finding, Severity};
use styr_domain::geh::{GehAssessment, GoalOutcome};

/// Check id of the finding.
pub const CHECK: &str = "geh";

/// A warning at KF's stated judgement when it differs from the computed one; nothing when they
/// agree, when KF states none, or when no goal can be assessed.
pub fn check(assessment: &GehAssessment) -> Vec<Finding> {
    let (Some(stated), Some(computed)) = (&assessment.stated, assessment.computed) else {
        return Vec::new();
    };
    if stated.verdict == computed {
        return Vec::new();
    }
    let goals: Vec<String> = assessment
        .goals
        .iter()
        .map(|goal| {
            let outcome = match goal.outcome {
                GoalOutcome::Met => "uppfyllt",
                GoalOutcome::NotMet => "ej uppfyllt",
                GoalOutcome::CannotAssess => "kan inte bedömas",
            };
            format!("{}: {outcome}", goal.rule_sv)
        })
        .collect();
    vec![
        Finding::new(
            Severity::Warning,
            &stated.at,
            CHECK,
            format!(
                "god ekonomisk hushållning {}: kommunfullmäktige anger \"{}\" men målen ger \"{}\" \
                 ({}). {}",
                assessment.period,
                stated.verdict.label_sv(),
                computed.label_sv(),
                goals.join("; "),
                GehAssessment::RULE_SV
            ),
        )
        .about(&assessment.period.to_string()),
    ]
}
