//! SVG drawings written in Rust: the chart of an indicator's outcomes against its targets, the
//! risk matrix, and the status symbols of assignments. One code path for HTML (inline SVG) and PDF (the same SVG
//! handed to typst).
//!
//! Charts are plain standalone SVG documents with a `<title>` and a `<desc>`; coordinates are
//! computed in floating point because they are drawing positions, never figures: every number
//! printed in a chart is formatted from the exact decimal. A missing value is a gap in the line,
//! never a zero. Nothing here reads the plan beyond the values it is given.

use crate::format;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write as _;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::control::RiskMatrix;
use styr_domain::goal::Direction;
use styr_domain::{Id, Year};

/// The font stack of drawings: the PDF's bundled font first, then common sans fonts.
pub const FONT_FAMILY: &str = "'Libertinus Serif', 'DejaVu Sans', Arial, sans-serif";

/// Outcome series colour (dark blue, 9.4:1 on white).
const OUTCOME: &str = "#1d4f91";
/// Target series colour (dark orange-brown, 6.0:1 on white).
const TARGET: &str = "#9a4a00";
/// Comparison group colour (dark grey-green, 7.0:1 on white).
const COMPARISON: &str = "#3f5f3a";
const INK: &str = "#1a1a1a";
const GRID: &str = "#c8c8c8";
const MUTED: &str = "#4d4d4d";

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The values an indicator chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSeries {
    /// Used for the ids of `<title>` and `<desc>`.
    pub id: String,
    pub title: String,
    /// The unit as printed ("%", "antal"); empty when unknown.
    pub unit: String,
    pub direction: Option<Direction>,
    pub outcomes: Vec<(Year, Decimal)>,
    pub targets: Vec<(Year, Decimal)>,
    /// The comparison group's value per year (Kolada); empty without one.
    pub comparison: Vec<(Year, Decimal)>,
    /// What the comparison line is ("Södertörnskommunerna, medelvärde").
    pub comparison_label: String,
}

/// The direction as a phrase for the chart and its description.
pub fn direction_label(direction: Option<Direction>) -> &'static str {
    match direction {
        Some(Direction::Higher) => "Högre är bättre",
        Some(Direction::Lower) => "Lägre är bättre",
        None => "Riktning anges inte",
    }
}

fn value_text(value: Decimal, unit: &str) -> String {
    let number = format::decimal_as_written(value);
    if unit.is_empty() {
        number
    } else {
        format!("{number}\u{a0}{unit}")
    }
}

/// A sentence that says what the chart shows (its `<desc>` and alternative text).
pub fn describe(series: &IndicatorSeries) -> String {
    let list = |values: &[(Year, Decimal)]| -> String {
        if values.is_empty() {
            return "inga värden".to_owned();
        }
        values
            .iter()
            .map(|(year, value)| format!("{year}: {}", value_text(*value, &series.unit)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let comparison = if series.comparison.is_empty() {
        String::new()
    } else {
        format!(
            " {}: {}.",
            series.comparison_label,
            list(&series.comparison)
        )
    };
    let axis = axis_sentence(
        series
            .outcomes
            .iter()
            .chain(&series.targets)
            .chain(&series.comparison)
            .map(|(_, v)| v),
    );
    format!(
        "Utfall: {}. Mål: {}.{comparison} {}.{axis}",
        list(&series.outcomes),
        list(&series.targets),
        direction_label(series.direction)
    )
}

/// The value axis of a chart: from `min` to `max` in ticks of `step`. It starts at zero when
/// the values are all positive and not far above zero; otherwise it is cut to the values' range
/// and the chart says so ([`ValueAxis::note`]).
#[derive(Debug, Clone, Copy, PartialEq)]
struct ValueAxis {
    min: f64,
    max: f64,
    step: f64,
}

impl ValueAxis {
    fn of(values: impl Iterator<Item = Decimal>) -> ValueAxis {
        let floats: Vec<f64> = values.filter_map(|v| v.to_f64()).collect();
        let (mut min, mut max) = floats
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(*v), hi.max(*v))
            });
        if !min.is_finite() {
            (min, max) = (0.0, 1.0);
        }
        if min >= 0.0 && min <= (max - min) * 1.5 {
            min = 0.0;
        }
        if (max - min).abs() < f64::EPSILON {
            // One value (or all equal): there is no range to show, so the axis reaches zero.
            if max > 0.0 {
                (min, max) = (0.0, max * 1.1);
            } else if max < 0.0 {
                (min, max) = (min * 1.1, 0.0);
            } else {
                (min, max) = (0.0, 1.0);
            }
        }
        let step = nice_step(max - min, 4.0);
        ValueAxis {
            min: (min / step).floor() * step,
            max: (max / step).ceil() * step,
            step,
        }
    }

    /// What the chart and its description say when the axis does not reach zero: "Axeln börjar
    /// vid 75, inte vid 0." (or "slutar vid" for values all below zero).
    fn note(&self) -> Option<String> {
        let at = |value: f64| format::decimal_as_written(tick_decimal(value, self.step));
        if self.min > 0.0 {
            Some(format!("Axeln börjar vid {}, inte vid 0.", at(self.min)))
        } else if self.max < 0.0 {
            Some(format!("Axeln slutar vid {}, inte vid 0.", at(self.max)))
        } else {
            None
        }
    }
}

