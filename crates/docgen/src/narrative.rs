//! Narrative Markdown → document blocks, with claims rendered as live figures.
//!
//! A claim `[ca 268 mnkr]{= 0 - exp.cost}` is replaced by its bracketed text in which only the
//! number is swapped for the figure computed from the data (in the claim's unit, with the printed
//! number of decimals, rounded the way the hedge word reads) — but only where the printed figure
//! holds. Where it does not hold, or where it is measured from a budget version the data lacks
//! (`bas = …`), the printed words are kept as printed, marked, and a footnote gives the figure
//! the data gives: a figure computed differently never takes the printed one's place.
//! Comparison claims and `{?}` claims keep their printed words. Markdown is read with `pulldown-cmark`; raw HTML in the text is shown
//! as text, never passed through. This module does not decide how anything looks.

use crate::format::{self, Rounding};
use crate::model::{Block, Cell, Column, Inline, Row, RowStyle, Table};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use styr_domain::Plan;
use styr_domain::claim::{
    Claim, ClaimCheck, ClaimUnit, Hedge, figure_word, in_claim_unit, missing_base_note,
    number_span, parse_claims, supports,
};
use styr_domain::describe::{comparison_words, comparison_words_negated};
use styr_domain::expr::Formula;
use styr_domain::number::round_half_away;
use styr_domain::plan::{EvalError, Quantity, QuantityUnit};

const CLAIM_OPEN: char = '\u{E000}';
const CLAIM_CLOSE: char = '\u{E001}';

/// Converts narrative Markdown to blocks. `base_level` is the level of the section the text
/// belongs to: Markdown headings become subheadings below it.
pub fn markdown_blocks(plan: &Plan, file: &str, text: &str, base_level: u8) -> Vec<Block> {
    let mut blocks = markdown_blocks_traced(plan, file, text, base_level);
    crate::trace::link_blocks(&mut blocks, None);
    blocks
}

/// [`markdown_blocks`] with each checkable claim inside a trace (`crate::trace`).
pub fn markdown_blocks_traced(plan: &Plan, file: &str, text: &str, base_level: u8) -> Vec<Block> {
    let (marked, claims) = extract_claims(file, text);
    let claim_runs: Vec<Vec<Inline>> = claims
        .iter()
        .map(|claim| match claim {
            Some(claim) => match crate::trace::claim_path(plan, claim) {
                Some(path) => crate::trace::wrap(claim_runs(plan, claim), path),
                None => claim_runs(plan, claim),
            },
            None => Vec::new(),
        })
        .collect();
    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".md")
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let mut builder = Builder {
        claim_runs: &claim_runs,
        id_prefix: format!("text-{stem}"),
        tables: 0,
        base_level,
        stack: vec![Frame::Root(Vec::new())],
        text: String::new(),
        notes: HashMap::new(),
    };
    let options =
        Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(&marked, options) {
        builder.event(event);
    }
    builder.flush_text();
    let notes = std::mem::take(&mut builder.notes);
    let Some(Frame::Root(mut blocks)) = builder.stack.pop() else {
        return Vec::new();
    };
    resolve_notes(&mut blocks, &notes);
    blocks
}

/// A one-paragraph text of a table cell (a status comment) as runs: plain text, with each
/// claim rendered live as in the narrative.
pub fn text_runs(plan: &Plan, file: &str, text: &str) -> Vec<Inline> {
    let mut blocks = vec![Block::Paragraph(text_runs_traced(plan, file, text))];
    crate::trace::link_blocks(&mut blocks, None);
    match blocks.pop() {
        Some(Block::Paragraph(runs)) => runs,
        _ => Vec::new(),
    }
}

