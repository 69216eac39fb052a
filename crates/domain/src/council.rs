//! The top of the municipality's budget: what kommunfullmäktige decides in "Mål och budget"
//! (the frame of each nämnd and styrelse, the owner's requirement on each company, the tax and
//! grant income, the finance net, the centrally held items and the budgeted result), and a
//! company's own budget (resultat före skatt, investeringar).
//!
//! Signs: a frame and a centrally held item are net costs, written positive ("247 000" for KS's
//! frame); tax income, grants and the result are positive when they add to the result; the
//! finance net is signed (negative when interest costs exceed financial income).

use crate::{Id, Location, Money, Year};
use rust_decimal::Decimal;

/// KF's budget in a council's plan (`council.toml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CouncilBudget {
    /// The figures are synthetic example data, not the municipality's own.
    pub synthetic: bool,
    /// The decision that sets the budget ("KF 2020-11-09 § 185").
    pub decision: Option<Id>,
    /// The finance figures and the stated result, per year.
    pub years: Vec<CouncilYear>,
    /// A frame per body and year.
    pub frames: Vec<BodyFrame>,
    /// Items held centrally (pensions, capital costs, reserves), per year.
    pub central_items: Vec<CentralItem>,
    /// Internal transactions between the municipality and its companies, eliminated in the
    /// koncern's consolidated result (`koncern::consolidate`), as stated, per year.
    pub eliminations: Vec<Elimination>,
    /// KF's goals for god ekonomisk hushållning (`[[geh_goal]]`), at most one of each kind, in
    /// KF's order. The result goal ([`FinancialGoalKind::Result`], [`CouncilBudget::result_goal`])
    /// is also the least result an alternative budget may show (`alternative::balance`).
    pub financial_goals: Vec<FinancialGoal>,
    /// KF's stated overall judgement of god ekonomisk hushållning, per period
    /// (`[[geh_judgement]]`), checked against the goals' assessments (`geh::assess`).
    pub geh_judgements: Vec<GehJudgement>,
    /// KF's decisions during a year that change a body's frame (`[[appropriation_change]]`):
    /// the anslagsförändringar of the driftredovisning (R14).
    pub appropriation_changes: Vec<AppropriationChange>,
    pub at: Location,
}

crate::code_enum!(
    /// What a financial goal of god ekonomisk hushållning measures.
    FinancialGoalKind {
        /// Resultat ≥ `share` % of skatteintäkter och generella statsbidrag.
        Result => "resultat",
        /// Självfinansieringsgrad av investeringar ((resultat + avskrivningar) /
        /// nettoinvesteringar) ≥ `share` %.
        SelfFinancing => "sjalvfinansiering",
        /// Soliditet (eget kapital / totala tillgångar) ≥ `share` %.
        Solidity => "soliditet",
        /// Soliditet not lower than the year before.
        SolidityNotFalling => "soliditet_ej_sjunkande",
        /// Verksamhetsmässiga mål: at least `share` % of KF's goals, as assessed, uppfyllda or
        /// delvis uppfyllda.
        Operational => "verksamhet",
    }
);

impl FinancialGoalKind {
    /// Whether the kind needs a `share`.
    pub fn needs_share(self) -> bool {
        self != FinancialGoalKind::SolidityNotFalling
    }
}

/// One of KF's goals for god ekonomisk hushållning. For the result goal: the budgeted result
/// shall be at least `share` percent of skatteintäkter and generella statsbidrag ("2.0": 2,0 %).
#[derive(Debug, Clone, PartialEq)]
pub struct FinancialGoal {
    pub kind: FinancialGoalKind,
    /// Percent, e.g. 2.0; `None` only for a kind that needs none.
    pub share: Option<Decimal>,
    /// KF's own wording of the goal, if given.
    pub text: Option<String>,
    pub at: Location,
}

impl FinancialGoal {
    /// The share, zero when the kind has none.
    pub fn share_or_zero(&self) -> Decimal {
        self.share.unwrap_or(Decimal::ZERO)
    }

    /// The least result of a year whose skatteintäkter + generella statsbidrag are `base`:
    /// `share` percent of it, rounded half away from zero to the öre.
    pub fn required(&self, base: Money) -> Money {
        let ore = Decimal::from(base.ore()) * self.share_or_zero() / Decimal::ONE_HUNDRED;
        let rounded = crate::number::round_half_away(ore, 0);
        Money::from_ore(rounded.trunc().to_string().parse().unwrap_or(i64::MAX))
    }
}

