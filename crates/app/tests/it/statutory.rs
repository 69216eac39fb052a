//! The municipality's statutory reports (issue 22): the årsredovisning has every R15 heading of
//! the förvaltningsberättelse in order, a heading without its text says "Ej skriven" and makes
//! the report preliminary, the delårsrapport has the helårsprognos beside the outcome, the
//! public sees a report only once its period is closed, and a text of the förvaltningsberättelse
//! is a section of KF's plan whose claims are checked.

use crate::db::TestDb;
use crate::municipality::example_municipality;
use crate::{admin, example_dir};
use styr_app::{AppError, PlanSelector};
use styr_docgen::model::{Block, Document, Inline};
use styr_domain::budget::VersionKind;
use styr_domain::ledger::Month;
use styr_domain::statutory::{R15Heading, text_path};
use styr_reports::ReportKind;

fn kind(slug: &str) -> &'static ReportKind {
    ReportKind::by_slug(slug).unwrap()
}

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn kf() -> PlanSelector {
    PlanSelector {
        body: Some("kf".to_owned()),
        ..PlanSelector::default()
    }
}

fn titles(document: &Document) -> Vec<&str> {
    document.sections.iter().map(|s| s.title.as_str()).collect()
}

fn section_text(document: &Document, title: &str) -> String {
    let section = document
        .sections
        .iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no section {title}"));
    section
        .blocks
        .iter()
        .map(|block| match block {
            Block::Paragraph(runs) | Block::Notice(runs) => Inline::plain(runs),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn the_annual_report_has_every_r15_heading_in_order(db: &TestDb) {
    let app = example_municipality(db).await;
    let year_end = app.annual_period(&admin(), None, 2021).await.unwrap();
    assert_eq!(year_end, month("2021-12"));
    let statutory = app
        .statutory_document(&admin(), None, kind("arsredovisning"), year_end)
        .await
        .unwrap();
    let document = &statutory.document;
    assert_eq!(document.title, "Årsredovisning 2021");
    let shown = titles(document);
    let mut at = shown
        .iter()
        .position(|t| *t == "Förvaltningsberättelse")
        .expect("the förvaltningsberättelse");
    for heading in R15Heading::ALL {
        let next = shown[at..]
            .iter()
            .position(|t| *t == heading.title_sv())
            .unwrap_or_else(|| {
                panic!(
                    "{} missing or out of order in {shown:?}",
                    heading.title_sv()
                )
            });
        at += next;
    }
    let accounts = shown.iter().position(|t| *t == "Räkenskaper").unwrap();
    assert!(
        accounts > at,
        "the räkenskaper follow the förvaltningsberättelse"
    );
    // The R14 driftredovisning and the investeringsredovisning in the räkenskaper; god
    // ekonomisk hushållning assessed under its heading.
    assert!(shown[accounts..].contains(&"Driftredovisning"), "{shown:?}");
    assert!(
        shown[accounts..].contains(&"Investeringsredovisning"),
        "{shown:?}"
    );
    let geh = shown
        .iter()
        .position(|t| *t == R15Heading::SoundFinances.title_sv())
        .unwrap();
    assert_eq!(shown[geh + 1], "God ekonomisk hushållning");
    // What exists is plugged in: KF's goals under Styrning och uppföljning, the koncern's
    // budget under Den kommunala koncernen.
    let governance = shown
        .iter()
        .position(|t| *t == R15Heading::Governance.title_sv())
        .unwrap();
    assert_eq!(shown[governance + 1], "Kommunfullmäktiges mål");
    let koncern = shown
        .iter()
        .position(|t| *t == R15Heading::Koncern.title_sv())
        .unwrap();
    assert_eq!(shown[koncern + 1], "Bolagen och koncernens budget");
    // The authored text, its claim a live figure.
    let text = section_text(document, R15Heading::SoundFinances.title_sv());
    assert!(text.contains("107,0 mnkr"), "{text}");
    assert!(!text.contains("Ej skriven"), "{text}");
    // The bodies' own reports follow as parts.
    assert!(shown.contains(&"Nämndernas redovisningar"));
    app.close().await;
}

async fn a_heading_without_its_text_says_ej_skriven_and_the_report_is_preliminary(db: &TestDb) {
    let app = example_municipality(db).await;
    let complete = app
        .statutory_document(&admin(), None, kind("arsredovisning"), month("2021-12"))
        .await
        .unwrap();
    let reason_before = complete.preliminary.clone().unwrap_or_default();
    assert!(!reason_before.contains("saknar text"), "{reason_before}");
    // KF's plan again without the text under Väsentliga personalförhållanden (as a new
    // version: a decided one is never replaced).
    let dir = example_dir().join("../haninge-kf-2021");
    let mut plan = styr_package::read_dir(&dir).unwrap();
    let missing = text_path(month("2021-12"), R15Heading::Personnel);
    plan.narratives.retain(|n| n.file != missing);
    plan.budget.version.id = styr_domain::Id::parse("kf_2021_adjusted").unwrap();
    plan.budget.version.kind = VersionKind::Adjusted;
    app.import_plan(&admin(), &plan).await.unwrap();
    let statutory = app
        .statutory_document(&admin(), None, kind("arsredovisning"), month("2021-12"))
        .await
        .unwrap();
    let text = section_text(&statutory.document, R15Heading::Personnel.title_sv());
    assert!(text.contains("Ej skriven"), "{text}");
    assert!(text.contains(&missing), "{text}");
    let reason = statutory.preliminary.expect("preliminary");
    assert!(
        reason.contains("saknar text under Väsentliga personalförhållanden"),
        "{reason}"
    );
    assert!(
        statutory
            .document
            .cover_lines
            .iter()
            .any(|l| l.starts_with("Preliminär") && l.contains("personalförhållanden")),
        "{:?}",
        statutory.document.cover_lines
    );
    app.close().await;
}

async fn the_delarsrapport_has_the_helarsprognos_beside_the_outcome(db: &TestDb) {
    let app = example_municipality(db).await;
    let august = month("2021-08");
    let statutory = app
        .statutory_document(&admin(), None, kind("delarsrapport"), august)
        .await
        .unwrap();
    let document = &statutory.document;
    assert_eq!(document.title, "Delårsrapport 2 2021");
    // R17's headings are there (the others too, as the example has texts for them).
    let shown = titles(document);
    for heading in R15Heading::ALL
        .into_iter()
        .filter(|h| h.required_in_interim())
    {
        assert!(shown.contains(&heading.title_sv()), "{heading:?}");
    }
    let table = document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            Block::Table(t) if t.id == "tab-helarsprognos" => Some(t),
            _ => None,
        })
        .expect("the helårsprognos table");
    let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    let outcome = labels.iter().position(|l| *l == "Utfall ack").unwrap();
    assert_eq!(labels[outcome + 1], "Helårsprognos");
    // KS's row: its forecast for the year as the overview (its own budget vs actual) has it.
    let overview = app
        .municipal_overview(&admin(), None, august)
        .await
        .unwrap();
    let ks = overview
        .bodies
        .iter()
        .find(|b| b.body.as_str() == "ks")
        .unwrap();
    let forecast = ks.forecast().expect("KS has a forecast");
    let row = table
        .rows
        .iter()
        .find(|r| Inline::plain(&r.cells[0].content) == ks.name)
        .unwrap();
    let cell = Inline::plain(&row.cells[outcome + 1].content);
    let expected = styr_docgen::format::tkr_whole(forecast);
    assert!(cell.starts_with(&expected), "{cell} vs {expected}");
    app.close().await;
}

async fn the_public_sees_the_statutory_report_once_its_period_is_closed(db: &TestDb) {
    let app = example_municipality(db).await;
    let public = styr_app::Actor::public(Some("haninge".to_owned()));
    let august = month("2021-08");
    let refused = app
        .statutory_document(&public, None, kind("delarsrapport"), august)
        .await
        .unwrap_err();
    assert!(matches!(refused, AppError::NotFound(_)), "{refused:?}");
    let bun = PlanSelector {
        body: Some("bun".to_owned()),
        ..PlanSelector::default()
    };
    app.close_period(&admin(), &bun, august).await.unwrap();
    let statutory = app
        .statutory_document(&public, None, kind("delarsrapport"), august)
        .await
        .unwrap();
    assert!(titles(&statutory.document).contains(&"Förvaltningsberättelse"));
    app.close().await;
}

async fn a_text_of_the_forvaltningsberattelse_is_a_section_with_checked_claims(db: &TestDb) {
    let app = example_municipality(db).await;
    let path = text_path(month("2021-12"), R15Heading::SoundFinances);
    // Listed and previewed as a section of KF's plan …
    let (_, sections) = app.sections(&admin(), &kf()).await.unwrap();
    let info = sections
        .iter()
        .find(|s| s.path == path)
        .expect("the text is a section");
    assert_eq!(
        info.title,
        "Förvaltningsberättelse 2021-12: God ekonomisk hushållning och ekonomisk ställning"
    );
    let section = app.section(&admin(), &kf(), &path).await.unwrap();
    assert!(
        section.preview.contains("107,0 mnkr"),
        "{}",
        section.preview
    );
    // … written in KF's decided plan (the förvaltningsberättelse is follow-up, not the decided
    // budget), and a claim that disagrees with KF's budget is the checker's finding there.
    assert_eq!(section.read_only, None);
    let wrong = section.text.replace("[107,0 mnkr]", "[117,0 mnkr]");
    assert_ne!(wrong, section.text);
    let saved = app
        .save_section(&admin(), &kf(), &path, &section.base, &wrong)
        .await
        .unwrap();
    assert!(
        saved
            .findings
            .iter()
            .any(|f| f.file == path && f.message.contains("117,0 mnkr")),
        "{:?}",
        saved.findings
    );
    // Stored: the report shows the new text, and the plan is still the decided version.
    let statutory = app
        .statutory_document(&admin(), None, kind("arsredovisning"), month("2021-12"))
        .await
        .unwrap();
    let text = section_text(&statutory.document, R15Heading::SoundFinances.title_sv());
    assert!(text.contains("117,0 mnkr"), "{text}");
    let plan = app.load_plan(&admin(), &kf()).await.unwrap();
    assert_eq!(plan.budget.version.kind, VersionKind::Decided);
    assert!(
        plan.narratives
            .iter()
            .any(|n| n.file == path && n.text == wrong)
    );
    assert_eq!(
        app.section(&admin(), &kf(), &path)
            .await
            .unwrap()
            .info
            .revision,
        1
    );
    // The rest of the decided plan stays locked.
    let goals = app.section(&admin(), &kf(), "goals.toml").await.unwrap();
    assert!(goals.read_only.is_some());
    assert!(
        app.save_section(&admin(), &kf(), "goals.toml", &goals.base, &goals.text)
            .await
            .is_err()
    );
    // The list of sections has the förvaltningsberättelse in period and R15 order.
    let listed: Vec<&str> = sections
        .iter()
        .map(|s| s.path.as_str())
        .filter(|p| p.starts_with("forvaltningsberattelse/"))
        .collect();
    let expected: Vec<String> = ["2021-08", "2021-12"]
        .iter()
        .flat_map(|m| R15Heading::ALL.map(|h| text_path(month(m), h)))
        .collect();
    assert_eq!(listed, expected);
    // A heading not yet written for a period is an empty section of KF's plan; its first save
    // adds the text.
    let next = text_path(month("2021-08"), R15Heading::Personnel);
    let dir = example_dir().join("../haninge-kf-2021");
    assert!(dir.join(&next).is_file(), "the example has it");
    let unwritten = text_path(month("2022-04"), R15Heading::SignificantEvents);
    let empty = app.section(&admin(), &kf(), &unwritten).await.unwrap();
    assert_eq!(empty.text, "");
    assert_eq!(empty.read_only, None);
    app.save_section(
        &admin(),
        &kf(),
        &unwritten,
        &empty.base,
        "Skatteintäkterna budgeteras till [4 350 mnkr]{= kf.skatteintakter@2021}.\n",
    )
    .await
    .unwrap();
    let plan = app.load_plan(&admin(), &kf()).await.unwrap();
    assert!(plan.narratives.iter().any(|n| n.file == unwritten));
    // That period's other headings are listed to be written.
    let (_, sections) = app.sections(&admin(), &kf()).await.unwrap();
    let overview = text_path(month("2022-04"), R15Heading::Overview);
    let listed = sections
        .iter()
        .find(|s| s.path == overview)
        .expect("listed");
    assert!(listed.title.ends_with("(ej skriven)"), "{}", listed.title);
    assert_eq!(plan.budget.version.kind, VersionKind::Decided);
    // Not in a body's plan, and not under an unknown heading.
    let ks = PlanSelector {
        body: Some("ks".to_owned()),
        ..PlanSelector::default()
    };
    assert!(app.section(&admin(), &ks, &unwritten).await.is_err());
    assert!(
        app.section(&admin(), &kf(), "forvaltningsberattelse/2022-04/okand.md")
            .await
            .is_err()
    );
    // A reader may not write it.
    let reader = crate::actor("lasare", styr_app::Role::Reader, &[]);
    let section = app.section(&admin(), &kf(), &path).await.unwrap();
    let forbidden = app
        .save_section(&reader, &kf(), &path, &section.base, "Text.")
        .await
        .unwrap_err();
    assert!(matches!(forbidden, AppError::Forbidden(_)), "{forbidden:?}");
    app.close().await;
}

crate::on_both_backends!(
    the_annual_report_has_every_r15_heading_in_order,
    a_heading_without_its_text_says_ej_skriven_and_the_report_is_preliminary,
    the_delarsrapport_has_the_helarsprognos_beside_the_outcome,
    the_public_sees_the_statutory_report_once_its_period_is_closed,
    a_text_of_the_forvaltningsberattelse_is_a_section_with_checked_claims
);
