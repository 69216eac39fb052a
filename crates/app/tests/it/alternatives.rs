//! Alternative budgets (issue 21, item 5) on both backends: derived from KF's stored plan, a
//! frame changed and the result recomputed, the balance rule refusing a submit with the
//! margin, the owner rule, a stale edit, the comparison's totals and the audit rows.

use crate::db::TestDb;
use crate::{actor, admin, example_dir};
use styr_app::{AppError, AuditFilter, FrameInput, NewAlternative, Role, StoreError};
use styr_domain::Money;
use styr_domain::alternative::{AlternativeState, ComparisonRowKind};

fn tkr(amount: i64) -> Money {
    Money::from_tkr(amount).unwrap()
}

/// The app with KF's plan of the example imported (result 107 000 tkr, goal 2,0 % of
/// 5 300 000 tkr = 106 000 tkr).
async fn with_kf(db: &TestDb) -> styr_app::App {
    let app = styr_app::App::open(&db.url).await.expect("open");
    let kf = styr_package::read_dir(&example_dir().join("../haninge-kf-2021")).expect("KF reads");
    app.import_plan(&admin(), &kf).await.expect("import KF");
    app
}

fn new(party: &str) -> NewAlternative {
    NewAlternative {
        party: party.to_owned(),
        title: format!("{party}s budget 2021"),
        year: Some(2021),
    }
}

async fn a_frame_breaking_the_goal_cannot_be_submitted(db: &TestDb) {
    let app = with_kf(db).await;
    let politician = actor("politiker", Role::Politician, &[]);
    let created = app
        .create_alternative(&politician, None, &new("Moderaterna"))
        .await
        .unwrap();
    let id = created.alternative.id;
    assert_eq!(id, 1);
    assert_eq!(created.alternative.state, AlternativeState::Draft);
    assert_eq!(created.alternative.base_version, "kf_2021_decided");
    assert_eq!(created.balance.result, tkr(107_000));
    assert_eq!(created.balance.margin(), tkr(1_000));
    assert_eq!(created.frames_total, tkr(4_813_000));

    // Socialnämnden +27 000 tkr: the result 80 000 tkr, 26 000 under the goal.
    let raised = app
        .set_alternative_frame(&politician, None, id, Some(1), "sn", "927 000")
        .await
        .unwrap();
    assert_eq!(raised.alternative.version, 2);
    assert_eq!(raised.balance.result, tkr(80_000));
    assert_eq!(raised.balance.margin(), tkr(-26_000));
    assert_eq!(
        raised.alternative.frames.len(),
        1,
        "only the change is stored"
    );
    let error = app
        .submit_alternative(&politician, None, id, Some(2))
        .await
        .unwrap_err();
    let AppError::Invalid(problems) = &error else {
        panic!("{error}")
    };
    assert_eq!(
        problems[0].message,
        "Resultatet 80 000 tkr är 26 000 tkr under det finansiella målet (2,0 % av \
         skatteintäkter och generella statsbidrag = 106 000 tkr); förslaget kan inte lämnas in \
         eller publiceras."
    );
    let stored = app.alternative(&politician, None, id).await.unwrap();
    assert_eq!(stored.alternative.state, AlternativeState::Draft);
    assert_eq!(stored.alternative.version, 2, "nothing was written");

    // Lowered to 900 500 (+500): the result 106 500, submitted.
    app.set_alternative_frames(
        &politician,
        None,
        id,
        Some(2),
        &[FrameInput {
            body: "sn".into(),
            amount: "900500".into(),
        }],
    )
    .await
    .unwrap();
    let submitted = app
        .submit_alternative(&politician, None, id, Some(3))
        .await
        .unwrap();
    assert_eq!(submitted.alternative.state, AlternativeState::Submitted);
    assert_eq!(submitted.balance.margin(), tkr(500));
    // Submitted: read-only for its author.
    let error = app
        .set_alternative_frame(&politician, None, id, None, "sn", "900000")
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::Conflict(_)), "{error}");

    // Audit: create, frames twice, submit.
    let entries = app
        .audit_log(
            &admin(),
            &AuditFilter {
                action_contains: Some("alternative haninge/1".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "create alternative haninge/1",
            "frames alternative haninge/1",
            "frames alternative haninge/1",
            "submit alternative haninge/1"
        ]
    );
    assert!(
        entries[1]
            .after
            .as_deref()
            .unwrap()
            .contains("frame sn: 927000")
    );
    assert!(
        entries[2]
            .before
            .as_deref()
            .unwrap()
            .contains("frame sn: 927000")
    );
    app.close().await;
}