crate::code_enum!(
    /// The overall judgement of god ekonomisk hushållning.
    GehVerdict {
        Met => "uppfylld",
        PartlyMet => "delvis_uppfylld",
        NotMet => "ej_uppfylld",
    }
);

impl GehVerdict {
    pub fn label_sv(self) -> &'static str {
        match self {
            GehVerdict::Met => "Uppfylld",
            GehVerdict::PartlyMet => "Delvis uppfylld",
            GehVerdict::NotMet => "Ej uppfylld",
        }
    }
}

/// KF's stated judgement of god ekonomisk hushållning for a period (a delårsrapport's month, or
/// December for the year).
#[derive(Debug, Clone, PartialEq)]
pub struct GehJudgement {
    pub period: crate::Month,
    pub verdict: GehVerdict,
    /// KF's motivation.
    pub text: String,
    pub at: Location,
}

crate::code_enum!(
    /// What kind of anslagsförändring a decision is.
    AppropriationKind {
        /// Tilläggsanslag: more money for the year.
        Supplementary => "tillaggsanslag",
        /// Ombudgetering: money moved between bodies or years.
        Rebudgeting => "ombudgetering",
        /// Any other change of a frame KF decides.
        Other => "ovrigt",
    }
);

impl AppropriationKind {
    pub fn label_sv(self) -> &'static str {
        match self {
            AppropriationKind::Supplementary => "Tilläggsanslag",
            AppropriationKind::Rebudgeting => "Ombudgetering",
            AppropriationKind::Other => "Övrig förändring",
        }
    }
}

/// A decision of KF during the year that changes a body's frame (anslagsförändring): positive
/// raises the frame (more net cost allowed), negative lowers it. Not the ramförändring of a
/// body's own budget (`budget::FrameChange`).
#[derive(Debug, Clone, PartialEq)]
pub struct AppropriationChange {
    pub body: Id,
    pub year: Year,
    pub amount: Money,
    pub kind: AppropriationKind,
    /// The decision ("kf_2021_06_14_102").
    pub decision: Id,
    /// The day of the decision, `YYYY-MM-DD`: a report of a period counts the changes decided
    /// up to the period's end.
    pub date: String,
    pub text: String,
    pub at: Location,
}

/// An elimination of the consolidated budget (internal rents, interest, dividends): the
/// amount the sum of the municipality's and the companies' results is reduced by, as stated.
#[derive(Debug, Clone, PartialEq)]
pub struct Elimination {
    pub id: Id,
    pub name: String,
    pub year: Year,
    pub amount: Money,
    pub at: Location,
}

/// The finance figures of one budget year and the stated result.
#[derive(Debug, Clone, PartialEq)]
pub struct CouncilYear {
    pub year: Year,
    /// Skattesats: kronor per 100 kronor of taxable income ("19.88").
    pub tax_rate: Decimal,
    /// Skatteintäkter.
    pub tax_revenue: Money,
    /// Generella statsbidrag och utjämning.
    pub grants: Money,
    /// Finansnetto (signed).
    pub financial_net: Money,
    /// Budgeterat resultat, as stated: never replaced by the computed one.
    pub result: Money,
    pub at: Location,
}

/// KF's frame (ram) for a nämnd or styrelse, or for a company the result before tax the owner
/// requires (resultatkrav), for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyFrame {
    pub body: Id,
    pub year: Year,
    pub amount: Money,
    /// The decision that sets it; the budget's decision when absent.
    pub decision: Option<Id>,
    pub at: Location,
}

/// A centrally held item (pensioner, kapitalkostnader, reserver …): a net cost for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct CentralItem {
    pub id: Id,
    pub name: String,
    pub year: Year,
    pub amount: Money,
    pub at: Location,
}

/// The parts of a year's computed result: what the result line should equal.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultParts {
    pub tax_revenue: Money,
    pub grants: Money,
    pub financial_net: Money,
    /// Σ the frames of the year's nämnder and styrelser (not the companies').
    pub frames: Money,
    /// Σ the year's centrally held items.
    pub central_items: Money,
}

impl ResultParts {
    /// skatteintäkter + statsbidrag + finansnetto − Σ ramar − Σ centrala poster.
    pub fn result(&self) -> Money {
        self.tax_revenue + self.grants + self.financial_net - self.frames - self.central_items
    }
}

impl CouncilBudget {
    /// KF's result goal (the least result a year's budget shall show), if KF states one.
    pub fn result_goal(&self) -> Option<&FinancialGoal> {
        self.financial_goal(FinancialGoalKind::Result)
    }

