//! The document model → one self-contained HTML file.
//!
//! `lang="sv"`, a cover, a linked table of contents, headings in order (h1 the title, h2–h4 the
//! sections), tables with `<caption>` and `<th scope>`, inline SVG charts with `<title>` and
//! `<desc>`, footnotes with links both ways, and inline CSS with print styles. Nothing is
//! fetched: no external style sheets, fonts, scripts or images. Every text is escaped; links
//! from narrative text are kept only for `http`, `https`, `mailto` and in-page targets.

use crate::chart;
use crate::format::MISSING_LABEL;
use crate::model::{Block, Cell, Document, DocumentKind, Inline, Row, RowStyle, Table};
use std::fmt::Write as _;
use styr_domain::assignment::AssignmentStatus;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    chart::xml_escape(text)
}

const CSS: &str = include_str!("style.css");

/// The cover's reading guide of the strategy-and-budget document.
const PLAN_GUIDE: &str = "<p class=\"reading-guide\">Dokumentet är framställt ur planens data. Summor i tabellerna är beräknade från data. <mark class=\"diff\">Markerade siffror</mark> stämmer inte mellan det tryckta dokumentet och data; i texten står den tryckta siffran kvar, och fotnoten vid siffran anger både den tryckta och den beräknade siffran. <span class=\"unverified\">Understrukna uppgifter</span> kan inte kontrolleras mot data; en fotnot anger i så fall vad data ger.</p>\n";

/// The cover's reading guide of a follow-up report.
const FOLLOW_UP_GUIDE: &str = "<p class=\"reading-guide\">Rapporten är framställd ur planens data, huvudboken och de rapporter som lämnats för perioden. Alla belopp, summor, antal och trender är beräknade från data; bedömningar och kommentarer är de som lämnats. – betyder att uppgiften saknas.</p>\n";

/// The cover's reading guide of an alternative budget or the comparison.
const ALTERNATIVE_GUIDE: &str = "<p class=\"reading-guide\">Dokumentet är framställt ur kommunfullmäktiges plan och de alternativa budgetarna. Alla summor och resultat är beräknade från data; ett belopp som skiljer sig från förvaltningens förslag har skillnaden inom parentes.</p>\n";

/// What each status means, for the legend.
pub fn status_explanation(status: AssignmentStatus) -> &'static str {
    match status {
        AssignmentStatus::NotStarted => "arbetet har inte börjat",
        AssignmentStatus::Started => "arbetet pågår",
        AssignmentStatus::Done => "uppdraget är slutfört",
        AssignmentStatus::Waiting => "arbetet väntar på något annat",
        AssignmentStatus::Deviation => "försenat eller stoppat",
        AssignmentStatus::Dialogue => "kräver dialog med kommunstyrelsen",
        AssignmentStatus::Unknown => "källan visar inte status; den gissas aldrig",
    }
}

struct Writer {
    out: String,
    /// Footnotes of the current section: (number, html).
    notes: Vec<(usize, String)>,
    next_note: usize,
}

