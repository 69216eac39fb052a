//! A follow-up report value → document model: the delårsrapport and the annual report
//! (verksamhetsberättelse), in the same model (and so the same HTML and PDF) as the
//! strategy-and-budget document.
//!
//! Sections, in order: what needs attention (first, so the board reads it first), the economy
//! (budget vs actual with forecasts and their explanations), the assignments (status now and at
//! the previous report), the goals (the person's assessment with styr's suggestion beside it,
//! never in its place) with their indicators and charts, the internal control (control results
//! up to the period, the risk matrix, open audit recommendations), and an appendix of missing
//! reports.
//!
//! Every figure comes from the [`PeriodReport`] value or the plan: counts, sums, deviations and
//! trends are computed, never typed. Amounts are whole tkr, rounded once for printing; missing
//! stays missing ("–"), and a report nobody made says so in words.

use crate::chart::{self, FollowUpSeries};
use crate::format;
use crate::model::{
    Block, Cell, Chart, Column, Document, DocumentKind, Inline, Row, RowStyle, Section, Table,
};
use rust_decimal::Decimal;
use styr_domain::control::ControlResult;
use styr_domain::followup::{
    PeriodKind, SYNTHETIC_FOLLOWUP_NOTE, TargetStatus, month_name, reportable_statuses, target_of,
};
use styr_domain::goal::Direction;
use styr_domain::ledger::Month;
use styr_domain::number::MoneyUnit;
use styr_domain::plausibility::ForecastWarning;
use styr_domain::{Id, Money, Plan, Year};
use styr_reports::kinds::ALL_SECTIONS;
use styr_reports::{
    AssignmentFollowUp, Attention, ControlPeriodResult, ForecastNote, GoalFollowUp,
    IndicatorFollowUp, MissingKind, MissingReport, PeriodReport, RecommendationState, ReportKind,
    ReportRow, ReportSection, RowKind, Section as BudgetSection,
};

/// The id of the appendix of missing reports (linked from "Kräver uppmärksamhet").
pub const MISSING_APPENDIX_ID: &str = "bilaga_ej_rapporterat";

/// Builds the document of a period report: the title and the sections are its kind's
/// ([`styr_reports::kinds`]); a period no kind is made for gets its own title and every section.
pub fn compose_period_report(plan: &Plan, report: &PeriodReport) -> Document {
    let mut document = compose_period_report_traced(plan, report);
    crate::trace::link_traces(&mut document, None);
    document
}

/// [`compose_period_report`] with each outcome inside a trace to the ledger behind it
/// (`crate::trace`).
pub fn compose_period_report_traced(plan: &Plan, report: &PeriodReport) -> Document {
    let year = report_year(report);
    let kind = ReportKind::for_period(report.period.kind);
    let (title, subtitle) = match kind {
        Some(kind) => (kind.title)(&report.period, year),
        None => (report.period.title.clone(), None),
    };
    let mut cover_lines = vec![per_date(report), plan.budget.version.name.clone()];
    if let Some(previous) = &report.previous {
        cover_lines.push(format!("Jämförs med {}", previous.title));
    }
    let preliminary = report.completeness.reason_sv();
    if let Some(reason) = &preliminary {
        cover_lines.push(format!("{PRELIMINARY}: {reason}"));
    }
    let mut sections = Vec::new();
    for section in kind.map_or(ALL_SECTIONS, |kind| kind.sections) {
        match section {
            ReportSection::Attention => sections.push(attention_section(plan, report)),
            ReportSection::Economy => sections.push(economy_section(plan, report)),
            ReportSection::Assignments => sections.push(assignments_section(report)),
            ReportSection::Goals => sections.extend(goal_sections(plan, report)),
            ReportSection::InternalControl => {
                sections.push(internal_control_section(plan, report));
            }
            ReportSection::Missing if !report.missing.is_empty() => {
                sections.push(missing_appendix(plan, &report.missing));
            }
            ReportSection::Missing => {}
        }
    }
    if preliminary.is_some() {
        mark_tables_preliminary(&mut sections);
    }
    if report.period.synthetic {
        cover_lines.push(SYNTHETIC_FOLLOWUP_NOTE.to_owned());
        mark_sections_synthetic(&mut sections);
    }
    Document {
        kind: DocumentKind::FollowUp,
        title,
        subtitle,
        municipality: plan.municipality.name.clone(),
        body: body_name(plan, &plan.document.body),
        cover_lines,
        sections,
    }
}

/// The word on the cover and in every table caption of a report whose data is not complete.
pub const PRELIMINARY: &str = "Preliminär";

/// Every section of a report of a period the package marks synthetic says so first (the
/// internal control's own note, when it has one, already does).
fn mark_sections_synthetic(sections: &mut [Section]) {
    for section in sections {
        if !matches!(section.blocks.first(), Some(Block::Synthetic(_))) {
            section
                .blocks
                .insert(0, Block::Synthetic(SYNTHETIC_FOLLOWUP_NOTE.to_owned()));
        }
    }
}

/// Every table of a preliminary report says so in its caption.
fn mark_tables_preliminary(sections: &mut [Section]) {
    fn mark(blocks: &mut [Block]) {
        for block in blocks {
            match block {
                Block::Table(table) => {
                    table.caption = format!("{} ({})", table.caption, PRELIMINARY.to_lowercase())
                }
                Block::List { items, .. } => items.iter_mut().for_each(|item| mark(item)),
                Block::Quote(inner) => mark(inner),
                _ => {}
            }
        }
    }
    for section in sections {
        mark(&mut section.blocks);
    }
}

fn report_year(report: &PeriodReport) -> Year {
    report.period.month.year()
}

/// "Per 30 april 2021", from the period's end date.
fn per_date(report: &PeriodReport) -> String {
    format!("Per {}", date_words(&report.period.end_date()))
}

/// "2021-04-30" → "30 april 2021"; anything else as it stands.
pub(crate) fn date_words(iso: &str) -> String {
    let day = iso.get(8..10).and_then(|d| d.parse::<u8>().ok());
    match (Month::of_date(iso), day) {
        (Some(month), Some(day)) if iso.len() == 10 => {
            format!("{day} {} {}", month_name(month.month()), month.year())
        }
        _ => iso.to_owned(),
    }
}

fn body_name(plan: &Plan, id: &Id) -> String {
    plan.body(id)
        .map(|b| b.name.clone())
        .unwrap_or_else(|| id.to_string())
}

