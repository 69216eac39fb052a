//! The budget process (issue 21): a body's proposal through its states with who and when, the
//! calendar and who is late, beredning's questions, on both backends.

use crate::bodies::socialnamnden;
use crate::db::TestDb;
use crate::{admin, example_plan};
use styr_app::process::{
    CalendarChange, Milestone, MoveInput, ProposalState, QuestionFilter, Transition,
};
use styr_app::{Actor, App, AppError, AuditFilter, PlanSelector, Role};
use styr_domain::budget::VersionKind;
use styr_store::StoreError;

fn person(login: &str, role: Role, body: Option<&str>) -> Actor {
    Actor {
        login: login.to_owned(),
        role,
        municipality: Some("haninge".to_owned()),
        units: Vec::new(),
        body: body.map(str::to_owned),
    }
}

fn of(body: &str) -> PlanSelector {
    PlanSelector {
        body: Some(body.to_owned()),
        ..PlanSelector::default()
    }
}

async fn app_with_two_bodies(db: &TestDb) -> App {
    let app = App::open(&db.url).await.expect("open");
    app.import_plan(&admin(), &example_plan()).await.unwrap();
    app.import_plan(&admin(), &socialnamnden()).await.unwrap();
    app
}

async fn audit_actions(app: &App, contains: &str) -> Vec<(String, Option<String>)> {
    app.audit_log(
        &admin(),
        &AuditFilter {
            action_contains: Some(contains.to_owned()),
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap()
    .into_iter()
    .map(|e| (e.actor, e.after))
    .collect()
}

async fn the_whole_path_with_who_and_when(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    let writer = person("snskribent", Role::Writer, Some("sn"));
    let strategist = person("strateg", Role::Strategist, None);
    let secretary = person("sekreterare", Role::Secretary, None);
    let sn = of("sn");

    let start = app.proposal_state(&writer, &sn).await.unwrap();
    assert_eq!(start.state, ProposalState::Utkast);
    assert_eq!(start.last, None);
    assert_eq!(start.transitions, [Transition::Submit]);
    app.require_editable(&writer, &app.load_plan(&admin(), &sn).await.unwrap())
        .await
        .unwrap();

    app.submit_proposal(&writer, &sn, None).await.unwrap();
    // Submitted: read-only for the writer, with who and when in the refusal.
    let plan = app.load_plan(&admin(), &sn).await.unwrap();
    let Err(AppError::Conflict(message)) = app.require_editable(&writer, &plan).await else {
        panic!("a submitted proposal is read-only for its writer");
    };
    assert!(
        message.starts_with("Förslaget är inlämnat 20") && message.contains("av snskribent"),
        "{message}"
    );
    assert!(message.ends_with("det kan inte ändras förrän det återremitteras."));
    // The strategist may still edit it; a writer may not return it.
    app.require_editable(&strategist, &plan).await.unwrap();
    assert!(matches!(
        app.return_proposal(&writer, &sn, "nej").await,
        Err(AppError::Forbidden(_))
    ));

    app.return_proposal(&strategist, &sn, "Ramen för äldreomsorgen överskrids")
        .await
        .unwrap();
    app.require_editable(&writer, &plan).await.unwrap();
    app.submit_proposal(&writer, &sn, Some("Justerad"))
        .await
        .unwrap();
    // The secretary may not submit for the body, but records KS's proposal.
    app.propose_ks(&secretary, &sn, None).await.unwrap();
    let Err(AppError::Conflict(message)) = app.require_editable(&writer, &plan).await else {
        panic!("KS's proposal is not the writer's to edit");
    };
    assert!(
        message.starts_with("Förslaget är KS-förslag sedan 20")
            && message.contains("(sekreterare)"),
        "{message}"
    );
    let state = app.proposal_state(&secretary, &sn).await.unwrap();
    assert_eq!(state.state, ProposalState::KsForslag);
    assert_eq!(state.transitions, [Transition::Decide]);
    // KF's decision must be one of the plan.
    assert!(matches!(
        app.decide_proposal(&secretary, &sn, "finns_inte").await,
        Err(AppError::Invalid(_))
    ));
    app.decide_proposal(&secretary, &sn, "kf_2020_11_09_185")
        .await
        .unwrap();

    let history = app.proposal_history(&writer, &sn).await.unwrap();
    let path: Vec<(i64, ProposalState, &str)> = history
        .iter()
        .map(|r| (r.seq, r.state, r.actor.as_str()))
        .collect();
    assert_eq!(
        path,
        [
            (1, ProposalState::Inlamnad, "snskribent"),
            (2, ProposalState::Aterremitterad, "strateg"),
            (3, ProposalState::Inlamnad, "snskribent"),
            (4, ProposalState::KsForslag, "sekreterare"),
            (5, ProposalState::Beslutad, "sekreterare"),
        ]
    );
    assert_eq!(
        history[1].comment.as_deref(),
        Some("Ramen för äldreomsorgen överskrids")
    );
    assert_eq!(history[4].decision.as_deref(), Some("kf_2020_11_09_185"));
    assert!(history.windows(2).all(|w| w[0].at <= w[1].at));

    // Decided: the version is decided and immutable, by the existing rules.
    let decided = app.load_plan(&admin(), &sn).await.unwrap();
    assert_eq!(decided.budget.version.kind, VersionKind::Decided);
    assert!(matches!(
        app.import_plan(&admin(), &socialnamnden()).await,
        Err(AppError::Store(StoreError::DecidedVersion { .. }))
    ));
    assert!(matches!(
        app.require_editable(&strategist, &decided).await,
        Err(AppError::Conflict(_))
    ));
    // KS's plan was never touched.
    assert_eq!(
        app.proposal_state(&admin(), &of("ks")).await.unwrap().state,
        ProposalState::Utkast
    );
    // One audit row per move (and the decided version's own).
    let moves = audit_actions(&app, "proposal state haninge/sn/sn_2021_proposal").await;
    assert_eq!(moves.len(), 5);
    assert_eq!(moves[0].0, "snskribent");
    assert_eq!(
        moves[1].1.as_deref(),
        Some("state: aterremitterad; comment: Ramen för äldreomsorgen överskrids")
    );
    assert_eq!(
        audit_actions(&app, "decide version haninge/sn_2021_proposal")
            .await
            .len(),
        1
    );
    // In Swedish in the audit log.
    let described = app
        .audit_log_described(
            &admin(),
            &AuditFilter {
                action_contains: Some("proposal state".to_owned()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        described[1].description,
        "Förslaget sn_2021_proposal (organet sn) blev återremitterad"
    );
    assert_eq!(
        described[1].after.as_deref(),
        Some("status: återremitterad; kommentar: Ramen för äldreomsorgen överskrids")
    );
}

async fn a_writer_of_another_body_is_refused(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    let ks_writer = person("ksskribent", Role::Writer, Some("ks"));
    let sn = of("sn");
    assert!(matches!(
        app.submit_proposal(&ks_writer, &sn, None).await,
        Err(AppError::Forbidden(_))
    ));
    let plan = app.load_plan(&admin(), &sn).await.unwrap();
    assert!(matches!(
        app.require_editable(&ks_writer, &plan).await,
        Err(AppError::Forbidden(_))
    ));
    // A politician and a reader move nothing.
    for role in [Role::Politician, Role::Reader, Role::Reporter] {
        assert!(matches!(
            app.submit_proposal(&person("x", role, None), &sn, None)
                .await,
            Err(AppError::Forbidden(_))
        ));
    }
    assert!(
        app.proposal_history(&admin(), &sn)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_return_needs_a_comment(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    let sn = of("sn");
    app.submit_proposal(&admin(), &sn, None).await.unwrap();
    let strategist = person("strateg", Role::Strategist, None);
    for comment in ["", "   "] {
        let Err(AppError::Invalid(problems)) = app.return_proposal(&strategist, &sn, comment).await
        else {
            panic!("a return without a comment is refused");
        };
        assert_eq!(problems[0].field, "comment");
    }
    // A move the process does not have: inlämnad cannot be submitted again.
    assert!(matches!(
        app.submit_proposal(&admin(), &sn, None).await,
        Err(AppError::Conflict(_))
    ));
    assert_eq!(app.proposal_history(&admin(), &sn).await.unwrap().len(), 1);
}

async fn a_concurrent_move_is_a_conflict(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    let sn = of("sn");
    // Two people saw the utkast (seq 0) and both submit it, at once.
    let seen = MoveInput {
        expected_seq: Some(0),
        ..MoveInput::default()
    };
    let writer = person("snskribent", Role::Writer, Some("sn"));
    let strategist = person("strateg", Role::Strategist, None);
    let (a, b) = tokio::join!(
        app.move_proposal(&writer, &sn, Transition::Submit, &seen),
        app.move_proposal(&strategist, &sn, Transition::Submit, &seen),
    );
    let (won, lost) = match (a, b) {
        (Ok(won), Err(lost)) | (Err(lost), Ok(won)) => (won, lost),
        other => panic!("exactly one of two concurrent moves wins: {other:?}"),
    };
    assert_eq!(won.seq, 1);
    assert!(
        matches!(lost, AppError::Store(StoreError::ProposalMoved { .. })),
        "{lost:?}"
    );
    // A return by someone who saw the utkast is refused the same way.
    let late = MoveInput {
        expected_seq: Some(0),
        comment: Some("för sent".to_owned()),
        decision: None,
    };
    assert!(matches!(
        app.move_proposal(&strategist, &sn, Transition::Return, &late)
            .await,
        Err(AppError::Store(StoreError::ProposalMoved { .. }))
    ));
    assert_eq!(app.proposal_history(&admin(), &sn).await.unwrap().len(), 1);
}

async fn the_overview_shows_who_is_late(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    let strategist = person("strateg", Role::Strategist, None);
    for (milestone, date) in [
        (Milestone::Planeringsdirektiv, "2020-03-15"),
        (Milestone::Inlamning, "2020-09-30"),
        (Milestone::Kf, "2020-11-09"),
    ] {
        app.set_calendar(
            &strategist,
            None,
            &CalendarChange {
                year: 2021,
                milestone,
                body: None,
                date: Some(date),
                synthetic: false,
            },
        )
        .await
        .unwrap();
    }
    // KS gets a later inlämning of its own.
    let calendar = app
        .set_calendar(
            &strategist,
            None,
            &CalendarChange {
                year: 2021,
                milestone: Milestone::Inlamning,
                body: Some("ks"),
                date: Some("2020-10-15"),
                synthetic: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(calendar.len(), 4);
    // Bad input and a role that may not set the calendar.
    let bad = CalendarChange {
        year: 2021,
        milestone: Milestone::Ks,
        body: None,
        date: Some("2020-02-30"),
        synthetic: false,
    };
    assert!(matches!(
        app.set_calendar(&strategist, None, &bad).await,
        Err(AppError::Invalid(_))
    ));
    let good = CalendarChange {
        date: Some("2020-10-26"),
        ..bad
    };
    assert!(matches!(
        app.set_calendar(&person("w", Role::Writer, Some("sn")), None, &good)
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(
        audit_actions(&app, "budget calendar haninge/2021")
            .await
            .len(),
        4
    );

    let reader = person("lasare", Role::Reader, None);
    let row = |o: &styr_app::process::ProcessOverview, body: &str| {
        o.bodies
            .iter()
            .find(|b| b.status.body == body)
            .cloned()
            .unwrap()
    };
    // On 2020-10-01 Socialnämnden is late, KS is not yet.
    let before = app
        .process_overview(&reader, None, None, "2020-10-01")
        .await
        .unwrap();
    assert_eq!(before.year, 2021);
    assert!(row(&before, "sn").late);
    assert_eq!(row(&before, "sn").deadline.as_deref(), Some("2020-09-30"));
    assert!(!row(&before, "ks").late);
    assert_eq!(row(&before, "ks").deadline.as_deref(), Some("2020-10-15"));
    assert!(row(&before, "ks").status.transitions.is_empty());
    // After both deadlines, the submitted body is not late.
    app.submit_proposal(
        &person("snskribent", Role::Writer, Some("sn")),
        &of("sn"),
        None,
    )
    .await
    .unwrap();
    let after = app
        .process_overview(&reader, None, Some(2021), "2020-11-01")
        .await
        .unwrap();
    assert!(!row(&after, "sn").late);
    assert_eq!(row(&after, "sn").status.state, ProposalState::Inlamnad);
    assert_eq!(
        row(&after, "sn").status.last.as_ref().unwrap().actor,
        "snskribent"
    );
    assert!(row(&after, "ks").late);
    assert_eq!(after.late().count(), 1);
    // The public sees no process.
    assert!(matches!(
        app.process_overview(&Actor::public(None), None, None, "2020-11-01")
            .await,
        Err(AppError::Forbidden(_))
    ));
}

async fn questions_are_asked_answered_and_published(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    let politician = person("politiker", Role::Politician, None);
    let strategist = person("strateg", Role::Strategist, None);
    let sn_writer = person("snskribent", Role::Writer, Some("sn"));
    let ks_writer = person("ksskribent", Role::Writer, Some("ks"));
    let asked = app
        .ask_question(
            &politician,
            &of("sn"),
            "op.ksf.trygghet",
            "Varför ökar kostnaden för trygghetsskapande åtgärder?",
        )
        .await
        .unwrap();
    assert_eq!(asked.id, 1);
    assert_eq!(asked.body, "sn");
    assert_eq!(asked.year, 2021);
    assert!(asked.is_open());
    // Only politicians (and the administrator) ask; empty questions are refused.
    assert!(matches!(
        app.ask_question(&strategist, &of("sn"), "x", "y").await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        app.ask_question(&politician, &of("ks"), "ram", " ").await,
        Err(AppError::Invalid(_))
    ));
    let second = app
        .ask_question(&politician, &of("ks"), "Ramen", "Hur stor är reserven?")
        .await
        .unwrap();
    assert_eq!(second.id, 2);

    // A writer of another body may not answer; Socialnämnden's writer may.
    assert!(matches!(
        app.answer_question(&ks_writer, None, 1, "svar", false)
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        app.answer_question(&politician, None, 1, "svar", false)
            .await,
        Err(AppError::Forbidden(_))
    ));
    let answered = app
        .answer_question(&sn_writer, None, 1, "Fler väktare i centrum.", false)
        .await
        .unwrap();
    assert!(!answered.is_open());
    assert!(!answered.published);
    let published = app
        .answer_question(&strategist, None, 1, "Fler väktare i centrum.", true)
        .await
        .unwrap();
    assert!(published.published);
    assert_eq!(published.answered_by.as_deref(), Some("strateg"));
    assert!(matches!(
        app.answer_question(&strategist, None, 9, "x", true).await,
        Err(AppError::NotFound(_))
    ));

    let open = app
        .questions(
            &politician,
            None,
            &QuestionFilter {
                open: Some(true),
                ..QuestionFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(open.iter().map(|q| q.id).collect::<Vec<_>>(), [2]);
    let of_sn = app
        .questions(
            &politician,
            None,
            &QuestionFilter {
                body: Some("sn".to_owned()),
                ..QuestionFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(of_sn.len(), 1);
    // The public sees the published answers only.
    let public = app
        .questions(&Actor::public(None), None, &QuestionFilter::default())
        .await
        .unwrap();
    assert_eq!(public.iter().map(|q| q.id).collect::<Vec<_>>(), [1]);
    app.answer_question(&strategist, None, 1, "Fler väktare i centrum.", false)
        .await
        .unwrap();
    assert!(
        app.questions(&Actor::public(None), None, &QuestionFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    let overview = app
        .process_overview(&politician, None, None, "2020-10-01")
        .await
        .unwrap();
    let ks = overview
        .bodies
        .iter()
        .find(|b| b.status.body == "ks")
        .unwrap();
    assert_eq!((ks.open_questions, ks.questions), (1, 1));

    let asks = audit_actions(&app, "beredning question").await;
    assert_eq!(asks.len(), 2);
    assert_eq!(asks[0].0, "politiker");
    let answers = audit_actions(&app, "beredning answer haninge/1").await;
    assert_eq!(
        answers
            .iter()
            .map(|(a, after)| (a.as_str(), after.as_deref().unwrap_or("")))
            .collect::<Vec<_>>(),
        [
            (
                "snskribent",
                "answer: Fler väktare i centrum.; published: 0"
            ),
            ("strateg", "answer: Fler väktare i centrum.; published: 1"),
            ("strateg", "answer: Fler väktare i centrum.; published: 0"),
        ]
    );
}

async fn the_secretary_decides_a_version_too(db: &TestDb) {
    let app = app_with_two_bodies(db).await;
    let secretary = person("sekreterare", Role::Secretary, None);
    let plan = app
        .decide_version(&secretary, &of("ks"), "kf_2020_11_09_185")
        .await
        .unwrap();
    assert_eq!(plan.budget.version.kind, VersionKind::Decided);
    // Decided outside the process: the process says beslutad, and no move is left.
    let state = app.proposal_state(&secretary, &of("ks")).await.unwrap();
    assert_eq!(state.state, ProposalState::Beslutad);
    assert!(state.transitions.is_empty());
    assert!(matches!(
        app.decide_version(
            &person("w", Role::Writer, Some("sn")),
            &of("sn"),
            "kf_2020_11_09_185"
        )
        .await,
        Err(AppError::Forbidden(_))
    ));
}

crate::on_both_backends!(
    the_whole_path_with_who_and_when,
    a_writer_of_another_body_is_refused,
    a_return_needs_a_comment,
    a_concurrent_move_is_a_conflict,
    the_overview_shows_who_is_late,
    questions_are_asked_answered_and_published,
    the_secretary_decides_a_version_too,
);
