//! Alternative budgets (issue 21): a party's (or the majority's) budget derived from KF's plan
//! of a year, the administration's proposal. An alternative stores only what it changes (frames
//! per body, optionally the tax rate and tax revenue) and its own goals and assignments; every
//! other figure is the base's. Its result is computed exactly as KF's
//! ([`CouncilBudget::result_parts`] on the base with the alternative's changes), and the one
//! balance rule ([`balance`]) says whether it may be submitted or published.

use crate::council::{CouncilBudget, FinancialGoal, ResultParts};
use crate::number::{Decimals, MoneyUnit, format_money, format_swedish};
use crate::{Id, Money, Year};
use rust_decimal::Decimal;

/// Where an alternative is in its life: a draft its author edits, submitted (read-only for the
/// author), published (everyone, the public too, sees it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlternativeState {
    Draft,
    Submitted,
    Published,
}

impl AlternativeState {
    pub fn code(self) -> &'static str {
        match self {
            AlternativeState::Draft => "draft",
            AlternativeState::Submitted => "submitted",
            AlternativeState::Published => "published",
        }
    }

    pub fn parse(code: &str) -> Option<AlternativeState> {
        [
            AlternativeState::Draft,
            AlternativeState::Submitted,
            AlternativeState::Published,
        ]
        .into_iter()
        .find(|state| state.code() == code)
    }

    /// "utkast", "inlämnad", "publicerad".
    pub fn label_sv(self) -> &'static str {
        match self {
            AlternativeState::Draft => "utkast",
            AlternativeState::Submitted => "inlämnad",
            AlternativeState::Published => "publicerad",
        }
    }
}

/// A frame the alternative changes: the body's net cost for the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternativeFrame {
    pub body: Id,
    pub amount: Money,
}

/// A goal of the alternative, optionally under one of KF's goals or goal areas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternativeGoal {
    pub text: String,
    /// The KF goal (or målområde) it belongs to.
    pub parent: Option<Id>,
}

/// An assignment of the alternative to a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternativeAssignment {
    pub text: String,
    pub body: Option<Id>,
}

/// Who moved an alternative to a state, and when (UTC text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub by: String,
    pub at: String,
}

/// An alternative budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// Numbered from 1 inside the municipality; 0 before it is stored.
    pub id: i64,
    pub municipality: String,
    pub year: Year,
    /// The budget version of KF's plan it was derived from.
    pub base_version: String,
    /// "Moderaterna", "Majoriteten" …
    pub party: String,
    pub title: String,
    /// The login of its author: the only one (with an administrator) who edits it.
    pub author: String,
    pub state: AlternativeState,
    /// Moves by one with every stored change: an edit based on another version is stale.
    pub version: i64,
    pub created_at: String,
    pub changed_at: String,
    pub submitted: Option<Stamp>,
    pub published: Option<Stamp>,
    /// Only the frames it changes, by body id.
    pub frames: Vec<AlternativeFrame>,
    /// A changed skattesats (kronor per 100 kronor).
    pub tax_rate: Option<Decimal>,
    /// Changed skatteintäkter.
    pub tax_revenue: Option<Money>,
    pub goals: Vec<AlternativeGoal>,
    pub assignments: Vec<AlternativeAssignment>,
}

impl Alternative {
    /// The frame it gives `body`, when it changes it.
    pub fn frame(&self, body: &Id) -> Option<Money> {
        self.frames
            .iter()
            .find(|frame| &frame.body == body)
            .map(|frame| frame.amount)
    }

    /// Sets `body`'s frame; a frame equal to the base's is no change and is dropped.
    pub fn set_frame(&mut self, body: Id, amount: Money, base: Option<Money>) {
        self.frames.retain(|frame| frame.body != body);
        if base != Some(amount) {
            self.frames.push(AlternativeFrame { body, amount });
            self.frames.sort_by(|a, b| a.body.cmp(&b.body));
        }
    }

    /// KF's budget as this alternative would have it: the base with the alternative's frames,
    /// tax rate and tax revenue in place of the base's for its year.
    pub fn budget(&self, base: &CouncilBudget) -> CouncilBudget {
        let mut budget = base.clone();
        for frame in &mut budget.frames {
            if frame.year == self.year
                && let Some(amount) = self.frame(&frame.body)
            {
                frame.amount = amount;
            }
        }
        for changed in &self.frames {
            if base.frame(&changed.body, self.year).is_none() {
                budget.frames.push(crate::council::BodyFrame {
                    body: changed.body.clone(),
                    year: self.year,
                    amount: changed.amount,
                    decision: None,
                    at: crate::Location::default(),
                });
            }
        }
        for year in &mut budget.years {
            if year.year == self.year {
                if let Some(rate) = self.tax_rate {
                    year.tax_rate = rate;
                }
                if let Some(revenue) = self.tax_revenue {
                    year.tax_revenue = revenue;
                }
            }
        }
        budget
    }
}

