//! Every figure of the board's follow-up report traced (issue 24, item 3): each amount of its
//! tables (the economy, the tables of "Kräver uppmärksamhet") and each count of its risk
//! matrix is inside a trace, to the path of its own figure; the failure lists every cell that
//! is not.

use crate::example;
use crate::period_report::report;
use styr_docgen::compose_period_report_traced;
use styr_docgen::model::{Block, Document, Inline, Table};

/// The trace path a cell's content holds, if any.
fn trace_of(runs: &[Inline]) -> Option<&str> {
    runs.iter().find_map(|run| match run {
        Inline::Trace { path, .. } => Some(path.as_str()),
        Inline::Strong(inner) | Inline::Emph(inner) | Inline::Marked(inner) => trace_of(inner),
        _ => None,
    })
}

/// Every figure of `document`'s numeric columns and of its risk matrices' data tables:
/// (table, row label, column, the figure as printed, its trace).
fn figure_cells(document: &Document) -> Vec<(String, String, String, String, Option<String>)> {
    fn table(out: &mut Vec<(String, String, String, String, Option<String>)>, table: &Table) {
        for row in &table.rows {
            let label = row
                .cells
                .first()
                .map(|c| Inline::plain(&c.content))
                .unwrap_or_default();
            for (cell, column) in row.cells.iter().zip(&table.columns).skip(1) {
                if !column.numeric || cell.missing || cell.content.is_empty() {
                    continue;
                }
                out.push((
                    table.id.clone(),
                    label.clone(),
                    column.label.clone(),
                    Inline::plain(&cell.content),
                    trace_of(&cell.content).map(str::to_owned),
                ));
            }
        }
    }
    let mut out = Vec::new();
    for section in &document.sections {
        for block in &section.blocks {
            match block {
                Block::Table(t) => table(&mut out, t),
                Block::Chart(chart) if chart.id.ends_with("-matris") => {
                    table(&mut out, &chart.data);
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn every_amount_and_risk_count_of_the_follow_up_report_is_traced() {
    for month in ["2021-08", "2021-12"] {
        let document = compose_period_report_traced(example(), &report(month));
        let cells = figure_cells(&document);
        let untraced: Vec<String> = cells
            .iter()
            // Left out: the count of assignments per status (its parts are the assignment
            // table right below it) and the indicators' values of the period (an outcome
            // reported in the period has no trace page yet; the plan's indicator trace covers
            // the plan's own years).
            .filter(|c| {
                c.4.is_none()
                    && c.0 != "tab-uppdrag-antal"
                    && !c.0.starts_with("tab-uppf-indikatorer-")
            })
            .map(|(table, row, column, printed, _)| {
                format!("{table}: {row} / {column} = {printed}")
            })
            .collect();
        assert!(
            untraced.is_empty(),
            "{month}: {} figures without a trace:\n{}",
            untraced.len(),
            untraced.join("\n")
        );
        let traced = |table: &str, part: &str| {
            cells
                .iter()
                .filter(|c| {
                    c.0.starts_with(table) && c.4.as_deref().is_some_and(|p| p.contains(part))
                })
                .count()
        };
        // Each column of the economy to its own figure (the fixture has no ledger: its
        // outcomes and deviations are missing, its one forecast is trygghet's), the matrix's
        // counts to their cells.
        let version = "ks_2021_proposal";
        for (part, least) in [
            (format!("rapport/{version}/{month}/budget/"), 6),
            (format!("rapport/{version}/{month}/budget-ack/"), 6),
            (
                format!("rapport/{version}/{month}/prognos/rad/op.ksf.trygghet"),
                1,
            ),
            (
                format!("rapport/{version}/{month}/avvikelse-prognos/summa/drift"),
                1,
            ),
        ] {
            assert!(
                traced("tab-ekonomi-drift", &part) >= least,
                "{month}: {part}"
            );
        }
        let counts = traced(
            "tab-kontroll-risker-matris",
            &format!("plan/{version}/riskmatris/2021/"),
        );
        assert_eq!(counts, 16, "{month}: a 4 × 4 matrix");
    }
    // The deficit of the interim report: its budget, forecast and deviation are the economy
    // line's own.
    let document = compose_period_report_traced(example(), &report("2021-08"));
    let deficit: Vec<_> = figure_cells(&document)
        .into_iter()
        .filter(|c| c.0 == "tab-uppmarksamhet-underskott")
        .collect();
    assert_eq!(deficit.len(), 3, "{deficit:?}");
    let paths: Vec<String> = deficit.iter().filter_map(|c| c.4.clone()).collect();
    assert_eq!(
        paths,
        [
            "rapport/ks_2021_proposal/2021-08/budget/rad/op.ksf.trygghet",
            "rapport/ks_2021_proposal/2021-08/prognos/rad/op.ksf.trygghet",
            "rapport/ks_2021_proposal/2021-08/avvikelse-prognos/rad/op.ksf.trygghet",
        ]
    );
}
