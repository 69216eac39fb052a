//! Logging in: a failed login costs the same for an unknown login as for a known one, and
//! throttling slows guessing without letting a stranger lock the owner out.

use crate::db::TestDb;
use crate::{admin, app_with_example};
use styr_app::{ACCOUNT_FAILURES, AppError, MAX_FAILURES, NewUser, Role};

const PASSWORD: &str = "ett långt testlösenord";

async fn app_with_user(db: &TestDb) -> styr_app::App {
    let app = app_with_example(db).await;
    app.add_user(
        &admin(),
        &NewUser {
            body: None,
            login: "admin".to_owned(),
            role: Role::Admin,
            units: vec![],
            municipality: None,
            password: PASSWORD.to_owned(),
            name: None,
        },
    )
    .await
    .expect("a user");
    app
}

fn message(result: Result<styr_app::Session, AppError>) -> String {
    match result {
        Ok(_) => "logged in".to_owned(),
        Err(error) => error.to_string(),
    }
}

async fn an_unknown_login_is_verified_against_a_password_hash_too(db: &TestDb) {
    let app = app_with_user(db).await;
    let before = app.password_verifications();
    let known = app
        .login_from("admin", "fel lösenord", "198.51.100.1")
        .await;
    assert_eq!(app.password_verifications(), before + 1);
    let unknown = app
        .login_from("ingen_sadan", "fel lösenord", "198.51.100.1")
        .await;
    // One argon2 verification for the unknown login as for the known: the same work, the
    // same time, and the same answer.
    assert_eq!(app.password_verifications(), before + 2);
    assert_eq!(message(known), message(unknown));
}

async fn a_stranger_cannot_lock_the_owner_out(db: &TestDb) {
    let app = app_with_user(db).await;
    let stranger = "203.0.113.9";
    for _ in 0..MAX_FAILURES * 2 {
        let _ = app.login_from("admin", "gissning", stranger).await;
    }
    // The stranger must wait now, even with the right password: guessing is slow.
    let refused = message(app.login_from("admin", PASSWORD, stranger).await);
    assert!(
        refused.contains("för många misslyckade inloggningar"),
        "{refused}"
    );
    // The owner, from their own address, is not held back.
    assert_eq!(
        message(app.login_from("admin", PASSWORD, "198.51.100.7").await),
        "logged in"
    );
}

async fn many_addresses_slow_an_account_but_never_the_owners_known_client(db: &TestDb) {
    let app = app_with_user(db).await;
    let owner = "198.51.100.7";
    assert_eq!(
        message(app.login_from("admin", PASSWORD, owner).await),
        "logged in"
    );
    // A guessing network: every address stays under its own limit.
    for n in 0..ACCOUNT_FAILURES {
        let _ = app
            .login_from("admin", "gissning", &format!("203.0.113.{n}"))
            .await;
    }
    // A new address is slowed (the account as a whole is under attack) ...
    let slowed = message(app.login_from("admin", "gissning", "192.0.2.200").await);
    assert!(
        slowed.contains("för många misslyckade inloggningar"),
        "{slowed}"
    );
    // ... and the owner's known client still gets in.
    assert_eq!(
        message(app.login_from("admin", PASSWORD, owner).await),
        "logged in"
    );
}

async fn the_audit_filter_matches_percent_and_underscore_literally(db: &TestDb) {
    let app = app_with_user(db).await;
    let filter = |text: &str| styr_store::AuditFilter {
        action_contains: Some(text.to_owned()),
        ..styr_store::AuditFilter::default()
    };
    let count = async |text: &str| app.audit_log(&admin(), &filter(text)).await.unwrap().len();
    // "import plan haninge/ks_2021_proposal" is in the log.
    assert!(count("ks_2021").await >= 1);
    // `_` and `%` are characters, not wildcards: "plan_haninge" is not "plan haninge".
    assert_eq!(count("plan_haninge").await, 0);
    assert_eq!(count("import%haninge").await, 0);
    assert_eq!(count("ks%2021").await, 0);
}

crate::on_both_backends!(
    the_audit_filter_matches_percent_and_underscore_literally,
    an_unknown_login_is_verified_against_a_password_hash_too,
    a_stranger_cannot_lock_the_owner_out,
    many_addresses_slow_an_account_but_never_the_owners_known_client,
);
