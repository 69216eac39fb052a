//! The financial statements (issue 22, RKR's uppställningsformer): resultaträkning (RR),
//! balansräkning (BR) and kassaflödesanalys (KFA, indirect method), and the
//! balanskravsutredning, computed from the municipality's bokslut ledger files through KF's
//! Kommun-Bas mapping ([`styr_domain::statements`]).
//!
//! - **Outcome through a month.** RR: the counted movements of the result accounts from the
//!   fiscal year's first month through `through` (a delårsrapport per 2021-08 reads January to
//!   August; the annual report all twelve). BR: each balance account's #IB 0 plus its movements
//!   through `through`. KFA: the changes of BR's lines from #IB 0 to the period's end.
//! - **Previous year.** RR from #RES −1; BR from #UB −1; KFA from #IB −1 to #UB −1 with #RES −1's
//!   result. (A file without them gives no previous column.)
//! - **Budget** beside RR's outcome, for the whole year: skatteintäkter and generella
//!   statsbidrag from KF's council budget, the lines KF does not split from the mapping's
//!   `budget.csv`, checked against KF's totals (nettokostnad = Σ frames + Σ central items, the
//!   finansnetto, the stated result).
//! - **Sums** are computed from the lines above them, column by column, never read.
//! - **Signs**: the report convention (see the domain module): RR intäkter positive, kostnader
//!   negative; BR tillgångar and eget kapital, avsättningar och skulder positive.
//!
//! Findings (each with a stable id, shown in the document): a BR that does not balance (the
//! difference named), a KFA that does not tie to the change in liquid funds (the difference
//! named), a file's #UB/#RES that differs from #IB + movements (annual report only: the year
//! has ended), an account with an amount that maps to no line, budget lines that differ from
//! KF's totals, a stated balanskravsresultat that differs from the computed one, and a deficit
//! not restored within three years.

use std::collections::BTreeMap;
use styr_domain::number::{Decimals, MoneyUnit, format_money};
use styr_domain::statements::{
    AccountTag, BalanceItemKind, BalanceKind, LINES, LineDef, LineKind, Statement, StatementLedger,
    StatementMapping, unrestored_deficits,
};
use styr_domain::{Money, Month, Plan, Year};

use crate::budget_vs_actual::whole_shares;

/// What a row of a statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A line accounts are mapped onto (or a derived line).
    Line,
    /// A sum of lines above it (computed).
    Sum,
}

/// One row of a statement: outcome, budget (RR only) and previous year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    pub id: String,
    pub label: String,
    /// A group heading shown above the row (BR's Anläggningstillgångar …; KFA's sections).
    pub heading: Option<String>,
    pub kind: RowKind,
    pub outcome: Money,
    pub budget: Option<Money>,
    pub previous: Option<Money>,
}

/// A finding of the statements: a stable id and one Swedish sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFinding {
    pub id: String,
    pub message: String,
}

/// One row of the balanskravsutredning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRow {
    pub label: String,
    pub kind: RowKind,
    pub amount: Money,
}

/// A deficit of an earlier year (or this one) and what of it remains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeficitRow {
    pub year: Year,
    pub amount: Money,
    pub remaining: Money,
    pub deadline: Year,
    /// Not restored by its deadline.
    pub overdue: bool,
}

/// The balanskravsutredning of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRequirement {
    pub rows: Vec<BalanceRow>,
    pub result: Money,
    /// The balanskravsresultat the data states for the year, if any (kept, never replaced).
    pub stated: Option<Money>,
    pub deficits: Vec<DeficitRow>,
    /// The rule, as shown under the table.
    pub rule: String,
}

/// The statements of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementsReport {
    pub municipality: String,
    pub year: Year,
    pub through: Month,
    /// The whole fiscal year (an annual report) rather than a period of it.
    pub annual: bool,
    /// The files read: `file (company, fiscal year)`.
    pub sources: Vec<String>,
    pub result: Vec<StatementRow>,
    pub balance: Vec<StatementRow>,
    pub cash_flow: Vec<StatementRow>,
    pub balance_requirement: BalanceRequirement,
    pub findings: Vec<StatementFinding>,
    /// Whether the budget column has anything (KF's plan has a council budget for the year).
    pub has_budget: bool,
    /// Whether the previous year's column has anything (#RES −1 / #UB −1 in a file).
    pub has_previous: bool,
    /// The previous column of RR and KFA is the previous year's same period (else its whole
    /// year, from #RES −1).
    pub previous_same_period: bool,
    /// KF's budget is marked synthetic example data (`council.toml`): so is its bokslut.
    pub synthetic: bool,
}

impl StatementsReport {
    /// The row with this id in any of the three statements.
    pub fn row(&self, id: &str) -> Option<&StatementRow> {
        self.result
            .iter()
            .chain(&self.balance)
            .chain(&self.cash_flow)
            .find(|row| row.id == id)
    }
}

/// A column of RR, BR or KFA.
#[derive(Debug, Clone, Copy)]
enum Column {
    Outcome,
    Budget,
    Previous,
}

impl Column {
    const ALL: [Column; 3] = [Column::Outcome, Column::Budget, Column::Previous];

    fn of(self, row: &StatementRow) -> Option<Money> {
        match self {
            Column::Outcome => Some(row.outcome),
            Column::Budget => row.budget,
            Column::Previous => row.previous,
        }
    }

    fn set(self, row: &mut StatementRow, value: Option<Money>) {
        match self {
            Column::Outcome => row.outcome = value.unwrap_or(Money::ZERO),
            Column::Budget => row.budget = value,
            Column::Previous => row.previous = value,
        }
    }
}

impl StatementsReport {
    /// The statements as a table in whole units prints them (the documents and the CLI's text
    /// print whole tkr): every figure a whole `unit`, and every sum the sum of the printed lines
    /// it sums, column by column. One figure in each is rounded once, and the lines share it:
    ///
    /// - **RR**: årets resultat is its exact figure rounded once; the mapped lines share it by
    ///   the largest remainder ([`whole_shares`]: each within one unit of its exact figure).
    ///   A budget sum stated for itself (not the sum of its parts) keeps its stated figure
    ///   rounded: a stated figure is never replaced.
    /// - **BR**: Kassa och bank is its exact figure rounded once (KFA's likvida medel as
    ///   printed), and the other tillgångar share SUMMA TILLGÅNGAR rounded once less it; årets
    ///   resultat is its exact figure rounded once (RR's as printed), and the other lines of
    ///   eget kapital, avsättningar och skulder share the rounded SUMMA EGET KAPITAL,
    ///   AVSÄTTNINGAR OCH SKULDER less it. A BR that balances exactly balances as printed; one
    ///   that does not shows its difference rounded.
    /// - **KFA**: årets resultat as RR's; likvida medel vid årets början and vid periodens slut
    ///   each rounded once (BR's Kassa och bank as printed); årets kassaflöde their printed difference when the exact analysis
    ///   ties (else its exact figure rounded once); the other lines share årets kassaflöde less
    ///   årets resultat, and the section totals are the sums of their lines.
    /// - **Balanskravsutredning**: årets resultat RR's as printed, each adjustment rounded once,
    ///   each result the sum of the printed rows above it; the stated result and the deficits
    ///   rounded once each.
    ///
    /// A line can therefore differ from its own exact amount by up to one unit (a line sharing
    /// a difference of two rounded figures, BR's other side and KFA's lines, by a little more).
    /// The findings stay those of the exact figures; the exact report stays what the API and
    /// the exports give.
    pub fn in_whole(&self, unit: MoneyUnit) -> StatementsReport {
        let result = statement_in_whole(&self.result, unit);
        let balance = statement_in_whole(&self.balance, unit);
        let cash_flow = cash_flow_in_whole(&self.cash_flow, unit);
        let printed_result = result
            .iter()
            .find(|row| row.id == "rr.arets_resultat")
            .map_or(Money::ZERO, |row| row.outcome);
        StatementsReport {
            result,
            balance,
            cash_flow,
            balance_requirement: self.balance_requirement.in_whole(printed_result, unit),
            ..self.clone()
        }
    }

