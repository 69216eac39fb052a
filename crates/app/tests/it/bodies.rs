//! Several bodies' plans in one municipality, as the use cases see them (issue 20): the body a
//! front end shows by default, reporters scoped to the plan of their own body (unit ids are
//! unique only inside one plan), users' units qualified by their body, and two municipalities
//! in one database that never see each other's bodies.

use crate::db::TestDb;
use crate::{admin, example_plan};
use styr_app::{Actor, App, AppError, NewUser, PlanSelector, Role};
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{FollowUpReport, ReportEntry};
use styr_domain::ledger::Month;
use styr_domain::{Id, Plan};

/// The example as if it were Socialnämnden's plan: the same item and unit ids (`ksf`,
/// `ks2020_3`), its own body and version.
pub fn socialnamnden() -> Plan {
    let mut plan = example_plan();
    plan.document.body = Id::parse("sn").unwrap();
    plan.document.title = "Socialnämndens verksamhetsplan 2021".into();
    plan.budget.version.id = Id::parse("sn_2021_proposal").unwrap();
    plan
}

/// The example as another municipality's plan.
fn nacka() -> Plan {
    let mut plan = example_plan();
    plan.municipality.id = Id::parse("nacka").unwrap();
    plan.municipality.name = "Nacka kommun".into();
    plan
}

fn reporter(login: &str, body: Option<&str>, units: &[&str]) -> Actor {
    Actor {
        login: login.to_owned(),
        role: Role::Reporter,
        municipality: Some("haninge".to_owned()),
        units: units.iter().map(|u| Id::parse(u).unwrap()).collect(),
        body: body.map(str::to_owned),
    }
}

fn of(body: &str) -> PlanSelector {
    PlanSelector {
        body: Some(body.to_owned()),
        ..PlanSelector::default()
    }
}

fn started() -> FollowUpReport {
    FollowUpReport {
        period: Month::parse("2021-08").unwrap(),
        entry: ReportEntry::Status {
            assignment: Id::parse("ks2020_3").unwrap(),
            status: AssignmentStatus::Started,
            comment: None,
        },
    }
}

async fn app_with_two_bodies(db: &TestDb) -> App {
    let app = App::open(&db.url).await.expect("open");
    app.import_plan(&admin(), &example_plan()).await.unwrap();
    app.import_plan(&admin(), &socialnamnden()).await.unwrap();
    app
}

async fn the_default_body_is_the_reporters_own_else_the_executive_board(db: &TestDb) {
    let app = App::open(&db.url).await.expect("open");
    app.import_plan(&admin(), &example_plan()).await.unwrap();
    // One body's plan: the selector names no body (read exactly as before bodies).
    let one = app.choose_body(&admin(), None, None).await.unwrap();
    assert_eq!(one.chosen.as_deref(), Some("ks"));
    assert_eq!(one.selector, PlanSelector::default());
    assert!(!one.several());

    app.import_plan(&admin(), &socialnamnden()).await.unwrap();
    let reader = Actor {
        role: Role::Reader,
        ..reporter("lasare", None, &[])
    };
    let choice = app.choose_body(&reader, None, None).await.unwrap();
    let ids: Vec<&str> = choice.bodies.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["ks", "sn"]);
    assert_eq!(choice.bodies[1].name, "Socialnämnden");
    // KS is the executive board: everyone's default but a reporter of another body.
    assert_eq!(choice.chosen.as_deref(), Some("ks"));
    assert_eq!(choice.selector.body.as_deref(), Some("ks"));
    let sn = reporter("snrapportor", Some("sn"), &["ksf"]);
    assert_eq!(
        app.default_body(&sn, None).await.unwrap().as_deref(),
        Some("sn")
    );
    let asked = app.choose_body(&sn, None, Some("ks")).await.unwrap();
    assert_eq!(asked.selector.body.as_deref(), Some("ks"));
    let error = app.choose_body(&sn, None, Some("bun")).await.unwrap_err();
    assert!(matches!(error, AppError::NotFound(_)), "{error}");
    // The follow-up of each body is its own (the cached view is keyed by body too).
    let ks_view = app.follow_up_view(&reader, &of("ks"), None).await.unwrap();
    let sn_view = app.follow_up_view(&reader, &of("sn"), None).await.unwrap();
    assert_eq!(ks_view.plan.document.body.as_str(), "ks");
    assert_eq!(sn_view.plan.document.body.as_str(), "sn");
    app.close().await;
}

