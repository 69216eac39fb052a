//! Integration tests of the use cases, on real databases: every test runs on SQLite in a
//! temporary folder and on PostgreSQL (`STYR_TEST_POSTGRES_URL`, started by scripts/test.sh),
//! through the store's own test database helper.

// The store's helper for a fresh, migrated database per test (one copy of it in the tree).
// The one rule for a tool a test needs: skip with a reason locally, fail in CI.
#[path = "../../../../tests/tool.rs"]
mod tool;

#[path = "../../../store/tests/it/db.rs"]
#[allow(dead_code)]
mod db;

mod accounts;
mod acknowledgements;
mod alternatives;
mod authoring;
mod bodies;
mod boundary;
mod control;
mod drill;
mod due;
mod excel;
mod followup;
mod kolada;
mod measures;
mod municipality;
mod one_email;
mod operations;
mod paging;
mod plausibility;
mod process;
mod reminders;
mod rollover;
mod security;
mod sie_import;
mod statements;
mod statutory;
mod synthetic;
mod totals;
mod trace_followup;
mod trace_plan;
mod trace_reports;
mod trace_statutory;
mod versions;
mod year_balances;

use std::path::PathBuf;
use styr_app::{Actor, App, PlanSelector, Role};
use styr_domain::{Id, Plan};

pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021")
}

pub fn example_plan() -> Plan {
    match styr_package::read_dir(&example_dir()) {
        Ok(plan) => plan,
        Err(diagnostics) => panic!("the example does not read: {diagnostics:?}"),
    }
}

pub fn admin() -> Actor {
    Actor::local_admin("admin")
}

pub fn actor(login: &str, role: Role, units: &[&str]) -> Actor {
    Actor {
        login: login.to_owned(),
        role,
        municipality: Some("haninge".to_owned()),
        units: units.iter().map(|u| Id::parse(u).unwrap()).collect(),
        body: None,
    }
}

pub fn all() -> PlanSelector {
    PlanSelector::default()
}

/// The app on a test database with the example imported.
pub async fn app_with_example(db: &db::TestDb) -> App {
    let app = App::open(&db.url).await.expect("open");
    app.import_plan(&admin(), &example_plan())
        .await
        .expect("import the example");
    app
}

/// The example as the store gives it back after an import into an empty database.
pub async fn example_plan_as_stored() -> Plan {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("copy.db");
    let copy = App::open(path.to_str().expect("UTF-8"))
        .await
        .expect("open");
    copy.import_plan(&admin(), &example_plan())
        .await
        .expect("import");
    let plan = copy.load_plan(&admin(), &all()).await.expect("load");
    copy.close().await;
    plan
}

/// The example ledger imported, and one forecast for delårsrapport 2 (the KSF line at its
/// budget): what the workbook tests export.
pub async fn with_ledger_and_a_forecast(app: &App) {
    use styr_domain::followup::{FollowUpReport, ReportEntry};
    use styr_domain::ledger::{BudgetLineRef, Month};
    app.import_actuals(
        &admin(),
        &all(),
        &example_dir().join("ledger/ks-2021.se"),
        &mut styr_app::NoProgress,
    )
    .await
    .unwrap();
    let forecast = FollowUpReport {
        period: Month::parse("2021-08").unwrap(),
        entry: ReportEntry::Forecast {
            line: BudgetLineRef::parse("op.ksf.ksf").unwrap(),
            amount: styr_domain::Money::from_tkr(84198).unwrap(),
            comment: None,
            action_plan: None,
        },
    };
    app.report(&admin(), &all(), forecast).await.unwrap();
}
