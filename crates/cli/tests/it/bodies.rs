//! Several bodies' plans in one database, as a controller meets them on the command line
//! (issue 20): `styr import` of a folder holding several packages, all-or-nothing;
//! `styr plans list`; commands that must be told which body when there are several.

use crate::{example_dir, stderr, stdout, styr};
use std::path::Path;

/// Copies the example package into `to`, as the plan of `body` with version id `version`.
fn package_as(to: &Path, body: &str, version: &str) {
    copy_dir(&example_dir(), to);
    let edit = |file: &str, from: &str, into: &str| {
        let path = to.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from:?}");
        std::fs::write(&path, text.replacen(from, into, 1)).unwrap();
    };
    edit(
        "styr.toml",
        "body = \"ks\"\nyears",
        &format!("body = \"{body}\"\nyears"),
    );
    edit(
        "budget.toml",
        "id = \"ks_2021_proposal\"",
        &format!("id = \"{version}\""),
    );
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_folder_of_packages_is_imported_at_once_and_listed_by_body() {
    let folder = tempfile::tempdir().unwrap();
    let packages = folder.path().join("haninge");
    package_as(&packages.join("ks"), "ks", "ks_2021_proposal");
    package_as(&packages.join("sn"), "sn", "sn_2021_proposal");
    let db = folder.path().join("styr.db");
    let db = db.to_str().unwrap();

    let output = styr(&["import", packages.to_str().unwrap(), "--db", db]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("ks_2021_proposal") && text.contains("organ sn"),
        "{text}"
    );

    let output = styr(&["plans", "list", "--db", db]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<Vec<String>> = stdout(&output)
        .lines()
        .skip(1)
        .map(|line| line.split('\t').take(5).map(str::to_owned).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["haninge", "ks", "2021", "ks_2021_proposal", "förslag"],
            vec!["haninge", "sn", "2021", "sn_2021_proposal", "förslag"],
        ]
    );

    // With two bodies, a command must be told which; with --body (or --scope) it works.
    let output = styr(&["period", "list", "--db", db]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("flera organ i haninge (ks, sn)"),
        "{}",
        stderr(&output)
    );
    let output = styr(&["period", "list", "--db", db, "--body", "sn"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let html = folder.path().join("sn.html");
    let output = styr(&[
        "render",
        "--db",
        db,
        "--scope",
        "sn",
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn two_packages_claiming_one_body_year_and_version_store_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let packages = folder.path().join("haninge");
    package_as(&packages.join("a_ks"), "ks", "ks_2021_proposal");
    package_as(&packages.join("b_ks_igen"), "ks", "ks_2021_andra");
    let db = folder.path().join("styr.db");
    let db = db.to_str().unwrap();

    let output = styr(&["import", packages.to_str().unwrap(), "--db", db]);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(
        text.contains("b_ks_igen/styr.toml")
            && text.contains("document.body")
            && text.contains("organet ks, år 2021 och versionens slag (förslag)")
            && text.contains("a_ks"),
        "{text}"
    );
    let output = styr(&["plans", "list", "--db", db]);
    assert_eq!(stdout(&output).trim(), "databasen har inga planer");

    // The same version id in two packages is refused too.
    let other = folder.path().join("samma");
    package_as(&other.join("ks"), "ks", "gemensam");
    package_as(&other.join("sn"), "sn", "gemensam");
    let output = styr(&["import", other.to_str().unwrap(), "--db", db]);
    assert!(!output.status.success());
    assert!(
        stderr(&output)
            .contains("sn och ks gäller samma plan i kommunen haninge: budgetversionen gemensam"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn check_of_a_municipality_finds_a_nämnd_off_its_kf_frame() {
    let folder = tempfile::tempdir().unwrap();
    let examples = example_dir().join("..");
    for name in ["haninge-kf-2021", "haninge-bun-2021", "haninge-ks-2021"] {
        copy_dir(&examples.join(name), &folder.path().join(name));
    }
    // The examples agree with KF's frames: only KS's printed inconsistencies are errors.
    let output = styr(&["check", folder.path().to_str().unwrap()]);
    let text = stdout(&output);
    let across = text
        .split("== Mellan organen ==")
        .nth(1)
        .unwrap_or_default();
    assert!(across.contains("0 fel"), "{text}");
    assert!(
        text.contains("== Barn- och utbildningsnämnden (bun) =="),
        "{text}"
    );

    // One line and the nämnd's printed total 1 tkr up: its allocation misses KF's frame.
    let table = folder
        .path()
        .join("haninge-bun-2021/budget/operating/sammanstallning.csv");
    let csv = std::fs::read_to_string(&table).unwrap();
    let csv = csv
        .replace(",720000\n", ",720001\n")
        .replace(",2600000\n", ",2600001\n");
    std::fs::write(&table, csv).unwrap();
    let output = styr(&["check", folder.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let across = text
        .split("== Mellan organen ==")
        .nth(1)
        .unwrap_or_default();
    assert!(
        across.contains("2 600 001 tkr")
            && across.contains("2 600 000 tkr")
            && across.contains("KF 2020-11-09 § 185"),
        "{across}"
    );
}

#[test]
fn a_reporters_units_are_named_in_one_bodys_plan() {
    let folder = tempfile::tempdir().unwrap();
    let packages = folder.path().join("haninge");
    package_as(&packages.join("ks"), "ks", "ks_2021_proposal");
    package_as(&packages.join("sn"), "sn", "sn_2021_proposal");
    let db = folder.path().join("styr.db");
    let db = db.to_str().unwrap();
    let output = styr(&["import", packages.to_str().unwrap(), "--db", db]);
    assert!(output.status.success(), "{}", stderr(&output));
    // `ksf` is a unit of both plans: the body must be named.
    let ambiguous = ["snrapportor", "--role", "reporter", "--unit", "ksf"];
    assert!(!crate::add_user(db, &ambiguous).success());
    let named = [
        "snrapportor",
        "--role",
        "reporter",
        "--unit",
        "ksf",
        "--organ",
        "sn",
    ];
    assert!(crate::add_user(db, &named).success());
    let output = styr(&["user", "list", "--db", db]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("snrapportor\thaninge\treporter\tsn:ksf"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_nämnd_package_off_its_kf_frame_or_goal_is_refused_and_nothing_stored() {
    let folder = tempfile::tempdir().unwrap();
    let examples = example_dir().join("..");
    let packages = folder.path().join("kommun");
    for name in ["haninge-kf-2021", "haninge-bun-2021"] {
        copy_dir(&examples.join(name), &packages.join(name));
    }
    let db = folder.path().join("styr.db");
    let db = db.to_str().unwrap();
    let output = styr(&["import", packages.to_str().unwrap(), "--db", db]);
    assert!(output.status.success(), "{}", stderr(&output));
    let listed = stdout(&styr(&["plans", "list", "--db", db]));

    // A new version of the nämnd's package whose allocation is 1 tkr over its KF frame.
    let bun = folder.path().join("bun");
    copy_dir(&examples.join("haninge-bun-2021"), &bun);
    let table = bun.join("budget/operating/sammanstallning.csv");
    let csv = std::fs::read_to_string(&table).unwrap();
    std::fs::write(
        &table,
        csv.replace(",720000\n", ",720001\n")
            .replace(",2600000\n", ",2600001\n"),
    )
    .unwrap();
    let output = styr(&["import", bun.to_str().unwrap(), "--db", db]);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(
        text.contains("2 600 001 tkr")
            && text.contains("2 600 000 tkr")
            && text.contains("KF 2020-11-09 § 185")
            && text.contains("inget ändrades"),
        "{text}"
    );
    assert_eq!(stdout(&styr(&["plans", "list", "--db", db])), listed);

    // A goal whose KF parent does not exist.
    let bun = folder.path().join("bun2");
    copy_dir(&examples.join("haninge-bun-2021"), &bun);
    let goals = bun.join("goals.toml");
    let text = std::fs::read_to_string(&goals).unwrap();
    let (before, after) = text.split_once("parent = \"").unwrap();
    let (_, rest) = after.split_once('"').unwrap();
    std::fs::write(&goals, format!("{before}parent = \"mal99\"{rest}")).unwrap();
    let output = styr(&["import", bun.to_str().unwrap(), "--db", db]);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(
        text.contains("goals.toml:") && text.contains("mal99"),
        "{text}"
    );
    assert_eq!(stdout(&styr(&["plans", "list", "--db", db])), listed);
}
