//! The example's HTML: a snapshot, and the structure a screen reader relies on.

use crate::{example, example_names};
use styr_docgen::render_html;

#[test]
fn example_html_snapshot() {
    insta::assert_snapshot!(render_html(example()));
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
    assert_eq!(html.matches("<table ").count(), 26);
    assert_eq!(html.matches("<caption>").count(), 25);
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
