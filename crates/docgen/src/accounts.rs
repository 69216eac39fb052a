//! Self-contained document sections of the statutory follow-up (issue 22, items 2–3): god
//! ekonomisk hushållning ([`geh_section`]), the driftredovisning per nämnd with KF's
//! anslagsförändringar (R14, [`operating_accounts_section`]), the investeringsredovisning
//! ([`investment_report_section`]) and exploatering and finansförvaltning against the ledger
//! ([`exploitation_finance_section`]), each with the previous year's same period (R17). They
//! plug into any document (the årsredovisning, the delårsrapport).
//!
//! Every figure comes from the values of `styr_domain::geh`, `styr_reports::municipal`,
//! `styr_reports::accounts` and `styr_reports::accounts_ledger`; nothing is summed here: each
//! total row is the value's total, itself the sum of the rows shown.

use crate::format;
use crate::model::{Block, Cell, Column, Inline, Row, RowStyle, Section, Table};
use crate::municipal::{frame_trace, outcome_trace, sum_trace, traced};
use crate::trace::MunicipalSum;
use styr_domain::followup::month_name;
use styr_domain::geh::{GehAssessment, GehFigures};
use styr_domain::{Id, Money, Month};
use styr_reports::accounts::InvestmentAccounts;
use styr_reports::accounts_ledger::{Amounts, ExploitationAccounts, FinanceAccounts};
use styr_reports::municipal::{MunicipalOverview, TOTAL_LABEL};

/// The section ids.
pub const GEH_SECTION_ID: &str = "god_ekonomisk_hushallning";
pub const OPERATING_ACCOUNTS_SECTION_ID: &str = "driftredovisning";
pub const INVESTMENT_SECTION_ID: &str = "investeringsredovisning";
pub const EXPLOITATION_FINANCE_SECTION_ID: &str = "exploatering_och_finansforvaltning";

/// The note under the driftredovisning's and the investeringsredovisning's tables: made from
/// the figures the bodies' own reports print (`BudgetVsActual::in_whole`).
pub const AMOUNT_NOTE: &str = "Belopp i hela tkr, som i nämndernas egna redovisningar; varje summa är summan av raderna som de står. – betyder att uppgiften saknas.";

/// The investeringsredovisning's note: [`AMOUNT_NOTE`] and how its row adds up across.
pub const INVESTMENT_AMOUNT_NOTE: &str = "Belopp i hela tkr, som i nämndernas egna redovisningar; varje summa är summan av raderna som de står, och utfall hittills är utfall tidigare år plus årets utfall som de står. – betyder att uppgiften saknas.";

/// The note under the exploitation's and the finance administration's tables
/// (`ExploitationAccounts::in_whole`, `FinanceAccounts::in_whole`).
pub const LEDGER_AMOUNT_NOTE: &str = "Belopp i hela tkr: varje rads intäkter och kostnader är bokföringen avrundad till hela tkr, nettot är deras summa och varje summa är summan av raderna som de står. – betyder att uppgiften saknas.";

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph(vec![Inline::Text(text.into())])
}

fn columns(first: &str, numeric: &[String], text: &[&str]) -> Vec<Column> {
    let mut all = vec![Column {
        label: first.to_owned(),
        numeric: false,
    }];
    all.extend(numeric.iter().map(|label| Column {
        label: label.clone(),
        numeric: true,
    }));
    all.extend(text.iter().map(|label| Column {
        label: (*label).to_owned(),
        numeric: false,
    }));
    all
}

fn amount(money: Option<Money>) -> Cell {
    money.map_or_else(Cell::missing, |m| Cell::text(format::tkr_whole(m)))
}

/// "jan–aug 2021".
fn span(period: Month, year: i32) -> String {
    let short = |m: u8| month_name(m).chars().take(3).collect::<String>();
    if period.month() == 1 {
        format!("jan {year}")
    } else {
        format!("jan–{} {year}", short(period.month()))
    }
}

fn note() -> Option<Vec<Inline>> {
    Some(vec![Inline::text(AMOUNT_NOTE)])
}