    /// The ids of the rows a sum of the kassaflödesanalys sums: årets kassaflöde the three
    /// section totals, a section total its section's lines (the rows since the sum before it).
    pub fn cash_flow_parts(&self, line: &str) -> Vec<&str> {
        cash_flow_parts(&self.cash_flow, line)
    }
}

/// The section totals årets kassaflöde sums.
const CASH_FLOW_SECTIONS: [&str; 3] = ["kfa.lopande", "kfa.investering", "kfa.finansiering"];

fn cash_flow_parts<'a>(rows: &'a [StatementRow], line: &str) -> Vec<&'a str> {
    if line == "kfa.arets_kassaflode" {
        return rows
            .iter()
            .filter(|row| CASH_FLOW_SECTIONS.contains(&row.id.as_str()))
            .map(|row| row.id.as_str())
            .collect();
    }
    let Some(at) = rows.iter().position(|row| row.id == line) else {
        return Vec::new();
    };
    let start = rows[..at]
        .iter()
        .rposition(|row| row.kind == RowKind::Sum)
        .map_or(0, |i| i + 1);
    rows[start..at].iter().map(|row| row.id.as_str()).collect()
}

/// RR's or BR's rows in whole units (see [`StatementsReport::in_whole`]), column by column.
fn statement_in_whole(rows: &[StatementRow], unit: MoneyUnit) -> Vec<StatementRow> {
    let mut printed = rows.to_vec();
    for column in Column::ALL {
        let exact: BTreeMap<&str, Money> = rows
            .iter()
            .filter_map(|row| Some((row.id.as_str(), column.of(row)?)))
            .collect();
        let whole = column_in_whole(&exact, unit);
        for row in &mut printed {
            column.set(row, whole.get(row.id.as_str()).copied());
        }
    }
    printed
}

/// One column of RR or BR in whole units, by [`LINES`]: each top sum (one no other sum reads:
/// RR's årets resultat, BR's two sides) rounded once and shared out over the lines it is made
/// of; then every other sum the sum of its printed parts.
fn column_in_whole<'a>(
    exact: &BTreeMap<&'a str, Money>,
    unit: MoneyUnit,
) -> BTreeMap<&'a str, Money> {
    let lines: Vec<&LineDef> = LINES
        .iter()
        .filter(|line| exact.contains_key(line.id))
        .collect();
    let is_part = |id: &str| {
        lines
            .iter()
            .any(|line| matches!(line.kind, LineKind::Sum(parts) if parts.contains(&id)))
    };
    let mut printed: BTreeMap<&str, Money> = BTreeMap::new();
    for top in lines.iter().filter(|line| !is_part(line.id)) {
        let mut shared = Vec::new();
        let mut rounded = Vec::new();
        made_of(top, exact, &mut shared, &mut rounded);
        let mut rest = exact[top.id].rounded_to(unit);
        for id in rounded {
            let whole = exact[id].rounded_to(unit);
            rest = rest - whole;
            printed.insert(id, whole);
        }
        let parts: Vec<Money> = shared.iter().map(|id| exact[id]).collect();
        printed.extend(shared.into_iter().zip(whole_shares(&parts, rest, unit)));
    }
    // LINES has a sum's parts before it, so each sum here reads printed parts.
    for line in lines {
        if printed.contains_key(line.id) {
            continue;
        }
        let whole = match line.kind {
            LineKind::Sum(parts) if !is_stated(line, exact) => parts
                .iter()
                .map(|part| printed.get(part).copied())
                .sum::<Option<Money>>(),
            _ => Some(exact[line.id].rounded_to(unit)),
        };
        if let Some(whole) = whole {
            printed.insert(line.id, whole);
        }
    }
    printed
}

/// BR's lines that the kassaflödesanalys prints too (Kassa och bank is its likvida medel at
/// the start and the end): rounded once in both, so the two statements print the same figure.
const PRINTED_IN_CASH_FLOW: [&str; 1] = ["br.t.kassa"];

/// The lines `line`'s figure is made of, through the sums that are the sums of their parts:
/// the mapped lines (`shared`, they share the figure) and the figures that stand for
/// themselves (`rounded`, each rounded once: BR's årets resultat, RR's, Kassa och bank, and a
/// budget sum stated for itself).
fn made_of<'a>(
    line: &LineDef,
    exact: &BTreeMap<&'a str, Money>,
    shared: &mut Vec<&'a str>,
    rounded: &mut Vec<&'a str>,
) {
    let Some((&id, _)) = exact.get_key_value(line.id) else {
        return;
    };
    match line.kind {
        LineKind::Mapped if PRINTED_IN_CASH_FLOW.contains(&id) => rounded.push(id),
        LineKind::Mapped => shared.push(id),
        LineKind::Sum(parts) if !is_stated(line, exact) => {
            for part in parts
                .iter()
                .filter_map(|part| styr_domain::statements::line(part))
            {
                made_of(part, exact, shared, rounded);
            }
        }
        LineKind::Sum(_) | LineKind::YearResult => rounded.push(id),
    }
}

/// A sum whose figure is not the sum of its parts' (a budget stated for the sum itself).
fn is_stated(line: &LineDef, exact: &BTreeMap<&str, Money>) -> bool {
    let LineKind::Sum(parts) = line.kind else {
        return false;
    };
    let sum_of_parts: Option<Money> = parts.iter().map(|part| exact.get(part).copied()).sum();
    exact.get(line.id).is_some() && sum_of_parts != exact.get(line.id).copied()
}

