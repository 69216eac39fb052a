//! The example's PDF: its text holds every row, indicator and assignment; renders are
//! byte-identical.

use crate::{example, example_names};
use std::process::Command;
use styr_docgen::render_pdf;

/// The PDF's text by `pdftotext`; `None` (skipped, or a failure in CI) without it.
pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    let program = crate::tool::program("pdftotext", "poppler-utils")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(program)
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) is installed");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

/// Text with whitespace (line breaks, no-break spaces) and soft hyphens (typst hyphenates
/// Swedish) removed.
pub fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
        .collect()
}

#[test]
fn pdf_text_holds_every_row_indicator_and_assignment() {
    // STYR_DUMP=DIR keeps the typst source and the PDF for inspection.
    let dump = std::env::var("STYR_DUMP").ok();
    if let Some(dir) = &dump {
        let typst = styr_docgen::render_typst(example());
        std::fs::write(format!("{dir}/example.typ"), typst).unwrap();
    }
    let pdf = render_pdf(example()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(dir) = &dump {
        std::fs::write(format!("{dir}/example.pdf"), &pdf).unwrap();
    }
    let Some(text) = pdftotext(&pdf) else { return };
    let text = squeeze(&text);
    let missing: Vec<String> = example_names()
        .into_iter()
        .filter(|name| !text.contains(&squeeze(name)))
        .collect();
    assert_eq!(missing, Vec::<String>::new());
}

#[test]
fn pdf_is_byte_identical_across_renders() {
    let first = render_pdf(example()).unwrap();
    let second = render_pdf(example()).unwrap();
    assert!(first == second, "two renders differ");
}