fn investment_note() -> Option<Vec<Inline>> {
    Some(vec![Inline::text(INVESTMENT_AMOUNT_NOTE)])
}

fn ledger_note() -> Option<Vec<Inline>> {
    Some(vec![Inline::text(LEDGER_AMOUNT_NOTE)])
}

// ------------------------------------------------------------------ god ekonomisk hushållning

/// God ekonomisk hushållning: each of KF's goals with its rule in words and numbers and its
/// assessment, the judgement the goals give, and KF's stated judgement beside it (never
/// replaced; a disagreement is said in words with both).
pub fn geh_section(assessment: &GehAssessment, figures: &GehFigures) -> Section {
    let mut blocks = Vec::new();
    let basis = match figures.basis {
        Some(basis) => format!(
            "Målen bedöms mot {} för {} ({}).",
            basis.label_sv(),
            assessment.period.year(),
            span(assessment.period, assessment.period.year())
        ),
        None => "Målen bedöms mot de uppgifter som finns.".to_owned(),
    };
    blocks.push(paragraph(basis));
    if assessment.goals.is_empty() {
        blocks.push(paragraph(
            "Kommunfullmäktiges plan har inga mål för god ekonomisk hushållning.",
        ));
    } else {
        blocks.push(Block::Table(Table {
            id: "tab-geh".to_owned(),
            caption: format!("Mål för god ekonomisk hushållning {}", assessment.period),
            columns: columns("Mål", &[], &["Regel", "Underlag", "Bedömning"]),
            rows: assessment
                .goals
                .iter()
                .map(|goal| {
                    Row::new(
                        RowStyle::Normal,
                        vec![
                            Cell::text(goal.goal.text.clone().unwrap_or_else(|| goal.rule_sv.clone())),
                            Cell::text(&goal.rule_sv),
                            goal.computation_sv
                                .as_deref()
                                .map_or_else(Cell::missing, Cell::text),
                            Cell::text(goal.statement_sv()),
                        ],
                    )
                })
                .collect(),
            note: Some(vec![Inline::text(
                "Procent med en decimal (fler där en decimal skulle visa ett ej uppfyllt mål som lika med målet); jämförelsen görs exakt. Belopp i tkr.",
            )]),
        }));
    }
    let computed = assessment
        .computed
        .map_or("kan inte bedömas", |verdict| verdict.label_sv());
    blocks.push(Block::Paragraph(vec![
        Inline::Strong(vec![Inline::text("Bedömning enligt målen: ")]),
        Inline::text(format!("{computed}. {}", GehAssessment::RULE_SV)),
    ]));
    match &assessment.stated {
        Some(stated) => {
            blocks.push(Block::Paragraph(vec![
                Inline::Strong(vec![Inline::text("Kommunfullmäktiges bedömning: ")]),
                Inline::text(format!(
                    "{}. {}",
                    stated.verdict.label_sv(),
                    stated.text.trim()
                )),
            ]));
            if assessment.disagrees() {
                blocks.push(paragraph(format!(
                    "Kommunfullmäktiges bedömning ({}) skiljer sig från den som målen ger ({}); båda visas.",
                    stated.verdict.label_sv(),
                    computed
                )));
            }
        }
        None => blocks.push(paragraph(format!(
            "Kommunfullmäktige har inte angett någon samlad bedömning för {}.",
            assessment.period
        ))),
    }
    Section {
        id: GEH_SECTION_ID.to_owned(),
        level: 2,
        title: "God ekonomisk hushållning".to_owned(),
        blocks,
    }
}

// ------------------------------------------------------------------ driftredovisning (R14)

