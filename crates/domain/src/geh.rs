//! God ekonomisk hushållning (GEH) as data: KF's financial and verksamhetsmässiga goals
//! (`council::FinancialGoal`, `[[geh_goal]]` in `council.toml`) assessed from figures, and KF's
//! stated overall judgement (`council::GehJudgement`) checked against them.
//!
//! The rules, once:
//!
//! - **Resultat**: resultat / (skatteintäkter + generella statsbidrag) × 100 ≥ share.
//! - **Självfinansieringsgrad**: (resultat + avskrivningar) / nettoinvesteringar × 100 ≥ share;
//!   with no net investments (≤ 0) it cannot be assessed.
//! - **Soliditet**: eget kapital / totala tillgångar × 100 ≥ share.
//! - **Soliditet ej sjunkande**: this soliditet ≥ the previous year's.
//! - **Verksamhetsmässiga mål**: of KF's goals with a rolled-up assessment (uppfyllt, delvis
//!   uppfyllt or ej uppfyllt; `assessment::roll_up`), the share uppfyllda or delvis uppfyllda
//!   × 100 ≥ share. Without any such goal it cannot be assessed.
//! - A goal whose figures are missing (or whose base is zero) **kan inte bedömas**; the missing
//!   figures are named.
//! - Percentages are compared exactly; they are shown with one decimal (more where one decimal
//!   would show a failed goal as equal to its target).
//! - **The overall judgement** computed from the goals: *uppfylld* when every goal is
//!   uppfyllt, *ej uppfylld* when none is, else *delvis uppfylld*; a goal that cannot be
//!   assessed counts as not uppfyllt. With no goal, or none that can be assessed, there is no
//!   computed judgement. KF's stated judgement of the period is never replaced: when it
//!   differs from the computed one both are shown and the checker reports it
//!   (`checks::geh`).

use crate::council::{CouncilBudget, FinancialGoal, FinancialGoalKind, GehJudgement, GehVerdict};
use crate::number::{Decimals, MoneyUnit, format_money, format_swedish};
use crate::{Money, Month};
use rust_decimal::Decimal;

/// What the figures are: the budget, the outcome, or a forecast for the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GehBasis {
    Budget,
    Outcome,
    Forecast,
}

impl GehBasis {
    pub fn label_sv(self) -> &'static str {
        match self {
            GehBasis::Budget => "budget",
            GehBasis::Outcome => "utfall",
            GehBasis::Forecast => "prognos",
        }
    }
}

/// The counts of KF's goals by their rolled-up assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GoalCounts {
    pub met: usize,
    pub partly_met: usize,
    pub not_met: usize,
    /// Not assessed or "kan inte bedömas".
    pub not_assessed: usize,
}

impl GoalCounts {
    /// Counts rolled-up assessments (`assessment::RolledUp::overall`).
    pub fn of<'a>(overall: impl IntoIterator<Item = &'a crate::assessment::Overall>) -> GoalCounts {
        use crate::assessment::Overall;
        use crate::followup::GoalAssessment;
        let mut counts = GoalCounts::default();
        for given in overall {
            match given {
                Overall::Assessed(GoalAssessment::Met) => counts.met += 1,
                Overall::Assessed(GoalAssessment::PartlyMet) => counts.partly_met += 1,
                Overall::Assessed(GoalAssessment::NotMet) => counts.not_met += 1,
                Overall::Assessed(GoalAssessment::CannotAssess) | Overall::NotAssessed => {
                    counts.not_assessed += 1
                }
            }
        }
        counts
    }

    fn assessed(&self) -> usize {
        self.met + self.partly_met + self.not_met
    }
}

/// The figures GEH is assessed from: each `None` when not known. Amounts in the ledger's
/// result sense: a positive result is a surplus; net investments, depreciation, equity and
/// assets positive.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GehFigures {
    pub basis: Option<GehBasis>,
    /// Årets resultat.
    pub result: Option<Money>,
    /// Skatteintäkter + generella statsbidrag och utjämning.
    pub tax_and_grants: Option<Money>,
    /// Avskrivningar.
    pub depreciation: Option<Money>,
    /// Nettoinvesteringar.
    pub net_investments: Option<Money>,
    /// Eget kapital at the end of the period.
    pub equity: Option<Money>,
    /// Totala tillgångar at the end of the period.
    pub total_assets: Option<Money>,
    /// Eget kapital and totala tillgångar a year earlier.
    pub previous_equity: Option<Money>,
    pub previous_total_assets: Option<Money>,
    /// KF's goals by their rolled-up assessment.
    pub goals: Option<GoalCounts>,
}