/// The note of a chart whose value axis does not reach zero, for its description.
fn axis_sentence<'a>(values: impl Iterator<Item = &'a Decimal>) -> String {
    ValueAxis::of(values.copied())
        .note()
        .map(|note| format!(" {note}"))
        .unwrap_or_default()
}

/// A step of 1, 2 or 5 × 10^n that gives about `ticks` intervals over `span`.
fn nice_step(span: f64, ticks: f64) -> f64 {
    let raw = (span / ticks).max(f64::MIN_POSITIVE);
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// A tick value as an exact decimal for printing (the step is a short decimal).
fn tick_decimal(value: f64, step: f64) -> Decimal {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as u32
    };
    Decimal::from_f64_retain(value)
        .map(|d| d.round_dp(decimals))
        .unwrap_or_default()
}

/// The chart of an indicator: outcome (solid line, filled circles) against target (dashed line,
/// open squares) per year, with the direction that is better. Every year between the first and
/// the last is on the axis, so a missing year is a gap in the line.
pub fn indicator_chart(series: &IndicatorSeries) -> String {
    let years: Vec<Year> = {
        let all: Vec<Year> = series
            .outcomes
            .iter()
            .chain(&series.targets)
            .chain(&series.comparison)
            .map(|(y, _)| *y)
            .collect();
        match (all.iter().min(), all.iter().max()) {
            (Some(&min), Some(&max)) => (min..=max).collect(),
            _ => Vec::new(),
        }
    };
    let index = |values: &[(Year, Decimal)]| -> Vec<(usize, Decimal)> {
        values
            .iter()
            .filter_map(|(year, value)| {
                years
                    .iter()
                    .position(|y| y == year)
                    .map(|index| (index, *value))
            })
            .collect()
    };
    draw(&ChartSpec {
        id: &series.id,
        title: &series.title,
        description: &describe(series),
        unit: &series.unit,
        direction: series.direction,
        categories: &years.iter().map(ToString::to_string).collect::<Vec<_>>(),
        outcomes: &index(&series.outcomes),
        targets: &index(&series.targets),
        comparison: &index(&series.comparison),
        comparison_label: &series.comparison_label,
        target_label: "Mål",
    })
}

/// The values of a follow-up chart: outcomes over points in time that need not be years (the
/// plan's yearly outcomes, then the reports of the year), with the year's target.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpSeries {
    /// Used for the ids of `<title>` and `<desc>`.
    pub id: String,
    pub title: String,
    /// The unit as printed; empty when unknown.
    pub unit: String,
    pub direction: Option<Direction>,
    /// The labels of the x axis, in order ("2018", "2019", "2020", "apr 2021"). A label without
    /// a value is a gap in the line.
    pub points: Vec<String>,
    /// Outcomes as (index into `points`, value).
    pub outcomes: Vec<(usize, Decimal)>,
    /// Targets as (index into `points`, value).
    pub targets: Vec<(usize, Decimal)>,
}

