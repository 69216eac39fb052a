//! The document model: headings, paragraphs of inline runs, tables, charts and footnotes.
//!
//! [`compose`](crate::compose) builds one [`Document`] from a plan; the HTML and the typst
//! renderers turn that same value into their output. Every figure is already formatted here (the
//! Swedish way) and every disagreement between a printed and a computed figure is already a
//! marked run with its footnote, so the renderers decide nothing about the data: they only
//! decide how things look. This module holds no rules about the plan.

use styr_domain::assignment::AssignmentStatus;

/// Which document this is: it decides the cover's reading guide and the PDF's keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// The strategy-and-budget document (mål och budget), checked against its print.
    Plan,
    /// A follow-up: the delårsrapport or the annual report (verksamhetsberättelse).
    FollowUp,
    /// An alternative budget, or the alternatives compared with the proposal.
    Alternative,
}

/// The whole document, in printed order.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub kind: DocumentKind,
    pub title: String,
    /// A line under the title ("Årsredovisning 2021"); `None` for none.
    pub subtitle: Option<String>,
    pub municipality: String,
    /// The body whose document this is ("Kommunstyrelsen").
    pub body: String,
    /// Lines under the title on the cover (budget version, decision reference of the frame).
    pub cover_lines: Vec<String>,
    pub sections: Vec<Section>,
}

/// A section of the document with its heading and content.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Used as the HTML anchor and the typst label (`[a-z0-9_]+`).
    pub id: String,
    /// 1 = chapter, 2 = section, 3 = subsection.
    pub level: u8,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A block of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    /// A heading inside a section's content (below the section's own level); not in the outline.
    Subheading {
        level: u8,
        text: String,
    },
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Table(Table),
    Chart(Chart),
    /// A drawing that is not a chart of values (the organisation chart).
    Drawing(Drawing),
    /// The legend of assignment statuses.
    StatusLegend(Vec<AssignmentStatus>),
    /// A visible note from the generator (e.g. a block that could not be shown).
    Notice(Vec<Inline>),
    /// What follows is synthetic example data, not the municipality's own (the package marks
    /// it so): a sentence every output shows where the data is shown.
    Synthetic(String),
    Rule,
}

/// A run of inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A footnote: numbered by the renderer where it stands.
    Note(Vec<Inline>),
    /// A figure that disagrees with the printed document (always followed by a `Note`).
    Marked(Vec<Inline>),
    /// Text taken from the printed document that the data cannot confirm (`{?}` claims).
    Unverified(String),
    /// An assignment status: symbol and label.
    Status(AssignmentStatus),
    /// A reference to a section of the document (`{{sida:ID}}` in the text): the PDF prints
    /// "sidan N" with the page the section starts on, the HTML links "avsnittet Title".
    SectionRef {
        id: String,
        title: String,
    },
    LineBreak,
    /// A figure with where it comes from: `path` under `/spar/` (`crate::trace`). Printed as
    /// its content; [`crate::trace::link_traces`] makes it a link where a base URL is known.
    Trace {
        path: String,
        content: Vec<Inline>,
    },
}

impl Inline {
    pub fn text(text: impl Into<String>) -> Inline {
        Inline::Text(text.into())
    }

    /// The plain text of runs (notes left out), for alternative texts and tests.
    pub fn plain(runs: &[Inline]) -> String {
        let mut out = String::new();
        for run in runs {
            match run {
                Inline::Text(text) | Inline::Code(text) | Inline::Unverified(text) => {
                    out.push_str(text)
                }
                Inline::Strong(inner)
                | Inline::Emph(inner)
                | Inline::Marked(inner)
                | Inline::Link { content: inner, .. }
                | Inline::Trace { content: inner, .. } => out.push_str(&Inline::plain(inner)),
                Inline::Status(status) => out.push_str(status.label_sv()),
                Inline::SectionRef { title, .. } => {
                    out.push_str("avsnittet ");
                    out.push_str(title);
                }
                Inline::LineBreak => out.push(' '),
                Inline::Note(_) => {}
            }
        }
        out
    }
}

/// How a table row is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStyle {
    Normal,
    /// A total (sum) row.
    Total,
    /// A part of the line above ("varav").
    Part,
    /// The heading of a group of rows ("Övriga kostnader"): one cell, across the table.
    Group,
}

/// A table: a caption, column headers, rows whose first cell is the row's header.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub id: String,
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Shown under the table (unit, legend of "–").
    pub note: Option<Vec<Inline>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    /// Numbers are right-aligned.
    pub numeric: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub style: RowStyle,
    /// How many rows the header cell (the first cell) spans: 1 normally; n > 1 for a header
    /// shared by the next n − 1 rows too; 0 when a row above covers it (then `cells` starts
    /// with the first data cell).
    pub header_span: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn new(style: RowStyle, cells: Vec<Cell>) -> Row {
        Row {
            style,
            header_span: 1,
            cells,
        }
    }
}

/// Data rows a table's head holds with its caption and header: both renderers keep them on
/// one page, so no page ends with a caption or a header and fewer rows than this under it.
pub const HEAD_ROWS: usize = 3;

/// How many of `rows` make a table's head: the first [`HEAD_ROWS`] data rows (group labels
/// before them included, not counted), a row spanned by a header taken with all the rows it
/// spans.
pub fn head_len(rows: &[Row]) -> usize {
    let mut data = 0;
    let mut index = 0;
    while index < rows.len() && data < HEAD_ROWS {
        let row = &rows[index];
        if row.style == RowStyle::Group {
            index += 1;
            continue;
        }
        let span = row.header_span.max(1).min(rows.len() - index);
        index += span;
        data += span;
    }
    index
}

/// A cell. The first cell of a row is its header.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub content: Vec<Inline>,
    /// No value: shown as "–" and read as "saknas".
    pub missing: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            content: vec![Inline::Text(text.into())],
            missing: false,
        }
    }

    pub fn runs(content: Vec<Inline>) -> Cell {
        Cell {
            content,
            missing: false,
        }
    }

    pub fn missing() -> Cell {
        Cell {
            content: Vec::new(),
            missing: true,
        }
    }
}

/// A chart: an SVG drawing with its title, description and the data as a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub id: String,
    pub title: String,
    /// A sentence describing what the chart shows (the SVG's `<desc>` and the PDF's alt text).
    pub description: String,
    /// A standalone SVG document.
    pub svg: String,
    pub data: Table,
}

/// A drawing with an alternative text.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    pub id: String,
    pub caption: String,
    pub alt: String,
    /// A standalone SVG document.
    pub svg: String,
}
