//! Alternative budgets in the web and the API (issue 21, item 5): a politician creates one,
//! raises a frame past the balance rule, the submit is refused with the amount (422) and the
//! state stays utkast; a stale save is a 409 that keeps the typed value; the public sees no
//! draft; the comparison shows the difference not by colour alone; the API gives the same.

use crate::{PASSWORD, TestApp, csrf_of, example_dir, logged_in, spawn_app};
use serde_json::{Value, json};
use styr_app::{Actor, NewUser, Role};

/// The test server with KF's plan too and a politician.
async fn with_kf(db: &crate::db::TestDb) -> TestApp {
    let test = spawn_app(db).await;
    let operator = Actor::local_admin("test");
    let kf = styr_package::read_dir(&example_dir().join("../haninge-kf-2021")).expect("KF");
    test.app.import_plan(&operator, &kf).await.expect("KF");
    test.app
        .add_user(
            &operator,
            &NewUser {
                body: None,
                login: "politiker".into(),
                role: Role::Politician,
                units: vec![],
                municipality: None,
                password: PASSWORD.into(),
                name: None,
            },
        )
        .await
        .unwrap();
    test
}

async fn page(client: &reqwest::Client, url: &str) -> (u16, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn post(client: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let response = client.post(url).form(form).send().await.unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        response.status().as_u16(),
        location,
        response.text().await.unwrap(),
    )
}