fn section(id: &str, level: u8, title: impl Into<String>, blocks: Vec<Block>) -> Section {
    Section {
        id: id.to_owned(),
        level,
        title: title.into(),
        blocks,
    }
}

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph(vec![Inline::Text(text.into())])
}

fn subheading(text: &str) -> Block {
    Block::Subheading {
        level: 2,
        text: text.to_owned(),
    }
}

fn text_columns(first: &str, numeric: &[&str], text: &[&str]) -> Vec<Column> {
    let mut columns = vec![Column {
        label: first.to_owned(),
        numeric: false,
    }];
    columns.extend(numeric.iter().map(|label| Column {
        label: (*label).to_owned(),
        numeric: true,
    }));
    columns.extend(text.iter().map(|label| Column {
        label: (*label).to_owned(),
        numeric: false,
    }));
    columns
}

fn amount(money: Option<Money>) -> Cell {
    match money {
        Some(money) => Cell::text(format::tkr_whole(money)),
        None => Cell::missing(),
    }
}

fn text_or_missing(text: Option<&str>) -> Cell {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Cell::text(text),
        None => Cell::missing(),
    }
}

fn count_words(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

// ------------------------------------------------------------------ kräver uppmärksamhet

fn attention_section(plan: &Plan, report: &PeriodReport) -> Section {
    use crate::trace::EconomyColumn::{Budget, Forecast, ForecastDeviation};
    let mut blocks = Vec::new();
    if report.attention.is_empty() {
        blocks.push(paragraph(
            "Inget kräver uppmärksamhet i perioden: inget uppdrag har status Avvikelse eller Dialog behövs, ingen driftbudgetrad har en prognos med underskott eller en orimlig prognos och alla rapporter som perioden kräver är lämnade.",
        ));
        return section("uppmarksamhet", 1, "Kräver uppmärksamhet", blocks);
    }
    blocks.push(paragraph(format!(
        "Det här behöver uppmärksammas först: {}.",
        attention_summary(report)
    )));

    let assignments: Vec<Vec<Block>> = report
        .attention
        .iter()
        .filter_map(|item| match item {
            Attention::Assignment {
                label,
                status,
                comment,
                ..
            } => {
                let mut runs = vec![
                    Inline::Status(*status),
                    Inline::text(" – "),
                    Inline::Strong(vec![Inline::Text(label.clone())]),
                    Inline::LineBreak,
                ];
                match comment.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                    Some(comment) => runs.push(Inline::text(format!("Kommentar: {comment}"))),
                    None => runs.push(Inline::Strong(vec![Inline::text("Kommentar saknas")])),
                }
                Some(vec![Block::Paragraph(runs)])
            }
            _ => None,
        })
        .collect();
    if !assignments.is_empty() {
        blocks.push(subheading("Uppdrag med avvikelse eller behov av dialog"));
        blocks.push(Block::List {
            ordered: false,
            items: assignments,
        });
    }

    let deficits: Vec<&ForecastNote> = report
        .attention
        .iter()
        .filter_map(|item| match item {
            Attention::Deficit(note) => Some(note),
            _ => None,
        })
        .collect();
    if !deficits.is_empty() {
        blocks.push(subheading("Prognos med underskott"));
        let rows = deficits
            .iter()
            .map(|note| {
                let plan_cell = match note.action_plan.as_deref().map(str::trim) {
                    Some(text) if !text.is_empty() => Cell::text(text),
                    _ => Cell::runs(vec![Inline::Strong(vec![Inline::text(
                        "Åtgärdsplan saknas",
                    )])]),
                };
                Row::new(
                    RowStyle::Normal,
                    vec![
                        Cell::text(note.label.clone()),
                        attention_amount(plan, report, &note.line, Some(Budget), note.budget),
                        attention_amount(
                            plan,
                            report,
                            &note.line,
                            Some(Forecast),
                            Some(note.forecast),
                        ),
                        attention_amount(
                            plan,
                            report,
                            &note.line,
                            Some(ForecastDeviation),
                            note.deviation,
                        ),
                        plan_cell,
                    ],
                )
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "tab-uppmarksamhet-underskott".to_owned(),
            caption: format!("Driftbudgetrader med prognos över budget, {}", per_lower(report)),
            columns: text_columns(
                "Budgetrad",
                &["Budget helår", "Prognos helår", "Avvikelse"],
                &["Åtgärdsplan"],
            ),
            rows,
            note: Some(vec![Inline::text(
                "Belopp i tkr, avrundade till hela tkr. Avvikelse = budget − prognos; ett negativt belopp är ett underskott. – betyder att uppgiften saknas.",
            )]),
        }));
    }

    let deviations: Vec<Vec<Block>> = report
        .attention
        .iter()
        .filter_map(|item| match item {
            Attention::Deviation(block) => Some(vec![Block::Paragraph(vec![
                Inline::Strong(vec![Inline::Text(block.label.clone())]),
                Inline::Text(format!(
                    ": {} tkr, {} (prognos {} tkr mot budget {} tkr).",
                    signed_tkr(block.deviation),
                    block.words_sv(),
                    format::tkr_whole(block.forecast),
                    format::tkr_whole(block.budget)
                )),
            ])]),
            _ => None,
        })
        .collect();
    if !deviations.is_empty() {
        blocks.push(subheading("Stora avvikelser mot budget"));
        blocks.push(Block::List {
            ordered: false,
            items: deviations,
        });
    }

    let implausible: Vec<&ForecastNote> = report
        .attention
        .iter()
        .filter_map(|item| match item {
            Attention::Implausible(note) => Some(note),
            _ => None,
        })
        .collect();
    if !implausible.is_empty() {
        blocks.push(subheading("Prognoser som behöver kontrolleras"));
        let rows = implausible
            .iter()
            .map(|note| {
                let why = note
                    .warnings
                    .iter()
                    .map(ForecastWarning::message_sv)
                    .collect::<Vec<_>>()
                    .join("; ");
                Row::new(
                    RowStyle::Normal,
                    vec![
                        Cell::text(note.label.clone()),
                        attention_amount(plan, report, &note.line, Some(Budget), note.budget),
                        attention_amount(plan, report, &note.line, None, note.booked),
                        attention_amount(
                            plan,
                            report,
                            &note.line,
                            Some(Forecast),
                            Some(note.forecast),
                        ),
                        Cell::text(why),
                    ],
                )
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "tab-uppmarksamhet-rimlighet".to_owned(),
            caption: format!(
                "Driftbudgetrader vars prognos inte är rimlig, {}",
                per_lower(report)
            ),
            columns: text_columns(
                "Budgetrad",
                &["Budget helår", "Bokfört hittills", "Prognos helår"],
                &["Varför"],
            ),
            rows,
            note: Some(vec![Inline::text(
                "Belopp i tkr, avrundade till hela tkr. En prognos för helåret som är lägre än det som redan är bokfört, eller som ligger mer än hälften av budgeten och mer än 1 000 tkr från den, behöver kontrolleras innan den används.",
            )]),
        }));
    }

    let missing: Vec<&MissingReport> = report
        .attention
        .iter()
        .filter_map(|item| match item {
            Attention::Missing(missing) => Some(missing),
            _ => None,
        })
        .collect();
    if !missing.is_empty() {
        blocks.push(subheading("Ej rapporterat"));
        let items = group_by_body(&missing)
            .into_iter()
            .map(|(body, reports)| {
                vec![Block::Paragraph(vec![
                    Inline::Strong(vec![Inline::Text(body_name(plan, body))]),
                    Inline::Text(format!(": {}.", missing_counts(&reports))),
                ])]
            })
            .collect();
        blocks.push(Block::List {
            ordered: false,
            items,
        });
        blocks.push(Block::Paragraph(vec![
            Inline::text("Varje rapport som saknas står i "),
            Inline::Link {
                url: format!("#{MISSING_APPENDIX_ID}"),
                content: vec![Inline::text("bilagan Ej rapporterat")],
            },
            Inline::text("."),
        ]));
    }
    section("uppmarksamhet", 1, "Kräver uppmärksamhet", blocks)
}

