//! The whole municipality's report of a period (issue 20): KF's goals with every body's
//! contribution and the rolled-up assessment, the driftredovisning per nämnd (frame, budget,
//! outcome, forecast, deviations and reporting progress, with the totals of the rows), the
//! companies, and then each body's own report of the period as a part, composed by
//! [`compose_period_report`] exactly as that body's own document is.
//!
//! Every figure comes from the [`MunicipalOverview`] value (whose totals `styr_reports`
//! computes) or from the bodies' [`PeriodReport`]s; nothing is summed here.

use crate::format;
use crate::model::{
    Block, Cell, Column, Document, DocumentKind, Inline, Row, RowStyle, Section, Table,
};
use crate::period_report::{PRELIMINARY, compose_period_report_traced, date_words, economy_row};
use crate::trace::MunicipalSum;
use styr_domain::Plan;
use styr_domain::assessment::Overall;
use styr_domain::followup::{SYNTHETIC_FOLLOWUP_NOTE, month_name};
use styr_domain::ledger::Month;
use styr_reports::municipal::{
    BodyOverview, CouncilGoal, FrameFigure, FrameSource, MunicipalOverview, Progress, TOTAL_LABEL,
};
use styr_reports::{PeriodReport, ReportKind, ReportRow};

/// The id of the driftredovisning per nämnd.
pub const OPERATING_SECTION_ID: &str = "kommun_driftredovisning";

/// The municipality's report of the period: `parts` are the bodies' own reports of it, in the
/// order they are printed.
pub fn compose_municipal_report(
    overview: &MunicipalOverview,
    parts: &[(Plan, PeriodReport)],
) -> Document {
    let period = parts.first().map(|(_, report)| &report.period);
    let (title, subtitle) =
        match period.and_then(|p| ReportKind::for_period(p.kind).map(|k| (p, k))) {
            Some((period, kind)) => (kind.title)(period, overview.period.year()),
            None => (format!("Uppföljning {}", overview.period), None),
        };
    let mut cover_lines = Vec::new();
    if let Some(period) = period {
        cover_lines.push(format!("Per {}", date_words(&period.end_date())));
    }
    cover_lines.push(format!(
        "Hela kommunen: {} och {}",
        count(
            overview.bodies.len(),
            "nämnd eller styrelse",
            "nämnder och styrelser"
        ),
        count(overview.companies.len(), "bolag", "bolag")
    ));
    match &overview.council {
        Some(council) => cover_lines.push(match &council.decision {
            Some(decision) => format!("{} ({decision})", council.title),
            None => council.title.clone(),
        }),
        None => cover_lines.push(
            "Kommunfullmäktiges plan finns inte i databasen: ramarna är nämndernas egna".to_owned(),
        ),
    }
    let preliminary: Vec<String> = parts
        .iter()
        .filter(|(_, report)| !report.completeness.is_complete())
        .map(|(plan, _)| body_name(overview, plan))
        .collect();
    if !preliminary.is_empty() {
        cover_lines.push(format!(
            "{PRELIMINARY}: uppgifterna är inte kompletta för {}",
            join_and(&preliminary)
        ));
    }
    let synthetic = parts.iter().any(|(_, report)| report.period.synthetic);
    if synthetic {
        cover_lines.push(SYNTHETIC_FOLLOWUP_NOTE.to_owned());
    }

    let mut summary = vec![goals_section(overview), operating_section(overview)];
    if synthetic {
        for section in &mut summary {
            section
                .blocks
                .insert(0, Block::Synthetic(SYNTHETIC_FOLLOWUP_NOTE.to_owned()));
        }
    }
    if !preliminary.is_empty() {
        for section in &mut summary {
            for block in &mut section.blocks {
                if let Block::Table(table) = block {
                    table.caption = format!("{} ({})", table.caption, PRELIMINARY.to_lowercase());
                }
            }
        }
    }
    let mut sections = summary;
    for (plan, report) in parts {
        sections.extend(part(overview, plan, report));
    }
    Document {
        kind: DocumentKind::FollowUp,
        title,
        subtitle,
        municipality: overview.municipality_name.clone(),
        body: "Hela kommunen".to_owned(),
        cover_lines,
        sections,
    }
}

