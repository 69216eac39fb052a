//! Excel both ways on both databases: the plan workbook out and back unchanged, edited by
//! openpyxl as a user would in Excel (`STYR_TEST_PYTHON`), bad cells named by sheet and cell
//! with nothing changed, and a unit's report workbook through the follow-up rules.

use crate::db::TestDb;
use crate::{admin, all, app_with_example, with_ledger_and_a_forecast};
use calamine::{Data, Reader, Xlsx};
use std::path::{Path, PathBuf};
use std::process::Command;
use styr_app::{App, AppError, WorkbookImported};
use styr_domain::Plan;
use styr_domain::followup::{EntryKind, ReportEntry};
use styr_domain::ledger::Month;
use styr_store::{AuditFilter, EntryFilter};

/// The Python with openpyxl, or `None` (and a message) when the tests run without it outside
/// CI.
fn python() -> Option<PathBuf> {
    crate::tool::python()
}

/// Edits a workbook with openpyxl: `edits` are `Sheet!C7=value`.
fn edit(python: &Path, workbook: &[u8], edits: &[&str]) -> Vec<u8> {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (source, target) = (
        folder.path().join("in.xlsx"),
        folder.path().join("out.xlsx"),
    );
    std::fs::write(&source, workbook).expect("written");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/edit_workbook.py");
    let output = Command::new(python)
        .arg(script)
        .arg(&source)
        .arg(&target)
        .args(edits)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(&target).expect("the edited workbook")
}

fn cell(workbook: &[u8], sheet: &str, row: u32, column: u32) -> String {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(workbook.to_vec())).expect("opens");
    let range = book.worksheet_range(sheet).expect("the sheet");
    match range.get_value((row, column)) {
        Some(Data::String(text)) => text.clone(),
        Some(Data::Float(number)) => number.to_string(),
        other => format!("{other:?}"),
    }
}

async fn stored(app: &App) -> Plan {
    app.load_plan(&admin(), &all())
        .await
        .expect("the stored plan")
}

async fn audit_rows(app: &App) -> usize {
    app.audit_log(&admin(), &AuditFilter::default())
        .await
        .expect("the audit log")
        .len()
}

fn amount(plan: &Plan, table: &str, line: &str, year: i32) -> Option<i64> {
    plan.budget
        .operating
        .iter()
        .find(|t| t.id.as_str() == table)?
        .row(line)?
        .amounts
        .get(&year)
        .and_then(|m| m.whole_tkr())
}

fn places(error: AppError) -> Vec<String> {
    match error {
        AppError::Invalid(problems) => problems
            .into_iter()
            .map(|p| p.file.unwrap_or_default())
            .collect(),
        other => panic!("expected invalid input, got {other}"),
    }
}

async fn the_plan_workbook_goes_out_and_back_unchanged(db: &TestDb) {
    let app = app_with_example(db).await;
    with_ledger_and_a_forecast(&app).await;
    let before = stored(&app).await;
    let first = app.export_workbook(&admin(), &all()).await.unwrap();
    // The report sheets: the forecast, and budget vs actual from the ledger's first month.
    assert_eq!(cell(&first, "Prognoser", 2, 0), "2021-08");
    assert_eq!(cell(&first, "Prognoser", 2, 1), "op.ksf.ksf");
    assert_eq!(cell(&first, "Prognoser", 2, 2), "84198");
    assert_eq!(cell(&first, "Budget mot utfall", 2, 0), "2021-02");
    assert_eq!(
        cell(&first, "Budget mot utfall", 2, 1),
        "  Kommunstyrelsens reserv"
    );
    // The ramberäkning is a sheet with Swedish headings and kinds; its amount is a number.
    assert_eq!(cell(&first, "Ramberäkning", 1, 2), "Benämning");
    assert_eq!(cell(&first, "Ramberäkning", 2, 0), "pkv");
    assert_eq!(
        cell(&first, "Ramberäkning", 2, 1),
        "Pris- och löneuppräkning"
    );
    assert_eq!(cell(&first, "Ramberäkning", 2, 3), "2.0");
    assert_eq!(cell(&first, "Ramberäkning", 3, 6), "10000");
    let imported = app
        .import_workbook(&admin(), "plan.xlsx", first.clone())
        .await
        .unwrap();
    assert!(matches!(imported, WorkbookImported::Plan { .. }));
    let after = stored(&app).await;
    assert_eq!(
        styr_package::write_files(&after),
        styr_package::write_files(&before)
    );
    let second = app.export_workbook(&admin(), &all()).await.unwrap();
    let tables = |bytes: Vec<u8>| {
        let mut book = styr_excel::Book::open(bytes).unwrap();
        styr_excel::read_plan_tables(&mut book).unwrap().files
    };
    assert_eq!(tables(second), tables(first));
}

async fn an_edited_plan_workbook_updates_the_plan(db: &TestDb) {
    let Some(python) = python() else { return };
    let app = app_with_example(db).await;
    let workbook = app.export_workbook(&admin(), &all()).await.unwrap();
    // Kommunstyrelseförvaltningen 2021 is G3 of «Drift ksf»; the total below is a formula
    // that openpyxl saves without its value.
    assert_eq!(cell(&workbook, "Drift ksf", 2, 0), "ksf");
    let edited = edit(&python, &workbook, &["Drift ksf!G3=90000"]);
    let audits = audit_rows(&app).await;
    app.import_workbook(&admin(), "plan.xlsx", edited)
        .await
        .unwrap();
    let plan = stored(&app).await;
    assert_eq!(amount(&plan, "ksf", "ksf", 2021), Some(90000));
    // The total was a sum: it follows its lines (90 000 + 17 000), never the old figure.
    assert_eq!(amount(&plan, "ksf", "summa", 2021), Some(107000));
    // The stated 2020 total of the summary, 228 600, kept beside its computed sum, survives.
    assert_eq!(
        amount(&plan, "sammanstallning", "summa", 2020),
        Some(228600)
    );
    assert_eq!(audit_rows(&app).await, audits + 1);
}

