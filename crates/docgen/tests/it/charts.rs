//! The charts' SVG: no two value labels overlap (boxes computed from the text positions, the
//! anchor and the font size), and a value axis that does not reach zero says so on the chart
//! and in its description.

use crate::example;
use rust_decimal::Decimal;
use styr_docgen::chart::{FollowUpSeries, IndicatorSeries, follow_up_chart, indicator_chart};
use styr_docgen::model::{Block, Document};
use styr_docgen::{compose, compose_period_report};
use styr_domain::goal::Direction;

/// A `<text>` element of an SVG: its attributes and content.
#[derive(Debug)]
struct Text {
    x: f64,
    y: f64,
    anchor: String,
    size: f64,
    class: String,
    fill: String,
    content: String,
}

fn texts(svg: &str) -> Vec<Text> {
    let root_size: f64 = attribute(&svg[..svg.find('>').unwrap()], "font-size")
        .and_then(|s| s.parse().ok())
        .unwrap_or(16.0);
    svg.split("<text ")
        .skip(1)
        // Rotated texts (the risk matrix's axis titles) have no x and are no value labels.
        .filter(|rest| !rest[..rest.find('>').unwrap()].contains("transform="))
        .map(|rest| {
            let tag = &rest[..rest.find('>').unwrap()];
            let content = &rest[rest.find('>').unwrap() + 1..rest.find("</text>").unwrap()];
            let get = |name: &str| attribute(tag, name).unwrap_or_default();
            Text {
                x: get("x").parse().unwrap(),
                y: get("y").parse().unwrap(),
                anchor: attribute(tag, "text-anchor").unwrap_or_else(|| "start".into()),
                size: attribute(tag, "font-size")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(root_size),
                class: get("class"),
                fill: get("fill"),
                content: content
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
            }
        })
        .collect()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let tag = format!(" {tag}");
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = start + tag[start..].find('"')?;
    Some(tag[start..end].to_owned())
}

/// The box of a text: half an em a character is the narrowest a digit of these fonts is, so a
/// box is never larger than the text; from 0.7 em above the baseline to 0.2 em below.
fn text_box(text: &Text) -> (f64, f64, f64, f64) {
    let width = 0.5 * text.size * text.content.chars().count() as f64;
    let x0 = match text.anchor.as_str() {
        "middle" => text.x - width / 2.0,
        "end" => text.x - width,
        _ => text.x,
    };
    (
        x0,
        x0 + width,
        text.y - 0.7 * text.size,
        text.y + 0.2 * text.size,
    )
}

/// Value labels (the figures printed at the points) whose boxes overlap another text's box.
fn overlapping_labels(svg: &str) -> Vec<String> {
    let texts = texts(svg);
    // The value labels: the 11-pt figures in the series' colours.
    let is_label = |t: &Text| {
        t.size == 11.0
            && (t.class == "value" || t.fill == "#1d4f91" || t.fill == "#9a4a00")
            && t.content.chars().any(|c| c.is_ascii_digit())
    };
    let mut out = Vec::new();
    for (i, a) in texts.iter().enumerate() {
        if !is_label(a) {
            continue;
        }
        let (ax0, ax1, ay0, ay1) = text_box(a);
        for (j, b) in texts.iter().enumerate() {
            if i == j || (is_label(b) && j < i) {
                continue;
            }
            let (bx0, bx1, by0, by1) = text_box(b);
            if ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1 {
                out.push(format!(
                    "«{}» at ({}, {}) overlaps «{}» at ({}, {})",
                    a.content, a.x, a.y, b.content, b.x, b.y
                ));
            }
        }
    }
    out
}

/// The axis note printed on the chart.
fn axis_note(svg: &str) -> Option<String> {
    texts(svg)
        .into_iter()
        .find(|t| t.content.starts_with("Axeln "))
        .map(|t| t.content)
}

