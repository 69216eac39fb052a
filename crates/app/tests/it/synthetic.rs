//! Synthetic example data (issue 18, item 5) in Excel, on both databases: the plan workbook's
//! report sheets carry a «Syntetiska exempeldata» column that says "ja" on each row of a
//! period the package marks synthetic, and a unit's report workbook says so on its info sheet
//! and every sheet's title; for a period not marked so, neither.

use crate::db::TestDb;
use crate::{admin, all, example_plan, with_ledger_and_a_forecast};
use calamine::{Data, Reader, Xlsx};
use styr_app::App;
use styr_domain::Plan;
use styr_domain::followup::SYNTHETIC_FOLLOWUP_NOTE;
use styr_domain::ledger::Month;
use styr_excel::SYNTHETIC_COLUMN;

fn sheet(workbook: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(workbook.to_vec())).expect("opens");
    let range = book.worksheet_range(name).expect("the sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(text) => text.clone(),
                    Data::Float(number) => number.to_string(),
                    Data::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

/// The example, or the example with no period marked synthetic.
async fn app_with(db: &TestDb, plan: &Plan) -> App {
    let app = App::open(&db.url).await.expect("open");
    app.import_plan(&admin(), plan).await.expect("import");
    with_ledger_and_a_forecast(&app).await;
    app
}

/// Each data row's synthetic cell, and the heading of that column.
fn marks(rows: &[Vec<String>]) -> (String, Vec<String>) {
    let headings = &rows[1];
    let column = headings
        .iter()
        .position(|h| h == SYNTHETIC_COLUMN)
        .expect("the column");
    let cells = rows[2..]
        .iter()
        .map(|row| row.get(column).cloned().unwrap_or_default())
        .collect();
    (headings[column].clone(), cells)
}

async fn synthetic_periods_are_marked_in_the_workbooks(db: &TestDb) {
    let august = Month::parse("2021-08").unwrap();
    let app = app_with(db, &example_plan()).await;
    let workbook = app.export_workbook(&admin(), &all()).await.unwrap();
    for name in ["Prognoser", "Budget mot utfall"] {
        let (_, cells) = marks(&sheet(&workbook, name));
        assert!(!cells.is_empty());
        assert!(cells.iter().all(|c| c == "ja"), "{name}: {cells:?}");
    }
    let template = app
        .report_template(&admin(), &all(), august, "ksf")
        .await
        .unwrap();
    let info = sheet(&template, styr_excel::INFO_SHEET);
    assert!(info.iter().any(|row| row.first().map(String::as_str)
        == Some("Syntetiska exempeldata")
        && row.get(1).map(String::as_str) == Some(SYNTHETIC_FOLLOWUP_NOTE)));
    for name in ["Uppdrag", "Prognoser"] {
        assert!(sheet(&template, name)[0][0].contains(SYNTHETIC_FOLLOWUP_NOTE));
    }

    // The same data with no period marked: no mark anywhere.
    let mut plan = example_plan();
    plan.periods.iter_mut().for_each(|p| p.synthetic = false);
    let other = crate::db::TestDb::sqlite().await;
    let app = app_with(&other, &plan).await;
    let workbook = app.export_workbook(&admin(), &all()).await.unwrap();
    for name in ["Prognoser", "Budget mot utfall"] {
        let (_, cells) = marks(&sheet(&workbook, name));
        assert!(cells.iter().all(String::is_empty), "{name}: {cells:?}");
    }
    let template = app
        .report_template(&admin(), &all(), august, "ksf")
        .await
        .unwrap();
    for name in [styr_excel::INFO_SHEET, "Uppdrag", "Prognoser"] {
        let rows = sheet(&template, name);
        assert!(
            !rows.iter().flatten().any(|c| c.contains("Syntetiska")),
            "{name}"
        );
    }
    other.remove().await;
}

crate::on_both_backends!(synthetic_periods_are_marked_in_the_workbooks);