async fn bad_cells_are_named_by_sheet_and_cell_and_change_nothing(db: &TestDb) {
    let Some(python) = python() else { return };
    let app = app_with_example(db).await;
    let before = stored(&app).await;
    let workbook = app.export_workbook(&admin(), &all()).await.unwrap();
    let edited = edit(
        &python,
        &workbook,
        &[
            "Drift ksf!G3=nittio",
            "Uppdragsstatus!C3=Klar",
            "Drift ksf!F4=12.5",
        ],
    );
    let audits = audit_rows(&app).await;
    let error = app
        .import_workbook(&admin(), "plan.xlsx", edited)
        .await
        .unwrap_err();
    let AppError::Invalid(problems) = &error else {
        panic!("expected invalid input, got {error}");
    };
    assert!(problems.iter().any(|p| p.to_string()
        == "Uppdragsstatus!C3: Status: \"Klar\" är inte en av not_started, started, done, \
            waiting, deviation, dialogue, unknown (i arbetsboken: Ej påbörjad, Påbörjad, \
            Färdig, Väntar, Avvikelse, Dialog behövs, Okänd)"));
    let mut found = places(error);
    found.sort();
    // 12.5 is not whole tkr, and neither is the sum under it (F5 = SUM(F3:F4)); text in a
    // sum counts as nothing, as in a spreadsheet, so G5 is whole and only G3 is named.
    assert_eq!(
        found,
        [
            "Drift ksf!F4",
            "Drift ksf!F5",
            "Drift ksf!G3",
            "Uppdragsstatus!C3"
        ]
    );
    assert_eq!(audit_rows(&app).await, audits);
    assert_eq!(
        styr_package::write_files(&stored(&app).await),
        styr_package::write_files(&before)
    );
}

async fn a_report_workbook_goes_through_the_follow_up_rules(db: &TestDb) {
    let Some(python) = python() else { return };
    let app = app_with_example(db).await;
    let august = Month::parse("2021-08").unwrap();
    let template = app
        .report_template(&admin(), &all(), august, "ksf")
        .await
        .unwrap();
    let assignment = cell(&template, "Uppdrag", 2, 0);
    let forecast_row = (2..40)
        .find(|&row| cell(&template, "Prognoser", row, 0) == "op.ksf.ksf")
        .expect("the line of Kommunstyrelseförvaltningen");
    let forecast = format!("Prognoser!D{}=90000", forecast_row + 1);
    let status = "Uppdrag!D3=Påbörjad".to_owned();
    // A deficit of 5,8 mnkr without its explanation and action plan: refused, nothing written.
    let unexplained = edit(&python, &template, &[&status, &forecast]);
    let audits = audit_rows(&app).await;
    let error = app
        .import_workbook(&admin(), "ksf.xlsx", unexplained)
        .await
        .unwrap_err();
    let found = places(error);
    assert!(
        found.contains(&format!("Prognoser!E{}", forecast_row + 1)),
        "{found:?}"
    );
    assert_eq!(audit_rows(&app).await, audits);

    let explained = edit(
        &python,
        &template,
        &[
            &status,
            &forecast,
            &format!("Prognoser!E{}=Konsultkostnader över plan", forecast_row + 1),
            &format!("Prognoser!F{}=Anställningsstopp", forecast_row + 1),
        ],
    );
    let imported = app
        .import_workbook(&admin(), "ksf.xlsx", explained.clone())
        .await
        .unwrap();
    let WorkbookImported::Report { imported, .. } = imported else {
        panic!("a report workbook");
    };
    assert_eq!(imported.rows, 2);
    assert_eq!(imported.recorded.changes.len(), 2);
    let filter = EntryFilter {
        period: Some(august),
        kind: Some(EntryKind::Forecast),
        subject: Some("op.ksf.ksf".to_owned()),
        history: false,
    };
    let (_, reports) = app.reports(&admin(), &all(), &filter).await.unwrap();
    match &reports[..] {
        [entry] => match &entry.report.entry {
            ReportEntry::Forecast { amount, .. } => assert_eq!(amount.whole_tkr(), Some(90000)),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let status_filter = EntryFilter {
        period: Some(august),
        kind: Some(EntryKind::Status),
        subject: Some(assignment),
        history: false,
    };
    let (_, statuses) = app.reports(&admin(), &all(), &status_filter).await.unwrap();
    assert_eq!(statuses.len(), 1);

    // A closed period takes nothing, from a workbook as from the form.
    app.close_period(&admin(), &all(), august).await.unwrap();
    let audits = audit_rows(&app).await;
    let changed = edit(
        &python,
        &explained,
        &[&format!("Prognoser!D{}=91000", forecast_row + 1)],
    );
    let error = app
        .import_workbook(&admin(), "ksf.xlsx", changed)
        .await
        .unwrap_err();
    assert!(!places(error).is_empty());
    assert_eq!(audit_rows(&app).await, audits);
}

crate::on_both_backends!(
    the_plan_workbook_goes_out_and_back_unchanged,
    an_edited_plan_workbook_updates_the_plan,
    bad_cells_are_named_by_sheet_and_cell_and_change_nothing,
    a_report_workbook_goes_through_the_follow_up_rules,
);