/// A deviation with its sign always shown: "+46 271", "−1 509".
fn signed_tkr(amount: Money) -> String {
    let text = format::tkr_whole(amount);
    if amount > Money::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

/// "per 30 april 2021".
pub(crate) fn per_lower(report: &PeriodReport) -> String {
    format!("per {}", date_words(&report.period.end_date()))
}

/// "2 uppdrag med avvikelse eller dialog, 1 rad med underskott och 5 rapporter som saknas".
fn attention_summary(report: &PeriodReport) -> String {
    let (mut assignments, mut deficits, mut missing, mut implausible, mut blocks) = (0, 0, 0, 0, 0);
    for item in &report.attention {
        match item {
            Attention::Assignment { .. } => assignments += 1,
            Attention::Deficit(_) => deficits += 1,
            Attention::Missing(_) => missing += 1,
            Attention::Implausible(_) => implausible += 1,
            Attention::Deviation(_) => blocks += 1,
        }
    }
    let mut parts = Vec::new();
    if assignments > 0 {
        parts.push(format!(
            "{assignments} uppdrag med avvikelse eller behov av dialog"
        ));
    }
    if deficits > 0 {
        parts.push(count_words(
            deficits,
            "driftbudgetrad med prognos över budget",
            "driftbudgetrader med prognos över budget",
        ));
    }
    if blocks > 0 {
        parts.push(count_words(
            blocks,
            "block med stor avvikelse mot budget",
            "block med stor avvikelse mot budget",
        ));
    }
    if implausible > 0 {
        parts.push(count_words(
            implausible,
            "prognos som behöver kontrolleras",
            "prognoser som behöver kontrolleras",
        ));
    }
    if missing > 0 {
        parts.push(count_words(
            missing,
            "rapport som saknas",
            "rapporter som saknas",
        ));
    }
    join_and(&parts)
}

/// "a", "a och b", "a, b och c".
fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

/// Missing reports grouped by the body that should make them, in the order they come (the
/// report value sorts them by body).
fn group_by_body<'a>(missing: &[&'a MissingReport]) -> Vec<(&'a Id, Vec<&'a MissingReport>)> {
    let mut groups: Vec<(&Id, Vec<&MissingReport>)> = Vec::new();
    for report in missing {
        match groups.iter_mut().find(|(body, _)| *body == &report.body) {
            Some((_, list)) => list.push(report),
            None => groups.push((&report.body, vec![report])),
        }
    }
    groups
}

/// "status för 3 uppdrag, 1 målbedömning".
fn missing_counts(reports: &[&MissingReport]) -> String {
    let count = |kind: MissingKind| reports.iter().filter(|r| r.what == kind).count();
    let mut parts = Vec::new();
    let statuses = count(MissingKind::Status);
    if statuses > 0 {
        parts.push(format!("status för {statuses} uppdrag"));
    }
    let assessments = count(MissingKind::Assessment);
    if assessments > 0 {
        parts.push(count_words(assessments, "målbedömning", "målbedömningar"));
    }
    let outcomes = count(MissingKind::Outcome);
    if outcomes > 0 {
        parts.push(format!(
            "utfall för {}",
            count_words(outcomes, "indikator", "indikatorer")
        ));
    }
    let forecasts = count(MissingKind::Forecast);
    if forecasts > 0 {
        parts.push(format!(
            "prognos för {}",
            count_words(forecasts, "budgetrad", "budgetrader")
        ));
    }
    let actions = count(MissingKind::AuditAction);
    if actions > 0 {
        parts.push(format!(
            "lägesrapport för {}",
            count_words(actions, "åtgärd", "åtgärder")
        ));
    }
    let controls = count(MissingKind::Control);
    if controls > 0 {
        parts.push(format!(
            "resultat för {}",
            count_words(controls, "kontroll", "kontroller")
        ));
    }
    join_and(&parts)
}

// ------------------------------------------------------------------ ekonomi

