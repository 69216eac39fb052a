//! The municipal roll-up (issue 20): every body's row is its own budget vs actual, the totals
//! are the sums of the rows, a body without a plan or without reports shows as such, and KF's
//! goals roll up by the domain's rule.

use crate::db::TestDb;
use crate::{admin, example_dir, example_plan};
use styr_app::{App, FrameSource, PlanSelector, Progress};
use styr_domain::assessment::Overall;
use styr_domain::council::{BodyFrame, CouncilBudget};
use styr_domain::followup::GoalAssessment;
use styr_domain::ledger::Month;
use styr_domain::number::MoneyUnit;
use styr_domain::{Id, Money, Plan};
use styr_reports::RowKind;

fn id(text: &str) -> Id {
    Id::parse(text).unwrap()
}

fn body(id: &str) -> PlanSelector {
    PlanSelector {
        body: Some(id.to_owned()),
        ..PlanSelector::default()
    }
}

fn august() -> Month {
    Month::parse("2021-08").unwrap()
}

/// The KS example as another body's plan: the same budget and calendar under body `sn`
/// (Socialnämnden) and a version id of its own.
pub fn as_body(body: &str, version: &str) -> Plan {
    let mut plan = example_plan();
    plan.document.body = id(body);
    plan.budget.version.id = id(version);
    plan
}

/// A KF plan made from the example: its goals are KF's (mal1–mal3), its budget gives KS,
/// Socialnämnden and Äldrenämnden (which has no plan) a frame for 2021.
pub fn council_plan() -> Plan {
    let mut plan = as_body("kf", "kf_2021");
    let frame = |body: &str, tkr: i64| BodyFrame {
        body: id(body),
        year: 2021,
        amount: Money::from_tkr(tkr).unwrap(),
        decision: None,
        at: plan.document.at.clone(),
    };
    plan.council = Some(CouncilBudget {
        synthetic: true,
        decision: Some(id("kf_2020_11_09_185")),
        years: Vec::new(),
        frames: vec![
            frame("ks", 247_000),
            frame("sn", 900_000),
            frame("an", 800_000),
        ],
        central_items: Vec::new(),
        eliminations: Vec::new(),
        financial_goals: Vec::new(),
        geh_judgements: Vec::new(),
        appropriation_changes: Vec::new(),
        at: plan.document.at.clone(),
    });
    plan
}

/// KS's and a copy's goals break KF's down: goal `malN` has KF's `malN` as parent.
fn with_parents(mut plan: Plan) -> Plan {
    for goal in &mut plan.goals {
        goal.parent = Some(goal.id.clone());
    }
    plan
}

/// KS with its ledger and its delårsrapport 2 reports, then Socialnämnden (a copy) with none.
async fn two_bodies(db: &TestDb, parents: bool) -> App {
    let app = App::open(&db.url).await.expect("open");
    let ks = if parents {
        with_parents(example_plan())
    } else {
        example_plan()
    };
    app.import_plan(&admin(), &ks).await.unwrap();
    app.import_actuals(
        &admin(),
        &body("ks"),
        &example_dir().join("ledger/ks-2021.se"),
        &mut styr_app::NoProgress,
    )
    .await
    .unwrap();
    let file = "delar2-2021.csv";
    let bytes = std::fs::read(example_dir().join("followup").join(file)).unwrap();
    app.import_followup(&admin(), &body("ks"), file, &bytes)
        .await
        .unwrap();
    let sn = as_body("sn", "sn_2021");
    let sn = if parents { with_parents(sn) } else { sn };
    app.import_plan(&admin(), &sn).await.unwrap();
    app
}

