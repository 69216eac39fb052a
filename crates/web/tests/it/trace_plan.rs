//! Every figure traced, the plan's other tables (`/spar/plan/…`): each trace link of the
//! exploitation budget, the finance administration and its summary, the ramförändring, the
//! ramberäkning and the indicators on the plan's document and the budget page answers 200 to a
//! logged-in reader and shows the figure the document prints; the public reaches them only
//! once the plan is decided; unknown ids are a 404.

use crate::db::TestDb;
use crate::trace::{get, trace_links, unescape};
use crate::{client, logged_in, spawn_app};
use styr_app::{Actor, PlanSelector};

const KINDS: [&str; 6] = [
    "/exploatering/",
    "/finans/",
    "/finanssammanstallning/",
    "/ramforandring",
    "/ramberakning/",
    "/indikator/",
];

fn of_the_other_tables(links: Vec<(String, String)>) -> Vec<(String, String)> {
    links
        .into_iter()
        .filter(|(path, _)| KINDS.iter().any(|k| format!("/{path}").contains(k)))
        .collect()
}

async fn the_other_tables_traces_answer_readers_and_the_public_of_a_decided_plan_only(db: &TestDb) {
    let test = spawn_app(db).await;
    let reader = logged_in(&test, "lasare").await;
    let public = client();
    let (status, document) = get(&reader, format!("{}/dokument/plan.html", test.url)).await;
    assert_eq!(status, 200);
    let (status, budget) = get(&reader, format!("{}/budget?period=2021-08", test.url)).await;
    assert_eq!(status, 200);
    let mut links = of_the_other_tables(trace_links(&document));
    for link in of_the_other_tables(trace_links(&unescape(&budget))) {
        if !links.iter().any(|(p, _)| *p == link.0) {
            links.push(link);
        }
    }
    for kind in KINDS {
        assert!(
            links.iter().any(|(p, _)| format!("/{p}").contains(kind)),
            "no {kind} trace"
        );
    }
    assert!(links.len() > 150, "{} traces", links.len());
    let mut rows = 0;
    for (path, printed) in &links {
        let (status, page) = get(&reader, format!("{}/spar/{path}", test.url)).await;
        assert_eq!(status, 200, "/spar/{path}: {page}");
        let page = unescape(&page);
        // The page names the figure as printed (a number: no thousands space in short ones).
        let figure = printed.trim().replace('\u{2212}', "-");
        let figure = figure
            .trim_end_matches("\u{a0}%")
            .trim_start_matches('+')
            .trim();
        assert!(
            page.replace('\u{2212}', "-").contains(figure),
            "/spar/{path} does not show {figure}"
        );
        if page.contains("Raderna som summeras") {
            rows += 1;
        }
    }
    assert!(rows > 20, "{rows} traces list their rows");
    // A chain: the exploitation total → a project's net → its income.
    let total = links
        .iter()
        .find(|(p, _)| p.contains("/exploatering/totalsumma/netto"))
        .expect("the exploitation total's net");
    let (_, page) = get(&reader, format!("{}/spar/{}", test.url, total.0)).await;
    let net = unescape(&page)
        .split("href=\"/spar/")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .find(|p| p.ends_with("/netto") && !p.contains("totalsumma"))
        .expect("a project's net");
    let (status, page) = get(&reader, format!("{}/spar/{net}", test.url)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Intäkter + kostnader"), "{page}");
    assert!(unescape(&page).contains("/intakter\""), "{page}");

    // A proposal: the public reaches none of them; decided, every one.
    for (path, _) in links.iter().step_by(7) {
        let (status, page) = get(&public, format!("{}/spar/{path}", test.url)).await;
        assert_eq!(status, 404, "/spar/{path}");
        assert!(!page.contains("Summa"), "/spar/{path}");
    }
    test.app
        .decide_version(
            &Actor::local_admin("test"),
            &PlanSelector::default(),
            "kf_2020_11_09_185",
        )
        .await
        .unwrap();
    for (path, _) in links.iter().step_by(7) {
        let (status, page) = get(&public, format!("{}/spar/{path}", test.url)).await;
        assert_eq!(status, 200, "/spar/{path}: {page}");
    }
    // The public site's plan page links them too.
    let (status, html) = get(&public, format!("{}/planen/ks", test.url)).await;
    assert_eq!(status, 200);
    assert!(
        !of_the_other_tables(trace_links(&unescape(&html))).is_empty(),
        "/planen/ks"
    );
    // Unknown ids, columns and parts are a 404 for anyone.
    for path in [
        "exploatering/ingen/netto",
        "exploatering/totalsumma/fel",
        "finans/skatter/netto/1999",
        "finans/ingen/netto/2021",
        "finanssammanstallning/ingen/2021",
        "ramforandring/ingen",
        "ramberakning/rad/ingen",
        "ramberakning/okand",
        "indikator/ingen/utfall/2019",
        "indikator/forvarvsarbetande/okand/2021",
        "indikator/forvarvsarbetande/mal/1990",
    ] {
        for client in [&reader, &public] {
            let url = format!("{}/spar/plan/ks_2021_proposal/{path}", test.url);
            let (status, _) = get(client, url).await;
            assert_eq!(status, 404, "{path}");
        }
    }
    let (status, _) = get(
        &public,
        format!("{}/spar/plan/ingen/ramforandring", test.url),
    )
    .await;
    assert_eq!(status, 404);
}

crate::on_both_backends!(
    the_other_tables_traces_answer_readers_and_the_public_of_a_decided_plan_only,
);
