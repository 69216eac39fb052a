//! The JSON API: bearer tokens, the status PUT (200, 403 outside the user's units, 409 on a
//! stale version, 422 with the field), and two municipalities kept apart.

use crate::db::TestDb;
use crate::spawn_app;
use serde_json::{Value, json};
use styr_app::{Actor, NewUser, Role};

async fn token(test: &crate::TestApp, login: &str) -> String {
    test.app
        .create_token(&Actor::local_admin("test"), login)
        .await
        .unwrap()
}

async fn put(url: &str, token: &str, assignment: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .put(format!(
            "{url}/api/v1/assignments/{assignment}/reports/2021-08"
        ))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn the_status_put_answers_as_documented(db: &TestDb) {
    let test = spawn_app(db).await;
    let reporter = token(&test, "rapportor").await;
    let url = &test.url;
    let (status, body) = put(
        url,
        &reporter,
        "ny2021_seniorbostadskon",
        json!({"status": "Väntar", "comment": "Inväntar äldrenämnden.", "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 2);
    assert_eq!(body["status"], "waiting");
    // The same edit sent again on the old version (its answer was lost, e.g. in a database
    // failover): stored once, no conflict, the current version.
    let (status, body) = put(
        url,
        &reporter,
        "ny2021_seniorbostadskon",
        json!({"status": "Väntar", "comment": "Inväntar äldrenämnden.", "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["version"].clone(), body["changed"].clone()),
        (json!(2), json!(false))
    );
    // Another edit on the old version: someone (this very client) was first.
    let (status, body) = put(
        url,
        &reporter,
        "ny2021_seniorbostadskon",
        json!({"status": "Färdig", "comment": "Klart.", "version": 1}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["current"]["version"], 2);
    // Outside the reporter's units.
    let (status, _) = put(
        url,
        &reporter,
        "ks2020_3",
        json!({"status": "started", "version": 1}),
    )
    .await;
    assert_eq!(status, 403);
    // A rule not met names the field.
    let (status, body) = put(
        url,
        &reporter,
        "ny2021_seniorbostadskon",
        json!({"status": "Avvikelse", "version": 2}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["problems"][0]["field"], "comment");
    // Without a token, or with a wrong one.
    let response = reqwest::Client::new()
        .get(format!("{url}/api/v1/plan"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let response = reqwest::Client::new()
        .get(format!("{url}/api/v1/plan"))
        .bearer_auth("fel")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let reader = token(&test, "lasare").await;
    let get = |path: &str| {
        reqwest::Client::new()
            .get(format!("{url}{path}"))
            .bearer_auth(&reader)
            .send()
    };
    let assignments: Value = get("/api/v1/assignments?period=2021-08")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let senior = assignments
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "ny2021_seniorbostadskon")
        .unwrap();
    assert_eq!(
        (senior["status"].clone(), senior["version"].clone()),
        (json!("waiting"), json!(2))
    );
    let periods: Value = get("/api/v1/periods").await.unwrap().json().await.unwrap();
    assert_eq!(periods.as_array().unwrap().len(), 12);
    // Each period says which report kind is made for it, from `styr_reports::kinds`.
    let report_of = |month: &str| {
        periods
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["month"] == month)
            .unwrap()["report"]
            .clone()
    };
    assert_eq!(report_of("2021-08"), json!("delarsrapport"));
    assert_eq!(report_of("2021-12"), json!("arsredovisning"));
    assert_eq!(report_of("2021-10"), Value::Null);
    let bva: Value = get("/api/v1/budget-vs-actual?period=2021-08")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(bva["rows"].as_array().unwrap().len() > 20);
    let audit: Value = get("/api/v1/audit").await.unwrap().json().await.unwrap();
    let last = audit
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["action"].as_str().unwrap().starts_with("report status"))
        .unwrap();
    assert_eq!(last["actor"], "rapportor");
    assert_eq!(
        last["after"],
        "2021-08 status ny2021_seniorbostadskon: status: Väntar; kommentar: Inväntar äldrenämnden."
    );
}

async fn two_municipalities_are_kept_apart(db: &TestDb) {
    let test = spawn_app(db).await;
    let operator = Actor::local_admin("test");
    let mut other = styr_package::read_dir(&crate::example_dir()).unwrap();
    other.municipality.id = styr_domain::Id::parse("nacka").unwrap();
    other.municipality.name = "Nacka kommun".to_owned();
    test.app.import_plan(&operator, &other).await.unwrap();
    test.app
        .add_user(
            &operator,
            &NewUser {
                body: None,
                login: "nacka_lasare".to_owned(),
                role: Role::Reader,
                units: vec![],
                municipality: Some("nacka".to_owned()),
                password: crate::PASSWORD.to_owned(),
                name: None,
            },
        )
        .await
        .unwrap();
    let nacka = token(&test, "nacka_lasare").await;
    let haninge = token(&test, "lasare").await;
    let plan_of = |token: String| {
        let url = test.url.clone();
        async move {
            let response = reqwest::Client::new()
                .get(format!("{url}/api/v1/plan"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()
        }
    };
    assert_eq!(plan_of(nacka.clone()).await["municipality"], "nacka");
    assert_eq!(plan_of(haninge).await["municipality"], "haninge");
    // Nacka's reader sees Nacka's log only, and none of Haninge's reports.
    let audit: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/audit", test.url))
        .bearer_auth(&nacka)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .all(|e| !e["action"].as_str().unwrap().contains("haninge"))
    );
    let assignments: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/assignments?period=2021-08", test.url))
        .bearer_auth(&nacka)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        assignments
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["status"].is_null())
    );
}

crate::on_both_backends!(
    the_status_put_answers_as_documented,
    two_municipalities_are_kept_apart
);