/// An alternative's (or KF's) result against the balance rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// The computed result.
    pub result: Money,
    /// Skatteintäkter + generella statsbidrag: what the financial goal is a share of.
    pub base: Money,
    /// KF's financial goal, when its plan states one: its share (percent) and amount.
    pub goal: Option<(Decimal, Money)>,
}

impl Balance {
    /// The least result allowed: the financial goal's amount, and never below zero.
    pub fn required(&self) -> Money {
        match self.goal {
            Some((_, amount)) if amount > Money::ZERO => amount,
            _ => Money::ZERO,
        }
    }

    /// The result less what is required: negative when the rule is broken.
    pub fn margin(&self) -> Money {
        self.result - self.required()
    }

    /// Whether the result is ≥ 0 and ≥ the financial goal.
    pub fn holds(&self) -> bool {
        self.margin() >= Money::ZERO
    }

    /// Why the alternative cannot be submitted or published, with the amounts, in Swedish;
    /// `None` when the rule holds.
    pub fn refusal(&self) -> Option<String> {
        if self.holds() {
            return None;
        }
        let short = tkr(self.required() - self.result);
        let result = tkr(self.result);
        let reason = match self.goal {
            Some((share, amount)) if amount > Money::ZERO => format!(
                "Resultatet {result} är {short} under det finansiella målet ({} % av \
                 skatteintäkter och generella statsbidrag = {})",
                format_swedish(share, share.scale().max(1), ' '),
                tkr(amount)
            ),
            _ => format!("Resultatet {result} är negativt ({short} under noll)"),
        };
        Some(format!(
            "{reason}; förslaget kan inte lämnas in eller publiceras."
        ))
    }
}

/// An amount in tkr the Swedish way: "106 000 tkr", "−5 000 tkr".
fn tkr(money: Money) -> String {
    format!(
        "{} tkr",
        format_money(money, MoneyUnit::Tkr, Decimals::AsHeld, ' ')
    )
}

/// The balance rule, the one place it is decided: a result (KF's way, [`ResultParts`]) must be
/// at least zero and at least KF's financial goal (`goal`'s share of skatteintäkter and
/// generella statsbidrag).
pub fn balance(parts: &ResultParts, goal: Option<&FinancialGoal>) -> Balance {
    let base = parts.tax_revenue + parts.grants;
    Balance {
        result: parts.result(),
        base,
        goal: goal.map(|goal| (goal.share_or_zero(), goal.required(base))),
    }
}

/// What a row of the side-by-side comparison is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparisonRowKind {
    /// A body's frame (net cost).
    Frame,
    /// Σ the frame rows above.
    FramesTotal,
    /// A centrally held item (net cost).
    Central,
    /// Σ the central items above.
    CentralTotal,
    TaxRevenue,
    Grants,
    FinancialNet,
    /// Skatteintäkter + statsbidrag + finansnetto − summa ramar − summa centrala poster.
    Result,
    /// The least result allowed (the financial goal, never below zero).
    Required,
    /// Result − required: negative when the balance rule is broken.
    Margin,
}

impl ComparisonRowKind {
    /// The row's kind as files and the API name it: `frame`, `frames_total`, `central`,
    /// `central_total`, `tax_revenue`, `grants`, `financial_net`, `result`, `required`, `margin`.
    pub fn code(self) -> &'static str {
        match self {
            ComparisonRowKind::Frame => "frame",
            ComparisonRowKind::FramesTotal => "frames_total",
            ComparisonRowKind::Central => "central",
            ComparisonRowKind::CentralTotal => "central_total",
            ComparisonRowKind::TaxRevenue => "tax_revenue",
            ComparisonRowKind::Grants => "grants",
            ComparisonRowKind::FinancialNet => "financial_net",
            ComparisonRowKind::Result => "result",
            ComparisonRowKind::Required => "required",
            ComparisonRowKind::Margin => "margin",
        }
    }
}

/// One cell: the column's amount and its difference against the proposal (column 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonCell {
    pub amount: Money,
    pub difference: Money,
}

