//! The vouchers behind a figure a page at a time: the API's `next_url` and `previous_url` walk
//! every row once, a bad cursor is a 400; the drill-down page links to the next and the
//! previous page and escapes what the ledger holds.

use crate::db::TestDb;
use crate::{logged_in, spawn_app};
use serde_json::Value;
use styr_app::{Actor, NoProgress, PlanSelector};

/// The example's ledger, one row's text made hostile (without its checksum, which would no
/// longer hold).
fn hostile_ledger(dir: &std::path::Path) -> std::path::PathBuf {
    let original = std::fs::read(crate::example_dir().join("ledger/ks-2021.se")).unwrap();
    let mut text: Vec<u8> = Vec::new();
    let mut replaced = false;
    for line in original.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"#KSUMMA") {
            continue;
        }
        if !replaced && line.starts_with(b"#TRANS 3490 {1 \"1130\"} -19743.23") {
            text.extend_from_slice(
                b"#TRANS 3490 {1 \"1130\"} -19743.23 \"\" \"<script>alert(1)</script> & <b>fet</b>\"\r\n",
            );
            replaced = true;
            continue;
        }
        text.extend_from_slice(line);
    }
    assert!(replaced);
    let path = dir.join("ks-2021.se");
    std::fs::write(&path, text).unwrap();
    path
}

async fn pages_of_vouchers_through_the_api_and_the_page(db: &TestDb) {
    let test = spawn_app(db).await;
    let temp = tempfile::tempdir().unwrap();
    test.app
        .import_actuals(
            &Actor::local_admin("test"),
            &PlanSelector::default(),
            &hostile_ledger(temp.path()),
            &mut NoProgress,
        )
        .await
        .unwrap();
    let token = test
        .app
        .create_token(&Actor::local_admin("test"), "lasare")
        .await
        .unwrap();
    let url = &test.url;
    let get = |path: String| {
        reqwest::Client::new()
            .get(format!("{url}{path}"))
            .bearer_auth(&token)
            .send()
    };
    let whole: Value =
        get("/api/v1/budget-vs-actual/vouchers?line=op.ksf.ksf&period=2021-10&limit=10000".into())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let all_rows = whole["vouchers"].as_array().unwrap().clone();
    assert_eq!(whole["rows"].as_u64(), Some(all_rows.len() as u64));
    assert!(all_rows.len() > 20, "{}", all_rows.len());
    assert!(whole["next"].is_null() && whole["previous"].is_null());

    // Seven rows a page, following next_url; each page's previous_url gives the one before.
    let mut path =
        "/api/v1/budget-vs-actual/vouchers?line=op.ksf.ksf&period=2021-10&limit=7".to_owned();
    let mut walked: Vec<Value> = Vec::new();
    let mut pages: Vec<Value> = Vec::new();
    loop {
        let response = get(path.clone()).await.unwrap();
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        walked.extend(page["vouchers"].as_array().unwrap().iter().cloned());
        pages.push(page.clone());
        match page["next_url"].as_str() {
            Some(next) => path = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(walked, all_rows);
    assert!(pages.len() > 2);
    let back: Value = get(pages[2]["previous_url"].as_str().unwrap().to_owned())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(back["vouchers"], pages[1]["vouchers"]);

    // A cursor that is not one is a bad request; a page of no rows is not a page.
    for bad in ["after=nonsense", "before=31", "after=zz"] {
        let response = get(format!(
            "/api/v1/budget-vs-actual/vouchers?line=op.ksf.ksf&period=2021-10&{bad}"
        ))
        .await
        .unwrap();
        assert_eq!(response.status(), 400, "{bad}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("markör"), "{body}");
    }
    let response =
        get("/api/v1/budget-vs-actual/vouchers?line=op.ksf.ksf&period=2021-10&limit=0".into())
            .await
            .unwrap();
    assert_eq!(response.status(), 422);

    // The page: two rows of ekonomiavdelningen's 3490 at a time, linked forwards and back.
    let client = logged_in(&test, "lasare").await;
    let page = |path: String| {
        let client = client.clone();
        async move {
            let response = client.get(format!("{url}{path}")).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, first) = page(
        "/budget/rad?line=op.ksf.ksf&period=2021-10&unit=ekonomiavdelningen&account=3490&limit=2"
            .into(),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    assert!(!first.contains("<script>alert"), "escaped");
    assert!(first.contains("&lt;script&gt;alert(1)&lt;"), "{first}");
    assert!(first.contains("&amp; &lt;b&gt;fet&lt;"), "{first}");
    assert!(first.contains("rel=\"next\""), "{first}");
    assert!(!first.contains("rel=\"prev\""));
    let next = first
        .split("rel=\"next\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|tail| tail.split('"').next())
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#x2f;", "/");
    assert!(
        next.starts_with("/budget/rad?") && next.contains("after="),
        "{next}"
    );
    let (status, second) = page(next).await;
    assert_eq!(status, 200);
    assert!(second.contains("rel=\"prev\""), "{second}");
    assert!(second.contains("Första sidan"));
    let (status, _) = page(
        "/budget/rad?line=op.ksf.ksf&period=2021-10&unit=ekonomiavdelningen&account=3490&after=zz"
            .into(),
    )
    .await;
    assert_eq!(status, 400);
    test.app.close().await;
}

crate::on_both_backends!(pages_of_vouchers_through_the_api_and_the_page);
