//! A KF goal's assessment rolled up from the assessments of the bodies that break it down.
//!
//! The rule (one place; the municipal report and the web show its result):
//!
//! 1. The responsible bodies of a KF goal are those whose plans have a goal with the KF goal as
//!    `parent`; each contributes its assessment of that goal for the period (one contribution
//!    per body goal, so a body with two goals under the KF goal contributes twice).
//! 2. While any contribution is missing (a body has not assessed), the KF goal is
//!    **"Ej bedömd"**: a verdict is never drawn from part of the bodies. A KF goal that no body
//!    breaks down is also "Ej bedömd".
//! 3. Otherwise it is the **worst** level reported on the scale Uppfyllt → Delvis uppfyllt →
//!    Ej uppfyllt. "Kan inte bedömas" is not on that scale: it does not make the verdict better
//!    or worse, and only when every body reported it is the KF goal "Kan inte bedömas".
//! 4. Beside the verdict the count per level (and of those not assessed) is always shown, so the
//!    reader sees the spread, not only the verdict.

use crate::Id;
use crate::followup::GoalAssessment;

/// The computed overall assessment of a KF goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overall {
    /// Some responsible body has not assessed (or none breaks the goal down).
    NotAssessed,
    Assessed(GoalAssessment),
}

impl Overall {
    pub fn label_sv(self) -> &'static str {
        match self {
            Overall::NotAssessed => "Ej bedömd",
            Overall::Assessed(assessment) => assessment.label_sv(),
        }
    }
}

/// A KF goal's rolled-up assessment: the verdict and the count per level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolledUp {
    pub overall: Overall,
    /// How many contributions reported each level, in `GoalAssessment::ALL` order (every level
    /// listed, zero included).
    pub counts: Vec<(GoalAssessment, usize)>,
    /// How many contributions have no assessment.
    pub not_assessed: usize,
}

/// How bad a level is on the scale of rule 3; `None` for "Kan inte bedömas".
fn badness(assessment: GoalAssessment) -> Option<u8> {
    match assessment {
        GoalAssessment::Met => Some(0),
        GoalAssessment::PartlyMet => Some(1),
        GoalAssessment::NotMet => Some(2),
        GoalAssessment::CannotAssess => None,
    }
}

/// Rolls up the bodies' assessments of a KF goal by the rule of this module: each entry is a
/// responsible body and its assessment for the period (`None`: not assessed).
pub fn roll_up(contributions: &[(Id, Option<GoalAssessment>)]) -> RolledUp {
    let counts = GoalAssessment::ALL
        .iter()
        .map(|level| {
            let count = contributions
                .iter()
                .filter(|(_, given)| *given == Some(*level))
                .count();
            (*level, count)
        })
        .collect();
    let not_assessed = contributions.iter().filter(|(_, a)| a.is_none()).count();
    let overall = if contributions.is_empty() || not_assessed > 0 {
        Overall::NotAssessed
    } else {
        let worst = contributions
            .iter()
            .filter_map(|(_, given)| *given)
            .filter(|given| badness(*given).is_some())
            .max_by_key(|given| badness(*given));
        Overall::Assessed(worst.unwrap_or(GoalAssessment::CannotAssess))
    };
    RolledUp {
        overall,
        counts,
        not_assessed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use GoalAssessment::*;

    fn of(given: &[Option<GoalAssessment>]) -> RolledUp {
        let entries: Vec<(Id, Option<GoalAssessment>)> = given
            .iter()
            .enumerate()
            .map(|(i, a)| (Id::parse(&format!("body{i}")).unwrap(), *a))
            .collect();
        roll_up(&entries)
    }

    fn count(rolled: &RolledUp, level: GoalAssessment) -> usize {
        rolled.counts.iter().find(|(l, _)| *l == level).unwrap().1
    }

    #[test]
    fn the_worst_reported_level_is_the_verdict() {
        let rolled = of(&[Some(Met), Some(NotMet), Some(PartlyMet)]);
        assert_eq!(rolled.overall, Overall::Assessed(NotMet));
        assert_eq!(
            of(&[Some(Met), Some(PartlyMet)]).overall,
            Overall::Assessed(PartlyMet)
        );
        assert_eq!(of(&[Some(Met), Some(Met)]).overall, Overall::Assessed(Met));
        assert_eq!(
            (
                count(&rolled, Met),
                count(&rolled, PartlyMet),
                count(&rolled, NotMet)
            ),
            (1, 1, 1)
        );
        assert_eq!(rolled.counts.len(), GoalAssessment::ALL.len());
    }

    #[test]
    fn one_body_not_assessed_leaves_the_goal_not_assessed_with_the_counts() {
        let rolled = of(&[Some(Met), None, Some(NotMet)]);
        assert_eq!(rolled.overall, Overall::NotAssessed);
        assert_eq!(rolled.overall.label_sv(), "Ej bedömd");
        assert_eq!(rolled.not_assessed, 1);
        assert_eq!((count(&rolled, Met), count(&rolled, NotMet)), (1, 1));
    }

    #[test]
    fn no_responsible_body_is_not_assessed() {
        let rolled = of(&[]);
        assert_eq!(rolled.overall, Overall::NotAssessed);
        assert_eq!(rolled.not_assessed, 0);
    }

    #[test]
    fn cannot_assess_is_off_the_scale_unless_it_is_all_there_is() {
        assert_eq!(
            of(&[Some(CannotAssess), Some(Met)]).overall,
            Overall::Assessed(Met)
        );
        let all = of(&[Some(CannotAssess), Some(CannotAssess)]);
        assert_eq!(all.overall, Overall::Assessed(CannotAssess));
        assert_eq!(all.overall.label_sv(), "Kan inte bedömas");
        assert_eq!(count(&all, CannotAssess), 2);
    }
}