/// KFA's rows in whole units (see [`StatementsReport::in_whole`]), column by column.
fn cash_flow_in_whole(rows: &[StatementRow], unit: MoneyUnit) -> Vec<StatementRow> {
    let mut printed = rows.to_vec();
    for column in [Column::Outcome, Column::Previous] {
        let exact = |id: &str| {
            rows.iter()
                .find(|row| row.id == id)
                .and_then(|row| column.of(row))
        };
        let (Some(result), Some(flow), Some(start), Some(end)) = (
            exact("kfa.arets_resultat"),
            exact("kfa.arets_kassaflode"),
            exact("kfa.likvida_borjan"),
            exact("kfa.likvida_slut"),
        ) else {
            continue;
        };
        let round = |money: Money| money.rounded_to(unit);
        let flow_printed = if flow == end - start {
            round(end) - round(start)
        } else {
            round(flow)
        };
        let mut whole: BTreeMap<&str, Money> = BTreeMap::from([
            ("kfa.arets_resultat", round(result)),
            ("kfa.likvida_borjan", round(start)),
            ("kfa.likvida_slut", round(end)),
        ]);
        // The lines of the three sections other than årets resultat share the rest of årets
        // kassaflöde.
        let shared: Vec<&StatementRow> = CASH_FLOW_SECTIONS
            .iter()
            .flat_map(|section| cash_flow_parts(rows, section))
            .filter(|id| !whole.contains_key(id))
            .filter_map(|id| rows.iter().find(|row| row.id == id))
            .collect();
        let parts: Vec<Money> = shared.iter().filter_map(|row| column.of(row)).collect();
        let shares = whole_shares(&parts, flow_printed - round(result), unit);
        whole.extend(shared.iter().map(|row| row.id.as_str()).zip(shares));
        for row in rows.iter().filter(|row| row.kind == RowKind::Sum) {
            let total = cash_flow_parts(rows, &row.id)
                .iter()
                .map(|part| whole.get(part).copied().unwrap_or(Money::ZERO))
                .sum();
            whole.insert(&row.id, total);
        }
        for row in &mut printed {
            if let Some(&figure) = whole.get(row.id.as_str()) {
                column.set(row, Some(figure));
            }
        }
    }
    printed
}

impl BalanceRequirement {
    /// The balanskravsutredning in whole units: årets resultat as RR prints it, each adjustment
    /// rounded once, each result the sum of the printed rows above it (as
    /// `balance_requirement` sums them); the stated result and the deficits rounded once each.
    fn in_whole(&self, printed_result: Money, unit: MoneyUnit) -> BalanceRequirement {
        let mut lines_above = Money::ZERO;
        let rows: Vec<BalanceRow> = self
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| {
                let amount = match row.kind {
                    RowKind::Line if index == 0 => printed_result,
                    RowKind::Line => row.amount.rounded_to(unit),
                    RowKind::Sum => lines_above,
                };
                if row.kind == RowKind::Line {
                    lines_above = lines_above + amount;
                }
                BalanceRow {
                    amount,
                    ..row.clone()
                }
            })
            .collect();
        let result = rows
            .iter()
            .rev()
            .find(|row| row.kind == RowKind::Sum)
            .map_or(self.result.rounded_to(unit), |row| row.amount);
        BalanceRequirement {
            rows,
            result,
            stated: self.stated.map(|stated| stated.rounded_to(unit)),
            deficits: self
                .deficits
                .iter()
                .map(|deficit| DeficitRow {
                    amount: deficit.amount.rounded_to(unit),
                    remaining: deficit.remaining.rounded_to(unit),
                    ..deficit.clone()
                })
                .collect(),
            rule: self.rule.clone(),
        }
    }
}

/// Amounts in kr for a finding's sentence ("1 234 567,50 kr").
pub fn kr(money: Money) -> String {
    format!(
        "{} kr",
        format_money(money, MoneyUnit::Kr, Decimals::AsHeld, ' ')
    )
}

/// Per account, what the period needs (ledger sign).
#[derive(Debug, Clone, Copy, Default)]
struct AccountFigures {
    ib0: Money,
    ub0: Option<Money>,
    res0: Option<Money>,
    ib_1: Money,
    ub_1: Money,
    res_1: Money,
    movement: Money,
}

/// The figures per line (report sign) of each column.
#[derive(Debug, Default)]
struct Columns {
    outcome: BTreeMap<&'static str, Money>,
    opening: BTreeMap<&'static str, Money>,
    previous: BTreeMap<&'static str, Money>,
    previous_opening: BTreeMap<&'static str, Money>,
    /// The KFA's previous close when it is not BR's previous column (the previous year's
    /// same period).
    previous_close: Option<BTreeMap<&'static str, Money>>,
    /// Tagged sums in RR's report sign: (outcome, previous).
    tags: BTreeMap<AccountTag, (Money, Money)>,
}

impl Columns {
    fn get(map: &BTreeMap<&'static str, Money>, id: &str) -> Money {
        map.get(id).copied().unwrap_or(Money::ZERO)
    }
}

/// Computes the statements of `year` through `through` from KF's plan (its mapping and
/// council budget) and the municipality's bokslut ledger files.
pub fn statements(plan: &Plan, ledgers: &[StatementLedger], through: Month) -> StatementsReport {
    statements_compared(plan, ledgers, &[], through)
}