pub(crate) fn body_name(overview: &MunicipalOverview, plan: &Plan) -> String {
    overview
        .bodies
        .iter()
        .find(|b| b.body == plan.document.body)
        .map(|b| b.name.clone())
        .or_else(|| plan.body(&plan.document.body).map(|b| b.name.clone()))
        .unwrap_or_else(|| plan.document.body.to_string())
}

/// "per augusti 2021".
pub(crate) fn per_month(month: Month) -> String {
    format!("per {} {}", month_name(month.month()), month.year())
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(crate) fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph(vec![Inline::Text(text.into())])
}

pub(crate) fn columns(first: &str, numeric: &[&str], text: &[&str]) -> Vec<Column> {
    let mut all = vec![Column {
        label: first.to_owned(),
        numeric: false,
    }];
    all.extend(numeric.iter().map(|label| Column {
        label: (*label).to_owned(),
        numeric: true,
    }));
    all.extend(text.iter().map(|label| Column {
        label: (*label).to_owned(),
        numeric: false,
    }));
    all
}

pub(crate) fn amount(money: Option<styr_domain::Money>) -> Cell {
    money.map_or_else(Cell::missing, |m| Cell::text(format::tkr_whole(m)))
}

/// A cell inside a trace to `path` when there is one (`crate::trace`).
pub(crate) fn traced(cell: Cell, path: Option<String>) -> Cell {
    match path {
        Some(path) => crate::trace::wrap_cell(cell, path),
        None => cell,
    }
}

/// Where a body's frame comes from: KF's frame in KF's plan, else the frame of its own plan.
pub fn frame_trace(overview: &MunicipalOverview, body: &BodyOverview) -> Option<String> {
    let frame = body.frame.as_ref()?;
    let version = match frame.source {
        FrameSource::Council => &overview.council.as_ref()?.version,
        FrameSource::Own => &body.plan.as_ref()?.version,
    };
    Some(crate::trace::plan_frame(
        version,
        &body.body,
        overview.period.year(),
    ))
}

/// Where a body's Budget år comes from: its own plan's allocation of the year.
pub fn allocation_trace(overview: &MunicipalOverview, body: &BodyOverview) -> Option<String> {
    body.budget?;
    Some(crate::trace::plan_allocation(
        &body.plan.as_ref()?.version,
        overview.period.year(),
    ))
}

/// Where a body's outcome to date comes from: the operating total of its own report.
pub fn outcome_trace(overview: &MunicipalOverview, body: &BodyOverview) -> Option<String> {
    body.actual()?;
    Some(crate::trace::outcome_sum(
        &body.plan.as_ref()?.version,
        overview.period,
        &crate::trace::OutcomeSum::Operating,
    ))
}

/// Where a total of the table per nämnd comes from: the rows it sums.
pub fn sum_trace(overview: &MunicipalOverview, which: MunicipalSum) -> Option<String> {
    Some(crate::trace::municipal_sum(overview.period, which))
}

// ------------------------------------------------------------------ kommunens mål

/// The rule of the roll-up, as the reader is told it.
pub const ROLL_UP_RULE: &str = "Den sammanvägda bedömningen av ett av kommunfullmäktiges mål är den sämsta bedömning som en ansvarig nämnd har lämnat för sitt mål under det (Uppfyllt, Delvis uppfyllt, Ej uppfyllt). Så länge någon ansvarig nämnd inte har bedömt sitt mål är det sammanvägda målet ej bedömt. Kan inte bedömas påverkar inte bedömningen, utom när alla har lämnat den. Antalet bedömningar per nivå står alltid bredvid.";

pub(crate) fn goals_section(overview: &MunicipalOverview) -> Section {
    let mut blocks = Vec::new();
    if overview.council.is_none() {
        blocks.push(paragraph(
            "Kommunfullmäktiges plan finns inte i databasen, så kommunens övergripande mål kan inte följas upp här. Varje nämnds egna mål följs upp i dess del av rapporten.",
        ));
    } else {
        blocks.push(paragraph(ROLL_UP_RULE));
        if overview.goals.is_empty() {
            blocks.push(paragraph("Kommunfullmäktiges plan har inga mål."));
        }
    }
    for goal in &overview.goals {
        blocks.extend(goal_blocks(goal));
    }
    Section {
        id: "kommunens_mal".to_owned(),
        level: 1,
        title: "Kommunens mål".to_owned(),
        blocks,
    }
}