/// A sentence that says what a follow-up chart shows (its `<desc>` and alternative text).
pub fn describe_follow_up(series: &FollowUpSeries) -> String {
    let list = |values: &[(usize, Decimal)]| -> String {
        if values.is_empty() {
            return "inga värden".to_owned();
        }
        values
            .iter()
            .map(|(index, value)| {
                format!(
                    "{}: {}",
                    series.points.get(*index).map_or("", String::as_str),
                    value_text(*value, &series.unit)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let axis = axis_sentence(
        series
            .outcomes
            .iter()
            .chain(&series.targets)
            .map(|(_, v)| v),
    );
    format!(
        "Utfall: {}. Mål: {}. {}.{axis}",
        list(&series.outcomes),
        list(&series.targets),
        direction_label(series.direction)
    )
}

/// The chart of an indicator's follow-up: the same drawing as [`indicator_chart`].
pub fn follow_up_chart(series: &FollowUpSeries) -> String {
    draw(&ChartSpec {
        id: &series.id,
        title: &series.title,
        description: &describe_follow_up(series),
        unit: &series.unit,
        direction: series.direction,
        categories: &series.points,
        outcomes: &series.outcomes,
        targets: &series.targets,
        comparison: &[],
        comparison_label: "",
        target_label: "Mål",
    })
}

/// A sentence that says what a volume chart shows: outcomes against budgeted volume.
pub fn describe_volume(series: &FollowUpSeries) -> String {
    describe_follow_up(series)
        .replacen(". Mål: ", ". Budget: ", 1)
        .replace(&format!(" {}.", direction_label(series.direction)), "")
}

/// The chart of a verksamhetsmått: outcome per month against the budgeted volume, drawn like
/// a follow-up chart with the dashed line named "Budget".
pub fn volume_chart(series: &FollowUpSeries) -> String {
    draw(&ChartSpec {
        id: &series.id,
        title: &series.title,
        description: &describe_volume(series),
        unit: &series.unit,
        direction: series.direction,
        categories: &series.points,
        outcomes: &series.outcomes,
        targets: &series.targets,
        comparison: &[],
        comparison_label: "",
        target_label: "Budget",
    })
}

/// What one chart draws: values at positions of a category axis.
struct ChartSpec<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    unit: &'a str,
    direction: Option<Direction>,
    categories: &'a [String],
    outcomes: &'a [(usize, Decimal)],
    targets: &'a [(usize, Decimal)],
    /// A third, thinner line of values without labels (the comparison group): its figures are
    /// in the chart's data table.
    comparison: &'a [(usize, Decimal)],
    comparison_label: &'a str,
    /// The legend's name of the dashed line ("Mål", "Budget").
    target_label: &'a str,
}

/// How a text is anchored at its x.
#[derive(Debug, Clone, Copy)]
enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// The box a text takes in a drawing, estimated from its length: 0.6 em a character (wider
/// than the digits, spaces and commas of Libertinus Serif and the sans fonts), 0.8 em above
/// the baseline and 0.25 em below it, with a point of margin.
#[derive(Debug, Clone, Copy)]
struct LabelBox {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl LabelBox {
    fn of_text(x: f64, baseline: f64, anchor: Anchor, size: f64, text: &str) -> LabelBox {
        let width = 0.6 * size * text.chars().count() as f64;
        let x0 = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        };
        LabelBox {
            x0: x0 - 1.0,
            x1: x0 + width + 1.0,
            y0: baseline - 0.8 * size - 1.0,
            y1: baseline + 0.25 * size + 1.0,
        }
    }

    fn overlaps(&self, other: &LabelBox) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// The one SVG code path of charts: outcome against target over the categories, values printed
/// at each point, lines only between neighbouring categories.
fn draw(spec: &ChartSpec<'_>) -> String {
    let (width, height) = (560.0_f64, 280.0_f64);
    let (left, right, top, bottom) = (64.0, 20.0, 44.0, 48.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;

    let count = spec.categories.len();
    let axis = ValueAxis::of(
        spec.outcomes
            .iter()
            .chain(spec.targets)
            .chain(spec.comparison)
            .map(|(_, v)| *v),
    );
    let (axis_min, axis_max, step) = (axis.min, axis.max, axis.step);
    let span = (axis_max - axis_min).max(f64::MIN_POSITIVE);

    let x_of = |index: usize| -> f64 {
        if count < 2 {
            left + plot_w / 2.0
        } else {
            left + 20.0 + (plot_w - 40.0) * index as f64 / (count - 1) as f64
        }
    };
    let y_of = |value: f64| -> f64 { top + plot_h - (value - axis_min) / span * plot_h };

    let id = spec.id;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{}\" font-size=\"12\">",
        xml_escape(FONT_FAMILY)
    );
    let _ = write!(
        svg,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        xml_escape(spec.title),
        xml_escape(spec.description)
    );
    let _ = write!(
        svg,
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );

    // Grid and y axis labels.
    let mut tick = axis_min;
    let mut guard = 0;
    while tick <= axis_max + step / 2.0 && guard < 20 {
        let y = y_of(tick);
        let _ = write!(
            svg,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\" stroke-width=\"1\"/>",
            left + plot_w
        );
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            left - 8.0,
            y + 4.0,
            xml_escape(&format::decimal_as_written(tick_decimal(tick, step)))
        );
        tick += step;
        guard += 1;
    }
    // X axis with the categories (years).
    let axis_y = top + plot_h;
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
        left + plot_w
    );
    for (index, label) in spec.categories.iter().enumerate() {
        let x = x_of(index);
        let _ = write!(
            svg,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
            axis_y + 18.0,
            xml_escape(label)
        );
    }
    if !spec.unit.is_empty() {
        let _ = write!(
            svg,
            "<text x=\"{left}\" y=\"{:.1}\" fill=\"{MUTED}\">{}</text>",
            top - 10.0,
            xml_escape(spec.unit)
        );
    }

    // An axis that does not reach zero says so: a break mark on the value axis where zero
    // would be, and the note top left.
    if let Some(note) = axis.note() {
        let _ = write!(
            svg,
            "<line x1=\"{left}\" y1=\"{top:.1}\" x2=\"{left}\" y2=\"{axis_y:.1}\" stroke=\"{INK}\" stroke-width=\"1\"/>"
        );
        let mark_y = if axis.min > 0.0 {
            axis_y - 12.0
        } else {
            top + 12.0
        };
        let _ = write!(
            svg,
            "<g class=\"axis-break\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"6\" fill=\"#ffffff\"/><path d=\"M{:.1} {:.1} l14 -5 M{:.1} {:.1} l14 -5\" stroke=\"{INK}\" stroke-width=\"1.2\" fill=\"none\"/></g>",
            left - 7.0,
            mark_y - 3.0,
            left - 7.0,
            mark_y,
            left - 7.0,
            mark_y + 5.0,
        );
        let _ = write!(
            svg,
            "<text class=\"axis-note\" x=\"{left}\" y=\"16\" fill=\"{MUTED}\" font-size=\"11\">{}</text>",
            xml_escape(&note)
        );
    }

    // Direction: an arrow and its label, top right.
    let label = direction_label(spec.direction);
    let arrow_x = width - right - 8.0;
    match spec.direction {
        Some(Direction::Higher) => {
            let _ = write!(
                svg,
                "<path d=\"M{ax} 12 l5 8 h-3 v8 h-4 v-8 h-3 z\" fill=\"{INK}\"/>",
                ax = arrow_x
            );
        }
        Some(Direction::Lower) => {
            let _ = write!(
                svg,
                "<path d=\"M{ax} 28 l5 -8 h-3 v-8 h-4 v8 h-3 z\" fill=\"{INK}\"/>",
                ax = arrow_x
            );
        }
        None => {}
    }
    let _ = write!(
        svg,
        "<text x=\"{:.1}\" y=\"24\" text-anchor=\"end\" fill=\"{INK}\" font-weight=\"bold\">{}</text>",
        arrow_x - 10.0,
        xml_escape(label)
    );

    // Series: target first (behind), then outcome.
    let points = |values: &[(usize, Decimal)]| -> Vec<(usize, f64, f64, Decimal)> {
        let mut sorted: Vec<(usize, Decimal)> = values.to_vec();
        sorted.sort_by_key(|(index, _)| *index);
        sorted
            .into_iter()
            .filter_map(|(index, value)| {
                value.to_f64().map(|v| (index, x_of(index), y_of(v), value))
            })
            .collect()
    };
    let draw_lines = |svg: &mut String,
                      pts: &[(usize, f64, f64, Decimal)],
                      colour: &str,
                      dash: &str| {
        for pair in pts.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if b.0 - a.0 == 1 {
                let _ = write!(
                    svg,
                    "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"2.5\"{dash}/>",
                    a.1, a.2, b.1, b.2
                );
            }
        }
    };
    let targets = points(spec.targets);
    let outcomes = points(spec.outcomes);
    let comparison = points(spec.comparison);
    draw_lines(
        &mut svg,
        &comparison,
        COMPARISON,
        " stroke-dasharray=\"2 3\"",
    );
    for (_, x, y, _) in &comparison {
        let _ = write!(
            svg,
            "<path d=\"M{:.1} {:.1} l5 8 h-10 z\" fill=\"{COMPARISON}\"/>",
            x,
            y - 5.0
        );
    }
    draw_lines(&mut svg, &targets, TARGET, " stroke-dasharray=\"6 4\"");
    draw_lines(&mut svg, &outcomes, OUTCOME, "");
    for (_, x, y, _) in &targets {
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\" fill=\"#ffffff\" stroke=\"{TARGET}\" stroke-width=\"2\"/>",
            x - 4.5,
            y - 4.5
        );
    }
    for (_, x, y, _) in &outcomes {
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{OUTCOME}\"/>"
        );
    }

    // Value labels: each at the first free place of its candidates (outcomes above their
    // point first, targets below), never over another label, a marker, the axis labels or the
    // texts at the top; a value with no free place is left out of the drawing (every value is
    // in the chart's description and data table).
    let mut taken: Vec<LabelBox> = Vec::new();
    for (index, label) in spec.categories.iter().enumerate() {
        taken.push(LabelBox::of_text(
            x_of(index),
            axis_y + 18.0,
            Anchor::Middle,
            12.0,
            label,
        ));
    }
    taken.push(LabelBox {
        x0: 0.0,
        x1: width,
        y0: 0.0,
        y1: top - 6.0,
    });
    for (_, x, y, _) in outcomes.iter().chain(&targets).chain(&comparison) {
        taken.push(LabelBox {
            x0: x - 5.5,
            x1: x + 5.5,
            y0: y - 5.5,
            y1: y + 5.5,
        });
    }
    let mut place = |svg: &mut String,
                     x: f64,
                     y: f64,
                     text: &str,
                     above_first: bool,
                     style: &str| {
        let vertical = if above_first {
            [-10.0, 18.0, -24.0, 32.0]
        } else {
            [18.0, -10.0, 32.0, -24.0]
        };
        let candidates = vertical
            .iter()
            .map(|dy| (x, y + dy, Anchor::Middle))
            .chain([
                (x + 9.0, y + 4.0, Anchor::Start),
                (x - 9.0, y + 4.0, Anchor::End),
            ]);
        for (lx, ly, anchor) in candidates {
            let candidate = LabelBox::of_text(lx, ly, anchor, 11.0, text);
            if candidate.x0 < 0.0 || candidate.x1 > width || candidate.y1 > axis_y {
                continue;
            }
            if taken.iter().any(|other| other.overlaps(&candidate)) {
                continue;
            }
            taken.push(candidate);
            let _ = write!(
                svg,
                "<text class=\"value\" x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{}\" {style} font-size=\"11\">{}</text>",
                anchor.svg(),
                xml_escape(text)
            );
            return;
        }
    };
    for (_, x, y, value) in &outcomes {
        let text = format::decimal_as_written(*value);
        place(
            &mut svg,
            *x,
            *y,
            &text,
            true,
            &format!("fill=\"{OUTCOME}\" font-weight=\"bold\""),
        );
    }
    for (_, x, y, value) in &targets {
        let text = format::decimal_as_written(*value);
        place(
            &mut svg,
            *x,
            *y,
            &text,
            false,
            &format!("fill=\"{TARGET}\""),
        );
    }

    // Legend, bottom left.
    let legend_y = height - 12.0;
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{OUTCOME}\" stroke-width=\"2.5\"/><circle cx=\"{:.1}\" cy=\"{ly:.1}\" r=\"5\" fill=\"{OUTCOME}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\">Utfall</text>",
        left + 28.0,
        left + 14.0,
        left + 34.0,
        legend_y + 4.0,
        ly = legend_y
    );
    let lx = left + 110.0;
    let _ = write!(
        svg,
        "<line x1=\"{lx}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{TARGET}\" stroke-width=\"2.5\" stroke-dasharray=\"6 4\"/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\" fill=\"#ffffff\" stroke=\"{TARGET}\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\">{}</text>",
        lx + 28.0,
        lx + 9.5,
        legend_y - 4.5,
        lx + 34.0,
        legend_y + 4.0,
        xml_escape(spec.target_label),
        ly = legend_y
    );
    if !spec.comparison.is_empty() {
        let cx = lx + 90.0;
        let _ = write!(
            svg,
            "<line x1=\"{cx}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{COMPARISON}\" stroke-width=\"2.5\" stroke-dasharray=\"2 3\"/><path d=\"M{:.1} {:.1} l5 8 h-10 z\" fill=\"{COMPARISON}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\">{}</text>",
            cx + 28.0,
            cx + 14.0,
            legend_y - 5.0,
            cx + 34.0,
            legend_y + 4.0,
            xml_escape(spec.comparison_label),
            ly = legend_y
        );
    }
    if spec.outcomes.is_empty() && spec.targets.is_empty() && spec.comparison.is_empty() {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{MUTED}\">Inga värden</text>",
            left + plot_w / 2.0,
            top + plot_h / 2.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A 16 × 16 symbol for an assignment status. Shape and colour both differ, and the status is
/// always printed in words next to it, so colour is never the only carrier of meaning.
pub fn status_icon(status: AssignmentStatus) -> String {
    let body = match status {
        AssignmentStatus::NotStarted => {
            "<circle cx=\"8\" cy=\"8\" r=\"6\" fill=\"#ffffff\" stroke=\"#4d4d4d\" stroke-width=\"2\"/>"
        }
        AssignmentStatus::Started => {
            "<circle cx=\"8\" cy=\"8\" r=\"6\" fill=\"#ffffff\" stroke=\"#1d4f91\" stroke-width=\"2\"/><path d=\"M8 2 A6 6 0 0 1 8 14 Z\" fill=\"#1d4f91\"/>"
        }
        AssignmentStatus::Done => {
            "<circle cx=\"8\" cy=\"8\" r=\"7\" fill=\"#1e6b30\"/><path d=\"M4.5 8.2 l2.4 2.4 l4.6 -5\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"2\"/>"
        }
        AssignmentStatus::Waiting => {
            "<rect x=\"3\" y=\"2\" width=\"3.5\" height=\"12\" fill=\"#7a5300\"/><rect x=\"9.5\" y=\"2\" width=\"3.5\" height=\"12\" fill=\"#7a5300\"/>"
        }
        AssignmentStatus::Deviation => {
            "<path d=\"M8 1 L15 14.5 H1 Z\" fill=\"#b00020\"/><rect x=\"7.1\" y=\"5\" width=\"1.8\" height=\"5\" fill=\"#ffffff\"/><rect x=\"7.1\" y=\"11.2\" width=\"1.8\" height=\"1.8\" fill=\"#ffffff\"/>"
        }
        AssignmentStatus::Dialogue => {
            "<path d=\"M2 2 H14 V11 H7 L3.5 14.5 V11 H2 Z\" fill=\"#5b2a86\"/><circle cx=\"5.2\" cy=\"6.5\" r=\"1.1\" fill=\"#ffffff\"/><circle cx=\"8\" cy=\"6.5\" r=\"1.1\" fill=\"#ffffff\"/><circle cx=\"10.8\" cy=\"6.5\" r=\"1.1\" fill=\"#ffffff\"/>"
        }
        AssignmentStatus::Unknown => {
            "<circle cx=\"8\" cy=\"8\" r=\"6\" fill=\"#ffffff\" stroke=\"#4d4d4d\" stroke-width=\"1.5\" stroke-dasharray=\"2 2\"/><path d=\"M6 6.2 a2 2 0 1 1 2.8 1.8 c-0.6 0.3 -0.8 0.7 -0.8 1.4\" fill=\"none\" stroke=\"#4d4d4d\" stroke-width=\"1.5\"/><rect x=\"7.2\" y=\"10.6\" width=\"1.6\" height=\"1.6\" fill=\"#4d4d4d\"/>"
        }
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\" focusable=\"false\">{body}</svg>"
    )
}

/// A risk as the matrix lists it below the grid: its number in the matrix, title and cell.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRisk {
    pub number: usize,
    pub title: String,
    /// (likelihood, consequence); `None` when not assessed for the year.
    pub cell: Option<(u8, u8)>,
}