/// [`statements`] with the previous year's bokslut files: in a period report (through a month
/// before December) RR's and KFA's previous column is then the previous year's same period
/// (RKR R17), read from them; BR's stays the previous year-end (#UB −1).
pub fn statements_compared(
    plan: &Plan,
    ledgers: &[StatementLedger],
    previous_year: &[StatementLedger],
    through: Month,
) -> StatementsReport {
    let year = through.year();
    let annual = through.month() == 12;
    let mapping = &plan.statements;
    let mut findings: Vec<StatementFinding> = Vec::new();
    let mut columns = Columns::default();
    let mut has_previous = false;

    for ledger in ledgers {
        let accounts = figures_of(ledger, through);
        has_previous |= ledger.balances.iter().any(|b| b.year == -1);
        let states_ub = ledger
            .balances
            .iter()
            .any(|b| b.year == 0 && b.kind == BalanceKind::Closing);
        let states_res = ledger
            .balances
            .iter()
            .any(|b| b.year == 0 && b.kind == BalanceKind::Result);
        for (account, figures) in &accounts {
            let Some(rule) = mapping.classify(account) else {
                let any = [
                    figures.ib0,
                    figures.ub0.unwrap_or(Money::ZERO),
                    figures.res0.unwrap_or(Money::ZERO),
                    figures.ib_1,
                    figures.ub_1,
                    figures.res_1,
                    figures.movement,
                ]
                .iter()
                .any(|m| *m != Money::ZERO);
                if any {
                    findings.push(StatementFinding {
                        id: format!("statements.unmapped.{account}"),
                        message: format!(
                            "{}: kontot {account} har belopp men hör inte till någon rad i \
                             Kommun-Bas-mappningen (redovisning/kommunbas.csv); det ingår inte \
                             i rapporterna",
                            ledger.file_name
                        ),
                    });
                }
                continue;
            };
            let Some(line) = styr_domain::statements::line(&rule.line) else {
                continue;
            };
            let sign = line.report_sign();
            let signed = |m: Money| Money::from_ore(m.ore() * sign);
            match line.statement {
                Statement::Result => {
                    add(&mut columns.outcome, line.id, signed(figures.movement));
                    add(&mut columns.previous, line.id, signed(figures.res_1));
                    if let Some(tag) = rule.tag {
                        let entry = columns.tags.entry(tag).or_default();
                        entry.0 = entry.0 + signed(figures.movement);
                        entry.1 = entry.1 + signed(figures.res_1);
                    }
                    if annual && states_res {
                        let stated = figures.res0.unwrap_or(Money::ZERO);
                        if stated != figures.movement {
                            findings.push(StatementFinding {
                                id: format!("statements.res.{account}"),
                                message: format!(
                                    "{}: #RES 0 för konto {account} är {} men årets \
                                     verifikationer ger {} (skillnad {})",
                                    ledger.file_name,
                                    kr(stated),
                                    kr(figures.movement),
                                    kr(stated - figures.movement)
                                ),
                            });
                        }
                    }
                }
                Statement::Balance => {
                    let close = figures.ib0 + figures.movement;
                    add(&mut columns.outcome, line.id, signed(close));
                    add(&mut columns.opening, line.id, signed(figures.ib0));
                    add(&mut columns.previous, line.id, signed(figures.ub_1));
                    add(&mut columns.previous_opening, line.id, signed(figures.ib_1));
                    if annual && states_ub {
                        let stated = figures.ub0.unwrap_or(Money::ZERO);
                        if stated != close {
                            findings.push(StatementFinding {
                                id: format!("statements.ub.{account}"),
                                message: format!(
                                    "{}: #UB 0 för konto {account} är {} men #IB 0 + årets \
                                     verifikationer ger {} (skillnad {})",
                                    ledger.file_name,
                                    kr(stated),
                                    kr(close),
                                    kr(stated - close)
                                ),
                            });
                        }
                    }
                }
            }
        }
    }

    // The previous year-end's result (#RES −1), BR's previous eget kapital, before a same-period
    // column replaces RR's previous figures.
    let previous_year_result: Money = columns
        .previous
        .iter()
        .filter(|(id, _)| id.starts_with("rr."))
        .map(|(_, amount)| *amount)
        .sum();
    let previous_same_period = !annual && !previous_year.is_empty();
    if previous_same_period {
        same_period(&mut columns, mapping, previous_year, through);
        has_previous = true;
    }
    let budget = budget_column(plan, year, &mut findings);
    let has_budget = !budget.is_empty();
    let result = build(Statement::Result, &columns, &budget, has_previous);
    let arets = |rows: &[StatementRow]| {
        rows.iter()
            .find(|r| r.id == "rr.arets_resultat")
            .map(|r| (r.outcome, r.previous))
            .unwrap_or((Money::ZERO, None))
    };
    let (result_outcome, result_previous) = arets(&result);
    let mut balance_columns = Columns {
        outcome: columns.outcome.clone(),
        previous: columns.previous.clone(),
        ..Columns::default()
    };
    balance_columns
        .outcome
        .insert("br.ek.arets_resultat", result_outcome);
    balance_columns
        .previous
        .insert("br.ek.arets_resultat", previous_year_result);
    let balance = build(
        Statement::Balance,
        &balance_columns,
        &BTreeMap::new(),
        has_previous,
    );
    check_balance(&balance, &mut findings);
    let opening_gap = Columns::get(&sum_lines(&columns.opening), "br.t.summa")
        - Columns::get(&sum_lines(&columns.opening), "br.eks.summa");
    if opening_gap != Money::ZERO && !ledgers.is_empty() {
        findings.push(StatementFinding {
            id: "statements.opening_unbalanced".into(),
            message: format!(
                "den ingående balansen (#IB 0) balanserar inte: tillgångarna överstiger eget \
                 kapital, avsättningar och skulder med {}",
                kr(opening_gap)
            ),
        });
    }
    let cash_flow = cash_flow(&columns, result_outcome, result_previous, has_previous);
    check_cash_flow(&cash_flow, &mut findings);
    let balance_requirement = balance_requirement(
        mapping,
        year,
        annual,
        result_outcome,
        &columns,
        &mut findings,
    );
    StatementsReport {
        municipality: plan.municipality.name.clone(),
        year,
        through,
        annual,
        sources: ledgers
            .iter()
            .map(|l| format!("{} ({}, {})", l.file_name, l.company, l.fiscal_year))
            .collect(),
        result,
        balance,
        cash_flow,
        balance_requirement,
        findings,
        has_budget,
        has_previous,
        previous_same_period,
        synthetic: plan.council.as_ref().is_some_and(|c| c.synthetic),
    }
}

/// RR's and KFA's previous column from the previous year's files through the same month.
fn same_period(
    columns: &mut Columns,
    mapping: &StatementMapping,
    previous_year: &[StatementLedger],
    through: Month,
) {
    let Some(month) = Month::new(through.year() - 1, through.month()) else {
        return;
    };
    columns.previous.retain(|id, _| {
        styr_domain::statements::line(id).is_some_and(|l| l.statement == Statement::Balance)
    });
    for tags in columns.tags.values_mut() {
        tags.1 = Money::ZERO;
    }
    columns.previous_opening.clear();
    let mut close = BTreeMap::new();
    for ledger in previous_year {
        for (account, figures) in figures_of(ledger, month) {
            let Some(rule) = mapping.classify(&account) else {
                continue;
            };
            let Some(line) = styr_domain::statements::line(&rule.line) else {
                continue;
            };
            let signed = |m: Money| Money::from_ore(m.ore() * line.report_sign());
            match line.statement {
                Statement::Result => {
                    add(&mut columns.previous, line.id, signed(figures.movement));
                    if let Some(tag) = rule.tag {
                        let entry = columns.tags.entry(tag).or_default();
                        entry.1 = entry.1 + signed(figures.movement);
                    }
                }
                Statement::Balance => {
                    add(&mut columns.previous_opening, line.id, signed(figures.ib0));
                    add(&mut close, line.id, signed(figures.ib0 + figures.movement));
                }
            }
        }
    }
    columns.previous_close = Some(close);
}

fn add(map: &mut BTreeMap<&'static str, Money>, id: &'static str, amount: Money) {
    let entry = map.entry(id).or_insert(Money::ZERO);
    *entry = *entry + amount;
}