/// [`text_runs`] with each checkable claim inside a trace (`crate::trace`).
pub fn text_runs_traced(plan: &Plan, file: &str, text: &str) -> Vec<Inline> {
    let (marked, claims) = extract_claims(file, text);
    let mut runs = Vec::new();
    let mut rest = marked.as_str();
    while let Some(open) = rest.find(CLAIM_OPEN) {
        if open > 0 {
            runs.push(Inline::Text(rest[..open].to_owned()));
        }
        let after = &rest[open + CLAIM_OPEN.len_utf8()..];
        let Some(close) = after.find(CLAIM_CLOSE) else {
            break;
        };
        if let Some(Some(claim)) = after[..close]
            .parse::<usize>()
            .ok()
            .and_then(|index| claims.get(index))
        {
            match crate::trace::claim_path(plan, claim) {
                Some(path) => runs.extend(crate::trace::wrap(claim_runs(plan, claim), path)),
                None => runs.extend(claim_runs(plan, claim)),
            }
        }
        rest = &after[close + CLAIM_CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        runs.push(Inline::Text(rest.to_owned()));
    }
    runs
}

/// Replaces every claim `[text]{attr}` with a placeholder; returns the claims in order.
/// A claim markup that cannot be read stays as it is written.
fn extract_claims(file: &str, text: &str) -> (String, Vec<Option<Claim>>) {
    let mut out = String::with_capacity(text.len());
    let mut claims = Vec::new();
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut rest = line.replace([CLAIM_OPEN, CLAIM_CLOSE], "");
        while let Some(close) = rest.find("]{") {
            let Some(open) = rest[..close].rfind('[') else {
                break;
            };
            let Some(attr_len) = rest[close + 2..].find('}') else {
                break;
            };
            let end = close + 3 + attr_len;
            let markup = &rest[open..end];
            let (mut parsed, _) = parse_claims(file, markup);
            let claim = parsed.pop().map(|mut claim| {
                claim.at.line = line_number;
                claim
            });
            out.push_str(&rest[..open]);
            if claim.is_some() {
                out.push(CLAIM_OPEN);
                out.push_str(&claims.len().to_string());
                out.push(CLAIM_CLOSE);
                claims.push(claim);
            } else {
                // Not a claim we can read: keep the printed words, drop the attribute.
                out.push_str(&rest[open + 1..close]);
            }
            rest = rest[end..].to_owned();
        }
        out.push_str(&rest);
    }
    (out, claims)
}

fn unit_label(unit: Option<ClaimUnit>) -> &'static str {
    match unit {
        Some(ClaimUnit::Mnkr) => " mnkr",
        Some(ClaimUnit::Tkr) => " tkr",
        Some(ClaimUnit::Kr) => " kr",
        Some(ClaimUnit::Percent) => " %",
        None => "",
    }
}

fn quantity_text(quantity: &Quantity) -> String {
    let unit = match &quantity.unit {
        QuantityUnit::Plain => String::new(),
        QuantityUnit::Tkr => " tkr".to_owned(),
        QuantityUnit::Percent => " %".to_owned(),
        QuantityUnit::Other(unit) => format!(" {unit}"),
    };
    let decimals = quantity.value.normalize().scale().min(2);
    format!("{}{unit}", format::decimal(quantity.value, decimals))
}