/// The risks of a matrix numbered in register order, with the cell each is in.
pub fn matrix_risks(matrix: &RiskMatrix, titles: &[(Id, String)]) -> Vec<MatrixRisk> {
    titles
        .iter()
        .enumerate()
        .map(|(index, (id, title))| MatrixRisk {
            number: index + 1,
            title: title.clone(),
            cell: matrix
                .cells
                .iter()
                .find(|c| c.risks.contains(id))
                .map(|c| (c.likelihood, c.consequence)),
        })
        .collect()
}

/// A sentence that says what the risk matrix shows (its `<desc>` and alternative text).
pub fn describe_risk_matrix(matrix: &RiskMatrix, risks: &[MatrixRisk]) -> String {
    let placed: Vec<String> = risks
        .iter()
        .filter_map(|r| {
            r.cell.map(|(likelihood, consequence)| {
                let band = matrix
                    .cell(likelihood, consequence)
                    .and_then(|c| c.band.as_ref())
                    .map_or(String::new(), |b| format!(", {}", b.label.to_lowercase()));
                format!(
                    "{} {}: sannolikhet {likelihood}, konsekvens {consequence}{band}",
                    r.number, r.title
                )
            })
        })
        .collect();
    let unassessed = risks.iter().filter(|r| r.cell.is_none()).count();
    let mut text = format!(
        "Riskmatris {} med sannolikhet 1–{} och konsekvens 1–{}. ",
        matrix.year, matrix.scale.likelihood, matrix.scale.consequence
    );
    if placed.is_empty() {
        text.push_str("Ingen risk är bedömd.");
    } else {
        let _ = write!(text, "{}.", placed.join("; "));
    }
    if unassessed > 0 {
        let _ = write!(text, " {unassessed} risker är inte bedömda.");
    }
    text
}

