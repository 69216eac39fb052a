//! The PDFs' accessibility as far as it can be checked here (issue 24, item 4). veraPDF could
//! not be installed from a reachable registry (no Debian package, nothing on PyPI or npm, Maven
//! Central and GitHub not reachable), so this checks what PDF/UA-1 asks that can be read from
//! the file itself: tagged (`pdfinfo`: "Tagged: yes", the catalog's `/MarkInfo` with
//! `/Marked true` and a `/StructTreeRoot`), the document's language (`/Lang(sv-SE)`, and
//! `dc:language` in the XMP), a title that the viewer shows (`dc:title`, `pdfinfo`'s Title and
//! `/DisplayDocTitle true`), the PDF/UA identification (`pdfuaid:part` 1), headings and table
//! header cells in the structure tree, and an alternative text on every figure element.

use crate::example;
use std::process::Command;
use styr_docgen::{Document, compose, compose_period_report, render_document_pdf};

/// `pdfinfo`'s report of a PDF; `None` (skipped, or a failure in CI) without poppler.
fn pdfinfo(pdf: &[u8]) -> Option<String> {
    let program = crate::tool::program("pdfinfo", "poppler-utils")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(program)
        .arg(&path)
        .output()
        .expect("pdfinfo runs");
    assert!(output.status.success());
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Every check of the module on one document's PDF.
fn assert_accessible(document: &Document) {
    let pdf = render_document_pdf(document).expect("the PDF renders");
    // The file's objects are not compressed into object streams, so the catalog and the
    // structure elements can be read as they are (a test of that too: a change would fail
    // here, not pass silently).
    let raw = String::from_utf8_lossy(&pdf);
    assert_eq!(count(&raw, "/ObjStm"), 0, "no object streams");
    for needle in [
        "/Lang(sv-SE)",
        "/MarkInfo<</Marked true",
        "/StructTreeRoot",
        "/DisplayDocTitle true",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<dc:language><rdf:Bag><rdf:li>sv-SE</rdf:li>",
    ] {
        assert!(raw.contains(needle), "{}: {needle} missing", document.title);
    }
    let title = format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li>",
        styr_docgen::html::escape(&document.title)
    );
    assert!(raw.contains(&title), "{}: dc:title", document.title);
    assert!(count(&raw, "/S/H2") > 0, "{}: headings", document.title);
    let tables = count(&raw, "/S/Table");
    assert!(
        tables > 0 && count(&raw, "/S/TH") >= tables,
        "{}: header cells",
        document.title
    );
    let figures = count(&raw, "/S/Figure");
    let alternatives = count(&raw, "/Alt(") + count(&raw, "/Alt<");
    assert!(
        alternatives >= figures,
        "{}: {figures} figures, {alternatives} alternative texts",
        document.title
    );
    if let Some(info) = pdfinfo(&pdf) {
        assert!(info.contains("Tagged:          yes"), "{info}");
        let shown = info
            .lines()
            .find_map(|line| line.strip_prefix("Title:"))
            .map(str::trim);
        assert_eq!(shown, Some(document.title.as_str()), "{info}");
    }
}

#[test]
fn the_plan_pdf_is_tagged_with_language_title_and_alternative_texts() {
    assert_accessible(&compose(example()));
}

#[test]
fn the_interim_report_pdf_is_tagged_with_language_title_and_alternative_texts() {
    assert_accessible(&compose_period_report(
        example(),
        &crate::period_report::interim(),
    ));
}
