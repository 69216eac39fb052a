//! Where a figure comes from: the trace path of each figure a document prints, and the pass
//! that turns those paths into links ([`link_traces`]).
//!
//! Composing a document wraps a figure in an [`Inline::Trace`] with a path under `/spar/`
//! (`plan/VERSION/drift/TABLE/ROW/YEAR`, `plan/VERSION/pastaende/CLAIM`,
//! `rapport/VERSION/PERIOD/utfall/LINE`, `rapport/VERSION/PERIOD/summa/…`). A path names the
//! plan version (and the period) it is about, never a draft by another name, so it stays the
//! same as long as the figure is the same figure. The figure's printed text is inside the trace
//! unchanged: the renderers print a trace's content as it is; [`link_traces`] turns every trace
//! into a link under a base URL, or leaves the figures as plain text when there is none (a file
//! on disk then has no broken links).

use crate::model::{Block, Cell, Document, Inline};
use styr_domain::Year;
use styr_domain::budget::Measure;
use styr_domain::claim::Claim;
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::{Id, Plan};

/// A path segment, percent-encoded (letters, digits and `-._~` stay).
pub fn segment(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A figure of an operating table of the plan: `plan/VERSION/drift/TABLE/ROW/YEAR`.
pub fn plan_cell(version: &Id, table: &Id, row: &Id, year: Year) -> String {
    format!(
        "plan/{}/drift/{}/{}/{year}",
        segment(version.as_str()),
        segment(table.as_str()),
        segment(row.as_str())
    )
}

/// A figure of the investment budget: `plan/VERSION/investering/ROW/YEAR`, or `…/tom` for
/// its Budget tom column (`year` `None`).
pub fn plan_investment(version: &Id, row: &Id, year: Option<Year>) -> String {
    format!(
        "plan/{}/investering/{}/{}",
        segment(version.as_str()),
        segment(row.as_str()),
        year.map_or_else(|| "tom".to_owned(), |y| y.to_string())
    )
}

/// A measure's path segment: `intakter`, `kostnader`, `netto`.
pub fn measure_segment(measure: Measure) -> &'static str {
    match measure {
        Measure::Income => "intakter",
        Measure::Cost => "kostnader",
        Measure::Net => "netto",
    }
}

/// The measure a path segment names ([`measure_segment`]).
pub fn parse_measure_segment(text: &str) -> Option<Measure> {
    Measure::ALL
        .into_iter()
        .find(|m| measure_segment(*m) == text)
}

/// A figure of the exploitation budget: `plan/VERSION/exploatering/ROW/MEASURE`.
pub fn plan_exploitation(version: &Id, row: &Id, measure: Measure) -> String {
    format!(
        "plan/{}/exploatering/{}/{}",
        segment(version.as_str()),
        segment(row.as_str()),
        measure_segment(measure)
    )
}

/// A figure of the finance administration: `plan/VERSION/finans/ROW/MEASURE/YEAR`.
pub fn plan_finance(version: &Id, row: &Id, measure: Measure, year: Year) -> String {
    format!(
        "plan/{}/finans/{}/{}/{year}",
        segment(version.as_str()),
        segment(row.as_str()),
        measure_segment(measure)
    )
}

/// A figure of the finance summary (an amount table like an operating one):
/// `plan/VERSION/finanssammanstallning/ROW/YEAR`.
pub fn plan_finance_summary(version: &Id, row: &Id, year: Year) -> String {
    format!(
        "plan/{}/finanssammanstallning/{}/{year}",
        segment(version.as_str()),
        segment(row.as_str())
    )
}

/// A figure of the ramförändring: the stated total (`plan/VERSION/ramforandring`) or one of
/// its parts (`plan/VERSION/ramforandring/COMPONENT`).
pub fn plan_frame_change(version: &Id, component: Option<&Id>) -> String {
    let mut path = format!("plan/{}/ramforandring", segment(version.as_str()));
    if let Some(component) = component {
        path.push('/');
        path.push_str(&segment(component.as_str()));
    }
    path
}

/// Which figure of the ramberäkning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramePart {
    /// The base (grundbeloppet): `ramberakning/grund`.
    Base,
    /// A line: `ramberakning/rad/LINE`.
    Line(Id),
    /// The computed frame: `ramberakning/ram`.
    Frame,
    /// The change from the base: `ramberakning/forandring`.
    Change,
    /// The frame the budget states for the year (`[[frame]]`): `ramberakning/budgetram`.
    Stated,
}

