//! Verksamhetsmått (issue 22, item 6): per measure a table of budgeted volume, outcome and
//! deviation per month with the year to date as the sum of the months shown, and a chart of
//! the outcome against the budget. Built from `reports::MeasuresReport`.

use crate::chart::{self, FollowUpSeries};
use crate::format;
use crate::model::{Block, Cell, Chart, Column, Inline, Row, RowStyle, Section, Table};
use rust_decimal::Decimal;
use styr_reports::{MeasureFollowUp, MeasuresReport};

/// The sentence over synthetic measures.
pub const SYNTHETIC_MEASURES: &str =
    "Måtten, deras budgeterade volymer och utfall är syntetiska exempeldata, inte kommunens egna.";

const SHORT: [&str; 12] = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

fn number(value: Option<Decimal>) -> Cell {
    value.map_or_else(Cell::missing, |v| {
        Cell::text(format::decimal_as_written(v.normalize()))
    })
}

/// A volume rounded to whole units for a total that may carry a fraction (a yearly budget
/// pro rata).
fn whole(value: Option<Decimal>) -> Cell {
    value.map_or_else(Cell::missing, |v| Cell::text(format::decimal(v, 0)))
}

fn deviation(actual: Option<Decimal>, budget: Option<Decimal>) -> Cell {
    match (actual, budget) {
        (Some(a), Some(b)) => Cell::text(format::signed((a - b).round_dp(0))),
        _ => Cell::missing(),
    }
}

fn numeric(label: &str) -> Column {
    Column {
        label: label.to_owned(),
        numeric: true,
    }
}

/// The measures section: `id` its anchor, `level` its heading level.
pub fn measures_section(report: &MeasuresReport, id: &str, level: u8) -> Section {
    let mut blocks = Vec::new();
    if report.synthetic {
        blocks.push(Block::Synthetic(SYNTHETIC_MEASURES.to_owned()));
    }
    if report.measures.is_empty() {
        blocks.push(Block::Paragraph(vec![Inline::text(
            "Planen har inga verksamhetsmått.",
        )]));
    }
    for (index, measure) in report.measures.iter().enumerate() {
        blocks.extend(measure_blocks(
            measure,
            &format!("{id}-{}", index + 1),
            level + 1,
        ));
    }
    Section {
        id: id.to_owned(),
        level,
        title: "Verksamhetsmått".to_owned(),
        blocks,
    }
}

fn measure_blocks(follow_up: &MeasureFollowUp, id: &str, subheading: u8) -> Vec<Block> {
    let measure = &follow_up.measure;
    let series = &follow_up.series;
    let year = series
        .months
        .first()
        .map_or_else(String::new, |m| m.month.year().to_string());
    let mut rows: Vec<Row> = series
        .months
        .iter()
        .map(|m| {
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::text(format!(
                        "{} {}",
                        SHORT[usize::from(m.month.month() - 1)],
                        m.month.year()
                    )),
                    number(m.budget),
                    number(m.actual),
                    deviation(m.actual, m.budget),
                ],
            )
        })
        .collect();
    rows.push(Row::new(
        RowStyle::Total,
        vec![
            Cell::text("Ackumulerat"),
            whole(series.budget_to_date),
            number(series.actual_to_date),
            deviation(series.actual_to_date, series.budget_to_date),
        ],
    ));
    rows.push(Row::new(
        RowStyle::Normal,
        vec![
            Cell::text(format!("Budget helår {year}")),
            number(series.budget_year),
            Cell::missing(),
            Cell::missing(),
        ],
    ));
    let title = format!(
        "{} ({}), {}",
        measure.name, measure.unit_of_measure, follow_up.unit_name
    );
    let table = Table {
        id: format!("{id}-tabell"),
        caption: title.clone(),
        columns: vec![
            Column {
                label: "Månad".to_owned(),
                numeric: false,
            },
            numeric("Budget"),
            numeric("Utfall"),
            numeric("Avvikelse"),
        ],
        rows,
        note: Some(vec![Inline::text(
            "Ackumulerat är summan av månaderna ovan; en årsbudget fördelas med en tolftedel \
             per månad. – betyder att värde saknas.",
        )]),
    };
    let points: Vec<String> = series
        .months
        .iter()
        .map(|m| SHORT[usize::from(m.month.month() - 1)].to_owned())
        .collect();
    let monthly_budget = |m: &styr_domain::activity::SeriesMonth| {
        m.budget.or_else(|| {
            (series.budget_year.is_some() && series.months.iter().all(|m| m.budget.is_none()))
                .then(|| {
                    series
                        .budget_year
                        .map(|y| (y / Decimal::from(12)).round_dp(0))
                })
                .flatten()
        })
    };
    let chart_series = FollowUpSeries {
        id: format!("{id}-chart"),
        title: format!("{} – utfall mot budget", measure.name),
        unit: String::new(),
        direction: None,
        points: points.clone(),
        outcomes: series
            .months
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.actual.map(|v| (i, v)))
            .collect(),
        targets: series
            .months
            .iter()
            .enumerate()
            .filter_map(|(i, m)| monthly_budget(m).map(|v| (i, v)))
            .collect(),
    };
    let data_rows = series
        .months
        .iter()
        .zip(&points)
        .map(|(m, label)| {
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::text(label),
                    number(m.actual),
                    number(monthly_budget(m)),
                ],
            )
        })
        .collect();
    let chart = Chart {
        id: chart_series.id.clone(),
        title: chart_series.title.clone(),
        description: chart::describe_volume(&chart_series),
        svg: chart::volume_chart(&chart_series),
        data: Table {
            id: format!("{id}-chart-data"),
            caption: format!("Data: {}", measure.name),
            columns: vec![
                Column {
                    label: "Månad".to_owned(),
                    numeric: false,
                },
                numeric("Utfall"),
                numeric("Budget"),
            ],
            rows: data_rows,
            note: None,
        },
    };
    vec![
        Block::Subheading {
            level: subheading,
            text: title,
        },
        Block::Table(table),
        Block::Chart(chart),
    ]
}