/// Each account's figures in one file.
fn figures_of(ledger: &StatementLedger, through: Month) -> BTreeMap<String, AccountFigures> {
    let mut accounts: BTreeMap<String, AccountFigures> = BTreeMap::new();
    for balance in &ledger.balances {
        let figures = accounts.entry(balance.account.clone()).or_default();
        match (balance.kind, balance.year) {
            (BalanceKind::Opening, 0) => figures.ib0 = figures.ib0 + balance.amount,
            (BalanceKind::Closing, 0) => {
                figures.ub0 = Some(figures.ub0.unwrap_or(Money::ZERO) + balance.amount)
            }
            (BalanceKind::Result, 0) => {
                figures.res0 = Some(figures.res0.unwrap_or(Money::ZERO) + balance.amount)
            }
            (BalanceKind::Opening, -1) => figures.ib_1 = figures.ib_1 + balance.amount,
            (BalanceKind::Closing, -1) => figures.ub_1 = figures.ub_1 + balance.amount,
            (BalanceKind::Result, -1) => figures.res_1 = figures.res_1 + balance.amount,
            _ => {}
        }
    }
    for movement in ledger.movements.iter().filter(|m| m.month <= through) {
        let figures = accounts.entry(movement.account.clone()).or_default();
        figures.movement = figures.movement + movement.amount;
    }
    accounts
}

/// Every line's value with the sums computed (lines without a figure are zero).
fn sum_lines(values: &BTreeMap<&'static str, Money>) -> BTreeMap<&'static str, Money> {
    let mut out = values.clone();
    for line in LINES {
        if let LineKind::Sum(parts) = line.kind {
            let total = parts.iter().map(|p| Columns::get(&out, p)).sum();
            out.insert(line.id, total);
        }
    }
    out
}

/// The rows of RR or BR: lines from `columns`, sums computed column by column.
fn build(
    statement: Statement,
    columns: &Columns,
    budget: &BTreeMap<&'static str, Money>,
    has_previous: bool,
) -> Vec<StatementRow> {
    let mut rows: Vec<StatementRow> = Vec::new();
    for line in LINES.iter().filter(|l| l.statement == statement) {
        let find = |rows: &[StatementRow], id: &str| rows.iter().find(|r| r.id == id).cloned();
        let (kind, outcome, budget_cell, previous) = match line.kind {
            LineKind::Mapped | LineKind::YearResult => (
                RowKind::Line,
                Columns::get(&columns.outcome, line.id),
                budget.get(line.id).copied(),
                Columns::get(&columns.previous, line.id),
            ),
            LineKind::Sum(parts) => {
                let parts: Vec<StatementRow> =
                    parts.iter().filter_map(|p| find(&rows, p)).collect();
                let outcome = parts.iter().map(|r| r.outcome).sum();
                let budget_cell = budget.get(line.id).copied().or_else(|| {
                    parts
                        .iter()
                        .map(|r| r.budget)
                        .collect::<Option<Vec<Money>>>()
                        .map(|v| v.into_iter().sum())
                });
                let previous = parts.iter().filter_map(|r| r.previous).sum();
                (RowKind::Sum, outcome, budget_cell, previous)
            }
        };
        rows.push(StatementRow {
            id: line.id.to_owned(),
            label: line.label.to_owned(),
            heading: line.heading.map(str::to_owned),
            kind,
            outcome,
            budget: budget_cell,
            previous: has_previous.then_some(previous),
        });
    }
    rows
}

/// Where a figure of RR's budget column comes from (what [`budget_sources`] gives a line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetSource {
    /// KF's council budget's skatteintäkter.
    TaxRevenue,
    /// KF's council budget's generella statsbidrag och utjämning.
    Grants,
    /// Stated for the line in the mapping's `budget.csv`.
    Stated,
    /// Verksamhetens nettokostnad from KF's budget: −(Σ frames + Σ central items), when
    /// `budget.csv` does not split it.
    NetCost,
    /// Resultat efter finansiella poster from KF's budget's parts, when `budget.csv` does not
    /// split the financial lines.
    AfterFinancial,
    /// Extraordinära poster: zero unless stated.
    NoneStated,
}

/// Where each line of RR's budget column comes from (the lines [`statements`] puts in it; a
/// sum without its own is the sum of its parts'): the one rule, `budget_column`'s.
pub fn budget_sources(plan: &Plan, year: Year) -> BTreeMap<&'static str, BudgetSource> {
    let mut sources = BTreeMap::new();
    budget_column_of(plan, year, &mut Vec::new(), &mut sources);
    sources
}

/// RR's budget column for the year: KF's skatteintäkter and statsbidrag, the split lines from
/// the mapping's data; KF's totals checked against them.
fn budget_column(
    plan: &Plan,
    year: Year,
    findings: &mut Vec<StatementFinding>,
) -> BTreeMap<&'static str, Money> {
    budget_column_of(plan, year, findings, &mut BTreeMap::new())
}

/// [`budget_column`], saying where each figure comes from in `sources`.
fn budget_column_of(
    plan: &Plan,
    year: Year,
    findings: &mut Vec<StatementFinding>,
    sources: &mut BTreeMap<&'static str, BudgetSource>,
) -> BTreeMap<&'static str, Money> {
    let mut budget: BTreeMap<&'static str, Money> = BTreeMap::new();
    let Some(council) = &plan.council else {
        return budget;
    };
    let Some(figures) = council.year(year) else {
        return budget;
    };
    let is_company = |body: &styr_domain::Id| {
        plan.bodies
            .iter()
            .any(|b| &b.id == body && b.kind == styr_domain::org::BodyKind::Company)
    };
    budget.insert("rr.skatteintakter", figures.tax_revenue);
    sources.insert("rr.skatteintakter", BudgetSource::TaxRevenue);
    budget.insert("rr.statsbidrag", figures.grants);
    sources.insert("rr.statsbidrag", BudgetSource::Grants);
    for line in LINES.iter().filter(|l| l.is_mapped()) {
        if let Some(amount) = plan.statements.line_budget(line.id, year) {
            budget.insert(line.id, amount);
            sources.insert(line.id, BudgetSource::Stated);
        }
    }
    let parts = council.result_parts(year, is_company);
    if let Some(parts) = &parts {
        let net_cost = -(parts.frames + parts.central_items);
        let split: Option<Vec<Money>> = ["rr.intakter", "rr.kostnader", "rr.avskrivningar"]
            .iter()
            .map(|id| budget.get(id).copied())
            .collect();
        match split {
            Some(split) => {
                let sum: Money = split.into_iter().sum();
                if sum != net_cost {
                    findings.push(StatementFinding {
                        id: "statements.budget.net_cost".into(),
                        message: format!(
                            "budgeten för verksamhetens intäkter, kostnader och avskrivningar \
                             (redovisning/budget.csv) ger nettokostnaden {} men KF:s ramar och \
                             centrala poster ger {} (skillnad {})",
                            kr(sum),
                            kr(net_cost),
                            kr(sum - net_cost)
                        ),
                    });
                }
            }
            None => {
                budget.insert("rr.nettokostnader", net_cost);
                sources.insert("rr.nettokostnader", BudgetSource::NetCost);
            }
        }
        let financial: Option<Vec<Money>> = ["rr.finansiella_intakter", "rr.finansiella_kostnader"]
            .iter()
            .map(|id| budget.get(id).copied())
            .collect();
        match financial {
            Some(financial) => {
                let sum: Money = financial.into_iter().sum();
                if sum != parts.financial_net {
                    findings.push(StatementFinding {
                        id: "statements.budget.financial_net".into(),
                        message: format!(
                            "budgeten för finansiella intäkter och kostnader ger {} men KF:s \
                             finansnetto är {} (skillnad {})",
                            kr(sum),
                            kr(parts.financial_net),
                            kr(sum - parts.financial_net)
                        ),
                    });
                }
            }
            None => {
                budget.insert("rr.efter_finansiella", parts.result());
                sources.insert("rr.efter_finansiella", BudgetSource::AfterFinancial);
            }
        }
    }
    if !budget.contains_key("rr.extraordinara") {
        budget.insert("rr.extraordinara", Money::ZERO);
        sources.insert("rr.extraordinara", BudgetSource::NoneStated);
    }
    // KF's stated result against the sum the budget column shows.
    let shown = sum_lines(&budget);
    let computed = shown
        .get("rr.arets_resultat")
        .copied()
        .unwrap_or(Money::ZERO);
    if computed != figures.result {
        findings.push(StatementFinding {
            id: "statements.budget.result".into(),
            message: format!(
                "budgetkolumnen ger årets resultat {} men KF:s angivna resultat är {} \
                 (skillnad {})",
                kr(computed),
                kr(figures.result),
                kr(computed - figures.result)
            ),
        });
    }
    budget
}

