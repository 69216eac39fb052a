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
fn a_false_claim_keeps_the_printed_figure_marked_with_both_in_a_note() {
    let runs =
        runs("Förändringen är [28,4 mnkr]{= op.sammanstallning@2021 - op.sammanstallning@2020}.");
    assert_eq!(
        runs,
        vec![
            Inline::text("Förändringen är "),
            Inline::Marked(vec![Inline::text("28,4 mnkr")]),
            Inline::Note(vec![Inline::text(
                "I den tryckta texten: 28,4 mnkr; beräknat från data: 17,0 mnkr."
            )]),
            Inline::text("."),
        ]
    );
}

#[test]
fn a_claim_from_a_version_the_data_lacks_keeps_the_printed_figure_with_the_note() {
    let runs = runs(
        "Förändringen är [28,4 mnkr]{= op.sammanstallning@2021 - op.sammanstallning@2020; \
         bas = \"justerad budget 2020\"}.",
    );
    assert_eq!(
        runs,
        vec![
            Inline::text("Förändringen är "),
            Inline::Unverified("28,4 mnkr".to_owned()),
            Inline::Note(vec![Inline::text(
                "”28,4 mnkr” kan inte verifieras: justerad budget 2020 finns inte i data; \
                 mot kolumnen Budget 2020 blir förändringen 17,0 mnkr."
            )]),
            Inline::text("."),
        ]
    );
}

#[test]
fn a_claim_with_the_plans_own_version_as_base_renders_as_without() {
    let plain = runs("[247,0 mnkr]{= frame@2021} och [28,4 mnkr]{= op.sammanstallning@2021}");
    let with_base = runs(
        "[247,0 mnkr]{= frame@2021; bas = ks_2021_proposal} och \
         [28,4 mnkr]{= op.sammanstallning@2021; bas = ks_2021_proposal}",
    );
    assert_eq!(with_base, plain);
    assert_eq!(plain[0], Inline::text("247,0 mnkr"));
    assert_eq!(plain[2], Inline::Marked(vec![Inline::text("28,4 mnkr")]));
}

/// The HTML with its footnotes taken out: what a reader sees in the running text.
/// The document's text without its footnotes and without the closing "Avstämning", which
/// quotes the findings with the figures the data gives.
fn running_text(html: &str) -> String {
    let html = html
        .split("aria-labelledby=\"avstamning\"")
        .next()
        .unwrap_or(html);
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<aside class=\"notes\"") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</aside>").expect("notes end") + start;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn rendered_html_keeps_the_printed_figure_of_a_disagreeing_claim() {
    let text = "Förändringen är [28,4 mnkr]{= op.sammanstallning@2021 - op.sammanstallning@2020}.";
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
            blocks: markdown_blocks(example(), "t.md", text, 2),
        }],
    });
    assert!(html.contains("<mark class=\"diff\">28,4 mnkr"), "{html}");
    assert!(!running_text(&html).contains("17,0 mnkr"), "{html}");
    // The figure from the data is in the footnote, beside the printed one.
    assert!(html.contains("beräknat från data: 17,0 mnkr"), "{html}");
}

#[test]
fn the_example_document_prints_the_frame_change_as_ks_wrote_it() {
    let html = styr_docgen::render_html(example());
    let running = running_text(&html);
    assert!(running.contains(">28,4 mnkr<"), "28,4 mnkr printed");
    assert!(running.contains(">10,0 mnkr<"), "10,0 mnkr printed");
    // (The aktuellt section has "217,0 mnkr": look for the figure as a word.)
    for computed in [" 17,0 mnkr", ">17,0 mnkr", " 0,0 mnkr", ">0,0 mnkr"] {
        assert!(!running.contains(computed), "{computed}");
    }
    assert!(html.contains(
        "”28,4 mnkr” kan inte verifieras: justerad budget 2020 finns inte i data; \
         mot kolumnen Budget 2020 blir förändringen 17,0 mnkr."
    ));
}

#[test]
fn words_around_the_number_and_hedges_are_kept() {
    let runs = runs(
        "en [ökning med 2,0 procent]{= pct_change(op.gemensamma.brand@2020, op.gemensamma.brand@2021)} och [ca 2,2 mnkr]{= op.gemensamma.samordningsforbundet@2021}",
    );
    assert_eq!(
        runs[1],
        Inline::Marked(vec![Inline::text("ökning med 2,0 procent")])
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
    let findings = styr_checks::check_plan(plan);
    // A claim written twice is one finding that occurs twice, and two marks in the text.
    let count_of = |severity| {
        findings
            .iter()
            .filter(|f| f.check == "claim" && f.severity == severity)
            .map(|f| f.occurrences)
            .sum::<usize>()
    };
    let document = styr_docgen::compose(plan);
    // (marked, unverifiable with a note)
    let mut counts = (0, 0);
    fn count(blocks: &[Block], counts: &mut (usize, usize)) {
        for block in blocks {
            match block {
                Block::Paragraph(runs) => {
                    for pair in runs.windows(2) {
                        match pair {
                            [Inline::Marked(_), _] => counts.0 += 1,
                            [Inline::Unverified(_), Inline::Note(_)] => counts.1 += 1,
                            _ => {}
                        }
                    }
                }
                Block::List { items, .. } => items.iter().for_each(|i| count(i, counts)),
                Block::Quote(inner) => count(inner, counts),
                _ => {}
            }
        }
    }
    for section in &document.sections {
        count(&section.blocks, &mut counts);
    }
    // Notes beside unverified words: the warnings (a base the data lacks) and the counts the
    // data cannot answer (info findings that give a reason).
    let answered_no = findings
        .iter()
        .filter(|f| f.check == "claim" && f.message.contains(" kan inte kontrolleras: "))
        .count();
    assert_eq!(counts.0, count_of(styr_checks::Severity::Error));
    assert_eq!(
        counts.1,
        count_of(styr_checks::Severity::Warning) + answered_no
    );
    assert_eq!(counts, (6, 8));
}

#[test]
fn claims_outside_the_narrative_are_rendered_live() {
    let mut plan = example().clone();
    plan.goals[0].description = Some("Ramen är [250,0 mnkr]{= frame@2021}.".to_owned());
    plan.statuses[0].comment = Some("Inom ramen om [247,0 mnkr]{= frame@2021}.".to_owned());
    let html = styr_docgen::render_html(&plan);
    assert!(
        html.contains("<p>Ramen är <mark class=\"diff\">250,0 mnkr"),
        "goal"
    );
    assert!(
        html.contains("<td>Inom ramen om 247,0 mnkr.</td>"),
        "status comment"
    );
    assert!(!html.contains("]{= frame@2021}"));
}
