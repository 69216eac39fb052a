//! The document model → typst markup (compiled to PDF by the `pdf` feature).
//!
//! Every text from the plan goes through [`escape_markup`] (markup mode) or [`string_literal`]
//! (code mode), so no text can change the document's structure. The markup sets A4 pages with
//! page numbers, the bundled Libertinus Serif font, Swedish hyphenation, a cover, a table of
//! contents with page numbers (`outline`), headings that become PDF bookmarks, tables with
//! header rows and header columns for tagged PDF, charts as SVG images with alternative texts,
//! and footnotes. This module only writes text: it needs no typst crate.
//!
//! Page breaks in tables: a table's caption, header and first rows share a page (`keep-table`
//! measures them in typst and reserves their height; a table of at most half a page is kept
//! whole), a row never breaks inside, a group's label is a second-level header (never the last
//! row on a page, repeated while its group continues), the header repeats on every page, and
//! the note is a repeated footer, so it is never alone on a page. `tests/it/layout.rs` checks
//! this on the PDF with poppler.

use crate::chart;
use crate::html::status_explanation;
use crate::model::{Block, Cell, Document, DocumentKind, Inline, Row, RowStyle, Table};
use std::fmt::Write as _;
use styr_domain::assignment::AssignmentStatus;

/// Escapes text for typst markup: every ASCII punctuation character is written with a
/// backslash (typst accepts an escape of any character), line breaks become spaces.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A typst string literal: `"…"` with `\`, `"` and control characters escaped.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const PREAMBLE: &str = r##"#set text(font: "Libertinus Serif", size: 10.5pt, lang: "sv", region: "SE", hyphenate: true)
#set par(justify: false, leading: 0.62em, spacing: 0.95em)
#set page(paper: "a4", margin: (left: 24mm, right: 22mm, top: 22mm, bottom: 24mm))
#show heading: set block(above: 1.5em, below: 0.8em, sticky: true)
#show heading.where(level: 1): it => { pagebreak(weak: true); set text(size: 19pt, fill: rgb("#1d4f91")); it }
#show heading.where(level: 2): set text(size: 14.5pt)
#show heading.where(level: 3): set text(size: 12pt)
#show heading.where(level: 4): set text(size: 11pt)
#show figure: set block(breakable: true)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.caption: set text(size: 9.5pt)
#show figure.where(kind: table): it => { show figure.caption: set block(sticky: true); it }
#let body-width = 210mm - 24mm - 22mm
#let body-height = 297mm - 22mm - 24mm
// Keeps a table's head (caption, header, first rows) on one page, or the whole table if it
// takes at most half a page: an invisible unbreakable block of that height goes first (to the
// next page if it does not fit there, a heading before it with it), and the table is drawn
// over it.
#let keep-table(head, whole) = context {
  let full = measure(block(width: body-width, whole)).height
  let need = if full <= body-height / 2 { full } else { measure(block(width: body-width, head)).height }
  block(height: need, width: 100%, breakable: false, below: 0pt)
  v(-need)
}
#set table.cell(breakable: false)
#set figure.caption(separator: [: ])
#set table(stroke: (x, y) => if y == 0 { (bottom: 1pt + rgb("#1a1a1a")) } else { (bottom: 0.4pt + rgb("#b3b3b3")) }, inset: (x: 4pt, y: 3.5pt))
#show table: set text(size: 8.8pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#set footnote.entry(separator: line(length: 30%, stroke: 0.5pt))
#show footnote.entry: set text(size: 8.5pt)
#let diff(body) = highlight(fill: rgb("#fff0a8"), stroke: (bottom: 1pt + rgb("#b00020")), body)
#let status(svg, label) = box(baseline: 15%, pdf.artifact(image(bytes(svg), format: "svg", height: 0.95em))) + h(0.3em) + label
"##;

