//! One e-mail address per user (migration 0033): a database made at schema 0032, with both the
//! reminders' `users.email` and the sign-in's `user_identities.email` set, keeps its addresses
//! in the one column; the sign-in matches by it, the reminders go to it, and `styr user epost`
//! and `styr user oidc --epost` write it both.

use crate::db::TestDb;
use crate::{admin, example_plan};
use styr_app::ProviderClaims;
use styr_app::reminders::ReminderSettings;
use styr_app::{App, AppError};

const ISSUER: &str = "https://idp.haninge.test";

/// Users written by SQL as schema 0032 held them: `ekonom` signs in by an address and has no
/// reminder address; `aldre` has two different ones (the sign-in's not yet used); `kontroll`
/// only a reminder address, in capitals; `bertil` has signed in already (issuer and subject).
async fn database_at_0032(db: &TestDb) {
    styr_store::Store::open_at_schema_version(&db.url, 32)
        .await
        .unwrap()
        .close()
        .await;
    for sql in [
        "INSERT INTO users (login, municipality, role, units, password_hash, created_at, name, \
         email) VALUES \
         ('ekonom', 'haninge', 'reporter', 'ksf', 'x', '2021-01-01T00:00:00.000000Z', 'Eva Ekonom', NULL), \
         ('aldre', 'haninge', 'reporter', 'ksf', 'x', '2021-01-01T00:00:00.000000Z', 'Åke Äldre', 'Ake.Privat@Example.test'), \
         ('kontroll', 'haninge', 'controller', '', 'x', '2021-01-01T00:00:00.000000Z', 'Karin', 'Karin@Haninge.TEST'), \
         ('bertil', 'haninge', 'reader', '', 'x', '2021-01-01T00:00:00.000000Z', 'Bertil', 'bertil@haninge.test')",
        "INSERT INTO user_identities (login, email, issuer, subject, created_by, created_at, \
         linked_at) VALUES \
         ('ekonom', 'eva@haninge.test', NULL, NULL, 'admin', '2021-01-01T00:00:00.000000Z', NULL), \
         ('aldre', 'ake@haninge.test', NULL, NULL, 'admin', '2021-01-01T00:00:00.000000Z', NULL), \
         ('bertil', 'bertil.gammal@haninge.test', 'https://idp.haninge.test', 'sub-bertil', 'admin', \
         '2021-01-01T00:00:00.000000Z', '2021-01-02T00:00:00.000000Z')",
    ] {
        db.execute(sql).await.unwrap();
    }
}

fn claims(subject: &str, email: &str) -> ProviderClaims {
    ProviderClaims {
        issuer: ISSUER.to_owned(),
        subject: subject.to_owned(),
        email: Some(email.to_owned()),
        email_verified: Some(true),
    }
}

/// Who a sign-in with these claims is, or `None` when refused.
async fn signed_in(app: &App, subject: &str, email: &str) -> Option<String> {
    app.provider_login(&claims(subject, email), Some("haninge"))
        .await
        .unwrap()
        .ok()
        .map(|session| session.actor.login)
}

async fn users_with(db: &TestDb, condition: &str) -> i64 {
    db.count(&format!("users WHERE {condition}")).await
}