async fn a_politician_cannot_submit_an_unbalanced_alternative(db: &crate::db::TestDb) {
    let test = with_kf(db).await;
    let client = logged_in(&test, "politiker").await;
    let (status, list) = page(&client, &format!("{}/alternativ", test.url)).await;
    assert_eq!(status, 200);
    assert!(list.contains("Skapa alternativ budget"), "{list}");
    let csrf = csrf_of(&list);
    let (status, location, _) = post(
        &client,
        &format!("{}/alternativ", test.url),
        &[
            ("csrf", &csrf),
            ("party", "Moderaterna"),
            ("title", "Trygghet först"),
            ("year", ""),
        ],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/alternativ/1"));

    let url = format!("{}/alternativ/1", test.url);
    let (_, detail) = page(&client, &url).await;
    assert!(
        detail.contains("<td class=\"num\" id=\"resultatet\">107 000</td>"),
        "{detail}"
    );
    assert!(detail.contains("Resultatet uppfyller balanskravet"));
    let (status, location, _) = post(
        &client,
        &format!("{url}/ramar"),
        &[("csrf", &csrf), ("version", "1"), ("frame.sn", "927 000")],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/alternativ/1"));
    let (_, detail) = page(&client, &url).await;
    assert!(detail.contains("id=\"resultatet\">80 000</td>"), "{detail}");
    let refusal = "Resultatet 80 000 tkr är 26 000 tkr under det finansiella målet (2,0 % av \
                   skatteintäkter och generella statsbidrag = 106 000 tkr)";
    assert!(
        detail.contains(refusal),
        "the refusal beside the result: {detail}"
    );

    // Submit: refused with the amount, next to the button; the state stays utkast.
    let (status, _, body) = post(
        &client,
        &format!("{url}/lamna-in"),
        &[("csrf", &csrf), ("version", "2")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("id=\"lamna-in-hinder\" role=\"alert\""),
        "{body}"
    );
    assert!(body.contains(refusal));
    assert!(body.contains("<strong id=\"status\">utkast</strong>"));

    // A save based on version 1 is stale: 409, the typed amount kept, the stored one beside it.
    let (status, _, body) = post(
        &client,
        &format!("{url}/ramar"),
        &[("csrf", &csrf), ("version", "1"), ("frame.sn", "901 234")],
    )
    .await;
    assert_eq!(status, 409);
    assert!(body.contains("value=\"901 234\""), "{body}");
    assert!(body.contains("Sparat: 927 000"), "{body}");

    // A bad amount is refused beside its field.
    let (status, _, body) = post(
        &client,
        &format!("{url}/ramar"),
        &[("csrf", &csrf), ("version", "2"), ("frame.sn", "nio")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("aria-describedby=\"problem-sn\""), "{body}");
    assert!(body.contains("value=\"nio\""));

    // Lowered: submitted.
    post(
        &client,
        &format!("{url}/ramar"),
        &[("csrf", &csrf), ("version", "2"), ("frame.sn", "900 500")],
    )
    .await;
    let (status, location, _) = post(
        &client,
        &format!("{url}/lamna-in"),
        &[("csrf", &csrf), ("version", "3")],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/alternativ/1"));
    let (_, detail) = page(&client, &url).await;
    assert!(detail.contains("<strong id=\"status\">inlämnad</strong>"));
    assert!(!detail.contains("Spara ramar"), "read-only once submitted");

    // The comparison: the difference in text and a marker, not colour alone.
    let (status, compare) = page(&client, &format!("{}/alternativ/jamfor?ar=2021", test.url)).await;
    assert_eq!(status, 200);
    assert!(compare.contains("900 500</strong> <span class=\"difference\">(+500)</span><span class=\"sr-only\">, skiljer sig från förslaget</span>"), "{compare}");
    // The document of the alternative.
    let (status, document) = page(&client, &format!("{url}/dokument")).await;
    assert_eq!(status, 200);
    assert!(document.contains("Trygghet först"));

    // The public sees neither the submitted alternative nor its page.
    let public = crate::client();
    let (status, _) = page(&public, &url).await;
    assert_eq!(status, 404);
    let (_, list) = page(&public, &format!("{}/alternativ", test.url)).await;
    assert!(!list.contains("Trygghet först"));
    assert!(!list.contains("Skapa alternativ budget"));

    // The administrator publishes it: then the public sees it, read-only.
    let admin = logged_in(&test, "admin").await;
    let (_, detail) = page(&admin, &url).await;
    assert!(detail.contains("Publicera alternativet"));
    let (status, location, _) = post(
        &admin,
        &format!("{url}/publicera"),
        &[("csrf", &csrf_of(&detail)), ("version", "4")],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/alternativ/1"));
    let (status, detail) = page(&public, &url).await;
    assert_eq!(status, 200);
    assert!(detail.contains("<strong id=\"status\">publicerad</strong>"));
    assert!(!detail.contains("<form method=\"post\" action=\"/alternativ/1"));
}

async fn without_kfs_plan_the_page_says_so(db: &crate::db::TestDb) {
    let test = spawn_app(db).await;
    let client = logged_in(&test, "admin").await;
    let (status, list) = page(&client, &format!("{}/alternativ", test.url)).await;
    assert_eq!(status, 200);
    assert!(list.contains("kommunfullmäktiges plan med budget (council.toml) finns inte"));
    assert!(!list.contains("Skapa alternativ budget"));
}

async fn the_api_creates_sets_frames_submits_and_compares(db: &crate::db::TestDb) {
    let test = with_kf(db).await;
    let token = test
        .app
        .create_token(&Actor::local_admin("test"), "politiker")
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
        let mut request = client
            .request(method, format!("{}/api/v1/alternatives{path}", test.url))
            .bearer_auth(&token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, created) = call(
        reqwest::Method::POST,
        "",
        Some(json!({"party": "Majoriteten", "title": "Budget 2021"})),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["result_ore"], 107_000 * 100_000_i64);
    let (status, changed) = call(
        reqwest::Method::PUT,
        "/1/frames",
        Some(json!({"version": 1, "frames": [{"body": "ks", "amount_tkr": "249500"}]})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["margin_ore"], -1_500 * 100_000_i64);
    let (status, refused) = call(
        reqwest::Method::POST,
        "/1/submit",
        Some(json!({"version": 2})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(refused["problems"][0]["field"], "result");
    assert!(
        refused["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1 500 tkr under det finansiella målet")
    );
    let (status, stale) = call(
        reqwest::Method::PUT,
        "/1/frames",
        Some(json!({"version": 1, "frames": [{"body": "ks", "amount_tkr": "247000"}]})),
    )
    .await;
    assert_eq!(status, 409, "{stale}");
    let (status, comparison) = call(reqwest::Method::GET, "/compare?year=2021", None).await;
    assert_eq!(status, 200);
    assert_eq!(comparison["columns"].as_array().unwrap().len(), 2);
    let ks = comparison["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ks")
        .unwrap();
    assert_eq!(ks["cells"][1]["difference_ore"], 2_500 * 100_000_i64);
    let (status, list) = call(reqwest::Method::GET, "", None).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["state"], "draft");
    // Balanced again and submitted; the politician may not publish it (403), the
    // administration may.
    let (status, fixed) = call(
        reqwest::Method::PUT,
        "/1/frames",
        Some(json!({"version": 2, "frames": [{"body": "ks", "amount_tkr": "247000"}]})),
    )
    .await;
    assert_eq!(status, 200, "{fixed}");
    let (status, submitted) = call(
        reqwest::Method::POST,
        "/1/submit",
        Some(json!({"version": 3})),
    )
    .await;
    assert_eq!(status, 200, "{submitted}");
    let (status, _) = call(
        reqwest::Method::POST,
        "/1/publish",
        Some(json!({"version": 4})),
    )
    .await;
    assert_eq!(status, 403);
    test.app
        .add_user(
            &Actor::local_admin("test"),
            &NewUser {
                body: None,
                login: "strateg".into(),
                role: Role::Strategist,
                units: vec![],
                municipality: None,
                password: PASSWORD.into(),
                name: None,
            },
        )
        .await
        .unwrap();
    let strategist = test
        .app
        .create_token(&Actor::local_admin("test"), "strateg")
        .await
        .unwrap();
    let published = client
        .post(format!("{}/api/v1/alternatives/1/publish", test.url))
        .bearer_auth(&strategist)
        .json(&json!({"version": 4}))
        .send()
        .await
        .unwrap();
    assert_eq!(published.status().as_u16(), 200);
    let published: Value = published.json().await.unwrap();
    assert_eq!(published["state"], "published");
}

crate::on_both_backends!(
    a_politician_cannot_submit_an_unbalanced_alternative,
    the_api_creates_sets_frames_submits_and_compares,
    without_kfs_plan_the_page_says_so
);
