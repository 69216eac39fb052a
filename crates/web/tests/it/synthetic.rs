//! Synthetic example data (issue 18, item 5): the periods the package marks `synthetic = true`
//! (the example's 2021) are said to be synthetic on every page and in every API answer that
//! shows their follow-up; the seed's own periods (2020) are not.

use crate::db::TestDb;
use crate::{logged_in, spawn_app};
use serde_json::Value;
use styr_app::Actor;

/// The note every page of a synthetic period shows (`periods.html`).
/// The period's marker. (The plan's own synthetic parts, such as the ramberäkning on /budget,
/// carry their own marker on every period.)
const NOTE: &str =
    "<p class=\"synthetic\" role=\"note\"><strong>Syntetiska exempeldata: uppföljningen";

async fn page(client: &reqwest::Client, url: &str) -> String {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.text().await.unwrap()
}

async fn api(url: &str, token: &str) -> Value {
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.json().await.unwrap()
}

async fn synthetic_periods_are_marked_on_every_page_and_in_the_api(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = logged_in(&test, "controller").await;
    for path in ["/budget", "/uppdrag", "/mal", "/"] {
        let synthetic = page(&client, &format!("{}{path}?period=2021-08", test.url)).await;
        assert!(synthetic.contains(NOTE), "{path} 2021-08 has no marker");
        let seed = page(&client, &format!("{}{path}?period=2020-10", test.url)).await;
        assert!(!seed.contains(NOTE), "{path} 2020-10 is marked synthetic");
    }
    let budget = page(&client, &format!("{}/budget?period=2021-08", test.url)).await;
    assert!(
        budget.contains("(tkr) – syntetiska exempeldata</caption>"),
        "the budget table's caption"
    );
    let budget = page(&client, &format!("{}/budget?period=2020-10", test.url)).await;
    assert!(!budget.contains("(tkr) – syntetiska exempeldata</caption>"));
    // The ramberäkning is plan data, synthetic in any period, and says so.
    assert!(
        budget.contains("<strong>Syntetiska exempeldata: ramberäkningen"),
        "the ramberäkning's marker"
    );
    let history = page(
        &client,
        &format!("{}/uppdrag/ny2021_seniorbostadskon", test.url),
    )
    .await;
    assert!(
        history
            .contains("2021-08 <span class=\"synthetic-tag\">(syntetiska exempeldata)</span></th>")
    );
    let calendar = page(&client, &format!("{}/perioder", test.url)).await;
    assert!(calendar.contains(
        "Delårsrapport 2 per augusti 2021 <span class=\"synthetic-tag\">(syntetiska exempeldata)</span>"
    ));
    assert!(calendar.contains("<th scope=\"row\">Oktoberuppföljning 2020</th>"));

    let token = test
        .app
        .create_token(&Actor::local_admin("test"), "controller")
        .await
        .unwrap();
    let url = &test.url;
    let bva = api(
        &format!("{url}/api/v1/budget-vs-actual?period=2021-08"),
        &token,
    )
    .await;
    assert_eq!(bva["synthetic"], true);
    let bva = api(
        &format!("{url}/api/v1/budget-vs-actual?period=2020-10"),
        &token,
    )
    .await;
    assert_eq!(bva["synthetic"], false);
    let periods = api(&format!("{url}/api/v1/periods"), &token).await;
    for period in periods.as_array().unwrap() {
        let month = period["month"].as_str().unwrap();
        assert_eq!(period["synthetic"], month.starts_with("2021"), "{month}");
    }
    let assignments = api(&format!("{url}/api/v1/assignments?period=2021-08"), &token).await;
    let reported: Vec<&Value> = assignments
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["status"].is_null())
        .collect();
    assert!(!reported.is_empty());
    assert!(reported.iter().all(|a| a["synthetic"] == true));
    let assignments = api(&format!("{url}/api/v1/assignments?period=2020-08"), &token).await;
    assert!(
        assignments
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["synthetic"] == false)
    );
}

crate::on_both_backends!(synthetic_periods_are_marked_on_every_page_and_in_the_api);