/// The runs a claim renders as: the printed words (or, where the printed figure holds, the live
/// figure in them), a marker and a footnote.
pub fn claim_runs(plan: &Plan, claim: &Claim) -> Vec<Inline> {
    let printed = claim.text.clone();
    let formula = match &claim.check {
        ClaimCheck::Unverifiable => return vec![Inline::Unverified(printed)],
        ClaimCheck::Formula(formula) => formula,
    };
    // A disagreement keeps the printed words: the figure from the data is in the note only.
    let disagreement = |note: String| {
        vec![
            Inline::Marked(vec![Inline::Text(printed.clone())]),
            Inline::Note(vec![Inline::Text(note)]),
        ]
    };
    // Measured from a budget version the plan does not hold: printed words, and a note of what
    // the columns the plan has give.
    let missing_base = claim.missing_base(&plan.budget.version);
    let cannot_verify = |base: &str, outcome: String| {
        vec![
            Inline::Unverified(printed.clone()),
            Inline::Note(vec![Inline::Text(format!(
                "”{printed}” {}.",
                missing_base_note(base, &formula.formula, &outcome)
            ))]),
        ]
    };
    // The data holds what the claim counts but cannot answer it: printed words and the reason.
    let unanswerable = |reason: String| {
        vec![
            Inline::Unverified(printed.clone()),
            Inline::Note(vec![Inline::Text(format!(
                "”{printed}” ({}) kan inte kontrolleras: {reason}.",
                plan.describe_formula(&formula.formula)
            ))]),
        ]
    };
    match &formula.formula {
        Formula::Compare(left, comparison, right) => {
            match (plan.evaluate(left), plan.evaluate(right)) {
                (Ok(l), Ok(r)) => {
                    let holds = comparison.holds(l.value, r.value);
                    let words = if holds {
                        comparison_words(*comparison)
                    } else {
                        comparison_words_negated(*comparison)
                    };
                    let says = format!(
                        "{} ({}) {words} {} ({})",
                        plan.describe_expr(left),
                        quantity_text(&l),
                        plan.describe_expr(right),
                        quantity_text(&r)
                    );
                    if let Some(base) = missing_base {
                        cannot_verify(base, format!("gäller: {says}"))
                    } else if holds {
                        vec![Inline::Text(printed)]
                    } else {
                        disagreement(format!(
                            "I den tryckta texten: ”{printed}”; enligt data: {says}."
                        ))
                    }
                }
                (Err(EvalError::Unanswerable(reason)), _)
                | (_, Err(EvalError::Unanswerable(reason))) => unanswerable(reason),
                (Err(error), _) | (_, Err(error)) => {
                    disagreement(format!("”{printed}” kan inte beräknas från data: {error}."))
                }
            }
        }
        Formula::Value(expr) => {
            let Some(stated) = claim.stated else {
                return vec![Inline::Text(printed)];
            };
            let computed = match plan.evaluate(expr) {
                Ok(quantity) => in_claim_unit(&quantity, claim.unit),
                Err(EvalError::Unanswerable(reason)) => return unanswerable(reason),
                Err(error) => {
                    return disagreement(format!(
                        "”{printed}” kan inte beräknas från data: {error}."
                    ));
                }
            };
            let Some(computed) = computed else {
                return disagreement(format!(
                    "”{printed}”: enheten stämmer inte med {}.",
                    plan.describe_expr(expr)
                ));
            };
            let exact = format!(
                "{}{}",
                format::decimal(round_half_away(computed, stated.decimals), stated.decimals),
                unit_label(claim.unit)
            );
            if let Some(base) = missing_base {
                return cannot_verify(base, format!("blir {} {exact}", figure_word(expr)));
            }
            if !supports(stated.value, stated.decimals, claim.hedge, computed) {
                return disagreement(format!(
                    "I den tryckta texten: {printed}; beräknat från data: {exact}."
                ));
            }
            // The printed figure holds: the live figure equals it after rounding.
            let rounding = match claim.hedge {
                Hedge::Exact | Hedge::About => Rounding::HalfAway,
                Hedge::JustOver => Rounding::Down,
                Hedge::JustUnder => Rounding::Up,
            };
            // A count written in words ("fyra") that holds stays in words.
            let Some(span) = number_span(&printed) else {
                return vec![Inline::Text(printed)];
            };
            let live = format::rounded(computed, stated.decimals, rounding);
            vec![Inline::Text(format!(
                "{}{live}{}",
                &printed[..span.0],
                &printed[span.1..]
            ))]
        }
    }
}

enum Frame {
    Root(Vec<Block>),
    Paragraph(Vec<Inline>),
    Heading(u8, Vec<Inline>),
    Quote(Vec<Block>),
    List(bool, Vec<Vec<Block>>),
    Item(Vec<Block>, Vec<Inline>),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Link(String, Vec<Inline>),
    Note(String, Vec<Block>),
    /// A Markdown table: header cells, finished rows, the row being read.
    Table {
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        current: Vec<Vec<Inline>>,
    },
    TableCell(Vec<Inline>),
    /// A construct shown by its text only (images, code blocks in narrative).
    Plain(Vec<Inline>),
}

struct Builder<'a> {
    claim_runs: &'a [Vec<Inline>],
    /// Prefix of the ids of tables in the text.
    id_prefix: String,
    tables: usize,
    base_level: u8,
    stack: Vec<Frame>,
    text: String,
    notes: HashMap<String, Vec<Inline>>,
}

