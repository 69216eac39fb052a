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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use styr_domain::council::{
        CouncilBudget, FinancialGoal, FinancialGoalKind, GehJudgement, GehVerdict,
    };
    use styr_domain::geh::{GehFigures, assess};
    use styr_domain::{Location, Money, Month};

    fn council(stated: GehVerdict) -> CouncilBudget {
        CouncilBudget {
            financial_goals: vec![FinancialGoal {
                kind: FinancialGoalKind::Result,
                share: Some(Decimal::new(20, 1)),
                text: None,
                at: Location::new("council.toml", 5),
            }],
            geh_judgements: vec![GehJudgement {
                period: Month::new(2021, 12).unwrap(),
                verdict: stated,
                text: "Uppfylld.".into(),
                at: Location::new("council.toml", 30),
            }],
            ..CouncilBudget::default()
        }
    }

    #[test]
    fn a_stated_judgement_the_goals_do_not_give_is_a_warning_with_both() {
        // 90 000 / 5 000 000 = 1,8 % < 2,0 %: ej uppfylld, but KF states uppfylld.
        let figures = GehFigures {
            result: Money::from_tkr(90_000),
            tax_and_grants: Money::from_tkr(5_000_000),
            ..GehFigures::default()
        };
        let period = Month::new(2021, 12).unwrap();
        let findings = check(&assess(&council(GehVerdict::Met), period, &figures));
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].file.as_str(), findings[0].line),
            ("council.toml", 30)
        );
        assert!(
            findings[0]
                .message
                .contains("kommunfullmäktige anger \"Uppfylld\" men målen ger \"Ej uppfylld\"")
        );
        assert!(findings[0].message.contains("ej uppfyllt"));
        // Stated as the goals give it: nothing.
        assert!(check(&assess(&council(GehVerdict::NotMet), period, &figures)).is_empty());
        // Nothing to assess from: nothing to check.
        assert!(
            check(&assess(
                &council(GehVerdict::Met),
                period,
                &GehFigures::default()
            ))
            .is_empty()
        );
    }
}
