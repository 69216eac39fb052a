//! Open data without a token (`/data/`) and the Kolada comparison (`/jamforelse`) as an
//! anonymous visitor: every file answers 200 with its content type, an ETag and 304 on
//! If-None-Match; only the decided budget and the months of closed periods are public; the
//! files add up to what the app computes; a draft changes nothing until it is decided; the
//! Fiscal Data Package validates with frictionless; unknown files and years are the site's 404.

use crate::db::TestDb;
use crate::{client, example_dir, logged_in, spawn_app};
use std::collections::BTreeMap;
use std::process::Command;
use styr_app::{Actor, KoladaResponse, NoProgress, PlanSelector};
use styr_domain::Money;
use styr_domain::budget::{RowKind as BudgetRowKind, VersionKind};
use styr_domain::ledger::Month;
use styr_reports::RowKind;

const DECISION: &str = "kf_2020_11_09_185";

/// Every file and page of open data and the comparison, with the content type it answers.
const PUBLIC_FILES: [(&str, &str); 13] = [
    ("/data/", "text/html"),
    ("/data/budget.csv", "text/csv"),
    ("/data/budget.json", "application/json"),
    ("/data/budget/2021.csv", "text/csv"),
    ("/data/budget/2022.json", "application/json"),
    ("/data/utfall.csv", "text/csv"),
    ("/data/utfall.json", "application/json"),
    ("/data/indikatorer.csv", "text/csv"),
    ("/data/indikatorer.json", "application/json"),
    ("/data/fdp/ks/datapackage.json", "application/json"),
    ("/data/fdp/ks/budget.csv", "text/csv"),
    ("/jamforelse", "text/html"),
    ("/jamforelse/forvarvsarbetande", "text/html"),
];

async fn get(url: &str, path: &str) -> reqwest::Response {
    client().get(format!("{url}{path}")).send().await.unwrap()
}

