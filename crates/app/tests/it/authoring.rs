//! Authoring in the browser: a section of the plan saved through the package reader and the
//! checks, with a base token for no lost update, its history and a diff.

use crate::db::TestDb;
use crate::{admin, all, app_with_example};
use styr_app::{Actor, AppError, BaseToken, DiffLine, PlanSelector, Role};

const NARRATIVE: &str = "narrative/driftbudget.md";
const TABLE: &str = "budget/investment.csv";

fn writer(login: &str, body: &str) -> Actor {
    Actor {
        login: login.to_owned(),
        role: Role::Writer,
        municipality: Some("haninge".to_owned()),
        units: Vec::new(),
        body: Some(body.to_owned()),
    }
}

fn ks() -> PlanSelector {
    PlanSelector {
        body: Some("ks".to_owned()),
        ..all()
    }
}

async fn a_saved_section_is_stored_and_the_plan_round_trips(db: &TestDb) {
    let app = app_with_example(db).await;
    let writer = writer("ksskribent", "ks");
    let (_, sections) = app.sections(&writer, &ks()).await.unwrap();
    let narrative = sections.iter().find(|s| s.path == NARRATIVE).unwrap();
    assert_eq!(narrative.title, "Driftbudget");
    assert!(
        sections
            .iter()
            .any(|s| s.path == TABLE && s.title == "Investeringsbudget")
    );
    assert!(!sections.iter().any(|s| s.path == "document.toml"));

    let section = app.section(&writer, &ks(), NARRATIVE).await.unwrap();
    assert_eq!(section.base.revision, 0);
    assert!(section.read_only.is_none());
    assert!(
        section.preview.contains("Driftbudget"),
        "{}",
        section.preview
    );
    let text = section.text.replace(
        "Över tiden arbetar även andra beredningar",
        "Över tiden arbetar också andra beredningar",
    );
    assert_ne!(text, section.text);
    let saved = app
        .save_section(&writer, &ks(), NARRATIVE, &section.base, &text)
        .await
        .unwrap();
    assert_eq!(saved.revision, 1);
    assert_eq!(saved.text, text);
    let ids = |findings: &[styr_checks::Finding]| {
        findings.iter().map(|f| f.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&saved.findings), ids(&section.findings));
    // The stored plan holds the new text, and writes it back as saved.
    let again = app.section(&writer, &ks(), NARRATIVE).await.unwrap();
    assert_eq!(again.text, text);
    assert_eq!(again.base, saved.base);
    let plan = app.load_plan(&admin(), &ks()).await.unwrap();
    let narrative = plan
        .narratives
        .iter()
        .find(|n| n.file == NARRATIVE)
        .unwrap();
    assert!(narrative.text.contains("arbetar också andra"));
    // One audit row, with the text before and after.
    let log = app
        .audit_log(&admin(), &styr_app::AuditFilter::default())
        .await
        .unwrap();
    let row = log.last().unwrap();
    assert_eq!(row.actor, "ksskribent");
    assert!(
        row.action.starts_with("save section haninge/"),
        "{}",
        row.action
    );
    assert!(row.action.ends_with(NARRATIVE));
    assert!(
        row.after
            .as_deref()
            .unwrap()
            .contains("arbetar också andra")
    );
    assert!(
        row.before
            .as_deref()
            .unwrap()
            .contains("arbetar även andra")
    );
}

async fn a_claim_broken_by_an_edit_is_stored_with_its_finding(db: &TestDb) {
    let app = app_with_example(db).await;
    let writer = writer("ksskribent", "ks");
    let section = app.section(&writer, &ks(), NARRATIVE).await.unwrap();
    assert!(
        !section
            .findings
            .iter()
            .any(|f| f.message.contains("20 500")),
        "{:?}",
        section.findings
    );
    let text = section.text.replace(
        "[20 500 tkr]{= op.fortroende.reserv@2021}",
        "[21 500 tkr]{= op.fortroende.reserv@2021}",
    );
    assert_ne!(text, section.text);
    // The preview says so without storing.
    let preview = app
        .preview_section(&writer, &ks(), NARRATIVE, &text)
        .await
        .unwrap();
    assert!(
        preview
            .findings
            .iter()
            .any(|f| f.check == "claim" && f.message.contains("21 500"))
    );
    assert_eq!(
        app.section(&writer, &ks(), NARRATIVE).await.unwrap().text,
        section.text
    );
    let saved = app
        .save_section(&writer, &ks(), NARRATIVE, &section.base, &text)
        .await
        .unwrap();
    let finding = saved
        .findings
        .iter()
        .find(|f| f.check == "claim" && f.message.contains("21 500"))
        .expect("the broken claim's finding");
    assert_eq!(finding.file, NARRATIVE);
    let stored = app.section(&writer, &ks(), NARRATIVE).await.unwrap();
    assert_eq!(stored.text, text);
    assert_eq!(stored.findings.len(), saved.findings.len());
}