async fn the_totals_are_the_sums_of_the_body_rows(db: &TestDb) {
    let app = two_bodies(db, false).await;
    let overview = app
        .municipal_overview(&admin(), None, august())
        .await
        .unwrap();
    let names: Vec<&str> = overview.bodies.iter().map(|b| b.body.as_str()).collect();
    assert_eq!(names, ["ks", "sn"]);
    assert!(overview.council.is_none());
    assert!(overview.goals.is_empty());
    let ks = &overview.bodies[0];
    assert_eq!(ks.name, "Kommunstyrelsen");
    // KS's row is its own budget vs actual's operating total as that report prints it (whole
    // tkr, the sum of its printed lines), every column.
    let own = app
        .budget_vs_actual(&admin(), &body("ks"), august())
        .await
        .unwrap()
        .report
        .in_whole(MoneyUnit::Tkr)
        .rows
        .into_iter()
        .find(|r| r.kind == RowKind::OperatingTotal)
        .unwrap();
    assert_eq!(ks.economy.as_ref().unwrap().cell, own.cell);
    assert_eq!(ks.forecast(), own.forecast.map(|f| f.1));
    assert_eq!(ks.forecast_deviation(), own.forecast_deviation);
    // Without KF's plan the frame is the body's own.
    let frame = ks.frame.as_ref().unwrap();
    assert_eq!(frame.source, FrameSource::Own);
    assert_eq!(frame.amount, Money::from_tkr(247_000).unwrap());
    // The totals: each column the sum of the rows.
    let sum = |f: &dyn Fn(&styr_app::BodyOverview) -> Option<Money>| -> Money {
        overview.bodies.iter().map(|b| f(b).unwrap()).sum()
    };
    let totals = &overview.totals;
    assert_eq!(totals.budget, sum(&|b| b.budget));
    // KS's budget is its allocation, the same as its budget vs actual's.
    assert_eq!(ks.budget, Some(Money::from_tkr(247_000).unwrap()));
    assert_eq!(ks.budget, own.cell.budget().map(|b| b.annual));
    assert_eq!(totals.actual(), Some(sum(&|b| b.actual())));
    assert_eq!(totals.forecast(), Some(sum(&|b| b.forecast())));
    assert_eq!(
        totals.forecast_deviation(),
        Some(sum(&|b| b.forecast_deviation()))
    );
    assert_eq!(
        totals
            .economy
            .as_ref()
            .unwrap()
            .cell
            .comparison()
            .unwrap()
            .deviation,
        sum(&|b| Some(b.economy.as_ref()?.cell.comparison()?.deviation))
    );
    assert_eq!(totals.frame, Money::from_tkr(2 * 247_000).unwrap());
    // KS has reported; Socialnämnden, with the same calendar, nothing yet.
    let (ks_reported, ks_due) = ks.progress.counts().unwrap();
    assert!(ks_reported > 0 && ks_reported <= ks_due);
    let sn = &overview.bodies[1];
    assert_eq!(sn.progress.counts(), Some((0, ks_due)));
    assert_eq!(sn.progress.label_sv(), format!("0 av {ks_due}"));
    assert_eq!((totals.reported, totals.due), (ks_reported, 2 * ks_due));
    app.close().await;
}