/// The driftredovisning per nämnd (R14) from the municipal overview: KF's frame, KF's
/// anslagsförändringar, the budget after them, the outcome to date beside the previous year's
/// same period, the full-year forecast and the deviation; then the anslagsförändringar one by
/// one.
pub fn operating_accounts_section(overview: &MunicipalOverview) -> Section {
    let period = overview.period;
    let year = period.year();
    let mut rows: Vec<Row> = overview
        .bodies
        .iter()
        .map(|body| {
            let figure = |which| Some(crate::trace::body_figure(period, &body.body, which));
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::text(&body.name),
                    traced(
                        amount(body.frame.as_ref().map(|f| f.amount)),
                        frame_trace(overview, body),
                    ),
                    traced(
                        amount(Some(body.appropriation_sum())),
                        figure(MunicipalSum::Appropriations),
                    ),
                    traced(
                        amount(body.budget_after_changes()),
                        figure(MunicipalSum::BudgetsAfterChanges),
                    ),
                    traced(amount(body.actual()), outcome_trace(overview, body)),
                    traced(
                        amount(body.previous_actual()),
                        figure(MunicipalSum::PreviousOutcomes),
                    ),
                    traced(amount(body.forecast()), figure(MunicipalSum::Forecasts)),
                    traced(
                        amount(body.deviation_after_changes()),
                        figure(MunicipalSum::DeviationsAfterChanges),
                    ),
                ],
            )
        })
        .collect();
    let totals = &overview.totals;
    rows.push(Row::new(
        RowStyle::Total,
        vec![
            Cell::text(TOTAL_LABEL),
            traced(
                amount(Some(totals.frame)),
                sum_trace(overview, MunicipalSum::Frames),
            ),
            traced(
                amount(Some(totals.appropriations)),
                sum_trace(overview, MunicipalSum::Appropriations),
            ),
            traced(
                amount(Some(totals.budget_after_changes)),
                sum_trace(overview, MunicipalSum::BudgetsAfterChanges),
            ),
            traced(
                amount(totals.actual()),
                totals
                    .actual()
                    .and_then(|_| sum_trace(overview, MunicipalSum::Outcomes)),
            ),
            traced(
                amount(totals.previous_actual),
                sum_trace(overview, MunicipalSum::PreviousOutcomes),
            ),
            traced(
                amount(totals.forecast()),
                sum_trace(overview, MunicipalSum::Forecasts),
            ),
            traced(
                amount(totals.deviation_after_changes),
                sum_trace(overview, MunicipalSum::DeviationsAfterChanges),
            ),
        ],
    ));
    let mut blocks = vec![
        paragraph(format!(
            "Nämndernas och styrelsens budget är kommunfullmäktiges ram vid årets början; anslagsförändringar är fullmäktiges beslut under året om tilläggsanslag och ombudgeteringar fram till periodens slut. Avvikelse = budget efter förändringar − prognos för helåret (vid årets slut är prognosen utfallet): ett positivt belopp är ett överskott. Utfall {} står bredvid som jämförelse.",
            span(period, year - 1)
        )),
        Block::Table(Table {
            id: "tab-driftredovisning".to_owned(),
            caption: format!("Driftredovisning per nämnd {}", span(period, year)),
            columns: columns(
                "Nämnd eller styrelse",
                &[
                    "Budget (ram)".to_owned(),
                    "Anslagsförändringar".to_owned(),
                    "Budget efter förändringar".to_owned(),
                    format!("Utfall {}", span(period, year)),
                    format!("Utfall {}", span(period, year - 1)),
                    format!("Prognos {year}"),
                    "Avvikelse".to_owned(),
                ],
                &[],
            ),
            rows,
            note: note(),
        }),
    ];
    let changes: Vec<(
        &styr_reports::municipal::BodyOverview,
        &styr_domain::council::AppropriationChange,
    )> = overview
        .bodies
        .iter()
        .flat_map(|b| b.appropriations.iter().map(move |c| (b, c)))
        .collect();
    if changes.is_empty() {
        blocks.push(paragraph(format!(
            "Kommunfullmäktige har inte beslutat om några anslagsförändringar {year} till och med periodens slut."
        )));
    } else {
        let mut rows: Vec<Row> = changes
            .iter()
            .map(|(body, change)| {
                Row::new(
                    RowStyle::Normal,
                    vec![
                        Cell::text(&body.name),
                        // The change among the body's changes, with its decision.
                        traced(
                            amount(Some(change.amount)),
                            Some(crate::trace::body_figure(
                                period,
                                &body.body,
                                MunicipalSum::Appropriations,
                            )),
                        ),
                        Cell::text(change.kind.label_sv()),
                        Cell::text(format!("{} ({})", change.decision, change.date)),
                        Cell::text(&change.text),
                    ],
                )
            })
            .collect();
        rows.push(Row::new(
            RowStyle::Total,
            vec![
                Cell::text("Summa anslagsförändringar"),
                traced(
                    amount(Some(totals.appropriations)),
                    sum_trace(overview, MunicipalSum::Appropriations),
                ),
                Cell::missing(),
                Cell::missing(),
                Cell::missing(),
            ],
        ));
        blocks.push(Block::Table(Table {
            id: "tab-anslagsforandringar".to_owned(),
            caption: format!("Anslagsförändringar {year}"),
            columns: columns(
                "Nämnd eller styrelse",
                &["Belopp".to_owned()],
                &["Slag", "Beslut", "Beskrivning"],
            ),
            rows,
            note: note(),
        }));
    }
    Section {
        id: OPERATING_ACCOUNTS_SECTION_ID.to_owned(),
        level: 2,
        title: "Driftredovisning".to_owned(),
        blocks,
    }
}

