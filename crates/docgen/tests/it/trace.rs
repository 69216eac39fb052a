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

/// The tables of `html` whose caption starts with one of `captions`, each with the cells of
/// its numeric columns that hold a figure (not a missing one).
fn figure_cells<'a>(html: &'a str, captions: &[String]) -> Vec<(String, Vec<&'a str>)> {
    let mut out = Vec::new();
    for table in html.split("<table id=\"").skip(1) {
        let table = &table[..table.find("</table>").unwrap()];
        let Some(caption) = table
            .split_once("<caption>")
            .and_then(|(_, rest)| rest.split_once("</caption>"))
            .map(|(caption, _)| caption.replace("&amp;", "&"))
        else {
            continue;
        };
        if !captions.iter().any(|c| caption.starts_with(c.as_str())) {
            continue;
        }
        let cells = table
            .split("<td class=\"num\">")
            .skip(1)
            .map(|cell| &cell[..cell.find("</td>").unwrap()])
            .collect();
        out.push((caption, cells));
    }
    out
}

#[test]
fn every_figure_of_the_other_tables_and_the_charts_is_a_trace_link_only_with_a_base() {
    let plan = example();
    let budget = &plan.budget;
    let mut captions = vec![
        budget.exploitation.title.clone(),
        budget.finance.title.clone(),
        budget.finance.summary_title.clone(),
        "Ramförändring 2021".to_owned(),
        "Ramberäkning 2021".to_owned(),
        "Data: ramberäkning 2021".to_owned(),
        "Indikatorer för mål".to_owned(),
    ];
    captions.extend(plan.indicators.iter().map(|i| format!("Data: {}", i.name)));
    let kinds = [
        "/exploatering/",
        "/finans/",
        "/finanssammanstallning/",
        "/ramforandring",
        "/ramberakning/",
        "/indikator/",
    ];
    // The document, and the budget's tables as the web's budget page draws them (the
    // ramförändring is there, not in the example's document).
    let render = |base: Option<&str>| {
        let mut html = render_html_traced(plan, base);
        for (_, mut blocks) in styr_docgen::budget_blocks_traced(plan) {
            styr_docgen::trace::link_blocks(&mut blocks, base);
            html.push_str(&styr_docgen::html::render_fragment(&blocks));
        }
        html
    };
    let linked = render(Some(BASE));
    let tables = figure_cells(&linked, &captions);
    // Every kind of table is there, the indicators' tables and their charts' data too.
    for caption in &captions[..6] {
        assert!(
            tables.iter().any(|(c, _)| c.starts_with(caption.as_str())),
            "{caption}"
        );
    }
    assert!(
        tables
            .iter()
            .filter(|(c, _)| c.starts_with("Data: "))
            .count()
            > plan.indicators.len() / 2
    );
    let mut figures = 0;
    for (caption, cells) in &tables {
        assert!(!cells.is_empty(), "{caption} has figures");
        for cell in cells {
            let href = format!("<a href=\"{BASE}/spar/plan/ks_2021_proposal/");
            assert!(cell.starts_with(&href), "{caption}: {cell}");
            let path = &cell[href.len()..cell[href.len()..].find('"').unwrap() + href.len()];
            assert!(
                kinds.iter().any(|k| format!("/{path}").contains(k)),
                "{caption}: {path}"
            );
            figures += 1;
        }
    }
    assert!(figures > 150, "{figures} figures traced");
    // Without a base none of them is a link, and the text is the same.
    let plain = render(None);
    for (caption, cells) in figure_cells(&plain, &captions) {
        for cell in cells {
            assert!(!cell.contains("<a href=\""), "{caption}: {cell}");
        }
    }
}