fn economy_section(plan: &Plan, report: &PeriodReport) -> Section {
    // The tables' figures as printed: whole tkr that add up.
    let economy = &report.economy.in_whole(MoneyUnit::Tkr);
    let completeness = &report.completeness;
    let months = if completeness.uncovered_months.is_empty() {
        format!("{} av årets 12 månader", economy.months)
    } else {
        match completeness.covered_sv() {
            covered if covered.is_empty() => format!(
                "{} av årets 12 månader, men huvudboken har inga bokningar för dem",
                economy.months
            ),
            covered => format!(
                "{} av årets 12 månader, men huvudboken har bokningar bara för {covered}",
                economy.months
            ),
        }
    };
    let mut blocks = vec![paragraph(format!(
        "Budget och utfall {} ({months}), med prognos för helåret {}.",
        per_lower(report),
        economy.year
    ))];
    if let Some(reason) = completeness.reason_sv() {
        blocks.push(Block::Notice(vec![Inline::Text(format!(
            "{PRELIMINARY}: {reason} Siffrorna är inte ett fullständigt utfall för perioden."
        ))]));
    }
    for (budget_section, id, caption) in [
        (
            BudgetSection::Operating,
            "tab-ekonomi-drift",
            "Driftredovisning",
        ),
        (
            BudgetSection::Investment,
            "tab-ekonomi-investeringar",
            "Investeringsredovisning",
        ),
    ] {
        let rows: Vec<Row> = economy
            .rows
            .iter()
            .filter(|row| row.section == budget_section)
            .map(|row| traced_economy_row(plan, report, row))
            .collect();
        if rows.is_empty() {
            continue;
        }
        blocks.push(Block::Table(Table {
            id: id.to_owned(),
            caption: format!("{caption} {}", per_lower(report)),
            columns: text_columns(
                "Post",
                &[
                    "Budget år",
                    "Budget ack",
                    "Utfall ack",
                    "Avvikelse",
                    "Prognos helår",
                    "Avvikelse prognos",
                ],
                &[],
            ),
            rows,
            note: Some(vec![Inline::text(ECONOMY_NOTE)]),
        }));
    }
    let (rows, sum) = economy.unmapped_total();
    if rows > 0 {
        blocks.push(Block::Notice(vec![Inline::Text(format!(
            "{} i huvudboken, sammanlagt {} tkr, kan inte knytas till någon budgetrad och ingår inte i tabellerna.",
            count_words(usize::try_from(rows).unwrap_or(usize::MAX), "rad", "rader"),
            format::tkr_whole(sum)
        ))]));
    }

    blocks.push(subheading("Förklaringar till prognoserna"));
    let explained: Vec<&ForecastNote> = report
        .forecasts
        .iter()
        .filter(|note| {
            note.comment
                .as_deref()
                .is_some_and(|comment| !comment.trim().is_empty())
        })
        .collect();
    if explained.is_empty() {
        blocks.push(paragraph(if report.forecasts.is_empty() {
            "Ingen prognos har lämnats för perioden."
        } else {
            "Ingen förklaring har lämnats till prognoserna."
        }));
    } else {
        blocks.push(Block::List {
            ordered: false,
            items: explained
                .iter()
                .map(|note| {
                    let budget = note.budget.map_or_else(
                        || "budget saknas".to_owned(),
                        |b| format!("budget {} tkr", format::tkr_whole(b)),
                    );
                    let mut runs = vec![
                        Inline::Strong(vec![Inline::Text(note.label.clone())]),
                        Inline::Text(format!(
                            " (prognos {} tkr, {budget}): {}",
                            format::tkr_whole(note.forecast),
                            note.comment.as_deref().unwrap_or_default().trim()
                        )),
                    ];
                    if let Some(action_plan) = note
                        .action_plan
                        .as_deref()
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                    {
                        runs.push(Inline::LineBreak);
                        runs.push(Inline::Text(format!("Åtgärdsplan: {action_plan}")));
                    }
                    vec![Block::Paragraph(runs)]
                })
                .collect(),
        });
    }
    section("ekonomi", 1, "Ekonomi", blocks)
}

/// The note under the economy tables.
pub const ECONOMY_NOTE: &str = "Belopp i tkr. Varje rads belopp är avrundat till hela tkr, och summor, avvikelser och beräknade prognoser är räknade på de avrundade beloppen, så att tabellen summerar som den står. Avvikelse = budget ack − utfall ack (en rad utan bokningar har utfall 0) och avvikelse prognos = budget år − prognos: ett positivt belopp är ett överskott, ett negativt ett underskott. Prognos helår är den prognos som lämnats för raden; * betyder att ingen prognos är lämnad och att prognosen är beräknad som utfall ack plus budgeten för resten av året. En summas prognos och avvikelse prognos är summorna av radernas; * på en summa betyder att minst en av radernas prognoser är beräknad. Varav-rader är radens utfall per enhet, fördelat i hela tkr så att de summerar till raden. – betyder att uppgiften saknas.";

/// The mark of a computed forecast (and of a total containing one).
pub const COMPUTED_FORECAST_MARK: &str = "*";

/// [`economy_row`] with each amount traced (`crate::trace`): the outcome to date to the ledger
/// behind it (a line's, or a unit's, to its accounts × units; a total's to the rows it sums),
/// the other columns to how they are made ([`crate::trace::economy_figure`]).
fn traced_economy_row(plan: &Plan, report: &PeriodReport, row: &ReportRow) -> Row {
    use crate::trace::{
        EconomyColumn, EconomyRow, OutcomeSum, economy_figure, outcome_line, outcome_sum,
    };
    let mut out = economy_row(row);
    let (version, period) = (&plan.budget.version.id, report.period.month);
    let economy_row = match (row.kind, &row.line, &row.table) {
        (RowKind::Line | RowKind::Project, Some(line), _) => Some(EconomyRow::Line(line.clone())),
        (RowKind::TableTotal, _, Some(table)) => {
            Some(EconomyRow::Sum(OutcomeSum::Table(table.clone())))
        }
        (RowKind::OperatingTotal, _, _) => Some(EconomyRow::Sum(OutcomeSum::Operating)),
        (RowKind::InvestmentTotal, _, _) => Some(EconomyRow::Sum(OutcomeSum::Investment)),
        _ => None,
    };
    let path = match (&economy_row, row.kind, &row.line) {
        (Some(EconomyRow::Line(line)), _, _) => Some(outcome_line(version, period, line, None)),
        (Some(EconomyRow::Sum(sum)), _, _) => Some(outcome_sum(version, period, sum)),
        (None, RowKind::Unit, Some(line)) => row
            .unit
            .as_ref()
            .map(|unit| outcome_line(version, period, line, Some(unit))),
        _ => None,
    };
    if let (Some(path), Some(cell)) = (path, out.cells.get_mut(OUTCOME_COLUMN)) {
        *cell = crate::trace::wrap_cell(cell.clone(), path);
    }
    if let Some(economy_row) = economy_row {
        for (index, column) in [
            (1, EconomyColumn::Budget),
            (2, EconomyColumn::BudgetToDate),
            (4, EconomyColumn::Deviation),
            (5, EconomyColumn::Forecast),
            (6, EconomyColumn::ForecastDeviation),
        ] {
            if let Some(cell) = out.cells.get_mut(index) {
                let path = economy_figure(version, period, column, &economy_row);
                *cell = trace_first_run(cell.clone(), path);
            }
        }
    }
    out
}