impl ComparisonCell {
    pub fn differs(&self) -> bool {
        self.difference != Money::ZERO
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonRow {
    pub kind: ComparisonRowKind,
    /// The body's or item's id, for frame and central rows.
    pub id: Option<Id>,
    pub label: String,
    pub cells: Vec<ComparisonCell>,
}

/// A column: the administration's proposal (first) or an alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonColumn {
    /// `None` for the proposal.
    pub alternative: Option<i64>,
    pub label: String,
    pub state: Option<AlternativeState>,
    pub balance: Balance,
}

/// The alternatives side by side with the proposal they were derived from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub year: Year,
    pub columns: Vec<ComparisonColumn>,
    pub rows: Vec<ComparisonRow>,
}

/// The proposal (KF's plan `base`) and `alternatives` side by side for `year`: a row per
/// body's frame (`bodies`: every body of KF's plan with its name, in order; companies left out,
/// their frame is not part of the result), their sum, a row per central item, their sum, the
/// income rows, the result (computed from the rows shown: income + finansnetto − the two sums),
/// the least result allowed and the margin. `None` when the base has no figures for the year.
pub fn compare(
    base: &CouncilBudget,
    year: Year,
    bodies: &[(Id, String, bool)],
    alternatives: &[&Alternative],
) -> Option<Comparison> {
    let figures = base.year(year)?;
    let budgets: Vec<CouncilBudget> = std::iter::once(base.clone())
        .chain(alternatives.iter().map(|a| a.budget(base)))
        .collect();
    let is_company = |body: &Id| bodies.iter().any(|(id, _, company)| id == body && *company);
    let mut columns = Vec::new();
    for (index, budget) in budgets.iter().enumerate() {
        let parts = budget.result_parts(year, is_company)?;
        let alternative = index.checked_sub(1).map(|i| alternatives[i]);
        columns.push(ComparisonColumn {
            alternative: alternative.map(|a| a.id),
            label: match alternative {
                Some(a) => format!("{}: {}", a.party, a.title),
                None => "Förvaltningens förslag".to_owned(),
            },
            state: alternative.map(|a| a.state),
            balance: balance(&parts, base.result_goal()),
        });
    }
    let row = |kind, id: Option<Id>, label: String, amounts: Vec<Money>| {
        let first = amounts.first().copied().unwrap_or_default();
        ComparisonRow {
            kind,
            id,
            label,
            cells: amounts
                .into_iter()
                .map(|amount| ComparisonCell {
                    amount,
                    difference: amount - first,
                })
                .collect(),
        }
    };
    let mut rows = Vec::new();
    // Bodies with a frame in any column, in the order of KF's plan, then any not named there.
    let mut framed: Vec<(Id, String)> = bodies
        .iter()
        .filter(|(_, _, company)| !company)
        .map(|(id, name, _)| (id.clone(), name.clone()))
        .collect();
    for budget in &budgets {
        for frame in budget.frames.iter().filter(|f| f.year == year) {
            if !framed.iter().any(|(id, _)| id == &frame.body) && !is_company(&frame.body) {
                framed.push((frame.body.clone(), frame.body.to_string()));
            }
        }
    }
    let amount_of =
        |budget: &CouncilBudget, body: &Id| budget.frame(body, year).map(|frame| frame.amount);
    for (id, name) in &framed {
        if budgets.iter().all(|budget| amount_of(budget, id).is_none()) {
            continue;
        }
        let amounts = budgets
            .iter()
            .map(|budget| amount_of(budget, id).unwrap_or_default())
            .collect();
        rows.push(row(
            ComparisonRowKind::Frame,
            Some(id.clone()),
            name.clone(),
            amounts,
        ));
    }
    let sum_of = |rows: &[ComparisonRow], kind| -> Vec<Money> {
        (0..budgets.len())
            .map(|column| {
                rows.iter()
                    .filter(|r| r.kind == kind)
                    .map(|r| r.cells[column].amount)
                    .sum()
            })
            .collect()
    };
    let frames_total = sum_of(&rows, ComparisonRowKind::Frame);
    rows.push(row(
        ComparisonRowKind::FramesTotal,
        None,
        "Summa ramar".to_owned(),
        frames_total.clone(),
    ));
    for item in base.central_items.iter().filter(|item| item.year == year) {
        rows.push(row(
            ComparisonRowKind::Central,
            Some(item.id.clone()),
            item.name.clone(),
            vec![item.amount; budgets.len()],
        ));
    }
    let central_total = sum_of(&rows, ComparisonRowKind::Central);
    rows.push(row(
        ComparisonRowKind::CentralTotal,
        None,
        "Summa centrala poster".to_owned(),
        central_total.clone(),
    ));
    let of_year = |budget: &CouncilBudget| budget.year(year).cloned();
    let years: Vec<_> = budgets.iter().filter_map(of_year).collect();
    let tax: Vec<Money> = years.iter().map(|y| y.tax_revenue).collect();
    let grants = vec![figures.grants; budgets.len()];
    let net = vec![figures.financial_net; budgets.len()];
    rows.push(row(
        ComparisonRowKind::TaxRevenue,
        None,
        "Skatteintäkter".to_owned(),
        tax.clone(),
    ));
    rows.push(row(
        ComparisonRowKind::Grants,
        None,
        "Generella statsbidrag och utjämning".to_owned(),
        grants.clone(),
    ));
    rows.push(row(
        ComparisonRowKind::FinancialNet,
        None,
        "Finansnetto".to_owned(),
        net.clone(),
    ));
    let results: Vec<Money> = (0..budgets.len())
        .map(|c| tax[c] + grants[c] + net[c] - frames_total[c] - central_total[c])
        .collect();
    rows.push(row(
        ComparisonRowKind::Result,
        None,
        "Resultat".to_owned(),
        results.clone(),
    ));
    let required: Vec<Money> = columns.iter().map(|c| c.balance.required()).collect();
    rows.push(row(
        ComparisonRowKind::Required,
        None,
        match base.result_goal() {
            Some(goal) => format!(
                "Finansiellt mål ({} % av skatteintäkter och statsbidrag)",
                format_swedish(
                    goal.share_or_zero(),
                    goal.share_or_zero().scale().max(1),
                    ' '
                )
            ),
            None => "Lägsta tillåtna resultat (noll)".to_owned(),
        },
        required.clone(),
    ));
    rows.push(row(
        ComparisonRowKind::Margin,
        None,
        "Marginal mot målet".to_owned(),
        (0..budgets.len())
            .map(|c| results[c] - required[c])
            .collect(),
    ));
    Some(Comparison {
        year,
        columns,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tkr(amount: i64) -> Money {
        Money::from_tkr(amount).unwrap()
    }

    /// Income 5 300 000 tkr (the example's), frames and central items so the result is `result`.
    fn parts(result: i64) -> ResultParts {
        ResultParts {
            tax_revenue: tkr(4_350_000),
            grants: tkr(950_000),
            financial_net: tkr(-25_000),
            frames: tkr(5_300_000 - 25_000 - 500_000 - result),
            central_items: tkr(500_000),
        }
    }

    fn goal(share: &str) -> FinancialGoal {
        FinancialGoal {
            kind: crate::council::FinancialGoalKind::Result,
            share: Some(share.parse().unwrap()),
            text: None,
            at: crate::Location::default(),
        }
    }

    #[test]
    fn a_result_exactly_at_the_goal_passes() {
        let balance = balance(&parts(106_000), Some(&goal("2.0")));
        assert_eq!(balance.result, tkr(106_000));
        assert_eq!(balance.required(), tkr(106_000));
        assert_eq!(balance.margin(), Money::ZERO);
        assert!(balance.holds());
        assert_eq!(balance.refusal(), None);
    }

    #[test]
    fn one_tkr_under_the_goal_fails_by_one_tkr() {
        let balance = balance(&parts(105_999), Some(&goal("2.0")));
        assert!(!balance.holds());
        assert_eq!(balance.margin(), tkr(-1));
        assert_eq!(
            balance.refusal().unwrap(),
            "Resultatet 105 999 tkr är 1 tkr under det finansiella målet (2,0 % av \
             skatteintäkter och generella statsbidrag = 106 000 tkr); förslaget kan inte \
             lämnas in eller publiceras."
        );
    }

    #[test]
    fn the_refusal_says_by_how_much() {
        let refusal = balance(&parts(80_000), Some(&goal("2.0")))
            .refusal()
            .unwrap();
        assert!(
            refusal.starts_with("Resultatet 80 000 tkr är 26 000 tkr under det finansiella målet"),
            "{refusal}"
        );
    }

    #[test]
    fn a_negative_result_fails_without_a_goal_and_with_one() {
        let without = balance(&parts(-5_000), None);
        assert!(!without.holds());
        assert_eq!(without.margin(), tkr(-5_000));
        assert_eq!(
            without.refusal().unwrap(),
            "Resultatet −5 000 tkr är negativt (5 000 tkr under noll); förslaget kan inte \
             lämnas in eller publiceras."
        );
        assert!(balance(&parts(0), None).holds());
        let with = balance(&parts(-5_000), Some(&goal("2.0")));
        assert_eq!(with.margin(), tkr(-111_000));
    }

    #[test]
    fn an_alternative_changes_only_its_frames() {
        let mut alternative = Alternative {
            id: 1,
            municipality: "haninge".into(),
            year: 2021,
            base_version: "kf".into(),
            party: "P".into(),
            title: "T".into(),
            author: "a".into(),
            state: AlternativeState::Draft,
            version: 1,
            created_at: String::new(),
            changed_at: String::new(),
            submitted: None,
            published: None,
            frames: Vec::new(),
            tax_rate: None,
            tax_revenue: None,
            goals: Vec::new(),
            assignments: Vec::new(),
        };
        let ks = Id::parse("ks").unwrap();
        alternative.set_frame(ks.clone(), tkr(10), Some(tkr(10)));
        assert!(
            alternative.frames.is_empty(),
            "the base's own amount is no change"
        );
        alternative.set_frame(ks.clone(), tkr(12), Some(tkr(10)));
        assert_eq!(alternative.frame(&ks), Some(tkr(12)));
    }

    #[test]
    fn the_comparison_result_is_the_sum_of_its_lines_and_the_balance_rules() {
        use crate::council::{BodyFrame, CentralItem, CouncilYear};
        let id = |text: &str| Id::parse(text).unwrap();
        let frame = |body: &str, amount| BodyFrame {
            body: id(body),
            year: 2021,
            amount: tkr(amount),
            decision: None,
            at: crate::Location::default(),
        };
        let base = CouncilBudget {
            years: vec![CouncilYear {
                year: 2021,
                tax_rate: Decimal::new(1983, 2),
                tax_revenue: tkr(900),
                grants: tkr(100),
                financial_net: tkr(-10),
                result: tkr(40),
                at: crate::Location::default(),
            }],
            frames: vec![frame("ks", 500), frame("sn", 350), frame("bolag", 99)],
            central_items: vec![CentralItem {
                id: id("pensioner"),
                name: "Pensioner".into(),
                year: 2021,
                amount: tkr(100),
                at: crate::Location::default(),
            }],
            financial_goals: vec![goal("2.0")],
            ..CouncilBudget::default()
        };
        let mut alternative = Alternative {
            id: 7,
            municipality: "m".into(),
            year: 2021,
            base_version: "kf".into(),
            party: "Partiet".into(),
            title: "Vår budget".into(),
            author: "p".into(),
            state: AlternativeState::Draft,
            version: 1,
            created_at: String::new(),
            changed_at: String::new(),
            submitted: None,
            published: None,
            frames: Vec::new(),
            tax_rate: None,
            tax_revenue: None,
            goals: Vec::new(),
            assignments: Vec::new(),
        };
        alternative.set_frame(id("sn"), tkr(380), Some(tkr(350)));
        let bodies = vec![
            (id("ks"), "Kommunstyrelsen".to_owned(), false),
            (id("sn"), "Socialnämnden".to_owned(), false),
            (id("bolag"), "Bolaget".to_owned(), true),
        ];
        let comparison = compare(&base, 2021, &bodies, &[&alternative]).unwrap();
        let cell = |kind: ComparisonRowKind, column: usize| {
            comparison
                .rows
                .iter()
                .find(|r| r.kind == kind)
                .unwrap()
                .cells[column]
                .clone()
        };
        let frames: Vec<_> = comparison
            .rows
            .iter()
            .filter(|r| r.kind == ComparisonRowKind::Frame)
            .collect();
        assert_eq!(frames.len(), 2, "the company's frame is not a line");
        assert!(!frames[0].cells[1].differs());
        assert_eq!(frames[1].cells[1].difference, tkr(30));
        assert!(frames[1].cells[1].differs());
        assert_eq!(cell(ComparisonRowKind::FramesTotal, 1).amount, tkr(880));
        // 900 + 100 − 10 − 850 − 100 = 40; the alternative 30 less.
        assert_eq!(cell(ComparisonRowKind::Result, 0).amount, tkr(40));
        assert_eq!(cell(ComparisonRowKind::Result, 1).amount, tkr(10));
        assert_eq!(cell(ComparisonRowKind::Result, 1).difference, tkr(-30));
        for column in 0..2 {
            assert_eq!(
                cell(ComparisonRowKind::Result, column).amount,
                comparison.columns[column].balance.result
            );
        }
        // 2,0 % of 1 000 = 20: the proposal holds, the alternative is 10 under.
        assert_eq!(cell(ComparisonRowKind::Required, 1).amount, tkr(20));
        assert_eq!(cell(ComparisonRowKind::Margin, 0).amount, tkr(20));
        assert_eq!(cell(ComparisonRowKind::Margin, 1).amount, tkr(-10));
        assert!(!comparison.columns[1].balance.holds());
    }
}
