//! Skriva (`/plan/skriv`) and its API: a writer edits a section in a form, sees the checker's
//! finding beside it, a broken cell is refused next to the cell, a stale save answers 409 with
//! both texts (the user's still in the textarea), and the API answers 200 / 409 / 422.

use crate::db::TestDb;
use crate::{PASSWORD, TestApp, csrf_of, logged_in, spawn_app};
use serde_json::{Value, json};
use styr_app::{Actor, NewUser, Role};

const NARRATIVE: &str = "narrative/driftbudget.md";

async fn with_writers(db: &TestDb) -> TestApp {
    let test = spawn_app(db).await;
    for (login, role, body) in [
        ("ksskribent", Role::Writer, Some("ks")),
        ("strateg", Role::Strategist, None),
    ] {
        test.app
            .add_user(
                &Actor::local_admin("test"),
                &NewUser {
                    login: login.to_owned(),
                    role,
                    units: body
                        .map(|b| vec![styr_domain::Id::parse(b).unwrap()])
                        .unwrap_or_default(),
                    body: body.map(str::to_owned),
                    municipality: None,
                    password: PASSWORD.to_owned(),
                    name: None,
                },
            )
            .await
            .expect("a user");
    }
    test
}

/// The value of a hidden input of a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("the input") + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

/// The textarea's text, unescaped as a browser reads it.
fn textarea(html: &str) -> String {
    let start = html.find("<textarea").expect("a textarea");
    let start = html[start..].find('>').unwrap() + start + 1;
    let end = html[start..].find("</textarea>").unwrap() + start;
    html[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

async fn a_writer_edits_a_section_and_sees_the_finding(db: &TestDb) {
    let test = with_writers(db).await;
    let writer = logged_in(&test, "ksskribent").await;
    let list = writer
        .get(format!("{}/plan/skriv", test.url))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    // minijinja escapes the slash in the link; a browser reads it back.
    assert!(
        list.contains("href=\"/plan/skriv/narrative&#x2f;driftbudget.md"),
        "{list}"
    );
    assert!(list.contains(">Skriv</a>"), "the menu links to it");
    let url = format!("{}/plan/skriv/{NARRATIVE}", test.url);
    let page = writer.get(&url).send().await.unwrap().text().await.unwrap();
    let text = textarea(&page);
    assert!(text.contains("[20 500 tkr]{= op.fortroende.reserv@2021}"));
    let edited = text.replace("[20 500 tkr]", "[21 500 tkr]");
    // A preview shows the finding and the rendered section, and stores nothing.
    let preview = writer
        .post(&url)
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("base", hidden(&page, "base").as_str()),
            ("text", edited.as_str()),
            ("action", "forhandsgranska"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 200);
    let preview = preview.text().await.unwrap();
    let aside = &preview[preview.find("findings-heading").unwrap()..];
    assert!(aside.contains("21 500"), "{aside}");
    assert!(preview.contains("preview-heading"));
    assert_eq!(
        textarea(&preview),
        edited,
        "the text typed stays in the editor"
    );
    let unchanged = writer.get(&url).send().await.unwrap().text().await.unwrap();
    assert_eq!(textarea(&unchanged), text, "a preview stores nothing");
    let saved = writer
        .post(&url)
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("base", hidden(&page, "base").as_str()),
            ("text", edited.as_str()),
            ("action", "spara"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let saved = saved.text().await.unwrap();
    assert!(saved.contains("Sparat som revision 1"), "{saved}");
    // The finding beside the editor.
    let aside = &saved[saved.find("findings-heading").unwrap()..];
    assert!(aside.contains("21 500"), "{aside}");
    // A second writer, from the old page: 409, and their text is still there.
    let other = logged_in(&test, "strateg").await;
    let mine = format!("{text}\nEn mening som inte får försvinna.\n");
    let conflict = other
        .post(&url)
        .form(&[
            (
                "csrf",
                csrf_of(&other.get(&url).send().await.unwrap().text().await.unwrap()).as_str(),
            ),
            ("base", hidden(&page, "base").as_str()),
            ("text", mine.as_str()),
            ("action", "spara"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(conflict.status(), 409);
    let conflict = conflict.text().await.unwrap();
    assert_eq!(textarea(&conflict), mine);
    assert!(conflict.contains("Den nuvarande texten"));
    // History with a diff.
    let history = writer
        .get(format!("{url}/historik?fran=0&till=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(history.contains("<ins>+ "), "{history}");
    assert!(history.contains("21 500"));
}

async fn a_broken_cell_is_marked_and_kept(db: &TestDb) {
    let test = with_writers(db).await;
    let writer = logged_in(&test, "ksskribent").await;
    let url = format!("{}/plan/skriv/budget/investment.csv", test.url);
    let page = writer.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("name=\"r0c4\" id=\"r0c4\" value=\"50000\""),
        "{page}"
    );
    let rows = hidden(&page, "rows");
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), csrf_of(&page)),
        ("base".into(), hidden(&page, "base")),
        ("rows".into(), rows.clone()),
        ("action".into(), "spara".into()),
    ];
    // Every cell as the page shows it, one changed.
    let mut rest = page.as_str();
    while let Some(at) = rest.find("<input name=\"r") {
        rest = &rest[at + 13..];
        let name_end = rest.find('"').unwrap();
        let name = rest[..name_end].to_owned();
        let value_at = rest.find("value=\"").unwrap() + 7;
        let value_end = rest[value_at..].find('"').unwrap() + value_at;
        let value = rest[value_at..value_end].replace("&amp;", "&");
        let value = if name == "r0c4" {
            "5O000".to_owned()
        } else {
            value
        };
        form.push((name, value));
    }
    let refused = writer.post(&url).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(
        refused.contains("value=\"5O000\" aria-label=\"2021, rad 1\" aria-invalid=\"true\" aria-describedby=\"r0c4-fel\""),
        "{refused}"
    );
    assert!(refused.contains("id=\"r0c4-fel\""));
    // Nothing stored.
    let again = writer.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(again.contains("value=\"50000\""));
}

async fn a_reader_reads_only(db: &TestDb) {
    let test = with_writers(db).await;
    let other = logged_in(&test, "lasare").await;
    let url = format!("{}/plan/skriv/{NARRATIVE}?organ=ks", test.url);
    let page = other.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(!page.contains("<textarea"), "read only");
    assert!(page.contains("får du inte skriva"), "{page}");
}

async fn the_api_saves_and_answers_409_and_422(db: &TestDb) {
    let test = with_writers(db).await;
    let token = test
        .app
        .create_token(&Actor::local_admin("test"), "ksskribent")
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/plan/sections/{NARRATIVE}", test.url);
    let list: Value = client
        .get(format!("{}/api/v1/plan/sections", test.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|s| s["path"] == NARRATIVE)
    );
    let section: Value = client
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = section["text"].as_str().unwrap();
    let base = section["base"].as_str().unwrap();
    let put = |body: Value| client.put(&url).bearer_auth(&token).json(&body).send();
    let edited = text.replace("[20 500 tkr]", "[21 500 tkr]");
    let saved = put(json!({"base": base, "text": edited})).await.unwrap();
    assert_eq!(saved.status(), 200);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["revision"], 1);
    assert!(
        saved["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("21 500"))
    );
    let stale = put(json!({"base": base, "text": "min text"}))
        .await
        .unwrap();
    assert_eq!(stale.status(), 409);
    let stale: Value = stale.json().await.unwrap();
    assert_eq!(stale["section_conflict"]["yours"], "min text");
    assert_eq!(stale["section_conflict"]["current"], edited.as_str());
    let broken = edited.replace(
        "{= op.fortroende.reserv@2021}",
        "{= op.fortroende.reserv@@2021}",
    );
    let refused = put(json!({"base": saved["base"], "text": broken}))
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["problems"][0]["file"], NARRATIVE);
    assert!(refused["problems"][0]["line"].as_u64().is_some());
    let history: Value = client
        .get(format!("{url}/history"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 2);
}

crate::on_both_backends!(
    a_writer_edits_a_section_and_sees_the_finding,
    a_broken_cell_is_marked_and_kept,
    a_reader_reads_only,
    the_api_saves_and_answers_409_and_422,
);