/// Renders the document as one HTML page.
pub fn render(document: &Document) -> String {
    let mut w = Writer {
        out: String::with_capacity(256 * 1024),
        notes: Vec::new(),
        next_note: 1,
    };
    let title = format!("{} – {}", document.title, document.municipality);
    let _ = write!(
        w.out,
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"styr\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#innehall\">Hoppa till innehållet</a>\n",
        escape(&title)
    );
    // Cover.
    let _ = write!(
        w.out,
        "<header class=\"cover\">\n<p class=\"municipality\">{}</p>\n<h1>{}</h1>\n",
        escape(&document.municipality),
        escape(&document.title),
    );
    if let Some(subtitle) = &document.subtitle {
        let _ = writeln!(w.out, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    let _ = write!(
        w.out,
        "<p class=\"body-name\">{}</p>\n<ul class=\"cover-lines\">\n",
        escape(&document.body)
    );
    for line in &document.cover_lines {
        let _ = writeln!(w.out, "<li>{}</li>", escape(line));
    }
    w.out.push_str("</ul>\n");
    w.guide(document);
    w.out.push_str("</header>\n");
    // Table of contents.
    w.toc(document);
    w.out.push_str("</nav>\n<main id=\"innehall\">\n");
    w.sections(document);
    w.out.push_str("</main>\n<footer class=\"colophon\"><p>Framställt med styr från planens data.</p></footer>\n</body>\n</html>\n");
    w.out
}

/// Renders blocks as an HTML fragment (their footnotes after them), for a page that is not a
/// whole document: the web application's Budget page shows the budget's tables this way, drawn
/// exactly as in the document. The caller's page supplies the styles.
pub fn render_fragment(blocks: &[Block]) -> String {
    let mut w = Writer {
        out: String::with_capacity(64 * 1024),
        notes: Vec::new(),
        next_note: 1,
    };
    for block in blocks {
        w.block(block);
    }
    w.flush_notes();
    w.out
}

/// Renders a document as the body of a page of the public site (whose page supplies the frame,
/// the `h1` and the styles): the cover's lines and reading guide, the linked table of contents
/// and every section with its footnotes, drawn by the same writer as [`render`].
pub fn render_sections(document: &Document) -> String {
    let mut w = Writer {
        out: String::with_capacity(256 * 1024),
        notes: Vec::new(),
        next_note: 1,
    };
    if let Some(subtitle) = &document.subtitle {
        let _ = writeln!(w.out, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    w.out.push_str("<ul class=\"cover-lines\">\n");
    for line in std::iter::once(&document.body).chain(&document.cover_lines) {
        let _ = writeln!(w.out, "<li>{}</li>", escape(line));
    }
    w.out.push_str("</ul>\n");
    w.guide(document);
    w.toc(document);
    w.out.push_str("</nav>\n");
    w.sections(document);
    w.out
}

fn toc(out: &mut String, document: &Document) {
    let mut depth = 0u8;
    for section in &document.sections {
        let level = section.level;
        if depth == 0 {
            out.push_str("<ol>");
            depth = 1;
        }
        while depth < level {
            out.push_str("<ol>");
            depth += 1;
        }
        while depth > level {
            out.push_str("</li></ol>");
            depth -= 1;
        }
        if out.ends_with("</a>") {
            out.push_str("</li>");
        }
        let _ = write!(
            out,
            "\n<li><a href=\"#{}\">{}</a>",
            escape(&section.id),
            escape(&section.title)
        );
    }
    while depth > 0 {
        out.push_str("</li></ol>");
        depth -= 1;
    }
    out.push('\n');
}

impl Writer {
    /// The reading guide of the document's kind.
    fn guide(&mut self, document: &Document) {
        self.out.push_str(match document.kind {
            DocumentKind::Plan => PLAN_GUIDE,
            DocumentKind::FollowUp => FOLLOW_UP_GUIDE,
            DocumentKind::Alternative => ALTERNATIVE_GUIDE,
        });
    }

    /// The linked table of contents, opened (its `nav` is closed by the caller).
    fn toc(&mut self, document: &Document) {
        self.out.push_str(
            "<nav class=\"toc\" aria-labelledby=\"toc-title\">\n<h2 id=\"toc-title\">Innehåll</h2>\n",
        );
        toc(&mut self.out, document);
    }

    /// Every section with its heading, its blocks and its footnotes.
    fn sections(&mut self, document: &Document) {
        for section in &document.sections {
            let tag = section.level + 1;
            let _ = write!(
                self.out,
                "<section class=\"level{}\" aria-labelledby=\"{}\">\n<h{tag} id=\"{}\">{}</h{tag}>\n",
                section.level,
                escape(&section.id),
                escape(&section.id),
                escape(&section.title)
            );
            for block in &section.blocks {
                self.block(block);
            }
            self.flush_notes();
            self.out.push_str("</section>\n");
        }
    }

    fn flush_notes(&mut self) {
        if self.notes.is_empty() {
            return;
        }
        self.out
            .push_str("<aside class=\"notes\" aria-label=\"Fotnoter\">\n<ol>\n");
        for (number, html) in std::mem::take(&mut self.notes) {
            let _ = writeln!(
                self.out,
                "<li id=\"fn-{number}\" value=\"{number}\">{html} <a class=\"back\" href=\"#fnref-{number}\" aria-label=\"Tillbaka till texten (not {number})\">↩</a></li>"
            );
        }
        self.out.push_str("</ol>\n</aside>\n");
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(runs) => {
                self.out.push_str("<p>");
                self.runs(runs);
                self.out.push_str("</p>\n");
            }
            Block::Subheading { level, text } => {
                let tag = (level + 1).min(6);
                let _ = writeln!(self.out, "<h{tag} class=\"sub\">{}</h{tag}>", escape(text));
            }
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                let _ = writeln!(self.out, "<{tag}>");
                for item in items {
                    self.out.push_str("<li>");
                    // A single paragraph is written without <p>.
                    match item.as_slice() {
                        [Block::Paragraph(runs)] => self.runs(runs),
                        blocks => {
                            for block in blocks {
                                self.block(block);
                            }
                        }
                    }
                    self.out.push_str("</li>\n");
                }
                let _ = writeln!(self.out, "</{tag}>");
            }
            Block::Quote(blocks) => {
                self.out.push_str("<blockquote>\n");
                for block in blocks {
                    self.block(block);
                }
                self.out.push_str("</blockquote>\n");
            }
            Block::Table(table) => self.table(table),
            Block::Chart(chart) => {
                let _ = write!(
                    self.out,
                    "<figure class=\"chart\" id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n<details><summary>Visa diagrammets data som tabell</summary>\n",
                    escape(&chart.id),
                    chart.svg,
                    escape(&chart.title)
                );
                self.table(&chart.data);
                self.out.push_str("</details>\n</figure>\n");
            }
            Block::Drawing(drawing) => {
                let _ = writeln!(
                    self.out,
                    // The scrolling region takes keyboard focus, so that it can be scrolled
                    // without a mouse.
                    "<figure class=\"drawing\" id=\"{}\">\n<div class=\"drawing-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">{}</div>\n<figcaption>{}</figcaption>\n</figure>",
                    escape(&drawing.id),
                    escape(&drawing.caption),
                    drawing.svg,
                    escape(&drawing.caption)
                );
            }
            Block::StatusLegend(statuses) => {
                self.out.push_str("<div class=\"legend\" role=\"note\" aria-label=\"Teckenförklaring för status\">\n<p class=\"legend-title\">Status</p>\n<ul>\n");
                for status in statuses {
                    let _ = writeln!(
                        self.out,
                        "<li>{} – {}</li>",
                        status_html(*status),
                        escape(status_explanation(*status))
                    );
                }
                self.out.push_str("</ul>\n</div>\n");
            }
            Block::Notice(runs) => {
                self.out.push_str("<p class=\"notice\" role=\"note\">");
                self.runs(runs);
                self.out.push_str("</p>\n");
            }
            Block::Synthetic(text) => {
                self.out
                    .push_str("<p class=\"synthetic\" role=\"note\"><strong>");
                self.out.push_str(&escape(text));
                self.out.push_str("</strong></p>\n");
            }
            Block::Rule => self.out.push_str("<hr>\n"),
        }
    }

    fn table(&mut self, table: &Table) {
        // A wide table scrolls in its region, which takes keyboard focus for that. A short one
        // is kept on one page in print (`keep`; one taller than a page breaks all the same).
        let keep = if table.rows.len() <= PRINT_KEEP_ROWS {
            " keep"
        } else {
            ""
        };
        let _ = write!(
            self.out,
            "<div class=\"table-wrap{keep}\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n<table id=\"{}\">\n",
            escape(if table.caption.is_empty() {
                "Tabell"
            } else {
                &table.caption
            }),
            escape(&table.id)
        );
        if !table.caption.is_empty() {
            let _ = writeln!(self.out, "<caption>{}</caption>", escape(&table.caption));
        }
        self.out.push_str("<thead>\n<tr>");
        for column in &table.columns {
            let class = if column.numeric { " class=\"num\"" } else { "" };
            let _ = write!(
                self.out,
                "<th scope=\"col\"{class}>{}</th>",
                escape(&column.label)
            );
        }
        // The first rows are a body of their own that print keeps whole and with the header
        // (style.css), so no page ends with a caption or a header and one row.
        let (head, rest) = table.rows.split_at(crate::model::head_len(&table.rows));
        self.out
            .push_str("</tr>\n</thead>\n<tbody class=\"head\">\n");
        for row in head {
            self.row(table, row);
        }
        if !rest.is_empty() {
            self.out.push_str("</tbody>\n<tbody>\n");
            for row in rest {
                self.row(table, row);
            }
        }
        self.out.push_str("</tbody>\n</table>\n");
        if let Some(note) = &table.note {
            self.out.push_str("<p class=\"table-note\">");
            self.runs(note);
            self.out.push_str("</p>\n");
        }
        self.out.push_str("</div>\n");
    }

    fn row(&mut self, table: &Table, row: &Row) {
        if row.style == RowStyle::Group {
            let _ = write!(
                self.out,
                "<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"{}\">",
                table.columns.len()
            );
            if let Some(cell) = row.cells.first() {
                self.cell_content(cell);
            }
            self.out.push_str("</th></tr>\n");
            return;
        }
        let class = match row.style {
            RowStyle::Normal | RowStyle::Group => "",
            RowStyle::Total => " class=\"total\"",
            RowStyle::Part => " class=\"part\"",
        };
        let _ = write!(self.out, "<tr{class}>");
        let first_column = usize::from(row.header_span == 0);
        for (index, cell) in row.cells.iter().enumerate() {
            let column_index = index + first_column;
            let numeric = table.columns.get(column_index).is_some_and(|c| c.numeric);
            if index == 0 && row.header_span > 0 {
                let span = if row.header_span > 1 {
                    format!(" rowspan=\"{}\"", row.header_span)
                } else {
                    String::new()
                };
                let _ = write!(self.out, "<th scope=\"row\"{span}>");
                self.cell_content(cell);
                self.out.push_str("</th>");
            } else {
                let mut classes = Vec::new();
                if numeric {
                    classes.push("num");
                }
                if cell.missing {
                    classes.push("missing");
                }
                if classes.is_empty() {
                    self.out.push_str("<td>");
                } else {
                    let _ = write!(self.out, "<td class=\"{}\">", classes.join(" "));
                }
                self.cell_content(cell);
                self.out.push_str("</td>");
            }
        }
        self.out.push_str("</tr>\n");
    }

    fn cell_content(&mut self, cell: &Cell) {
        if cell.missing {
            let _ = write!(
                self.out,
                "<span aria-hidden=\"true\">–</span><span class=\"sr-only\">{MISSING_LABEL}</span>"
            );
        } else {
            self.runs(&cell.content);
        }
    }

    fn runs(&mut self, runs: &[Inline]) {
        for run in runs {
            self.inline(run);
        }
    }

    fn inline(&mut self, run: &Inline) {
        match run {
            Inline::Text(text) => self.out.push_str(&escape(text)),
            Inline::Strong(inner) => {
                self.out.push_str("<strong>");
                self.runs(inner);
                self.out.push_str("</strong>");
            }
            Inline::Emph(inner) => {
                self.out.push_str("<em>");
                self.runs(inner);
                self.out.push_str("</em>");
            }
            Inline::Code(text) => {
                let _ = write!(self.out, "<code>{}</code>", escape(text));
            }
            Inline::Link { url, content } => {
                if safe_url(url) {
                    let _ = write!(self.out, "<a href=\"{}\">", escape(url));
                    self.runs(content);
                    self.out.push_str("</a>");
                } else {
                    self.runs(content);
                }
            }
            Inline::Trace { content, .. } => self.runs(content),
            Inline::Note(content) => {
                let number = self.next_note;
                self.next_note += 1;
                let _ = write!(
                    self.out,
                    "<sup class=\"fnref\"><a id=\"fnref-{number}\" href=\"#fn-{number}\" aria-label=\"Not {number}\">{number}</a></sup>"
                );
                let saved = std::mem::take(&mut self.out);
                self.runs(content);
                let html = std::mem::replace(&mut self.out, saved);
                self.notes.push((number, html));
            }
            Inline::Marked(inner) => {
                self.out.push_str("<mark class=\"diff\">");
                self.runs(inner);
                self.out.push_str(
                    "<span class=\"sr-only\"> (det tryckta dokumentet och data stämmer inte överens)</span></mark>",
                );
            }
            Inline::Unverified(text) => {
                let _ = write!(
                    self.out,
                    "<span class=\"unverified\" title=\"Kan inte kontrolleras mot data\">{}</span>",
                    escape(text)
                );
            }
            Inline::Status(status) => self.out.push_str(&status_html(*status)),
            Inline::LineBreak => self.out.push_str("<br>"),
            Inline::SectionRef { id, title } => {
                let _ = write!(
                    self.out,
                    "<a href=\"#{}\">avsnittet {}</a>",
                    escape(id),
                    escape(title)
                );
            }
        }
    }
}

fn status_html(status: AssignmentStatus) -> String {
    format!(
        "<span class=\"status status-{}\">{}<span class=\"status-label\">{}</span></span>",
        status.code(),
        chart::status_icon(status),
        escape(status.label_sv())
    )
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
        || lower.starts_with("/spar/")
}

/// Tables of at most this many rows are kept on one page when printed.
const PRINT_KEEP_ROWS: usize = 20;
