//! Several bodies' plans in one municipality over HTTP (issue 20): every page and API call
//! answers with the chosen body (`?organ=`, the switcher's cookie, else the default body), a
//! reporter reports only for their own body's items (403 for another body's, the same item id
//! included), and another municipality's user never sees the bodies.

use crate::db::TestDb;
use crate::{PASSWORD, TestApp, client, csrf_of, logged_in, spawn_app};
use styr_app::{Actor, NewUser, Role};
use styr_domain::{Id, Plan};

/// The example as Socialnämnden's plan: the same item and unit ids, its own body and version.
fn socialnamnden() -> Plan {
    let mut plan = styr_package::read_dir(&crate::example_dir()).expect("the example");
    plan.document.body = Id::parse("sn").unwrap();
    plan.document.title = "Socialnämndens verksamhetsplan 2021".into();
    plan.budget.version.id = Id::parse("sn_2021_proposal").unwrap();
    plan
}

/// The test server with KS's and Socialnämnden's plans and a reporter of each body, both for
/// their body's unit `ksf` (one id, two plans).
async fn spawn_two_bodies(db: &TestDb) -> TestApp {
    let test = spawn_app(db).await;
    let operator = Actor::local_admin("test");
    test.app
        .import_plan(&operator, &socialnamnden())
        .await
        .unwrap();
    for (login, body, name) in [
        ("ksrapportor", "ks", "Karin Nyberg"),
        ("snrapportor", "sn", "Sara Nilsson"),
    ] {
        test.app
            .add_user(
                &operator,
                &NewUser {
                    login: login.to_owned(),
                    role: Role::Reporter,
                    units: vec![Id::parse("ksf").unwrap()],
                    body: Some(body.to_owned()),
                    municipality: None,
                    password: PASSWORD.to_owned(),
                    name: Some(name.to_owned()),
                },
            )
            .await
            .unwrap();
    }
    test
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, String) {
    let response = client.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Posts the assignment status form of `ks2020_3` for August 2021 into `organ`'s plan, on
/// the version the page shows (0 when it shows no form: the reporter may not report).
async fn post_status(test: &TestApp, client: &reqwest::Client, organ: &str) -> u16 {
    let (_, page) = get(
        client,
        &format!("{}/uppdrag/ks2020_3?period=2021-08&organ={organ}", test.url),
    )
    .await;
    let version = page
        .split_once("name=\"version\" value=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("0", |(version, _)| version)
        .to_owned();
    client
        .post(format!("{}/rapportering/status?organ={organ}", test.url))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("assignment", "ks2020_3"),
            ("period", "2021-08"),
            ("version", version.as_str()),
            ("status", "started"),
            ("comment", "Enligt plan"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn every_page_answers_for_every_body(db: &TestDb) {
    let test = spawn_two_bodies(db).await;
    // And KF's plan, which has no follow-up calendar of its own.
    let kf = styr_package::read_dir(&crate::example_dir().join("../haninge-kf-2021"))
        .expect("KF's example");
    test.app
        .import_plan(&Actor::local_admin("test"), &kf)
        .await
        .unwrap();
    let reader = logged_in(&test, "lasare").await;
    let controller = logged_in(&test, "controller").await;
    for organ in ["", "?organ=ks", "?organ=sn", "?organ=kf"] {
        for path in [
            "/",
            "/mal",
            "/uppdrag",
            "/uppdrag/ks2020_3",
            "/budget",
            "/kontroll",
            "/dokument",
            "/perioder",
            "/handelselogg",
            "/kommun",
        ] {
            let (status, page) = get(&reader, &format!("{}{path}{organ}", test.url)).await;
            // KS's assignment is not in KF's plan.
            let expected = if path.starts_with("/uppdrag/") && organ.ends_with("kf") {
                404
            } else {
                200
            };
            assert_eq!(status, expected, "{path}{organ}: {page}");
        }
        for path in ["/rapportering", "/rapportering/formular"] {
            let (status, page) = get(&controller, &format!("{}{path}{organ}", test.url)).await;
            assert_eq!(status, 200, "{path}{organ}: {page}");
        }
    }
    let (_, page) = get(&reader, &format!("{}/budget?organ=kf", test.url)).await;
    assert!(page.contains("har ingen uppföljningskalender"), "{page}");
    // The public, without a decided plan to show, still gets the start page.
    let (status, _) = get(&client(), &format!("{}/", test.url)).await;
    assert_eq!(status, 200);
    // A body the municipality does not hold.
    let (status, _) = get(&reader, &format!("{}/budget?organ=bun", test.url)).await;
    assert_eq!(status, 404);
}

async fn the_switcher_chooses_the_body_and_keeps_it(db: &TestDb) {
    let test = spawn_two_bodies(db).await;
    let reader = logged_in(&test, "lasare").await;
    // The default body is the executive board's.
    let (_, page) = get(&reader, &format!("{}/dokument", test.url)).await;
    assert!(
        page.contains("<label for=\"organ-val\">Organ</label>"),
        "{page}"
    );
    assert!(page.contains("<option value=\"ks\" selected>Kommunstyrelsen</option>"));
    assert!(page.contains("Kommunstyrelsens Strategi och Budget 2021–2022"));
    // The switcher's form asks for the same page with `organ`; the choice is kept.
    let (status, page) = get(&reader, &format!("{}/dokument?organ=sn", test.url)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Socialnämndens verksamhetsplan 2021"));
    let (_, page) = get(&reader, &format!("{}/dokument", test.url)).await;
    assert!(page.contains("<option value=\"sn\" selected>Socialnämnden</option>"));
    assert!(page.contains("Socialnämndens verksamhetsplan 2021"));
    // Forms post to the body they were drawn for.
    let controller = logged_in(&test, "controller").await;
    let (_, page) = get(&controller, &format!("{}/perioder?organ=sn", test.url)).await;
    assert!(
        page.contains("action=\"/perioder/stang?organ=sn\""),
        "{page}"
    );
    // The overview: each body's row, and the total of the frames shown (KS's printed
    // 247 000 tkr twice: Socialnämnden's test plan is KS's copy, without KF's plan).
    let (status, page) = get(&reader, &format!("{}/kommun", test.url)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<a href=\"/?organ=sn\">Socialnämnden</a>"),
        "{page}"
    );
    let total = styr_domain::number::format_money(
        styr_domain::Money::from_tkr(494_000).unwrap(),
        styr_domain::number::MoneyUnit::Tkr,
        styr_domain::number::Decimals::Fixed(0),
        ' ',
    );
    // The total links to the frames it sums (`/spar/kommun/PERIOD/summa/ramar`).
    let row = page
        .split("<th scope=\"row\">Summa nämnder och styrelser</th>")
        .nth(1)
        .expect("the totals row");
    assert!(
        row.starts_with("<td class=\"num\"><a href=\"")
            && row.contains(&format!(">{total}</a></td>")),
        "{page}"
    );
    // A reporter of Socialnämnden starts in Socialnämnden's plan.
    let sn = logged_in(&test, "snrapportor").await;
    let (_, page) = get(&sn, &format!("{}/dokument", test.url)).await;
    assert!(page.contains("<option value=\"sn\" selected>Socialnämnden</option>"));
}

async fn a_reporter_reports_only_for_their_own_body(db: &TestDb) {
    let test = spawn_two_bodies(db).await;
    let sn = logged_in(&test, "snrapportor").await;
    let ks = logged_in(&test, "ksrapportor").await;
    // `ks2020_3` is Kommunstyrelseförvaltningen's in both plans; each reporter's `ksf` is the
    // unit of their own body's plan only.
    assert_eq!(post_status(&test, &sn, "ks").await, 403);
    assert_eq!(post_status(&test, &sn, "sn").await, 303);
    assert_eq!(post_status(&test, &ks, "sn").await, 403);
    assert_eq!(post_status(&test, &ks, "ks").await, 303);
    // The assignment page offers the form only in the reporter's own body's plan.
    let form = "action=\"/rapportering/status?organ=";
    let (_, page) = get(&sn, &format!("{}/uppdrag/ks2020_3?organ=ks", test.url)).await;
    assert!(!page.contains(form), "{page}");
    let (_, page) = get(&sn, &format!("{}/uppdrag/ks2020_3?organ=sn", test.url)).await;
    assert!(page.contains(form), "{page}");
    // The API alike.
    let operator = Actor::local_admin("test");
    let token = test
        .app
        .create_token(&operator, "snrapportor")
        .await
        .unwrap();
    let put = |organ: &'static str| {
        let token = token.clone();
        let url = test.url.clone();
        async move {
            reqwest::Client::new()
                .put(format!(
                    "{url}/api/v1/assignments/ks2020_3/reports/2021-08?organ={organ}"
                ))
                .bearer_auth(token)
                .json(&serde_json::json!({"status": "done", "comment": "Klart.", "result": "Klart.", "version": 1}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(put("ks").await, 403);
    let plan: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/v1/plan", test.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plan["title"], "Socialnämndens verksamhetsplan 2021");
    // A body the municipality does not hold.
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/plan?organ=bun", test.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

async fn another_municipality_never_sees_the_bodies(db: &TestDb) {
    let test = spawn_two_bodies(db).await;
    let operator = Actor::local_admin("test");
    let mut nacka = styr_package::read_dir(&crate::example_dir()).expect("the example");
    nacka.municipality.id = Id::parse("nacka").unwrap();
    nacka.municipality.name = "Nacka kommun".to_owned();
    test.app.import_plan(&operator, &nacka).await.unwrap();
    test.app
        .add_user(
            &operator,
            &NewUser {
                login: "nackalasare".to_owned(),
                role: Role::Reader,
                units: vec![],
                body: None,
                municipality: Some("nacka".to_owned()),
                password: PASSWORD.to_owned(),
                name: None,
            },
        )
        .await
        .unwrap();
    let reader = logged_in(&test, "nackalasare").await;
    let (status, page) = get(&reader, &format!("{}/budget", test.url)).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("organ-val"),
        "one body in Nacka: no switcher"
    );
    assert!(!page.contains("Socialnämnden"));
    let (status, _) = get(&reader, &format!("{}/budget?organ=sn", test.url)).await;
    assert_eq!(status, 404);
    let (status, page) = get(&reader, &format!("{}/kommun", test.url)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Nacka kommun"));
    assert!(!page.contains("Socialnämnden"));
    // Haninge's reader sees both of Haninge's bodies, and nothing of Nacka.
    let haninge = logged_in(&test, "lasare").await;
    let (_, page) = get(&haninge, &format!("{}/kommun", test.url)).await;
    assert!(page.contains("Socialnämnden") && !page.contains("Nacka"));
}

async fn one_bodys_plan_looks_as_before(db: &TestDb) {
    let test = spawn_app(db).await;
    let controller = logged_in(&test, "controller").await;
    for path in [
        "/",
        "/budget",
        "/perioder",
        "/uppdrag/ks2020_3?period=2021-08",
    ] {
        let (status, page) = get(&controller, &format!("{}{path}", test.url)).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !page.contains("organ-val") && !page.contains("organ="),
            "{path}: no switcher, no organ in forms"
        );
        assert!(
            !page.contains("href=\"/kommun\""),
            "{path}: no Kommunen in the menu"
        );
    }
    let (_, page) = get(&controller, &format!("{}/perioder", test.url)).await;
    assert!(page.contains("action=\"/perioder/stang\""), "{page}");
}

crate::on_both_backends!(
    one_bodys_plan_looks_as_before,
    every_page_answers_for_every_body,
    the_switcher_chooses_the_body_and_keeps_it,
    a_reporter_reports_only_for_their_own_body,
    another_municipality_never_sees_the_bodies,
);