fn goal_blocks(goal: &CouncilGoal) -> Vec<Block> {
    let rolled = &goal.rolled_up;
    let mut blocks = vec![Block::Subheading {
        level: 2,
        text: format!("Mål {}: {}", goal.number, goal.title),
    }];
    let verdict = match rolled.overall {
        Overall::NotAssessed => Inline::Strong(vec![Inline::text(rolled.overall.label_sv())]),
        Overall::Assessed(_) => Inline::text(rolled.overall.label_sv()),
    };
    blocks.push(Block::Paragraph(vec![
        Inline::Strong(vec![Inline::text("Sammanvägd bedömning: ")]),
        verdict,
    ]));
    let mut spread: Vec<String> = rolled
        .counts
        .iter()
        .map(|(level, n)| format!("{} {n}", level.label_sv()))
        .collect();
    spread.push(format!("ej bedömt {}", rolled.not_assessed));
    blocks.push(paragraph(format!("Bedömningar: {}.", spread.join(", "))));
    if goal.contributions.is_empty() {
        blocks.push(paragraph(
            "Ingen nämnds plan har ett mål under det här målet, så det kan inte bedömas.",
        ));
        return blocks;
    }
    blocks.push(Block::Table(Table {
        id: format!("tab-kommun-mal-{}", goal.goal.as_str().replace('_', "-")),
        caption: format!("Nämndernas bedömningar av mål {}", goal.number),
        columns: columns("Nämnd", &[], &["Nämndens mål", "Bedömning", "Motivering"]),
        rows: goal
            .contributions
            .iter()
            .map(|c| {
                Row::new(
                    RowStyle::Normal,
                    vec![
                        Cell::text(&c.body_name),
                        Cell::text(&c.title),
                        match c.assessment {
                            Some(a) => Cell::text(a.label_sv()),
                            None => Cell::text("ingen bedömning lämnad"),
                        },
                        c.motivation
                            .as_deref()
                            .map(str::trim)
                            .filter(|m| !m.is_empty())
                            .map_or_else(Cell::missing, Cell::text),
                    ],
                )
            })
            .collect(),
        note: None,
    }));
    blocks
}

// ------------------------------------------------------------------ driftredovisning

/// The note under the driftredovisning per nämnd.
pub const OPERATING_NOTE: &str = "Belopp i tkr. Utfall, prognos och avvikelse är i hela tkr som i nämndernas egna driftredovisningar, och summaraden är summan av de tryckta raderna. Ram är kommunfullmäktiges ram för året; (egen) betyder att kommunfullmäktiges plan inte ger nämnden någon ram och att ramen är den som nämndens egen plan anger. Budget år är nämndens fördelning av året i dess egen driftbudget. Utfall ack, prognos helår och avvikelse är raden Summa driftbudget i nämndens egen driftredovisning (i dess del av rapporten), där avvikelse = budget år − prognos helår: ett positivt belopp är ett överskott, ett negativt ett underskott. * betyder att minst en av nämndens radprognoser inte är lämnad utan beräknad som utfall ack plus budgeten för resten av året. Rapporterat är de obligatoriska rapporter för perioden som är lämnade, av dem som perioden kräver. Summaraden är summan av raderna ovan, kolumn för kolumn. – betyder att uppgiften saknas.";

/// The same note when KF's plan is not in the database: every frame is the body's own.
pub const OPERATING_NOTE_OWN_FRAMES: &str =
    "Kommunfullmäktiges plan finns inte i databasen: ramen är den som nämndens egen plan anger.";

fn frame_cell(frame: Option<&FrameFigure>, council: bool) -> Cell {
    match frame {
        None => Cell::missing(),
        Some(frame) if frame.source == FrameSource::Own && council => {
            Cell::text(format!("{} (egen)", format::tkr_whole(frame.amount)))
        }
        Some(frame) => Cell::text(format::tkr_whole(frame.amount)),
    }
}

