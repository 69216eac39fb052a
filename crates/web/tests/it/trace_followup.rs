//! The board's follow-up report traced on the web (`/spar/rapport/…/COLUMN/…`,
//! `/spar/plan/…/riskmatris/…`, `/spar/kommun/…/konto/…`): each budget, deviation and forecast
//! link of a period's report answers with the printed figure and, for a sum, rows that sum to
//! it; each risk matrix count with as many risks; the public reaches neither of a proposal nor
//! of an open period; a statement line's accounts lead a logged-in reader to their vouchers, a
//! page at a time, and the public never; unknown ids are 404.

use crate::db::TestDb;
use crate::trace::{get, trace_links, unescape};
use crate::{client, logged_in, spawn_app};
use styr_app::{Actor, PlanSelector};
use styr_domain::ledger::Month;

fn is_followup(path: &str) -> bool {
    path.contains("/riskmatris/")
        || [
            "budget",
            "budget-ack",
            "avvikelse",
            "prognos",
            "avvikelse-prognos",
        ]
        .iter()
        .any(|c| path.contains(&format!("/2021-08/{c}/")))
}

async fn every_budget_forecast_and_risk_count_of_a_report_resolves_to_its_figure(db: &TestDb) {
    let test = spawn_app(db).await;
    test.app
        .import_actuals(
            &Actor::local_admin("test"),
            &PlanSelector::default(),
            &crate::example_dir().join("ledger/ks-2021.se"),
            &mut styr_app::NoProgress,
        )
        .await
        .unwrap();
    let reader = logged_in(&test, "lasare").await;
    let (status, report) = get(
        &reader,
        format!("{}/dokument/rapport/2021-08.html", test.url),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let links: Vec<(String, String)> = trace_links(&report)
        .into_iter()
        .filter(|(p, _)| is_followup(p))
        .collect();
    let (mut sums, mut cells, mut risks) = (0, 0, 0);
    for (path, printed) in &links {
        let (status, page) = get(&reader, format!("{}/spar/{path}", test.url)).await;
        assert_eq!(status, 200, "/spar/{path}: {page}");
        let page = unescape(&page);
        let printed = printed.trim();
        if path.contains("/riskmatris/") {
            cells += 1;
            assert!(
                page.contains(&format!("<dt>Antal risker i cellen</dt><dd>{printed}</dd>")),
                "/spar/{path}: {page}"
            );
            // As many risks as the count, each a row of the list.
            let listed = page.matches("<tr><th scope=\"row\">").count();
            assert_eq!(listed.to_string(), printed, "/spar/{path}");
            risks += listed;
        } else {
            assert!(
                page.contains(&format!("<dd>{printed}</dd>")),
                "/spar/{path} lacks {printed}: {page}"
            );
            if page.contains("<tr class=\"total\">") {
                sums += 1;
                assert!(
                    page.contains("Summan av raderna är siffran i rapporten"),
                    "/spar/{path}: {page}"
                );
            }
        }
    }
    assert_eq!(cells, 16, "the 4 × 4 risk matrix's cells");
    assert!(risks > 0);
    assert!(sums > 20, "{sums} figures with rows that sum to them");
    for column in [
        "/budget/",
        "/budget-ack/",
        "/avvikelse/",
        "/prognos/",
        "/avvikelse-prognos/",
    ] {
        assert!(
            links.iter().filter(|(p, _)| p.contains(column)).count() > 5,
            "{column}"
        );
    }
    // The risk matrix of the internal control plan in the plan's document too.
    let (_, document) = get(&reader, format!("{}/dokument/plan.html", test.url)).await;
    assert!(
        trace_links(&document)
            .iter()
            .any(|(p, _)| p.contains("/riskmatris/")),
        "the plan's risk matrix"
    );
    // /kontroll's matrix links each count to the same trace, naming as many risks.
    let (status, control) = get(&reader, format!("{}/kontroll", test.url)).await;
    assert_eq!(status, 200);
    let counts: Vec<(String, String)> = trace_links(&control)
        .into_iter()
        .filter(|(p, _)| p.contains("/riskmatris/"))
        .collect();
    assert_eq!(counts.len(), 16, "{control}");
    for (path, printed) in counts.iter().filter(|(_, n)| n != "0") {
        let (status, page) = get(&reader, format!("{}/spar/{path}", test.url)).await;
        assert_eq!(status, 200, "/spar/{path}");
        assert_eq!(
            page.matches("<tr><th scope=\"row\">").count().to_string(),
            *printed,
            "/spar/{path}"
        );
    }
}

async fn the_public_reaches_a_reports_figures_once_decided_and_closed_and_unknown_ids_are_404(
    db: &TestDb,
) {
    let test = spawn_app(db).await;
    let operator = Actor::local_admin("test");
    let public = client();
    let reader = logged_in(&test, "lasare").await;
    let forecast = "/spar/rapport/ks_2021_proposal/2021-08/prognos/summa/drift";
    let cell = "/spar/plan/ks_2021_proposal/riskmatris/2021/3/3";
    for path in [forecast, cell] {
        let (status, _) = get(&reader, format!("{}{path}", test.url)).await;
        assert_eq!(status, 200, "{path}");
        let (status, page) = get(&public, format!("{}{path}", test.url)).await;
        assert_eq!(status, 404, "{path} of a proposal");
        assert!(!page.contains("Riskerna i cellen") && !page.contains("Summa"));
    }
    test.app
        .decide_version(&operator, &PlanSelector::default(), "kf_2020_11_09_185")
        .await
        .unwrap();
    let (status, _) = get(&public, format!("{}{cell}", test.url)).await;
    assert_eq!(status, 200, "{cell} of a decided plan");
    let (status, _) = get(&public, format!("{}{forecast}", test.url)).await;
    assert_eq!(status, 404, "{forecast} of an open period");
    test.app
        .close_period(
            &operator,
            &PlanSelector::default(),
            Month::parse("2021-08").unwrap(),
        )
        .await
        .unwrap();
    let (status, page) = get(&public, format!("{}{forecast}", test.url)).await;
    assert_eq!(status, 200, "{forecast}: {page}");
    for path in [
        "/spar/rapport/ks_2021_proposal/2021-08/prognos/rad/op.ksf.ingen",
        "/spar/rapport/ks_2021_proposal/2021-08/ingen/rad/op.ksf.ksf",
        "/spar/rapport/ks_2021_proposal/2021-08/prognos/summa/ingen",
        "/spar/rapport/ks_2021_proposal/2021-08/prognos/summa/tabell/ingen",
        "/spar/rapport/ingen/2021-08/budget/summa/drift",
        "/spar/rapport/ks_2021_proposal/inte/budget/summa/drift",
        "/spar/plan/ks_2021_proposal/riskmatris/2021/9/9",
        "/spar/plan/ks_2021_proposal/riskmatris/2021/x/1",
        "/spar/plan/ingen/riskmatris/2021/1/1",
    ] {
        for client in [&public, &reader] {
            let (status, _) = get(client, format!("{}{path}", test.url)).await;
            assert_eq!(status, 404, "{path}");
        }
    }
}

async fn a_statement_lines_account_leads_a_reader_to_its_vouchers_page_by_page(db: &TestDb) {
    let test = crate::trace_reports::municipality(db).await;
    let reader = logged_in(&test, "lasare").await;
    let line = "/spar/kommun/2021-12/rakenskaper/rr.kostnader";
    let (status, page) = get(&reader, format!("{}{line}", test.url)).await;
    assert_eq!(status, 200, "{page}");
    let accounts: Vec<String> = trace_links(&unescape(&page))
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with("kommun/2021-12/konto/"))
        .collect();
    assert!(accounts.len() > 1, "{page}");
    // One account, followed page by page (2 rows a page): its rows are the voucher rows of
    // the account, as many as the page says.
    let first = format!("{}/spar/{}", test.url, accounts[0]);
    let (status, page) = get(&reader, format!("{first}?limit=2")).await;
    assert_eq!(status, 200, "{page}");
    let page = unescape(&page);
    assert!(page.contains("Verifikationer: konto"), "{page}");
    assert!(page.contains("Tillbaka till"), "{page}");
    let mut next = page
        .split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .find(|h| h.contains("after="));
    assert!(next.is_some(), "a next page: {page}");
    let mut pages = 1;
    while let Some(href) = next.take() {
        let (status, page) = get(&reader, format!("{}{href}", test.url)).await;
        assert_eq!(status, 200, "{href}");
        let page = unescape(&page);
        pages += 1;
        assert!(page.contains("rel=\"prev\""), "{href}");
        next = page
            .split("href=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_owned())
            .find(|h| h.contains("after="));
        if pages > 50 {
            break;
        }
    }
    assert!(pages > 1);
    // The public: no link to the vouchers on the line, and none at the vouchers.
    let public = client();
    test.app
        .close_period(
            &Actor::local_admin("test"),
            &PlanSelector {
                body: Some("bun".to_owned()),
                ..PlanSelector::default()
            },
            Month::parse("2021-12").unwrap(),
        )
        .await
        .unwrap();
    let (status, page) = get(&public, format!("{}{line}", test.url)).await;
    assert_eq!(status, 200, "{page}");
    assert!(!page.contains("/konto/"), "{page}");
    let response = public.get(&first).send().await.unwrap();
    assert!(
        matches!(response.status().as_u16(), 303 | 401 | 403),
        "the public at the vouchers: {}",
        response.status()
    );
    assert!(!response.text().await.unwrap().contains("Verifikationer:"));
    // Unknown accounts and files are 404; a bad cursor a 400.
    for path in [
        "/spar/kommun/2021-12/konto/kommun-2021.se/9999",
        "/spar/kommun/2021-12/konto/ingen.se/4010",
        "/spar/kommun/inte/konto/kommun-2021.se/4010",
    ] {
        let (status, _) = get(&reader, format!("{}{path}", test.url)).await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, _) = get(&reader, format!("{first}?after=zz")).await;
    assert_eq!(status, 400);
}

crate::on_both_backends!(
    every_budget_forecast_and_risk_count_of_a_report_resolves_to_its_figure,
    the_public_reaches_a_reports_figures_once_decided_and_closed_and_unknown_ids_are_404,
    a_statement_lines_account_leads_a_reader_to_its_vouchers_page_by_page,
);
