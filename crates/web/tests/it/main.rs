//! HTTP tests of the web application: the real server on a random port, on SQLite and on
//! PostgreSQL (the store's test database helper), driven with an HTTP client the way a browser
//! or an API client would.

// The one rule for a tool a test needs: skip with a reason locally, fail in CI.
#[path = "../../../../tests/tool.rs"]
mod tool;

#[path = "../../../store/tests/it/db.rs"]
#[allow(dead_code)]
mod db;

mod alternatives;
mod api;
mod authoring;
mod bodies;
mod cached_pages;
mod failover;
mod fresh_reports;
mod measures;
mod names;
mod open_data;

mod oidc;
mod openapi;
mod operations;
mod pages;
mod paging;
mod process;
mod public;
mod reminders;
mod security;
mod synthetic;
mod totals;
mod trace;
mod trace_followup;
mod trace_plan;
mod trace_reports;

use reqwest::redirect::Policy;
use std::path::PathBuf;
use styr_app::{Actor, App, NewUser, PlanSelector, Role};
use styr_domain::Id;

pub const PASSWORD: &str = "ett långt testlösenord";

pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021")
}

/// The server on a random port with the example, its 2021 delårsrapport 2 follow-up, and one
/// user per role: admin, controller, rapportor (Äldrenämnden), lasare.
pub struct TestApp {
    pub url: String,
    pub app: App,
}

pub async fn spawn_app(db: &db::TestDb) -> TestApp {
    spawn_app_at(&db.url).await
}

/// [`spawn_app`] on the database a URL names (e.g. several PostgreSQL servers).
pub async fn spawn_app_at(url: &str) -> TestApp {
    let app = App::open(url).await.expect("open");
    let operator = Actor::local_admin("test");
    let plan = styr_package::read_dir(&example_dir()).expect("the example");
    app.import_plan(&operator, &plan).await.expect("import");
    let followup = example_dir().join("followup/delar2-2021.csv");
    app.import_followup(
        &operator,
        &PlanSelector::default(),
        "delar2-2021.csv",
        &std::fs::read(followup).unwrap(),
    )
    .await
    .expect("the follow-up");
    for (login, role, units) in [
        ("admin", Role::Admin, vec![]),
        ("controller", Role::Controller, vec![]),
        ("rapportor", Role::Reporter, vec!["an"]),
        ("lasare", Role::Reader, vec![]),
    ] {
        app.add_user(
            &operator,
            &NewUser {
                body: None,
                login: login.to_owned(),
                role,
                units: units.iter().map(|u| Id::parse(u).unwrap()).collect(),
                municipality: None,
                password: PASSWORD.to_owned(),
                name: None,
            },
        )
        .await
        .expect("a user");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = styr_web::WebState::new(app.clone(), styr_web::WebOptions::default());
    tokio::spawn(async move {
        styr_web::serve(state, listener).await.unwrap();
    });
    TestApp { url, app }
}

/// A browser-like client: cookies kept, redirects not followed (so that 303 is seen).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// A client logged in as `login`.
pub async fn logged_in(test: &TestApp, login: &str) -> reqwest::Client {
    let client = client();
    let response = try_login(test, &client, login, PASSWORD).await;
    assert_eq!(response.status(), 303, "login as {login}");
    client
}

/// Posts the login form as a browser does: the form (and its CSRF cookie) first.
pub async fn try_login(
    test: &TestApp,
    client: &reqwest::Client,
    login: &str,
    password: &str,
) -> reqwest::Response {
    let form = client
        .get(format!("{}/logga-in", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    client
        .post(format!("{}/logga-in", test.url))
        .form(&[
            ("login", login),
            ("password", password),
            ("csrf", &csrf_of(&form)),
        ])
        .send()
        .await
        .unwrap()
}

/// The CSRF token of the first form on a page.
pub fn csrf_of(html: &str) -> String {
    let start = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    html[start..start + 64].to_owned()
}