/// A cell whose first run (the figure) is traced to `path`; what follows it (a computed
/// forecast's mark) stays outside the trace.
fn trace_first_run(cell: Cell, path: String) -> Cell {
    if cell.missing || cell.content.len() < 2 {
        return crate::trace::wrap_cell(cell, path);
    }
    let mut content = cell.content;
    let rest = content.split_off(1);
    let mut traced = crate::trace::wrap(content, path);
    traced.extend(rest);
    Cell {
        content: traced,
        missing: false,
    }
}

/// A budget line's figure of a period's economy in a table of "Kräver uppmärksamhet": traced
/// as the same figure of the economy table is.
fn attention_amount(
    plan: &Plan,
    report: &PeriodReport,
    line: &styr_domain::ledger::BudgetLineRef,
    column: Option<crate::trace::EconomyColumn>,
    money: Option<Money>,
) -> Cell {
    let (version, period) = (&plan.budget.version.id, report.period.month);
    let path = match column {
        Some(column) => crate::trace::economy_figure(
            version,
            period,
            column,
            &crate::trace::EconomyRow::Line(line.clone()),
        ),
        None => crate::trace::outcome_line(version, period, line, None),
    };
    crate::trace::wrap_cell(amount(money), path)
}

/// The column of an economy row that holds the outcome to date.
const OUTCOME_COLUMN: usize = 3;

pub(crate) fn economy_row(row: &ReportRow) -> Row {
    let style = match row.kind {
        RowKind::Line | RowKind::Project => RowStyle::Normal,
        RowKind::Unit => RowStyle::Part,
        RowKind::TableTotal | RowKind::OperatingTotal | RowKind::InvestmentTotal => RowStyle::Total,
    };
    let label = match row.kind {
        RowKind::Unit => format!("varav {}", row.label),
        _ => row.label.clone(),
    };
    let budget = row.cell.budget();
    let forecast = match (row.forecast, row.forecast_computed) {
        (Some((_, money)), true) => Cell::runs(vec![
            Inline::Text(format::tkr_whole(money)),
            Inline::Text(format!(" {COMPUTED_FORECAST_MARK}")),
        ]),
        (forecast, _) => amount(forecast.map(|(_, money)| money)),
    };
    Row::new(
        style,
        vec![
            Cell::text(label),
            amount(budget.map(|b| b.annual)),
            amount(budget.map(|b| b.to_date)),
            amount(row.cell.actual().map(|a| a.to_date)),
            amount(row.cell.comparison().map(|c| c.deviation)),
            forecast,
            amount(row.forecast_deviation),
        ],
    )
}

// ------------------------------------------------------------------ uppdrag

fn assignments_section(report: &PeriodReport) -> Section {
    let assignments = &report.assignments;
    let mut blocks = Vec::new();
    if assignments.is_empty() {
        blocks.push(paragraph("Inga uppdrag följs upp i perioden."));
        return section("uppdrag", 1, "Uppdrag", blocks);
    }
    let unreported = assignments.iter().filter(|a| a.status.is_none()).count();
    let changed = assignments.iter().filter(|a| a.changed()).count();
    let mut summary = format!(
        "{} följs upp {}.",
        count_words(assignments.len(), "uppdrag", "uppdrag"),
        per_lower(report)
    );
    if let Some(previous) = &report.previous {
        summary.push_str(&format!(
            " {} har ändrad status sedan {}.",
            count_words(changed, "uppdrag", "uppdrag"),
            previous.title
        ));
    }
    if unreported > 0 {
        summary.push_str(&format!(
            " För {} har ingen status rapporterats.",
            count_words(unreported, "uppdrag", "uppdrag")
        ));
    }
    blocks.push(paragraph(summary));

    let mut count_rows: Vec<Row> = report
        .status_counts()
        .into_iter()
        .map(|(status, count)| {
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::runs(vec![Inline::Status(status)]),
                    Cell::text(count.to_string()),
                ],
            )
        })
        .collect();
    if unreported > 0 {
        count_rows.push(Row::new(
            RowStyle::Normal,
            vec![
                Cell::text("Ej rapporterat"),
                Cell::text(unreported.to_string()),
            ],
        ));
    }
    count_rows.push(Row::new(
        RowStyle::Total,
        vec![
            Cell::text("Summa"),
            Cell::text(assignments.len().to_string()),
        ],
    ));
    blocks.push(Block::Table(Table {
        id: "tab-uppdrag-antal".to_owned(),
        caption: format!("Antal uppdrag per status {}", per_lower(report)),
        columns: text_columns("Status", &["Antal"], &[]),
        rows: count_rows,
        note: Some(vec![Inline::text(
            "Antalen är räknade från de rapporter som lämnats; uppdrag som rapporterades färdiga i en tidigare period är inte med.",
        )]),
    }));
    blocks.push(Block::StatusLegend(reportable_statuses()));

    let rows = assignments.iter().map(assignment_row).collect();
    let compared = match &report.previous {
        Some(previous) => format!(", jämfört med {}", previous.title),
        None => ", ingen tidigare rapport i år".to_owned(),
    };
    blocks.push(Block::Table(Table {
        id: "tab-uppdrag".to_owned(),
        caption: format!("Uppdrag – status {}{compared}", per_lower(report)),
        columns: text_columns(
            "Uppdrag",
            &[],
            &["Status", "Föregående", "Ändrad", "Kommentar"],
        ),
        rows,
        note: Some(vec![Inline::text(
            "Föregående = status i föregående delårsrapport eller årsredovisning. – betyder att uppgiften saknas.",
        )]),
    }));
    section("uppdrag", 1, "Uppdrag", blocks)
}

fn assignment_row(assignment: &AssignmentFollowUp) -> Row {
    let mut first = Vec::new();
    if let Some(code) = &assignment.code {
        first.push(Inline::Strong(vec![Inline::Text(code.clone())]));
        first.push(Inline::text(" "));
    }
    first.push(Inline::Text(assignment.title.clone()));
    let status = match assignment.status {
        Some(status) => Cell::runs(vec![Inline::Status(status)]),
        None => Cell::runs(vec![Inline::Strong(vec![Inline::text("Ej rapporterat")])]),
    };
    let previous = match assignment.previous {
        Some(status) => Cell::runs(vec![Inline::Status(status)]),
        None => Cell::missing(),
    };
    let changed = match (assignment.status, assignment.previous) {
        _ if assignment.changed() => Cell::runs(vec![Inline::Strong(vec![Inline::text("ändrad")])]),
        (Some(_), Some(_)) => Cell::text("oförändrad"),
        _ => Cell::missing(),
    };
    Row::new(
        RowStyle::Normal,
        vec![
            Cell::runs(first),
            status,
            previous,
            changed,
            text_or_missing(assignment.comment.as_deref()),
        ],
    )
}