/// The indicator and follow-up charts of a document (not the risk matrix): title, SVG and
/// description.
fn charts(document: &Document) -> Vec<(String, String, String)> {
    let charts: Vec<(String, String, String)> = document
        .sections
        .iter()
        .flat_map(|s| s.blocks.iter())
        .filter_map(|b| match b {
            Block::Chart(chart) => Some((
                chart.title.clone(),
                chart.svg.clone(),
                chart.description.clone(),
            )),
            _ => None,
        })
        .collect();
    charts
        .into_iter()
        .filter(|(_, svg, _)| svg.contains(">Utfall</text>"))
        .collect()
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn series(outcomes: &[(i32, &str)], targets: &[(i32, &str)]) -> IndicatorSeries {
    let values =
        |v: &[(i32, &str)]| -> Vec<_> { v.iter().map(|(year, value)| (*year, d(value))).collect() };
    IndicatorSeries {
        id: "prov".into(),
        title: "Prov".into(),
        unit: "%".into(),
        direction: Some(Direction::Higher),
        outcomes: values(outcomes),
        targets: values(targets),
        comparison: Vec::new(),
        comparison_label: String::new(),
    }
}

#[test]
fn example_charts_have_no_overlapping_value_labels() {
    let document = compose(example());
    let charts = charts(&document);
    assert!(charts.len() >= 5, "the example has its indicator charts");
    for (title, svg, _) in &charts {
        assert_eq!(overlapping_labels(svg), Vec::<String>::new(), "{title}");
    }
}

#[test]
fn close_outcome_and_target_labels_do_not_overlap() {
    // The outcome a little under the target: the outcome's label above its point and the
    // target's label below its point land on each other unless placed apart.
    let svg = indicator_chart(&series(
        &[(2018, "10"), (2019, "88"), (2020, "90"), (2021, "91")],
        &[(2019, "100"), (2020, "100"), (2021, "100")],
    ));
    assert_eq!(overlapping_labels(&svg), Vec::<String>::new());
    // Every value is still printed.
    let labels = texts(&svg)
        .into_iter()
        .filter(|t| t.size == 11.0 && t.content.chars().any(|c| c.is_ascii_digit()))
        .count();
    assert_eq!(labels, 7);
}

#[test]
fn crowded_follow_up_labels_do_not_overlap() {
    // Twelve points of long figures on a flat line: neighbours' labels are wider than the
    // distance between the points.
    let points: Vec<String> = (1..=12).map(|m| format!("m{m:02}")).collect();
    let svg = follow_up_chart(&FollowUpSeries {
        id: "trangt".into(),
        title: "Trångt".into(),
        unit: "kr".into(),
        direction: Some(Direction::Lower),
        points,
        outcomes: (0..12).map(|i| (i, d("1234567.8"))).collect(),
        targets: (0..12).map(|i| (i, d("1234560.5"))).collect(),
    });
    assert_eq!(overlapping_labels(&svg), Vec::<String>::new());
}

#[test]
fn a_truncated_axis_says_so_on_the_chart_and_in_its_description() {
    let cut = series(&[(2019, "75"), (2020, "75")], &[(2021, "76"), (2022, "76")]);
    let svg = indicator_chart(&cut);
    assert_eq!(
        axis_note(&svg).as_deref(),
        Some("Axeln börjar vid 75, inte vid 0.")
    );
    assert!(svg.contains("class=\"axis-break\""), "the break mark");
    assert!(
        styr_docgen::chart::describe(&cut).ends_with("Axeln börjar vid 75, inte vid 0."),
        "{}",
        styr_docgen::chart::describe(&cut)
    );

    let below = series(&[(2019, "-75"), (2020, "-76")], &[(2021, "-77")]);
    assert_eq!(
        axis_note(&indicator_chart(&below)).as_deref(),
        Some("Axeln slutar vid −75, inte vid 0.")
    );

    // From zero: no note, no mark.
    let whole = series(&[(2019, "5"), (2020, "12")], &[(2021, "15")]);
    let svg = indicator_chart(&whole);
    assert_eq!(axis_note(&svg), None);
    assert!(!svg.contains("axis-break"));
}

#[test]
fn every_example_chart_whose_axis_misses_zero_says_so() {
    let documents = [
        compose(example()),
        compose_period_report(example(), &crate::period_report::interim()),
    ];
    for document in &documents {
        for (title, svg, description) in charts(document) {
            // The lowest and highest tick labels of the value axis (the end-anchored texts).
            let ticks: Vec<f64> = texts(&svg)
                .into_iter()
                .filter(|t| t.anchor == "end" && t.size == 12.0)
                .filter_map(|t| {
                    t.content
                        .replace('−', "-")
                        .replace(',', ".")
                        .replace('\u{a0}', "")
                        .parse()
                        .ok()
                })
                .collect();
            let (min, max) = ticks
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(*v), hi.max(*v))
                });
            let misses_zero = min > 0.0 || max < 0.0;
            assert_eq!(
                axis_note(&svg).is_some(),
                misses_zero,
                "{title}: axis {min}..{max}"
            );
            assert_eq!(description.contains("Axeln "), misses_zero, "{title}");
        }
    }
}
