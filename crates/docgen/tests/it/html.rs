//! The example's HTML: snapshots of the parts a reviewer reads (the document as text, the
//! cover and the markup of a budget table with a disagreeing total), and the structure a
//! screen reader relies on.

use crate::period_report::outline;
use crate::{example, example_names};
use styr_docgen::{compose, render_html};

/// The document as a reader sees it: headings, paragraphs, every table's rows, the charts'
/// descriptions. A change of a figure or a word shows here as one line.
#[test]
fn example_document_text_snapshot() {
    insta::assert_snapshot!(outline(&compose(example())));
}

/// The HTML from `start` to the end of the element it opens (`end`, inclusive).
fn fragment<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} is in the HTML"));
    let to = from
        + html[from..]
            .find(end)
            .unwrap_or_else(|| panic!("{end} follows {start}"))
        + end.len();
    &html[from..to]
}

/// The markup a screen reader relies on, in two places: the cover with the skip link and the
/// outline's first lines, and the summary table whose stated total disagrees with its rows.
#[test]
fn example_markup_snapshot() {
    let html = render_html(example());
    let cover = fragment(&html, "<body>", "</header>");
    let table = fragment(
        &html,
        "<table id=\"tab-driftbudget-op-sammanstallning\">",
        "</table>",
    );
    insta::assert_snapshot!(format!("{cover}\n…\n{table}\n"));
}

#[test]
fn html_is_self_contained_and_swedish() {
    let html = render_html(example());
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
    for external in ["<script", "<link", "src=\"http", "url(", "@import"] {
        assert!(!html.contains(external), "{external}");
    }
    assert_eq!(html.matches("<h1>").count(), 1);
    // Every generated table has a caption; the one table written in Markdown has none.
    // The ramberäkning adds its table and its chart's data table.
    assert_eq!(html.matches("<table ").count(), 28);
    assert_eq!(html.matches("<caption>").count(), 27);
}

#[test]
fn html_holds_every_row_indicator_and_assignment() {
    let html = render_html(example());
    for name in example_names() {
        let escaped = styr_docgen::html::escape(&name);
        assert!(html.contains(&escaped), "{name}");
    }
}

#[test]
fn disagreeing_total_keeps_the_printed_sum_with_both_figures() {
    let html = render_html(example());
    assert!(html.contains("<mark class=\"diff\">228\u{a0}600"));
    assert!(
        html.contains(
            "Summa Kommunstyrelsen 2020: i det tryckta dokumentet står 228\u{a0}600 tkr."
        ),
        "{html}"
    );
    assert!(html.contains("230\u{a0}034"));
}

#[test]
fn every_status_is_in_the_legend() {
    let html = render_html(example());
    for label in [
        "Ej påbörjad",
        "Påbörjad",
        "Färdig",
        "Väntar",
        "Avvikelse",
        "Dialog behövs",
    ] {
        assert!(
            html.contains(&format!("<span class=\"status-label\">{label}</span>")),
            "{label}"
        );
    }
}