/// Renders the document as a typst source file.
pub fn render(document: &Document) -> String {
    let mut out = String::with_capacity(256 * 1024);
    let keywords: Vec<String> = [
        document.municipality.as_str(),
        document.body.as_str(),
        match document.kind {
            DocumentKind::Plan => "strategi och budget",
            DocumentKind::FollowUp => "uppföljning",
            DocumentKind::Alternative => "alternativ budget",
        },
    ]
    .iter()
    .map(|k| string_literal(k))
    .collect();
    let _ = writeln!(
        out,
        "#set document(title: {}, author: {}, keywords: ({},), date: auto)",
        string_literal(&document.title),
        string_literal(&document.municipality),
        keywords.join(", ")
    );
    out.push_str(PREAMBLE);

    // Cover: no page number.
    out.push_str("#page(numbering: none)[\n#v(1fr)\n");
    let _ = writeln!(
        out,
        "#text(size: 13pt, weight: \"bold\", fill: rgb(\"#1d4f91\"))[{}]\n#v(0.6em)",
        escape_markup(&document.municipality)
    );
    let _ = writeln!(
        out,
        "#block(width: 100%)[#set par(leading: 0.4em); #text(size: 28pt, weight: \"bold\")[{}]]\n#v(0.4em)",
        escape_markup(&document.title)
    );
    if let Some(subtitle) = &document.subtitle {
        let _ = writeln!(
            out,
            "#text(size: 15pt)[{}]\n#v(0.4em)",
            escape_markup(subtitle)
        );
    }
    let _ = writeln!(
        out,
        "#text(size: 15pt)[{}]\n#v(1.2em)",
        escape_markup(&document.body)
    );
    for line in &document.cover_lines {
        let _ = writeln!(out, "{} \\", escape_markup(line));
    }
    out.push_str("#v(1fr)\n#block(width: 100%, stroke: (top: 3pt + rgb(\"#1d4f91\")), inset: (top: 8pt))[#set text(size: 9pt); ");
    match document.kind {
        DocumentKind::Plan => {
            out.push_str(&escape_markup(
                "Dokumentet är framställt ur planens data. Summor i tabellerna är beräknade från data.",
            ));
            out.push_str(" #diff[");
            out.push_str(&escape_markup("Markerade siffror"));
            out.push_str("] ");
            out.push_str(&escape_markup(
                "stämmer inte mellan det tryckta dokumentet och data; i texten står den tryckta siffran kvar, och fotnoten vid siffran anger både den tryckta och den beräknade siffran.",
            ));
        }
        DocumentKind::FollowUp => out.push_str(&escape_markup(
            "Rapporten är framställd ur planens data, huvudboken och de rapporter som lämnats för perioden. Alla belopp, summor, antal och trender är beräknade från data; bedömningar och kommentarer är de som lämnats. – betyder att uppgiften saknas.",
        )),
        DocumentKind::Alternative => out.push_str(&escape_markup(
            "Dokumentet är framställt ur kommunfullmäktiges plan och de alternativa budgetarna. Alla summor och resultat är beräknade från data; ett belopp som skiljer sig från förvaltningens förslag har skillnaden inom parentes.",
        )),
    }
    out.push_str("]\n]\n");

    // Table of contents and page numbers from here on.
    out.push_str("#set page(numbering: \"1\", footer: context [#set text(size: 8.5pt); ");
    out.push_str(&escape_markup(&document.title));
    out.push_str(" #h(1fr) #counter(page).display(\"1\")])\n#counter(page).update(1)\n");
    out.push_str("#outline(title: [Innehåll], depth: 3, indent: 1.2em)\n#pagebreak()\n\n");

    for section in &document.sections {
        let _ = writeln!(
            out,
            "{} {} <{}>\n",
            "=".repeat(usize::from(section.level)),
            escape_markup(&section.title),
            section.id
        );
        for block in &section.blocks {
            block_markup(&mut out, block);
        }
    }
    out
}

