//! Users' display names (issue 18): the header, the audit log and "Rapporterad av" show the
//! name; the login stays the id (the API's `reported_by`, the audit row).

use crate::db::TestDb;
use crate::{PASSWORD, logged_in, spawn_app};
use serde_json::json;
use styr_app::{Actor, NewUser, Role};
use styr_domain::Id;

async fn names_are_shown_where_people_read_who_did_what(db: &TestDb) {
    let test = spawn_app(db).await;
    let admin = Actor::local_admin("test");
    test.app
        .add_user(
            &admin,
            &NewUser {
                body: None,
                login: "eva".to_owned(),
                role: Role::Reporter,
                units: vec![Id::parse("an").unwrap()],
                municipality: None,
                password: PASSWORD.to_owned(),
                name: Some("Eva Lindqvist".to_owned()),
            },
        )
        .await
        .unwrap();
    let token = test.app.create_token(&admin, "eva").await.unwrap();
    let response = reqwest::Client::new()
        .put(format!(
            "{}/api/v1/assignments/ny2021_seniorbostadskon/reports/2021-08",
            test.url
        ))
        .bearer_auth(&token)
        .json(&json!({"status": "Väntar", "comment": "Inväntar äldrenämnden.", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let listed: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/v1/assignments?period=2021-08", test.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reported = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "ny2021_seniorbostadskon")
        .unwrap();
    assert_eq!(reported["reported_by"], "eva", "the API keeps the login");

    let eva = logged_in(&test, "eva").await;
    let start = eva
        .get(format!("{}/uppdrag?period=2021-08", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(start.contains("<span>Eva Lindqvist (eva), "), "the header");

    let controller = logged_in(&test, "controller").await;
    let get = |path: String| {
        let client = controller.clone();
        async move { client.get(path).send().await.unwrap().text().await.unwrap() }
    };
    let audit = get(format!("{}/handelselogg", test.url)).await;
    assert!(
        audit.contains("<td title=\"eva\">Eva Lindqvist</td>"),
        "the audit log"
    );
    let history = get(format!("{}/uppdrag/ny2021_seniorbostadskon", test.url)).await;
    assert!(history.contains("Eva Lindqvist"), "rapporterad av");
    // A user without a name is shown by the login.
    let header = get(format!("{}/uppdrag", test.url)).await;
    assert!(header.contains("<span>controller, "), "the header");

    // A forecast saved on the reporting form says who saved it by name ("senast …").
    test.app
        .add_user(
            &admin,
            &NewUser {
                body: None,
                login: "karin".to_owned(),
                role: Role::Controller,
                units: Vec::new(),
                municipality: None,
                password: PASSWORD.to_owned(),
                name: Some("Karin Nyberg".to_owned()),
            },
        )
        .await
        .unwrap();
    let karin = logged_in(&test, "karin").await;
    let form = format!("{}/rapportering/formular?period=2021-08", test.url);
    let page = karin.get(&form).send().await.unwrap().text().await.unwrap();
    let saved = karin
        .post(format!("{}/rapportering/rapport", test.url))
        .form(&[
            ("csrf", crate::csrf_of(&page).as_str()),
            ("kind", "forecast"),
            ("subject", "op.ksf.trygghet"),
            ("period", "2021-08"),
            ("version", "1"),
            ("value", "18 000"),
            ("comment", "Fler trygghetsvärdar."),
            ("action_plan", "Omfördelning inom förvaltningen."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status().as_u16(), 303, "saved, then back to the form");
    let page = karin.get(&form).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("(senast Karin Nyberg "), "the reporting form");
    assert!(!page.contains("(senast karin "), "the reporting form");
}

crate::on_both_backends!(names_are_shown_where_people_read_who_did_what);
