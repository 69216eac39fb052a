//! The ramberäkning's base through the binary: unverifiable while the database does not hold
//! the base version, checked against that version's frame once it does.

use crate::store::sqlite_url;
use crate::{example_dir, stderr, stdout, styr};
use styr_domain::Id;
use styr_domain::budget::VersionKind;

/// The example as the justerad budget 2020 it names as its base: version `ks_2020_justerad`,
/// with one frame, 2020, of `frame` tkr.
fn base_package(dir: &std::path::Path, frame: i64) {
    let mut plan = styr_package::read_dir(&example_dir()).unwrap();
    let budget = &mut plan.budget;
    budget.version.id = Id::parse("ks_2020_justerad").unwrap();
    budget.version.kind = VersionKind::Adjusted;
    budget.version.name = "Justerad budget 2020".into();
    budget.version.decision = Some(Id::parse("kf_mob_2020_rev").unwrap());
    budget.frame_calculation = None;
    budget.frames[0].year = 2020;
    budget.frames[0].amount = styr_domain::Money::from_tkr(frame).unwrap();
    styr_package::write_dir(&plan, dir).unwrap();
}

#[test]
fn the_base_is_checked_against_the_stored_base_version() {
    let temp = tempfile::tempdir().unwrap();
    let db = sqlite_url(temp.path(), "styr.db");
    let base = temp.path().join("base");
    base_package(&base, 218_000);
    // The base version first, then the 2021 proposal: the body's latest plan is the proposal.
    for package in [base.as_path(), example_dir().as_path()] {
        let output = styr(&["import", package.to_str().unwrap(), "--db", &db]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let text = stdout(&styr(&["check", "--db", &db]));
    assert!(
        text.contains(
            "ramberäkningen 2021 utgår från justerad budget 2020 med \
             218 600 tkr, men ramen 2020 i versionen ks_2020_justerad är 218 000 tkr (angivet \
             218 600 tkr, beräknat 218 000 tkr) [base:budget.toml:ks:2021]"
        ),
        "{text}"
    );
    assert!(
        !text.contains("kan inte kontrolleras: justerad budget 2020"),
        "{text}"
    );
    assert!(
        text.ends_with("10 fel, 5 varningar, 9 info, 2 förslag till rättelse\n"),
        "{text}"
    );
}

#[test]
fn a_base_version_that_agrees_clears_the_unverifiable_note() {
    let temp = tempfile::tempdir().unwrap();
    let db = sqlite_url(temp.path(), "styr.db");
    let base = temp.path().join("base");
    base_package(&base, 218_600);
    for package in [base.as_path(), example_dir().as_path()] {
        let output = styr(&["import", package.to_str().unwrap(), "--db", &db]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let text = stdout(&styr(&["check", "--db", &db]));
    assert!(!text.contains("[calc:budget.toml:2021:base]"), "{text}");
    assert!(!text.contains("[base:"), "{text}");
    assert!(
        text.ends_with("9 fel, 5 varningar, 9 info, 2 förslag till rättelse\n"),
        "{text}"
    );
}

/// Copies a folder (a package) into `to`.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
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
fn a_ramberakning_that_no_longer_reaches_kfs_frame_is_refused_at_import() {
    let folder = tempfile::tempdir().unwrap();
    let db = sqlite_url(folder.path(), "styr.db");
    let examples = example_dir().join("..");
    for name in ["haninge-kf-2021", "haninge-ks-2021"] {
        let output = styr(&["import", examples.join(name).to_str().unwrap(), "--db", &db]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let listed = stdout(&styr(&["plans", "list", "--db", &db]));
    // A PKV of 2,5 % instead of 2,0 %: the calculation gives 248 093, KF's frame is 247 000.
    let ks = folder.path().join("ks");
    copy_dir(&examples.join("haninge-ks-2021"), &ks);
    let lines = ks.join("budget/frame_calculation.csv");
    let text = std::fs::read_to_string(&lines).unwrap();
    std::fs::write(&lines, text.replacen("(PKV 2021),2.0", "(PKV 2021),2.5", 1)).unwrap();
    let output = styr(&["import", ks.to_str().unwrap(), "--db", &db]);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(
        text.contains("ramberäkning 2021")
            && text.contains("248 093 tkr")
            && text.contains("247 000 tkr")
            && text.contains("KF 2020-11-09 § 185")
            && text.contains("inget ändrades"),
        "{text}"
    );
    assert_eq!(stdout(&styr(&["plans", "list", "--db", &db])), listed);
}