/// The economy columns of a body's or the totals' row: utfall ack, prognos helår (with its
/// mark when computed) and avvikelse prognos, as the body's own table shows them.
pub(crate) fn economy_cells(row: Option<&ReportRow>) -> Vec<Cell> {
    match row {
        Some(row) => {
            let cells = economy_row(row).cells;
            [3, 5, 6]
                .into_iter()
                .map(|index| cells.get(index).cloned().unwrap_or_else(Cell::missing))
                .collect()
        }
        None => (0..3).map(|_| Cell::missing()).collect(),
    }
}

/// [`economy_cells`] each inside a trace: the outcome to date, the forecast and the deviation
/// (`paths` in that order).
pub(crate) fn traced_economy_cells(
    row: Option<&ReportRow>,
    paths: [Option<String>; 3],
) -> Vec<Cell> {
    economy_cells(row)
        .into_iter()
        .zip(paths)
        .map(|(cell, path)| traced(cell, path))
        .collect()
}

/// The traces of a body's economy cells: its outcome (its own report's), its forecast and its
/// deviation (`crate::trace::body_figure`).
pub(crate) fn body_economy_traces(
    overview: &MunicipalOverview,
    body: &BodyOverview,
) -> [Option<String>; 3] {
    let figure = |which| {
        Some(crate::trace::body_figure(
            overview.period,
            &body.body,
            which,
        ))
    };
    [
        outcome_trace(overview, body),
        figure(MunicipalSum::Forecasts),
        figure(MunicipalSum::Deviations),
    ]
}

/// The traces of the totals' economy cells: the rows they sum.
pub(crate) fn total_economy_traces(overview: &MunicipalOverview) -> [Option<String>; 3] {
    [
        overview
            .totals
            .actual()
            .and_then(|_| sum_trace(overview, MunicipalSum::Outcomes)),
        sum_trace(overview, MunicipalSum::Forecasts),
        sum_trace(overview, MunicipalSum::Deviations),
    ]
}

fn progress_cell(progress: &Progress) -> Cell {
    Cell::text(progress.label_sv())
}

fn operating_section(overview: &MunicipalOverview) -> Section {
    let mut section = operating_table_section(overview);
    section.blocks.extend(company_blocks(overview));
    section
}

/// The companies and, when KF's plan consolidates them, koncernens sammanställda budget.
pub(crate) fn company_blocks(overview: &MunicipalOverview) -> Vec<Block> {
    let mut blocks = Vec::new();
    if !overview.companies.is_empty() {
        blocks.push(Block::Table(companies_table(overview)));
    }
    if let Some(koncern) = &overview.koncern {
        blocks.push(Block::Table(koncern_table(overview, koncern)));
    }
    blocks
}

/// The driftredovisning per nämnd alone (the companies apart).
pub(crate) fn operating_table_section(overview: &MunicipalOverview) -> Section {
    let per = per_month(overview.period);
    let mut blocks = vec![paragraph(format!(
        "Varje nämnds och styrelses ram, budget, utfall och prognos {per}, och hur mycket av periodens rapportering som är gjord."
    ))];
    let mut rows: Vec<Row> = overview
        .bodies
        .iter()
        .map(|body| {
            let mut cells = vec![
                Cell::text(&body.name),
                traced(
                    frame_cell(body.frame.as_ref(), overview.council.is_some()),
                    frame_trace(overview, body),
                ),
                traced(amount(body.budget), allocation_trace(overview, body)),
            ];
            cells.extend(traced_economy_cells(
                body.economy.as_ref(),
                body_economy_traces(overview, body),
            ));
            cells.push(progress_cell(&body.progress));
            Row::new(RowStyle::Normal, cells)
        })
        .collect();
    let totals = &overview.totals;
    let mut cells = vec![
        Cell::text(TOTAL_LABEL),
        traced(
            Cell::text(format::tkr_whole(totals.frame)),
            sum_trace(overview, MunicipalSum::Frames),
        ),
        traced(
            Cell::text(format::tkr_whole(totals.budget)),
            sum_trace(overview, MunicipalSum::Budgets),
        ),
    ];
    cells.extend(traced_economy_cells(
        totals.economy.as_ref(),
        total_economy_traces(overview),
    ));
    cells.push(Cell::text(format!("{} av {}", totals.reported, totals.due)));
    rows.push(Row::new(RowStyle::Total, cells));
    blocks.push(Block::Table(Table {
        id: "tab-kommun-drift".to_owned(),
        caption: format!("Driftredovisning per nämnd {per}"),
        columns: columns(
            "Nämnd eller styrelse",
            &[
                "Ram",
                "Budget år",
                "Utfall ack",
                "Prognos helår",
                "Avvikelse",
                "Rapporterat",
            ],
            &[],
        ),
        rows,
        note: Some(vec![Inline::text(if overview.council.is_some() {
            OPERATING_NOTE.to_owned()
        } else {
            format!("{OPERATING_NOTE_OWN_FRAMES} {OPERATING_NOTE}")
        })]),
    }));
    Section {
        id: OPERATING_SECTION_ID.to_owned(),
        level: 1,
        title: "Driftredovisning per nämnd".to_owned(),
        blocks,
    }
}