// ------------------------------------------------------------------ mål och indikatorer

fn goal_sections(plan: &Plan, report: &PeriodReport) -> Vec<Section> {
    let mut sections = vec![section(
        "mal_och_indikatorer",
        1,
        "Mål och indikatorer",
        vec![paragraph(
            "För varje mål står först den bedömning som lämnats, med motivering. Under den står ett förslag utifrån indikatorerna, beräknat av styr från indikatorernas utfall mot målvärdena; förslaget ersätter aldrig bedömningen.",
        )],
    )];
    for goal in &report.goals {
        let number = plan
            .goals
            .iter()
            .find(|g| g.id == goal.goal)
            .map(|g| g.number);
        let title = match number {
            Some(number) => format!("Mål {number}: {}", goal.title),
            None => goal.title.clone(),
        };
        let indicators: Vec<&IndicatorFollowUp> = report
            .indicators
            .iter()
            .filter(|i| i.goal == goal.goal)
            .collect();
        let mut blocks = assessment_blocks(goal, &indicators);
        if indicators.is_empty() {
            blocks.push(paragraph("Målet har inga indikatorer."));
        } else {
            blocks.push(indicator_table(plan, report, goal, number, &indicators));
            for indicator in &indicators {
                blocks.extend(indicator_chart(plan, report, indicator));
            }
        }
        sections.push(section(&format!("mal_{}", goal.goal), 2, title, blocks));
    }
    sections
}

fn assessment_blocks(goal: &GoalFollowUp, indicators: &[&IndicatorFollowUp]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut assessment = vec![Inline::Strong(vec![Inline::text("Bedömning: ")])];
    match goal.assessment {
        Some(value) => assessment.push(Inline::text(value.label_sv())),
        None => assessment.push(Inline::Strong(vec![Inline::text("ingen bedömning lämnad")])),
    }
    blocks.push(Block::Paragraph(assessment));
    if let Some(motivation) = goal
        .motivation
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        blocks.push(Block::Paragraph(vec![
            Inline::Strong(vec![Inline::text("Motivering: ")]),
            Inline::text(motivation),
        ]));
    }
    let judged: Vec<TargetStatus> = indicators
        .iter()
        .filter_map(|i| i.trend.map(|t| t.status))
        .filter(|s| *s != TargetStatus::NoTarget)
        .collect();
    let on_track = judged
        .iter()
        .filter(|s| **s == TargetStatus::OnTrack)
        .count();
    let basis = if judged.is_empty() {
        "ingen indikator har både utfall och målvärde".to_owned()
    } else {
        format!(
            "{on_track} av {} når målvärdet",
            count_words(judged.len(), "bedömbar indikator", "bedömbara indikatorer")
        )
    };
    // A paragraph of its own, in italics and labelled: beside the assessment, never in its place.
    blocks.push(Block::Paragraph(vec![Inline::Emph(vec![Inline::Text(
        format!(
            "Förslag utifrån indikatorerna: {} ({basis}). Förslaget är beräknat av styr och ersätter inte bedömningen.",
            goal.suggestion.label_sv()
        ),
    )])]));
    blocks
}

fn unit_suffix(unit: Option<&str>) -> String {
    match unit {
        Some("%") => "\u{a0}%".to_owned(),
        _ => String::new(),
    }
}

fn indicator_table(
    plan: &Plan,
    report: &PeriodReport,
    goal: &GoalFollowUp,
    number: Option<u32>,
    indicators: &[&IndicatorFollowUp],
) -> Block {
    let year = report_year(report);
    let rows = indicators
        .iter()
        .map(|indicator| {
            let suffix = unit_suffix(indicator.unit.as_deref());
            let value = |v: Decimal| format!("{}{suffix}", format::decimal_as_written(v));
            let mut name = vec![Inline::Text(indicator.name.clone())];
            let mut about = Vec::new();
            if let Some(date) = &indicator.measured_on {
                about.push(format!("Mätt {}.", date_words(date)));
            }
            if let Some(source) = indicator.source.as_deref().filter(|s| !s.trim().is_empty()) {
                about.push(format!("Källa: {}.", source.trim()));
            }
            if let Some(comment) = indicator
                .comment
                .as_deref()
                .filter(|c| !c.trim().is_empty())
            {
                about.push(format!("Kommentar: {}", comment.trim()));
            }
            if !about.is_empty() {
                name.push(Inline::Note(vec![Inline::Text(about.join(" "))]));
            }
            let target = indicator
                .trend
                .and_then(|t| t.target)
                .or_else(|| target_of(plan, &indicator.indicator, year));
            let change = match indicator.trend.and_then(|t| t.change) {
                Some(change) => {
                    let way = match indicator.trend.and_then(|t| t.improving) {
                        Some(true) => " (bättre)",
                        Some(false) => " (sämre)",
                        None if change.is_zero() => " (oförändrat)",
                        None => "",
                    };
                    Cell::text(format!("{}{suffix}{way}", format::signed(change)))
                }
                None => Cell::missing(),
            };
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::runs(name),
                    text_or_missing(indicator.unit.as_deref()),
                    indicator
                        .outcome
                        .map_or_else(Cell::missing, |v| Cell::text(value(v))),
                    target.map_or_else(Cell::missing, |v| Cell::text(value(v))),
                    change,
                    indicator
                        .trend
                        .map_or_else(Cell::missing, |t| Cell::text(t.status.label_sv())),
                ],
            )
        })
        .collect();
    let caption = match number {
        Some(number) => format!("Indikatorer för mål {number} {}", per_lower(report)),
        None => format!("Indikatorer för {} {}", goal.title, per_lower(report)),
    };
    Block::Table(Table {
        id: format!("tab-uppf-indikatorer-{}", goal.goal),
        caption,
        columns: text_columns(
            "Indikator",
            &[],
            &[
                "Enhet",
                "Utfall",
                &format!("Mål {year}"),
                "Förändring",
                "Mot målvärdet",
            ],
        )
        .into_iter()
        .enumerate()
        .map(|(index, mut column)| {
            column.numeric = matches!(index, 2 | 3);
            column
        })
        .collect(),
        rows,
        note: Some(vec![Inline::text(
            "Utfall = det senaste utfallet i år. Förändring = mot föregående utfall; bättre eller sämre enligt indikatorns riktning. Mot målvärdet är bedömt enligt indikatorns riktning. – betyder att uppgiften saknas.",
        )]),
    })
}

