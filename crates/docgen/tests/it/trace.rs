//! Every figure traced: the plan's tables and claims and a period report's outcomes carry a
//! trace path; rendered with a base URL each is a link to `BASE/spar/…` in HTML and PDF, and
//! without one there is no link at all (a file on disk never has a broken one), the text the
//! same either way.

use crate::example;
use std::process::Command;
use styr_docgen::{render_html, render_html_traced, render_pdf, render_pdf_traced};

const BASE: &str = "https://styr.example.se";

/// The URLs of a PDF's link annotations by poppler's `pdfinfo -url`.
fn pdf_urls(pdf: &[u8]) -> Option<Vec<String>> {
    let program = crate::tool::program("pdfinfo", "poppler-utils")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(program)
        .arg("-url")
        .arg(&path)
        .output()
        .expect("pdfinfo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .filter_map(|line| line.split_whitespace().nth(2).map(str::to_owned))
            .filter(|url| url.starts_with("http"))
            .collect(),
    )
}

#[test]
fn html_links_figures_only_with_a_base_and_keeps_the_text() {
    let plain = render_html(example());
    assert_eq!(render_html_traced(example(), None), plain);
    assert!(!plain.contains("/spar/"));
    let linked = render_html_traced(example(), Some(BASE));
    let links = linked.matches(&format!("href=\"{BASE}/spar/plan/")).count();
    assert!(links > 50, "{links} trace links");
    assert!(
        linked.contains("/spar/plan/ks_2021_proposal/drift/"),
        "table figures"
    );
    assert!(
        linked.contains("/spar/plan/ks_2021_proposal/pastaende/"),
        "claims"
    );
    // The visible text is the same: only anchors were added around figures.
    let strip = |html: &str| {
        let mut out = String::new();
        let mut inside = false;
        for c in html.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    };
    assert_eq!(strip(&linked), strip(&plain));
    // The site's own pages link from its root.
    let site = render_html_traced(example(), Some(""));
    assert!(site.contains("href=\"/spar/plan/ks_2021_proposal/drift/"));
}

#[test]
fn pdf_has_trace_links_with_a_base_url_and_none_without() {
    let with = render_pdf_traced(example(), Some(BASE)).unwrap();
    let without = render_pdf_traced(example(), None).unwrap();
    assert_eq!(without, render_pdf(example()).unwrap());
    // A base that is not an absolute URL gives no links in a PDF either.
    assert_eq!(render_pdf_traced(example(), Some("")).unwrap(), without);
    let Some(urls) = pdf_urls(&with) else { return };
    let traces: Vec<&String> = urls
        .iter()
        .filter(|u| u.starts_with(&format!("{BASE}/spar/plan/ks_2021_proposal/")))
        .collect();
    assert!(traces.len() > 50, "{} trace links: {urls:?}", traces.len());
    assert!(
        urls.iter()
            .all(|u| !u.contains("/spar/") || u.starts_with(BASE)),
        "{urls:?}"
    );
    let Some(urls) = pdf_urls(&without) else {
        return;
    };
    assert!(
        urls.iter().all(|u| !u.contains("/spar/")),
        "no trace links without a base: {urls:?}"
    );
    // The text is the same.
    if let (Some(a), Some(b)) = (
        crate::pdf::pdftotext(&with),
        crate::pdf::pdftotext(&without),
    ) {
        assert_eq!(a, b);
    }
}
