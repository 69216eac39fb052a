//! Integration tests of the store. Every test is an async function of a fresh, migrated
//! database ([`db::TestDb`]) and runs twice: on SQLite in a temporary folder and on PostgreSQL
//! (a fresh database on the server `STYR_TEST_POSTGRES_URL` names; `scripts/test.sh` starts
//! one). Without that variable the PostgreSQL tests fail in CI (`CI=1`, set by `.ci/run`) and
//! skip with a printed reason elsewhere (`tests/tool.rs`).

// The one rule for a tool a test needs: skip with a reason locally, fail in CI.
#[path = "../../../../tests/tool.rs"]
mod tool;

mod actuals;
mod audit;
mod bodies;
mod columns;
mod concurrency;
mod control;
mod db;
mod decided;
mod failure;
mod municipalities;
mod paging;
mod process;
mod replace;
mod roles;
mod round_trip;
mod schema_version;
mod sqlite_file;
mod statements;
mod tenants;
mod unreachable;
mod versions;

use std::path::PathBuf;
use styr_domain::Plan;
use styr_package::{Files, write_files};
use styr_store::{Owner, Store};

// Here rather than in `db.rs`: that file is shared with the use cases' and the web
// application's tests, and the web application must not depend on the store.
impl db::TestDb {
    pub async fn open(&self) -> Store {
        match Store::open(&self.url).await {
            Ok(store) => store,
            Err(error) => panic!("opening {}: {error}", self.url),
        }
    }
}

/// The example's owner of follow-up: Haninge's Kommunstyrelsen.
pub const KS: Owner<'static> = Owner {
    municipality: "haninge",
    body: "ks",
};

/// A second municipality's Kommunstyrelsen.
pub const NYNASHAMN: Owner<'static> = Owner {
    municipality: "nynashamn",
    body: "ks",
};

pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021")
}

/// The bundled Haninge example, read with the package reader.
pub fn example_plan() -> Plan {
    match styr_package::read_dir(&example_dir()) {
        Ok(plan) => plan,
        Err(diagnostics) => panic!("the example does not read: {diagnostics:?}"),
    }
}

/// Asserts that two plans write the same package files, byte for byte, naming the first file
/// that differs.
pub fn assert_same_files(actual: &Plan, expected: &Plan) {
    let (actual, expected): (Files, Files) = (write_files(actual), write_files(expected));
    let actual_paths: Vec<&String> = actual.files.keys().collect();
    let expected_paths: Vec<&String> = expected.files.keys().collect();
    assert_eq!(actual_paths, expected_paths);
    for (path, bytes) in &expected.files {
        assert_eq!(
            String::from_utf8_lossy(&actual.files[path]),
            String::from_utf8_lossy(bytes),
            "{path} differs"
        );
    }
    assert_eq!(actual, expected);
}