async fn kf_gives_the_frames_and_its_goals_roll_up(db: &TestDb) {
    let app = two_bodies(db, true).await;
    app.import_plan(&admin(), &council_plan()).await.unwrap();
    let overview = app
        .municipal_overview(&admin(), Some("haninge"), august())
        .await
        .unwrap();
    let council = overview.council.as_ref().expect("KF's plan");
    assert_eq!(council.body.as_str(), "kf");
    // KF's order; Äldrenämnden has a frame but no plan.
    let names: Vec<&str> = overview.bodies.iter().map(|b| b.body.as_str()).collect();
    assert_eq!(names, ["ks", "sn", "an"]);
    let sn = &overview.bodies[1];
    assert_eq!(sn.frame.as_ref().unwrap().source, FrameSource::Council);
    assert_eq!(
        sn.frame.as_ref().unwrap().amount,
        Money::from_tkr(900_000).unwrap()
    );
    assert_eq!(
        sn.frame.as_ref().unwrap().decision.as_ref().map(Id::as_str),
        Some("kf_2020_11_09_185")
    );
    let an = &overview.bodies[2];
    assert_eq!(an.name, "Äldrenämnden");
    assert!(an.plan.is_none() && an.economy.is_none());
    assert_eq!(an.progress, Progress::NoPlan);
    assert_eq!(an.progress.label_sv(), "ingen plan");
    // The frames shown sum, Äldrenämnden's included; the economy sums the two with figures.
    assert_eq!(
        overview.totals.frame,
        Money::from_tkr(247_000 + 900_000 + 800_000).unwrap()
    );
    assert_eq!(
        overview.totals.budget,
        overview.bodies[0].budget.unwrap() + sn.budget.unwrap()
    );
    assert_eq!(an.budget, None);
    // KF's goals: KS assessed mal1 (Uppfyllt), mal2 and mal3 (Delvis uppfyllt); Socialnämnden
    // has not, so each is "Ej bedömd" with the spread beside it.
    assert_eq!(overview.goals.len(), 3);
    let mal1 = &overview.goals[0];
    assert_eq!(mal1.goal.as_str(), "mal1");
    let given: Vec<(&str, Option<GoalAssessment>)> = mal1
        .contributions
        .iter()
        .map(|c| (c.body.as_str(), c.assessment))
        .collect();
    assert_eq!(given, [("ks", Some(GoalAssessment::Met)), ("sn", None)]);
    assert_eq!(mal1.rolled_up.overall, Overall::NotAssessed);
    assert_eq!(mal1.rolled_up.not_assessed, 1);
    assert!(mal1.rolled_up.counts.contains(&(GoalAssessment::Met, 1)));
    // Socialnämnden assesses mal1 as Ej uppfyllt: the worst reported level is the verdict.
    let report = styr_domain::followup::FollowUpReport {
        period: august(),
        entry: styr_domain::followup::ReportEntry::Assessment {
            goal: id("mal1"),
            assessment: GoalAssessment::NotMet,
            motivation: "Målet nås inte under året.".to_owned(),
        },
    };
    app.report(&admin(), &body("sn"), report).await.unwrap();
    let overview = app
        .municipal_overview(&admin(), Some("haninge"), august())
        .await
        .unwrap();
    let mal1 = &overview.goals[0];
    assert_eq!(
        mal1.rolled_up.overall,
        Overall::Assessed(GoalAssessment::NotMet)
    );
    assert_eq!(mal1.rolled_up.overall.label_sv(), "Ej uppfyllt");
    assert_eq!(mal1.rolled_up.not_assessed, 0);
    // Socialnämnden's progress moved by its one report.
    assert_eq!(overview.bodies[1].progress.counts().unwrap().0, 1);
    app.close().await;
}

fn package(name: &str) -> Plan {
    let dir = example_dir().join(format!("../haninge-{name}-2021"));
    styr_package::read_dir(&dir).unwrap_or_else(|d| panic!("{name} does not read: {d:?}"))
}

/// The example municipality (KF, KS, BUN, SN and Haninge Bostäder AB) with KS's ledger and
/// delårsrapport 2 reports.
pub async fn example_municipality(db: &TestDb) -> App {
    let app = App::open(&db.url).await.expect("open");
    for name in ["kf", "ks", "bun", "son", "bostader"] {
        app.import_plan(&admin(), &package(name)).await.unwrap();
    }
    app.import_actuals(
        &admin(),
        &body("ks"),
        &example_dir().join("ledger/ks-2021.se"),
        &mut styr_app::NoProgress,
    )
    .await
    .unwrap();
    let file = "delar2-2021.csv";
    let bytes = std::fs::read(example_dir().join("followup").join(file)).unwrap();
    app.import_followup(&admin(), &body("ks"), file, &bytes)
        .await
        .unwrap();
    app
}