fn check_balance(balance: &[StatementRow], findings: &mut Vec<StatementFinding>) {
    let get = |id: &str| balance.iter().find(|r| r.id == id);
    let (Some(assets), Some(claims)) = (get("br.t.summa"), get("br.eks.summa")) else {
        return;
    };
    let gap = assets.outcome - claims.outcome;
    if gap != Money::ZERO {
        findings.push(StatementFinding {
            id: "statements.unbalanced".into(),
            message: format!(
                "balansräkningen balanserar inte: summa tillgångar {} men summa eget kapital, \
                 avsättningar och skulder {} (skillnad {})",
                kr(assets.outcome),
                kr(claims.outcome),
                kr(gap)
            ),
        });
    }
    if let (Some(a), Some(c)) = (assets.previous, claims.previous)
        && a != c
    {
        findings.push(StatementFinding {
            id: "statements.unbalanced_previous".into(),
            message: format!(
                "föregående års balansräkning balanserar inte: summa tillgångar {} men summa \
                 eget kapital, avsättningar och skulder {} (skillnad {})",
                kr(a),
                kr(c),
                kr(a - c)
            ),
        });
    }
}

/// The kassaflödesanalys by the indirect method, from RR's result and the changes of BR's
/// lines (close − open, report sign).
fn cash_flow(
    columns: &Columns,
    result: Money,
    result_previous: Option<Money>,
    has_previous: bool,
) -> Vec<StatementRow> {
    struct Side {
        close: BTreeMap<&'static str, Money>,
        open: BTreeMap<&'static str, Money>,
        result: Money,
        depreciation: Money,
        gains: Money,
        unrealised: Money,
    }
    let tag = |t: AccountTag, previous: bool| {
        columns
            .tags
            .get(&t)
            .map(|(o, p)| if previous { *p } else { *o })
            .unwrap_or(Money::ZERO)
    };
    let side = |previous: bool| Side {
        close: sum_lines(match (previous, &columns.previous_close) {
            (true, Some(close)) => close,
            (true, None) => &columns.previous,
            (false, _) => &columns.outcome,
        }),
        open: sum_lines(if previous {
            &columns.previous_opening
        } else {
            &columns.opening
        }),
        result: if previous {
            result_previous.unwrap_or(Money::ZERO)
        } else {
            result
        },
        depreciation: Columns::get(
            if previous {
                &columns.previous
            } else {
                &columns.outcome
            },
            "rr.avskrivningar",
        ),
        gains: tag(AccountTag::CapitalGain, previous),
        unrealised: tag(AccountTag::UnrealisedSecurities, previous),
    };
    let delta = |s: &Side, ids: &[&str]| -> Money {
        ids.iter()
            .map(|id| Columns::get(&s.close, id) - Columns::get(&s.open, id))
            .sum()
    };
    type Figure = fn(&Side, &dyn Fn(&Side, &[&str]) -> Money) -> Money;
    // (id, heading, label, kind, figure)
    let lines: Vec<(&str, Option<&str>, &str, Figure)> = vec![
        (
            "kfa.arets_resultat",
            Some("Den löpande verksamheten"),
            "Årets resultat",
            |s, _| s.result,
        ),
        (
            "kfa.avskrivningar",
            None,
            "Justering för av- och nedskrivningar",
            |s, _| -s.depreciation,
        ),
        (
            "kfa.avsattningar",
            None,
            "Justering för gjorda avsättningar",
            |s, d| d(s, &["br.av.pensioner", "br.av.ovriga"]),
        ),
        (
            "kfa.realisationsvinster",
            None,
            "Justering för realisationsvinster",
            |s, _| -s.gains,
        ),
        (
            "kfa.orealiserade",
            None,
            "Justering för orealiserade vinster och förluster i värdepapper",
            |s, _| -s.unrealised,
        ),
        (
            "kfa.forrad",
            None,
            "Ökning (−) / minskning (+) av förråd m.m.",
            |s, d| -d(s, &["br.t.forrad"]),
        ),
        (
            "kfa.fordringar",
            None,
            "Ökning (−) / minskning (+) av fordringar",
            |s, d| -d(s, &["br.t.fordringar"]),
        ),
        (
            "kfa.kortfristiga_skulder",
            None,
            "Ökning (+) / minskning (−) av kortfristiga skulder",
            |s, d| d(s, &["br.s.kortfristiga"]),
        ),
    ];
    let investing: Vec<(&str, Option<&str>, &str, Figure)> = vec![
        (
            "kfa.nettoinvesteringar",
            Some("Investeringsverksamheten"),
            "Nettoinvesteringar i materiella och immateriella anläggningstillgångar",
            |s, d| {
                -d(
                    s,
                    &[
                        "br.t.immateriella",
                        "br.t.mark_byggnader",
                        "br.t.maskiner",
                        "br.t.ovriga_materiella",
                    ],
                ) + s.depreciation
                    + s.gains
            },
        ),
        (
            "kfa.finansiella_anlaggningar",
            None,
            "Investering i (−) / försäljning av (+) finansiella anläggningstillgångar",
            |s, d| -d(s, &["br.t.finansiella"]),
        ),
        (
            "kfa.infrastruktur",
            None,
            "Bidrag till statlig infrastruktur",
            |s, d| -d(s, &["br.t.infrastruktur"]),
        ),
        (
            "kfa.placeringar",
            None,
            "Ökning (−) / minskning (+) av kortfristiga placeringar",
            |s, d| -d(s, &["br.t.placeringar"]) + s.unrealised,
        ),
    ];
    let financing: Vec<(&str, Option<&str>, &str, Figure)> = vec![(
        "kfa.langfristiga_skulder",
        Some("Finansieringsverksamheten"),
        "Nyupptagna lån (+) / amortering (−) av långfristiga skulder",
        |s, d| d(s, &["br.s.langfristiga"]),
    )];
    let current = side(false);
    let previous = side(true);
    let mut rows: Vec<StatementRow> = Vec::new();
    let section = |rows: &mut Vec<StatementRow>,
                   lines: &[(&str, Option<&str>, &str, Figure)],
                   total_id: &str,
                   total_label: &str| {
        let first = rows.len();
        for (id, heading, label, figure) in lines {
            rows.push(StatementRow {
                id: (*id).to_owned(),
                label: (*label).to_owned(),
                heading: heading.map(str::to_owned),
                kind: RowKind::Line,
                outcome: figure(&current, &delta),
                budget: None,
                previous: has_previous.then(|| figure(&previous, &delta)),
            });
        }
        let part = &rows[first..];
        let total = StatementRow {
            id: total_id.to_owned(),
            label: total_label.to_owned(),
            heading: None,
            kind: RowKind::Sum,
            outcome: part.iter().map(|r| r.outcome).sum(),
            budget: None,
            previous: has_previous.then(|| part.iter().filter_map(|r| r.previous).sum()),
        };
        rows.push(total);
    };
    section(
        &mut rows,
        &lines,
        "kfa.lopande",
        "Kassaflöde från den löpande verksamheten",
    );
    section(
        &mut rows,
        &investing,
        "kfa.investering",
        "Kassaflöde från investeringsverksamheten",
    );
    section(
        &mut rows,
        &financing,
        "kfa.finansiering",
        "Kassaflöde från finansieringsverksamheten",
    );
    let pick = |rows: &[StatementRow], id: &str| rows.iter().find(|r| r.id == id).cloned();
    let parts: Vec<StatementRow> = ["kfa.lopande", "kfa.investering", "kfa.finansiering"]
        .iter()
        .filter_map(|id| pick(&rows, id))
        .collect();
    rows.push(StatementRow {
        id: "kfa.arets_kassaflode".into(),
        label: "Årets kassaflöde".into(),
        heading: None,
        kind: RowKind::Sum,
        outcome: parts.iter().map(|r| r.outcome).sum(),
        budget: None,
        previous: has_previous.then(|| parts.iter().filter_map(|r| r.previous).sum()),
    });
    rows.push(StatementRow {
        id: "kfa.likvida_borjan".into(),
        label: "Likvida medel vid årets början".into(),
        heading: None,
        kind: RowKind::Line,
        outcome: Columns::get(&current.open, "br.t.kassa"),
        budget: None,
        previous: has_previous.then(|| Columns::get(&previous.open, "br.t.kassa")),
    });
    rows.push(StatementRow {
        id: "kfa.likvida_slut".into(),
        label: "Likvida medel vid periodens slut".into(),
        heading: None,
        kind: RowKind::Line,
        outcome: Columns::get(&current.close, "br.t.kassa"),
        budget: None,
        previous: has_previous.then(|| Columns::get(&previous.close, "br.t.kassa")),
    });
    rows
}