/// The plan with every location cleared: the store does not keep where values were read from.
pub fn without_locations(plan: &Plan) -> Plan {
    fn clear<T>(items: &mut [T], at: impl Fn(&mut T) -> &mut styr_domain::Location) {
        for item in items {
            *at(item) = styr_domain::Location::default();
        }
    }
    let mut plan = plan.clone();
    plan.document.at = Default::default();
    clear(&mut plan.bodies, |x| &mut x.at);
    clear(&mut plan.units, |x| &mut x.at);
    clear(&mut plan.decisions, |x| &mut x.at);
    clear(&mut plan.starting_points, |x| &mut x.at);
    clear(&mut plan.goal_areas, |x| &mut x.at);
    clear(&mut plan.goals, |x| &mut x.at);
    clear(&mut plan.priorities, |x| &mut x.at);
    clear(&mut plan.indicators, |x| &mut x.at);
    clear(&mut plan.indicator_values, |x| &mut x.at);
    clear(&mut plan.kolada.comparison, |x| &mut x.at);
    clear(&mut plan.assignments, |x| &mut x.at);
    clear(&mut plan.mentions, |x| &mut x.at);
    clear(&mut plan.statuses, |x| &mut x.at);
    clear(&mut plan.periods, |x| &mut x.at);
    clear(&mut plan.figures, |x| &mut x.at);
    clear(&mut plan.control.risks, |x| &mut x.at);
    clear(&mut plan.control.controls, |x| &mut x.at);
    clear(&mut plan.control.audits, |x| &mut x.at);
    clear(&mut plan.sections, |x| &mut x.at);
    for narrative in &mut plan.narratives {
        clear(&mut narrative.claims, |x| &mut x.at);
    }
    clear(&mut plan.acknowledgements, |x| &mut x.location);
    clear(&mut plan.ledger.rules, |x| &mut x.at);
    clear(&mut plan.ledger.units, |x| &mut x.at);
    clear(&mut plan.ledger.projects, |x| &mut x.at);
    clear(&mut plan.ledger.profiles, |x| &mut x.at);
    clear(&mut plan.personnel.hours, |x| &mut x.at);
    clear(&mut plan.personnel.staff, |x| &mut x.at);
    clear(&mut plan.activity.measures, |x| &mut x.at);
    clear(&mut plan.activity.budget, |x| &mut x.at);
    let budget = &mut plan.budget;
    budget.version.at = Default::default();
    clear(&mut budget.frames, |x| &mut x.at);
    clear(&mut budget.operating, |x| &mut x.at);
    for table in &mut budget.operating {
        clear(&mut table.rows, |x| &mut x.at);
    }
    budget.investment.at = Default::default();
    clear(&mut budget.investment.rows, |x| &mut x.at);
    clear(&mut budget.investment.projects, |x| &mut x.at);
    budget.exploitation.at = Default::default();
    clear(&mut budget.exploitation.rows, |x| &mut x.at);
    budget.finance.at = Default::default();
    for row in &mut budget.finance.rows {
        clear(&mut row.lines, |x| &mut x.at);
    }
    clear(&mut budget.finance.summary, |x| &mut x.at);
    if let Some(change) = &mut budget.frame_change {
        change.at = Default::default();
        clear(&mut change.components, |x| &mut x.at);
    }
    if let Some(calc) = &mut budget.frame_calculation {
        calc.at = Default::default();
        clear(&mut calc.lines, |x| &mut x.at);
    }
    if let Some(council) = &mut plan.council {
        council.at = Default::default();
        clear(&mut council.years, |x| &mut x.at);
        clear(&mut council.frames, |x| &mut x.at);
        clear(&mut council.central_items, |x| &mut x.at);
        clear(&mut council.eliminations, |x| &mut x.at);
        clear(&mut council.financial_goals, |x| &mut x.at);
        clear(&mut council.geh_judgements, |x| &mut x.at);
        clear(&mut council.appropriation_changes, |x| &mut x.at);
    }
    if let Some(company) = &mut plan.company {
        company.at = Default::default();
        clear(&mut company.years, |x| &mut x.at);
    }
    clear(&mut plan.statements.rules, |x| &mut x.at);
    clear(&mut plan.statements.budget, |x| &mut x.at);
    clear(&mut plan.statements.balance_items, |x| &mut x.at);
    plan
}

/// One package of the example municipality (`kf`, `bun`, `son`, `bostader`), read.
pub fn municipal_plan(name: &str) -> Plan {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(format!("haninge-{name}-2021"));
    match styr_package::read_dir(&dir) {
        Ok(plan) => plan,
        Err(diagnostics) => panic!("{name} does not read: {diagnostics:?}"),
    }
}

/// Asserts that a loaded plan is the imported one: equal field for field once locations are
/// cleared, and writing the same files.
pub fn assert_same_plan(loaded: &Plan, imported: &Plan) {
    assert_same_files(loaded, imported);
    assert_eq!(without_locations(loaded), without_locations(imported));
}