/// A figure of the ramberäkning: `plan/VERSION/ramberakning/…` ([`FramePart`]).
pub fn plan_frame_calculation(version: &Id, part: &FramePart) -> String {
    let which = match part {
        FramePart::Base => "grund".to_owned(),
        FramePart::Line(line) => format!("rad/{}", segment(line.as_str())),
        FramePart::Frame => "ram".to_owned(),
        FramePart::Change => "forandring".to_owned(),
        FramePart::Stated => "budgetram".to_owned(),
    };
    format!("plan/{}/ramberakning/{which}", segment(version.as_str()))
}

/// Which value of an indicator in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorFigure {
    /// Utfall: `utfall`.
    Outcome,
    /// Mål: `mal`.
    Target,
    /// The comparison group's values and their mean (Kolada): `jamforelse`.
    Comparison,
}

impl IndicatorFigure {
    pub const ALL: [IndicatorFigure; 3] = [
        IndicatorFigure::Outcome,
        IndicatorFigure::Target,
        IndicatorFigure::Comparison,
    ];

    pub fn segment(self) -> &'static str {
        match self {
            IndicatorFigure::Outcome => "utfall",
            IndicatorFigure::Target => "mal",
            IndicatorFigure::Comparison => "jamforelse",
        }
    }

    pub fn parse(text: &str) -> Option<IndicatorFigure> {
        IndicatorFigure::ALL
            .into_iter()
            .find(|f| f.segment() == text)
    }
}

/// A value of an indicator: `plan/VERSION/indikator/INDICATOR/utfall|mal|jamforelse/YEAR`.
pub fn plan_indicator(version: &Id, indicator: &Id, figure: IndicatorFigure, year: Year) -> String {
    format!(
        "plan/{}/indikator/{}/{}/{year}",
        segment(version.as_str()),
        segment(indicator.as_str()),
        figure.segment()
    )
}

/// What a claim's trace is named by: the checker's subject of the claim (its words and a hash
/// of what it says about the data), `#` written as `~`.
pub fn claim_key(claim: &Claim) -> String {
    styr_checks::claim_subject(claim).replace('#', "~")
}

/// A claim in a text of the plan: `plan/VERSION/pastaende/KEY`.
pub fn plan_claim(version: &Id, claim: &Claim) -> String {
    format!(
        "plan/{}/pastaende/{}",
        segment(version.as_str()),
        segment(&claim_key(claim))
    )
}

/// The outcome to date of a budget line (of one unit of it when given) in a period's report:
/// `rapport/VERSION/PERIOD/utfall/LINE[/UNIT]`.
pub fn outcome_line(
    version: &Id,
    period: Month,
    line: &BudgetLineRef,
    unit: Option<&Id>,
) -> String {
    let mut path = format!(
        "rapport/{}/{period}/utfall/{}",
        segment(version.as_str()),
        segment(&line.to_string())
    );
    if let Some(unit) = unit {
        path.push('/');
        path.push_str(&segment(unit.as_str()));
    }
    path
}

/// Which sum of outcomes a total row of a period's economy is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutcomeSum {
    /// An operating table's total: `summa/tabell/TABLE`.
    Table(Id),
    /// The operating budget's total: `summa/drift`.
    Operating,
    /// The investment budget's total: `summa/investeringar`.
    Investment,
}

/// The outcome to date of a total row of a period's economy: `rapport/VERSION/PERIOD/summa/…`.
pub fn outcome_sum(version: &Id, period: Month, sum: &OutcomeSum) -> String {
    let which = match sum {
        OutcomeSum::Table(table) => format!("tabell/{}", segment(table.as_str())),
        OutcomeSum::Operating => "drift".to_owned(),
        OutcomeSum::Investment => "investeringar".to_owned(),
    };
    format!(
        "rapport/{}/{period}/summa/{which}",
        segment(version.as_str())
    )
}

