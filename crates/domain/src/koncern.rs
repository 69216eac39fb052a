//! Koncernens sammanställda budget: the municipality's budgeted result and its companies'
//! budgeted results before tax, each by the municipality's ägarandel, less the internal
//! transactions KF's plan states as eliminations (until a ledger gives them).
//!
//! The rule: koncernens resultat = kommunens budgeterade resultat (KF's stated result line) plus
//! Σ bolagets resultat före skatt × ägarandel minus Σ elimineringar. A company's share is
//! rounded to whole öre, halves away from zero; the total is the sum of the lines it shows. A
//! company whose plan has no budget for the year is listed without figures and counted as
//! missing, never as zero.

use crate::council::{CompanyBudget, CouncilBudget};
use crate::number::{MoneyUnit, round_half_away, whole_shares};
use crate::org::BodyKind;
use crate::{Id, Money, Plan, Year};
use rust_decimal::Decimal;

/// One company's line of the consolidation.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyLine {
    pub body: Id,
    pub name: String,
    pub ownership_percent: Decimal,
    /// The company's own budgeted result before tax; `None` when its plan is missing or has no
    /// budget for the year.
    pub result_before_tax: Option<Money>,
    /// The municipality's share of it.
    pub share: Option<Money>,
    /// The company's budgeted investments and the municipality's share of them.
    pub investments: Option<Money>,
    pub investments_share: Option<Money>,
}

/// The consolidated budget of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Consolidated {
    pub year: Year,
    /// KF's stated result line for the year; `None` when KF's plan has no figures for it.
    pub municipal_result: Option<Money>,
    pub companies: Vec<CompanyLine>,
    /// Σ the year's stated eliminations.
    pub eliminations: Money,
    /// The consolidated result: `None` while any part is missing.
    pub result: Option<Money>,
}

fn share(amount: Money, percent: Decimal) -> Money {
    let ore = round_half_away(
        Decimal::from(amount.ore()) * percent / Decimal::ONE_HUNDRED,
        0,
    );
    Money::from_ore(ore.try_into().unwrap_or(i64::MAX))
}

/// The consolidation of a year: `council` is KF's plan (its companies are the bodies of kind
/// company it lists, with their ägarandel), `companies` the companies' own plans.
pub fn consolidate(council: &Plan, companies: &[Plan], year: Year) -> Consolidated {
    let budget: Option<&CouncilBudget> = council.council.as_ref();
    let municipal_result = budget.and_then(|b| b.year(year)).map(|y| y.result);
    let lines: Vec<CompanyLine> = council
        .bodies
        .iter()
        .filter(|body| body.kind == BodyKind::Company)
        .map(|body| {
            let percent = body.ownership_percent.unwrap_or_default();
            let own: Option<&CompanyBudget> = companies
                .iter()
                .find(|plan| plan.document.body == body.id)
                .and_then(|plan| plan.company.as_ref());
            let figures = own.and_then(|company| company.year(year));
            let result = figures.map(|f| f.result_before_tax);
            let investments = figures.map(|f| f.investments);
            CompanyLine {
                body: body.id.clone(),
                name: body.name.clone(),
                ownership_percent: percent,
                result_before_tax: result,
                share: result.map(|r| share(r, percent)),
                investments,
                investments_share: investments.map(|i| share(i, percent)),
            }
        })
        .collect();
    let eliminations: Money = budget
        .map(|b| {
            b.eliminations
                .iter()
                .filter(|e| e.year == year)
                .map(|e| e.amount)
                .sum()
        })
        .unwrap_or(Money::ZERO);
    let shares: Option<Money> = lines.iter().map(|line| line.share).sum();
    let result = municipal_result
        .zip(shares)
        .map(|(municipal, shares)| municipal + shares - eliminations);
    Consolidated {
        year,
        municipal_result,
        companies: lines,
        eliminations,
        result,
    }
}

