//! The reminders page (`/paminnelser`): controllers and administrators see and change the
//! schedule through the use case (CSRF, audited, a stale change refused) and the outbox's
//! status; a reader is refused and has no link to it.

use crate::db::TestDb;
use crate::{TestApp, csrf_of, logged_in, spawn_app};
use std::time::Duration;
use styr_app::AuditFilter;
use styr_app::reminders::{ReminderSettings, SmtpConfig, SmtpMailer, TlsMode};
use styr_app::{Actor, NewUser, Role};

async fn get(client: &reqwest::Client, url: &str) -> (u16, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn post(test: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> (u16, String) {
    let response = client
        .post(format!("{}/paminnelser/schema", test.url))
        .form(fields)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The value of the hidden `sedd` field of a step's form.
fn seen_of(page: &str, step: &str) -> String {
    let form = &page[page
        .find(&format!("name=\"steg\" value=\"{step}\""))
        .expect("the step's form")..];
    let start = form.find("name=\"sedd\" value=\"").unwrap() + 19;
    form[start..start + form[start..].find('"').unwrap()].to_owned()
}

/// A reporter with an address and a mail server that is down: one reminder fails, with its
/// error and its next attempt.
async fn a_failed_reminder(test: &TestApp) {
    let admin = Actor::local_admin("test");
    test.app
        .add_user(
            &admin,
            &NewUser {
                login: "ekonom".to_owned(),
                role: Role::Reporter,
                units: vec![styr_domain::Id::parse("ksf").unwrap()],
                body: None,
                municipality: None,
                password: crate::PASSWORD.to_owned(),
                name: Some("Eva Ekonom".to_owned()),
            },
        )
        .await
        .unwrap();
    test.app
        .set_user_email(&admin, "ekonom", Some("Eva@Haninge.test"))
        .await
        .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = SmtpMailer::new(&SmtpConfig {
        host: "127.0.0.1".to_owned(),
        port,
        tls: TlsMode::None,
        credentials: None,
        from: "styr <styr@haninge.test>".to_owned(),
        timeout: Duration::from_secs(5),
    })
    .unwrap();
    let settings = ReminderSettings {
        base_url: "https://styr.haninge.test/".to_owned(),
    };
    // 8 November 2021: October's report is due on the 10th.
    let pass = test
        .app
        .send_reminders(&admin, &settings, &mailer, "2021-11-08T08:00")
        .await
        .unwrap();
    assert!(pass.decided >= 1, "a reminder is decided");
}

async fn controllers_see_and_change_the_reminders_readers_do_not(db: &TestDb) {
    let test = spawn_app(db).await;
    a_failed_reminder(&test).await;

    // A reader: no link in the menu, the page and the form refused.
    let reader = logged_in(&test, "lasare").await;
    let (_, start) = get(&reader, &format!("{}/", test.url)).await;
    assert!(!start.contains("href=\"/paminnelser\""), "{start}");
    let (status, _) = get(&reader, &format!("{}/paminnelser", test.url)).await;
    assert_eq!(status, 403);
    let (_, periods) = get(&reader, &format!("{}/perioder", test.url)).await;
    let reader_csrf = csrf_of(&periods);
    let (status, _) = post(
        &test,
        &reader,
        &[
            ("csrf", &reader_csrf),
            ("steg", "fore"),
            ("dagar", "9"),
            ("aktiv", "1"),
            ("sedd", ""),
        ],
    )
    .await;
    assert_eq!(status, 403);

    // A controller: the link, the schedule's defaults and the failed mail with its error.
    let controller = logged_in(&test, "controller").await;
    let (_, start) = get(&controller, &format!("{}/", test.url)).await;
    assert!(start.contains("href=\"/paminnelser\""));
    let (status, page) = get(&controller, &format!("{}/paminnelser", test.url)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("id=\"dagar-fore\" name=\"dagar\" min=\"0\" max=\"60\" value=\"3\""));
    assert!(page.contains("Standardvärde (inte ändrat)."));
    assert!(
        page.contains("0 skickade, 0 väntar, 1 misslyckade."),
        "{page}"
    );
    assert!(page.contains("Eva Ekonom (rapportör)"));
    // One address per user, stored in lower case.
    assert!(page.contains("eva@haninge.test"));
    assert!(page.contains("<strong class=\"late\">misslyckad</strong>"));
    // The failed row: its error and its next attempt (Swedish local time) are shown; only
    // «Skickad» is empty.
    let row = &page[page.find("<tr class=\"failed\">").expect("the failed row")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert_eq!(row.matches("<td>–</td>").count(), 1, "{row}");
    assert!(
        row.contains("<td>2021-11-08 09:0"),
        "the next attempt: {row}"
    );

    // The change: audited with the controller's name, shown on the page.
    let csrf = csrf_of(&page);
    let seen = seen_of(&page, "fore");
    assert_eq!(seen, "");
    let forged = post(
        &test,
        &controller,
        &[
            ("csrf", "fel"),
            ("steg", "fore"),
            ("dagar", "5"),
            ("sedd", ""),
        ],
    )
    .await;
    assert_eq!(forged.0, 403);
    let (status, _) = post(
        &test,
        &controller,
        &[
            ("csrf", &csrf),
            ("steg", "fore"),
            ("dagar", "5"),
            ("aktiv", "1"),
            ("sedd", &seen),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = get(&controller, &format!("{}/paminnelser", test.url)).await;
    assert!(page.contains("id=\"dagar-fore\" name=\"dagar\" min=\"0\" max=\"60\" value=\"5\""));
    assert!(page.contains("av controller."), "{page}");
    // Off, unticked.
    let (status, _) = post(
        &test,
        &controller,
        &[
            ("csrf", &csrf),
            ("steg", "efter"),
            ("dagar", "1"),
            ("sedd", &seen_of(&page, "efter")),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let audit = test
        .app
        .audit_log(
            &Actor::local_admin("test"),
            &AuditFilter {
                action_contains: Some("reminder schedule".to_owned()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    let rows: Vec<(&str, Option<&str>, Option<&str>)> = audit
        .iter()
        .map(|r| (r.actor.as_str(), r.before.as_deref(), r.after.as_deref()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "controller",
                Some("fore: 3 dagar före sista rapportdag"),
                Some("fore: 5 dagar före sista rapportdag")
            ),
            (
                "controller",
                Some("efter: 1 dag efter sista rapportdag"),
                Some("efter: av")
            ),
        ]
    );

    // A change made from the page as it was before someone else's is refused, and nothing
    // is overwritten.
    let (status, stale) = post(
        &test,
        &controller,
        &[
            ("csrf", &csrf),
            ("steg", "fore"),
            ("dagar", "7"),
            ("aktiv", "1"),
            ("sedd", &seen),
        ],
    )
    .await;
    assert_eq!(status, 409, "{stale}");
    assert!(stale.contains("har ändrats av controller"), "{stale}");
    assert!(
        stale.contains("value=\"5\""),
        "the page shows what is in force"
    );
    let (status, invalid) = post(
        &test,
        &controller,
        &[
            ("csrf", &csrf),
            ("steg", "fore"),
            ("dagar", "99"),
            ("sedd", &seen_of(&stale, "fore")),
        ],
    )
    .await;
    assert_eq!(status, 422, "{invalid}");
    let schedule = test
        .app
        .reminder_schedule(&Actor::local_admin("test"), None)
        .await
        .unwrap();
    assert_eq!(
        schedule
            .steps
            .iter()
            .map(|s| (s.days, s.active))
            .collect::<Vec<_>>(),
        vec![(5, true), (1, false)]
    );
}

crate::on_both_backends!(controllers_see_and_change_the_reminders_readers_do_not,);