/// Which column of a period's economy table (besides Utfall ack, [`outcome_line`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EconomyColumn {
    /// Budget år: `budget`.
    Budget,
    /// Budget ack: `budget-ack`.
    BudgetToDate,
    /// Avvikelse (budget ack − utfall ack): `avvikelse`.
    Deviation,
    /// Prognos helår: `prognos`.
    Forecast,
    /// Avvikelse prognos (budget år − prognos): `avvikelse-prognos`.
    ForecastDeviation,
}

impl EconomyColumn {
    pub const ALL: [EconomyColumn; 5] = [
        EconomyColumn::Budget,
        EconomyColumn::BudgetToDate,
        EconomyColumn::Deviation,
        EconomyColumn::Forecast,
        EconomyColumn::ForecastDeviation,
    ];

    pub fn segment(self) -> &'static str {
        match self {
            EconomyColumn::Budget => "budget",
            EconomyColumn::BudgetToDate => "budget-ack",
            EconomyColumn::Deviation => "avvikelse",
            EconomyColumn::Forecast => "prognos",
            EconomyColumn::ForecastDeviation => "avvikelse-prognos",
        }
    }

    pub fn parse(text: &str) -> Option<EconomyColumn> {
        EconomyColumn::ALL.into_iter().find(|c| c.segment() == text)
    }

    /// The column's heading in the report.
    pub fn label_sv(self) -> &'static str {
        match self {
            EconomyColumn::Budget => "Budget år",
            EconomyColumn::BudgetToDate => "Budget ack",
            EconomyColumn::Deviation => "Avvikelse",
            EconomyColumn::Forecast => "Prognos helår",
            EconomyColumn::ForecastDeviation => "Avvikelse prognos",
        }
    }
}

/// The row of a period's economy a figure is in: a budget line (or project), or a total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EconomyRow {
    Line(BudgetLineRef),
    Sum(OutcomeSum),
}

/// A figure of a period's economy other than the outcome:
/// `rapport/VERSION/PERIOD/COLUMN/rad/LINE` or `rapport/VERSION/PERIOD/COLUMN/summa/…`.
pub fn economy_figure(
    version: &Id,
    period: Month,
    column: EconomyColumn,
    row: &EconomyRow,
) -> String {
    let which = match row {
        EconomyRow::Line(line) => format!("rad/{}", segment(&line.to_string())),
        EconomyRow::Sum(OutcomeSum::Table(table)) => {
            format!("summa/tabell/{}", segment(table.as_str()))
        }
        EconomyRow::Sum(OutcomeSum::Operating) => "summa/drift".to_owned(),
        EconomyRow::Sum(OutcomeSum::Investment) => "summa/investeringar".to_owned(),
    };
    format!(
        "rapport/{}/{period}/{}/{which}",
        segment(version.as_str()),
        column.segment()
    )
}

/// The count of a cell of the risk matrix of a year (likelihood × consequence) in plan
/// `version`: `plan/VERSION/riskmatris/YEAR/LIKELIHOOD/CONSEQUENCE`.
pub fn risk_cell(version: &Id, year: Year, likelihood: u8, consequence: u8) -> String {
    format!(
        "plan/{}/riskmatris/{year}/{likelihood}/{consequence}",
        segment(version.as_str())
    )
}

/// `runs` with the figure (every run before the first footnote) inside a trace to `path`;
/// the footnote stays outside, where it was.
pub fn wrap(runs: Vec<Inline>, path: String) -> Vec<Inline> {
    let split = runs
        .iter()
        .position(|run| matches!(run, Inline::Note(_)))
        .unwrap_or(runs.len());
    if split == 0 {
        return runs;
    }
    let mut runs = runs;
    let rest = runs.split_off(split);
    let mut out = vec![Inline::Trace {
        path,
        content: runs,
    }];
    out.extend(rest);
    out
}

/// A cell whose figure is traced to `path`; a missing cell stays as it is (nothing to trace).
pub fn wrap_cell(cell: Cell, path: String) -> Cell {
    if cell.missing || cell.content.is_empty() {
        return cell;
    }
    Cell {
        content: wrap(cell.content, path),
        missing: false,
    }
}

/// The plan's trace path of a claim in text: `None` for a `{?}` claim (no data to trace to).
pub fn claim_path(plan: &Plan, claim: &Claim) -> Option<String> {
    match claim.check {
        styr_domain::claim::ClaimCheck::Formula(_) => {
            Some(plan_claim(&plan.budget.version.id, claim))
        }
        styr_domain::claim::ClaimCheck::Unverifiable => None,
    }
}

