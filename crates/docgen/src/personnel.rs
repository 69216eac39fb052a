//! "Väsentliga personalförhållanden" (RKR R15, LKBR 11 kap. 5 §): the seven sjukfrånvaro
//! figures beside the previous year's, antal anställda, årsarbetare and personalomsättning,
//! and the sjukfrånvaro per month as a chart. Built from `reports::PersonnelFigures`; the
//! årsredovisning and the delårsrapport place the section where R15 puts it.

use crate::chart::{self, FollowUpSeries};
use crate::format;
use crate::model::{Block, Cell, Chart, Column, Inline, Row, RowStyle, Section, Table};
use rust_decimal::Decimal;
use styr_reports::PersonnelFigures;

/// The sentence over synthetic personnel data.
pub const SYNTHETIC_PERSONNEL: &str = "Timmarna och personalsiffrorna bakom det här avsnittet \
     är syntetiska exempeldata, inte kommunens egna uppgifter.";

/// A percentage as the report prints it: one decimal, decimal comma, rounded once here.
fn percent(value: Option<Decimal>) -> Cell {
    value.map_or_else(Cell::missing, |v| Cell::text(format::decimal(v, 1)))
}

fn count(value: Option<u32>) -> Cell {
    value.map_or_else(Cell::missing, |v| {
        Cell::text(format::decimal(Decimal::from(v), 0))
    })
}

fn columns(first: &str, numeric: &[String]) -> Vec<Column> {
    let mut out = vec![Column {
        label: first.to_owned(),
        numeric: false,
    }];
    out.extend(numeric.iter().map(|label| Column {
        label: label.clone(),
        numeric: true,
    }));
    out
}

/// The personnel section: `id` is its anchor (e.g. `personal`), `level` its heading level.
pub fn personnel_section(figures: &PersonnelFigures, id: &str, level: u8) -> Section {
    let mut blocks = Vec::new();
    if figures.synthetic {
        blocks.push(Block::Synthetic(SYNTHETIC_PERSONNEL.to_owned()));
    }
    let now = figures.span.label_sv();
    let before = figures.span.previous_year().label_sv();
    blocks.push(Block::Paragraph(vec![Inline::text(format!(
        "Sjukfrånvaron för {} beräknas ur timmar: sjukfrånvarotimmar i procent av den \
         sammanlagda ordinarie arbetstiden för {now}, jämfört med {before}.",
        figures.scope
    ))]));
    let rows = figures
        .rows()
        .into_iter()
        .map(|(figure, this, previous)| {
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::text(figure.label_sv()),
                    percent(this),
                    percent(previous),
                ],
            )
        })
        .collect();
    blocks.push(Block::Table(Table {
        id: format!("{id}-sjukfranvaro"),
        caption: format!("Sjukfrånvaro, {}", figures.scope),
        columns: columns("Nyckeltal (%)", &[now.clone(), before.clone()]),
        rows,
        note: Some(vec![Inline::text(
            "Procent med en decimal. Långtidssjukfrånvaro är frånvaro under en sammanhängande \
             tid av 60 dagar eller mer. – betyder att timmar saknas.",
        )]),
    }));
    let staff = |s: &styr_domain::personnel::StaffFigures| {
        (
            s.has_headcount.then_some(s.permanent),
            s.has_headcount.then_some(s.temporary),
            s.has_headcount.then_some(s.employees()),
            s.has_headcount.then_some(s.full_time_equivalents),
            s.turnover_percent(),
        )
    };
    let (p1, t1, e1, f1, o1) = staff(&figures.staff);
    let (p0, t0, e0, f0, o0) = staff(&figures.previous_staff);
    let fte =
        |v: Option<Decimal>| v.map_or_else(Cell::missing, |v| Cell::text(format::decimal(v, 1)));
    let last = figures.span.last_month();
    let previous_last = figures.span.previous_year().last_month();
    blocks.push(Block::Table(Table {
        id: format!("{id}-anstallda"),
        caption: format!("Anställda, {}", figures.scope),
        columns: columns("Antal", &[last.last_day(), previous_last.last_day()]),
        rows: vec![
            Row::new(
                RowStyle::Part,
                vec![Cell::text("Tillsvidareanställda"), count(p1), count(p0)],
            ),
            Row::new(
                RowStyle::Part,
                vec![Cell::text("Visstidsanställda"), count(t1), count(t0)],
            ),
            Row::new(
                RowStyle::Total,
                vec![Cell::text("Antal anställda"), count(e1), count(e0)],
            ),
            Row::new(
                RowStyle::Normal,
                vec![Cell::text("Årsarbetare"), fte(f1), fte(f0)],
            ),
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::text(format!("Personalomsättning (%), {now} resp. {before}")),
                    percent(o1),
                    percent(o0),
                ],
            ),
        ],
        note: Some(vec![Inline::text(
            "Månadsavlönade vid periodens sista dag. Årsarbetare är summan av \
             sysselsättningsgraderna. Personalomsättning är avgångar bland \
             tillsvidareanställda i procent av medelantalet tillsvidareanställda.",
        )]),
    }));
    if figures.months.len() > 1 {
        blocks.push(month_chart(figures, id));
    }
    Section {
        id: id.to_owned(),
        level,
        title: "Väsentliga personalförhållanden".to_owned(),
        blocks,
    }
}

/// The personnel section of one body's plan over `span` (every unit of the plan; the scope is
/// named by the plan's body): what a body's delårsrapport or årsredovisning places under
/// "Väsentliga personalförhållanden" when it has only the plan at hand. For the whole
/// municipality, compute the figures over every body's plan (`App::personnel` without a body)
/// and call [`personnel_section`].
pub fn plan_personnel_section(
    plan: &styr_domain::Plan,
    span: styr_domain::personnel::Span,
    id: &str,
    level: u8,
) -> Section {
    let scope = plan
        .body(&plan.document.body)
        .map_or_else(|| plan.document.body.to_string(), |b| b.name.clone());
    let figures = styr_reports::personnel_figures(&plan.personnel, None, span, scope);
    personnel_section(&figures, id, level)
}

fn month_chart(figures: &PersonnelFigures, id: &str) -> Block {
    const SHORT: [&str; 12] = [
        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    let points: Vec<String> = figures
        .months
        .iter()
        .map(|(m, _)| SHORT[usize::from(m.month() - 1)].to_owned())
        .collect();
    let outcomes: Vec<(usize, Decimal)> = figures
        .months
        .iter()
        .enumerate()
        .filter_map(|(i, (_, v))| v.map(|v| (i, v.round_dp(1))))
        .collect();
    let series = FollowUpSeries {
        id: format!("{id}-chart"),
        title: format!("Sjukfrånvaro per månad, {}", figures.span.label_sv()),
        unit: "%".to_owned(),
        direction: Some(styr_domain::goal::Direction::Lower),
        points: points.clone(),
        outcomes,
        targets: Vec::new(),
    };
    let rows = figures
        .months
        .iter()
        .zip(&points)
        .map(|((_, v), label)| Row::new(RowStyle::Normal, vec![Cell::text(label), percent(*v)]))
        .collect();
    Block::Chart(Chart {
        id: series.id.clone(),
        title: series.title.clone(),
        description: chart::describe_follow_up(&series),
        svg: chart::follow_up_chart(&series),
        data: Table {
            id: format!("{id}-chart-data"),
            caption: format!("Data: sjukfrånvaro per månad, {}", figures.scope),
            columns: columns("Månad", &["Sjukfrånvaro (%)".to_owned()]),
            rows,
            note: None,
        },
    })
}
