//! The organisation chart, drawn from the plan's bodies (organ) and units (förvaltningar).
//!
//! The tree is the bodies' `parent` links, with each unit hung under the body it serves (or its
//! parent unit). Bodies outside the tree (federations, associations) are listed, not drawn. The
//! layout is a plain tidy tree: leaves side by side, each parent centred over its children.
//! Returns a standalone SVG with `<title>` and `<desc>`, and a text outline of the same tree for
//! readers who cannot see the drawing.

use crate::chart::{FONT_FAMILY, xml_escape};
use std::fmt::Write as _;
use styr_domain::Plan;
use styr_domain::org::BodyKind;

/// A node of the chart: a body or a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgNode {
    pub name: String,
    pub is_unit: bool,
    pub children: Vec<OrgNode>,
}

/// The trees of the organisation: one per body without a parent that has something below it,
/// or that is the council. Also returns the names of bodies left out of the trees.
pub fn org_trees(plan: &Plan) -> (Vec<OrgNode>, Vec<String>) {
    fn unit_node(plan: &Plan, unit: &styr_domain::org::OrgUnit) -> OrgNode {
        OrgNode {
            name: unit.name.clone(),
            is_unit: true,
            children: plan
                .units
                .iter()
                .filter(|u| u.parent.as_ref() == Some(&unit.id))
                .map(|u| unit_node(plan, u))
                .collect(),
        }
    }
    fn body_node(plan: &Plan, body: &styr_domain::org::Body) -> OrgNode {
        let mut children: Vec<OrgNode> = plan
            .units
            .iter()
            .filter(|u| u.body == body.id && u.parent.is_none())
            .map(|u| unit_node(plan, u))
            .collect();
        children.extend(
            plan.bodies
                .iter()
                .filter(|b| b.parent.as_ref() == Some(&body.id))
                .map(|b| body_node(plan, b)),
        );
        let name = match &body.short {
            Some(short) if short != &body.name => format!("{} ({short})", body.name),
            _ => body.name.clone(),
        };
        OrgNode {
            name,
            is_unit: false,
            children,
        }
    }
    let mut trees = Vec::new();
    let mut others = Vec::new();
    for body in plan.bodies.iter().filter(|b| b.parent.is_none()) {
        let node = body_node(plan, body);
        if body.kind == BodyKind::Council || !node.children.is_empty() {
            trees.push(node);
        } else {
            others.push(body.name.clone());
        }
    }
    (trees, others)
}