async fn a_reporter_reports_only_in_the_plan_of_their_own_body(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    // The same unit id in both plans: `ksf` of Socialnämnden's plan is not KS's `ksf`.
    let sn = reporter("snrapportor", Some("sn"), &["ksf"]);
    let ks = reporter("ksrapportor", Some("ks"), &["ksf"]);
    app.report(&sn, &of("sn"), started()).await.unwrap();
    let error = app.report(&sn, &of("ks"), started()).await.unwrap_err();
    assert!(matches!(error, AppError::Forbidden(_)), "{error}");
    app.report(&ks, &of("ks"), started()).await.unwrap();
    let error = app.report(&ks, &of("sn"), started()).await.unwrap_err();
    assert!(matches!(error, AppError::Forbidden(_)), "{error}");
    // A user from before bodies (units without a body) reports in the executive board's plan.
    let legacy = reporter("gammal", None, &["ksf"]);
    app.report(&legacy, &of("ks"), started()).await.unwrap();
    let error = app.report(&legacy, &of("sn"), started()).await.unwrap_err();
    assert!(matches!(error, AppError::Forbidden(_)), "{error}");
    // What each body's period asks of them follows the same rule.
    let due = app
        .period_due(&sn, &of("ks"), Some(Month::parse("2021-08").unwrap()), None)
        .await
        .unwrap();
    assert!(due.items.iter().all(|e| !e.may_report));
    let due = app
        .period_due(&sn, &of("sn"), Some(Month::parse("2021-08").unwrap()), None)
        .await
        .unwrap();
    assert!(due.items.iter().any(|e| e.may_report));
    app.close().await;
}

async fn a_users_units_are_stored_with_their_body(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    let new = |login: &str, body: Option<&str>, units: &[&str]| NewUser {
        login: login.to_owned(),
        role: Role::Reporter,
        units: units.iter().map(|u| Id::parse(u).unwrap()).collect(),
        body: body.map(str::to_owned),
        municipality: None,
        password: "ett långt testlösenord".to_owned(),
        name: Some("Sara Nilsson".to_owned()),
    };
    // `ksf` is a unit of both plans: the body must be named.
    let error = app
        .add_user(&admin(), &new("snrapportor", None, &["ksf"]))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("ange organet"), "{error}");
    app.add_user(&admin(), &new("snrapportor", Some("sn"), &["ksf"]))
        .await
        .unwrap();
    let error = app
        .add_user(&admin(), &new("x", Some("bun"), &["ksf"]))
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::Invalid(_)), "{error}");
    let users = app.users(&admin()).await.unwrap();
    let stored = users.iter().find(|u| u.login == "snrapportor").unwrap();
    assert_eq!(stored.units, ["sn:ksf"]);
    let session = app
        .login_from("snrapportor", "ett långt testlösenord", "192.0.2.1")
        .await
        .unwrap();
    assert_eq!(session.actor.body.as_deref(), Some("sn"));
    assert_eq!(session.actor.units, [Id::parse("ksf").unwrap()]);
    app.report(&session.actor, &of("sn"), started())
        .await
        .unwrap();
    let error = app
        .report(&session.actor, &of("ks"), started())
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::Forbidden(_)), "{error}");
    app.close().await;
}

async fn two_municipalities_never_see_each_others_bodies(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    app.import_plan(&admin(), &nacka()).await.unwrap();
    let haninge = Actor {
        role: Role::Reader,
        ..reporter("lasare", None, &[])
    };
    let choice = app.choose_body(&haninge, None, None).await.unwrap();
    let ids: Vec<&str> = choice.bodies.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["ks", "sn"]);
    let nacka_reader = Actor {
        municipality: Some("nacka".to_owned()),
        ..haninge.clone()
    };
    let choice = app.choose_body(&nacka_reader, None, None).await.unwrap();
    let ids: Vec<&str> = choice.bodies.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["ks"]);
    // Asking for the other municipality's body: not found, not even confirmed to exist.
    let error = app
        .choose_body(&nacka_reader, None, Some("sn"))
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::NotFound(_)), "{error}");
    let error = app
        .choose_body(&nacka_reader, Some("haninge"), None)
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::NotFound(_)), "{error}");
    let error = app.load_plan(&nacka_reader, &of("sn")).await.unwrap_err();
    assert!(
        matches!(error, AppError::Store(_) | AppError::NotFound(_)),
        "{error}"
    );
    app.close().await;
}

crate::on_both_backends!(
    the_default_body_is_the_reporters_own_else_the_executive_board,
    a_reporter_reports_only_in_the_plan_of_their_own_body,
    a_users_units_are_stored_with_their_body,
    two_municipalities_never_see_each_others_bodies,
);