fn block_markup(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph(runs) => {
            out.push_str(&runs_markup(runs));
            out.push_str("\n\n");
        }
        Block::Subheading { level, text } => {
            let _ = writeln!(
                out,
                "#heading(level: {}, outlined: false, bookmarked: false)[{}]\n",
                (*level).clamp(1, 6),
                escape_markup(text)
            );
        }
        Block::List { ordered, items } => {
            let function = if *ordered { "enum" } else { "list" };
            let _ = write!(out, "#{function}(");
            for item in items {
                out.push('[');
                let mut inner = String::new();
                for (index, block) in item.iter().enumerate() {
                    if index > 0 {
                        inner.push_str("#parbreak()");
                    }
                    match block {
                        Block::Paragraph(runs) => inner.push_str(&runs_markup(runs)),
                        other => block_markup(&mut inner, other),
                    }
                }
                out.push_str(inner.trim_end());
                out.push_str("], ");
            }
            out.push_str(")\n\n");
        }
        Block::Quote(blocks) => {
            out.push_str("#quote(block: true)[");
            for block in blocks {
                block_markup(out, block);
            }
            out.push_str("]\n\n");
        }
        Block::Table(table) => table_markup(out, table),
        Block::Chart(chart) => {
            let _ = writeln!(
                out,
                "#figure(image(bytes({}), format: \"svg\", width: 88%, alt: {}), caption: [{}])\n",
                string_literal(&chart.svg),
                string_literal(&format!("{}. {}", chart.title, chart.description)),
                escape_markup(&chart.title)
            );
        }
        Block::Drawing(drawing) => {
            let _ = writeln!(
                out,
                "#figure(image(bytes({}), format: \"svg\", width: 100%, alt: {}), caption: [{}])\n",
                string_literal(&drawing.svg),
                string_literal(&drawing.alt),
                escape_markup(&drawing.caption)
            );
        }
        Block::StatusLegend(statuses) => {
            out.push_str("#block(stroke: 0.5pt + rgb(\"#b3b3b3\"), inset: 8pt, width: 100%)[*Status* #v(0.2em)\n#grid(columns: (1fr, 1fr), row-gutter: 0.5em, column-gutter: 1em, ");
            for status in statuses {
                let _ = write!(
                    out,
                    "[{} – {}], ",
                    status_markup(*status),
                    escape_markup(status_explanation(*status))
                );
            }
            out.push_str(")]\n\n");
        }
        Block::Notice(runs) => {
            let _ = writeln!(
                out,
                "#block(stroke: (left: 3pt + rgb(\"#b00020\")), inset: 6pt)[{}]\n",
                runs_markup(runs)
            );
        }
        Block::Synthetic(text) => {
            let _ = writeln!(
                out,
                "#block(stroke: 1pt + rgb(\"#8a4b00\"), inset: 6pt, breakable: false)[*{}*]\n",
                escape_markup(text)
            );
        }
        Block::Rule => out.push_str("#line(length: 100%, stroke: 0.5pt)\n\n"),
    }
}

fn status_markup(status: AssignmentStatus) -> String {
    format!(
        "#status({}, [{}])",
        string_literal(&chart::status_icon(status)),
        escape_markup(status.label_sv())
    )
}

fn table_markup(out: &mut String, table: &Table) {
    // Numbers and short texts take their natural width; the first column and long texts share
    // the rest, the first column twice as much.
    let longest = |index: usize| -> usize {
        table
            .rows
            .iter()
            .filter_map(|row| {
                let offset = usize::from(row.header_span == 0);
                index.checked_sub(offset).and_then(|i| row.cells.get(i))
            })
            .map(|cell| crate::model::Inline::plain(&cell.content).chars().count())
            .max()
            .unwrap_or(0)
    };
    // With many columns, auto-sized numeric columns (sized by their long headers) would
    // leave the first column a sliver and break its names letter by letter: share the width.
    let many = table.columns.len() >= 6;
    let widths: Vec<&str> = table
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            if index == 0 {
                "2fr"
            } else if many && column.numeric {
                "1fr"
            } else if column.numeric || longest(index) < 24 {
                "auto"
            } else {
                "1fr"
            }
        })
        .collect();
    let aligns: Vec<&str> = table
        .columns
        .iter()
        .map(|c| if c.numeric { "right" } else { "left" })
        .collect();
    let caption = if table.caption.is_empty() {
        "none".to_owned()
    } else {
        format!("[{}]", escape_markup(&table.caption))
    };
    // The note (unit, legend of "–") is the table's footer, repeated on every page the table
    // takes: typst never leaves a repeated footer alone at the top of a page, so the note stays
    // with the table's last rows.
    let footer = table
        .note
        .as_ref()
        .map(|note| {
            format!(
                "  table.footer(repeat: true, table.cell(colspan: {}, stroke: none, inset: (x: 0pt, top: 5pt, bottom: 0pt))[#text(size: 8.5pt)[{}]]),\n",
                table.columns.len(),
                runs_markup(note)
            )
        })
        .unwrap_or_default();
    let figure = |rows: &[Row]| -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "#figure(kind: table, caption: {caption}, table(columns: ({},), align: ({},),\n  table.header(",
            widths.join(", "),
            aligns.join(", ")
        );
        for (index, column) in table.columns.iter().enumerate() {
            if index == 0 {
                let _ = write!(
                    out,
                    "pdf.header-cell(scope: \"both\")[{}], ",
                    escape_markup(&column.label)
                );
            } else {
                let _ = write!(out, "[{}], ", escape_markup(&column.label));
            }
        }
        out.push_str("),\n");
        for row in rows {
            if row.style == RowStyle::Group {
                // A group's label is a second-level header: typst never leaves it at a page's
                // foot without a row of its group, and repeats it on the next page while the
                // group continues.
                let label = row.cells.first().map(cell_markup).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  table.header(level: 2, table.cell(colspan: {})[*{label}*]),",
                    table.columns.len()
                );
                continue;
            }
            row_markup(&mut out, row);
        }
        out.push_str(&footer);
        out.push_str("))\n");
        out
    };
    // The whole table and its head (caption, header and first rows) go to
    // `keep-table`, which keeps the head together, or the whole table if it is small; the rows
    // themselves never break inside (`table.cell(breakable: false)`), a long table breaks
    // between rows with its header repeated.
    let whole = figure(&table.rows);
    let head = figure(&table.rows[..crate::model::head_len(&table.rows)]);
    let _ = write!(
        out,
        "#{{\nlet whole = [\n{whole}]\nkeep-table([\n{head}], whole)\nwhole\n}}\n\n"
    );
}