/// The cash flow ties: årets kassaflöde = likvida medel vid slutet − vid början.
fn check_cash_flow(rows: &[StatementRow], findings: &mut Vec<StatementFinding>) {
    let get = |id: &str| rows.iter().find(|r| r.id == id);
    let (Some(flow), Some(start), Some(end)) = (
        get("kfa.arets_kassaflode"),
        get("kfa.likvida_borjan"),
        get("kfa.likvida_slut"),
    ) else {
        return;
    };
    let change = end.outcome - start.outcome;
    if flow.outcome != change {
        findings.push(StatementFinding {
            id: "statements.cash_flow".into(),
            message: format!(
                "kassaflödesanalysen stämmer inte med likvida medel: årets kassaflöde {} men \
                 likvida medel förändrades med {} (skillnad {}); ofta en förändring av eget \
                 kapital utöver årets resultat eller en balansräkning som inte balanserar",
                kr(flow.outcome),
                kr(change),
                kr(flow.outcome - change)
            ),
        });
    }
    if let (Some(f), Some(s), Some(e)) = (flow.previous, start.previous, end.previous)
        && f != e - s
    {
        findings.push(StatementFinding {
            id: "statements.cash_flow_previous".into(),
            message: format!(
                "föregående års kassaflöde {} stämmer inte med förändringen av likvida medel {} \
                 (skillnad {})",
                kr(f),
                kr(e - s),
                kr(f - (e - s))
            ),
        });
    }
}

/// The rule shown under the balanskravsutredning.
pub const BALANCE_RULE: &str = "Balanskravsresultat = årets resultat − samtliga \
realisationsvinster + realisationsförluster enligt undantagsmöjlighet ± orealiserade vinster och \
förluster i värdepapper − reservering till + ianspråktagande av resultatutjämningsreserv. Ett \
negativt balanskravsresultat ska återställas inom de tre närmast följande åren (11 kap. 12 § \
kommunallagen); ett senare års positiva balanskravsresultat återställer det äldsta underskottet \
först.";

fn balance_requirement(
    mapping: &StatementMapping,
    year: Year,
    annual: bool,
    result: Money,
    columns: &Columns,
    findings: &mut Vec<StatementFinding>,
) -> BalanceRequirement {
    let tag = |t: AccountTag| columns.tags.get(&t).map(|(o, _)| *o).unwrap_or(Money::ZERO);
    let gains = tag(AccountTag::CapitalGain);
    let losses = tag(AccountTag::CapitalLossException);
    let unrealised = tag(AccountTag::UnrealisedSecurities);
    let reservation = mapping
        .balance_item(year, BalanceItemKind::RurReservation)
        .unwrap_or(Money::ZERO);
    let withdrawal = mapping
        .balance_item(year, BalanceItemKind::RurWithdrawal)
        .unwrap_or(Money::ZERO);
    let line = |label: &str, amount: Money| BalanceRow {
        label: label.to_owned(),
        kind: RowKind::Line,
        amount,
    };
    let mut rows = vec![
        line("Årets resultat enligt resultaträkningen", result),
        line("Samtliga realisationsvinster (avgår)", -gains),
        line(
            "Realisationsförluster enligt undantagsmöjlighet (tillkommer)",
            -losses,
        ),
        line(
            "Orealiserade vinster (avgår) och förluster (tillkommer) i värdepapper",
            -unrealised,
        ),
    ];
    let adjusted: Money = rows.iter().map(|r| r.amount).sum();
    rows.push(BalanceRow {
        label: "Årets resultat efter balanskravsjusteringar".into(),
        kind: RowKind::Sum,
        amount: adjusted,
    });
    rows.push(line(
        "Reservering till resultatutjämningsreserv (avgår)",
        -reservation,
    ));
    rows.push(line(
        "Ianspråktagande av resultatutjämningsreserv (tillkommer)",
        withdrawal,
    ));
    let total = adjusted - reservation + withdrawal;
    rows.push(BalanceRow {
        label: "Balanskravsresultat".into(),
        kind: RowKind::Sum,
        amount: total,
    });
    let stated = mapping.balance_item(year, BalanceItemKind::StatedResult);
    if let Some(stated) = stated
        && annual
        && stated != total
    {
        findings.push(StatementFinding {
            id: "statements.balance_requirement.stated".into(),
            message: format!(
                "det angivna balanskravsresultatet {year} är {} men utredningen ger {} \
                 (skillnad {})",
                kr(stated),
                kr(total),
                kr(stated - total)
            ),
        });
    }
    let mut history: Vec<(Year, Money)> = mapping
        .balance_items
        .iter()
        .filter(|i| i.kind == BalanceItemKind::StatedResult && i.year < year)
        .map(|i| (i.year, i.amount))
        .collect();
    if annual {
        history.push((year, total));
    }
    let deficits: Vec<DeficitRow> = unrestored_deficits(&history, year)
        .into_iter()
        .map(|d| {
            let overdue =
                d.remaining.ore() < 0 && (d.deadline < year || (annual && d.deadline == year));
            DeficitRow {
                year: d.year,
                amount: d.amount,
                remaining: d.remaining,
                deadline: d.deadline,
                overdue,
            }
        })
        .collect();
    for deficit in deficits.iter().filter(|d| d.overdue) {
        findings.push(StatementFinding {
            id: format!("statements.balance_requirement.deficit.{}", deficit.year),
            message: format!(
                "underskottet mot balanskravet från {} ({}) skulle ha återställts senast {} \
                 men {} återstår",
                deficit.year,
                kr(deficit.amount),
                deficit.deadline,
                kr(-deficit.remaining)
            ),
        });
    }
    BalanceRequirement {
        rows,
        result: total,
        stated,
        deficits,
        rule: BALANCE_RULE.to_owned(),
    }
}