// ------------------------------------------------------------------ investeringsredovisning

/// The investeringsredovisning: per body with an investment budget, each project's beslutad
/// totalutgift, utfall tidigare år, the year's outcome, utfall hittills, beräknad totalutgift
/// and avvikelse; then the year's budget, outcome and forecast beside the previous year's same
/// period.
pub fn investment_report_section(investments: &[(Id, String, InvestmentAccounts)]) -> Section {
    let mut blocks = vec![paragraph(
        "Beslutad totalutgift är projektets hela utgift enligt beslut. Utfall tidigare år är angivet utfall till och med ett år plus bokföringen för åren därefter. Beräknad totalutgift är den rapporterade, annars utfall tidigare år + årets prognos + budgeten för kommande år (markerad *). Avvikelse = beslutad − beräknad totalutgift: ett positivt belopp är under beslutad utgift.",
    )];
    if investments.is_empty() {
        blocks.push(paragraph("Ingen nämnd har någon investeringsbudget."));
    }
    for (body, name, accounts) in investments {
        let period = accounts.period;
        let year = period.year();
        let id = body.as_str().replace('_', "-");
        // Each cell traces to where it comes from (`crate::trace::accounts_cell`).
        let cell = |r: &styr_reports::accounts::InvestmentAccount, column: &str, figure| {
            crate::trace::wrap_cell(
                amount(figure),
                crate::trace::accounts_cell(
                    period,
                    crate::trace::AccountsTable::Investment,
                    body,
                    &r.project,
                    column,
                ),
            )
        };
        let row_of = |r: &styr_reports::accounts::InvestmentAccount, style| {
            let mut forecast_total = amount(r.forecast_total);
            if r.forecast_total.is_some()
                && !r.forecast_total_reported
                && let Some(Inline::Text(text)) = forecast_total.content.first_mut()
            {
                text.push_str(" *");
            }
            Row::new(
                style,
                vec![
                    Cell::text(&r.name),
                    cell(r, "beslutad", r.decided_total),
                    cell(r, "tidigare-ar", r.earlier),
                    cell(r, "utfall-ar", r.year_actual),
                    cell(r, "hittills", r.to_date),
                    crate::trace::wrap_cell(
                        forecast_total,
                        crate::trace::accounts_cell(
                            period,
                            crate::trace::AccountsTable::Investment,
                            body,
                            &r.project,
                            "beraknad",
                        ),
                    ),
                    cell(r, "avvikelse", r.deviation),
                ],
            )
        };
        let mut rows: Vec<Row> = accounts
            .rows
            .iter()
            .map(|r| row_of(r, RowStyle::Normal))
            .collect();
        rows.push(row_of(&accounts.total, RowStyle::Total));
        blocks.push(Block::Table(Table {
            id: format!("tab-investeringsredovisning-{id}"),
            caption: format!("Investeringsprojekt, {name}, {}", span(period, year)),
            columns: columns(
                "Projekt",
                &[
                    "Beslutad totalutgift".to_owned(),
                    "Utfall tidigare år".to_owned(),
                    format!("Utfall {}", span(period, year)),
                    "Utfall hittills".to_owned(),
                    "Beräknad totalutgift".to_owned(),
                    "Avvikelse".to_owned(),
                ],
                &[],
            ),
            rows,
            note: investment_note(),
        }));
        let missing: Vec<String> = accounts
            .rows
            .iter()
            .filter(|r| !r.missing_years.is_empty())
            .map(|r| {
                let years: Vec<String> = r.missing_years.iter().map(|y| y.to_string()).collect();
                format!("{} ({})", r.name, years.join(", "))
            })
            .collect();
        if !missing.is_empty() {
            blocks.push(paragraph(format!(
                "Bokföring saknas för år före {year}, så utfall tidigare år är ofullständigt för: {}.",
                missing.join("; ")
            )));
        }
        let year_row = |r: &styr_reports::accounts::InvestmentAccount, style| {
            Row::new(
                style,
                vec![
                    Cell::text(&r.name),
                    cell(r, "budget-ar", r.year_budget),
                    cell(r, "utfall-ar", r.year_actual),
                    cell(r, "utfall-foregaende-ar", r.previous_same_period),
                    cell(r, "prognos-ar", r.year_forecast),
                    cell(r, "avvikelse-ar", r.year_deviation),
                ],
            )
        };
        let mut rows: Vec<Row> = accounts
            .rows
            .iter()
            .map(|r| year_row(r, RowStyle::Normal))
            .collect();
        rows.push(year_row(&accounts.total, RowStyle::Total));
        blocks.push(Block::Table(Table {
            id: format!("tab-investeringar-ar-{id}"),
            caption: format!("Investeringar {year}, {name}"),
            columns: columns(
                "Projekt",
                &[
                    format!("Budget {year}"),
                    format!("Utfall {}", span(period, year)),
                    format!("Utfall {}", span(period, year - 1)),
                    format!("Prognos {year}"),
                    "Avvikelse".to_owned(),
                ],
                &[],
            ),
            rows,
            note: investment_note(),
        }));
    }
    Section {
        id: INVESTMENT_SECTION_ID.to_owned(),
        level: 2,
        title: "Investeringsredovisning".to_owned(),
        blocks,
    }
}

