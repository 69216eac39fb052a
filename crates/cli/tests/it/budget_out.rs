//! The budget out as a user runs it: `styr export fdp` validated by `frictionless validate`
//! (PyPI, through STYR_TEST_PYTHON), and `styr sie export-budget` accepted by `styr sie check`
//! and read back with the one SIE reader to the plan's sums.

use crate::{example_dir, stderr, stdout, styr};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use styr_domain::Money;
use styr_domain::ledger::Classification;

fn run_ok(args: &[&str]) -> String {
    let output = styr(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// `frictionless validate` on a descriptor: Some((valid, report)), or None when the tool is not
/// configured (STYR_TEST_PYTHON unset outside CI; in CI that fails).
fn frictionless(descriptor: &Path) -> Option<(bool, String)> {
    let python = crate::tool::python()?;
    let output = Command::new(&python)
        .args(["-m", "frictionless", "validate", "--json"])
        .arg(descriptor)
        .output()
        .expect("python runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    let json: serde_json::Value = serde_json::from_str(&report).unwrap_or_else(|e| {
        panic!(
            "frictionless gave no JSON ({e}): {report} {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    Some((json["valid"].as_bool().expect("a verdict"), report))
}

#[test]
fn the_fiscal_data_package_validates_and_adds_up_to_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let example = example_dir();
    let from_package = dir.path().join("fdp-paket");
    let out = run_ok(&[
        "export",
        "fdp",
        example.to_str().unwrap(),
        "-o",
        from_package.to_str().unwrap(),
    ]);
    assert!(
        out.ends_with(": 43 rader, 2021–2022, fas proposed\n"),
        "{out}"
    );

    // The same from the database.
    let db = dir.path().join("styr.db").to_str().unwrap().to_owned();
    run_ok(&["import", example.to_str().unwrap(), "--db", &db]);
    let from_db = dir.path().join("fdp-db");
    run_ok(&[
        "export",
        "fdp",
        "--db",
        &db,
        "-o",
        from_db.to_str().unwrap(),
    ]);
    for file in ["datapackage.json", "budget.csv"] {
        assert_eq!(
            std::fs::read(from_package.join(file)).unwrap(),
            std::fs::read(from_db.join(file)).unwrap(),
            "{file}"
        );
    }

    let descriptor: serde_json::Value =
        serde_json::from_slice(&std::fs::read(from_package.join("datapackage.json")).unwrap())
            .unwrap();
    let measures = &descriptor["model"]["measures"];
    assert_eq!(measures["expenditure"]["phase"], "proposed");
    assert_eq!(measures["expenditure"]["direction"], "expenditure");
    assert_eq!(measures["revenue"]["direction"], "revenue");
    assert_eq!(measures["revenue"]["factor"], 1000);
    assert_eq!(measures["revenue"]["currency"], "SEK");
    assert_eq!(
        descriptor["model"]["dimensions"]["administrative"]["classificationType"],
        "administrative"
    );

    // The operating budget's expenditure for 2021 is the summary table's 247 000 tkr.
    let mut reader = csv::Reader::from_path(from_package.join("budget.csv")).unwrap();
    let mut operating_2021 = 0i64;
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        rows += 1;
        if &record[0] == "2021" && &record[1] == "operating" {
            operating_2021 += record[7].parse::<i64>().unwrap();
        }
    }
    assert_eq!(rows, 43);
    assert_eq!(operating_2021, 247_000);

    let Some((valid, report)) = frictionless(&from_package.join("datapackage.json")) else {
        return;
    };
    assert!(valid, "{report}");
    // A user who types an amount the Swedish way breaks the package, and the validator says so.
    let csv_path = from_package.join("budget.csv");
    let text = std::fs::read_to_string(&csv_path).unwrap();
    std::fs::write(&csv_path, text.replacen(",20500,", ",\"20 500\",", 1)).unwrap();
    let (valid, report) = frictionless(&from_package.join("datapackage.json")).unwrap();
    assert!(!valid, "{report}");
    assert!(report.contains("type-error"), "{report}");
}

#[test]
fn the_sie_budget_is_accepted_and_reads_back_to_the_plans_sums() {
    let dir = tempfile::tempdir().unwrap();
    let example = example_dir();
    let file = dir.path().join("budget-2021.se");
    let out = run_ok(&[
        "sie",
        "export-budget",
        example.to_str().unwrap(),
        "--year",
        "2021",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.ends_with(": 163 #PBUDGET-rader för 20 budgetrader, 2021, summa 247 000 tkr\n"),
        "{out}"
    );
    let check = run_ok(&["sie", "check", file.to_str().unwrap()]);
    assert!(check.contains("budget rows 163"), "{check}");
    assert!(check.contains("checksum:     verified"), "{check}");
    assert!(
        check.contains("diagnostics: 0 error(s), 0 warning(s), 0 info"),
        "{check}"
    );

    // Read back with the one reader and mapped with the plan's own mapping: every line's
    // budget is the plan's.
    let (sie, diagnostics) = styr_sie::read(&std::fs::read(&file).unwrap());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let plan = styr_package::read_dir(&example).unwrap();
    let mut by_line: BTreeMap<String, Money> = BTreeMap::new();
    for row in &sie.period_budgets {
        let ansvar = row
            .objects
            .iter()
            .find(|o| o.dimension == 1)
            .map(|o| o.object.as_str());
        let Classification::Operating { table, line, .. } =
            plan.ledger.classify(row.account.as_str(), ansvar, None)
        else {
            panic!("{row:?} maps to no operating line");
        };
        let sum = by_line
            .entry(format!("{table}.{line}"))
            .or_insert(Money::from_ore(0));
        *sum = *sum + Money::from_ore(row.amount.0);
    }
    for table in plan.budget.operating.iter().filter(|t| !t.summary) {
        for row in &table.rows {
            if row.kind != styr_domain::budget::RowKind::Line {
                continue;
            }
            let key = format!("{}.{}", table.id, row.id);
            let planned = row.amounts[&2021];
            assert_eq!(
                by_line.get(&key).copied().unwrap_or(Money::from_ore(0)),
                planned,
                "{key}"
            );
        }
    }
    assert_eq!(
        by_line.values().copied().sum::<Money>(),
        Money::from_tkr(247_000).unwrap()
    );

    // From the database, the same file but for the generation date.
    let db = dir.path().join("styr.db").to_str().unwrap().to_owned();
    run_ok(&["import", example.to_str().unwrap(), "--db", &db]);
    let stored = dir.path().join("stored.se");
    run_ok(&[
        "sie",
        "export-budget",
        "--db",
        &db,
        "--year",
        "2021",
        "-o",
        stored.to_str().unwrap(),
    ]);
    // The same records; the generation date (#GEN) and so the checksum may differ at midnight.
    let records = |path: &Path| -> Vec<Vec<u8>> {
        std::fs::read(path)
            .unwrap()
            .split(|b| *b == b'\n')
            .filter(|line| !line.starts_with(b"#GEN") && !line.starts_with(b"#KSUMMA"))
            .map(<[u8]>::to_vec)
            .collect()
    };
    assert_eq!(records(&stored), records(&file));

    // A year without a budget, and a net account outside the rules, are refused; no file.
    let none = dir.path().join("none.se");
    let output = styr(&[
        "sie",
        "export-budget",
        example.to_str().unwrap(),
        "--year",
        "2030",
        "-o",
        none.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("year: driftbudgeten har inga belopp för 2030"));
    let output = styr(&[
        "sie",
        "export-budget",
        example.to_str().unwrap(),
        "--year",
        "2021",
        "--net-account",
        "8999",
        "-o",
        none.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "ledger/accounts.csv:6: op.fortroende.reserv: nettobudgetkontot 8999 ligger utanför regelns konton 3–7"
        ),
        "{}",
        stderr(&output)
    );
    assert!(!none.exists());
}

#[test]
fn the_executed_phase_is_the_ledgers_actual_to_date() {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let dir = tempfile::tempdir().unwrap();
    let example = example_dir();
    let db = dir.path().join("styr.db").to_str().unwrap().to_owned();
    run_ok(&["import", example.to_str().unwrap(), "--db", &db]);
    // Without a ledger there is nothing executed to export.
    let out_dir = dir.path().join("fdp");
    let output = styr(&[
        "export",
        "fdp",
        "--db",
        &db,
        "--executed-through",
        "2021-10",
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("executed-through: databasen har ingen bokföring"));
    let ledger = example.join("ledger/ks-2021.se");
    run_ok(&["actuals", "import", ledger.to_str().unwrap(), "--db", &db]);
    let out = run_ok(&[
        "export",
        "fdp",
        "--db",
        &db,
        "--executed-through",
        "2021-10",
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.ends_with("fas proposed och executed t.o.m. 2021-10\n"),
        "{out}"
    );

    let report: serde_json::Value = serde_json::from_str(&run_ok(&[
        "report",
        "budget-vs-actual",
        "--period",
        "2021-10",
        "--db",
        &db,
        "--format",
        "json",
    ]))
    .unwrap();
    let total = |kind: &str| -> Decimal {
        let row = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == kind)
            .unwrap();
        Decimal::from_str(&row["actual_to_date"].to_string()).unwrap()
    };
    let mut reader = csv::Reader::from_path(out_dir.join("budget.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[9], "executed_expenditure");
    let mut executed: BTreeMap<String, Decimal> = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        if &record[0] != "2021" {
            continue;
        }
        let cell = |i: usize| Decimal::from_str(&record[i]).unwrap_or_default();
        *executed.entry(record[1].to_owned()).or_default() += cell(9) - cell(10);
    }
    // tkr in the package (factor 1000), kronor in the report: the same öre.
    assert_eq!(
        executed["operating"] * Decimal::from(1000),
        total("operating_total")
    );
    assert_eq!(
        executed["investment"] * Decimal::from(1000),
        total("investment_total")
    );
    assert_eq!(executed["finance"], Decimal::ZERO);
    let descriptor: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(
        descriptor["model"]["measures"]["executed_expenditure"]["phase"],
        "executed"
    );
    if let Some((valid, report)) = frictionless(&out_dir.join("datapackage.json")) {
        assert!(valid, "{report}");
    }
}