const NOTE_REF: &str = "\u{E002}";

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                self.text.push_str(&text)
            }
            Event::Code(code) => {
                self.flush_text();
                self.push_inline(Inline::Code(code.to_string()));
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text.push_str(&text),
            Event::SoftBreak => self.text.push(' '),
            Event::HardBreak => {
                self.flush_text();
                self.push_inline(Inline::LineBreak);
            }
            Event::Rule => {
                self.flush_text();
                self.push_block(Block::Rule);
            }
            Event::FootnoteReference(label) => {
                self.flush_text();
                self.push_inline(Inline::Note(vec![Inline::Text(format!(
                    "{NOTE_REF}{label}"
                ))]));
            }
            Event::TaskListMarker(done) => self.text.push_str(if done { "☒ " } else { "☐ " }),
            Event::Start(tag) => {
                self.flush_text();
                let frame = match tag {
                    Tag::Paragraph => Frame::Paragraph(Vec::new()),
                    Tag::Heading { level, .. } => Frame::Heading(heading_level(level), Vec::new()),
                    Tag::BlockQuote(_) => Frame::Quote(Vec::new()),
                    Tag::List(start) => Frame::List(start.is_some(), Vec::new()),
                    Tag::Item => Frame::Item(Vec::new(), Vec::new()),
                    Tag::Strong => Frame::Strong(Vec::new()),
                    Tag::Emphasis => Frame::Emph(Vec::new()),
                    Tag::Link { dest_url, .. } => Frame::Link(dest_url.to_string(), Vec::new()),
                    Tag::FootnoteDefinition(label) => Frame::Note(label.to_string(), Vec::new()),
                    Tag::Table(_) => Frame::Table {
                        head: Vec::new(),
                        rows: Vec::new(),
                        current: Vec::new(),
                    },
                    Tag::TableHead | Tag::TableRow => return,
                    Tag::TableCell => Frame::TableCell(Vec::new()),
                    _ => Frame::Plain(Vec::new()),
                };
                self.stack.push(frame);
            }
            Event::End(TagEnd::TableHead) => {
                self.flush_text();
                if let Some(Frame::Table { head, current, .. }) = self.stack.last_mut() {
                    *head = std::mem::take(current);
                }
            }
            Event::End(TagEnd::TableRow) => {
                self.flush_text();
                if let Some(Frame::Table { rows, current, .. }) = self.stack.last_mut() {
                    rows.push(std::mem::take(current));
                }
            }
            Event::End(tag) => {
                self.flush_text();
                let Some(frame) = self.stack.pop() else {
                    return;
                };
                self.close(frame, tag);
            }
        }
    }

    fn close(&mut self, frame: Frame, tag: TagEnd) {
        match frame {
            Frame::Paragraph(runs) => {
                if !runs.is_empty() {
                    self.push_block(Block::Paragraph(runs));
                }
            }
            Frame::Heading(level, runs) => self.push_block(Block::Subheading {
                level: (self.base_level + level).min(6),
                text: Inline::plain(&runs),
            }),
            Frame::Quote(blocks) => self.push_block(Block::Quote(blocks)),
            Frame::List(ordered, items) => self.push_block(Block::List { ordered, items }),
            Frame::Item(mut blocks, runs) => {
                if !runs.is_empty() {
                    blocks.push(Block::Paragraph(runs));
                }
                if let Some(Frame::List(_, items)) = self.stack.last_mut() {
                    items.push(blocks);
                }
            }
            Frame::Strong(runs) => self.push_inline(Inline::Strong(runs)),
            Frame::Emph(runs) => self.push_inline(Inline::Emph(runs)),
            Frame::Link(url, content) => self.push_inline(Inline::Link { url, content }),
            Frame::Note(label, blocks) => {
                let mut runs = Vec::new();
                for block in blocks {
                    if let Block::Paragraph(paragraph) = block {
                        if !runs.is_empty() {
                            runs.push(Inline::text(" "));
                        }
                        runs.extend(paragraph);
                    }
                }
                self.notes.insert(label, runs);
            }
            Frame::Plain(runs) => {
                let block_level = matches!(
                    tag,
                    TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::DefinitionList
                );
                if block_level {
                    if !runs.is_empty() {
                        self.push_block(Block::Paragraph(runs));
                    }
                } else {
                    for run in runs {
                        self.push_inline(run);
                    }
                }
            }
            Frame::TableCell(runs) => {
                if let Some(Frame::Table { current, .. }) = self.stack.last_mut() {
                    current.push(runs);
                }
            }
            Frame::Table { head, rows, .. } => {
                self.tables += 1;
                let table = Table {
                    id: format!("{}-tabell-{}", self.id_prefix, self.tables),
                    caption: String::new(),
                    columns: head
                        .iter()
                        .map(|runs| Column {
                            label: Inline::plain(runs),
                            numeric: false,
                        })
                        .collect(),
                    rows: rows
                        .into_iter()
                        .map(|cells| {
                            Row::new(
                                RowStyle::Normal,
                                cells
                                    .into_iter()
                                    .map(|runs| {
                                        if runs.is_empty() {
                                            Cell::text("")
                                        } else {
                                            Cell::runs(runs)
                                        }
                                    })
                                    .collect(),
                            )
                        })
                        .collect(),
                    note: None,
                };
                self.push_block(Block::Table(table));
            }
            Frame::Root(blocks) => self.stack.push(Frame::Root(blocks)),
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Item(blocks, runs)) => {
                if !runs.is_empty() {
                    blocks.push(Block::Paragraph(std::mem::take(runs)));
                }
                blocks.push(block);
            }
            Some(Frame::Root(blocks))
            | Some(Frame::Quote(blocks))
            | Some(Frame::Note(_, blocks)) => blocks.push(block),
            _ => {
                // A block inside inline content: keep its text.
                if let Block::Paragraph(runs) = block {
                    for run in runs {
                        self.push_inline(run);
                    }
                }
            }
        }
    }

    fn push_inline(&mut self, run: Inline) {
        match self.stack.last_mut() {
            Some(Frame::Paragraph(runs))
            | Some(Frame::Heading(_, runs))
            | Some(Frame::Item(_, runs))
            | Some(Frame::Strong(runs))
            | Some(Frame::Emph(runs))
            | Some(Frame::Link(_, runs))
            | Some(Frame::TableCell(runs))
            | Some(Frame::Plain(runs)) => runs.push(run),
            Some(Frame::Root(_)) | Some(Frame::Quote(_)) | Some(Frame::Note(..)) => {
                self.push_block(Block::Paragraph(vec![run]))
            }
            Some(Frame::List(..)) | Some(Frame::Table { .. }) | None => {}
        }
    }

    /// Emits buffered text, splitting out claim placeholders.
    fn flush_text(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        let mut rest = text.as_str();
        while let Some(open) = rest.find(CLAIM_OPEN) {
            let after = &rest[open + CLAIM_OPEN.len_utf8()..];
            let Some(close) = after.find(CLAIM_CLOSE) else {
                break;
            };
            if open > 0 {
                self.push_inline(Inline::text(&rest[..open]));
            }
            let runs = after[..close]
                .parse::<usize>()
                .ok()
                .and_then(|index| self.claim_runs.get(index))
                .cloned()
                .unwrap_or_default();
            for run in runs {
                self.push_inline(run);
            }
            rest = &after[close + CLAIM_CLOSE.len_utf8()..];
        }
        if !rest.is_empty() {
            self.push_inline(Inline::text(rest));
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Replaces footnote references by the text of their definitions.
fn resolve_notes(blocks: &mut [Block], notes: &HashMap<String, Vec<Inline>>) {
    for block in blocks {
        match block {
            Block::Paragraph(content) | Block::Notice(content) => resolve_runs(content, notes),
            Block::Quote(inner) => resolve_notes(inner, notes),
            Block::List { items, .. } => {
                for item in items {
                    resolve_notes(item, notes);
                }
            }
            _ => {}
        }
    }
}

fn resolve_runs(runs: &mut [Inline], notes: &HashMap<String, Vec<Inline>>) {
    for run in runs {
        match run {
            Inline::Note(content) => {
                let label = match content.as_slice() {
                    [Inline::Text(text)] => text.strip_prefix(NOTE_REF).map(str::to_owned),
                    _ => None,
                };
                if let Some(label) = label {
                    *content = notes
                        .get(&label)
                        .cloned()
                        .unwrap_or_else(|| vec![Inline::text(format!("[^{label}]"))]);
                }
            }
            Inline::Strong(inner)
            | Inline::Emph(inner)
            | Inline::Marked(inner)
            | Inline::Link { content: inner, .. }
            | Inline::Trace { content: inner, .. } => resolve_runs(inner, notes),
            _ => {}
        }
    }
}