async fn an_upgraded_database_keeps_one_address_per_user(db: &TestDb) {
    database_at_0032(db).await;
    let app = App::open(&db.url).await.expect("migrated to 0033");
    app.import_plan(&admin(), &example_plan()).await.unwrap();

    // Copied where empty; the sign-in address where the two differed (a linked identity's
    // too); lower case.
    assert_eq!(
        users_with(
            db,
            "login = 'ekonom' AND email = 'eva@haninge.test' AND oidc = 1"
        )
        .await,
        1
    );
    assert_eq!(
        users_with(
            db,
            "login = 'aldre' AND email = 'ake@haninge.test' AND oidc = 1"
        )
        .await,
        1
    );
    assert_eq!(
        users_with(
            db,
            "login = 'kontroll' AND email = 'karin@haninge.test' AND oidc = 0"
        )
        .await,
        1
    );
    assert_eq!(
        users_with(
            db,
            "login = 'bertil' AND email = 'bertil.gammal@haninge.test' AND oidc = 1"
        )
        .await,
        1
    );

    // The reminders go to the one address (8 November 2021: October's report is due on the
    // 10th; both reporters have KS's förvaltning's items, the controller gets the summary).
    let settings = ReminderSettings {
        base_url: "https://styr.haninge.test/".to_owned(),
    };
    let (decided, without) = app
        .decide_reminders(&admin(), &settings, "2021-11-08T08:00")
        .await
        .unwrap();
    assert!(!decided.is_empty());
    assert!(without.is_empty(), "{without:?}");
    let mut to: Vec<(String, String)> = app
        .reminder_outbox(&admin(), None)
        .await
        .unwrap()
        .into_iter()
        .map(|mail| (mail.key.recipient, mail.address))
        .collect();
    to.sort();
    to.dedup();
    assert_eq!(
        to,
        vec![
            ("aldre".to_owned(), "ake@haninge.test".to_owned()),
            ("ekonom".to_owned(), "eva@haninge.test".to_owned()),
            ("kontroll".to_owned(), "karin@haninge.test".to_owned()),
        ]
    );

    // The sign-in matches by the one address, whatever its case; the reminder address that
    // gave way names nobody; a linked user signs in by subject.
    assert_eq!(
        signed_in(&app, "sub-eva", "Eva@Haninge.test")
            .await
            .as_deref(),
        Some("ekonom")
    );
    assert_eq!(
        signed_in(&app, "sub-x", "ake.privat@example.test").await,
        None
    );
    assert_eq!(
        signed_in(&app, "sub-bertil", "annan@haninge.test")
            .await
            .as_deref(),
        Some("bertil")
    );

    // `styr user epost` changes the address the first sign-in is matched by, and
    // `styr user oidc --epost` the address reminders go to: one column.
    app.set_user_email(&admin(), "aldre", Some("Ake.Ny@haninge.test"))
        .await
        .unwrap();
    assert_eq!(signed_in(&app, "sub-y", "ake@haninge.test").await, None);
    assert_eq!(
        signed_in(&app, "sub-ake", "ake.ny@haninge.test")
            .await
            .as_deref(),
        Some("aldre")
    );
    app.set_sign_in_email(&admin(), "kontroll", "karin.k@haninge.test")
        .await
        .unwrap();
    assert_eq!(
        users_with(
            db,
            "login = 'kontroll' AND email = 'karin.k@haninge.test' AND oidc = 1"
        )
        .await,
        1
    );
    assert_eq!(db.count("user_identities").await, 4);

    // An address names one user who signs in with the provider; a user who does not may share
    // one (a mailbox for reminders).
    assert!(matches!(
        app.set_sign_in_email(&admin(), "kontroll", "eva@haninge.test")
            .await,
        Err(AppError::Invalid(_))
    ));
    assert!(matches!(
        app.set_user_email(&admin(), "kontroll", Some("eva@haninge.test"))
            .await,
        Err(AppError::Invalid(_))
    ));
    app.add_user(
        &admin(),
        &styr_app::NewUser {
            login: "delad".to_owned(),
            role: styr_app::Role::Reader,
            units: vec![],
            body: None,
            municipality: None,
            password: "ett-langt-losenord-2021".to_owned(),
            name: None,
        },
    )
    .await
    .unwrap();
    app.set_user_email(&admin(), "delad", Some("eva@haninge.test"))
        .await
        .unwrap();
    assert_eq!(
        signed_in(&app, "sub-eva", "eva@haninge.test")
            .await
            .as_deref(),
        Some("ekonom")
    );
    // The unique index holds even past the use case's check.
    assert!(
        db.execute("UPDATE users SET oidc = 1 WHERE login = 'delad'")
            .await
            .is_err()
    );
}

crate::on_both_backends!(an_upgraded_database_keeps_one_address_per_user);