async fn only_the_author_edits_and_a_stale_edit_is_refused(db: &TestDb) {
    let app = with_kf(db).await;
    let first = actor("politiker", Role::Politician, &[]);
    let other = actor("annan", Role::Politician, &[]);
    let id = app
        .create_alternative(&first, None, &new("Vänsterpartiet"))
        .await
        .unwrap()
        .alternative
        .id;
    // Another politician does not even see the draft; a reader cannot create one.
    let error = app
        .set_alternative_frame(&other, None, id, None, "ks", "1")
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::NotFound(_)), "{error}");
    let error = app
        .create_alternative(&actor("lasare", Role::Reader, &[]), None, &new("X"))
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::Forbidden(_)), "{error}");
    // Submitted, the other politician sees it but may not edit it.
    app.submit_alternative(&first, None, id, None)
        .await
        .unwrap();
    assert_eq!(app.alternatives(&other, None).await.unwrap().len(), 1);
    let public = styr_app::Actor::public(Some("haninge".into()));
    assert!(app.alternatives(&public, None).await.unwrap().is_empty());
    // Two edits based on the same version: the second is stale, nothing written.
    let second = app
        .create_alternative(&first, None, &new("Liberalerna"))
        .await
        .unwrap()
        .alternative;
    app.set_alternative_frame(&first, None, second.id, Some(1), "ks", "250000")
        .await
        .unwrap();
    let error = app
        .set_alternative_frame(&first, None, second.id, Some(1), "ks", "240000")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            AppError::Store(StoreError::StaleAlternative {
                expected: 1,
                current: 2,
                ..
            })
        ),
        "{error}"
    );
    let stored = app.alternative(&first, None, second.id).await.unwrap();
    assert_eq!(stored.alternative.frames[0].amount, tkr(250_000));
    // A bad amount and an unknown or company body are refused at their field, nothing stored.
    let error = app
        .set_alternative_frames(
            &first,
            None,
            second.id,
            None,
            &[
                FrameInput {
                    body: "ks".into(),
                    amount: "tolv".into(),
                },
                FrameInput {
                    body: "bostader".into(),
                    amount: "1".into(),
                },
            ],
        )
        .await
        .unwrap_err();
    let AppError::Invalid(problems) = &error else {
        panic!("{error}")
    };
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0].field, "frame.ks");
    assert_eq!(problems[1].field, "frame.bostader");
    // Goals under KF's goals, assignments to bodies; an unknown parent is refused at its field.
    let with_goal = app
        .add_alternative_goal(&first, None, second.id, None, "Fler poliser", Some("mal3"))
        .await
        .unwrap();
    assert_eq!(
        with_goal.alternative.goals[0]
            .parent
            .as_ref()
            .unwrap()
            .as_str(),
        "mal3"
    );
    let error = app
        .add_alternative_goal(&first, None, second.id, None, "X", Some("mal99"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, AppError::Invalid(p) if p[0].field == "parent"),
        "{error}"
    );
    let error = app
        .add_alternative_goal(&first, None, second.id, None, "  ", None)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, AppError::Invalid(p) if p[0].field == "goal"),
        "{error}"
    );
    app.add_alternative_goal(&first, None, second.id, None, "Kortare köer", None)
        .await
        .unwrap();
    let with_assignment = app
        .add_alternative_assignment(&first, None, second.id, None, "Utred nattis", Some("sn"))
        .await
        .unwrap();
    assert_eq!(with_assignment.alternative.assignments.len(), 1);
    let removed = app
        .remove_alternative_goal(&first, None, second.id, None, 0)
        .await
        .unwrap();
    let goals: Vec<&str> = removed
        .alternative
        .goals
        .iter()
        .map(|g| g.text.as_str())
        .collect();
    assert_eq!(goals, ["Kortare köer"]);
    let removed = app
        .remove_alternative_assignment(&first, None, second.id, None, 0)
        .await
        .unwrap();
    assert!(removed.alternative.assignments.is_empty());
    // The secretary publishes the submitted one; the public sees it then.
    let secretary = actor("sekreterare", Role::Secretary, &[]);
    app.publish_alternative(&first, None, id, None)
        .await
        .unwrap_err();
    let reader = actor("lasare", Role::Reader, &[]);
    let Err(AppError::Forbidden(_)) = app.publish_alternative(&reader, None, id, None).await else {
        panic!("a reader may not publish");
    };
    app.publish_alternative(&secretary, None, id, None)
        .await
        .unwrap();
    // A controller counts as the strategist, as everywhere in the process: refused only
    // because it is published already, not for the role.
    let controller = actor("controller", Role::Controller, &[]);
    let Err(AppError::Conflict(_)) = app.publish_alternative(&controller, None, id, None).await
    else {
        panic!("a controller may publish; this one is published already");
    };
    assert_eq!(app.alternatives(&public, None).await.unwrap().len(), 1);
    app.close().await;
}