async fn text(url: &str, path: &str) -> String {
    let response = get(url, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// The rows of a CSV file as maps from the header's names.
fn rows(csv: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|record| {
            header
                .iter()
                .cloned()
                .zip(record.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// "1234.50" → öre, exactly; empty → 0.
fn kr(text: &str) -> i64 {
    if text.is_empty() {
        return 0;
    }
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text),
    };
    let (whole, ore) = digits.split_once('.').expect("two decimals");
    assert_eq!(ore.len(), 2, "{text}");
    sign * (whole.parse::<i64>().unwrap() * 100 + ore.parse::<i64>().unwrap())
}

fn kolada(name: &str) -> KoladaResponse {
    let path = format!("{}/../kolada/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    KoladaResponse {
        source: name.to_owned(),
        bytes: std::fs::read(&path).unwrap(),
    }
}

async fn open_data_is_only_what_is_decided_and_closed(db: &TestDb) {
    let test = spawn_app(db).await;
    let url = &test.url;
    let admin = Actor::local_admin("test");
    let all = PlanSelector::default();
    test.app
        .import_actuals(
            &admin,
            &all,
            &example_dir().join("ledger/ks-2021.se"),
            &mut NoProgress,
        )
        .await
        .unwrap();

    // Nothing is decided: no file, the site's own 404 page.
    for path in ["/data/", "/data/budget.csv", "/jamforelse"] {
        let response = get(url, path).await;
        assert_eq!(response.status(), 404, "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains("ingen beslutad plan är publicerad"), "{path}");
        assert!(page.contains("<nav aria-label=\"Huvudmeny\""), "{path}");
    }

    test.app
        .decide_version(&admin, &all, DECISION)
        .await
        .unwrap();
    test.app
        .import_kolada(
            &admin,
            &all,
            &[
                kolada("v2_N00914_page1.json"),
                kolada("v2_N00914_page2.json"),
            ],
            "2026-11-20",
        )
        .await
        .unwrap();

    // Every file: 200, its type, a strong ETag, public caching, and 304 when the tag is held.
    for (path, kind) in PUBLIC_FILES {
        let response = get(url, path).await;
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        let content_type = headers["content-type"].to_str().unwrap();
        assert!(content_type.starts_with(kind), "{path}: {content_type}");
        let etag = headers["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"') && !etag.starts_with("W/"), "{path}");
        assert_eq!(
            headers["cache-control"], "public, max-age=60, must-revalidate",
            "{path}"
        );
        let body = response.bytes().await.unwrap();
        assert!(!body.is_empty(), "{path}");
        let again = client()
            .get(format!("{url}{path}"))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag, "{path}");
        assert!(again.bytes().await.unwrap().is_empty(), "{path}");
        let stale = client()
            .get(format!("{url}{path}"))
            .header("if-none-match", "\"0000\"")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), 200, "{path}");
        assert_eq!(stale.bytes().await.unwrap(), body, "{path}");
    }
    // A logged-in browser gets the pages with its own header, never stored.
    let reader = logged_in(&test, "lasare").await;
    let response = reader.get(format!("{url}/data/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.text().await.unwrap().contains("Logga ut"));

    // The index names the licence, each dataset's format, size and date.
    // (The template escapes a value's slashes as `&#x2f;`, which a browser reads as `/`.)
    let index = text(url, "/data/").await.replace("&#x2f;", "/");
    for expected in [
        "CC0-1.0",
        "Creative Commons Zero v1.0 Universal",
        "href=\"/data/budget.csv\"",
        "href=\"/data/fdp/ks/datapackage.json\"",
        "2020-11-09",
        " byte",
    ] {
        assert!(index.contains(expected), "{expected:?} on /data/");
    }

    // The budget: the decided version's lines, adding up to budget vs actual's totals.
    let budget = rows(&text(url, "/data/budget.csv").await);
    assert!(!budget.is_empty());
    assert!(
        budget
            .iter()
            .all(|r| r["budgetversion"] == "ks_2021_proposal")
    );
    let report = test
        .app
        .budget_vs_actual(&admin, &all, Month::new(2021, 12).unwrap())
        .await
        .unwrap()
        .report;
    let total_of = |kind: RowKind| {
        report
            .rows
            .iter()
            .find(|r| r.kind == kind)
            .and_then(|r| r.cell.budget())
            .map(|b| b.annual.ore())
            .unwrap()
    };
    let net = |section: &str| -> i64 {
        budget
            .iter()
            .filter(|r| r["ar"] == "2021" && r["budget"] == section)
            .map(|r| kr(&r["kostnad_kr"]) - kr(&r["intakt_kr"]))
            .sum()
    };
    assert_eq!(net("operating"), total_of(RowKind::OperatingTotal));
    assert_eq!(net("investment"), total_of(RowKind::InvestmentTotal));
    // The year's file is the whole file's rows of that year.
    let year_2021 = rows(&text(url, "/data/budget/2021.csv").await);
    assert_eq!(
        year_2021.len(),
        budget.iter().filter(|r| r["ar"] == "2021").count()
    );
    // The JSON parses and holds the same rows, in öre, with the licence.
    let json: serde_json::Value =
        serde_json::from_str(&text(url, "/data/budget.json").await).unwrap();
    assert_eq!(json["licens"]["id"], "CC0-1.0");
    let json_rows = json["rader"].as_array().unwrap();
    assert_eq!(json_rows.len(), budget.len());
    let json_operating: i64 = json_rows
        .iter()
        .filter(|r| r["ar"] == 2021 && r["budget"] == "operating")
        .map(|r| r["kostnad_ore"].as_i64().unwrap_or(0) - r["intakt_ore"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(json_operating, total_of(RowKind::OperatingTotal));
    for path in ["/data/utfall.json", "/data/indikatorer.json"] {
        let json: serde_json::Value = serde_json::from_str(&text(url, path).await).unwrap();
        assert_eq!(json["licens"]["id"], "CC0-1.0", "{path}");
        assert!(json["rader"].is_array(), "{path}");
    }
    let indicators = rows(&text(url, "/data/indikatorer.csv").await);
    assert!(
        indicators
            .iter()
            .any(|r| r["indikator"] == "utslapp_vaxthusgaser"
                && r["ar"] == "2019"
                && r["typ"] == "outcome"
                && r["varde"] == "936")
    );

    // No period is closed: no outcome is public, though the ledger runs to November.
    assert!(rows(&text(url, "/data/utfall.csv").await).is_empty());
    assert_eq!(get(url, "/data/utfall/2021.csv").await.status(), 404);
    test.app
        .close_period(&admin, &all, Month::new(2021, 8).unwrap())
        .await
        .unwrap();
    let outcomes = rows(&text(url, "/data/utfall.csv").await);
    assert!(!outcomes.is_empty());
    let months: std::collections::BTreeSet<&str> =
        outcomes.iter().map(|r| r["manad"].as_str()).collect();
    assert_eq!(months.last(), Some(&"2021-08"), "{months:?}");
    assert!(months.iter().all(|m| m.as_bytes() <= b"2021-08".as_slice()));
    // The months of a line add up to budget vs actual's actual to date in August.
    let august = test
        .app
        .budget_vs_actual(&admin, &all, Month::new(2021, 8).unwrap())
        .await
        .unwrap()
        .report;
    let mut by_line: BTreeMap<String, i64> = BTreeMap::new();
    for row in &outcomes {
        *by_line.entry(row["rad"].clone()).or_default() += kr(&row["utfall_kr"]);
    }
    let mut checked = 0;
    for row in august
        .rows
        .iter()
        .filter(|r| matches!(r.kind, RowKind::Line | RowKind::Project))
    {
        let (Some(line), Some(actual)) = (&row.line, row.cell.actual()) else {
            continue;
        };
        assert_eq!(
            by_line.get(&line.to_string()).copied(),
            Some(actual.to_date.ore()),
            "{line}"
        );
        checked += 1;
    }
    assert!(checked > 0);

    // A draft of a new version with a changed figure changes no file until it is decided.
    let before_budget = get(url, "/data/budget.csv").await;
    let before_tag = before_budget.headers()["etag"].to_str().unwrap().to_owned();
    let before_bytes = before_budget.bytes().await.unwrap();
    let before_fdp = text(url, "/data/fdp/ks/budget.csv").await;
    let mut draft = styr_package::read_dir(&example_dir()).unwrap();
    draft.budget.version.id = styr_domain::Id::parse("ks_2021_justerad").unwrap();
    draft.budget.version.kind = VersionKind::Proposal;
    draft.budget.version.name = "Utkast med ändrad ram".to_owned();
    let changed = draft
        .budget
        .operating
        .iter_mut()
        .filter(|t| !t.summary)
        .flat_map(|t| t.rows.iter_mut())
        .find(|r| r.kind == BudgetRowKind::Line && r.amounts.contains_key(&2021))
        .unwrap();
    let amount = changed.amounts.get_mut(&2021).unwrap();
    *amount = *amount + Money::from_tkr(4_711).unwrap();
    test.app.import_plan(&admin, &draft).await.unwrap();
    let during = get(url, "/data/budget.csv").await;
    assert_eq!(during.headers()["etag"].to_str().unwrap(), before_tag);
    assert_eq!(during.bytes().await.unwrap(), before_bytes);
    let conditional = client()
        .get(format!("{url}/data/budget.csv"))
        .header("if-none-match", &before_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(conditional.status(), 304);
    assert_eq!(text(url, "/data/fdp/ks/budget.csv").await, before_fdp);
    assert!(!text(url, "/data/").await.contains("Utkast med ändrad ram"));
    assert!(!String::from_utf8_lossy(&before_bytes).contains("ks_2021_justerad"));
    // Decided, it is the published version.
    let draft_selector = PlanSelector {
        version: Some("ks_2021_justerad".to_owned()),
        ..PlanSelector::default()
    };
    test.app
        .decide_version(&admin, &draft_selector, DECISION)
        .await
        .unwrap();
    let after = get(url, "/data/budget.csv").await;
    assert_ne!(after.headers()["etag"].to_str().unwrap(), before_tag);
    let after = rows(&after.text().await.unwrap());
    assert!(
        after
            .iter()
            .all(|r| r["budgetversion"] == "ks_2021_justerad")
    );
    let after_net: i64 = after
        .iter()
        .filter(|r| r["ar"] == "2021" && r["budget"] == "operating")
        .map(|r| kr(&r["kostnad_kr"]) - kr(&r["intakt_kr"]))
        .sum();
    assert_eq!(
        after_net - net("operating"),
        Money::from_tkr(4_711).unwrap().ore()
    );
}

async fn unknown_files_and_years_are_the_sites_404(db: &TestDb) {
    let test = spawn_app(db).await;
    let admin = Actor::local_admin("test");
    test.app
        .decide_version(&admin, &PlanSelector::default(), DECISION)
        .await
        .unwrap();
    for path in [
        "/data/okand.csv",
        "/data/budget.xml",
        "/data/budget",
        "/data/budget/1999.csv",
        "/data/budget/20x1.csv",
        "/data/indikatorer/1999.json",
        "/data/okand/2021.csv",
        "/data/fdp/okant/datapackage.json",
        "/data/fdp/ks/annat.csv",
        "/jamforelse/okand",
    ] {
        let response = get(&test.url, path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        let page = response.text().await.unwrap();
        assert!(page.contains("Sidan finns inte"), "{path}");
    }
}

async fn the_comparison_shows_stored_kolada_values_and_missing_ones_as_missing(db: &TestDb) {
    let test = spawn_app(db).await;
    let admin = Actor::local_admin("test");
    let all = PlanSelector::default();
    test.app
        .decide_version(&admin, &all, DECISION)
        .await
        .unwrap();
    // Before any Kolada value is stored the indicator is listed without a chart.
    let empty = text(&test.url, "/jamforelse").await;
    assert!(empty.contains("Förvärvsarbetande invånare 20-64 år"));
    assert!(empty.contains("Inga värden från Kolada är lagrade"));
    assert!(!empty.contains("<svg"));
    test.app
        .import_kolada(
            &admin,
            &all,
            &[
                kolada("v2_N00914_page1.json"),
                kolada("v2_N00914_page2.json"),
            ],
            "2026-11-20",
        )
        .await
        .unwrap();
    let stored = test.app.kolada_values(&admin, &all).await.unwrap();
    let page = text(&test.url, "/jamforelse/forvarvsarbetande").await;
    assert!(page.contains("<svg"), "an inline chart");
    assert!(page.contains("<figcaption>"), "a text alternative");
    assert!(page.contains("<caption>"), "a table alternative");
    // Every stored total of the group is in the table, as written in Swedish.
    for value in stored
        .iter()
        .filter(|v| v.gender == styr_domain::kolada::Gender::Total)
    {
        let shown = value.value.unwrap().to_string().replace('.', ",");
        assert!(page.contains(&format!(">{shown}<")), "{shown}");
    }
    // Nykvarn has no value in the stored data: shown as missing, never as zero.
    let nykvarn = page
        .split("<th scope=\"row\">Nykvarn</th>")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(nykvarn.contains("saknas"), "{nykvarn}");
    assert!(!nykvarn.contains(">0<"), "{nykvarn}");
    assert!(page.contains("Saknas i Kolada: Nykvarn 2018"));
    assert!(page.contains("Källa: Kolada: v2_N00914_page1.json"));
    assert!(page.contains("hämtat 2026-11-20"));
}

/// `frictionless validate` on the served package, downloaded as a user would.
async fn the_served_fiscal_data_package_validates(db: &TestDb) {
    let test = spawn_app(db).await;
    let admin = Actor::local_admin("test");
    test.app
        .decide_version(&admin, &PlanSelector::default(), DECISION)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for file in ["datapackage.json", "budget.csv"] {
        let body = text(&test.url, &format!("/data/fdp/ks/{file}")).await;
        std::fs::write(dir.path().join(file), body).unwrap();
    }
    let descriptor: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(descriptor["licenses"][0]["name"], "CC0-1.0");
    assert_eq!(
        descriptor["model"]["measures"]["expenditure"]["phase"],
        "approved"
    );
    let Some(python) = crate::tool::python() else {
        return;
    };
    let output = Command::new(&python)
        .args(["-m", "frictionless", "validate", "--json"])
        .arg(dir.path().join("datapackage.json"))
        .output()
        .expect("python runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    let json: serde_json::Value = serde_json::from_str(&report).unwrap_or_else(|e| {
        panic!(
            "frictionless gave no JSON ({e}): {report} {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(json["valid"], true, "{report}");
}

crate::on_both_backends!(
    open_data_is_only_what_is_decided_and_closed,
    unknown_files_and_years_are_the_sites_404,
    the_comparison_shows_stored_kolada_values_and_missing_ones_as_missing,
    the_served_fiscal_data_package_validates,
);