/// The assessment of one goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalOutcome {
    Met,
    NotMet,
    CannotAssess,
}

impl GoalOutcome {
    pub fn label_sv(self) -> &'static str {
        match self {
            GoalOutcome::Met => "uppfyllt",
            GoalOutcome::NotMet => "ej uppfyllt",
            GoalOutcome::CannotAssess => "kan inte bedömas",
        }
    }
}

/// One goal assessed: its rule in words and, when it could be computed, in numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessedGoal {
    pub goal: FinancialGoal,
    /// The rule in words: "Resultat ≥ 2,0 % av skatteintäkter och generella statsbidrag".
    pub rule_sv: String,
    /// The measured value in percent, exact.
    pub value: Option<Decimal>,
    /// What it is compared with: the share, or the previous year's soliditet.
    pub target: Option<Decimal>,
    /// How the value is computed, in figures ("107 000 / 5 300 000 tkr").
    pub computation_sv: Option<String>,
    pub outcome: GoalOutcome,
    /// The figures that were missing, in Swedish.
    pub missing: Vec<&'static str>,
}

impl AssessedGoal {
    /// The rule in numbers with its outcome: "2,1 % ≥ 2,0 %: uppfyllt", or "kan inte bedömas
    /// (saknas: avskrivningar)".
    pub fn statement_sv(&self) -> String {
        match (self.value, self.target) {
            (Some(value), Some(target)) => {
                let (value, target) = shown_pair(value, target, self.outcome == GoalOutcome::Met);
                let sign = if self.outcome == GoalOutcome::Met {
                    "≥"
                } else {
                    "<"
                };
                format!("{value} % {sign} {target} %: {}", self.outcome.label_sv())
            }
            _ if self.missing.is_empty() => self.outcome.label_sv().to_owned(),
            _ => format!(
                "{} (saknas: {})",
                self.outcome.label_sv(),
                self.missing.join(", ")
            ),
        }
    }
}

/// Shows a value and a target with one decimal, or more where one decimal would make a goal
/// that is not met look equal to its target (at most four).
fn shown_pair(value: Decimal, target: Decimal, met: bool) -> (String, String) {
    let mut decimals = 1;
    loop {
        let (v, t) = (
            format_swedish(value, decimals, ' '),
            format_swedish(target, decimals, ' '),
        );
        if met || v != t || decimals >= 4 {
            return (v, t);
        }
        decimals += 1;
    }
}

/// GEH of a period assessed.
#[derive(Debug, Clone, PartialEq)]
pub struct GehAssessment {
    pub period: Month,
    pub basis: Option<GehBasis>,
    pub goals: Vec<AssessedGoal>,
    /// The judgement the goals give (the module's rule); `None` when no goal can be assessed.
    pub computed: Option<GehVerdict>,
    /// KF's stated judgement of the period, as stated.
    pub stated: Option<GehJudgement>,
}

impl GehAssessment {
    /// Whether KF's stated judgement differs from the computed one (both present).
    pub fn disagrees(&self) -> bool {
        matches!((&self.stated, self.computed), (Some(stated), Some(computed)) if stated.verdict != computed)
    }

    /// The computed judgement's rule in words.
    pub const RULE_SV: &'static str = "Uppfylld när alla mål är uppfyllda, ej uppfylld när inget \
        mål är uppfyllt, annars delvis uppfylld; ett mål som inte kan bedömas räknas som ej \
        uppfyllt.";
}

fn percent(numerator: Money, denominator: Money) -> Option<Decimal> {
    if denominator.ore() == 0 {
        return None;
    }
    Some(Decimal::from(numerator.ore()) * Decimal::ONE_HUNDRED / Decimal::from(denominator.ore()))
}

fn tkr(money: Money) -> String {
    format_money(money, MoneyUnit::Tkr, Decimals::Fixed(0), ' ')
}

fn share_sv(goal: &FinancialGoal) -> String {
    let share = goal.share_or_zero();
    format_swedish(share, share.scale().max(1), ' ')
}