/// A label of the x axis for a history entry: "2019" stays, "2021-04" → "april 2021".
fn point_label(text: &str) -> String {
    match Month::parse(text) {
        Some(month) => month_label(month),
        None => text.to_owned(),
    }
}

/// "april 2021".
fn month_label(month: Month) -> String {
    format!("{} {}", month_name(month.month()), month.year())
}

/// The series of an indicator's chart in a period's report: the earlier years (every year
/// between the first and this one; a year without an outcome is a gap), this year's earlier
/// reports, and the outcome now, with the targets. `None` when there is nothing to draw. The
/// report document and the web application draw the same series.
pub fn indicator_series(
    plan: &Plan,
    report: &PeriodReport,
    indicator: &IndicatorFollowUp,
) -> Option<FollowUpSeries> {
    if indicator.history.is_empty() && indicator.outcome.is_none() {
        return None;
    }
    let year = report_year(report);
    // Earlier years on the axis, every year between the first and this one (a year without an
    // outcome is a gap); then this year's earlier reports; then the outcome now.
    let earlier_years: Vec<(Year, Decimal)> = indicator
        .history
        .iter()
        .filter_map(|(label, value)| {
            label
                .parse::<Year>()
                .ok()
                .filter(|_| label.len() == 4)
                .map(|y| (y, *value))
        })
        .collect();
    let mut points: Vec<String> = Vec::new();
    let mut outcomes: Vec<(usize, Decimal)> = Vec::new();
    let mut targets: Vec<(usize, Decimal)> = Vec::new();
    if let Some(first) = earlier_years.iter().map(|(y, _)| *y).min() {
        for y in first..year {
            let index = points.len();
            points.push(y.to_string());
            if let Some((_, value)) = earlier_years.iter().find(|(other, _)| *other == y) {
                outcomes.push((index, *value));
            }
            if let Some(target) = target_of(plan, &indicator.indicator, y) {
                targets.push((index, target));
            }
        }
    }
    for (label, value) in &indicator.history {
        if earlier_years.iter().any(|(y, _)| y.to_string() == *label) {
            continue;
        }
        outcomes.push((points.len(), *value));
        points.push(point_label(label));
    }
    let now = points.len();
    points.push(match report.period.kind {
        PeriodKind::Annual => year.to_string(),
        _ => month_label(report.period.month),
    });
    if let Some(outcome) = indicator.outcome {
        outcomes.push((now, outcome));
    }
    let target = indicator
        .trend
        .and_then(|t| t.target)
        .or_else(|| target_of(plan, &indicator.indicator, year));
    if let Some(target) = target {
        targets.push((now, target));
    }
    let direction: Option<Direction> = plan
        .indicators
        .iter()
        .find(|i| i.id == indicator.indicator)
        .and_then(|i| i.direction);
    Some(FollowUpSeries {
        id: format!("uppf-{}", indicator.indicator),
        title: indicator.name.clone(),
        unit: indicator.unit.clone().unwrap_or_default(),
        direction,
        points,
        outcomes,
        targets,
    })
}

fn indicator_chart(
    plan: &Plan,
    report: &PeriodReport,
    indicator: &IndicatorFollowUp,
) -> Option<Block> {
    let series = indicator_series(plan, report, indicator)?;
    let suffix = unit_suffix(indicator.unit.as_deref());
    let value_at = |values: &[(usize, Decimal)], index: usize| match values
        .iter()
        .find(|(i, _)| *i == index)
    {
        Some((_, value)) => Cell::text(format!("{}{suffix}", format::decimal_as_written(*value))),
        None => Cell::missing(),
    };
    let data_rows = series
        .points
        .iter()
        .enumerate()
        .map(|(index, label)| {
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::text(label.clone()),
                    value_at(&series.outcomes, index),
                    value_at(&series.targets, index),
                ],
            )
        })
        .collect();
    Some(Block::Chart(Chart {
        id: series.id.clone(),
        title: format!("{} – utfall över tid och mål", indicator.name),
        description: chart::describe_follow_up(&series),
        svg: chart::follow_up_chart(&series),
        data: Table {
            id: format!("{}-data", series.id),
            caption: format!("Data: {}", indicator.name),
            columns: text_columns("Tidpunkt", &["Utfall", "Mål"], &[]),
            rows: data_rows,
            note: None,
        },
    }))
}

// ------------------------------------------------------------------ bilaga

/// Where a missing report's subject stands in the plan, so the appendix lists them as the
/// plan does (assignments, then goals, then indicators, then controls).
fn plan_position(plan: &Plan, report: &MissingReport) -> (MissingKind, usize) {
    let position = match report.what {
        MissingKind::Status => plan
            .assignments
            .iter()
            .position(|a| a.id.as_str() == report.subject),
        MissingKind::Assessment => plan
            .goals
            .iter()
            .position(|g| g.id.as_str() == report.subject),
        MissingKind::Outcome => plan
            .indicators
            .iter()
            .position(|i| i.id.as_str() == report.subject),
        // The forecasts in the order the domain's rule lists the budget lines.
        MissingKind::Forecast => None,
        MissingKind::Control => plan
            .control
            .controls
            .iter()
            .position(|c| c.id.as_str() == report.subject),
        MissingKind::AuditAction => plan
            .control
            .actions()
            .position(|(_, _, a)| a.id.as_str() == report.subject),
    };
    (report.what, position.unwrap_or(usize::MAX))
}

fn missing_appendix(plan: &Plan, missing: &[MissingReport]) -> Section {
    let mut all: Vec<&MissingReport> = missing.iter().collect();
    // Grouped by body in the report's order, each group in the plan's order.
    all.sort_by_key(|report| (&report.body, plan_position(plan, report)));
    let mut blocks = vec![paragraph(format!(
        "{} som perioden kräver har inte lämnats. De står här per organ som ska lämna dem.",
        count_words(missing.len(), "rapport", "rapporter")
    ))];
    for (index, (body, reports)) in group_by_body(&all).into_iter().enumerate() {
        let name = body_name(plan, body);
        let rows = reports
            .iter()
            .map(|report| {
                Row::new(
                    RowStyle::Normal,
                    vec![
                        Cell::text(report.label.clone()),
                        Cell::text(report.what.label_sv()),
                    ],
                )
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: format!("tab-ej-rapporterat-{}", index + 1),
            caption: format!("Ej rapporterat: {name} ({})", missing_counts(&reports)),
            columns: text_columns("Avser", &[], &["Saknas"]),
            rows,
            note: None,
        }));
    }
    section(MISSING_APPENDIX_ID, 1, "Bilaga: Ej rapporterat", blocks)
}