/// The risk matrix: a cell per likelihood (rows, highest on top) × consequence (columns), filled
/// with its colour band, showing how many risks it holds and their numbers; the numbered risks
/// are listed below the grid and the bands are named in a legend, so colour never carries the
/// meaning alone.
pub fn risk_matrix_chart(
    id: &str,
    title: &str,
    matrix: &RiskMatrix,
    risks: &[MatrixRisk],
) -> String {
    const CELL: f64 = 64.0;
    const LEFT: f64 = 84.0;
    const TOP: f64 = 44.0;
    let columns = f64::from(matrix.scale.consequence);
    let rows = f64::from(matrix.scale.likelihood);
    let grid_w = CELL * columns;
    let grid_h = CELL * rows;
    let legend_y = TOP + grid_h + 52.0;
    let list_y = legend_y + 30.0;
    // About 7.5 units per character at font size 13: the longest listed risk fits.
    let longest = risks
        .iter()
        .map(|r| r.title.chars().count() + 16)
        .max()
        .unwrap_or(0);
    let width = (LEFT + grid_w + 24.0)
        .max(LEFT + 7.5 * longest as f64 + 24.0)
        .max(520.0);
    let height = list_y + 20.0 * risks.len() as f64 + 12.0;
    let description = describe_risk_matrix(matrix, risks);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT_FAMILY}\" font-size=\"13\">",
        id = xml_escape(id)
    );
    let _ = write!(
        svg,
        "<title id=\"{}-title\">{}</title><desc id=\"{}-desc\">{}</desc>",
        xml_escape(id),
        xml_escape(title),
        xml_escape(id),
        xml_escape(&description)
    );
    let _ = write!(
        svg,
        "<text x=\"{LEFT}\" y=\"22\" font-size=\"15\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
        xml_escape(title)
    );
    for (index, cell) in matrix.cells.iter().enumerate() {
        let row = (index as f64 / columns).floor();
        let column = f64::from(cell.consequence) - 1.0;
        let x = LEFT + column * CELL;
        let y = TOP + row * CELL;
        let fill = cell.band.as_ref().map_or("#ffffff", |b| b.colour.as_str());
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"{}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
            xml_escape(fill)
        );
        if !cell.risks.is_empty() {
            let numbers: Vec<String> = risks
                .iter()
                .filter(|r| r.cell == Some((cell.likelihood, cell.consequence)))
                .map(|r| r.number.to_string())
                .collect();
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"22\" font-weight=\"bold\" fill=\"{INK}\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{INK}\">{}</text>",
                x + CELL / 2.0,
                y + CELL / 2.0 + 2.0,
                cell.risks.len(),
                x + CELL / 2.0,
                y + CELL - 9.0,
                xml_escape(&format!("nr {}", numbers.join(", ")))
            );
        }
    }
    for likelihood in 1..=matrix.scale.likelihood {
        let y = TOP + (rows - f64::from(likelihood)) * CELL + CELL / 2.0 + 4.0;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"end\" fill=\"{INK}\">{likelihood}</text>",
            LEFT - 8.0
        );
    }
    for consequence in 1..=matrix.scale.consequence {
        let x = LEFT + (f64::from(consequence) - 0.5) * CELL;
        let _ = write!(
            svg,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{consequence}</text>",
            TOP + grid_h + 16.0
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">Konsekvens</text>",
        LEFT + grid_w / 2.0,
        TOP + grid_h + 34.0
    );
    let _ = write!(
        svg,
        "<text transform=\"translate({:.1} {:.1}) rotate(-90)\" text-anchor=\"middle\" fill=\"{INK}\">Sannolikhet</text>",
        LEFT - 34.0,
        TOP + grid_h / 2.0
    );
    let mut x = LEFT;
    for band in &matrix.scale.bands {
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"{INK}\"/><text x=\"{:.1}\" y=\"{legend_y:.1}\" fill=\"{INK}\">{}</text>",
            legend_y - 10.0,
            xml_escape(&band.colour),
            x + 16.0,
            xml_escape(&band.label)
        );
        x += 24.0 + 7.5 * band.label.chars().count() as f64;
    }
    for (index, risk) in risks.iter().enumerate() {
        let place = match risk.cell {
            Some((likelihood, consequence)) => format!("{likelihood} × {consequence}"),
            None => "ej bedömd".to_owned(),
        };
        let _ = write!(
            svg,
            "<text x=\"{LEFT}\" y=\"{:.1}\" fill=\"{INK}\">{}</text>",
            list_y + 20.0 * index as f64,
            xml_escape(&format!("{}. {} ({place})", risk.number, risk.title))
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One bar of a waterfall: a total (drawn from the axis) or a change (floating from the running
/// total before it to the one after), in tkr.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallStep {
    pub label: String,
    pub total: bool,
    /// The running total before the bar (for a total: the total itself).
    pub from: Decimal,
    /// The running total after the bar.
    pub to: Decimal,
}

impl WaterfallStep {
    /// The figure the bar prints: a total as it is, a change with its sign.
    fn figure(&self) -> String {
        if self.total {
            format::decimal_as_written(self.to)
        } else {
            format::signed(self.to - self.from)
        }
    }
}

/// The text alternative of a waterfall: every bar in order with its figure, and the axis note.
pub fn describe_waterfall(steps: &[WaterfallStep], unit: &str) -> String {
    let bars: Vec<String> = steps
        .iter()
        .map(|step| format!("{} {} {unit}", step.label, step.figure()))
        .collect();
    let axis = axis_sentence(steps.iter().flat_map(|s| [&s.from, &s.to]));
    format!("{}.{axis}", bars.join("; "))
}

/// A waterfall from a base to a result (the ramberäkning: justerad budget → ram): one
/// horizontal bar per step, top to bottom, totals in blue from the axis, increases in green and
/// decreases in brown floating between the running totals, each with its figure. Labels longer
/// than the label column are shortened with "…"; the data table beside the chart has them whole.
pub fn waterfall_chart(id: &str, title: &str, steps: &[WaterfallStep], unit: &str) -> String {
    const LABEL_CHARS: usize = 32;
    let width = 560.0_f64;
    let (left, right, top, row) = (240.0, 70.0, 16.0, 30.0);
    let bottom = 40.0;
    let plot_w = width - left - right;
    let height = top + row * steps.len().max(1) as f64 + bottom;
    let axis = ValueAxis::of(steps.iter().flat_map(|s| [s.from, s.to]));
    let span = (axis.max - axis.min).max(f64::MIN_POSITIVE);
    let x_of = |value: Decimal| -> f64 {
        let value = value.to_f64().unwrap_or(0.0);
        left + (value - axis.min) / span * plot_w
    };
    let description = describe_waterfall(steps, unit);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{}\" font-size=\"12\">",
        xml_escape(FONT_FAMILY)
    );
    let _ = write!(
        svg,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        xml_escape(title),
        xml_escape(&description)
    );
    let _ = write!(
        svg,
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    let plot_bottom = top + row * steps.len() as f64;
    // Grid and the value axis under the bars.
    let mut tick = axis.min;
    let mut guard = 0;
    while tick <= axis.max + axis.step / 2.0 && guard < 20 {
        let x = left + (tick - axis.min) / span * plot_w;
        let _ = write!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{plot_bottom:.1}\" stroke=\"{GRID}\" stroke-width=\"1\"/>"
        );
        let _ = write!(
            svg,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
            plot_bottom + 16.0,
            xml_escape(&format::decimal_as_written(tick_decimal(tick, axis.step)))
        );
        tick += axis.step;
        guard += 1;
    }
    if let Some(note) = axis.note() {
        let _ = write!(
            svg,
            "<text x=\"{left}\" y=\"{:.1}\" fill=\"{MUTED}\" font-size=\"10\">{} ({unit})</text>",
            plot_bottom + 32.0,
            xml_escape(&note)
        );
    }
    for (index, step) in steps.iter().enumerate() {
        let y = top + row * index as f64;
        let (lo, hi) = if step.total {
            (
                Decimal::from_f64_retain(axis.min).unwrap_or_default(),
                step.to,
            )
        } else {
            (step.from.min(step.to), step.from.max(step.to))
        };
        let colour = if step.total {
            OUTCOME
        } else if step.to >= step.from {
            COMPARISON
        } else {
            TARGET
        };
        let (x0, x1) = (x_of(lo), x_of(hi));
        let _ = write!(
            svg,
            "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>",
            y + 6.0,
            (x1 - x0).max(1.0),
            row - 12.0
        );
        let label: String = if step.label.chars().count() > LABEL_CHARS {
            let short: String = step.label.chars().take(LABEL_CHARS - 1).collect();
            format!("{}…", short.trim_end())
        } else {
            step.label.clone()
        };
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\" font-size=\"11\">{}</text>",
            left - 8.0,
            y + row / 2.0 + 4.0,
            xml_escape(&label)
        );
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\">{}</text>",
            x1 + 4.0,
            y + row / 2.0 + 4.0,
            xml_escape(&step.figure())
        );
    }
    svg.push_str("</svg>");
    svg
}