// ------------------------------------------------------------------ exploatering, finans

/// Income, cost and net; `split` false: the budget gives the net only.
fn amounts_cells(amounts: Option<Amounts>, split: bool) -> Vec<Cell> {
    match amounts {
        Some(a) => vec![
            amount(Some(a.income).filter(|_| split)),
            amount(Some(a.cost).filter(|_| split)),
            amount(Some(a.net)),
        ],
        None => (0..3).map(|_| Cell::missing()).collect(),
    }
}

/// A row's cells after its label, each inside its trace (`crate::trace::LEDGER_COLUMNS`).
fn ledger_cells(
    (period, table, body, row): (Month, crate::trace::AccountsTable, &Id, &Id),
    budget: (Option<Amounts>, bool),
    actual: Option<Amounts>,
    deviation: Option<Money>,
    previous: Option<Amounts>,
) -> Vec<Cell> {
    let mut cells = amounts_cells(budget.0, budget.1);
    cells.extend(amounts_cells(actual, true));
    cells.push(amount(deviation));
    cells.push(amount(previous.map(|p| p.net)));
    cells
        .into_iter()
        .zip(crate::trace::LEDGER_COLUMNS)
        .map(|(cell, column)| {
            crate::trace::wrap_cell(
                cell,
                crate::trace::accounts_cell(period, table, body, row, column),
            )
        })
        .collect()
}

fn follow_up_columns(first: &str, period: Month) -> Vec<Column> {
    let year = period.year();
    columns(
        first,
        &[
            format!("Budget {year} intäkter"),
            format!("Budget {year} kostnader"),
            format!("Budget {year} netto"),
            format!("Utfall {} intäkter", span(period, year)),
            format!("Utfall {} kostnader", span(period, year)),
            format!("Utfall {} netto", span(period, year)),
            "Avvikelse netto".to_owned(),
            format!("Utfall {} netto", span(period, year - 1)),
        ],
        &[],
    )
}