// ------------------------------------------------------------------ intern kontroll

/// The internal control as of the period: each control's result in the periods up to this one
/// (a period nobody reported says so), the risk matrix of the year, and the open audit
/// recommendations with their actions, overdue ones flagged.
fn internal_control_section(plan: &Plan, report: &PeriodReport) -> Section {
    let control = &report.internal_control;
    let mut blocks = Vec::new();
    if control.synthetic {
        blocks.push(Block::Synthetic(
            styr_domain::control::SYNTHETIC_NOTE.to_owned(),
        ));
    }
    let rows: Vec<&ControlPeriodResult> = control.controls_until(report.period.month).collect();
    if rows.is_empty() {
        blocks.push(paragraph(format!(
            "Den interna kontrollplanen {} har ingen kontroll som rapporteras {}.",
            control.year,
            per_lower(report)
        )));
    } else {
        let unreported = rows.iter().filter(|r| r.result.is_none()).count();
        let deficient = rows
            .iter()
            .filter(|r| {
                r.reported()
                    .is_some_and(|c| c.result != ControlResult::NoRemarks)
            })
            .count();
        let mut summary = format!(
            "{} ur den interna kontrollplanen {} ska ha rapporterats {}; {} med brister eller ej genomförda.",
            count_words(rows.len(), "kontrollresultat", "kontrollresultat"),
            control.year,
            per_lower(report),
            deficient
        );
        if unreported > 0 {
            summary.push_str(&format!(" {unreported} är inte rapporterade."));
        }
        blocks.push(paragraph(summary));
        let table_rows = rows
            .iter()
            .map(|row| {
                let (result, light, finding, action, by) = match row.reported() {
                    Some(control) => (
                        Cell::text(control.result.label_sv()),
                        Cell::text(control.light.label_sv()),
                        text_or_missing(control.finding),
                        text_or_missing(control.action),
                        Cell::text(format!("{}, {}", control.reported_by, control.reported_on)),
                    ),
                    None => (
                        Cell::text("Ej rapporterat"),
                        Cell::missing(),
                        Cell::missing(),
                        Cell::missing(),
                        Cell::missing(),
                    ),
                };
                Row::new(
                    RowStyle::Normal,
                    vec![
                        Cell::text(row.control.title.clone()),
                        Cell::text(row.period.to_string()),
                        result,
                        light,
                        finding,
                        action,
                        by,
                    ],
                )
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "tab-kontroll-resultat".to_owned(),
            caption: format!("Kontrollresultat {}", per_lower(report)),
            columns: text_columns(
                "Kontroll",
                &[],
                &[
                    "Period",
                    "Resultat",
                    "Trafikljus",
                    "Iakttagelse",
                    "Åtgärd",
                    "Rapporterat",
                ],
            ),
            rows: table_rows,
            note: Some(vec![Inline::text(
                "Trafikljuset anges i ord: grön, gul eller röd. – betyder att uppgiften saknas.",
            )]),
        }));
    }
    blocks.push(subheading("Riskmatris"));
    blocks.extend(crate::compose::risk_blocks(
        plan,
        "tab-kontroll-risker",
        control.year,
    ));
    blocks.push(subheading("Revisionens rekommendationer"));
    let open: Vec<&RecommendationState> = control.open_recommendations().collect();
    let overdue = open.iter().filter(|r| r.overdue).count();
    blocks.push(paragraph(format!(
        "{} av {} är öppna {}; {} har en åtgärd vars sista dag har passerat.",
        count_words(open.len(), "rekommendation", "rekommendationer"),
        control.recommendations.len(),
        per_lower(report),
        overdue
    )));
    if !open.is_empty() {
        let rows = open
            .iter()
            .flat_map(|state| {
                let case = state
                    .audit
                    .case
                    .as_ref()
                    .map_or_else(String::new, |c| format!(" ({c})"));
                let recommendation =
                    format!("{}{case}: {}", state.audit.title, state.recommendation.text);
                if state.actions.is_empty() {
                    return vec![Row::new(
                        RowStyle::Normal,
                        vec![
                            Cell::text(recommendation),
                            Cell::text("Ingen åtgärd beslutad"),
                            Cell::missing(),
                            Cell::missing(),
                            Cell::missing(),
                        ],
                    )];
                }
                state
                    .actions
                    .iter()
                    .map(|action| {
                        let owner = action
                            .action
                            .owner
                            .as_ref()
                            .and_then(|o| plan.units.iter().find(|u| &u.id == o))
                            .map(|u| u.name.as_str());
                        let status = if action.overdue {
                            format!("{} – försenad", action.status.label_sv())
                        } else {
                            action.status.label_sv().to_owned()
                        };
                        Row::new(
                            RowStyle::Normal,
                            vec![
                                Cell::text(recommendation.clone()),
                                Cell::text(action.action.text.clone()),
                                text_or_missing(owner),
                                text_or_missing(action.action.due.as_deref()),
                                Cell::text(status),
                            ],
                        )
                    })
                    .collect()
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: "tab-kontroll-rekommendationer".to_owned(),
            caption: format!("Öppna rekommendationer {}", per_lower(report)),
            columns: text_columns(
                "Rekommendation",
                &[],
                &["Åtgärd", "Ansvarig", "Senast", "Status"],
            ),
            rows,
            note: Some(vec![Inline::text(
                "Försenad: sista dagen har passerat och åtgärden är varken genomförd eller avslutad.",
            )]),
        }));
    }
    section("intern_kontroll", 1, "Intern kontroll", blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_words() {
        assert_eq!(date_words("2021-04-30"), "30 april 2021");
        assert_eq!(date_words("2021-02-01"), "1 februari 2021");
        assert_eq!(date_words("2021-04"), "2021-04");
        assert_eq!(point_label("2021-08"), "augusti 2021");
        assert_eq!(point_label("2019"), "2019");
    }

    #[test]
    fn lists_are_joined_the_swedish_way() {
        let parts = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(join_and(&parts(&["a"])), "a");
        assert_eq!(join_and(&parts(&["a", "b"])), "a och b");
        assert_eq!(join_and(&parts(&["a", "b", "c"])), "a, b och c");
    }
}