impl Consolidated {
    /// The consolidation as a table prints it, in whole `unit`s that add up: KF's result and
    /// the eliminations rounded (stated figures, whole already in a plan), the consolidated
    /// result rounded once, and the companies' shares of it by the largest remainder (each
    /// within one unit of its exact share), so that the printed rows add up to the printed
    /// result. A company's own figures are rounded each. Without a result (a part missing)
    /// every share is rounded on its own.
    pub fn in_whole(&self, unit: MoneyUnit) -> Consolidated {
        let round = |m: Money| m.rounded_to(unit);
        let round_some = |m: Option<Money>| m.map(round);
        let municipal_result = round_some(self.municipal_result);
        let eliminations = round(self.eliminations);
        let result = round_some(self.result);
        let exact: Option<Vec<Money>> = self.companies.iter().map(|c| c.share).collect();
        let shares: Vec<Option<Money>> = match (exact, result, municipal_result) {
            (Some(exact), Some(result), Some(municipal)) => {
                whole_shares(&exact, result - municipal + eliminations, unit)
                    .into_iter()
                    .map(Some)
                    .collect()
            }
            _ => self.companies.iter().map(|c| round_some(c.share)).collect(),
        };
        Consolidated {
            year: self.year,
            municipal_result,
            companies: self
                .companies
                .iter()
                .zip(shares)
                .map(|(c, share)| CompanyLine {
                    result_before_tax: round_some(c.result_before_tax),
                    share,
                    investments: round_some(c.investments),
                    investments_share: round_some(c.investments_share),
                    ..c.clone()
                })
                .collect(),
            eliminations,
            result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::council::{CompanyYear, CouncilYear, Elimination};
    use crate::org::Body;
    use crate::{Location, Money};

    fn id(text: &str) -> Id {
        Id::parse(text).unwrap()
    }

    fn tkr(amount: i64) -> Money {
        Money::from_tkr(amount).unwrap()
    }

    fn company_body(name: &str, percent: &str) -> Body {
        Body {
            id: id(name),
            name: name.to_owned(),
            short: None,
            kind: BodyKind::Company,
            parent: None,
            note: None,
            ownership_percent: Some(percent.parse().unwrap()),
            at: Location::default(),
        }
    }

    fn company_plan(template: &Plan, name: &str, result: i64) -> Plan {
        let mut plan = template.clone();
        plan.document.body = id(name);
        plan.company = Some(CompanyBudget {
            years: vec![CompanyYear {
                year: 2021,
                result_before_tax: tkr(result),
                investments: tkr(100),
                at: Location::default(),
            }],
            ..CompanyBudget::default()
        });
        plan
    }

    fn council(template: &Plan) -> Plan {
        let mut plan = template.clone();
        plan.bodies = vec![company_body("helt", "100"), company_body("delvis", "33.3")];
        plan.council = Some(CouncilBudget {
            years: vec![CouncilYear {
                year: 2021,
                tax_rate: Decimal::new(1983, 2),
                tax_revenue: tkr(0),
                grants: tkr(0),
                financial_net: tkr(0),
                result: tkr(1000),
                at: Location::default(),
            }],
            eliminations: vec![Elimination {
                id: id("internhyror"),
                name: "Internhyror".into(),
                year: 2021,
                amount: tkr(50),
                at: Location::default(),
            }],
            ..CouncilBudget::default()
        });
        plan
    }

    #[test]
    fn companies_count_by_ownership_less_the_eliminations() {
        let template = crate::plan::tests_support::empty_plan();
        let kf = council(&template);
        let companies = [
            company_plan(&template, "helt", 200),
            company_plan(&template, "delvis", 10),
        ];
        let consolidated = consolidate(&kf, &companies, 2021);
        // 10 tkr × 33,3 % = 3,33 tkr exactly; 200 tkr × 100 % = 200 tkr.
        let shares: Vec<Option<Money>> = consolidated.companies.iter().map(|c| c.share).collect();
        assert_eq!(shares, [Some(tkr(200)), Some(Money::from_ore(333_000))]);
        assert_eq!(consolidated.eliminations, tkr(50));
        assert_eq!(
            consolidated.result,
            Some(tkr(1000) + tkr(200) + Money::from_ore(333_000) - tkr(50))
        );
    }

    #[test]
    fn printed_in_whole_tkr_the_rows_add_up_to_the_result() {
        let template = crate::plan::tests_support::empty_plan();
        let mut kf = council(&template);
        kf.bodies = vec![
            company_body("a", "33.5"),
            company_body("b", "33.5"),
            company_body("c", "33.5"),
        ];
        let companies = [
            company_plan(&template, "a", 1),
            company_plan(&template, "b", 1),
            company_plan(&template, "c", 1),
        ];
        let exact = consolidate(&kf, &companies, 2021);
        // Each share is 0,335 tkr: rounded one by one the rows print 1 000 + 0 + 0 + 0 − 50
        // = 950, but the result, 951,005 tkr, prints 951.
        assert_eq!(exact.result, Some(Money::from_ore(95_100_500)));
        let printed = exact.in_whole(MoneyUnit::Tkr);
        assert_eq!(printed.result, Some(tkr(951)));
        let shares: Vec<Money> = printed.companies.iter().filter_map(|c| c.share).collect();
        assert_eq!(shares, [tkr(1), tkr(0), tkr(0)]);
        let rows = printed.municipal_result.unwrap() + shares.iter().copied().sum::<Money>()
            - printed.eliminations;
        assert_eq!(Some(rows), printed.result);
        // Each share within one tkr of its exact figure; the exact consolidation unchanged.
        for (p, e) in printed.companies.iter().zip(&exact.companies) {
            assert!((p.share.unwrap() - e.share.unwrap()).abs() < tkr(1));
            assert_eq!(
                p.investments_share,
                e.investments_share.map(|m| m.rounded_to(MoneyUnit::Tkr))
            );
        }
        // Missing parts: no result, each share rounded alone.
        let missing = consolidate(&kf, &companies[..1], 2021).in_whole(MoneyUnit::Tkr);
        assert_eq!(missing.result, None);
        assert_eq!(missing.companies[0].share, Some(tkr(0)));
        assert_eq!(missing.companies[1].share, None);
    }

    #[test]
    fn a_company_without_a_budget_leaves_the_result_missing_not_zero() {
        let template = crate::plan::tests_support::empty_plan();
        let kf = council(&template);
        let consolidated = consolidate(&kf, &[company_plan(&template, "helt", 200)], 2021);
        assert_eq!(consolidated.companies[1].share, None);
        assert_eq!(consolidated.result, None);
        assert_eq!(consolidate(&kf, &[], 2022).municipal_result, None);
    }
}