async fn the_example_municipality_rolls_up(db: &TestDb) {
    let app = example_municipality(db).await;
    let overview = app
        .municipal_overview(&admin(), None, august())
        .await
        .unwrap();
    let council = overview.council.as_ref().expect("KF's plan");
    assert_eq!(
        council.decision.as_ref().map(Id::as_str),
        Some("kf_2020_11_09_185")
    );
    // Every body KF gives a frame, in KF's order; the company apart.
    let frames = package("kf").council.unwrap();
    let framed: Vec<&str> = frames
        .frames
        .iter()
        .filter(|f| f.year == 2021 && f.body.as_str() != "bostader")
        .map(|f| f.body.as_str())
        .collect();
    let shown: Vec<&str> = overview.bodies.iter().map(|b| b.body.as_str()).collect();
    assert_eq!(shown, framed);
    let find = |id: &str| {
        overview
            .bodies
            .iter()
            .find(|b| b.body.as_str() == id)
            .unwrap()
    };
    // KS: KF's frame, its allocation, its own economy; BUN: a plan, its allocation, nothing
    // booked on its lines (the example ledger is KS's) and nothing reported yet.
    let ks = find("ks");
    assert_eq!(ks.frame.as_ref().unwrap().source, FrameSource::Council);
    assert_eq!(
        ks.frame.as_ref().unwrap().amount,
        Money::from_tkr(247_000).unwrap()
    );
    assert!(ks.economy.is_some());
    // Koncernen: KF's result + Haninge Bostäder's 42 000 at 100 % − 3 000 of eliminations,
    // each row as its plan states it and the result their sum.
    let koncern = overview.koncern.as_ref().expect("KF and a company");
    let tkr = |t: i64| Money::from_tkr(t).unwrap();
    assert_eq!(koncern.municipal_result, Some(tkr(107_000)));
    assert_eq!(koncern.companies.len(), 1);
    assert_eq!(koncern.companies[0].share, Some(tkr(42_000)));
    assert_eq!(koncern.eliminations, tkr(3_000));
    assert_eq!(koncern.result, Some(tkr(107_000 + 42_000 - 3_000)));
    let bun = find("bun");
    assert_eq!(bun.name, "Barn- och utbildningsnämnden");
    assert_eq!(bun.budget, Some(Money::from_tkr(2_600_000).unwrap()));
    assert!(matches!(bun.progress, Progress::Due { reported: 0, .. }));
    let an = find("an");
    assert_eq!(an.progress, Progress::NoPlan);
    // Each total is the sum of its column.
    let totals = &overview.totals;
    let frames_shown: Money = overview
        .bodies
        .iter()
        .filter_map(|b| b.frame.as_ref().map(|f| f.amount))
        .sum();
    assert_eq!(totals.frame, frames_shown);
    assert_eq!(
        totals.budget,
        overview.bodies.iter().filter_map(|b| b.budget).sum()
    );
    assert_eq!(
        totals.actual(),
        Some(overview.bodies.iter().filter_map(|b| b.actual()).sum())
    );
    assert_eq!(
        totals.forecast(),
        Some(overview.bodies.iter().filter_map(|b| b.forecast()).sum())
    );
    let counts: Vec<(usize, usize)> = overview
        .bodies
        .iter()
        .filter_map(|b| b.progress.counts())
        .collect();
    assert_eq!(totals.reported, counts.iter().map(|c| c.0).sum::<usize>());
    assert_eq!(totals.due, counts.iter().map(|c| c.1).sum::<usize>());
    // The company.
    let [company] = overview.companies.as_slice() else {
        panic!("one company: {:?}", overview.companies);
    };
    assert_eq!(company.name, "Haninge Bostäder AB");
    assert!(company.ownership_percent.is_some());
    assert!(company.requirement.is_some() && company.budgeted_result.is_some());
    // KF's five goals; goal 1 has KS's Uppfyllt beside bodies that have not assessed.
    assert_eq!(overview.goals.len(), 5);
    let goal1 = &overview.goals[0];
    assert!(goal1.contributions.len() > 1);
    let ks_says: Vec<Option<GoalAssessment>> = goal1
        .contributions
        .iter()
        .filter(|c| c.body.as_str() == "ks")
        .map(|c| c.assessment)
        .collect();
    assert_eq!(ks_says, [Some(GoalAssessment::Met)]);
    assert_eq!(goal1.rolled_up.overall, Overall::NotAssessed);
    assert_eq!(goal1.rolled_up.not_assessed, goal1.contributions.len() - 1);
    app.close().await;
}