/// Exploatering and finansförvaltning followed up against the ledger: per exploitation project
/// and per finance row the year's budget, the outcome to date, the deviation and the previous
/// year's same period, and the realisationsvinster the exploitation brings.
pub fn exploitation_finance_section(
    exploitation: &[(Id, String, ExploitationAccounts)],
    finance: &[(Id, String, FinanceAccounts)],
) -> Section {
    let mut blocks = vec![paragraph(
        "Utfallet är bokföringen till och med perioden (kredit är intäkt, debet kostnad). Exploateringen visas med budgetens tecken (intäkter positiva, kostnader negativa) och avvikelse = utfall netto − budget netto; finansförvaltningen med bokföringens tecken (intäkter negativa) och avvikelse = budget netto − utfall netto. Ett positivt belopp är bättre än budget. Budgeten är årets.",
    )];
    for (body, name, accounts) in exploitation {
        let id = body.as_str().replace('_', "-");
        let row_of = |r: &styr_reports::accounts_ledger::ExploitationAccount, style| {
            let mut cells = vec![Cell::text(if r.project.is_empty() {
                r.name.clone()
            } else {
                format!("{} {}", r.project, r.name)
            })];
            cells.extend(ledger_cells(
                (
                    accounts.period,
                    crate::trace::AccountsTable::Exploitation,
                    body,
                    &r.id,
                ),
                (r.budget, r.budget_split),
                r.actual,
                r.deviation,
                r.previous,
            ));
            Row::new(style, cells)
        };
        let mut rows: Vec<Row> = accounts
            .rows
            .iter()
            .map(|r| row_of(r, RowStyle::Normal))
            .collect();
        rows.push(row_of(&accounts.total, RowStyle::Total));
        blocks.push(Block::Table(Table {
            id: format!("tab-exploatering-{id}"),
            caption: format!(
                "Exploatering, {name}, {}",
                span(accounts.period, accounts.period.year())
            ),
            columns: follow_up_columns("Projekt", accounts.period),
            rows,
            note: ledger_note(),
        }));
        blocks.push(paragraph(format!(
            "Realisationsvinster från exploateringen (summan av projektens positiva nettoutfall): {} tkr, budgeterat {} tkr.",
            accounts
                .realisation_gains()
                .map_or_else(|| "–".to_owned(), format::tkr_whole),
            accounts
                .budgeted_realisation_gains()
                .map_or_else(|| "–".to_owned(), format::tkr_whole),
        )));
    }
    for (body, name, accounts) in finance {
        let id = body.as_str().replace('_', "-");
        let row_of = |r: &styr_reports::accounts_ledger::FinanceAccount, style| {
            let mut cells = vec![Cell::text(&r.name)];
            cells.extend(ledger_cells(
                (
                    accounts.period,
                    crate::trace::AccountsTable::Finance,
                    body,
                    &r.id,
                ),
                (r.budget, r.budget_split),
                r.actual,
                r.deviation,
                r.previous,
            ));
            Row::new(style, cells)
        };
        let mut rows: Vec<Row> = accounts
            .rows
            .iter()
            .map(|r| row_of(r, RowStyle::Normal))
            .collect();
        rows.push(row_of(&accounts.total, RowStyle::Total));
        blocks.push(Block::Table(Table {
            id: format!("tab-finansforvaltning-{id}"),
            caption: format!(
                "Finansförvaltning, {name}, {}",
                span(accounts.period, accounts.period.year())
            ),
            columns: follow_up_columns("Post", accounts.period),
            rows,
            note: ledger_note(),
        }));
    }
    if exploitation.is_empty() && finance.is_empty() {
        blocks.push(paragraph(
            "Ingen nämnd har någon exploaterings- eller finansbudget.",
        ));
    }
    Section {
        id: EXPLOITATION_FINANCE_SECTION_ID.to_owned(),
        level: 2,
        title: "Exploatering och finansförvaltning".to_owned(),
        blocks,
    }
}
