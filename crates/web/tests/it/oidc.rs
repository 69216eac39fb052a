//! Sign-in with an identity provider (OpenID Connect) against a real provider: npm
//! `oidc-provider` run by Node (`crates/web/e2e/oidc/provider.mjs`, installed by `npm ci` in
//! `crates/web/e2e`), started by each test on a free port. The client drives the provider's own
//! login page as a browser would; styr does discovery, the code flow with PKCE and the ID
//! token's checks. Cases: login (the session works, roles apply, audited), logout (styr's
//! session ends and the provider's end-session endpoint follows), a user the provider knows but
//! styr does not, an unverified e-mail, a replayed callback (also on a second server), a
//! callback in another browser, an ID token for another client, an expired ID token, and local
//! passwords switched off.

use crate::db::TestDb;
use crate::{PASSWORD, TestApp, client, csrf_of, spawn_app, tool};
use reqwest::header::LOCATION;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use styr_app::{Actor, AuditFilter};

const EMAIL: &str = "Anna.Lindqvist@haninge.se";

fn e2e_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e")
}

/// The provider process (stopped when dropped) and its issuer.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the provider for styr at `styr` in a mode (`normal`, `wrong-audience`, `expired`);
/// `None` when Node or the package is missing outside CI.
fn start_provider(styr: &str, mode: &str) -> Option<Provider> {
    tool::program("node", "nodejs")?;
    if !e2e_dir().join("node_modules/oidc-provider").is_dir() {
        return tool::missing(
            "npm oidc-provider",
            "run `npm ci --prefix crates/web/e2e` (.ci/run does)",
        );
    }
    let mut child = Command::new("node")
        .arg(e2e_dir().join("oidc/provider.mjs"))
        .arg(format!("{styr}/oidc/callback"))
        .arg(format!("{styr}/logga-in"))
        .arg(mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    // Its error output, but for the development-mode warnings, goes to the test's.
    let errors = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in errors.lines().map_while(Result::ok) {
            if !line.starts_with("oidc-provider WARNING") {
                eprintln!("provider: {line}");
            }
        }
    });
    let mut output = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    output.read_line(&mut line).unwrap();
    // Read on: a closed pipe would end the provider at its next line of output.
    std::thread::spawn(move || std::io::copy(&mut output, &mut std::io::sink()));
    let issuer = line
        .trim()
        .strip_prefix("ISSUER=")
        .unwrap_or_else(|| panic!("the provider did not start: {line:?}"))
        .to_owned();
    Some(Provider { child, issuer })
}

