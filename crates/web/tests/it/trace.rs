//! Every figure traced (`/spar/…`): each trace link of the plan's document and of a period's
//! report resolves, the rows a trace lists sum to the figure the document prints, a stated
//! figure that differs shows both figures and the finding, and the public reaches neither a
//! proposal's nor an open period's traces, nor the vouchers.

use crate::db::TestDb;
use crate::{client, logged_in, spawn_app};
use styr_app::{Actor, CellSource, NoProgress, PlanSelector};
use styr_docgen::format;
use styr_docgen::trace::OutcomeSum;
use styr_domain::Id;
use styr_domain::ledger::{BudgetLineRef, Month};

/// The `/spar/` links of a page with their link texts, in order, each once.
pub(crate) fn trace_links(html: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a href=\"") {
        let after = &rest[start + 9..];
        let Some(end) = after.find('"') else { break };
        // The templates escape a link's slashes (`&#x2f;`).
        let href = after[..end].replace("&amp;", "&").replace("&#x2f;", "/");
        let text_start = after.find('>').map_or(0, |i| i + 1);
        let text_end = after.find("</a>").unwrap_or(text_start);
        // A marked figure's screen-reader note is not the figure.
        let text = strip_tags(&after[text_start..text_end]).replace(
            " (det tryckta dokumentet och data stämmer inte överens)",
            "",
        );
        if let Some(path) = href.strip_prefix("/spar/")
            && !out.iter().any(|(p, _)| p == path)
        {
            out.push((path.to_owned(), text));
        }
        rest = &after[end..];
    }
    out
}

fn strip_tags(html: &str) -> String {
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
}