fn companies_table(overview: &MunicipalOverview) -> Table {
    {
        Table {
            id: "tab-kommun-bolag".to_owned(),
            caption: "Bolagen".to_owned(),
            columns: columns(
                "Bolag",
                &[
                    "Ägarandel %",
                    "Resultatkrav",
                    "Budgeterat resultat före skatt",
                ],
                &["Rapporterat"],
            ),
            rows: overview
                .companies
                .iter()
                .map(|company| {
                    // Each figure of the row traces to the company's page (where it comes from).
                    let path = || Some(crate::trace::company(overview.period, &company.body));
                    Row::new(
                        RowStyle::Normal,
                        vec![
                            Cell::text(&company.name),
                            traced(
                                company.ownership_percent.map_or_else(Cell::missing, |p| {
                                    Cell::text(format::decimal_as_written(p))
                                }),
                                path(),
                            ),
                            traced(
                                amount(company.requirement.as_ref().map(|f| f.amount)),
                                path(),
                            ),
                            traced(amount(company.budgeted_result), path()),
                            progress_cell(&company.progress),
                        ],
                    )
                })
                .collect(),
            note: Some(vec![Inline::text(
                "Belopp i tkr. Bolagen ingår inte i driftredovisningens summa: resultatkravet är ägarens krav på bolagets resultat före skatt. – betyder att uppgiften saknas.",
            )]),
        }
    }
}

/// Koncernens sammanställda budgeterade resultat: KF's result, each company's result by its
/// ägarandel, the eliminations, and the sum of the rows shown (none when a row is missing).
fn koncern_table(
    overview: &MunicipalOverview,
    koncern: &styr_domain::koncern::Consolidated,
) -> Table {
    let period = overview.period;
    let mut rows = vec![Row::new(
        RowStyle::Normal,
        vec![
            Cell::text("Kommunens budgeterade resultat (KF)"),
            traced(
                amount(koncern.municipal_result),
                overview.council.as_ref().map(|c| {
                    crate::trace::council_figure(
                        &c.version,
                        crate::trace::CouncilFigure::Result,
                        koncern.year,
                    )
                }),
            ),
        ],
    )];
    for company in &koncern.companies {
        rows.push(Row::new(
            RowStyle::Normal,
            vec![
                Cell::text(format!(
                    "{}, {} % av resultatet före skatt",
                    company.name,
                    format::decimal_as_written(company.ownership_percent)
                )),
                traced(
                    amount(company.share),
                    Some(crate::trace::company(period, &company.body)),
                ),
            ],
        ));
    }
    rows.push(Row::new(
        RowStyle::Normal,
        vec![
            Cell::text("Elimineringar av interna poster"),
            traced(
                amount(Some(-koncern.eliminations)),
                Some(crate::trace::koncern(period)),
            ),
        ],
    ));
    rows.push(Row::new(
        RowStyle::Total,
        vec![
            Cell::text("Koncernens sammanställda resultat"),
            traced(amount(koncern.result), Some(crate::trace::koncern(period))),
        ],
    ));
    Table {
        id: "tab-kommun-koncern".to_owned(),
        caption: format!("Koncernen: budgeterat resultat {}", koncern.year),
        columns: columns("Post", &["Belopp"], &[]),
        rows,
        note: Some(vec![Inline::text(
            "Belopp i tkr. Summan är raderna ovan: kommunens resultat enligt kommunfullmäktiges budget, varje bolags budgeterade resultat före skatt gånger kommunens ägarandel, minus elimineringarna av interna poster som kommunfullmäktiges budget anger. – betyder att uppgiften saknas och att summan då inte räknas.",
        )]),
    }
}