async fn the_public_sees_a_bodys_figures_once_its_period_is_closed(db: &TestDb) {
    let app = example_municipality(db).await;
    let public = styr_app::Actor::public(Some("haninge".to_owned()));
    let overview = app
        .municipal_overview(&public, None, august())
        .await
        .unwrap();
    let find = |overview: &styr_app::MunicipalOverview, id: &str| {
        overview
            .bodies
            .iter()
            .find(|b| b.body.as_str() == id)
            .unwrap()
            .clone()
    };
    // KS's plan is a proposal: not published, so the public sees KF's frame only.
    assert_eq!(find(&overview, "ks").progress, Progress::NoPlan);
    assert!(find(&overview, "ks").economy.is_none());
    // BUN's period is open: its follow-up is a draft.
    assert_eq!(find(&overview, "bun").progress, Progress::NotPublished);
    assert_eq!(overview.totals.reported + overview.totals.due, 0);
    // The same period asked by a controller right after: not the public's (cached) overview.
    let internal = app
        .municipal_overview(&admin(), None, august())
        .await
        .unwrap();
    assert!(find(&internal, "ks").economy.is_some());
    assert!(matches!(
        find(&internal, "bun").progress,
        Progress::Due { .. }
    ));
    // And the public's again, from the cache, still without them.
    let again = app
        .municipal_overview(&public, None, august())
        .await
        .unwrap();
    assert_eq!(find(&again, "ks").progress, Progress::NoPlan);
    app.close_period(&admin(), &body("bun"), august())
        .await
        .unwrap();
    let overview = app
        .municipal_overview(&public, None, august())
        .await
        .unwrap();
    assert!(matches!(
        find(&overview, "bun").progress,
        Progress::Due { reported: 0, .. }
    ));
    assert_eq!(find(&overview, "sn").progress, Progress::NotPublished);
    app.close().await;
}

/// Koncernens sammanställda budget is held as the tables print it: with an ägarandel that
/// gives a share in kronor, the share is whole tkr and the rows add up to the result.
async fn the_koncern_is_held_as_printed(db: &TestDb) {
    let app = App::open(&db.url).await.expect("open");
    let mut kf = package("kf");
    for company in kf.bodies.iter_mut().filter(|b| b.id.as_str() == "bostader") {
        company.ownership_percent = Some("33.33".parse().unwrap());
    }
    app.import_plan(&admin(), &kf).await.unwrap();
    for name in ["ks", "bostader"] {
        app.import_plan(&admin(), &package(name)).await.unwrap();
    }
    let overview = app
        .municipal_overview(&admin(), None, august())
        .await
        .unwrap();
    let koncern = overview.koncern.expect("KF and a company");
    let tkr = |t: i64| Money::from_tkr(t).unwrap();
    // 42 000 tkr × 33,33 % = 13 998,6 tkr, printed 13 999; 107 000 + 13 999 − 3 000.
    assert_eq!(koncern.companies[0].share, Some(tkr(13_999)));
    assert_eq!(koncern.result, Some(tkr(107_000 + 13_999 - 3_000)));
    app.close().await;
}

crate::on_both_backends!(
    the_koncern_is_held_as_printed,
    the_public_sees_a_bodys_figures_once_its_period_is_closed,
    the_totals_are_the_sums_of_the_body_rows,
    kf_gives_the_frames_and_its_goals_roll_up,
    the_example_municipality_rolls_up
);
