//! A plan comes back from the store exactly as it went in: the bundled example byte for byte
//! through the package writer, and field for field (locations aside), including the corners
//! the example does not reach.

use crate::db::TestDb;
use crate::{assert_same_plan, example_plan, municipal_plan, on_both_backends};
use rust_decimal::Decimal;
use std::str::FromStr;
use styr_domain::Id;
use styr_domain::Money;
use styr_domain::control::{
    ActionStatus, AuditAction, Recommendation, RiskAssessment, RiskBand, RiskDecision, RiskScale,
};

async fn example_round_trips_byte_for_byte(db: &TestDb) {
    let plan = example_plan();
    let store = db.open().await;
    let summary = store.import_plan(&plan, "test").await.unwrap();
    assert_eq!(
        (
            summary.municipality.as_str(),
            summary.version.as_str(),
            summary.kind.as_str()
        ),
        ("haninge", "ks_2021_proposal", "proposal")
    );
    assert!(!summary.replaced);
    assert_eq!(summary.rows_in("assignments"), 19);
    assert_eq!(summary.rows_in("exploitation_rows"), 37);
    assert_eq!(summary.rows_in("narratives"), plan.narratives.len() as u64);

    let loaded = store.load_plan(None, None, None).await.unwrap();
    assert_same_plan(&loaded, &plan);
    let by_key = store
        .load_plan(Some("haninge"), None, Some("ks_2021_proposal"))
        .await
        .unwrap();
    assert_same_plan(&by_key, &plan);
    store.close().await;

    // Reopening runs the migrations again (nothing to do) and finds the plan.
    let store = db.open().await;
    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &plan);
    store.close().await;
    assert_eq!(
        db.count("schema_migrations").await,
        styr_store::newest_schema_version()
    );
}

async fn every_field_round_trips(db: &TestDb) {
    let mut plan = example_plan();
    // Empty text is not a missing value.
    plan.goal_areas[0].description = Some(String::new());
    plan.goal_areas[1].description = None;
    plan.bodies[0].note = Some("En \"citerad\" rad;\noch en till — med å, ä, ö".into());
    // Decimals keep their scale; money keeps its öre and its sign.
    plan.indicator_values[0].value = Decimal::from_str("80.90").unwrap();
    plan.indicator_values[1].value = Decimal::from_str("-0.001").unwrap();
    plan.figures[0].value = Decimal::from_str("217.000").unwrap();
    plan.budget.frames[0].amount = Money::from_ore(-123_456_789_012);
    plan.budget.exploitation.rows[0].income = None;
    // A finance row id repeated further down is a second row, as the package reader makes it.
    let repeated = plan.budget.finance.rows[0].clone();
    plan.budget.finance.rows.push(repeated);
    plan.budget.frame_change = None;
    plan.acknowledgements = vec![
        styr_domain::acknowledgement::Acknowledgement {
            finding: "total:budget/operating/sammanstallning.csv:summa:2020".into(),
            reason: "Tryckt så; \"citat\" och å".into(),
            by: "controller".into(),
            at: "2026-11-27T10:00:00.000000Z".into(),
            location: Default::default(),
        },
        styr_domain::acknowledgement::Acknowledgement {
            finding: "row:budget/finance.csv:personalomkostnader:2020".into(),
            reason: "Andra".into(),
            by: "admin".into(),
            at: "2026-11-27T11:00:00.000000Z".into(),
            location: Default::default(),
        },
    ];
    plan.control.audits[0].recommendations = vec![
        Recommendation {
            id: Id::parse("r2").unwrap(),
            text: "Andra".into(),
            actions: vec![
                AuditAction {
                    id: Id::parse("a2").unwrap(),
                    text: "Stäng".into(),
                    owner: None,
                    due: None,
                    status: ActionStatus::ClosedWithoutAction,
                    evidence: None,
                    reason: Some("Rekommendationen gäller inte längre".into()),
                },
                AuditAction {
                    id: Id::parse("a1").unwrap(),
                    text: "Gör".into(),
                    owner: Some(Id::parse("ksf").unwrap()),
                    due: Some("2021-06-30".into()),
                    status: ActionStatus::Done,
                    evidence: Some("KS 2021-05-12 § 90".into()),
                    reason: None,
                },
            ],
        },
        Recommendation {
            id: Id::parse("r1").unwrap(),
            text: "Första".into(),
            actions: Vec::new(),
        },
    ];
    // A scale of its own, and a risk assessed over three years with the latest first in the
    // package's order kept.
    plan.control.scale = Some(RiskScale {
        likelihood: 5,
        consequence: 3,
        bands: vec![
            RiskBand {
                min_score: 1,
                label: "Låg".into(),
                colour: "#00ff00".into(),
            },
            RiskBand {
                min_score: 6,
                label: "Hög".into(),
                colour: "#ff0000".into(),
            },
        ],
    });
    plan.control.risks[0].decision = Some(RiskDecision::Accept);
    plan.control.risks[0].assessments = vec![
        RiskAssessment {
            year: 2019,
            likelihood: 5,
            consequence: 1,
        },
        RiskAssessment {
            year: 2021,
            likelihood: 2,
            consequence: 3,
        },
    ];
    plan.control.risks[1].assessments.clear();
    plan.control.controls[0].periods = vec!["2021-12".parse().unwrap(), "2021-04".parse().unwrap()];
    plan.assignments[0].responsible.reverse();
    plan.sections[0].show = vec![
        "inv".parse().unwrap(),
        "op.fortroende".parse().unwrap(),
        "goal.mal1".parse().unwrap(),
    ];

    // Migration 0017's fields: a company's ägarandel keeps its scale, a goal's parent or none,
    // KF's budget (a frame without a decision of its own, a negative finance net) and a
    // company's budget, side by side in one plan (the store does not judge which belongs where).
    plan.bodies[1].kind = styr_domain::org::BodyKind::Company;
    plan.bodies[1].ownership_percent = Some(Decimal::from_str("50.50").unwrap());
    plan.goals[1].parent = None;
    plan.assignments[1].goal = Some(Id::parse("mal3").unwrap());
    let mut council = municipal_plan("kf").council.expect("KF's budget");
    council.frames[0].decision = None;
    council.years[0].financial_net = Money::from_ore(-2_500_000_001);
    council.synthetic = false;
    plan.council = Some(council);
    plan.company = municipal_plan("bostader").company;

    let store = db.open().await;
    store.import_plan(&plan, "test").await.unwrap();
    let loaded = store.load_plan(None, None, None).await.unwrap();
    assert_same_plan(&loaded, &plan);
    assert_eq!(loaded.indicator_values[0].value.to_string(), "80.90");
    assert_eq!(loaded.budget.frame_change, None);
    assert_eq!(
        loaded.bodies[1].ownership_percent.map(|p| p.to_string()),
        Some("50.50".into())
    );
    assert_eq!(loaded.goals[0].parent, Some(Id::parse("mal1").unwrap()));
    assert!(loaded.council.is_some() && loaded.company.is_some());
    // Migration 0021: KF's financial goal keeps its scale.
    assert_eq!(
        loaded
            .council
            .as_ref()
            .and_then(|c| c.result_goal())
            .and_then(|goal| goal.share.map(|share| share.to_string())),
        Some("2.0".into())
    );
    store.close().await;
}

