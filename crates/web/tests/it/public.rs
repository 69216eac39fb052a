//! The public site (issue 24, items 1 and 4): every public URL as an anonymous visitor with
//! drafts present (a proposal imported after the decided version with a changed frame and goal,
//! an open period with reported statuses, a draft alternative budget) shows no draft text or
//! figure; unknown years, periods and bodies answer 404 with the site's own page; no query
//! parameter reaches a draft; pages carry an ETag and answer 304; a figure changed in a draft
//! reaches the public pages only once decided.

use crate::{client, example_dir, spawn_app};
use styr_app::{Actor, NewAlternative, PlanSelector, Role};
use styr_domain::budget::VersionKind;
use styr_domain::ledger::Month;
use styr_domain::{Id, Money};

/// The draft's changed frame of 2021, as a page would print it.
const DRAFT_FIGURE: &str = "99 999 999";
/// The draft's renamed goal.
const DRAFT_GOAL: &str = "UTKASTMÅL som inte är beslutat";
/// A status comment reported in the open period 2021-08 (followup/delar2-2021.csv).
const OPEN_COMMENT: &str = "Förstudien är genomförd";
/// The draft alternative budget's title.
const DRAFT_ALTERNATIVE: &str = "UTKASTALTERNATIV";

/// The example as a proposal imported after the decided version: another version id, the
/// frame of 2021 and the first goal's title changed.
fn draft() -> styr_domain::Plan {
    let mut plan = styr_package::read_dir(&example_dir()).expect("the example");
    plan.budget.version.id = Id::parse("utkast").unwrap();
    plan.budget.version.kind = VersionKind::Proposal;
    plan.budget.version.name = "Utkast".to_owned();
    for frame in plan.budget.frames.iter_mut().filter(|f| f.year == 2021) {
        frame.amount = Money::from_tkr(99_999_999).unwrap();
    }
    plan.goals[0].title = DRAFT_GOAL.to_owned();
    plan
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Every link of a page to a page of the public site.
fn public_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for piece in html.split("href=\"").skip(1) {
        let Some(end) = piece.find('"') else { continue };
        let href = piece[..end].replace("&#x2f;", "/");
        let public = ["/planen", "/rapporter", "/sammanfattning", "/malbarometer"]
            .iter()
            .any(|prefix| href.starts_with(prefix))
            || href == "/tillganglighet"
            || href == "/";
        if public && !links.contains(&href) {
            links.push(href);
        }
    }
    links
}

/// Every public page reachable from the start page by its links, with its text.
async fn crawl(client: &reqwest::Client, base: &str) -> Vec<(String, String)> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut queue = vec!["/".to_owned()];
    while let Some(path) = queue.pop() {
        if seen.iter().any(|(p, _)| *p == path) {
            continue;
        }
        let (status, page) = get(client, &format!("{base}{path}")).await;
        assert_eq!(status, 200, "{path}: {page}");
        for link in public_links(&page) {
            queue.push(link);
        }
        seen.push((path, page));
    }
    seen
}

fn assert_no_draft(path: &str, page: &str) {
    for draft in [
        DRAFT_FIGURE,
        DRAFT_GOAL,
        OPEN_COMMENT,
        DRAFT_ALTERNATIVE,
        "Utkast",
    ] {
        assert!(!page.contains(draft), "{path} shows the draft's {draft:?}");
    }
}