fn row_markup(out: &mut String, row: &Row) {
    if row.style == RowStyle::Total {
        out.push_str("  table.hline(stroke: 1pt),\n");
    }
    out.push_str("  ");
    for (index, cell) in row.cells.iter().enumerate() {
        let mut content = cell_markup(cell);
        match row.style {
            RowStyle::Total => content = format!("*{content}*"),
            RowStyle::Part if index == 0 => content = format!("#h(1em)_{content}_"),
            _ => {}
        }
        if index == 0 && row.header_span > 0 {
            let span = if row.header_span > 1 {
                format!("rowspan: {}, ", row.header_span)
            } else {
                String::new()
            };
            let _ = write!(
                out,
                "pdf.header-cell(scope: \"row\", table.cell({span})[{content}]), "
            );
        } else {
            let _ = write!(out, "[{content}], ");
        }
    }
    out.push('\n');
}

fn cell_markup(cell: &Cell) -> String {
    if cell.missing {
        "–".to_owned()
    } else {
        runs_markup(&cell.content)
    }
}

fn runs_markup(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Text(text) => out.push_str(&escape_markup(text)),
            Inline::Strong(inner) => {
                let _ = write!(out, "#strong[{}]", runs_markup(inner));
            }
            Inline::Emph(inner) => {
                let _ = write!(out, "#emph[{}]", runs_markup(inner));
            }
            Inline::Code(text) => {
                let _ = write!(out, "#raw({})", string_literal(text));
            }
            Inline::Link { url, content } => {
                let lower = url.to_ascii_lowercase();
                if lower.starts_with("https://")
                    || lower.starts_with("http://")
                    || lower.starts_with("mailto:")
                {
                    let _ = write!(
                        out,
                        "#link({})[{}]",
                        string_literal(url),
                        runs_markup(content)
                    );
                } else {
                    out.push_str(&runs_markup(content));
                }
            }
            Inline::Trace { content, .. } => out.push_str(&runs_markup(content)),
            Inline::Note(content) => {
                let _ = write!(out, "#footnote[{}]", runs_markup(content));
            }
            Inline::Marked(inner) => {
                let _ = write!(out, "#diff[{}]", runs_markup(inner));
            }
            Inline::Unverified(text) => out.push_str(&escape_markup(text)),
            Inline::Status(status) => out.push_str(&status_markup(*status)),
            Inline::LineBreak => out.push_str(" \\ "),
            Inline::SectionRef { id, .. } => {
                // The page the section starts on, as the page footer numbers it.
                let _ = write!(
                    out,
                    "#link(<{id}>)[sidan #context counter(page).at(<{id}>).first()]"
                );
            }
        }
    }
    out
}