async fn a_broken_cell_is_refused_at_its_line_and_field(db: &TestDb) {
    let app = app_with_example(db).await;
    let writer = writer("ksskribent", "ks");
    let section = app.section(&writer, &ks(), TABLE).await.unwrap();
    let text = section.text.replacen(
        "investeringsreserv,Investeringsreserv,line,,50000",
        "investeringsreserv,Investeringsreserv,line,,5O000",
        1,
    );
    assert_ne!(text, section.text);
    let Err(AppError::Invalid(problems)) = app
        .save_section(&writer, &ks(), TABLE, &section.base, &text)
        .await
    else {
        panic!("a broken cell is refused");
    };
    let problem = &problems[0];
    assert_eq!(problem.file.as_deref(), Some(TABLE));
    assert_eq!(problem.line, Some(2));
    assert_eq!(problem.field, "2021");
    // Nothing changed: the text, the revision, the log.
    let after = app.section(&writer, &ks(), TABLE).await.unwrap();
    assert_eq!(after.text, section.text);
    assert_eq!(after.base, section.base);
    assert!(
        app.section_history(&writer, &ks(), TABLE)
            .await
            .unwrap()
            .is_empty()
    );
    // A claim's markup error too.
    let narrative = app.section(&writer, &ks(), NARRATIVE).await.unwrap();
    let broken = narrative.text.replace(
        "[20 500 tkr]{= op.fortroende.reserv@2021}",
        "[20 500 tkr]{= op.fortroende.reserv@@2021}",
    );
    let Err(AppError::Invalid(problems)) = app
        .save_section(&writer, &ks(), NARRATIVE, &narrative.base, &broken)
        .await
    else {
        panic!("a claim's markup error is refused");
    };
    assert!(
        problems
            .iter()
            .all(|p| p.file.as_deref() == Some(NARRATIVE))
    );
}

async fn a_stale_base_is_a_conflict_with_both_texts(db: &TestDb) {
    let app = app_with_example(db).await;
    let first = writer("ksskribent", "ks");
    let second = Actor {
        login: "strateg".to_owned(),
        role: Role::Strategist,
        ..writer("strateg", "ks")
    };
    let start = app.section(&first, &ks(), NARRATIVE).await.unwrap();
    let mine = format!("{}\nEn mening av den första.\n", start.text);
    let theirs = format!("{}\nEn mening av den andra.\n", start.text);
    app.save_section(&first, &ks(), NARRATIVE, &start.base, &mine)
        .await
        .unwrap();
    let Err(AppError::SectionConflict(conflict)) = app
        .save_section(&second, &ks(), NARRATIVE, &start.base, &theirs)
        .await
    else {
        panic!("a save from a stale base is a conflict");
    };
    assert_eq!(conflict.yours, theirs);
    assert_eq!(conflict.current, mine);
    assert_eq!(conflict.base.revision, 1);
    // From the conflict's base the second writer's save goes through.
    app.save_section(&second, &ks(), NARRATIVE, &conflict.base, &theirs)
        .await
        .unwrap();
    // An import that changes the section after the editor opened it: a conflict too, with
    // the imported text as the current one.
    let opened = app.section(&first, &ks(), NARRATIVE).await.unwrap();
    let mut imported = app.load_plan(&admin(), &ks()).await.unwrap();
    let narrative = imported
        .narratives
        .iter_mut()
        .find(|n| n.file == NARRATIVE)
        .unwrap();
    narrative.text.push_str("\nEn mening från en import.\n");
    app.import_plan(&admin(), &imported).await.unwrap();
    let Err(AppError::SectionConflict(conflict)) = app
        .save_section(&first, &ks(), NARRATIVE, &opened.base, &mine)
        .await
    else {
        panic!("a save over an import is a conflict");
    };
    assert!(conflict.current.contains("En mening från en import."));
    assert_eq!(conflict.base.revision, opened.base.revision);
    // A token with the right revision but another text's hash is stale too.
    let wrong = BaseToken::of(2, "något annat");
    assert!(matches!(
        app.save_section(&first, &ks(), NARRATIVE, &wrong, &mine)
            .await,
        Err(AppError::SectionConflict(_))
    ));
}