async fn the_comparison_totals_are_the_sums_of_its_lines(db: &TestDb) {
    let app = with_kf(db).await;
    let politician = actor("politiker", Role::Politician, &[]);
    let id = app
        .create_alternative(&politician, None, &new("Majoriteten"))
        .await
        .unwrap()
        .alternative
        .id;
    app.set_alternative_frame(&politician, None, id, None, "bun", "2 590 000")
        .await
        .unwrap();
    app.set_alternative_tax(&politician, None, id, None, "19,93", "4 372 000")
        .await
        .unwrap();
    let comparison = app
        .compare_alternatives(&politician, None, Some(2021))
        .await
        .unwrap();
    assert_eq!(comparison.columns.len(), 2);
    let row = |kind| {
        comparison
            .rows
            .iter()
            .filter(move |r| r.kind == kind)
            .collect::<Vec<_>>()
    };
    let frames = row(ComparisonRowKind::Frame);
    assert_eq!(
        frames.len(),
        8,
        "KF's nämnder and styrelser, not the company"
    );
    for column in 0..2 {
        let sum: Money = frames.iter().map(|r| r.cells[column].amount).sum();
        assert_eq!(
            row(ComparisonRowKind::FramesTotal)[0].cells[column].amount,
            sum
        );
        let value = |kind| row(kind)[0].cells[column].amount;
        assert_eq!(
            value(ComparisonRowKind::Result),
            value(ComparisonRowKind::TaxRevenue)
                + value(ComparisonRowKind::Grants)
                + value(ComparisonRowKind::FinancialNet)
                - value(ComparisonRowKind::FramesTotal)
                - value(ComparisonRowKind::CentralTotal)
        );
        assert_eq!(
            value(ComparisonRowKind::Result),
            comparison.columns[column].balance.result
        );
    }
    // −10 000 on BUN, +22 000 tax: 107 000 + 32 000; the goal moves with the income.
    let result = &row(ComparisonRowKind::Result)[0].cells[1];
    assert_eq!(result.amount, tkr(139_000));
    assert_eq!(result.difference, tkr(32_000));
    assert_eq!(
        row(ComparisonRowKind::Required)[0].cells[1].amount,
        tkr(106_440)
    );
    let bun = frames
        .iter()
        .find(|r| r.id.as_ref().is_some_and(|i| i.as_str() == "bun"))
        .unwrap();
    assert!(bun.cells[1].differs());
    assert_eq!(bun.cells[1].difference, tkr(-10_000));
    // As a document: the table is there.
    let html = app
        .render_comparison(
            &politician,
            None,
            Some(2021),
            styr_app::DocumentFormat::Html,
        )
        .await
        .unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(
        html.contains("Majoriteten: Majoritetens budget 2021"),
        "{html}"
    );
    assert!(html.contains("(−10\u{a0}000)"));
    let pdf = app
        .render_alternative(&politician, None, id, styr_app::DocumentFormat::Pdf)
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    app.close().await;
}

crate::on_both_backends!(
    a_frame_breaking_the_goal_cannot_be_submitted,
    only_the_author_edits_and_a_stale_edit_is_refused,
    the_comparison_totals_are_the_sums_of_its_lines
);