/// Every trace of `document` as a link to `BASE/spar/PATH`, or, without a base, as its
/// content alone (the figure as printed, no link). `base` is an absolute URL (`https://…`,
/// for a PDF or a file) or `""` (links from the site's own root, for pages it serves).
pub fn link_traces(document: &mut Document, base: Option<&str>) {
    for section in &mut document.sections {
        link_blocks(&mut section.blocks, base);
    }
}

/// [`link_traces`] on blocks (a fragment of a page).
pub fn link_blocks(blocks: &mut [Block], base: Option<&str>) {
    for block in blocks {
        match block {
            Block::Paragraph(runs) | Block::Notice(runs) => link_runs(runs, base),
            Block::List { items, .. } => {
                for item in items {
                    link_blocks(item, base);
                }
            }
            Block::Quote(inner) => link_blocks(inner, base),
            Block::Table(table) => {
                for row in &mut table.rows {
                    for cell in &mut row.cells {
                        link_runs(&mut cell.content, base);
                    }
                }
                if let Some(note) = &mut table.note {
                    link_runs(note, base);
                }
            }
            Block::Chart(chart) => {
                for row in &mut chart.data.rows {
                    for cell in &mut row.cells {
                        link_runs(&mut cell.content, base);
                    }
                }
            }
            Block::Subheading { .. }
            | Block::Drawing(_)
            | Block::StatusLegend(_)
            | Block::Synthetic(_)
            | Block::Rule => {}
        }
    }
}

fn link_runs(runs: &mut Vec<Inline>, base: Option<&str>) {
    let mut out = Vec::with_capacity(runs.len());
    for mut run in std::mem::take(runs) {
        match &mut run {
            Inline::Strong(inner)
            | Inline::Emph(inner)
            | Inline::Marked(inner)
            | Inline::Note(inner)
            | Inline::Link { content: inner, .. } => link_runs(inner, base),
            _ => {}
        }
        match run {
            Inline::Trace { path, mut content } => {
                link_runs(&mut content, base);
                match base {
                    Some(base) => out.push(Inline::Link {
                        url: format!("{}/spar/{path}", base.trim_end_matches('/')),
                        content,
                    }),
                    None => out.extend(content),
                }
            }
            run => out.push(run),
        }
    }
    *runs = out;
}

// ------------------------------------------------------------------ the municipality's reports
// (issue 24, item 3: the municipal report, the årsredovisning and the delårsrapport, `/kommun`)

/// A body's frame (ram) for a year in plan `version`: KF's frame for the body when `version`
/// is KF's plan, else the frame the body's own plan states: `plan/VERSION/ram/BODY/YEAR`.
pub fn plan_frame(version: &Id, body: &Id, year: Year) -> String {
    format!(
        "plan/{}/ram/{}/{year}",
        segment(version.as_str()),
        segment(body.as_str())
    )
}

/// A body's allocation of a year (Budget år: its own operating tables' computed sum) in its
/// plan `version`: `plan/VERSION/fordelning/YEAR`.
pub fn plan_allocation(version: &Id, year: Year) -> String {
    format!("plan/{}/fordelning/{year}", segment(version.as_str()))
}

/// A figure of KF's budget for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouncilFigure {
    /// Skatteintäkter (stated).
    TaxRevenue,
    /// Generella statsbidrag och utjämning (stated).
    Grants,
    /// Finansnetto (stated).
    FinancialNet,
    /// Budgeterat resultat: stated, beside its computed parts.
    Result,
    /// Σ the frames of the nämnder and styrelser.
    Frames,
}

impl CouncilFigure {
    pub const ALL: [CouncilFigure; 5] = [
        CouncilFigure::TaxRevenue,
        CouncilFigure::Grants,
        CouncilFigure::FinancialNet,
        CouncilFigure::Result,
        CouncilFigure::Frames,
    ];