/// The rule of a goal in words.
pub fn rule_sv(goal: &FinancialGoal) -> String {
    let share = share_sv(goal);
    match goal.kind {
        FinancialGoalKind::Result => {
            format!("Resultat ≥ {share} % av skatteintäkter och generella statsbidrag")
        }
        FinancialGoalKind::SelfFinancing => format!(
            "Självfinansieringsgrad av investeringar ((resultat + avskrivningar) / \
             nettoinvesteringar) ≥ {share} %"
        ),
        FinancialGoalKind::Solidity => {
            format!("Soliditet (eget kapital / totala tillgångar) ≥ {share} %")
        }
        FinancialGoalKind::SolidityNotFalling => {
            "Soliditeten (eget kapital / totala tillgångar) sjunker inte jämfört med föregående år"
                .to_owned()
        }
        FinancialGoalKind::Operational => {
            format!("Minst {share} % av kommunfullmäktiges mål uppfyllda eller delvis uppfyllda")
        }
    }
}

/// Assesses one goal from the figures by the module's rules.
pub fn assess_goal(goal: &FinancialGoal, figures: &GehFigures) -> AssessedGoal {
    let mut missing = Vec::new();
    let mut need = |value: Option<Money>, name: &'static str| {
        if value.is_none() {
            missing.push(name);
        }
        value
    };
    let share = goal.share_or_zero();
    let (value, target, computation) = match goal.kind {
        FinancialGoalKind::Result => {
            let result = need(figures.result, "resultat");
            let base = need(
                figures.tax_and_grants,
                "skatteintäkter och generella statsbidrag",
            );
            match (result, base) {
                (Some(result), Some(base)) => (
                    percent(result, base),
                    Some(share),
                    Some(format!("{} / {} tkr", tkr(result), tkr(base))),
                ),
                _ => (None, None, None),
            }
        }
        FinancialGoalKind::SelfFinancing => {
            let result = need(figures.result, "resultat");
            let depreciation = need(figures.depreciation, "avskrivningar");
            let investments = need(figures.net_investments, "nettoinvesteringar");
            match (result, depreciation, investments) {
                (Some(result), Some(depreciation), Some(investments)) if investments.ore() > 0 => (
                    percent(result + depreciation, investments),
                    Some(share),
                    Some(format!(
                        "({} + {}) / {} tkr",
                        tkr(result),
                        tkr(depreciation),
                        tkr(investments)
                    )),
                ),
                (Some(_), Some(_), Some(_)) => {
                    missing.push("nettoinvesteringar större än noll");
                    (None, None, None)
                }
                _ => (None, None, None),
            }
        }
        FinancialGoalKind::Solidity => {
            let equity = need(figures.equity, "eget kapital");
            let assets = need(figures.total_assets, "totala tillgångar");
            match (equity, assets) {
                (Some(equity), Some(assets)) => (
                    percent(equity, assets),
                    Some(share),
                    Some(format!("{} / {} tkr", tkr(equity), tkr(assets))),
                ),
                _ => (None, None, None),
            }
        }
        FinancialGoalKind::SolidityNotFalling => {
            let equity = need(figures.equity, "eget kapital");
            let assets = need(figures.total_assets, "totala tillgångar");
            let previous_equity = need(figures.previous_equity, "föregående års eget kapital");
            let previous_assets = need(
                figures.previous_total_assets,
                "föregående års totala tillgångar",
            );
            match (equity, assets, previous_equity, previous_assets) {
                (Some(e), Some(a), Some(pe), Some(pa)) => (
                    percent(e, a),
                    percent(pe, pa),
                    Some(format!(
                        "{} / {} tkr mot {} / {} tkr",
                        tkr(e),
                        tkr(a),
                        tkr(pe),
                        tkr(pa)
                    )),
                ),
                _ => (None, None, None),
            }
        }
        FinancialGoalKind::Operational => match figures.goals {
            None => {
                missing.push("bedömningar av kommunfullmäktiges mål");
                (None, None, None)
            }
            Some(counts) if counts.assessed() == 0 => {
                missing.push("en bedömning av något av kommunfullmäktiges mål");
                (None, None, None)
            }
            Some(counts) => {
                let reached = counts.met + counts.partly_met;
                let assessed = counts.assessed();
                let value = Decimal::from(reached as u64) * Decimal::ONE_HUNDRED
                    / Decimal::from(assessed as u64);
                let mut text = format!("{reached} av {assessed} bedömda mål");
                if counts.not_assessed > 0 {
                    text.push_str(&format!(", {} ej bedömda", counts.not_assessed));
                }
                (Some(value), Some(share), Some(text))
            }
        },
    };
    let outcome = match (value, target) {
        (Some(value), Some(target)) if value >= target => GoalOutcome::Met,
        (Some(_), Some(_)) => GoalOutcome::NotMet,
        _ => {
            if missing.is_empty() {
                missing.push("underlag");
            }
            GoalOutcome::CannotAssess
        }
    };
    AssessedGoal {
        goal: goal.clone(),
        rule_sv: rule_sv(goal),
        value: value.filter(|_| outcome != GoalOutcome::CannotAssess),
        target: target.filter(|_| outcome != GoalOutcome::CannotAssess),
        computation_sv: computation,
        outcome,
        missing,
    }
}

