//! The budget process's roles (migration 0018): a database made before them keeps its users,
//! sessions and API tokens, and takes a user of each new role.

use crate::db::TestDb;
use crate::on_both_backends;
use styr_store::UserRecord;

fn user(login: &str, role: &str) -> UserRecord {
    UserRecord {
        login: login.to_owned(),
        municipality: "haninge".to_owned(),
        role: role.to_owned(),
        units: vec!["sn:sn".to_owned()],
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        created_at: "2021-01-01T00:00:00.000000Z".to_owned(),
        name: Some("Sara Nilsson".to_owned()),
    }
}

/// A schema-17 database with a user, a session and a token, written by SQL as that release
/// wrote them: after the migration all three are there, and each new role can be stored.
async fn the_roles_migration_keeps_users_sessions_and_tokens(db: &TestDb) {
    let store = styr_store::Store::open_at_schema_version(&db.url, 17)
        .await
        .unwrap();
    store.close().await;
    for sql in [
        "INSERT INTO users (login, municipality, role, units, password_hash, created_at, name) \
         VALUES ('anna', 'haninge', 'controller', '', 'hash', '2021-01-01T00:00:00.000000Z', \
         'Anna')",
        "INSERT INTO sessions (token_hash, login, csrf, created_at, expires_at) VALUES \
         ('s1', 'anna', 'c1', '2021-01-01T00:00:00.000000Z', '2999-01-01T00:00:00.000000Z')",
        "INSERT INTO api_tokens (token_hash, login, created_at) VALUES \
         ('t1', 'anna', '2021-01-01T00:00:00.000000Z')",
    ] {
        db.execute(sql).await.unwrap();
    }
    // The old check refuses the new roles.
    assert!(
        db.execute(
            "INSERT INTO users (login, municipality, role, units, password_hash, created_at) \
             VALUES ('bo', 'haninge', 'writer', '', 'h', '2021-01-01T00:00:00.000000Z')"
        )
        .await
        .is_err()
    );

    let store = db.open().await;
    let session = store.session("s1").await.unwrap().expect("the session");
    assert_eq!(
        (session.user.login.as_str(), session.csrf.as_str()),
        ("anna", "c1")
    );
    assert_eq!(db.count("api_tokens").await, 1);
    for role in ["writer", "strategist", "politician", "secretary"] {
        let login = format!("ny_{role}");
        assert!(store.put_user(&user(&login, role), "admin").await.unwrap());
        assert_eq!(store.user(&login).await.unwrap().unwrap().role, role);
    }
    assert!(
        store
            .put_user(&user("fel", "kassör"), "admin")
            .await
            .is_err(),
        "a role outside the list is still refused"
    );
    store.close().await;
    // Deleting a user still ends its sessions and tokens (the references were renamed).
    db.execute("DELETE FROM users WHERE login = 'anna'")
        .await
        .unwrap();
    assert_eq!(db.count("sessions").await, 0);
    assert_eq!(db.count("api_tokens").await, 0);
}

on_both_backends!(the_roles_migration_keeps_users_sessions_and_tokens);