    /// KF's goal of a kind, if KF states one.
    pub fn financial_goal(&self, kind: FinancialGoalKind) -> Option<&FinancialGoal> {
        self.financial_goals.iter().find(|goal| goal.kind == kind)
    }

    /// The anslagsförändringar of a body in a year decided on or before `until` (`YYYY-MM-DD`;
    /// ISO dates compare as text), in KF's order.
    pub fn appropriation_changes_until<'a>(
        &'a self,
        body: &'a Id,
        year: Year,
        until: &'a str,
    ) -> impl Iterator<Item = &'a AppropriationChange> + 'a {
        self.appropriation_changes
            .iter()
            .filter(move |c| &c.body == body && c.year == year && c.date.as_str() <= until)
    }

    /// KF's stated GEH judgement of a period.
    pub fn geh_judgement(&self, period: crate::Month) -> Option<&GehJudgement> {
        self.geh_judgements.iter().find(|j| j.period == period)
    }

    pub fn year(&self, year: Year) -> Option<&CouncilYear> {
        self.years.iter().find(|y| y.year == year)
    }

    /// The frame KF gives `body` for `year`.
    pub fn frame(&self, body: &Id, year: Year) -> Option<&BodyFrame> {
        self.frames
            .iter()
            .find(|frame| &frame.body == body && frame.year == year)
    }

    /// The decision behind a frame: its own, else the budget's.
    pub fn frame_decision<'a>(&'a self, frame: &'a BodyFrame) -> Option<&'a Id> {
        frame.decision.as_ref().or(self.decision.as_ref())
    }

    /// The computed result of a year: the result line's parts. A company's frame is the owner's
    /// requirement on the company's own result, outside the municipality's (`is_company` says
    /// which bodies are companies), so it is not one of the parts. `None` when the year has no
    /// finance figures.
    pub fn result_parts(
        &self,
        year: Year,
        is_company: impl Fn(&Id) -> bool,
    ) -> Option<ResultParts> {
        let figures = self.year(year)?;
        Some(ResultParts {
            tax_revenue: figures.tax_revenue,
            grants: figures.grants,
            financial_net: figures.financial_net,
            frames: self
                .frames
                .iter()
                .filter(|frame| frame.year == year && !is_company(&frame.body))
                .map(|frame| frame.amount)
                .sum(),
            central_items: self
                .central_items
                .iter()
                .filter(|item| item.year == year)
                .map(|item| item.amount)
                .sum(),
        })
    }
}

/// A company's own budget (`company.toml` in the company's package).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CompanyBudget {
    /// The figures are synthetic example data.
    pub synthetic: bool,
    /// The company board's decision, if the package names it.
    pub decision: Option<Id>,
    pub years: Vec<CompanyYear>,
    pub at: Location,
}

/// One year of a company's budget.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyYear {
    pub year: Year,
    /// Resultat före skatt (signed).
    pub result_before_tax: Money,
    /// Investeringar.
    pub investments: Money,
    pub at: Location,
}

impl CompanyBudget {
    pub fn year(&self, year: Year) -> Option<&CompanyYear> {
        self.years.iter().find(|y| y.year == year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Id {
        Id::parse(text).unwrap()
    }

    fn tkr(amount: i64) -> Money {
        Money::from_tkr(amount).unwrap()
    }

    #[test]
    fn the_result_is_income_less_frames_and_central_items_without_companies() {
        let frame = |body: &str, amount| BodyFrame {
            body: id(body),
            year: 2021,
            amount: tkr(amount),
            decision: None,
            at: Location::default(),
        };
        let budget = CouncilBudget {
            years: vec![CouncilYear {
                year: 2021,
                tax_rate: Decimal::new(1988, 2),
                tax_revenue: tkr(1000),
                grants: tkr(200),
                financial_net: tkr(-10),
                result: tkr(0),
                at: Location::default(),
            }],
            frames: vec![frame("ks", 700), frame("bolag", 50)],
            central_items: vec![CentralItem {
                id: id("pensioner"),
                name: "Pensioner".into(),
                year: 2021,
                amount: tkr(100),
                at: Location::default(),
            }],
            ..CouncilBudget::default()
        };
        let parts = budget
            .result_parts(2021, |body| body.as_str() == "bolag")
            .unwrap();
        assert_eq!(parts.frames, tkr(700));
        assert_eq!(parts.result(), tkr(1000 + 200 - 10 - 700 - 100));
        assert!(budget.result_parts(2022, |_| false).is_none());
    }
}
