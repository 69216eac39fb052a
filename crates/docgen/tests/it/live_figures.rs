//! Claims in narrative text rendered as live figures from the data.

use crate::example;
use styr_docgen::model::{Block, Inline};
use styr_docgen::narrative::markdown_blocks;

fn runs(text: &str) -> Vec<Inline> {
    match markdown_blocks(example(), "t.md", text, 2).as_slice() {
        [Block::Paragraph(runs)] => runs.clone(),
        other => panic!("expected one paragraph, got {other:?}"),
    }
}

#[test]
fn a_true_claim_renders_its_live_figure_without_marker() {
    assert_eq!(
        runs("Driftbudgeten är [247,0 mnkr]{= frame@2021} enligt beslut."),
        vec![
            Inline::text("Driftbudgeten är "),
            Inline::text("247,0 mnkr"),
            Inline::text(" enligt beslut."),
        ]
    );
}

#[test]
fn a_false_claim_shows_the_computed_figure_marked_with_both_in_a_note() {
    let runs =
        runs("Förändringen är [28,4 mnkr]{= op.sammanstallning@2021 - op.sammanstallning@2020}.");
    assert_eq!(
        runs,
        vec![
            Inline::text("Förändringen är "),
            Inline::Marked(vec![Inline::text("17,0 mnkr")]),
            Inline::Note(vec![Inline::text(
                "I den tryckta texten: 28,4 mnkr; beräknat från data: 17,0 mnkr."
            )]),
            Inline::text("."),
        ]
    );
}

#[test]
fn words_around_the_number_and_hedges_are_kept() {
    let runs = runs(
        "en [ökning med 2,0 procent]{= pct_change(op.gemensamma.brand@2020, op.gemensamma.brand@2021)} och [ca 2,2 mnkr]{= op.gemensamma.samordningsforbundet@2021}",
    );
    assert_eq!(
        runs[1],
        Inline::Marked(vec![Inline::text("ökning med 1,9 procent")])
    );
    assert_eq!(runs[3], Inline::text(" och "));
    assert_eq!(runs[4], Inline::text("ca 2,2 mnkr"));
}

#[test]
fn comparisons_and_unverifiable_claims_keep_their_words() {
    let runs = runs(
        "är [oförändrad]{= op.gemensamma.smohf@2021 == op.gemensamma.smohf@2020} och [18 uppdrag]{?}",
    );
    assert_eq!(runs[1], Inline::Marked(vec![Inline::text("oförändrad")]));
    assert!(matches!(runs[2], Inline::Note(_)));
    assert_eq!(runs[4], Inline::Unverified("18 uppdrag".to_owned()));
}

#[test]
fn markdown_is_escaped_not_passed_through() {
    let blocks = markdown_blocks(example(), "t.md", "Text <script>alert(1)</script> *a*", 2);
    let html = styr_docgen::html::render(&styr_docgen::Document {
        kind: styr_docgen::DocumentKind::Plan,
        title: "t".into(),
        subtitle: None,
        municipality: "m".into(),
        body: "b".into(),
        cover_lines: vec![],
        sections: vec![styr_docgen::model::Section {
            id: "s".into(),
            level: 1,
            title: "S".into(),
            blocks,
        }],
    });
    assert!(!html.contains("<script>"));
    assert!(html.contains("<p>Text &lt;script&gt;alert(1)&lt;/script&gt; <em>a</em></p>"));
}

#[test]
fn marked_claims_match_the_failing_claims_of_check() {
    let plan = example();
    let failing = styr_checks::check_plan(plan)
        .iter()
        .filter(|f| f.check == "claim" && f.severity == styr_checks::Severity::Error)
        .count();
    let document = styr_docgen::compose(plan);
    let mut marked = 0;
    fn count(blocks: &[Block], marked: &mut usize) {
        for block in blocks {
            match block {
                Block::Paragraph(runs) => {
                    *marked += runs
                        .iter()
                        .filter(|r| matches!(r, Inline::Marked(_)))
                        .count()
                }
                Block::List { items, .. } => items.iter().for_each(|i| count(i, marked)),
                Block::Quote(inner) => count(inner, marked),
                _ => {}
            }
        }
    }
    for section in &document.sections {
        count(&section.blocks, &mut marked);
    }
    assert_eq!(marked, failing);
    assert_eq!(marked, 8);
}
