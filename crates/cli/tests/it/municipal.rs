//! The whole municipality's delårsrapport as a user makes it (issue 20): the example
//! municipality's packages imported, KS's ledger and reports, `styr render --report
//! delarsrapport --scope kommun` as PDF read back with `pdftotext`: every body's name, the
//! totals as the sums of the bodies' figures, KF's goals with the rolled-up assessment, and each
//! body's own report as a part. `--scope ks` in the same database gives the very bytes KS's
//! report has in a database of KS alone.

use crate::{example_dir, stderr, styr};
use std::path::Path;
use std::process::Command;
use styr_domain::Money;
use styr_domain::org::BodyKind;

fn run_ok(args: &[&str]) {
    let output = styr(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
}

/// KS's ledger and delårsrapport 2 reports into `db`.
fn ks_followup(db: &str) {
    let example = example_dir();
    let ledger = example.join("ledger/ks-2021.se");
    run_ok(&[
        "actuals",
        "import",
        ledger.to_str().unwrap(),
        "--db",
        db,
        "--body",
        "ks",
    ]);
    let reports = example.join("followup/delar2-2021.csv");
    run_ok(&[
        "followup",
        "import",
        reports.to_str().unwrap(),
        "--db",
        db,
        "--body",
        "ks",
    ]);
}

fn render(db: &str, scope: Option<&str>, format: &str, output: &Path) {
    let mut args = vec![
        "render",
        "--db",
        db,
        "--report",
        "delarsrapport",
        "--period",
        "2021-08",
        "--format",
        format,
        "-o",
        output.to_str().unwrap(),
    ];
    if let Some(scope) = scope {
        args.extend(["--scope", scope]);
    }
    run_ok(&args);
}

/// "4 813 000": whole tkr with a plain space, as pdftotext gives the document's no-break one
/// once normalised.
fn tkr(money: Money) -> String {
    styr_domain::number::format_money(
        money,
        styr_domain::number::MoneyUnit::Tkr,
        styr_domain::number::Decimals::Fixed(0),
        ' ',
    )
}

#[test]
fn the_municipal_report_has_every_body_and_the_computed_totals() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("kommun.db").to_str().unwrap().to_owned();
    let examples = example_dir().join("..");
    run_ok(&["import", examples.to_str().unwrap(), "--db", &db]);
    ks_followup(&db);
    let pdf = temp.path().join("kommun.pdf");
    render(&db, Some("kommun"), "pdf", &pdf);
    let html = temp.path().join("kommun.html");
    render(&db, Some("kommun"), "html", &html);
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("Driftredovisning per nämnd"));

    let Some(pdftotext) = crate::tool::program("pdftotext", "poppler-utils") else {
        return;
    };
    let text = Command::new(pdftotext)
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8(text.stdout)
        .unwrap()
        .replace('\u{a0}', " ");

    // Every body KF gives a frame for 2021, by name; the totals line sums the frames.
    let kf = styr_package::read_dir(&examples.join("haninge-kf-2021")).unwrap();
    let council = kf.council.as_ref().unwrap();
    let mut frames = Money::ZERO;
    for frame in council.frames.iter().filter(|f| f.year == 2021) {
        let body = kf.body(&frame.body).unwrap();
        assert!(
            text.contains(&body.name),
            "{} missing from the PDF text",
            body.name
        );
        if body.kind != BodyKind::Company {
            frames = frames + frame.amount;
        }
    }
    let totals = text
        .lines()
        .find(|line| line.contains("Summa nämnder och"))
        .expect("the totals row");
    assert!(
        totals.contains(&tkr(frames)),
        "the frames' sum {} is not on {totals:?}",
        tkr(frames)
    );
    // The budget column: the sum of the bodies' allocations.
    let budgets: Money = ["ks", "bun", "son"]
        .iter()
        .map(|name| {
            let plan =
                styr_package::read_dir(&examples.join(format!("haninge-{name}-2021"))).unwrap();
            plan.budget.operating_total(2021).unwrap()
        })
        .sum();
    assert!(
        totals.contains(&tkr(budgets)),
        "the budgets' sum {} is not on {totals:?}",
        tkr(budgets)
    );
    // Koncernen: the sum of KF's result, the company's share and the eliminations as stated.
    let koncern = text
        .lines()
        .find(|line| line.contains("Koncernens sammanställda resultat"))
        .expect("the koncern's row");
    let council = styr_package::read_dir(&examples.join("haninge-kf-2021"))
        .unwrap()
        .council
        .unwrap();
    let company = styr_package::read_dir(&examples.join("haninge-bostader-2021"))
        .unwrap()
        .company
        .unwrap();
    let consolidated = council.year(2021).unwrap().result
        + company.year(2021).unwrap().result_before_tax
        - council
            .eliminations
            .iter()
            .filter(|e| e.year == 2021)
            .map(|e| e.amount)
            .sum::<Money>();
    assert!(
        koncern.contains(&tkr(consolidated)),
        "{} is not on {koncern:?}",
        tkr(consolidated)
    );
    // KF's goals with the roll-up, and a part per body with a plan.
    for expected in [
        "Kommunens mål",
        "Sammanvägd bedömning: Ej bedömd",
        "Driftredovisning per nämnd",
        "Bolagen",
        "Kommunstyrelsen: Delårsrapport 2 2021",
        "Barn- och utbildningsnämnden: Delårsrapport 2 2021",
        "Socialnämnden: Delårsrapport 2 2021",
        "Haninge Bostäder AB: Delårsrapport 2 2021",
        "Mer företagsmark ska hittas",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the PDF text"
        );
    }

    // `styr report kommun`: the same figures as JSON, each total the sum of its column.
    let output = styr(&[
        "report", "kommun", "--period", "2021-08", "--db", &db, "--format", "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let bodies = value["bodies"].as_array().unwrap();
    for (column, total) in [
        ("frame", "frame"),
        ("budget", "budget"),
        ("actual", "actual"),
    ] {
        let sum: f64 = bodies.iter().filter_map(|b| b[column].as_f64()).sum();
        let stated = value["totals"][total].as_f64().unwrap();
        assert!((sum - stated).abs() < 0.005, "{column}: {sum} vs {stated}");
    }
    assert_eq!(
        value["totals"]["frame"].as_f64().unwrap(),
        frames.kr().to_string().parse::<f64>().unwrap()
    );
    let reported: u64 = bodies
        .iter()
        .filter_map(|b| b["progress"]["reported"].as_u64())
        .sum();
    assert_eq!(value["totals"]["reported"].as_u64(), Some(reported));
    assert_eq!(value["goals"].as_array().unwrap().len(), 5);
    assert_eq!(value["goals"][0]["overall"], "not_assessed");
    let output = styr(&["report", "kommun", "--period", "2021-08", "--db", &db]);
    let table = crate::stdout(&output);
    assert!(table.contains("Summa nämnder och styrelser"), "{table}");
    assert!(table.contains(&tkr(frames)), "{table}");

    // KS's report in the municipality's database is KS's report of a database of KS alone.
    let ks_db = temp.path().join("ks.db").to_str().unwrap().to_owned();
    run_ok(&["import", example_dir().to_str().unwrap(), "--db", &ks_db]);
    ks_followup(&ks_db);
    let alone = temp.path().join("ks-alone.pdf");
    render(&ks_db, None, "pdf", &alone);
    let scoped = temp.path().join("ks-scoped.pdf");
    render(&db, Some("ks"), "pdf", &scoped);
    assert!(
        std::fs::read(&alone).unwrap() == std::fs::read(&scoped).unwrap(),
        "--scope ks renders KS's report as a database of KS alone does"
    );
}

#[test]
fn the_whole_municipality_is_a_report_not_a_plan_document() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("kommun.db").to_str().unwrap().to_owned();
    run_ok(&["import", example_dir().to_str().unwrap(), "--db", &db]);
    let out = temp.path().join("x.pdf");
    let output = styr(&[
        "render",
        "--db",
        &db,
        "--scope",
        "kommun",
        "--format",
        "pdf",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_ne!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("--report"), "{}", stderr(&output));
    assert!(!out.exists());
}