/// A page's text with minijinja's escapes undone.
pub(crate) fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&segment[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

async fn with_ledger(db: &TestDb) -> crate::TestApp {
    let test = spawn_app(db).await;
    test.app
        .import_actuals(
            &Actor::local_admin("test"),
            &PlanSelector::default(),
            &crate::example_dir().join("ledger/ks-2021.se"),
            &mut NoProgress,
        )
        .await
        .unwrap();
    test
}

pub(crate) async fn get(client: &reqwest::Client, url: String) -> (u16, String) {
    let response = client.get(&url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn every_trace_of_the_plan_document_resolves_and_sums_to_its_figure(db: &TestDb) {
    let test = with_ledger(db).await;
    let reader = logged_in(&test, "lasare").await;
    let operator = Actor::local_admin("test");
    let (status, document) = get(&reader, format!("{}/dokument/plan.html", test.url)).await;
    assert_eq!(status, 200);
    let links = trace_links(&document);
    let cells: Vec<&(String, String)> = links
        .iter()
        .filter(|(p, _)| p.contains("/drift/"))
        .collect();
    let claims = links
        .iter()
        .filter(|(p, _)| p.contains("/pastaende/"))
        .count();
    assert!(cells.len() > 50, "{} table figures traced", cells.len());
    assert!(claims > 5, "{claims} claims traced");
    let mut sums = 0;
    let mut differing = 0;
    let mut investments = 0;
    for (path, printed) in &links {
        let (status, page) = get(&reader, format!("{}/spar/{path}", test.url)).await;
        assert_eq!(status, 200, "/spar/{path}: {page}");
        let page = unescape(&page);
        let parts: Vec<String> = path.split('/').map(decode).collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let trace = match parts.as_slice() {
            ["plan", version, "drift", table, row, year] => test
                .app
                .trace_plan_cell(&operator, version, table, row, year.parse().unwrap())
                .await
                .unwrap(),
            ["plan", version, "investering", row, column] => {
                investments += 1;
                test.app
                    .trace_investment_cell(&operator, version, row, column.parse().ok())
                    .await
                    .unwrap()
            }
            _ => continue,
        };
        // The figure the document prints is the trace's figure.
        assert_eq!(
            printed.trim(),
            format::tkr(trace.shown.unwrap()),
            "/spar/{path}"
        );
        let (rows, sum) = match &trace.source {
            CellSource::Sum { rows, sum } => (rows, sum.unwrap()),
            CellSource::Parts { rows, sum } => (rows, *sum),
            _ => continue,
        };
        // The rows listed sum to the computed figure, and the page lists each with the sum.
        let listed: styr_domain::Money = rows.iter().filter_map(|r| r.amount).sum();
        assert_eq!(listed, sum, "/spar/{path}");
        for row in rows {
            assert!(page.contains(&row.label), "{} on /spar/{path}", row.label);
        }
        assert!(page.contains(&format::tkr(sum)), "/spar/{path}");
        match trace.stated {
            Some(stated) if stated != sum => {
                // Both figures, and the checker's finding.
                differing += 1;
                assert!(page.contains(&format::tkr(stated)), "/spar/{path}");
                assert!(
                    page.contains("stämmer inte med den tryckta siffran"),
                    "/spar/{path}"
                );
                assert!(!trace.findings.is_empty(), "/spar/{path}");
                for finding in &trace.findings {
                    assert!(page.contains(&finding.describe()), "/spar/{path}: {page}");
                }
            }
            _ => {
                assert_eq!(printed.trim(), format::tkr(sum), "/spar/{path}");
                sums += 1;
            }
        }
    }
    assert!(sums > 5, "{sums} sums that hold");
    assert!(investments > 5, "{investments} investment figures traced");
    assert!(differing > 0, "the example's misprinted totals");
}

async fn every_outcome_of_a_period_report_traces_to_the_ledger(db: &TestDb) {
    let test = with_ledger(db).await;
    let reader = logged_in(&test, "lasare").await;
    let operator = Actor::local_admin("test");
    let (status, report) = get(
        &reader,
        format!("{}/dokument/rapport/2021-08.html", test.url),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let links = trace_links(&report);
    assert!(links.len() > 10, "{} outcomes traced", links.len());
    let period = Month::parse("2021-08").unwrap();
    let mut vouchers = None;
    for (path, printed) in &links {
        let (status, page) = get(&reader, format!("{}/spar/{path}", test.url)).await;
        assert_eq!(status, 200, "/spar/{path}: {page}");
        let parts: Vec<String> = path.split('/').map(decode).collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        match parts.as_slice() {
            ["rapport", version, "2021-08", "utfall", line, rest @ ..] => {
                let unit = rest.first().map(|u| Id::parse(u).unwrap());
                let trace = test
                    .app
                    .trace_outcome(
                        &operator,
                        version,
                        period,
                        &BudgetLineRef::parse(line).unwrap(),
                        unit.as_ref(),
                    )
                    .await
                    .unwrap();
                // The accounts add up to the exact outcome; the report prints it in whole tkr.
                assert_eq!(trace.total(), trace.outcome, "/spar/{path}");
                assert!(
                    (trace.printed.ore() - trace.outcome.ore()).abs() <= 100_000,
                    "/spar/{path}"
                );
                assert_eq!(
                    printed.trim(),
                    format::tkr_whole(trace.printed),
                    "/spar/{path}"
                );
                if vouchers.is_none() {
                    vouchers = unescape(&page)
                        .split("href=\"")
                        .skip(1)
                        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
                        .find(|href| href.starts_with("/budget/rad?"));
                }
            }
            ["rapport", version, "2021-08", "summa", which @ ..] => {
                let sum = match which {
                    ["tabell", table] => OutcomeSum::Table(Id::parse(table).unwrap()),
                    ["drift"] => OutcomeSum::Operating,
                    ["investeringar"] => OutcomeSum::Investment,
                    other => panic!("{other:?}"),
                };
                let trace = test
                    .app
                    .trace_outcome_sum(&operator, version, period, &sum)
                    .await
                    .unwrap();
                assert_eq!(trace.sum(), trace.outcome, "/spar/{path}");
                assert_eq!(
                    printed.trim(),
                    format::tkr_whole(trace.outcome),
                    "/spar/{path}"
                );
                assert!(unescape(&page).contains(&format::tkr_whole(trace.sum())));
            }
            // The other columns and the risk matrix: `crate::trace_followup`.
            ["rapport", _, "2021-08", column, ..]
                if styr_docgen::trace::EconomyColumn::parse(column).is_some() => {}
            ["plan", _, "riskmatris", ..] => {}
            other => panic!("an unexpected trace {other:?}"),
        }
    }
    // The pages that show figures link them to the same traces: /budget (outcomes and the
    // plan's tables) and /kommun (each body's outcome).
    for page in ["/budget?period=2021-08", "/kommun?period=2021-08"] {
        let (status, html) = get(&reader, format!("{}{page}", test.url)).await;
        assert_eq!(status, 200, "{page}");
        let links = trace_links(&unescape(&html));
        assert!(!links.is_empty(), "{page} has no trace links");
        for (path, _) in links.iter().take(25) {
            let (status, _) = get(&reader, format!("{}/spar/{path}", test.url)).await;
            assert_eq!(status, 200, "{page} → /spar/{path}");
        }
        if page.starts_with("/budget") {
            assert!(links.iter().any(|(p, _)| p.contains("/utfall/")), "{page}");
            assert!(links.iter().any(|(p, _)| p.contains("/drift/")), "{page}");
        }
    }
    // A logged-in reader follows an account × unit on to its vouchers.
    let vouchers = vouchers.expect("a link to the vouchers");
    let (status, page) = get(&reader, format!("{}{vouchers}", test.url)).await;
    assert_eq!(status, 200, "{vouchers}");
    assert!(page.contains("Verifikationer:"), "{page}");
}

async fn the_public_follows_traces_of_decided_plans_and_closed_periods_only(db: &TestDb) {
    let test = with_ledger(db).await;
    let operator = Actor::local_admin("test");
    let reader = logged_in(&test, "lasare").await;
    let public = client();
    let (_, document) = get(&reader, format!("{}/dokument/plan.html", test.url)).await;
    let plan_links = trace_links(&document);
    let (_, report) = get(
        &reader,
        format!("{}/dokument/rapport/2021-08.html", test.url),
    )
    .await;
    let report_links = trace_links(&report);
    assert!(!plan_links.is_empty() && !report_links.is_empty());
    // A proposal: no trace of it is public.
    for (path, _) in plan_links
        .iter()
        .take(20)
        .chain(report_links.iter().take(5))
    {
        let (status, page) = get(&public, format!("{}/spar/{path}", test.url)).await;
        assert_eq!(status, 404, "/spar/{path}");
        assert!(!page.contains("Summa"), "/spar/{path}");
    }
    test.app
        .decide_version(&operator, &PlanSelector::default(), "kf_2020_11_09_185")
        .await
        .unwrap();
    for (path, _) in plan_links.iter().take(20) {
        let (status, page) = get(&public, format!("{}/spar/{path}", test.url)).await;
        assert_eq!(status, 200, "/spar/{path}: {page}");
    }
    // The period is open: its outcomes are a draft.
    let outcome = report_links
        .iter()
        .find(|(p, _)| p.contains("/utfall/"))
        .map(|(p, _)| p.clone())
        .unwrap();
    let (status, _) = get(&public, format!("{}/spar/{outcome}", test.url)).await;
    assert_eq!(status, 404, "/spar/{outcome} of an open period");
    test.app
        .close_period(
            &operator,
            &PlanSelector::default(),
            Month::parse("2021-08").unwrap(),
        )
        .await
        .unwrap();
    let (status, page) = get(&public, format!("{}/spar/{outcome}", test.url)).await;
    assert_eq!(status, 200, "/spar/{outcome}: {page}");
    // Down to the sums per account and unit, never the vouchers.
    assert!(!page.contains("/budget/rad"), "{page}");
    assert!(page.contains("visas för inloggade användare"), "{page}");
    let (status, page) = get(&reader, format!("{}/spar/{outcome}", test.url)).await;
    assert_eq!(status, 200);
    let drill = unescape(&page)
        .split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
        .find(|href| href.starts_with("/budget/rad?"))
        .expect("a logged-in reader's link to the vouchers");
    let response = public
        .get(format!("{}{drill}", test.url))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(response.status().as_u16(), 303 | 401 | 403),
        "the public at the vouchers: {}",
        response.status()
    );
    let after = response.text().await.unwrap();
    assert!(!after.contains("Verifikationer:"));
    // The public's own documents link to the same traces.
    let (status, public_document) = get(&public, format!("{}/dokument/plan.html", test.url)).await;
    assert_eq!(status, 200);
    assert!(!trace_links(&public_document).is_empty());
    // The public site's own pages of the decided plan and the closed report link their
    // figures to traces the public may follow.
    for page in ["/planen/ks", "/rapporter/ks/2021-08"] {
        let (status, html) = get(&public, format!("{}{page}", test.url)).await;
        assert_eq!(status, 200, "{page}");
        let links = trace_links(&unescape(&html));
        assert!(links.len() > 10, "{page}: {} traces", links.len());
        for (path, _) in links.iter().take(30) {
            let (status, _) = get(&public, format!("{}/spar/{path}", test.url)).await;
            assert_eq!(status, 200, "{page} → /spar/{path}");
        }
    }
    // An unknown version, table or period is a 404.
    for path in [
        "/spar/plan/ingen/drift/x/y/2021",
        "/spar/rapport/ingen/2021-08/summa/drift",
        "/spar/plan/ks_2021_proposal/drift/x/y/2021",
        "/spar/plan/ks_2021_proposal/drift/x/y/inte",
    ] {
        let (status, _) = get(&public, format!("{}{path}", test.url)).await;
        assert_eq!(status, 404, "{path}");
    }
}

/// The URLs of a PDF's link annotations (poppler's `pdfinfo -url`); `None` when skipped.
fn pdf_urls(pdf: &[u8]) -> Option<Vec<String>> {
    let program = crate::tool::program("pdfinfo", "poppler-utils")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = std::process::Command::new(program)
        .arg("-url")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    Some(
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .filter_map(|line| line.split_whitespace().nth(2).map(str::to_owned))
            .collect(),
    )
}

async fn served_pdfs_link_figures_to_the_base_url_only_when_it_is_configured(db: &TestDb) {
    const BASE: &str = "https://styr.example.se";
    let test = spawn_app(db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let based = crate::TestApp {
        url: format!("http://{}", listener.local_addr().unwrap()),
        app: test.app.clone(),
    };
    let state = styr_web::WebState::new(
        test.app.clone(),
        styr_web::WebOptions {
            base_url: Some(BASE.to_owned()),
            ..styr_web::WebOptions::default()
        },
    );
    tokio::spawn(async move {
        styr_web::serve(state, listener).await.unwrap();
    });
    let pdf = |test: &crate::TestApp| {
        let url = format!("{}/dokument/plan.pdf", test.url);
        let test = crate::TestApp {
            url: test.url.clone(),
            app: test.app.clone(),
        };
        async move {
            let reader = logged_in(&test, "lasare").await;
            let response = reader.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.bytes().await.unwrap().to_vec()
        }
    };
    let with = pdf(&based).await;
    let without = pdf(&test).await;
    assert!(with.starts_with(b"%PDF-") && without.starts_with(b"%PDF-"));
    assert_ne!(with, without);
    // The HTML document links to the base too.
    let reader = logged_in(&based, "lasare").await;
    let (_, html) = get(&reader, format!("{}/dokument/plan.html", based.url)).await;
    assert!(html.contains(&format!("href=\"{BASE}/spar/plan/")));
    let (Some(with), Some(without)) = (pdf_urls(&with), pdf_urls(&without)) else {
        return;
    };
    let traces = with
        .iter()
        .filter(|u| u.starts_with(&format!("{BASE}/spar/plan/")))
        .count();
    assert!(traces > 50, "{traces} trace links in the PDF");
    assert!(without.iter().all(|u| !u.contains("/spar/")), "{without:?}");
}

crate::on_both_backends!(
    served_pdfs_link_figures_to_the_base_url_only_when_it_is_configured,
    every_trace_of_the_plan_document_resolves_and_sums_to_its_figure,
    every_outcome_of_a_period_report_traces_to_the_ledger,
    the_public_follows_traces_of_decided_plans_and_closed_periods_only,
);
