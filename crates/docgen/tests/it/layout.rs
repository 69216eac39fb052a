//! The PDF's page layout, read back from the PDF with poppler (`pdftotext`): a table's caption,
//! header and first rows share a page; a group's label is never the last thing on a page; a row
//! never breaks across pages; a table's note is on the page of its last row; nothing is printed
//! below the page's foot. Checked on the example and on a made-up document whose long tables of
//! groups cross many page breaks, in the typst PDF and in the HTML as headless Chromium prints
//! it.

use crate::pdf::squeeze;
use crate::{example, tables};
use std::process::Command;
use styr_docgen::model::{
    Block, Cell, Column, Document, DocumentKind, Inline, Row, RowStyle, Section, Table,
};
use styr_docgen::{compose, compose_period_report, html, render_document_pdf};

/// Each page's text (`pdftotext -raw`, in content order), squeezed; `None` when poppler is
/// missing outside CI.
fn page_texts(pdf: &[u8]) -> Option<Vec<String>> {
    let text = poppler(pdf, "pdftotext", &["-raw", "-enc", "UTF-8"])?;
    let mut pages: Vec<String> = text.split('\u{c}').map(squeeze).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    Some(pages)
}

/// A word on a page with its box (`pdftotext -bbox`), in points from the page's top left.
#[derive(Debug)]
struct Word {
    text: String,
    y_min: f64,
}

/// Each page's height and words.
fn page_words(pdf: &[u8]) -> Option<Vec<(f64, Vec<Word>)>> {
    let html = poppler(pdf, "pdftotext", &["-bbox", "-enc", "UTF-8"])?;
    let attribute = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let head = &page[..page.find('>').unwrap()];
        let height = attribute(head, "height");
        let words = page
            .split("<word ")
            .skip(1)
            .map(|word| {
                let tag_end = word.find('>').unwrap();
                let text_end = word.find("</word>").unwrap();
                Word {
                    text: word[tag_end + 1..text_end].to_owned(),
                    y_min: attribute(&word[..tag_end], "yMin"),
                }
            })
            .collect();
        pages.push((height, words));
    }
    Some(pages)
}