    /// The path segment.
    pub fn slug(self) -> &'static str {
        match self {
            CouncilFigure::TaxRevenue => "skatteintakter",
            CouncilFigure::Grants => "statsbidrag",
            CouncilFigure::FinancialNet => "finansnetto",
            CouncilFigure::Result => "resultat",
            CouncilFigure::Frames => "ramar",
        }
    }

    pub fn parse(slug: &str) -> Option<CouncilFigure> {
        CouncilFigure::ALL.into_iter().find(|f| f.slug() == slug)
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            CouncilFigure::TaxRevenue => "Skatteintäkter",
            CouncilFigure::Grants => "Generella statsbidrag och utjämning",
            CouncilFigure::FinancialNet => "Finansnetto",
            CouncilFigure::Result => "Budgeterat resultat",
            CouncilFigure::Frames => "Summa ramar för nämnder och styrelser",
        }
    }
}

/// A figure of KF's budget in KF's plan `version`: `plan/VERSION/kf/WHICH/YEAR`.
pub fn council_figure(version: &Id, which: CouncilFigure, year: Year) -> String {
    format!(
        "plan/{}/kf/{}/{year}",
        segment(version.as_str()),
        which.slug()
    )
}

/// Which total of the municipality's table per nämnd.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MunicipalSum {
    /// Σ the frames shown.
    Frames,
    /// Σ the bodies' allocations (Budget år).
    Budgets,
    /// Σ the bodies' outcomes to date (Utfall ack).
    Outcomes,
    /// Σ the bodies' full-year forecasts (Prognos helår).
    Forecasts,
    /// Σ the bodies' deviations budget år − prognos helår.
    Deviations,
    /// Σ the bodies' anslagsförändringar (R14).
    Appropriations,
    /// Σ the bodies' budgets after the anslagsförändringar (R14).
    BudgetsAfterChanges,
    /// Σ the bodies' outcomes of the same period a year earlier.
    PreviousOutcomes,
    /// Σ the bodies' deviations budget efter förändringar − prognos (R14).
    DeviationsAfterChanges,
}

impl MunicipalSum {
    pub const ALL: [MunicipalSum; 9] = [
        MunicipalSum::Frames,
        MunicipalSum::Budgets,
        MunicipalSum::Outcomes,
        MunicipalSum::Forecasts,
        MunicipalSum::Deviations,
        MunicipalSum::Appropriations,
        MunicipalSum::BudgetsAfterChanges,
        MunicipalSum::PreviousOutcomes,
        MunicipalSum::DeviationsAfterChanges,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            MunicipalSum::Frames => "ramar",
            MunicipalSum::Budgets => "budget",
            MunicipalSum::Outcomes => "utfall",
            MunicipalSum::Forecasts => "prognos",
            MunicipalSum::Deviations => "avvikelse",
            MunicipalSum::Appropriations => "anslagsforandringar",
            MunicipalSum::BudgetsAfterChanges => "budget-efter-forandringar",
            MunicipalSum::PreviousOutcomes => "utfall-foregaende-ar",
            MunicipalSum::DeviationsAfterChanges => "avvikelse-efter-forandringar",
        }
    }

    /// Whether a body's own figure of this kind has a trace under `kommun/PERIOD/namnd/…`
    /// ([`body_figure`]); a frame, budget and outcome trace to the body's plan and report.
    pub fn per_body(self) -> bool {
        !matches!(
            self,
            MunicipalSum::Frames | MunicipalSum::Budgets | MunicipalSum::Outcomes
        )
    }

    pub fn parse(slug: &str) -> Option<MunicipalSum> {
        MunicipalSum::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// A total of the municipality's table per nämnd for a period: `kommun/PERIOD/summa/WHICH`.
pub fn municipal_sum(period: Month, which: MunicipalSum) -> String {
    format!("kommun/{period}/summa/{}", which.slug())
}

/// A body's figure of the table per nämnd that is not its plan's or its report's own (its
/// forecast, deviation, anslagsförändringar, budget after them, previous year's outcome):
/// `kommun/PERIOD/namnd/BODY/WHICH` (`which.per_body()`).
pub fn body_figure(period: Month, body: &Id, which: MunicipalSum) -> String {
    format!(
        "kommun/{period}/namnd/{}/{}",
        segment(body.as_str()),
        which.slug()
    )
}

/// A company's row (ägarandel, resultatkrav, budgeterat resultat): `kommun/PERIOD/bolag/BODY`.
pub fn company(period: Month, body: &Id) -> String {
    format!("kommun/{period}/bolag/{}", segment(body.as_str()))
}

/// Koncernens sammanställda budgeterade resultat: `kommun/PERIOD/koncern`.
pub fn koncern(period: Month) -> String {
    format!("kommun/{period}/koncern")
}

/// A line of the resultaträkning, balansräkning or kassaflödesanalys (its outcome), by its id
/// in `styr_domain::statements::LINES` or the kassaflödesanalys' (`kfa.…`):
/// `kommun/PERIOD/rakenskaper/LINE`.
pub fn statement_line(period: Month, line: &str) -> String {
    format!("kommun/{period}/rakenskaper/{}", segment(line))
}

/// The vouchers behind an account of a bokslut file in the financial statements through a
/// period (for logged-in users): `kommun/PERIOD/konto/FILE/ACCOUNT`.
pub fn statement_account(period: Month, file: &str, account: &str) -> String {
    format!(
        "kommun/{period}/konto/{}/{}",
        segment(file),
        segment(account)
    )
}

/// The rows of the balanskravsutredning, in the order `styr_reports::statements` gives them.
pub const BALANCE_REQUIREMENT_ROWS: [&str; 8] = [
    "arets-resultat",
    "realisationsvinster",
    "realisationsforluster",
    "orealiserade",
    "efter-justeringar",
    "reservering",
    "ianspraktagande",
    "balanskravsresultat",
];

/// Row `index` of the balanskravsutredning: `kommun/PERIOD/balanskrav/ROW`.
pub fn balance_requirement_row(period: Month, index: usize) -> Option<String> {
    BALANCE_REQUIREMENT_ROWS
        .get(index)
        .map(|row| format!("kommun/{period}/balanskrav/{row}"))
}

/// A column of the statements beside the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementColumn {
    /// RR's budget for the year: `budget`.
    Budget,
    /// The previous year (its whole year or its same period): `foregaende-ar`.
    Previous,
}

