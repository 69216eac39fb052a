//! Verksamhetsmått on the web (issue 22, item 6): the page shows each measure's table and
//! chart against its budget; the reporter of KSF saves an outcome (CSRF, audit row), a
//! reporter of another unit gets no form and is refused, a stale save is 409 and nothing is
//! overwritten.

use crate::db::TestDb;
use crate::{PASSWORD, csrf_of, logged_in, spawn_app};
use styr_app::{Actor, NewUser, Role};
use styr_domain::Id;

async fn page(client: &reqwest::Client, url: &str) -> (u16, String) {
    let response = client
        .get(format!("{url}/rapportering/matt?period=2021-03"))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn save(
    client: &reqwest::Client,
    url: &str,
    csrf: &str,
    value: &str,
    based_on: &str,
) -> (u16, String) {
    let response = client
        .post(format!("{url}/rapportering/matt"))
        .form(&[
            ("csrf", csrf),
            ("measure", "kontaktcenter"),
            ("month", "2021-03"),
            ("value", value),
            ("based_on", based_on),
        ])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The `based_on` of the kontaktcenter form on a page.
fn based_on(html: &str) -> String {
    let form = &html[html
        .find("name=\"measure\" value=\"kontaktcenter\"")
        .unwrap()..];
    let start = form.find("name=\"based_on\" value=\"").unwrap() + 23;
    form[start..].split('"').next().unwrap().to_owned()
}

async fn the_ksf_reporter_saves_an_outcome_and_a_stale_save_is_refused(db: &TestDb) {
    let test = spawn_app(db).await;
    test.app
        .add_user(
            &Actor::local_admin("test"),
            &NewUser {
                body: None,
                login: "kim".into(),
                role: Role::Reporter,
                units: vec![Id::parse("ksf").unwrap()],
                municipality: None,
                password: PASSWORD.to_owned(),
                name: None,
            },
        )
        .await
        .unwrap();
    let kim = logged_in(&test, "kim").await;
    let (code, html) = page(&kim, &test.url).await;
    assert_eq!(code, 200);
    assert!(html.contains("Antal besök i kontaktcenter (besök), Kommunstyrelseförvaltningen"));
    assert!(
        html.contains(">Budget</text>"),
        "the chart against the budget"
    );
    assert!(html.contains("<th scope=\"row\">Ackumulerat</th>"));
    assert!(html.contains("syntetiska exempeldata"));
    let csrf = csrf_of(&html);
    assert_eq!(based_on(&html), "0");
    // Without the CSRF token: refused, nothing stored.
    let (code, _) = save(&kim, &test.url, "x", "2500", "0").await;
    assert_eq!(code, 403);
    // Not a number: 422 with the reason.
    let (code, body) = save(&kim, &test.url, &csrf, "många", "0").await;
    assert_eq!(code, 422);
    assert!(body.contains("är inte ett tal"), "{body}");
    let (code, _) = save(&kim, &test.url, &csrf, "2 500", "0").await;
    assert_eq!(code, 303);
    let (_, html) = page(&kim, &test.url).await;
    assert!(html.contains("value=\"2500\""), "the saved value is shown");
    let seq = based_on(&html);
    assert_ne!(seq, "0");
    // The admin's page was built before kim's save: their save is stale.
    let admin = logged_in(&test, "admin").await;
    let (_, admin_html) = page(&admin, &test.url).await;
    let (code, body) = save(&admin, &test.url, &csrf_of(&admin_html), "9999", "0").await;
    assert_eq!(code, 409);
    assert!(body.contains("har ändrats av någon annan"), "{body}");
    let (_, values) = test
        .app
        .measure_values(&Actor::local_admin("test"), &Default::default())
        .await
        .unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].value.value, rust_decimal::Decimal::from(2500));
    // Based on kim's change the admin's save goes through.
    let (code, _) = save(&admin, &test.url, &csrf_of(&admin_html), "2600", &seq).await;
    assert_eq!(code, 303);
    // A reporter of Äldrenämnden sees no form and is refused.
    let other = logged_in(&test, "rapportor").await;
    let (_, html) = page(&other, &test.url).await;
    assert!(!html.contains("name=\"measure\""));
    let (_, admin_html) = page(&admin, &test.url).await;
    let seq = based_on(&admin_html);
    let (code, _) = save(&other, &test.url, &csrf_of(&html), "1", &seq).await;
    assert_eq!(code, 403);
    let log = test
        .app
        .audit_log(
            &Actor::local_admin("test"),
            &styr_app::AuditFilter {
                action_contains: Some("report measure".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].actor, "kim");
}

crate::on_both_backends!(the_ksf_reporter_saves_an_outcome_and_a_stale_save_is_refused);