fn poppler(pdf: &[u8], tool: &str, args: &[&str]) -> Option<String> {
    let program = crate::tool::program(tool, "poppler-utils")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(program)
        .args(args)
        .arg(&path)
        .arg("-")
        .output()
        .expect("poppler-utils runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

/// A cell's text as the PDF shows it, squeezed.
fn cell_text(cell: &Cell) -> String {
    if cell.missing {
        "–".to_owned()
    } else {
        squeeze(&Inline::plain(&cell.content))
    }
}

/// The rows a table's head must show on its caption's page: group labels and the first three
/// data rows (all of them if it has fewer), a header shared by several rows with all of them.
fn head_rows(rows: &[Row]) -> &[Row] {
    let (mut index, mut data) = (0, 0);
    while index < rows.len() && data < 3 {
        if rows[index].style == RowStyle::Group {
            index += 1;
            continue;
        }
        let span = rows[index].header_span.max(1).min(rows.len() - index);
        index += span;
        data += span;
    }
    &rows[..index]
}

/// How a renderer prints a table's caption.
#[derive(Clone, Copy)]
enum Captions {
    /// typst: "Tabell N: caption".
    Numbered,
    /// HTML: the caption alone (found with the header's first label after it).
    Plain,
}

/// Tables whose caption is on a page without the table's header and first rows below it (in
/// any order: poppler reads a cell spanning rows after the rows it spans).
fn captions_apart(document: &Document, pages: &[String], captions: Captions) -> Vec<String> {
    let mut apart = Vec::new();
    for (index, table) in tables(document).into_iter().enumerate() {
        if table.caption.is_empty() {
            continue;
        }
        let caption = match captions {
            Captions::Numbered => squeeze(&format!("Tabell {}: {}", index + 1, table.caption)),
            Captions::Plain => squeeze(&format!(
                "{}{}",
                table.caption,
                table.columns.first().map_or("", |c| c.label.as_str())
            )),
        };
        // Where the caption ends (in HTML the key holds the header's first label too).
        let skip = match captions {
            Captions::Numbered => caption.len(),
            Captions::Plain => squeeze(&table.caption).len(),
        };
        let Some((page, at)) = pages
            .iter()
            .enumerate()
            .find_map(|(page, text)| text.find(&caption).map(|at| (page, at + skip)))
        else {
            apart.push(format!(
                "{caption}: on no page with the table's header after it"
            ));
            continue;
        };
        let mut items: Vec<String> = table.columns.iter().map(|c| squeeze(&c.label)).collect();
        for row in head_rows(&table.rows) {
            items.extend(row.cells.iter().map(cell_text));
        }
        let missing: Vec<&String> = items
            .iter()
            .filter(|item| !pages[page][at..].contains(item.as_str()))
            .collect();
        if !missing.is_empty() {
            apart.push(format!(
                "{caption} (page {}): not on that page after the caption: {missing:?}",
                page + 1
            ));
        }
    }
    apart
}

/// Group labels that are the last row on their page: a label must be followed, on the same
/// page, by a row of its group (each occurrence, repeated labels on continuation pages too).
fn lonely_group_labels(document: &Document, pages: &[String]) -> Vec<String> {
    let mut lonely = Vec::new();
    for table in tables(document) {
        for (index, row) in table.rows.iter().enumerate() {
            if row.style != RowStyle::Group {
                continue;
            }
            let label = row.cells.first().map(cell_text).unwrap_or_default();
            let group: Vec<String> = table.rows[index + 1..]
                .iter()
                .take_while(|r| r.style != RowStyle::Group && r.style != RowStyle::Total)
                .filter_map(|r| r.cells.first().map(cell_text))
                .collect();
            for (page, text) in pages.iter().enumerate() {
                for (at, _) in text.match_indices(&label) {
                    let after = &text[at + label.len()..];
                    if !group.iter().any(|first| after.contains(first.as_str())) {
                        lonely.push(format!("{label} on page {}", page + 1));
                    }
                }
            }
        }
    }
    lonely
}

/// Words printed below the page's body (its bottom margin is 24 mm) other than the page
/// footer's title and number: text that ran off the page.
fn below_the_body(document: &Document, pages: &[(f64, Vec<Word>)]) -> Vec<String> {
    let footer: Vec<&str> = document.title.split_whitespace().collect();
    let mut out = Vec::new();
    for (page, (height, words)) in pages.iter().enumerate() {
        let limit = height - 24.0 / 25.4 * 72.0;
        for word in words.iter().filter(|w| w.y_min > limit) {
            let is_footer = footer.contains(&word.text.as_str())
                || word.text.chars().all(|c| c.is_ascii_digit());
            if !is_footer {
                out.push(format!("page {}: {}", page + 1, word.text));
            }
        }
    }
    out
}

/// The example's strategy document and its interim report.
fn example_documents() -> [Document; 2] {
    [
        compose(example()),
        compose_period_report(example(), &crate::period_report::interim()),
    ]
}

#[test]
fn example_tables_keep_caption_header_and_first_rows_on_one_page() {
    for document in example_documents() {
        let pdf = render_document_pdf(&document).unwrap();
        let Some(pages) = page_texts(&pdf) else {
            return;
        };
        assert_eq!(
            captions_apart(&document, &pages, Captions::Numbered),
            Vec::<String>::new(),
            "{}",
            document.title
        );
        assert_eq!(
            lonely_group_labels(&document, &pages),
            Vec::<String>::new(),
            "{}",
            document.title
        );
    }
}

#[test]
fn example_prints_nothing_below_a_page_body() {
    for document in example_documents() {
        let pdf = render_document_pdf(&document).unwrap();
        let Some(pages) = page_words(&pdf) else {
            return;
        };
        assert_eq!(
            below_the_body(&document, &pages),
            Vec::<String>::new(),
            "{}",
            document.title
        );
    }
}

/// A made-up document: tables of groups (a label, then rows; one row of each group has a
/// cell of several lines) after paragraphs of different lengths, so that page breaks fall at
/// every place in a group.
fn grouped_document() -> Document {
    let filler = "Texten före tabellen har olika längd så att sidbrytningarna hamnar på olika ställen i tabellerna. ";
    let mut blocks = Vec::new();
    for table in 0..8 {
        blocks.push(Block::Paragraph(vec![Inline::text(
            filler.repeat(1 + table * 3),
        )]));
        let mut rows = Vec::new();
        for group in 0..14 {
            rows.push(Row::new(
                RowStyle::Group,
                vec![Cell::text(format!("Avdelning T{table}G{group:02}"))],
            ));
            for line in 0..4 {
                let name = if line == 2 {
                    format!(
                        "Post T{table}G{group:02}R{line} med en lång benämning som bryts på flera rader i sin cell, så att raden blir hög och kunde delas mellan två sidor"
                    )
                } else {
                    format!("Post T{table}G{group:02}R{line}")
                };
                rows.push(Row::new(
                    RowStyle::Normal,
                    vec![
                        Cell::text(name),
                        Cell::text(format!("{}", 1000 + line)),
                        Cell::text(format!("{}", 2000 + group)),
                    ],
                ));
            }
        }
        blocks.push(Block::Table(Table {
            id: format!("t{table}"),
            caption: format!("Grupperad tabell {table}"),
            columns: vec![
                Column {
                    label: "Post".into(),
                    numeric: false,
                },
                Column {
                    label: "Budget 2020".into(),
                    numeric: true,
                },
                Column {
                    label: "Budget 2021".into(),
                    numeric: true,
                },
            ],
            rows,
            note: Some(vec![Inline::text(format!(
                "Belopp i tkr (anmärkning till tabell {table})."
            ))]),
        }));
    }
    Document {
        kind: DocumentKind::Plan,
        title: "Layoutprov".into(),
        subtitle: None,
        municipality: "Provkommun".into(),
        body: "Kommunstyrelsen".into(),
        cover_lines: Vec::new(),
        sections: vec![Section {
            id: "tabeller".into(),
            level: 1,
            title: "Tabeller".into(),
            blocks,
        }],
    }
}

#[test]
fn long_grouped_tables_break_between_groups_rows_and_pages_cleanly() {
    let document = grouped_document();
    let pdf = render_document_pdf(&document).unwrap();
    let Some(pages) = page_texts(&pdf) else {
        return;
    };
    assert!(pages.len() > 10, "the tables cross many pages");
    assert_eq!(
        captions_apart(&document, &pages, Captions::Numbered),
        Vec::<String>::new()
    );
    assert_eq!(lonely_group_labels(&document, &pages), Vec::<String>::new());

    // A row is never split: each row's long cell is whole on one page.
    let tables = tables(&document);
    let split: Vec<String> = tables
        .iter()
        .flat_map(|t| t.rows.iter())
        .filter_map(|r| r.cells.first().map(cell_text))
        .filter(|text| text.len() > 60 && !pages.iter().any(|p| p.contains(text.as_str())))
        .collect();
    assert_eq!(split, Vec::<String>::new(), "rows split across pages");

    // Each table's note is on the page of its last row, after it.
    for table in &tables {
        let last = table
            .rows
            .last()
            .unwrap()
            .cells
            .first()
            .map(cell_text)
            .unwrap();
        let note = squeeze(&Inline::plain(table.note.as_ref().unwrap()));
        assert!(
            pages.iter().any(|p| p
                .find(&last)
                .is_some_and(|at| p[at..].contains(note.as_str()))),
            "the note of {} is not on the page of its last row",
            table.caption
        );
    }

    // Continuation pages start with the repeated header.
    let header = squeeze("Post Budget 2020 Budget 2021");
    for (index, text) in pages.iter().enumerate().skip(2) {
        if let Some(at) = text.find("PostT") {
            assert!(
                text[..at].contains(&header),
                "page {}: rows without the table's header above them",
                index + 1
            );
        }
    }

    let Some(words) = page_words(&pdf) else {
        return;
    };
    assert_eq!(below_the_body(&document, &words), Vec::<String>::new());
}

/// The document's HTML printed to PDF by headless Chromium (A4, the print styles); `None` when
/// Chromium or poppler is missing outside CI.
fn chromium_print(document: &Document) -> Option<Vec<String>> {
    let browser = crate::tool::chromium()?;
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("document.html");
    std::fs::write(&page, html::render(document)).unwrap();
    let pdf = dir.path().join("document.pdf");
    let output = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|error| panic!("{} does not run: {error}", browser.display()));
    assert!(
        pdf.is_file(),
        "Chromium printed nothing: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    page_texts(&std::fs::read(&pdf).unwrap())
}

#[test]
fn printed_html_keeps_caption_header_and_first_rows_on_one_page() {
    for document in [compose(example()), grouped_document()] {
        let Some(pages) = chromium_print(&document) else {
            return;
        };
        assert_eq!(
            captions_apart(&document, &pages, Captions::Plain),
            Vec::<String>::new(),
            "{}",
            document.title
        );
        assert_eq!(
            lonely_group_labels(&document, &pages),
            Vec::<String>::new(),
            "{}",
            document.title
        );
    }
}
