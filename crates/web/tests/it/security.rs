//! Security and robustness of the pages: the login form's CSRF token, a form without a token
//! (403, as docs/web.md says), public pages with several municipalities in the database, and
//! the audit filter's literal `%` and `_`.

use crate::db::TestDb;
use crate::{PASSWORD, client, csrf_of, logged_in, spawn_app, try_login};
use styr_app::{Actor, PlanSelector};
use styr_domain::Id;

/// A second server on the same application, with other options.
async fn serve(app: &styr_app::App, options: styr_web::WebOptions) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = styr_web::WebState::new(app.clone(), options);
    tokio::spawn(async move {
        styr_web::serve(state, listener).await.unwrap();
    });
    url
}

async fn the_login_form_has_a_csrf_token_and_refuses_a_post_without_it(db: &TestDb) {
    let test = spawn_app(db).await;
    let browser = client();
    let form = browser
        .get(format!("{}/logga-in", test.url))
        .send()
        .await
        .unwrap();
    let cookie = form.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("styr_login_csrf=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let token = csrf_of(&form.text().await.unwrap());
    // A post from another site: right password, no token or another token.
    for fields in [
        vec![("login", "admin"), ("password", PASSWORD)],
        vec![("login", "admin"), ("password", PASSWORD), ("csrf", "0000")],
    ] {
        let response = browser
            .post(format!("{}/logga-in", test.url))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert!(response.headers().get("set-cookie").is_none());
    }
    // The token without the cookie (a forged form on another site) is refused too.
    let response = client()
        .post(format!("{}/logga-in", test.url))
        .form(&[("login", "admin"), ("password", PASSWORD), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(
        try_login(&test, &browser, "admin", PASSWORD).await.status(),
        303
    );
}

async fn a_form_without_a_csrf_field_is_403_as_documented(db: &TestDb) {
    let test = spawn_app(db).await;
    let client = logged_in(&test, "admin").await;
    for (path, fields) in [
        (
            "/rapportering/status",
            vec![
                ("assignment", "ks2020_3"),
                ("period", "2021-08"),
                ("version", "0"),
                ("status", "waiting"),
                ("comment", "x"),
            ],
        ),
        ("/perioder/stang", vec![("period", "2021-08")]),
        ("/logga-ut", vec![]),
        (
            "/budgetprocess/ks",
            vec![("transition", "submit"), ("seq", "0")],
        ),
        (
            "/budgetprocess/kalender",
            vec![
                ("milestone", "kf"),
                ("year", "2021"),
                ("date", "2020-11-09"),
            ],
        ),
        (
            "/beredning/fraga",
            vec![("body", "ks"), ("line", "ram"), ("question", "?")],
        ),
        ("/beredning/svar", vec![("id", "1"), ("answer", "x")]),
    ] {
        let response = client
            .post(format!("{}{path}", test.url))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{path}");
    }
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/web.md"),
    )
    .unwrap();
    assert!(docs.contains("refused (403)"));
}

/// The example as a second municipality's decided plan.
fn nynashamn() -> styr_domain::Plan {
    let mut plan = styr_package::read_dir(&crate::example_dir()).unwrap();
    plan.municipality.id = Id::parse("nynashamn").unwrap();
    plan.municipality.name = "Nynäshamns kommun".into();
    plan.municipality.code = "0192".into();
    plan
}

async fn public_pages_answer_with_two_municipalities(db: &TestDb) {
    let test = spawn_app(db).await;
    let operator = Actor::local_admin("test");
    test.app
        .decide_version(&operator, &PlanSelector::default(), "kf_2020_11_09_185")
        .await
        .unwrap();
    test.app
        .close_period(
            &operator,
            &PlanSelector::default(),
            styr_domain::ledger::Month::parse("2021-08").unwrap(),
        )
        .await
        .unwrap();
    test.app.import_plan(&operator, &nynashamn()).await.unwrap();
    let haninge = serve(
        &test.app,
        styr_web::WebOptions {
            public_municipality: Some("haninge".to_owned()),
            ..styr_web::WebOptions::default()
        },
    )
    .await;
    let public = client();
    for path in [
        "/?period=2021-08",
        "/uppdrag?period=2021-08",
        "/budget?period=2021-08",
        "/mal?period=2021-08",
        "/dokument/plan.html",
    ] {
        let response = public.get(format!("{haninge}{path}")).send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, 200, "{path}: {text}");
        assert!(text.contains("Haninge"), "{path}");
        assert!(!text.contains("Nynäshamn"), "{path}");
    }
    // Without a chosen municipality the public is told so, never a server error.
    for path in ["/?period=2021-08", "/uppdrag", "/budget", "/mal"] {
        let response = public
            .get(format!("{}{path}", test.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("planer för flera kommuner"),
            "{path}"
        );
    }
    // Logged-in users see their own municipality's pages.
    let reader = logged_in(&test, "lasare").await;
    for path in [
        "/",
        "/mal?period=2021-08",
        "/uppdrag?period=2021-08",
        "/budget?period=2021-08",
        "/perioder",
        "/handelselogg",
        "/kontroll",
        "/dokument",
    ] {
        let response = reader
            .get(format!("{}{path}", test.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
}

async fn a_body_over_the_limit_is_refused_with_413(db: &TestDb) {
    let test = spawn_app(db).await;
    // The server answers a body that says it is too large before reading it, and closes the
    // connection; a client still writing the body may then see a broken pipe instead of the
    // answer. So this client sends the headers with the declared length and reads the answer.
    let addr = test.url.trim_start_matches("http://").to_owned();
    let answer = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            stream,
            "POST /rapportering/status HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\ncomment=xxxx",
            styr_web::MAX_BODY_BYTES + 1
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains("en begäran får vara högst 1024 kB"),
        "{answer}"
    );
}

crate::on_both_backends!(
    a_body_over_the_limit_is_refused_with_413,
    the_login_form_has_a_csrf_token_and_refuses_a_post_without_it,
    a_form_without_a_csrf_field_is_403_as_documented,
    public_pages_answer_with_two_municipalities,
);