/// The overall judgement the goals give (the module's rule).
pub fn computed_verdict(goals: &[AssessedGoal]) -> Option<GehVerdict> {
    if goals.iter().all(|g| g.outcome == GoalOutcome::CannotAssess) {
        return None;
    }
    let met = goals
        .iter()
        .filter(|g| g.outcome == GoalOutcome::Met)
        .count();
    Some(if met == goals.len() {
        GehVerdict::Met
    } else if met == 0 {
        GehVerdict::NotMet
    } else {
        GehVerdict::PartlyMet
    })
}

/// KF's GEH goals of a period assessed from `figures`, with KF's stated judgement beside the
/// computed one.
pub fn assess(council: &CouncilBudget, period: Month, figures: &GehFigures) -> GehAssessment {
    let goals: Vec<AssessedGoal> = council
        .financial_goals
        .iter()
        .map(|goal| assess_goal(goal, figures))
        .collect();
    GehAssessment {
        period,
        basis: figures.basis,
        computed: computed_verdict(&goals),
        goals,
        stated: council.geh_judgement(period).cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;

    fn goal(kind: FinancialGoalKind, share: Option<&str>) -> FinancialGoal {
        FinancialGoal {
            kind,
            share: share.map(|s| s.parse().unwrap()),
            text: None,
            at: Location::default(),
        }
    }

    fn tkr(amount: i64) -> Option<Money> {
        Some(Money::from_tkr(amount).unwrap())
    }

    #[test]
    fn result_goal_met_not_met_and_missing() {
        let result = goal(FinancialGoalKind::Result, Some("2.0"));
        // 107 000 / 5 300 000 = 2,0189 % ≥ 2,0 %.
        let figures = GehFigures {
            result: tkr(107_000),
            tax_and_grants: tkr(5_300_000),
            ..GehFigures::default()
        };
        let assessed = assess_goal(&result, &figures);
        assert_eq!(assessed.outcome, GoalOutcome::Met);
        assert_eq!(assessed.statement_sv(), "2,0 % ≥ 2,0 %: uppfyllt");
        assert_eq!(
            assessed.rule_sv,
            "Resultat ≥ 2,0 % av skatteintäkter och generella statsbidrag"
        );
        // 105 000 / 5 300 000 = 1,981 %: shown with two decimals so it does not read 2,0.
        let figures = GehFigures {
            result: tkr(105_000),
            ..figures
        };
        let assessed = assess_goal(&result, &figures);
        assert_eq!(assessed.outcome, GoalOutcome::NotMet);
        assert_eq!(assessed.statement_sv(), "1,98 % < 2,00 %: ej uppfyllt");
        let assessed = assess_goal(&result, &GehFigures::default());
        assert_eq!(assessed.outcome, GoalOutcome::CannotAssess);
        assert_eq!(
            assessed.statement_sv(),
            "kan inte bedömas (saknas: resultat, skatteintäkter och generella statsbidrag)"
        );
    }

    #[test]
    fn self_financing_solidity_and_operational_goals() {
        // (50 000 + 150 000) / 250 000 = 80 % < 100 %.
        let figures = GehFigures {
            result: tkr(50_000),
            depreciation: tkr(150_000),
            net_investments: tkr(250_000),
            equity: tkr(3_300_000),
            total_assets: tkr(10_000_000),
            previous_equity: tkr(3_200_000),
            previous_total_assets: tkr(9_000_000),
            goals: Some(GoalCounts {
                met: 2,
                partly_met: 1,
                not_met: 1,
                not_assessed: 1,
            }),
            ..GehFigures::default()
        };
        let sf = assess_goal(
            &goal(FinancialGoalKind::SelfFinancing, Some("100")),
            &figures,
        );
        assert_eq!(sf.outcome, GoalOutcome::NotMet);
        assert_eq!(sf.statement_sv(), "80,0 % < 100,0 %: ej uppfyllt");
        let sf = assess_goal(
            &goal(FinancialGoalKind::SelfFinancing, Some("80")),
            &figures,
        );
        assert_eq!(sf.statement_sv(), "80,0 % ≥ 80,0 %: uppfyllt");
        // 3 300 000 / 10 000 000 = 33 % ≥ 30 %.
        let solidity = assess_goal(&goal(FinancialGoalKind::Solidity, Some("30")), &figures);
        assert_eq!(solidity.statement_sv(), "33,0 % ≥ 30,0 %: uppfyllt");
        // 33 % against 35,56 % a year earlier: fell.
        let falling = assess_goal(&goal(FinancialGoalKind::SolidityNotFalling, None), &figures);
        assert_eq!(falling.statement_sv(), "33,0 % < 35,6 %: ej uppfyllt");
        // 3 of 4 assessed goals (75 %) reached against 75 %.
        let operational = assess_goal(&goal(FinancialGoalKind::Operational, Some("75")), &figures);
        assert_eq!(operational.statement_sv(), "75,0 % ≥ 75,0 %: uppfyllt");
        assert_eq!(
            operational.computation_sv.as_deref(),
            Some("3 av 4 bedömda mål, 1 ej bedömda")
        );
        let no_investments = GehFigures {
            net_investments: tkr(0),
            ..figures.clone()
        };
        let sf = assess_goal(
            &goal(FinancialGoalKind::SelfFinancing, Some("100")),
            &no_investments,
        );
        assert_eq!(sf.outcome, GoalOutcome::CannotAssess);
        let missing = assess_goal(
            &goal(FinancialGoalKind::SolidityNotFalling, None),
            &GehFigures {
                previous_equity: None,
                ..figures
            },
        );
        assert_eq!(
            missing.statement_sv(),
            "kan inte bedömas (saknas: föregående års eget kapital)"
        );
    }

    #[test]
    fn the_overall_judgement_and_a_stated_one_that_disagrees() {
        let council = CouncilBudget {
            financial_goals: vec![
                goal(FinancialGoalKind::Result, Some("2.0")),
                goal(FinancialGoalKind::Solidity, Some("30")),
            ],
            geh_judgements: vec![GehJudgement {
                period: Month::new(2021, 8).unwrap(),
                verdict: GehVerdict::Met,
                text: "God ekonomisk hushållning uppnås.".into(),
                at: Location::default(),
            }],
            ..CouncilBudget::default()
        };
        let period = Month::new(2021, 8).unwrap();
        // The result goal is met, soliditet cannot be assessed: delvis uppfylld.
        let figures = GehFigures {
            result: tkr(110_000),
            tax_and_grants: tkr(5_000_000),
            ..GehFigures::default()
        };
        let assessed = assess(&council, period, &figures);
        assert_eq!(assessed.computed, Some(GehVerdict::PartlyMet));
        assert!(assessed.disagrees());
        let all = GehFigures {
            equity: tkr(4),
            total_assets: tkr(10),
            ..figures
        };
        let assessed = assess(&council, period, &all);
        assert_eq!(assessed.computed, Some(GehVerdict::Met));
        assert!(!assessed.disagrees());
        let none = assess(&council, period, &GehFigures::default());
        assert_eq!(none.computed, None);
        assert!(!none.disagrees());
        let not_met = GehFigures {
            result: tkr(-1),
            tax_and_grants: tkr(5_000_000),
            equity: tkr(1),
            total_assets: tkr(10),
            ..GehFigures::default()
        };
        assert_eq!(
            assess(&council, period, &not_met).computed,
            Some(GehVerdict::NotMet)
        );
    }
}