impl StatementColumn {
    pub const ALL: [StatementColumn; 2] = [StatementColumn::Budget, StatementColumn::Previous];

    pub fn slug(self) -> &'static str {
        match self {
            StatementColumn::Budget => "budget",
            StatementColumn::Previous => "foregaende-ar",
        }
    }

    pub fn parse(slug: &str) -> Option<StatementColumn> {
        StatementColumn::ALL.into_iter().find(|c| c.slug() == slug)
    }
}

/// The budget or previous year's figure of a statement line:
/// `kommun/PERIOD/rakenskaper/LINE/budget|foregaende-ar`.
pub fn statement_column(period: Month, line: &str, column: StatementColumn) -> String {
    format!("{}/{}", statement_line(period, line), column.slug())
}

/// A table of the statutory follow-up per body whose every cell traces
/// (`accounts::investment_report_section`, `accounts::exploitation_finance_section`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountsTable {
    /// The investeringsredovisning: `investering`.
    Investment,
    /// Exploatering against the ledger: `exploatering`.
    Exploitation,
    /// Finansförvaltning against the ledger: `finans`.
    Finance,
}

impl AccountsTable {
    pub const ALL: [AccountsTable; 3] = [
        AccountsTable::Investment,
        AccountsTable::Exploitation,
        AccountsTable::Finance,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            AccountsTable::Investment => "investering",
            AccountsTable::Exploitation => "exploatering",
            AccountsTable::Finance => "finans",
        }
    }

    pub fn parse(slug: &str) -> Option<AccountsTable> {
        AccountsTable::ALL.into_iter().find(|t| t.slug() == slug)
    }

    /// The columns of the table's cells, in the printed order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            AccountsTable::Investment => &INVESTMENT_COLUMNS,
            AccountsTable::Exploitation | AccountsTable::Finance => &LEDGER_COLUMNS,
        }
    }
}

/// The investeringsredovisning's columns: the project table's (beslutad totalutgift, utfall
/// tidigare år, utfall året, utfall hittills, beräknad totalutgift, avvikelse), then the year
/// table's (budget, utfall året, utfall föregående år, prognos, avvikelse).
pub const INVESTMENT_COLUMNS: [&str; 10] = [
    "beslutad",
    "tidigare-ar",
    "utfall-ar",
    "hittills",
    "beraknad",
    "avvikelse",
    "budget-ar",
    "utfall-foregaende-ar",
    "prognos-ar",
    "avvikelse-ar",
];