/// The example's server with a provider in `mode`: the user `rapportor` signs in with
/// [`EMAIL`]. The server's options are given the provider; `passwords_off` switches local
/// passwords off.
async fn with_provider(
    db: &TestDb,
    mode: &str,
    passwords_off: bool,
) -> Option<(TestApp, Provider, styr_web::WebOptions)> {
    let test = spawn_app(db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let provider = start_provider(&url, mode)?;
    test.app
        .set_sign_in_email(&Actor::local_admin("test"), "rapportor", EMAIL)
        .await
        .unwrap();
    let options = styr_web::WebOptions {
        oidc: Some(styr_web::OidcOptions {
            issuer: provider.issuer.clone(),
            client_id: "styr".to_owned(),
            client_secret: Some("testhemlighet-for-styr".to_owned()),
            redirect_url: format!("{url}/oidc/callback"),
            provider_name: "Testkommunens inloggning".to_owned(),
        }),
        passwords_off,
        ..styr_web::WebOptions::default()
    };
    let state = styr_web::WebState::new(test.app.clone(), options.clone());
    tokio::spawn(async move {
        styr_web::serve(state, listener).await.unwrap();
    });
    Some((TestApp { url, app: test.app }, provider, options))
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .unwrap_or_else(|| panic!("no redirect: {}", response.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Begins a sign-in at styr and goes through the provider's pages as `account`, up to the
/// redirect back to styr: the callback URL (not yet visited).
async fn through_provider(
    test: &TestApp,
    provider: &Provider,
    browser: &reqwest::Client,
    account: &str,
) -> String {
    let begin = browser
        .get(format!("{}/logga-in/oidc", test.url))
        .send()
        .await
        .unwrap();
    assert_eq!(begin.status(), 303);
    let mut next = location(&begin);
    assert!(
        next.starts_with(&format!("{}/auth?", provider.issuer)),
        "{next}"
    );
    assert!(next.contains("code_challenge_method=S256"), "{next}");
    for _ in 0..10 {
        if next.starts_with(&test.url) {
            return next;
        }
        let url = if next.starts_with('/') {
            format!("{}{next}", provider.issuer)
        } else {
            next.clone()
        };
        let response = browser.get(&url).send().await.unwrap();
        if response.status() == 200 {
            // The provider's login page: any password for its test accounts.
            let page = response.text().await.unwrap();
            assert!(page.contains("name=\"login\""), "{page}");
            let submit = browser
                .post(&url)
                .form(&[("prompt", "login"), ("login", account), ("password", "x")])
                .send()
                .await
                .unwrap();
            assert!(submit.status().is_redirection(), "{}", submit.status());
            next = location(&submit);
        } else {
            assert!(
                response.status().is_redirection(),
                "{url}: {}",
                response.status()
            );
            next = location(&response);
        }
    }
    panic!("the provider never sent the browser back: {next}");
}

/// Visits the callback and expects a session (else fails with the audited reason).
async fn signed_in(test: &TestApp, browser: &reqwest::Client, callback: &str) -> reqwest::Response {
    let answer = browser.get(callback).send().await.unwrap();
    if answer.status() != 303 {
        let refused = audit(test, "oidc login refused").await;
        panic!("not signed in ({}): {refused:?}", answer.status());
    }
    answer
}

async fn audit(test: &TestApp, action: &str) -> Vec<styr_app::AuditEntry> {
    test.app
        .audit_log(
            &Actor::local_admin("test"),
            &AuditFilter {
                action_contains: Some(action.to_owned()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap()
}

async fn login_works_roles_apply_and_logout_ends_both_sessions(db: &TestDb) {
    let Some((test, provider, _)) = with_provider(db, "normal", false).await else {
        return;
    };
    let browser = client();
    let page = browser
        .get(format!("{}/logga-in", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("href=\"/logga-in/oidc\""), "{page}");
    assert!(page.contains("Logga in med Testkommunens inloggning"));
    assert!(
        page.contains("name=\"password\""),
        "passwords still allowed"
    );
    let callback = through_provider(&test, &provider, &browser, "anna").await;
    assert!(callback.starts_with(&format!("{}/oidc/callback?", test.url)));
    let answer = signed_in(&test, &browser, &callback).await;
    assert_eq!(location(&answer), "/");
    let cookies: Vec<String> = answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("styr_session=")
            && c.contains("HttpOnly")
            && c.contains("SameSite=Lax")),
        "{cookies:?}"
    );
    // The session is a styr session of the reporter: their pages, their CSRF token, their role.
    let home = browser.get(format!("{}/", test.url)).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let home = home.text().await.unwrap();
    assert!(home.contains("rapportor"), "signed in as the reporter");
    let csrf = csrf_of(&home);
    let grid = browser
        .get(format!("{}/rapportering?period=2021-08", test.url))
        .send()
        .await
        .unwrap();
    assert_eq!(grid.status(), 200);
    let audit_page = browser
        .get(format!("{}/handelselogg", test.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        audit_page.status(),
        403,
        "a reporter does not read the audit log"
    );
    let first = audit(&test, "oidc login (first").await;
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].actor, "rapportor");
    assert!(
        first[0]
            .detail
            .contains(&format!("issuer: {}", provider.issuer))
    );
    assert!(first[0].detail.contains("subject: anna"));

    // Logging out ends styr's session and goes on to the provider's end-session endpoint.
    let out = browser
        .post(format!("{}/logga-ut", test.url))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let end = location(&out);
    assert!(
        end.starts_with(&format!("{}/session/end?", provider.issuer)),
        "{end}"
    );
    assert!(end.contains("client_id=styr"), "{end}");
    assert!(end.contains("post_logout_redirect_uri="), "{end}");
    let after = browser
        .get(format!("{}/rapportering", test.url))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 303, "styr's session is over");
    assert_eq!(location(&after), "/logga-in");
    // The provider asks to confirm its logout and sends the browser back to styr's login page.
    let confirm = browser.get(&end).send().await.unwrap();
    assert_eq!(confirm.status(), 200);
    let confirm = confirm.text().await.unwrap();
    let xsrf_at = confirm.find("name=\"xsrf\" value=\"").expect("xsrf") + 19;
    let xsrf = &confirm[xsrf_at..xsrf_at + confirm[xsrf_at..].find('"').unwrap()];
    let done = browser
        .post(format!("{}/session/end/confirm", provider.issuer))
        .form(&[("xsrf", xsrf), ("logout", "yes")])
        .send()
        .await
        .unwrap();
    assert!(done.status().is_redirection(), "{}", done.status());
    assert_eq!(location(&done), format!("{}/logga-in", test.url));

    // Signing in again asks the provider's login page again (its session ended too) and
    // finds the user by the stored subject.
    let again = through_provider(&test, &provider, &browser, "anna").await;
    assert_eq!(browser.get(&again).send().await.unwrap().status(), 303);
    let later = audit(&test, "oidc login").await;
    assert_eq!(later.len(), 2, "{later:?}");
    assert_eq!(later[1].action, "oidc login");
    // A password login after the provider's: the same user may still use a password.
    assert_eq!(
        crate::try_login(&test, &client(), "rapportor", PASSWORD)
            .await
            .status(),
        303
    );
}

async fn refused_page(browser: &reqwest::Client, url: &str) -> String {
    let response = browser.get(url).send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let page = response.text().await.unwrap();
    assert_eq!(status, 403, "{page}");
    assert!(
        !headers
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("styr_session=")),
        "no session for a refusal"
    );
    assert!(page.contains("Inloggningen nekades."), "{page}");
    page
}

async fn a_user_styr_does_not_know_is_refused_and_audited(db: &TestDb) {
    let Some((test, provider, _)) = with_provider(db, "normal", false).await else {
        return;
    };
    let browser = client();
    let callback = through_provider(&test, &provider, &browser, "okand").await;
    let page = refused_page(&browser, &callback).await;
    assert!(
        page.contains("känner dig som okand.person@haninge.se, men du har inget konto i styr"),
        "{page}"
    );
    let refused = audit(&test, "oidc login refused").await;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].actor, "okand.person@haninge.se");
    assert_eq!(refused[0].municipality, "haninge");
    assert!(
        refused[0].detail.contains("reason: no styr user"),
        "{:?}",
        refused[0]
    );

    // An e-mail the provider has not verified does not sign anyone in, even a known one.
    let browser = client();
    let callback = through_provider(&test, &provider, &browser, "overifierad").await;
    let page = refused_page(&browser, &callback).await;
    assert!(page.contains("inte bekräftat din e-postadress"), "{page}");
    assert!(audit(&test, "oidc login (first").await.is_empty());
}

async fn a_replayed_callback_is_refused_by_every_server(db: &TestDb) {
    let Some((test, provider, options)) = with_provider(db, "normal", false).await else {
        return;
    };
    let browser = client();
    let callback = through_provider(&test, &provider, &browser, "anna").await;
    // In another browser (no state cookie) the callback signs nobody in, and is not used up.
    let elsewhere = refused_page(&client(), &callback).await;
    assert!(
        elsewhere.contains("började inte i den här webbläsaren"),
        "{elsewhere}"
    );
    signed_in(&test, &browser, &callback).await;
    // The same URL again, with the state's cookie (which the sign-in cleared in the browser):
    // someone who copied both, or a browser's history.
    let state = reqwest::Url::parse(&callback)
        .unwrap()
        .query_pairs()
        .find(|(key, _)| key == "state")
        .map(|(_, value)| value.into_owned())
        .unwrap();
    let replayed = |url: String| {
        let state = state.clone();
        async move {
            let response = client()
                .get(url)
                .header("cookie", format!("styr_oidc_state={state}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403);
            assert!(
                response
                    .headers()
                    .get("set-cookie")
                    .is_none_or(|c| !c.to_str().unwrap().starts_with("styr_session="))
            );
            response.text().await.unwrap()
        }
    };
    let page = replayed(callback.clone()).await;
    assert!(page.contains("Inloggningen är redan använd"), "{page}");
    // A second server process on the same database refuses it too (the state is stored).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let second = format!("http://{}", listener.local_addr().unwrap());
    let state_of_second =
        styr_web::WebState::new(styr_app::App::open(&db.url).await.unwrap(), options);
    tokio::spawn(async move {
        styr_web::serve(state_of_second, listener).await.unwrap();
    });
    let page = replayed(callback.replacen(&test.url, &second, 1)).await;
    assert!(page.contains("Inloggningen är redan använd"), "{page}");
    let refused = audit(&test, "oidc login refused").await;
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(refused[1].detail.contains("state already used"));
    assert!(refused[2].detail.contains("state already used"));
}

async fn an_id_token_for_another_client_is_refused(db: &TestDb) {
    let Some((test, provider, _)) = with_provider(db, "wrong-audience", false).await else {
        return;
    };
    let browser = client();
    let callback = through_provider(&test, &provider, &browser, "anna").await;
    let page = refused_page(&browser, &callback).await;
    assert!(
        page.contains("utfärdat för en annan tjänst än styr"),
        "{page}"
    );
    let refused = audit(&test, "oidc login refused").await;
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0].detail.contains("Invalid audiences"),
        "{:?}",
        refused[0]
    );
    assert!(audit(&test, "oidc login (first").await.is_empty());
}

async fn an_expired_id_token_is_refused(db: &TestDb) {
    let Some((test, provider, _)) = with_provider(db, "expired", false).await else {
        return;
    };
    let browser = client();
    let callback = through_provider(&test, &provider, &browser, "anna").await;
    let page = refused_page(&browser, &callback).await;
    assert!(page.contains("har redan gått ut"), "{page}");
    let refused = audit(&test, "oidc login refused").await;
    assert_eq!(refused.len(), 1);
    assert!(refused[0].detail.contains("Expired"), "{:?}", refused[0]);
}

async fn local_passwords_switched_off(db: &TestDb) {
    let Some((test, provider, _)) = with_provider(db, "normal", true).await else {
        return;
    };
    let browser = client();
    let form = browser
        .get(format!("{}/logga-in", test.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("Logga in med Testkommunens inloggning"));
    assert!(!form.contains("name=\"password\""), "{form}");
    // A password post is refused without a session (before its CSRF token is looked at).
    let password = browser
        .post(format!("{}/logga-in", test.url))
        .form(&[("login", "admin"), ("password", PASSWORD), ("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(password.status(), 403);
    assert!(
        !password
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("styr_session="))
    );
    assert!(
        password
            .text()
            .await
            .unwrap()
            .contains("Inloggning med lösenord är avstängd")
    );
    // The provider still signs in.
    let callback = through_provider(&test, &provider, &browser, "anna").await;
    signed_in(&test, &browser, &callback).await;
}

crate::on_both_backends!(
    login_works_roles_apply_and_logout_ends_both_sessions,
    a_user_styr_does_not_know_is_refused_and_audited,
    a_replayed_callback_is_refused_by_every_server,
    an_id_token_for_another_client_is_refused,
    an_expired_id_token_is_refused,
    local_passwords_switched_off,
);
