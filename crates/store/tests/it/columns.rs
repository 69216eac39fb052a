//! Every column gets its own value: a plan whose stored rows tell every pair of columns of a
//! table apart (in some row the two hold different values) comes back from the store equal.
//! So a write that put a value in the wrong column, or a read that took it from the wrong
//! one, fails here: the two columns would trade values in that row and the round trip differ.
//! The test checks the first half itself, table by table, rather than trusting the fixture.

use crate::KS;
use crate::db::TestDb;
use crate::{assert_same_plan, example_plan, on_both_backends};
use rust_decimal::Decimal;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, AssertSqlSafe, Column, Row};
use std::collections::BTreeSet;
use std::str::FromStr;
use styr_domain::Id;
use styr_domain::Money;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::control::{ActionStatus, ControlResult, TrafficLight};
use styr_domain::followup::{FollowUpReport, GoalAssessment, ReportEntry};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_store::EntryFilter;

/// A stored cell, by type: a swap between a number and a text column is as wrong as any.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
}

fn cell(row: &AnyRow, index: usize) -> Cell {
    match row.try_get::<Option<i64>, _>(index) {
        Ok(int) => Cell::Int(int),
        Err(_) => Cell::Text(
            row.try_get::<Option<String>, _>(index)
                .unwrap_or_else(|error| panic!("column {index}: {error}")),
        ),
    }
}

/// What sqlx connects to for the test database (`TestDb::url` is a path for SQLite).
fn sqlx_url(db: &TestDb) -> String {
    if db.url.starts_with("postgres") {
        db.url.clone()
    } else {
        format!("sqlite:{}", db.url.replace(' ', "%20"))
    }
}

/// Tables that belong to the municipality rather than to a plan version.
const OF_THE_MUNICIPALITY: [&str; 2] = ["periods", "followup_entries"];

/// The pairs of columns of `table` that no stored row of the plan tells apart.
async fn alike(pool: &AnyPool, table: &str) -> Vec<(String, String)> {
    // Only the plan's own rows (or the municipality's); the table name is one of the code's.
    let sql = match OF_THE_MUNICIPALITY.contains(&table) {
        true => format!("SELECT * FROM {table} WHERE municipality = $1"),
        false => format!("SELECT * FROM {table} WHERE municipality = $1 AND version = $2"),
    };
    let mut query = sqlx::query(AssertSqlSafe(sql)).bind("haninge");
    if !OF_THE_MUNICIPALITY.contains(&table) {
        query = query.bind("ks_2021_proposal");
    }
    let rows = query
        .fetch_all(pool)
        .await
        .unwrap_or_else(|error| panic!("{table}: {error}"));
    assert!(!rows.is_empty(), "{table}: no rows");
    let names: Vec<String> = rows[0]
        .columns()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|row| (0..names.len()).map(|i| cell(row, i)).collect())
        .collect();
    let key = ["municipality", "version"];
    let mut alike = Vec::new();
    for a in 0..names.len() {
        for b in a + 1..names.len() {
            if key.contains(&names[a].as_str()) || key.contains(&names[b].as_str()) {
                continue;
            }
            if cells.iter().all(|row| row[a] == row[b]) {
                alike.push((names[a].clone(), names[b].clone()));
            }
        }
    }
    alike
}

/// The example, changed where it has two columns of a row alike (the plan's single row above
/// all), so that every pair is told apart.
fn plan_with_every_column_its_own() -> styr_domain::Plan {
    let mut plan = example_plan();
    let id = |text: &str| Id::parse(text).unwrap();
    let budget = &mut plan.budget;
    budget.version.based_on = Some(id("ks_2020_budget"));
    budget.exploitation.year = budget.investment.budget_year - 1;
    if let Some(change) = &mut budget.frame_change {
        change.to_year = budget.investment.budget_year + 1;
    }
    plan.control.synthetic = false;
    if let Some(scale) = &mut plan.control.scale {
        scale.consequence = scale.likelihood + 1;
    }
    let audit = &mut plan.control.audits[0];
    audit.date = Some("2021-03-15".into());
    audit.auditor = Some("Revisionsbyrån".into());
    audit.received_by = Some(id("ks"));
    // Migration 0017's tables and columns: a goal whose parent is not its own id, a company's
    // ägarandel, KF's budget and a company's budget, each with rows that tell columns apart.
    plan.goals[0].parent = Some(id("kf_mal1"));
    plan.assignments[0].goal = Some(id("mal2"));
    plan.bodies[0].ownership_percent = Some(Decimal::from_str("62.5").unwrap());
    let mut council = crate::municipal_plan("kf").council.expect("KF's budget");
    council.frames[0].decision = Some(id("kf_2020_11_09_185"));
    plan.council = Some(council);
    plan.company = crate::municipal_plan("bostader").company;
    // Migration 0022: a demografi line whose volume and unit cost differ.
    if let Some(calc) = &mut plan.budget.frame_calculation {
        let mut line = calc.lines[0].clone();
        line.id = id("elever");
        line.kind = styr_domain::budget::FrameLineKind::Demography;
        line.percent = None;
        line.volume = Some(Decimal::from_str("37").unwrap());
        line.unit_cost = Some(Decimal::from_str("98.5").unwrap());
        calc.lines.push(line);
    }
    plan
}

