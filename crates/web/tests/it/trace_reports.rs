//! Every figure of the municipality's reports traced (`/spar/plan/…/ram|fordelning|kf/…`,
//! `/spar/kommun/…`): each trace link of the delårsrapport for the whole municipality and of
//! `/kommun` resolves for a logged-in reader and names the printed figure; the public follows
//! none of a period before it is closed nor of a proposal, and unknown ids are 404.

use crate::db::TestDb;
use crate::{client, example_dir, logged_in, spawn_app};
use styr_app::{Actor, ActualsOptions, NoProgress, PlanSelector};
use styr_domain::ledger::Month;

async fn get(client: &reqwest::Client, url: String) -> (u16, String) {
    let response = client.get(&url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The `/spar/` links of a page with their texts, each once.
fn trace_links(html: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for piece in html.split("<a href=\"").skip(1) {
        let Some(end) = piece.find('"') else { continue };
        let href = piece[..end].replace("&amp;", "&").replace("&#x2f;", "/");
        let text = piece
            .find('>')
            .and_then(|start| {
                piece[start + 1..]
                    .find("</a>")
                    .map(|stop| piece[start + 1..start + 1 + stop].to_owned())
            })
            .unwrap_or_default();
        if href.starts_with("/spar/") && !out.iter().any(|(h, _)| *h == href) {
            out.push((href, text));
        }
    }
    out
}

/// The example municipality: KS (with its ledger and follow-up), KF, BUN, SN and the company,
/// and the municipality's bokslut file of 2021.
pub(crate) async fn municipality(db: &TestDb) -> crate::TestApp {
    let test = spawn_app(db).await;
    let operator = Actor::local_admin("test");
    for name in ["kf", "bun", "son", "bostader"] {
        let plan =
            styr_package::read_dir(&example_dir().join(format!("../haninge-{name}-2021"))).unwrap();
        test.app.import_plan(&operator, &plan).await.unwrap();
    }
    let body = |id: &str| PlanSelector {
        body: Some(id.to_owned()),
        ..PlanSelector::default()
    };
    test.app
        .import_actuals(
            &operator,
            &body("ks"),
            &example_dir().join("ledger/ks-2021.se"),
            &mut NoProgress,
        )
        .await
        .unwrap();
    test.app
        .import_actuals_with(
            &operator,
            &body("kf"),
            &example_dir().join("../haninge-kf-2021/ledger/kommun-2021.se"),
            ActualsOptions {
                statements: true,
                ..ActualsOptions::default()
            },
            &mut NoProgress,
        )
        .await
        .unwrap();
    test
}

async fn every_trace_of_the_municipal_report_and_kommun_resolves(db: &TestDb) {
    let test = municipality(db).await;
    let reader = logged_in(&test, "lasare").await;
    let (status, report) = get(
        &reader,
        format!("{}/dokument/kommun/2021-08.html", test.url),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let links: Vec<(String, String)> = trace_links(&report)
        .into_iter()
        .filter(|(h, _)| {
            h.starts_with("/spar/kommun/")
                || ["/ram/", "/fordelning/", "/kf/"]
                    .iter()
                    .any(|k| h.contains(k))
        })
        .collect();
    let statements = links
        .iter()
        .filter(|(h, _)| h.contains("/rakenskaper/"))
        .count();
    assert!(statements > 30, "{statements} statement figures traced");
    assert!(links.iter().any(|(h, _)| h.contains("/balanskrav/")));
    assert!(links.iter().any(|(h, _)| h.contains("/ram/")));
    assert!(links.iter().any(|(h, _)| h.contains("/summa/utfall")));
    // The statutory report's other figures: the statements' budget and previous year, the
    // forecasts and deviations per nämnd, the investeringsredovisning, exploatering and
    // finansförvaltning.
    for kind in [
        "/budget",
        "/foregaende-ar",
        "/namnd/",
        "/summa/prognos",
        "/summa/avvikelse",
        "/investering/",
        "/exploatering/",
        "/finans/",
    ] {
        assert!(
            links
                .iter()
                .any(|(h, _)| h.contains(kind) && h.starts_with("/spar/kommun/")),
            "the delårsrapport lacks {kind}"
        );
    }
    for (href, printed) in &links {
        let (status, page) = get(&reader, format!("{}{href}", test.url)).await;
        assert_eq!(status, 200, "{href}: {page}");
        // The trace names the figure the report prints (a computed forecast's mark aside).
        let printed = printed
            .trim()
            .trim_end_matches(" (egen)")
            .trim_end_matches(" *");
        assert!(
            page.contains(&format!("<dd>{printed}</dd>")) || page.contains(printed),
            "{href} lacks {printed}"
        );
        // A statement line's outcome is the sum of its accounts or lines (its budget and
        // previous year's columns have their own pages).
        let outcome = href
            .split_once("/rakenskaper/")
            .is_some_and(|(_, line)| !line.contains('/'));
        if outcome && (href.contains("/rakenskaper/rr.") || href.contains("/rakenskaper/br.")) {
            assert!(
                page.contains("Summan av raderna är siffran i rapporten"),
                "{href}"
            );
        }
        // No total differs from its rows.
        assert!(
            !page.contains("stämmer inte med siffran i rapporten"),
            "{href}"
        );
    }
    // /kommun links its frames, budgets, totals, companies and koncern to the same traces.
    let (status, kommun) = get(&reader, format!("{}/kommun?period=2021-08", test.url)).await;
    assert_eq!(status, 200);
    let links = trace_links(&kommun);
    for kind in [
        "/ram/",
        "/fordelning/",
        "/summa/ramar",
        "/bolag/",
        "/koncern",
        "/kf/resultat/",
    ] {
        assert!(
            links.iter().any(|(h, _)| h.contains(kind)),
            "/kommun lacks {kind}"
        );
    }
    for (href, _) in &links {
        let (status, page) = get(&reader, format!("{}{href}", test.url)).await;
        assert_eq!(status, 200, "/kommun → {href}: {page}");
    }
}

async fn the_public_follows_the_municipalitys_traces_of_closed_periods_only(db: &TestDb) {
    let test = municipality(db).await;
    let public = client();
    let reader = logged_in(&test, "lasare").await;
    let line = "/spar/kommun/2021-08/rakenskaper/rr.kostnader";
    let sum = "/spar/kommun/2021-08/summa/ramar";
    let previous = "/spar/kommun/2021-08/rakenskaper/rr.kostnader/foregaende-ar";
    let appropriations = "/spar/kommun/2021-08/namnd/bun/anslagsforandringar";
    for path in [line, sum, previous, appropriations] {
        let (status, _) = get(&reader, format!("{}{path}", test.url)).await;
        assert_eq!(status, 200, "{path}");
        let (status, page) = get(&public, format!("{}{path}", test.url)).await;
        assert_eq!(status, 404, "{path} of an open period");
        assert!(!page.contains("Summa"), "{path}");
    }
    // A decided plan's frame is public, a proposal's allocation is not.
    let (status, _) = get(
        &public,
        format!("{}/spar/plan/kf_2021_decided/ram/bun/2021", test.url),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = get(
        &public,
        format!("{}/spar/plan/ks_2021_proposal/fordelning/2021", test.url),
    )
    .await;
    assert_eq!(status, 404);
    test.app
        .close_period(
            &Actor::local_admin("test"),
            &PlanSelector {
                body: Some("bun".to_owned()),
                ..PlanSelector::default()
            },
            Month::parse("2021-08").unwrap(),
        )
        .await
        .unwrap();
    for path in [line, sum, previous, appropriations] {
        let (status, page) = get(&public, format!("{}{path}", test.url)).await;
        assert_eq!(status, 200, "{path}: {page}");
        assert!(!page.contains("/budget/rad"), "{path}");
    }
    // Unknown ids, years, periods and lines are 404, logged in or not.
    for path in [
        "/spar/kommun/2021-08/rakenskaper/rr.ingen",
        "/spar/kommun/2021-08/balanskrav/ingen",
        "/spar/kommun/2021-08/summa/ingen",
        "/spar/kommun/2021-08/bolag/bun",
        "/spar/kommun/inte/summa/ramar",
        "/spar/kommun/2021-08/rakenskaper/rr.ingen/budget",
        "/spar/kommun/2021-08/rakenskaper/rr.kostnader/ingen",
        "/spar/kommun/2021-08/namnd/ingen/prognos",
        "/spar/kommun/2021-08/namnd/bun/ramar",
        "/spar/kommun/2021-08/investering/ks/ingen/beslutad",
        "/spar/kommun/2021-08/investering/ks/summa/ingen",
        "/spar/kommun/2021-08/exploatering/ingen/summa/avvikelse",
        "/spar/kommun/2021-08/finans/ks/ingen/avvikelse",
        "/spar/plan/kf_2021_decided/ram/ingen/2021",
        "/spar/plan/kf_2021_decided/ram/bun/inte",
        "/spar/plan/kf_2021_decided/kf/ingen/2021",
        "/spar/plan/ingen/kf/resultat/2021",
        "/spar/plan/kf_2021_decided/fordelning/2021",
    ] {
        for client in [&public, &reader] {
            let (status, _) = get(client, format!("{}{path}", test.url)).await;
            assert_eq!(status, 404, "{path}");
        }
    }
}

crate::on_both_backends!(
    every_trace_of_the_municipal_report_and_kommun_resolves,
    the_public_follows_the_municipalitys_traces_of_closed_periods_only,
);