/// One account of a bokslut file behind a line of RR or BR (or a tagged sum), in report sign:
/// what the trace of a figure lists (`styr_app`'s `trace_statement_line`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFigure {
    /// The file the account's figures are read from.
    pub file: String,
    pub account: String,
    /// The line the account maps onto.
    pub line: String,
    /// BR: the opening balance (#IB 0); RR: zero.
    pub opening: Money,
    /// The counted movements from the fiscal year's first month through the period.
    pub movement: Money,
    /// What the account adds to its line's outcome: RR the movements, BR #IB 0 + the
    /// movements; the line's outcome is the sum of its accounts'.
    pub outcome: Money,
}

/// The accounts behind a mapped line's outcome through `through`, by the mapping's rules and in
/// the same reading as [`statements`]: their `outcome`s sum to the line's. Empty for a line no
/// account maps onto, a sum, or an unknown id.
pub fn line_accounts(
    mapping: &StatementMapping,
    ledgers: &[StatementLedger],
    through: Month,
    line: &str,
) -> Vec<AccountFigure> {
    accounts_where(mapping, ledgers, through, |rule| rule.line == line)
}

/// The accounts of RR tagged `tag` (realisationsvinster, …) through `through`: the sums the
/// balanskravsutredning adjusts årets resultat by.
pub fn tagged_accounts(
    mapping: &StatementMapping,
    ledgers: &[StatementLedger],
    through: Month,
    tag: AccountTag,
) -> Vec<AccountFigure> {
    accounts_where(mapping, ledgers, through, |rule| {
        rule.tag == Some(tag)
            && styr_domain::statements::line(&rule.line)
                .is_some_and(|l| l.statement == Statement::Result)
    })
}

/// Which figures of a file's accounts make the previous year's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviousReading {
    /// The file's own records of the previous year: RR #RES −1, BR #UB −1 (stated in the
    /// file, not booked in it).
    Stated,
    /// The previous year's own files through the same month (RR in a period report when they
    /// are held): their movements.
    SamePeriod,
}

/// The accounts behind a mapped line's previous year's figure, in the same reading as
/// [`statements_compared`]: RR's from `previous_year`'s movements through the same month when
/// `through` is not December and they are given, else from #RES −1 of `ledgers`; BR's from
/// #UB −1 of `ledgers`. Their `outcome`s sum to the line's previous figure; `opening` and
/// `movement` are zero for a stated figure.
pub fn line_previous_accounts(
    mapping: &StatementMapping,
    ledgers: &[StatementLedger],
    previous_year: &[StatementLedger],
    through: Month,
    line: &str,
) -> (PreviousReading, Vec<AccountFigure>) {
    let Some(of) = styr_domain::statements::line(line) else {
        return (PreviousReading::Stated, Vec::new());
    };
    let same_period =
        through.month() < 12 && !previous_year.is_empty() && of.statement == Statement::Result;
    if same_period {
        let Some(month) = Month::new(through.year() - 1, through.month()) else {
            return (PreviousReading::SamePeriod, Vec::new());
        };
        return (
            PreviousReading::SamePeriod,
            line_accounts(mapping, previous_year, month, line),
        );
    }
    let mut out = Vec::new();
    for ledger in ledgers {
        for (account, figures) in figures_of(ledger, through) {
            let Some(rule) = mapping.classify(&account).filter(|rule| rule.line == line) else {
                continue;
            };
            let Some(line) = styr_domain::statements::line(&rule.line) else {
                continue;
            };
            let stated = match line.statement {
                Statement::Result => figures.res_1,
                Statement::Balance => figures.ub_1,
            };
            if stated == Money::ZERO {
                continue;
            }
            out.push(AccountFigure {
                file: ledger.file_name.clone(),
                account,
                line: line.id.to_owned(),
                opening: Money::ZERO,
                movement: Money::ZERO,
                outcome: Money::from_ore(stated.ore() * line.report_sign()),
            });
        }
    }
    (PreviousReading::Stated, out)
}

fn accounts_where(
    mapping: &StatementMapping,
    ledgers: &[StatementLedger],
    through: Month,
    keep: impl Fn(&styr_domain::statements::StatementRule) -> bool,
) -> Vec<AccountFigure> {
    let mut out = Vec::new();
    for ledger in ledgers {
        for (account, figures) in figures_of(ledger, through) {
            let Some(rule) = mapping.classify(&account).filter(|rule| keep(rule)) else {
                continue;
            };
            let Some(line) = styr_domain::statements::line(&rule.line) else {
                continue;
            };
            let sign = line.report_sign();
            let signed = |m: Money| Money::from_ore(m.ore() * sign);
            let (opening, outcome) = match line.statement {
                Statement::Result => (Money::ZERO, signed(figures.movement)),
                Statement::Balance => (signed(figures.ib0), signed(figures.ib0 + figures.movement)),
            };
            if opening == Money::ZERO && figures.movement == Money::ZERO {
                continue;
            }
            out.push(AccountFigure {
                file: ledger.file_name.clone(),
                account,
                line: line.id.to_owned(),
                opening,
                movement: signed(figures.movement),
                outcome,
            });
        }
    }
    out
}