async fn of_two_concurrent_saves_exactly_one_is_stored(db: &TestDb) {
    let app = app_with_example(db).await;
    let first = writer("ksskribent", "ks");
    let second = Actor {
        login: "strateg".to_owned(),
        role: Role::Strategist,
        ..writer("strateg", "ks")
    };
    let start = app.section(&first, &ks(), NARRATIVE).await.unwrap();
    let a = format!("{}\nA.\n", start.text);
    let b = format!("{}\nB.\n", start.text);
    let save = |actor: Actor, text: String| {
        let (app, base) = (app.clone(), start.base.clone());
        tokio::spawn(async move {
            app.save_section(&actor, &ks(), NARRATIVE, &base, &text)
                .await
        })
    };
    let (one, two) = (save(first.clone(), a), save(second, b));
    let (one, two) = (one.await.unwrap(), two.await.unwrap());
    let stored: Vec<bool> = [&one, &two].iter().map(|r| r.is_ok()).collect();
    assert_eq!(
        stored.iter().filter(|ok| **ok).count(),
        1,
        "{one:?} {two:?}"
    );
    let lost = if one.is_ok() { two } else { one };
    assert!(
        matches!(lost, Err(AppError::SectionConflict(_))),
        "{lost:?}"
    );
    let history = app.section_history(&first, &ks(), NARRATIVE).await.unwrap();
    assert_eq!(
        history.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![0, 1]
    );
}

async fn a_writer_of_another_body_is_refused(db: &TestDb) {
    let app = app_with_example(db).await;
    let other = writer("snskribent", "sn");
    let reader = Actor {
        role: Role::Reader,
        ..writer("politiker", "ks")
    };
    let ks_writer = writer("ksskribent", "ks");
    let start = app.section(&ks_writer, &ks(), NARRATIVE).await.unwrap();
    for actor in [&other, &reader] {
        let section = app.section(actor, &ks(), NARRATIVE).await.unwrap();
        assert!(section.read_only.is_some());
        let refused = app
            .save_section(actor, &ks(), NARRATIVE, &start.base, "x")
            .await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );
    }
    // A decided version is never edited in place.
    app.decide_version(&admin(), &ks(), "kf_2020_11_09_185")
        .await
        .unwrap();
    let Err(AppError::Conflict(message)) = app
        .save_section(&ks_writer, &ks(), NARRATIVE, &start.base, "x")
        .await
    else {
        panic!("a decided version is refused");
    };
    assert!(message.contains("beslutad"), "{message}");
    assert!(message.contains("justerad version"), "{message}");
}

async fn history_and_diff(db: &TestDb) {
    let app = app_with_example(db).await;
    let writer = writer("ksskribent", "ks");
    let start = app.section(&writer, &ks(), NARRATIVE).await.unwrap();
    let one = format!("{}\nFörsta tillägget.\n", start.text);
    let saved = app
        .save_section(&writer, &ks(), NARRATIVE, &start.base, &one)
        .await
        .unwrap();
    let two = one.replace("Första tillägget.", "Andra tillägget.");
    app.save_section(&writer, &ks(), NARRATIVE, &saved.base, &two)
        .await
        .unwrap();
    let history = app
        .section_history(&writer, &ks(), NARRATIVE)
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert_eq!(history[2].saved_by, "ksskribent");
    assert_eq!(history[0].saved_by, "admin");
    let diff = app
        .section_diff(&writer, &ks(), NARRATIVE, 1, Some(2))
        .await
        .unwrap();
    assert!(diff.contains(&DiffLine::Removed("Första tillägget.".to_owned())));
    assert!(diff.contains(&DiffLine::Added("Andra tillägget.".to_owned())));
    let changed = diff
        .iter()
        .filter(|l| !matches!(l, DiffLine::Same(_)))
        .count();
    assert_eq!(changed, 2, "{diff:?}");
    // Against the text now.
    let now = app
        .section_diff(&writer, &ks(), NARRATIVE, 0, None)
        .await
        .unwrap();
    assert!(now.contains(&DiffLine::Added("Andra tillägget.".to_owned())));
}