/// The columns of exploatering and finansförvaltning against the ledger.
pub const LEDGER_COLUMNS: [&str; 8] = [
    "budget-intakter",
    "budget-kostnader",
    "budget-netto",
    "utfall-intakter",
    "utfall-kostnader",
    "utfall-netto",
    "avvikelse",
    "utfall-foregaende-ar",
];

/// The row id of a total row of these tables (the reports' own id of their totals).
pub const TOTAL_ROW: &str = "summa";

/// A cell of the investeringsredovisning or of exploatering and finansförvaltning of a body:
/// `kommun/PERIOD/TABLE/BODY/ROW/COLUMN` (`ROW` the project or row id, [`TOTAL_ROW`] for the
/// total; `COLUMN` one of [`AccountsTable::columns`]).
pub fn accounts_cell(
    period: Month,
    table: AccountsTable,
    body: &Id,
    row: &Id,
    column: &str,
) -> String {
    format!(
        "kommun/{period}/{}/{}/{}/{}",
        table.slug(),
        segment(body.as_str()),
        segment(row.as_str()),
        segment(column)
    )
}

/// Whether a cell's text is a figure ("1 234", "−5,5", "900 *", "12 %"), not words in a
/// numeric column ("3 av 5").
fn is_amount(text: &str) -> bool {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '*' | '−' | '-' | ',' | '%'))
        .collect();
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// Every amount cell of `document`'s tables that is not inside a trace, as
/// "table id, row N (label), column label: figure": what a test of "every figure traced"
/// lists. A cell is an amount cell when its column is numeric and it shows a figure (not –,
/// not words such as "3 av 5").
/// `skip` names tables left out (by id), each for a reason its caller gives.
pub fn untraced_cells(document: &Document, skip: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for section in &document.sections {
        untraced_in(&section.blocks, &skip, &mut out);
    }
    out
}

fn untraced_in(blocks: &[Block], skip: &impl Fn(&str) -> bool, out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Table(table) if !skip(&table.id) => {
                for (index, row) in table.rows.iter().enumerate() {
                    for (column, cell) in table.columns.iter().zip(&row.cells) {
                        let traced = cell
                            .content
                            .iter()
                            .any(|run| matches!(run, Inline::Trace { .. }));
                        if column.numeric
                            && !cell.missing
                            && !traced
                            && is_amount(&Inline::plain(&cell.content))
                        {
                            let label = row
                                .cells
                                .first()
                                .map(|c| Inline::plain(&c.content))
                                .unwrap_or_default();
                            out.push(format!(
                                "{}, rad {index} ({label}), {}: {}",
                                table.id,
                                column.label,
                                Inline::plain(&cell.content)
                            ));
                        }
                    }
                }
            }
            Block::List { items, .. } => {
                for item in items {
                    untraced_in(item, skip, out);
                }
            }
            Block::Quote(inner) => untraced_in(inner, skip, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_wraps_the_figure_and_leaves_the_note_outside() {
        let runs = wrap(
            vec![
                Inline::Marked(vec![Inline::text("1 000")]),
                Inline::Note(vec![Inline::text("not")]),
            ],
            "plan/v/drift/t/r/2021".to_owned(),
        );
        assert!(matches!(&runs[0], Inline::Trace { content, .. } if content.len() == 1));
        assert!(matches!(&runs[1], Inline::Note(_)));
        assert_eq!(Inline::plain(&runs), "1 000");
    }

    #[test]
    fn without_a_base_a_trace_is_its_content_and_with_one_a_link() {
        let block = || {
            vec![Block::Paragraph(vec![Inline::Trace {
                path: "plan/v%C3%A5/drift/t/r/2021".to_owned(),
                content: vec![Inline::text("5")],
            }])]
        };
        let mut plain = block();
        link_blocks(&mut plain, None);
        assert_eq!(plain, vec![Block::Paragraph(vec![Inline::text("5")])]);
        let mut linked = block();
        link_blocks(&mut linked, Some("https://styr.example/"));
        assert_eq!(
            linked,
            vec![Block::Paragraph(vec![Inline::Link {
                url: "https://styr.example/spar/plan/v%C3%A5/drift/t/r/2021".to_owned(),
                content: vec![Inline::text("5")],
            }])]
        );
        assert_eq!(segment("a b/å#"), "a%20b%2F%C3%A5%23");
    }
}