/// The tree as nested text lines ("Kommunfullmäktige (KF) › Kommunstyrelsen (KS) › …").
pub fn outline(trees: &[OrgNode]) -> Vec<(usize, String)> {
    fn walk(node: &OrgNode, depth: usize, out: &mut Vec<(usize, String)>) {
        let kind = if node.is_unit {
            " (förvaltning/enhet)"
        } else {
            ""
        };
        out.push((depth, format!("{}{kind}", node.name)));
        for child in &node.children {
            walk(child, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for tree in trees {
        walk(tree, 0, &mut out);
    }
    out
}

const BOX_W: f64 = 128.0;
const BOX_GAP: f64 = 14.0;
const LEVEL_H: f64 = 92.0;
const BOX_H: f64 = 58.0;

fn leaves(node: &OrgNode) -> usize {
    if node.children.is_empty() {
        1
    } else {
        node.children.iter().map(leaves).sum()
    }
}

fn depth(node: &OrgNode) -> usize {
    1 + node.children.iter().map(depth).max().unwrap_or(0)
}

/// Splits a name into lines of at most about `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Draws the trees side by side. Returns the SVG.
pub fn org_chart_svg(id: &str, trees: &[OrgNode], title: &str, description: &str) -> String {
    let total_leaves: usize = trees.iter().map(leaves).sum::<usize>().max(1);
    let levels = trees.iter().map(depth).max().unwrap_or(1);
    let width = total_leaves as f64 * (BOX_W + BOX_GAP) + BOX_GAP;
    let height = levels as f64 * LEVEL_H + 60.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{}\" font-size=\"11\">",
        xml_escape(FONT_FAMILY)
    );
    let _ = write!(
        svg,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc><rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>",
        xml_escape(title),
        xml_escape(description)
    );
    let mut lines = String::new();
    let mut boxes = String::new();
    let mut next_leaf = 0usize;
    for tree in trees {
        place(tree, 0, &mut next_leaf, &mut lines, &mut boxes);
    }
    svg.push_str(&lines);
    svg.push_str(&boxes);
    // Legend.
    let ly = height - 26.0;
    let _ = write!(
        svg,
        "<rect x=\"{BOX_GAP}\" y=\"{ly}\" width=\"18\" height=\"12\" fill=\"#ffffff\" stroke=\"#1d4f91\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\" fill=\"#1a1a1a\">Politiskt organ</text><rect x=\"{}\" y=\"{ly}\" width=\"18\" height=\"12\" rx=\"4\" fill=\"#e8eef7\" stroke=\"#4d4d4d\" stroke-width=\"1\" stroke-dasharray=\"4 2\"/><text x=\"{}\" y=\"{}\" fill=\"#1a1a1a\">Förvaltning eller enhet</text>",
        BOX_GAP + 24.0,
        ly + 10.0,
        BOX_GAP + 130.0,
        BOX_GAP + 154.0,
        ly + 10.0
    );
    svg.push_str("</svg>");
    svg
}

/// Places a node and its children; returns the centre x of the node.
fn place(
    node: &OrgNode,
    level: usize,
    next_leaf: &mut usize,
    lines: &mut String,
    boxes: &mut String,
) -> f64 {
    let y = 16.0 + level as f64 * LEVEL_H;
    let x_center = if node.children.is_empty() {
        let x = BOX_GAP + *next_leaf as f64 * (BOX_W + BOX_GAP) + BOX_W / 2.0;
        *next_leaf += 1;
        x
    } else {
        let centres: Vec<f64> = node
            .children
            .iter()
            .map(|child| place(child, level + 1, next_leaf, lines, boxes))
            .collect();
        let first = centres.first().copied().unwrap_or(0.0);
        let last = centres.last().copied().unwrap_or(0.0);
        let mid = (first + last) / 2.0;
        let bus_y = y + BOX_H + (LEVEL_H - BOX_H) / 2.0;
        let _ = write!(
            lines,
            "<line x1=\"{mid:.1}\" y1=\"{:.1}\" x2=\"{mid:.1}\" y2=\"{bus_y:.1}\" stroke=\"#4d4d4d\" stroke-width=\"1.5\"/>",
            y + BOX_H
        );
        if centres.len() > 1 {
            let _ = write!(
                lines,
                "<line x1=\"{first:.1}\" y1=\"{bus_y:.1}\" x2=\"{last:.1}\" y2=\"{bus_y:.1}\" stroke=\"#4d4d4d\" stroke-width=\"1.5\"/>"
            );
        }
        for centre in &centres {
            let _ = write!(
                lines,
                "<line x1=\"{centre:.1}\" y1=\"{bus_y:.1}\" x2=\"{centre:.1}\" y2=\"{:.1}\" stroke=\"#4d4d4d\" stroke-width=\"1.5\"/>",
                y + LEVEL_H
            );
        }
        mid
    };
    let x = x_center - BOX_W / 2.0;
    if node.is_unit {
        let _ = write!(
            boxes,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"8\" fill=\"#e8eef7\" stroke=\"#4d4d4d\" stroke-width=\"1\" stroke-dasharray=\"4 2\"/>"
        );
    } else {
        let _ = write!(
            boxes,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{BOX_W}\" height=\"{BOX_H}\" fill=\"#ffffff\" stroke=\"#1d4f91\" stroke-width=\"2\"/>"
        );
    }
    let text_lines = wrap(&node.name, 18);
    // A long word ("Kommunstyrelseförvaltningen") gets a smaller font rather than overflow.
    let longest = text_lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        .max(1);
    let font_size = (11.0_f64).min((BOX_W - 10.0) / (0.62 * longest as f64));
    let line_h = font_size * 1.2;
    let start = y + BOX_H / 2.0 - (text_lines.len() as f64 - 1.0) * line_h / 2.0 + 4.0;
    for (index, line) in text_lines.iter().enumerate() {
        let weight = if node.is_unit { "normal" } else { "bold" };
        let _ = write!(
            boxes,
            "<text x=\"{x_center:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#1a1a1a\" font-weight=\"{weight}\" font-size=\"{font_size:.1}\">{}</text>",
            start + index as f64 * line_h,
            xml_escape(line)
        );
    }
    x_center
}
