//! The statutory report's hook (issue 22): sections plugged under an R15 heading follow that
//! heading's text two levels down, sections plugged into the räkenskaper follow its chapter one
//! level down, every heading the law asks for is there (with "Ej skriven" where KF's plan has
//! no text), and the delårsrapport has R17's headings only unless others have content.

use crate::municipal::municipality;
use styr_docgen::model::{Block, Inline, Section};
use styr_docgen::statutory::{
    NOT_WRITTEN, StatutoryParts, StatutoryReport, compose_statutory_report, heading_id,
};
use styr_domain::document::Narrative;
use styr_domain::ledger::Month;
use styr_domain::statutory::{R15Heading, text_path};
use styr_reports::ReportKind;

fn section(id: &str, title: &str) -> Section {
    Section {
        id: id.to_owned(),
        level: 1,
        title: title.to_owned(),
        blocks: vec![
            Block::Subheading {
                level: 2,
                text: "Underrubrik".to_owned(),
            },
            Block::Paragraph(vec![Inline::text("Beräknat.")]),
        ],
    }
}

#[test]
fn plugged_sections_are_placed_under_their_heading_and_in_the_accounts() {
    let (overview, parts) = municipality();
    let council = parts[0].0.clone();
    let mut statutory = StatutoryParts::from_overview(&overview);
    statutory.add(
        R15Heading::BalanceRequirement,
        vec![section("balanskrav", "Balanskravsutredning")],
    );
    statutory
        .accounts
        .insert(0, section("resultatrakning", "Resultaträkning"));
    let report = StatutoryReport {
        kind: ReportKind::by_slug("arsredovisning").unwrap(),
        period: Month::parse("2021-12").unwrap(),
        council: &council,
        overview: &overview,
        parts: &parts,
        statutory: &statutory,
    };
    let document = compose_statutory_report(&report);
    let at = |id: &str| {
        document
            .sections
            .iter()
            .position(|s| s.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let heading = at(&heading_id(R15Heading::BalanceRequirement));
    assert_eq!(document.sections[heading].level, 2);
    assert_eq!(at("balanskrav"), heading + 1);
    let plugged = &document.sections[heading + 1];
    assert_eq!(plugged.level, 3);
    assert!(matches!(
        plugged.blocks[0],
        Block::Subheading { level: 4, .. }
    ));
    let accounts = at("rakenskaper");
    assert_eq!(document.sections[accounts].level, 1);
    assert_eq!(at("resultatrakning"), accounts + 1);
    assert_eq!(document.sections[accounts + 1].level, 2);
    assert_eq!(at("kommun_driftredovisning"), accounts + 2);
    // The KS example as KF's plan has no texts: every required heading says "Ej skriven" and
    // the report is preliminary; the overview (optional) and the koncern (no companies) are not
    // there.
    for heading in R15Heading::ALL {
        let shown = document
            .sections
            .iter()
            .find(|s| s.id == heading_id(heading));
        if heading.required_in_annual(false) {
            let text: String = shown
                .unwrap()
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Notice(runs) => Some(Inline::plain(runs)),
                    _ => None,
                })
                .collect();
            assert!(text.contains(NOT_WRITTEN), "{heading:?}: {text}");
        } else {
            assert!(shown.is_none(), "{heading:?}");
        }
    }
    assert!(!report.preliminary_reasons().is_empty());
    assert!(
        document
            .cover_lines
            .iter()
            .any(|l| l.starts_with("Preliminär"))
    );
}

#[test]
fn the_delarsrapport_has_r17s_headings_and_a_written_one() {
    let (overview, parts) = municipality();
    let mut council = parts[0].0.clone();
    let august = Month::parse("2021-08").unwrap();
    let file = text_path(august, R15Heading::Personnel);
    council.narratives.push(Narrative {
        file: file.clone(),
        text: "Sjukfrånvaron har ökat.".to_owned(),
        claims: Vec::new(),
    });
    let statutory = StatutoryParts::default();
    let report = StatutoryReport {
        kind: ReportKind::by_slug("delarsrapport").unwrap(),
        period: august,
        council: &council,
        overview: &overview,
        parts: &parts,
        statutory: &statutory,
    };
    let expected: Vec<R15Heading> = R15Heading::ALL
        .into_iter()
        .filter(|h| h.required_in_interim() || *h == R15Heading::Personnel)
        .collect();
    assert_eq!(report.headings(), expected);
    assert!(!report.not_written().contains(&R15Heading::Personnel));
    let document = compose_statutory_report(&report);
    let html = styr_docgen::render_document_html(&document);
    assert!(html.contains("Sjukfrånvaron har ökat."));
    assert!(html.contains("Helårsprognos"));
    assert!(!html.contains(R15Heading::Governance.title_sv()));
}