/// A nämnd's table edited so that its allocation no longer matches KF's frame: refused as an
/// import is, at the file, and nothing stored; KS's plan, cached before, is still the same.
async fn a_frame_off_kf_is_refused(db: &TestDb) {
    let app = app_with_example(db).await;
    let read = |name: &str| {
        let dir = crate::example_dir().join(format!("../haninge-{name}-2021"));
        styr_package::read_dir(&dir).unwrap()
    };
    let mut son = read("son");
    son.budget.version.kind = styr_domain::budget::VersionKind::Proposal;
    app.import_plan(&admin(), &read("kf")).await.unwrap();
    app.import_plan(&admin(), &son).await.unwrap();
    let sn = PlanSelector {
        body: Some("sn".to_owned()),
        ..all()
    };
    let ks_before = app.load_plan(&admin(), &ks()).await.unwrap();
    let table = "budget/operating/sammanstallning.csv";
    let section = app.section(&admin(), &sn, table).await.unwrap();
    // A harmless edit first (a line's name): stored.
    let renamed = section
        .text
        .replace("Vuxna med missbruk", "Vuxna med beroende");
    assert_ne!(renamed, section.text);
    let saved = app
        .save_section(&admin(), &sn, table, &section.base, &renamed)
        .await
        .unwrap();
    assert_eq!(app.load_plan(&admin(), &ks()).await.unwrap(), ks_before);
    let off = renamed.replace(
        "missbruk,Vuxna med beroende,line,,,45000",
        "missbruk,Vuxna med beroende,line,,,46000",
    );
    assert_ne!(off, renamed);
    let Err(AppError::Invalid(problems)) = app
        .save_section(&admin(), &sn, table, &saved.base, &off)
        .await
    else {
        panic!("an allocation off KF's frame is refused");
    };
    assert!(
        problems.iter().any(|p| p.message.contains("KF:s ram")),
        "{problems:?}"
    );
    assert_eq!(
        app.section(&admin(), &sn, table).await.unwrap().text,
        renamed,
        "nothing stored"
    );
}

/// goals.toml is a section too: a goal's title edited is stored.
async fn the_goals_are_a_section(db: &TestDb) {
    let app = app_with_example(db).await;
    let writer = writer("ksskribent", "ks");
    let (plan, sections) = app.sections(&writer, &ks()).await.unwrap();
    let goals = sections.iter().find(|s| s.path == "goals.toml").unwrap();
    assert_eq!(goals.title, "Mål och prioriteringar");
    assert_eq!(goals.kind, styr_app::SectionKind::Toml);
    let section = app.section(&writer, &ks(), "goals.toml").await.unwrap();
    let title = &plan.goals[0].title;
    let text = section.text.replacen(title.as_str(), "Ett nytt mål", 1);
    assert_ne!(text, section.text);
    app.save_section(&writer, &ks(), "goals.toml", &section.base, &text)
        .await
        .unwrap();
    let stored = app.load_plan(&admin(), &ks()).await.unwrap();
    assert_eq!(stored.goals[0].title, "Ett nytt mål");
}


/// The budget process decides whether a save is allowed: once KS's proposal is submitted its
/// writer's save is refused and nothing changes; returned (återremitterad), it is saved again.
async fn a_submitted_proposal_is_not_saved_until_returned(db: &TestDb) {
    let app = app_with_example(db).await;
    let writer = writer("ksskribent", "ks");
    let strategist = Actor {
        login: "strateg".to_owned(),
        role: Role::Strategist,
        municipality: Some("haninge".to_owned()),
        units: Vec::new(),
        body: None,
    };
    let section = app.section(&writer, &ks(), NARRATIVE).await.unwrap();
    app.submit_proposal(&writer, &ks(), None).await.unwrap();
    let shown = app.section(&writer, &ks(), NARRATIVE).await.unwrap();
    assert!(shown.read_only.is_some(), "the editor is read-only once submitted");
    let text = format!("{}\nEn ny mening.\n", section.text);
    let refused = app
        .save_section(&writer, &ks(), NARRATIVE, &section.base, &text)
        .await;
    let Err(AppError::Conflict(message)) = refused else {
        panic!("a submitted proposal is read-only for its writer: {refused:?}");
    };
    assert!(message.contains("inlämnat"), "{message}");
    let unchanged = app.section(&writer, &ks(), NARRATIVE).await.unwrap();
    assert_eq!(unchanged.text, section.text);
    assert_eq!(unchanged.base, section.base);

    app.return_proposal(&strategist, &ks(), "Komplettera driftbudgeten")
        .await
        .unwrap();
    let saved = app
        .save_section(&writer, &ks(), NARRATIVE, &section.base, &text)
        .await
        .unwrap();
    assert_eq!(saved.revision, 1);
}

crate::on_both_backends!(
    a_submitted_proposal_is_not_saved_until_returned,
    the_goals_are_a_section,
    a_frame_off_kf_is_refused,
    a_saved_section_is_stored_and_the_plan_round_trips,
    a_claim_broken_by_an_edit_is_stored_with_its_finding,
    a_broken_cell_is_refused_at_its_line_and_field,
    a_stale_base_is_a_conflict_with_both_texts,
    of_two_concurrent_saves_exactly_one_is_stored,
    a_writer_of_another_body_is_refused,
    history_and_diff,
);