async fn the_public_site_shows_only_what_is_decided_and_closed(db: &crate::db::TestDb) {
    let test = spawn_app(db).await;
    let base = test.url.clone();
    let public = client();
    let operator = Actor::local_admin("test");
    let selector = PlanSelector::default();
    // Nothing decided: the public pages are not found, the statement is there.
    for path in [
        "/planen",
        "/planen/ks",
        "/rapporter",
        "/sammanfattning/2021",
        "/malbarometer",
    ] {
        let (status, page) = get(&public, &format!("{base}{path}")).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("ingen beslutad plan är publicerad"), "{path}");
    }
    let (status, _) = get(&public, &format!("{base}/tillganglighet")).await;
    assert_eq!(status, 200);

    test.app
        .decide_version(&operator, &selector, "kf_2020_11_09_185")
        .await
        .unwrap();
    test.app.import_plan(&operator, &draft()).await.unwrap();
    // The draft is what a logged-in user sees by default: it is there.
    let stored = test.app.load_plan(&operator, &selector).await.unwrap();
    assert_eq!(stored.budget.version.id.as_str(), "utkast");

    let pages = crawl(&public, &base).await;
    let paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
    for expected in [
        "/",
        "/planen",
        "/planen/ks",
        "/rapporter",
        "/rapporter/ks/2020-08",
        "/sammanfattning",
        "/sammanfattning/2021",
        "/sammanfattning/2022",
        "/malbarometer",
        "/tillganglighet",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} not linked: {paths:?}"
        );
    }
    for (path, page) in &pages {
        assert_no_draft(path, page);
    }
    let (_, summary) = get(&public, &format!("{base}/sammanfattning/2021")).await;
    assert!(summary.contains("Kommunstyrelsen"), "{summary}");

    // No query parameter reaches a draft or the open period.
    for path in [
        "/?period=2021-08",
        "/planen/ks?version=utkast",
        "/planen/ks?organ=ks&version=utkast&period=2021-08",
        "/sammanfattning/2021?version=utkast&period=2021-08",
        "/malbarometer?period=2021-08&version=utkast",
        "/rapporter?period=2021-08",
        "/rapporter/ks/2020-08?period=2021-08&version=utkast",
    ] {
        let (status, page) = get(&public, &format!("{base}{path}")).await;
        assert!(status == 200 || status == 404, "{path}: {status}");
        assert_no_draft(path, &page);
    }
    // Unknown bodies, periods and years, and an open period: 404 with the site's own page.
    for path in [
        "/planen/okand",
        "/rapporter/ks/2021-08",
        "/rapporter/ks/2099-01",
        "/rapporter/ks/inte-en-manad",
        "/rapporter/okand/2020-08",
        "/rapporter/ks/2020-10",
        "/sammanfattning/1999",
        "/sammanfattning/tjugotjugoett",
        "/sammanfattning/99999999999999999999",
    ] {
        let (status, page) = get(&public, &format!("{base}{path}")).await;
        assert_eq!(status, 404, "{path}: {page}");
        assert!(page.contains("aria-label=\"Huvudmeny\""), "{path}: {page}");
        assert!(page.contains("href=\"/tillganglighet\""), "{path}");
        assert_no_draft(path, &page);
    }

    // ETag and 304.
    let url = format!("{base}/sammanfattning/2021");
    let response = public.get(&url).send().await.unwrap();
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let again = public
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.text().await.unwrap().is_empty());
    let other = public
        .get(&url)
        .header("if-none-match", "\"something-else\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);

    // Another write (a new draft) leaves the public page as it was, tag and all.
    let mut second = draft();
    second.budget.version.id = Id::parse("utkast2").unwrap();
    test.app.import_plan(&operator, &second).await.unwrap();
    let response = public.get(&url).send().await.unwrap();
    assert_eq!(response.headers()["etag"].to_str().unwrap(), etag);
    assert!(!response.text().await.unwrap().contains(DRAFT_FIGURE));

    // Decided: the figure is public, and the tag has changed.
    test.app
        .decide_version(
            &operator,
            &PlanSelector {
                version: Some("utkast2".into()),
                ..PlanSelector::default()
            },
            "kf_2020_11_09_185",
        )
        .await
        .unwrap();
    let response = public.get(&url).send().await.unwrap();
    assert_ne!(response.headers()["etag"].to_str().unwrap(), etag);
    let page = response.text().await.unwrap();
    assert!(page.contains(DRAFT_FIGURE), "{page}");
    assert!(page.contains(DRAFT_GOAL), "{page}");

    // The open period's report is public once the period is closed.
    test.app
        .close_period(&operator, &selector, Month::parse("2021-08").unwrap())
        .await
        .unwrap();
    let (status, report) = get(&public, &format!("{base}/rapporter/ks/2021-08")).await;
    assert_eq!(status, 200, "{report}");
    assert!(report.contains(OPEN_COMMENT));
    let (_, barometer) = get(&public, &format!("{base}/malbarometer")).await;
    assert!(
        barometer.contains("Delårsrapport 2 per augusti 2021"),
        "{barometer}"
    );
}

async fn a_draft_alternative_is_not_public(db: &crate::db::TestDb) {
    let test = spawn_app(db).await;
    let operator = Actor::local_admin("test");
    let kf = styr_package::read_dir(&example_dir().join("../haninge-kf-2021")).expect("KF");
    test.app.import_plan(&operator, &kf).await.expect("KF");
    let politician = Actor {
        login: "politiker".into(),
        role: Role::Politician,
        municipality: None,
        units: vec![],
        body: None,
    };
    test.app
        .create_alternative(
            &politician,
            None,
            &NewAlternative {
                party: "Utkastpartiet".into(),
                title: DRAFT_ALTERNATIVE.into(),
                year: None,
            },
        )
        .await
        .unwrap();
    let public = client();
    let pages = crawl(&public, &test.url).await;
    assert!(
        pages.iter().any(|(p, _)| p == "/planen/kf"),
        "KF's plan is public"
    );
    for (path, page) in &pages {
        assert_no_draft(path, page);
    }
    for path in ["/alternativ", "/beredning"] {
        let (_, page) = get(&public, &format!("{}{path}", test.url)).await;
        assert_no_draft(path, &page);
    }
}

crate::on_both_backends!(
    the_public_site_shows_only_what_is_decided_and_closed,
    a_draft_alternative_is_not_public,
);