// ------------------------------------------------------------------ the parts

/// A body's own report as a part: a first-level section with the body's name and its cover
/// lines, then the report's sections one level down, their ids (and the links to them) prefixed
/// with the body so that two parts never share one.
pub(crate) fn part(
    overview: &MunicipalOverview,
    plan: &Plan,
    report: &PeriodReport,
) -> Vec<Section> {
    // Traced: a part's outcomes link to the ledger behind them, as in the body's own report.
    let document = compose_period_report_traced(plan, report);
    let prefix = format!("{}_", anchor(plan.document.body.as_str()));
    let name = body_name(overview, plan);
    let mut blocks: Vec<Block> = vec![paragraph(format!(
        "{} för {name}, som i nämndens egen rapport.",
        document.title
    ))];
    blocks.extend(
        document
            .cover_lines
            .iter()
            .map(|line| paragraph(line.clone())),
    );
    let mut sections = vec![Section {
        id: format!("{prefix}del"),
        level: 1,
        title: format!("{name}: {}", document.title),
        blocks,
    }];
    for mut section in document.sections {
        section.id = format!("{prefix}{}", section.id);
        section.level = (section.level + 1).min(4);
        for block in &mut section.blocks {
            prefix_block(block, &prefix);
        }
        sections.push(section);
    }
    sections
}

fn anchor(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn prefix_block(block: &mut Block, prefix: &str) {
    let dashed = prefix.replace('_', "-");
    match block {
        Block::Paragraph(runs) | Block::Notice(runs) => prefix_runs(runs, prefix),
        Block::Subheading { level, .. } => *level = (*level + 1).min(6),
        Block::List { items, .. } => {
            for item in items {
                for block in item {
                    prefix_block(block, prefix);
                }
            }
        }
        Block::Quote(inner) => {
            for block in inner {
                prefix_block(block, prefix);
            }
        }
        Block::Table(table) => prefix_table(table, prefix, &dashed),
        Block::Chart(chart) => {
            chart.id = format!("{dashed}{}", chart.id);
            chart.svg = prefix_svg(&chart.svg, &dashed);
            prefix_table(&mut chart.data, prefix, &dashed);
        }
        Block::Drawing(drawing) => {
            drawing.id = format!("{dashed}{}", drawing.id);
            drawing.svg = prefix_svg(&drawing.svg, &dashed);
        }
        Block::StatusLegend(_) | Block::Synthetic(_) | Block::Rule => {}
    }
}

/// An SVG's own ids (its title and description) and the `aria-labelledby` naming them,
/// prefixed: the page holds several parts' drawings of the same chart.
fn prefix_svg(svg: &str, dashed: &str) -> String {
    let svg = svg.replace(" id=\"", &format!(" id=\"{dashed}"));
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    const LABELLED: &str = "aria-labelledby=\"";
    while let Some(start) = rest.find(LABELLED) {
        let (head, tail) = rest.split_at(start + LABELLED.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        let ids: Vec<String> = tail[..end]
            .split_whitespace()
            .map(|id| format!("{dashed}{id}"))
            .collect();
        out.push_str(&ids.join(" "));
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn prefix_table(table: &mut Table, prefix: &str, dashed: &str) {
    table.id = format!("{dashed}{}", table.id);
    for row in &mut table.rows {
        for cell in &mut row.cells {
            prefix_runs(&mut cell.content, prefix);
        }
    }
    if let Some(note) = &mut table.note {
        prefix_runs(note, prefix);
    }
}

fn prefix_runs(runs: &mut [Inline], prefix: &str) {
    for run in runs {
        match run {
            Inline::SectionRef { id, .. } => *id = format!("{prefix}{id}"),
            Inline::Link { url, content } => {
                if let Some(target) = url.strip_prefix('#') {
                    *url = format!("#{prefix}{target}");
                }
                prefix_runs(content, prefix);
            }
            Inline::Strong(inner)
            | Inline::Emph(inner)
            | Inline::Marked(inner)
            | Inline::Note(inner)
            | Inline::Trace { content: inner, .. } => prefix_runs(inner, prefix),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Unverified(_)
            | Inline::Status(_)
            | Inline::LineBreak => {}
        }
    }
}