/// Each package of the example municipality comes back as imported: KF's plan with its
/// council budget and no investment, exploitation or finance budget, the nämnder, and the
/// company with its ägarandel and budget. (KF first: the follow-up calendar is still the
/// municipality's, and the nämnder's calendars are the same.)
async fn the_example_municipality_round_trips(db: &TestDb) {
    let store = db.open().await;
    for name in ["kf", "bun", "son", "bostader"] {
        let plan = municipal_plan(name);
        let summary = store.import_plan(&plan, "test").await.unwrap();
        let loaded = store
            .load_plan(Some("haninge"), None, Some(&summary.version))
            .await
            .unwrap();
        assert_same_plan(&loaded, &plan);
    }
    assert_eq!(db.count("council_frames").await, 9);
    assert_eq!(db.count("council_items").await, 3);
    assert_eq!(db.count("company_years").await, 1);
    store.close().await;
}

/// Migration 0022: the ramberäkning's base and every kind of line, decimals with their scale,
/// missing cells missing; a plan without one has no rows.
async fn frame_calculation_round_trips(db: &TestDb) {
    use styr_domain::budget::{FrameLine, FrameLineKind};
    let mut plan = example_plan();
    let calc = plan
        .budget
        .frame_calculation
        .as_mut()
        .expect("the example's");
    calc.base_version = None;
    calc.decision = None;
    calc.synthetic = false;
    calc.base_amount = Money::from_ore(-1);
    calc.lines[0].percent = Some(Decimal::from_str("-1.250").unwrap());
    calc.lines[0].amount = Some(Money::from_tkr(4_400).unwrap());
    calc.lines.push(FrameLine {
        id: Id::parse("elever").unwrap(),
        kind: FrameLineKind::Demography,
        label: "Fler elever; \"citat\" och å".into(),
        percent: None,
        volume: Some(Decimal::from_str("37.0").unwrap()),
        unit_cost: Some(Decimal::from_str("98.50").unwrap()),
        amount: None,
        decision: None,
        at: Default::default(),
    });
    let store = db.open().await;
    store.import_plan(&plan, "test").await.unwrap();
    let loaded = store.load_plan(None, None, None).await.unwrap();
    assert_same_plan(&loaded, &plan);
    let lines = &loaded.budget.frame_calculation.as_ref().unwrap().lines;
    assert_eq!(
        lines[0].percent.map(|p| p.to_string()),
        Some("-1.250".into())
    );
    assert_eq!(
        lines[4].unit_cost.map(|p| p.to_string()),
        Some("98.50".into())
    );
    assert_eq!(db.count("frame_calculation_lines").await, 5);

    plan.budget.frame_calculation = None;
    store.import_plan(&plan, "test").await.unwrap();
    let loaded = store.load_plan(None, None, None).await.unwrap();
    assert_eq!(loaded.budget.frame_calculation, None);
    assert_eq!(db.count("frame_calculations").await, 0);
    assert_eq!(db.count("frame_calculation_lines").await, 0);
    store.close().await;
}

async fn an_empty_database_has_no_plan(db: &TestDb) {
    let store = db.open().await;
    assert_eq!(store.plans().await.unwrap(), vec![]);
    assert_eq!(store.audit_log(&Default::default()).await.unwrap(), vec![]);
    let error = store.load_plan(None, None, None).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "databasen har inga planer: importera en plan först"
    );
    assert!(matches!(error, styr_store::StoreError::NotFound(_)));
    store.close().await;
}

on_both_backends!(
    example_round_trips_byte_for_byte,
    every_field_round_trips,
    the_example_municipality_round_trips,
    frame_calculation_round_trips,
    an_empty_database_has_no_plan,
);
