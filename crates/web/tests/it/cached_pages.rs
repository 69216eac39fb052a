//! The logged-in report pages kept rendered per session until the data changes (issue 23,
//! `page_cache.rs`): a kept page is never shown to another session or user; a logout and a
//! replaced password end the session at once, also when done by another process. That every
//! write is on the next request of every kept page: `fresh_reports`.

use crate::db::TestDb;
use crate::{PASSWORD, TestApp, spawn_app};
use styr_app::{Actor, App, NewUser, Role};

/// Every page the cache keeps, as the benchmark asks for them.
pub(crate) const PAGES: &[&str] = &[
    "/?period=2021-08",
    "/",
    "/mal?period=2021-08",
    "/uppdrag?period=2021-08",
    "/kommun?period=2021-08",
    "/dokument",
    "/rapportering?period=2021-08",
    "/budget?period=2021-08",
];

/// A second server on the same database that has never kept a page: what a page must be.
pub(crate) async fn fresh_server(db: &TestDb) -> String {
    let app = App::open(&db.url).await.expect("open");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = styr_web::WebState::new(app, styr_web::WebOptions::default());
    tokio::spawn(async move {
        styr_web::serve(state, listener).await.unwrap();
    });
    url
}

/// A page as a browser with this session cookie gets it: (status, body).
pub(crate) async fn page(base: &str, cookie: &str, path: &str) -> (u16, String) {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{base}{path}"))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// A session of `login`: its cookie and its CSRF token.
pub(crate) async fn session(test: &TestApp, login: &str) -> (String, String) {
    let session = test.app.login(login, PASSWORD).await.expect("login");
    (format!("styr_session={}", session.token), session.csrf)
}

async fn a_kept_page_is_only_its_own_sessions(db: &TestDb) {
    let test = spawn_app(db).await;
    let reporter = session(&test, "rapportor").await;
    let controller = session(&test, "controller").await;
    let again = session(&test, "controller").await;
    for path in PAGES {
        // Each asks twice, so that each could be served a kept page.
        let mut pages = Vec::new();
        for (cookie, csrf) in [&reporter, &controller, &again] {
            page(&test.url, cookie, path).await;
            let (status, text) = page(&test.url, cookie, path).await;
            assert_eq!(status, 200, "{path}");
            // The session's own CSRF token, not another's.
            for (_, other) in [&reporter, &controller, &again] {
                assert_eq!(text.contains(other.as_str()), other == csrf, "{path}");
            }
            pages.push(text);
        }
        assert_ne!(pages[0], pages[1], "{path}");
        assert_ne!(pages[1], pages[2], "{path}");
    }
    // A right of the controller's that the reporter has not: reporting for every body.
    let grid = "/rapportering?period=2021-08";
    assert_ne!(
        page(&test.url, &reporter.0, grid)
            .await
            .1
            .matches("<tr")
            .count(),
        page(&test.url, &controller.0, grid)
            .await
            .1
            .matches("<tr")
            .count(),
    );
}

/// Whether a page is the logged-in one of the session with this CSRF token.
fn logged_in_page(status: u16, text: &str, csrf: &str) -> bool {
    status == 200 && text.contains(csrf)
}

async fn a_logout_or_a_new_password_ends_the_session_at_once(db: &TestDb) {
    let test = spawn_app(db).await;
    let path = "/budget?period=2021-08";
    // A logout through the page: the kept page's form works (its token is the session's),
    // and the cookie is refused on the next request.
    let (cookie, csrf) = session(&test, "lasare").await;
    page(&test.url, &cookie, path).await;
    let (status, text) = page(&test.url, &cookie, path).await;
    assert!(logged_in_page(status, &text, &csrf));
    let logout = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/logga-ut", test.url))
        .header("Cookie", &cookie)
        .form(&[("csrf", crate::csrf_of(&text))])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 303);
    for path in PAGES {
        let (status, text) = page(&test.url, &cookie, path).await;
        assert!(!logged_in_page(status, &text, &csrf), "{path} after logout");
    }

    // A logout by another process on the same database.
    let other = App::open(&db.url).await.expect("open");
    let (cookie, csrf) = session(&test, "lasare").await;
    for path in PAGES {
        page(&test.url, &cookie, path).await;
        let (status, text) = page(&test.url, &cookie, path).await;
        assert!(logged_in_page(status, &text, &csrf), "{path}");
    }
    other
        .logout(cookie.trim_start_matches("styr_session="))
        .await
        .unwrap();
    for path in PAGES {
        let (status, text) = page(&test.url, &cookie, path).await;
        assert!(!logged_in_page(status, &text, &csrf), "{path} after logout");
    }

    // A new password set by another process (`styr user add`): every session of the user ends,
    // another user's stays.
    let (cookie, csrf) = session(&test, "lasare").await;
    let (kept_cookie, kept_csrf) = session(&test, "controller").await;
    for (cookie, csrf) in [(&cookie, &csrf), (&kept_cookie, &kept_csrf)] {
        page(&test.url, cookie, path).await;
        let (status, text) = page(&test.url, cookie, path).await;
        assert!(logged_in_page(status, &text, csrf));
    }
    let put = async |password: &str, name: Option<&str>| {
        other
            .add_user(
                &Actor::local_admin("test"),
                &NewUser {
                    body: None,
                    login: "lasare".to_owned(),
                    role: Role::Reader,
                    units: Vec::new(),
                    municipality: None,
                    password: password.to_owned(),
                    name: name.map(str::to_owned),
                },
            )
            .await
            .unwrap()
    };
    // The same password with a new name: the session stays, and shows the name at once.
    put(PASSWORD, Some("Anders Holm")).await;
    let (status, text) = page(&test.url, &cookie, path).await;
    assert!(logged_in_page(status, &text, &csrf));
    assert!(text.contains("Anders Holm"), "the new name");
    put("ett helt annat lösenord", None).await;
    for path in PAGES {
        let (status, text) = page(&test.url, &cookie, path).await;
        assert!(
            !logged_in_page(status, &text, &csrf),
            "{path}, new password"
        );
        let (status, text) = page(&test.url, &kept_cookie, path).await;
        assert!(
            logged_in_page(status, &text, &kept_csrf),
            "{path}, other user"
        );
    }
}

crate::on_both_backends!(
    a_kept_page_is_only_its_own_sessions,
    a_logout_or_a_new_password_ends_the_session_at_once,
);