async fn every_pair_of_columns_is_told_apart(db: &TestDb) {
    let plan = plan_with_every_column_its_own();
    let store = db.open().await;
    // Twice: the second import replaces the first, and its number (2) is not a flag's 1.
    store.import_plan(&plan, "test").await.unwrap();
    let summary = store.import_plan(&plan, "test").await.unwrap();
    assert!(summary.replaced);
    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &plan);
    store.close().await;

    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&sqlx_url(db)).await.unwrap();
    let mut found = BTreeSet::new();
    for (table, _) in &summary.rows {
        for (a, b) in alike(&pool, table).await {
            found.insert(format!("{table}: {a} = {b}"));
        }
    }
    pool.close().await;
    assert!(
        found.is_empty(),
        "columns that no row tells apart (give the plan different values there): {found:#?}"
    );
    assert!(summary.rows.len() > 40, "{} tables", summary.rows.len());
}

/// One report of every kind, every optional field given and no two fields alike, comes back as
/// written; and its rows tell every pair of `followup_entries`' columns apart, so a swap of two
/// columns in any kind's write or read would show.
async fn every_kind_of_report_comes_back_as_written(db: &TestDb) {
    let id = |text: &str| Id::parse(text).unwrap();
    let period = Month::parse("2021-08").unwrap();
    let entries = [
        ReportEntry::Status {
            assignment: id("ks2020_3"),
            status: AssignmentStatus::Started,
            comment: Some("Statuskommentar".into()),
        },
        ReportEntry::Outcome {
            indicator: id("ind_utfall"),
            value: Decimal::from_str("12.50").unwrap(),
            measured_on: Some("2021-06-30".into()),
            source: Some("SCB".into()),
            comment: Some("Utfallskommentar".into()),
        },
        ReportEntry::Assessment {
            goal: id("mal_bedomning"),
            assessment: GoalAssessment::PartlyMet,
            motivation: "Motivering".into(),
        },
        ReportEntry::Forecast {
            line: BudgetLineRef::parse("op.ksf.ksf").unwrap(),
            amount: Money::from_ore(-8_600_012),
            comment: Some("Prognoskommentar".into()),
            action_plan: Some("Åtgärdsplan".into()),
        },
        ReportEntry::Control {
            control: id("ikp21_attest"),
            result: ControlResult::WithDeficiencies,
            light: TrafficLight::Red,
            finding: Some("Iakttagelse".into()),
            action: Some("Åtgärd".into()),
        },
        ReportEntry::AuditAction {
            action: id("a1"),
            status: ActionStatus::Done,
            evidence: Some("KS 2021-05-12 § 90".into()),
            comment: Some("Åtgärdskommentar".into()),
        },
    ];
    let reports: Vec<FollowUpReport> = entries
        .into_iter()
        .map(|entry| FollowUpReport { period, entry })
        .collect();
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    store
        .record_reports(KS, &reports, "anna", "report all kinds")
        .await
        .unwrap();
    let stored = store.reports(KS, &EntryFilter::default()).await.unwrap();
    store.close().await;
    let mut written: Vec<String> = reports.iter().map(|r| format!("{r:?}")).collect();
    let mut read: Vec<String> = stored.iter().map(|r| format!("{:?}", r.report)).collect();
    written.sort();
    read.sort();
    assert_eq!(read, written);
    assert!(
        stored
            .iter()
            .all(|r| r.reported_by == "anna" && r.version == 1)
    );

    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&sqlx_url(db)).await.unwrap();
    let found = alike(&pool, "followup_entries").await;
    pool.close().await;
    assert!(found.is_empty(), "columns no row tells apart: {found:?}");
}

on_both_backends!(
    every_pair_of_columns_is_told_apart,
    every_kind_of_report_comes_back_as_written,
);
